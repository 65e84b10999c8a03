// The engagements dashboard's entry: creates the state and the modules that hold its
// parts, wires them together, connects, and loads. Rendering helpers live in ./ui/, the
// provider APIs behind ./sources/ (the UI only sees unified Engagements).
import { loadConfig } from "./config.js";
import { createDirectory } from "./directory.js";
import { describeError } from "./errors.js";
import { createLoader } from "./loading.js";
import { createNetworkObserver } from "./net.js";
import { SOURCES, createSource } from "./sources/index.js";
import { createState } from "./state.js";
import { createConnectionPanel } from "./ui/connection.js";
import { createDeleteDialog } from "./ui/delete-dialog.js";
import { byId } from "./ui/dom.js";
import { createEditor } from "./ui/editor.js";
import { createFilters } from "./ui/filters.js";
import { createNotices } from "./ui/notices.js";
import { createRateBanner } from "./ui/rate-banner.js";
import { createResults } from "./ui/results.js";
import { bindShortcuts } from "./ui/shortcuts.js";

/** @typedef {import("./sources/index.js").Connection} Connection */

const observer = createNetworkObserver();
const directory = createDirectory();
const state = createState();

const source = () => {
  if (!state.source) throw new Error("not connected");
  return state.source;
};

const editor = createEditor({
  directory,
  source,
  track: (promise) => rateBanner.track(promise),
  onSaved(saved, mode, changed) {
    directory.learn(saved);
    if (mode === "create") {
      loader.addRows([saved], { prepend: true });
      notices.toast(`Created “${saved.subject ?? saved.id}”`, "success");
    } else {
      state.rows = state.rows.map((r) => (r.id === saved.id ? saved : r));
      notices.toast(`Saved ${changed.length === 1 ? "one change" : `${changed.length} changes`} to “${saved.subject ?? saved.id}”`, "success");
    }
    if (state.phase !== "ready") state.phase = "ready";
    results.render();
    results.focusRow(saved.id);
  },
});

const connectionPanel = createConnectionPanel({
  config: () => state.config,
  onConnect: (connection) => connect(connection),
});

const deleteDialog = createDeleteDialog({
  source,
  track: (promise) => rateBanner.track(promise),
  onDeleted(engagement) {
    state.rows = state.rows.filter((r) => r.id !== engagement.id);
    state.ids.delete(engagement.id);
    results.render();
    notices.toast(`Deleted “${engagement.subject || engagement.id}”`, "success");
    /** @type {HTMLElement} */ (document.querySelector("#rows tr button") ?? byId("new-button")).focus();
  },
});

const rateBanner = createRateBanner({ observer, loadingAll: () => Boolean(state.loadAll) });
const notices = createNotices();
const filters = createFilters({ directory, onChange: () => void loader.reload() });
const results = createResults({
  state,
  directory,
  onEdit: (e) => editor.open(e),
  onDelete: (e) => deleteDialog.ask(e),
  actions: {
    retry: () => void loader.reload(),
    openConnection: () => connectionPanel.open(state.connection),
    clearFilters: () => filters.clear(),
    newEngagement: () => editor.open(null),
  },
  onLoadMore: () => void loader.loadMore(),
  onLoadAll: () => void loader.loadAll(),
  onCancel: () => loader.cancelLoadAll(),
});
const loader = createLoader({ state, directory, source, filters, results, notices, rateBanner });

/** Creates the source (throws the client's config error) and loads the first page. */
function connect(/** @type {Connection} */ connection) {
  const next = createSource(connection, observer);
  loader.abortAll();
  state.source = next;
  state.connection = connection;
  directory.clear();
  const cfg = state.config;
  const cfgDefaults = cfg?.[connection.source];
  // The built-in mock's Truto people and companies (DevRev sends its own names).
  if (connection.source === "truto" && cfg?.directory === "demo" && cfgDefaults?.baseUrl === connection.baseUrl) directory.loadDemo();
  state.filters = filters.applyCapabilities(next);
  byId("connection-summary").textContent = next.description;
  byId("footer-source").textContent = next.description;
  void loader.reload();
}

byId("new-button").addEventListener("click", () => editor.open(null));
byId("connection-button").addEventListener("click", () => connectionPanel.open(state.connection));
bindShortcuts({ canWrite: () => Boolean(state.source?.capabilities.write), newEngagement: () => editor.open(null), focusFilters: () => filters.focus() });
results.followChartWidth();

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
  results.render();
  connectionPanel.open(null);
}

void start();
