// Truto's Unified CRM API through `TrutoClient`: the filters map one to one onto the
// list query (`engagement_type`, `start_time`/`end_time`, `account[id]`, `owner[id]`,
// `contact[id]`, `sort_by`, `limit`, `next_cursor`).
import { TrutoClient } from "../lib.js";
import { bodyField, startOfDay, startOfNextDay, trackListAll } from "./source.js";

const LIST_PATH = "/unified/crm/engagements";

/**
 * @typedef {import("./source.js").Filters} Filters
 * @typedef {import("./source.js").Source} Source
 * @typedef {import("crm-engagements").ListQuery} ListQuery
 *
 * @typedef {object} TrutoConnection
 * @property {string} baseUrl              absolute; a same-origin proxy such as `${origin}/api/truto` needs no token
 * @property {string} [token]              held by the client object only
 * @property {string} [integratedAccountId]
 * @property {boolean} [proxied]           a proxy adds the token
 * @property {false | import("crm-engagements").RateLimitOptions} [rateLimit]  the plan's limits (default: Truto's documented)
 */

/** @type {import("./source.js").Capabilities} */
const CAPABILITIES = {
  filters: { type: true, dateRange: true, account: true, owner: true, contact: true },
  types: ["call", "email", "meeting", "note", "task", "chat"],
  sorts: [
    { value: "-start_time", label: "Newest first" },
    { value: "start_time", label: "Oldest first" },
    { value: "-updated_at", label: "Recently updated" },
    { value: "-created_at", label: "Recently created" },
    { value: "subject", label: "Subject A–Z" },
  ],
  createTypes: ["call", "email", "meeting", "note", "task"],
  editorFields: ["engagement_type", "subject", "content", "owner", "account", "contact", "start_time", "end_time", "direction", "status"],
  updateFields: ["engagement_type", "subject", "content", "owner", "account", "contact", "start_time", "end_time", "direction", "status"],
  write: true,
};

/**
 * The list query for the filter bar's values. Undefined values are not sent.
 * @param {Filters} filters
 * @returns {ListQuery}
 */
export function toTrutoQuery(filters) {
  return {
    engagement_type: filters.type || undefined,
    start_time: filters.from ? startOfDay(filters.from) : undefined,
    end_time: filters.to ? startOfNextDay(filters.to) : undefined,
    account: filters.account ? { id: filters.account } : undefined,
    owner: filters.owner ? { id: filters.owner } : undefined,
    contact: filters.contact ? { id: filters.contact } : undefined,
    sort_by: filters.sort || undefined,
    limit: filters.limit,
    // The table never shows the raw CRM object: smaller pages.
    truto_ignore_remote_data: true,
  };
}

/**
 * @param {TrutoConnection} connection
 * @param {ReturnType<typeof import("../net.js").createNetworkObserver>} observer
 * @returns {Source}
 */
export function createTrutoSource(connection, observer) {
  // Throws an EngagementsError of kind `config` for a bad base URL (shown in the panel).
  const client = new TrutoClient({
    baseUrl: connection.baseUrl,
    token: connection.token || undefined,
    integratedAccountId: connection.integratedAccountId || undefined,
    fetch: observer.fetch,
    onThrottle: observer.throttle,
    rateLimit: connection.rateLimit,
    timeoutMs: 20_000,
  });
  const listUrl = new URL(LIST_PATH.slice(1), connection.baseUrl.endsWith("/") ? connection.baseUrl : `${connection.baseUrl}/`);

  /** The `next_cursor` of a list request (null: first page); undefined for other requests. */
  const cursorOf = (/** @type {import("../net.js").NetEvent} */ event) => {
    if (event.type === "throttle" || event.method !== "GET") return undefined;
    const url = new URL(event.url);
    if (url.origin !== listUrl.origin || url.pathname.replace(/\/$/, "") !== listUrl.pathname) return undefined;
    return url.searchParams.get("next_cursor");
  };

  const account = connection.integratedAccountId ? ` · account ${connection.integratedAccountId}` : "";
  return {
    id: "truto",
    label: "Truto",
    description: `Truto${connection.proxied ? " via the Worker proxy" : ""}${account}`,
    capabilities: CAPABILITIES,

    async listPage(filters, cursor, options = {}) {
      const page = await client.list({ ...toTrutoQuery(filters), next_cursor: cursor ?? undefined }, { signal: options.signal });
      const items = Array.isArray(page.result) ? page.result : Object.values(page.result);
      const nextCursor = page.next_cursor ?? null;
      return { items, nextCursor, hasMore: nextCursor !== null };
    },

    listAll(filters, cursor, options) {
      const iterable = client.listAll({ ...toTrutoQuery(filters), next_cursor: cursor ?? undefined }, { signal: options.signal });
      return trackListAll(observer, cursorOf, iterable, options.onPage);
    },

    create(input, options = {}) {
      return client.create(input, null, { signal: options.signal });
    },

    update(id, patch, _original, options = {}) {
      return client.update(id, patch, null, { signal: options.signal });
    },

    async remove(id, options = {}) {
      await client.delete(id, null, { signal: options.signal });
    },

    formFieldOf(errorField) {
      return bodyField(errorField);
    },
  };
}
