#!/usr/bin/env node
// Package test: the tarball `npm pack ./pkg` would publish, installed into fresh
// projects and run in every runtime the contract names (docs: /work/shared/API.md).
//
//   node tests/package/run.mjs [--verbose]   (make test-package, after make pkg)
//
// --verbose (or PACKAGE_TEST_VERBOSE=1) lists every passing row too, and the log of a
// failing runtime. PACKAGE_TEST_PKG=<dir> points it at another package folder (used to
// check that the harness catches a deliberately broken copy of pkg/).
//
// 1. npm pack ./pkg: the tarball holds exactly the `files` list + package.json.
// 2. The mock Truto + DevRev API (tests/mock/server.mjs), in a process of its own.
// 3. One shared scenario (./scenario.mjs) in Node ESM and CJS (Node 18-24), Bun
//    and Deno; pages built by Vite, Parcel, webpack, Rollup, esbuild and Bun, and
//    a plain page, in headless Chromium; node bundles (esbuild, webpack); Jest and
//    Vitest in their DOM environments; Next.js (Turbopack and webpack); workerd
//    (wrangler dev); plus tsc --strict on ./consumer.ts, ./consumer.cts and the
//    README's examples. PACKAGE_TEST_ONLY=<regex> runs a subset (reported as such).
// 4. Prints `<runtime>: N passed, M failed` per runtime and a last line
//    `N passed, M failed`; exits 1 on any failure or on a runtime with no checks.
//
// Everything it creates lives under one os.tmpdir() folder removed at the end;
// every process it starts (mock, static servers, wrangler/workerd, Chromium) is
// stopped on success, failure and SIGINT/SIGTERM.
import { spawn } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import fsp from "node:fs/promises";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import zlib from "node:zlib";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "../..");
// PACKAGE_TEST_PKG lets the harness itself be tested against a deliberately broken copy of pkg/.
const PKG = path.resolve(process.env.PACKAGE_TEST_PKG || path.join(ROOT, "pkg"));
const BIN = path.join(ROOT, "node_modules", ".bin");
const TOKEN = "test-token";
/**
 * A runtime's own token: the mock accepts `<token>:<run>` and keeps a token
 * window (Truto's 500 / 10 s) per token, so the runtimes, which run
 * concurrently against one mock, do not share one.
 */
const tokenOf = (run) => `${TOKEN}:${run}`;
const CHROMIUM = "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--no-first-run", "--disable-sync",
];
const WRANGLER_READY_MS = 60_000;
const PAGE_TIMEOUT_MS = 60_000;
// A hang guard for a whole scenario in a page, not a speed bound: under CI, with
// every suite at once on 2 cores, a page that is fine has taken over 60 s.
const SCENARIO_TIMEOUT_MS = 240_000;
// The same guard for a child process (a runner holds one scenario).
const CHILD_TIMEOUT_MS = SCENARIO_TIMEOUT_MS;
const VERBOSE = process.argv.includes("--verbose") || process.env.PACKAGE_TEST_VERBOSE === "1";

const started = Date.now();
const cleanups = []; // LIFO
const children = new Set(); // { child, group }
let tmpRoot;
let aborting = false; // set on SIGINT/SIGTERM: start nothing new
const pending = []; // the runtime suites in flight

// ---------------------------------------------------------------------------
// Small utilities
// ---------------------------------------------------------------------------

const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const say = (line) => process.stdout.write(`${line}\n`);
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

/**
 * Runs a command to completion; resolves {code, signal, stdout, stderr, ms}.
 * `group`: the command runs in its own process group, and the timeout kills the
 * whole group (a tool's workers would otherwise hold its pipes open, and the
 * command would never be seen to end).
 */
function exec(cmd, args, { cwd, env, timeoutMs = CHILD_TIMEOUT_MS, mark, group = false } = {}) {
  return new Promise((resolve, reject) => {
    if (aborting) return reject(new Error("aborted"));
    const t0 = Date.now();
    const child = spawn(cmd, args, {
      cwd,
      env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", ...env },
      stdio: ["ignore", "pipe", "pipe"],
      detached: group,
    });
    const entry = { child, group };
    children.add(entry);
    let stdout = "";
    let stderr = "";
    let markMs = null; // when `mark` first matched stdout, in ms since the start
    child.stdout.on("data", (d) => {
      stdout += d;
      if (mark && markMs === null && mark.test(stdout)) markMs = Date.now() - t0;
    });
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => {
      stderr += `\n[run.mjs] killed after ${timeoutMs} ms`;
      try {
        if (group) process.kill(-child.pid, "SIGKILL");
        else child.kill("SIGKILL");
      } catch {
        // already gone
      }
    }, timeoutMs);
    child.on("error", (err) => {
      clearTimeout(timer);
      children.delete(entry);
      reject(new Error(`${cmd}: ${err.message}`));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      children.delete(entry);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - t0, markMs });
    });
  });
}

/** A free TCP port on 127.0.0.1. */
async function freePort() {
  const server = net.createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address();
  await new Promise((r) => server.close(r));
  return port;
}

/** `RESULTS <json>` printed by a child runner. */
function parseResults(stdout) {
  const line = stdout.split("\n").find((l) => l.startsWith("RESULTS "));
  if (!line) return null;
  return JSON.parse(line.slice("RESULTS ".length));
}

function tail(text, lines = 30) {
  return String(text).trim().split("\n").slice(-lines).join("\n");
}

function row(name, ok, detail = "") {
  return { name, ok: Boolean(ok), detail: String(detail) };
}

// ---------------------------------------------------------------------------
// Static file server (for the two browser pages)
// ---------------------------------------------------------------------------

const MIME = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".cjs": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".map": "application/json; charset=utf-8",
  ".ts": "text/plain; charset=utf-8",
  ".md": "text/plain; charset=utf-8",
};

async function startStaticServer(rootDir) {
  const root = path.resolve(rootDir);
  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url, "http://localhost");
      let rel = decodeURIComponent(url.pathname);
      if (rel.endsWith("/")) rel += "index.html";
      const file = path.resolve(root, `.${rel}`);
      if (file !== root && !file.startsWith(root + path.sep)) throw Object.assign(new Error("outside root"), { code: "EACCES" });
      const body = await fsp.readFile(file);
      const type = MIME[path.extname(file)] ?? "application/octet-stream";
      res.writeHead(200, { "content-type": type, "content-length": body.length, "cache-control": "no-store" });
      res.end(body);
    } catch (err) {
      const status = err.code === "ENOENT" || err.code === "EISDIR" ? 404 : 403;
      res.writeHead(status, { "content-type": "text/plain" });
      res.end(String(status));
    }
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const close = () =>
    new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  cleanups.push(close);
  return { url: `http://127.0.0.1:${server.address().port}`, close };
}

// ---------------------------------------------------------------------------
// Temp projects
// ---------------------------------------------------------------------------

/**
 * A fresh project dir with the tarball installed; `files` is {name: text};
 * `esm`: whether its package.json says "type": "module".
 */
async function makeProject(name, tarball, files = {}, { esm = true } = {}) {
  if (aborting) throw new Error("aborted");
  const dir = path.join(tmpRoot, name);
  await fsp.mkdir(dir, { recursive: true });
  await fsp.writeFile(
    path.join(dir, "package.json"),
    `${JSON.stringify({ name: `pkgtest-${name}`, private: true, version: "0.0.0", ...(esm && { type: "module" }) }, null, 2)}\n`,
  );
  const install = await exec(
    "npm",
    ["install", tarball, "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", "--no-update-notifier"],
    { cwd: dir },
  );
  if (install.code !== 0) throw new Error(`npm install in ${name} failed (${install.code}):\n${tail(install.stderr)}`);
  await fsp.copyFile(path.join(HERE, "scenario.mjs"), path.join(dir, "scenario.mjs"));
  for (const [file, text] of Object.entries(files)) {
    await fsp.mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await fsp.writeFile(path.join(dir, file), text);
  }
  return { dir, installMs: install.ms };
}

// ---------------------------------------------------------------------------
// 1. npm pack
// ---------------------------------------------------------------------------

/** File names inside a .tgz (ustar / pax / GNU long names), read with zlib only. */
function tarEntries(tgz) {
  const tar = zlib.gunzipSync(tgz);
  const names = [];
  let longName = null;
  for (let off = 0; off + 512 <= tar.length; ) {
    const header = tar.subarray(off, off + 512);
    if (header.every((b) => b === 0)) break;
    const str = (start, len) => header.subarray(start, start + len).toString("utf8").replace(/\0.*$/s, "");
    const size = parseInt(str(124, 12).trim() || "0", 8);
    const type = str(156, 1) || "0";
    const prefix = str(345, 155);
    let name = prefix ? `${prefix}/${str(0, 100)}` : str(0, 100);
    const data = tar.subarray(off + 512, off + 512 + size);
    if (type === "x") {
      const m = /\d+ path=([^\n]*)\n/.exec(data.toString("utf8"));
      if (m) longName = m[1];
    } else if (type === "L") {
      longName = data.toString("utf8").replace(/\0.*$/s, "");
    } else {
      if (longName) [name, longName] = [longName, null];
      if (type === "0" || type === "") names.push(name);
      else names.push(`${name} (tar type ${type})`);
    }
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return names;
}

/** Every relative path named by main/module/types/exports. */
function referencedPaths(pj) {
  const out = new Set();
  const walk = (v) => {
    if (typeof v === "string") out.add(v.replace(/^\.\//, ""));
    else if (v && typeof v === "object") Object.values(v).forEach(walk);
  };
  walk(pj.main);
  walk(pj.module);
  walk(pj.types);
  walk(pj.exports);
  return [...out];
}

/**
 * Every entry package.json names exports the same values, and those include each
 * one the .d.ts declares. The lists are kept by hand in each entry (a CommonJS
 * entry must spell its names in a literal for cjs-module-lexer: Deno, bundlers'
 * interop), so a name added to one and forgotten in another is caught here, as
 * each importer sees it: ESM entries through es-module-lexer, CommonJS entries
 * through Node's own import of them.
 */
async function exportNamesRow(pj) {
  const { init, parse } = await import("es-module-lexer");
  await init;
  const files = [...new Set(referencedPaths(pj).filter((f) => /\.(m|c)?js$/.test(f)))].sort();
  const exportsOf = async (full) => {
    if (full.endsWith(".cjs")) return Object.keys(await import(pathToFileURL(full).href)).filter((n) => n !== "default" && n !== "module.exports");
    const text = await fsp.readFile(full, "utf8");
    const [imports, own] = parse(text);
    const names = own.map((e) => e.n);
    // `export * from "./x.js"` (web.js): the names of x.
    for (const i of imports) {
      if (i.n && /^export\s*\*\s*from/.test(text.slice(i.ss, i.se))) names.push(...(await exportsOf(path.resolve(path.dirname(full), i.n))));
    }
    return names;
  };
  const seen = {};
  for (const file of files) seen[file] = (await exportsOf(path.join(PKG, file))).sort().join(", ");
  const dts = await fsp.readFile(path.join(PKG, "crm_engagements.d.ts"), "utf8");
  const declared = [...dts.matchAll(/^export (?:declare )?(?:class|function|const) (\w+)/gm)].map((m) => m[1]);
  const lists = new Set(Object.values(seen));
  const [one] = lists;
  const missing = declared.filter((n) => !one?.split(", ").includes(n));
  return row(
    `every entry exports the same names, and each value the .d.ts declares (${files.length} entries)`,
    lists.size === 1 && missing.length === 0 && declared.length > 0,
    lists.size === 1 ? `${one}${missing.length ? `; missing from the entries: ${missing.join(", ")}` : ""}` : Object.entries(seen).map(([f, n]) => `${f}: ${n}`).join("\n"),
  );
}

async function packSuite() {
  const rows = [];
  const dest = path.join(tmpRoot, "pack");
  await fsp.mkdir(dest);
  const res = await exec("npm", ["pack", PKG, "--pack-destination", dest, "--json", "--loglevel=error"], { cwd: ROOT });
  if (res.code !== 0) throw new Error(`npm pack failed (${res.code}):\n${tail(res.stderr)}`);
  const [info] = JSON.parse(res.stdout);
  const tarball = path.join(dest, info.filename);
  const pj = JSON.parse(await fsp.readFile(path.join(PKG, "package.json"), "utf8"));
  const entries = tarEntries(await fsp.readFile(tarball)).map((n) => n.replace(/^package\//, "")).sort();
  const expected = [...new Set([...(pj.files ?? []), "package.json"])].sort();
  say(`pack: ${info.filename}: ${entries.length} files, ${kb(info.size)} packed, ${kb(info.unpackedSize)} unpacked`);

  const missing = expected.filter((f) => !entries.includes(f));
  const extra = entries.filter((f) => !expected.includes(f));
  rows.push(row(
    "tarball holds exactly the `files` list + package.json",
    missing.length === 0 && extra.length === 0,
    missing.length || extra.length
      ? `missing: [${missing.join(", ")}]; unexpected: [${extra.join(", ")}]`
      : `${entries.length} files: ${entries.join(", ")}`,
  ));
  // Every packed file must be needed: named by package.json, imported by a file that is,
  // or README/LICENSE/package.json.
  const reachable = new Set(referencedPaths(pj));
  for (const queue = [...reachable]; queue.length; ) {
    const file = queue.pop();
    if (!/\.(m|c)?js$/.test(file) || !fs.existsSync(path.join(PKG, file))) continue;
    const text = await fsp.readFile(path.join(PKG, file), "utf8");
    for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*)["'](\.{1,2}\/[^"']+)["']/g)) {
      const dep = path.posix.normalize(path.posix.join(path.posix.dirname(file), m[1]));
      if (!reachable.has(dep)) {
        reachable.add(dep);
        queue.push(dep);
      }
    }
  }
  const unneeded = entries.filter((f) => !reachable.has(f) && !/^(README|LICEN[CS]E|COPYING)[^/]*$|^package\.json$/i.test(f));
  rows.push(row("every packed file is needed (named by package.json, imported by an entry, or README/LICENSE)", unneeded.length === 0, unneeded.join(", ") || [...reachable].sort().join(", ")));
  const leftovers = entries.filter((f) => /(^|\/)\.|\.tgz$|\.map$|(^|\/)(target|src|node_modules)\//.test(f));
  rows.push(row("no build leftovers (dotfiles, .tgz, source maps, target/)", leftovers.length === 0, leftovers.join(", ") || "none"));
  const dangling = referencedPaths(pj).filter((p) => !entries.includes(p));
  rows.push(row("main/module/types/exports all point at packed files", dangling.length === 0, dangling.join(", ") || referencedPaths(pj).join(", ")));
  const conditions = Object.keys(pj.exports?.["."] ?? {});
  const order = ["types", "workerd", "edge-light", "browser", "node", "default"];
  rows.push(row(
    `exports["."] conditions in the order ${order.join(", ")} (no "worker")`,
    JSON.stringify(conditions) === JSON.stringify(order),
    conditions.join(", "),
  ));
  rows.push(row('"sideEffects" is not false (Vite would drop the top-level init)', pj.sideEffects !== false, JSON.stringify(pj.sideEffects)));
  rows.push(row('package has no dependencies (installs offline)', !pj.dependencies && !pj.peerDependencies, JSON.stringify(pj.dependencies ?? {})));
  const wasm = entries.filter((f) => f.endsWith(".wasm"));
  rows.push(row("exactly one .wasm", wasm.length === 1, wasm.join(", ")));
  rows.push(await exportNamesRow(pj));
  return { rows, tarball, info };
}

// ---------------------------------------------------------------------------
// 3a. Node ESM and Node CJS
// ---------------------------------------------------------------------------

const ESM_RUNNER = `import { TrutoClient, DevRevClient, isEngagementsError, devRevToEngagement, __testing } from "crm-engagements";
import { run } from "./scenario.mjs";

const [baseUrl, token, accountId] = process.argv.slice(2);
const rows = await run({ TrutoClient, DevRevClient, isEngagementsError, devRevToEngagement, __testing }, { baseUrl, token, accountId, log: (l) => console.error(l) });
const resolved = import.meta.resolve("crm-engagements");
rows.push({
  name: 'import "crm-engagements" resolves the node/import entry (node.mjs)',
  ok: resolved.endsWith("/node_modules/crm-engagements/node.mjs"),
  detail: resolved,
});
process.stdout.write("RESULTS " + JSON.stringify(rows) + "\\n");
`;

// Deno 2 over the project's node_modules (its default where a package.json is),
// with the permissions the README gives: the network, and reading node_modules
// (the default entry reads its .wasm from there). Its cache stays in the
// workspace; the registry is a closed port, so a run that tried to download the
// package instead of using node_modules would fail.
const DENO = [path.join(BIN, "deno"), "run", "--allow-net", "--allow-read=node_modules", "--node-modules-dir=manual"];
// The inline entry needs no file read: the network alone.
const DENO_INLINE = [path.join(BIN, "deno"), "run", "--allow-net", "--node-modules-dir=manual"];
const DENO_ENV = {
  DENO_DIR: path.join(ROOT, "node_modules", ".cache", "deno"),
  DENO_NO_UPDATE_CHECK: "1",
  DENO_NO_PROMPT: "1",
  NPM_CONFIG_REGISTRY: "http://127.0.0.1:9/",
};

/**
 * Deno's own ways in: \`import ... from "npm:crm-engagements"\`, found in
 * node_modules; and \`"npm:crm-engagements/inline"\` with no permission but the network.
 */
async function denoNpmSuite(tarball, mockUrl, inline = false) {
  const name = inline ? "deno-inline-net-only" : "deno-npm-specifier";
  const runner = inline
    ? INLINE_APP.replace('"crm-engagements/inline"', '"npm:crm-engagements/inline"')
    : ESM_RUNNER.replaceAll('"crm-engagements"', '"npm:crm-engagements"').replace("import \"npm:crm-engagements\" resolves", "import \"npm:crm-engagements\" (Deno) resolves");
  const project = await makeProject(name, tarball, { "esm-run.mjs": runner });
  const [bin, ...pre] = inline ? DENO_INLINE : DENO;
  const res = await exec(bin, [...pre, "esm-run.mjs", mockUrl, tokenOf(name), `acct-${name}`], { cwd: project.dir, env: DENO_ENV });
  const rows = parseResults(res.stdout) ?? [];
  if (res.code !== 0 || rows.length === 0) rows.push(row(`${name}: deno run esm-run.mjs ran to the end`, false, `exit ${res.code}:\n${tail(res.stderr)}`));
  return { rows, log: res.stderr, note: `run ${res.ms} ms` };
}

// Vitest with no configuration: the whole scenario in each of its environments
// (node, jsdom, happy-dom), one test file each, as \`npm i -D vitest jsdom
// happy-dom\` would set up. Each file writes its rows for the report and fails
// its test on a failed row.
const VITEST_ENVS = ["node", "jsdom", "happy-dom"];
const VITEST_TEST = (env) => `// @vitest-environment ${env}
import { writeFileSync } from "node:fs";
import { expect, test } from "vitest";
import * as lib from "crm-engagements";
import { run } from "../scenario.mjs";

test("the scenario in Vitest's ${env} environment", async () => {
  const { MOCK_URL, MOCK_TOKEN, MOCK_ACCOUNT } = process.env;
  const rows = await run(lib, { baseUrl: MOCK_URL, token: MOCK_TOKEN + "-${env}", accountId: MOCK_ACCOUNT + "-${env}" });
  writeFileSync(\`\${process.env.RESULTS_DIR}/results-${env}.json\`, JSON.stringify(rows));
  expect(rows.filter((r) => !r.ok).map((r) => r.name)).toEqual([]);
}, ${SCENARIO_TIMEOUT_MS});
`;

/**
 * `modules`: the node_modules holding vitest, jsdom and happy-dom (Vitest 3: the
 * workspace's; Vitest 5, which needs Node 22+: tests/package/vitest5's own
 * install); `node`: the binary that runs it.
 */
async function vitestSuite(tarball, mockUrl, name, modules, node) {
  if (!node) throw new Error(`${name} needs a Node >= 22 binary (PACKAGE_TEST_NODES, set by make test-package)`);
  if (!fs.existsSync(path.join(modules, "vitest"))) throw new Error(`${name}: no vitest in ${path.relative(ROOT, modules)} (make test-package installs it)`);
  const project = await makeProject(name, tarball, Object.fromEntries(VITEST_ENVS.map((env) => [`test/${env}.test.js`, VITEST_TEST(env)])));
  for (const dep of ["vitest", "jsdom", "happy-dom"]) {
    await fsp.symlink(path.join(modules, dep), path.join(project.dir, "node_modules", dep), "dir");
  }
  const report = path.join(project.dir, "vitest-report.json");
  // One worker per file: the scenario mostly waits (retries, the governor), and
  // Vitest's default on 2 cores is one worker, which runs the three in a row.
  const res = await exec(node, [path.join(modules, "vitest", "vitest.mjs"), "run", `--maxWorkers=${VITEST_ENVS.length}`, "--reporter=json", `--outputFile=${report}`], {
    cwd: project.dir,
    timeoutMs: SCENARIO_TIMEOUT_MS + 60_000,
    env: { MOCK_URL: mockUrl, MOCK_TOKEN: tokenOf(name), MOCK_ACCOUNT: `acct-${name}`, RESULTS_DIR: project.dir, CI: "1" },
  });
  const rows = [];
  for (const env of VITEST_ENVS) {
    try {
      const envRows = JSON.parse(await fsp.readFile(path.join(project.dir, `results-${env}.json`), "utf8"));
      rows.push(...envRows.map((r) => ({ ...r, name: `vitest ${env}: ${r.name}` })));
    } catch (err) {
      rows.push(row(`vitest ${env}: the scenario ran to the end`, false, err.message));
    }
  }
  let passedTests = -1;
  let failures = "";
  try {
    const json = JSON.parse(await fsp.readFile(report, "utf8"));
    passedTests = json.numPassedTests;
    failures = json.testResults.map((t) => `${path.basename(t.name)}: ${t.status} ${t.message ?? ""} ${t.assertionResults.flatMap((a) => a.failureMessages).join(" ").slice(0, 1500)}`).join("\n");
  } catch {
    // no report: the row below says why
  }
  const ok = res.code === 0 && passedTests === VITEST_ENVS.length;
  rows.push(row(`vitest run: its ${VITEST_ENVS.length} test files (one per environment) passed`, ok, ok ? `${res.ms} ms` : `exit ${res.code}, ${passedTests} passed:\n${failures}\n${tail(res.stderr + res.stdout)}`));
  return { rows, log: res.stderr, note: `vitest ${res.ms} ms` };
}

// After a trap, nothing the old instance started may keep Node alive: a call
// waiting 30 s to retry a 429 is trapped, and the process must then end on its
// own at once, not when the retry timer would have fired.
const EXIT_RUNNER = `import { TrutoClient, __testing } from "crm-engagements";
import { listFault } from "./scenario.mjs";
const [baseUrl, token, accountId] = process.argv.slice(2);
await listFault(baseUrl, accountId, { status: 429, headers: { "retry-after": "30" } });
const events = [];
const client = new TrutoClient({ baseUrl, token, integratedAccountId: accountId, maxRetries: 1, onRetry: (e) => events.push(e) });
const call = client.list({ limit: 1 });
// onRetry runs just before the wait starts: from then on the call is waiting.
while (events.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
try {
  __testing.trap();
} catch {}
const err = await call.catch((e) => e);
process.stdout.write("TRAPPED " + JSON.stringify({ code: err?.code, waitMs: events[0].waitMs }) + "\\n");
`;

const CJS_RUNNER = `"use strict";
const lib = require("crm-engagements");

(async () => {
  const [baseUrl, token, accountId] = process.argv.slice(2);
  const esm = await import("crm-engagements");
  const { run } = await import("./scenario.mjs");
  const rows = await run(lib, { baseUrl, token, accountId, log: (l) => console.error(l) });
  const resolved = require.resolve("crm-engagements");
  rows.push({
    name: 'require("crm-engagements") resolves the CommonJS entry (index.cjs)',
    ok: resolved.endsWith("/node_modules/crm-engagements/index.cjs"),
    detail: resolved,
  });
  const same = esm.TrutoClient === lib.TrutoClient && esm.isEngagementsError === lib.isEngagementsError;
  rows.push({
    name: "import and require give the same TrutoClient in one process (one wasm instance)",
    ok: same,
    detail: same ? "esm.TrutoClient === require(...).TrutoClient" : "two different TrutoClient classes: two wasm instances",
  });
  const sameDevRev = typeof lib.DevRevClient === "function" && esm.DevRevClient === lib.DevRevClient && esm.devRevToEngagement === lib.devRevToEngagement;
  rows.push({
    name: "import and require give the same DevRevClient and devRevToEngagement",
    ok: sameDevRev,
    detail: sameDevRev ? "esm.DevRevClient === require(...).DevRevClient" : "different (or missing) DevRevClient / devRevToEngagement",
  });
  const names = (o) => Object.keys(o).filter((k) => k !== "default" && k !== "module.exports").sort().join(", ");
  rows.push({
    name: "import and require expose the same names",
    ok: names(esm) === names(lib),
    detail: "import: " + names(esm) + " | require: " + names(lib),
  });
  // An object made through one entry, used through the other's prototype.
  let crossDetail = "";
  let crossOk = false;
  try {
    const viaImport = new esm.TrutoClient({ baseUrl, token, integratedAccountId: accountId + "-cross", maxRetries: 0 });
    const page = await lib.TrutoClient.prototype.list.call(viaImport, { limit: 2 });
    crossOk = Array.isArray(page.result) && page.result.length === 2;
    crossDetail = "client from import, list() from require: " + page.result.length + " items";
  } catch (err) {
    crossDetail = String(err && err.message || err);
  }
  rows.push({ name: "a client made via import works with require's methods", ok: crossOk, detail: crossDetail });
  // The governor's budget is the realm's: an ESM client's sends count for a CJS client of
  // the same base URL, token and account (2 per minute here: the third must wait).
  let sharedDetail = "";
  let sharedOk = false;
  try {
    const rateLimit = { perAccount: { requests: 2, intervalMs: 60000 } };
    const account = accountId + "-shared";
    const viaImport = new esm.TrutoClient({ baseUrl, token, integratedAccountId: account, maxRetries: 0, rateLimit });
    const viaRequire = new lib.TrutoClient({ baseUrl, token, integratedAccountId: account, maxRetries: 0, rateLimit });
    await viaImport.list({ limit: 1 });
    await viaImport.list({ limit: 1 });
    const err = await viaRequire.list({ limit: 1 }, { deadlineMs: 2000 }).then(() => null, (e) => e);
    sharedOk = err !== null && err.code === "deadline_exceeded" && err.retryAfterMs > 50000;
    sharedDetail = err ? "the CJS client's third call: " + err.code + ", retryAfterMs " + err.retryAfterMs : "the CJS client sent a third request within the minute";
  } catch (err) {
    sharedDetail = String(err && err.message || err);
  }
  rows.push({ name: "the rate budget is shared by the import and require copies in one process", ok: sharedOk, detail: sharedDetail });
  process.stdout.write("RESULTS " + JSON.stringify(rows) + "\\n");
})().catch((err) => {
  console.error(err && err.stack || err);
  process.exit(1);
});
`;

/**
 * `name`: the suite's name (`node-esm`, `node18-cjs`, `bun-cjs`...); `node`: the
 * runtime's command, a binary or [binary, ...its arguments before the script]
 * (DENO): the runners use only what Node, Bun and Deno all have; `env`: added
 * to the runtime's environment.
 */
async function nodeSuite(kind, tarball, mockUrl, name = `node-${kind}`, node = process.execPath, env = {}) {
  const [bin, ...pre] = [node].flat();
  const file = kind === "esm" ? "esm-run.mjs" : "cjs-run.cjs";
  const files = kind === "esm" ? { [file]: ESM_RUNNER, "exit-run.mjs": EXIT_RUNNER } : { [file]: CJS_RUNNER };
  const project = await makeProject(name, tarball, files);
  const res = await exec(bin, [...pre, file, mockUrl, tokenOf(name), `acct-${name}`], { cwd: project.dir, env });
  const rows = parseResults(res.stdout);
  if (rows && kind === "esm") rows.push(await exitCheck([bin, ...pre], project.dir, mockUrl, `acct-${name}-exit`, env));
  if (!rows || res.code !== 0) {
    return {
      rows: [...(rows ?? []), row(`${path.basename(bin)} ${file} ran to the end`, false, `exit ${res.code}${res.signal ? ` (${res.signal})` : ""}:\n${tail(res.stderr)}`)],
      log: res.stderr,
    };
  }
  return { rows, log: res.stderr, note: `install ${project.installMs} ms, run ${res.ms} ms` };
}

// ---------------------------------------------------------------------------
// 3a'. A node bundle of the inline entry (`crm-engagements/inline`): one file,
// run from a folder with nothing else in it
// ---------------------------------------------------------------------------

const INLINE_APP = `import * as lib from "crm-engagements/inline";
import { run } from "./scenario.mjs";

const [baseUrl, token, accountId] = process.argv.slice(2);
const rows = await run(lib, { baseUrl, token, accountId, log: (l) => console.error(l) });
process.stdout.write("RESULTS " + JSON.stringify(rows) + "\\n");
`;

async function inlineSuite(tarball, mockUrl) {
  const name = "esbuild-node-inline";
  const project = await makeProject(name, tarball, { "app.mjs": INLINE_APP });
  const isolated = path.join(tmpRoot, `${name}-alone`);
  const out = path.join(isolated, "app.mjs");
  const build = await exec(
    path.join(BIN, "esbuild"),
    ["app.mjs", "--bundle", "--platform=node", "--format=esm", `--outfile=${out}`, "--log-level=warning"],
    { cwd: project.dir },
  );
  const built = row("esbuild --bundle --platform=node --format=esm of an app importing crm-engagements/inline", build.code === 0, build.code === 0 ? `${build.ms} ms` : tail(build.stderr));
  if (build.code !== 0) return { rows: [built], log: build.stderr };
  const alone = await fsp.readdir(isolated);
  const res = await exec(process.execPath, [out, mockUrl, tokenOf(name), `acct-${name}`], { cwd: isolated });
  const rows = [
    built,
    row("the bundle is one self-contained file: no .wasm beside it, no node_modules", alone.length === 1 && alone[0] === "app.mjs", alone.join(", ")),
    ...(parseResults(res.stdout) ?? []),
  ];
  if (res.code !== 0) rows.push(row("node app.mjs (the bundle) ran to the end", false, `exit ${res.code}:\n${tail(res.stderr)}`));
  return { rows, log: res.stderr, note: `bundle ${(await fsp.stat(out)).size} B` };
}

// ---------------------------------------------------------------------------
// 3a''. A node bundle of the default entry (how serverless functions ship):
// esbuild follows node.mjs's static import of index.cjs; the .wasm is copied
// beside the bundle, and without it the error says so
// ---------------------------------------------------------------------------

const NODE_APP = `import * as lib from "crm-engagements";
import { run } from "./scenario.mjs";

const [baseUrl, token, accountId] = process.argv.slice(2);
run(lib, { baseUrl, token, accountId, log: (l) => console.error(l) }).then((rows) => {
  process.stdout.write("RESULTS " + JSON.stringify(rows) + "\\n");
});
`;

/**
 * `bundler`: "esbuild" (`--platform=node --format=cjs`) or "webpack"
 * (`target: "node"`, production): both follow node.mjs's static import.
 */
async function nodeBundleSuite(tarball, mockUrl, bundler = "esbuild") {
  const name = `${bundler}-node-default`;
  const isolated = path.join(tmpRoot, `${name}-alone`);
  const out = path.join(isolated, "app.cjs");
  const webpackConfig = `module.exports = { mode: "production", target: "node", entry: "./app.mjs", output: { path: ${JSON.stringify(isolated)}, filename: "app.cjs" } };\n`;
  const project = await makeProject(name, tarball, { "app.mjs": NODE_APP, ...(bundler === "webpack" && { "webpack.config.cjs": webpackConfig }) });
  const build = bundler === "webpack"
    ? await exec(path.join(BIN, "webpack"), ["--config", "webpack.config.cjs", "--no-stats"], { cwd: project.dir })
    : await exec(path.join(BIN, "esbuild"), ["app.mjs", "--bundle", "--platform=node", "--format=cjs", `--outfile=${out}`, "--log-level=warning"], { cwd: project.dir });
  const what = bundler === "webpack" ? "webpack --target=node" : "esbuild --bundle --platform=node";
  const built = row(`${what} of an app importing crm-engagements (the Node ESM entry)`, build.code === 0, build.code === 0 ? `${build.ms} ms` : tail(build.stderr + build.stdout));
  if (build.code !== 0) return { rows: [built], log: build.stderr };
  // No .wasm beside the bundle: it fails at once, saying what to copy (or which entry needs none).
  const bare = await exec(process.execPath, [out, mockUrl, tokenOf(name), `acct-${name}`], { cwd: isolated });
  const told = bare.code !== 0 && bare.stderr.includes("copy node_modules/crm-engagements/crm_engagements_bg.wasm next to the bundle") && bare.stderr.includes("crm-engagements/inline");
  const missing = row("without the .wasm beside it, the bundle fails at once and says what to copy", told, told ? "" : `exit ${bare.code}:\n${tail(bare.stderr)}`);
  await fsp.copyFile(path.join(project.dir, "node_modules", "crm-engagements", "crm_engagements_bg.wasm"), path.join(isolated, "crm_engagements_bg.wasm"));
  const res = await exec(process.execPath, [out, mockUrl, tokenOf(name), `acct-${name}`], { cwd: isolated });
  const rows = [built, missing, ...(parseResults(res.stdout) ?? [])];
  if (res.code !== 0) rows.push(row("node app.cjs (the bundle + its .wasm) ran to the end", false, `exit ${res.code}:\n${tail(res.stderr)}`));
  return { rows, log: res.stderr, note: `bundle ${(await fsp.stat(out)).size} B` };
}

// ---------------------------------------------------------------------------
// 3a'''. Jest 30 with jsdom, through the README's recipe (its two files, as
// written): Node's fetch globals copied into jsdom, the node/require conditions
// ---------------------------------------------------------------------------

/** The README's fenced js block that starts with the line `// <file>`, as written. */
async function readmeFile(file) {
  const readme = await fsp.readFile(path.join(ROOT, "README.md"), "utf8");
  const blocks = [...readme.matchAll(/^```js\n([\s\S]*?)^```$/gm)].map((m) => m[1]).filter((b) => b.startsWith(`// ${file}\n`));
  if (blocks.length !== 1) throw new Error(`README.md has ${blocks.length} js blocks for ${file}, want 1`);
  return blocks[0];
}

const JEST_TEST = `const { TrutoClient, isEngagementsError } = require("crm-engagements");
const { MOCK_URL, MOCK_TOKEN, MOCK_ACCOUNT } = process.env;
const client = () => new TrutoClient({ baseUrl: MOCK_URL, token: MOCK_TOKEN, integratedAccountId: MOCK_ACCOUNT, maxRetries: 0 });

test("runs in jsdom (document exists)", () => {
  expect(typeof document.createElement).toBe("function");
});
test("list() reads a page from the mock", async () => {
  const page = await client().list({ limit: 3 });
  expect(page.result).toHaveLength(3);
  expect(typeof page.next_cursor).toBe("string");
});
test("an object literal made in jsdom's realm is plain data (options and query)", async () => {
  const page = await client().list({ limit: 1 }, { timeoutMs: 30000, headers: { "x-test": "jest" } });
  expect(page.result).toHaveLength(1);
});
test("a bad query is a typed validation error, before sending", async () => {
  const err = await client().list({ limit: "x" }).catch((e) => e);
  expect(isEngagementsError(err)).toBe(true);
  expect(err.kind).toBe("validation");
});
test("listAll iterates every engagement of the account", async () => {
  const ids = [];
  for await (const e of client().listAll({ limit: 10 })) ids.push(e.id);
  expect(new Set(ids).size).toBe(25);
});
`;

// With no recipe: only `testEnvironment: "jsdom"`, as a React app's test setup
// has. Jest resolves the \`browser\` condition with \`require\`: pkg/inline.cjs,
// which finds what jsdom's realm lacks in Node's, and writes none of it onto
// the test's globals.
const JEST_ZERO_CONFIG_TEST = `${JEST_TEST}
test("the package adds no globals to jsdom's realm", () => {
  expect(typeof fetch).toBe("undefined");
  expect(typeof Request).toBe("undefined");
  expect(typeof TextDecoder).toBe("undefined");
});
test("a signal from jsdom's AbortController aborts a call", async () => {
  const controller = new AbortController();
  controller.abort();
  const err = await client().list({ limit: 1 }, { signal: controller.signal }).catch((e) => e);
  expect(isEngagementsError(err)).toBe(true);
  expect(err.kind).toBe("aborted");
});
test("a fetch installed on jsdom's window after import is the one called", async () => {
  const seen = [];
  const real = require("node:vm").runInThisContext("globalThis").fetch;
  globalThis.fetch = (request) => (seen.push(request.url), real(request));
  try {
    const page = await client().list({ limit: 2 });
    expect(page.result).toHaveLength(2);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toContain("/unified/crm/engagements?");
  } finally {
    delete globalThis.fetch;
  }
});
`;

// Jest 29 (installed as the alias jest29, with jest-environment-jsdom29): its
// default testMatch has no .cjs, so its test is a .js in a CommonJS folder.
const JESTS = {
  30: { bin: [path.join(BIN, "jest")], env: "jest-environment-jsdom", test: "engagements.test.cjs" },
  29: {
    bin: [process.execPath, path.join(ROOT, "node_modules", "jest29", "bin", "jest.js")],
    env: "jest-environment-jsdom29",
    test: "test/engagements.test.js",
  },
};

/**
 * Jest with jsdom. \`recipe\`: the README's two files, as written; else only
 * \`testEnvironment: "jsdom"\` (the issue's "no config"). \`version\`: 30 or 29.
 */
async function jestSuite(tarball, mockUrl, recipe, version = 30) {
  const name = `jest${version}-jsdom${recipe ? "-recipe" : ""}`;
  const jest = JESTS[version];
  const project = await makeProject(
    name,
    tarball,
    recipe
      ? {
          "jsdom-with-fetch.cjs": await readmeFile("jsdom-with-fetch.cjs"),
          "jest.config.cjs": await readmeFile("jest.config.cjs"),
          [jest.test]: JEST_TEST,
        }
      : {
          "jest.config.cjs": 'module.exports = { testEnvironment: "jsdom" };\n',
          [jest.test]: JEST_ZERO_CONFIG_TEST,
          ...(jest.test.startsWith("test/") && { "test/package.json": '{ "type": "commonjs" }\n' }),
        },
  );
  const expected = recipe ? 5 : 8;
  // As the user's \`npm i -D jest-environment-jsdom\` would.
  await fsp.symlink(path.join(ROOT, "node_modules", jest.env), path.join(project.dir, "node_modules", "jest-environment-jsdom"), "dir");
  const report = path.join(project.dir, "jest-report.json");
  // Jest's 5 s default per test is tight while every other runtime runs at once on 2 cores.
  const res = await exec(jest.bin[0], [...jest.bin.slice(1), "--config", "jest.config.cjs", "--ci", "--testTimeout=30000", "--json", `--outputFile=${report}`], {
    cwd: project.dir,
    env: { ...process.env, MOCK_URL: mockUrl, MOCK_TOKEN: tokenOf(name), MOCK_ACCOUNT: `acct-${name}` },
  });
  let results = [];
  try {
    results = JSON.parse(await fsp.readFile(report, "utf8")).testResults.flatMap((f) => f.assertionResults);
  } catch {
    // no report: the row below says why
  }
  const rows = results.map((t) => row(`jest ${version}: ${t.title}`, t.status === "passed", (t.failureMessages ?? []).join("\n").slice(0, 2000)));
  if (results.length !== expected || res.code !== 0) rows.push(row(`jest ran its ${expected} tests and passed`, false, `exit ${res.code}, ${results.length} results:\n${tail(res.stderr + res.stdout)}`));
  return { rows, log: res.stderr, note: `jest ${res.ms} ms` };
}

// ---------------------------------------------------------------------------
// 3a''''. Next.js 16: `next build` (Turbopack, its default) and `next build
// --webpack`, then `next start`: a route handler on the server, an edge route
// handler in Next.js's edge runtime, a 'use client' page in Chromium
// ---------------------------------------------------------------------------

// A hang guard: \`next build\` takes 15-35 s here, with every suite at once.
const NEXT_BUILD_TIMEOUT_MS = 150_000;
const NEXT_VERSIONS = ["next", "react", "react-dom"].map((p) => `${p}@${JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules", p, "package.json"), "utf8")).version}`);

/** A route handler that lists the mock's first 2; \`runtime\`: its segment config line, if any. */
const NEXT_ROUTE = (entry, runtime) => `import { TrutoClient } from "${entry}";
${runtime}export const dynamic = "force-dynamic";
export async function GET(request) {
  const q = new URL(request.url).searchParams;
  const truto = new TrutoClient({ baseUrl: q.get("base"), token: q.get("token"), integratedAccountId: q.get("account"), maxRetries: 0 });
  const page = await truto.list({ limit: 2 });
  return Response.json({ ids: page.result.map((e) => e.id) });
}
`;

const nextApp = (entry) => ({
  "app/layout.js": `export default function RootLayout({ children }) {
  return <html><head><link rel="icon" href="data:," /></head><body>{children}</body></html>;
}
`,
  "app/api/list/route.js": NEXT_ROUTE(entry, ""),
  // The edge runtime (Next.js's own sandbox under \`next start\`; on Vercel, Edge
  // Functions) resolves "edge-light" and refuses to compile wasm from bytes.
  "app/api/edge/route.js": NEXT_ROUTE(entry, 'export const runtime = "edge";\n'),
  "app/page.js": `"use client";
import { useEffect, useState } from "react";
import { TrutoClient } from "${entry}";
export default function Page() {
  const [text, setText] = useState("loading");
  useEffect(() => {
    const q = new URLSearchParams(location.search);
    new TrutoClient({ baseUrl: q.get("base"), token: q.get("token"), integratedAccountId: q.get("account"), maxRetries: 0 })
      .list({ limit: 3 })
      .then((page) => setText("items " + page.result.length), (err) => setText("error " + err.message));
  }, []);
  return <p id="out">{text}</p>;
}
`,
});

/**
 * The edge route's build binds the package's .wasm as a compiled module (the
 * manifest's \`wasm\` list, which Vercel deploys as a module binding), byte for
 * byte: no code of it compiles wasm from bytes, which the edge refuses.
 */
async function edgeWasmRow(dir) {
  const name = "edge route: the build binds the package's .wasm as a module (middleware-manifest), not bytes to compile";
  try {
    const manifest = JSON.parse(await fsp.readFile(path.join(dir, ".next", "server", "middleware-manifest.json"), "utf8"));
    const fn = manifest.functions?.["/api/edge/route"];
    const ours = await fsp.readFile(path.join(dir, "node_modules", "crm-engagements", "crm_engagements_bg.wasm"));
    const bound = await Promise.all((fn?.wasm ?? []).map(async (w) => ({ ...w, same: ours.equals(await fsp.readFile(path.join(dir, ".next", w.filePath))) })));
    return row(name, bound.length === 1 && bound[0].same, fn ? JSON.stringify(bound) : `no /api/edge/route in ${Object.keys(manifest.functions ?? {}).join(", ")}`);
  } catch (err) {
    return row(name, false, err.message);
  }
}

/** `bundler`: "turbopack" (next build's default) or "webpack"; `entry`: the import specifier. */
async function nextSuite(tarball, mockUrl, context, bundler, entry) {
  const name = `next-${bundler}${entry.endsWith("/inline") ? "-inline" : ""}`;
  const rows = [];
  // As create-next-app writes it: no "type": "module". With it, \`next build
  // --webpack\` (16.5.0) fails on any edge route, one that imports nothing too
  // (ENOENT .next/server/app/api/edge/route_client-reference-manifest.js).
  const project = await makeProject(name, tarball, nextApp(entry), { esm: false });
  const deps = await exec("npm", ["install", ...NEXT_VERSIONS, "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", "--no-update-notifier"], { cwd: project.dir });
  if (deps.code !== 0) return { rows: [row(`${name}: npm install ${NEXT_VERSIONS.join(" ")}`, false, tail(deps.stderr))], log: deps.stderr };
  const env = { NEXT_TELEMETRY_DISABLED: "1" };
  const next = path.join(project.dir, "node_modules", ".bin", "next");
  // Once (of about 25 Turbopack builds with the inline entry under full load)
  // \`next build\` printed its whole build, route table included, then did not
  // exit in 240 s; 30 more builds did not repeat it. A build that finished its
  // output but hangs on exit is killed and run once more from scratch, and the
  // suite's note says so; a second hang, or any failed build, fails the row.
  const runBuild = () => exec(next, ["build", ...(bundler === "webpack" ? ["--webpack"] : [])], { cwd: project.dir, env, timeoutMs: NEXT_BUILD_TIMEOUT_MS, group: true });
  let build = await runBuild();
  let rebuilt = "";
  if (build.signal === "SIGKILL" && /^Route \(app\)/m.test(build.stdout) && fs.existsSync(path.join(project.dir, ".next", "BUILD_ID"))) {
    rebuilt = `; the first build printed its route table, then did not exit in ${NEXT_BUILD_TIMEOUT_MS / 1000} s: built again`;
    await fsp.rm(path.join(project.dir, ".next"), { recursive: true, force: true });
    build = await runBuild();
  }
  rows.push(row(`next build${bundler === "webpack" ? " --webpack" : ""} (${NEXT_VERSIONS[0]}) of a route handler, an edge route handler and a 'use client' page importing ${entry}`, build.code === 0, build.code === 0 ? `${build.ms} ms${rebuilt}` : `${tail(build.stdout + build.stderr)}${rebuilt}`));
  if (build.code !== 0) return { rows, log: build.stdout + build.stderr };
  rows.push(await edgeWasmRow(project.dir));
  const port = await freePort();
  const child = spawn(next, ["start", "-p", String(port), "-H", "127.0.0.1"], { cwd: project.dir, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"], detached: true });
  const entryRef = { child, group: true };
  children.add(entryRef);
  cleanups.push(() => killGroup(entryRef));
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const base = `http://127.0.0.1:${port}`;
  const t0 = Date.now();
  let ready = false;
  while (!ready && Date.now() - t0 < PAGE_TIMEOUT_MS) {
    try {
      ready = (await fetch(`${base}/`, { signal: AbortSignal.timeout(2000) })).ok;
    } catch {
      await new Promise((r) => setTimeout(r, 150)); // poll interval, not a readiness assumption
    }
  }
  rows.push(row("next start serves the app", ready, ready ? `${Date.now() - t0} ms` : tail(output)));
  if (ready) {
    const params = (who) => `base=${encodeURIComponent(mockUrl)}&token=${encodeURIComponent(tokenOf(`${name}-${who}`))}&account=acct-${name}-${who}`;
    try {
      const res = await fetch(`${base}/api/list?${params("server")}`, { signal: AbortSignal.timeout(PAGE_TIMEOUT_MS) });
      const body = await res.json();
      rows.push(row("route handler: list() on the server answers the mock's first 2", res.ok && body.ids?.length === 2, JSON.stringify(body)));
    } catch (err) {
      rows.push(row("route handler: list() on the server answers the mock's first 2", false, `${err.message}\n${tail(output)}`));
    }
    try {
      const res = await fetch(`${base}/api/edge?${params("edge")}`, { signal: AbortSignal.timeout(PAGE_TIMEOUT_MS) });
      const text = await res.text();
      const ids = res.ok ? JSON.parse(text).ids : null;
      rows.push(row("edge route handler (runtime \"edge\"): list() answers the mock's first 2", ids?.length === 2, `${res.status} ${text.slice(0, 500)}`));
    } catch (err) {
      rows.push(row("edge route handler (runtime \"edge\"): list() answers the mock's first 2", false, `${err.message}\n${tail(output)}`));
    }
    const page = await context.newPage();
    const problems = [];
    page.on("pageerror", (err) => problems.push(err.message));
    page.on("console", (msg) => msg.type() === "error" && problems.push(msg.text()));
    try {
      await page.goto(`${base}/?${params("client")}`, { waitUntil: "load", timeout: PAGE_TIMEOUT_MS });
      await page.waitForFunction(() => document.querySelector("#out")?.textContent !== "loading", null, { timeout: PAGE_TIMEOUT_MS });
      const text = await page.textContent("#out");
      rows.push(row("'use client' page: list() in Chromium shows the mock's first 3", text === "items 3" && problems.length === 0, `${text}${problems.length ? `; ${problems.join(" | ")}` : ""}`));
    } catch (err) {
      rows.push(row("'use client' page: list() in Chromium shows the mock's first 3", false, `${err.message}; ${problems.join(" | ")}`));
    } finally {
      await page.close().catch(() => {});
    }
  }
  await killGroup(entryRef);
  return { rows, log: `${build.stdout}\n${output}`, note: `next build ${build.ms} ms${rebuilt}` };
}

/**
 * Runs EXIT_RUNNER: the process must end within 10 s of reporting the trap
 * (a timer left behind would hold it until the 30 s wait ran out). Timed from
 * the TRAPPED line, not from the spawn: a runtime's start-up on a loaded
 * machine is no part of what this checks.
 */
async function exitCheck([bin, ...pre], dir, mockUrl, accountId, env) {
  const res = await exec(bin, [...pre, "exit-run.mjs", mockUrl, tokenOf(accountId), accountId], { cwd: dir, env, timeoutMs: 60_000, mark: /^TRAPPED /m });
  const line = /^TRAPPED (.*)$/m.exec(res.stdout)?.[1];
  const seen = line ? JSON.parse(line) : null;
  const afterTrap = res.markMs === null ? null : res.ms - res.markMs;
  const ok = res.code === 0 && seen?.code === "wasm_trap" && seen?.waitMs === 30_000 && afterTrap !== null && afterTrap < 10_000;
  return row(
    "after a trap during a 30 s retry wait, the process ends at once (no timer left behind)",
    ok,
    `exit ${res.code}${res.signal ? ` (${res.signal})` : ""} ${afterTrap ?? "?"} ms after the trap (${res.ms} ms in all); ${line ?? "no TRAPPED line"}${ok ? "" : `\n${tail(res.stderr)}`}`,
  );
}

// ---------------------------------------------------------------------------
// 3b. Browsers: Vite 7 build and a plain page, in headless Chromium
// ---------------------------------------------------------------------------

const PAGE_HTML = (script) => `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>crm-engagements package test</title><link rel="icon" href="data:,"></head>
<body>
<pre id="results"></pre>
${script}
</body>
</html>
`;

/** The page's module code; `specifier` is how it imports the package. */
const PAGE_MAIN = (specifier) => `import { TrutoClient, DevRevClient, isEngagementsError, devRevToEngagement, __testing } from ${JSON.stringify(specifier)};
import { run } from "./scenario.mjs";

const params = new URLSearchParams(location.search);
const out = document.getElementById("results");
run({ TrutoClient, DevRevClient, isEngagementsError, devRevToEngagement, __testing }, {
  baseUrl: params.get("base"),
  token: params.get("token"),
  accountId: params.get("account"),
  log: (line) => console.log(line),
})
  .then((rows) => { out.textContent = JSON.stringify(rows); })
  .catch((err) => {
    out.textContent = JSON.stringify([{ name: "scenario ran to the end", ok: false, detail: String((err && err.stack) || err) }]);
  })
  .finally(() => out.setAttribute("data-done", "1"));
`;

const VITE_CONFIG = `// No imports: vite is not installed in this project, the workspace's vite runs it.
export default {
  logLevel: "info",
  build: { outDir: "dist", emptyOutDir: true },
};
`;

/** Opens `url` in the shared Chromium context and returns the scenario rows + page checks. */
async function runPage(context, label, url, { mockUrl, wasmPath }) {
  const rows = [];
  const problems = [];
  const logs = [];
  const wasmResponses = [];
  const page = await context.newPage();
  let fail;
  const failed = new Promise((_, reject) => (fail = reject));
  failed.catch(() => {});
  // The scenario provokes these HTTP errors (Truto: 404 after delete, 401 with a
  // wrong token, 429s it retries; the accounts of the mock's misbehaving CRMs,
  // `acct-<profile>:<run>`, each answer with their documented error; DevRev: 404 on
  // engagements.get after delete); Chromium logs them as "Failed to load resource".
  // Anything else is a failure.
  const remoteAccount = /[?&]integrated_account_id=acct-(strict|missing-scopes|needs-reauth|sandbox|terse|throttled)%3A/;
  const expectedHttpError = (msg) => {
    const text = msg.text();
    const at = msg.location().url ?? "";
    return (/^Failed to load resource: the server responded with a status of (401|404|429)\b/.test(text) && at.startsWith(`${mockUrl}/unified/crm/engagements`)) ||
      (/^Failed to load resource: the server responded with a status of (400|401|403|405|422|429)\b/.test(text) && at.startsWith(`${mockUrl}/unified/crm/engagements`) && remoteAccount.test(at)) ||
      (/^Failed to load resource: the server responded with a status of 404\b/.test(text) && at === `${mockUrl}/engagements.get`);
  };
  page.on("pageerror", (err) => {
    problems.push(`pageerror: ${err.stack || err.message}`);
    fail(new Error(`page error: ${err.message}`));
  });
  page.on("console", (msg) => {
    logs.push(`[${msg.type()}] ${msg.text()}`);
    if (msg.type() === "error" && !expectedHttpError(msg)) {
      problems.push(`console.error: ${msg.text()} (${msg.location().url ?? ""})`);
      fail(new Error(`console error: ${msg.text()}`));
    }
  });
  page.on("requestfailed", (req) => {
    if (!req.url().startsWith(mockUrl)) problems.push(`request failed: ${req.url()} ${req.failure()?.errorText}`);
  });
  page.on("response", (res) => {
    if (res.url().endsWith(".wasm")) wasmResponses.push({ url: res.url(), status: res.status(), type: res.headers()["content-type"] });
  });
  try {
    const target = `${url}?base=${encodeURIComponent(mockUrl)}&token=${encodeURIComponent(tokenOf(label))}&account=acct-${label}`;
    await Promise.race([page.goto(target, { waitUntil: "load", timeout: PAGE_TIMEOUT_MS }), failed]);
    await Promise.race([
      page.waitForSelector("#results[data-done]", { state: "attached", timeout: SCENARIO_TIMEOUT_MS }),
      failed,
    ]);
    rows.push(...JSON.parse(await page.textContent("#results")));
  } catch (err) {
    rows.push(row(`${label}: page ran the scenario`, false, `${err.message}\n${problems.join("\n")}\n${tail(logs.join("\n"), 15)}`));
  } finally {
    await page.close().catch(() => {});
  }
  if (wasmPath === null) {
    rows.push(row("the page fetched no .wasm: it is inside the bundle", wasmResponses.length === 0, JSON.stringify(wasmResponses)));
  } else {
    const at = (url) => new URL(url).pathname;
    const wasmOk = wasmResponses.length === 1 && wasmResponses[0].status === 200 &&
      wasmResponses[0].type === "application/wasm" &&
      (wasmPath instanceof RegExp ? wasmPath.test(at(wasmResponses[0].url)) : at(wasmResponses[0].url) === wasmPath);
    rows.push(row(
      `the page fetched ${wasmPath} once as application/wasm`,
      wasmOk,
      JSON.stringify(wasmResponses),
    ));
  }
  const warnings = logs.filter((l) => l.startsWith("[warning]"));
  rows.push(row(
    "no page errors, no unexpected console errors, no failed requests",
    problems.length === 0,
    problems.join("\n") || `clean${warnings.length ? `; console warnings: ${warnings.join(" | ")}` : ", no console warnings"}`,
  ));
  return { rows, log: logs.join("\n") };
}

async function viteSuite(tarball, mockUrl, context) {
  const rows = [];
  const project = await makeProject("vite", tarball, {
    "index.html": PAGE_HTML('<script type="module" src="./main.js"></script>'),
    "main.js": PAGE_MAIN("crm-engagements"),
    "vite.config.mjs": VITE_CONFIG,
  });
  const build = await exec(path.join(BIN, "vite"), ["build", project.dir, "--config", path.join(project.dir, "vite.config.mjs")], {
    cwd: project.dir,
  });
  const viteWarnings = `${build.stdout}\n${build.stderr}`.split("\n").filter((l) => /warn|\(!\)/i.test(l));
  rows.push(row(
    "vite build succeeds",
    build.code === 0,
    build.code === 0 ? `${build.ms} ms${viteWarnings.length ? `; warnings: ${viteWarnings.join(" | ")}` : ", no warnings"}` : tail(build.stdout + build.stderr),
  ));
  if (build.code !== 0) return { rows, log: build.stdout + build.stderr };
  const assets = await fsp.readdir(path.join(project.dir, "dist", "assets"));
  const hashed = assets.filter((f) => /^crm_engagements_bg-[A-Za-z0-9_-]{6,}\.wasm$/.test(f));
  rows.push(row("dist/assets holds one hashed .wasm asset", hashed.length === 1, assets.join(", ")));
  const js = assets.filter((f) => f.endsWith(".js"));
  const jsText = (await Promise.all(js.map((f) => fsp.readFile(path.join(project.dir, "dist", "assets", f), "utf8")))).join("\n");
  rows.push(row("the bundle references the hashed .wasm", hashed.length === 1 && jsText.includes(hashed[0]), js.join(", ")));
  const server = await startStaticServer(path.join(project.dir, "dist"));
  const page = await runPage(context, "vite", `${server.url}/index.html`, { mockUrl, wasmPath: `/assets/${hashed[0]}` });
  await server.close();
  return { rows: [...rows, ...page.rows], log: `${build.stdout}\n${page.log}`, note: `vite build ${build.ms} ms` };
}

async function plainPageSuite(tarball, mockUrl, context) {
  const project = await makeProject("browser-plain", tarball, {
    "index.html": PAGE_HTML('<script type="module" src="./main.js"></script>'),
    "main.js": PAGE_MAIN("./node_modules/crm-engagements/index.js"),
  });
  const server = await startStaticServer(project.dir);
  const page = await runPage(context, "browser-plain", `${server.url}/index.html`, {
    mockUrl,
    wasmPath: "/node_modules/crm-engagements/crm_engagements_bg.wasm",
  });
  await server.close();
  return page;
}

/**
 * A page built by a bundler, in Chromium: `files` (beside an `index.html`
 * loading `script`, a classic script when `classic`), bundled by `bin args`
 * in the project; `what` names the
 * build's row; `wasmPath` as runPage takes it (`null`: the .wasm is inside).
 * A bundler that builds the page itself (Parcel) gets no `script`, its own
 * `index.html` in `files`, and `page`: the built page's path.
 */
async function bundledPageSuite(name, tarball, mockUrl, context, { files, script, classic = false, bin, args, what, wasmPath, page: pagePath = "/index.html" }) {
  const project = await makeProject(name, tarball, {
    ...(script && { "index.html": PAGE_HTML(`<script${classic ? "" : ' type="module"'} src="${script}"></script>`) }),
    ...files,
  });
  const build = await exec(path.join(BIN, bin), args, { cwd: project.dir });
  const built = row(what, build.code === 0, build.code === 0 ? `${build.ms} ms` : tail(build.stderr + build.stdout));
  if (build.code !== 0) return { rows: [built], log: build.stderr };
  const server = await startStaticServer(project.dir);
  const page = await runPage(context, name, `${server.url}${pagePath}`, { mockUrl, wasmPath });
  await server.close();
  return { ...page, rows: [built, ...page.rows] };
}

const INLINE_PAGE = { "main.js": PAGE_MAIN("crm-engagements/inline") };

/** Rollup 4 with only node-resolve (no wasm plugin) over the inline entry. */
const rollupSuite = (tarball, mockUrl, context) => {
  const resolvePlugin = path.join(ROOT, "node_modules", "@rollup", "plugin-node-resolve", "dist", "es", "index.js");
  return bundledPageSuite("rollup-inline", tarball, mockUrl, context, {
    files: {
      ...INLINE_PAGE,
      "rollup.config.mjs": `import { nodeResolve } from ${JSON.stringify(pathToFileURL(resolvePlugin).href)};
export default { input: "main.js", output: { file: "dist/bundle.js", format: "es" }, plugins: [nodeResolve({ browser: true })] };
`,
    },
    script: "./dist/bundle.js",
    bin: "rollup",
    args: ["-c", "rollup.config.mjs", "--silent"],
    what: "rollup -c (node-resolve only, no wasm plugin) bundles an app importing crm-engagements/inline",
    wasmPath: null,
  });
};

/**
 * Rollup 4 over the default entry, with node-resolve and the plugin the README
 * names for `new URL("…wasm", import.meta.url)` assets
 * (@web/rollup-plugin-import-meta-assets): the .wasm is emitted beside the bundle.
 */
const rollupDefaultSuite = (tarball, mockUrl, context) => {
  const resolvePlugin = path.join(ROOT, "node_modules", "@rollup", "plugin-node-resolve", "dist", "es", "index.js");
  const assetsPlugin = path.join(ROOT, "node_modules", "@web", "rollup-plugin-import-meta-assets", "index.mjs");
  return bundledPageSuite("rollup-default", tarball, mockUrl, context, {
    files: {
      "main.js": PAGE_MAIN("crm-engagements"),
      "rollup.config.mjs": `import { nodeResolve } from ${JSON.stringify(pathToFileURL(resolvePlugin).href)};
import { importMetaAssets } from ${JSON.stringify(pathToFileURL(assetsPlugin).href)};
export default { input: "main.js", output: { dir: "dist", format: "es" }, plugins: [nodeResolve({ browser: true }), importMetaAssets()] };
`,
    },
    script: "./dist/main.js",
    bin: "rollup",
    args: ["-c", "rollup.config.mjs", "--silent"],
    what: "rollup -c with node-resolve and @web/rollup-plugin-import-meta-assets bundles an app importing crm-engagements",
    wasmPath: /^\/dist\/assets\/crm_engagements_bg-[^/]+\.wasm$/,
  });
};

/** webpack 5 with no configuration over the default entry. */
const webpackSuite = (tarball, mockUrl, context) =>
  bundledPageSuite("webpack", tarball, mockUrl, context, {
    files: { "src/index.js": PAGE_MAIN("crm-engagements").replace('from "./scenario.mjs"', 'from "../scenario.mjs"') },
    script: "./dist/main.js",
    classic: true,
    bin: "webpack",
    args: ["--mode", "production", "--no-stats"],
    what: "webpack --mode production with no webpack.config (the default entry)",
    wasmPath: /^\/dist\/[^/]+\.wasm$/,
  });

/**
 * webpack 5 with no configuration over CommonJS code that \`require\`s the
 * package: the \`browser\` + \`require\` conditions pick pkg/inline.cjs (the
 * .wasm inside, compiled synchronously on the page's main thread).
 */
const webpackRequireSuite = (tarball, mockUrl, context) =>
  bundledPageSuite("webpack-require", tarball, mockUrl, context, {
    files: {
      "src/api.cjs": 'module.exports = require("crm-engagements");\n',
      "src/index.js": PAGE_MAIN("./api.cjs").replace('from "./scenario.mjs"', 'from "../scenario.mjs"'),
    },
    script: "./dist/main.js",
    classic: true,
    bin: "webpack",
    args: ["--mode", "production", "--no-stats"],
    what: "webpack --mode production with no webpack.config, the package `require`d from CommonJS",
    wasmPath: null,
  });

/** esbuild `--platform=browser` over the inline entry. */
const esbuildBrowserSuite = (tarball, mockUrl, context) =>
  bundledPageSuite("esbuild-browser-inline", tarball, mockUrl, context, {
    files: INLINE_PAGE,
    script: "./dist/main.js",
    bin: "esbuild",
    args: ["main.js", "--bundle", "--platform=browser", "--format=esm", "--outfile=dist/main.js", "--log-level=warning"],
    what: "esbuild --bundle --platform=browser --format=esm of an app importing crm-engagements/inline",
    wasmPath: null,
  });

/**
 * Parcel 2 with no configuration, from an HTML entry (how Parcel is used): it
 * emits the .wasm the default entry loads with `new URL(..., import.meta.url)`.
 */
const parcelSuite = (tarball, mockUrl, context) =>
  bundledPageSuite("parcel", tarball, mockUrl, context, {
    files: {
      "src/index.html": PAGE_HTML('<script type="module" src="./main.js"></script>'),
      "src/main.js": PAGE_MAIN("crm-engagements").replace('from "./scenario.mjs"', 'from "../scenario.mjs"'),
    },
    bin: "parcel",
    args: ["build", "src/index.html", "--dist-dir", "dist", "--public-url", "./", "--no-cache", "--log-level", "warn"],
    what: "parcel build src/index.html with no configuration (the default entry)",
    wasmPath: /^\/dist\/crm_engagements_bg\.[0-9a-f]+\.wasm$/,
    page: "/dist/index.html",
  });

/** `bun build --target=browser` over the inline entry. */
const bunSuite = (tarball, mockUrl, context) =>
  bundledPageSuite("bun-inline", tarball, mockUrl, context, {
    files: INLINE_PAGE,
    script: "./dist/main.js",
    bin: "bun",
    args: ["build", "main.js", "--target=browser", "--outdir=dist"],
    what: "bun build --target=browser bundles an app importing crm-engagements/inline",
    wasmPath: null,
  });

async function launchChromium() {
  const { chromium } = await import("playwright-core");
  const profile = path.join(tmpRoot, "chromium-profile");
  await fsp.mkdir(profile);
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 60_000,
    // This script stops Chromium itself (cleanup), also on SIGINT/SIGTERM.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  if (aborting) {
    await context.close().catch(() => {});
    throw new Error("aborted");
  }
  cleanups.push(() => context.close().catch(() => {}));
  return context;
}

// ---------------------------------------------------------------------------
// 3c. workerd (wrangler dev)
// ---------------------------------------------------------------------------

const WORKER = `import { TrutoClient, DevRevClient, isEngagementsError, devRevToEngagement, __testing } from "crm-engagements";
// Workers refuse to compile wasm from bytes, so under "workerd" the inline
// entry is the module-binding one too (else this worker would not start).
import * as inlineEntry from "crm-engagements/inline";
import { run } from "./scenario.mjs";
import readmeKvWorker from "./readme-kv.mjs";

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    // The README's KV example, as written, with the mock's URL, token and account.
    if (url.pathname === "/kv") {
      const param = (name) => url.searchParams.get(name) ?? undefined;
      return readmeKvWorker.fetch(request, { KV: env.KV, TRUTO_BASE_URL: param("base"), TRUTO_TOKEN: param("token"), ACCOUNT: param("account") });
    }
    if (url.pathname !== "/run") return new Response("crm-engagements package test worker\\n");
    const logs = [];
    try {
      const rows = await run({ TrutoClient, DevRevClient, isEngagementsError, devRevToEngagement, __testing }, {
        baseUrl: url.searchParams.get("base"),
        token: url.searchParams.get("token"),
        accountId: url.searchParams.get("account"),
        log: (line) => logs.push(line),
      });
      rows.push({
        name: 'import "crm-engagements/inline" under workerd is the same entry (workerd.js: the .wasm bound as a module)',
        ok: inlineEntry.TrutoClient === TrutoClient && inlineEntry.DevRevClient === DevRevClient,
        detail: inlineEntry.TrutoClient === TrutoClient ? "one TrutoClient" : "two different TrutoClient classes",
      });
      return Response.json({ rows, logs });
    } catch (err) {
      return Response.json({ rows: [{ name: "scenario ran to the end", ok: false, detail: String((err && err.stack) || err) }], logs }, { status: 500 });
    }
  },
};
`;

const WRANGLER_TOML = `name = "crm-engagements-package-test"
main = "worker.mjs"
compatibility_date = "2026-04-01"

# Local only: wrangler dev simulates KV in .wrangler/state (no account).
[[kv_namespaces]]
binding = "KV"
id = "crm-engagements-package-test"
`;

/** The README's Worker example that keeps a checkpoint in KV (the one fenced block naming \`env.KV\`). */
async function readmeKvExample() {
  const readme = await fsp.readFile(path.join(ROOT, "README.md"), "utf8");
  const blocks = [...readme.matchAll(/^```js\n([\s\S]*?)^```$/gm)].map((m) => m[1]).filter((b) => b.includes("env.KV"));
  if (blocks.length !== 1) throw new Error(`README.md has ${blocks.length} js examples using env.KV, want 1`);
  return blocks[0];
}

/**
 * The README's KV example under wrangler dev: invoked until it says
 * `complete`, on an account of 5,000 (the mock's `acct-5000-items:<run>`), it
 * lists 4,000 (40 requests of 100), then the last 1,000 from its checkpoint in
 * the local KV: 50 distinct pages in all, none twice, no 429.
 */
async function kvInvocations(base, mockUrl, output) {
  const name = "README Worker example: listAll across invocations with maxRequests and a checkpoint in KV";
  const account = "acct-5000-items:workerd-kv";
  const url = `${base}/kv?base=${encodeURIComponent(mockUrl)}&token=${encodeURIComponent(tokenOf("workerd-kv"))}&account=${encodeURIComponent(account)}`;
  try {
    const answers = [];
    for (let i = 0; i < 3 && !answers.at(-1)?.complete; i += 1) {
      const res = await fetch(url, { signal: AbortSignal.timeout(PAGE_TIMEOUT_MS) });
      const text = await res.text();
      if (!res.ok) throw new Error(`GET /kv answered ${res.status}: ${text.slice(0, 500)}`);
      answers.push(JSON.parse(text));
    }
    const shape = JSON.stringify(answers);
    if (shape !== JSON.stringify([{ listed: 4000, complete: false }, { listed: 1000, complete: true }])) {
      throw new Error(`invocations answered ${shape}`);
    }
    const all = await (await fetch(`${mockUrl}/__mock/requests`)).json();
    const pages = all.filter((r) => r.path === "/unified/crm/engagements" && new URLSearchParams(r.query).get("integrated_account_id") === account);
    const cursors = new Set(pages.map((r) => new URLSearchParams(r.query).get("next_cursor")));
    if (pages.length !== 50 || cursors.size !== 50 || pages.some((r) => r.status === 429)) {
      throw new Error(`${pages.length} page requests, ${cursors.size} distinct cursors, statuses ${[...new Set(pages.map((r) => r.status))]}`);
    }
    return row(name, true, `${shape}; 50 distinct pages`);
  } catch (err) {
    return row(name, false, `${err.message}\n${tail(output)}`);
  }
}

/** Stops a detached process group: SIGTERM, then SIGKILL if it lingers. */
async function killGroup(entry, graceMs = 5000) {
  const { child } = entry;
  const alive = () => {
    try {
      process.kill(-child.pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (!alive()) return;
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {}
  const deadline = Date.now() + graceMs;
  while (alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (alive()) {
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {}
  }
  children.delete(entry);
}

const MOCK_READY_MS = 30_000;

/**
 * The mock Truto + DevRev API (tests/mock/server.mjs) in a process of its own, so
 * that its answers never wait on this process's event loop, which is busy
 * spawning builds and driving Chromium: under a full run on 2 cores that wait
 * was enough to time out a call (the Jest realm check, a workerd poll). Ready
 * when it prints `MOCK_READY <url>`, which it does once it is listening.
 */
async function startMockProcess() {
  const child = spawn(process.execPath, [path.join(ROOT, "tests/mock/server.mjs")], {
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const entry = { child, group: true };
  children.add(entry);
  cleanups.push(() => killGroup(entry));
  // Its stderr: kept for the error below until it is ready, then passed on to ours.
  let output = "";
  let ready = false;
  child.stderr.on("data", (d) => (ready ? process.stderr.write(`[mock] ${d}`) : (output += d)));
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the mock printed no MOCK_READY in ${MOCK_READY_MS} ms:\n${output}`)), MOCK_READY_MS);
    const onData = (d) => {
      output += d;
      const m = /^MOCK_READY (\S+)$/m.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout.on("data", onData);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the mock exited (${code ?? signal}) before it was ready:\n${output}`));
    });
  });
  // Its stdout stays read by onData (a full pipe would stall it): after the
  // MOCK_READY line it prints nothing more there.
  ready = true;
  return { url };
}

async function workerdSuite(tarball, mockUrl) {
  const rows = [];
  const project = await makeProject("workerd", tarball, { "worker.mjs": WORKER, "wrangler.toml": WRANGLER_TOML, "readme-kv.mjs": await readmeKvExample() });
  const [port, inspectorPort] = [await freePort(), await freePort()];
  const t0 = Date.now();
  if (aborting) throw new Error("aborted");
  const child = spawn(
    path.join(BIN, "wrangler"),
    ["dev", "--ip", "127.0.0.1", "--port", String(port), "--inspector-port", String(inspectorPort), "--show-interactive-dev-session=false"],
    {
      cwd: project.dir,
      env: {
        ...process.env,
        WRANGLER_SEND_METRICS: "false",
        WRANGLER_LOG_PATH: path.join(project.dir, "wrangler-logs"), // not ~/.config/.wrangler/logs
        NO_COLOR: "1",
        FORCE_COLOR: "0",
        CI: "1",
      },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true, // its own process group: wrangler + workerd stop together
    },
  );
  const entry = { child, group: true };
  children.add(entry);
  cleanups.push(() => killGroup(entry));
  let output = "";
  const append = (d) => (output += String(d).replace(/\x1b\[[0-9;]*[A-Za-z]/g, "")); // no ANSI colours
  child.stdout.on("data", append);
  child.stderr.on("data", append);
  let exited = null;
  child.on("exit", (code, signal) => (exited = { code, signal }));

  const base = `http://127.0.0.1:${port}`;
  let scenarioLog = "";
  // Readiness: poll the port until the worker answers (bounded).
  let ready = false;
  while (!ready && exited === null && Date.now() - t0 < WRANGLER_READY_MS) {
    try {
      const res = await fetch(`${base}/`, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      ready = res.ok;
    } catch {
      await new Promise((r) => setTimeout(r, 150)); // poll interval, not a readiness assumption
    }
  }
  const readyMs = Date.now() - t0;
  rows.push(row("wrangler dev starts and the worker answers", ready, ready ? `${readyMs} ms` : `${exited ? `exited ${JSON.stringify(exited)}` : `not ready after ${readyMs} ms`}:\n${tail(output)}`));
  if (ready) {
    try {
      const res = await fetch(`${base}/run?base=${encodeURIComponent(mockUrl)}&token=${encodeURIComponent(tokenOf("workerd"))}&account=acct-workerd`, {
        signal: AbortSignal.timeout(SCENARIO_TIMEOUT_MS),
      });
      const text = await res.text();
      let body;
      try {
        body = JSON.parse(text);
      } catch {
        throw new Error(`GET /run answered ${res.status} with non-JSON: ${text.slice(0, 500)}\n${tail(output)}`);
      }
      rows.push(...body.rows);
      scenarioLog = body.logs.join("\n");
    } catch (err) {
      rows.push(row("GET /run returned the scenario results", false, `${err.message}\n${tail(output)}`));
    }
    rows.push(await kvInvocations(base, mockUrl, output));
  }
  await killGroup(entry);
  const noise = output.split("\n").filter((l) => /error/i.test(l) && !/Request\.cf|ENOTFOUND|getaddrinfo|GetAddrInfoReqWrap/.test(l));
  const warnings = output.split("\n").filter((l) => /\bwarn/i.test(l) && !/Request\.cf/.test(l));
  rows.push(row(
    "wrangler output has no errors (besides the offline Request.cf warning)",
    noise.length === 0,
    noise.join("\n") || `clean${warnings.length ? `; warnings: ${warnings.join(" | ")}` : ", no other warnings"}`,
  ));
  return { rows, log: `${output}\n${scenarioLog}`, note: `wrangler ready in ${readyMs} ms` };
}

// ---------------------------------------------------------------------------
// 5. tsc
// ---------------------------------------------------------------------------

const TSC_FLAGS = ["--strict", "--noEmit", "--skipLibCheck", "false", "--target", "es2022", "--module", "nodenext"];

/**
 * The README's fenced JavaScript examples (```js), each as an ES module that
 * tsc checks (`// @ts-check` under checkJs). An example that uses the package
 * without importing it (a snippet inside a section) gets the package's imports
 * prepended; names it uses without defining (`truto`, `devrev`) come from
 * README_GLOBALS. Nothing else is added to the text as written.
 */
function readmeExamples(readme) {
  const out = [];
  const fence = /^```js\n([\s\S]*?)^```$/gm;
  for (const m of readme.matchAll(fence)) {
    const line = readme.slice(0, m.index).split("\n").length;
    let text = m[1];
    // A CommonJS config file (\`// name.cjs\` on its first line) is not an ES module
    // example: the suite it configures runs it as written (see readmeFile).
    if (/^\/\/ [\w.-]+\.cjs\n/.test(text)) continue;
    if (/\b(TrutoClient|DevRevClient|isEngagementsError|devRevToEngagement)\b/.test(text) && !/from "crm-engagements(\/[^"]*)?"/.test(text)) {
      text = `import { TrutoClient, DevRevClient, isEngagementsError, devRevToEngagement } from "crm-engagements";\n${text}`;
    }
    out.push({ file: `readme-${out.length + 1}.mjs`, line, text: `// @ts-check\n// README.md line ${line}\n${text}\nexport {};\n` });
  }
  return out;
}

/**
 * @web/rollup-plugin-import-meta-assets 2.3.3 ships types its package.json
 * "exports" do not expose, so under `moduleResolution: nodenext` tsc cannot
 * find them (TS7016). Its one export, as its own index.d.ts declares it, for
 * the README's Rollup config. (An ambient script: no import or export.)
 */
const README_MODULES = `declare module "@web/rollup-plugin-import-meta-assets" {
  export function importMetaAssets(options?: { include?: string | string[]; exclude?: string | string[]; warnOnError?: boolean; transform?: Function }): import("rollup").Plugin;
}
`;

/** What the README's snippets take as given: a client made earlier, Node's `process`. */
const README_GLOBALS = `import type { TrutoClient, DevRevClient } from "crm-engagements";
declare global {
  const truto: TrutoClient;
  const devrev: DevRevClient;
  const process: { env: Record<string, string | undefined> };
}
export {};
`;

function tsconfig(files, extra = {}) {
  return `${JSON.stringify({
    compilerOptions: {
      strict: true,
      noEmit: true,
      skipLibCheck: false,
      target: "es2022",
      module: "nodenext",
      moduleResolution: "nodenext",
      types: [],
      ...extra,
    },
    files,
  }, null, 2)}\n`;
}

/** `file(line,col): error TSxxxx: message` lines of a tsc run. */
function tscErrors(output) {
  return [...output.matchAll(/^(.+?)\((\d+),(\d+)\): error (TS\d+): (.*)$/gm)].map((m) => ({
    file: m[1], line: Number(m[2]), code: m[4], message: m[5],
  }));
}

async function tscSuite(tarball) {
  const rows = [];
  const consumerTs = await fsp.readFile(path.join(HERE, "consumer.ts"), "utf8");
  const consumerCts = await fsp.readFile(path.join(HERE, "consumer.cts"), "utf8");
  const DIRECTIVE = /^(\s*)\/\/ @ts-expect-error\b.*$/;
  const strip = (text) => text.split("\n").map((l) => l.replace(DIRECTIVE, "$1// (expect-error removed)")).join("\n");
  const examples = readmeExamples(await fsp.readFile(path.join(ROOT, "README.md"), "utf8"));
  const project = await makeProject("tsc", tarball, {
    "consumer.ts": consumerTs,
    "consumer.cts": consumerCts,
    "tsconfig.json": tsconfig(["consumer.ts", "consumer.cts"]),
    "stripped.ts": strip(consumerTs),
    "stripped.cts": strip(consumerCts),
    "tsconfig.stripped.json": tsconfig(["stripped.ts", "stripped.cts"]),
    ...Object.fromEntries(examples.map((e) => [e.file, e.text])),
    "readme-globals.d.ts": README_GLOBALS,
    "readme-modules.d.ts": README_MODULES,
    "tsconfig.readme.json": tsconfig(["readme-globals.d.ts", "readme-modules.d.ts", ...examples.map((e) => e.file)], { allowJs: true, checkJs: true }),
    // A bundler's world is ESM: the .cts consumer (CommonJS `import = require`) is for node16/nodenext.
    "tsconfig.bundler.json": tsconfig(["consumer.ts"]),
  });
  // The README's Rollup config imports its plugins: give the project the pinned
  // dev copies (with their own types), as a user's `npm i -D` would.
  for (const dep of ["rollup", "@rollup/plugin-node-resolve", "@web/rollup-plugin-import-meta-assets"]) {
    const to = path.join(project.dir, "node_modules", dep);
    await fsp.mkdir(path.dirname(to), { recursive: true });
    await fsp.symlink(path.join(ROOT, "node_modules", dep), to, "dir");
  }
  const tsc = path.join(BIN, "tsc");
  const [main, stripped, readme] = await Promise.all([
    exec(tsc, ["-p", "tsconfig.json", ...TSC_FLAGS, "--listFiles"], { cwd: project.dir }),
    exec(tsc, ["-p", "tsconfig.stripped.json", ...TSC_FLAGS, "--pretty", "false"], { cwd: project.dir }),
    exec(tsc, ["-p", "tsconfig.readme.json", ...TSC_FLAGS, "--pretty", "false"], { cwd: project.dir }),
  ]);
  const readmeOut = readme.stdout + readme.stderr;
  rows.push(row(
    `README: its ${examples.length} JavaScript examples type-check under tsc --strict (checkJs) against the packed package`,
    examples.length >= 6 && readme.code === 0 && tscErrors(readmeOut).length === 0,
    readme.code === 0 ? examples.map((e) => `${e.file}: README line ${e.line}`).join(", ") : tail(readmeOut),
  ));
  const mainOut = main.stdout + main.stderr;
  rows.push(row(
    `tsc ${TSC_FLAGS.join(" ")} passes on consumer.ts + consumer.cts (every @ts-expect-error used)`,
    main.code === 0 && tscErrors(mainOut).length === 0,
    main.code === 0 ? `${main.ms} ms` : tail(mainOut.split("\n").filter((l) => !l.startsWith("/")).join("\n")),
  ));
  const listed = mainOut.split("\n").map((l) => l.trim());
  const dts = path.join(project.dir, "node_modules/crm-engagements/crm_engagements.d.ts");
  const dcts = path.join(project.dir, "node_modules/crm-engagements/crm_engagements.d.cts");
  rows.push(row(
    "ESM consumer gets crm_engagements.d.ts, CJS consumer gets crm_engagements.d.cts (from the installed tarball)",
    listed.includes(dts) && listed.includes(dcts),
    listed.filter((l) => l.includes("crm-engagements") || l.includes("crm_engagements")).join(", ") || "neither listed",
  ));
  // Without the directives, every marked line must fail on its own, and nothing else.
  const errors = tscErrors(stripped.stdout + stripped.stderr);
  for (const [file, text] of [["stripped.ts", consumerTs], ["stripped.cts", consumerCts]]) {
    const marked = text.split("\n").flatMap((l, i) => (DIRECTIVE.test(l) ? [i + 2] : []));
    const got = errors.filter((e) => e.file === file);
    const unmatched = marked.filter((line) => !got.some((e) => e.line === line));
    const stray = got.filter((e) => !marked.includes(e.line));
    rows.push(row(
      `${file.replace("stripped", "consumer")}: each of the ${marked.length} @ts-expect-error lines is an error on its own`,
      marked.length > 0 && unmatched.length === 0 && stray.length === 0,
      unmatched.length || stray.length
        ? `not rejected: lines ${unmatched.join(", ") || "-"}; other errors: ${stray.map((e) => `${e.line}: ${e.code} ${e.message}`).join(" | ") || "-"}`
        : got.map((e) => `${e.line}: ${e.code}`).join(", "),
    ));
  }
  // The same consumer under the other module resolutions TypeScript users pick.
  for (const [module, resolution, config, files] of [
    ["esnext", "bundler", "tsconfig.bundler.json", "consumer.ts"],
    ["node16", "node16", "tsconfig.json", "consumer.ts + consumer.cts"],
  ]) {
    const flags = ["--strict", "--noEmit", "--skipLibCheck", "false", "--target", "es2022", "--module", module, "--moduleResolution", resolution];
    const other = await exec(tsc, ["-p", config, ...flags, "--pretty", "false"], { cwd: project.dir });
    const errors = tscErrors(other.stdout + other.stderr);
    rows.push(row(
      `tsc --module ${module} --moduleResolution ${resolution} passes on ${files}`,
      other.code === 0 && errors.length === 0,
      other.code === 0 ? `${other.ms} ms` : tail(other.stdout + other.stderr),
    ));
  }
  return { rows, log: mainOut };
}

// ---------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------

let cleaning = null;

/** Stops everything this run started and removes its temp folder (once). */
function cleanup() {
  cleaning ??= (async () => {
    while (cleanups.length) {
      const fn = cleanups.pop();
        let timer;
      try {
        // Bounded: a stuck step must not stop the others (nor let the process idle out).
        await Promise.race([
          fn(),
          new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`cleanup step timed out: ${fn}`)), 15_000))),
        ]);
      } catch (err) {
        say(`[cleanup] ${err.message}`);
      } finally {
        clearTimeout(timer);
      }
    }
    for (const entry of [...children]) {
      if (entry.group) await killGroup(entry, 1000);
      else entry.child.kill("SIGKILL");
    }
    if (tmpRoot) await fsp.rm(tmpRoot, { recursive: true, force: true }).catch(() => {});
  })();
  return cleaning;
}

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, async () => {
    aborting = true;
    say(`\n${signal}: stopping every process this run started`);
    await cleanup();
    // Suites still unwinding (they start nothing new now) may write files after the
    // first removal: let them finish, bounded, then remove again.
    let timer;
    await Promise.race([Promise.allSettled(pending), new Promise((r) => (timer = setTimeout(r, 10_000)))]);
    clearTimeout(timer);
    if (tmpRoot) await fsp.rm(tmpRoot, { recursive: true, force: true }).catch(() => {});
    process.exit(130);
  });
}

// PACKAGE_TEST_ONLY=<regex>: run only the suites whose name matches, for a quick
// check while working on one toolchain. `make test` never sets it, and the report
// names every suite left out, so a filtered run cannot pass for a whole one.
const ONLY = process.env.PACKAGE_TEST_ONLY ? new RegExp(process.env.PACKAGE_TEST_ONLY) : null;
const NOT_RUN = Symbol("not run");
const notRun = [];

function guard(label, fn) {
  if (ONLY && !ONLY.test(label)) {
    notRun.push(label);
    return NOT_RUN;
  }
  return guarded(label, fn);
}

async function guarded(label, fn) {
  try {
    return await fn();
  } catch (err) {
    return { rows: [row(`${label}: set up and run`, false, err.stack || err.message)], log: "" };
  }
}

async function main() {
  if (!fs.existsSync(path.join(PKG, "crm_engagements_bg.wasm"))) {
    say("pkg/ is not built: run `make pkg` first");
    return 1;
  }
  tmpRoot = await fsp.mkdtemp(path.join(os.tmpdir(), "crm-engagements-package-"));
  const suites = [];
  try {
    const pack = await packSuite();
    suites.push({ runtime: "pack", rows: pack.rows });

    const mock = await startMockProcess();
    say(`mock Truto + DevRev API on ${mock.url} (its own process)`);

    // The runtimes are independent, so they run side by side: one Truto integrated account
    // each; DevRev's store is shared, so each run works on engagements it created itself,
    // tagged with its own external_ref (see scenario.mjs).
    let chromium;
    const browser = () => (chromium ??= launchChromium());
    // Other Node releases (the Makefile installs them: the oldest `engines`
    // allows and the current ones), each running the same two suites.
    const others = [];
    for (const given of (process.env.PACKAGE_TEST_NODES ?? "").split(/\s+/).filter(Boolean)) {
      const bin = path.resolve(given);
      const v = await exec(bin, ["--version"]);
      const major = /^v(\d+)\./.exec(v.stdout.trim())?.[1];
      if (v.code !== 0 || !major) throw new Error(`PACKAGE_TEST_NODES: ${bin} is not a working node (${v.stderr.trim()})`);
      others.push([major, bin]);
    }
    say(`Node: ${process.version} (this one)${others.map(([m, b]) => `, v${m} (${path.relative(ROOT, b)})`).join("")}`);
    const runs = {
      "node-esm": guard("node-esm", () => nodeSuite("esm", pack.tarball, mock.url)),
      "node-cjs": guard("node-cjs", () => nodeSuite("cjs", pack.tarball, mock.url)),
      ...Object.fromEntries(
        others.flatMap(([major, bin]) =>
          ["esm", "cjs"].map((kind) => {
            const name = `node${major}-${kind}`;
            return [name, guard(name, () => nodeSuite(kind, pack.tarball, mock.url, name, bin))];
          }),
        ),
      ),
      // Bun and Deno run the Node runners as they are: both take the `node` condition.
      "bun-esm": guard("bun-esm", () => nodeSuite("esm", pack.tarball, mock.url, "bun-esm", path.join(BIN, "bun"))),
      "bun-cjs": guard("bun-cjs", () => nodeSuite("cjs", pack.tarball, mock.url, "bun-cjs", path.join(BIN, "bun"))),
      "deno-esm": guard("deno-esm", () => nodeSuite("esm", pack.tarball, mock.url, "deno-esm", DENO, DENO_ENV)),
      "deno-cjs": guard("deno-cjs", () => nodeSuite("cjs", pack.tarball, mock.url, "deno-cjs", DENO, DENO_ENV)),
      "deno-npm-specifier": guard("deno-npm-specifier", () => denoNpmSuite(pack.tarball, mock.url)),
      "deno-inline-net-only": guard("deno-inline-net-only", () => denoNpmSuite(pack.tarball, mock.url, true)),
      "vite-chromium": guard("vite-chromium", async () => viteSuite(pack.tarball, mock.url, await browser())),
      "browser-no-bundler": guard("browser-no-bundler", async () => plainPageSuite(pack.tarball, mock.url, await browser())),
      "rollup-inline-chromium": guard("rollup-inline-chromium", async () => rollupSuite(pack.tarball, mock.url, await browser())),
      "rollup-default-chromium": guard("rollup-default-chromium", async () => rollupDefaultSuite(pack.tarball, mock.url, await browser())),
      "bun-inline-chromium": guard("bun-inline-chromium", async () => bunSuite(pack.tarball, mock.url, await browser())),
      "parcel-chromium": guard("parcel-chromium", async () => parcelSuite(pack.tarball, mock.url, await browser())),
      "webpack-chromium": guard("webpack-chromium", async () => webpackSuite(pack.tarball, mock.url, await browser())),
      "esbuild-browser-inline-chromium": guard("esbuild-browser-inline-chromium", async () => esbuildBrowserSuite(pack.tarball, mock.url, await browser())),
      workerd: guard("workerd", () => workerdSuite(pack.tarball, mock.url)),
      "esbuild-node-inline": guard("esbuild-node-inline", () => inlineSuite(pack.tarball, mock.url)),
      "esbuild-node-default": guard("esbuild-node-default", () => nodeBundleSuite(pack.tarball, mock.url, "esbuild")),
      "webpack-node-default": guard("webpack-node-default", () => nodeBundleSuite(pack.tarball, mock.url, "webpack")),
      vitest3: guard("vitest3", () => vitestSuite(pack.tarball, mock.url, "vitest3", path.join(ROOT, "node_modules"), process.execPath)),
      vitest5: guard("vitest5", () => vitestSuite(pack.tarball, mock.url, "vitest5", path.join(HERE, "vitest5", "node_modules"), others.find(([major]) => Number(major) >= 22)?.[1])),
      "jest30-jsdom": guard("jest30-jsdom", () => jestSuite(pack.tarball, mock.url, false)),
      "jest30-jsdom-recipe": guard("jest30-jsdom-recipe", () => jestSuite(pack.tarball, mock.url, true)),
      "jest29-jsdom": guard("jest29-jsdom", () => jestSuite(pack.tarball, mock.url, false, 29)),
      "webpack-require-chromium": guard("webpack-require-chromium", async () => webpackRequireSuite(pack.tarball, mock.url, await browser())),
      // Turbopack rewrites the Node entry's __dirname: the .wasm is found from where the app runs.
      "next-turbopack": guard("next-turbopack", async () => nextSuite(pack.tarball, mock.url, await browser(), "turbopack", "crm-engagements")),
      "next-turbopack-inline": guard("next-turbopack-inline", async () => nextSuite(pack.tarball, mock.url, await browser(), "turbopack", "crm-engagements/inline")),
      "next-webpack": guard("next-webpack", async () => nextSuite(pack.tarball, mock.url, await browser(), "webpack", "crm-engagements")),
      tsc: guard("tsc", () => tscSuite(pack.tarball)),
    };
    pending.push(...Object.values(runs));
    for (const [runtime, promise] of Object.entries(runs)) {
      if (promise === NOT_RUN) continue;
      const result = await promise;
      suites.push({ runtime, ...result });
      say(`  ${runtime} done at ${elapsed()}${result.note ? ` (${result.note})` : ""}`);
    }
  } catch (err) {
    suites.push({ runtime: "setup", rows: [row("test harness", false, err.stack || err.message)] });
  } finally {
    await cleanup();
  }

  // Report.
  say("");
  let passed = 0;
  let failed = 0;
  for (const { runtime, rows, log } of suites) {
    const bad = rows.filter((r) => !r.ok);
    const good = rows.length - bad.length;
    if (rows.length === 0) bad.push(row(`${runtime} ran no checks`, false));
    passed += good;
    failed += bad.length;
    say(`${runtime}: ${good} passed, ${bad.length} failed`);
    if (VERBOSE) for (const r of rows.filter((x) => x.ok)) say(`    ok ${r.name} -- ${r.detail.split("\n")[0]}`);
    for (const r of bad) {
      say(`  FAIL ${r.name}`);
      if (r.detail) say(r.detail.split("\n").map((l) => `       ${l}`).join("\n"));
    }
    if (bad.length && log && VERBOSE) say(`  --- ${runtime} log ---\n${tail(log, 40)}`);
  }
  say(`total wall time ${elapsed()}`);
  if (notRun.length) {
    say(`NOT RUN (PACKAGE_TEST_ONLY=${process.env.PACKAGE_TEST_ONLY}): ${notRun.join(", ")}`);
    failed += 1;
  }
  say(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => {
    if (!aborting) process.exit(code);
  },
  async (err) => {
    if (aborting) return;
    say(err.stack || err.message);
    await cleanup();
    say("0 passed, 1 failed");
    process.exit(1);
  },
);
