// JS <-> wasm boundary crossings, counted (deterministic, unlike timings): the Node
// package is imported (its Node ESM entry) with WebAssembly.Instance wrapped so that every
// import (wasm -> JS) and export (JS -> wasm) call is counted. Runs listAll over 2 pages of 500 and
// list() of an empty page through a stub `fetch` (no socket). Prints one JSON line.
//
//   node bench/lib/crossings.mjs <pkgDir>
import { ACCOUNT, TOKEN, UNPACED } from "./floor.mjs";
import { buildPages, pageItemsJson } from "./data.mjs";
import { importNode } from "./pkg.mjs";
import { existsSync, readFileSync } from "node:fs";

const [pkgDir] = process.argv.slice(2);
const counts = new Map();
let counting = false;
const bump = (k) => {
  if (counting) counts.set(k, (counts.get(k) ?? 0) + 1);
};
// The package's .wasm has one- or two-letter import and export names (wasm-opt's
// --minify-imports-and-exports-and-modules); the map `make pkg` kept in
// target/glue/names.json gives the originals back when it is there.
// `__wbg_parse_237e8f0932e948e2` -> `parse`.
const NAMES = new URL("../../target/glue/names.json", import.meta.url);
const original = { imports: new Map(), exports: new Map() };
if (existsSync(NAMES)) {
  const names = JSON.parse(readFileSync(NAMES, "utf8"));
  for (const [, name, renamed] of names.imports) original.imports.set(renamed, name);
  for (const [name, renamed] of names.exports) original.exports.set(renamed, name);
}
const short = (name) => (name.startsWith("__wbg_") ? name.slice(6).replace(/_[0-9a-f]{16}$/, "") : name);

// Wrap every instance the package creates, however its entry creates it (sync
// `new WebAssembly.Instance` or async `WebAssembly.instantiate`).
function wrapImports(imports) {
  const wrapped = {};
  for (const [mod, obj] of Object.entries(imports ?? {})) {
    wrapped[mod] = {};
    for (const [name, f] of Object.entries(obj)) {
      const key = `import ${short(original.imports.get(name) ?? name)}`;
      wrapped[mod][name] = typeof f === "function" ? function (...args) { bump(key); return f.apply(this, args); } : f;
    }
  }
  return wrapped;
}
function wrapExports(real) {
  const exports = {};
  for (const [name, f] of Object.entries(real.exports)) {
    const key = `export ${original.exports.get(name) ?? name}`;
    exports[name] = typeof f === "function" ? (...args) => { bump(key); return f(...args); } : f;
  }
  return { exports };
}
const Instance = WebAssembly.Instance;
const instantiate = WebAssembly.instantiate;
WebAssembly.Instance = function CountingInstance(module, imports) {
  return wrapExports(new Instance(module, wrapImports(imports)));
};
WebAssembly.instantiate = async (source, imports) => {
  const r = await instantiate(source, wrapImports(imports));
  return r instanceof Instance ? wrapExports(r) : { module: r.module, instance: wrapExports(r.instance) };
};
const { TrutoClient } = await importNode(pkgDir);

const pages = buildPages([pageItemsJson(0), pageItemsJson(1)]);
const emptyPage = Buffer.from('{"result":[],"next_cursor":null,"result_count":0}');
const respond = (buf) => new Response(buf, { status: 200, headers: { "content-type": "application/json" } });
// The client hands `fetch` one built Request (older builds: a URL string).
const href = (input) => (typeof input === "string" ? input : input.url);
const stub = async (input) => respond(pages[href(input).includes("next_cursor=c1") ? 1 : 0]);
const truto = new TrutoClient({ token: TOKEN, integratedAccountId: ACCOUNT, rateLimit: UNPACED, baseUrl: "http://127.0.0.1:9", fetch: stub });
const empty = new TrutoClient({ token: TOKEN, integratedAccountId: ACCOUNT, rateLimit: UNPACED, baseUrl: "http://127.0.0.1:9", fetch: async () => respond(emptyPage) });

async function measure(fn, per) {
  await fn(); // warm (lazy statics)
  counts.clear();
  counting = true;
  await fn();
  counting = false;
  const byName = [...counts.entries()].sort((a, b) => b[1] - a[1]);
  const total = byName.reduce((s, [, n]) => s + n, 0);
  const imports = byName.filter(([k]) => k.startsWith("import")).reduce((s, [, n]) => s + n, 0);
  return { per, total: total / per, imports: imports / per, exports: (total - imports) / per,
    top: byName.slice(0, 12).map(([k, n]) => [k, +(n / per).toFixed(3)]) };
}

const listAll = await measure(async () => {
  let n = 0;
  for await (const _ of truto.listAll({ limit: 500 })) n += 1;
  if (n !== 1000) throw new Error(`crossings: got ${n} engagements, want 1000`);
}, 1000);
const perRequest = await measure(async () => {
  const page = await empty.list();
  if (!Array.isArray(page.result)) throw new Error("crossings: bad empty page");
}, 1);
const listPage = await measure(async () => {
  const page = await truto.list({ limit: 500 });
  if (page.result.length !== 500) throw new Error("crossings: bad page");
}, 1);
process.stdout.write(`${JSON.stringify({ listAllPerItem: listAll, emptyListPerRequest: perRequest, fullPagePerRequest: listPage })}\n`);
