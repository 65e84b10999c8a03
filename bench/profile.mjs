#!/usr/bin/env node
// Where does our client spend its time? Profiles one workload (CPU sampling via
// node:inspector, in a fresh process) and prints self time by category and by
// function, plus the JS <-> wasm crossings per item and per request.
//
//   node bench/profile.mjs [mode] [reps] [--save file.cpuprofile]
//
// modes: stubListAll (default), stubFloor, listAll, floor, list, empty, emptyFloor
// (see lib/profile-target.mjs). The stub modes have no socket: what remains is CPU.
// Categories: "wasm" (code inside the module), "glue" (wasm-bindgen's generated JS),
// "api" (the package's hand-written JS), "undici" (Node's fetch), "node" (other
// Node internals); "JSON.parse" shows under the JS function that calls it.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "..");
const PKG = path.resolve(process.env.BENCH_PKG || path.join(ROOT, "pkg"));
const args = process.argv.slice(2);
const saveAt = args.indexOf("--save");
const save = saveAt >= 0 ? args.splice(saveAt, 2)[1] : null;
const [mode = "stubListAll", reps = "5"] = args;

function run(cmd, argv, opts = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { cwd: ROOT, stdio: ["pipe", "pipe", "inherit"], ...opts });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      opts.onLine?.(out, child);
    });
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(out) : reject(new Error(`${argv.join(" ")} exited ${code}`))));
    opts.onChild?.(child);
  });
}

let server;
const origin = await new Promise((resolve, reject) => {
  run(process.execPath, [path.join(HERE, "lib", "server.mjs"), PKG], {
    onChild: (c) => (server = c),
    onLine: (out) => out.includes("\n") && resolve(`http://127.0.0.1:${JSON.parse(out.split("\n")[0]).port}`),
  }).catch(reject);
});

const file = save ? path.resolve(save) : path.join(os.tmpdir(), `crm-bench-${process.pid}.cpuprofile`);
try {
  const { ms } = JSON.parse((await run(process.execPath, [path.join(HERE, "lib", "profile-target.mjs"), mode, origin, PKG, file, reps])).trim());
  const crossings = JSON.parse((await run(process.execPath, [path.join(HERE, "lib", "crossings.mjs"), PKG])).trim());
  const profile = JSON.parse(fs.readFileSync(file, "utf8"));
  if (!save) fs.rmSync(file);

  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + profile.timeDeltas[i]));
  const category = ({ url, functionName }) => {
    if (url.startsWith("wasm://")) return "wasm";
    if (/crm_engagements[^/]*\.(c?js|mjs)$/.test(url)) return "glue";
    if (url.includes("/pkg/") || url.includes(PKG)) return "api";
    if (url.includes("undici")) return "undici";
    if (url.startsWith("node:")) return "node";
    if (url.includes("/bench/")) return "bench";
    if (!url) return functionName.startsWith("(") ? functionName : `native ${functionName}`;
    return "other";
  };
  const byCat = new Map();
  const byFn = new Map();
  let total = 0;
  for (const [id, us] of self) {
    const cf = nodes.get(id).callFrame;
    const cat = category(cf);
    total += us;
    byCat.set(cat, (byCat.get(cat) ?? 0) + us);
    const key = `${cat.padEnd(8)} ${cf.functionName || "(anonymous)"} ${cf.url ? `${path.basename(cf.url)}:${cf.lineNumber + 1}` : ""}`;
    byFn.set(key, (byFn.get(key) ?? 0) + us);
  }
  const pct = (us) => `${((us / total) * 100).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(1).padStart(7)} ms`;
  console.log(`mode ${mode}, ${reps} reps: ${ms.toFixed(0)} ms wall while profiling (sampling inflates call-heavy code)`);
  console.log("\nself time by category");
  for (const [k, v] of [...byCat].sort((a, b) => b[1] - a[1]).slice(0, 14)) console.log(`  ${pct(v)}  ${k}`);
  console.log("\nself time by function (top 25)");
  for (const [k, v] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`  ${pct(v)}  ${k}`);
  console.log("\nJS <-> wasm crossings (counted, stub fetch)");
  for (const [name, c] of Object.entries(crossings)) {
    console.log(`  ${name}: ${c.total.toFixed(1)} (${c.imports.toFixed(1)} wasm->JS, ${c.exports.toFixed(1)} JS->wasm)`);
    console.log(`    ${c.top.map(([k, n]) => `${k.replace(/^(import|export) /, "")} ${n}`).join(", ")}`);
  }
} finally {
  server?.stdin.end();
  server?.kill();
}
