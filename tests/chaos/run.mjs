// Chaos run: listAll and creates through the packaged client while the mock
// answers at random with 429 (Retry-After 0-1 s), 502, dropped connections and
// truncated bodies. Every engagement must arrive exactly once and in order;
// every create must leave exactly one record (Idempotency-Key replay).
//
//   node tests/chaos/run.mjs          short version (make test)
//   node tests/chaos/run.mjs --long   10,000 engagements + 200 creates (make chaos)
import { startMockServer } from "../mock/server.mjs";
import { TrutoClient, isEngagementsError } from "../../pkg/node.mjs";

const long = process.argv.includes("--long");
const ITEMS = long ? 10_000 : 1_000;
const CREATES = long ? 200 : 20;
const PAGE = 100;
const RATES = { status429: 0.2, status502: 0.1, drop: 0.05, truncate: 0.05 };
const ACCOUNT = "chaos";
const TOKEN = "chaos-secret-token-0123456789";

let passed = 0;
let failed = 0;
function check(name, ok, detail = "") {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? "ok  " : "FAIL"} ${name}${detail ? ` — ${detail}` : ""}`);
}

const server = await startMockServer({ token: TOKEN });
const { mock } = server;
mock.reset({ token: TOKEN, accounts: { [ACCOUNT]: ITEMS } });
const expected = mock.store(ACCOUNT).map((e) => e.id);
const truto = new TrutoClient({
  token: TOKEN,
  integratedAccountId: ACCOUNT,
  baseUrl: server.url,
  maxRetries: 12, // at a 40% fault rate, 13 attempts fail together once in ~150,000 pages
  timeoutMs: 10_000,
});
const errors = [];

try {
  // --- listAll under chaos -------------------------------------------------
  mock.setChaos({ rates: RATES, retryAfterMaxS: 1, seed: 20261121 });
  let started = Date.now();
  const seen = [];
  try {
    for await (const e of truto.listAll({ limit: PAGE })) seen.push(e.id);
  } catch (err) {
    errors.push(err);
    check("listAll completes under chaos", false, `${err.kind} ${err.status ?? ""} ${err.message}`);
  }
  const listMs = Date.now() - started;
  const listRequests = mock.requests.length;
  const listFaults = { ...mock.chaos.counts };
  check(`listAll yields ${ITEMS} engagements`, seen.length === ITEMS, `got ${seen.length}`);
  check("each exactly once", new Set(seen).size === seen.length);
  check("in the API's order", seen.every((id, i) => id === expected[i]));

  // --- creates under chaos -------------------------------------------------
  mock.requests.length = 0;
  mock.setChaos({ rates: RATES, retryAfterMaxS: 1, seed: 7 });
  started = Date.now();
  const before = mock.store(ACCOUNT).length;
  const subjects = Array.from({ length: CREATES }, (_, i) => `chaos create ${i}`);
  const queue = [...subjects];
  const worker = async () => {
    for (let s = queue.shift(); s; s = queue.shift()) {
      try {
        await truto.create({ subject: s, engagement_type: "call", direction: "outbound" });
      } catch (err) {
        errors.push(err);
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  const createMs = Date.now() - started;
  const createRequests = mock.requests.length;
  const createFaults = { ...mock.chaos.counts };
  mock.setChaos(null);
  const store = mock.store(ACCOUNT);
  check(`exactly ${CREATES} records created`, store.length - before === CREATES, `got ${store.length - before}`);
  check("each subject exactly once", subjects.every((s) => store.filter((e) => e.subject === s).length === 1));
  const keys = new Set(mock.requests.map((r) => r.headers["idempotency-key"]));
  check("one Idempotency-Key per create, reused by its retries", keys.size === CREATES, `${keys.size} keys`);
  check("no create failed", errors.length === 0, errors.map((e) => `${e.kind}:${e.status}`).join(" "));

  // --- the token never leaks ------------------------------------------------
  for (const err of errors) {
    const texts = [err.message, String(err), JSON.stringify(err), err.stack, JSON.stringify(err.body ?? null)];
    check("error is an EngagementsError without the token", isEngagementsError(err) && !texts.some((t) => t?.includes(TOKEN)));
  }

  const pages = Math.ceil(ITEMS / PAGE);
  console.log(`\nlistAll: ${ITEMS} engagements, ${pages} pages, ${listRequests} requests (${listRequests - pages} retries), ` +
    `faults ${JSON.stringify(listFaults)}, ${(listMs / 1000).toFixed(1)} s`);
  console.log(`creates: ${CREATES} creates, ${createRequests} requests (${createRequests - CREATES} retries), ` +
    `faults ${JSON.stringify(createFaults)}, ${(createMs / 1000).toFixed(1)} s`);
} finally {
  await server.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
