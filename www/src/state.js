// The dashboard's state: what is connected, the filters applied, the rows shown, where
// paging continues, and what is loading. One object, read and changed by the entry's
// modules; the page is drawn from it by ./ui/results.js.

/**
 * @typedef {import("crm-engagements").Engagement} Engagement
 * @typedef {import("./sources/source.js").Filters} Filters
 * @typedef {import("./sources/source.js").Source} Source
 * @typedef {import("./sources/index.js").Connection} Connection
 * @typedef {import("./ui/connection.js").DashboardConfig} DashboardConfig
 * @typedef {import("./errors.js").ErrorView} ErrorView
 * @typedef {"disconnected" | "loading" | "ready" | "error" | "invalid"} Phase
 * @typedef {{ pages: number, items: number, controller: AbortController }} LoadAllRun
 * @typedef {ReturnType<typeof createState>} DashboardState
 */

/** The state before anything is configured or connected. */
export function createState() {
  return {
    /** @type {DashboardConfig | null} */
    config: null,
    /** @type {Connection | null} */
    connection: null,
    /** @type {Source | null} */
    source: null,
    /** @type {Filters} */
    filters: { type: "", from: "", to: "", account: "", owner: "", contact: "", sort: "", limit: 50 },
    /** @type {Engagement[]} */
    rows: [],
    /** @type {Set<string>} */
    ids: new Set(),
    /** Where "Load more" continues (null with hasMore: from the first page). */
    /** @type {string | null} */
    cursor: null,
    hasMore: false,
    /** @type {Phase} */
    phase: "disconnected",
    /** @type {ErrorView | null} */
    error: null,
    /** @type {null | "more" | "all"} */
    busy: null,
    /** @type {AbortController | null} */
    listController: null,
    /** @type {LoadAllRun | null} */
    loadAll: null,
  };
}
