// Cloudflare Workers entry: wrangler imports the .wasm as a WebAssembly.Module
// (Workers forbid compiling wasm from bytes at run time).
import wasmModule from "./crm_engagements_bg.wasm";
import { createInstance } from "./crm_engagements.js";
import { makeApi } from "./api.js";

export const {
  TrutoClient,
  DevRevClient,
  EngagementIterator,
  isEngagementsError,
  devRevToEngagement,
  __testing,
} = makeApi(() => createInstance(wasmModule));
