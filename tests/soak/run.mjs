// Soak: the wasm instance's memory must not grow with the number of calls.
//
// Every kind of call runs a warm-up, then thousands of times more; the linear
// memory of the instance (captured when the package instantiates it) may not
// grow by more than one 64 KB page over the measured run, i.e. under about
// 20 bytes per call. A listAll that left its iterator for the garbage
// collector's finalizer grew it by ~62 bytes per loop, 1.2 MB per 20,000.
//
// `fetch` here is a stub answering from memory on purpose: with only
// microtasks between calls, finalizers never run during the loop, so a
// leak shows up deterministically instead of depending on GC timing. (HTTP
// against the mock server is what every other layer tests.)
const memories = [];
const Instance = WebAssembly.Instance;
WebAssembly.Instance = function (module, imports) {
  const instance = new Instance(module, imports);
  // The package's .wasm has minified export names: find the memory by type.
  const memory = Object.values(instance.exports).find((v) => v instanceof WebAssembly.Memory);
  if (!memory) throw new Error("soak: the instance exports no WebAssembly.Memory");
  memories.push(memory);
  return instance;
};
const { TrutoClient, DevRevClient, devRevToEngagement } = await import("../../pkg/node.mjs");

const WARMUP = 300;
const CALLS = Number(process.env.SOAK_CALLS ?? 3000);
const PAGE = 64 * 1024;

const items = (n, from = 0) => Array.from({ length: n }, (_, i) => ({ id: `e${from + i}`, subject: `s${i}`.repeat(i % 9) }));
let calls = 0;
const json = (body, status = 200, headers = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", "x-request-id": `r${calls}`, ...headers } });
// The client hands its fetch a built Request.
async function fetch(request) {
  calls++;
  const u = new URL(request.url);
  const text = await request.text();
  const body = text ? JSON.parse(text) : null;
  const init = { method: request.method };
  if (u.searchParams.get("subject") === "fail" || body?.title === "fail") return json({ message: "nope", code: "bad_request", type: "bad_request" }, 400);
  if (u.pathname === "/unified/crm/engagements") {
    if (init.method === "POST") return json({ id: "new", ...body }, 201);
    const cursor = u.searchParams.get("next_cursor");
    return json({ result: items(20, cursor ? 20 : 0), next_cursor: cursor ? null : "c1" });
  }
  if (u.pathname.startsWith("/unified/crm/engagements/")) return json({ id: u.pathname.split("/").pop() });
  if (u.pathname === "/engagements.list") {
    return json({ engagements: items(20, body.cursor ? 20 : 0), ...(body.cursor ? {} : { next_cursor: "d1" }) });
  }
  if (u.pathname === "/engagements.count") return json({ count: 40 });
  if (u.pathname === "/engagements.delete") return json({});
  return json({ engagement: { id: body?.id ?? "E-1", title: body?.title } });
}

// The governor runs on every call (stamping, reading and settling its
// ledger), with windows of 1 ms that no soak fills: the documented
// 50 / 10 s would make 3,000 calls take ten minutes. A window holds at most
// its limit's stamps, and these hold a handful.
const rateLimit = { perAccount: { requests: 1000, intervalMs: 1 }, perToken: { requests: 1000, intervalMs: 1 } };
const truto = new TrutoClient({ token: "soak-token-123456", integratedAccountId: "acc", fetch, maxRetries: 0, rateLimit });
const devrev = new DevRevClient({ token: "soak-token-123456", fetch, maxRetries: 0, rateLimit: { perToken: rateLimit.perToken } });
/** Iterates (up to `max`) and checks the count: a stub that broke would not pass silently. */
const drain = async (iterable, want, max = Infinity) => {
  let n = 0;
  for await (const _ of iterable) if (++n >= max) break;
  if (n !== want) throw new Error(`listAll gave ${n} items, want ${want}`);
};

const kinds = {
  "truto list": () => truto.list({ limit: 20, remote_query: { a: { b: "c" } }, truto_exclude_fields: ["x"] }),
  "truto get": () => truto.get("e1", { truto_ignore_remote_data: true }),
  "truto create": () => truto.create({ subject: "x", engagement_type: "call", contact: [{ id: "c1" }] }),
  "truto update": () => truto.update("e1", { subject: "y" }),
  "truto delete": () => truto.delete("e1"),
  "truto http error": () => truto.list({ subject: "fail" }).catch(() => {}),
  "truto validation error": () => truto.list({ limit: "ten", nope: 1 }).catch(() => {}),
  "truto listAll to the end": () => drain(truto.listAll({ limit: 20 }), 40),
  "truto listAll, break": () => drain(truto.listAll({ limit: 20 }), 3, 3),
  "truto listAll, aborted": async () => {
    const controller = new AbortController();
    let n = 0;
    try {
      for await (const _ of truto.listAll({ limit: 20 }, { signal: controller.signal })) if (++n === 5) controller.abort();
    } catch {}
  },
  "truto listAll, failing": () =>
    drain(truto.listAll({ subject: "fail" }), 0).then(
      () => Promise.reject(new Error("a failing listAll did not reject")),
      (e) => {
        if (e.status !== 400) throw e;
      },
    ),
  "devrev list, get, count": async () => {
    await devrev.list({ limit: 20 });
    await devrev.get("E-1");
    await devrev.count({ type: ["call"] });
  },
  "devrev create, update, delete": async () => {
    await devrev.create({ title: "t", scheduled_date: "2024-01-01T00:00:00Z", members: ["DEVU-1"] });
    await devrev.update({ id: "E-1", title: "u", scheduled_date: null });
    await devrev.delete("E-1");
  },
  "devrev listAll, both ways": async () => {
    await drain(devrev.listAll({ limit: 20 }), 40);
    await drain(devrev.listAll({ limit: 20, mode: "before" }), 5, 5);
  },
  devRevToEngagement: async () =>
    devRevToEngagement({ id: "E-1", title: "t", members: [{ id: "DEVU-1", type: "dev_user" }], parents: [{ id: "ACC-1" }] }),
};

const pages = () => memories.at(-1).buffer.byteLength;
let passed = 0;
let failed = 0;
for (const [name, call] of Object.entries(kinds)) {
  for (let i = 0; i < WARMUP; i++) await call();
  const before = pages();
  const started = performance.now();
  for (let i = 0; i < CALLS; i++) await call();
  const grew = pages() - before;
  const ok = memories.length === 1 && grew <= PAGE;
  ok ? passed++ : failed++;
  console.log(
    `${ok ? "ok  " : "FAIL"} ${name}: ${CALLS} calls, wasm memory ${before / 1024} -> ${pages() / 1024} KB ` +
      `(${grew / 1024} KB grown, at most ${PAGE / 1024} allowed) in ${((performance.now() - started) / 1000).toFixed(1)} s` +
      (memories.length === 1 ? "" : ` — ${memories.length} instances: the instance restarted`),
  );
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
