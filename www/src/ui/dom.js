// Tiny DOM helpers. Text always goes in through textContent: nothing from the API is
// ever parsed as HTML.

/** @typedef {Node | string | number | null | undefined | false} Child */

/**
 * Creates an HTML element.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, unknown>} [props]  `class`, `text`, `on<event>`, attributes
 * @param {...(Child | Child[])} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  applyProps(el, props);
  append(el, children);
  return el;
}

const SVG_NS = "http://www.w3.org/2000/svg";

/**
 * Creates an SVG element.
 * @param {string} tag
 * @param {Record<string, unknown>} [props]
 * @param {...(Child | Child[])} children
 * @returns {SVGElement}
 */
export function s(tag, props = {}, ...children) {
  const el = /** @type {SVGElement} */ (document.createElementNS(SVG_NS, tag));
  applyProps(el, props);
  append(el, children);
  return el;
}

/** A 24x24 stroke icon from a path. */
export function icon(/** @type {string} */ path, /** @type {string} */ className = "icon") {
  return s("svg", { class: className, viewBox: "0 0 24 24", "aria-hidden": "true", focusable: "false" }, s("path", { d: path }));
}

/**
 * @param {Element} el
 * @param {Record<string, unknown>} props
 */
function applyProps(el, props) {
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "text") el.textContent = String(value);
    else if (key === "class") el.setAttribute("class", String(value));
    else if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), /** @type {EventListener} */ (value));
    else if (value === true) el.setAttribute(key, "");
    else el.setAttribute(key, String(value));
  }
}

/**
 * Replaces an element's children (null, undefined and false are skipped, unlike
 * `replaceChildren`, which would print "null").
 * @param {Element} el
 * @param {...(Child | Child[])} children
 */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
}

/** The body of an error alert: title, the API's message, then status / code / request id. */
export function errorBlock(/** @type {import("../errors.js").ErrorView} */ view) {
  return [
    h("strong", { text: view.title }),
    h("p", { text: view.message }),
    view.meta.length ? h("p", { class: "meta", text: view.meta.join(" · ") }) : null,
  ];
}

/**
 * @param {Element} el
 * @param {(Child | Child[])[]} children
 */
function append(el, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(typeof child === "number" ? String(child) : child);
  }
}

/**
 * An element by id, typed by the caller.
 * @template {HTMLElement} T
 * @param {string} id
 * @returns {T}
 */
export function byId(id) {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} is missing from index.html`);
  return /** @type {T} */ (el);
}

/** Replaces the options of a select, keeping the current value when it still exists. */
export function setOptions(
  /** @type {HTMLSelectElement} */ select,
  /** @type {{ value: string, label: string }[]} */ options,
  /** @type {string | undefined} */ keep = select.value,
) {
  const current = keep ?? "";
  select.replaceChildren(...options.map((o) => h("option", { value: o.value, text: o.label })));
  if (options.some((o) => o.value === current)) select.value = current;
}
