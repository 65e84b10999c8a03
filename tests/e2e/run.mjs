#!/usr/bin/env node
// End-to-end tests of the engagements dashboard (www/) in headless Chromium.
//
//   node tests/e2e/run.mjs [filter]     (make test-e2e, after make pkg)
//
// 1. Installs www's dependencies when missing, type-checks the dashboard against the
//    package's .d.ts (tsc --checkJs), and builds it with Vite 7 (the way a user's app
//    builds it: crm-engagements from npm, here `file:../pkg`).
// 2. Starts the mock Truto API in process (500 engagements per integrated account), a
//    static server for the built page, Debian's Chromium through playwright-core, and,
//    in the background, `wrangler dev` with the Worker proxy.
// 3. Runs every test of ./*.e2e.mjs in order; each gets a fresh browser context and a
//    reset mock, and saves a screenshot under artifacts/screenshots/. A test may skip
//    itself (the DevRev one, when the package has no DevRevClient); skips are listed.
// 4. Prints one line per test and a last line `N passed, M failed`; exits 1 on failure.
// Every process it starts is stopped on success, failure and Ctrl-C.
import fsp from "node:fs/promises";
import path from "node:path";
import { spawn } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "../..");
const SHOTS = path.join(ROOT, "artifacts", "screenshots");
const TEST_TIMEOUT_MS = 45_000;
const filter = process.argv.slice(2).find((a) => !a.startsWith("-")) ?? "";

const stack = await import(pathToFileURL(path.join(ROOT, "www", "tools", "stack.mjs")).href);
const started = Date.now();
const say = (line) => process.stdout.write(`${line}\n`);
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

const cleanups = [];
let cleaning = null;
function cleanup() {
  cleaning ??= (async () => {
    while (cleanups.length) await cleanups.pop()().catch(() => {});
  })();
  return cleaning;
}
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, async () => {
    say(`\n${signal}: stopping`);
    await cleanup();
    process.exit(130);
  });
}

/** tsc --checkJs over www/src, against the installed package's .d.ts. */
function typecheck() {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(path.join(ROOT, "node_modules", ".bin", "tsc"), ["-p", path.join(ROOT, "www"), "--pretty", "false"], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("close", (code) => resolve({ ok: code === 0, output: output.trim(), ms: Date.now() - t0 }));
  });
}

const slug = (name) => name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 60);

async function main() {
  await stack.ensureInstalled(say);
  const typing = typecheck();
  await stack.buildDashboard({ force: true });
  await fsp.mkdir(SHOTS, { recursive: true });
  if (!filter) {
    // A full run replaces every screenshot (no stale FAILED images from an earlier run).
    for (const f of await fsp.readdir(SHOTS)) if (f.endsWith(".png")) await fsp.rm(path.join(SHOTS, f));
  }

  const mockServer = await stack.startMock({ count: stack.DEMO_COUNT });
  cleanups.push(mockServer.close);
  const { mock } = mockServer;
  const site = await stack.startStatic({ config: () => stack.directConfig(mockServer.url) });
  cleanups.push(site.close);

  // The Worker takes a few seconds to start: begin now, await it in the test that needs it.
  let workerPromise = null;
  const worker = () =>
    (workerPromise ??= stack.startWorker({ truto: mockServer.url, token: stack.MOCK_TOKEN }).then((w) => {
      cleanups.push(w.close);
      return w;
    }));
  const pkg = await import(pathToFileURL(path.join(ROOT, "pkg", "node.mjs")).href);
  const hasDevRev = typeof pkg.DevRevClient === "function";

  const files = (await fsp.readdir(HERE)).filter((f) => f.endsWith(".e2e.mjs")).sort();
  const tests = [];
  for (const file of files) {
    const mod = await import(pathToFileURL(path.join(HERE, file)).href);
    for (const test of mod.tests) tests.push({ ...test, file });
  }
  const selected = tests.filter((t) => !filter || `${t.file} ${t.name}`.toLowerCase().includes(filter.toLowerCase()));
  if (selected.some((t) => t.worker)) worker().catch(() => {}); // start early; errors surface in the test

  const browser = await stack.launchChromium();
  cleanups.push(() => browser.close());

  const results = [];
  const tc = await typing;
  results.push({ name: "the dashboard type-checks against the package's .d.ts (tsc --checkJs --strict)", ok: tc.ok, ms: tc.ms, error: tc.output });
  say(`${tc.ok ? "  ok  " : "  FAIL"} ${results[0].name} (${seconds(tc.ms)})`);
  if (!tc.ok) say(tc.output.split("\n").map((l) => `         ${l}`).join("\n"));

  for (const test of selected) {
    const t0 = Date.now();
    const number = String(tests.indexOf(test) + 1).padStart(2, "0");
    mock.reset();
    const context = await browser.newContext({
      viewport: test.viewport ?? { width: 1280, height: 900 },
      timezoneId: "UTC",
      locale: "en-US",
    });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const problems = [];
    const allowed = new Set();
    page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
    page.on("console", (msg) => {
      if (msg.type() !== "error") return;
      const status = /status of (\d{3})/.exec(msg.text())?.[1];
      if (status && allowed.has(Number(status))) return;
      problems.push(`console error: ${msg.text()}`);
    });
    let shots = 0;
    const shot = async (name) => {
      shots += 1;
      const file = path.join(SHOTS, `${number}-${slug(name ?? test.name)}.png`);
      await page.screenshot({ path: file, fullPage: Boolean(test.fullPage) });
      return file;
    };
    let skipped = null;
    const skip = (reason) => {
      skipped = reason;
    };
    const t = { page, mock, url: site.url, worker, hasDevRev, shot, skip, allowHttpError: (s) => allowed.add(s) };
    let error = null;
    let timer;
    try {
      await Promise.race([
        test.run(t),
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${TEST_TIMEOUT_MS} ms`)), TEST_TIMEOUT_MS))),
      ]);
      if (problems.length) throw new Error(problems.join("\n"));
      if (shots === 0 && !skipped) await shot();
    } catch (err) {
      error = err;
      await page.screenshot({ path: path.join(SHOTS, `${number}-${slug(test.name)}-FAILED.png`) }).catch(() => {});
    } finally {
      clearTimeout(timer);
      await context.close().catch(() => {});
    }
    const ms = Date.now() - t0;
    if (skipped && !error) {
      say(`  skip ${number} ${test.name}: ${skipped}`);
      continue;
    }
    results.push({ name: test.name, ok: !error, ms, error: error ? error.stack || String(error) : "" });
    say(`${error ? "  FAIL" : "  ok  "} ${number} ${test.name} (${seconds(ms)})`);
    if (error) say(String(error.stack || error).split("\n").slice(0, 14).map((l) => `         ${l}`).join("\n"));
  }

  await cleanup();
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  say(`screenshots: ${path.relative(ROOT, SHOTS)}/`);
  say(`e2e wall time ${seconds(Date.now() - started)}`);
  say(`${passed} passed, ${failed} failed`);
  return failed === 0 && results.length > 1 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  async (err) => {
    say(err.stack || String(err));
    await cleanup();
    say("0 passed, 1 failed");
    process.exit(1);
  },
);
