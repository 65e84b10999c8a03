// The dashboard's keyboard shortcuts: N opens the editor on a new engagement, / jumps to
// the filters. Neither applies while typing in a field or while a dialog is open.

/**
 * Listens for the shortcuts on the document.
 * @param {object} deps
 * @param {() => boolean} deps.canWrite  whether the connected source can create (N does nothing otherwise)
 * @param {() => void} deps.newEngagement
 * @param {() => void} deps.focusFilters
 */
export function bindShortcuts({ canWrite, newEngagement, focusFilters }) {
  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = /** @type {HTMLElement} */ (event.target);
    if (target.closest("input, select, textarea, [contenteditable], dialog[open]") || document.querySelector("dialog[open]")) return;
    if (event.key === "n" || event.key === "N") {
      if (canWrite()) {
        event.preventDefault();
        newEngagement();
      }
    } else if (event.key === "/") {
      event.preventDefault();
      focusFilters();
    }
  });
}
