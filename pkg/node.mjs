// Node ESM entry: re-exports the CommonJS entry, so `import` and `require` in
// one process share one wasm instance (Node's ESM loader hands CommonJS the
// same module cache). A static import, not `createRequire(...)("./index.cjs")`:
// a bundler (esbuild --platform=node, webpack --target=node) can follow it.
import api from "./index.cjs";

export const {
  TrutoClient,
  DevRevClient,
  EngagementIterator,
  isEngagementsError,
  devRevToEngagement,
  __testing,
} = api;
