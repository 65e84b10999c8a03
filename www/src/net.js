// A `fetch` that reports what the client is doing on the network.
//
// The package has no retry or progress hook yet. The dashboard passes this function as
// the client's `fetch` option and infers from what goes through it:
//   - "rate limited, retrying in N s": a 429 (or 503) response and its Retry-After /
//     ratelimit-reset / X-RateLimit-Reset header; the client then waits and retries;
//   - the pages of a `listAll` and the cursor each page was fetched with.
// Nothing is stored: listeners get one event per request and per response.

/**
 * @typedef {object} NetRequest
 * @property {string} url
 * @property {string} method
 * @property {string | undefined} body   the JSON body as sent, for POST/PATCH
 *
 * @typedef {NetRequest & { type: "request" }} RequestEvent
 * @typedef {NetRequest & { type: "response", status: number, requestId: string | null, retryAfterMs: number | null }} ResponseEvent
 * @typedef {NetRequest & { type: "failure", error: unknown }} FailureEvent
 * @typedef {{ type: "throttle", waitMs: number, scope: "account" | "token" | "server" }} ThrottleNetEvent
 *   the client's rate governor holds a request back (its `onThrottle`), before anything is sent
 * @typedef {RequestEvent | ResponseEvent | FailureEvent | ThrottleNetEvent} NetEvent
 * @typedef {(event: NetEvent) => void} NetListener
 */

/**
 * @param {typeof fetch} [baseFetch] defaults to the global fetch (called unbound-safe)
 */
export function createNetworkObserver(baseFetch) {
  /** @type {Set<NetListener>} */
  const listeners = new Set();
  /** @param {NetEvent} event */
  const emit = (event) => {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (err) {
        console.error("network listener failed", err);
      }
    }
  };
  const send = baseFetch ?? ((input, init) => globalThis.fetch(input, init));

  /** @type {typeof fetch} */
  const observedFetch = async (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const method = String(init?.method ?? (input instanceof Request ? input.method : "GET")).toUpperCase();
    // The client hands fetch one built Request (its body read from a clone).
    const body =
      typeof init?.body === "string"
        ? init.body
        : input instanceof Request && input.body
          ? await input.clone().text()
          : undefined;
    const info = { url, method, body };
    emit({ type: "request", ...info });
    /** @type {Response} */
    let response;
    try {
      response = await send(input, init);
    } catch (error) {
      emit({ type: "failure", ...info, error });
      throw error;
    }
    const throttled = response.status === 429 || response.status === 503;
    emit({
      type: "response",
      ...info,
      status: response.status,
      requestId: response.headers.get("x-request-id"),
      retryAfterMs: throttled ? retryAfterMs(response.headers) : null,
    });
    return response;
  };

  return {
    fetch: observedFetch,
    /**
     * The clients' `onThrottle`: the governor waits before sending, so the
     * dashboard can say it is pacing itself rather than stalled.
     * @param {{ waitMs: number, scope: "account" | "token" | "server" }} event
     */
    throttle: (event) => emit({ type: "throttle", waitMs: event.waitMs, scope: event.scope }),
    /** @param {NetListener} listener @returns {() => void} unsubscribe */
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/**
 * The wait a throttled response asks for, in ms, the way the client reads it:
 * Retry-After (seconds or HTTP date), else Truto's `ratelimit-reset` (seconds), else
 * DevRev's `X-RateLimit-Reset` (epoch seconds). Null when none is given (the client
 * then backs off exponentially with jitter).
 * @param {Headers} headers
 * @param {number} [now]
 * @returns {number | null}
 */
export function retryAfterMs(headers, now = Date.now()) {
  const retryAfter = headers.get("retry-after")?.trim();
  if (retryAfter) {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) return Math.round(Number(retryAfter) * 1000);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  const reset = headers.get("ratelimit-reset")?.trim();
  if (reset && /^\d+(\.\d+)?$/.test(reset)) return Math.round(Number(reset) * 1000);
  const epoch = headers.get("x-ratelimit-reset")?.trim();
  if (epoch && /^\d+$/.test(epoch)) return Math.max(0, Number(epoch) * 1000 - now);
  return null;
}
