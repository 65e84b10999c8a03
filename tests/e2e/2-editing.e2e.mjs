// Create, edit (PATCH with only the changed fields) and delete with confirmation, each
// checked in the mock's store; validation errors shown next to their field; keyboard use.
import { ACCOUNT, LIST_PATH, assert, lastSeq, openDashboard, rowIds, text, waitForMockRequest, waitForRows, waitForText } from "./harness.mjs";

const isWrite = (method) => (r) => r.method === method && r.path.startsWith(LIST_PATH);

export const tests = [
  {
    name: "create: the client's validation error shows under End, then the engagement is saved in the CRM",
    async run(t) {
      const { page, mock } = t;
      await openDashboard(t);
      await page.click("#new-button");
      await page.waitForSelector("#editor-dialog[open]");
      await page.selectOption("#e-type", "meeting");
      await page.fill("#e-subject", "Security review with Globex");
      await page.fill("#e-start", "2024-05-02T10:00");
      await page.fill("#e-end", "2024-05-02T09:00");
      await page.selectOption("#e-owner", { label: "Elena Petrova" });
      await page.selectOption("#e-account", { label: "Globex Corporation" });
      await page.locator("#e-contacts").getByLabel("Wei Iyer", { exact: true }).check();
      await page.locator("#e-contacts").getByLabel("Olivia Brown", { exact: true }).check();
      await page.selectOption("#e-status", "scheduled");
      await page.fill("#e-content", "Walk through the questionnaire with their IT lead.");
      const since = lastSeq(mock);
      await page.click("#editor-save");

      // The package refuses an end before the start (field body.end_time): shown under End.
      const message = await waitForText(page, '[data-field="end_time"] .field-error', /start_time/);
      assert.match(message, /end_time must not precede start_time/);
      assert.equal(await page.getAttribute("#e-end", "aria-invalid"), "true");
      assert.equal(mock.requests.filter((r) => r.seq > since).length, 0, "nothing was sent");
      await t.shot("create-validation-error");

      await page.fill("#e-end", "2024-05-02T11:00");
      await page.click("#editor-save");
      const post = await waitForMockRequest(mock, isWrite("POST"), { since });
      await page.waitForSelector("#editor-dialog:not([open])", { state: "attached" });
      await waitForText(page, "#toasts", /Created “Security review with Globex”/);

      assert.ok(post.headers["idempotency-key"], "POST carries an Idempotency-Key");
      const stored = mock.store(ACCOUNT).find((e) => e.subject === "Security review with Globex");
      assert.ok(stored, "in the mock's store");
      assert.equal(stored.engagement_type, "meeting");
      assert.deepEqual(stored.owner, { id: "usr_1003" });
      assert.deepEqual(stored.account, { id: "acc_2002" });
      assert.deepEqual(stored.contact.map((c) => c.id).sort(), ["con_3003", "con_3004"]);
      assert.equal(stored.start_time, "2024-05-02T10:00:00.000Z");
      assert.equal(stored.end_time, "2024-05-02T11:00:00.000Z");
      assert.equal(stored.status, "scheduled");
      assert.equal(stored.content, "Walk through the questionnaire with their IT lead.");
      assert.equal((await rowIds(page))[0], stored.id, "the new row is at the top");
      await t.shot("created");
    },
  },
  {
    name: "edit sends a PATCH with only the changed fields, and the store is updated",
    async run(t) {
      const { page, mock } = t;
      await openDashboard(t);
      const [id] = await rowIds(page);
      const before = structuredClone(mock.store(ACCOUNT).find((e) => e.id === id));
      const row = page.locator(`#rows tr[data-id="${id}"]`);
      await row.getByRole("button", { name: /^Edit/ }).click();
      await page.waitForSelector("#editor-dialog[open]");
      assert.equal(await page.inputValue("#e-subject"), before.subject);

      // Saving with no change sends nothing.
      let since = lastSeq(mock);
      await page.click("#editor-save");
      await waitForText(page, "#editor-alert", /Nothing to save/);
      assert.equal(mock.requests.filter((r) => r.seq > since).length, 0);

      await page.fill("#e-subject", `${before.subject} (rescheduled)`);
      await page.selectOption("#e-status", before.status === "draft" ? "sent" : "draft");
      assert.match(await text(page, "#editor-changes"), /Will update: subject, status/);
      await t.shot("edit-dialog");
      since = lastSeq(mock);
      await page.click("#editor-save");
      const patch = await waitForMockRequest(mock, isWrite("PATCH"), { since });
      await waitForText(page, "#toasts", /Saved 2 changes/);

      assert.equal(patch.path, `${LIST_PATH}/${id}`);
      assert.deepEqual(Object.keys(patch.json).sort(), ["status", "subject"], `PATCH body: ${patch.body}`);
      assert.ok(patch.headers["idempotency-key"], "PATCH carries an Idempotency-Key");
      const after = mock.store(ACCOUNT).find((e) => e.id === id);
      assert.equal(after.subject, `${before.subject} (rescheduled)`);
      assert.notEqual(after.status, before.status);
      assert.deepEqual(after.contact, before.contact, "untouched fields kept");
      assert.equal(after.start_time, before.start_time);
      assert.match(await row.locator(".subject").innerText(), /\(rescheduled\)$/);
      await t.shot("edited");
    },
  },
  {
    name: "delete asks for confirmation; Keep it sends nothing, Delete removes it from the CRM",
    async run(t) {
      const { page, mock } = t;
      await openDashboard(t);
      const id = (await rowIds(page))[1];
      const subject = mock.store(ACCOUNT).find((e) => e.id === id).subject;
      const row = page.locator(`#rows tr[data-id="${id}"]`);

      let since = lastSeq(mock);
      await row.getByRole("button", { name: /^Delete/ }).click();
      await page.waitForSelector("#confirm-dialog[open]");
      assert.match(await text(page, "#confirm-text"), new RegExp(subject.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
      await t.shot("delete-confirmation");
      await page.click("#confirm-cancel");
      await page.waitForSelector("#confirm-dialog:not([open])", { state: "attached" });
      assert.equal(mock.requests.filter((r) => r.seq > since).length, 0, "Keep it sent nothing");

      await row.getByRole("button", { name: /^Delete/ }).click();
      since = lastSeq(mock);
      await page.click("#confirm-delete");
      const del = await waitForMockRequest(mock, isWrite("DELETE"), { since });
      assert.equal(del.path, `${LIST_PATH}/${id}`);
      await waitForText(page, "#toasts", /Deleted/);
      await page.waitForSelector(`#rows tr[data-id="${id}"]`, { state: "detached" });
      assert.equal(mock.store(ACCOUNT).some((e) => e.id === id), false, "gone from the store");
      assert.equal((await rowIds(page)).length, 49);
      await t.shot("deleted");
    },
  },
  {
    name: "keyboard only: N, Tab, typing and Enter create; / jumps to the filters; Esc closes",
    async run(t) {
      const { page, mock } = t;
      await openDashboard(t);
      await page.keyboard.press("n");
      await page.waitForSelector("#editor-dialog[open]");
      assert.equal(await page.evaluate(() => document.activeElement?.id), "e-type", "focus starts on the first field");
      await page.keyboard.press("Tab");
      assert.equal(await page.evaluate(() => document.activeElement?.id), "e-subject");
      await page.keyboard.type("Note typed from the keyboard");
      const since = lastSeq(mock);
      await page.keyboard.press("Enter");
      await waitForMockRequest(mock, isWrite("POST"), { since });
      await page.waitForSelector("#editor-dialog:not([open])", { state: "attached" });
      assert.ok(mock.store(ACCOUNT).some((e) => e.subject === "Note typed from the keyboard"));
      // Focus lands on the new row's Edit button: Enter opens it, Esc closes it.
      assert.match(await page.evaluate(() => document.activeElement?.getAttribute("aria-label") ?? ""), /^Edit “Note typed from the keyboard”/);
      await page.keyboard.press("Enter");
      await page.waitForSelector("#editor-dialog[open]");
      await page.keyboard.press("Escape");
      await page.waitForSelector("#editor-dialog:not([open])", { state: "attached" });

      await page.keyboard.press("/");
      assert.equal(await page.evaluate(() => document.activeElement?.id), "f-type");
      await page.keyboard.press("ArrowDown"); // native select: picks the next type
      await waitForRows(page, 1);
      // Visible focus ring on keyboard focus.
      const ring = await page.evaluate(() => getComputedStyle(document.activeElement).boxShadow);
      assert.notEqual(ring, "none");
      await t.shot();
    },
  },
];
