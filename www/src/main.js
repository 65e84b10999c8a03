// The engagements dashboard: state, data flow and wiring. Rendering helpers live in ./ui/,
// the provider APIs behind ./sources/ (the UI only sees unified Engagements).
import { createDirectory } from "./directory.js";
import { describeError, isAbort, validationField } from "./errors.js";
import { formatDate, parseDate, plural, typeMeta } from "./format.js";
import { createNetworkObserver } from "./net.js";
import { SOURCES, createSource } from "./sources/index.js";
import { renderChart } from "./ui/chart.js";
import { createConnectionPanel } from "./ui/connection.js";
import { byId, errorBlock, fill, h, icon, setOptions } from "./ui/dom.js";
import { createEditor } from "./ui/editor.js";
import { renderRows, skeletonRows } from "./ui/table.js";

/**
 * @typedef {import("crm-engagements").Engagement} Engagement
 * @typedef {import("./sources/source.js").Filters} Filters
 * @typedef {import("./sources/source.js").Source} Source
 * @typedef {import("./sources/index.js").Connection} Connection
 * @typedef {import("./ui/connection.js").DashboardConfig} DashboardConfig
 * @typedef {import("./errors.js").ErrorView} ErrorView
 */

const observer = createNetworkObserver();
const directory = createDirectory();

const state = {
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
  /** @type {"disconnected" | "loading" | "ready" | "error" | "invalid"} */
  phase: "disconnected",
  /** @type {ErrorView | null} */
  error: null,
  /** @type {null | "more" | "all"} */
  busy: null,
  /** @type {AbortController | null} */
  listController: null,
  /** @type {{ pages: number, items: number, controller: AbortController } | null} */
  loadAll: null,
};

// ---------------------------------------------------------------------------
// Elements
// ---------------------------------------------------------------------------

const el = {
  filters: /** @type {HTMLFormElement} */ (byId("filters")),
  type: /** @type {HTMLSelectElement} */ (byId("f-type")),
  from: /** @type {HTMLInputElement} */ (byId("f-from")),
  to: /** @type {HTMLInputElement} */ (byId("f-to")),
  account: /** @type {HTMLSelectElement} */ (byId("f-account")),
  owner: /** @type {HTMLSelectElement} */ (byId("f-owner")),
  contact: /** @type {HTMLSelectElement} */ (byId("f-contact")),
  sort: /** @type {HTMLSelectElement} */ (byId("f-sort")),
  limit: /** @type {HTMLSelectElement} */ (byId("f-limit")),
  filtersNote: byId("filters-note"),
  rows: /** @type {HTMLTableSectionElement} */ (byId("rows")),
  table: byId("table"),
  state: byId("state"),
  region: byId("table-region"),
  count: byId("results-count"),
  loadMore: /** @type {HTMLButtonElement} */ (byId("load-more")),
  loadAll: /** @type {HTMLButtonElement} */ (byId("load-all")),
  progress: byId("progress"),
  progressText: byId("progress-text"),
  cancel: /** @type {HTMLButtonElement} */ (byId("cancel-load-all")),
  notice: byId("load-notice"),
  rateBanner: byId("rate-banner"),
  rateText: byId("rate-text"),
  summary: byId("connection-summary"),
  dot: byId("connection-dot"),
  footerSource: byId("footer-source"),
  toasts: byId("toasts"),
  chart: { chart: byId("chart"), legend: byId("chart-legend"), caption: byId("chart-caption"), title: byId("chart-title") },
};

const source = () => {
  if (!state.source) throw new Error("not connected");
  return state.source;
};

const editor = createEditor({
  directory,
  source,
  track: (promise) => tracked(promise),
  onSaved(saved, mode, changed) {
    directory.learn(saved);
    if (mode === "create") {
      addRows([saved], { prepend: true });
      toast(`Created “${saved.subject ?? saved.id}”`, "success");
    } else {
      state.rows = state.rows.map((r) => (r.id === saved.id ? saved : r));
      toast(`Saved ${changed.length === 1 ? "one change" : `${changed.length} changes`} to “${saved.subject ?? saved.id}”`, "success");
    }
    if (state.phase !== "ready") state.phase = "ready";
    render();
    focusRow(saved.id);
  },
});

const connectionPanel = createConnectionPanel({
  config: () => state.config,
  onConnect: (connection) => connect(connection),
});

// ---------------------------------------------------------------------------
// Connection
// ---------------------------------------------------------------------------

/** Creates the source (throws the client's config error) and loads the first page. */
function connect(/** @type {Connection} */ connection) {
  const next = createSource(connection, observer);
  abortAll();
  state.source = next;
  state.connection = connection;
  directory.clear();
  const cfg = state.config;
  const cfgDefaults = cfg?.[connection.source];
  // The built-in mock's Truto people and companies (DevRev sends its own names).
  if (connection.source === "truto" && cfg?.directory === "demo" && cfgDefaults?.baseUrl === connection.baseUrl) directory.loadDemo();
  applyCapabilities(next);
  el.summary.textContent = next.description;
  el.footerSource.textContent = next.description;
  void reload();
}

/** Shows the filters the source supports, with its types and sorts. */
function applyCapabilities(/** @type {Source} */ src) {
  const caps = src.capabilities;
  setOptions(el.type, [{ value: "", label: "All types" }, ...caps.types.map((t) => ({ value: t, label: typeMeta(t).label }))], "");
  setOptions(el.sort, caps.sorts, caps.sorts[0]?.value);
  for (const field of el.filters.querySelectorAll("[data-filter]")) {
    const key = /** @type {keyof typeof caps.filters} */ (/** @type {HTMLElement} */ (field).dataset.filter);
    for (const input of field.querySelectorAll("input")) /** @type {HTMLInputElement} */ (input).disabled = !caps.filters[key];
  }
  const unsupported = Object.entries(caps.filters)
    .filter(([, ok]) => !ok)
    .map(([k]) => (k === "dateRange" ? "date range" : k));
  el.filtersNote.hidden = unsupported.length === 0;
  el.filtersNote.textContent = unsupported.length ? `${src.label} cannot filter by ${unsupported.join(", ")}.` : "";
  if (!caps.filters.dateRange) el.from.value = el.to.value = "";
  state.filters = readFilters();
  refreshFilterOptions(true);
}

// ---------------------------------------------------------------------------
// Loading
// ---------------------------------------------------------------------------

function readFilters() {
  return {
    type: el.type.value,
    from: el.from.disabled ? "" : el.from.value,
    to: el.to.disabled ? "" : el.to.value,
    account: el.account.value,
    owner: el.owner.value,
    contact: el.contact.value,
    sort: el.sort.value,
    limit: Number(el.limit.value) || 50,
  };
}

function abortAll() {
  state.listController?.abort();
  state.listController = null;
  state.loadAll?.controller.abort();
  state.loadAll = null;
  state.busy = null;
}

/** Appends (or prepends) engagements not already shown. */
function addRows(/** @type {Engagement[]} */ items, { prepend = false } = {}) {
  const fresh = items.filter((e) => !state.ids.has(e.id));
  for (const e of fresh) {
    state.ids.add(e.id);
    directory.learn(e);
  }
  state.rows = prepend ? [...fresh, ...state.rows] : [...state.rows, ...fresh];
  return fresh.length;
}

/** The first page for the current filters; replaces what is shown. */
async function reload() {
  if (!state.source) return;
  abortAll();
  clearFilterErrors();
  const controller = new AbortController();
  state.listController = controller;
  state.filters = readFilters();
  state.rows = [];
  state.ids = new Set();
  state.cursor = null;
  state.hasMore = false;
  state.error = null;
  state.phase = "loading";
  hideNotice();
  render();
  try {
    const page = await tracked(source().listPage(state.filters, null, { signal: controller.signal }));
    if (controller.signal.aborted) return;
    addRows(page.items);
    state.cursor = page.nextCursor;
    state.hasMore = page.hasMore;
    state.phase = "ready";
    refreshFilterOptions();
  } catch (err) {
    if (isAbort(err) || controller.signal.aborted) return;
    const field = validationField(err);
    const view = describeError(err, "load engagements");
    if (field && showFilterError(field, view.message)) {
      state.phase = "invalid";
    } else {
      state.phase = "error";
      state.error = view;
    }
  } finally {
    if (state.listController === controller) state.listController = null;
  }
  render();
}

/** The next page, after the rows shown. */
async function loadMore() {
  if (!state.source || state.busy || !state.hasMore) return;
  const controller = new AbortController();
  state.listController = controller;
  state.busy = "more";
  hideNotice();
  render();
  try {
    const page = await tracked(source().listPage(state.filters, state.cursor, { signal: controller.signal }));
    addRows(page.items);
    state.cursor = page.nextCursor;
    state.hasMore = page.hasMore;
  } catch (err) {
    if (!isAbort(err)) showNotice(describeError(err, "load more engagements"), "error");
  } finally {
    if (state.listController === controller) state.listController = null;
    if (state.busy === "more") state.busy = null;
  }
  render();
  refreshFilterOptions();
}

/** Every remaining page through the client's listAll, with progress and Cancel. */
async function loadAll() {
  if (!state.source || state.busy || !state.hasMore) return;
  const controller = new AbortController();
  const run = { pages: 0, items: 0, controller };
  state.loadAll = run;
  state.busy = "all";
  hideNotice();
  render();
  const { items, progress } = source().listAll(state.filters, state.cursor, {
    signal: controller.signal,
    onPage: (p) => {
      run.pages = p.pages;
      renderProgress();
    },
  });
  let outcome = "done";
  /** @type {unknown} */
  let failure = null;
  try {
    let pending = /** @type {Engagement[]} */ ([]);
    for await (const e of items) {
      if (controller.signal.aborted) break;
      pending.push(e);
      run.items += 1;
      if (pending.length >= 25) {
        addRows(pending);
        pending = [];
        scheduleRender();
      }
    }
    addRows(pending);
    if (controller.signal.aborted) outcome = "cancelled";
  } catch (err) {
    if (isAbort(err) || controller.signal.aborted) outcome = "cancelled";
    else {
      outcome = "failed";
      failure = err;
    }
  }
  if (state.loadAll !== run) return; // superseded by a reload
  state.loadAll = null;
  state.busy = null;
  if (pendingOps === 0) hideRateBanner();
  run.pages = Math.max(run.pages, progress.pages);
  if (outcome === "done") {
    state.hasMore = false;
    state.cursor = null;
    showNotice({ title: `All ${plural(state.rows.length, "engagement")} loaded`, message: `listAll fetched ${plural(run.pages, "more page")}.`, meta: [], kind: "done" }, "success");
  } else {
    // Continue later from the page listAll was on (rows already shown are skipped).
    state.hasMore = true;
    state.cursor = progress.started ? progress.resumeCursor : state.cursor;
    if (outcome === "cancelled") {
      showNotice({ title: "Load all cancelled", message: `Stopped after ${plural(run.pages, "more page")} (${plural(run.items, "engagement")}). “Load more” continues from there.`, meta: [], kind: "cancelled" }, "info");
    } else {
      showNotice(describeError(failure, "load every engagement"), "error");
    }
  }
  render();
  refreshFilterOptions();
}

// ---------------------------------------------------------------------------
// Delete
// ---------------------------------------------------------------------------

const confirmDialog = /** @type {HTMLDialogElement} */ (byId("confirm-dialog"));
const confirmAlert = byId("confirm-alert");
const confirmDelete = /** @type {HTMLButtonElement} */ (byId("confirm-delete"));
/** @type {{ engagement: Engagement, controller: AbortController | null } | null} */
let pendingDelete = null;

function askDelete(/** @type {Engagement} */ e) {
  pendingDelete = { engagement: e, controller: null };
  const meta = typeMeta(e.engagement_type);
  const when = parseDate(e.start_time);
  fill(byId("confirm-text"), h("strong", { text: `“${e.subject || e.id}”` }), ` — ${meta.label.toLowerCase()}${when ? ` on ${formatDate(when)}` : ""}`);
  confirmAlert.hidden = true;
  confirmDialog.showModal();
  byId("confirm-cancel").focus();
}

byId("confirm-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  if (!pendingDelete || pendingDelete.controller) return;
  const current = pendingDelete;
  const { engagement } = current;
  current.controller = new AbortController();
  confirmDelete.disabled = true;
  confirmDelete.textContent = "Deleting…";
  try {
    await tracked(source().remove(engagement.id, { signal: current.controller.signal }));
    confirmDialog.close();
    state.rows = state.rows.filter((r) => r.id !== engagement.id);
    state.ids.delete(engagement.id);
    render();
    toast(`Deleted “${engagement.subject || engagement.id}”`, "success");
    /** @type {HTMLElement} */ (document.querySelector("#rows tr button") ?? byId("new-button")).focus();
  } catch (err) {
    if (!isAbort(err)) {
      const view = describeError(err, "delete the engagement");
      fill(confirmAlert, errorBlock(view));
      confirmAlert.hidden = false;
    }
  } finally {
    current.controller = null;
    confirmDelete.disabled = false;
    confirmDelete.textContent = "Delete";
  }
});
byId("confirm-cancel").addEventListener("click", () => confirmDialog.close());
confirmDialog.addEventListener("close", () => {
  pendingDelete?.controller?.abort();
  pendingDelete = null;
});

// ---------------------------------------------------------------------------
// Rate limits and retries, seen through the client's fetch
// ---------------------------------------------------------------------------

let pendingOps = 0;
/** @type {ReturnType<typeof setInterval> | undefined} */
let countdown;

/**
 * Counts an operation in flight, so retry banners clear when nothing is pending.
 * @template T
 * @param {Promise<T>} promise
 * @returns {Promise<T>}
 */
function tracked(promise) {
  pendingOps += 1;
  return promise.finally(() => {
    pendingOps -= 1;
    if (pendingOps === 0 && !state.loadAll) hideRateBanner();
  });
}

function hideRateBanner() {
  clearInterval(countdown);
  el.rateBanner.hidden = true;
}

observer.subscribe((event) => {
  if (event.type === "request") {
    hideRateBanner(); // the retry (or a new call) is on its way
    return;
  }
  if (event.type !== "response") return;
  if (event.status === 429) {
    const until = Date.now() + (event.retryAfterMs ?? 0);
    const tick = () => {
      const left = Math.max(0, Math.ceil((until - Date.now()) / 1000));
      el.rateText.textContent =
        event.retryAfterMs === null
          ? "Rate limited by the API — retrying shortly"
          : event.retryAfterMs > 60_000
            ? `Rate limited by the API for ${Math.ceil(event.retryAfterMs / 1000)} s — too long to wait`
            : `Rate limited by the API — retrying in ${left} s`;
    };
    clearInterval(countdown);
    tick();
    countdown = setInterval(tick, 250);
    el.rateBanner.hidden = false;
  } else if ([408, 500, 502, 504].includes(event.status)) {
    clearInterval(countdown);
    el.rateText.textContent = `The API answered ${event.status}${event.requestId ? ` (request id ${event.requestId})` : ""} — the client retries when it can`;
    el.rateBanner.hidden = false;
  }
});

// ---------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------

let renderQueued = false;
function scheduleRender() {
  if (renderQueued) return;
  renderQueued = true;
  requestAnimationFrame(() => {
    renderQueued = false;
    render();
  });
}

function render() {
  const { phase, rows } = state;
  const canWrite = Boolean(state.source?.capabilities.write);
  el.region.setAttribute("aria-busy", String(phase === "loading" || state.busy !== null));
  byId("new-button").toggleAttribute("disabled", !state.source || !canWrite);
  el.dot.dataset.state = phase === "error" ? "error" : state.source ? "ok" : "off";

  // Table / states
  if (phase === "loading") {
    el.table.hidden = false;
    el.state.hidden = true;
    skeletonRows(el.rows);
  } else if (phase === "ready" && rows.length) {
    el.table.hidden = false;
    el.state.hidden = true;
    renderRows(el.rows, rows, directory, { canWrite, onEdit: (e) => editor.open(e), onDelete: askDelete });
  } else {
    el.table.hidden = true;
    el.rows.replaceChildren();
    el.state.hidden = false;
    fill(el.state, stateView());
  }

  // Counts and paging
  const total = rows.length;
  el.count.textContent =
    phase === "loading"
      ? "Loading…"
      : phase === "ready"
        ? total === 0
          ? "No engagements"
          : state.hasMore
            ? `Showing ${plural(total, "engagement")} · more available`
            : total === 1
              ? "1 engagement"
              : `All ${plural(total, "engagement")} loaded`
        : "";
  const pagingVisible = phase === "ready" && (state.hasMore || state.busy !== null);
  el.loadMore.hidden = el.loadAll.hidden = !pagingVisible;
  el.loadMore.disabled = state.busy !== null;
  el.loadAll.disabled = state.busy !== null;
  el.loadMore.textContent = state.busy === "more" ? "Loading…" : "Load more";
  el.loadMore.setAttribute("aria-busy", String(state.busy === "more"));
  renderProgress();

  renderChart(el.chart, phase === "ready" ? rows : [], { complete: phase === "ready" && !state.hasMore, emptyText: chartEmptyText() });
}

function chartEmptyText() {
  if (state.phase === "loading") return "Loading…";
  if (state.phase === "ready") return "No engagements to chart";
  return "Nothing loaded yet";
}

function renderProgress() {
  const run = state.loadAll;
  el.progress.hidden = !run;
  if (run) el.progressText.textContent = `Loading all — ${plural(run.pages, "page")} · ${plural(state.rows.length, "engagement")} so far`;
}

/** The designed empty, error, invalid and disconnected states. */
function stateView() {
  const hasFilters = Boolean(state.filters.type || state.filters.from || state.filters.to || state.filters.account || state.filters.owner || state.filters.contact);
  if (state.phase === "error" && state.error) {
    const err = state.error;
    return [
      h("div", { class: "state-icon state-icon-error" }, icon("M12 3.5 2.5 20h19zM12 10v4.5M12 17.5h.01", "icon-lg")),
      h("h3", { text: err.title }),
      h("p", { class: "state-message", text: err.message }),
      err.meta.length ? h("p", { class: "state-meta", text: err.meta.join(" · ") }) : null,
      h(
        "div",
        { class: "state-actions" },
        h("button", { type: "button", class: "btn btn-primary", onclick: () => void reload(), text: "Try again" }),
        h("button", { type: "button", class: "btn", onclick: () => connectionPanel.open(state.connection), text: "Connection settings" }),
      ),
    ];
  }
  if (state.phase === "invalid") {
    return [
      h("div", { class: "state-icon" }, icon("M4 5h16l-6 7.5V19l-4-2v-4.5z", "icon-lg")),
      h("h3", { text: "Check the highlighted filter" }),
      h("p", { class: "state-message", text: "The client refused these filters before sending anything." }),
    ];
  }
  if (state.phase === "disconnected") {
    return [
      h("div", { class: "state-icon" }, icon("M9 7V3.5M15 7V3.5M6.5 7h11v4a5.5 5.5 0 0 1-11 0zM12 16.5v4", "icon-lg")),
      h("h3", { text: "Connect to a CRM" }),
      h("p", { class: "state-message", text: "Enter the Truto API (or a proxy of it), your token and an integrated account to see its engagements." }),
      h("div", { class: "state-actions" }, h("button", { type: "button", class: "btn btn-primary", onclick: () => connectionPanel.open(state.connection), text: "Open connection settings" })),
    ];
  }
  return [
    h("div", { class: "state-icon" }, icon("M4 6.5h16M4 12h10M4 17.5h6M17 15l4 4M19.5 16.5a3 3 0 1 1-6 0 3 3 0 0 1 6 0z", "icon-lg")),
    h("h3", { text: hasFilters ? "No engagements match these filters" : "No engagements yet" }),
    h(
      "p",
      { class: "state-message", text: hasFilters ? "Try a wider date range, another type, or clear the filters." : "Log the first call, email or meeting of this account." },
    ),
    h(
      "div",
      { class: "state-actions" },
      hasFilters
        ? h("button", { type: "button", class: "btn btn-primary", onclick: () => clearFilters(), text: "Clear filters" })
        : h("button", { type: "button", class: "btn btn-primary", onclick: () => editor.open(null), text: "New engagement" }),
    ),
  ];
}

function showNotice(/** @type {ErrorView} */ view, /** @type {"error" | "info" | "success"} */ tone) {
  el.notice.className = `notice notice-${tone}`;
  fill(
    el.notice,
    h("strong", { text: view.title }),
    " ",
    h("span", { text: view.message }),
    view.meta.length ? h("span", { class: "meta", text: ` (${view.meta.join(" · ")})` }) : null,
    h("button", { type: "button", class: "link", "aria-label": "Dismiss", onclick: hideNotice, text: "Dismiss" }),
  );
  el.notice.hidden = false;
}

function hideNotice() {
  el.notice.hidden = true;
}

function toast(/** @type {string} */ message, /** @type {"success" | "info"} */ tone = "info") {
  const item = h("div", { class: `toast toast-${tone}`, text: message });
  el.toasts.append(item);
  setTimeout(() => item.remove(), 6000);
}

function focusRow(/** @type {string} */ id) {
  const row = el.rows.querySelector(`tr[data-id="${CSS.escape(id)}"]`);
  row?.classList.add("flash");
  /** @type {HTMLElement | null} */ (row?.querySelector("button") ?? null)?.focus();
}

// ---------------------------------------------------------------------------
// Filters
// ---------------------------------------------------------------------------

const FILTER_ERROR = /** @type {Record<string, HTMLInputElement>} */ ({ "query.start_time": el.from, "query.end_time": el.to });

/** Shows a validation message under the filter it names; false when none matches. */
function showFilterError(/** @type {string} */ field, /** @type {string} */ message) {
  const input = FILTER_ERROR[field];
  if (!input) return false;
  const p = byId(`${input.id}-error`);
  p.textContent = message;
  p.hidden = false;
  input.setAttribute("aria-invalid", "true");
  input.closest(".field")?.classList.add("invalid");
  return true;
}

function clearFilterErrors() {
  for (const input of Object.values(FILTER_ERROR)) {
    const p = byId(`${input.id}-error`);
    p.hidden = true;
    p.textContent = "";
    input.removeAttribute("aria-invalid");
    input.closest(".field")?.classList.remove("invalid");
  }
}

let optionCounts = "";
/** Account, owner and contact options: known names plus ids seen in the data. */
function refreshFilterOptions(force = false) {
  const sets = /** @type {const} */ ([
    ["account", el.account, "All accounts"],
    ["owner", el.owner, "All owners"],
    ["contact", el.contact, "All contacts"],
  ]);
  const signature = sets.map(([kind]) => directory.options(kind).length).join("/");
  if (!force && signature === optionCounts) return;
  optionCounts = signature;
  for (const [kind, select, all] of sets) {
    setOptions(select, [{ value: "", label: all }, ...directory.options(kind).map((o) => ({ value: o.id, label: o.label }))]);
  }
}

function clearFilters() {
  el.type.value = el.from.value = el.to.value = el.account.value = el.owner.value = el.contact.value = "";
  el.sort.selectedIndex = 0;
  void reload();
}

el.filters.addEventListener("change", () => void reload());
el.limit.addEventListener("change", () => void reload()); // lives in the results header
el.filters.addEventListener("submit", (event) => event.preventDefault());
el.filters.addEventListener("reset", (event) => {
  event.preventDefault();
  clearFilters();
});
el.loadMore.addEventListener("click", () => void loadMore());
el.loadAll.addEventListener("click", () => void loadAll());
el.cancel.addEventListener("click", () => state.loadAll?.controller.abort());
byId("new-button").addEventListener("click", () => editor.open(null));
byId("connection-button").addEventListener("click", () => connectionPanel.open(state.connection));

// Keyboard: N opens the editor, / jumps to the filters (not while typing or in a dialog).
document.addEventListener("keydown", (event) => {
  if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
  const target = /** @type {HTMLElement} */ (event.target);
  if (target.closest("input, select, textarea, [contenteditable], dialog[open]") || document.querySelector("dialog[open]")) return;
  if (event.key === "n" || event.key === "N") {
    if (state.source?.capabilities.write) {
      event.preventDefault();
      editor.open(null);
    }
  } else if (event.key === "/") {
    event.preventDefault();
    el.type.focus();
  }
});

// The chart follows the card's width.
let lastWidth = 0;
new ResizeObserver(([entry]) => {
  const width = Math.round(entry.contentRect.width);
  if (Math.abs(width - lastWidth) < 8) return;
  lastWidth = width;
  renderChart(el.chart, state.phase === "ready" ? state.rows : [], { complete: state.phase === "ready" && !state.hasMore, emptyText: chartEmptyText() });
}).observe(el.chart.chart);

// ---------------------------------------------------------------------------
// Start
// ---------------------------------------------------------------------------

/** The server's defaults (the demo's mock, or the Worker proxy); none on a plain host. */
async function loadConfig() {
  try {
    const res = await fetch("./dashboard-config.json", { headers: { accept: "application/json" }, cache: "no-store" });
    if (!res.ok) return null;
    return /** @type {DashboardConfig} */ (await res.json());
  } catch {
    return null;
  }
}

async function start() {
  document.documentElement.dataset.sources = SOURCES.map((s) => s.id).join(" ");
  state.config = await loadConfig();
  const initial = connectionPanel.initial();
  if (initial) {
    try {
      connect(initial);
      return;
    } catch (err) {
      console.warn("the configured connection is not valid", describeError(err).message);
    }
  }
  render();
  connectionPanel.open(null);
}

void start();
