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
