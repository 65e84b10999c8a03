// The one scenario every runtime runs against the mock Truto API (tests/mock/).
//
// Runtime-neutral on purpose: only web-platform globals (fetch, ReadableStream,
// TextDecoder, AbortController), so the same file runs in Node (ESM and CJS),
// in Chromium (through Vite and with no bundler) and in workerd.
//
//   import { run } from "./scenario.mjs";
//   const rows = await run(lib, { baseUrl, token, accountId, log });
//   // rows: [{ name, ok, detail }]
//
// `lib` is what the runtime got from "crm-engagements":
// `{ TrutoClient, DevRevClient, isEngagementsError, devRevToEngagement }`.
// `accountId` must be fresh per runtime (the mock seeds 25 engagements for an
// account it has not seen), so runs can share one mock, even concurrently.
// Every request the scenario makes carries `x-test-run: <accountId>`, and most
// carry `x-test-step: <step>`, so the mock's request log (GET /__mock/requests)
// can be read per runtime and per step.
//
// DevRev (second half): the mock's DevRev store is ONE store shared by every
// runtime (no per-account split), and the runtimes run concurrently. So each
// run creates its own engagements, tagged with a unique external_ref
// (`pkgtest:<accountId>:<nonce>:<i>`) and title marker, and every list, listAll
// and count assertion filters on those refs; checks over the unfiltered store
// only assert what no other run can change (the 30 seeded engagements, which
// nobody deletes, and the order of ids).

const SEEDED = 25;

export async function run(lib, { baseUrl, token, accountId, log = () => {} }) {
  const { TrutoClient, isEngagementsError } = lib;
  const rows = [];
  const runTag = accountId;
  const base = String(baseUrl).replace(/\/+$/, "");

  const check = async (name, fn) => {
    const started = Date.now();
    try {
      const detail = await fn();
      rows.push({ name, ok: true, detail: detail ?? "" });
    } catch (err) {
      rows.push({ name, ok: false, detail: describe(err) });
    }
    log(`${rows.at(-1).ok ? "ok  " : "FAIL"} ${name} (${Date.now() - started} ms)`);
  };

  /** Requests of this run recorded by the mock, optionally of one step. */
  const recorded = async (step) => {
    // Filtered by the mock: the whole log of every concurrent runtime is megabytes.
    const filter = new URLSearchParams({ run: runTag, ...(step === undefined ? {} : { step }) });
    const res = await fetch(`${base}/__mock/requests?${filter}`);
    if (!res.ok) throw new Error(`GET /__mock/requests answered ${res.status}`);
    const all = await res.json();
    return all.filter(
      (r) => r.headers["x-test-run"] === runTag && (step === undefined || r.headers["x-test-step"] === step),
    );
  };
  /** The mock's live store of this account (its seeded order). */
  const storeIds = async () => {
    const res = await fetch(`${base}/__mock/store?integrated_account_id=${encodeURIComponent(accountId)}`);
    if (!res.ok) throw new Error(`GET /__mock/store answered ${res.status}`);
    return (await res.json()).map((e) => e.id);
  };
  const step = (name, extra = {}) => ({ ...extra, headers: { "x-test-step": name } });

  const client = new TrutoClient({
    baseUrl: base,
    token,
    integratedAccountId: accountId,
    maxRetries: 0,
    timeoutMs: 15000,
    headers: { "x-test-run": runTag },
  });

  // Validation failures: nothing may reach the wire.
  const expectValidation = async (stepName, call, messageHint) => {
    const err = await rejection(call);
    assertEngagementsError(err, isEngagementsError);
    assert(err.kind === "validation", `kind ${json(err.kind)}, want "validation" (${err.message})`);
    assert(err.attempts === 0, `attempts ${json(err.attempts)}, want 0`);
    if (messageHint) assert(String(err.message).includes(messageHint), `message ${json(err.message)} lacks ${json(messageHint)}`);
    const sent = await recorded(stepName);
    assert(sent.length === 0, `${sent.length} request(s) reached the mock: ${sent.map((r) => `${r.method} ${r.path}?${r.query}`).join(", ")}`);
    return `${err.kind}, attempts 0, nothing sent: ${err.message}`;
  };

  await check("constructor: baseUrl \"not a url\" throws a config error synchronously", () => {
    let thrown;
    let returned;
    try {
      returned = new TrutoClient({ baseUrl: "not a url", token });
    } catch (err) {
      thrown = err;
    }
    assert(thrown !== undefined, `constructor returned ${describe(returned)} instead of throwing`);
    assertEngagementsError(thrown, isEngagementsError);
    assert(thrown.kind === "config", `kind ${json(thrown.kind)}, want "config"`);
    assert(thrown.attempts === 0, `attempts ${json(thrown.attempts)}, want 0`);
    return `${thrown.kind}: ${thrown.message}`;
  });

  await check("classes keep their names (the shipped JS is minified)", async () => {
    const iterator = client.listAll({ limit: 1 });
    const names = [TrutoClient.name, client.constructor.name, lib.DevRevClient.name, iterator.constructor.name];
    await iterator.return();
    const want = ["TrutoClient", "TrutoClient", "DevRevClient", "EngagementIterator"];
    assert(json(names) === json(want), `names ${json(names)}, want ${json(want)}`);
    return names.join(", ");
  });

  await check("list: one page of the requested size with a next_cursor", async () => {
    const page = await client.list({ limit: 5 }, step("list"));
    assert(Array.isArray(page.result), `result is ${describe(page.result)}`);
    assert(page.result.length === 5, `${page.result.length} items, want 5`);
    assert(typeof page.next_cursor === "string" && page.next_cursor.length > 0, `next_cursor ${json(page.next_cursor)}`);
    assert(page.result.every((e) => typeof e.id === "string" && e.id), "an item has no id");
    const sent = await recorded("list");
    assert(sent.length === 1, `${sent.length} requests, want 1`);
    assert(sent[0].method === "GET" && sent[0].path === "/unified/crm/engagements", `${sent[0].method} ${sent[0].path}`);
    const q = new URLSearchParams(sent[0].query);
    assert(q.get("limit") === "5" && q.get("integrated_account_id") === accountId, `query ${sent[0].query}`);
    assert(sent[0].headers.authorization === `Bearer ${token}`, "no bearer token sent");
    return `5 items (${page.result[0].id}...), next_cursor ${page.next_cursor.slice(0, 12)}...`;
  });

  await check(`listAll: ${SEEDED} unique ids in order over pages of 7`, async () => {
    const expected = await storeIds();
    assert(expected.length === SEEDED, `mock store holds ${expected.length}, want ${SEEDED}`);
    const ids = [];
    for await (const e of client.listAll({ limit: 7 }, step("listAll"))) ids.push(e.id);
    assert(ids.length === SEEDED, `${ids.length} items, want ${SEEDED}`);
    assert(new Set(ids).size === SEEDED, `only ${new Set(ids).size} unique ids`);
    assert(json(ids) === json(expected), `order differs from the mock's: ${ids.join(",")}`);
    const sent = await recorded("listAll");
    assert(sent.length === 4, `${sent.length} page requests, want 4 (7+7+7+4)`);
    assert(!new URLSearchParams(sent[0].query).has("next_cursor"), "first page sent a next_cursor");
    return `${ids.length} ids in ${sent.length} requests`;
  });

  await check(`listAll with truto_key_by "id" yields the ${SEEDED} values`, async () => {
    const items = [];
    for await (const e of client.listAll({ limit: 10, truto_key_by: "id" }, step("keyed"))) items.push(e);
    assert(items.length === SEEDED, `${items.length} items, want ${SEEDED}`);
    assert(items.every((e) => e && typeof e === "object" && typeof e.id === "string"), "yielded something that is not an engagement");
    assert(new Set(items.map((e) => e.id)).size === SEEDED, "duplicate ids");
    const sent = await recorded("keyed");
    assert(sent.every((r) => new URLSearchParams(r.query).get("truto_key_by") === "id"), "truto_key_by not sent");
    return `${items.length} engagements from ${sent.length} keyed pages`;
  });

  await check("listAll: break out of for await after 3 items sends no further request", async () => {
    let n = 0;
    for await (const e of client.listAll({ limit: 7 }, step("break"))) {
      assert(typeof e.id === "string", "item without id");
      if (++n === 3) break;
    }
    // A full round trip after the break: a late request for page 2 would be in the log by now.
    await client.list({ limit: 1 }, step("barrier"));
    const sent = await recorded("break");
    assert(sent.length === 1, `${sent.length} requests after breaking at item 3 of page 1, want 1: ${sent.map((r) => r.query).join(" | ")}`);
    return "1 request for 3 items";
  });

  await check("listAll: an abort stops it at once, even mid-page, and sends nothing more", async () => {
    const controller = new AbortController();
    const it = client.listAll({ limit: 10 }, { signal: controller.signal, headers: { "x-test-step": "abort-mid-page" } });
    for (let i = 0; i < 3; i++) await it.next();
    controller.abort();
    const err = await rejection(() => it.next());
    assertEngagementsError(err, isEngagementsError);
    assert(err.kind === "aborted", `kind ${json(err.kind)}, want "aborted"`);
    const after = await it.next();
    assert(after.done === true, "the iterator goes on after the abort");
    const sent = await recorded("abort-mid-page");
    assert(sent.length === 1, `${sent.length} requests, want 1`);
    return "aborted after 3 of 10 fetched items; one request";
  });

  await check("onRetry: the client's hook is told of a 429 and its wait; a call's hook wins; a throwing hook is harmless", async () => {
    const fault = (status) => listFault(base, accountId, { status, headers: { "retry-after": "0" } });
    const events = [];
    const hooked = new TrutoClient({
      baseUrl: base,
      token,
      integratedAccountId: accountId,
      headers: { "x-test-run": runTag },
      onRetry: (e) => events.push(e),
    });
    await fault(429);
    await hooked.list({ limit: 1 }, step("on-retry"));
    assert(events.length === 1, `${events.length} events, want 1`);
    const [e] = events;
    assert(e.attempt === 1 && e.status === 429 && e.kind === "http" && e.waitMs === 0, `event ${json(e)}`);
    const mine = [];
    await fault(429);
    await hooked.list({ limit: 1 }, { ...step("on-retry-call"), onRetry: (x) => mine.push(x) });
    assert(mine.length === 1 && events.length === 1, `call hook ${mine.length}, client hook ${events.length}`);
    const throwing = new TrutoClient({
      baseUrl: base,
      token,
      integratedAccountId: accountId,
      headers: { "x-test-run": runTag },
      onRetry: () => {
        throw new Error("hook bug");
      },
    });
    await fault(429);
    const page = await throwing.list({ limit: 1 }, step("on-retry-throws"));
    assert(page.result.length === 1, "the call failed because its hook threw");
    return `event ${json(e)}`;
  });

  await check("listStream: a ReadableStream of ndjson bytes", async () => {
    const stream = await client.listStream({}, step("stream"));
    assert(stream instanceof ReadableStream, `resolved to ${describe(stream)}`);
    const reader = stream.getReader();
    const decoder = new TextDecoder();
    let text = "";
    let chunks = 0;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      // A Uint8Array of any realm: Vitest's jsdom environment replaces the global
      // Uint8Array, so even Node's own fetch bodies, TextEncoder output and Buffers
      // fail \`instanceof Uint8Array\` there; the chunks are fetch's, as they are.
      assert(ArrayBuffer.isView(value) && Object.prototype.toString.call(value) === "[object Uint8Array]", `chunk is ${describe(value)}`);
      chunks += 1;
      text += decoder.decode(value, { stream: true });
    }
    text += decoder.decode();
    const lines = text.split("\n").filter((l) => l.trim() !== "");
    const items = lines.map((l) => JSON.parse(l));
    assert(items.length === SEEDED, `${items.length} lines, want ${SEEDED}`);
    assert(items.every((e) => typeof e.id === "string"), "a line has no id");
    const sent = await recorded("stream");
    assert(sent.length === 1 && new URLSearchParams(sent[0].query).get("truto_response_format") === "stream", "truto_response_format=stream not sent");
    return `${lines.length} ndjson lines in ${chunks} chunk(s)`;
  });

  await check("get: one engagement by id", async () => {
    const [firstId] = await storeIds();
    const e = await client.get(firstId, {}, step("get"));
    assert(e.id === firstId, `got id ${json(e.id)}, want ${json(firstId)}`);
    assert(typeof e.subject === "string" && e.subject.length > 0, "no subject");
    const sent = await recorded("get");
    assert(sent.length === 1 && sent[0].method === "GET" && sent[0].path === `/unified/crm/engagements/${firstId}`, "wrong request");
    return `${e.id}: ${e.subject}`;
  });

  let createdId;
  await check("create: POST with an Idempotency-Key; the record appears", async () => {
    const body = {
      engagement_type: "call",
      subject: `Package test ${accountId}`,
      content: "Created by tests/package/scenario.mjs",
      direction: "outbound",
      contact: [{ id: "con_3001" }],
      owner: { id: "usr_1001" },
    };
    const e = await client.create(body, {}, step("create"));
    assert(typeof e.id === "string" && e.id, `no id in ${json(e)}`);
    createdId = e.id;
    assert(e.subject === body.subject && e.direction === "outbound", `echoed ${json({ subject: e.subject, direction: e.direction })}`);
    const sent = await recorded("create");
    assert(sent.length === 1 && sent[0].method === "POST" && sent[0].path === "/unified/crm/engagements", "wrong request");
    const key = sent[0].headers["idempotency-key"];
    assert(typeof key === "string" && key.length >= 8, `Idempotency-Key ${json(key)}`);
    assert(String(sent[0].headers["content-type"]).startsWith("application/json"), `content-type ${sent[0].headers["content-type"]}`);
    assert(canonical(sent[0].json) === canonical(body), `body sent ${sent[0].body}`);
    const ids = await storeIds();
    assert(ids.includes(e.id), "the created record is not in the mock's store");
    const again = await client.get(e.id, {}, step("create-get"));
    assert(again.subject === body.subject, "get after create differs");
    return `${e.id}, Idempotency-Key ${key}`;
  });

  await check("update: PATCH with only the given fields", async () => {
    assert(createdId, "nothing was created");
    const e = await client.update(createdId, { subject: "Updated subject" }, {}, step("update"));
    assert(e.id === createdId && e.subject === "Updated subject", `resolved ${json({ id: e.id, subject: e.subject })}`);
    assert(e.direction === "outbound", "fields not given were lost");
    const sent = await recorded("update");
    assert(sent.length === 1 && sent[0].method === "PATCH" && sent[0].path === `/unified/crm/engagements/${createdId}`, "wrong request");
    assert(canonical(sent[0].json) === canonical({ subject: "Updated subject" }), `PATCH body ${sent[0].body}`);
    assert(typeof sent[0].headers["idempotency-key"] === "string", "no Idempotency-Key on PATCH");
    return `PATCH body ${sent[0].body}`;
  });

  await check("delete: resolves {id}; a later get is an http 404 EngagementsError", async () => {
    assert(createdId, "nothing was created");
    const res = await client.delete(createdId, {}, step("delete"));
    assert(res && res.id === createdId, `resolved ${json(res)}`);
    const sent = await recorded("delete");
    assert(sent.length === 1 && sent[0].method === "DELETE", "wrong request");
    assert(!(await storeIds()).includes(createdId), "still in the mock's store");
    const err = await rejection(() => client.get(createdId, {}, step("get-deleted")));
    assertEngagementsError(err, isEngagementsError);
    assert(err.kind === "http", `kind ${json(err.kind)}, want "http"`);
    assert(err.status === 404, `status ${json(err.status)}, want 404`);
    assert(err.attempts === 1, `attempts ${json(err.attempts)}, want 1 (404 is never retried)`);
    assert(typeof err.requestId === "string" && err.requestId, `requestId ${json(err.requestId)}`);
    return `${json(res)}; then ${err.kind} ${err.status}: ${err.message}`;
  });

  await check("validation: direction \"sideways\" is refused before sending", () =>
    expectValidation("v-direction", () => client.list({ direction: "sideways" }, step("v-direction")), "direction"));

  await check("validation: no integrated account (client has none) is refused before sending", () => {
    const bare = new TrutoClient({ baseUrl: base, token, maxRetries: 0, headers: { "x-test-run": runTag } });
    return expectValidation("v-account", () => bare.list({ limit: 1 }, step("v-account")), "integrated_account_id");
  });

  await check("validation: truto_response_format \"stream\" on list is refused (names listStream)", () =>
    expectValidation("v-stream", () => client.list({ truto_response_format: "stream" }, step("v-stream")), "listStream"));

  await check("401 with a wrong token: http error, token not leaked", async () => {
    const badToken = "wrong-token-3f9a1c";
    const bad = new TrutoClient({
      baseUrl: base,
      token: badToken,
      integratedAccountId: accountId,
      headers: { "x-test-run": runTag },
    });
    const err = await rejection(() => bad.list({ limit: 1 }, step("401")));
    assertEngagementsError(err, isEngagementsError);
    assert(err.kind === "http" && err.status === 401, `kind ${json(err.kind)} status ${json(err.status)}, want http 401`);
    assert(err.attempts === 1, `attempts ${json(err.attempts)}, want 1 (401 is never retried)`);
    const exposed = `${err.message} ${err.stack ?? ""} ${safeJson(err)} ${safeJson(err.body)}`;
    assert(!exposed.includes(badToken), "the token appears in the error");
    assert(err.needsReauth === false, "Truto refusing our API token is not the account needing reauth");
    assert(Array.isArray(err.missingFields) && err.missingFields.length === 0, `missingFields ${json(err.missingFields)}`);
    const sent = await recorded("401");
    assert(sent.length === 1, `${sent.length} requests, want 1`);
    return `${err.status}: ${err.message}`;
  });

  await checkpointChecks(lib, { base, token, runTag, accountId, check, recorded, step });
  await remoteErrorChecks(lib, { base, token, runTag, check, recorded, step });
  await governorChecks(lib, { base, token, runTag, check, recorded, step });
  await devrevChecks(lib, { base, token, runTag, check, recorded, step, expectValidation });
  // An account of their own: the main one has had its 50 requests per 10 s
  // by now, and the governor would rightly hold the calls these checks time.
  const trapAccount = `${accountId}-trap`;
  const trapClient = new TrutoClient({ baseUrl: base, token, integratedAccountId: trapAccount, maxRetries: 0, timeoutMs: 15000, headers: { "x-test-run": runTag } });
  await recoveryChecks(lib, { check, client: trapClient, isEngagementsError, base, accountId: trapAccount, recorded, step });

  return rows;
}

// ---------------------------------------------------------------------------
// listAll across invocations: maxRequests, complete, checkpoint() and resume,
// on an account of its own (the mock seeds 25 engagements)
// ---------------------------------------------------------------------------

async function checkpointChecks(lib, { base, token, runTag, accountId, check, recorded, step }) {
  const { TrutoClient, isEngagementsError } = lib;
  const account = `${accountId}-ck`;
  const client = new TrutoClient({ baseUrl: base, token, integratedAccountId: account, maxRetries: 0, headers: { "x-test-run": runTag } });
  const storeIds = async () => (await (await fetch(`${base}/__mock/store?integrated_account_id=${encodeURIComponent(account)}`)).json()).map((e) => e.id);
  const drain = async (it) => {
    const got = [];
    for await (const e of it) got.push(e.id);
    return got;
  };
  const query = { limit: 5 };

  await check("listAll maxRequests: stops after that many requests, complete is false, and the checkpoint resumes exactly the rest", async () => {
    const first = client.listAll(query, step("ck-budget", { maxRequests: 2 }));
    const a = await drain(first);
    assert(a.length === 10 && first.complete === false, `${a.length} items, complete ${first.complete}`);
    assert((await recorded("ck-budget")).length === 2, "not exactly 2 requests");
    const cp = first.checkpoint();
    assert(typeof cp === "string" && /^[A-Za-z0-9._~-]+$/.test(cp) && !cp.includes(token), `checkpoint ${json(cp)}`);
    const second = client.listAll(query, step("ck-budget-resume", { resume: cp }));
    const b = await drain(second);
    assert(second.complete === true, "the resumed listing is not complete");
    assert(json([...a, ...b]) === json(await storeIds()), "resumed listing lost, repeated or reordered items");
    return `${a.length} + ${b.length} items; checkpoint ${cp}`;
  });

  await check("checkpoint mid-page: break after 7 of pages of 5, resume yields the other 18, none twice", async () => {
    const first = client.listAll(query, step("ck-mid"));
    const a = [];
    for await (const e of first) {
      a.push(e.id);
      if (a.length === 7) break;
    }
    const cp = first.checkpoint();
    assert(first.complete === false, "complete after a break");
    const b = await drain(client.listAll(query, step("ck-mid-resume", { resume: cp })));
    assert(json([...a, ...b]) === json(await storeIds()), `got ${a.length} + ${b.length}`);
    const resumed = await recorded("ck-mid-resume");
    assert(resumed[0]?.query.includes("next_cursor="), "the resumed listing did not start at the checkpoint's page");
    return `${a.length} + ${b.length}`;
  });

  await check("a finished listing: complete is true, its checkpoint resumes to nothing and sends nothing", async () => {
    const it = client.listAll({ limit: 25 }, step("ck-done"));
    assert((await drain(it)).length === 25 && it.complete === true, `complete ${it.complete}`);
    const again = client.listAll({ limit: 25 }, step("ck-done-resume", { resume: it.checkpoint() }));
    assert((await drain(again)).length === 0 && again.complete === true, "items after the end");
    assert((await recorded("ck-done-resume")).length === 0, "a request was sent");
  });

  await check("listAll over 2 years and 8 months: windows of at most one year, in order; the engagement on a window edge once", async () => {
    const long = new TrutoClient({ baseUrl: base, token, integratedAccountId: `${accountId}-long`, maxRetries: 0, headers: { "x-test-run": runTag } });
    const made = [];
    for (const start_time of ["2021-06-01T10:00:00.000Z", "2022-01-01T00:00:00.000Z", "2023-03-01T10:00:00.000Z"]) {
      made.push((await long.create({ subject: `long ${start_time}`, start_time }, {}, step("long-create"))).id);
    }
    const range = { start_time: "2021-01-01T00:00:00Z", end_time: "2023-09-01T00:00:00Z" };
    const it = long.listAll({ ...range, limit: 10 }, step("long"));
    const got = await drain(it);
    assert(json(got) === json(made), `got ${json(got)}, want ${json(made)}`);
    assert(it.complete === true, "not complete");
    const windows = (await recorded("long")).map((r) => {
      const q = new URLSearchParams(r.query);
      return [q.get("start_time"), q.get("end_time")];
    });
    assert(json(windows) === json([
      ["2021-01-01T00:00:00Z", "2022-01-01T00:00:00.000Z"],
      ["2022-01-01T00:00:00.000Z", "2023-01-01T00:00:00.000Z"],
      ["2023-01-01T00:00:00.000Z", "2023-09-01T00:00:00Z"],
    ]), `windows ${json(windows)}`);
    const refused = await rejection(() => long.list(range, step("long-list")));
    assert(isEngagementsError(refused) && refused.code === "invalid_time_range", "list accepted a range over one year");
    long.free();
    return `${got.length} in ${windows.length} windows`;
  });

  await check("resume: another query's checkpoint is checkpoint_mismatch, a garbled one bad_checkpoint, before sending", async () => {
    const first = client.listAll(query, step("ck-other", { maxRequests: 1 }));
    await drain(first);
    const cp = first.checkpoint();
    for (const [resume, code, q] of [[cp, "checkpoint_mismatch", { limit: 6 }], [`${cp}x`, "bad_checkpoint", query], ["garbage", "bad_checkpoint", query]]) {
      const err = await rejection(() => drain(client.listAll(q, step("ck-refused", { resume }))));
      assert(isEngagementsError(err) && err.kind === "validation" && err.code === code, `${code}: got ${err.kind}/${err.code}: ${err.message}`);
      assert(err.field === "options.resume", `field ${json(err.field)}`);
    }
    assert((await recorded("ck-refused")).length === 0, "a refused resume sent a request");
  });
  client.free();
}

// ---------------------------------------------------------------------------
// Truto's documented error details, from accounts whose CRM misbehaves
// (tests/mock/truto.mjs REMOTE_PROFILES; `acct-<profile>:<run>` is this run's own)
// ---------------------------------------------------------------------------

async function remoteErrorChecks(lib, { base, token, runTag, check, recorded, step }) {
  const { TrutoClient, isEngagementsError } = lib;
  const on = (profile, extra = {}) =>
    new TrutoClient({ baseUrl: base, token, integratedAccountId: `acct-${profile}:${runTag}`, headers: { "x-test-run": runTag }, ...extra });
  const failure = async (call) => {
    const err = await rejection(call);
    assertEngagementsError(err, isEngagementsError);
    assert(err.kind === "http", `kind ${json(err.kind)}: ${err.message}`);
    return err;
  };
  const call = { subject: "Intro call", engagement_type: "call" };

  await check("insight: Truto's truto_error_insight arrives as the object it sent; missingFields are its names", async () => {
    const err = await failure(() => on("strict").create({ engagement_type: "call" }, {}, step("insight-strict")));
    assert(err.status === 400 && err.attempts === 1, `status ${err.status}, attempts ${err.attempts}`);
    const insight = err.insight;
    assert(insight && typeof insight === "object" && !Array.isArray(insight), `insight ${json(insight)}`);
    const missing = insight.missing_required_body_fields;
    assert(typeof missing?.description === "string" && json(missing.value) === json(["subject", "contact"]), `missing_required_body_fields ${json(missing)}`);
    assert(typeof insight.conditionally_required_body_fields?.value === "object", "the informational key is kept");
    assert(json(err.missingFields) === json(["subject", "contact"]), `missingFields ${json(err.missingFields)}`);
    assert(json(err.missingScopes) === "[]" && err.needsReauth === false && err.readOnlyAccount === false, "other helpers");
    const ok = await on("strict").create({ ...call, contact: [{ id: "c1" }] }, {}, step("insight-strict-ok"));
    assert(typeof ok.id === "string", "a complete create succeeds");
    return `missingFields ${json(err.missingFields)}`;
  });

  await check("insight: a remote 403 names the missing scopes (missingScopes) and is not retried", async () => {
    const err = await failure(() => on("missing-scopes").create(call, {}, step("insight-scopes")));
    assert(err.status === 403 && err.isRemoteError === true && err.attempts === 1, `status ${err.status}, remote ${err.isRemoteError}, attempts ${err.attempts}`);
    assert(json(err.missingScopes) === json(["crm.objects.contacts.write", "crm.schemas.custom.read"]), `missingScopes ${json(err.missingScopes)}`);
    assert(json(err.insight.forbidden_error.value.missing_scopes) === json(err.missingScopes), "the insight holds the same scopes");
    return `missingScopes ${json(err.missingScopes)}`;
  });

  await check("needsReauth: a remote 401 says the account must be reconnected, once, not retried", async () => {
    const err = await failure(() => on("needs-reauth").list({ limit: 1 }, step("reauth")));
    assert(err.status === 401 && err.isRemoteError === true, `status ${err.status}, remote ${err.isRemoteError}`);
    assert(err.needsReauth === true, `needsReauth ${json(err.needsReauth)}`);
    assert(err.attempts === 1 && (await recorded("reauth")).length === 1, `attempts ${err.attempts}`);
    return err.message;
  });

  await check("readOnlyAccount: a sandbox account reads, and a write's 405 says it is read-only", async () => {
    const sandbox = on("sandbox");
    const page = await sandbox.list({ limit: 1 }, step("sandbox-read"));
    assert(page.result.length === 1, "reads work");
    const err = await failure(() => sandbox.create(call, {}, step("sandbox-write")));
    assert(err.status === 405 && err.readOnlyAccount === true && err.needsReauth === false, `status ${err.status}, readOnlyAccount ${err.readOnlyAccount}`);
    return err.message;
  });

  await check("message: an empty Truto message on a remote error falls back to the CRM's own, from raw_response", async () => {
    const err = await failure(() => on("terse").create(call, {}, step("terse")));
    assert(err.status === 422 && err.isRemoteError === true, `status ${err.status}`);
    assert(err.message === "Property values were not valid: hs_timestamp is required", `message ${json(err.message)}`);
    assert(err.body?.message === "" && typeof err.body.raw_response === "object", "the body is kept as sent");
    return err.message;
  });

  await check("remote 429: the CRM's forwarded Retry-After is waited on, then the call succeeds; without retries it is retryAfterMs", async () => {
    const events = [];
    const page = await on("throttled", { maxRetries: 1, onRetry: (e) => events.push(e) }).list({ limit: 1 }, step("throttled"));
    assert(page.result.length === 1, "the retry did not succeed");
    assert(events.length === 1 && events[0].status === 429 && events[0].waitMs === 1000, `events ${json(events)}`);
    const err = await failure(() => on("throttled", { maxRetries: 0 }).list({ limit: 1 }, step("throttled-once")));
    assert(err.status === 429 && err.isRemoteError === true && err.retryAfterMs === 1000, `status ${err.status}, retryAfterMs ${err.retryAfterMs}`);
    assert(typeof err.insight?.rate_limit_error?.description === "string", `insight ${json(err.insight)}`);
    return `waited ${events[0].waitMs} ms`;
  });
}

// ---------------------------------------------------------------------------
// The rate governor against a mock that enforces the documented limits:
// Truto's 50 / 10 s per account (sliding), DevRev's fixed window per token
// ---------------------------------------------------------------------------

/** The most arrivals (ms) in any span of `interval` ms, its ends included. */
function busiest(times, interval) {
  return Math.max(0, ...times.map((t0) => times.filter((t) => t >= t0 && t <= t0 + interval).length));
}

async function governorChecks(lib, { base, token, runTag, check, recorded, step }) {
  const { TrutoClient, DevRevClient, isEngagementsError } = lib;
  const truto = (account, extra = {}) =>
    new TrutoClient({ baseUrl: base, token, integratedAccountId: `${account}:${runTag}`, maxRetries: 0, headers: { "x-test-run": runTag }, ...extra });

  await check("governor: 70 concurrent calls for one account from two clients, documented limits: no 429 served, never 51 in 10 s", async () => {
    const events = [];
    const onThrottle = (e) => events.push(e);
    const [a, b] = [truto("acct-gov", { onThrottle }), truto("acct-gov", { onThrottle })];
    const started = Date.now();
    const pages = await Promise.all(Array.from({ length: 70 }, (_, i) => (i % 2 ? a : b).list({ limit: 1 }, step("gov-70"))));
    assert(pages.every((p) => p.result.length === 1), "every call succeeded");
    // The mock records a status once the answer is out: wait for all 70.
    let sent = [];
    await eventually(async () => (sent = await recorded("gov-70")).length === 70 && sent.every((r) => r.status !== null), 15_000);
    assert(sent.length === 70, `${sent.length} requests, want 70 (none retried)`);
    const refused = sent.filter((r) => r.status === 429).length;
    assert(refused === 0, `${refused} answered 429`);
    const most = busiest(sent.map((r) => r.at), 10_000);
    assert(most === 50, `${most} arrived within 10 s, want exactly 50`);
    // Each of the 20 is told once, before its first wait.
    assert(events.length === 20 && events.every((e) => e.scope === "account" && e.waitMs > 0 && e.waitMs <= 10_000), `events ${json(events.slice(0, 3))} (${events.length})`);
    return `${Date.now() - started} ms, ${events.length} waits told`;
  });

  await check("governor off (rateLimit: false): the same burst is answered 429 by the mock, so the check above can fail", async () => {
    const off = truto("acct-nogov", { rateLimit: false });
    const settled = await Promise.allSettled(Array.from({ length: 55 }, () => off.list({ limit: 1 }, step("gov-off"))));
    let sent = [];
    await eventually(async () => (sent = await recorded("gov-off")).length === 55 && sent.every((r) => r.status !== null), 15_000);
    const refused = sent.filter((r) => r.status === 429).length;
    // 5 when the 55 arrive within 10 s; fewer when they arrive spread out
    // (a page shares six connections per host with the other pages). So the
    // mock's sliding window is replayed over the arrivals it recorded: it
    // must have refused exactly those that found 50 in the 10 s before them.
    const arrivals = sent.map((r) => r.at).sort((a, b) => a - b);
    const admitted = [];
    let expected = 0;
    for (const at of arrivals) {
      if (admitted.filter((t) => t > at - 10_000).length >= 50) expected += 1;
      else admitted.push(at);
    }
    assert(refused === expected, `${refused} answered 429, the window says ${expected}`);
    assert(expected >= 1 || busiest(arrivals, 10_000) <= 50, "more than 50 arrived in 10 s, none refused");
    const rejected = settled.filter((r) => r.status === "rejected").map((r) => r.reason);
    assert(rejected.length === refused && rejected.every((e) => isEngagementsError(e) && e.status === 429 && e.retryAfterMs === 10_000), `rejections ${json(rejected.map((e) => e?.message))}`);
    return `${refused} of 55 refused`;
  });

  await check("governor: a wait longer than deadlineMs fails at once with retryAfterMs; a signal ends a wait at once; nothing is sent", async () => {
    const own = truto("acct-gov-own", { rateLimit: { perAccount: { requests: 2, intervalMs: 60_000 } } });
    await own.list({ limit: 1 }, step("gov-own"));
    await own.list({ limit: 1 }, step("gov-own"));
    const started = Date.now();
    // "At once" is well inside the 20 s deadline: waiting it out would take 20 s,
    // and a loaded machine (every suite at once on 2 cores) needs some slack.
    const late = await rejection(() => own.list({ limit: 1 }, { ...step("gov-own"), deadlineMs: 20_000 }));
    assertEngagementsError(late, isEngagementsError);
    assert(late.kind === "timeout" && late.code === "deadline_exceeded" && late.retryAfterMs > 50_000, `${late.kind}/${late.code}, retryAfterMs ${late.retryAfterMs}`);
    assert(Date.now() - started < 10_000, `it failed after ${Date.now() - started} ms, not at once`);
    const controller = new AbortController();
    const waiting = rejection(() => own.list({ limit: 1 }, { ...step("gov-own"), signal: controller.signal, onThrottle: () => controller.abort() }));
    const aborted = await waiting;
    assert(aborted.kind === "aborted", `kind ${aborted.kind}`);
    const sent = await recorded("gov-own");
    assert(sent.length === 2, `${sent.length} requests, want 2`);
    return `retryAfterMs ${late.retryAfterMs}`;
  });

  await check("governor: rateLimit is checked (config errors name the option)", () => {
    for (const [bad, field] of [[{ perAccount: { requests: 0, intervalMs: 10 } }, "options.rateLimit"], [{ perMinute: 3 }, "options.rateLimit"], [true, "options.rateLimit"]]) {
      let thrown;
      try {
        new TrutoClient({ baseUrl: base, token, rateLimit: bad });
      } catch (err) {
        thrown = err;
      }
      assert(thrown && thrown.kind === "config" && String(thrown.field).startsWith(field), `${json(bad)}: ${thrown?.kind} ${thrown?.field} ${thrown?.message}`);
    }
    let thrown;
    try {
      new DevRevClient({ baseUrl: base, token, rateLimit: { perAccount: { requests: 1, intervalMs: 1 } } });
    } catch (err) {
      thrown = err;
    }
    assert(thrown?.kind === "config", "DevRev has no perAccount");
    return "refused";
  });

  await check("governor, devrev: nothing is sent while X-RateLimit-Remaining is 0, until X-RateLimit-Reset; no 429 served", async () => {
    const events = [];
    // The mock gives a token ending in `:rl<N>-<ms>` a window of N per <ms>.
    const devrev = new DevRevClient({ baseUrl: base, token: `${token}:rl3-2000`, maxRetries: 0, headers: { "x-test-run": runTag }, onThrottle: (e) => events.push(e) });
    for (let i = 0; i < 7; i += 1) await devrev.count({}, step("gov-devrev"));
    const sent = (await recorded("gov-devrev")).filter((r) => r.provider === "devrev");
    assert(sent.length === 7, `${sent.length} requests`);
    assert(sent.every((r) => r.status === 200), `statuses ${sent.map((r) => r.status)}`);
    assert(events.length >= 2 && events.every((e) => e.scope === "server" && e.waitMs > 0), `events ${json(events)}`);
    return `${events.length} waits, ${events.map((e) => Math.round(e.waitMs)).join(", ")} ms`;
  });
}

// ---------------------------------------------------------------------------
// Trap recovery: a trapped instance is replaced and the clients keep working
// ---------------------------------------------------------------------------

async function recoveryChecks(lib, { check, client, isEngagementsError, base, accountId, recorded, step }) {
  const testing = lib.__testing;
  await check("op numbers: each class's methods are exactly the instance's table; an unknown op is refused, never run", async () => {
    assert(testing, "the package exports no __testing hooks");
    for (const C of [lib.TrutoClient, lib.DevRevClient]) {
      const methods = Object.getOwnPropertyNames(C.prototype).filter((m) => m !== "constructor" && m !== "free");
      const table = testing.methods(C.name);
      assert(json([...methods].sort()) === json([...table].sort()), `${C.name}: class ${json(methods)}, table ${json(table)}`);
    }
    const devrev = new lib.DevRevClient({ token: "t", baseUrl: "http://127.0.0.1:9" });
    // 7 was delete's fall-through (Truto) and count's number (DevRev) before the table.
    for (const [name, c, n] of [["TrutoClient", client, 7], ["TrutoClient", client, 0xffffffff], ["DevRevClient", devrev, 7]]) {
      const err = await rejection(() => testing.call(c, n, "ENG-1", {}, {}, {}));
      assertEngagementsError(err, isEngagementsError);
      assert(err.kind === "validation" && err.code === "unknown_method", `${name} op ${n}: ${err.kind}/${err.code}: ${err.message}`);
    }
    devrev.free();
    return "tables match the classes; ops 7 and 0xffffffff refused with validation/unknown_method";
  });
  await check("a trap stops the old instance's I/O: its fetch in flight is aborted at once", async () => {
    // The mock holds this runtime's next list request for 40 s (the call's timeout is 30 s).
    await listFault(base, accountId, { delayMs: 40_000 });
    const started = Date.now();
    let settled = null;
    const slow = client.list({ limit: 1 }, { ...step("trap-stops-io"), timeoutMs: 30_000 });
    slow.then((v) => (settled = `resolved ${json(v).slice(0, 200)}`), (e) => (settled = `rejected ${e?.kind}/${e?.code}: ${e?.message}`));
    // Up to 15 s for it to arrive: a loaded machine (every runtime at once on 2 cores) is slow.
    const seen = await eventually(async () => settled !== null || (await recorded("trap-stops-io")).length === 1, 15_000);
    assert(seen && settled === null, `the held request never reached the mock in ${Date.now() - started} ms (the call ${settled ?? "still pending"})`);
    try {
      testing.trap();
    } catch {
      // Expected: the trap throws wasm_trap (checked below).
    }
    const err = await rejection(() => slow);
    assert(err.code === "wasm_trap", `the call in flight: ${err.kind}/${err.code}`);
    // 15 s of slack for a loaded machine, still well before the call's own 30 s
    // timeout would have closed it.
    const closed = await eventually(async () => (await recorded("trap-stops-io"))[0]?.outcome === "client_closed", 15_000);
    const outcome = (await recorded("trap-stops-io"))[0]?.outcome;
    assert(closed, `the request was still open 15 s after the trap (outcome ${json(outcome)})`);
    return `outcome ${outcome}`;
  });
  await check("trap in a running call: it, the calls in flight and an open listAll's next page reject with wasm_trap", async () => {
    assert(testing, "the package exports no __testing hooks");
    const before = testing.generation();
    const iterator = client.listAll({ limit: 2 });
    await iterator.next();
    const inFlight = client.list({ limit: 1 });
    const trapped = testing.trapLater();
    for (const [name, promise] of [["the trapping call", trapped], ["a call in flight", inFlight]]) {
      const err = await rejection(() => promise);
      assertEngagementsError(err, isEngagementsError);
      assert(err.kind === "network" && err.code === "wasm_trap", `${name}: ${err.kind}/${err.code}: ${err.message}`);
    }
    // The item already fetched is still served; the next page cannot be.
    const buffered = await iterator.next();
    assert(buffered.done === false && buffered.value?.id, "the already-fetched item was not served");
    for (const [name, promise] of [["the open listAll's next page", iterator.next()]]) {
      const err = await rejection(() => promise);
      assertEngagementsError(err, isEngagementsError);
      assert(err.kind === "network" && err.code === "wasm_trap", `${name}: ${err.kind}/${err.code}: ${err.message}`);
    }
    assert(testing.generation() === before + 1, `generation ${testing.generation()}, want ${before + 1}`);
    return "all three rejected with network/wasm_trap (after the fetched item); a fresh instance started";
  });
  await check("after a trap the same client object works (rebuilt on the new instance)", async () => {
    const page = await client.list({ limit: 3 });
    assert(Array.isArray(page.result) && page.result.length === 3, `list gave ${json(page.result?.length)}`);
    let n = 0;
    for await (const e of client.listAll({ limit: 10 })) if (e.id) n++;
    assert(n > 0, "listAll yielded nothing");
    return `list 3, listAll ${n}`;
  });
  await check("a trap in a synchronous call throws wasm_trap and the next call works", async () => {
    let thrown;
    try {
      testing.trap();
    } catch (err) {
      thrown = err;
    }
    assertEngagementsError(thrown, isEngagementsError);
    assert(thrown.code === "wasm_trap", `code ${json(thrown.code)}`);
    const page = await client.list({ limit: 1 });
    assert(page.result.length === 1, "list after the trap failed");
    return `generation ${testing.generation()}`;
  });
}

// ---------------------------------------------------------------------------
// DevRev
// ---------------------------------------------------------------------------

const DEVREV_SEEDED = 30; // ENG-1 ... ENG-30 (tests/mock/devrev.mjs DEFAULT_COUNT)
const DEVREV_MINE = 5;
const DEVREV_TYPES = ["call", "email", "call", "default", "linked_in"];
const don = (namespace, kind, n) => `don:${namespace}:dvrv-us-1:devo/0:${kind}/${n}`;
const engNumber = (id) => Number(/engagement\/(\d+)$/.exec(String(id))?.[1] ?? NaN);

async function devrevChecks(lib, { base, token, runTag, check, recorded, step, expectValidation }) {
  const { DevRevClient, isEngagementsError, devRevToEngagement } = lib;
  // Unique per run, even against a mock that outlives one run.
  const nonce = `${Date.now().toString(36)}${Math.floor(Math.random() * 36 ** 6).toString(36)}`;
  const marker = `pkgtest:${runTag}:${nonce}`;
  const refs = Array.from({ length: DEVREV_MINE }, (_, i) => `${marker}:${i + 1}`);
  const mine = { external_ref: refs };

  /** This run's DevRev requests of one step. */
  const sent = async (stepName) => (await recorded(stepName)).filter((r) => r.provider === "devrev");
  /** The mock's live DevRev store (every run's engagements). */
  const store = async () => {
    const res = await fetch(`${base}/__mock/store?provider=devrev`);
    if (!res.ok) throw new Error(`GET /__mock/store?provider=devrev answered ${res.status}`);
    return res.json();
  };
  const myStore = async () => (await store()).filter((e) => refs.includes(e.external_ref));
  const onePost = (reqs, path) => {
    assert(reqs.length === 1, `${reqs.length} requests, want 1`);
    assert(reqs[0].method === "POST" && reqs[0].path === path, `${reqs[0].method} ${reqs[0].path}?${reqs[0].query}, want POST ${path}`);
    assert(reqs[0].query === "", `query string ${json(reqs[0].query)}: DevRev calls carry everything in the body`);
    return reqs[0];
  };

  await check("devrev: exports DevRevClient and devRevToEngagement", () => {
    assert(typeof DevRevClient === "function", `DevRevClient is ${typeof DevRevClient}`);
    assert(typeof devRevToEngagement === "function", `devRevToEngagement is ${typeof devRevToEngagement}`);
    return `run marker ${marker}`;
  });
  if (typeof DevRevClient !== "function") return;

  await check("devrev constructor: baseUrl \"not a url\" throws a config error synchronously", () => {
    let thrown;
    try {
      new DevRevClient({ baseUrl: "not a url", token });
    } catch (err) {
      thrown = err;
    }
    assert(thrown !== undefined, "constructor did not throw");
    assertEngagementsError(thrown, isEngagementsError);
    assert(thrown.kind === "config" && thrown.attempts === 0, `kind ${json(thrown.kind)} attempts ${json(thrown.attempts)}`);
    return `${thrown.kind}: ${thrown.message}`;
  });

  const client = new DevRevClient({
    baseUrl: base,
    token,
    maxRetries: 0,
    timeoutMs: 15000,
    headers: { "x-test-run": runTag },
  });

  // --- create (this run's 5 engagements; everything below filters on them) ---
  const created = [];
  const bodies = refs.map((ref, i) => ({
    title: `${marker} #${i + 1}`,
    description: `Created by tests/package/scenario.mjs (${runTag})`,
    engagement_type: DEVREV_TYPES[i],
    scheduled_date: `2024-05-0${i + 1}T1${i}:30:00Z`,
    members: ["DEVU-1", "REVU-1"],
    parents: ["ACC-1"],
    external_ref: ref,
    external_url: `https://example.com/pkgtest/${encodeURIComponent(ref)}`,
  }));
  await check(`devrev create: ${DEVREV_MINE} engagements, each returned unwrapped and in the mock's store`, async () => {
    for (const body of bodies) created.push(await client.create(body, step("d-create")));
    created.forEach((e, i) => {
      const b = bodies[i];
      assert(e && typeof e.id === "string" && e.id.startsWith("don:core:"), `create resolved ${json(e)?.slice(0, 200)} (not the unwrapped engagement)`);
      assert(!("engagement" in e), "create resolved DevRev's envelope, not the engagement");
      assert(e.title === b.title && e.external_ref === b.external_ref && e.engagement_type === b.engagement_type, `echoed ${json({ title: e.title, external_ref: e.external_ref, engagement_type: e.engagement_type })}`);
      assert(Date.parse(e.scheduled_date) === Date.parse(b.scheduled_date), `scheduled_date ${e.scheduled_date}, sent ${b.scheduled_date}`);
      assert(json(e.members.map((m) => m.id)) === json([don("identity", "devu", 1), don("identity", "revu", 1)]), `members ${json(e.members)}`);
    });
    const reqs = await sent("d-create");
    assert(reqs.length === DEVREV_MINE, `${reqs.length} requests, want ${DEVREV_MINE}`);
    reqs.forEach((r, i) => {
      assert(r.method === "POST" && r.path === "/engagements.create", `${r.method} ${r.path}`);
      assert(canonical(r.json) === canonical(bodies[i]), `body sent ${r.body}`);
      assert(r.headers.authorization === `Bearer ${token}`, "no bearer token sent");
      assert(String(r.headers["content-type"]).startsWith("application/json"), `content-type ${r.headers["content-type"]}`);
      assert(r.status === 201, `mock answered ${r.status}`);
    });
    const inStore = await myStore();
    assert(json(inStore.map((e) => e.id)) === json(created.map((e) => e.id)), `store holds ${json(inStore.map((e) => e.display_id))}`);
    assert(inStore.every((e, i) => canonical(e) === canonical(created[i])), "store copy differs from what create resolved");
    return created.map((e) => e.display_id).join(", ");
  });
  const ids = created.map((e) => e.id);
  const needCreated = () => assert(ids.length === DEVREV_MINE, "the create check failed; nothing to work on");

  // --- list ---
  await check("devrev list: pages of 2 over this run's 5; next_cursor mid-way, absent on the last page", async () => {
    needCreated();
    const pages = [await client.list({ ...mine, limit: 2 }, step("d-list"))];
    while (pages.length < 5 && pages.at(-1).next_cursor !== undefined) {
      pages.push(await client.list({ ...mine, limit: 2, cursor: pages.at(-1).next_cursor }, step("d-list")));
    }
    const shape = pages.map((p) => `${p.engagements.length}${"next_cursor" in p ? "+next" : ""}${"prev_cursor" in p ? "+prev" : ""}`);
    assert(json(shape) === json(["2+next", "2+next+prev", "1+prev"]), `pages ${json(shape)}, want ["2+next","2+next+prev","1+prev"]`);
    for (const p of pages) {
      assert(Array.isArray(p.engagements), `engagements is ${describe(p.engagements)}`);
      for (const c of ["next_cursor", "prev_cursor"]) if (c in p) assert(typeof p[c] === "string" && p[c], `${c} ${json(p[c])}`);
    }
    const listed = pages.flatMap((p) => p.engagements);
    assert(json(listed.map((e) => e.id)) === json(ids), `listed ${json(listed.map((e) => e.display_id))}`);
    assert(listed.every((e, i) => canonical(e) === canonical(created[i])), "a listed engagement differs from the created one");
    const reqs = await sent("d-list");
    assert(reqs.length === 3, `${reqs.length} requests, want 3`);
    reqs.forEach((r, i) => {
      assert(r.method === "POST" && r.path === "/engagements.list" && r.query === "", `${r.method} ${r.path}?${r.query}`);
      const want = i === 0 ? { ...mine, limit: 2 } : { ...mine, limit: 2, cursor: pages[i - 1].next_cursor };
      assert(canonical(r.json) === canonical(want), `page ${i + 1} body ${r.body}`);
    });
    return `pages ${shape.join(" | ")}`;
  });

  await check("devrev list: unfiltered first page of 5 with a next_cursor", async () => {
    const page = await client.list({ limit: 5 }, step("d-list-all-store"));
    assert(page.engagements.length === 5, `${page.engagements.length} items`);
    assert(typeof page.next_cursor === "string" && page.next_cursor, `next_cursor ${json(page.next_cursor)}`);
    assert(!("prev_cursor" in page), `prev_cursor ${json(page.prev_cursor)} on the first page`);
    assert(json(page.engagements.map((e) => e.display_id)) === json(["ENG-1", "ENG-2", "ENG-3", "ENG-4", "ENG-5"]), `ids ${json(page.engagements.map((e) => e.display_id))}`);
    const r = onePost(await sent("d-list-all-store"), "/engagements.list");
    assert(canonical(r.json) === canonical({ limit: 5 }), `body ${r.body}`);
    return `${page.engagements.map((e) => e.display_id).join(",")}, next_cursor ${page.next_cursor.slice(0, 12)}...`;
  });

  // --- listAll ---
  await check(`devrev listAll (mode after): this run's ${DEVREV_MINE} once each, in order; count() agrees`, async () => {
    needCreated();
    const got = [];
    for await (const e of client.listAll({ ...mine, limit: 2 }, step("d-listall"))) got.push(e);
    const n = await client.count(mine, step("d-listall-count"));
    const expected = (await myStore()).map((e) => e.id);
    assert(json(got.map((e) => e.id)) === json(expected), `listAll ${json(got.map((e) => e.display_id))}, store order ${json(expected)}`);
    assert(json(expected) === json(ids), "store order is not creation order");
    assert(n === got.length && n === DEVREV_MINE, `count ${n}, listAll ${got.length}, want ${DEVREV_MINE}`);
    const reqs = await sent("d-listall");
    assert(reqs.length === 3, `${reqs.length} page requests, want 3 (2+2+1)`);
    assert(!("cursor" in reqs[0].json), `first page sent a cursor: ${reqs[0].body}`);
    assert(reqs.every((r) => r.json.mode === undefined), "mode sent in mode after (default)");
    for (let i = 1; i < reqs.length; i += 1) assert(typeof reqs[i].json.cursor === "string" && reqs[i].json.cursor, `page ${i + 1} has no cursor`);
    const c = onePost(await sent("d-listall-count"), "/engagements.count");
    assert(canonical(c.json) === canonical(mine), `count body ${c.body}`);
    return `${got.length} in ${reqs.length} pages; count ${n}`;
  });

  await check(`devrev listAll (mode after) over the shared store: the ${DEVREV_SEEDED} seeded once each, ids ascending`, async () => {
    const got = [];
    for await (const e of client.listAll({ limit: 10 }, step("d-listall-store"))) got.push(e);
    const numbers = got.map((e) => engNumber(e.id));
    assert(numbers.every((n, i) => i === 0 || n > numbers[i - 1]), "ids not strictly ascending (a duplicate or out of order)");
    const seeded = got.filter((e) => engNumber(e.id) <= DEVREV_SEEDED).map((e) => e.display_id);
    const want = Array.from({ length: DEVREV_SEEDED }, (_, i) => `ENG-${i + 1}`);
    assert(json(seeded) === json(want), `seeded ids ${json(seeded)}`);
    const reqs = await sent("d-listall-store");
    assert(reqs.length >= Math.ceil(DEVREV_SEEDED / 10), `${reqs.length} page requests`);
    return `${got.length} engagements (${DEVREV_SEEDED} seeded + others' so far) in ${reqs.length} pages`;
  });

  await check(`devrev listAll (mode "before"): follows prev_cursor back to the first page`, async () => {
    needCreated();
    // What the pages hold, read one by one with list().
    const pages = [await client.list({ ...mine, limit: 2, mode: "before" }, step("d-before-list"))];
    while (pages.length < 5 && pages.at(-1).prev_cursor !== undefined) {
      pages.push(await client.list({ ...mine, limit: 2, mode: "before", cursor: pages.at(-1).prev_cursor }, step("d-before-list")));
    }
    const shape = pages.map((p) => p.engagements.map((e) => ids.indexOf(e.id) + 1).join("+"));
    assert(json(shape) === json(["4+5", "2+3", "1"]), `pages hold ${json(shape)} of this run's #1..#5, want ["4+5","2+3","1"]`);
    assert(!("prev_cursor" in pages.at(-1)), "the first page has a prev_cursor");
    const got = [];
    for await (const e of client.listAll({ ...mine, limit: 2, mode: "before" }, step("d-before"))) got.push(e.id);
    const want = pages.flatMap((p) => p.engagements.map((e) => e.id));
    assert(json(got) === json(want), `listAll yielded #${got.map((id) => ids.indexOf(id) + 1).join(",#")}, want #${want.map((id) => ids.indexOf(id) + 1).join(",#")}`);
    assert(new Set(got).size === DEVREV_MINE && ids.every((id) => got.includes(id)), "not every engagement once");
    const reqs = await sent("d-before");
    assert(reqs.length === 3, `${reqs.length} page requests, want 3`);
    reqs.forEach((r, i) => {
      const want2 = i === 0 ? { ...mine, limit: 2, mode: "before" } : { ...mine, limit: 2, mode: "before", cursor: pages[i - 1].prev_cursor };
      assert(canonical(r.json) === canonical(want2), `page ${i + 1} body ${r.body} (want the previous page's prev_cursor)`);
    });
    return `yielded #${got.map((id) => ids.indexOf(id) + 1).join(",#")} from pages ${shape.join(" | ")}`;
  });

  await check("devrev listAll maxRequests + checkpoint, both directions: stops, then resumes exactly the rest", async () => {
    needCreated();
    for (const mode of ["after", "before"]) {
      const request = { ...mine, limit: 2, mode };
      const first = client.listAll(request, step(`d-ck-${mode}`, { maxRequests: 1 }));
      const a = [];
      for await (const e of first) a.push(e.id);
      assert(a.length === 2 && first.complete === false, `${mode}: ${a.length} items, complete ${first.complete}`);
      assert((await sent(`d-ck-${mode}`)).length === 1, `${mode}: more than 1 request`);
      const cp = first.checkpoint();
      assert(typeof cp === "string" && /^[A-Za-z0-9._~-]+$/.test(cp) && !cp.includes(token), `checkpoint ${json(cp)}`);
      const second = client.listAll(request, step(`d-ck-${mode}-resume`, { resume: cp }));
      const b = [];
      for await (const e of second) b.push(e.id);
      assert(second.complete === true, `${mode}: the resumed listing is not complete`);
      const all = [...a, ...b];
      assert(all.length === DEVREV_MINE && new Set(all).size === DEVREV_MINE && ids.every((id) => all.includes(id)), `${mode}: ${json(all)}`);
    }
  });

  // --- get ---
  await check("devrev get: one engagement by id, unwrapped, equal to the store's", async () => {
    needCreated();
    const e = await client.get(ids[0], step("d-get"));
    const [stored] = (await myStore()).filter((x) => x.id === ids[0]);
    assert(stored && canonical(e) === canonical(stored), `got ${json(e).slice(0, 200)}`);
    const r = onePost(await sent("d-get"), "/engagements.get");
    assert(canonical(r.json) === canonical({ id: ids[0] }), `body ${r.body}`);
    const byDisplay = await client.get("ENG-1", step("d-get-display"));
    assert(byDisplay.id === don("core", "engagement", 1) && byDisplay.display_id === "ENG-1", `get("ENG-1") gave ${byDisplay.id}`);
    return `${e.display_id}: ${e.title}`;
  });

  // --- count ---
  await check("devrev count: with a filter, relative to what this run created", async () => {
    needCreated();
    const calls = await client.count({ ...mine, type: ["call"] }, step("d-count"));
    const none = await client.count({ ...mine, type: ["meeting"] }, step("d-count"));
    const wantCalls = DEVREV_TYPES.filter((t) => t === "call").length;
    assert(calls === wantCalls, `count(type call) ${json(calls)}, want ${wantCalls}`);
    assert(none === 0, `count(type meeting) ${json(none)}, want 0`);
    const seededCalls = await client.count({ type: ["call"] }, step("d-count-store"));
    assert(typeof seededCalls === "number" && Number.isInteger(seededCalls) && seededCalls >= wantCalls, `count(call) over the store ${json(seededCalls)}`);
    const reqs = await sent("d-count");
    assert(reqs.length === 2 && reqs.every((r) => r.method === "POST" && r.path === "/engagements.count"), "wrong requests");
    assert(canonical(reqs[0].json) === canonical({ ...mine, type: ["call"] }), `body ${reqs[0].body}`);
    return `call ${calls}, meeting ${none}; every call in the store ${seededCalls}`;
  });

  // --- devRevToEngagement ---
  await check("devRevToEngagement on a listed engagement: subject = title, start_time = scheduled_date, remote_data = original", async () => {
    needCreated();
    const page = await client.list({ external_ref: [refs[0]] }, step("d-unify"));
    assert(page.engagements.length === 1, `${page.engagements.length} listed`);
    const [original] = page.engagements;
    const before = canonical(original);
    const u = devRevToEngagement(original);
    assert(u.id === original.id, `id ${json(u.id)}`);
    assert(u.subject === original.title, `subject ${json(u.subject)}, title ${json(original.title)}`);
    assert(u.start_time === original.scheduled_date, `start_time ${json(u.start_time)}, scheduled_date ${json(original.scheduled_date)}`);
    assert(u.content === original.description, `content ${json(u.content)}`);
    assert(u.engagement_type === original.engagement_type, `engagement_type ${json(u.engagement_type)}`);
    assert(u.owner?.id === don("identity", "devu", 1), `owner ${json(u.owner)}`);
    assert(json(u.contact) === json([{ id: don("identity", "revu", 1) }]), `contact ${json(u.contact)}`);
    assert(u.account?.id === don("core", "account", 1), `account ${json(u.account)}`);
    assert(u.created_at === original.created_date && u.updated_at === original.modified_date, "created_at/updated_at");
    assert(canonical(u.remote_data) === before, "remote_data is not the original engagement");
    assert(canonical(original) === before, "the input was modified");
    // A seeded one with opportunities, for the parents mapping.
    const seeded = (await client.list({ limit: DEVREV_SEEDED }, step("d-unify"))).engagements.find((e) => (e.parents ?? []).some((p) => p.type === "opportunity"));
    assert(seeded, "no seeded engagement with an opportunity parent");
    const us = devRevToEngagement(seeded);
    const opps = seeded.parents.filter((p) => p.type === "opportunity").map((p) => ({ id: p.id }));
    assert(json(us.opportunity) === json(opps), `opportunity ${json(us.opportunity)}, want ${json(opps)}`);
    const bad = await rejection(() => devRevToEngagement({ title: "no id" }));
    assertEngagementsError(bad, isEngagementsError);
    assert(bad.kind === "decode", `no-id input: kind ${json(bad.kind)}, want "decode"`);
    return `${u.id}: "${u.subject}" at ${u.start_time}; ${seeded.display_id} -> ${us.opportunity.length} opportunity ref(s)`;
  });

  // --- update ---
  await check("devrev update: { set: [...] } wrappers for members, parents and tags", async () => {
    needCreated();
    const body = {
      id: ids[1],
      title: `${marker} #2 (updated)`,
      members: { set: ["DEVU-2", "REVU-3"] },
      parents: { set: ["ACC-2", "OPP-3"] },
      tags: { set: [{ id: "TAG-8", value: "high" }] },
    };
    const e = await client.update(body, step("d-update"));
    assert(e.id === ids[1] && e.title === body.title, `resolved ${json({ id: e.id, title: e.title })}`);
    assert(json(e.members.map((m) => m.id)) === json([don("identity", "devu", 2), don("identity", "revu", 3)]), `members ${json(e.members.map((m) => m.id))}`);
    assert(json(e.parents.map((p) => p.id)) === json([don("core", "account", 2), don("core", "opportunity", 3)]), `parents ${json(e.parents.map((p) => p.id))}`);
    assert(e.tags?.length === 1 && e.tags[0].tag?.id === don("core", "tag", 8) && e.tags[0].value === "high", `tags ${json(e.tags)}`);
    assert(e.external_ref === refs[1] && e.description === created[1].description, "fields not given were lost");
    assert(Date.parse(e.modified_date) > Date.parse(created[1].modified_date), "modified_date did not move");
    const r = onePost(await sent("d-update"), "/engagements.update");
    assert(canonical(r.json) === canonical(body), `body sent ${r.body}`);
    const [stored] = (await myStore()).filter((x) => x.id === ids[1]);
    assert(canonical(stored) === canonical(e), "the store's copy differs from what update resolved");
    return `body ${r.body}`;
  });

  // --- delete ---
  await check("devrev delete: resolves undefined; a later get is http 404 with code \"not_found\"", async () => {
    needCreated();
    const res = await client.delete(ids[4], step("d-delete"));
    assert(res === undefined, `resolved ${describe(res)}`);
    const r = onePost(await sent("d-delete"), "/engagements.delete");
    assert(canonical(r.json) === canonical({ id: ids[4] }), `body ${r.body}`);
    assert(!(await store()).some((e) => e.id === ids[4]), "still in the mock's store");
    const left = await client.count(mine, step("d-delete-count"));
    assert(left === DEVREV_MINE - 1, `count after delete ${left}, want ${DEVREV_MINE - 1}`);
    const err = await rejection(() => client.get(ids[4], step("d-get-deleted")));
    assertEngagementsError(err, isEngagementsError);
    assert(err.kind === "http" && err.status === 404, `kind ${json(err.kind)} status ${json(err.status)}, want http 404`);
    assert(err.code === "not_found", `code ${json(err.code)}, want "not_found" (DevRev's type)`);
    assert(err.body && err.body.type === "not_found", `body ${json(err.body)}`);
    assert(err.attempts === 1, `attempts ${json(err.attempts)}, want 1 (404 is never retried)`);
    assert(typeof err.requestId === "string" && err.requestId, `requestId ${json(err.requestId)}`);
    return `then ${err.kind} ${err.status} ${err.code}: ${err.message}`;
  });

  // --- validation: nothing may reach the wire ---
  const valid = bodies[0];
  const withoutMembers = { ...valid };
  delete withoutMembers.members;
  const hint = (field) => ({ field });
  const expectDevRevValidation = async (stepName, call, { field }) => {
    const detail = await expectValidation(stepName, call);
    const err = await rejection(call); // the same call again, for its fields (still nothing sent)
    assert(`${err.field ?? ""} ${err.message}`.includes(field), `neither field ${json(err.field)} nor message ${json(err.message)} names ${field}`);
    const again = await sent(stepName);
    assert(again.length === 0, `${again.length} request(s) reached the mock`);
    return `${detail} [field ${err.field}]`;
  };
  await check("devrev validation: create without members is refused before sending", () =>
    expectDevRevValidation("dv-no-members", () => client.create(withoutMembers, step("dv-no-members")), hint("members")));
  await check("devrev validation: create with 51 members is refused before sending", () =>
    expectDevRevValidation("dv-51-members", () => client.create({ ...valid, members: Array.from({ length: 51 }, (_, i) => `DEVU-${i + 1}`) }, step("dv-51-members")), hint("members")));
  await check("devrev validation: engagement_type \"meeting\" on create (outside the create enum) is refused before sending", () =>
    expectDevRevValidation("dv-meeting", () => client.create({ ...valid, engagement_type: "meeting" }, step("dv-meeting")), hint("engagement_type")));
  await check("devrev validation: a non-RFC 3339 scheduled_date is refused before sending", () =>
    expectDevRevValidation("dv-date", () => client.create({ ...valid, scheduled_date: "05/01/2024 10:30" }, step("dv-date")), hint("scheduled_date")));
  await check("devrev validation: a date-only scheduled_date (\"2024-05-01\") is refused before sending", () =>
    expectDevRevValidation("dv-date-only", () => client.create({ ...valid, scheduled_date: "2024-05-01" }, step("dv-date-only")), hint("scheduled_date")));
  await check("devrev validation: update without id is refused before sending", () =>
    expectDevRevValidation("dv-update-id", () => client.update({ title: "x" }, step("dv-update-id")), hint("id")));
  await check("devrev validation: list mode \"sideways\" is refused before sending", () =>
    expectDevRevValidation("dv-mode", () => client.list({ mode: "sideways" }, step("dv-mode")), hint("mode")));
}

// ---------------------------------------------------------------------------

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

function assertEngagementsError(err, isEngagementsError) {
  assert(err instanceof Error, `not an Error: ${describe(err)}`);
  assert(isEngagementsError(err) === true, `isEngagementsError(${describe(err)}) is not true`);
  assert(err.name === "EngagementsError", `name ${json(err.name)}`);
}

/**
 * Scripts the mock's answer to the next list request of `accountId` (scoped to
 * this runtime's account: the runtimes share the mock). `fault`: the mock's
 * fault fields (`status`, `headers`, `delayMs`...).
 */
export async function listFault(base, accountId, fault) {
  const match = { path: "/unified/crm/engagements", query: `integrated_account_id=${encodeURIComponent(accountId)}&` };
  const res = await fetch(`${base}/__mock/faults`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ faults: [{ match, ...fault }] }),
  });
  await res.text();
  if (!res.ok) throw new Error(`POST /__mock/faults answered ${res.status}`);
}

/** Polls `condition` (every 25 ms) until it holds or `ms` pass; whether it held. */
async function eventually(condition, ms) {
  const end = Date.now() + ms;
  for (;;) {
    if (await condition()) return true;
    if (Date.now() >= end) return false;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The rejection of `call()` (which may also throw synchronously); fails if it resolves. */
async function rejection(call) {
  let value;
  try {
    value = await call();
  } catch (err) {
    return err;
  }
  throw new Error(`resolved instead of rejecting: ${describe(value)}`);
}

function json(value) {
  return JSON.stringify(value);
}

/** JSON with sorted keys: equality regardless of key order. */
function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

function safeJson(value) {
  try {
    return JSON.stringify(value) ?? "";
  } catch {
    return "";
  }
}

function describe(value) {
  if (value instanceof Error) {
    const fields = ["kind", "status", "code", "attempts"].filter((k) => value[k] !== undefined).map((k) => `${k}=${value[k]}`);
    return `${value.name}: ${value.message}${fields.length ? ` [${fields.join(", ")}]` : ""}`;
  }
  if (value === null || value === undefined) return String(value);
  if (typeof value === "object") return `${value.constructor?.name ?? "Object"} ${safeJson(value).slice(0, 200)}`;
  return `${typeof value} ${String(value).slice(0, 200)}`;
}
