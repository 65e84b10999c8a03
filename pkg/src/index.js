// Browser / bundler / default entry. Compiles the wasm at import time (top-level
// await), so importing code never needs an init call. Vite and other bundlers
// emit the .wasm as an asset from this `new URL(..., import.meta.url)`.
// `make pkg` writes it to pkg/index.js minified (tools/factory.mjs): a page
// with no bundler loads it as it is.
import { createInstance, makeApi } from "./crm_engagements.js";

const url = new URL("./crm_engagements_bg.wasm", import.meta.url);

async function compile() {
  if (typeof WebAssembly.compileStreaming === "function") {
    try {
      return await WebAssembly.compileStreaming(fetch(url));
    } catch {
      // Served without `application/wasm`: compile from the bytes instead.
    }
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`crm-engagements: cannot load ${url}: HTTP ${response.status}`);
  return WebAssembly.compile(await response.arrayBuffer());
}

const module = await compile();

export const {
  TrutoClient,
  DevRevClient,
  EngagementIterator,
  isEngagementsError,
  devRevToEngagement,
  __testing,
} = makeApi(() => createInstance(module));
