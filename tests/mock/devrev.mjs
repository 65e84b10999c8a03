/**
 * Mock of DevRev's engagements API (beta): `/engagements.list`, `.get`,
 * `.create`, `.update`, `.delete` and `.count`.
 *
 * Plain Node 20 ESM, zero dependencies. Everything it needs from DevRev's
 * published OpenAPI description (enums, required fields, limits, error
 * types) is encoded below; the spec file is never read at run time.
 *
 * Exports a *provider* for ./server.mjs (same interface as ./truto.mjs):
 *   {
 *     name: 'devrev',
 *     owns(pathname) -> boolean              // `/engagements.*`
 *     handle(req, res, url, bodyBuffer) -> boolean
 *     reset(options)                         // back to a pristine state
 *     validateReset(options)                 // throws on bad reset options
 *     store() -> DevRevEngagement[]          // the live array (HTTP shape)
 *     errorBody(status, message?) -> object  // DevRev error body (used for faults)
 *     state                                  // all mutable state
 *   }
 *
 * Wire behaviour:
 *   - every route is `POST` with a JSON body; `list`, `get` and `count` also
 *     answer `GET` with query parameters (arrays comma-separated or repeated);
 *   - engagements are a beta API: a request without `X-Devrev-Scope: beta`
 *     is answered 404 `not_found`, like any route the public API lacks;
 *   - auth: `Authorization: Bearer <token>` or the bare token; the
 *     read-only token may read but gets 403 `forbidden` on writes;
 *   - errors are `{ type, message, detail? }` with DevRev's types; 400s are
 *     `bad_request` by default, or the specific subtypes of the spec
 *     (`missing_required_field`, `invalid_enum_value`, ...) with their extra
 *     fields when `errorStyle: 'detailed'`;
 *   - every provider response carries `X-RateLimit-Limit`, `-Remaining` and
 *     `-Reset` (epoch seconds); a spent window gives 429 `too_many_requests`
 *     with `retry_after` in the body and a `Retry-After` header.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { STATUS_CODES } from 'node:http';

export const DEVREV_PATH_PREFIX = '/engagements.';
export const DEVREV_JSON_CONTENT_TYPE = 'application/json';

// ---------------------------------------------------------------------------
// What the spec says (devrev-engagements.openapi.yaml, beta, 2024-01-24)
// ---------------------------------------------------------------------------

/** `engagement-type`: list/count filters (and what DevRev may return). */
export const ENGAGEMENT_TYPES = Object.freeze([
  'call', 'conversation', 'custom', 'default', 'email', 'linked_in', 'meeting', 'offline', 'survey',
]);
/** `engagements-create-request-engagement-type`: what create accepts. */
export const CREATE_ENGAGEMENT_TYPES = Object.freeze(['call', 'default', 'email', 'linked_in', 'offline']);
/** `list-mode`. */
export const LIST_MODES = Object.freeze(['after', 'before']);
/**
 * `sort_by` items are `format: sort-by` strings; the spec names no fields.
 * The mock takes `<field>`, `<field>:asc` or `<field>:desc` over these.
 */
export const SORT_FIELDS = Object.freeze(['created_date', 'modified_date', 'scheduled_date', 'title']);
/** `limit` has no documented default or maximum; DevRev's usual ones. */
export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 100;
/** `members` (create: minItems 1, maxItems 50; update `members.set`: not empty, maxItems 50). */
export const MAX_MEMBERS = 50;
/** update `parents.set`: maxItems 50. */
export const MAX_PARENTS = 50;

/** Error `type` per HTTP status (error-*-type enums). */
export const ERROR_TYPES = Object.freeze({
  400: 'bad_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  429: 'too_many_requests',
  500: 'internal_error',
  503: 'service_unavailable',
});
/** `error-bad-request-type`: the discriminator of a 400 body. */
export const BAD_REQUEST_TYPES = Object.freeze([
  'artifact_already_attached_to_a_parent', 'bad_request', 'customization_validation_error',
  'invalid_api_version', 'invalid_enum_value', 'invalid_field', 'invalid_id', 'merge_works_error',
  'missing_dependency', 'missing_required_field', 'parse_error', 'stale_schema_fragments',
  'unexpected_id_type', 'unexpected_json_type', 'value_not_permitted', 'workflow_component_validation_errors',
]);
/** `error-bad-request-unexpected-json-type-type`. */
export const JSON_TYPE_NAMES = Object.freeze(['array', 'bool', 'null', 'number', 'object', 'string']);
/** `user-type`. */
export const USER_TYPES = Object.freeze(['dev_user', 'rev_user', 'service_account', 'sys_user']);

const DEFAULT_TOKEN = 'test-token';
const DEFAULT_READ_ONLY_TOKEN = 'read-only-token';
const DEFAULT_COUNT = 30;
const DEFAULT_RATE_LIMIT = 10_000;
const DEFAULT_RATE_WINDOW_MS = 60_000;
const ERROR_STYLES = new Set(['generic', 'detailed']);

const PARTITION = 'dvrv-us-1';
const DEV_ORG = 'devo/0';

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

/**
 * An error that maps onto a DevRev error response. `subtype` and `fields`
 * are the specific 400 variant (`missing_required_field` + `field_name`...),
 * rendered only with `errorStyle: 'detailed'`.
 */
export class DevRevError extends Error {
  constructor(status, message, { type, detail, subtype, fields, extra, headers } = {}) {
    super(message);
    this.status = status;
    this.type = type ?? ERROR_TYPES[status] ?? (status >= 500 ? 'internal_error' : 'bad_request');
    this.detail = detail;
    this.subtype = subtype ?? this.type;
    this.fields = fields ?? {};
    this.extra = extra ?? {};
    this.headers = headers ?? {};
  }
}

/** DevRev's error body for a status: `{ type, message }` plus `extra`. */
export function devrevErrorBody(status, message, extra = {}) {
  const type = ERROR_TYPES[status] ?? (status >= 500 ? 'internal_error' : 'bad_request');
  return { type, message: message ?? STATUS_CODES[status] ?? 'Error', ...extra };
}

/** A 400; `subtype` is one of BAD_REQUEST_TYPES. */
function badRequest(subtype, message, detail, fields = {}) {
  return new DevRevError(400, message, { detail, subtype, fields });
}

function missingField(field) {
  return badRequest('missing_required_field', `Missing required field '${field}'.`,
    `${field}: field is required`, { field_name: field });
}

function wrongType(field, expected, actual) {
  return badRequest('unexpected_json_type', `Field '${field}' must be of type ${expected}, got ${actual}.`,
    `${field}: expected ${expected}, got ${actual}`, { field_name: field, expected, actual });
}

function badEnum(field, value, allowed) {
  return badRequest('invalid_enum_value', `Invalid value '${value}' for field '${field}'.`,
    `${field}: must be one of ${allowed.join(', ')}`, { field_name: field, value: String(value), allowed_values: [...allowed] });
}

function notPermitted(field, reason, allowed) {
  return badRequest('value_not_permitted', `Value not permitted for field '${field}': ${reason}.`,
    `${field}: ${reason}`, { field_name: field, reason, ...(allowed ? { allowed_values: [...allowed] } : {}) });
}

function invalidId(field, value) {
  return badRequest('invalid_id', `Invalid ID '${value}' in field '${field}'.`,
    `${field}: '${value}' is not a valid ID`, { field_name: field });
}

function wrongIdType(field, value, expected) {
  return badRequest('unexpected_id_type', `Unexpected ID type in field '${field}'.`,
    `${field}: '${value}' is not ${expected}`, { field_name: field });
}

function badDate(field, value) {
  return badRequest('bad_request', `Invalid date-time in field '${field}'.`,
    `${field}: '${value}' is not an RFC 3339 date-time`, { field_name: field });
}

// ---------------------------------------------------------------------------
// JSON type checks
// ---------------------------------------------------------------------------

/** The spec's name for a JSON value's type. */
function jsonType(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'string') return 'string';
  return 'object';
}

function expectType(value, expected, field) {
  const actual = jsonType(value);
  if (actual !== expected) throw wrongType(field, expected, actual);
  return value;
}

function expectString(value, field) {
  return expectType(value, 'string', field);
}

function expectStringArray(value, field) {
  expectType(value, 'array', field);
  value.forEach((item, i) => expectString(item, `${field}[${i}]`));
  return value;
}

/** An int32 (`limit`). */
function expectInteger(value, field) {
  expectType(value, 'number', field);
  if (!Number.isInteger(value) || value > 2 ** 31 - 1 || value < -(2 ** 31)) {
    throw notPermitted(field, 'must be a 32-bit integer');
  }
  return value;
}

/** A list of enum values (`type` filters). */
function expectEnumArray(value, field, allowed) {
  expectStringArray(value, field);
  value.forEach((item, i) => {
    if (!allowed.includes(item)) throw badEnum(`${field}[${i}]`, item, allowed);
  });
  return value;
}

// ---------------------------------------------------------------------------
// IDs: DONs (`don:core:dvrv-us-1:devo/0:engagement/12`) and display ids (`ENG-12`)
// ---------------------------------------------------------------------------

const DON_RE = /^don:(core|identity):([a-z0-9-]+):(devo\/[A-Za-z0-9]+):([a-z_]+)\/([A-Za-z0-9_-]+)$/;
const DISPLAY_RE = /^([A-Za-z]+)-([A-Za-z0-9]+)$/;

/** Display-id prefix → [DON namespace, object kind]. */
const DISPLAY_PREFIXES = {
  DEVU: ['identity', 'devu'],
  REVU: ['identity', 'revu'],
  SVCACC: ['identity', 'svcacc'],
  SYSU: ['identity', 'sysu'],
  ENG: ['core', 'engagement'],
  ACC: ['core', 'account'],
  OPP: ['core', 'opportunity'],
  ARTIFACT: ['core', 'artifact'],
  TAG: ['core', 'tag'],
};
const KIND_PREFIX = Object.fromEntries(Object.entries(DISPLAY_PREFIXES).map(([prefix, [, kind]]) => [kind, prefix]));
const KIND_NAMES = {
  devu: 'a dev user', revu: 'a rev user', svcacc: 'a service account', sysu: 'a system user',
  engagement: 'an engagement', account: 'an account', opportunity: 'an opportunity', artifact: 'an artifact', tag: 'a tag',
};
const USER_KINDS = ['devu', 'revu', 'svcacc', 'sysu'];
const PARENT_KINDS = ['account', 'opportunity'];
const USER_TYPE_OF_KIND = { devu: 'dev_user', revu: 'rev_user', svcacc: 'service_account', sysu: 'sys_user' };

const donOf = (namespace, kind, number) => `don:${namespace}:${PARTITION}:${DEV_ORG}:${kind}/${number}`;

/** `{ don, kind, number, displayId }` for a DON or display id; null when neither. */
export function parseDevRevId(text) {
  if (typeof text !== 'string') return null;
  const don = DON_RE.exec(text);
  if (don) {
    const [, , , , kind, number] = don;
    return { don: text, kind, number, displayId: KIND_PREFIX[kind] ? `${KIND_PREFIX[kind]}-${number}` : null };
  }
  const display = DISPLAY_RE.exec(text);
  if (!display) return null;
  const prefix = display[1].toUpperCase();
  const mapping = DISPLAY_PREFIXES[prefix];
  if (!mapping) return null;
  const [namespace, kind] = mapping;
  return { don: donOf(namespace, kind, display[2]), kind, number: display[2], displayId: `${prefix}-${display[2]}` };
}

/** Parses one id of an allowed kind; 400 `invalid_id` / `unexpected_id_type` otherwise. */
function expectId(value, field, kinds) {
  expectString(value, field);
  const parsed = parseDevRevId(value);
  if (!parsed) throw invalidId(field, value);
  if (!kinds.includes(parsed.kind)) throw wrongIdType(field, value, kinds.map((k) => KIND_NAMES[k]).join(' or '));
  return parsed;
}

/** Parses a list of ids; returns the distinct parsed ids in order. */
function expectIds(value, field, kinds) {
  expectType(value, 'array', field);
  const seen = new Set();
  const out = [];
  value.forEach((item, i) => {
    const parsed = expectId(item, `${field}[${i}]`, kinds);
    if (!seen.has(parsed.don)) {
      seen.add(parsed.don);
      out.push(parsed);
    }
  });
  return out;
}

// ---------------------------------------------------------------------------
// Dates (RFC 3339)
// ---------------------------------------------------------------------------

const RFC3339_RE = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|([+-])(\d{2}):(\d{2}))$/;

/** Whether `text` is a valid RFC 3339 date-time (calendar-checked). */
export function isRfc3339(text) {
  if (typeof text !== 'string') return false;
  const m = RFC3339_RE.exec(text);
  if (!m) return false;
  const [, y, mo, d, h, mi, s, , , , oh, om] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return false;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return false;
  if (oh !== undefined && (Number(oh) > 23 || Number(om) > 59)) return false;
  return !Number.isNaN(Date.parse(text.toUpperCase()));
}

/** Validates and normalises to `YYYY-MM-DDTHH:MM:SS.sssZ` (as DevRev returns dates). */
function expectDate(value, field) {
  expectString(value, field);
  if (!isRfc3339(value)) throw badDate(field, value);
  return new Date(Date.parse(value.toUpperCase())).toISOString();
}

// ---------------------------------------------------------------------------
// Deterministic seed data
// ---------------------------------------------------------------------------

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

const rngSeed = (text) => createHash('sha256').update(text).digest().readUInt32LE(0);

const DEV_USERS = [
  ['Priya Raman', 'priya.raman'], ['Marcus Oyelaran', 'marcus.oyelaran'], ['Elena Petrova', 'elena.petrova'],
  ['Tomás Herrera', 'tomas.herrera'], ['Hannah Kim', 'hannah.kim'], ['Daniel Okoro', 'daniel.okoro'],
].map(([fullName, handle], i) => ({
  type: 'dev_user',
  id: donOf('identity', 'devu', i + 1),
  display_id: `DEVU-${i + 1}`,
  display_name: handle.replace('.', '-'),
  email: `${handle}@acme-sales.example`,
  full_name: fullName,
  state: 'active',
}));

const ACCOUNT_NAMES = [
  ['Northwind Traders', 'northwind.example'], ['Globex Corporation', 'globex.example'], ['Initech', 'initech.example'],
  ['Umbrella Health', 'umbrella-health.example'], ['Stark Logistics', 'stark-logistics.example'], ['Wayne Biotech', 'waynebio.example'],
];
const ACCOUNTS = ACCOUNT_NAMES.map(([name, domain], i) => ({
  summary: { type: 'account', id: donOf('core', 'account', i + 1), display_id: `ACC-${i + 1}`, display_name: name },
  name,
  domain,
}));

const DEAL_NAMES = ['Platform expansion', 'Annual renewal', 'Enterprise upgrade', 'Pilot to production', 'Multi-year deal', 'Security add-on'];
const OPPORTUNITIES = ACCOUNTS.flatMap((account, a) => [0, 1].map((k) => {
  const n = a * 2 + k + 1;
  return {
    account,
    summary: { type: 'opportunity', id: donOf('core', 'opportunity', n), display_id: `OPP-${n}`, title: `${account.name} — ${DEAL_NAMES[(a + k * 3) % DEAL_NAMES.length]}` },
  };
}));

const FIRST_NAMES = ['Jordan', 'Aisha', 'Wei', 'Olivia', 'Mateo', 'Sofia', 'Liam', 'Noor', 'Kenji', 'Grace', 'Ravi', 'Chloe'];
const LAST_NAMES = ['Lee', 'Khan', 'Zhang', 'Brown', 'Silva', 'Rossi', 'Murphy', 'Haddad', 'Tanaka', 'Okafor', 'Iyer', 'Dubois'];
const REV_USERS = ACCOUNTS.flatMap((account, a) => [0, 1].map((k) => {
  const i = a * 2 + k;
  const first = FIRST_NAMES[i];
  const last = LAST_NAMES[(i * 5) % LAST_NAMES.length];
  return {
    account,
    summary: {
      type: 'rev_user',
      id: donOf('identity', 'revu', i + 1),
      display_id: `REVU-${i + 1}`,
      display_name: `${first} ${last}`,
      email: `${first}.${last}@${account.domain}`.toLowerCase(),
      full_name: `${first} ${last}`,
      state: 'active',
    },
  };
}));

const TAGS = ['renewal', 'expansion', 'churn-risk', 'champion', 'executive-sponsor', 'pilot', 'security-review', 'priority']
  .map((name, i) => ({ id: donOf('core', 'tag', i + 1), display_id: `TAG-${i + 1}`, name }));
const PRIORITY_TAG = TAGS[TAGS.length - 1];

const TOPICS = ['SSO rollout', 'API rate limits', 'data migration', 'annual renewal', 'onboarding plan',
  'usage-based pricing', 'Salesforce integration', 'procurement timeline', 'security questionnaire', 'pilot success criteria'];

const TITLES = {
  call: ['Discovery call with {contact}', 'Pricing call — {account}', 'Follow-up call re: {topic}', 'Renewal check-in call with {contact}'],
  email: ['Re: {topic}', 'Proposal for {account}', 'Intro: {owner} <> {contact}', 'Contract redlines — {account}'],
  meeting: ['QBR with {account}', 'Product demo for {account}', 'Workshop: {topic}', 'Security review with {contact}'],
  linked_in: ['LinkedIn InMail to {contact}', 'LinkedIn message re: {topic}', 'LinkedIn connection with {contact}'],
  offline: ['On-site visit at {account}', 'Dinner with {contact} after SaaStr', 'Booth conversation with {contact}'],
  conversation: ['Portal conversation with {contact}', 'Support chat: {topic}'],
  survey: ['NPS survey response from {contact}', 'Onboarding CSAT survey — {account}'],
  custom: ['Partner referral: {account}', 'Webinar attendance: {topic}'],
  default: ['Touchpoint with {account}', 'Check-in: {topic}'],
};

const SENTENCES = [
  '{contact} confirmed that {account} is evaluating options for {topic} this quarter.',
  'We walked through the current workflow and identified three manual steps we can automate.',
  'Budget is approved for the first phase; procurement needs a signed security questionnaire.',
  '{owner} will share the revised proposal including volume discounts by Friday.',
  'Main concern raised: how the {topic} work affects their existing reporting dashboards.',
  'They asked for two customer references in a similar industry and company size.',
  'Legal wants to review the data processing addendum before the next meeting.',
  'Agreed to run a two-week pilot with a small team before the wider rollout.',
];

/** The first nine seeds cover the whole list enum; the rest follow a realistic mix. */
const FIRST_TYPES = ['call', 'email', 'meeting', 'linked_in', 'offline', 'default', 'conversation', 'survey', 'custom'];
const TYPE_MIX = ['call', 'call', 'call', 'email', 'email', 'email', 'meeting', 'meeting', 'meeting',
  'linked_in', 'offline', 'default', 'conversation', 'survey', 'custom'];

const BASE_TIME = Date.UTC(2024, 0, 3, 9, 0, 0);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function fill(template, names) {
  return template.replace(/\{(\w+)\}/g, (_, key) => names[key] ?? '');
}

function hex(rng, length) {
  let out = '';
  while (out.length < length) out += Math.floor(rng() * 16).toString(16);
  return out;
}

/** External reference and URL of a seeded engagement (unique per number). */
function externalFor(rng, type, n) {
  switch (type) {
    case 'call': {
      const id = 7_400_000_000 + n * 7919;
      return { external_ref: `gong:call/${id}`, external_url: `https://app.gong.io/call?id=${id}` };
    }
    case 'email': {
      const id = `18c${hex(rng, 10)}${n.toString(16)}`;
      return { external_ref: `gmail:${id}`, external_url: `https://mail.google.com/mail/u/0/#all/${id}` };
    }
    case 'meeting': {
      const id = `${hex(rng, 20)}${n}`;
      return { external_ref: `gcal:${id}`, external_url: `https://calendar.google.com/calendar/event?eid=${id}` };
    }
    case 'linked_in': {
      const id = `2-${hex(rng, 12)}${n}`;
      return { external_ref: `linkedin:thread/${id}`, external_url: `https://www.linkedin.com/messaging/thread/${id}/` };
    }
    default:
      if (!rng.chance(0.4)) return {};
      return { external_ref: `crm:activity/${90_000 + n}`, external_url: `https://crm.example.com/activities/${90_000 + n}` };
  }
}

/** Engagement number `n` (1-based); consumes `rng` in a fixed order. */
function generateEngagement(rng, n) {
  const type = n <= FIRST_TYPES.length ? FIRST_TYPES[n - 1] : rng.pick(TYPE_MIX);
  const account = rng.pick(ACCOUNTS);
  const owner = rng.pick(DEV_USERS);
  const contacts = REV_USERS.filter((r) => r.account === account);
  const contact = rng.pick(contacts);
  const names = { owner: owner.full_name, contact: contact.summary.full_name, account: account.name, topic: rng.pick(TOPICS) };

  const members = [owner];
  if (rng.chance(0.3)) members.push(rng.pick(DEV_USERS.filter((u) => u !== owner)));
  members.push(contact.summary);
  if (type !== 'survey' && rng.chance(0.35)) members.push(contacts.find((c) => c !== contact).summary);

  const parents = [account.summary];
  if (rng.chance(0.55)) parents.push(rng.pick(OPPORTUNITIES.filter((o) => o.account === account)).summary);

  const createdMs = BASE_TIME + (n - 1) * 5 * DAY + rng.int(0, 47) * HOUR + rng.int(0, 59) * MINUTE;
  const scheduledDay = Math.floor((createdMs + rng.int(-2, 20) * DAY) / DAY) * DAY;
  const scheduledMs = scheduledDay + rng.int(9, 17) * HOUR + rng.pick([0, 15, 30, 45]) * MINUTE;
  const modifiedMs = createdMs + rng.int(0, 96) * HOUR + rng.int(0, 59) * MINUTE;

  const title = fill(rng.pick(TITLES[type]), names);
  const sentences = [];
  const sentenceCount = rng.int(1, 3);
  while (sentences.length < sentenceCount) {
    const s = fill(rng.pick(SENTENCES), names);
    if (!sentences.includes(s)) sentences.push(s);
  }
  const hasDescription = rng.chance(0.85);

  const tagCount = rng.pick([0, 0, 1, 1, 2]);
  const tags = [];
  while (tags.length < tagCount) {
    const tag = rng.pick(TAGS);
    if (tags.some((t) => t.tag.id === tag.id)) continue;
    tags.push(tag === PRIORITY_TAG ? { tag: { ...tag }, value: rng.pick(['high', 'medium', 'low']) } : { tag: { ...tag } });
  }
  const artifacts = rng.chance(0.2)
    ? [{
      id: donOf('core', 'artifact', 100 + n),
      display_id: `ARTIFACT-${100 + n}`,
      file: { type: 'application/pdf', name: `notes-ENG-${n}.pdf`, size: rng.int(12_000, 900_000) },
    }]
    : [];
  const external = externalFor(rng, type, n);
  const createdBy = rng.chance(0.7) ? owner : rng.pick(DEV_USERS);
  const modifiedBy = rng.chance(0.6) ? createdBy : rng.pick(DEV_USERS);

  return buildEngagement({
    number: n,
    title,
    description: hasDescription ? sentences.join(' ') : undefined,
    engagement_type: type,
    scheduled_date: new Date(scheduledMs).toISOString(),
    members: members.map((m) => ({ ...m })),
    parents: parents.map((p) => ({ ...p })),
    artifacts,
    tags,
    ...external,
    created_by: { ...createdBy },
    created_date: new Date(createdMs).toISOString(),
    modified_by: { ...modifiedBy },
    modified_date: new Date(modifiedMs).toISOString(),
  });
}

/**
 * The engagement object as DevRev returns it. Unset optional fields and
 * empty lists are omitted, as DevRev omits them.
 */
function buildEngagement(f) {
  const item = {
    id: donOf('core', 'engagement', f.number),
    display_id: `ENG-${f.number}`,
    title: f.title,
  };
  if (f.description) item.description = f.description;
  item.engagement_type = f.engagement_type;
  if (f.scheduled_date) item.scheduled_date = f.scheduled_date;
  item.members = f.members;
  if (f.parents?.length) item.parents = f.parents;
  if (f.artifacts?.length) item.artifacts = f.artifacts;
  if (f.tags?.length) item.tags = f.tags;
  if (f.external_ref) item.external_ref = f.external_ref;
  if (f.external_url) item.external_url = f.external_url;
  item.created_by = f.created_by;
  item.created_date = f.created_date;
  item.modified_by = f.modified_by;
  item.modified_date = f.modified_date;
  return item;
}

/** `count` seeded engagements (ENG-1 … ENG-count), always the same ones. */
export function generateDevRevEngagements(count = DEFAULT_COUNT) {
  const rng = createRng(rngSeed('devrev:engagements'));
  const items = [];
  for (let n = 1; n <= count; n += 1) items.push(generateEngagement(rng, n));
  return items;
}

// --- summaries for ids given in requests ------------------------------------

const KNOWN_SUMMARIES = new Map([
  ...DEV_USERS.map((u) => [u.id, u]),
  ...REV_USERS.map((r) => [r.summary.id, r.summary]),
  ...ACCOUNTS.map((a) => [a.summary.id, a.summary]),
  ...OPPORTUNITIES.map((o) => [o.summary.id, o.summary]),
]);
const KNOWN_TAGS = new Map(TAGS.map((t) => [t.id, t]));

/** The summary DevRev would embed for a user/account/opportunity id. */
function summaryFor(parsed) {
  const known = KNOWN_SUMMARIES.get(parsed.don);
  if (known) return { ...known };
  const type = USER_TYPE_OF_KIND[parsed.kind] ?? parsed.kind;
  return { type, id: parsed.don, ...(parsed.displayId ? { display_id: parsed.displayId } : {}) };
}

function artifactSummaryFor(parsed) {
  return { id: parsed.don, ...(parsed.displayId ? { display_id: parsed.displayId } : {}) };
}

function tagWithValueFor(parsed, value) {
  const tag = KNOWN_TAGS.get(parsed.don) ?? { id: parsed.don, display_id: parsed.displayId, name: `tag-${parsed.number}` };
  return value === undefined ? { tag: { ...tag } } : { tag: { ...tag }, value };
}

// ---------------------------------------------------------------------------
// Request parsing (POST body or GET query)
// ---------------------------------------------------------------------------

/** Query parameters per GET route: name → 'string' | 'integer' | 'array'. */
const QUERY_PARAMS = {
  list: { cursor: 'string', limit: 'integer', mode: 'string', sort_by: 'array', type: 'array', members: 'array', parent: 'array', external_ref: 'array' },
  get: { id: 'string' },
  count: { type: 'array', members: 'array', parent: 'array', external_ref: 'array' },
};

/** GET: the documented query parameters as the equivalent JSON body. */
function bodyFromQuery(searchParams, params) {
  const body = {};
  for (const [name, kind] of Object.entries(params)) {
    const values = searchParams.getAll(name);
    if (!values.length) continue;
    if (kind === 'array') {
      body[name] = values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
    } else if (kind === 'integer') {
      const text = values[values.length - 1].trim();
      if (!/^-?\d+$/.test(text)) throw wrongType(name, 'number', 'string');
      body[name] = Number(text);
    } else {
      body[name] = values[values.length - 1];
    }
  }
  return body;
}

/** POST: the JSON body (an empty body counts as `{}`). */
function bodyFromJson(buffer) {
  const text = buffer.toString('utf8');
  if (!text.trim()) return {};
  let value;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw badRequest('parse_error', 'Request body is not valid JSON.', `body: ${err.message}`);
  }
  expectType(value, 'object', 'body');
  return value;
}

const present = (body, key) => Object.prototype.hasOwnProperty.call(body, key) && body[key] !== undefined;

/** Filters shared by list and count. */
function parseFilters(body) {
  const filters = {};
  if (present(body, 'type')) filters.type = new Set(expectEnumArray(body.type, 'type', ENGAGEMENT_TYPES));
  if (present(body, 'members')) filters.members = new Set(expectIds(body.members, 'members', USER_KINDS).map((p) => p.don));
  if (present(body, 'parent')) filters.parent = new Set(expectIds(body.parent, 'parent', PARENT_KINDS).map((p) => p.don));
  if (present(body, 'external_ref')) filters.external_ref = new Set(expectStringArray(body.external_ref, 'external_ref'));
  return filters;
}

function matchesFilters(item, filters) {
  if (filters.type?.size && !filters.type.has(item.engagement_type)) return false;
  if (filters.members?.size && !(item.members ?? []).some((m) => filters.members.has(m?.id))) return false;
  if (filters.parent?.size && !(item.parents ?? []).some((p) => filters.parent.has(p?.id))) return false;
  if (filters.external_ref?.size && !filters.external_ref.has(item.external_ref)) return false;
  return true;
}

/** `sort_by: ["scheduled_date:desc", "title"]` → [{ field, dir }]. */
function parseSort(value) {
  if (value === undefined) return [];
  expectStringArray(value, 'sort_by');
  return value.map((entry, i) => {
    const [field, dir = 'asc', ...rest] = entry.split(':');
    if (rest.length || !SORT_FIELDS.includes(field) || !['asc', 'desc'].includes(dir)) {
      throw notPermitted(`sort_by[${i}]`, `'${entry}' is not '<field>[:asc|:desc]' with field one of ${SORT_FIELDS.join(', ')}`, SORT_FIELDS);
    }
    return { field, dir };
  });
}

// ---------------------------------------------------------------------------
// Ordering and cursors
// ---------------------------------------------------------------------------

/** Comparable value of a sort field (epoch ms or lower-case text; null when unset). */
function sortValue(item, field) {
  const value = item[field];
  if (value === undefined || value === null) return null;
  if (field === 'title') return String(value).toLowerCase();
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

/** The engagement number at the end of its id (`…:engagement/12` → 12); null otherwise. */
function idNumber(id) {
  const m = /[:/]engagement\/(\d+)$/.exec(String(id ?? ''));
  return m ? Number(m[1]) : null;
}

/** Position of an item in the order: sort values, then id number, then id. */
function keyOf(item, sort) {
  return { k: sort.map((s) => sortValue(item, s.field)), n: idNumber(item.id), i: String(item.id ?? '') };
}

/** null sorts after everything. */
function compareNullable(a, b) {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

/** Total order over keys for `sort` (ties broken by id ascending). */
function compareKeys(a, b, sort) {
  for (let j = 0; j < sort.length; j += 1) {
    const c = compareNullable(a.k[j] ?? null, b.k[j] ?? null);
    if (c) return sort[j].dir === 'desc' ? -c : c;
  }
  return compareNullable(a.n, b.n) || compareNullable(a.i, b.i);
}

const sortSpec = (sort) => sort.map((s) => `${s.field}:${s.dir}`).join(',');

// ---------------------------------------------------------------------------
// The provider
// ---------------------------------------------------------------------------

/**
 * Creates the DevRev engagements mock.
 * @param {object} [options]
 * @param {string} [options.token='test-token'] accepted token (Bearer or bare)
 * @param {string} [options.readOnlyToken='read-only-token'] token that may only read (writes → 403)
 * @param {number} [options.count=30] seeded engagements
 * @param {number} [options.rateLimit=10000] requests per rate-limit window
 * @param {number} [options.rateWindowMs=60000] rate-limit window length
 * @param {'generic'|'detailed'} [options.errorStyle='generic'] 400 bodies: `bad_request`, or the spec's subtypes
 */
export function createDevRevMock(options = {}) {
  validateOptions(options, 'options');
  const initial = stripUndefined(options);
  const state = {};

  // --- state ---------------------------------------------------------------

  /**
   * Back to pristine. Accepts the server-wide reset options: `token` applies
   * to every provider; `devrev: { count, token, readOnlyToken, rateLimit,
   * rateWindowMs, errorStyle }` overrides for DevRev only.
   */
  function reset(opts = {}) {
    validateReset(opts);
    const merged = { ...initial, ...stripUndefined({ token: opts.token }), ...stripUndefined(opts.devrev ?? {}) };
    state.token = merged.token ?? DEFAULT_TOKEN;
    state.readOnlyToken = merged.readOnlyToken ?? DEFAULT_READ_ONLY_TOKEN;
    state.count = merged.count ?? DEFAULT_COUNT;
    state.errorStyle = merged.errorStyle ?? 'generic';
    state.engagements = generateDevRevEngagements(state.count);
    state.nextNumber = state.count + 1;
    state.cursorSecret = randomBytes(16);
    state.user = DEV_USERS[0];
    state.rateLimit = merged.rateLimit ?? DEFAULT_RATE_LIMIT;
    state.rateWindowMs = merged.rateWindowMs ?? DEFAULT_RATE_WINDOW_MS;
    state.rates = new Map(); // token → its fixed window { limit, windowMs, windowStart, used }
    state.limited = 0; // 429s served because a window was spent
  }

  function validateReset(opts = {}) {
    if (opts === null || typeof opts !== 'object' || Array.isArray(opts)) throw new Error('reset options must be an object');
    if (opts.devrev === undefined) return;
    if (opts.devrev === null || typeof opts.devrev !== 'object' || Array.isArray(opts.devrev)) {
      throw new Error('devrev reset options must be an object');
    }
    validateOptions(opts.devrev, 'devrev');
  }

  /** The live engagement array (objects exactly as the API returns them). */
  function store() {
    return state.engagements;
  }

  // --- rate limiting -------------------------------------------------------

  /**
   * The fixed window of `token` (DevRev limits per user): the configured
   * `rateLimit` per `rateWindowMs`, or, for a token ending in
   * `:rl<N>-<ms>` (a test run's own token), N requests per <ms>.
   */
  function currentWindow(token = '') {
    let rate = state.rates.get(token);
    if (!rate) {
      const own = /:rl(\d+)-(\d+)$/.exec(token);
      rate = own
        ? { limit: Number(own[1]), windowMs: Number(own[2]) }
        : { limit: state.rateLimit, windowMs: state.rateWindowMs };
      Object.assign(rate, { windowStart: Date.now(), used: 0 });
      state.rates.set(token, rate);
    }
    const now = Date.now();
    if (now - rate.windowStart >= rate.windowMs) [rate.windowStart, rate.used] = [now, 0];
    return rate;
  }

  /** `X-RateLimit-*` headers; `-Reset` is the window's end in epoch seconds. */
  function rateHeaders(token) {
    const rate = currentWindow(token);
    return {
      'x-ratelimit-limit': String(rate.limit),
      'x-ratelimit-remaining': String(Math.max(0, rate.limit - rate.used)),
      'x-ratelimit-reset': String(Math.ceil((rate.windowStart + rate.windowMs) / 1000)),
    };
  }

  function consumeRate(ctx) {
    const rate = currentWindow(ctx.token);
    if (rate.used >= rate.limit) {
      state.limited += 1;
      ctx.rateHeaders = rateHeaders(ctx.token);
      const retryAfter = Math.max(1, Math.ceil((rate.windowStart + rate.windowMs - Date.now()) / 1000));
      throw new DevRevError(429, 'Rate limit exceeded; retry later.', {
        extra: { retry_after: retryAfter },
        headers: { 'retry-after': String(retryAfter) },
      });
    }
    rate.used += 1;
    ctx.rateHeaders = rateHeaders(ctx.token);
  }

  // --- cursors -------------------------------------------------------------

  function sign(text) {
    return createHmac('sha256', state.cursorSecret).update(text).digest('base64url').slice(0, 16);
  }

  /** Opaque cursor for a position (an item key, or the `start`/`end` edge). */
  function encodeCursor(sort, position) {
    const text = Buffer.from(JSON.stringify({ s: sortSpec(sort), p: position })).toString('base64url');
    return `${text}.${sign(text)}`;
  }

  function decodeCursor(value, sort) {
    const cursor = expectString(value, 'cursor');
    const dot = cursor.lastIndexOf('.');
    let payload = null;
    if (dot > 0 && sign(cursor.slice(0, dot)) === cursor.slice(dot + 1)) {
      try {
        payload = JSON.parse(Buffer.from(cursor.slice(0, dot), 'base64url').toString('utf8'));
      } catch {
        payload = null;
      }
    }
    if (!payload || typeof payload.p !== 'object' || payload.p === null) {
      throw badRequest('bad_request', 'Invalid cursor.', 'cursor: not a cursor issued by this server', { field_name: 'cursor' });
    }
    if (payload.s !== sortSpec(sort)) {
      throw badRequest('bad_request', 'Invalid cursor.', 'cursor: was issued for a different sort_by', { field_name: 'cursor' });
    }
    return payload.p;
  }

  /** Index of the first item after the position (`after`) or not before it (`before`). */
  function boundaryIndex(items, position, sort, inclusiveEqual) {
    if (position.e === 'start') return 0;
    if (position.e === 'end') return items.length;
    const index = items.findIndex((item) => {
      const c = compareKeys(keyOf(item, sort), position, sort);
      return inclusiveEqual ? c >= 0 : c > 0;
    });
    return index < 0 ? items.length : index;
  }

  // --- responses -----------------------------------------------------------

  function sendJson(ctx, status, payload, headers = {}) {
    const text = JSON.stringify(payload);
    ctx.res.writeHead(status, {
      'content-type': DEVREV_JSON_CONTENT_TYPE,
      'content-length': String(Buffer.byteLength(text)),
      ...(ctx.rateHeaders ?? rateHeaders(ctx.token)),
      ...headers,
    });
    ctx.res.end(text);
  }

  /** DevRev's error body for an error, in the configured 400 style. */
  function renderError(err) {
    const base = { type: err.type, message: err.message };
    if (err.status === 400 && state.errorStyle === 'detailed') {
      const fields = err.subtype === 'bad_request' ? {} : err.fields;
      return { type: err.subtype, message: err.message, ...(err.detail ? { detail: err.detail } : {}), ...fields, ...err.extra };
    }
    return { ...base, ...(err.detail ? { detail: err.detail } : {}), ...err.extra };
  }

  function sendError(ctx, err) {
    if (!(err instanceof DevRevError)) {
      console.error('[devrev mock] handler error:', err);
      err = new DevRevError(500, 'Internal server error.', { extra: { reference_id: `ref_${randomBytes(6).toString('hex')}` } });
    }
    sendJson(ctx, err.status, renderError(err), err.headers);
  }

  // --- auth ----------------------------------------------------------------

  /** `Bearer <token>` or the bare token. Returns 'full' or 'read'. */
  function authenticate(ctx) {
    const header = String(ctx.req.headers.authorization ?? '').trim();
    const match = /^Bearer\s+(.+)$/i.exec(header);
    const token = (match ? match[1] : header).trim();
    // `<token>:<run>`: a concurrent test run's own token (and window).
    const is = (expected) => token === expected || token.startsWith(`${expected}:`);
    ctx.token = token;
    if (token && is(state.token)) return 'full';
    if (token && is(state.readOnlyToken)) return 'read';
    ctx.token = '';
    throw new DevRevError(401, header ? 'Unauthenticated: the token is invalid or expired.' : 'Unauthenticated: no token provided.');
  }

  // --- lookup --------------------------------------------------------------

  /** Index of an engagement by DON or display id; 400 for malformed ids, 404 when absent. */
  function findIndex(rawId, field = 'id') {
    const items = state.engagements;
    let index = items.findIndex((e) => e.id === rawId);
    if (index >= 0) return index;
    const parsed = parseDevRevId(rawId);
    if (!parsed) throw invalidId(field, rawId);
    if (parsed.kind !== 'engagement') throw wrongIdType(field, rawId, KIND_NAMES.engagement);
    index = items.findIndex((e) => e.id === parsed.don || (e.display_id && e.display_id.toUpperCase() === parsed.displayId));
    if (index < 0) throw new DevRevError(404, `The requested engagement does not exist: ${rawId}`);
    return index;
  }

  function requireId(body) {
    if (!present(body, 'id') || body.id === null) throw missingField('id');
    expectString(body.id, 'id');
    if (!body.id) throw missingField('id');
    return body.id;
  }

  /** Now, but strictly after `previous`, so every update moves modified_date. */
  function laterThan(previous) {
    const prev = Date.parse(previous ?? '');
    const now = Date.now();
    return new Date(Number.isNaN(prev) || now > prev ? now : prev + 1).toISOString();
  }

  // --- validation of write bodies ------------------------------------------

  function optionalString(body, field) {
    if (!present(body, field)) return undefined;
    return expectString(body[field], field);
  }

  function optionalEngagementType(body) {
    if (!present(body, 'engagement_type')) return undefined;
    const value = expectString(body.engagement_type, 'engagement_type');
    if (!CREATE_ENGAGEMENT_TYPES.includes(value)) throw badEnum('engagement_type', value, CREATE_ENGAGEMENT_TYPES);
    return value;
  }

  function membersList(value, field) {
    expectType(value, 'array', field);
    if (value.length < 1 || value.length > MAX_MEMBERS) {
      throw notPermitted(field, `must contain between 1 and ${MAX_MEMBERS} items (got ${value.length})`);
    }
    return expectIds(value, field, USER_KINDS);
  }

  /** `[{ id, value? }]` (set-tag-with-value). */
  function tagList(value, field) {
    expectType(value, 'array', field);
    return value.map((entry, i) => {
      const path = `${field}[${i}]`;
      expectType(entry, 'object', path);
      if (!present(entry, 'id') || entry.id === null) throw missingField(`${path}.id`);
      const parsed = expectId(entry.id, `${path}.id`, ['tag']);
      const tagValue = present(entry, 'value') ? expectString(entry.value, `${path}.value`) : undefined;
      return tagWithValueFor(parsed, tagValue);
    });
  }

  /** `{ set?: [...] }` wrapper of update; returns the `set` array or undefined. */
  function setWrapper(body, field) {
    if (!present(body, field)) return undefined;
    expectType(body[field], 'object', field);
    if (!present(body[field], 'set')) return undefined;
    return body[field].set;
  }

  // --- route handlers ------------------------------------------------------

  /** POST /engagements.list */
  function listEngagements(ctx, body) {
    const filters = parseFilters(body);
    const sort = parseSort(present(body, 'sort_by') ? body.sort_by : undefined);
    let limit = DEFAULT_LIMIT;
    if (present(body, 'limit')) {
      const asked = expectInteger(body.limit, 'limit');
      if (asked < 0) throw notPermitted('limit', 'must not be negative');
      limit = asked === 0 ? DEFAULT_LIMIT : Math.min(asked, MAX_LIMIT);
    }
    let mode = 'after';
    if (present(body, 'mode')) {
      mode = expectString(body.mode, 'mode');
      if (!LIST_MODES.includes(mode)) throw badEnum('mode', mode, LIST_MODES);
    }
    const position = present(body, 'cursor') ? decodeCursor(body.cursor, sort) : null;

    const items = state.engagements
      .filter((item) => matchesFilters(item, filters))
      .map((item) => ({ item, key: keyOf(item, sort) }))
      .sort((a, b) => compareKeys(a.key, b.key, sort))
      .map(({ item }) => item);

    let start;
    let end;
    if (mode === 'after') {
      start = position ? boundaryIndex(items, position, sort, false) : 0;
      end = Math.min(start + limit, items.length);
    } else {
      end = position ? boundaryIndex(items, position, sort, true) : items.length;
      start = Math.max(0, end - limit);
    }
    const page = items.slice(start, end);
    const payload = { engagements: page };
    if (end < items.length) {
      payload.next_cursor = encodeCursor(sort, page.length ? keyOf(page[page.length - 1], sort) : { e: 'start' });
    }
    if (start > 0) {
      payload.prev_cursor = encodeCursor(sort, page.length ? keyOf(page[0], sort) : { e: 'end' });
    }
    sendJson(ctx, 200, payload);
  }

  /** POST /engagements.count */
  function countEngagements(ctx, body) {
    const filters = parseFilters(body);
    sendJson(ctx, 200, { count: state.engagements.filter((item) => matchesFilters(item, filters)).length });
  }

  /** POST /engagements.get */
  function getEngagement(ctx, body) {
    const index = findIndex(requireId(body));
    sendJson(ctx, 200, { engagement: state.engagements[index] });
  }

  /** POST /engagements.create → 201 */
  function createEngagement(ctx, body) {
    for (const field of ['members', 'scheduled_date', 'title']) {
      if (!present(body, field) || body[field] === null) throw missingField(field);
    }
    const members = membersList(body.members, 'members');
    const scheduledDate = expectDate(body.scheduled_date, 'scheduled_date');
    const title = expectString(body.title, 'title');
    if (!title.trim()) throw missingField('title');
    const description = optionalString(body, 'description');
    const engagementType = optionalEngagementType(body);
    const externalRef = optionalString(body, 'external_ref');
    const externalUrl = optionalString(body, 'external_url');
    const parents = [];
    if (present(body, 'parent')) parents.push(expectId(body.parent, 'parent', PARENT_KINDS));
    if (present(body, 'parents')) parents.push(...expectIds(body.parents, 'parents', PARENT_KINDS));
    const artifacts = present(body, 'artifacts') ? expectIds(body.artifacts, 'artifacts', ['artifact']) : [];
    const tags = present(body, 'tags') ? tagList(body.tags, 'tags') : [];

    const now = new Date().toISOString();
    const number = state.nextNumber;
    state.nextNumber += 1;
    const item = buildEngagement({
      number,
      title,
      description,
      engagement_type: engagementType ?? 'default',
      scheduled_date: scheduledDate,
      members: members.map(summaryFor),
      parents: dedupeById(parents).map(summaryFor),
      artifacts: artifacts.map(artifactSummaryFor),
      tags,
      external_ref: externalRef,
      external_url: externalUrl,
      created_by: { ...state.user },
      created_date: now,
      modified_by: { ...state.user },
      modified_date: now,
    });
    state.engagements.push(item);
    sendJson(ctx, 201, { engagement: item });
  }

  /** POST /engagements.update (validates everything before changing anything). */
  function updateEngagement(ctx, body) {
    const index = findIndex(requireId(body));
    const changes = {};
    const removals = [];
    if (present(body, 'title')) {
      const title = expectString(body.title, 'title');
      if (!title.trim()) throw notPermitted('title', 'must not be empty');
      changes.title = title;
    }
    for (const field of ['description', 'external_ref', 'external_url']) {
      const value = optionalString(body, field);
      if (value === undefined) continue;
      if (value === '') removals.push(field);
      else changes[field] = value;
    }
    if (present(body, 'scheduled_date')) {
      if (body.scheduled_date === null) removals.push('scheduled_date');
      else changes.scheduled_date = expectDate(body.scheduled_date, 'scheduled_date');
    }
    const engagementType = optionalEngagementType(body);
    if (engagementType !== undefined) changes.engagement_type = engagementType;

    const members = setWrapper(body, 'members');
    if (members !== undefined) changes.members = membersList(members, 'members.set').map(summaryFor);
    const parents = setWrapper(body, 'parents');
    if (parents !== undefined) {
      expectType(parents, 'array', 'parents.set');
      if (parents.length > MAX_PARENTS) throw notPermitted('parents.set', `must contain at most ${MAX_PARENTS} items (got ${parents.length})`);
      changes.parents = expectIds(parents, 'parents.set', PARENT_KINDS).map(summaryFor);
    }
    const artifacts = setWrapper(body, 'artifacts');
    if (artifacts !== undefined) changes.artifacts = expectIds(artifacts, 'artifacts.set', ['artifact']).map(artifactSummaryFor);
    const tags = setWrapper(body, 'tags');
    if (tags !== undefined) changes.tags = tagList(tags, 'tags.set');

    const previous = state.engagements[index];
    const touched = Object.keys(changes).length + removals.length > 0;
    const next = { ...previous };
    for (const [field, value] of Object.entries(changes)) {
      if (Array.isArray(value) && value.length === 0) delete next[field];
      else next[field] = value;
    }
    for (const field of removals) delete next[field];
    if (touched) {
      next.modified_by = { ...state.user };
      next.modified_date = laterThan(previous.modified_date);
    }
    const rebuilt = reorder(next);
    state.engagements[index] = rebuilt;
    sendJson(ctx, 200, { engagement: rebuilt });
  }

  /** POST /engagements.delete → `{}` */
  function deleteEngagement(ctx, body) {
    const index = findIndex(requireId(body));
    state.engagements.splice(index, 1);
    sendJson(ctx, 200, {});
  }

  // --- routing -------------------------------------------------------------

  const ROUTES = {
    '/engagements.list': { handler: listEngagements, get: QUERY_PARAMS.list, write: false },
    '/engagements.count': { handler: countEngagements, get: QUERY_PARAMS.count, write: false },
    '/engagements.get': { handler: getEngagement, get: QUERY_PARAMS.get, write: false },
    '/engagements.create': { handler: createEngagement, get: null, write: true },
    '/engagements.update': { handler: updateEngagement, get: null, write: true },
    '/engagements.delete': { handler: deleteEngagement, get: null, write: true },
  };

  /** auth → rate limit → route and beta scope (404) → body → handler. */
  function route(ctx) {
    const access = authenticate(ctx);
    consumeRate(ctx);
    const routeEntry = ROUTES[ctx.url.pathname];
    const method = ctx.req.method;
    const allowed = routeEntry && (method === 'POST' || (method === 'GET' && routeEntry.get));
    // Engagements live only in DevRev's beta API: a request without
    // `X-Devrev-Scope: beta` reaches the public API, which has no such route.
    const scoped = String(ctx.req.headers['x-devrev-scope'] ?? '').trim().toLowerCase() === 'beta';
    if (!allowed || !scoped) throw new DevRevError(404, `No route for ${method} ${ctx.url.pathname}.`);
    if (routeEntry.write && access !== 'full') {
      throw new DevRevError(403, 'Forbidden: the token is not allowed to modify engagements.');
    }
    const body = method === 'GET' ? bodyFromQuery(ctx.url.searchParams, routeEntry.get) : bodyFromJson(ctx.body);
    routeEntry.handler(ctx, body);
  }

  function owns(pathname) {
    return pathname.startsWith(DEVREV_PATH_PREFIX);
  }

  /** Entry point used by the shared server. */
  function handle(req, res, url, bodyBuffer = Buffer.alloc(0)) {
    if (!owns(url.pathname)) return false;
    const ctx = { req, res, url, body: bodyBuffer, rateHeaders: null };
    try {
      route(ctx);
    } catch (err) {
      sendError(ctx, err);
    }
    return true;
  }

  /** Default body of a scripted fault answered on a DevRev path. */
  function errorBody(status, message) {
    return devrevErrorBody(status, message);
  }

  reset();
  return { name: 'devrev', state, owns, handle, reset, validateReset, store, errorBody };
}

// ---------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------

function validateOptions(o, label) {
  if (o.count !== undefined && !(Number.isInteger(o.count) && o.count >= 0 && o.count <= 100_000)) {
    throw new Error(`${label}.count must be an integer between 0 and 100000`);
  }
  for (const key of ['token', 'readOnlyToken']) {
    if (o[key] !== undefined && (typeof o[key] !== 'string' || !o[key])) throw new Error(`${label}.${key} must be a non-empty string`);
  }
  if (o.rateLimit !== undefined && !(Number.isInteger(o.rateLimit) && o.rateLimit >= 0)) {
    throw new Error(`${label}.rateLimit must be a non-negative integer`);
  }
  if (o.rateWindowMs !== undefined && !(Number.isInteger(o.rateWindowMs) && o.rateWindowMs > 0)) {
    throw new Error(`${label}.rateWindowMs must be a positive integer`);
  }
  if (o.errorStyle !== undefined && !ERROR_STYLES.has(o.errorStyle)) {
    throw new Error(`${label}.errorStyle must be 'generic' or 'detailed'`);
  }
}

function stripUndefined(object) {
  return Object.fromEntries(Object.entries(object ?? {}).filter(([, v]) => v !== undefined));
}

function dedupeById(parsedIds) {
  const seen = new Set();
  return parsedIds.filter((p) => (seen.has(p.don) ? false : (seen.add(p.don), true)));
}

/** Keeps the documented field order after an update. */
function reorder(item) {
  const order = ['id', 'display_id', 'title', 'description', 'engagement_type', 'scheduled_date', 'members', 'parents',
    'artifacts', 'tags', 'external_ref', 'external_url', 'created_by', 'created_date', 'modified_by', 'modified_date'];
  const out = {};
  for (const key of order) if (key in item) out[key] = item[key];
  for (const key of Object.keys(item)) if (!(key in out)) out[key] = item[key];
  return out;
}
