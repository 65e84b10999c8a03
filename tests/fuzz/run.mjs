// Arbitrary JavaScript values as options, queries, bodies and ids, through
// every method of both clients (the packaged wasm, in Node). A panic would be
// a trap that kills the instance: every case must end in a success or an
// EngagementsError, and the clients must keep working afterwards.
//
// Then the security sweep: one error of every kind, each checked for the
// token in message, String(err), JSON.stringify(err), stack and body.
import { startMockServer } from "../mock/server.mjs";
import {
  TrutoClient,
  DevRevClient,
  isEngagementsError,
  devRevToEngagement,
} from "../../pkg/node.mjs";

const CASES = Number(process.env.FUZZ_CASES ?? 4000);
const TOKEN = "fuzz-token-7c1f0e-SECRET";

// --- a seeded generator of hostile values ------------------------------------
let state = 0x2f6e2b1;
const rand = () => {
  state ^= state << 13; state >>>= 0;
  state ^= state >>> 17;
  state ^= state << 5; state >>>= 0;
  return state / 4294967296;
};
const pick = (a) => a[Math.floor(rand() * a.length)];

function deep(depth, leaf) {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = rand() < 0.5 ? { a: v } : [v];
  return v;
}

function cyclic() {
  const o = { a: 1 };
  o.self = o;
  o.list = [o];
  return o;
}

function hostileObject() {
  return pick([
    () => new Proxy({}, { get() { throw new Error("getter trap"); } }),
    () => Object.defineProperty({}, "limit", { enumerable: true, get() { throw new Error("boom"); } }),
    () => Object.create(null),
    () => Object.freeze({ subject: "frozen" }),
    () => cyclic(),
    () => deep(50_000, "x"),
    () => new Map([["a", 1]]),
    () => new Date(),
    () => /re/g,
    () => new Uint8Array(8),
    () => Promise.resolve(1),
    () => Array.from({ length: 100_000 }, (_, i) => `f${i}`),
  ])();
}

const FIELDS = [
  "integrated_account_id", "engagement_type", "start_time", "end_time", "account", "contact",
  "owner", "limit", "next_cursor", "truto_key_by", "truto_exclude_fields", "remote_query",
  "direction", "status", "subject", "content", "remote_data", "custom_fields", "phone_numbers",
  "truto_response_format", "title", "scheduled_date", "members", "parents", "mode", "type",
  "cursor", "id", "signal", "timeoutMs", "maxRetries", "headers", "idempotencyKey", "maxItems",
  "baseUrl", "token", "fetch", "nope", "__proto__", "constructor", "",
];

function value(depth = 0) {
  const r = rand();
  if (r < 0.45 || depth > 3) {
    return pick([
      undefined, null, true, false, 0, -0, -1, 1.5, NaN, Infinity, -Infinity, 1e308, 2 ** 53 + 1,
      10n, Symbol("s"), "", "x", "\ud800", "\udfff", "a\ud800b", "😀", "x".repeat(100_000),
      "2024-01-01T00:00:00Z", "2024-02-30T00:00:00Z", "inbound", "sideways", "stream", "call",
      "a/b/../c?d#e%f", "\r\nX-Injected: 1", () => {}, "don:identity:dvrv-us-1:devo/0:devu/1",
    ]);
  }
  if (r < 0.6) return hostileObject();
  if (r < 0.75) return Array.from({ length: Math.floor(rand() * 4) }, () => value(depth + 1));
  const o = {};
  for (let i = Math.floor(rand() * 5); i > 0; i--) o[pick(FIELDS)] = value(depth + 1);
  return o;
}

// --- the run -----------------------------------------------------------------
const server = await startMockServer({ token: TOKEN });
const base = { token: TOKEN, integratedAccountId: "fuzz", baseUrl: server.url, timeoutMs: 2000, maxRetries: 0 };
const truto = new TrutoClient(base);
const devrev = new DevRevClient({ token: TOKEN, baseUrl: server.url, timeoutMs: 2000, maxRetries: 0 });
const tally = { ok: 0, validation: 0, http: 0, network: 0, timeout: 0, aborted: 0, decode: 0, config: 0 };
let failures = 0;
const collected = [];

function note(outcome, label) {
  if (outcome.ok) return void tally.ok++;
  const err = outcome.err;
  if (!isEngagementsError(err)) {
    failures++;
    console.log(`FAIL ${label}: not an EngagementsError: ${err?.name}: ${err?.message}`);
    return;
  }
  tally[err.kind] = (tally[err.kind] ?? 0) + 1;
  collected.push(err);
}

async function settle(fn) {
  try {
    await fn();
    return { ok: true };
  } catch (err) {
    return { ok: false, err };
  }
}

const calls = [
  ["new TrutoClient", async () => new TrutoClient(value())],
  ["new DevRevClient", async () => new DevRevClient(value())],
  ["truto.list", () => truto.list(value(), value())],
  ["truto.listAll", async () => { const it = truto.listAll(value(), value()); await it.next(); await it.return(); }],
  ["truto.listStream", async () => { const s = await truto.listStream(value(), value()); await s.cancel(); }],
  ["truto.get", () => truto.get(value(), value(), value())],
  ["truto.create", () => truto.create(value(), value(), value())],
  ["truto.update", () => truto.update(value(), value(), value(), value())],
  ["truto.delete", () => truto.delete(value(), value(), value())],
  ["devrev.list", () => devrev.list(value(), value())],
  ["devrev.listAll", async () => { const it = devrev.listAll(value(), value()); await it.next(); await it.return(); }],
  ["devrev.get", () => devrev.get(value(), value())],
  ["devrev.create", () => devrev.create(value(), value())],
  ["devrev.update", () => devrev.update(value(), value())],
  ["devrev.delete", () => devrev.delete(value(), value())],
  ["devrev.count", () => devrev.count(value(), value())],
  ["devRevToEngagement", async () => devRevToEngagement(value())],
];

const started = Date.now();
for (let i = 0; i < CASES; i++) {
  const [label, fn] = calls[i % calls.length];
  const outcome = await settle(fn);
  if (!outcome.ok && outcome.err instanceof WebAssembly.RuntimeError) {
    console.log(`FAIL case ${i} ${label}: the wasm instance trapped: ${outcome.err.message}`);
    failures++;
    break;
  }
  note(outcome, `case ${i} ${label}`);
}
const fuzzMs = Date.now() - started;

// The clients keep working after every refusal.
const alive = await settle(async () => {
  const page = await truto.list({ limit: 2 });
  if (page.result.length !== 2) throw new Error("truto list broke");
  if (!((await devrev.count()) > 0)) throw new Error("devrev count broke");
});
if (!alive.ok) {
  failures++;
  console.log(`FAIL the clients stopped working: ${alive.err?.message}`);
}

// --- security sweep: one error of every kind -----------------------------------
const { mock } = server;
const echo = { faults: [{ match: { path: "/unified/crm/engagements" }, status: 500, body: { statusCode: 500, error: "Internal", message: `proxy saw Authorization: Bearer ${TOKEN}` } }] };
const kinds = [
  ["validation", () => truto.create({ direction: "sideways" })],
  ["config", async () => new TrutoClient({ token: TOKEN, baseUrl: "http://example.com" })],
  ["http 401", () => new TrutoClient({ ...base, token: `${TOKEN}-wrong` }).list()],
  ["http 404", () => truto.get("missing")],
  ["http echo", async () => { mock.addFaults(echo.faults); await truto.list(); }],
  ["network", async () => { mock.addFaults([{ match: { path: "/unified" }, drop: true }]); await truto.list(); }],
  ["network truncated", async () => { mock.addFaults([{ match: { path: "/unified" }, truncate: true }]); await truto.list(); }],
  ["timeout", async () => { mock.addFaults([{ match: { path: "/unified" }, delayMs: 1500 }]); await truto.list({}, { timeoutMs: 100 }); }],
  ["aborted", () => truto.list({}, { signal: AbortSignal.abort() })],
  ["decode", async () => { mock.addFaults([{ match: { path: "/unified" }, status: 200, body: "<html>not json</html>" }]); await truto.list(); }],
  ["devrev http", () => new DevRevClient({ token: `${TOKEN}-x`, baseUrl: server.url }).count()],
];
const seenKinds = new Set();
for (const [label, fn] of kinds) {
  const outcome = await settle(fn);
  if (outcome.ok) {
    failures++;
    console.log(`FAIL security sweep: ${label} did not fail`);
    continue;
  }
  seenKinds.add(outcome.err.kind);
  collected.push(outcome.err);
}
for (const k of ["validation", "config", "http", "network", "timeout", "aborted", "decode"]) {
  if (!seenKinds.has(k)) {
    failures++;
    console.log(`FAIL security sweep produced no ${k} error`);
  }
}
let leaks = 0;
for (const err of collected) {
  const texts = [err.message, String(err), JSON.stringify(err), err.stack, JSON.stringify(err.body ?? null), err.insight, err.code];
  if (texts.some((t) => typeof t === "string" && t.includes(TOKEN))) {
    leaks++;
    console.log(`FAIL the token leaked into a ${err.kind} error: ${err.message}`);
  }
}
failures += leaks;
await server.close();

console.log(`fuzz: ${CASES} cases in ${(fuzzMs / 1000).toFixed(1)} s — ${JSON.stringify(tally)}`);
console.log(`security: ${collected.length} errors checked for the token, ${leaks} leaks`);
const checks = CASES + 1 + kinds.length + 7 + collected.length;
console.log(`${checks - failures} passed, ${failures} failed`);
process.exit(failures === 0 ? 0 : 1);
