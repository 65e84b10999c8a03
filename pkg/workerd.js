// Cloudflare Workers entry: wrangler imports the .wasm as a WebAssembly.Module
// (Workers forbid compiling wasm from bytes at run time).
import wasmModule from "./crm_engagements_bg.wasm";
import { createInstance, makeApi } from "./crm_engagements.js";

export const {
  TrutoClient,
  DevRevClient,
  EngagementIterator,
  isEngagementsError,
  devRevToEngagement,
  __testing,
} = makeApi(() => createInstance(wasmModule));
