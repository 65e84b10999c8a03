// Messages about what just happened: the notice above the table's paging (load more or
// load all failed, was cancelled or finished) and the short-lived toasts.
import { byId, fill, h } from "./dom.js";

/** @typedef {import("../errors.js").ErrorView} ErrorView */

/** Binds #load-notice and #toasts. */
export function createNotices() {
  const notice = byId("load-notice");
  const toasts = byId("toasts");

  /** Hides the notice. */
  function hide() {
    notice.hidden = true;
  }

  /**
   * Shows a notice with a Dismiss button.
   * @param {ErrorView} view
   * @param {"error" | "info" | "success"} tone
   */
  function show(view, tone) {
    notice.className = `notice notice-${tone}`;
    fill(
      notice,
      h("strong", { text: view.title }),
      " ",
      h("span", { text: view.message }),
      view.meta.length ? h("span", { class: "meta", text: ` (${view.meta.join(" · ")})` }) : null,
      h("button", { type: "button", class: "link", "aria-label": "Dismiss", onclick: hide, text: "Dismiss" }),
    );
    notice.hidden = false;
  }

  /**
   * A toast that removes itself after 6 s.
   * @param {string} message
   * @param {"success" | "info"} [tone]
   */
  function toast(message, tone = "info") {
    const item = h("div", { class: `toast toast-${tone}`, text: message });
    toasts.append(item);
    setTimeout(() => item.remove(), 6000);
  }

  return { show, hide, toast };
}
