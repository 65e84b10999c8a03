// Turns wasm-bindgen's two glues into instance factories, so the package's
// entry (makeApi, from pkg/src/api.js) can start a fresh instance after a trap:
//   web glue (ESM)   -> pkg/crm_engagements.js:      export function createInstance(module),
//                                                    and makeApi after it
//   pkg/src/api.js   -> pkg/api.cjs (CJS):           exports.makeApi
//   nodejs glue (CJS)-> pkg/crm_engagements_node.cjs: exports.createInstance()
//   web glue again   -> pkg/crm_engagements_web.cjs:  exports.createInstance(module, scope),
//                                                    for pkg/inline.cjs
// Each call of createInstance builds the glue's state anew around a new
// WebAssembly.Instance of the one compiled module.
//
//   node tools/factory.mjs <web glue> <nodejs glue> <out dir>
//
// Nothing here renames or rewrites what wasm-bindgen generated: the glue is
// wrapped in a function whole, its snippet imports inlined and its async
// loaders dropped (the entries compile the module themselves).
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { transformSync } from "esbuild";

// The glues ship without comments and whitespace (the JSDoc users read is in
// the .d.ts): about a third of the web glue's gzip size. The generated glues
// also get their local names shortened (another 0.7 KB gzip): they are
// internal. So are pkg/src/api.js's, whose classes (the ones users see) set
// their own `name`, and whose method names are properties, which stay.
const compact = (code, banner, format) =>
  transformSync(code, {
    minifyWhitespace: true,
    minifySyntax: true,
    minifyIdentifiers: format !== undefined,
    format,
    legalComments: "none",
    banner,
  }).code;

const [webIn, nodeIn, outDir] = process.argv.slice(2);
const fail = (why) => {
  console.error(`tools/factory.mjs: ${why} (did wasm-bindgen's output change?)`);
  process.exit(1);
};
const indent = (text) => text.replace(/^(?=.)/gm, "  ");

// After a restart, the old instance's pending callbacks (a fetch resolving
// later) must not call into a trapped instance: `__retire` swaps its exports
// for no-ops, keeping the memory so the glue's reads still work, and stops
// the I/O it left running (src/fetch.js's `stopAll`).
const RETIRE = `
function __retire() {
  const memory = wasm.memory;
  wasm = new Proxy({}, { get: (_, key) => (key === "memory" ? memory : () => 0) });
  stopAll();
}
`;

// --- snippets -------------------------------------------------------------------
// The JS modules the Rust code imports (`#[wasm_bindgen(module = "/src/fetch.js")]`)
// are emitted by wasm-bindgen as snippets/<crate>-<hash>/src/*.js files, imported by
// the glue. They are inlined here: once at the top of each output file (their
// `export`s dropped), and the glue's import of them replaced by an object of
// their functions. One file per runtime, no snippets/ folder to ship or resolve.
const snippetFiles = (dir) =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(".js"))
    .map((e) => join(e.parentPath ?? e.path, e.name));
const snippetDir = join(dirname(webIn), "snippets");
let snippetCode = "";
const snippetNames = [];
try {
  for (const file of snippetFiles(snippetDir)) {
    const code = readFileSync(file, "utf8");
    snippetNames.push(...[...code.matchAll(/^export function (\w+)/gm)].map((m) => m[1]));
    if (/^export (?!function )/m.test(code)) fail(`${file}: only \`export function\` is supported`);
    snippetCode += code.replace(/^export function /gm, "function ") + "\n";
  }
} catch (e) {
  if (e.code !== "ENOENT") throw e;
}
// Every snippet function ends up in one scope: two files may not share a name.
const twice = snippetNames.find((n, i) => snippetNames.indexOf(n) !== i);
if (twice) fail(`two snippets export \`${twice}\``);
if (!snippetNames.includes("stopAll")) fail("no snippet exports `stopAll` (src/fetch.js), which `__retire` calls");
const snippetObject = `{ ${snippetNames.join(", ")} }`;
/** The glue with its snippet imports replaced; fails if one is left. */
function inlineSnippets(glue) {
  const out = glue
    // web: `import { send } from './snippets/...';` and `import * as import1 from "./snippets/..."`
    .replace(/^import \{[^}]*\} from (['"])\.\/snippets\/[^'"]+\1;?\n/gm, "")
    .replace(/^import \* as (\w+) from (['"])\.\/snippets\/[^'"]+\2;?$/gm, `const $1 = ${snippetObject};`)
    // nodejs: `const { send } = require(String.raw`./snippets/...`);` and `const import1 = require("./snippets/...");`
    .replace(/^const \{[^}]*\} = require\(String\.raw`\.\/snippets\/[^`]+`\);\n/gm, "")
    .replace(/^const (\w+) = require\((['"])\.\/snippets\/[^'"]+\2\);$/gm, `const $1 = ${snippetObject};`)
    // the import object's key stays a plain string: harmless.
    ;
  const left = out.split("\n").filter((l) => l.includes("./snippets/") && !/^\s*"\.\/snippets\/[^"]+": \w+,$/.test(l));
  if (left.length) fail(`a snippet import was not inlined: ${left[0]}`);
  return out;
}

// `__retire` keeps the memory export, which the glue's reads still use.
const retire = RETIRE;

// --- web (ESM) ----------------------------------------------------------------
let web = inlineSnippets(readFileSync(webIn, "utf8").replace(/^\/\* @ts-self-types=.*\*\/\n/, ""));
const webNames = [...web.matchAll(/^export (?:class|function) (\w+)/gm)].map((m) => m[1]);
web = web.replace(/^export (class|function) /gm, "$1 ");
// Drop the async loaders: the entries compile the module themselves.
const load = web.indexOf("async function __wbg_load(");
const sync = web.indexOf("function initSync(");
const tail = web.indexOf("let __wbg_init_promise;");
if (load < 0 || sync < load || tail < sync || webNames.length === 0) fail("unexpected web glue");
web = web.slice(0, load) + web.slice(sync, tail);
// A compiled module from another realm is still a module: Next.js's edge
// runtime compiles an imported `.wasm?module` in Node's realm and runs the
// route in a vm context, where `instanceof WebAssembly.Module` is false and
// initSync would try to compile the module object as bytes.
const brand = "if (!(module instanceof WebAssembly.Module)) {";
if (!web.includes(brand)) fail("unexpected web glue: no module check in initSync");
web = web.replace(brand, 'if (Object.prototype.toString.call(module) !== "[object WebAssembly.Module]") {');
const webGlue = compact(
  snippetCode +
    "export function createInstance(module) {\n" +
    indent(web + retire) +
    "\n  initSync({ module });\n" +
    `  return { ${webNames.join(", ")}, __retire };\n}\n`,
  "// Generated by tools/factory.mjs from wasm-bindgen's web glue and pkg/src/api.js. Do not edit.",
  "esm",
);

// --- web glue as CommonJS, for pkg/inline.cjs -----------------------------------
// The same glue again, as a CommonJS factory that takes the web globals it
// names as an argument (`scope`) instead of reading them from the realm: the
// CommonJS inline entry (pkg/src/inline.cjs) fills in, from Node's own realm,
// what a realm like Jest's jsdom environment lacks (fetch, Request, Response,
// TextDecoder...), without writing them onto the user's globals. `globalThis`
// is among them: the glue reads `fetch` and `crypto` through it.
const SCOPE = ["globalThis", "Request", "Response", "Headers", "AbortController", "AbortSignal", "TextDecoder", "TextEncoder"];
writeFileSync(
  join(outDir, "crm_engagements_web.cjs"),
  compact(
    "'use strict';\n" +
      snippetCode +
      "function createInstance(module, scope) {\n" +
      `  const { ${SCOPE.join(", ")} } = scope;\n` +
      indent(web + retire) +
      "\n  initSync({ module });\n" +
      `  return { ${webNames.join(", ")}, __retire };\n}\n` +
      "module.exports = { createInstance };\n",
    "// Generated by tools/factory.mjs from wasm-bindgen's web glue. Do not edit.",
    "cjs",
  ),
);

// --- nodejs (CJS) -------------------------------------------------------------
let node = inlineSnippets(readFileSync(nodeIn, "utf8").replace(/^\/\* @ts-self-types=.*\*\/\n/, ""));
const loader = /^const wasmPath = .*\n^const wasmBytes = .*\n^const wasmModule = .*\n/m;
if (!loader.test(node) || !/^exports\.\w+ = /m.test(node)) fail("unexpected nodejs glue");
node = node.replace(loader, "");
writeFileSync(
  join(outDir, "crm_engagements_node.cjs"),
  compact(
  "'use strict';\n" +
    snippetCode +
    // The .wasm beside this file. In a node bundle (esbuild --platform=node,
    // webpack --target=node, Next.js's server build) this file is inside the
    // bundle: then the package as installed where the app runs (Next.js's
    // `next start` runs beside its node_modules; Turbopack even rewrites
    // __dirname), found at run time so no bundler tries to follow it. Else say
    // what to copy, and name the entry that needs no file at all.
    "function wasmPath() {\n" +
    "  const path = require('path');\n" +
    "  const beside = path.resolve(typeof __dirname === 'string' ? __dirname : '.', 'crm_engagements_bg.wasm');\n" +
    "  if (require('fs').existsSync(beside)) return beside;\n" +
    "  try {\n" +
    "    return require('module').createRequire(path.join(process.cwd(), 'noop.js')).resolve('crm-engagements/crm_engagements_bg.wasm');\n" +
    "  } catch {}\n" +
    "  throw new Error('crm-engagements: cannot find ' + beside + ', nor the package from ' + process.cwd() + ': when this package is bundled, copy node_modules/crm-engagements/crm_engagements_bg.wasm next to the bundle, or import \"crm-engagements/inline\" (the .wasm inside)');\n" +
    "}\n" +
    "const wasmModule = new WebAssembly.Module(require('fs').readFileSync(wasmPath()));\n" +
    "function createInstance() {\n" +
    "  const exports = {};\n" +
    indent(node + retire) +
    "\n  exports.__retire = __retire;\n  return exports;\n}\n" +
    "module.exports = { createInstance };\n",
    "// Generated by tools/factory.mjs from wasm-bindgen's nodejs glue. Do not edit.",
    "cjs",
  ),
);

// --- the wrapper (hand-kept source: pkg/src/api.js), as ESM and as CJS ----------
const api = readFileSync(join(outDir, "src", "api.js"), "utf8");
if (!/^export function makeApi\(/m.test(api)) fail("pkg/src/api.js must export makeApi");
const apiBanner = "// Generated by tools/factory.mjs from pkg/src/api.js. Do not edit.";
// The ESM wrapper goes into the web glue's module, after it: the browser and
// workerd entries load one JS file beside the .wasm instead of two (-0.27 KB
// gzip, one request fewer). Its local names are shortened too (-0.18 KB
// gzip); the classes set their own `name`, and method names are properties,
// which minifying keeps.
writeFileSync(join(outDir, "crm_engagements.js"), `${webGlue}${compact(api, undefined, "esm")}`);
writeFileSync(
  join(outDir, "api.cjs"),
  compact(
    "'use strict';\n" +
      api.replace(/^export function makeApi\(/m, "function makeApi(") +
      "module.exports = { makeApi };\n",
    apiBanner,
    "cjs",
  ),
);

// --- the browser entry (hand-kept source: pkg/src/index.js) --------------------
// Minified: a page with no bundler loads it as published, and its comments
// were a third of its gzip size. `new URL("./crm_engagements_bg.wasm",
// import.meta.url)` stays as written, which is what bundlers look for.
const entry = readFileSync(join(outDir, "src", "index.js"), "utf8");
const entryOut = compact(entry, "// Generated by tools/factory.mjs from pkg/src/index.js. Do not edit.", "esm");
if (!entryOut.includes('new URL("./crm_engagements_bg.wasm",import.meta.url)')) fail("the minified entry lost its `new URL(..., import.meta.url)`");
writeFileSync(join(outDir, "index.js"), entryOut);
