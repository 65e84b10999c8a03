// The floor: what a user would hand-write with no SDK. Plain `fetch` + `res.json()`,
// following `next_cursor`. Shared by the Node runs and the Chromium page.
export const TOKEN = "bench-token";
export const ACCOUNT = "acct-bench";
/**
 * The clients' `rateLimit` in the throughput benches: the governor stamps,
 * reads and settles its ledger on every request as by default, but over 1 ms
 * windows no bench fills. With Truto's documented 50 / 10 s, 2,000 requests
 * for one account would take 400 s: pacing is measured by bench/lib/governor.mjs.
 */
export const UNPACED = { perAccount: { requests: 1e6, intervalMs: 1 }, perToken: { requests: 1e6, intervalMs: 1 } };
const PATH = "/unified/crm/engagements";

const firstUrl = (base, limit) => `${base}${PATH}?integrated_account_id=${ACCOUNT}&limit=${limit}`;
const pageUrl = (base, limit, cursor) =>
  cursor == null ? firstUrl(base, limit) : `${firstUrl(base, limit)}&next_cursor=${encodeURIComponent(cursor)}`;
const HEADERS = { authorization: `Bearer ${TOKEN}` };

/** One page: fetch + res.json(). */
export async function floorPage(base, limit = 500, cursor) {
  const url = pageUrl(base, limit, cursor);
  const res = await fetch(url, { headers: HEADERS });
  if (!res.ok) throw new Error(`floor: HTTP ${res.status}`);
  return res.json();
}

/** One page read as our client reads it: fetch + res.text(), then JSON.parse. */
export async function floorTextPage(base, limit = 500, cursor) {
  const url = pageUrl(base, limit, cursor);
  const res = await fetch(url, { headers: HEADERS });
  if (!res.ok) throw new Error(`floor: HTTP ${res.status}`);
  return JSON.parse(await res.text());
}

/** The floor loop: every engagement of every page. Returns [count, checksum].
 *  `page` reads one page (default: res.json()). */
export async function floorAll(base, limit = 500, page = floorPage) {
  let n = 0;
  let sum = 0;
  let cursor = null;
  for (;;) {
    const body = await page(base, limit, cursor);
    for (const e of body.result) {
      n += 1;
      sum += e.id.length;
    }
    cursor = body.next_cursor;
    if (!cursor) return [n, sum];
  }
}

/** The floor loop reading bodies as ours does (text, then JSON.parse): how much
 *  of a gap is that choice rather than the client. Informational. */
export const floorTextAll = (base, limit = 500) => floorAll(base, limit, floorTextPage);

/** One page with what our client does around each attempt, in plain JS: an
 *  AbortController wired to a 30 s timeout timer (timeouts that really cancel),
 *  a Headers object with `accept` and `authorization`, then res.text() +
 *  JSON.parse. What a hand-written client with the same guarantees pays. */
export function wiredPage(base, limit = 500, cursor) {
  const url = pageUrl(base, limit, cursor);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 30_000);
  const headers = new Headers();
  headers.set("accept", "application/json");
  headers.set("authorization", HEADERS.authorization);
  return (async () => {
    try {
      const res = await fetch(url, { method: "GET", headers, signal: controller.signal });
      if (!res.ok) throw new Error(`wired: HTTP ${res.status}`);
      return JSON.parse(await res.text());
    } finally {
      clearTimeout(timer);
    }
  })();
}

/** The same loop behind an async generator, consumed with `for await` (what the
 *  async-iterator protocol alone costs, with no wasm). Informational. */
export async function* floorGenerator(base, limit = 500, page = floorPage) {
  let cursor = null;
  for (;;) {
    const body = await page(base, limit, cursor);
    yield* body.result;
    cursor = body.next_cursor;
    if (!cursor) return;
  }
}

/** `page` as in floorAll: with wiredPage, this is a plain-JS client with our
 *  client's guarantees and shape (for await over every engagement). */
export async function floorGenAll(base, limit = 500, page = floorPage) {
  let n = 0;
  let sum = 0;
  for await (const e of floorGenerator(base, limit, page)) {
    n += 1;
    sum += e.id.length;
  }
  return [n, sum];
}

/** Ours: `for await (const e of truto.listAll({ limit }))`. Returns [count, checksum]. */
export async function oursAll(truto, limit = 500) {
  let n = 0;
  let sum = 0;
  for await (const e of truto.listAll({ limit })) {
    n += 1;
    sum += e.id.length;
  }
  return [n, sum];
}

/** A plain-JS client with our client's wiring and `for await` (see wiredPage). */
export const wiredAll = (base, limit = 500) => floorGenAll(base, limit, wiredPage);
