// Rate limits and retries, seen through the client's fetch and its governor: the banner
// that says the client is pacing itself under the rate limit (its `onThrottle`), that the
// API answered 429 (with a countdown to the retry) or a retryable 5xx, and the count of
// operations in flight that decides when the banner clears.
import { byId } from "./dom.js";

/**
 * @param {object} deps
 * @param {ReturnType<typeof import("../net.js").createNetworkObserver>} deps.observer
 * @param {() => boolean} deps.loadingAll  whether a Load all is running (the banner then stays up between pages)
 */
export function createRateBanner({ observer, loadingAll }) {
  const banner = byId("rate-banner");
  const text = byId("rate-text");
  let pendingOps = 0;
  /** @type {ReturnType<typeof setInterval> | undefined} */
  let countdown;

  /** Hides the banner and stops its countdown. */
  function hide() {
    clearInterval(countdown);
    banner.hidden = true;
  }

  /**
   * Counts an operation in flight, so retry banners clear when nothing is pending.
   * @template T
   * @param {Promise<T>} promise
   * @returns {Promise<T>}
   */
  function track(promise) {
    pendingOps += 1;
    return promise.finally(() => {
      pendingOps -= 1;
      if (pendingOps === 0 && !loadingAll()) hide();
    });
  }

  /** Hides the banner when no tracked operation is in flight (a Load all has ended). */
  function hideIfIdle() {
    if (pendingOps === 0) hide();
  }

  observer.subscribe((event) => {
    if (event.type === "request") {
      hide(); // the retry (or a new call) is on its way
      return;
    }
    if (event.type === "throttle") {
      const until = Date.now() + event.waitMs;
      const limit = event.scope === "account" ? "this account's" : event.scope === "token" ? "the API token's" : "the API's";
      const tick = () => {
        const left = Math.max(0, Math.ceil((until - Date.now()) / 1000));
        text.textContent = `Waiting for ${limit} rate limit — next request in ${left} s (no request is refused)`;
      };
      clearInterval(countdown);
      tick();
      countdown = setInterval(tick, 250);
      banner.hidden = false;
      banner.dataset.kind = "throttle";
      return;
    }
    if (event.type !== "response") return;
    delete banner.dataset.kind;
    if (event.status === 429) {
      const until = Date.now() + (event.retryAfterMs ?? 0);
      const tick = () => {
        const left = Math.max(0, Math.ceil((until - Date.now()) / 1000));
        text.textContent =
          event.retryAfterMs === null
            ? "Rate limited by the API — retrying shortly"
            : event.retryAfterMs > 60_000
              ? `Rate limited by the API for ${Math.ceil(event.retryAfterMs / 1000)} s — too long to wait`
              : `Rate limited by the API — retrying in ${left} s`;
      };
      clearInterval(countdown);
      tick();
      countdown = setInterval(tick, 250);
      banner.hidden = false;
    } else if ([408, 500, 502, 504].includes(event.status)) {
      clearInterval(countdown);
      text.textContent = `The API answered ${event.status}${event.requestId ? ` (request id ${event.requestId})` : ""} — the client retries when it can`;
      banner.hidden = false;
    }
  });

  return { track, hide, hideIfIdle };
}
