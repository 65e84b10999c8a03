#!/usr/bin/env node
// Differential test: DevRev's own npm SDK (@devrev/typescript-sdk) and our DevRevClient
// make the same calls against the mock (tests/mock/server.mjs) and must reach it with the
// same method, path, query and JSON body. Where DevRev's SDK is wrong or differs, the
// difference is asserted as it is today (so this fails when it changes) and written up in
// ./FINDINGS.md.
//
//   node tests/differential/run.mjs [--verbose]      (after make pkg)
//
// The SDK is installed ONLY for this test, never into the workspace's package.json: the
// latest version from the npm registry goes into node_modules/.cache/differential/sdk-<v>/
// (atomically: installed in a temp folder, then renamed), and current.json names it. The
// registry is asked again at most once a day (DIFFERENTIAL_REFRESH=1 forces it); if it
// cannot be reached, the cached copy is used (and the registry left alone for an hour), so
// repeated runs are quick and work offline. With no cache and no registry, it fails.
//
// DIFFERENTIAL_CACHE=<dir> moves the cache (used to test a cold, offline start).
//
// Ours is pkg/node.mjs (the Node ESM entry of the package; DIFFERENTIAL_PKG=<dir> points
// elsewhere, e.g. an unpacked tarball). The mock runs in process, private to this run.
//
// Prints one line per check (`ok`, `FAIL`, or `known` for an asserted difference), the
// key-order differences (informational: JSON bodies are compared parsed), the findings,
// and last `N passed, M failed`; exits 1 on any failure.
import { spawn } from "node:child_process";
import fs from "node:fs";
import fsp from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "../..");
const PKG = path.resolve(process.env.DIFFERENTIAL_PKG || path.join(ROOT, "pkg"));
const CACHE = path.resolve(process.env.DIFFERENTIAL_CACHE || path.join(ROOT, "node_modules", ".cache", "differential"));
const SDK = "@devrev/typescript-sdk";
const REFRESH_MS = 24 * 60 * 60 * 1000;
const RETRY_REGISTRY_MS = 60 * 60 * 1000;
const TOKEN = "test-token";
const VERBOSE = process.argv.includes("--verbose") || process.env.DIFFERENTIAL_VERBOSE === "1";
/** The SDK version FINDINGS.md was written against. */
const DOCUMENTED_VERSION = "1.1.71";

const started = Date.now();
const say = (line = "") => process.stdout.write(`${line}\n`);
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;

// ---------------------------------------------------------------------------
// Installing (or reusing) the SDK
// ---------------------------------------------------------------------------

function run(cmd, args, { cwd, timeoutMs = 180_000 } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => {
      stderr += `\n[killed after ${timeoutMs} ms]`;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.on("error", (err) => {
      clearTimeout(timer);
      resolve({ code: -1, stdout, stderr: `${stderr}\n${err.message}` });
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const sdkPackageJson = (dir) => path.join(dir, "node_modules", ...SDK.split("/"), "package.json");

function usable(dir) {
  try {
    return JSON.parse(fs.readFileSync(sdkPackageJson(dir), "utf8")).version;
  } catch {
    return null;
  }
}

async function writeAtomic(file, text) {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  await fsp.writeFile(tmp, text);
  await fsp.rename(tmp, file);
}

/** `{ dir, version, how }`: a folder whose node_modules holds the SDK. */
async function ensureSdk() {
  await fsp.mkdir(CACHE, { recursive: true });
  const currentFile = path.join(CACHE, "current.json");
  let current = null;
  try {
    current = JSON.parse(await fsp.readFile(currentFile, "utf8"));
    if (!current.dir || usable(path.join(CACHE, current.dir)) !== current.version) current = null;
  } catch {
    current = null;
  }
  const forced = process.env.DIFFERENTIAL_REFRESH === "1";
  if (current && !forced && Date.now() - current.checkedAt < REFRESH_MS) {
    return { dir: path.join(CACHE, current.dir), version: current.version, how: `cached (registry checked ${secs(Date.now() - current.checkedAt)} ago)` };
  }
  if (current && !forced && Date.now() - (current.unreachableAt ?? 0) < RETRY_REGISTRY_MS) {
    return { dir: path.join(CACHE, current.dir), version: current.version, how: "cached (the npm registry was unreachable less than an hour ago)" };
  }

  const view = await run("npm", ["view", SDK, "version", "--json", "--loglevel=error", "--no-update-notifier", "--fetch-retries=0", "--fetch-timeout=10000"], { timeoutMs: 20_000 });
  let latest = null;
  try {
    latest = view.code === 0 ? JSON.parse(view.stdout) : null;
  } catch {
    latest = null;
  }
  if (typeof latest !== "string") {
    if (current) {
      await writeAtomic(currentFile, `${JSON.stringify({ ...current, unreachableAt: Date.now() }, null, 2)}\n`);
      return { dir: path.join(CACHE, current.dir), version: current.version, how: "cached (the npm registry could not be reached)" };
    }
    throw new Error(`cannot ask the npm registry for ${SDK} and nothing is cached:\n${view.stderr.trim()}`);
  }
  const dirName = `sdk-${latest}`;
  const dir = path.join(CACHE, dirName);
  let how = `cached ${latest}, still the latest`;
  if (usable(dir) !== latest) {
    const tmp = path.join(CACHE, `.install-${process.pid}-${Math.random().toString(36).slice(2)}`);
    await fsp.mkdir(tmp, { recursive: true });
    await fsp.writeFile(path.join(tmp, "package.json"), `${JSON.stringify({ name: "crm-engagements-differential", private: true }, null, 2)}\n`);
    const t0 = Date.now();
    const install = await run("npm", ["install", `${SDK}@${latest}`, "--no-audit", "--no-fund", "--loglevel=error", "--no-update-notifier"], { cwd: tmp });
    if (install.code !== 0 || usable(tmp) !== latest) {
      await fsp.rm(tmp, { recursive: true, force: true });
      if (current) return { dir: path.join(CACHE, current.dir), version: current.version, how: `cached (installing ${latest} failed)` };
      throw new Error(`npm install ${SDK}@${latest} failed (${install.code}):\n${install.stderr.trim()}`);
    }
    try {
      await fsp.rename(tmp, dir); // atomic; another run may have won the race
    } catch {
      await fsp.rm(tmp, { recursive: true, force: true });
      if (usable(dir) !== latest) throw new Error(`could not move the fresh install into ${dir}`);
    }
    how = `installed ${latest} from the npm registry in ${secs(Date.now() - t0)}`;
  }
  await writeAtomic(currentFile, `${JSON.stringify({ version: latest, dir: dirName, checkedAt: Date.now() }, null, 2)}\n`);
  return { dir, version: latest, how };
}

// ---------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------

const rows = []; // { kind: "same" | "known", name, ok, detail }
const keyOrder = []; // informational
const findings = []; // { id, title, text } for the known differences that held

/** A failed expectation: reported by its message alone (anything else with its stack). */
class CheckFailed extends Error {}

function assert(condition, message) {
  if (!condition) throw new CheckFailed(message);
}

const explain = (err) => (err instanceof CheckFailed ? err.message : err?.stack || String(err));

const json = (v) => JSON.stringify(v);

/** JSON with sorted keys: equality regardless of key order. */
function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** Key paths in the order they appear, to show a key-order difference. */
function keyPaths(value, prefix = "") {
  if (Array.isArray(value)) return value.flatMap((v, i) => keyPaths(v, `${prefix}[${i}]`));
  if (value && typeof value === "object") {
    return Object.keys(value).flatMap((k) => [`${prefix}${prefix ? "." : ""}${k}`, ...keyPaths(value[k], `${prefix}${prefix ? "." : ""}${k}`)]);
  }
  return [];
}

async function check(name, fn) {
  try {
    rows.push({ kind: "same", name, ok: true, detail: (await fn()) ?? "" });
  } catch (err) {
    rows.push({ kind: "same", name, ok: false, detail: explain(err) });
  }
}

/** A difference asserted as it is today; `finding` goes to the report when it holds. */
async function known(id, name, finding, fn) {
  try {
    const detail = (await fn()) ?? "";
    rows.push({ kind: "known", name: `[${id}] ${name}`, ok: true, detail });
    findings.push({ id, title: name, text: finding, detail });
  } catch (err) {
    rows.push({
      kind: "known",
      name: `[${id}] ${name}`,
      ok: false,
      detail: `the documented difference no longer holds (update FINDINGS.md and this check): ${explain(err)}`,
    });
  }
}

// ---------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------

async function main() {
  if (!fs.existsSync(path.join(PKG, "crm_engagements_bg.wasm"))) {
    say(`${PKG} is not built: run \`make pkg\` first`);
    say("0 passed, 1 failed");
    return 1;
  }
  const t0 = Date.now();
  const sdkInfo = await ensureSdk();
  const sdkMs = Date.now() - t0;
  const requireSdk = createRequire(path.join(sdkInfo.dir, "package.json"));
  const sdk = requireSdk(SDK);
  const sdkRoot = path.dirname(sdkPackageJson(sdkInfo.dir));
  const ours = await import(pathToFileURL(path.join(PKG, "node.mjs")).href);
  const { startMockServer } = await import(pathToFileURL(path.join(ROOT, "tests/mock/server.mjs")).href);
  const mock = await startMockServer({ token: TOKEN });
  say(`${SDK} ${sdkInfo.version}: ${sdkInfo.how} (${secs(sdkMs)})`);
  say(`ours: ${path.relative(ROOT, path.join(PKG, "node.mjs")) || PKG}; mock on ${mock.url}`);
  if (sdkInfo.version !== DOCUMENTED_VERSION) {
    say(`note: FINDINGS.md was written against ${DOCUMENTED_VERSION}; this is ${sdkInfo.version} (the checks below say what still holds)`);
  }

  try {
    await differential({ sdk, sdkRoot, ours, mock: mock.mock, url: mock.url });
  } finally {
    await mock.close();
  }

  // Report.
  say();
  for (const r of rows) {
    const tag = !r.ok ? "FAIL " : r.kind === "known" ? "known" : "ok   ";
    say(`${tag} ${r.name}`);
    if (!r.ok || VERBOSE) say(String(r.detail).split("\n").map((l) => `        ${l}`).join("\n"));
  }
  say();
  say(`Key-order differences (informational; bodies are compared as parsed JSON): ${keyOrder.length || "none"}`);
  for (const k of keyOrder) say(`  - ${k}`);
  say();
  say(`Findings (${findings.length}; see tests/differential/FINDINGS.md):`);
  for (const f of findings) {
    say(`  [${f.id}] ${f.title}`);
    say(f.text.split("\n").map((l) => `        ${l}`).join("\n"));
  }
  const failed = rows.filter((r) => !r.ok).length;
  const passed = rows.length - failed;
  say();
  say(`same wire: ${rows.filter((r) => r.kind === "same" && r.ok).length}/${rows.filter((r) => r.kind === "same").length}; known differences still as documented: ${rows.filter((r) => r.kind === "known" && r.ok).length}/${rows.filter((r) => r.kind === "known").length}`);
  say(`total wall time ${secs(Date.now() - started)}`);
  say(`${passed} passed, ${failed} failed`);
  return failed === 0 && rows.length > 0 ? 0 : 1;
}

async function differential({ sdk, sdkRoot, ours, mock, url }) {
  // DevRev's documented way to get a beta client (client_setup/client.js).
  const api = sdk.client.setupBeta({ endpoint: url, token: TOKEN });
  const client = new ours.DevRevClient({ baseUrl: url, token: TOKEN, maxRetries: 0 });

  /** Runs `fn` alone against the mock: `{ value | error, requests, ms }`. */
  const capture = async (fn) => {
    mock.clearRequests();
    const t0 = Date.now();
    let value;
    let error;
    try {
      value = await fn();
    } catch (err) {
      error = err;
    }
    // A late retry would land here; the mock records synchronously on arrival.
    const requests = mock.requests.filter((r) => r.provider === "devrev").map((r) => ({ ...r, t: r.at - t0 }));
    return { value, error, requests, ms: Date.now() - t0 };
  };
  const oneRequest = (side, got) => {
    if (got.error) throw new Error(`${side} rejected: ${got.error.message}${got.error.response ? ` (${got.error.response.status} ${json(got.error.response.data)})` : ""}`);
    assert(got.requests.length === 1, `${side} made ${got.requests.length} requests, want 1`);
    return got.requests[0];
  };
  /** The core comparison: method, path, query, parsed JSON body; key order noted apart. */
  const sameWire = (label, a, b) => {
    const sdkReq = oneRequest("SDK", a);
    const ourReq = oneRequest("ours", b);
    const show = (r) => `${r.method} ${r.path}${r.query ? `?${r.query}` : ""} ${r.body || "(no body)"}`;
    assert(sdkReq.method === ourReq.method, `method: SDK ${sdkReq.method}, ours ${ourReq.method}`);
    assert(sdkReq.path === ourReq.path, `path: SDK ${sdkReq.path}, ours ${ourReq.path}`);
    assert(sdkReq.query === ourReq.query, `query: SDK ${json(sdkReq.query)}, ours ${json(ourReq.query)}`);
    assert(sdkReq.json !== null && ourReq.json !== null, `a body is not JSON: SDK ${json(sdkReq.body)}, ours ${json(ourReq.body)}`);
    assert(canonical(sdkReq.json) === canonical(ourReq.json), `JSON bodies differ:\n  SDK  ${sdkReq.body}\n  ours ${ourReq.body}`);
    for (const [side, r] of [["SDK", sdkReq], ["ours", ourReq]]) {
      assert(String(r.headers["content-type"]).startsWith("application/json"), `${side} content-type ${json(r.headers["content-type"])}`);
    }
    if (sdkReq.body !== ourReq.body) {
      keyOrder.push(`${label}: SDK ${json(keyPaths(sdkReq.json))} vs ours ${json(keyPaths(ourReq.json))}`);
    }
    return `${show(ourReq)}${sdkReq.body !== ourReq.body ? " (key order differs, see below)" : ""}`;
  };

  // --- the same calls: list (with filters), count, get, create ---
  const listFilter = { type: ["call", "email", "meeting"], sort_by: ["scheduled_date:desc"], limit: 4 };
  let firstPage;
  await check("list with filters (type, sort_by, limit): POST /engagements.list, same body, same page", async () => {
    const a = await capture(() => api.engagementsListPost(listFilter));
    const b = await capture(() => client.list(listFilter));
    const detail = sameWire("list with filters", a, b);
    assert(canonical(a.value.data) === canonical(b.value), "the two clients resolved different pages");
    assert(b.value.engagements.length === 4 && typeof b.value.next_cursor === "string", `page ${json(Object.keys(b.value))}, ${b.value.engagements.length} items`);
    firstPage = b.value;
    return detail;
  });
  await check("list, next page (cursor from the first): same body, same page", async () => {
    assert(firstPage, "no first page");
    const req = { ...listFilter, cursor: firstPage.next_cursor };
    const a = await capture(() => api.engagementsListPost(req));
    const b = await capture(() => client.list(req));
    const detail = sameWire("list next page", a, b);
    assert(canonical(a.value.data) === canonical(b.value), "different pages");
    return detail;
  });
  await check("list with members, parent and mode \"before\": same body, same page", async () => {
    const req = { members: ["DEVU-1"], parent: ["ACC-1", "ACC-2"], mode: "before", limit: 2 };
    const a = await capture(() => api.engagementsListPost(req));
    const b = await capture(() => client.list(req));
    const detail = sameWire("list before", a, b);
    assert(canonical(a.value.data) === canonical(b.value), "different pages");
    return detail;
  });
  await check("list with external_ref: same body, same page", async () => {
    const req = { external_ref: ["gong:call/7407919", "crm:activity/90006"], limit: 10 };
    const a = await capture(() => api.engagementsListPost(req));
    const b = await capture(() => client.list(req));
    const detail = sameWire("list external_ref", a, b);
    assert(canonical(a.value.data) === canonical(b.value), "different pages");
    return detail;
  });
  await check("list with no filter ({} vs list()): same body", async () => {
    const a = await capture(() => api.engagementsListPost({}));
    const b = await capture(() => client.list());
    return sameWire("list {}", a, b);
  });
  await check("count with filters (type, members): POST /engagements.count, same body, same number", async () => {
    const req = { type: ["call", "meeting"], members: ["DEVU-1", "REVU-3"] };
    const a = await capture(() => api.engagementsCountPost(req));
    const b = await capture(() => client.count(req));
    const detail = sameWire("count with filters", a, b);
    assert(a.value.data.count === b.value && typeof b.value === "number", `SDK ${json(a.value.data)}, ours ${json(b.value)}`);
    return `${detail} -> ${b.value}`;
  });
  await check("count with parent and external_ref: same body, same number", async () => {
    const req = { parent: ["ACC-3"], external_ref: ["gong:call/7407919"] };
    const a = await capture(() => api.engagementsCountPost(req));
    const b = await capture(() => client.count(req));
    const detail = sameWire("count parent", a, b);
    assert(a.value.data.count === b.value, `SDK ${json(a.value.data)}, ours ${json(b.value)}`);
    return `${detail} -> ${b.value}`;
  });
  await check("count with no filter ({} vs count()): same body, same number", async () => {
    const a = await capture(() => api.engagementsCountPost({}));
    const b = await capture(() => client.count());
    const detail = sameWire("count {}", a, b);
    assert(a.value.data.count === b.value && b.value === 30, `SDK ${json(a.value.data)}, ours ${json(b.value)}`);
    return `${detail} -> ${b.value}`;
  });
  await check("get by display id (ENG-3): POST /engagements.get {id}, same engagement", async () => {
    const a = await capture(() => api.engagementsGetPost({ id: "ENG-3" }));
    const b = await capture(() => client.get("ENG-3"));
    const detail = sameWire("get ENG-3", a, b);
    assert(canonical(a.value.data.engagement) === canonical(b.value), "different engagements");
    return detail;
  });
  await check("get by DON id: same body, same engagement", async () => {
    const id = "don:core:dvrv-us-1:devo/0:engagement/12";
    const a = await capture(() => api.engagementsGetPost({ id }));
    const b = await capture(() => client.get(id));
    const detail = sameWire("get DON", a, b);
    assert(canonical(a.value.data.engagement) === canonical(b.value), "different engagements");
    return detail;
  });
  const stripVolatile = (e) => {
    const { id, display_id, created_date, modified_date, ...rest } = e;
    return rest;
  };
  await check("create with every field: POST /engagements.create, same body, same engagement (but id and dates)", async () => {
    const body = {
      title: "Differential: discovery call",
      description: "Made by tests/differential/run.mjs",
      engagement_type: "call",
      scheduled_date: "2024-06-03T15:30:00Z",
      members: ["DEVU-2", "REVU-4"],
      parent: "ACC-2",
      parents: ["OPP-3"],
      artifacts: ["ARTIFACT-7"],
      external_ref: "differential:1",
      external_url: "https://example.com/differential/1",
      tags: [{ id: "TAG-8", value: "high" }, { id: "TAG-1" }],
    };
    const a = await capture(() => api.engagementsCreate(body));
    const b = await capture(() => client.create(body));
    const detail = sameWire("create", a, b);
    assert(a.requests[0].status === 201 && b.requests[0].status === 201, `mock answered ${a.requests[0].status} / ${b.requests[0].status}`);
    assert(canonical(stripVolatile(a.value.data.engagement)) === canonical(stripVolatile(b.value)), "the created engagements differ beyond id and dates");
    return detail;
  });
  await check("create with the required fields only: same body", async () => {
    const body = { title: "Differential: minimal", scheduled_date: "2024-06-04T09:00:00.000Z", members: ["DEVU-1"] };
    const a = await capture(() => api.engagementsCreate(body));
    const b = await capture(() => client.create(body));
    return sameWire("create minimal", a, b);
  });

  // --- known differences, asserted as they are ---
  const sdkJs = await readTree(path.join(sdkRoot, "dist"), ".js");
  const betaDts = await fsp.readFile(path.join(sdkRoot, "dist/auto-generated/beta/beta-devrev-sdk.d.ts"), "utf8");

  await known("D1", "The SDK's unsuffixed methods (engagementsList, engagementsGet, engagementsCount) use GET with a query string",
    "DevRev's spec defines GET and POST for list, get and count. The SDK's plainly named methods are the GET ones;\n" +
    "POST (what our client and API.md use, with a JSON body) needs engagementsListPost / engagementsGetPost /\n" +
    "engagementsCountPost. create, update and delete are POST only, and there the names match.",
    async () => {
      const a = await capture(() => api.engagementsGet({ id: "ENG-3" }));
      const b = await capture(() => client.get("ENG-3"));
      const sdkReq = oneRequest("SDK", a);
      const ourReq = oneRequest("ours", b);
      assert(sdkReq.method === "GET" && sdkReq.path === "/engagements.get" && sdkReq.query === "id=ENG-3" && sdkReq.body === "", `SDK sent ${sdkReq.method} ${sdkReq.path}?${sdkReq.query} [${sdkReq.body}]`);
      assert(ourReq.method === "POST" && ourReq.query === "" && canonical(ourReq.json) === canonical({ id: "ENG-3" }), `ours sent ${ourReq.method} ${ourReq.path}?${ourReq.query} [${ourReq.body}]`);
      assert(canonical(a.value.data.engagement) === canonical(b.value), "the GET and POST answers differ");
      const l = await capture(() => api.engagementsList({ limit: 2 }));
      const c = await capture(() => api.engagementsCount({}));
      assert(oneRequest("SDK", l).method === "GET" && l.requests[0].query === "limit=2", `engagementsList sent ${l.requests[0]?.method} ?${l.requests[0]?.query}`);
      assert(oneRequest("SDK", c).method === "GET", `engagementsCount sent ${c.requests[0]?.method}`);
      return `engagementsGet -> GET /engagements.get?id=ENG-3 (no body); ours -> POST /engagements.get {"id":"ENG-3"}; same engagement back`;
    });

  await known("D2", "The SDK's GET methods quote array values (type=\"call\",\"email\"): list/count filters on GET fail",
    "client.setupBeta installs a request interceptor that turns every array query parameter into\n" +
    "`\"v1\",\"v2\"` (each value wrapped in double quotes, then joined with commas). The spec declares these\n" +
    "parameters `style: form, explode: false`, i.e. `type=call,email`. So engagementsList({ type: [\"call\"] })\n" +
    "sends type=%22call%22 and the mock (checking values against the spec's enum) answers 400\n" +
    "(`Invalid value '\"call\"' for field 'type[0]'`). The POST variants are not affected.",
    async () => {
      const a = await capture(() => api.engagementsList({ type: ["call", "email"], limit: 2 }));
      const req = a.requests[0];
      assert(a.requests.length === 1, `${a.requests.length} requests`);
      assert(req.method === "GET" && req.query === "type=%22call%22,%22email%22&limit=2", `sent ${req.method} ?${req.query}`);
      assert(a.error && a.error.response?.status === 400, `SDK ${a.error ? `rejected ${a.error.response?.status}` : "resolved"}, want a 400 rejection`);
      assert(/'"call"'/.test(a.error.response.data?.message ?? ""), `400 body ${json(a.error.response.data)}`);
      const c = await capture(() => api.engagementsCount({ members: ["DEVU-1"] }));
      assert(c.requests[0]?.query === "members=%22DEVU-1%22" && c.error?.response?.status === 400, `count sent ?${c.requests[0]?.query}, got ${c.error?.response?.status ?? "no error"}`);
      const b = await capture(() => client.list({ type: ["call", "email"], limit: 2 }));
      assert(!b.error && oneRequest("ours", b).status === 200, "ours failed the same filter");
      return `GET /engagements.list?${req.query} -> 400 ${a.error.response.data.message}; ours POST {"limit":2,"type":["call","email"]} -> 200`;
    });

  await known("D3", "The SDK sends the token bare (Authorization: <token>), not `Bearer <token>`",
    "client.setup / setupBeta put the token into the Authorization header as given. The spec's security\n" +
    "scheme is `type: http, scheme: bearer` (\"Provide `Authorization: Bearer <TOKEN>`\"); API.md requires\n" +
    "Bearer and our client sends it. The mock accepts both (modelled on DevRev accepting a bare PAT, which\n" +
    "cannot be checked here without the live API), so nothing fails; a caller of the SDK who follows the\n" +
    "spec must pass \"Bearer \" + token themselves.",
    async () => {
      const a = await capture(() => api.engagementsCountPost({}));
      const b = await capture(() => client.count());
      const sdkAuth = oneRequest("SDK", a).headers.authorization;
      const ourAuth = oneRequest("ours", b).headers.authorization;
      assert(sdkAuth === TOKEN, `SDK Authorization ${json(sdkAuth)}`);
      assert(ourAuth === `Bearer ${TOKEN}`, `ours Authorization ${json(ourAuth)}`);
      return `SDK "Authorization: ${TOKEN}"; ours "Authorization: Bearer ${TOKEN}"`;
    });

  await known("D4", "Headers: both send X-Devrev-Scope: beta; the SDK also adds X-Devrev-Client-Platform; Accept differs",
    "setupBeta sends `X-Devrev-Scope: beta` and `X-Devrev-Client-Platform: Typescript-SDK`, and axios sends\n" +
    "`Accept: application/json, text/plain, */*`. Ours sends `X-Devrev-Scope: beta` too (DevRev's versioning page:\n" +
    "beta APIs need it; the mock answers 404 without it) and `Accept: application/json`, no client-platform header.",
    async () => {
      const a = await capture(() => api.engagementsCountPost({}));
      const b = await capture(() => client.count());
      const sh = oneRequest("SDK", a).headers;
      const oh = oneRequest("ours", b).headers;
      assert(sh["x-devrev-scope"] === "beta" && sh["x-devrev-client-platform"] === "Typescript-SDK", `SDK headers ${json(sh)}`);
      assert(sh.accept === "application/json, text/plain, */*", `SDK Accept ${json(sh.accept)}`);
      assert(oh["x-devrev-scope"] === "beta", `ours sent no X-Devrev-Scope: beta: ${json(oh)}`);
      assert(!("x-devrev-client-platform" in oh), `ours sent ${json(oh)}`);
      assert(oh.accept === "application/json", `ours Accept ${json(oh.accept)}`);
      return `both: x-devrev-scope=beta; SDK: x-devrev-client-platform=${sh["x-devrev-client-platform"]}, accept=${sh.accept}; ours: accept=${oh.accept}`;
    });

  await known("D5", "The SDK never retries: a 429 with Retry-After: 1 fails at once; ours waits 1 s (seconds, not ms) and succeeds",
    "@devrev/typescript-sdk has no retry code at all (no axios-retry, no retryDelay, no setTimeout in dist/):\n" +
    "a 429 (or 5xx) rejects with the AxiosError after one request. The issue's \"retry delay in milliseconds\n" +
    "by mistake\" is not in this package: it is DevRev's Airdrop SDK, @devrev/ts-adaas 1.1.6-1.2.4\n" +
    "(github.com/devrev/adaas-sdk, src/http/axios-devrev-client.ts, added in 6c7bb1a, removed in 1.2.5):\n" +
    "its axios-retry `retryDelay` returned the `retry-after` header (seconds) unconverted, which axios-retry\n" +
    "reads as milliseconds, so it retried after ~1 ms instead of 1 s. The x1000 fix came in 6a9c925 (#58,\n" +
    "src/http/axios-client-internal.ts). Ours honours Retry-After in seconds.",
    async () => {
      const retryish = sdkJs.filter(({ text }) => /axios-retry|retryDelay|setTimeout\s*\(/.test(text)).map(({ file }) => path.relative(sdkRoot, file));
      assert(retryish.length === 0, `the SDK now has retry/timer code in ${retryish.join(", ")}: re-check its delay units`);
      const fault = { status: 429, headers: { "Retry-After": "1" }, match: { path: "/engagements.count", provider: "devrev" }, times: 1 };
      mock.addFaults(fault);
      const a = await capture(() => api.engagementsCountPost({}));
      mock.clearFaults();
      assert(a.requests.length === 1, `SDK made ${a.requests.length} requests`);
      assert(a.error?.response?.status === 429, `SDK ${a.error ? `rejected with ${a.error.response?.status}` : `resolved ${json(a.value?.data)}`}`);
      mock.addFaults(fault);
      const retrying = new ours.DevRevClient({ baseUrl: url, token: TOKEN, maxRetries: 2 });
      const b = await capture(() => retrying.count());
      mock.clearFaults();
      const stored = mock.devrev.store().length;
      assert(!b.error && b.value === stored, `ours ${b.error ? `rejected: ${b.error.message}` : `resolved ${b.value}`}, want ${stored}`);
      assert(b.requests.length === 2, `ours made ${b.requests.length} requests, want 2`);
      const gap = b.requests[1].t - b.requests[0].t;
      assert(gap >= 950 && gap < 5000, `ours waited ${gap} ms between attempts, want about 1000 (Retry-After: 1 is seconds)`);
      return `SDK: 1 request, AxiosError 429 after ${a.ms} ms; ours: 2 requests ${gap} ms apart, resolved ${b.value}`;
    });

  await known("D6", "The SDK has no pagination helper: callers loop on next_cursor themselves",
    "The beta Api's engagement methods are exactly engagementsCount, engagementsCountPost, engagementsCreate,\n" +
    "engagementsDelete, engagementsGet, engagementsGetPost, engagementsList, engagementsListPost and\n" +
    "engagementsUpdate; nothing iterates pages. Ours has listAll (next_cursor, or prev_cursor with\n" +
    "mode \"before\"). The manual loop with the SDK and our listAll see the same engagements in the same order.",
    async () => {
      const names = Object.getOwnPropertyNames(api).filter((n) => /^engagements/i.test(n)).sort();
      const want = ["engagementsCount", "engagementsCountPost", "engagementsCreate", "engagementsDelete", "engagementsGet", "engagementsGetPost", "engagementsList", "engagementsListPost", "engagementsUpdate"];
      assert(json(names) === json(want), `engagement methods are now ${json(names)}`);
      const seen = [];
      let cursor;
      for (let i = 0; i < 50; i += 1) {
        const { data } = await api.engagementsListPost({ limit: 7, ...(cursor ? { cursor } : {}) });
        seen.push(...data.engagements.map((e) => e.id));
        cursor = data.next_cursor;
        if (!cursor) break;
      }
      const ourIds = [];
      for await (const e of client.listAll({ limit: 7 })) ourIds.push(e.id);
      assert(json(seen) === json(ourIds), `manual loop ${seen.length}, listAll ${ourIds.length}: different sequences`);
      return `${names.length} methods, none paginates; manual loop and listAll agree on ${ourIds.length} engagements`;
    });

  await known("D7", "No validation before sending: the SDK sends bodies the spec forbids and gets a 400; ours sends nothing",
    "From JavaScript (or TypeScript with a cast) the SDK posts a create without members, with engagement_type\n" +
    "\"meeting\" (outside the create enum) or with a non-RFC 3339 scheduled_date, and the server answers 400.\n" +
    "Its TypeScript types do catch the first two at compile time (members is required; engagement_type is\n" +
    "the 5-value create enum), not the date format. Ours refuses all three with kind \"validation\", 0 attempts.",
    async () => {
      const base = { title: "Differential: invalid", scheduled_date: "2024-06-05T09:00:00Z", members: ["DEVU-1"] };
      const { members, ...noMembers } = base;
      const cases = [
        ["no members", noMembers],
        ["engagement_type meeting", { ...base, engagement_type: "meeting" }],
        ["scheduled_date 2024-06-05", { ...base, scheduled_date: "2024-06-05" }],
      ];
      const out = [];
      for (const [label, body] of cases) {
        const a = await capture(() => api.engagementsCreate(body));
        assert(a.requests.length === 1 && a.error?.response?.status === 400, `${label}: SDK made ${a.requests.length} request(s), ${a.error ? `status ${a.error.response?.status}` : "resolved"}`);
        const b = await capture(() => client.create(body));
        assert(b.requests.length === 0, `${label}: ours made ${b.requests.length} request(s)`);
        assert(b.error?.kind === "validation" && b.error.attempts === 0, `${label}: ours ${b.error ? `${b.error.kind}/${b.error.attempts}` : "resolved"}`);
        out.push(`${label}: SDK 400 "${a.error.response.data.message}", ours validation (${b.error.field})`);
      }
      return out.join("; ");
    });

  await known("D8", "The SDK's errors carry the token (AxiosError.config.headers.Authorization); ours never do",
    "Every SDK failure is an AxiosError whose `config.headers.Authorization` is the token, and\n" +
    "`error.toJSON()` (what loggers serialise) includes it. API.md: \"The token never appears in any error,\n" +
    "message or log\"; ours keeps it out and exposes DevRev's error `type` as `code`.",
    async () => {
      const a = await capture(() => api.engagementsGetPost({ id: "ENG-999" }));
      const b = await capture(() => client.get("ENG-999"));
      assert(a.error?.response?.status === 404, `SDK ${a.error ? a.error.response?.status : "resolved"}`);
      assert(a.error.config?.headers?.Authorization === TOKEN, "SDK error has no token in config.headers");
      assert(JSON.stringify(a.error.toJSON()).includes(TOKEN), "SDK error.toJSON() no longer holds the token");
      const e = b.error;
      assert(e && e.kind === "http" && e.status === 404 && e.code === "not_found", `ours ${e ? `${e.kind} ${e.status} ${e.code}` : "resolved"}`);
      const exposed = `${e.message} ${e.stack ?? ""} ${JSON.stringify(e)} ${JSON.stringify(e.body)}`;
      assert(!exposed.includes(TOKEN), "our error exposes the token");
      return `SDK: AxiosError 404 with config.headers.Authorization=${json(TOKEN)}; ours: EngagementsError http 404 code not_found, no token`;
    });

  await known("D9", "The SDK's Engagement type has none of the engagement's own fields",
    "In the beta SDK's typings, `Engagement = AtomBase & { description?: string }`: id, display_id,\n" +
    "created_by/date, modified_by/date and description only. title, engagement_type, scheduled_date,\n" +
    "members, parents, external_ref, external_url, tags and artifacts, which DevRev returns (and the mock\n" +
    "sends), are untyped, so `r.data.engagement.title` does not compile. (The spec itself declares the\n" +
    "engagement this thinly.) Ours types them (DevRevEngagement) and keeps unknown fields.",
    async () => {
      const engagement = /export type Engagement = AtomBase & \{([\s\S]*?)\n\};/.exec(betaDts);
      assert(engagement, "no `export type Engagement = AtomBase & {...}` in beta-devrev-sdk.d.ts");
      const own = [...engagement[1].matchAll(/^\s{4}(\w+)\??:/gm)].map((m) => m[1]);
      assert(json(own) === json(["description"]), `Engagement now declares ${json(own)}`);
      const atom = /export interface AtomBase \{([\s\S]*?)\n\}/.exec(betaDts);
      const atomFields = atom ? [...atom[1].matchAll(/^\s{4}(\w+)\??:/gm)].map((m) => m[1]).sort() : [];
      assert(json(atomFields) === json(["created_by", "created_date", "display_id", "id", "modified_by", "modified_date"]), `AtomBase now declares ${json(atomFields)}`);
      const a = await api.engagementsGetPost({ id: "ENG-3" });
      const untyped = ["title", "engagement_type", "scheduled_date", "members", "parents"].filter((k) => k in a.data.engagement);
      assert(untyped.length === 5, `the response lacks ${json(untyped)}`);
      return `typed: ${[...atomFields, ...own].join(", ")}; returned but untyped: ${untyped.join(", ")}, ...`;
    });

  await known("D10", "The SDK resolves to the axios response with DevRev's envelope; ours resolves to the data",
    "SDK: `(await api.engagementsGetPost({id})).data.engagement`, `.data.count`, `.data.engagements`; delete\n" +
    "resolves to a response whose data is `{}`. Ours: the engagement, the number, the page, and undefined.\n" +
    "Not a bug; it is why the comparisons above unwrap the SDK's side.",
    async () => {
      const a = await api.engagementsCountPost({ type: ["email"] });
      const b = await client.count({ type: ["email"] });
      assert(a.status === 200 && a.data && a.data.count === b, `SDK ${json(a.data)}, ours ${b}`);
      return `SDK { status: 200, data: ${json(a.data)} }, ours ${b}`;
    });

  await known("D11", "The SDK has no request timeout by default; ours times out each attempt after 30 s",
    "The SDK's axios instance is created with no `timeout` (axios default 0 = wait forever); ours uses\n" +
    "timeoutMs 30000 per attempt (0 disables it).",
    async () => {
      const timeout = api.instance.defaults.timeout;
      assert(timeout === 0 || timeout === undefined, `SDK axios timeout is now ${json(timeout)}`);
      mock.addFaults({ delayMs: 400, match: { path: "/engagements.count", provider: "devrev" }, times: 1 });
      const quick = new ours.DevRevClient({ baseUrl: url, token: TOKEN, maxRetries: 0, timeoutMs: 100 });
      const b = await capture(() => quick.count());
      mock.clearFaults();
      assert(b.error?.kind === "timeout", `ours with timeoutMs 100 against a 400 ms answer: ${b.error ? b.error.kind : "resolved"}`);
      return `SDK axios timeout ${json(timeout)}; ours timeoutMs 100 -> kind timeout after ${b.ms} ms`;
    });

  await check("update with scheduled_date: null (clears the date): same method, path and body", async () => {
    const body = { id: "ENG-2", scheduled_date: null };
    const a = await capture(() => api.engagementsUpdate(body));
    const b = await capture(() => client.update(body));
    const sdkReq = oneRequest("SDK", a);
    const ourReq = oneRequest("ours", b);
    assert(canonical(sdkReq.json) === canonical(body), `SDK sent ${sdkReq.body}`);
    assert(canonical(ourReq.json) === canonical(body), `ours sent ${ourReq.body}`);
    assert(!("scheduled_date" in b.value), "the mock did not clear the date for ours");
    return `both sent ${ourReq.body}`;
  });
}

async function readTree(dir, ext) {
  const out = [];
  for (const entry of await fsp.readdir(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await readTree(file, ext)));
    else if (entry.name.endsWith(ext)) out.push({ file, text: await fsp.readFile(file, "utf8") });
  }
  return out;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    say(err.stack || String(err));
    say("0 passed, 1 failed");
    process.exit(1);
  },
);
