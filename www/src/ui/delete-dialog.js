// The delete confirmation: names the engagement, sends the DELETE on confirm (Cancel or
// Escape aborts it), and shows the client's error inside the dialog when it fails.
import { describeError, isAbort } from "../errors.js";
import { formatDate, parseDate, typeMeta } from "../format.js";
import { byId, errorBlock, fill, h } from "./dom.js";

/**
 * @typedef {import("crm-engagements").Engagement} Engagement
 * @typedef {import("../sources/source.js").Source} Source
 */

/**
 * Binds #confirm-dialog.
 * @param {object} deps
 * @param {() => Source} deps.source
 * @param {<T>(promise: Promise<T>) => Promise<T>} deps.track  counts the call as in flight (retry banners)
 * @param {(engagement: Engagement) => void} deps.onDeleted  called once the dialog has closed
 */
export function createDeleteDialog({ source, track, onDeleted }) {
  const dialog = /** @type {HTMLDialogElement} */ (byId("confirm-dialog"));
  const alertBox = byId("confirm-alert");
  const confirm = /** @type {HTMLButtonElement} */ (byId("confirm-delete"));
  /** @type {{ engagement: Engagement, controller: AbortController | null } | null} */
  let pending = null;

  /**
   * Asks whether to delete an engagement.
   * @param {Engagement} e
   */
  function ask(e) {
    pending = { engagement: e, controller: null };
    const meta = typeMeta(e.engagement_type);
    const when = parseDate(e.start_time);
    fill(byId("confirm-text"), h("strong", { text: `“${e.subject || e.id}”` }), ` — ${meta.label.toLowerCase()}${when ? ` on ${formatDate(when)}` : ""}`);
    alertBox.hidden = true;
    dialog.showModal();
    byId("confirm-cancel").focus();
  }

  byId("confirm-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!pending || pending.controller) return;
    const current = pending;
    const { engagement } = current;
    current.controller = new AbortController();
    confirm.disabled = true;
    confirm.textContent = "Deleting…";
    try {
      await track(source().remove(engagement.id, { signal: current.controller.signal }));
      dialog.close();
      onDeleted(engagement);
    } catch (err) {
      if (!isAbort(err)) {
        const view = describeError(err, "delete the engagement");
        fill(alertBox, errorBlock(view));
        alertBox.hidden = false;
      }
    } finally {
      current.controller = null;
      confirm.disabled = false;
      confirm.textContent = "Delete";
    }
  });
  byId("confirm-cancel").addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => {
    pending?.controller?.abort();
    pending = null;
  });

  return { ask };
}
