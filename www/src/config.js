// The server's dashboard config: the defaults the demo's mock or the Worker proxy
// serves at ./dashboard-config.json. A plain static host serves none.

/** @typedef {import("./ui/connection.js").DashboardConfig} DashboardConfig */

/**
 * The server's defaults (the demo's mock, or the Worker proxy); none on a plain host.
 * @returns {Promise<DashboardConfig | null>}
 */
export async function loadConfig() {
  try {
    const res = await fetch("./dashboard-config.json", { headers: { accept: "application/json" }, cache: "no-store" });
    if (!res.ok) return null;
    return /** @type {DashboardConfig} */ (await res.json());
  } catch {
    return null;
  }
}
