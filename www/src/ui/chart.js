// Engagements per day, stacked by type: a hand-drawn SVG bar chart of what is loaded.
import { formatDate, formatDay, localDay, parseDate, plural, typeMeta } from "../format.js";
import { h, s } from "./dom.js";

const HEIGHT = 190;
const MARGIN = { top: 12, right: 12, bottom: 26, left: 34 };
const DAY_MS = 86_400_000;

/**
 * @typedef {import("crm-engagements").Engagement} Engagement
 * @typedef {{ day: string, date: Date, total: number, byType: Map<string, number> }} Bucket
 */

/** Longer spans than this are drawn per week, so bars stay readable. */
const MAX_DAYS = 180;

/** Monday of the week of `date` (local), at noon. */
function weekStart(/** @type {Date} */ date) {
  const d = new Date(date.getFullYear(), date.getMonth(), date.getDate(), 12);
  d.setDate(d.getDate() - ((d.getDay() + 6) % 7));
  return d;
}

/**
 * Counts engagements per local day (per week over long spans) and type, by start time.
 * Engagements without a start time are counted apart.
 * @param {Engagement[]} rows
 */
export function bucketByDay(rows) {
  /** @type {{ date: Date, type: string }[]} */
  const dated = [];
  /** @type {Map<string, number>} */
  const totals = new Map();
  let undated = 0;
  for (const e of rows) {
    const date = parseDate(e.start_time);
    if (!date) {
      undated += 1;
      continue;
    }
    const type = e.engagement_type || "other";
    dated.push({ date, type });
    totals.set(type, (totals.get(type) ?? 0) + 1);
  }
  /** @type {Bucket[]} */
  const buckets = [];
  let unit = /** @type {"day" | "week"} */ ("day");
  if (dated.length) {
    const times = dated.map((d) => d.date.getTime());
    const span = (Math.max(...times) - Math.min(...times)) / DAY_MS;
    unit = span > MAX_DAYS ? "week" : "day";
    const keyOf = (/** @type {Date} */ date) => localDay(unit === "week" ? weekStart(date) : date);
    /** @type {Map<string, Map<string, number>>} */
    const counts = new Map();
    for (const { date, type } of dated) {
      const key = keyOf(date);
      const byType = counts.get(key) ?? new Map();
      byType.set(type, (byType.get(type) ?? 0) + 1);
      counts.set(key, byType);
    }
    const keys = [...counts.keys()].sort();
    const step = unit === "week" ? 7 : 1;
    const last = new Date(`${keys[keys.length - 1]}T12:00:00`);
    for (let date = new Date(`${keys[0]}T12:00:00`); date <= last; date = new Date(date.getFullYear(), date.getMonth(), date.getDate() + step, 12)) {
      const day = localDay(date);
      const byType = counts.get(day) ?? new Map();
      buckets.push({ day, date, byType, total: [...byType.values()].reduce((a, b) => a + b, 0) });
    }
  }
  const types = [...totals.entries()].sort((a, b) => b[1] - a[1]).map(([type]) => type);
  return { buckets, types, totals, undated, unit };
}

/** A round axis maximum and step (1, 2, 5 x 10^n). */
function niceScale(/** @type {number} */ max) {
  const target = Math.max(1, max);
  for (const base of [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000]) {
    if (target / base <= 4) return { max: Math.ceil(target / base) * base, step: base };
  }
  const step = 10 ** Math.ceil(Math.log10(target / 4));
  return { max: Math.ceil(target / step) * step, step };
}

/**
 * Draws the chart and its legend.
 * @param {{ chart: HTMLElement, legend: HTMLElement, caption: HTMLElement, title: HTMLElement }} els
 * @param {Engagement[]} rows
 * @param {{ complete: boolean, emptyText?: string }} info
 */
export function renderChart(els, rows, info) {
  const { buckets, types, totals, undated, unit } = bucketByDay(rows);
  els.title.textContent = `Activity per ${unit}, by type`;
  els.legend.replaceChildren(
    ...types.map((type) => {
      const meta = typeMeta(type);
      return h("li", {}, h("span", { class: "swatch", style: `background:${meta.color}` }), `${meta.label} `, h("strong", { text: (totals.get(type) ?? 0).toLocaleString() }));
    }),
  );
  if (!buckets.length) {
    els.caption.textContent = rows.length ? "None of the loaded engagements has a start time" : info.emptyText ?? "Nothing loaded yet";
    els.chart.replaceChildren(h("div", { class: "chart-empty", text: "The chart fills in as engagements load." }));
    return;
  }
  const first = buckets[0].date;
  const lastBucket = buckets[buckets.length - 1].date;
  const last = unit === "week" ? new Date(lastBucket.getFullYear(), lastBucket.getMonth(), lastBucket.getDate() + 6) : lastBucket;
  const busiest = buckets.reduce((a, b) => (b.total > a.total ? b : a));
  els.caption.textContent = `${plural(rows.length, "engagement")} ${info.complete ? "(all of them)" : "loaded so far"}, ${formatDate(first)} – ${formatDate(last)}${undated ? ` · ${undated} without a start time` : ""}`;

  const width = Math.max(300, Math.floor(els.chart.clientWidth || 900));
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const scale = niceScale(busiest.total);
  const band = plotW / buckets.length;
  const barW = Math.max(1, Math.min(28, band * 0.72));
  const y = (/** @type {number} */ v) => MARGIN.top + plotH - (v / scale.max) * plotH;

  const grid = [];
  for (let v = 0; v <= scale.max; v += scale.step) {
    grid.push(
      s("line", { class: v === 0 ? "axis" : "gridline", x1: MARGIN.left, x2: width - MARGIN.right, y1: y(v), y2: y(v) }),
      s("text", { class: "tick", x: MARGIN.left - 6, y: y(v) + 4, "text-anchor": "end" }, String(v)),
    );
  }

  // X labels: month starts on long ranges, else every k-th day, never closer than ~64 px.
  const every = Math.max(1, Math.ceil(64 / band));
  /** @type {SVGElement[]} */
  const labels = [];
  let lastLabelX = -Infinity;
  buckets.forEach((b, i) => {
    const x = MARGIN.left + band * i + band / 2;
    const monthStart = unit === "week" ? b.date.getDate() <= 7 : b.date.getDate() === 1;
    const wanted = buckets.length > 45 ? monthStart || i === 0 : i % every === 0;
    if (!wanted || x - lastLabelX < 64) return;
    lastLabelX = x;
    const text = buckets.length > 45 ? b.date.toLocaleDateString(undefined, { month: "short", year: i === 0 || b.date.getMonth() === 0 ? "numeric" : undefined }) : formatDay(b.date);
    labels.push(s("text", { class: "tick", x, y: HEIGHT - 8, "text-anchor": i === 0 ? "start" : "middle" }, text));
  });

  const bars = buckets.map((b, i) => {
    const x = MARGIN.left + band * i + (band - barW) / 2;
    let acc = 0;
    const rects = types
      .filter((type) => b.byType.get(type))
      .map((type) => {
        const n = b.byType.get(type) ?? 0;
        const top = y(acc + n);
        const rect = s("rect", { x, y: top, width: barW, height: Math.max(0.5, y(acc) - top), fill: typeMeta(type).color });
        acc += n;
        return rect;
      });
    const detail = types
      .filter((type) => b.byType.get(type))
      .map((type) => `${b.byType.get(type)} ${typeMeta(type).label.toLowerCase()}`)
      .join(", ");
    return s(
      "g",
      { class: "bar" },
      s("title", {}, `${unit === "week" ? "Week of " : ""}${formatDate(b.date)}: ${b.total ? detail : "none"}`),
      // A full-height hit area so thin bars are easy to hover.
      s("rect", { class: "hit", x: MARGIN.left + band * i, y: MARGIN.top, width: band, height: plotH }),
      ...rects,
    );
  });

  const summary = `Bar chart of ${plural(rows.length - undated, "engagement")} per ${unit} from ${formatDate(first)} to ${formatDate(last)}, stacked by type. Busiest ${unit}: ${unit === "week" ? "week of " : ""}${formatDate(busiest.date)} with ${busiest.total}.`;
  const svg = s(
    "svg",
    { class: "chart-svg", width, height: HEIGHT, viewBox: `0 0 ${width} ${HEIGHT}`, role: "img", "aria-label": summary },
    ...grid,
    ...bars,
    ...labels,
  );
  els.chart.replaceChildren(svg);
}
