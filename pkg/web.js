// The entry for a page with no bundler: `import { TrutoClient } from "./pkg/web.js"`.
// The .wasm is fetched from next to this file on import.
export * from "./index.js";
