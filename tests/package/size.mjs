#!/usr/bin/env node
// Size report and budget of the npm package (make size, after make pkg).
//
// Prints pkg/crm_engagements_bg.wasm raw and gzip -9, each glue's gzip -9, and the
// total a browser downloads (wasm + web glue, gzip -9). Fails (exit 1) when that
// total exceeds `maxGzipBytes` in ./size-budget.json, the one place the budget lives.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PKG = path.resolve(process.env.PACKAGE_TEST_PKG || path.join(HERE, "../../pkg"));
const BUDGET_FILE = path.join(HERE, "size-budget.json");

const gzip = (buf) => zlib.gzipSync(buf, { level: 9 }).length;
const fmt = (n) => `${String(n).padStart(8)} B  (${(n / 1024).toFixed(1).padStart(6)} KB)`;

function read(name) {
  const file = path.join(PKG, name);
  if (!fs.existsSync(file)) {
    console.error(`size: ${file} is missing: run \`make pkg\` first`);
    process.exit(1);
  }
  return fs.readFileSync(file);
}

const budget = JSON.parse(fs.readFileSync(BUDGET_FILE, "utf8"));
if (!Number.isInteger(budget.maxGzipBytes) || budget.maxGzipBytes <= 0) {
  console.error(`size: ${BUDGET_FILE} needs a positive integer "maxGzipBytes"`);
  process.exit(1);
}

const wasm = read("crm_engagements_bg.wasm");
const web = read("crm_engagements.js");
const node = read("crm_engagements_node.cjs");
// The JS a browser loads besides the glue (which holds the API wrapper too): the entry.
const entryJs = read("index.js");
const wasmGz = gzip(wasm);
const webGz = gzip(web);
const nodeGz = gzip(node);
const entryGz = gzip(entryJs);
const total = wasmGz + webGz + entryGz;

console.log("== size (gzip -9)");
console.log(`crm_engagements_bg.wasm raw        ${fmt(wasm.length)}`);
console.log(`crm_engagements_bg.wasm gzip       ${fmt(wasmGz)}`);
console.log(`crm_engagements.js (glue + api) gzip ${fmt(webGz)}`);
console.log(`crm_engagements_node.cjs gzip      ${fmt(nodeGz)}`);
console.log(`index.js gzip                      ${fmt(entryGz)}  (${entryJs.length} B raw)`);
console.log(`browser total (wasm + glue + entry) gzip ${fmt(total)}`);
console.log(`budget (size-budget.json)          ${fmt(budget.maxGzipBytes)}${budget.reason ? `  -- ${budget.reason}` : ""}`);

if (total > budget.maxGzipBytes) {
  console.log(`size: FAIL: the browser total is ${total} B gzip, ${total - budget.maxGzipBytes} B over the budget of ${budget.maxGzipBytes} B`);
  process.exit(1);
}
console.log(`size: ok, ${budget.maxGzipBytes - total} B under budget`);
