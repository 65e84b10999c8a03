// The list: first page, filters mapped onto the list query, validation, empty state,
// cursor paging, Load all with progress, and Cancel through the AbortSignal.
import {
  ACCOUNT, LIST_PATH, assert, lastSeq, listRequests, openDashboard, queryOf, rowCount, rowIds, text, waitForMockRequest,
  waitForRows, waitForText, withListResponse,
} from "./harness.mjs";

const isList = (r) => r.method === "GET" && r.path.replace(/\/$/, "") === LIST_PATH;

/** @type {{ name: string, run: (t: import("./harness.mjs").TestContext) => Promise<void>, [k: string]: unknown }[]} */
export const tests = [
  {
    name: "loads the first page: table, chart, counts; the token stays out of storage and URLs",
    async run(t) {
      const { page, mock } = t;
      await openDashboard(t);
      assert.equal(await waitForRows(page, 50, { exact: true }), 50);
      assert.match(await text(page, "#results-count"), /Showing 50 engagements · more available/);
      assert.match(await text(page, "#connection-summary"), /Truto · account demo-account/);

      const [first] = listRequests(mock);
      const q = queryOf(first);
      assert.equal(q.get("integrated_account_id"), ACCOUNT);
      assert.equal(q.get("limit"), "50");
      assert.equal(q.get("sort_by"), "-start_time");
      assert.equal(q.get("truto_ignore_remote_data"), "true");
      assert.equal(first.headers.authorization, "Bearer test-token", "direct mode: the client sends the token it holds");

      // Rows show names, type labels and icons.
      const firstRow = page.locator("#rows tr[data-id]").first();
      assert.ok(await firstRow.locator(".type svg").count(), "a type icon");
      assert.match(await firstRow.locator(".type").innerText(), /^(Call|Email|Meeting|Note|Task)$/);
      const owners = await page.$$eval("#rows tr[data-id] td:nth-child(3)", (tds) => tds.map((td) => td.textContent.trim()));
      assert.ok(owners.every((o) => /^[A-Z]{2}[A-Z][a-zá]+ [A-Z]/.test(o)), `owner names, not ids: ${owners.slice(0, 3)}`);

      // The chart: one bar group per day, legend by type with counts adding up to 50.
      assert.ok((await page.locator("#chart svg g.bar").count()) > 5, "chart bars");
      const legend = await page.$$eval("#chart-legend li strong", (els) => els.map((e) => Number(e.textContent)));
      assert.equal(legend.reduce((a, b) => a + b, 0), 50);

      // Newest first.
      const times = await page.$$eval("#rows time", (els) => els.map((e) => e.getAttribute("datetime")));
      assert.deepEqual(times, [...times].sort().reverse());

      // The token is in memory only.
      const storage = await page.evaluate(() => ({ local: localStorage.length, session: sessionStorage.length, cookie: document.cookie, href: location.href }));
      assert.deepEqual({ local: storage.local, session: storage.session, cookie: storage.cookie }, { local: 0, session: 0, cookie: "" });
      assert.ok(!storage.href.includes("test-token"));
      await t.shot();
    },
  },
  {
    name: "filters map onto the list query (type, account, owner, dates, sort)",
    async run(t) {
      const { page, mock } = t;
      await openDashboard(t);
      let since = lastSeq(mock);
      await page.selectOption("#f-type", "call");
      let req = await waitForMockRequest(mock, isList, { since });
      assert.equal(queryOf(req).get("engagement_type"), "call");
      await waitForText(page, "#results-count", /engagement/);

      since = lastSeq(mock);
      await page.selectOption("#f-account", { label: "Northwind Traders" });
      req = await waitForMockRequest(mock, isList, { since });
      assert.equal(queryOf(req).get("account[id]"), "acc_2001");

      since = lastSeq(mock);
      await page.selectOption("#f-owner", { label: "Priya Raman" });
      req = await waitForMockRequest(mock, isList, { since });
      assert.equal(queryOf(req).get("owner[id]"), "usr_1001");
      await waitForText(page, "#results-count", /engagement/);

      const rows = await page.$$eval("#rows tr[data-id]", (trs) =>
        trs.map((tr) => [...tr.querySelectorAll("td")].slice(0, 4).map((td) => td.innerText.replace(/\s+/g, " ").trim())),
      );
      assert.ok(rows.length > 0, "some calls of Priya at Northwind");
      for (const [type, , owner, account] of rows) {
        assert.equal(type, "Call");
        assert.match(owner, /Priya Raman/);
        assert.equal(account, "Northwind Traders");
      }

      since = lastSeq(mock);
      await page.selectOption("#f-type", "");
      await waitForMockRequest(mock, isList, { since });
      since = lastSeq(mock);
      await page.fill("#f-from", "2024-02-01");
      await waitForMockRequest(mock, isList, { since });
      since = lastSeq(mock);
      await page.fill("#f-to", "2024-02-29");
      req = await waitForMockRequest(mock, isList, { since });
      assert.equal(queryOf(req).get("start_time"), "2024-02-01T00:00:00.000Z");
      assert.equal(queryOf(req).get("end_time"), "2024-03-01T00:00:00.000Z", "the To day is inclusive");

      since = lastSeq(mock);
      await page.selectOption("#f-sort", { label: "Oldest first" });
      req = await waitForMockRequest(mock, isList, { since });
      assert.equal(queryOf(req).get("sort_by"), "start_time");
      await waitForRows(page, 1);
      const times = await page.$$eval("#rows time", (els) => els.map((e) => e.getAttribute("datetime")));
      assert.deepEqual(times, [...times].sort(), "oldest first");
      assert.ok(times.every((iso) => iso >= "2024-02-01" && iso < "2024-03-01"), `February only: ${times[0]} .. ${times.at(-1)}`);
      await t.shot();
    },
  },
  {
    name: "a date range over a year is refused next to the To field, before anything is sent",
    async run(t) {
      const { page, mock } = t;
      await openDashboard(t);
      let since = lastSeq(mock);
      await page.fill("#f-from", "2023-01-01");
      await waitForMockRequest(mock, isList, { since });
      await waitForText(page, "#results-count", /No engagements|engagements/);
      since = lastSeq(mock);
      await page.fill("#f-to", "2024-06-30");
      const message = await waitForText(page, "#f-to-error", /one year/);
      assert.match(message, /must not exceed one year/);
      assert.equal(await page.getAttribute("#f-to", "aria-invalid"), "true");
      await waitForText(page, "#state", /Check the highlighted filter/);
      assert.equal(mock.requests.filter((r) => r.seq > since).length, 0, "the client sent nothing");
      await t.shot();

      // Fixing the range clears the message and loads again.
      since = lastSeq(mock);
      await page.fill("#f-from", "2024-01-01");
      await waitForMockRequest(mock, isList, { since });
      await waitForRows(page, 1);
      assert.equal(await page.isHidden("#f-to-error"), true);
    },
  },
  {
    name: "empty state: no match, then Clear filters brings the rows back",
    async run(t) {
      const { page } = t;
      await openDashboard(t);
      await page.fill("#f-from", "2023-03-01");
      await page.fill("#f-to", "2023-03-31");
      await waitForText(page, "#state", /No engagements match these filters/);
      assert.match(await text(page, "#results-count"), /No engagements/);
      assert.match(await text(page, "#chart-caption"), /No engagements to chart/);
      await t.shot();
      await page.getByRole("button", { name: "Clear filters" }).last().click();
      await waitForRows(page, 50, { exact: true });
      assert.equal(await page.inputValue("#f-from"), "");
    },
  },
  {
    name: "Load more follows next_cursor and appends the next page",
    async run(t) {
      const { page, mock } = t;
      const { body: first } = await withListResponse(page, () => openDashboard(t));
      assert.ok(first.next_cursor, "the first page has a cursor");
      await page.click("#load-more");
      await waitForRows(page, 100, { exact: true });
      const [, second] = listRequests(mock);
      assert.equal(queryOf(second).get("next_cursor"), first.next_cursor);
      const ids = await rowIds(page);
      assert.equal(new Set(ids).size, 100, "no duplicates");
      assert.match(await text(page, "#results-count"), /Showing 100 engagements/);
      await t.shot();
    },
  },
  {
    name: "Load all shows pages and items as they arrive, then all 500",
    async run(t) {
      const { page, mock } = t;
      await openDashboard(t);
      // Slow pages down a little so the progress can be seen (a server-side delay).
      mock.addFaults({ match: { method: "GET", path: LIST_PATH }, delayMs: 200, times: 20 });
      await page.click("#load-all");
      await waitForText(page, "#progress-text", /Loading all — [2-9] pages · \d+ engagements so far/);
      const during = await text(page, "#progress-text");
      await t.shot("load-all-in-progress");
      await waitForText(page, "#load-notice", /All 500 engagements loaded/);
      assert.equal(await rowCount(page), 500);
      assert.match(await text(page, "#load-notice"), /listAll fetched 9 more pages/);
      assert.match(await text(page, "#chart-caption"), /500 engagements \(all of them\)/);
      assert.equal(await page.isHidden("#load-more"), true);
      assert.equal(await page.isHidden("#progress"), true);
      assert.equal(listRequests(mock).length, 10, "first page + 9 pages of listAll");
      assert.equal(new Set(await rowIds(page)).size, 500);
      assert.match(during, /pages/);
      await t.shot("load-all-done");
    },
  },
  {
    name: "Load all goes through the governor: it waits for the plan's rate limit and says so; no 429 served",
    async run(t) {
      const { page, mock } = t;
      // A plan of 10 requests per 10 s, enforced by the mock and set in the dashboard's
      // config (rateLimit, as a deployment would): 20 pages, so the 11th must wait.
      // (With Truto's documented 50 / 10 s the dashboard's own rendering paces it.)
      const plan = { requests: 10, intervalMs: 10_000 };
      mock.reset({ accounts: { [ACCOUNT]: 1000 }, limits: { perAccount: plan } });
      await page.route("**/dashboard-config.json", async (route) => {
        const config = await (await route.fetch()).json();
        config.truto.rateLimit = { perAccount: plan };
        await route.fulfill({ json: config });
      });
      await openDashboard(t);
      await page.click("#load-all");
      await waitForText(page, "#rate-text", /Waiting for this account's rate limit — next request in \d+ s/);
      assert.equal(await page.getAttribute("#rate-banner", "data-kind"), "throttle");
      await t.shot("load-all-waiting-for-rate-limit");
      await waitForText(page, "#load-notice", /All 1,?000 engagements loaded/, 30_000);
      assert.equal(await rowCount(page), 1000);
      const lists = listRequests(mock);
      assert.equal(lists.length, 20, "first page + 19 pages, none retried");
      assert.deepEqual(lists.filter((r) => r.status === 429).map((r) => r.seq), [], "no request was answered 429");
      const arrivals = lists.map((r) => r.at);
      const busiest = Math.max(...arrivals.map((t0) => arrivals.filter((a) => a >= t0 && a < t0 + plan.intervalMs).length));
      assert.equal(busiest, plan.requests, "never more than the plan allows in its window");
      assert.equal(await page.isHidden("#rate-banner"), true, "the banner clears once it is done");
    },
  },
  {
    name: "Cancel aborts Load all (the request in flight is closed); Load more resumes without duplicates",
    async run(t) {
      const { page, mock } = t;
      await openDashboard(t);
      // Load all's first two pages come after a short delay; every later page is held by the
      // mock for 15 s (under the dashboard's 20 s timeout), so the page on the wire is
      // still in flight when Cancel lands however slow this machine is. A fixed short hold
      // let the page finish first on a slow CI runner, and Cancel then fell between pages.
      const match = { method: "GET", path: LIST_PATH };
      mock.addFaults([{ match, delayMs: 300, times: 2 }, { match, delayMs: 15_000, times: 20 }]);
      await page.click("#load-all");
      await waitForText(page, "#progress-text", /Loading all — 2 pages/);
      // Cancel while the next page is on the wire (held by the mock).
      const states = () => JSON.stringify(listRequests(mock).map((r) => [r.seq, r.status, r.outcome]));
      await mock.waitFor((reqs) => reqs.some((r) => isList(r) && r.status === null && r.outcome === "fault:delay"), 10_000).catch((err) => {
        throw new Error(`no page in flight: ${states()} (${err.message})`);
      });
      await t.shot("load-all-before-cancel");
      const before = lastSeq(mock);
      await page.click("#cancel-load-all");
      const notice = await waitForText(page, "#load-notice", /Load all cancelled/);
      assert.match(notice, /Stopped after \d+ more pages? \(\d+ engagements\)/);
      // The fetch itself was aborted: the mock saw the client close the connection.
      await mock.waitFor((reqs) => reqs.some((r) => isList(r) && r.outcome === "client_closed"), 10_000).catch((err) => {
        throw new Error(`the page in flight was not aborted: ${states()} (${err.message})`);
      });
      const shown = await rowCount(page);
      assert.ok(shown > 50 && shown < 500, `partial: ${shown}`);
      assert.equal(await page.isHidden("#progress"), true);
      const afterCancel = mock.requests.filter((r) => r.seq > before && isList(r));
      assert.ok(afterCancel.every((r) => r.outcome === "client_closed"), "nothing new after Cancel");
      await t.shot("load-all-cancelled");

      mock.clearFaults();
      await page.click("#load-more");
      await waitForRows(page, shown + 1);
      const ids = await rowIds(page);
      assert.equal(new Set(ids).size, ids.length, "Load more skipped what was already shown");
    },
  },
];
