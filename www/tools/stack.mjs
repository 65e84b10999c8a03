// What `make demo` and the e2e tests start: the dashboard's npm install, its Vite build,
// the mock Truto API, a static server (direct mode) or `wrangler dev` with the Worker
// (proxy mode), and headless Chromium. Every start function returns a `close()`.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { once } from "node:events";
import fs from "node:fs";
import fsp from "node:fs/promises";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const WWW = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const ROOT = path.resolve(WWW, "..");
export const DIST = path.join(WWW, "dist");
const PKG = path.join(ROOT, "pkg");
const BIN = path.join(ROOT, "node_modules", ".bin");

/** The mock's bearer token (tests/mock/truto.mjs): public test data, not a secret. */
export const MOCK_TOKEN = "test-token";
export const DEMO_ACCOUNT = "demo-account";
export const DEMO_COUNT = 500;
/** DevRev engagements the mock seeds (its DevRev routes share the server). */
export const DEMO_DEVREV_COUNT = 120;

export const CHROMIUM = "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--no-first-run", "--disable-sync",
];

/** Runs a command; rejects with its output when it fails. */
function run(cmd, args, { cwd, timeoutMs = 180_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(output);
      else reject(new Error(`${cmd} ${args.join(" ")} failed (${code}):\n${output.trim().split("\n").slice(-20).join("\n")}`));
    });
  });
}

/** A hash of a package folder's published files (package.json + its `files` list). */
async function packageFingerprint(dir) {
  let pj;
  try {
    pj = JSON.parse(await fsp.readFile(path.join(dir, "package.json"), "utf8"));
  } catch {
    return null;
  }
  const hash = createHash("sha256");
  for (const file of ["package.json", ...(pj.files ?? [])].sort()) {
    hash.update(`${file}\0`);
    hash.update(await fsp.readFile(path.join(dir, file)).catch(() => Buffer.from("missing")));
  }
  return hash.digest("hex");
}

const INSTALLED = path.join(WWW, "node_modules", "crm-engagements");

/**
 * pkg/ must be built (`make pkg`). www/node_modules gets `crm-engagements` from it as a
 * packed copy (www/.npmrc: install-links), reinstalled whenever pkg/ changed; the copy
 * also keeps a run steady while pkg/ is being rebuilt.
 */
export async function ensureInstalled(log = () => {}) {
  if (!fs.existsSync(path.join(PKG, "crm_engagements_bg.wasm"))) {
    throw new Error("pkg/ is not built: run `make pkg` first");
  }
  if (!fs.existsSync(path.join(BIN, "vite")) || !fs.existsSync(path.join(BIN, "wrangler"))) {
    throw new Error("the workspace's dev tools are missing: run `make setup` (npm install at the repository root)");
  }
  for (let attempt = 1; ; attempt += 1) {
    const wanted = await packageFingerprint(PKG);
    // Equal to the copy, and pkg/ unchanged meanwhile (not caught in the middle of `make pkg`).
    if (wanted && wanted === (await packageFingerprint(INSTALLED)) && wanted === (await packageFingerprint(PKG))) {
      const wasm = await fsp.readFile(path.join(INSTALLED, "crm_engagements_bg.wasm"));
      if (WebAssembly.validate(wasm)) return attempt > 1;
    }
    if (attempt > 3) throw new Error("could not install a consistent copy of pkg/ (is it being rebuilt?)");
    if (attempt > 1) await new Promise((r) => setTimeout(r, 1000)); // let a concurrent `make pkg` finish
    log(fs.existsSync(INSTALLED) ? "updating the dashboard's copy of crm-engagements (pkg/ changed)" : "installing the dashboard's dependencies (crm-engagements from ../pkg)");
    await fsp.rm(INSTALLED, { recursive: true, force: true });
    await run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", "--no-update-notifier"], { cwd: WWW });
  }
}

/** Newest modification time under the given files and folders. */
async function newest(paths) {
  let latest = 0;
  for (const p of paths) {
    let stat;
    try {
      stat = await fsp.stat(p);
    } catch {
      continue;
    }
    if (stat.isDirectory()) {
      const entries = await fsp.readdir(p);
      latest = Math.max(latest, await newest(entries.map((e) => path.join(p, e))));
    } else latest = Math.max(latest, stat.mtimeMs);
  }
  return latest;
}

/** Records which package a build of dist/ used (outside dist/, which gets served). */
const BUILD_INFO = path.join(WWW, "node_modules", ".dashboard-build.json");

/** `vite build` into www/dist unless it is newer than its sources and used this package. */
export async function buildDashboard({ force = false, log = () => {} } = {}) {
  const output = path.join(DIST, "index.html");
  const fingerprint = await packageFingerprint(INSTALLED);
  if (!force && fs.existsSync(output)) {
    const built = JSON.parse(await fsp.readFile(BUILD_INFO, "utf8").catch(() => "{}"));
    const sources = await newest([path.join(WWW, "index.html"), path.join(WWW, "vite.config.js"), path.join(WWW, "src")]);
    if (built.package === fingerprint && (await fsp.stat(output)).mtimeMs >= sources) return false;
  }
  log("building the dashboard (vite build)");
  const { build } = await import("vite");
  await build({ configFile: path.join(WWW, "vite.config.js"), logLevel: "warn" });
  await fsp.writeFile(BUILD_INFO, `${JSON.stringify({ package: fingerprint, at: new Date().toISOString() })}\n`);
  return true;
}

/** A free TCP port on 127.0.0.1 (or `preferred` when it is free). */
export async function freePort(preferred = 0, host = "127.0.0.1") {
  const attempt = (port) =>
    new Promise((resolve) => {
      const server = net.createServer();
      server.once("error", () => resolve(null));
      server.listen(port, host, () => {
        const { port: got } = server.address();
        server.close(() => resolve(got));
      });
    });
  return (preferred && (await attempt(preferred))) || attempt(0);
}

/**
 * The mock API, in process: Truto seeding `count` engagements per integrated account,
 * and DevRev's routes with `devrevCount` engagements (ignored by a mock without them).
 */
export async function startMock({ count = DEMO_COUNT, devrevCount = DEMO_DEVREV_COUNT, port = 0, host = "127.0.0.1" } = {}) {
  const { startMockServer } = await import(path.join(ROOT, "tests", "mock", "server.mjs"));
  const server = await startMockServer({ port, host, seed: count, devrev: { count: devrevCount } });
  return { url: server.url, mock: server.mock, close: () => server.close() };
}

/** What the page connects to by default when served next to the mock (direct mode). */
export function directConfig(mockUrl, accountId = DEMO_ACCOUNT) {
  return {
    label: "the built-in mock",
    source: "truto",
    // The mock's public test token; a real deployment serves no token (see the Worker).
    truto: { baseUrl: mockUrl, token: MOCK_TOKEN, integratedAccountId: accountId, proxied: false },
    // The same mock answers DevRev's /engagements.* (shown when the package has DevRevClient).
    devrev: { baseUrl: mockUrl, token: MOCK_TOKEN },
    directory: "demo",
  };
}

const MIME = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
};

/**
 * Serves www/dist, plus `/dashboard-config.json` from `config()` (direct mode).
 * @param {{ port?: number, host?: string, config: () => object }} options
 */
export async function startStatic({ port = 0, host = "127.0.0.1", config }) {
  const root = DIST;
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, "http://localhost");
    const headers = { "cache-control": "no-store", "x-content-type-options": "nosniff" };
    if (url.pathname === "/dashboard-config.json") {
      res.writeHead(200, { ...headers, "content-type": MIME[".json"] });
      res.end(JSON.stringify(config()));
      return;
    }
    let rel = decodeURIComponent(url.pathname);
    if (rel.endsWith("/")) rel += "index.html";
    const file = path.resolve(root, `.${rel}`);
    try {
      if (!file.startsWith(root + path.sep)) throw Object.assign(new Error("outside"), { code: "ENOENT" });
      const body = await fsp.readFile(file);
      res.writeHead(200, { ...headers, "content-type": MIME[path.extname(file)] ?? "application/octet-stream", "content-length": body.length });
      res.end(body);
    } catch {
      res.writeHead(404, { ...headers, "content-type": "text/plain; charset=utf-8" });
      res.end("Not found\n");
    }
  });
  server.listen(port, host);
  await once(server, "listening");
  const close = () =>
    new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return { url: `http://${host}:${server.address().port}/`, close };
}

/**
 * `wrangler dev` of www/worker: the dashboard and the proxy on one origin. The token
 * goes in through an env file readable only by this user (never on the command line).
 */
export async function startWorker({ truto, token, accountId = DEMO_ACCOUNT, port = 0, host = "127.0.0.1", demoDirectory = true, readyMs = 60_000 }) {
  const listen = await freePort(port, host);
  const inspector = await freePort(0, host);
  const secrets = await fsp.mkdtemp(path.join(os.tmpdir(), "engagements-worker-"));
  const envFile = path.join(secrets, ".env");
  await fsp.writeFile(envFile, `TRUTO_TOKEN=${token}\n`, { mode: 0o600 });
  const args = [
    "dev", "--ip", host, "--port", String(listen), "--inspector-port", String(inspector),
    "--show-interactive-dev-session=false", "--env-file", envFile,
    "--var", `TRUTO_BASE_URL:${truto}`, "--var", `TRUTO_INTEGRATED_ACCOUNT_ID:${accountId}`,
    "--var", `DEMO_DIRECTORY:${demoDirectory ? "1" : "0"}`,
  ];
  const child = spawn(path.join(BIN, "wrangler"), args, {
    cwd: path.join(WWW, "worker"),
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1", FORCE_COLOR: "0", CI: "1" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true, // its own process group: wrangler and workerd stop together
  });
  let output = "";
  const append = (d) => (output += String(d));
  child.stdout.on("data", append);
  child.stderr.on("data", append);
  let exited = null;
  child.on("exit", (code, signal) => (exited = { code, signal }));

  const alive = () => {
    try {
      process.kill(-child.pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  let closing = null;
  const close = () =>
    (closing ??= (async () => {
      if (alive()) {
        try {
          process.kill(-child.pid, "SIGTERM");
        } catch {}
        const deadline = Date.now() + 5000;
        while (alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
        if (alive()) {
          try {
            process.kill(-child.pid, "SIGKILL");
          } catch {}
        }
      }
      await fsp.rm(secrets, { recursive: true, force: true });
    })());

  const url = `http://${host}:${listen}/`;
  const started = Date.now();
  while (Date.now() - started < readyMs) {
    if (exited) break;
    try {
      const res = await fetch(`${url}dashboard-config.json`, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.ok) return { url, close, output: () => output, readyMs: Date.now() - started };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150)); // poll interval while wrangler starts
  }
  await close();
  throw new Error(`wrangler dev did not start (${exited ? `exited ${JSON.stringify(exited)}` : `not ready after ${readyMs} ms`}):\n${output.trim().split("\n").slice(-25).join("\n")}`);
}

/** Headless Chromium (Debian's) through playwright-core. */
export async function launchChromium() {
  const { chromium } = await import("playwright-core");
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 60_000 });
}
