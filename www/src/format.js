// Labels, colours, icons and date formats shared by the table, chart and editor.

/** 24x24 stroke icons (drawn for this app), by engagement type. */
const ICON_PATHS = /** @type {Record<string, string>} */ ({
  call: "M6.6 3.5h2.9l1.6 4.2-2.2 1.5a11.5 11.5 0 0 0 5.9 5.9l1.5-2.2 4.2 1.6v2.9a2 2 0 0 1-2.1 2A16.6 16.6 0 0 1 4.6 5.6a2 2 0 0 1 2-2.1z",
  email: "M4 5.5h16a1.5 1.5 0 0 1 1.5 1.5v10a1.5 1.5 0 0 1-1.5 1.5H4A1.5 1.5 0 0 1 2.5 17V7A1.5 1.5 0 0 1 4 5.5zM3 7l9 6.2L21 7",
  meeting: "M5 5h14a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V7a2 2 0 0 1 2-2zM3 10h18M8 3v4M16 3v4M7.5 14h3M7.5 17.5h6",
  note: "M14.5 3H6.5a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h11a2 2 0 0 0 2-2V8zM14.5 3v5h5M8 13h8M8 16.5h5.5",
  task: "M5 3.5h14a1.5 1.5 0 0 1 1.5 1.5v14a1.5 1.5 0 0 1-1.5 1.5H5A1.5 1.5 0 0 1 3.5 19V5A1.5 1.5 0 0 1 5 3.5zM8 12.2l2.8 2.8L16.5 9",
  chat: "M20.5 11.5a8 8 0 0 1-11.7 7.1L3.5 20l1.4-4.9A8 8 0 1 1 20.5 11.5zM8.5 11.5h.01M12 11.5h.01M15.5 11.5h.01",
  linked_in: "M4 4h16v16H4zM8 10v6M8 7.5v.01M12 16v-6M12 12.5a2.5 2.5 0 0 1 5 0V16",
  other: "M12 3.5a8.5 8.5 0 1 0 0 17 8.5 8.5 0 0 0 0-17zM12 8v4.5l3 1.8",
});

/** Engagement types: label and chart colour (colour-blind friendly, distinct in greyscale). */
const TYPES = /** @type {Record<string, { label: string, color: string }>} */ ({
  call: { label: "Call", color: "#2563eb" },
  email: { label: "Email", color: "#7c3aed" },
  meeting: { label: "Meeting", color: "#0d9488" },
  note: { label: "Note", color: "#d97706" },
  task: { label: "Task", color: "#db2777" },
  chat: { label: "Chat", color: "#0891b2" },
  linked_in: { label: "LinkedIn", color: "#1d4ed8" },
  offline: { label: "Offline", color: "#4d7c0f" },
  survey: { label: "Survey", color: "#9333ea" },
  custom: { label: "Custom", color: "#b45309" },
  default: { label: "Other", color: "#64748b" },
});

/** @param {string | null | undefined} type */
export function typeMeta(type) {
  const key = type ?? "";
  const known = TYPES[key];
  return {
    key: known ? key : "other",
    label: known?.label ?? (key ? key.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase()) : "Unknown"),
    color: known?.color ?? "#64748b",
    icon: ICON_PATHS[key] ?? ICON_PATHS.other,
  };
}

export const STATUS_LABELS = /** @type {Record<string, string>} */ ({
  inbox: "Inbox",
  draft: "Draft",
  scheduled: "Scheduled",
  outbox: "Outbox",
  sent: "Sent",
});

export const DIRECTION_LABELS = /** @type {Record<string, string>} */ ({
  inbound: "Inbound",
  outbound: "Outbound",
  missed: "Missed",
});

const dateFormat = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric", year: "numeric" });
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
const dayFormat = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric" });

/** `Apr 24, 2024` */
export function formatDate(/** @type {Date} */ d) {
  return dateFormat.format(d);
}

/** `08:53` */
export function formatTime(/** @type {Date} */ d) {
  return timeFormat.format(d);
}

/** `Apr 24` */
export function formatDay(/** @type {Date} */ d) {
  return dayFormat.format(d);
}

/** A valid Date, or null. */
export function parseDate(/** @type {string | null | undefined} */ text) {
  if (!text) return null;
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** `YYYY-MM-DD` of a date in local time (chart buckets, date inputs). */
export function localDay(/** @type {Date} */ d) {
  const pad = (/** @type {number} */ n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** `YYYY-MM-DDTHH:MM` in local time, for `<input type="datetime-local">`. */
export function toLocalInput(/** @type {string | null | undefined} */ iso) {
  const d = parseDate(iso);
  if (!d) return "";
  const pad = (/** @type {number} */ n) => String(n).padStart(2, "0");
  return `${localDay(d)}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A `datetime-local` value as RFC 3339 (UTC); "" stays "". */
export function fromLocalInput(/** @type {string} */ value) {
  if (!value) return "";
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : d.toISOString();
}

/** "12 min", "1 h 05 min" from seconds (Truto sends a string). */
export function formatDuration(/** @type {string | number | null | undefined} */ seconds) {
  const s = Number(seconds);
  if (!Number.isFinite(s) || s <= 0) return "";
  const minutes = Math.round(s / 60);
  if (minutes < 60) return `${Math.max(1, minutes)} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}

/** "1 engagement", "2 engagements" */
export function plural(/** @type {number} */ n, /** @type {string} */ word) {
  return `${n.toLocaleString()} ${word}${n === 1 ? "" : "s"}`;
}
