// The sources this build of the package supports. Truto always; DevRev when the
// installed crm-engagements exports `DevRevClient`.
import { DevRevClient } from "../lib.js";
import { createDevRevSource } from "./devrev.js";
import { createTrutoSource } from "./truto.js";

/**
 * @typedef {object} Connection
 * @property {"truto" | "devrev"} source
 * @property {string} baseUrl
 * @property {string} [token]                only ever in memory
 * @property {string} [integratedAccountId]  Truto only
 * @property {boolean} [proxied]             a same-origin proxy adds the token
 * @property {false | import("crm-engagements").RateLimitOptions} [rateLimit]
 *   the plan's limits from the server's config (default: the provider's documented ones)
 */

export const SOURCES = [
  { id: /** @type {const} */ ("truto"), label: "Truto", available: true },
  { id: /** @type {const} */ ("devrev"), label: "DevRev", available: Boolean(DevRevClient) },
].filter((s) => s.available);

/**
 * A Source for a connection. Throws the client's `config` error for bad options.
 * @param {Connection} connection
 * @param {ReturnType<typeof import("../net.js").createNetworkObserver>} observer
 * @returns {import("./source.js").Source}
 */
export function createSource(connection, observer) {
  const baseUrl = absolute(connection.baseUrl);
  if (connection.source === "devrev") return createDevRevSource({ baseUrl, token: connection.token }, observer);
  return createTrutoSource({ ...connection, baseUrl }, observer);
}

/** A same-origin path such as `/api/truto` made absolute (the client wants absolute URLs). */
function absolute(/** @type {string} */ baseUrl) {
  return baseUrl.startsWith("/") ? new URL(baseUrl, location.origin).href.replace(/\/$/, "") : baseUrl.trim();
}
