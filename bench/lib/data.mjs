// Deterministic benchmark data: realistic Truto unified-CRM engagements (21 fields,
// HubSpot-shaped `remote_data`), about 1.1 KB each as compact JSON, and the list
// pages the bench server answers with, precomputed as Buffers.
//
// The data is generated here (not taken from tests/mock/) so that figures stay
// comparable across commits: same seed, same bytes. `DATASET_VERSION` changes
// whenever the shape or size of the data changes on purpose.

export const DATASET_VERSION = 1;
export const PAGE_SIZE = 500;

function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  next.int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1));
  next.pick = (list) => list[Math.floor(next() * list.length)];
  next.chance = (p) => next() < p;
  return next;
}

const OWNERS = [
  ["usr_1001", "41230017", "Priya Raman"], ["usr_1002", "41230018", "Marcus Oyelaran"],
  ["usr_1003", "41230019", "Elena Petrova"], ["usr_1004", "41230020", "Tomás Herrera"],
  ["usr_1005", "41230021", "Hannah Kim"],
];
const ACCOUNTS = [
  ["acc_2001", "Northwind Traders"], ["acc_2002", "Globex Corporation"], ["acc_2003", "Initech"],
  ["acc_2004", "Umbrella Health"], ["acc_2005", "Stark Logistics"], ["acc_2006", "Wayne Biotech"],
];
const CONTACTS = ["Jordan Lee", "Aisha Khan", "Wei Zhang", "Olivia Brown", "Mateo Silva", "Sofia Rossi",
  "Liam Murphy", "Noor Haddad", "Kenji Tanaka", "Grace Okafor", "Ravi Iyer", "Chloe Dubois"];
const TOPICS = ["SSO rollout", "API rate limits", "data migration", "annual renewal", "onboarding plan",
  "usage-based pricing", "Salesforce integration", "procurement timeline", "security questionnaire"];
const TYPES = ["call", "email", "meeting", "note", "task"];
const SUBJECTS = {
  call: ["Discovery call with {c}", "Follow-up call re: {t}", "Pricing discussion with {a}"],
  email: ["Re: {t}", "Proposal for {a}", "Next steps after our demo"],
  meeting: ["Product demo for {a}", "Workshop: {t}", "QBR with {a}"],
  note: ["Notes from call with {c}", "Account research: {a}", "Competitive intel: {t}"],
  task: ["Send follow-up to {c}", "Prepare quote for {a}", "Schedule demo with {c}"],
};
const SENTENCES = [
  "{c} confirmed that {a} is evaluating options for {t} this quarter.",
  "We walked through the current workflow and found three manual steps to automate.",
  "Budget is approved for phase one; procurement needs the security questionnaire.",
  "Main concern: how the {t} work affects their existing reporting dashboards.",
  "Agreed to run a two-week pilot with a small team before the wider rollout.",
];
const BASE = Date.UTC(2024, 0, 8, 9, 0, 0);
const H = 3_600_000;

const fill = (s, n) => s.replace(/\{(\w)\}/g, (_, k) => n[k]);
const iso = (ms) => new Date(ms).toISOString();

/** Engagement number `i` (0-based) of the bench dataset. */
export function engagement(r, i) {
  const type = r.pick(TYPES);
  const [ownerId, ownerRemote, ownerName] = r.pick(OWNERS);
  const [accountId, accountName] = r.pick(ACCOUNTS);
  const ci = r.int(0, CONTACTS.length - 1);
  const n = { c: CONTACTS[ci], a: accountName, t: r.pick(TOPICS) };
  const direction = type === "call" ? r.pick(["inbound", "outbound", "missed"])
    : type === "email" ? r.pick(["inbound", "outbound"]) : undefined;
  const created = BASE + i * 5 * H + r.int(0, 59) * 60_000;
  const start = created + r.int(-48, 240) * H;
  const duration = type === "call" ? r.int(45, 2700) : type === "meeting" ? 1800 : 0;
  const updated = created + r.int(0, 72) * H;
  const contacts = [{ id: `con_${3001 + ci}` }];
  if (r.chance(0.3)) contacts.push({ id: `con_${3001 + ((ci + 1) % CONTACTS.length)}` });
  const item = {
    id: `eng_${String(i + 1).padStart(7, "0")}`,
    engagement_type: type,
    subject: fill(r.pick(SUBJECTS[type]), n),
    content: fill(r.pick(SENTENCES), n),
    start_time: iso(start),
    end_time: iso(start + duration * 1000),
    ...(direction ? { direction } : {}),
    status: type === "email" ? "sent" : type === "note" ? "draft" : "scheduled",
    duration: String(duration),
    owner: { id: ownerId },
    account: { id: accountId },
    contact: contacts,
    opportunity: r.chance(0.5) ? [{ id: `opp_${4000 + r.int(1, 40)}` }] : [],
    lead: r.chance(0.2) ? [{ id: `led_${5000 + r.int(1, 30)}` }] : [],
    project: r.chance(0.3) ? { id: `prj_${6000 + r.int(1, 12)}` } : null,
    notes: r.chance(0.3) ? [{ id: `nte_${7000 + i}` }] : [],
    phone_numbers: type === "call"
      ? [{ id: `phn_${i + 1}`, number: `+1 415 555 0${100 + ci * 7}`, extension: null, type: "work" }] : [],
    internal_notes: r.chance(0.5) ? `Logged by ${ownerName} via ${r.pick(["Dialer", "Gmail sync", "web"])}.` : null,
    custom_fields: {
      priority: r.pick(["low", "medium", "high"]),
      source: r.pick(["inbound_lead", "partner_referral", "existing_customer"]),
      follow_up_required: r.chance(0.5),
    },
    created_at: iso(created),
    updated_at: iso(updated),
  };
  item.remote_data = {
    id: String(80_000_000_000 + i * 7919),
    properties: {
      hs_engagement_type: type.toUpperCase(),
      hs_timestamp: item.start_time,
      hubspot_owner_id: ownerRemote,
    },
    associations: {
      companies: { results: [{ id: String(9_100_000 + Number(accountId.slice(4))), type: "engagement_to_company" }] },
      contacts: { results: contacts.map((c) => ({ id: String(9_500_000 + Number(c.id.slice(4))), type: "engagement_to_contact" })) },
    },
    createdAt: item.created_at,
    updatedAt: item.updated_at,
    archived: false,
  };
  return item;
}

/** The compact JSON of page `p` (0-based) of items: `[...]`, as a string. */
export function pageItemsJson(p, pageSize = PAGE_SIZE) {
  const r = rng(0x5eed + p * 7919);
  const items = [];
  for (let k = 0; k < pageSize; k += 1) items.push(engagement(r, p * pageSize + k));
  return JSON.stringify(items);
}

/** The cursor that leads to page `p` of a dataset (opaque to clients). */
export const cursorFor = (p) => `c${p}`;

/** Truto's list envelope around already-serialised items. */
export function envelope(itemsJson, nextCursor, count) {
  return Buffer.from(`{"result":${itemsJson},"next_cursor":${JSON.stringify(nextCursor)},"result_count":${count}}`);
}

/** `pages` list pages chained by next_cursor (the last has `null`). */
export function buildPages(itemPages) {
  return itemPages.map((json, p) =>
    envelope(json, p + 1 < itemPages.length ? cursorFor(p + 1) : null, PAGE_SIZE));
}
