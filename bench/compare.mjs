#!/usr/bin/env node
// Compares two bench result files (bench/run.mjs writes them to bench/results/):
//
//   node bench/compare.mjs <before.json> [after.json]     (after defaults to results/latest.json)
//
// Prints the headline figures of each and after ÷ before. Times are ratios to the
// floor measured in the same run where one exists (fairer across machines and load).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const [a, b = path.join(HERE, "results", "latest.json")] = process.argv.slice(2);
if (!a) {
  console.error("usage: node bench/compare.mjs <before.json> [after.json]");
  process.exit(2);
}
const load = (f) => JSON.parse(fs.readFileSync(f, "utf8"));
const A = load(a);
const B = load(b);
const get = (o, p) => p.split(".").reduce((v, k) => (v == null ? undefined : v[k]), o);
const ratio = (o, num, den) => {
  const n = get(o, num);
  const d = get(o, den);
  return n == null || d == null ? undefined : n / d;
};
const rows = [
  ["listAll Node, ours ÷ floor (time)", (o) => ratio(o, "listAll.node.ours.median", "listAll.node.floor.median"), "x"],
  ["listAll Chromium, ours ÷ floor", (o) => ratio(o, "listAll.chromium.ours.median", "listAll.chromium.floor.median"), "x"],
  ["listAll Node, ours ms", (o) => get(o, "listAll.node.ours.median"), "ms"],
  ["decode, ours ÷ Response.json()", (o) => ratio(o, "decode.oursStub.median", "decode.floorStub.median"), "x"],
  ["decode, ours ms", (o) => get(o, "decode.oursStub.median"), "ms"],
  ["heap iterating, peak MB", (o) => get(o, "memory.iterate.peakHeapGrowth") / 1048576, "MB"],
  ["heap iterating, parsed pages", (o) => ratio(o, "memory.iterate.peakHeapGrowth", "memory.pageHeap"), "p"],
  ["cold, added over plain ms", (o) => get(o, "coldStart.addedOverPlain.median"), "ms"],
  ["machine, floor ÷ issue's 126 ms", (o) => get(o, "machineSlowdown"), "x"],
  ["cold, import ms", (o) => get(o, "coldStart.oursStub.import.median") ?? get(o, "coldStart.ours.import.median"), "ms"],
  ["wasm compile+instantiate ms", (o) => get(o, "coldStart.wasm.total.median"), "ms"],
  ["per request, ours ÷ floor", (o) => ratio(o, "perRequest.ours.median", "perRequest.floor.median"), "x"],
  ["per request CPU, ours µs", (o) => (get(o, "perRequest.oursStub.median") ?? NaN) * 1000, "µs"],
  [".wasm gzip KB", (o) => get(o, "size.wasmGzip") / 1024, "KB"],
  ["wasm + web JS gzip KB", (o) => get(o, "size.wasmPlusGlueGzip") / 1024, "KB"],
  ["Vite consumer gzip KB", (o) => get(o, "size.consumers.ours.totalGzip") / 1024, "KB"],
  ["crossings per listAll item", (o) => get(o, "crossings.listAllPerItem.total"), ""],
  ["crossings per empty list()", (o) => get(o, "crossings.emptyListPerRequest.total"), ""],
];
const f = (v) => (v == null || Number.isNaN(v) ? "-" : v >= 100 ? v.toFixed(0) : v.toFixed(2));
console.log(`before: ${a} (${A.date}, ${A.commit}, wasm ${A.wasmSha256?.slice(0, 12)})`);
console.log(`after:  ${b} (${B.date}, ${B.commit}, wasm ${B.wasmSha256?.slice(0, 12)})\n`);
const w = Math.max(...rows.map((r) => r[0].length));
console.log(`${"".padEnd(w)}  ${"before".padStart(9)}  ${"after".padStart(9)}  after÷before`);
for (const [name, fn, unit] of rows) {
  const va = fn(A);
  const vb = fn(B);
  const r = va && vb ? (vb / va).toFixed(2) : "-";
  const show = (v) => `${f(v)}${unit === "x" && f(v) !== "-" ? "×" : ""}`.padStart(9);
  console.log(`${name.padEnd(w)}  ${show(va)}  ${show(vb)}  ${r}`);
}
console.log("\ntargets");
for (const t of B.targets ?? []) {
  const before = (A.targets ?? []).find((x) => x.name === t.name);
  console.log(`  ${t.pass ? "PASS" : "MISS"}  ${t.name}${before ? `  (before: ${before.pass ? "PASS" : "MISS"})` : ""}`);
}
