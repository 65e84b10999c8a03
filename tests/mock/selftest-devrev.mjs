/**
 * Self-test of the DevRev engagements mock over real HTTP (node:test + global fetch).
 * Run: node --test tests/mock/selftest-devrev.mjs
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startMockServer } from './server.mjs';
import { CREATE_ENGAGEMENT_TYPES, ENGAGEMENT_TYPES, generateDevRevEngagements } from './devrev.mjs';

const TOKEN = 'test-token';
const DON_ENGAGEMENT = /^don:core:dvrv-us-1:devo\/0:engagement\/\d+$/;
const DON_USER = /^don:identity:dvrv-us-1:devo\/0:(devu|revu)\/\d+$/;
const DON_PARENT = /^don:core:dvrv-us-1:devo\/0:(account|opportunity)\/\d+$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const eng = (n) => `don:core:dvrv-us-1:devo/0:engagement/${n}`;
const devu = (n) => `don:identity:dvrv-us-1:devo/0:devu/${n}`;

let server;
let mock;

before(async () => {
  server = await startMockServer();
  mock = server.mock;
});

after(() => server.close());

beforeEach(() => mock.reset());

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/**
 * Calls the mock; POST with a JSON body by default; parses JSON answers.
 * Sends `X-Devrev-Scope: beta` (engagements are a beta API) unless `scope` is null.
 */
async function api(path, { method = 'POST', body, auth = `Bearer ${TOKEN}`, scope = 'beta', headers = {}, raw } = {}) {
  const finalHeaders = { ...headers };
  if (auth !== null) finalHeaders.authorization = auth;
  if (scope !== null) finalHeaders['x-devrev-scope'] = scope;
  let payload;
  if (raw !== undefined) payload = raw;
  else if (method !== 'GET' && body !== undefined) payload = JSON.stringify(body);
  if (payload !== undefined) finalHeaders['content-type'] ??= 'application/json';
  const res = await fetch(server.url + path, { method, headers: finalHeaders, body: payload });
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // not JSON
  }
  return { status: res.status, headers: res.headers, text, json };
}

const ids = (r) => r.json.engagements.map((e) => e.id);
const validCreate = (extra = {}) => ({
  title: 'Kickoff with Globex',
  members: ['DEVU-2'],
  scheduled_date: '2024-07-01T10:00:00Z',
  ...extra,
});

/** A 400 in the default (generic) style whose detail names `field`. */
function assertBadRequest(r, field) {
  assert.equal(r.status, 400, r.text);
  assert.equal(r.json.type, 'bad_request', r.text);
  assert.equal(typeof r.json.message, 'string');
  assert.ok(r.json.detail.startsWith(field), `detail "${r.json.detail}" names ${field}`);
}

/** Follows cursors (next_cursor, or prev_cursor in `before` mode) to the end. */
async function walk(request) {
  const pages = [];
  let cursor;
  const backwards = request.mode === 'before';
  for (;;) {
    const r = await api('/engagements.list', { body: { ...request, ...(cursor ? { cursor } : {}) } });
    assert.equal(r.status, 200, r.text);
    pages.push(r.json);
    cursor = backwards ? r.json.prev_cursor : r.json.next_cursor;
    if (!cursor) return pages;
    assert.ok(pages.length < 50, 'pagination terminates');
  }
}

// ---------------------------------------------------------------------------
// Auth and headers
// ---------------------------------------------------------------------------

describe('auth and headers', () => {
  test('missing or wrong token → 401 unauthenticated; Bearer (any case) and bare token accepted', async () => {
    for (const auth of [null, 'Bearer nope', 'nope', 'Basic dGVzdA==']) {
      const r = await api('/engagements.list', { body: {}, auth });
      assert.equal(r.status, 401);
      assert.equal(r.json.type, 'unauthenticated');
      assert.equal(typeof r.json.message, 'string');
      assert.ok(!r.text.includes('nope'), 'token never echoed');
    }
    for (const auth of [`Bearer ${TOKEN}`, `bearer ${TOKEN}`, TOKEN]) {
      assert.equal((await api('/engagements.list', { body: {}, auth })).status, 200, auth);
    }
  });

  test('without X-Devrev-Scope: beta every engagements route is 404 not_found, like a route DevRev lacks', async () => {
    const before = structuredClone(mock.devrev.store());
    const unknown = await api('/engagements.nope', { body: {} });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json.type, 'not_found');
    for (const route of ['list', 'count', 'get', 'create', 'update', 'delete']) {
      for (const scope of [null, 'public', '']) {
        const body = route === 'create' ? validCreate() : route === 'list' || route === 'count' ? {} : { id: before[0].id };
        const r = await api(`/engagements.${route}`, { body, scope });
        assert.equal(r.status, 404, `${route} with scope ${scope}`);
        assert.deepEqual(Object.keys(r.json).sort(), Object.keys(unknown.json).sort(), 'the shape of an unknown route');
        assert.equal(r.json.type, 'not_found');
      }
    }
    assert.deepEqual(mock.devrev.store(), before, 'nothing was created, changed or deleted unscoped');
    for (const scope of ['beta', 'Beta', ' beta ']) {
      assert.equal((await api('/engagements.list', { body: {}, scope })).status, 200, `scope ${JSON.stringify(scope)}`);
    }
  });

  test('responses carry JSON content type, x-request-id, CORS and X-RateLimit-* (reset in epoch seconds)', async () => {
    const a = await api('/engagements.list', { body: {} });
    const b = await api('/engagements.list', { body: {} });
    const unauthenticated = await api('/engagements.list', { body: {}, auth: null });
    for (const r of [a, b, unauthenticated]) {
      assert.match(r.headers.get('content-type'), /^application\/json/);
      assert.match(r.headers.get('x-request-id'), /^req_\d+$/);
      assert.equal(r.headers.get('access-control-allow-origin'), '*');
      const exposed = r.headers.get('access-control-expose-headers');
      for (const h of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'retry-after']) assert.ok(exposed.includes(h), h);
      for (const h of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset']) assert.match(r.headers.get(h), /^\d+$/);
    }
    const resetAt = Number(a.headers.get('x-ratelimit-reset'));
    assert.ok(resetAt * 1000 > Date.now() && resetAt * 1000 <= Date.now() + 61_000, 'epoch seconds within the window');
    assert.equal(Number(b.headers.get('x-ratelimit-remaining')), Number(a.headers.get('x-ratelimit-remaining')) - 1);
  });

  test('read-only token may read but gets 403 forbidden on writes', async () => {
    const auth = 'Bearer read-only-token';
    assert.equal((await api('/engagements.list', { body: {}, auth })).status, 200);
    assert.equal((await api('/engagements.count', { body: {}, auth })).status, 200);
    for (const [path, body] of [['/engagements.create', validCreate()], ['/engagements.update', { id: eng(1), title: 'x' }], ['/engagements.delete', { id: eng(1) }]]) {
      const r = await api(path, { body, auth });
      assert.equal(r.status, 403, path);
      assert.equal(r.json.type, 'forbidden');
    }
    assert.equal(mock.devrev.store().length, 30, 'nothing changed');
  });

  test('spent rate-limit window → 429 too_many_requests with retry_after and Retry-After', async () => {
    mock.reset({ devrev: { rateLimit: 2 } });
    assert.equal((await api('/engagements.count', { body: {} })).status, 200);
    const last = await api('/engagements.count', { body: {} });
    assert.equal(last.headers.get('x-ratelimit-remaining'), '0');
    const r = await api('/engagements.count', { body: {} });
    assert.equal(r.status, 429);
    assert.deepEqual(Object.keys(r.json).sort(), ['message', 'retry_after', 'type']);
    assert.equal(r.json.type, 'too_many_requests');
    assert.ok(Number.isInteger(r.json.retry_after) && r.json.retry_after >= 1 && r.json.retry_after <= 60);
    assert.equal(r.headers.get('retry-after'), String(r.json.retry_after));
    assert.equal(r.headers.get('x-ratelimit-remaining'), '0');
  });
});

// ---------------------------------------------------------------------------
// Routes
// ---------------------------------------------------------------------------

describe('routes', () => {
  test('list: 30 seeded engagements shaped like DevRev, one page, no cursors', async () => {
    const r = await api('/engagements.list', { body: {} });
    assert.equal(r.status, 200);
    assert.deepEqual(Object.keys(r.json), ['engagements'], 'next_cursor and prev_cursor omitted');
    assert.equal(r.json.engagements.length, 30);
    assert.deepEqual(ids(r), Array.from({ length: 30 }, (_, i) => eng(i + 1)), 'default order: creation (id) ascending');
    assert.deepEqual(r.json.engagements, generateDevRevEngagements(30), 'deterministic seed');
    const types = new Set(r.json.engagements.map((e) => e.engagement_type));
    assert.deepEqual([...types].sort(), [...ENGAGEMENT_TYPES], 'every list-enum type is seeded');
    const months = new Set(r.json.engagements.map((e) => e.scheduled_date.slice(0, 7)));
    assert.ok(months.size >= 5, 'scheduled dates spread over months');
    for (const e of r.json.engagements) {
      assert.match(e.id, DON_ENGAGEMENT);
      assert.equal(e.display_id, `ENG-${e.id.split('/').pop()}`);
      assert.equal(typeof e.title, 'string');
      for (const f of ['scheduled_date', 'created_date', 'modified_date']) assert.match(e[f], ISO, f);
      assert.ok(e.modified_date >= e.created_date);
      assert.ok(e.members.length >= 1);
      assert.equal(e.members[0].type, 'dev_user', 'first member is a dev user');
      for (const m of e.members) assert.match(m.id, DON_USER);
      for (const p of e.parents ?? []) assert.match(p.id, DON_PARENT);
      for (const t of e.tags ?? []) assert.match(t.tag.id, /:tag\/\d+$/);
      for (const who of [e.created_by, e.modified_by]) {
        assert.equal(who.type, 'dev_user');
        assert.match(who.id, /:devu\/\d+$/);
        assert.equal(typeof who.display_name, 'string');
      }
      if (e.external_url) assert.match(e.external_url, /^https:\/\//);
    }
    assert.ok(r.json.engagements.some((e) => e.parents?.some((p) => p.type === 'opportunity')));
    assert.ok(r.json.engagements.some((e) => e.artifacts?.length));
    assert.ok(r.json.engagements.some((e) => e.external_ref) && r.json.engagements.some((e) => !e.external_ref));
  });

  test('GET list/count/get with query parameters match their POST forms', async () => {
    const post = await api('/engagements.list', { body: { type: ['call', 'email'], limit: 4 } });
    const get = await api('/engagements.list?type=call,email&limit=4', { method: 'GET' });
    const repeated = await api('/engagements.list?type=call&type=email&limit=4', { method: 'GET' });
    assert.deepEqual(ids(get), ids(post));
    assert.deepEqual(ids(repeated), ids(post));
    assert.ok(post.json.engagements.every((e) => ['call', 'email'].includes(e.engagement_type)));
    const next = await api(`/engagements.list?type=call,email&limit=4&cursor=${encodeURIComponent(get.json.next_cursor)}`, { method: 'GET' });
    assert.equal(next.status, 200);
    assert.notDeepEqual(ids(next), ids(get));
    const count = await api('/engagements.count?type=call,email', { method: 'GET' });
    assert.deepEqual(count.json, (await api('/engagements.count', { body: { type: ['call', 'email'] } })).json);
    const one = await api(`/engagements.get?id=${encodeURIComponent(eng(4))}`, { method: 'GET' });
    assert.equal(one.json.engagement.id, eng(4));
    assertBadRequest(await api('/engagements.list?limit=ten', { method: 'GET' }), 'limit');
    assertBadRequest(await api('/engagements.get', { method: 'GET' }), 'id');
  });

  test('get by DON id and by display id → { engagement }', async () => {
    const byDon = await api('/engagements.get', { body: { id: eng(7) } });
    assert.equal(byDon.status, 200);
    assert.deepEqual(Object.keys(byDon.json), ['engagement']);
    assert.deepEqual(byDon.json.engagement, mock.devrev.store()[6]);
    const byDisplay = await api('/engagements.get', { body: { id: 'ENG-7' } });
    assert.deepEqual(byDisplay.json, byDon.json);
  });

  test('create → 201 { engagement }, ids normalised to DONs with summaries, stored', async () => {
    const r = await api('/engagements.create', {
      body: validCreate({
        members: ['DEVU-2', 'don:identity:dvrv-us-1:devo/0:revu/3', 'DEVU-2'],
        scheduled_date: '2024-07-01T10:00:00+02:00',
        description: 'Agenda: timeline and success criteria.',
        engagement_type: 'call',
        parent: 'ACC-2',
        parents: ['OPP-3', 'ACC-2'],
        artifacts: ['ARTIFACT-9'],
        tags: [{ id: 'TAG-1' }, { id: 'don:core:dvrv-us-1:devo/0:tag/8', value: 'high' }],
        external_ref: 'gong:call/1',
        external_url: 'https://app.gong.io/call?id=1',
      }),
    });
    assert.equal(r.status, 201, r.text);
    const e = r.json.engagement;
    assert.equal(e.id, eng(31));
    assert.equal(e.display_id, 'ENG-31');
    assert.equal(e.title, 'Kickoff with Globex');
    assert.equal(e.engagement_type, 'call');
    assert.equal(e.scheduled_date, '2024-07-01T08:00:00.000Z', 'normalised to UTC');
    assert.deepEqual(e.members.map((m) => [m.type, m.id]), [['dev_user', devu(2)], ['rev_user', 'don:identity:dvrv-us-1:devo/0:revu/3']]);
    assert.equal(e.members[0].display_name, 'marcus-oyelaran');
    assert.deepEqual(e.parents.map((p) => [p.type, p.display_id]), [['account', 'ACC-2'], ['opportunity', 'OPP-3']]);
    assert.deepEqual(e.artifacts, [{ id: 'don:core:dvrv-us-1:devo/0:artifact/9', display_id: 'ARTIFACT-9' }]);
    assert.deepEqual(e.tags, [
      { tag: { id: 'don:core:dvrv-us-1:devo/0:tag/1', display_id: 'TAG-1', name: 'renewal' } },
      { tag: { id: 'don:core:dvrv-us-1:devo/0:tag/8', display_id: 'TAG-8', name: 'priority' }, value: 'high' },
    ]);
    assert.equal(e.created_by.id, devu(1));
    assert.equal(e.created_date, e.modified_date);
    assert.deepEqual(mock.devrev.store().at(-1), e);

    const minimal = await api('/engagements.create', { body: validCreate() });
    assert.equal(minimal.json.engagement.engagement_type, 'default', 'default type');
    for (const absent of ['description', 'parents', 'artifacts', 'tags', 'external_ref', 'external_url']) {
      assert.ok(!(absent in minimal.json.engagement), `${absent} omitted when unset`);
    }
    assert.equal(minimal.json.engagement.id, eng(32));
  });

  test('update: plain fields, set-wrappers, null scheduled_date; modified_date moves', async () => {
    const before = mock.devrev.store()[1];
    const r = await api('/engagements.update', {
      body: {
        id: 'ENG-2',
        title: 'Renamed',
        description: 'New notes.',
        members: { set: ['DEVU-5', 'REVU-1'] },
        parents: { set: ['OPP-1'] },
        artifacts: { set: [] },
        tags: { set: [{ id: 'TAG-3' }] },
        external_ref: 'ext-2',
        external_url: 'https://crm.example.com/2',
        engagement_type: 'offline',
        scheduled_date: null,
      },
    });
    assert.equal(r.status, 200, r.text);
    const e = r.json.engagement;
    assert.equal(e.id, before.id);
    assert.equal(e.title, 'Renamed');
    assert.equal(e.description, 'New notes.');
    assert.deepEqual(e.members.map((m) => m.display_id), ['DEVU-5', 'REVU-1']);
    assert.deepEqual(e.parents.map((p) => p.display_id), ['OPP-1']);
    assert.ok(!('artifacts' in e));
    assert.deepEqual(e.tags.map((t) => t.tag.name), ['churn-risk']);
    assert.equal(e.engagement_type, 'offline');
    assert.ok(!('scheduled_date' in e), 'null clears scheduled_date');
    assert.ok(e.modified_date > before.modified_date);
    assert.equal(e.created_date, before.created_date);
    assert.deepEqual(mock.devrev.store()[1], e);

    const partial = await api('/engagements.update', { body: { id: eng(2), members: {} } });
    assert.deepEqual(partial.json.engagement.members, e.members, 'wrapper without set leaves members alone');
    assertBadRequest(await api('/engagements.update', { body: { id: eng(2), members: { set: [] } } }), 'members.set');
    assertBadRequest(await api('/engagements.update', { body: { id: eng(2), members: ['DEVU-1'] } }), 'members');
    assertBadRequest(await api('/engagements.update', { body: { id: eng(2), parents: { set: Array.from({ length: 51 }, (_, i) => `ACC-${i + 1}`) } } }), 'parents.set');
    assertBadRequest(await api('/engagements.update', { body: { id: eng(2), engagement_type: 'survey' } }), 'engagement_type');
    assertBadRequest(await api('/engagements.update', { body: { title: 'no id' } }), 'id');
    assert.equal(mock.devrev.store()[1].title, 'Renamed', 'failed updates change nothing');
  });

  test('delete → {}, then get/update/delete → 404 not_found', async () => {
    const r = await api('/engagements.delete', { body: { id: eng(5) } });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, {});
    assert.equal(mock.devrev.store().length, 29);
    for (const [path, body] of [['/engagements.get', { id: eng(5) }], ['/engagements.update', { id: eng(5), title: 'x' }], ['/engagements.delete', { id: 'ENG-5' }]]) {
      const gone = await api(path, { body });
      assert.equal(gone.status, 404, path);
      assert.equal(gone.json.type, 'not_found');
      assert.equal(typeof gone.json.message, 'string');
    }
  });

  test('count → { count } honouring type, members, parent and external_ref like list', async () => {
    const all = await api('/engagements.count', { body: {} });
    assert.deepEqual(all.json, { count: 30 });
    const store = mock.devrev.store();
    const member = store[0].members[0].id;
    const parent = store[0].parents[0].id;
    const filters = [
      { type: ['call'] },
      { type: ['meeting', 'survey'] },
      { members: [member] },
      { members: [store[0].members[0].display_id] },
      { parent: [parent] },
      { external_ref: [store[0].external_ref, 'nope'] },
      { type: ['call'], parent: [parent] },
    ];
    for (const filter of filters) {
      const count = await api('/engagements.count', { body: filter });
      const list = await api('/engagements.list', { body: { ...filter, limit: 100 } });
      assert.equal(count.json.count, list.json.engagements.length, JSON.stringify(filter));
      assert.ok(count.json.count > 0, JSON.stringify(filter));
    }
    assert.equal((await api('/engagements.count', { body: { type: ['call'] } })).json.count, store.filter((e) => e.engagement_type === 'call').length);
    assert.equal((await api('/engagements.count', { body: { external_ref: ['nope'] } })).json.count, 0);
    assertBadRequest(await api('/engagements.count', { body: { type: ['phone'] } }), 'type[0]');
    assert.equal((await api('/engagements.count', { body: { sort_by: ['title'], limit: 1 } })).json.count, 30, 'list-only fields ignored');
  });

  test('unknown route and wrong method → 404 not_found', async () => {
    const unknown = await api('/engagements.archive', { body: {} });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json.type, 'not_found');
    assert.equal((await api('/engagements.create', { method: 'GET' })).status, 404);
    assert.equal((await api('/engagements.list', { method: 'PUT', body: {} })).status, 404);
  });
});

// ---------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------

describe('validation', () => {
  test('create without members, scheduled_date or title → 400 naming the field', async () => {
    for (const field of ['members', 'scheduled_date', 'title']) {
      const body = validCreate();
      delete body[field];
      assertBadRequest(await api('/engagements.create', { body }), field);
      assertBadRequest(await api('/engagements.create', { body: { ...body, [field]: null } }), field);
    }
    assertBadRequest(await api('/engagements.create', { body: validCreate({ title: '  ' }) }), 'title');
    assertBadRequest(await api('/engagements.create', { body: {} }), 'members');
    assertBadRequest(await api('/engagements.create', { raw: '' }), 'members');
    assert.equal(mock.devrev.store().length, 30);
  });

  test('create with 0 or 51 members → 400; 1 and 50 are fine', async () => {
    assertBadRequest(await api('/engagements.create', { body: validCreate({ members: [] }) }), 'members');
    const many = (n) => Array.from({ length: n }, (_, i) => `DEVU-${i + 1}`);
    assertBadRequest(await api('/engagements.create', { body: validCreate({ members: many(51) }) }), 'members');
    assert.equal((await api('/engagements.create', { body: validCreate({ members: many(1) }) })).status, 201);
    const fifty = await api('/engagements.create', { body: validCreate({ members: many(50) }) });
    assert.equal(fifty.status, 201);
    assert.equal(fifty.json.engagement.members.length, 50);
  });

  test('enums: create takes only the create enum; list/count take the list enum; mode after|before', async () => {
    for (const type of CREATE_ENGAGEMENT_TYPES) {
      assert.equal((await api('/engagements.create', { body: validCreate({ engagement_type: type }) })).status, 201, type);
    }
    for (const type of ['meeting', 'survey', 'conversation', 'custom', 'CALL', 'phone']) {
      assertBadRequest(await api('/engagements.create', { body: validCreate({ engagement_type: type }) }), 'engagement_type');
    }
    for (const type of ENGAGEMENT_TYPES) {
      assert.equal((await api('/engagements.list', { body: { type: [type] } })).status, 200, type);
    }
    assertBadRequest(await api('/engagements.list', { body: { type: ['phone'] } }), 'type[0]');
    assertBadRequest(await api('/engagements.list', { body: { mode: 'sideways' } }), 'mode');
    assertBadRequest(await api('/engagements.list', { body: { sort_by: ['priority:asc'] } }), 'sort_by[0]');
    assertBadRequest(await api('/engagements.list', { body: { sort_by: ['title:up'] } }), 'sort_by[0]');
  });

  test('dates must be RFC 3339', async () => {
    for (const bad of ['yesterday', '2024-07-01', '2024-07-01 10:00:00Z', '2024-02-30T10:00:00Z', '2024-07-01T25:00:00Z', '2024-07-01T10:00:00', '2024-07-01T10:00:00+2:00']) {
      assertBadRequest(await api('/engagements.create', { body: validCreate({ scheduled_date: bad }) }), 'scheduled_date');
    }
    assertBadRequest(await api('/engagements.update', { body: { id: eng(1), scheduled_date: 'soon' } }), 'scheduled_date');
    for (const good of ['2024-02-29T10:00:00Z', '2024-07-01T10:00:00.123456+05:30', '2024-07-01t10:00:00z']) {
      assert.equal((await api('/engagements.create', { body: validCreate({ scheduled_date: good }) })).status, 201, good);
    }
  });

  test('wrong JSON types and malformed bodies → 400 bad_request', async () => {
    const cases = [
      ['/engagements.create', validCreate({ title: 5 }), 'title'],
      ['/engagements.create', validCreate({ members: 'DEVU-1' }), 'members'],
      ['/engagements.create', validCreate({ members: [1] }), 'members[0]'],
      ['/engagements.create', validCreate({ description: null }), 'description'],
      ['/engagements.create', validCreate({ tags: ['TAG-1'] }), 'tags[0]'],
      ['/engagements.create', validCreate({ tags: [{ value: 'x' }] }), 'tags[0].id'],
      ['/engagements.create', validCreate({ parent: ['ACC-1'] }), 'parent'],
      ['/engagements.list', { limit: '10' }, 'limit'],
      ['/engagements.list', { limit: 2.5 }, 'limit'],
      ['/engagements.list', { limit: -1 }, 'limit'],
      ['/engagements.list', { type: 'call' }, 'type'],
      ['/engagements.list', { cursor: 7 }, 'cursor'],
      ['/engagements.list', { members: 'DEVU-1' }, 'members'],
      ['/engagements.get', { id: 12 }, 'id'],
      ['/engagements.update', { id: eng(1), tags: { set: [{ id: 'TAG-1', value: 3 }] } }, 'tags.set[0].value'],
    ];
    for (const [path, body, field] of cases) assertBadRequest(await api(path, { body }), field);
    assertBadRequest(await api('/engagements.list', { raw: '{"limit":' }), 'body');
    assertBadRequest(await api('/engagements.list', { raw: '[1,2]' }), 'body');
    assert.equal(mock.devrev.store().length, 30);
  });

  test('ids: malformed → 400, wrong object type → 400, well-formed but absent → 404', async () => {
    assertBadRequest(await api('/engagements.create', { body: validCreate({ members: ['bob'] }) }), 'members[0]');
    assertBadRequest(await api('/engagements.create', { body: validCreate({ members: ['ACC-1'] }) }), 'members[0]');
    assertBadRequest(await api('/engagements.create', { body: validCreate({ parents: ['DEVU-1'] }) }), 'parents[0]');
    assertBadRequest(await api('/engagements.list', { body: { parent: ['REVU-1'] } }), 'parent[0]');
    assertBadRequest(await api('/engagements.get', { body: { id: 'not-an-id!' } }), 'id');
    assertBadRequest(await api('/engagements.get', { body: { id: 'ACC-1' } }), 'id');
    const missing = await api('/engagements.get', { body: { id: eng(9999) } });
    assert.equal(missing.status, 404);
    assert.equal(missing.json.type, 'not_found');
    assert.equal((await api('/engagements.get', { body: { id: 'ENG-9999' } })).status, 404);
  });

  test('unknown body fields are accepted and ignored (the spec does not forbid them)', async () => {
    const r = await api('/engagements.create', { body: validCreate({ owner: 'x', custom_fields: { a: 1 } }) });
    assert.equal(r.status, 201);
    assert.ok(!('owner' in r.json.engagement) && !('custom_fields' in r.json.engagement));
    assert.equal((await api('/engagements.list', { body: { engagement_type: 'nonsense', page: 3 } })).json.engagements.length, 31);
  });

  test("errorStyle 'detailed' renders the spec's 400 subtypes with their fields", async () => {
    mock.reset({ devrev: { errorStyle: 'detailed' } });
    const missing = await api('/engagements.create', { body: { members: ['DEVU-1'], scheduled_date: '2024-01-01T00:00:00Z' } });
    assert.deepEqual({ ...missing.json, message: undefined, detail: undefined }, { type: 'missing_required_field', field_name: 'title', message: undefined, detail: undefined });
    const badEnum = await api('/engagements.create', { body: validCreate({ engagement_type: 'meeting' }) });
    assert.equal(badEnum.json.type, 'invalid_enum_value');
    assert.equal(badEnum.json.field_name, 'engagement_type');
    assert.equal(badEnum.json.value, 'meeting');
    assert.deepEqual(badEnum.json.allowed_values, [...CREATE_ENGAGEMENT_TYPES]);
    const wrongType = await api('/engagements.list', { body: { limit: '5' } });
    assert.deepEqual([wrongType.json.type, wrongType.json.field_name, wrongType.json.expected, wrongType.json.actual], ['unexpected_json_type', 'limit', 'number', 'string']);
    const tooMany = await api('/engagements.create', { body: validCreate({ members: [] }) });
    assert.equal(tooMany.json.type, 'value_not_permitted');
    assert.equal((await api('/engagements.create', { body: validCreate({ members: ['bob'] }) })).json.type, 'invalid_id');
    assert.equal((await api('/engagements.create', { body: validCreate({ members: ['ACC-1'] }) })).json.type, 'unexpected_id_type');
    assert.equal((await api('/engagements.list', { raw: '{' })).json.type, 'parse_error');
    const date = await api('/engagements.create', { body: validCreate({ scheduled_date: 'soon' }) });
    assert.deepEqual(Object.keys(date.json).sort(), ['detail', 'message', 'type']);
    assert.equal(date.json.type, 'bad_request');
  });
});

// ---------------------------------------------------------------------------
// Pagination
// ---------------------------------------------------------------------------

describe('pagination', () => {
  test("mode 'after' walks forward; next_cursor omitted on the last page; prev_cursor from page 2", async () => {
    const pages = await walk({ limit: 7 });
    assert.deepEqual(pages.map((p) => p.engagements.length), [7, 7, 7, 7, 2]);
    assert.ok(!('prev_cursor' in pages[0]));
    for (const page of pages.slice(1)) assert.equal(typeof page.prev_cursor, 'string');
    for (const page of pages.slice(0, -1)) assert.match(page.next_cursor, /^[\w-]+\.[\w-]+$/);
    assert.ok(!('next_cursor' in pages.at(-1)), 'DevRev omits next_cursor on the last page');
    const all = pages.flatMap((p) => p.engagements.map((e) => e.id));
    assert.deepEqual(all, Array.from({ length: 30 }, (_, i) => eng(i + 1)));
    // going back from page 3 with its prev_cursor gives page 2
    const back = await api('/engagements.list', { body: { limit: 7, mode: 'before', cursor: pages[2].prev_cursor } });
    assert.deepEqual(ids(back), pages[1].engagements.map((e) => e.id));
  });

  test("mode 'before' starts from the end and follows prev_cursor; order stays ascending", async () => {
    const pages = await walk({ limit: 7, mode: 'before' });
    assert.deepEqual(pages.map((p) => p.engagements.length), [7, 7, 7, 7, 2]);
    assert.deepEqual(pages[0].engagements.map((e) => e.display_id), ['ENG-24', 'ENG-25', 'ENG-26', 'ENG-27', 'ENG-28', 'ENG-29', 'ENG-30']);
    assert.ok(!('next_cursor' in pages[0]), 'nothing after the end');
    assert.ok(!('prev_cursor' in pages.at(-1)), 'prev_cursor omitted at the beginning');
    const all = pages.reverse().flatMap((p) => p.engagements.map((e) => e.id));
    assert.deepEqual(all, Array.from({ length: 30 }, (_, i) => eng(i + 1)));
  });

  test('sort_by, filters and limits: default 50, max 100, 0 = default', async () => {
    mock.reset({ devrev: { count: 130 } });
    assert.equal((await api('/engagements.list', { body: {} })).json.engagements.length, 50);
    assert.equal((await api('/engagements.list', { body: { limit: 0 } })).json.engagements.length, 50);
    assert.equal((await api('/engagements.list', { body: { limit: 500 } })).json.engagements.length, 100);
    const sorted = await walk({ sort_by: ['scheduled_date:desc'], limit: 40 });
    const dates = sorted.flatMap((p) => p.engagements.map((e) => e.scheduled_date));
    assert.equal(dates.length, 130);
    assert.deepEqual(dates, [...dates].sort().reverse());
    const titles = (await walk({ sort_by: ['title'], type: ['call'], limit: 5 })).flatMap((p) => p.engagements);
    assert.ok(titles.every((e) => e.engagement_type === 'call'));
    const lower = titles.map((e) => e.title.toLowerCase());
    assert.deepEqual(lower, [...lower].sort());
  });

  test('cursors are opaque and checked: tampered or from another sort_by → 400', async () => {
    const first = await api('/engagements.list', { body: { limit: 5 } });
    const cursor = first.json.next_cursor;
    const [payload, sig] = cursor.split('.');
    assertBadRequest(await api('/engagements.list', { body: { cursor: `${payload}.${sig.slice(1)}x` } }), 'cursor');
    assertBadRequest(await api('/engagements.list', { body: { cursor: 'garbage' } }), 'cursor');
    assertBadRequest(await api('/engagements.list', { body: { cursor, sort_by: ['title'] } }), 'cursor');
  });

  test('keyset cursors survive deletes and creates between pages', async () => {
    const first = await api('/engagements.list', { body: { limit: 10 } });
    await api('/engagements.delete', { body: { id: eng(10) } });
    await api('/engagements.delete', { body: { id: eng(11) } });
    await api('/engagements.create', { body: validCreate() });
    const second = await api('/engagements.list', { body: { limit: 10, cursor: first.json.next_cursor } });
    assert.deepEqual(second.json.engagements.map((e) => e.display_id), ['ENG-12', 'ENG-13', 'ENG-14', 'ENG-15', 'ENG-16', 'ENG-17', 'ENG-18', 'ENG-19', 'ENG-20', 'ENG-21']);
    const rest = await api('/engagements.list', { body: { limit: 10, cursor: second.json.next_cursor } });
    assert.equal(rest.json.engagements.at(-1).display_id, 'ENG-31');
    assert.ok(!('next_cursor' in rest.json));
  });
});

// ---------------------------------------------------------------------------
// Shared server machinery
// ---------------------------------------------------------------------------

describe('server integration', () => {
  test('CORS preflight on a DevRev path → 204, not recorded', async () => {
    const res = await fetch(`${server.url}/engagements.list`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type, x-devrev-scope' },
    });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    assert.match(res.headers.get('access-control-allow-methods'), /POST/);
    assert.equal(res.headers.get('access-control-allow-headers'), 'authorization, content-type, x-devrev-scope');
    assert.equal(mock.requests.length, 0);
  });

  test('requests are recorded with provider devrev, next to Truto on the same server', async () => {
    await api('/engagements.create', { body: validCreate() });
    const truto = await fetch(`${server.url}/unified/crm/engagements?integrated_account_id=a`, { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(truto.status, 200);
    assert.deepEqual(mock.requests.map((r) => [r.provider, r.method, r.path, r.status]), [
      ['devrev', 'POST', '/engagements.create', 201],
      ['truto', 'GET', '/unified/crm/engagements', 200],
    ]);
    assert.equal(mock.requests[0].json.title, 'Kickoff with Globex');
  });

  test('faults match DevRev paths and provider; default fault bodies are DevRev-shaped', async () => {
    mock.addFaults([
      { match: { path: '/engagements.create' }, status: 503 },
      { match: { provider: 'devrev', method: 'POST', path: '/engagements.list' }, status: 429, headers: { 'Retry-After': '2' }, body: { type: 'too_many_requests', message: 'slow down', retry_after: 2 } },
      { match: { provider: 'devrev' }, status: 500 },
    ]);
    const unavailable = await api('/engagements.create', { body: validCreate() });
    assert.equal(unavailable.status, 503);
    assert.deepEqual(unavailable.json, { type: 'service_unavailable', message: 'Service Unavailable' });
    assert.equal(mock.devrev.store().length, 30, 'the handler did not run');
    const limited = await api('/engagements.list', { body: {} });
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '2');
    assert.equal(limited.json.retry_after, 2);
    const internal = await api('/engagements.count', { body: {} });
    assert.deepEqual(internal.json, { type: 'internal_error', message: 'Internal Server Error' });
    assert.equal((await api('/engagements.count', { body: {} })).status, 200);
    assert.deepEqual(mock.requests.map((r) => r.outcome), ['fault:status', 'fault:status', 'fault:status', 'ok']);
    assert.ok(mock.requests.every((r) => r.provider === 'devrev'));
  });

  test('control API: /__mock/store?provider=devrev and /__mock/reset reach DevRev', async () => {
    await api('/engagements.create', { body: validCreate() });
    const store = await (await fetch(`${server.url}/__mock/store?provider=devrev`)).json();
    assert.equal(store.length, 31);
    assert.equal(store[30].title, 'Kickoff with Globex');
    assert.equal((await fetch(`${server.url}/__mock/store?provider=nope`)).status, 400);
    const reset = await fetch(`${server.url}/__mock/reset`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ devrev: { count: 3, token: 'devrev-token' } }),
    });
    assert.deepEqual(await reset.json(), { ok: true });
    assert.equal((await api('/engagements.count', { body: {} })).status, 401);
    assert.deepEqual((await api('/engagements.count', { body: {}, auth: 'Bearer devrev-token' })).json, { count: 3 });
    const bad = await fetch(`${server.url}/__mock/reset`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ devrev: { count: -1 } }) });
    assert.equal(bad.status, 400);
  });

  test('in-process: mock.devrev.store() is the live array; mock.reset() restores DevRev', async () => {
    const live = mock.devrev.store();
    assert.equal(live, mock.devrev.store());
    live.splice(0, live.length - 2);
    assert.deepEqual((await api('/engagements.count', { body: {} })).json, { count: 2 });
    await api('/engagements.create', { body: validCreate() });
    mock.reset();
    assert.equal(mock.devrev.store().length, 30);
    assert.deepEqual(mock.devrev.store(), generateDevRevEngagements(30));
    const created = await api('/engagements.create', { body: validCreate() });
    assert.equal(created.json.engagement.id, eng(31), 'numbering restarts after reset');
  });
});

describe("DevRev's rate-limit window (per token)", () => {
  test('a run token `:rl<N>-<ms>` has N per window: headers count down, then 429 counted', async () => {
    const auth = `Bearer ${TOKEN}:selftest:rl3-60000`;
    const remaining = [];
    for (let i = 0; i < 3; i += 1) {
      const r = await api('/engagements.count', { body: {}, auth });
      assert.equal(r.status, 200);
      remaining.push(r.headers.get('x-ratelimit-remaining'));
      assert.equal(r.headers.get('x-ratelimit-limit'), '3');
      assert.ok(Number(r.headers.get('x-ratelimit-reset')) * 1000 > Date.now());
    }
    assert.deepEqual(remaining, ['2', '1', '0']);
    const refused = await api('/engagements.count', { body: {}, auth });
    assert.equal(refused.status, 429);
    assert.equal(refused.headers.get('x-ratelimit-remaining'), '0');
    const limits = await (await fetch(`${server.url}/__mock/limits`)).json();
    assert.equal(limits.devrev, 1);
    // The plain token's window is its own.
    assert.equal((await api('/engagements.count', { body: {} })).status, 200);
  });
});
