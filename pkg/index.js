// Browser / bundler / default entry. Loads the wasm at import time (top-level
// await), so importing code never needs an init call. Vite and other bundlers
// emit the .wasm as an asset from this `new URL(..., import.meta.url)`.
import init from "./crm_engagements.js";

await init({ module_or_path: new URL("./crm_engagements_bg.wasm", import.meta.url) });

export {
  TrutoClient,
  DevRevClient,
  EngagementIterator,
  isEngagementsError,
  devRevToEngagement,
} from "./crm_engagements.js";
