// Where the package's entries are, read from its package.json (so the bench follows
// the package when its file layout changes): the Node ESM entry, the browser entry,
// the .wasm, and the JS files each entry loads.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const pick = (v, ...keys) => {
  for (const k of keys) {
    if (v && typeof v === "object" && k in v) v = v[k];
    else return undefined;
  }
  return typeof v === "string" ? v : typeof v?.default === "string" ? v.default : undefined;
};

export function entries(pkgDir) {
  const pj = JSON.parse(fs.readFileSync(path.join(pkgDir, "package.json"), "utf8"));
  const dot = pj.exports?.["."] ?? {};
  const node = pick(dot, "node", "import") ?? pick(dot, "import") ?? pj.module ?? pj.main;
  const browser = pick(dot, "browser") ?? pick(dot, "default") ?? pj.module;
  const wasm = (pj.files ?? fs.readdirSync(pkgDir)).filter((f) => f.endsWith(".wasm"));
  if (!node || !browser) throw new Error(`${pkgDir}/package.json: no Node or browser entry in "exports"`);
  if (wasm.length !== 1) throw new Error(`${pkgDir}: expected one .wasm, found ${wasm.length}`);
  const abs = (f) => path.join(pkgDir, f.replace(/^\.\//, ""));
  for (const f of [node, browser, wasm[0]]) {
    if (!fs.existsSync(abs(f))) throw new Error(`${abs(f)} is missing: run \`make pkg\` first`);
  }
  return { pj, node: abs(node), browser: abs(browser), wasm: abs(wasm[0]), browserRel: browser.replace(/^\.\//, "") };
}

/** Imports the package's Node ESM entry. */
export async function importNode(pkgDir) {
  return import(pathToFileURL(entries(pkgDir).node).href);
}

/** The JS files `entry` loads through relative static imports / requires, itself included. */
export function jsClosure(entry) {
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file) || !fs.existsSync(file)) return;
    seen.add(file);
    const src = fs.readFileSync(file, "utf8");
    // `from "./x"`, `import("./x")`, `require("./x")` and `createRequire(import.meta.url)("./x")`.
    const re = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*|\bcreateRequire\(import\.meta\.url\)\s*\(\s*)["'](\.{1,2}\/[^"']+\.(?:m?js|cjs))["']/g;
    for (const m of src.matchAll(re)) visit(path.resolve(path.dirname(file), m[1]));
  };
  visit(entry);
  return [...seen];
}
