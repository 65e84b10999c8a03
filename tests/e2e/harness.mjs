// Shared helpers for the dashboard's end-to-end tests (see ./run.mjs).
//
// Each test gets a fresh browser context on the dashboard, a freshly reset mock, and
// helpers that wait on elements and on requests, never on the clock.
import assert from "node:assert/strict";

export { assert };

export const ACCOUNT = "demo-account";
export const LIST_PATH = "/unified/crm/engagements";

/**
 * @typedef {object} TestContext
 * @property {import("playwright-core").Page} page
 * @property {any} mock                 the mock's in-process controller (tests/mock/server.mjs)
 * @property {string} url               the dashboard (direct mode)
 * @property {() => Promise<{ url: string, close: () => Promise<void> }>} worker  the Worker, started once
 * @property {boolean} hasDevRev        whether the package exports DevRevClient
 * @property {(name?: string) => Promise<string>} shot  saves a screenshot, returns its path
 * @property {(status: number) => void} allowHttpError  a console "Failed to load resource" for this status is expected
 * @property {(reason: string) => void} skip  marks the test skipped (return right after)
 */

/**
 * Records every text the rate-limit banner shows while visible (window.__bannerLog), so
 * a short wait cannot be missed between two polls. Call before page.goto.
 */
export async function recordBanner(page) {
  await page.addInitScript(() => {
    window.__bannerLog = [];
    const record = () => {
      const banner = document.getElementById("rate-banner");
      const text = banner && !banner.hidden ? banner.textContent.replace(/\s+/g, " ").trim() : null;
      if (text && window.__bannerLog.at(-1) !== text) window.__bannerLog.push(text);
    };
    new MutationObserver(record).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
  });
  return () => page.evaluate(() => window.__bannerLog);
}

/** Waits until the table shows at least `count` rows (or exactly, with `exact`). */
export async function waitForRows(page, count, { exact = false, timeout = 15_000 } = {}) {
  await page.waitForFunction(
    ([n, exactly]) => {
      const rows = document.querySelectorAll("#rows tr[data-id]").length;
      return exactly ? rows === n : rows >= n;
    },
    [count, exact],
    { timeout },
  );
  return rowCount(page);
}

export function rowCount(page) {
  return page.locator("#rows tr[data-id]").count();
}

/** The ids of the rows shown, in order. */
export function rowIds(page) {
  return page.$$eval("#rows tr[data-id]", (rows) => rows.map((r) => r.getAttribute("data-id")));
}

/** Opens the dashboard and waits for the first page. */
export async function openDashboard(t, url = t.url) {
  await t.page.goto(url, { waitUntil: "load" });
  await waitForRows(t.page, 1);
}

/** The mock's recorded list requests (GET /unified/crm/engagements), oldest first. */
export function listRequests(mock) {
  return mock.requests.filter((r) => r.method === "GET" && r.path.replace(/\/$/, "") === LIST_PATH);
}

/** The query of a recorded request, with bracket keys as written (`account[id]`). */
export function queryOf(record) {
  return new URLSearchParams(record.query);
}

/** Waits for the mock to record a request matching `predicate` (after the `since` seq). */
export async function waitForMockRequest(mock, predicate, { since = 0, timeout = 15_000 } = {}) {
  await mock.waitFor((reqs) => reqs.some((r) => r.seq > since && predicate(r) && r.status !== null), timeout);
  return mock.requests.filter((r) => r.seq > since && predicate(r)).at(-1);
}

/** The seq of the last recorded request (to wait for what comes after). */
export function lastSeq(mock) {
  return mock.requests.at(-1)?.seq ?? 0;
}

/** Runs `action` and resolves with the page's next list response (and its JSON). */
export async function withListResponse(page, action) {
  const [response] = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname.endsWith(LIST_PATH) && r.request().method() === "GET" && r.status() === 200),
    action(),
  ]);
  return { response, body: await response.json() };
}

/** The visible text of an element, whitespace collapsed. */
export async function text(page, selector) {
  return (await page.locator(selector).innerText()).replace(/\s+/g, " ").trim();
}

/** Waits until `selector`'s text matches `pattern`. */
export async function waitForText(page, selector, pattern, timeout = 15_000) {
  await page.waitForFunction(
    ([sel, source, flags]) => {
      const el = document.querySelector(sel);
      return Boolean(el && !el.closest("[hidden]") && new RegExp(source, flags).test(el.textContent.replace(/\s+/g, " ")));
    },
    [selector, pattern.source, pattern.flags],
    { timeout },
  );
  return text(page, selector);
}
