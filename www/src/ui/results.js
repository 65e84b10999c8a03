// The results card drawn from the dashboard's state: the table (or the state shown in its
// place), the count, the paging buttons, the Load all progress with Cancel, and the chart,
// which also follows the card's width. Also the header's New button and connection dot.
import { plural } from "../format.js";
import { renderChart } from "./chart.js";
import { byId, fill } from "./dom.js";
import { stateView } from "./states.js";
import { renderRows, skeletonRows } from "./table.js";

/**
 * @typedef {import("crm-engagements").Engagement} Engagement
 * @typedef {import("../state.js").DashboardState} DashboardState
 * @typedef {import("./states.js").StateActions} StateActions
 */

/**
 * Binds the results card; the paging buttons call `onLoadMore`, `onLoadAll` and `onCancel`.
 * @param {object} deps
 * @param {DashboardState} deps.state
 * @param {import("../directory.js").Directory} deps.directory
 * @param {(e: Engagement) => void} deps.onEdit
 * @param {(e: Engagement) => void} deps.onDelete
 * @param {StateActions} deps.actions  the buttons of the states shown in place of the table
 * @param {() => void} deps.onLoadMore
 * @param {() => void} deps.onLoadAll
 * @param {() => void} deps.onCancel  cancels a Load all
 */
export function createResults({ state, directory, onEdit, onDelete, actions, onLoadMore, onLoadAll, onCancel }) {
  const el = {
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
    dot: byId("connection-dot"),
    chart: { chart: byId("chart"), legend: byId("chart-legend"), caption: byId("chart-caption"), title: byId("chart-title") },
  };
  let renderQueued = false;

  /** Draws everything from the state. */
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
      renderRows(el.rows, rows, directory, { canWrite, onEdit, onDelete });
    } else {
      el.table.hidden = true;
      el.rows.replaceChildren();
      el.state.hidden = false;
      fill(el.state, stateView(state, actions));
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

  /** Renders once in the next animation frame, however often it is asked. */
  function scheduleRender() {
    if (renderQueued) return;
    renderQueued = true;
    requestAnimationFrame(() => {
      renderQueued = false;
      render();
    });
  }

  function chartEmptyText() {
    if (state.phase === "loading") return "Loading…";
    if (state.phase === "ready") return "No engagements to chart";
    return "Nothing loaded yet";
  }

  /** The Load all progress line (hidden when none runs). */
  function renderProgress() {
    const run = state.loadAll;
    el.progress.hidden = !run;
    if (run) el.progressText.textContent = `Loading all — ${plural(run.pages, "page")} · ${plural(state.rows.length, "engagement")} so far`;
  }

  /**
   * Flashes a row and focuses its first button.
   * @param {string} id
   */
  function focusRow(id) {
    const row = el.rows.querySelector(`tr[data-id="${CSS.escape(id)}"]`);
    row?.classList.add("flash");
    /** @type {HTMLElement | null} */ (row?.querySelector("button") ?? null)?.focus();
  }

  /** Redraws the chart when the card's width changes by 8 px or more. */
  function followChartWidth() {
    let lastWidth = 0;
    new ResizeObserver(([entry]) => {
      const width = Math.round(entry.contentRect.width);
      if (Math.abs(width - lastWidth) < 8) return;
      lastWidth = width;
      renderChart(el.chart, state.phase === "ready" ? state.rows : [], { complete: state.phase === "ready" && !state.hasMore, emptyText: chartEmptyText() });
    }).observe(el.chart.chart);
  }

  el.loadMore.addEventListener("click", () => onLoadMore());
  el.loadAll.addEventListener("click", () => onLoadAll());
  el.cancel.addEventListener("click", () => onCancel());

  return { render, scheduleRender, renderProgress, focusRow, followChartWidth };
}
