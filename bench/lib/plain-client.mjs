// The cold-start baseline: a plain fetch-based client of the same endpoint, as
// small as a hand-written one gets. Importing it costs a module load, no wasm.
export class PlainClient {
  constructor({ baseUrl, token, integratedAccountId, fetch: fetchFn }) {
    this.fetch = fetchFn ?? ((url, init) => fetch(url, init));
    this.baseUrl = baseUrl;
    this.headers = { authorization: `Bearer ${token}` };
    this.account = integratedAccountId;
  }

  async list(query = {}) {
    const params = new URLSearchParams({ integrated_account_id: this.account, ...query });
    const res = await this.fetch(`${this.baseUrl}/unified/crm/engagements?${params}`, { headers: this.headers });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return res.json();
  }
}

// The same client with what ours does around each attempt, in plain JS (as
// lib/floor.mjs's wiredPage for listAll): an AbortController on a 30 s timeout
// timer, listening for its abort, a Headers object, then text() + JSON.parse.
// Its cold start is what a hand-written client that really cancels pays for
// those first uses (Node loads timers, AbortSignal and Headers lazily), so ours
// over it is what the wasm itself adds. Informational.
export class GuardedClient extends PlainClient {
  async list(query = {}) {
    const params = new URLSearchParams({ integrated_account_id: this.account, ...query });
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 30_000);
    controller.signal.addEventListener("abort", () => {}, { once: true });
    const headers = new Headers();
    headers.set("accept", "application/json");
    headers.set("authorization", this.headers.authorization);
    try {
      const res = await this.fetch(`${this.baseUrl}/unified/crm/engagements?${params}`, { method: "GET", headers, signal: controller.signal });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      return JSON.parse(await res.text());
    } finally {
      clearTimeout(timer);
    }
  }
}
