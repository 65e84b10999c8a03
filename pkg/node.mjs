// Node ESM entry: re-exports the CommonJS glue, so `import` and `require` in
// one process share one wasm instance.
import glue from "./crm_engagements_node.cjs";

export const {
  TrutoClient,
  DevRevClient,
  EngagementIterator,
  isEngagementsError,
  devRevToEngagement,
} = glue;
