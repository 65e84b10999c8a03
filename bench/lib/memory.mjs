// Heap growth while iterating 100,000 engagements (200 pages of 500), in a fresh
// process started with --expose-gc. Every SAMPLE_EVERY items it runs a full gc()
// and reads process.memoryUsage().heapUsed: what is still alive at that moment
// (the page the iterator holds, its bookkeeping, and for `collect` the array).
// Sample points move through the page (5,123 is not a multiple of 500), so
// samples land at the start, middle and end of pages alike. Prints one JSON line.
//
//   node --expose-gc bench/lib/memory.mjs <origin> <pkgDir>
import { ACCOUNT, TOKEN, floorGenerator, floorPage, UNPACED } from "./floor.mjs";
import { importNode } from "./pkg.mjs";

const [origin, pkgDir] = process.argv.slice(2);
if (typeof globalThis.gc !== "function") throw new Error("memory.mjs needs --expose-gc");
const { TrutoClient } = await importNode(pkgDir);
const TOTAL = 100_000;
const SAMPLE_EVERY = 5_123;
const base = `${origin}/d/p100k`;

const mem = () => {
  gc();
  gc();
  return process.memoryUsage();
};

// One page: its size on the wire, and what it takes in the heap once parsed.
const pageText = await (await fetch(`${base}/unified/crm/engagements?limit=500`)).text();
const pageBytes = Buffer.byteLength(pageText);
// (One parse first, thrown away: the first one in a process measures low. Then four
// kept at once, averaged: stable to within a few KB.)
if (JSON.parse(pageText).result.length !== 500) throw new Error("bad page");
let m0 = mem();
let held = [0, 1, 2, 3].map(() => JSON.parse(pageText));
const pageHeap = Math.round((mem().heapUsed - m0.heapUsed) / held.length);
held = null;

async function measure(iterable, keep) {
  const kept = [];
  const start = mem();
  const samples = [];
  let n = 0;
  for await (const e of iterable) {
    n += 1;
    if (keep) kept.push(e);
    if (n % SAMPLE_EVERY === 0) {
      const m = mem();
      samples.push({ n, heap: m.heapUsed - start.heapUsed, external: m.external - start.external });
    }
  }
  if (n !== TOTAL) throw new Error(`memory: got ${n} engagements, want ${TOTAL}`);
  const end = mem();
  const peak = Math.max(...samples.map((s) => s.heap));
  const half = samples.length >> 1;
  const peakFirstHalf = Math.max(...samples.slice(0, half).map((s) => s.heap));
  const peakSecondHalf = Math.max(...samples.slice(half).map((s) => s.heap));
  const result = {
    items: n,
    peakHeapGrowth: peak,
    peakFirstHalf,
    peakSecondHalf,
    endHeapGrowth: end.heapUsed - start.heapUsed,
    peakExternalGrowth: Math.max(...samples.map((s) => s.external)),
    samples: samples.map((s) => [s.n, s.heap]),
  };
  kept.length = 0;
  return result;
}

const ours = () => new TrutoClient({ token: TOKEN, integratedAccountId: ACCOUNT, rateLimit: UNPACED, baseUrl: base }).listAll({ limit: 500 });
// Warm-up: one page each way, so lazy compilation and pools are not counted as growth.
for await (const _ of new TrutoClient({ token: TOKEN, integratedAccountId: ACCOUNT, rateLimit: UNPACED, baseUrl: `${origin}/d/p20k` }).listAll({ limit: 500 }, { maxItems: 1000 })) { /* warm */ }
await floorPage(base);

const iterate = await measure(ours(), false);
const floorIterate = await measure(floorGenerator(base), false);
const collect = await measure(ours(), true);

process.stdout.write(`${JSON.stringify({ pageBytes, pageHeap, total: TOTAL, sampleEvery: SAMPLE_EVERY, iterate, floorIterate, collect })}\n`);
