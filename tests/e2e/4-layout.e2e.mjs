// Readable at a phone's width (390 px) and at a laptop's (1280 px): nothing overflows
// sideways, the table becomes cards on the phone.
import { assert, openDashboard, waitForRows } from "./harness.mjs";

/** Elements wider than the viewport (a sideways scroll), by selector-ish description. */
function overflowing(page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const wide = [];
    for (const el of document.querySelectorAll("body *")) {
      const box = el.getBoundingClientRect();
      if (box.width && box.right > width + 1 && !el.closest("[hidden], dialog:not([open])")) wide.push(`${el.tagName.toLowerCase()}#${el.id}.${el.className}`);
    }
    return { scroll: document.documentElement.scrollWidth, width, wide: wide.slice(0, 5) };
  });
}

export const tests = [
  {
    name: "readable at 390 px: no sideways scroll, one card per engagement",
    viewport: { width: 390, height: 844 },
    async run(t) {
      const { page } = t;
      await openDashboard(t);
      await waitForRows(page, 50);
      const o = await overflowing(page);
      assert.ok(o.scroll <= o.width, `page scrolls sideways: ${JSON.stringify(o)}`);
      assert.deepEqual(o.wide, []);
      assert.equal(await page.isVisible("#table thead"), false, "no table header on a phone: cards");
      const card = page.locator("#rows tr[data-id]").first();
      const box = await card.boundingBox();
      assert.ok(box && box.width <= 390, "a card fits the screen");
      const label = await card.locator("td:nth-child(3)").evaluate((td) => getComputedStyle(td, "::before").content);
      assert.equal(label, '"Owner"', "each value is labelled");
      await t.shot("phone-top");
      await page.locator("#results").scrollIntoViewIfNeeded();
      await page.evaluate(() => document.getElementById("results").scrollIntoView());
      await t.shot("phone-cards");
      await page.click("#new-button");
      await page.waitForSelector("#editor-dialog[open]");
      const dialog = await page.locator("#editor-dialog").boundingBox();
      assert.ok(dialog && dialog.x >= 0 && dialog.x + dialog.width <= 390, "the editor fits");
      await t.shot("phone-editor");
    },
  },
  {
    name: "readable at 1280 px: the table fits its card",
    viewport: { width: 1280, height: 900 },
    async run(t) {
      const { page } = t;
      await openDashboard(t);
      const o = await overflowing(page);
      assert.ok(o.scroll <= o.width, `page scrolls sideways: ${JSON.stringify(o)}`);
      const table = await page.locator("#table").boundingBox();
      const card = await page.locator("#results").boundingBox();
      assert.ok(table && card && table.x + table.width <= card.x + card.width + 0.5, "the table fits the card");
      await t.shot("laptop");
    },
  },
];
