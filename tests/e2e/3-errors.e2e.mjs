// What a person sees when the API says no: a 429 with the wait counted down, a 500 with
// the API's message and request id, a wrong token; and the connection panel itself.
import {
  ACCOUNT, LIST_PATH, assert, lastSeq, listRequests, queryOf, recordBanner, text, waitForMockRequest, waitForRows, waitForText,
} from "./harness.mjs";

const isList = (r) => r.method === "GET" && r.path.replace(/\/$/, "") === LIST_PATH;

export const tests = [
  {
    name: "a 429 shows 'rate limited — retrying in N s' while the client waits, then the page loads",
    async run(t) {
      const { page, mock } = t;
      t.allowHttpError(429);
      mock.addFaults({ match: { method: "GET", path: LIST_PATH }, status: 429, headers: { "retry-after": "3" } });
      const bannerLog = await recordBanner(page);
      await page.goto(t.url);
      await waitForText(page, "#rate-banner", /Rate limited by the API — retrying in [1-3] s/);
      assert.equal(await page.getAttribute("#table-region", "aria-busy"), "true");
      await t.shot("rate-limited-banner");
      await waitForRows(page, 50, { exact: true });
      assert.equal(await page.isHidden("#rate-banner"), true, "the banner goes once the retry is sent");
      const shown = await bannerLog();
      assert.ok(shown.includes("Rate limited by the API — retrying in 3 s"), `counted down from 3 s: ${JSON.stringify(shown)}`);
      assert.ok(shown.some((s) => /retrying in [12] s/.test(s)), `and down: ${JSON.stringify(shown)}`);
      const [first, second] = listRequests(mock);
      assert.equal(first.status, 429);
      assert.equal(second.status, 200);
      assert.ok(second.at - first.at >= 2900, `the client waited for Retry-After (${second.at - first.at} ms)`);
      await t.shot("rate-limited-then-loaded");
    },
  },
  {
    name: "a 500 shows the API's message and the request id; Try again loads",
    async run(t) {
      const { page, mock } = t;
      t.allowHttpError(500);
      mock.addFaults({
        match: { method: "GET", path: LIST_PATH },
        status: 500,
        times: 3, // the first attempt and both retries
        body: { statusCode: 500, error: "Internal Server Error", message: "The CRM is having a bad day" },
      });
      const responses = [];
      page.on("response", (r) => new URL(r.url()).pathname === LIST_PATH && responses.push(r.headers()["x-request-id"]));
      await page.goto(t.url);
      await waitForText(page, "#state", /The API failed to load engagements/);
      const state = await text(page, "#state");
      assert.match(state, /The CRM is having a bad day/);
      assert.match(state, /HTTP 500/);
      assert.match(state, /3 attempts/);
      assert.equal(listRequests(mock).length, 3);
      assert.ok(state.includes(`request id ${responses.at(-1)}`), `shows the last request id (${responses.at(-1)}): ${state}`);
      assert.equal(await page.getAttribute("#connection-dot", "data-state"), "error");
      await t.shot("server-error");
      await page.getByRole("button", { name: "Try again" }).click();
      await waitForRows(page, 50, { exact: true });
    },
  },
  {
    name: "connection panel: another integrated account, a wrong token (401), back to the mock",
    async run(t) {
      const { page, mock } = t;
      t.allowHttpError(401);
      await page.goto(t.url);
      await waitForRows(page, 50);
      await page.click("#connection-button");
      await page.waitForSelector("#connection-dialog[open]");
      // The Truto / DevRev switch appears only when the package exports DevRevClient.
      assert.equal(await page.isVisible("#source-switch"), t.hasDevRev, `switch visible = DevRevClient exported (${t.hasDevRev})`);
      assert.equal(await page.getAttribute("#c-token", "type"), "password");
      await page.fill("#c-account", "e2e-other-account");
      let since = lastSeq(mock);
      await page.click("#c-connect");
      const req = await waitForMockRequest(mock, isList, { since });
      assert.equal(queryOf(req).get("integrated_account_id"), "e2e-other-account");
      await waitForRows(page, 50, { exact: true });
      assert.match(await text(page, "#connection-summary"), /e2e-other-account/);

      await page.click("#connection-button");
      await page.fill("#c-token", "not-the-token");
      await page.fill("#c-account", ACCOUNT);
      since = lastSeq(mock);
      await page.click("#c-connect");
      await waitForText(page, "#state", /The API refused the credentials/);
      assert.match(await text(page, "#state"), /Invalid API token.*HTTP 401/);
      assert.equal(mock.requests.filter((r) => r.seq > since).length, 1, "401 is not retried");
      await t.shot("wrong-token");

      // A bad base URL is refused by the client's constructor, shown under the field.
      await page.getByRole("button", { name: "Connection settings" }).click();
      await page.fill("#c-base", "api.truto.one");
      await page.click("#c-connect");
      assert.match(await waitForText(page, "#c-base-error", /absolute URL/), /baseUrl must be an absolute URL/);
      await t.shot("connection-panel-error");

      await page.getByRole("button", { name: "Use the built-in mock" }).click();
      await page.click("#c-connect");
      await waitForRows(page, 50, { exact: true });
      const storage = await page.evaluate(() => localStorage.length + sessionStorage.length + document.cookie.length);
      assert.equal(storage, 0, "nothing stored");
      assert.ok(!page.url().includes("token"), "no token in the URL");
    },
  },
];
