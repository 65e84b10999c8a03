// Node ESM entry: re-exports the CommonJS entry, so `import` and `require` in
// one process share one wasm instance. Loaded with `require` rather than
// `import`: importing CommonJS from ESM has Node lex the module for its
// export names first (about 1.7 ms of the cold start here), and this entry
// names them itself.
import { createRequire } from "node:module";

export const {
  TrutoClient,
  DevRevClient,
  EngagementIterator,
  isEngagementsError,
  devRevToEngagement,
  __testing,
} = createRequire(import.meta.url)("./index.cjs");
