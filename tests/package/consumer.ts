// Type-checked (never run) by tests/package/run.mjs, in a temp project with the
// packed tarball installed, under:
//   tsc --strict --noEmit --skipLibCheck false --target es2022 --module nodenext
// It uses the whole public API with full types; every `// @ts-expect-error`
// line must be an error, or tsc fails with "Unused '@ts-expect-error' directive".
import {
  DevRevClient,
  TrutoClient,
  devRevToEngagement,
  isEngagementsError,
  type DeleteQuery,
  type DevRevClientOptions,
  type DevRevCountRequest,
  type DevRevCreate,
  type DevRevCreateEngagementType,
  type DevRevEngagement,
  type DevRevEngagementType,
  type DevRevListRequest,
  type DevRevListResponse,
  type DevRevSetIds,
  type DevRevSetTag,
  type DevRevSetTags,
  type DevRevSummary,
  type DevRevTagWithValue,
  type DevRevUpdate,
  type DeleteResponse,
  type Direction,
  type Engagement,
  type EngagementInput,
  type EngagementsError,
  type RateLimitOptions,
  type ThrottleEvent,
  type TrutoErrorInsight,
  type TrutoInsightEntry,
  type EngagementsErrorKind,
  type EngagementStatus,
  type EngagementType,
  type ListAllOptions,
  type ListQuery,
  type ListResponse,
  type PhoneNumber,
  type RecordQuery,
  type Ref,
  type RequestOptions,
  type ResponseFormat,
  type TrutoClientOptions,
} from "crm-engagements";

type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(_ok: T): void {}

const options: TrutoClientOptions = {
  token: "test-token",
  integratedAccountId: "acct-tsc",
  baseUrl: "http://127.0.0.1:8787",
  timeoutMs: 5000,
  maxRetries: 1,
  fetch: globalThis.fetch,
  headers: { "x-trace": "1" },
};
const client = new TrutoClient(options);
new TrutoClient();
new TrutoClient({});

const controller = new AbortController();
const reqOptions: RequestOptions = {
  signal: controller.signal,
  timeoutMs: 1000,
  maxRetries: 0,
  idempotencyKey: "key-1",
  headers: { "x-step": "a" },
};
const allOptions: ListAllOptions = { signal: controller.signal, timeoutMs: 1000, maxRetries: 2, headers: {}, maxItems: 50 };

const query: ListQuery = {
  integrated_account_id: "acct-tsc",
  engagement_type: "call",
  start_time: "2024-01-01T00:00:00Z",
  end_time: "2024-06-01T00:00:00Z",
  account: { id: "A1" },
  contact: { id: "C1" },
  owner: { id: "O1" },
  opportunity: { id: "P1" },
  lead: { id: "L1" },
  contact_id: "C1",
  status: "sent",
  created_at: "2024-01-01T00:00:00Z",
  updated_at: "2024-01-01T00:00:00Z",
  sort_by: "created_at",
  subject: "demo",
  content: "notes",
  direction: "inbound",
  limit: 10,
  next_cursor: "abc",
  truto_response_format: "unified",
  truto_key_by: "id",
  truto_ignore_limit: false,
  truto_ignore_remote_data: true,
  truto_exclude_fields: ["remote_data"],
  remote_query: { archived: false },
};

const customType: EngagementType = "linkedin_message"; // integrations have their own types
const direction: Direction = "outbound";
const status: EngagementStatus = "draft";
const format: ResponseFormat = "raw";
const ref: Ref = { id: "R1" };
const phone: PhoneNumber = { id: "p1", number: "+1 415 555 0100", extension: "12", type: "work" };

const body: EngagementInput = {
  engagement_type: "meeting",
  subject: "Kickoff",
  content: "Agenda",
  owner: ref,
  contact: [{ id: "C1" }, { id: "C2" }],
  account: { id: "A1" },
  opportunity: [{ id: "P1" }],
  lead: [{ id: "L1" }],
  project: { id: "J1" },
  start_time: "2024-01-01T10:00:00Z",
  end_time: "2024-01-01T11:00:00Z",
  direction,
  status,
  duration: "3600",
  internal_notes: "n/a",
  phone_numbers: [phone],
  custom_fields: { priority: "high" },
  created_at: "2024-01-01T09:00:00Z",
  remote_data: { hs_meeting_outcome: "SCHEDULED" },
};
const recordQuery: RecordQuery = {
  integrated_account_id: "acct-tsc",
  engagement_type: customType,
  truto_response_format: format,
  truto_ignore_remote_data: false,
  truto_exclude_fields: ["content"],
  remote_query: { x: 1 },
};
const deleteQuery: DeleteQuery = { integrated_account_id: "acct-tsc", engagement_type: "email", direction: "inbound", account: ref, contact: [ref] };

export async function useEverything(): Promise<number> {
  // list: the envelope, with typed items.
  const page: ListResponse = await client.list(query, reqOptions);
  await client.list();
  const next: string | null | undefined = page.next_cursor;
  const count: number | undefined = page.result_count;
  const partial: boolean | undefined = page.is_partial_response;
  const items: Engagement[] = Array.isArray(page.result) ? page.result : Object.values(page.result);
  // The result's type follows the query: no truto_key_by, an array, used as one.
  const plain = await client.list({ limit: 5, engagement_type: "call" });
  for (const e of plain.result) void e.subject;
  const subjects: (string | null | undefined)[] = plain.result.map((e) => e.subject);
  const firstPlain: Engagement | undefined = plain.result[0];
  const none: Engagement[] = (await client.list()).result;
  const keyed: Record<string, Engagement> = (await client.list({ truto_key_by: "id" })).result;
  const byId: Engagement | undefined = keyed["eng_1"];
  const raw: unknown[] = (await client.list({ truto_response_format: "raw" })).result;
  const rawKeyed: Record<string, unknown> = (await client.list({ truto_response_format: "raw", truto_key_by: "id" })).result;
  for await (const item of client.listAll({ truto_response_format: "raw" })) {
    const remote: unknown = item;
    void remote;
  }
  void [subjects, firstPlain, none, byId, raw, rawKeyed];
  // listAll across invocations: a request budget, then a checkpoint to resume from.
  const budgeted = client.listAll({ limit: 5 }, { maxRequests: 3 });
  for await (const e of budgeted) void e.subject;
  const done: boolean = budgeted.complete;
  const at: string | undefined = budgeted.checkpoint();
  if (!done && at) for await (const e of client.listAll({ limit: 5 }, { resume: at, maxRequests: 3 })) void e.id;
  const first: Engagement | undefined = items[0];
  if (first) {
    const id: string = first.id;
    const subject: string | null | undefined = first.subject;
    const contacts: Ref[] | null | undefined = first.contact;
    const owner: Ref | null | undefined = first.owner;
    const dir: Direction | null | undefined = first.direction;
    const dur: string | number | null | undefined = first.duration;
    const phones: PhoneNumber[] | null | undefined = first.phone_numbers;
    const custom: Record<string, unknown> | null | undefined = first.custom_fields;
    void [id, subject, contacts, owner, dir, dur, phones, custom];
    assertType<Equals<typeof first.id, string>>(true);
  }

  // listAll: an async iterable of engagements; `break` ends it.
  let n = 0;
  for await (const e of client.listAll({ limit: 7 }, allOptions)) {
    const id: string = e.id;
    void id;
    if (++n === 3) break;
  }
  const iterator: AsyncIterableIterator<Engagement> = client.listAll();
  const step: IteratorResult<Engagement, undefined> = await iterator.next();
  if (!step.done) step.value.id.toUpperCase();
  await iterator.return?.();

  // listStream: the body as bytes.
  const stream: ReadableStream<Uint8Array> = await client.listStream({ engagement_type: "call" }, reqOptions);
  const reader = stream.getReader();
  const chunk = await reader.read();
  if (!chunk.done) {
    const bytes: Uint8Array = chunk.value;
    void bytes;
  }

  // The record methods.
  const got: Engagement = await client.get("eng_1", recordQuery, reqOptions);
  const created: Engagement = await client.create(body, recordQuery, { idempotencyKey: "k" });
  const updated: Engagement = await client.update(created.id, { subject: "Renamed" }, undefined, reqOptions);
  const deleted: DeleteResponse = await client.delete(updated.id, deleteQuery, reqOptions);
  const deletedId: string = deleted.id;
  await client.get(got.id);
  await client.delete(deletedId);

  // Errors: the guard narrows `unknown` to the typed error.
  try {
    await client.get("missing");
  } catch (err: unknown) {
    if (isEngagementsError(err)) {
      const e: EngagementsError = err;
      const asError: Error = e;
      const kind: EngagementsErrorKind = e.kind;
      const name: "EngagementsError" = e.name;
      const statusCode: number | undefined = e.status;
      const code: string | undefined = e.code;
      const field: string | undefined = e.field;
      const responseBody: unknown = e.body;
      const requestId: string | undefined = e.requestId;
      const retryAfterMs: number | undefined = e.retryAfterMs;
      const attempts: number = e.attempts;
      const isRemote: boolean | undefined = e.isRemoteError;
      const insight: TrutoErrorInsight | undefined = e.insight;
      const missingBody: string[] | undefined = e.insight?.missing_required_body_fields?.value;
      const rules: Record<string, unknown> | undefined = e.insight?.conditionally_required_query_parameters?.value;
      const scopesInInsight: string[] | undefined = e.insight?.forbidden_error?.value?.missing_scopes;
      const described: string | undefined = e.insight?.rate_limit_error?.description;
      const laterKey: TrutoInsightEntry | undefined = e.insight?.a_key_truto_adds_later;
      const missingFields: string[] = e.missingFields;
      const missingScopes: string[] = e.missingScopes;
      const needsReauth: boolean = e.needsReauth;
      const readOnlyAccount: boolean = e.readOnlyAccount;
      // @ts-expect-error the insight is the object Truto sent, not a JSON string
      const insightText: string | undefined = e.insight;
      void [asError, name, statusCode, code, field, responseBody, requestId, retryAfterMs, isRemote, insight, missingBody, rules,
        scopesInInsight, described, laterKey, missingFields, missingScopes, needsReauth, readOnlyAccount, insightText];
      switch (kind) {
        case "validation":
        case "http":
        case "network":
        case "timeout":
        case "aborted":
        case "decode":
        case "config":
          return attempts;
        default: {
          const exhaustive: never = kind;
          return exhaustive;
        }
      }
    }
  }

  // Explicit resource management (wasm-bindgen emits [Symbol.dispose]).
  client[Symbol.dispose]();
  client.free();
  return (next?.length ?? 0) + (count ?? 0) + (partial ? 1 : 0);
}

// ---------------------------------------------------------------------------
// Wrong input must be rejected.
export async function rejectsWrongInput(): Promise<void> {
  // @ts-expect-error direction is "inbound" | "outbound" | "missed"
  await client.list({ direction: "sideways" });
  // @ts-expect-error limit is a number
  await client.list({ limit: "10" });
  // @ts-expect-error a typo next to a valid field is still refused (the overloads keep excess-property checks)
  await client.list({ limit: 5, engagment_type: "call" });
  // @ts-expect-error keyed by truto_key_by, the result is an object, not an array
  (await client.list({ truto_key_by: "id" })).result.map((e: Engagement) => e.id);
  // @ts-expect-error raw items are the remote API's, not Engagements
  const notUnified: Engagement[] = (await client.list({ truto_response_format: "raw" })).result;
  void notUnified;
  // @ts-expect-error contact on a body is an array of {id}
  await client.create({ subject: "x", contact: "c1" });
  // @ts-expect-error an id is a string
  await client.get(42);
  // @ts-expect-error unknown option (it is baseUrl)
  new TrutoClient({ baseURL: "https://api.truto.one" });
  // @ts-expect-error timeoutMs is a number
  new TrutoClient({ timeoutMs: "5" });
  // @ts-expect-error status is an enum
  await client.update("eng_1", { status: "archived" });
  // @ts-expect-error listStream resolves to a stream, not a ListResponse
  const notPage: ListResponse = await client.listStream();
  void notPage;
  // @ts-expect-error maxItems is only a listAll option
  await client.list({}, { maxItems: 3 });
  // @ts-expect-error maxRequests is a number
  client.listAll({}, { maxRequests: "3" });
  // @ts-expect-error complete is read-only
  client.listAll().complete = true;
  // @ts-expect-error the iterator has no nextPage (the wasm class's is internal)
  await client.listAll().nextPage();
}

// ---------------------------------------------------------------------------
// DevRev: the whole DevRevClient API with full types.
const devrevOptions: DevRevClientOptions = {
  token: "test-token",
  baseUrl: "http://127.0.0.1:8787",
  timeoutMs: 5000,
  maxRetries: 1,
  fetch: globalThis.fetch,
  headers: { "x-trace": "1" },
};
const devrev = new DevRevClient(devrevOptions);
new DevRevClient();
new DevRevClient({});

const listType: DevRevEngagementType = "meeting"; // list filters take the wide enum
const createType: DevRevCreateEngagementType = "linked_in";
const widened: DevRevEngagementType = createType; // the create enum is a subset
const listRequest: DevRevListRequest = {
  cursor: "c1",
  limit: 10,
  mode: "before",
  type: [listType, "call", "survey"],
  members: ["DEVU-1"],
  parent: ["ACC-1"],
  external_ref: ["gong:call/1"],
  sort_by: ["scheduled_date:desc"],
};
const tagToSet: DevRevSetTag = { id: "TAG-8", value: "high" };
const createBody: DevRevCreate = {
  title: "Discovery call",
  scheduled_date: "2024-05-01T10:30:00Z",
  members: ["DEVU-1", "REVU-1"],
  description: "Notes",
  engagement_type: createType,
  parent: "ACC-1",
  parents: ["ACC-1", "OPP-1"],
  artifacts: ["ARTIFACT-1"],
  external_ref: "gong:call/1",
  external_url: "https://app.gong.io/call?id=1",
  tags: [tagToSet, { id: "TAG-1" }],
};
const setIds: DevRevSetIds = { set: ["DEVU-2"] };
const setTags: DevRevSetTags = { set: [tagToSet] };
const updateBody: DevRevUpdate = {
  id: "ENG-1",
  title: "Renamed",
  description: "More notes",
  scheduled_date: "2024-05-02T10:30:00Z",
  members: setIds,
  parents: { set: ["ACC-2"] },
  artifacts: { set: [] },
  tags: setTags,
  external_ref: "gong:call/2",
  external_url: "https://app.gong.io/call?id=2",
};
const countFilter: DevRevCountRequest = { type: ["email"], members: ["DEVU-1"], parent: ["ACC-1"], external_ref: ["x"] };

export async function useDevRev(): Promise<number> {
  const page: DevRevListResponse = await devrev.list(listRequest, reqOptions);
  await devrev.list();
  const nextCursor: string | undefined = page.next_cursor;
  const prevCursor: string | undefined = page.prev_cursor;
  const engagements: DevRevEngagement[] = page.engagements;
  const first: DevRevEngagement | undefined = engagements[0];
  if (first) {
    const id: string = first.id;
    const displayId: string | undefined = first.display_id;
    const title: string | undefined = first.title;
    const description: string | undefined = first.description;
    const type: DevRevEngagementType | undefined = first.engagement_type;
    const scheduled: string | undefined = first.scheduled_date;
    const members: DevRevSummary[] | undefined = first.members;
    const parents: DevRevSummary[] | undefined = first.parents;
    const tags: DevRevTagWithValue[] | undefined = first.tags;
    const tagName: string | undefined = tags?.[0]?.tag.name;
    const tagValue: string | undefined = tags?.[0]?.value;
    const artifacts: DevRevSummary[] | undefined = first.artifacts;
    const createdBy: DevRevSummary | undefined = first.created_by;
    const who: string | undefined = first.modified_by?.full_name ?? first.members?.[0]?.email;
    const dates: (string | undefined)[] = [first.created_date, first.modified_date];
    const ref: string | undefined = first.external_ref ?? first.external_url;
    const unknownField: unknown = first["custom_field_from_a_later_api"]; // kept, typed unknown
    void [id, displayId, title, description, type, scheduled, members, parents, tagName, tagValue, artifacts, createdBy, who, dates, ref, unknownField];
    assertType<Equals<typeof first.id, string>>(true);
    assertType<Equals<typeof first.engagement_type, DevRevEngagementType | undefined>>(true);

    // One view across both APIs.
    const unified: Engagement = devRevToEngagement(first);
    const subject: string | null | undefined = unified.subject;
    const start: string | null | undefined = unified.start_time;
    const original: Record<string, unknown> | null | undefined = unified.remote_data;
    const rows: Engagement[] = [unified, ...(await client.list()).result as Engagement[]];
    void [subject, start, original, rows];
  }

  for await (const e of devrev.listAll({ type: ["call"], limit: 50 }, allOptions)) {
    const id: string = e.id;
    void id;
    break;
  }
  const backwards: AsyncIterableIterator<DevRevEngagement> = devrev.listAll({ mode: "before" });
  const one: IteratorResult<DevRevEngagement, undefined> = await backwards.next();
  if (!one.done) one.value.id.toUpperCase();
  await backwards.return?.();
  devrev.listAll();

  const got: DevRevEngagement = await devrev.get("ENG-1", reqOptions);
  const created: DevRevEngagement = await devrev.create(createBody, { signal: controller.signal });
  const updated: DevRevEngagement = await devrev.update({ ...updateBody, id: created.id }, reqOptions);
  const deleted: void = await devrev.delete(updated.id, reqOptions);
  const total: number = await devrev.count(countFilter, reqOptions);
  await devrev.count();
  await devrev.get(got.id);
  void deleted;

  try {
    await devrev.get("ENG-0");
  } catch (err: unknown) {
    if (isEngagementsError(err) && err.kind === "http" && err.code === "not_found") return 404;
  }
  devrev[Symbol.dispose]();
  devrev.free();
  return total + (nextCursor?.length ?? 0) + (prevCursor?.length ?? 0);
}

// DevRev: wrong input must be rejected.
export async function devRevRejectsWrongInput(): Promise<void> {
  // @ts-expect-error create requires members
  await devrev.create({ title: "x", scheduled_date: "2024-05-01T10:30:00Z" });
  // @ts-expect-error "meeting" is a list type, outside the create enum
  await devrev.create({ title: "x", scheduled_date: "2024-05-01T10:30:00Z", members: ["DEVU-1"], engagement_type: "meeting" });
  // @ts-expect-error mode is "after" | "before"
  await devrev.list({ mode: "sideways" });
  // @ts-expect-error mode is "after" | "before" (listAll too)
  devrev.listAll({ mode: "sideways" });
  // @ts-expect-error count takes a filter object, not a string
  await devrev.count("x");
  // @ts-expect-error update's body carries the id
  await devrev.update({ title: "x" });
  // @ts-expect-error update's members is a { set: [...] } wrapper, not a bare list
  await devrev.update({ id: "ENG-1", members: ["DEVU-1"] });
  // @ts-expect-error list filters take arrays of types
  await devrev.list({ type: "call" });
  // @ts-expect-error delete resolves to nothing
  const notEngagement: DevRevEngagement = await devrev.delete("ENG-1");
  void notEngagement;
  // @ts-expect-error unknown option (it is baseUrl)
  new DevRevClient({ baseURL: "https://api.devrev.ai" });
  // @ts-expect-error a DevRev client has no integratedAccountId (that is Truto's)
  new DevRevClient({ integratedAccountId: "acct" });
}
void widened;

// The rate governor's options and event.
{
  const own: RateLimitOptions = { perAccount: { requests: 20, intervalMs: 10_000 } };
  const scopes: ThrottleEvent["scope"][] = [];
  new TrutoClient({ rateLimit: own, onThrottle: (e) => scopes.push(e.scope) });
  new TrutoClient({ rateLimit: false });
  new DevRevClient({ rateLimit: { perToken: { requests: 5, intervalMs: 1000 } } });
  const t = new TrutoClient({});
  void t.list({}, { onThrottle: (e: ThrottleEvent) => void e.waitMs });
  // @ts-expect-error rateLimit is false or an object: true is not a setting
  new TrutoClient({ rateLimit: true });
  // @ts-expect-error a limit has requests and intervalMs
  new TrutoClient({ rateLimit: { perAccount: { requests: 5 } } });
  // @ts-expect-error scope is "account" | "token" | "server"
  const wrong: ThrottleEvent = { waitMs: 1, scope: "minute" };
  void wrong;
}
