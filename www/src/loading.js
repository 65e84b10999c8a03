// Listing engagements into the dashboard's state: the first page for the filters (which
// replaces what is shown), Load more (the next page), and Load all (every remaining page
// through the client's listAll, with progress and Cancel), each aborting what it supersedes.
import { describeError, isAbort, validationField } from "./errors.js";
import { plural } from "./format.js";

/**
 * @typedef {import("crm-engagements").Engagement} Engagement
 * @typedef {import("./sources/source.js").Source} Source
 * @typedef {import("./state.js").DashboardState} DashboardState
 * @typedef {import("./errors.js").ErrorView} ErrorView
 */

/**
 * @param {object} deps
 * @param {DashboardState} deps.state
 * @param {import("./directory.js").Directory} deps.directory  learns the names in every row added
 * @param {() => Source} deps.source
 * @param {ReturnType<typeof import("./ui/filters.js").createFilters>} deps.filters
 * @param {ReturnType<typeof import("./ui/results.js").createResults>} deps.results
 * @param {ReturnType<typeof import("./ui/notices.js").createNotices>} deps.notices
 * @param {ReturnType<typeof import("./ui/rate-banner.js").createRateBanner>} deps.rateBanner
 */
export function createLoader({ state, directory, source, filters, results, notices, rateBanner }) {
  const { render, scheduleRender, renderProgress } = results;
  const tracked = rateBanner.track;

  /** Aborts the page being listed and any Load all. */
  function abortAll() {
    state.listController?.abort();
    state.listController = null;
    state.loadAll?.controller.abort();
    state.loadAll = null;
    state.busy = null;
  }

  /**
   * Appends (or prepends) engagements not already shown.
   * @param {Engagement[]} items
   * @returns {number} how many were new
   */
  function addRows(items, { prepend = false } = {}) {
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
    filters.clearErrors();
    const controller = new AbortController();
    state.listController = controller;
    state.filters = filters.read();
    state.rows = [];
    state.ids = new Set();
    state.cursor = null;
    state.hasMore = false;
    state.error = null;
    state.phase = "loading";
    notices.hide();
    render();
    try {
      const page = await tracked(source().listPage(state.filters, null, { signal: controller.signal }));
      if (controller.signal.aborted) return;
      addRows(page.items);
      state.cursor = page.nextCursor;
      state.hasMore = page.hasMore;
      state.phase = "ready";
      filters.refreshOptions();
    } catch (err) {
      if (isAbort(err) || controller.signal.aborted) return;
      const field = validationField(err);
      const view = describeError(err, "load engagements");
      if (field && filters.showError(field, view.message)) {
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
    notices.hide();
    render();
    try {
      const page = await tracked(source().listPage(state.filters, state.cursor, { signal: controller.signal }));
      addRows(page.items);
      state.cursor = page.nextCursor;
      state.hasMore = page.hasMore;
    } catch (err) {
      if (!isAbort(err)) notices.show(describeError(err, "load more engagements"), "error");
    } finally {
      if (state.listController === controller) state.listController = null;
      if (state.busy === "more") state.busy = null;
    }
    render();
    filters.refreshOptions();
  }

  /** Every remaining page through the client's listAll, with progress and Cancel. */
  async function loadAll() {
    if (!state.source || state.busy || !state.hasMore) return;
    const controller = new AbortController();
    const run = { pages: 0, items: 0, controller };
    state.loadAll = run;
    state.busy = "all";
    notices.hide();
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
    rateBanner.hideIfIdle();
    run.pages = Math.max(run.pages, progress.pages);
    if (outcome === "done") {
      state.hasMore = false;
      state.cursor = null;
      notices.show({ title: `All ${plural(state.rows.length, "engagement")} loaded`, message: `listAll fetched ${plural(run.pages, "more page")}.`, meta: [], kind: "done" }, "success");
    } else {
      // Continue later from the page listAll was on (rows already shown are skipped).
      state.hasMore = true;
      state.cursor = progress.started ? progress.resumeCursor : state.cursor;
      if (outcome === "cancelled") {
        notices.show({ title: "Load all cancelled", message: `Stopped after ${plural(run.pages, "more page")} (${plural(run.items, "engagement")}). “Load more” continues from there.`, meta: [], kind: "cancelled" }, "info");
      } else {
        notices.show(describeError(failure, "load every engagement"), "error");
      }
    }
    render();
    filters.refreshOptions();
  }

  /** Cancels a running Load all (what it loaded stays; Load more continues from there). */
  function cancelLoadAll() {
    state.loadAll?.controller.abort();
  }

  return { abortAll, addRows, reload, loadMore, loadAll, cancelLoadAll };
}
