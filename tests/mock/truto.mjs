/**
 * Mock of Truto's Unified CRM API — engagements resource.
 *
 * Plain Node 20 ESM, zero dependencies. The module exports a *provider*: an
 * object that can answer the requests it owns on a shared `node:http` server
 * (see ./server.mjs, which adds CORS, request ids, recording and faults).
 *
 * Provider interface (shared with other provider mocks, e.g. ./devrev.mjs):
 *   {
 *     name: 'truto',
 *     owns(pathname) -> boolean            // does this provider answer that path?
 *     handle(req, res, url, bodyBuffer) -> boolean   // true if handled
 *     reset(options)                       // back to a pristine state
 *     store(accountId) -> Engagement[]     // live array for one account
 *     state                                // all mutable state (for inspection)
 *   }
 *
 * `handle` is synchronous; it always finishes the response itself (for
 * `truto_response_format=stream` it keeps writing asynchronously and ends the
 * response when done).
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { STATUS_CODES } from 'node:http';

export const TRUTO_ENGAGEMENTS_PATH = '/unified/crm/engagements';
export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';
export const NDJSON_CONTENT_TYPE = 'application/x-ndjson';

const DEFAULT_TOKEN = 'test-token';
const DEFAULT_SEED = 25;
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;
const DEFAULT_RATE_LIMIT = 10_000; // requests per window; high enough for test suites
const DEFAULT_RATE_WINDOW_MS = 60_000;

/**
 * Truto's documented limits (API.md, "Rate limits, budgets and long
 * listings"): 50 requests per 10 s per integrated account and 500 per 10 s
 * per API token, as sliding windows of the requests each admitted; one
 * more is answered 429 with `Retry-After: 10` (and not counted).
 * `limits: false` turns them off (for the suites that measure something
 * else at volume); `limits: { perAccount, perToken }` sets others (`false`
 * or omitted: that one off / documented).
 */
export const TRUTO_LIMITS = Object.freeze({
  perAccount: Object.freeze({ requests: 50, intervalMs: 10_000 }),
  perToken: Object.freeze({ requests: 500, intervalMs: 10_000 }),
});
export const TRUTO_LIMIT_RETRY_AFTER_S = 10;

/** `limits` option → `{ perAccount, perToken }` of windows or null. */
function resolveLimits(limits) {
  if (limits === false) return { perAccount: null, perToken: null };
  const pick = (name) => {
    const given = limits?.[name];
    if (given === false) return null;
    if (given === undefined) return TRUTO_LIMITS[name];
    if (!(Number.isInteger(given.requests) && given.requests >= 1 && given.intervalMs > 0)) {
      throw new Error(`limits.${name} must be false or { requests >= 1, intervalMs > 0 }`);
    }
    return { requests: given.requests, intervalMs: given.intervalMs };
  };
  return { perAccount: pick('perAccount'), perToken: pick('perToken') };
}
const STREAM_CHUNK_LINES = 10;

const SORTABLE_FIELDS = new Set(['created_at', 'updated_at', 'start_time', 'subject']);
const TIME_FIELDS = new Set(['created_at', 'updated_at', 'start_time', 'end_time']);
const RESPONSE_FORMATS = new Set(['unified', 'normalized', 'raw', 'stream']);
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

/**
 * An error that maps directly onto a Truto error response; `extra` is merged
 * into the body (`truto_is_remote_error`, `raw_response`, `truto_error_insight`).
 */
export class HttpError extends Error {
  constructor(status, message, headers = {}, extra = {}) {
    super(message);
    this.status = status;
    this.headers = headers;
    this.extra = extra;
  }
}

/** One `truto_error_insight` entry: `{ description, value }`. */
function insightEntry(description, value) {
  return value === undefined ? { description } : { description, value };
}

/**
 * Integrated accounts whose CRM behaves in one of the ways Truto documents
 * (API reference, "Errors"), by account id: `acct-sandbox`, or any id
 * `acct-sandbox:<suffix>` (so concurrent test runs each have their own
 * account and counters). `reset({ remote: { id: profile } })` adds or
 * replaces entries; every other account is a healthy CRM.
 *
 *   needs_reauth   every call: remote 401 (the CRM revoked the connection), raw_response kept
 *   sandbox        reads work; writes: 405, the account is a read-only sandbox
 *   missing_scopes reads work; writes: remote 403 with insight forbidden_error.value.missing_scopes
 *   terse          reads work; writes: remote 422 with an empty `message`, the CRM's message in raw_response
 *   throttled      every other call: remote 429 forwarding the CRM's `Retry-After: 1`
 *   strict         create needs `subject` and `contact`: 400 with insight missing_required_body_fields
 *                  (and the informational conditionally_required_body_fields)
 */
export const REMOTE_PROFILES = Object.freeze(['needs_reauth', 'sandbox', 'missing_scopes', 'terse', 'throttled', 'strict']);
export const DEFAULT_REMOTE_ACCOUNTS = Object.freeze({
  'acct-needs-reauth': 'needs_reauth',
  'acct-sandbox': 'sandbox',
  'acct-missing-scopes': 'missing_scopes',
  'acct-terse': 'terse',
  'acct-throttled': 'throttled',
  'acct-strict': 'strict',
});
export const STRICT_REQUIRED_BODY_FIELDS = Object.freeze(['subject', 'contact']);
export const MISSING_SCOPES = Object.freeze(['crm.objects.contacts.write', 'crm.schemas.custom.read']);

/** Truto's error body: `{ statusCode, error, message }`. */
export function trutoErrorBody(status, message) {
  const reason = STATUS_CODES[status] ?? 'Error';
  return { statusCode: status, error: reason, message: message ?? reason };
}

// ---------------------------------------------------------------------------
// Query-string parsing (bracket syntax: a[b]=c, a[]=x, a[b][c]=d)
// ---------------------------------------------------------------------------

/** Decodes one query component (`+` is a space). Throws URIError on bad `%`. */
function decodeComponent(text) {
  return decodeURIComponent(text.replace(/\+/g, ' '));
}

/** `a[b][]` → `['a', 'b', '']`; keys without valid brackets stay whole. */
function splitKey(key) {
  const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
  if (!match) return [key];
  const rest = [...match[2].matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1]);
  return [match[1], ...rest];
}

/** Whether the next path segment asks for an array container. */
function wantsArray(segment) {
  return segment === '' || /^\d+$/.test(segment);
}

/** Puts a leaf value into an object, turning repeats into arrays. */
function setLeaf(container, key, value) {
  const existing = container[key];
  if (existing === undefined) container[key] = value;
  else if (Array.isArray(existing)) existing.push(value);
  else container[key] = [existing, value];
}

/** Appends into an array container (`a[]=x`, `a[][id]=x`, `a[0]=x`). */
function assignInArray(array, segment, rest, value) {
  if (rest.length === 0) {
    if (segment === '') array.push(value);
    else array[Number(segment)] = value;
    return;
  }
  let child;
  if (segment === '') {
    const last = array[array.length - 1];
    const reusable = last && typeof last === 'object' && !(rest.length === 1 && rest[0] in last);
    child = reusable ? last : null;
    if (!child) array.push((child = wantsArray(rest[0]) ? [] : Object.create(null)));
  } else {
    const index = Number(segment);
    child = array[index] && typeof array[index] === 'object' ? array[index] : null;
    if (!child) array[index] = child = wantsArray(rest[0]) ? [] : Object.create(null);
  }
  assignPath(child, rest, value);
}

/** Assigns `value` at a bracket path inside `container`. */
function assignPath(container, path, value) {
  const [segment, ...rest] = path;
  if (UNSAFE_KEYS.has(segment)) return;
  if (Array.isArray(container)) return assignInArray(container, segment, rest, value);
  if (rest.length === 0) return setLeaf(container, segment, value);
  let child = container[segment];
  if (!child || typeof child !== 'object') {
    child = container[segment] = wantsArray(rest[0]) ? [] : Object.create(null);
  }
  assignPath(child, rest, value);
}

/**
 * Parses a raw query string (without `?`) into nested objects. Keys and
 * values are percent-decoded before bracket parsing, so `account%5Bid%5D=A1`
 * equals `account[id]=A1`. Throws HttpError(400) on malformed escapes.
 */
export function parseQuery(raw) {
  const query = Object.create(null);
  for (const part of raw.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    let key;
    let value;
    try {
      key = decodeComponent(eq < 0 ? part : part.slice(0, eq));
      value = decodeComponent(eq < 0 ? '' : part.slice(eq + 1));
    } catch {
      throw new HttpError(400, 'Malformed query string');
    }
    if (key) assignPath(query, splitKey(key), value);
  }
  return query;
}

/** Last scalar string of a query value (repeats → last one; objects → undefined). */
function scalar(value) {
  if (Array.isArray(value)) return scalar(value[value.length - 1]);
  return typeof value === 'string' ? value : undefined;
}

/** All scalar strings in a query value (string, array, or nested arrays). */
function scalars(value) {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(scalars);
  return [];
}

/** `'true'`/`'1'` → true. */
function isTrue(value) {
  const text = scalar(value);
  return text === 'true' || text === '1';
}

// ---------------------------------------------------------------------------
// Deterministic data generation
// ---------------------------------------------------------------------------

/** 32-bit seed from a string (first 4 bytes of SHA-256). */
function seedFromString(text) {
  return createHash('sha256').update(text).digest().readUInt32LE(0);
}

/** mulberry32: tiny, fast, good-enough deterministic PRNG. */
function createRng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  next.int = (min, max) => min + Math.floor(next() * (max - min + 1));
  next.pick = (list) => list[Math.floor(next() * list.length)];
  next.chance = (p) => next() < p;
  return next;
}

const OWNERS = [
  { id: 'usr_1001', remote: '41230017', name: 'Priya Raman', email: 'priya.raman@acme-sales.example' },
  { id: 'usr_1002', remote: '41230018', name: 'Marcus Oyelaran', email: 'marcus.oyelaran@acme-sales.example' },
  { id: 'usr_1003', remote: '41230019', name: 'Elena Petrova', email: 'elena.petrova@acme-sales.example' },
  { id: 'usr_1004', remote: '41230020', name: 'Tomás Herrera', email: 'tomas.herrera@acme-sales.example' },
  { id: 'usr_1005', remote: '41230021', name: 'Hannah Kim', email: 'hannah.kim@acme-sales.example' },
];

const ACCOUNTS = [
  { id: 'acc_2001', name: 'Northwind Traders', domain: 'northwind.example' },
  { id: 'acc_2002', name: 'Globex Corporation', domain: 'globex.example' },
  { id: 'acc_2003', name: 'Initech', domain: 'initech.example' },
  { id: 'acc_2004', name: 'Umbrella Health', domain: 'umbrella-health.example' },
  { id: 'acc_2005', name: 'Stark Logistics', domain: 'stark-logistics.example' },
  { id: 'acc_2006', name: 'Wayne Biotech', domain: 'waynebio.example' },
];

const FIRST_NAMES = ['Jordan', 'Aisha', 'Wei', 'Olivia', 'Mateo', 'Sofia', 'Liam', 'Noor', 'Kenji', 'Grace', 'Ravi', 'Chloe'];
const LAST_NAMES = ['Lee', 'Khan', 'Zhang', 'Brown', 'Silva', 'Rossi', 'Murphy', 'Haddad', 'Tanaka', 'Okafor', 'Iyer', 'Dubois'];

/** Two contacts per account, derived from the pools above. */
const CONTACTS = ACCOUNTS.flatMap((account, a) =>
  [0, 1].map((k) => {
    const i = a * 2 + k;
    const first = FIRST_NAMES[i];
    const last = LAST_NAMES[(i * 5) % LAST_NAMES.length];
    return {
      id: `con_${3001 + i}`,
      accountId: account.id,
      name: `${first} ${last}`,
      email: `${first}.${last}@${account.domain}`.toLowerCase(),
      phone: `+1 415 555 ${String(100 + i * 7).padStart(4, '0')}`,
    };
  }),
);

const TOPICS = ['SSO rollout', 'API rate limits', 'data migration', 'annual renewal', 'onboarding plan',
  'usage-based pricing', 'Salesforce integration', 'procurement timeline', 'security questionnaire', 'pilot success criteria'];

const SUBJECTS = {
  call: ['Discovery call with {contact}', 'Follow-up call re: {topic}', 'Pricing discussion with {account}',
    'Quarterly check-in call', 'Renewal call — {account}'],
  email: ['Re: {topic}', 'Proposal for {account}', 'Intro: {owner} <> {contact}', 'Next steps after our demo',
    'Contract redlines for {account}'],
  meeting: ['Product demo for {account}', 'Workshop: {topic}', 'QBR with {account}',
    'Security review with {contact}', 'Kickoff meeting — {topic}'],
  note: ['Notes from call with {contact}', 'Account research: {account}', 'Champion identified at {account}',
    'Competitive intel: {topic}'],
  task: ['Send follow-up to {contact}', 'Prepare quote for {account}', 'Schedule demo with {contact}',
    'Update opportunity stage for {account}'],
};

const SENTENCES = [
  '{contact} confirmed that {account} is evaluating options for {topic} this quarter.',
  'We walked through the current workflow and identified three manual steps we can automate.',
  'Budget is approved for the first phase; procurement needs a signed security questionnaire.',
  '{owner} will share the revised proposal including volume discounts by Friday.',
  'Main concern raised: how the {topic} work affects their existing reporting dashboards.',
  'They asked for two customer references in a similar industry and company size.',
  'Legal wants to review the data processing addendum before the next meeting.',
  'Decision makers are the VP of Operations and the Head of IT; {contact} is our champion.',
  'Agreed to run a two-week pilot with a small team before the wider rollout.',
  'Timeline is tight because their current vendor contract ends at the end of next month.',
];

const TYPES = ['call', 'email', 'meeting', 'note', 'task'];
const BASE_TIME = Date.UTC(2024, 0, 8, 9, 0, 0);
const HOUR = 3_600_000;
const MINUTE = 60_000;

/** Replaces `{owner}`, `{contact}`, `{account}`, `{topic}` placeholders. */
function fill(template, names) {
  return template.replace(/\{(\w+)\}/g, (_, key) => names[key] ?? '');
}

/** Picks 1..3 distinct contacts, preferring those at the engagement's account. */
function pickContacts(rng, accountId) {
  const local = CONTACTS.filter((c) => c.accountId === accountId);
  const chosen = [rng.pick(local)];
  if (rng.chance(0.4)) chosen.push(local.find((c) => c !== chosen[0]));
  if (rng.chance(0.15)) chosen.push(rng.pick(CONTACTS.filter((c) => !chosen.includes(c))));
  return chosen;
}

/** Direction is only meaningful for calls and emails. */
function pickDirection(rng, type) {
  if (type === 'call') return rng.pick(['inbound', 'outbound', 'outbound', 'missed']);
  if (type === 'email') return rng.pick(['inbound', 'outbound', 'outbound']);
  return undefined;
}

/** A plausible status for the type/direction. */
function pickStatus(rng, type, direction) {
  if (type === 'email') return direction === 'inbound' ? 'inbox' : rng.pick(['sent', 'sent', 'draft', 'outbox']);
  if (type === 'meeting' || type === 'task') return rng.pick(['scheduled', 'scheduled', 'sent']);
  if (type === 'note') return rng.pick(['draft', 'sent']);
  return 'sent';
}

/** Duration in seconds, as Truto returns it (a string). */
function pickDuration(rng, type, direction) {
  if (type === 'call') return direction === 'missed' ? 0 : rng.int(45, 2700);
  if (type === 'meeting') return rng.pick([900, 1800, 2700, 3600]);
  if (type === 'task') return rng.pick([0, 900, 1800]);
  return 0;
}

/** Phone numbers only for calls. */
function phoneNumbersFor(rng, type, contact, index) {
  if (type !== 'call') return [];
  return [{
    id: `phn_${String(index).padStart(6, '0')}`,
    number: contact.phone,
    extension: rng.chance(0.3) ? String(rng.int(100, 999)) : null,
    type: rng.pick(['work', 'mobile', 'main']),
  }];
}

/** Builds the free-text body from 2–3 distinct templated sentences. */
function contentFor(rng, names) {
  const count = rng.int(2, 3);
  const parts = [];
  while (parts.length < count) {
    const sentence = fill(rng.pick(SENTENCES), names);
    if (!parts.includes(sentence)) parts.push(sentence);
  }
  return parts.join(' ');
}

/**
 * Generates engagement number `index` (1-based) for an account. Uses the
 * account's PRNG so the same account id always yields the same items.
 */
function generateEngagement(rng, index) {
  const type = rng.pick(TYPES);
  const owner = rng.pick(OWNERS);
  const account = rng.pick(ACCOUNTS);
  const contacts = pickContacts(rng, account.id);
  const names = { owner: owner.name, contact: contacts[0].name, account: account.name, topic: rng.pick(TOPICS) };
  const direction = pickDirection(rng, type);
  const createdMs = BASE_TIME + index * 5 * HOUR + rng.int(0, 59) * MINUTE;
  const startMs = createdMs + rng.int(-48, 240) * HOUR + rng.pick([0, 15, 30, 45]) * MINUTE;
  const duration = pickDuration(rng, type, direction);
  const updatedMs = createdMs + rng.int(0, 72) * HOUR + rng.int(0, 59) * MINUTE;
  const item = {
    id: `eng_${String(index).padStart(6, '0')}`,
    engagement_type: type,
    subject: fill(rng.pick(SUBJECTS[type]), names),
    content: contentFor(rng, names),
    start_time: new Date(startMs).toISOString(),
    end_time: new Date(startMs + duration * 1000).toISOString(),
    ...(direction ? { direction } : {}),
    status: pickStatus(rng, type, direction),
    duration: String(duration),
    owner: { id: owner.id },
    account: { id: account.id },
    contact: contacts.map((c) => ({ id: c.id })),
    opportunity: rng.chance(0.5) ? [{ id: `opp_${4000 + rng.int(1, 40)}` }] : [],
    lead: rng.chance(0.2) ? [{ id: `led_${5000 + rng.int(1, 30)}` }] : [],
    project: rng.chance(0.3) ? { id: `prj_${6000 + rng.int(1, 12)}` } : null,
    notes: rng.chance(0.35) ? [{ id: `nte_${7000 + index}` }] : [],
    phone_numbers: phoneNumbersFor(rng, type, contacts[0], index),
    internal_notes: rng.chance(0.5) ? `Logged by ${owner.name} via ${rng.pick(['Gmail sync', 'Dialer', 'mobile app', 'web'])}.` : null,
    custom_fields: {
      priority: rng.pick(['low', 'medium', 'high']),
      source: rng.pick(['inbound_lead', 'outbound_prospecting', 'partner_referral', 'existing_customer']),
      deal_stage_at_time: rng.pick(['qualification', 'discovery', 'proposal', 'negotiation', 'closed_won']),
      follow_up_required: rng.chance(0.5),
    },
    created_at: new Date(createdMs).toISOString(),
    updated_at: new Date(updatedMs).toISOString(),
  };
  item.remote_data = buildRemoteData(item, String(80_000_000_000 + index * 7_919 + rng.int(0, 999)));
  return item;
}

/** Generates `count` engagements for `accountId`, deterministically. */
export function generateEngagements(accountId, count) {
  const rng = createRng(seedFromString(`truto:${accountId}`));
  const items = [];
  for (let i = 1; i <= count; i += 1) items.push(generateEngagement(rng, i));
  return items;
}

/** Owner remote id for a unified owner id (falls back to the id itself). */
function remoteOwnerId(ownerId) {
  return OWNERS.find((o) => o.id === ownerId)?.remote ?? ownerId ?? null;
}

/** Association list in HubSpot's `{ results: [{ id, type }] }` shape. */
function associations(refs, type) {
  const list = Array.isArray(refs) ? refs : refs ? [refs] : [];
  return { results: list.filter((r) => r && r.id).map((r) => ({ id: String(r.id), type })) };
}

/**
 * A plausible raw CRM object (HubSpot v3 engagement shape) for a unified
 * engagement. All property values are strings, as HubSpot returns them.
 */
export function buildRemoteData(item, remoteId) {
  const type = String(item.engagement_type ?? 'note').toUpperCase();
  const str = (v) => (v === undefined || v === null ? null : String(v));
  return {
    id: remoteId,
    properties: {
      hs_engagement_type: type,
      hs_timestamp: str(item.start_time),
      hs_activity_title: str(item.subject),
      hs_body_preview: str(item.content)?.slice(0, 60) ?? null,
      hs_engagement_direction: str(item.direction?.toUpperCase?.()),
      hs_engagement_status: str(item.status?.toUpperCase?.()),
      hs_duration_ms: item.duration === undefined ? null : String(Number(item.duration) * 1000),
      hubspot_owner_id: str(remoteOwnerId(item.owner?.id)),
    },
    associations: {
      companies: associations(item.account, 'engagement_to_company'),
      contacts: associations(item.contact, 'engagement_to_contact'),
      ...(refIds(item.opportunity).length ? { deals: associations(item.opportunity, 'engagement_to_deal') } : {}),
    },
    createdAt: str(item.created_at),
    updatedAt: str(item.updated_at),
    archived: false,
  };
}

// ---------------------------------------------------------------------------
// Filtering, sorting, shaping
// ---------------------------------------------------------------------------

/** Parses a time filter value; 400 if it is not a date. */
function parseTimeParam(name, value) {
  const text = scalar(value);
  const ms = Date.parse(text ?? '');
  if (Number.isNaN(ms)) throw new HttpError(400, `${name} must be a valid ISO 8601 date-time`);
  return ms;
}

/** Ids inside `x[id]=..`, `x[][id]=..`, `x[id][]=..` or a plain list of ids. */
function idsFrom(value) {
  if (value === undefined) return [];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(idsFrom);
  return scalars(value.id);
}

/** Ids referenced by a unified relation (object or array of objects). */
function refIds(ref) {
  if (!ref) return [];
  return (Array.isArray(ref) ? ref : [ref]).map((r) => r?.id).filter((id) => id !== undefined);
}

/** Builds the list of predicates requested by the query. */
function buildPredicates(query) {
  const predicates = [];
  const exact = (field, param = field) => {
    const wanted = scalars(query[param]);
    if (wanted.length) predicates.push((it) => wanted.includes(it[field]));
  };
  const relation = (field, ...params) => {
    const wanted = params.flatMap((p) => (p === field ? idsFrom(query[p]) : scalars(query[p])));
    if (wanted.length) predicates.push((it) => refIds(it[field]).some((id) => wanted.includes(id)));
  };
  exact('engagement_type');
  exact('status');
  exact('direction');
  relation('account', 'account', 'account_id');
  relation('owner', 'owner', 'owner_id');
  relation('contact', 'contact', 'contact_id');
  const subject = scalar(query.subject);
  if (subject) predicates.push((it) => String(it.subject ?? '').toLowerCase().includes(subject.toLowerCase()));
  if (query.start_time !== undefined) {
    const from = parseTimeParam('start_time', query.start_time);
    predicates.push((it) => Date.parse(it.start_time) >= from);
  }
  if (query.end_time !== undefined) {
    const until = parseTimeParam('end_time', query.end_time);
    predicates.push((it) => Date.parse(it.start_time) < until);
  }
  // Truto refuses a start_time..end_time range over one (calendar) year.
  if (query.start_time !== undefined && query.end_time !== undefined) {
    const from = new Date(parseTimeParam('start_time', query.start_time));
    const yearLater = new Date(from);
    yearLater.setUTCFullYear(from.getUTCFullYear() + 1);
    if (yearLater.getUTCDate() !== from.getUTCDate()) yearLater.setUTCDate(0); // Feb 29 + 1 year: Feb 28
    if (parseTimeParam('end_time', query.end_time) > yearLater.getTime()) {
      throw new HttpError(400, 'the range from start_time to end_time must not exceed one year');
    }
  }
  return predicates;
}

/** Parses `sort_by` (`field`, `-field`, or `sort_by[field]=asc|desc`). */
function parseSort(value) {
  if (value === undefined) return null;
  let field;
  let descending = false;
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    [field] = Object.keys(value);
    descending = scalar(value[field])?.toLowerCase() === 'desc';
  } else {
    field = scalar(value) ?? '';
    if (field.startsWith('-')) [descending, field] = [true, field.slice(1)];
  }
  if (!SORTABLE_FIELDS.has(field)) throw new HttpError(400, `Invalid sort_by: ${field || '(empty)'}`);
  return { field, descending };
}

/** Comparable key: timestamps as epoch ms, everything else as lower-case text. */
function sortKey(item, field) {
  const value = item[field];
  if (value === undefined || value === null) return null;
  if (TIME_FIELDS.has(field)) return Date.parse(value);
  return String(value).toLowerCase();
}

/** Stable sort (missing values last regardless of direction). */
function sortItems(items, sort) {
  if (!sort) return items;
  const sign = sort.descending ? -1 : 1;
  return [...items].sort((a, b) => {
    const ka = sortKey(a, sort.field);
    const kb = sortKey(b, sort.field);
    if (ka === kb) return 0;
    if (ka === null) return 1;
    if (kb === null) return -1;
    return ka < kb ? -sign : sign;
  });
}

/** `limit`: default 100, clamped to 1000; 400 unless a positive integer. */
function parseLimit(value) {
  if (value === undefined) return DEFAULT_LIMIT;
  const text = scalar(value) ?? '';
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new HttpError(400, 'limit must be a positive integer');
  return Math.min(Number(text), MAX_LIMIT);
}

/** `truto_response_format`: unified (default), normalized, raw or stream. */
function parseFormat(value) {
  if (value === undefined) return 'unified';
  const format = scalar(value) ?? '';
  if (!RESPONSE_FORMATS.has(format)) throw new HttpError(400, `Invalid truto_response_format: ${format}`);
  return format === 'normalized' ? 'unified' : format;
}

/** `truto_exclude_fields[]=a&truto_exclude_fields[]=b` or `truto_exclude_fields=a,b`. */
function parseExcludes(value) {
  return scalars(value).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}

/** Reads the shaping options shared by list, get, create and update. */
function parseShape(query) {
  return {
    format: parseFormat(query.truto_response_format),
    exclude: parseExcludes(query.truto_exclude_fields),
    ignoreRemote: isTrue(query.truto_ignore_remote_data),
    keyBy: scalar(query.truto_key_by) || null,
  };
}

/** Applies response format, exclusions and remote-data removal to one item. */
function shapeItem(item, shape) {
  const base = shape.format === 'raw' ? item.remote_data ?? {} : item;
  const out = { ...base };
  if (shape.ignoreRemote && shape.format !== 'raw') delete out.remote_data;
  for (const field of shape.exclude) delete out[field];
  return out;
}

/** Reads a dotted path (`owner.id`) from an object. */
function readPath(object, path) {
  return path.split('.').reduce((node, key) => (node == null ? undefined : node[key]), object);
}

/** Shapes a page of items, keyed by `truto_key_by` when requested. */
function shapeResult(items, shape) {
  if (!shape.keyBy) return items.map((it) => shapeItem(it, shape));
  const keyed = {};
  for (const item of items) {
    const source = shape.format === 'raw' ? item.remote_data ?? {} : item;
    keyed[String(readPath(source, shape.keyBy) ?? '')] = shapeItem(item, shape);
  }
  return keyed;
}

// ---------------------------------------------------------------------------
// The provider
// ---------------------------------------------------------------------------

/**
 * Creates the Truto engagements mock.
 * @param {object} [options]
 * @param {string} [options.token='test-token'] accepted bearer token
 * @param {number} [options.seed=25] engagements generated for a new account
 * @param {Record<string, number>} [options.accounts] per-account counts
 * @param {number} [options.rateLimit=10000] requests per rate-limit window
 * @param {number} [options.rateWindowMs=60000] rate-limit window length
 * @param {false|{perAccount?, perToken?}} [options.limits] Truto's documented limits (see TRUTO_LIMITS)
 */
export function createTrutoMock(options = {}) {
  const initial = { ...options };
  const state = {};

  // --- state ---------------------------------------------------------------

  /** Back to pristine; `opts` overrides the construction options. */
  function reset(opts = {}) {
    const merged = { ...initial, ...stripUndefined(opts) };
    state.token = merged.token ?? DEFAULT_TOKEN;
    state.seed = merged.seed ?? DEFAULT_SEED;
    state.accountCounts = new Map(Object.entries(merged.accounts ?? {}));
    state.remote = new Map(Object.entries({ ...DEFAULT_REMOTE_ACCOUNTS, ...(merged.remote ?? {}) }));
    for (const [id, profile] of state.remote) {
      if (!REMOTE_PROFILES.includes(profile)) throw new Error(`remote.${id}: unknown profile ${JSON.stringify(profile)}`);
    }
    state.remoteCalls = new Map(); // account id → calls answered (for `throttled`)
    state.accounts = new Map(); // account id → ordered Engagement[]
    state.idempotency = new Map(); // `${account}\n${key}` → stored response
    state.cursorSecret = randomBytes(16);
    state.createdCount = 0;
    state.limits = resolveLimits(merged.limits);
    state.windows = new Map(); // `token\n<token>` or `account\n<token>\n<id>` → admitted arrival times
    state.limited = { account: 0, token: 0 }; // 429s served by the documented limits
    state.rate = {
      limit: merged.rateLimit ?? DEFAULT_RATE_LIMIT,
      windowMs: merged.rateWindowMs ?? DEFAULT_RATE_WINDOW_MS,
      windowStart: Date.now(),
      used: 0,
    };
    for (const id of state.accountCounts.keys()) store(id);
  }

  /** Live engagement array of an account; seeds it on first sight. */
  /**
   * An account's count: configured, or N for an id `acct-<N>-items` /
   * `acct-<N>-items:<run>` (a large account a concurrent test run can have
   * to itself), or the seed.
   */
  function store(accountId) {
    const id = String(accountId);
    if (!state.accounts.has(id)) {
      const sized = /^acct-(\d{1,6})-items(?::|$)/.exec(id);
      const count = Number(state.accountCounts.get(id) ?? (sized ? sized[1] : state.seed));
      state.accounts.set(id, generateEngagements(id, count));
    }
    return state.accounts.get(id);
  }

  // --- rate limiting -------------------------------------------------------

  /** Rolls the window forward when it has elapsed. */
  function currentWindow() {
    const rate = state.rate;
    const now = Date.now();
    if (now - rate.windowStart >= rate.windowMs) [rate.windowStart, rate.used] = [now, 0];
    return rate;
  }

  /** `ratelimit-*` headers describing the current window. */
  function rateHeaders() {
    const rate = currentWindow();
    const resetSeconds = Math.max(1, Math.ceil((rate.windowStart + rate.windowMs - Date.now()) / 1000));
    return {
      'ratelimit-limit': String(rate.limit),
      'ratelimit-remaining': String(Math.max(0, rate.limit - rate.used)),
      'ratelimit-reset': String(resetSeconds),
    };
  }

  /** Counts one request; 429 with `retry-after` once the window is spent. */
  function consumeRate(ctx) {
    const rate = currentWindow();
    if (rate.used >= rate.limit) {
      ctx.rateHeaders = rateHeaders();
      throw new HttpError(429, 'Rate limit exceeded', { 'retry-after': ctx.rateHeaders['ratelimit-reset'] });
    }
    rate.used += 1;
    ctx.rateHeaders = rateHeaders();
  }

  /**
   * Truto's documented limits: the token's window, then the account's; a
   * request both admit is counted in both, one either refuses in neither.
   */
  function enforceLimits(ctx) {
    const now = Date.now();
    const token = ctx.token;
    const checks = [
      ['token', `token\n${token}`, state.limits.perToken],
      ['account', `account\n${token}\n${ctx.accountId}`, state.limits.perAccount],
    ].filter(([, , limit]) => limit);
    const windows = checks.map(([scope, key, limit]) => {
      const live = (state.windows.get(key) ?? []).filter((t) => t > now - limit.intervalMs);
      state.windows.set(key, live);
      return { scope, live, limit };
    });
    const full = windows.find(({ live, limit }) => live.length >= limit.requests);
    if (full) {
      state.limited[full.scope] += 1;
      const { requests, intervalMs } = full.limit;
      throw new HttpError(429, `Rate limit exceeded: ${requests} requests per ${intervalMs / 1000} s per ${full.scope === 'token' ? 'API token' : 'integrated account'}`,
        { 'retry-after': String(TRUTO_LIMIT_RETRY_AFTER_S) });
    }
    for (const { live } of windows) live.push(now);
  }

  // --- cursors -------------------------------------------------------------

  /** Opaque, signed, base64url cursor for an offset within an account. */
  function encodeCursor(accountId, offset) {
    const sig = signCursor(accountId, offset);
    return Buffer.from(JSON.stringify({ o: offset, s: sig })).toString('base64url');
  }

  function signCursor(accountId, offset) {
    return createHmac('sha256', state.cursorSecret).update(`${accountId}\n${offset}`).digest('base64url').slice(0, 22);
  }

  /** Offset from a cursor; 400 `Invalid cursor` if forged, foreign or garbled. */
  function decodeCursor(accountId, value) {
    if (value === undefined) return 0;
    const text = scalar(value) ?? '';
    try {
      if (!/^[A-Za-z0-9_-]+$/.test(text)) throw new Error('not base64url');
      const { o, s } = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
      if (Number.isInteger(o) && o >= 0 && s === signCursor(accountId, o)) return o;
    } catch {
      // fall through
    }
    throw new HttpError(400, 'Invalid cursor');
  }

  // --- responses -----------------------------------------------------------

  /** Writes a JSON response with the Truto headers. */
  function sendJson(ctx, status, payload, headers = {}) {
    sendText(ctx, status, JSON.stringify(payload), headers);
  }

  function sendText(ctx, status, text, headers = {}) {
    ctx.res.writeHead(status, {
      'content-type': JSON_CONTENT_TYPE,
      'content-length': String(Buffer.byteLength(text)),
      ...(ctx.rateHeaders ?? rateHeaders()),
      ...headers,
    });
    ctx.res.end(text);
  }

  function sendError(ctx, err) {
    if (!(err instanceof HttpError)) {
      console.error('[truto mock] handler error:', err);
      err = new HttpError(500, 'Internal server error');
    }
    sendJson(ctx, err.status, { ...trutoErrorBody(err.status, err.message), ...err.extra }, err.headers);
  }

  /** Writes `lines` as NDJSON in several chunks, yielding between them. */
  async function streamLines(ctx, lines) {
    const { res } = ctx;
    res.writeHead(200, { 'content-type': NDJSON_CONTENT_TYPE, ...ctx.rateHeaders });
    for (let i = 0; i < lines.length; i += STREAM_CHUNK_LINES) {
      if (res.destroyed) return;
      res.write(lines.slice(i, i + STREAM_CHUNK_LINES).join(''));
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (!res.destroyed) res.end();
  }

  // --- request validation --------------------------------------------------

  /**
   * The configured token, or `<token>:<run>`: a concurrent test run's own
   * token, so that runs sharing one mock do not share a token window.
   */
  function authenticate(ctx) {
    const header = ctx.req.headers.authorization ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header.trim());
    const token = match?.[1].trim();
    if (!token || (token !== state.token && !token.startsWith(`${state.token}:`))) throw new HttpError(401, 'Invalid API token');
    ctx.token = token;
  }

  function requireAccount(query) {
    const id = scalar(query.integrated_account_id);
    if (!id) {
      throw new HttpError(400, 'integrated_account_id is required', {}, {
        truto_error_insight: {
          missing_required_query_parameters: insightEntry('These query parameters are required.', ['integrated_account_id']),
        },
      });
    }
    return id;
  }

  /** A remote error: what the CRM answered, as Truto forwards it. */
  function remoteError(status, message, rawResponse, { headers = {}, insight } = {}) {
    const extra = { truto_is_remote_error: true, raw_response: rawResponse };
    if (insight) extra.truto_error_insight = insight;
    return new HttpError(status, message, headers, extra);
  }

  /** What the account's CRM does to this call (see REMOTE_PROFILES), before the handler runs. */
  function remoteBehaviour(ctx) {
    const profile = state.remote.get(ctx.accountId) ?? state.remote.get(ctx.accountId.split(':')[0]);
    if (!profile) return;
    const write = ctx.req.method !== 'GET';
    const calls = (state.remoteCalls.get(ctx.accountId) ?? 0) + 1;
    state.remoteCalls.set(ctx.accountId, calls);
    switch (profile) {
      case 'needs_reauth':
        throw remoteError(401, 'The access token of this integrated account has expired or was revoked',
          { status: 'error', category: 'EXPIRED_AUTHENTICATION', message: 'The OAuth token used to make this call expired.' },
          { insight: { remote_error: insightEntry('The remote API rejected the credentials of the integrated account.', { status: 401 }) } });
      case 'sandbox':
        if (write) throw new HttpError(405, 'This integrated account is a read-only sandbox: writes are not allowed', {}, { truto_is_remote_error: true, raw_response: { message: 'Sandbox accounts are read-only' } });
        return;
      case 'missing_scopes':
        if (write) {
          throw remoteError(403, 'The integrated account lacks the scopes this call needs',
            { status: 'error', category: 'MISSING_SCOPES', message: 'This app hasn\'t been granted all required scopes to make this call.' },
            { insight: { forbidden_error: insightEntry('Reconnect the account granting these scopes.', { missing_scopes: [...MISSING_SCOPES] }) } });
        }
        return;
      case 'terse':
        if (write) {
          throw remoteError(422, '', { status: 'error', message: 'Property values were not valid: hs_timestamp is required', category: 'VALIDATION_ERROR' });
        }
        return;
      case 'throttled':
        if (calls % 2 === 1) {
          throw remoteError(429, 'Rate limit of the remote API reached',
            { status: 'error', message: 'You have reached your secondly limit.', policyName: 'SECONDLY' },
            { headers: { 'retry-after': '1' }, insight: { rate_limit_error: insightEntry('The remote API is rate limiting this account.') } });
        }
        return;
      case 'strict': {
        if (!(ctx.req.method === 'POST' && ctx.url.pathname.replace(/\/$/, '') === TRUTO_ENGAGEMENTS_PATH)) return;
        let body = {};
        try {
          body = JSON.parse(ctx.body.toString('utf8')) ?? {};
        } catch {
          return; // the handler answers the bad JSON
        }
        const missing = STRICT_REQUIRED_BODY_FIELDS.filter((f) => body[f] === undefined || body[f] === null || body[f] === '');
        if (missing.length) {
          throw new HttpError(400, `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} required`, {}, {
            truto_error_insight: {
              missing_required_body_fields: insightEntry('These body fields are required by the integration.', missing),
              conditionally_required_body_fields: insightEntry('These body fields are required under some conditions.', { end_time: 'required when engagement_type is meeting' }),
            },
          });
        }
        return;
      }
      default:
        return;
    }
  }

  /** 415 unless the body is declared as JSON. */
  function requireJsonContentType(req) {
    const type = String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (type !== 'application/json' && !/^application\/[\w.+-]+\+json$/.test(type)) {
      throw new HttpError(415, 'Content-Type must be application/json');
    }
  }

  /** Parses the body as a JSON object; 400 `Invalid JSON body` otherwise. */
  function parseJsonObject(buffer) {
    let value;
    try {
      value = JSON.parse(buffer.toString('utf8'));
    } catch {
      throw new HttpError(400, 'Invalid JSON body');
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) throw new HttpError(400, 'Invalid JSON body');
    return value;
  }

  // --- idempotency ---------------------------------------------------------

  /**
   * Runs `perform` at most once per (account, Idempotency-Key). `perform`
   * returns `{ status, payload }`; 2xx outcomes are stored and replayed
   * verbatim with `Idempotent-Replayed: true`. Reusing a key for a different
   * request → 422.
   */
  function withIdempotency(ctx, body, perform) {
    const key = ctx.req.headers['idempotency-key'];
    if (!key) {
      const { status, payload } = perform();
      return sendJson(ctx, status, payload);
    }
    const slot = `${ctx.accountId}\n${key}`;
    const fingerprint = `${ctx.req.method} ${ctx.url.pathname} ${canonicalJson(body)}`;
    const stored = state.idempotency.get(slot);
    if (stored) {
      if (stored.fingerprint !== fingerprint) {
        throw new HttpError(422, 'Idempotency-Key reused with a different body');
      }
      return sendText(ctx, stored.status, stored.text, { 'idempotent-replayed': 'true' });
    }
    const { status, payload } = perform();
    const text = JSON.stringify(payload);
    if (status >= 200 && status < 300) state.idempotency.set(slot, { fingerprint, status, text });
    return sendText(ctx, status, text);
  }

  // --- route handlers ------------------------------------------------------

  /** Items of the account after filters and sort. */
  function selectItems(ctx) {
    const predicates = buildPredicates(ctx.query);
    const sort = parseSort(ctx.query.sort_by);
    const matching = store(ctx.accountId).filter((it) => predicates.every((p) => p(it)));
    return sortItems(matching, sort);
  }

  /** GET /unified/crm/engagements */
  function listEngagements(ctx) {
    const { query } = ctx;
    const shape = parseShape(query);
    const limit = parseLimit(query.limit);
    const offset = decodeCursor(ctx.accountId, query.next_cursor);
    const items = selectItems(ctx);
    if (shape.format === 'stream') {
      const lines = items.map((it) => `${JSON.stringify(shapeItem(it, shape))}\n`);
      streamLines(ctx, lines).catch((err) => ctx.res.destroy(err));
      return;
    }
    const end = isTrue(query.truto_ignore_limit) ? items.length : offset + limit;
    const page = items.slice(offset, end);
    const nextCursor = end < items.length ? encodeCursor(ctx.accountId, end) : null;
    sendJson(ctx, 200, { result: shapeResult(page, shape), next_cursor: nextCursor, result_count: page.length });
  }

  /** Index of an engagement; 404 with Truto's body when missing. */
  function findIndexOrThrow(ctx, id) {
    const index = store(ctx.accountId).findIndex((it) => it.id === id);
    if (index < 0) throw new HttpError(404, `Engagement ${id} not found`);
    return index;
  }

  /** GET /unified/crm/engagements/:id */
  function getEngagement(ctx, id) {
    const shape = parseShape(ctx.query);
    const item = store(ctx.accountId)[findIndexOrThrow(ctx, id)];
    sendJson(ctx, 200, shapeItem(item, { ...shape, format: shape.format === 'raw' ? 'raw' : 'unified' }));
  }

  /** A new server-assigned id, never colliding with generated `eng_000001` ids. */
  function newId() {
    state.createdCount += 1;
    return `eng_${Date.now().toString(36)}${state.createdCount.toString(36)}${randomBytes(3).toString('hex')}`;
  }

  /** POST /unified/crm/engagements */
  function createEngagement(ctx) {
    requireJsonContentType(ctx.req);
    const body = parseJsonObject(ctx.body);
    const shape = parseShape(ctx.query);
    withIdempotency(ctx, body, () => {
      const now = new Date().toISOString();
      const { id: _ignored, ...fields } = body;
      const item = { id: newId(), ...fields };
      item.created_at ??= now;
      item.updated_at ??= now;
      item.remote_data ??= buildRemoteData(item, randomRemoteId());
      store(ctx.accountId).push(item);
      return { status: 200, payload: shapeItem(item, shape) };
    });
  }

  /** PATCH /unified/crm/engagements/:id */
  function updateEngagement(ctx, id) {
    requireJsonContentType(ctx.req);
    const body = parseJsonObject(ctx.body);
    const shape = parseShape(ctx.query);
    withIdempotency(ctx, body, () => {
      const items = store(ctx.accountId);
      const index = findIndexOrThrow(ctx, id);
      const previous = items[index];
      const { id: _id, created_at: _created, ...fields } = body;
      const item = { ...previous, ...fields, updated_at: laterTimestamp(previous.updated_at) };
      if (!('remote_data' in fields)) item.remote_data = buildRemoteData(item, previous.remote_data?.id ?? randomRemoteId());
      items[index] = item;
      return { status: 200, payload: shapeItem(item, shape) };
    });
  }

  /** DELETE /unified/crm/engagements/:id */
  function deleteEngagement(ctx, id) {
    const index = findIndexOrThrow(ctx, id);
    store(ctx.accountId).splice(index, 1);
    sendJson(ctx, 200, { id });
  }

  // --- routing -------------------------------------------------------------

  const COLLECTION_METHODS = { GET: listEngagements, POST: createEngagement };
  const ITEM_METHODS = { GET: getEngagement, PATCH: updateEngagement, DELETE: deleteEngagement };

  /** Matches the engagements routes; `id` is percent-decoded once. */
  function matchRoute(pathname) {
    const path = pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
    if (path === TRUTO_ENGAGEMENTS_PATH) return { methods: COLLECTION_METHODS, id: null };
    if (!path.startsWith(`${TRUTO_ENGAGEMENTS_PATH}/`)) return null;
    const rawId = path.slice(TRUTO_ENGAGEMENTS_PATH.length + 1);
    if (!rawId || rawId.includes('/')) return null;
    return { methods: ITEM_METHODS, id: safeDecode(rawId) };
  }

  /** auth → rate limit → route (404/405) → integrated_account_id → handler. */
  function route(ctx) {
    authenticate(ctx);
    consumeRate(ctx);
    const match = matchRoute(ctx.url.pathname);
    if (!match) throw new HttpError(404, `Cannot ${ctx.req.method} ${ctx.url.pathname}`);
    const handler = match.methods[ctx.req.method];
    if (!handler) {
      const allow = Object.keys(match.methods).join(', ');
      throw new HttpError(405, `Method ${ctx.req.method} not allowed`, { allow });
    }
    ctx.query = parseQuery(ctx.url.search.slice(1));
    ctx.accountId = requireAccount(ctx.query);
    enforceLimits(ctx);
    remoteBehaviour(ctx);
    handler(ctx, match.id);
  }

  function owns(pathname) {
    return pathname === '/unified' || pathname.startsWith('/unified/');
  }

  /** Entry point used by the shared server. */
  function handle(req, res, url, bodyBuffer = Buffer.alloc(0)) {
    if (!owns(url.pathname)) return false;
    const ctx = { req, res, url, body: bodyBuffer, query: null, accountId: null, rateHeaders: null };
    try {
      route(ctx);
    } catch (err) {
      sendError(ctx, err);
    }
    return true;
  }

  reset();
  return { name: 'truto', state, owns, handle, reset, store };
}

// ---------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------

function stripUndefined(object) {
  return Object.fromEntries(Object.entries(object ?? {}).filter(([, v]) => v !== undefined));
}

/** JSON with sorted object keys, so key order does not change a fingerprint. */
function canonicalJson(value) {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function safeDecode(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function randomRemoteId() {
  return String(90_000_000_000 + randomBytes(4).readUInt32LE(0));
}

/** Now, but strictly after `previous` so updates always move updated_at. */
function laterTimestamp(previous) {
  const prev = Date.parse(previous ?? '');
  const now = Date.now();
  return new Date(Number.isNaN(prev) || now > prev ? now : prev + 1).toISOString();
}
