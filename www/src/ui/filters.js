// The filters form (type, date range, account, owner, contact, sort) and the page size in
// the results header: what the source can filter by, the values to list with, the
// validation messages the client gives for them, and the account / owner / contact
// options the directory knows.
import { typeMeta } from "../format.js";
import { byId, setOptions } from "./dom.js";

/**
 * @typedef {import("../sources/source.js").Filters} Filters
 * @typedef {import("../sources/source.js").Source} Source
 */

/**
 * Binds the filters form; any change (or Reset) calls `onChange`.
 * @param {object} deps
 * @param {import("../directory.js").Directory} deps.directory
 * @param {() => void} deps.onChange  lists again with the new filters
 */
export function createFilters({ directory, onChange }) {
  const form = /** @type {HTMLFormElement} */ (byId("filters"));
  const type = /** @type {HTMLSelectElement} */ (byId("f-type"));
  const from = /** @type {HTMLInputElement} */ (byId("f-from"));
  const to = /** @type {HTMLInputElement} */ (byId("f-to"));
  const account = /** @type {HTMLSelectElement} */ (byId("f-account"));
  const owner = /** @type {HTMLSelectElement} */ (byId("f-owner"));
  const contact = /** @type {HTMLSelectElement} */ (byId("f-contact"));
  const sort = /** @type {HTMLSelectElement} */ (byId("f-sort"));
  const limit = /** @type {HTMLSelectElement} */ (byId("f-limit"));
  const note = byId("filters-note");
  const FILTER_ERROR = /** @type {Record<string, HTMLInputElement>} */ ({ "query.start_time": from, "query.end_time": to });
  let optionCounts = "";

  /**
   * The filters as the form shows them (disabled date inputs count as empty).
   * @returns {Filters}
   */
  function read() {
    return {
      type: type.value,
      from: from.disabled ? "" : from.value,
      to: to.disabled ? "" : to.value,
      account: account.value,
      owner: owner.value,
      contact: contact.value,
      sort: sort.value,
      limit: Number(limit.value) || 50,
    };
  }

  /**
   * Shows the filters the source supports, with its types and sorts.
   * @param {Source} src
   * @returns {Filters} the filters to list with from now on
   */
  function applyCapabilities(src) {
    const caps = src.capabilities;
    setOptions(type, [{ value: "", label: "All types" }, ...caps.types.map((t) => ({ value: t, label: typeMeta(t).label }))], "");
    setOptions(sort, caps.sorts, caps.sorts[0]?.value);
    for (const field of form.querySelectorAll("[data-filter]")) {
      const key = /** @type {keyof typeof caps.filters} */ (/** @type {HTMLElement} */ (field).dataset.filter);
      for (const input of field.querySelectorAll("input")) /** @type {HTMLInputElement} */ (input).disabled = !caps.filters[key];
    }
    const unsupported = Object.entries(caps.filters)
      .filter(([, ok]) => !ok)
      .map(([k]) => (k === "dateRange" ? "date range" : k));
    note.hidden = unsupported.length === 0;
    note.textContent = unsupported.length ? `${src.label} cannot filter by ${unsupported.join(", ")}.` : "";
    if (!caps.filters.dateRange) from.value = to.value = "";
    const filters = read();
    refreshOptions(true);
    return filters;
  }

  /**
   * Shows a validation message under the filter it names; false when none matches.
   * @param {string} field  the client's field path, e.g. `query.start_time`
   * @param {string} message
   */
  function showError(field, message) {
    const input = FILTER_ERROR[field];
    if (!input) return false;
    const p = byId(`${input.id}-error`);
    p.textContent = message;
    p.hidden = false;
    input.setAttribute("aria-invalid", "true");
    input.closest(".field")?.classList.add("invalid");
    return true;
  }

  /** Removes every validation message. */
  function clearErrors() {
    for (const input of Object.values(FILTER_ERROR)) {
      const p = byId(`${input.id}-error`);
      p.hidden = true;
      p.textContent = "";
      input.removeAttribute("aria-invalid");
      input.closest(".field")?.classList.remove("invalid");
    }
  }

  /**
   * Account, owner and contact options: known names plus ids seen in the data.
   * @param {boolean} [force]  rebuild even when the directory holds as many of each as before
   */
  function refreshOptions(force = false) {
    const sets = /** @type {const} */ ([
      ["account", account, "All accounts"],
      ["owner", owner, "All owners"],
      ["contact", contact, "All contacts"],
    ]);
    const signature = sets.map(([kind]) => directory.options(kind).length).join("/");
    if (!force && signature === optionCounts) return;
    optionCounts = signature;
    for (const [kind, select, all] of sets) {
      setOptions(select, [{ value: "", label: all }, ...directory.options(kind).map((o) => ({ value: o.id, label: o.label }))]);
    }
  }

  /** Empties every filter, puts the sort back to the source's first, and lists again. */
  function clear() {
    type.value = from.value = to.value = account.value = owner.value = contact.value = "";
    sort.selectedIndex = 0;
    onChange();
  }

  form.addEventListener("change", () => onChange());
  limit.addEventListener("change", () => onChange()); // lives in the results header
  form.addEventListener("submit", (event) => event.preventDefault());
  form.addEventListener("reset", (event) => {
    event.preventDefault();
    clear();
  });

  return {
    read,
    applyCapabilities,
    showError,
    clearErrors,
    refreshOptions,
    clear,
    /** Moves focus to the first filter (the `/` shortcut). */
    focus: () => type.focus(),
  };
}
