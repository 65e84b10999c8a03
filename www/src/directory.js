// Display names for the ids an engagement references (owner, account, contacts).
//
// crm-engagements covers the engagements resource only: a unified engagement carries
// `owner: {id}`, `account: {id}`, `contact: [{id}]` and no names. A production app would
// look the names up through Truto's users/accounts/contacts resources; this dashboard
// knows two sources of names:
//   - the built-in mock's seed people and companies (when the server's config says the
//     connection is the demo mock), copied from tests/mock/truto.mjs;
//   - DevRev's own summaries (`display_name`) kept in `remote_data` by the unified mapping.
// Anything else shows its id.

/** @typedef {"owner" | "account" | "contact"} RefKind */

const DEMO = {
  owner: [
    ["usr_1001", "Priya Raman"],
    ["usr_1002", "Marcus Oyelaran"],
    ["usr_1003", "Elena Petrova"],
    ["usr_1004", "Tomás Herrera"],
    ["usr_1005", "Hannah Kim"],
  ],
  account: [
    ["acc_2001", "Northwind Traders"],
    ["acc_2002", "Globex Corporation"],
    ["acc_2003", "Initech"],
    ["acc_2004", "Umbrella Health"],
    ["acc_2005", "Stark Logistics"],
    ["acc_2006", "Wayne Biotech"],
  ],
  contact: [
    ["con_3001", "Jordan Lee"],
    ["con_3002", "Aisha Rossi"],
    ["con_3003", "Wei Iyer"],
    ["con_3004", "Olivia Brown"],
    ["con_3005", "Mateo Tanaka"],
    ["con_3006", "Sofia Khan"],
    ["con_3007", "Liam Murphy"],
    ["con_3008", "Noor Dubois"],
    ["con_3009", "Kenji Silva"],
    ["con_3010", "Grace Okafor"],
    ["con_3011", "Ravi Zhang"],
    ["con_3012", "Chloe Haddad"],
  ],
};

export function createDirectory() {
  /** @type {Record<RefKind, Map<string, string>>} */
  const names = { owner: new Map(), account: new Map(), contact: new Map() };
  /** Ids seen in loaded engagements, so filters can offer them even without a name. */
  /** @type {Record<RefKind, Set<string>>} */
  const seen = { owner: new Set(), account: new Set(), contact: new Set() };

  return {
    /** Names of the built-in mock's seed data. */
    loadDemo() {
      for (const kind of /** @type {RefKind[]} */ (["owner", "account", "contact"])) {
        for (const [id, name] of DEMO[kind]) names[kind].set(id, name);
      }
    },

    clear() {
      for (const map of Object.values(names)) map.clear();
      for (const set of Object.values(seen)) set.clear();
    },

    /**
     * Records the ids of an engagement, and names where the source sent them.
     * @param {import("crm-engagements").Engagement} e
     */
    learn(e) {
      if (e.owner?.id) seen.owner.add(e.owner.id);
      if (e.account?.id) seen.account.add(e.account.id);
      for (const c of e.contact ?? []) if (c?.id) seen.contact.add(c.id);
      // DevRev summaries: { id, display_name | full_name | name, type }
      const raw = /** @type {Record<string, unknown> | null | undefined} */ (e.remote_data);
      for (const key of ["members", "parents"]) {
        const list = raw?.[key];
        if (!Array.isArray(list)) continue;
        for (const s of list) {
          const name = s?.full_name ?? s?.display_name ?? s?.name ?? s?.title;
          if (typeof s?.id !== "string" || typeof name !== "string") continue;
          const kind = s.id === e.owner?.id ? "owner" : s.id === e.account?.id ? "account" : (e.contact ?? []).some((c) => c.id === s.id) ? "contact" : null;
          if (kind && !names[kind].has(s.id)) names[kind].set(s.id, name);
        }
      }
    },

    /** The name for an id, or the id itself. */
    name(/** @type {RefKind} */ kind, /** @type {string | undefined | null} */ id) {
      if (!id) return "";
      return names[kind].get(id) ?? id;
    },

    /** Whether a name is known for the id. */
    has(/** @type {RefKind} */ kind, /** @type {string} */ id) {
      return names[kind].has(id);
    },

    /** Filter and editor options: named ids, then ids only seen in data; by label. */
    options(/** @type {RefKind} */ kind) {
      const ids = new Set([...names[kind].keys(), ...seen[kind]]);
      return [...ids]
        .map((id) => ({ id, label: names[kind].get(id) ?? id }))
        .sort((a, b) => a.label.localeCompare(b.label));
    },
  };
}

/** @typedef {ReturnType<typeof createDirectory>} Directory */
