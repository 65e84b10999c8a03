// The bench API server: a keep-alive node:http server on 127.0.0.1 that answers
// Truto list requests from PRECOMPUTED Buffers (per request it only finds the
// buffer and writes it), plus the static files the Chromium page needs.
//
// Run as a child process by bench/run.mjs: `node bench/lib/server.mjs <pkgDir>`.
// Prints one line `{"port":N,...}` when ready; exits when its stdin closes.
//
// Routes (the client's baseUrl is `${origin}/d/<dataset>`):
//   /d/p20k/unified/crm/engagements    40 pages x 500 (20,000), chained by next_cursor
//   /d/p100k/unified/crm/engagements   200 pages x 500 (100,000), for the memory bench
//   /d/empty/unified/crm/engagements   `{"result":[],"next_cursor":null,...}` at once
//   /stats                             requests answered per dataset (JSON); ?reset zeroes
//   /                                  the Chromium bench page; /bench/*.mjs; /pkg/*
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PAGE_SIZE, buildPages, pageItemsJson, DATASET_VERSION } from "./data.mjs";
import { entries } from "./pkg.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PKG = path.resolve(process.argv[2] || path.join(HERE, "../../pkg"));
const ENDPOINT = "/unified/crm/engagements";

const t0 = performance.now();
const itemPages = [];
for (let p = 0; p < 200; p += 1) itemPages.push(pageItemsJson(p));
const datasets = {
  p20k: buildPages(itemPages.slice(0, 40)),
  p100k: buildPages(itemPages),
  empty: [Buffer.from('{"result":[],"next_cursor":null,"result_count":0}')],
};
itemPages.length = 0;
const counts = Object.fromEntries(Object.keys(datasets).map((k) => [k, 0]));

// Per buffer, the full header list, built once.
const jsonHeaders = new Map();
for (const pages of Object.values(datasets)) {
  for (const buf of pages) {
    jsonHeaders.set(buf, ["content-type", "application/json", "content-length", String(buf.length)]);
  }
}

const TYPES = { ".js": "text/javascript", ".mjs": "text/javascript", ".html": "text/html; charset=utf-8",
  ".wasm": "application/wasm", ".json": "application/json", ".ts": "text/plain", ".cjs": "text/javascript" };
const statics = new Map();
function addStatic(urlPath, file) {
  const body = fs.readFileSync(file);
  statics.set(urlPath, [body, ["content-type", TYPES[path.extname(file)] || "application/octet-stream",
    "content-length", String(body.length), "cache-control", "no-store"]]);
}
addStatic("/", path.join(HERE, "browser.html"));
for (const f of ["browser.mjs", "floor.mjs"]) addStatic(`/bench/${f}`, path.join(HERE, f));
// /bench/entry.mjs: the package's browser entry (from its package.json), re-exported.
const entryBody = Buffer.from(`export * from "/pkg/${entries(PKG).browserRel}";\n`);
statics.set("/bench/entry.mjs", [entryBody, ["content-type", "text/javascript", "content-length", String(entryBody.length), "cache-control", "no-store"]]);
for (const f of fs.readdirSync(PKG)) {
  if (fs.statSync(path.join(PKG, f)).isFile()) addStatic(`/pkg/${f}`, path.join(PKG, f));
}

function fail(res, status, message) {
  const body = Buffer.from(JSON.stringify({ statusCode: status, error: "bench", message }));
  res.writeHead(status, ["content-type", "application/json", "content-length", String(body.length)]);
  res.end(body);
}

const server = http.createServer((req, res) => {
  const url = req.url;
  if (url.startsWith("/d/")) {
    const slash = url.indexOf("/", 3);
    const pages = datasets[url.slice(3, slash)];
    const q = url.indexOf("?");
    if (!pages || url.slice(slash, q < 0 ? undefined : q) !== ENDPOINT) return fail(res, 404, "no such route");
    const c = url.indexOf("next_cursor=c", q);
    const p = c < 0 ? 0 : parseInt(url.slice(c + 13), 10);
    const buf = pages[p];
    if (!buf) return fail(res, 400, "bad cursor");
    counts[url.slice(3, slash)] += 1;
    res.writeHead(200, jsonHeaders.get(buf));
    res.end(buf);
    return;
  }
  if (url.startsWith("/stats")) {
    const body = Buffer.from(JSON.stringify(counts));
    if (url.includes("reset")) for (const k of Object.keys(counts)) counts[k] = 0;
    res.writeHead(200, ["content-type", "application/json", "content-length", String(body.length)]);
    res.end(body);
    return;
  }
  const s = statics.get(url.split("?")[0]);
  if (!s) return fail(res, 404, "not found");
  res.writeHead(200, s[1]);
  res.end(s[0]);
});
server.keepAliveTimeout = 120_000;
server.headersTimeout = 130_000;
server.requestTimeout = 0;
server.listen(0, "127.0.0.1", () => {
  const pageBytes = datasets.p20k.map((b) => b.length);
  process.stdout.write(`${JSON.stringify({
    port: server.address().port,
    datasetVersion: DATASET_VERSION,
    pageSize: PAGE_SIZE,
    pageBytesMedian: pageBytes.sort((a, b) => a - b)[pageBytes.length >> 1],
    p20kBytes: datasets.p20k.reduce((s, b) => s + b.length, 0),
    p100kPageBytesMean: Math.round(datasets.p100k.reduce((s, b) => s + b.length, 0) / datasets.p100k.length),
    buildMs: Math.round(performance.now() - t0),
  })}\n`);
});
process.stdin.resume();
process.stdin.on("end", () => process.exit(0));
process.stdin.on("error", () => process.exit(0));
