// The production pattern: the dashboard served by the Cloudflare Worker (wrangler dev),
// which holds the Truto token as a secret and forwards the page's calls through
// TrutoClient. The page must never send an Authorization header, never talk to another
// origin, and never receive anything of the token.
import { ACCOUNT, LIST_PATH, assert, lastSeq, listRequests, recordBanner, text, waitForMockRequest, waitForRows, waitForText } from "./harness.mjs";

const TOKEN = "test-token";

export const tests = [
  {
    name: "through the Worker: same-origin calls, no Authorization from the page, no token in any response",
    worker: true,
    async run(t) {
      const { page, mock } = t;
      const worker = await t.worker();
      const origin = new URL(worker.url).origin;
      const requests = [];
      const leaks = [];
      page.on("request", (r) => requests.push(r));
      page.on("response", async (r) => {
        const headers = await r.allHeaders();
        if (JSON.stringify(headers).includes(TOKEN)) leaks.push(`headers of ${r.url()}`);
        if (/json|javascript|html|text/.test(headers["content-type"] ?? "")) {
          const body = await r.text().catch(() => "");
          if (body.includes(TOKEN)) leaks.push(`body of ${r.url()}`);
        }
      });

      await page.goto(worker.url);
      await waitForRows(page, 50, { exact: true });
      assert.match(await text(page, "#connection-summary"), /Truto via the Worker proxy · account demo-account/);

      // A write through the Worker: its Idempotency-Key reaches Truto.
      await page.click("#new-button");
      await page.waitForSelector("#editor-dialog[open]");
      await page.selectOption("#e-type", "call");
      await page.fill("#e-subject", "Call logged through the Worker");
      await page.selectOption("#e-direction", "outbound");
      const since = lastSeq(mock);
      const [pagePost] = await Promise.all([
        page.waitForRequest((r) => r.method() === "POST" && new URL(r.url()).pathname === `/api/truto${LIST_PATH}`),
        page.click("#editor-save"),
      ]);
      const upstream = await waitForMockRequest(mock, (r) => r.method === "POST", { since });
      await waitForText(page, "#toasts", /Created “Call logged through the Worker”/);
      assert.ok(mock.store(ACCOUNT).some((e) => e.subject === "Call logged through the Worker" && e.direction === "outbound"));
      assert.equal(upstream.headers["idempotency-key"], (await pagePost.allHeaders())["idempotency-key"], "the page's Idempotency-Key is forwarded");

      // The Worker, not the page, authenticated to Truto.
      const upstreamList = listRequests(mock)[0];
      assert.equal(upstreamList.headers.authorization, `Bearer ${TOKEN}`);

      // What the page sent: only its own origin, never an Authorization header.
      assert.ok(requests.length >= 5, `requests seen: ${requests.length}`);
      for (const r of requests) {
        assert.equal(new URL(r.url()).origin, origin, `same-origin only: ${r.url()}`);
        const headers = await r.allHeaders();
        assert.equal(headers.authorization, undefined, `no Authorization on ${r.method()} ${r.url()}`);
      }
      const apiCalls = requests.filter((r) => new URL(r.url()).pathname.startsWith("/api/truto/"));
      assert.ok(apiCalls.length >= 2, "the engagement calls went to /api/truto");
      assert.deepEqual(leaks, [], "nothing of the token reached the page");
      const storage = await page.evaluate(() => localStorage.length + sessionStorage.length + document.cookie.length);
      assert.equal(storage, 0);
      await t.shot("worker-mode");
    },
  },
  {
    name: "through the Worker: a 429 upstream reaches the page with Retry-After and is waited out",
    worker: true,
    async run(t) {
      const { page, mock } = t;
      t.allowHttpError(429);
      const worker = await t.worker();
      mock.addFaults({ match: { method: "GET", path: LIST_PATH }, status: 429, headers: { "retry-after": "1" } });
      const bannerLog = await recordBanner(page);
      await page.goto(worker.url);
      await waitForRows(page, 50, { exact: true });
      const shown = await bannerLog();
      assert.ok(shown.includes("Rate limited by the API — retrying in 1 s"), `the Retry-After reached the page: ${JSON.stringify(shown)}`);
      const statuses = listRequests(mock).map((r) => r.status);
      assert.deepEqual(statuses, [429, 200], "one upstream attempt per page attempt (the Worker does not retry on its own)");
      await t.shot("worker-rate-limited");
    },
  },
];
