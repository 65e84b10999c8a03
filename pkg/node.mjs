// Node ESM entry: re-exports the CommonJS entry, so `import` and `require` in
// one process share one wasm instance.
import api from "./index.cjs";

export const {
  TrutoClient,
  DevRevClient,
  EngagementIterator,
  isEngagementsError,
  devRevToEngagement,
  __testing,
} = api;
