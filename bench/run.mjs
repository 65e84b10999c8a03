#!/usr/bin/env node
// crm-engagements benchmarks (`make bench`, after `make pkg`): measures whatever
// pkg/ holds when it starts (a copy, so a rebuild mid-run cannot mix two builds)
// against hand-written baselines measured in the same run,
// prints one table, checks the targets of issue 6, and writes the figures as JSON
// (bench/results/latest.json and a timestamped copy) for comparison across commits.
//
//   node bench/run.mjs [--quick] [--no-browser] [--no-size]
//
//   --quick       3 runs after 1 warm-up (a smoke run; the figures are noisier);
//                 the full run: 9 runs after 2 warm-ups (per-request: 5 x 2,000 requests)
//   BENCH_PKG=dir measure another package folder instead of pkg/
//
// A missed target prints MISS and still exits 0 (benchmarks report, tests assert).
// Anything that breaks the measurement itself (missing pkg/, a wrong item count, a
// crashed child process, a page error) exits 1.
//
// Layout: lib/server.mjs (the keep-alive API server, its own process, answering from
// precomputed Buffers), lib/node-timing.mjs (listAll, decode, per-request; own process),
// lib/memory.mjs (heap growth; own process, --expose-gc), lib/cold.mjs (one cold start
// per process), lib/browser.mjs (the Chromium page), lib/crossings.mjs (JS<->wasm calls,
// counted), consumers/ (bundle-size apps). Also: compare.mjs (two result files side by
// side), profile.mjs (where our time goes, by category). See README.md.
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";
import { entries, jsClosure } from "./lib/pkg.mjs";
import { interleave, pairedRatio, summary } from "./lib/stats.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "..");
const PKG = path.resolve(process.env.BENCH_PKG || path.join(ROOT, "pkg"));
const RESULTS = path.join(HERE, "results");
const CACHE = path.join(ROOT, "node_modules", ".cache", "bench");
const QUICK = process.argv.includes("--quick");
const RUNS = QUICK ? 3 : 9;
const WARMUP = QUICK ? 1 : 2;
// listAll's rounds: its ratios are a few percent apart and, on 2 noisy cores,
// 9 rounds left them ±5% from run to run; 21 paired rounds hold them to ±2-3%.
const LISTALL_RUNS = QUICK ? 3 : 21;
const COLD_SPAWNS = QUICK ? 5 : 11;
const DEVREV_SDK = "@devrev/typescript-sdk@1.1.71"; // pinned: comparable across commits
const CHROMIUM = "/usr/bin/chromium";
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--no-first-run", "--disable-sync"];
const TARGETS = {
  listAllThroughput: 0.95, // x floor, Node and Chromium
  decode: 1.10, // x the floor's bytes -> objects
  heapPages: 2, // pages alive while iterating
  // wasm + web glue, gzip -9: the one budget `make test` enforces (issue 19 re-set it to 50 KB)
  gzipBytes: JSON.parse(fs.readFileSync(path.join(ROOT, "tests/package/size-budget.json"), "utf8")).maxGzipBytes,
  coldStartMs: 15, // import + first call, over a plain fetch client
};
// The floor loop's time in the issue's own measurement (Node 20, same data shape): this
// run's floor over it says how much slower this machine is, so absolute figures (cold
// start above all) can be read across machines. Information only; no target uses it.
const REFERENCE_FLOOR_MS = 126;

const started = performance.now();
const children = new Set();
const cleanups = [];
let tmp;

const say = (s = "") => process.stdout.write(`${s}\n`);
const step = (s) => process.stderr.write(`bench: ${s} (${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
const gzip = (buf) => zlib.gzipSync(buf, { level: 9 }).length;
const sha = (buf) => crypto.createHash("sha256").update(buf).digest("hex");
/** One hash over every file of the package folder: changes when anyone rebuilds it. */
const dirHash = (dir) => sha(Buffer.concat(fs.readdirSync(dir).sort()
  .filter((f) => fs.statSync(path.join(dir, f)).isFile())
  .flatMap((f) => [Buffer.from(`${f}\0`), fs.readFileSync(path.join(dir, f))])));
let SNAP; // the copy of PKG every measurement uses (see snapshot())

// ---------------------------------------------------------------------------
// Processes
// ---------------------------------------------------------------------------

/** Runs `node args...` to completion; resolves its stdout's last JSON line. Throws on a non-zero exit. */
function runNode(args, { timeoutMs = 120_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    children.add(child);
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      children.delete(child);
      if (code !== 0) {
        reject(new Error(`node ${args.join(" ")} exited ${code ?? signal}\n${err.trim().split("\n").slice(-25).join("\n")}`));
        return;
      }
      try {
        resolve(JSON.parse(out.trim().split("\n").pop()));
      } catch {
        reject(new Error(`node ${args.join(" ")} printed no JSON:\n${out}\n${err}`));
      }
    });
  });
}

/** Wall time of one process, spawn to exit (ms), and its JSON line if it printed one. */
function wall(args) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    children.add(child);
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("error", reject);
    child.on("close", (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      children.delete(child);
      if (code !== 0) return reject(new Error(`node ${args.join(" ")} exited ${code}\n${err}`));
      const line = out.trim().split("\n").pop();
      resolve({ ms, ...(line ? JSON.parse(line) : {}) });
    });
  });
}

function startServer() {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(HERE, "lib", "server.mjs"), SNAP], {
      cwd: ROOT, stdio: ["pipe", "pipe", "pipe"],
    });
    children.add(child);
    cleanups.push(() => { child.stdin.end(); child.kill(); });
    let out = "";
    let err = "";
    const timer = setTimeout(() => reject(new Error(`bench server not ready in 60 s\n${err}`)), 60_000);
    child.stderr.on("data", (d) => (err += d));
    child.on("exit", (code) => {
      children.delete(child);
      if (code) reject(new Error(`bench server exited ${code}\n${err}`));
    });
    child.stdout.on("data", (d) => {
      out += d;
      if (!out.includes("\n")) return;
      clearTimeout(timer);
      const info = JSON.parse(out.split("\n")[0]);
      resolve({ ...info, origin: `http://127.0.0.1:${info.port}` });
    });
  });
}

function cleanup() {
  for (const fn of cleanups.splice(0).reverse()) {
    try { fn(); } catch { /* best effort */ }
  }
  for (const child of children) child.kill("SIGKILL");
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
}
for (const sig of ["SIGINT", "SIGTERM"]) {
  process.on(sig, () => {
    cleanup();
    process.exit(130);
  });
}

// ---------------------------------------------------------------------------
// The measurements
// ---------------------------------------------------------------------------

/**
 * Copies PKG to a private folder that every measurement then uses: other people
 * rebuild pkg/ while the bench runs, and a run must not mix two builds or read a
 * half-written .wasm. The copy is taken again until PKG is the same before and
 * after copying and its .wasm validates.
 */
async function snapshot() {
  if (!fs.existsSync(path.join(PKG, "package.json"))) throw new Error(`${PKG}/package.json is missing: run \`make pkg\``);
  const dir = path.join(tmp, "pkg");
  for (let attempt = 1; ; attempt += 1) {
    const before = dirHash(PKG);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.cpSync(PKG, dir, { recursive: true });
    const stable = dirHash(dir) === before && dirHash(PKG) === before;
    let pkg;
    try {
      pkg = entries(dir); // throws when an entry or the .wasm is missing
    } catch (err) {
      if (stable) throw err; // not being rebuilt: broken
    }
    if (stable && pkg && WebAssembly.validate(fs.readFileSync(pkg.wasm))) return { dir, hash: before, pkg };
    if (stable && pkg) throw new Error(`${pkg.wasm} is not valid WebAssembly`);
    if (attempt === 10) throw new Error(`${PKG} kept changing (being rebuilt?) for 20 s; run again after the build`);
    step(`${PKG} is changing (being rebuilt?); waiting`);
    await new Promise((r) => setTimeout(r, 2000));
  }
}

async function chromiumListAll(origin) {
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  cleanups.push(() => browser.close().catch(() => {}));
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => window.benchReady === true || null, null, { timeout: 30_000 }).catch(() => {
      throw new Error(`Chromium bench page did not load: ${errors.join("; ") || "no page error"}`);
    });
    const run = (name) => async () => {
      const r = await page.evaluate((n) => window.bench[n](), name);
      if (r.n !== 20_000) throw new Error(`Chromium ${name}: got ${r.n} engagements, want 20000`);
      return r.ms;
    };
    const res = await interleave({ floor: run("floor"), ours: run("ours"), floorAsyncGen: run("floorAsyncGen"), floorText: run("floorText"), wired: run("wired") },
      { warmup: WARMUP, runs: LISTALL_RUNS });
    if (errors.length) throw new Error(`Chromium page errors: ${errors.join("; ")}`);
    return { version: browser.version(), items: 20_000, ...res };
  } finally {
    await browser.close();
  }
}

async function coldStart(origin) {
  const cold = path.join(HERE, "lib", "cold.mjs");
  const modes = {
    noop: ["-e", ""],
    plain: [cold, "plain", origin, SNAP],
    ours: [cold, "ours", origin, SNAP],
    plainStub: [cold, "plain", origin, SNAP, "stub"],
    oursStub: [cold, "ours", origin, SNAP, "stub"],
    guardedStub: [cold, "guarded", origin, SNAP, "stub"],
    instantiate: [cold, "instantiate", origin, SNAP],
  };
  const raw = Object.fromEntries(Object.keys(modes).map((m) => [m, []]));
  for (let i = 0; i < COLD_SPAWNS + 1; i += 1) {
    for (const [m, args] of Object.entries(modes)) {
      const r = await wall(args);
      if (i > 0) raw[m].push(r); // the first round warms the OS file cache
    }
  }
  const pick = (m, k) => summary(raw[m].map((r) => r[k]));
  return {
    spawns: COLD_SPAWNS,
    wall: { noop: pick("noop", "ms"), plain: pick("plain", "ms"), ours: pick("ours", "ms"), instantiate: pick("instantiate", "ms") },
    ours: { import: pick("ours", "import"), ctor: pick("ours", "ctor"), firstCall: pick("ours", "firstCall"), total: pick("ours", "total") },
    plain: { import: pick("plain", "import"), ctor: pick("plain", "ctor"), firstCall: pick("plain", "firstCall"), total: pick("plain", "total") },
    // Node's fetch loaded before the clock, first call answered by a stub: the package's own cost.
    oursStub: { import: pick("oursStub", "import"), ctor: pick("oursStub", "ctor"), firstCall: pick("oursStub", "firstCall"), total: pick("oursStub", "total") },
    plainStub: { import: pick("plainStub", "import"), ctor: pick("plainStub", "ctor"), firstCall: pick("plainStub", "firstCall"), total: pick("plainStub", "total") },
    // The plain client with our guarantees in plain JS (lib/plain-client.mjs's GuardedClient).
    guardedStub: { import: pick("guardedStub", "import"), ctor: pick("guardedStub", "ctor"), firstCall: pick("guardedStub", "firstCall"), total: pick("guardedStub", "total") },
    wasm: { compile: pick("instantiate", "compile"), instantiate: pick("instantiate", "instantiate"), total: pick("instantiate", "total") },
    // Per spawn round the difference, then its median (pairs share the machine's state).
    addedOverPlain: summary(raw.oursStub.map((r, i) => r.total - raw.plainStub[i].total)),
    addedOverGuarded: summary(raw.oursStub.map((r, i) => r.total - raw.guardedStub[i].total)),
    addedOverPlainCold: summary(raw.ours.map((r, i) => r.total - raw.plain[i].total)),
  };
}

function runCmd(cmd, args, opts) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], ...opts });
    children.add(child);
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("error", (e) => resolve({ code: -1, out: String(e) }));
    child.on("close", (code) => {
      children.delete(child);
      resolve({ code, out });
    });
  });
}

/** Installs the pinned DevRev SDK once into the bench cache (never into the project). */
async function devrevDir() {
  const dir = path.join(CACHE, "devrev");
  const [name, version] = [DEVREV_SDK.slice(0, DEVREV_SDK.lastIndexOf("@")), DEVREV_SDK.slice(DEVREV_SDK.lastIndexOf("@") + 1)];
  const pjFile = path.join(dir, "node_modules", name, "package.json");
  if (fs.existsSync(pjFile) && JSON.parse(fs.readFileSync(pjFile, "utf8")).version === version) return { dir };
  step(`installing ${DEVREV_SDK} into ${path.relative(ROOT, dir)}`);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "package.json"), '{ "private": true }\n');
  const r = await runCmd("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", "--no-save",
    "--cache", path.join(CACHE, "npm-cache"), DEVREV_SDK], { cwd: dir });
  if (r.code !== 0 || !fs.existsSync(pjFile)) return { error: `npm install ${DEVREV_SDK} failed: ${r.out.trim().split("\n").slice(-3).join(" ")}` };
  return { dir };
}

async function esbuildSize(entry, nodePaths) {
  const esbuild = await import("esbuild");
  const r = await esbuild.build({
    entryPoints: [entry], bundle: true, minify: true, format: "esm", platform: "browser", target: "es2022",
    write: false, nodePaths, logLevel: "silent",
  });
  const js = r.outputFiles[0].contents;
  return { bundler: `esbuild ${esbuild.version}`, js: js.length, jsGzip: gzip(js), totalGzip: gzip(js) };
}

async function viteSize({ pj }) {
  const proj = path.join(tmp, "vite-consumer");
  const dep = path.join(proj, "node_modules", "crm-engagements");
  fs.mkdirSync(dep, { recursive: true });
  for (const f of [...pj.files, "package.json"]) {
    if (fs.existsSync(path.join(SNAP, f))) fs.copyFileSync(path.join(SNAP, f), path.join(dep, f));
  }
  fs.writeFileSync(path.join(proj, "index.html"), '<!doctype html><pre id="out"></pre><script type="module" src="/main.js"></script>\n');
  fs.copyFileSync(path.join(HERE, "consumers", "ours.js"), path.join(proj, "main.js"));
  const vite = await import("vite");
  await vite.build({
    root: proj, configFile: false, logLevel: "error", mode: "production",
    build: { outDir: path.join(proj, "dist"), emptyOutDir: true, reportCompressedSize: false },
  });
  const assets = path.join(proj, "dist", "assets");
  let js = 0; let jsGzip = 0; let wasm = 0; let wasmGzip = 0;
  for (const f of fs.readdirSync(assets)) {
    const buf = fs.readFileSync(path.join(assets, f));
    if (f.endsWith(".js")) { js += buf.length; jsGzip += gzip(buf); }
    if (f.endsWith(".wasm")) { wasm += buf.length; wasmGzip += gzip(buf); }
  }
  if (!wasm) throw new Error("the Vite consumer build emitted no .wasm");
  return { bundler: `vite ${vite.version}`, js, jsGzip, wasm, wasmGzip, totalGzip: jsGzip + wasmGzip };
}

/** The JS a runtime loads from `entry` (relative imports followed), each file gzipped alone. */
function glue(entry) {
  const files = jsClosure(entry).map((f) => {
    const buf = fs.readFileSync(f);
    return { file: path.relative(SNAP, f), bytes: buf.length, gzip: gzip(buf) };
  });
  return { files, bytes: files.reduce((a, f) => a + f.bytes, 0), gzip: files.reduce((a, f) => a + f.gzip, 0) };
}

async function sizes(pkg) {
  const wasm = fs.readFileSync(pkg.wasm);
  const web = glue(pkg.browser);
  const node = glue(pkg.node);
  const out = {
    wasm: wasm.length, wasmGzip: gzip(wasm),
    webGlue: web.bytes, webGlueGzip: web.gzip, webGlueFiles: web.files,
    nodeGlue: node.bytes, nodeGlueGzip: node.gzip, nodeGlueFiles: node.files,
  };
  out.wasmPlusGlueGzip = out.wasmGzip + out.webGlueGzip;
  // The inline entry (crm-engagements/inline): the .wasm inside the JS, base64.
  const inlineEntry = path.join(path.dirname(pkg.wasm), "inline.js");
  out.inline = fs.existsSync(inlineEntry) ? glue(inlineEntry) : null;
  // Its CommonJS form (`require` under the `browser` condition: Jest's jsdom, CJS in bundles).
  const inlineCjs = path.join(path.dirname(pkg.wasm), "inline.cjs");
  out.inlineCjs = fs.existsSync(inlineCjs) ? glue(inlineCjs) : null;
  out.consumers = {};
  out.consumers.ours = await viteSize(pkg);
  out.consumers.floor = await esbuildSize(path.join(HERE, "consumers", "floor.js"), []);
  const dr = await devrevDir();
  out.consumers.devrev = dr.error
    ? { error: dr.error }
    : await esbuildSize(path.join(HERE, "consumers", "devrev.js"), [path.join(dr.dir, "node_modules")])
      .catch((e) => ({ error: String(e.message || e).split("\n")[0] }));
  out.consumers.devrev.package = DEVREV_SDK;
  return out;
}

// ---------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------

const ms = (x) => (x == null ? "-" : x >= 100 ? `${x.toFixed(0)} ms` : x >= 10 ? `${x.toFixed(1)} ms` : `${x.toFixed(2)} ms`);
const sgn = (v) => (v < 0 ? `−${ms(-v)}` : `+${ms(v)}`);
const us = (x) => (x == null ? "-" : `${(x * 1000).toFixed(0)} µs`);
const kb = (b) => (b == null ? "-" : b >= 10_240 ? `${(b / 1024).toFixed(1)} KB` : `${b} B`);
const mb = (b) => (b == null ? "-" : `${(b / 1048576).toFixed(2)} MB`);
const x = (r) => (r == null || !Number.isFinite(r) ? "-"
  : r > 0 && r < 0.01 ? `1/${(1 / r).toFixed(0)}` : `${r >= 100 ? r.toFixed(0) : r.toFixed(2)}×`);

function table(rows) {
  const cols = ["", "measure", "ours", "baseline", "ratio", "baseline is"];
  const cells = rows.map((r) => (typeof r === "string" ? r : r.map((c) => String(c ?? ""))));
  const widths = cols.map((c, i) => Math.max(c.length, ...cells.filter(Array.isArray).map((r) => (r[i] ?? "").length)));
  const line = (r) => r.map((c, i) => (i >= 2 && i <= 4 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join("  ").trimEnd();
  say(line(cols));
  say(widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of cells) say(typeof r === "string" ? r : line(r));
}

// ---------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------

async function main() {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "crm-bench-"));
  const snap = await snapshot();
  SNAP = snap.dir;
  const { pkg } = snap;
  const load0 = os.loadavg()[0];

  step("building the precomputed pages and starting the server");
  const server = await startServer();
  const origin = server.origin;

  step(`Node: listAll, decode, per-request (${RUNS} runs after ${WARMUP} warm-ups)`);
  const node = await runNode(["--expose-gc", path.join(HERE, "lib", "node-timing.mjs"), origin, SNAP, String(RUNS), String(WARMUP), String(LISTALL_RUNS)], { timeoutMs: 240_000 });

  let chrome = null;
  if (!process.argv.includes("--no-browser")) {
    step("Chromium: listAll");
    chrome = await chromiumListAll(origin);
  }

  step("memory: 100,000 engagements");
  const memory = await runNode(["--expose-gc", "--no-flush-bytecode", path.join(HERE, "lib", "memory.mjs"), origin, SNAP], { timeoutMs: 180_000 });

  step(`cold start: ${COLD_SPAWNS} fresh processes per mode`);
  const cold = await coldStart(origin);

  let size = null;
  if (!process.argv.includes("--no-size")) {
    step("size: package files, Vite consumer, floor and DevRev consumers (esbuild)");
    size = await sizes(pkg);
  }
  step("JS <-> wasm crossings, counted");
  const crossings = await runNode([path.join(HERE, "lib", "crossings.mjs"), SNAP]);
  step("rate governor: 200 mixed calls for one account, mock enforcing Truto's limits (about a minute)");
  const governor = await runNode([path.join(HERE, "lib", "governor.mjs"), SNAP], { timeoutMs: 240_000 });
  const wasmHashAfter = sha(fs.readFileSync(pkg.wasm)); // the snapshot's
  const pkgChanged = dirHash(PKG) !== snap.hash;

  // ---- derived figures and targets -------------------------------------------
  // Ours' throughput as a fraction of the floor's: the median over rounds of floor ÷ ours,
  // each round's pair measured back to back (steadier than a ratio of medians under load).
  const thr = (r) => pairedRatio(r.floor, r.ours);
  const best = (r) => r.floor.min / r.ours.min;
  // The same floor behind an async generator: what any `for await` API pays on this
  // runtime before doing anything, and ours against it (both paired, throughput).
  const forAwait = (r) => `; the floor as an async generator ${x(pairedRatio(r.floor, r.floorAsyncGen))}, ours ${x(pairedRatio(r.floorAsyncGen, r.ours))} of that`;
  const decodeRatio = pairedRatio(node.decode.oursStub, node.decode.floorStub);
  const pageUnit = Math.max(memory.pageHeap, memory.pageBytes);
  const flatSlack = memory.pageHeap / 2;
  const targets = [
    {
      name: "listAll throughput, Node", want: `≥ ${TARGETS.listAllThroughput}× floor`, value: thr(node.listAll),
      shown: `${x(thr(node.listAll))} floor, paired (ratio of medians ${x(node.listAll.floor.median / node.listAll.ours.median)}, of best runs ${x(best(node.listAll))})${forAwait(node.listAll)}`, pass: thr(node.listAll) >= TARGETS.listAllThroughput,
    },
    chrome && {
      name: "listAll throughput, Chromium", want: `≥ ${TARGETS.listAllThroughput}× floor`, value: thr(chrome),
      shown: `${x(thr(chrome))} floor, paired (ratio of medians ${x(chrome.floor.median / chrome.ours.median)}, of best runs ${x(best(chrome))})${forAwait(chrome)}`, pass: thr(chrome) >= TARGETS.listAllThroughput,
    },
    {
      name: "decode, one 500-item page", want: `≤ ${TARGETS.decode.toFixed(2)}× floor`, value: decodeRatio,
      shown: `${x(decodeRatio)} new Response(bytes).json(), paired (${x(pairedRatio(node.decode.oursStub, node.decode.jsonParse))} JSON.parse(decode(bytes)))`,
      pass: decodeRatio <= TARGETS.decode,
    },
    {
      name: "heap while iterating 100,000", want: `≤ ${TARGETS.heapPages} pages, flat`, value: memory.iterate.peakHeapGrowth / pageUnit,
      shown: `${(memory.iterate.peakHeapGrowth / pageUnit).toFixed(2)} parsed pages peak (${(memory.iterate.peakHeapGrowth / memory.pageBytes).toFixed(2)} of JSON); 2nd half ${mb(memory.iterate.peakSecondHalf)} vs 1st ${mb(memory.iterate.peakFirstHalf)}`,
      pass: memory.iterate.peakHeapGrowth <= TARGETS.heapPages * pageUnit
        && memory.iterate.peakSecondHalf <= memory.iterate.peakFirstHalf + flatSlack,
    },
    size && {
      name: "wasm + web JS, gzip -9", want: `≤ ${kb(TARGETS.gzipBytes)}`, value: size.wasmPlusGlueGzip,
      shown: `${kb(size.wasmPlusGlueGzip)} (${size.wasmPlusGlueGzip} B)`, pass: size.wasmPlusGlueGzip <= TARGETS.gzipBytes,
    },
    {
      name: "cold start, import + first call", want: `≤ ${TARGETS.coldStartMs} ms over plain`, value: cold.addedOverPlain.median,
      shown: `${sgn(cold.addedOverPlain.median)} over a plain fetch client (ours ${ms(cold.oursStub.total.median)}, plain ${ms(cold.plainStub.total.median)}; no socket)`,
      pass: cold.addedOverPlain.median <= TARGETS.coldStartMs,
    },
  ].filter(Boolean);

  // ---- the table ----------------------------------------------------------------
  const load1 = os.loadavg()[0];
  let commit = "";
  try { commit = (await runCmd("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT })).out.trim(); } catch { /* no git */ }
  say();
  say(`crm-engagements bench · ${new Date().toISOString()} · node ${process.version}${chrome ? ` · chromium ${chrome.version}` : ""} · commit ${commit || "?"} · wasm ${wasmHashAfter.slice(0, 12)}`);
  say(`medians of ${RUNS} runs after ${WARMUP} warm-ups (listAll: ${LISTALL_RUNS} rounds; cold start: ${COLD_SPAWNS} processes); ratio = ours ÷ baseline, same run; lower is better unless noted`);
  const speed = node.listAll.floor.median / REFERENCE_FLOOR_MS;
  say(`machine: the floor listAll took ${ms(node.listAll.floor.median)} here against ${REFERENCE_FLOOR_MS} ms in the issue's measurement: ${x(speed)} its time; sizes are gzip -9 by Node's zlib (GNU gzip -9 gives a few hundred bytes less on the .wasm)`);
  say(`data: ${server.pageSize}-item pages of ${kb(server.pageBytesMedian)} (≈${(server.pageBytesMedian / server.pageSize / 1024).toFixed(2)} KB per engagement, 21 fields with remote_data), dataset v${server.datasetVersion}; ${os.cpus().length} CPUs, load ${load0.toFixed(1)} → ${load1.toFixed(1)}`);
  if (Math.max(load0, load1) > os.cpus().length * 0.75) say(`note: the machine was busy (load ${Math.max(load0, load1).toFixed(1)} on ${os.cpus().length} CPUs): expect noise; the ratios are fairer than the absolute times`);
  if (pkgChanged) say(`note: ${path.relative(ROOT, PKG) || PKG}/ was rebuilt during the run; these figures are for the build it held at the start (measured from a copy)`);
  say();
  const L = node.listAll;
  const D = node.decode;
  const P = node.perRequest;
  const M = memory;
  const C = cold;
  const rows = [
    ["1", "listAll 20,000, Node", ms(L.ours.median), ms(L.floor.median), x(L.ours.median / L.floor.median), "fetch + res.json() loop (the floor)"],
    ["", "  throughput", `${(20 / L.ours.median * 1000).toFixed(0)}k/s`, `${(20 / L.floor.median * 1000).toFixed(0)}k/s`, `${x(thr(L))} ↑`, "higher is better; ratio paired per round"],
    ["", "  floor as async generator", ms(L.floorAsyncGen.median), ms(L.floor.median), x(L.floorAsyncGen.median / L.floor.median), "what for-await alone costs (info)"],
    ["", "  floor with text() + JSON.parse", ms(L.floorText.median), ms(L.floor.median), x(L.floorText.median / L.floor.median), "the body read as ours reads it (info)"],
    ["", "  plain-JS client, same guarantees", ms(L.wired.median), ms(L.floor.median), x(L.wired.median / L.floor.median), "timeout that aborts, Headers, text(), for await (info)"],
    ["", "  ours vs that JS client", ms(L.ours.median), ms(L.wired.median), x(pairedRatio(L.ours, L.wired)), "what the wasm client adds, paired (info)"],
  ];
  if (chrome) {
    rows.push(
      ["", "listAll 20,000, Chromium", ms(chrome.ours.median), ms(chrome.floor.median), x(chrome.ours.median / chrome.floor.median), "fetch + res.json() loop, same page"],
      ["", "  throughput", `${(20 / chrome.ours.median * 1000).toFixed(0)}k/s`, `${(20 / chrome.floor.median * 1000).toFixed(0)}k/s`, `${x(thr(chrome))} ↑`, "higher is better; ratio paired per round"],
      ["", "  floor as async generator", ms(chrome.floorAsyncGen.median), ms(chrome.floor.median), x(chrome.floorAsyncGen.median / chrome.floor.median), "(info)"],
      ["", "  floor with text() + JSON.parse", ms(chrome.floorText.median), ms(chrome.floor.median), x(chrome.floorText.median / chrome.floor.median), "(info)"],
      ["", "  plain-JS client, same guarantees", ms(chrome.wired.median), ms(chrome.floor.median), x(chrome.wired.median / chrome.floor.median), "(info)"],
      ["", "  ours vs that JS client", ms(chrome.ours.median), ms(chrome.wired.median), x(pairedRatio(chrome.ours, chrome.wired)), "(info)"],
    );
  }
  rows.push(
    ["2", `decode 500 items (${kb(D.pageBytes)}), no socket`, ms(D.oursStub.median), ms(D.floorStub.median), x(decodeRatio), "new Response(bytes).json(); ratio paired per round"],
    ["", "  same, vs bare parse", ms(D.oursStub.median), ms(D.jsonParse.median), x(D.oursStub.median / D.jsonParse.median), "JSON.parse(TextDecoder(bytes))"],
    ["", "  JSON.parse of the text alone", "", ms(D.jsonParseString.median), "", "JSON.parse(string), no bytes (info)"],
    ["", "  one page over the socket", ms(D.oursWire.median), ms(D.floorWire.median), x(D.oursWire.median / D.floorWire.median), "fetch + res.json()"],
    "   decode = list() with a `fetch` option resolving to new Response(bytes) (bytes → the objects the caller gets,",
    "   our request building, envelope check and hand-over included, no socket) vs the same Response's .json().",
    ["3", "heap, iterate 100,000 (peak)", mb(M.iterate.peakHeapGrowth), mb(M.collect.peakHeapGrowth), x(M.iterate.peakHeapGrowth / M.collect.peakHeapGrowth), "collecting them into an array"],
    ["", "  in pages of JSON", `${(M.iterate.peakHeapGrowth / M.pageBytes).toFixed(2)} p`, `${(M.collect.peakHeapGrowth / M.pageBytes).toFixed(0)} p`, "", `page = ${kb(M.pageBytes)} on the wire`],
    ["", "  in parsed pages", `${(M.iterate.peakHeapGrowth / M.pageHeap).toFixed(2)} p`, `${(M.collect.peakHeapGrowth / M.pageHeap).toFixed(0)} p`, "", `page = ${kb(M.pageHeap)} in the heap, JSON.parse'd`],
    ["", "  vs floor iterating", mb(M.iterate.peakHeapGrowth), mb(M.floorIterate.peakHeapGrowth), x(M.iterate.peakHeapGrowth / M.floorIterate.peakHeapGrowth), "fetch loop, async generator"],
    ["", "  1st half / 2nd half peak", mb(M.iterate.peakFirstHalf), mb(M.iterate.peakSecondHalf), "", "flat = not growing with the total"],
    `   heap = process.memoryUsage().heapUsed after gc() every ${M.sampleEvery.toLocaleString("en")} items, minus before; wasm memory growth (external) ${kb(M.iterate.peakExternalGrowth)}`,
    ["4", "cold: import + first list()", ms(C.oursStub.total.median), ms(C.plainStub.total.median), x(C.oursStub.total.median / C.plainStub.total.median), "plain fetch client; Node's fetch pre-loaded, stub answer"],
    ["", "  import alone", ms(C.oursStub.import.median), ms(C.plainStub.import.median), x(C.oursStub.import.median / C.plainStub.import.median), "plain fetch client module"],
    ["", "  constructor", ms(C.oursStub.ctor.median), ms(C.plainStub.ctor.median), x(C.oursStub.ctor.median / C.plainStub.ctor.median), "new TrutoClient(...) vs new PlainClient(...)"],
    ["", "  first list() alone", ms(C.oursStub.firstCall.median), ms(C.plainStub.firstCall.median), x(C.oursStub.firstCall.median / C.plainStub.firstCall.median), "no socket: stub fetch"],
    ["", "  added by the package", sgn(C.addedOverPlain.median), "", "", "median of per-process-pair differences"],
    ["", "  the same at the issue's speed", sgn(C.addedOverPlain.median / speed), "", "", `÷ ${x(speed)} (machine line above); an estimate, info`],
    ["", "  plain-JS client, same guarantees", ms(C.guardedStub.total.median), ms(C.plainStub.total.median), x(C.guardedStub.total.median / C.plainStub.total.median), "timeout that aborts, its listener, Headers, text() (info)"],
    ["", "  ours over that JS client", sgn(C.addedOverGuarded.median), "", "", "what the wasm itself adds, per-process pairs (info)"],
    ["", "  truly cold, over the socket", ms(C.ours.total.median), ms(C.plain.total.median), x(C.ours.total.median / C.plain.total.median), `incl. Node's first fetch, ~30 ms for anyone (${sgn(C.addedOverPlainCold.median)}; noisy)`],
    ["", "  wasm compile + instantiate", ms(C.wasm.total.median), "", "", `compile ${ms(C.wasm.compile.median)} + instantiate ${ms(C.wasm.instantiate.median)}, bytes alone`],
    ["", "  process, spawn → first page", ms(C.wall.ours.median), ms(C.wall.noop.median), x(C.wall.ours.median / C.wall.noop.median), 'node -e "" (spawn → exit)'],
    ["", "  same, plain fetch client", ms(C.wall.plain.median), ms(C.wall.noop.median), x(C.wall.plain.median / C.wall.noop.median), 'node -e "" (spawn → exit)'],
    ["5", `per request, empty page (${P.requests} seq.)`, us(P.ours.median), us(P.floor.median), x(P.ours.median / P.floor.median), "fetch + res.json(), median latency"],
    ["", "  mean per request", us(P.oursMean.median), us(P.floorMean.median), x(P.oursMean.median / P.floorMean.median), "total ÷ requests"],
    ["", "  overhead per request", `+${us(P.ours.median - P.floor.median)}`, "", "", "ours − floor, medians"],
    ["", "  CPU only, no socket", us(P.oursStub.median), us(P.floorStub.median), x(P.oursStub.median / P.floorStub.median), "stub fetch → new Response(); .json()"],
  );
  if (size) {
    const S = size;
    const f = S.consumers.floor;
    const o = S.consumers.ours;
    const d = S.consumers.devrev;
    rows.push(
      ["6", ".wasm raw", kb(S.wasm), "", "", "after wasm-opt -Oz (make pkg)"],
      ["", ".wasm gzip -9", kb(S.wasmGzip), "", "", "Node's zlib, level 9 (as make size counts it)"],
      ["", "web JS gzip (entry + glue)", kb(S.webGlueGzip), "", "", `${S.webGlueFiles.map((f) => f.file).join(" + ")}; raw ${kb(S.webGlue)}`],
      ["", "node JS gzip (entry + glue)", kb(S.nodeGlueGzip), "", "", `${S.nodeGlueFiles.map((f) => f.file).join(" + ")}; raw ${kb(S.nodeGlue)}`],
      ["", "wasm + web JS gzip", kb(S.wasmPlusGlueGzip), kb(TARGETS.gzipBytes), x(S.wasmPlusGlueGzip / TARGETS.gzipBytes), "the size budget (tests/package/size-budget.json)"],
      ...(S.inline ? [["", "inline entry gzip (.wasm in base64)", kb(S.inline.gzip), kb(S.wasmPlusGlueGzip), x(S.inline.gzip / S.wasmPlusGlueGzip), `crm-engagements/inline (${S.inline.files.map((f) => f.file).join(" + ")}) vs wasm + web JS; raw ${kb(S.inline.bytes)}`]] : []),
      ...(S.inlineCjs ? [["", "inline CommonJS entry gzip", kb(S.inlineCjs.gzip), kb(S.wasmPlusGlueGzip), x(S.inlineCjs.gzip / S.wasmPlusGlueGzip), `require("crm-engagements/inline") (${S.inlineCjs.files.map((f) => f.file).join(" + ")}) vs wasm + web JS; raw ${kb(S.inlineCjs.bytes)}`]] : []),
      ["", "consumer bundle, gzip", kb(o.totalGzip), kb(f.totalGzip), x(o.totalGzip / f.totalGzip), `floor loop (${f.bundler}, minified)`],
      ["", "  of which JS / wasm", `${kb(o.jsGzip)} / ${kb(o.wasmGzip)}`, "", "", `${o.bundler}, lists engagements`],
      d.error
        ? ["", "DevRev SDK consumer, gzip", "", "n/a", "", d.error]
        : ["", "DevRev SDK consumer, gzip", kb(d.totalGzip), kb(f.totalGzip), x(d.totalGzip / f.totalGzip), `${d.package} (${d.bundler}, minified)`],
      d.error ? "" : ["", "  ours vs DevRev SDK", kb(o.totalGzip), kb(d.totalGzip), x(o.totalGzip / d.totalGzip), "DevRev SDK consumer"],
    );
  }
  const X = crossings;
  const top = (c, n = 4) => c.top.slice(0, n).map(([k, v]) => `${k.replace(/^(import|export) /, "").replace(/^__wbindgen_/, "")} ${v}`).join(", ");
  rows.push(
    ["7", "JS↔wasm crossings per listAll item", X.listAllPerItem.total.toFixed(1), "0", "", `${X.listAllPerItem.imports.toFixed(1)} wasm→JS + ${X.listAllPerItem.exports.toFixed(1)} JS→wasm: ${top(X.listAllPerItem)}`],
    ["", "  per list() of an empty page", X.emptyListPerRequest.total.toFixed(0), "0", "", top(X.emptyListPerRequest)],
    ["", "  per list() of a 500-item page", X.fullPagePerRequest.total.toFixed(0), "0", "", top(X.fullPagePerRequest)],
  );
  const G = governor;
  const outcome = (r) => `${r.served429} × 429 served, ${r.failed} failed, ${r.retryWaits} retry waits (${(r.retryWaitMs / 1000).toFixed(0)} s)`;
  rows.push(
    ["8", `${G.calls} mixed calls, one account, all succeed`, ms(G.governed.ms), ms(G.persistent.ms), x(G.governed.ms / G.persistent.ms), "rateLimit: false, maxRetries: 20; mock enforcing 50 / 10 s per account"],
    ["", "  with the governor (default)", outcome(G.governed), "", "", `${G.governed.throttleEvents} onThrottle events`],
    ["", "  without, maxRetries: 20", outcome(G.persistent), "", "", "each 429 waits Retry-After: 10 s, then retries"],
    ["", "  without, default maxRetries: 2", outcome(G.ungoverned), ms(G.ungoverned.ms), "", "faster only because the failed calls gave up"],
  );
  table(rows.filter((r) => r !== ""));
  say();
  say("targets (issue 6)");
  const w = Math.max(...targets.map((t) => t.name.length));
  const ww = Math.max(...targets.map((t) => t.want.length));
  for (const t of targets) say(`  ${t.pass ? "PASS" : "MISS"}  ${t.name.padEnd(w)}  ${t.want.padEnd(ww)}  ${t.shown}`);
  say(`  ${targets.filter((t) => t.pass).length} of ${targets.length} targets met`);

  // ---- JSON ------------------------------------------------------------------------
  const result = {
    schema: 1,
    date: new Date().toISOString(),
    commit,
    node: process.version,
    chromium: chrome?.version ?? null,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    // This run's floor listAll (Node) over the issue's 126 ms: > 1 means a slower machine.
    machineSlowdown: speed,
    load: [load0, load1],
    runs: RUNS,
    listAllRuns: LISTALL_RUNS,
    warmup: WARMUP,
    quick: QUICK,
    pkg: PKG,
    wasmSha256: wasmHashAfter,
    pkgSha256: snap.hash,
    pkgChangedDuringRun: pkgChanged,
    data: { version: server.datasetVersion, pageSize: server.pageSize, pageBytes: server.pageBytesMedian, p20kBytes: server.p20kBytes },
    listAll: { node: node.listAll, chromium: chrome },
    decode: node.decode,
    memory,
    coldStart: cold,
    perRequest: node.perRequest,
    size,
    crossings,
    governor,
    targets: targets.map(({ name, want, value, pass }) => ({ name, want, value, pass })),
    seconds: (performance.now() - started) / 1000,
  };
  fs.mkdirSync(RESULTS, { recursive: true });
  const json = `${JSON.stringify(result, null, 2)}\n`;
  const stamp = result.date.replace(/[:.]/g, "-");
  fs.writeFileSync(path.join(RESULTS, `${stamp}${commit ? `-${commit}` : ""}.json`), json);
  fs.writeFileSync(path.join(RESULTS, "latest.json"), json);
  say(`figures: ${path.relative(process.cwd(), path.join(RESULTS, "latest.json"))} (and a timestamped copy) · ${result.seconds.toFixed(0)} s`);
}

main().then(
  () => {
    cleanup();
    process.exit(0);
  },
  (err) => {
    process.stderr.write(`bench: FAILED: ${err?.stack || err}\n`);
    cleanup();
    process.exit(1);
  },
);
