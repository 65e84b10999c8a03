// The DevRev source (only when the package exports DevRevClient): DevRev rows shown
// through the package's unified mapping, filters mapped onto DevRev's list body, and
// writes with DevRev's required members.
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { assert, lastSeq, text, waitForMockRequest, waitForRows, waitForText } from "./harness.mjs";

const WWW = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../www");

const isDevRev = (route) => (r) => r.method === "POST" && r.path === `/engagements.${route}`;

export const tests = [
  {
    name: "DevRev source: unified rows, type filter in the list body, create needs members, update sends only changes",
    async run(t) {
      const { page, mock } = t;
      if (!t.hasDevRev) return t.skip("the package does not export DevRevClient");
      if (!mock.devrev) return t.skip("the mock has no DevRev routes");
      await page.goto(t.url);
      await waitForRows(page, 50);

      await page.click("#connection-button");
      await page.waitForSelector("#connection-dialog[open]");
      await page.getByText("DevRev", { exact: true }).click();
      assert.equal(await page.isHidden("#c-account-field"), true, "no integrated account for DevRev");
      let since = lastSeq(mock);
      await page.click("#c-connect");
      let req = await waitForMockRequest(mock, isDevRev("list"), { since });
      assert.deepEqual(req.json, { limit: 50, sort_by: ["scheduled_date:desc"] });
      await waitForRows(page, 50, { exact: true });
      assert.match(await text(page, "#connection-summary"), /^DevRev · 127\.0\.0\.1:\d+$/);
      assert.equal(await page.isDisabled("#f-from"), true, "DevRev has no date-range filter");
      assert.match(await text(page, "#filters-note"), /DevRev cannot filter by date range/);

      // Names come from DevRev's own summaries, kept in remote_data by devRevToEngagement.
      const owners = await page.$$eval("#rows tr[data-id] td:nth-child(3)", (tds) => tds.map((td) => td.innerText.trim()));
      assert.ok(owners.every((o) => o === "—" || !o.includes("don:")), `owner names, not DONs: ${owners.slice(0, 3)}`);

      since = lastSeq(mock);
      await page.selectOption("#f-type", "meeting");
      req = await waitForMockRequest(mock, isDevRev("list"), { since });
      assert.deepEqual(req.json.type, ["meeting"]);
      await waitForText(page, "#results-count", /engagement/);
      const types = await page.$$eval("#rows .type", (els) => [...new Set(els.map((e) => e.textContent.trim()))]);
      assert.deepEqual(types, ["Meeting"]);
      await t.shot("devrev-meetings");

      // Create: DevRev requires members; without an owner or contact the package refuses it.
      await page.click("#new-button");
      await page.waitForSelector("#editor-dialog[open]");
      assert.equal(await page.isHidden('[data-field="end_time"]'), true, "DevRev has no end time");
      await page.selectOption("#e-type", "call");
      await page.fill("#e-subject", "DevRev call from the dashboard");
      await page.fill("#e-start", "2025-09-01T10:00");
      since = lastSeq(mock);
      await page.click("#editor-save");
      const refusal = await waitForText(page, '[data-field="owner"] .field-error', /members/);
      assert.equal(mock.requests.filter((r) => r.seq > since).length, 0, `refused before sending: ${refusal}`);
      await t.shot("devrev-members-required");
      const ownerOption = await page.$eval("#e-owner", (s) => [...s.options].find((o) => o.value)?.value);
      await page.selectOption("#e-owner", ownerOption);
      await page.click("#editor-save");
      const create = await waitForMockRequest(mock, isDevRev("create"), { since });
      await waitForText(page, "#toasts", /Created “DevRev call from the dashboard”/);
      assert.equal(create.json.title, "DevRev call from the dashboard");
      assert.deepEqual(create.json.members, [ownerOption]);
      assert.equal(create.json.scheduled_date, "2025-09-01T10:00:00.000Z");
      const stored = mock.devrev.store().find((e) => e.title === "DevRev call from the dashboard");
      assert.ok(stored, "in the DevRev mock's store");

      // Update: the type cannot change on DevRev; only the subject is sent.
      const row = page.locator(`#rows tr[data-id="${stored.id}"]`);
      await row.getByRole("button", { name: /^Edit/ }).click();
      await page.waitForSelector("#editor-dialog[open]");
      assert.equal(await page.isDisabled("#e-type"), true);
      await page.fill("#e-subject", "DevRev call from the dashboard (notes added)");
      since = lastSeq(mock);
      await page.click("#editor-save");
      const update = await waitForMockRequest(mock, isDevRev("update"), { since });
      assert.deepEqual(update.json, { id: stored.id, title: "DevRev call from the dashboard (notes added)" });
      await waitForText(page, "#toasts", /Saved one change/);
      await t.shot("devrev-updated");
    },
  },
  {
    name: "the dashboard's fallback DevRev mapping agrees with the package's devRevToEngagement",
    async run(t) {
      if (!t.hasDevRev || !t.mock.devrev) return t.skip("no DevRevClient in the package, or no DevRev mock");
      // Node resolves "crm-engagements" from www/node_modules (its node entry).
      const { fallbackToUnified } = await import(pathToFileURL(path.join(WWW, "src/sources/devrev.js")).href);
      const pkg = await import(pathToFileURL(path.join(WWW, "node_modules/crm-engagements/node.mjs")).href);
      if (typeof pkg.devRevToEngagement !== "function") return t.skip("the package has no devRevToEngagement");
      const keys = ["id", "engagement_type", "subject", "content", "start_time", "owner", "account", "contact", "created_at", "updated_at"];
      const pick = (e) => Object.fromEntries(keys.map((k) => [k, e[k] ?? null]));
      const engagements = t.mock.devrev.store();
      assert.ok(engagements.length >= 30);
      for (const e of engagements) assert.deepEqual(pick(fallbackToUnified(e)), pick(pkg.devRevToEngagement(e)), e.id);
      await t.page.setContent(`<p style="font:16px system-ui;padding:24px">${engagements.length} DevRev engagements mapped alike by both.</p>`);
    },
  },
];
