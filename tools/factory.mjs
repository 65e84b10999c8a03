// Turns wasm-bindgen's two glues into instance factories, so the package's
// entry (makeApi, from pkg/src/api.js) can start a fresh instance after a trap:
//   web glue (ESM)   -> pkg/crm_engagements.js:      export function createInstance(module),
//                                                    and makeApi after it
//   pkg/src/api.js   -> pkg/api.cjs (CJS):           exports.makeApi
//   nodejs glue (CJS)-> pkg/crm_engagements_node.cjs: exports.createInstance()
// Each call of createInstance builds the glue's state anew around a new
// WebAssembly.Instance of the one compiled module.
//
//   node tools/factory.mjs <web glue> <nodejs glue> <out dir> [<names map>]
//
// <names map>: what `wasm-opt --minify-imports-and-exports-and-modules` printed
// when it made <out dir>/crm_engagements_bg.wasm; the glues' references to the
// wasm's imports and exports are renamed to match (see `minifyNames`).
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

const [webIn, nodeIn, outDir, namesIn] = process.argv.slice(2);
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

// --- import and export names -------------------------------------------------------
// wasm-bindgen names every import `__wbg_<name>_<16 hex digits>` under the module
// "./crm_engagements_bg.js", and some exports after a whole mangled Rust path
// (300+ characters). The names sit in both the .wasm and the glue, and their hashes
// do not compress: shortened to one or two letters by wasm-opt, they save about
// 2 KB gzip. Here the glue follows: `wasm.<export>` and the import object's keys
// are renamed from wasm-opt's map, and its modules become the one module the
// minified .wasm imports from. Anything not found in the map fails the build.
let minifyNames = (glue) => glue;
let memoryExport = "memory";
if (namesIn) {
  const names = JSON.parse(readFileSync(namesIn, "utf8"));
  const exportsMap = new Map(names.exports);
  const importsMap = new Map(); // module -> (old name -> new name)
  for (const [module, name, renamed] of names.imports) {
    if (!importsMap.has(module)) importsMap.set(module, new Map());
    importsMap.get(module).set(name, renamed);
  }
  const wasmBytes = readFileSync(join(outDir, "crm_engagements_bg.wasm"));
  const modules = [...new Set(WebAssembly.Module.imports(new WebAssembly.Module(wasmBytes)).map((i) => i.module))];
  if (modules.length !== 1) fail(`the minified .wasm imports from ${modules.length} modules, not 1`);
  const BG = "./crm_engagements_bg.js";
  minifyNames = (glue) => {
    let out = glue.replace(/\bwasm\.(\w+)/g, (_, name) => {
      const renamed = exportsMap.get(name);
      if (!renamed) fail(`export \`${name}\` is not in ${namesIn}`);
      return `wasm.${renamed}`;
    });
    // The import object's own functions; one that wasm-opt dropped keeps its name.
    const bg = importsMap.get(BG) ?? new Map();
    out = out.replace(/^(\s+)(\w+): function\(/gm, (whole, space, name) =>
      bg.has(name) ? `${space}${bg.get(name)}: function(` : whole,
    );
    // The returned modules: one, holding the glue's functions and the snippets'.
    const ret = /return \{\s*__proto__: null,\s*((?:"[^"]+": \w+,\s*)+)\};/;
    const m = out.match(ret);
    if (!m) fail("no import object returned by __wbg_get_imports");
    let merged = "import0";
    const extra = [];
    for (const [, module, variable] of m[1].matchAll(/"([^"]+)": (\w+),/g)) {
      if (module === BG) {
        if (variable !== "import0") fail(`${BG} is not import0`);
        continue;
      }
      for (const [name, renamed] of importsMap.get(module) ?? []) extra.push(`${renamed}: ${variable}.${name}`);
    }
    if (extra.length) merged = `Object.assign(import0, { ${extra.join(", ")} })`;
    out = out.replace(ret, `return { ${JSON.stringify(modules[0])}: ${merged} };`);
    return out;
  };
  memoryExport = exportsMap.get("memory") ?? fail("no `memory` export in the names map");
}
// `__retire` keeps the memory export under its (possibly minified) name.
const retire = RETIRE.replace('"memory"', JSON.stringify(memoryExport));

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
// initSync's support for its old calling convention (a bare module, with a
// console warning): createInstance calls it with the module, so its
// argument is used as the module it is (-0.09 KB gzip).
const legacyArg =
  /\n {4}if \(module !== undefined\) \{\n {8}if \(Object\.getPrototypeOf\(module\) === Object\.prototype\) \{\n {12}\(\{module\} = module\)\n {8}\} else \{\n {12}console\.warn\([^\n]*\n {8}\}\n {4}\}\n/;
if (!legacyArg.test(web)) fail("initSync's argument handling is not the expected one");
web = web.replace(legacyArg, "\n");
const webGlue = compact(
  snippetCode +
    "export function createInstance(module) {\n" +
    indent(minifyNames(web + retire)) +
    "\n  initSync(module);\n" +
    `  return { ${webNames.join(", ")}, __retire };\n}\n`,
  "// Generated by tools/factory.mjs from wasm-bindgen's web glue and pkg/src/api.js. Do not edit.",
  "esm",
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
    "const wasmModule = new WebAssembly.Module(\n" +
    "  require('fs').readFileSync(require('path').join(__dirname, 'crm_engagements_bg.wasm')),\n" +
    ");\n" +
    "function createInstance() {\n" +
    "  const exports = {};\n" +
    indent(minifyNames(node + retire)) +
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
