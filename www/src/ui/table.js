// The engagements table: one row per engagement; on narrow screens CSS turns rows into cards.
import { DIRECTION_LABELS, STATUS_LABELS, formatDate, formatDuration, formatTime, parseDate, typeMeta } from "../format.js";
import { h, icon } from "./dom.js";

const EDIT_ICON = "M4 20h4L19 9l-4-4L4 16zM13.5 6.5l4 4";
const DELETE_ICON = "M4 7h16M9 7V4.5h6V7M6.5 7l1 13h9l1-13M10 11v5.5M14 11v5.5";
const DIRECTION_ICONS = /** @type {Record<string, string>} */ ({
  inbound: "M17 7 7 17M7 9v8h8",
  outbound: "M7 17 17 7M9 7h8v8",
  missed: "M6 6l12 12M18 6 6 18",
});

/**
 * @typedef {import("crm-engagements").Engagement} Engagement
 * @typedef {{ onEdit: (e: Engagement) => void, onDelete: (e: Engagement) => void, canWrite: boolean }} RowHandlers
 */

/**
 * @param {HTMLTableSectionElement} tbody
 * @param {Engagement[]} rows
 * @param {import("../directory.js").Directory} directory
 * @param {RowHandlers} handlers
 */
export function renderRows(tbody, rows, directory, handlers) {
  const fragment = document.createDocumentFragment();
  for (const e of rows) fragment.append(rowFor(e, directory, handlers));
  tbody.replaceChildren(fragment);
}

/**
 * @param {Engagement} e
 * @param {import("../directory.js").Directory} directory
 * @param {RowHandlers} handlers
 */
function rowFor(e, directory, handlers) {
  const type = typeMeta(e.engagement_type);
  const subject = e.subject?.trim() || "(no subject)";
  const contacts = (e.contact ?? []).map((c) => directory.name("contact", c.id));
  const start = parseDate(e.start_time);
  const end = parseDate(e.end_time);
  const duration = formatDuration(e.duration);
  const sameDay = start && end && start.toDateString() === end.toDateString();
  const distinctEnd = start && end && end.getTime() !== start.getTime() ? end : null;

  return h(
    "tr",
    { "data-id": e.id },
    h(
      "td",
      { "data-label": "Type" },
      h("span", { class: `type type-${type.key}`, style: `--type:${type.color}` }, icon(type.icon), h("span", { text: type.label })),
    ),
    h(
      "td",
      { class: "cell-subject", "data-label": "Subject" },
      h("span", { class: "subject", text: subject }),
      e.content ? h("span", { class: "snippet", text: e.content }) : null,
    ),
    h("td", { "data-label": "Owner" }, person(directory.name("owner", e.owner?.id))),
    h("td", { "data-label": "Account" }, e.account?.id ? h("span", { text: directory.name("account", e.account.id), title: e.account.id }) : dash()),
    h(
      "td",
      { "data-label": "Contacts" },
      contacts.length
        ? h("span", { title: contacts.join(", ") }, contacts[0], contacts.length > 1 ? h("span", { class: "more", text: ` +${contacts.length - 1}` }) : null)
        : dash(),
    ),
    h(
      "td",
      { class: "cell-when", "data-label": "When", title: duration ? `Duration ${duration}` : undefined },
      start
        ? h(
            "div",
            {},
            h("time", { datetime: e.start_time, text: formatDate(start) }),
            h(
              "span",
              { class: "muted small" },
              formatTime(start),
              // The end time, or the duration when there is no distinct end.
              distinctEnd ? ` – ${sameDay ? formatTime(distinctEnd) : `${formatDate(distinctEnd)} ${formatTime(distinctEnd)}`}` : duration ? ` · ${duration}` : "",
            ),
          )
        : dash(),
    ),
    h(
      "td",
      { "data-label": "Direction" },
      e.direction ? h("span", { class: `direction direction-${e.direction}` }, icon(DIRECTION_ICONS[e.direction] ?? ""), DIRECTION_LABELS[e.direction] ?? e.direction) : dash(),
    ),
    h("td", { "data-label": "Status" }, e.status ? h("span", { class: `badge status-${e.status}`, text: STATUS_LABELS[e.status] ?? e.status }) : dash()),
    h(
      "td",
      { class: "cell-actions" },
      handlers.canWrite
        ? [
            h("button", { type: "button", class: "icon-btn", "aria-label": `Edit “${subject}”`, title: "Edit", onclick: () => handlers.onEdit(e) }, icon(EDIT_ICON)),
            h("button", { type: "button", class: "icon-btn danger", "aria-label": `Delete “${subject}”`, title: "Delete", onclick: () => handlers.onDelete(e) }, icon(DELETE_ICON)),
          ]
        : null,
    ),
  );
}

function dash() {
  return h("span", { class: "none", "aria-label": "none", text: "—" });
}

/** An avatar with initials, and the name. */
function person(/** @type {string} */ name) {
  if (!name) return dash();
  const initials = /^[a-z]+_\d+$/i.test(name)
    ? name.slice(0, 2).toUpperCase()
    : name
        .split(/\s+/)
        .slice(0, 2)
        .map((w) => w[0])
        .join("")
        .toUpperCase();
  return h("span", { class: "person" }, h("span", { class: "avatar", "aria-hidden": "true", text: initials }), h("span", { text: name }));
}

/** Placeholder rows while the first page loads. */
export function skeletonRows(/** @type {HTMLTableSectionElement} */ tbody, count = 8) {
  const rows = [];
  for (let i = 0; i < count; i += 1) {
    rows.push(h("tr", { class: "skeleton", "aria-hidden": "true" }, ...Array.from({ length: 9 }, () => h("td", {}, h("span", { class: "bone" })))));
  }
  tbody.replaceChildren(...rows);
}
