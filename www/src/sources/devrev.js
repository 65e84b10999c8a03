// DevRev engagements through `DevRevClient`, shown in the unified shape with the
// package's own mapping (`devRevToEngagement`: title -> subject, scheduled_date ->
// start_time, dev-user member -> owner, customer members -> contact, parent account ->
// account, original in remote_data); a package without that export gets the same
// mapping from `fallbackToUnified` below. Registered when the package has DevRevClient.
//
// DevRev's list has no date-range filter; owner and contact filters both become the
// `members` filter; account becomes `parent`.
import { DevRevClient, devRevToEngagement } from "../lib.js";
import { trackListAll } from "./source.js";

/**
 * Structural types, so this file type-checks whether or not the package has DevRev.
 * @typedef {{ engagements: unknown[], next_cursor?: string | null }} DevRevPageLike
 * @typedef {object} DevRevClientLike
 * @property {(request?: Record<string, unknown>, options?: { signal?: AbortSignal }) => Promise<DevRevPageLike>} list
 * @property {(request?: Record<string, unknown>, options?: { signal?: AbortSignal }) => AsyncIterable<unknown>} listAll
 * @property {(body: Record<string, unknown>, options?: { signal?: AbortSignal }) => Promise<unknown>} create
 * @property {(body: Record<string, unknown>, options?: { signal?: AbortSignal }) => Promise<unknown>} update
 * @property {(id: string, options?: { signal?: AbortSignal }) => Promise<unknown>} delete
 *
 * @typedef {import("./source.js").Filters} Filters
 * @typedef {import("./source.js").Source} Source
 * @typedef {import("crm-engagements").Engagement} Engagement
 * @typedef {import("crm-engagements").EngagementInput} EngagementInput
 *
 * @typedef {object} DevRevConnection
 * @property {string} baseUrl
 * @property {string} [token]
 * @property {false | import("crm-engagements").RateLimitOptions} [rateLimit]  your own limits besides DevRev's headers
 */

/** Unified filter value -> DevRev list `type` values. */
const TYPE_FILTER = /** @type {Record<string, string[]>} */ ({
  call: ["call"],
  email: ["email"],
  meeting: ["meeting"],
  chat: ["conversation"],
  linked_in: ["linked_in"],
  offline: ["offline"],
  survey: ["survey"],
  custom: ["custom"],
  default: ["default"],
});

/** @type {import("./source.js").Capabilities} */
const CAPABILITIES = {
  filters: { type: true, dateRange: false, account: true, owner: true, contact: true },
  types: Object.keys(TYPE_FILTER),
  sorts: [
    { value: "scheduled_date:desc", label: "Newest first" },
    { value: "scheduled_date:asc", label: "Oldest first" },
    { value: "modified_date:desc", label: "Recently updated" },
    { value: "created_date:desc", label: "Recently created" },
  ],
  createTypes: ["call", "email", "linked_in", "offline", "default"],
  editorFields: ["engagement_type", "subject", "content", "owner", "account", "contact", "start_time"],
  // DevRev's update has no engagement_type.
  updateFields: ["subject", "content", "owner", "account", "contact", "start_time"],
  write: true,
};

/** DevRev body field -> the editor's field. */
const FORM_FIELD = /** @type {Record<string, string>} */ ({
  title: "subject",
  description: "content",
  scheduled_date: "start_time",
  members: "owner",
  parents: "account",
  parent: "account",
  engagement_type: "engagement_type",
});

/**
 * The DevRev list request for the filter bar's values.
 * @param {Filters} filters
 */
export function toDevRevRequest(filters) {
  const members = [filters.owner, filters.contact].filter(Boolean);
  return {
    limit: filters.limit,
    type: filters.type ? TYPE_FILTER[filters.type] ?? [filters.type] : undefined,
    members: members.length ? members : undefined,
    parent: filters.account ? [filters.account] : undefined,
    sort_by: filters.sort ? [filters.sort] : undefined,
  };
}

/**
 * The package's mapping in miniature, for a package that has DevRevClient but not
 * devRevToEngagement.
 * @param {any} d a DevRev engagement
 * @returns {Engagement}
 */
export function fallbackToUnified(d) {
  /** @type {{ id: string, type?: string }[]} */
  const members = Array.isArray(d?.members) ? d.members : [];
  /** @type {{ id: string, type?: string }[]} */
  const parents = Array.isArray(d?.parents) ? d.parents : [];
  const ofType = (/** @type {{ id: string, type?: string }[]} */ list, /** @type {string[]} */ types) => list.filter((s) => types.includes(s.type ?? "")).map((s) => ({ id: s.id }));
  const contacts = ofType(members, ["rev_user"]);
  return {
    id: String(d?.id ?? ""),
    engagement_type: d?.engagement_type === "conversation" ? "chat" : d?.engagement_type ?? null,
    subject: d?.title ?? null,
    content: d?.description ?? null,
    start_time: d?.scheduled_date ?? null,
    owner: ofType(members, ["dev_user", "sys_user", "service_account"])[0] ?? null,
    account: ofType(parents, ["account"])[0] ?? null,
    contact: contacts.length ? contacts : null,
    created_at: d?.created_date ?? null,
    updated_at: d?.modified_date ?? null,
    remote_data: d ?? null,
  };
}

/** Members of a unified engagement: its owner, then its contacts. */
function membersOf(/** @type {Engagement | EngagementInput} */ e) {
  return [e.owner?.id, ...(e.contact ?? []).map((c) => c.id)].filter((id) => typeof id === "string" && id !== "");
}

/**
 * @param {DevRevConnection} connection
 * @param {ReturnType<typeof import("../net.js").createNetworkObserver>} observer
 * @returns {Source}
 */
export function createDevRevSource(connection, observer) {
  if (!DevRevClient) throw new Error("this build of crm-engagements has no DevRev client");
  const toUnified = devRevToEngagement ?? fallbackToUnified;
  const client = new DevRevClient({
    baseUrl: connection.baseUrl || undefined,
    token: connection.token || undefined,
    fetch: observer.fetch,
    onThrottle: observer.throttle,
    rateLimit: connection.rateLimit,
    timeoutMs: 20_000,
  });

  const cursorOf = (/** @type {import("../net.js").NetEvent} */ event) => {
    if (event.type === "throttle" || event.method !== "POST" || !new URL(event.url).pathname.endsWith("/engagements.list")) return undefined;
    try {
      const cursor = JSON.parse(event.body ?? "{}").cursor;
      return typeof cursor === "string" ? cursor : null;
    } catch {
      return null;
    }
  };
  /** @param {unknown[]} list */
  const unify = (list) => list.map((e) => toUnified(e));

  return {
    id: "devrev",
    label: "DevRev",
    description: `DevRev · ${new URL(connection.baseUrl || "https://api.devrev.ai").host}`,
    capabilities: CAPABILITIES,

    async listPage(filters, cursor, options = {}) {
      const page = await client.list({ ...toDevRevRequest(filters), cursor: cursor ?? undefined }, { signal: options.signal });
      const nextCursor = page.next_cursor ?? null;
      return { items: unify(page.engagements ?? []), nextCursor, hasMore: nextCursor !== null };
    },

    listAll(filters, cursor, options) {
      const raw = client.listAll({ ...toDevRevRequest(filters), cursor: cursor ?? undefined }, { signal: options.signal });
      async function* unified() {
        for await (const e of raw) yield toUnified(e);
      }
      return trackListAll(observer, cursorOf, unified(), options.onPage);
    },

    async create(input, options = {}) {
      const created = await client.create(
        {
          title: input.subject,
          description: input.content,
          scheduled_date: input.start_time,
          members: membersOf(input),
          engagement_type: input.engagement_type,
          parents: input.account ? [input.account.id] : undefined,
        },
        { signal: options.signal },
      );
      return toUnified(created);
    },

    async update(id, patch, original, options = {}) {
      const merged = { ...original, ...patch };
      /** @type {Record<string, unknown>} */
      const body = { id };
      if ("subject" in patch) body.title = patch.subject;
      if ("content" in patch) body.description = patch.content;
      if ("start_time" in patch) body.scheduled_date = patch.start_time;
      if ("owner" in patch || "contact" in patch) body.members = { set: membersOf(merged) };
      if ("account" in patch) body.parents = { set: patch.account ? [patch.account.id] : [] };
      return toUnified(await client.update(body, { signal: options.signal }));
    },

    async remove(id, options = {}) {
      await client.delete(id, { signal: options.signal });
    },

    formFieldOf(errorField) {
      const match = /^body\.([A-Za-z_]+)/.exec(errorField);
      return match ? FORM_FIELD[match[1]] ?? null : null;
    },
  };
}
