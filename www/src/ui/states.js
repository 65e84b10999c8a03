// The designed states shown in place of the table: the load error (with Try again), the
// filters the client refused, not connected yet, and no engagements (with or without
// filters).
import { h, icon } from "./dom.js";

/**
 * @typedef {import("../state.js").DashboardState} DashboardState
 * @typedef {object} StateActions
 * @property {() => void} retry           lists again (Try again)
 * @property {() => void} openConnection  opens the connection settings
 * @property {() => void} clearFilters
 * @property {() => void} newEngagement   opens the editor on a new engagement
 */

/**
 * The designed empty, error, invalid and disconnected states.
 * @param {DashboardState} state
 * @param {StateActions} actions
 */
export function stateView(state, actions) {
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
        h("button", { type: "button", class: "btn btn-primary", onclick: () => actions.retry(), text: "Try again" }),
        h("button", { type: "button", class: "btn", onclick: () => actions.openConnection(), text: "Connection settings" }),
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
      h("div", { class: "state-actions" }, h("button", { type: "button", class: "btn btn-primary", onclick: () => actions.openConnection(), text: "Open connection settings" })),
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
        ? h("button", { type: "button", class: "btn btn-primary", onclick: () => actions.clearFilters(), text: "Clear filters" })
        : h("button", { type: "button", class: "btn btn-primary", onclick: () => actions.newEngagement(), text: "New engagement" }),
    ),
  ];
}
