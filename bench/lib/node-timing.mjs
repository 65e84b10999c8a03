// Node timings, in a fresh process of their own (started by bench/run.mjs with
// --expose-gc): listAll over 20,000, decode of one 500-item page, and the
// per-request overhead on an empty page. Prints one JSON line.
//
//   node --expose-gc bench/lib/node-timing.mjs <origin> <pkgDir> <runs> <warmup> [<listAll rounds>]
import { ACCOUNT, TOKEN, floorAll, floorGenAll, floorPage, floorTextAll, oursAll, wiredAll, UNPACED } from "./floor.mjs";
import { importNode } from "./pkg.mjs";
import { interleave, median, summary, time } from "./stats.mjs";

const [origin, pkgDir, runsArg, warmupArg, listAllRunsArg] = process.argv.slice(2);
const RUNS = Number(runsArg);
const LISTALL_RUNS = Number(listAllRunsArg ?? runsArg);
const WARMUP = Number(warmupArg);
const { TrutoClient } = await importNode(pkgDir);
const gc = globalThis.gc ?? (() => {});
const before = async () => gc();

const client = (dataset, extra = {}) =>
  new TrutoClient({ token: TOKEN, integratedAccountId: ACCOUNT, rateLimit: UNPACED, baseUrl: `${origin}/d/${dataset}`, ...extra });

function check(label, got, want) {
  if (got[0] !== want) throw new Error(`${label}: got ${got[0]} engagements, want ${want}`);
  return got;
}

// ---- 1. listAll over 20,000 --------------------------------------------------
const N = 20_000;
const truto = client("p20k");
const ref = check("floor", await floorAll(`${origin}/d/p20k`), N);
const mine = check("ours", await oursAll(truto), N);
if (mine[1] !== ref[1]) throw new Error("ours and the floor saw different engagements");
const listAll = await interleave({
  floor: async () => (await time(async () => check("floor", await floorAll(`${origin}/d/p20k`), N)))[0],
  ours: async () => (await time(async () => check("ours", await oursAll(truto), N)))[0],
  floorAsyncGen: async () => (await time(async () => check("floor gen", await floorGenAll(`${origin}/d/p20k`), N)))[0],
  floorText: async () => (await time(async () => check("floor text", await floorTextAll(`${origin}/d/p20k`), N)))[0],
  wired: async () => (await time(async () => check("wired", await wiredAll(`${origin}/d/p20k`), N)))[0],
}, { warmup: WARMUP, runs: LISTALL_RUNS, before });

// ---- 2. decode: one 500-item page, bytes -> objects --------------------------
const bytes = new Uint8Array(await (await fetch(`${origin}/d/p20k/unified/crm/engagements?limit=500`)).arrayBuffer());
const text = new TextDecoder().decode(bytes);
// The same Response a real fetch resolves to, with the body already in memory: no socket.
const stubFetch = async () => new Response(bytes, { status: 200, headers: { "content-type": "application/json" } });
const stubbed = new TrutoClient({ token: TOKEN, integratedAccountId: ACCOUNT, rateLimit: UNPACED, baseUrl: "http://127.0.0.1:9", fetch: stubFetch });
const len = (v) => {
  const n = Array.isArray(v.result) ? v.result.length : -1;
  if (n !== 500) throw new Error(`decode: got ${n} items`);
  return n;
};
len(await stubbed.list({ limit: 500 }));
const DECODE_RUNS = Math.max(RUNS * 6, 31);
const decode = await interleave({
  jsonParse: async () => (await time(async () => len(JSON.parse(new TextDecoder().decode(bytes)))))[0],
  jsonParseString: async () => (await time(async () => len(JSON.parse(text))))[0],
  floorStub: async () => (await time(async () => len(await (await stubFetch()).json())))[0],
  oursStub: async () => (await time(async () => len(await stubbed.list({ limit: 500 }))))[0],
  floorWire: async () => (await time(async () => len(await floorPage(`${origin}/d/p20k`))))[0],
  oursWire: async () => (await time(async () => len(await truto.list({ limit: 500 }))))[0],
}, { warmup: WARMUP * 3, runs: DECODE_RUNS, before });

// ---- 5. per-request overhead on an empty page ---------------------------------
const REQUESTS = 2000;
const empty = client("empty");
const emptyBase = `${origin}/d/empty`;
async function perRequest(fn) {
  const lat = new Float64Array(REQUESTS);
  const t0 = performance.now();
  for (let i = 0; i < REQUESTS; i += 1) {
    const t = performance.now();
    const body = await fn();
    lat[i] = performance.now() - t;
    if (!Array.isArray(body.result)) throw new Error("per-request: bad body");
  }
  return { total: performance.now() - t0, median: median(lat) };
}
// The same with no socket: a stub `fetch` resolving to new Response(emptyBytes), so
// what is left is the CPU each side spends per request.
const emptyBytes = Buffer.from('{"result":[],"next_cursor":null,"result_count":0}');
const emptyResponse = () => new Response(emptyBytes, { status: 200, headers: { "content-type": "application/json" } });
const emptyStub = new TrutoClient({ token: TOKEN, integratedAccountId: ACCOUNT, rateLimit: UNPACED, baseUrl: "http://127.0.0.1:9", fetch: async () => emptyResponse() });
const tasks = [
  ["floor", () => floorPage(emptyBase)],
  ["ours", () => empty.list()],
  ["floorStub", async () => (await emptyResponse()).json()],
  ["oursStub", () => emptyStub.list()],
];
const raw = Object.fromEntries(tasks.flatMap(([n]) => [[n, []], [`${n}Mean`, []]]));
const PER_REQUEST_RUNS = Math.min(RUNS, 5); // 2,000 requests each: enough, and the longest part
for (let r = 0; r < PER_REQUEST_RUNS + 1; r += 1) {
  for (let k = 0; k < tasks.length; k += 1) {
    const [name, fn] = tasks[(k + r) % tasks.length];
    gc();
    const m = await perRequest(fn);
    if (r === 0) continue; // warm-up
    raw[name].push(m.median);
    raw[`${name}Mean`].push(m.total / REQUESTS);
  }
}
const perReq = { requests: REQUESTS, ...Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, summary(v)])) };

process.stdout.write(`${JSON.stringify({ listAll: { items: N, ...listAll }, decode: { pageBytes: bytes.length, ...decode }, perRequest: perReq })}\n`);
