// Turns the package's EngagementsError into what a person needs: a title, the API's own
// message, and the facts support will ask for (status, code, request id, attempts).
import { isEngagementsError } from "./lib.js";

/**
 * @typedef {{ title: string, message: string, meta: string[], kind: string, status?: number, requestId?: string }} ErrorView
 */

const TITLES = /** @type {Record<string, string>} */ ({
  network: "Could not reach the API",
  timeout: "The API took too long to answer",
  decode: "The API sent something unexpected",
  config: "The connection settings are not valid",
  validation: "Check the highlighted value",
  aborted: "Cancelled",
});

/**
 * @param {unknown} err
 * @param {string} [action]  "load engagements", "save", ...
 * @returns {ErrorView}
 */
export function describeError(err, action = "complete the request") {
  if (!isEngagementsError(err)) {
    const message = err instanceof Error ? err.message : String(err);
    return { title: `Could not ${action}`, message, meta: [], kind: "unknown" };
  }
  /** @type {string[]} */
  const meta = [];
  if (err.status) meta.push(`HTTP ${err.status}`);
  if (err.code) meta.push(err.code);
  if (err.requestId) meta.push(`request id ${err.requestId}`);
  if (err.attempts > 1) meta.push(`${err.attempts} attempts`);
  if (err.retryAfterMs) meta.push(`server asked to wait ${Math.ceil(err.retryAfterMs / 1000)} s`);
  let title = TITLES[err.kind] ?? `Could not ${action}`;
  if (err.kind === "http") {
    title =
      err.status === 401 || err.status === 403
        ? "The API refused the credentials"
        : err.status === 404
          ? "Not found"
          : err.status === 429
            ? "Rate limited"
            : err.status && err.status >= 500
              ? `The API failed to ${action}`
              : `Could not ${action}`;
  }
  let message = err.message;
  if (err.isRemoteError) message += " (the connected CRM refused the request)";
  if (err.insight) message += ` ${err.insight}`;
  return {
    title,
    message,
    meta,
    kind: err.kind,
    ...(err.status ? { status: err.status } : {}),
    ...(err.requestId ? { requestId: err.requestId } : {}),
  };
}

/** Whether the error is the caller's own cancellation. */
export function isAbort(/** @type {unknown} */ err) {
  return (isEngagementsError(err) && err.kind === "aborted") || (err instanceof DOMException && err.name === "AbortError");
}

/** The validation field of an error (`body.start_time`, `query.end_time`), if any. */
export function validationField(/** @type {unknown} */ err) {
  return isEngagementsError(err) && err.kind === "validation" && err.field ? err.field : null;
}
