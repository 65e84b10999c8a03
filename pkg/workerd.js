// Cloudflare Workers entry: wrangler imports the .wasm as a WebAssembly.Module
// (Workers forbid compiling wasm from bytes at run time).
import wasmModule from "./crm_engagements_bg.wasm";
import { initSync } from "./crm_engagements.js";

initSync({ module: wasmModule });

export {
  TrutoClient,
  DevRevClient,
  EngagementIterator,
  isEngagementsError,
  devRevToEngagement,
} from "./crm_engagements.js";
