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
// `lib` is what the runtime got from "crm-engagements": `{ TrutoClient, isEngagementsError }`.
// `accountId` must be fresh per runtime (the mock seeds 25 engagements for an
// account it has not seen), so runs can share one mock, even concurrently.
// Every request the scenario makes carries `x-test-run: <accountId>`, and most
// carry `x-test-step: <step>`, so the mock's request log (GET /__mock/requests)
// can be read per runtime and per step.

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
    const res = await fetch(`${base}/__mock/requests`);
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
      assert(value instanceof Uint8Array, `chunk is ${describe(value)}`);
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
    const sent = await recorded("401");
    assert(sent.length === 1, `${sent.length} requests, want 1`);
    return `${err.status}: ${err.message}`;
  });

  return rows;
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
