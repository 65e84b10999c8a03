// Next.js edge runtime and Vercel Edge Functions (the "edge-light" condition):
// the bundler binds the `.wasm?module` import to a compiled WebAssembly.Module,
// because the edge refuses to compile wasm from bytes at run time (so neither
// the default entry's fetch of the .wasm nor the inline entry's bytes would do).
import wasmModule from "./crm_engagements_bg.wasm?module";
import { createInstance, makeApi } from "./crm_engagements.js";

export const {
  TrutoClient,
  DevRevClient,
  EngagementIterator,
  isEngagementsError,
  devRevToEngagement,
  __testing,
} = makeApi(() => createInstance(wasmModule));
