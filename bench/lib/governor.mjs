// The rate governor, measured: 200 mixed calls (list, get, create, update)
// for one Truto account, all started at once (a dashboard loading several
// views, a Worker fanning out), against the mock enforcing Truto's documented
// limits (50 / 10 s per account, 429 with Retry-After: 10). Once with the
// governor (the default), once with `rateLimit: false`, each on an account and
// token of its own. Figures: time to finish, 429s the server served, calls
// that failed, retry waits taken. A first list (its ids for the gets and
// updates) comes before each burst, in the same window: 201 requests.
// Prints one JSON line.
//
//   node bench/lib/governor.mjs <pkgDir>
import { importNode } from "./pkg.mjs";
import { startMockServer } from "../../tests/mock/server.mjs";

const [pkgDir] = process.argv.slice(2);
const CALLS = 200;
const { TrutoClient } = await importNode(pkgDir);
const server = await startMockServer();

/** 200 calls for one account: 1 in 4 a write. */
async function burst(label, options) {
  const retries = [];
  const throttles = [];
  const client = new TrutoClient({
    baseUrl: server.url,
    token: `test-token:${label}`,
    integratedAccountId: `acct-bench-${label}`,
    onRetry: (e) => retries.push(e),
    onThrottle: (e) => throttles.push(e),
    ...options,
  });
  const first = await client.list({ limit: 5 });
  const ids = first.result.map((e) => e.id);
  const before = await (await fetch(`${server.url}/__mock/limits`)).json();
  const started = performance.now();
  const calls = Array.from({ length: CALLS }, (_, i) => {
    const id = ids[i % ids.length];
    switch (i % 8) {
      case 0: return client.create({ subject: `bench ${i}`, engagement_type: "call" });
      case 4: return client.update(id, { subject: `bench ${i}` });
      case 2: case 6: return client.list({ limit: 5 });
      default: return client.get(id);
    }
  });
  const settled = await Promise.allSettled(calls);
  const ms = performance.now() - started;
  const after = await (await fetch(`${server.url}/__mock/limits`)).json();
  return {
    ms,
    served429: after.truto.account + after.truto.token - before.truto.account - before.truto.token,
    failed: settled.filter((s) => s.status === "rejected").length,
    retryWaits: retries.length,
    retryWaitMs: retries.reduce((sum, e) => sum + e.waitMs, 0),
    throttleEvents: throttles.length,
  };
}

const governed = await burst("governed", {});
const ungoverned = await burst("ungoverned", { rateLimit: false });
// Without the governor but with retries enough for every call to succeed:
// the fair "time to finish all 200".
const persistent = await burst("persistent", { rateLimit: false, maxRetries: 20 });
server.close();
console.log(JSON.stringify({ calls: CALLS, governed, ungoverned, persistent }));
