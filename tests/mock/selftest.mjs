/**
 * Self-test of the Truto mock over real HTTP (node:test + global fetch).
 * Run: node --test tests/mock/selftest.mjs
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startMockServer } from './server.mjs';
import { generateEngagements } from './truto.mjs';

const TOKEN = 'test-token';
const ACCOUNT = 'acct_selftest';
const BASE_PATH = '/unified/crm/engagements';

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

/** fetch against the mock; JSON-encodes object bodies; parses JSON answers. */
async function api(path, { method = 'GET', token = TOKEN, body, headers = {}, signal } = {}) {
  const finalHeaders = { ...headers };
  if (token) finalHeaders.authorization = `Bearer ${token}`;
  let payload = body;
  if (body !== undefined && typeof body !== 'string') {
    payload = JSON.stringify(body);
    finalHeaders['content-type'] ??= 'application/json';
  }
  const res = await fetch(server.url + path, { method, headers: finalHeaders, body: payload, signal });
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // non-JSON (ndjson, custom fault bodies)
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** Engagements path for the default account plus extra query text. */
function eng(suffix = '', query = '', account = ACCOUNT) {
  return `${BASE_PATH}${suffix}?integrated_account_id=${encodeURIComponent(account)}${query}`;
}

const listIds = (r) => r.json.result.map((it) => it.id);
const errorBody = (statusCode, error, message) => ({ statusCode, error, message });

/** Follows next_cursor until exhausted; returns the pages. */
async function allPages(query) {
  const pages = [];
  let cursor = null;
  do {
    const r = await api(eng('', `${query}${cursor ? `&next_cursor=${encodeURIComponent(cursor)}` : ''}`));
    assert.equal(r.status, 200);
    pages.push(r.json);
    cursor = r.json.next_cursor;
  } while (cursor);
  return pages;
}

// ---------------------------------------------------------------------------
// Auth, common headers, required params
// ---------------------------------------------------------------------------

describe('auth and common headers', () => {
  test('missing and wrong bearer token → 401 Truto error body', async () => {
    for (const token of [null, 'nope']) {
      const r = await api(eng(), { token });
      assert.equal(r.status, 401);
      assert.deepEqual(r.json, errorBody(401, 'Unauthorized', 'Invalid API token'));
    }
  });

  test('every response has JSON content type, unique x-request-id, CORS and rate-limit headers', async () => {
    const a = await api(eng());
    const b = await api(eng(), { token: null });
    for (const r of [a, b]) {
      assert.equal(r.headers.get('content-type'), 'application/json; charset=utf-8');
      assert.match(r.headers.get('x-request-id'), /^req_\d+$/);
      assert.equal(r.headers.get('access-control-allow-origin'), '*');
      const exposed = r.headers.get('access-control-expose-headers');
      for (const h of ['x-request-id', 'retry-after', 'ratelimit-reset', 'ratelimit-limit', 'ratelimit-remaining', 'x-ratelimit-reset']) {
        assert.ok(exposed.includes(h), `${h} exposed`);
      }
      for (const h of ['ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset']) assert.match(r.headers.get(h), /^\d+$/);
    }
    assert.notEqual(a.headers.get('x-request-id'), b.headers.get('x-request-id'));
  });

  test('ratelimit-remaining counts down', async () => {
    const first = Number((await api(eng())).headers.get('ratelimit-remaining'));
    const second = Number((await api(eng())).headers.get('ratelimit-remaining'));
    assert.equal(second, first - 1);
  });

  test('missing integrated_account_id → 400', async () => {
    const r = await api(BASE_PATH);
    assert.equal(r.status, 400);
    assert.deepEqual(r.json, {
      ...errorBody(400, 'Bad Request', 'integrated_account_id is required'),
      truto_error_insight: {
        missing_required_query_parameters: { description: 'These query parameters are required.', value: ['integrated_account_id'] },
      },
    });
  });

  test('unknown /unified path → 404, wrong method → 405', async () => {
    const unknown = await api('/unified/crm/widgets?integrated_account_id=x');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json.statusCode, 404);
    assert.equal(unknown.json.error, 'Not Found');
    const put = await api(eng(), { method: 'PUT', body: {} });
    assert.equal(put.status, 405);
    assert.equal(put.json.error, 'Method Not Allowed');
    const postItem = await api(eng('/eng_000001'), { method: 'POST', body: {} });
    assert.equal(postItem.status, 405);
    assert.equal(postItem.headers.get('allow'), 'GET, PATCH, DELETE');
  });
});

// ---------------------------------------------------------------------------
// Listing
// ---------------------------------------------------------------------------

describe('list engagements', () => {
  test('default page: 25 deterministic, realistic engagements', async () => {
    const r = await api(eng());
    assert.equal(r.status, 200);
    assert.equal(r.json.result_count, 25);
    assert.equal(r.json.next_cursor, null);
    assert.deepEqual(listIds(r), Array.from({ length: 25 }, (_, i) => `eng_${String(i + 1).padStart(6, '0')}`));
    assert.deepEqual(r.json.result, generateEngagements(ACCOUNT, 25));
    const types = new Set(r.json.result.map((it) => it.engagement_type));
    assert.ok(types.size >= 4, 'varied engagement types');
    for (const it of r.json.result) {
      assert.match(it.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
      assert.equal(typeof it.duration, 'string');
      assert.ok(['call', 'email', 'meeting', 'note', 'task'].includes(it.engagement_type));
      if (!['call', 'email'].includes(it.engagement_type)) assert.equal(it.direction, undefined);
      assert.ok(it.remote_data && typeof it.remote_data === 'object');
      const size = JSON.stringify(it).length;
      assert.ok(size > 700 && size < 2500, `item size ${size}`);
    }
    const other = await api(eng('', '', 'another_account'));
    assert.notDeepEqual(other.json.result[0].subject + other.json.result[1].subject,
      r.json.result[0].subject + r.json.result[1].subject);
  });

  test('pagination with opaque cursors covers every item exactly once', async () => {
    const pages = await allPages('&limit=10');
    assert.deepEqual(pages.map((p) => p.result_count), [10, 10, 5]);
    assert.equal(typeof pages[0].next_cursor, 'string');
    assert.match(pages[0].next_cursor, /^[A-Za-z0-9_-]+$/);
    assert.equal(pages[2].next_cursor, null);
    const ids = pages.flatMap((p) => p.result.map((it) => it.id));
    assert.equal(new Set(ids).size, 25);
  });

  test('invalid cursor, foreign cursor and bad limit → 400', async () => {
    const bad = await api(eng('', '&next_cursor=not-a-cursor'));
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.json, errorBody(400, 'Bad Request', 'Invalid cursor'));
    const cursor = (await api(eng('', '&limit=5'))).json.next_cursor;
    const foreign = await api(eng('', `&next_cursor=${cursor}`, 'someone_else'));
    assert.equal(foreign.status, 400);
    for (const limit of ['0', 'abc', '1.5', '-3']) {
      const r = await api(eng('', `&limit=${limit}`));
      assert.equal(r.status, 400, `limit=${limit}`);
      assert.equal(r.json.message, 'limit must be a positive integer');
    }
  });

  test('limit is clamped to 1000 and truto_ignore_limit returns everything', async () => {
    mock.reset({ accounts: { big: 1200 } });
    const clamped = await api(eng('', '&limit=5000', 'big'));
    assert.equal(clamped.json.result_count, 1000);
    assert.equal(typeof clamped.json.next_cursor, 'string');
    const all = await api(eng('', '&limit=5&truto_ignore_limit=true'));
    assert.equal(all.json.result_count, 25);
    assert.equal(all.json.next_cursor, null);
  });

  test('filters: type, account (plain and percent-encoded brackets), contact, owner, subject, time range', async () => {
    const items = generateEngagements(ACCOUNT, 25);
    const sample = items[3];

    const byType = await api(eng('', `&engagement_type=${sample.engagement_type}`));
    assert.deepEqual(listIds(byType), items.filter((it) => it.engagement_type === sample.engagement_type).map((it) => it.id));

    const plain = await api(eng('', `&account[id]=${sample.account.id}`));
    const encoded = await api(eng('', `&account%5Bid%5D=${sample.account.id}`));
    assert.ok(plain.json.result_count >= 1);
    assert.deepEqual(listIds(encoded), listIds(plain));
    assert.ok(plain.json.result.every((it) => it.account.id === sample.account.id));

    const contactId = sample.contact[0].id;
    const expectedContact = items.filter((it) => it.contact.some((c) => c.id === contactId)).map((it) => it.id);
    assert.deepEqual(listIds(await api(eng('', `&contact[id]=${contactId}`))), expectedContact);
    assert.deepEqual(listIds(await api(eng('', `&contact_id=${contactId}`))), expectedContact);

    const byOwner = await api(eng('', `&owner%5Bid%5D=${sample.owner.id}`));
    assert.deepEqual(listIds(byOwner), items.filter((it) => it.owner.id === sample.owner.id).map((it) => it.id));

    const word = sample.subject.split(' ')[0];
    const bySubject = await api(eng('', `&subject=${encodeURIComponent(word.toUpperCase())}`));
    assert.deepEqual(listIds(bySubject),
      items.filter((it) => it.subject.toLowerCase().includes(word.toLowerCase())).map((it) => it.id));

    const sorted = [...items].sort((a, b) => Date.parse(a.start_time) - Date.parse(b.start_time));
    const from = sorted[5].start_time;
    const until = sorted[15].start_time;
    const ranged = await api(eng('', `&start_time=${from}&end_time=${until}`));
    const expectedRange = items.filter((it) => it.start_time >= from && it.start_time < until).map((it) => it.id);
    assert.deepEqual(listIds(ranged), expectedRange);
    assert.equal((await api(eng('', '&start_time=yesterday'))).status, 400);
  });

  test('sort_by ascending, descending and unknown field', async () => {
    const asc = (await api(eng('', '&sort_by=start_time'))).json.result.map((it) => Date.parse(it.start_time));
    assert.deepEqual(asc, [...asc].sort((a, b) => a - b));
    const desc = (await api(eng('', '&sort_by=-start_time'))).json.result.map((it) => Date.parse(it.start_time));
    assert.deepEqual(desc, [...asc].reverse());
    const subjects = (await api(eng('', '&sort_by=subject'))).json.result.map((it) => it.subject.toLowerCase());
    assert.deepEqual(subjects, [...subjects].sort());
    const bad = await api(eng('', '&sort_by=color'));
    assert.equal(bad.status, 400);
  });

  test('truto_key_by keys the result object and keeps pagination', async () => {
    const r = await api(eng('', '&truto_key_by=id&limit=10'));
    assert.equal(Array.isArray(r.json.result), false);
    assert.equal(Object.keys(r.json.result).length, 10);
    assert.equal(r.json.result.eng_000001.id, 'eng_000001');
    assert.equal(typeof r.json.next_cursor, 'string');
  });

  test('truto_exclude_fields (array and comma forms) and truto_ignore_remote_data', async () => {
    const arrayForm = await api(eng('', '&truto_exclude_fields[]=content&truto_exclude_fields%5B%5D=custom_fields'));
    const commaForm = await api(eng('', '&truto_exclude_fields=content,custom_fields'));
    for (const r of [arrayForm, commaForm]) {
      for (const it of r.json.result) {
        assert.equal('content' in it, false);
        assert.equal('custom_fields' in it, false);
        assert.ok('subject' in it && 'remote_data' in it);
      }
    }
    const noRemote = await api(eng('/eng_000002', '&truto_ignore_remote_data=true'));
    assert.equal(noRemote.status, 200);
    assert.equal('remote_data' in noRemote.json, false);
    const listNoRemote = await api(eng('', '&truto_ignore_remote_data=true'));
    assert.ok(listNoRemote.json.result.every((it) => !('remote_data' in it)));
  });

  test('truto_response_format raw / normalized / unknown', async () => {
    const items = generateEngagements(ACCOUNT, 25);
    const raw = await api(eng('', '&truto_response_format=raw&limit=3'));
    assert.deepEqual(raw.json.result, items.slice(0, 3).map((it) => it.remote_data));
    const normalized = await api(eng('', '&truto_response_format=normalized&limit=3'));
    assert.deepEqual(normalized.json.result, items.slice(0, 3));
    const bad = await api(eng('', '&truto_response_format=xml'));
    assert.equal(bad.status, 400);
  });

  test('truto_response_format=stream returns NDJSON of every matching item', async () => {
    const r = await api(eng('', '&truto_response_format=stream&limit=2&truto_ignore_remote_data=true'));
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'application/x-ndjson');
    const lines = r.text.trim().split('\n').map((line) => JSON.parse(line));
    assert.equal(lines.length, 25);
    assert.ok(lines.every((it) => it.id && !('remote_data' in it)));
  });
});

// ---------------------------------------------------------------------------
// CRUD
// ---------------------------------------------------------------------------

describe('create / get / update / delete', () => {
  test('full lifecycle with 404 after delete', async () => {
    const created = await api(eng(), { method: 'POST', body: { engagement_type: 'call', subject: 'Mock call', duration: '60' } });
    assert.equal(created.status, 200);
    const { id } = created.json;
    assert.match(id, /^eng_/);
    assert.doesNotMatch(id, /^eng_\d{6}$/);
    assert.equal(created.json.subject, 'Mock call');
    assert.match(created.json.created_at, /Z$/);
    assert.equal(mock.store(ACCOUNT).length, 26);

    const fetched = await api(eng(`/${id}`));
    assert.deepEqual(fetched.json, created.json);

    const updated = await api(eng(`/${id}`), { method: 'PATCH', body: { subject: 'Renamed', status: 'sent' } });
    assert.equal(updated.status, 200);
    assert.equal(updated.json.subject, 'Renamed');
    assert.equal(updated.json.engagement_type, 'call');
    assert.ok(Date.parse(updated.json.updated_at) > Date.parse(created.json.updated_at));

    const deleted = await api(eng(`/${id}`), { method: 'DELETE' });
    assert.deepEqual(deleted.json, { id });
    const gone = await api(eng(`/${id}`));
    assert.equal(gone.status, 404);
    assert.deepEqual(gone.json, errorBody(404, 'Not Found', `Engagement ${id} not found`));
    assert.equal((await api(eng(`/${id}`), { method: 'PATCH', body: {} })).status, 404);
    assert.equal((await api(eng(`/${id}`), { method: 'DELETE' })).status, 404);
  });

  test('path id is percent-decoded once', async () => {
    mock.store(ACCOUNT).push({ ...generateEngagements(ACCOUNT, 1)[0], id: 'a/b' });
    const r = await api(eng('/a%2Fb'));
    assert.equal(r.status, 200);
    assert.equal(r.json.id, 'a/b');
  });

  test('create validation: 415 without JSON content type, 400 on invalid or non-object JSON', async () => {
    const wrongType = await api(eng(), { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'text/plain' } });
    assert.equal(wrongType.status, 415);
    assert.equal(wrongType.json.error, 'Unsupported Media Type');
    for (const body of ['{oops', '[1,2]', 'null']) {
      const r = await api(eng(), { method: 'POST', body, headers: { 'content-type': 'application/json' } });
      assert.equal(r.status, 400);
      assert.deepEqual(r.json, errorBody(400, 'Bad Request', 'Invalid JSON body'));
    }
    assert.equal(mock.store(ACCOUNT).length, 25);
  });

  test('Idempotency-Key: replay on POST, 422 on a different body, scoped per account', async () => {
    const headers = { 'idempotency-key': 'key-1' };
    const first = await api(eng(), { method: 'POST', body: { subject: 'Once' }, headers });
    const second = await api(eng(), { method: 'POST', body: { subject: 'Once' }, headers });
    assert.equal(second.status, first.status);
    assert.equal(second.text, first.text);
    assert.equal(second.headers.get('idempotent-replayed'), 'true');
    assert.equal(first.headers.get('idempotent-replayed'), null);
    assert.equal(mock.store(ACCOUNT).length, 26);

    const conflict = await api(eng(), { method: 'POST', body: { subject: 'Twice' }, headers });
    assert.equal(conflict.status, 422);
    assert.deepEqual(conflict.json, errorBody(422, 'Unprocessable Entity', 'Idempotency-Key reused with a different body'));

    const otherAccount = await api(eng('', '', 'acct_other'), { method: 'POST', body: { subject: 'Once' }, headers });
    assert.equal(otherAccount.headers.get('idempotent-replayed'), null);
    assert.notEqual(otherAccount.json.id, first.json.id);
  });

  test('Idempotency-Key on PATCH replays the stored response', async () => {
    const headers = { 'idempotency-key': 'patch-1' };
    const first = await api(eng('/eng_000003'), { method: 'PATCH', body: { subject: 'P' }, headers });
    const replay = await api(eng('/eng_000003'), { method: 'PATCH', body: { subject: 'P' }, headers });
    assert.equal(replay.text, first.text);
    assert.equal(replay.headers.get('idempotent-replayed'), 'true');
  });
});

// ---------------------------------------------------------------------------
// CORS preflight and recording
// ---------------------------------------------------------------------------

describe('preflight and recording', () => {
  test('OPTIONS preflight → 204 with CORS headers, not recorded', async () => {
    const res = await fetch(server.url + eng(), {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:9999', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,idempotency-key' },
    });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    assert.equal(res.headers.get('access-control-allow-methods'), 'GET, POST, PATCH, DELETE, OPTIONS');
    assert.equal(res.headers.get('access-control-allow-headers'), 'authorization,content-type,idempotency-key');
    assert.equal(res.headers.get('access-control-max-age'), '600');
    const bare = await fetch(`${server.url}/anything`, { method: 'OPTIONS' });
    assert.equal(bare.headers.get('access-control-allow-headers'), '*');
    assert.equal(mock.requests.length, 0);
  });

  test('requests are recorded raw; control calls are not; HTTP control API lists and clears them', async () => {
    await api(eng('', '&account%5Bid%5D=acc_2001'));
    await api(eng(), { method: 'POST', body: { subject: 'Recorded' }, headers: { 'X-Custom': 'Yes' } });
    const listed = await (await fetch(`${server.url}/__mock/requests`)).json();
    assert.equal(listed.length, 2);
    const [get, post] = listed;
    assert.equal(get.seq + 1, post.seq);
    assert.equal(get.method, 'GET');
    assert.equal(get.path, BASE_PATH);
    assert.equal(get.query, `integrated_account_id=${ACCOUNT}&account%5Bid%5D=acc_2001`);
    assert.equal(get.body, '');
    assert.equal(get.json, null);
    assert.equal(get.outcome, 'ok');
    assert.equal(get.status, 200);
    assert.equal(post.headers['x-custom'], 'Yes');
    assert.equal(post.headers.authorization, `Bearer ${TOKEN}`);
    assert.equal(post.body, '{"subject":"Recorded"}');
    assert.deepEqual(post.json, { subject: 'Recorded' });
    assert.equal(typeof post.at, 'number');

    const cleared = await fetch(`${server.url}/__mock/requests`, { method: 'DELETE' });
    assert.equal(cleared.status, 200);
    assert.equal(mock.requests.length, 0);
  });
});

// ---------------------------------------------------------------------------
// Faults
// ---------------------------------------------------------------------------

describe('faults', () => {
  test('status fault: custom headers, default Truto body, times, then real handler', async () => {
    mock.addFaults([{ match: { method: 'GET', path: BASE_PATH }, status: 429, headers: { 'Retry-After': '2' }, times: 2 }]);
    for (let i = 0; i < 2; i += 1) {
      const r = await api(eng());
      assert.equal(r.status, 429);
      assert.equal(r.headers.get('retry-after'), '2');
      assert.equal(r.headers.get('access-control-allow-origin'), '*');
      assert.match(r.headers.get('x-request-id'), /^req_/);
      assert.deepEqual(r.json, errorBody(429, 'Too Many Requests', 'Too Many Requests'));
    }
    assert.equal((await api(eng())).status, 200);
    assert.deepEqual(mock.requests.map((r) => [r.outcome, r.status]), [['fault:status', 429], ['fault:status', 429], ['ok', 200]]);
  });

  test('status fault with custom body; match on method, decoded path and provider', async () => {
    mock.addFaults([
      { match: { method: 'DELETE' }, status: 500 },
      { match: { path: `${BASE_PATH}/a b` }, status: 502, body: 'upstream sad' },
      { match: { provider: 'devrev' }, status: 503 },
      { match: { provider: 'truto', method: 'PATCH' }, status: 500, body: { custom: true } },
    ]);
    assert.equal((await api(eng())).status, 200, 'GET on collection untouched');
    const spaced = await api(eng('/a%20b'));
    assert.equal(spaced.status, 502);
    assert.equal(spaced.text, 'upstream sad');
    const patched = await api(eng('/eng_000001'), { method: 'PATCH', body: {} });
    assert.deepEqual(patched.json, { custom: true });
    assert.equal(mock.faults.length, 2, 'DELETE and devrev faults still pending');
  });

  test('drop fault destroys the socket without a response', async () => {
    mock.addFaults([{ drop: true }]);
    await assert.rejects(fetch(server.url + eng(), { headers: { authorization: `Bearer ${TOKEN}` } }), TypeError);
    assert.equal(mock.requests[0].outcome, 'fault:drop');
    assert.equal(mock.requests[0].status, null);
    assert.equal((await api(eng())).status, 200, 'next request served normally');
  });

  test('truncate fault runs the handler then cuts the body; idempotent retry does not duplicate', async () => {
    mock.addFaults([{ match: { method: 'POST' }, truncate: true }]);
    const init = {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', 'idempotency-key': 'trunc-1' },
      body: JSON.stringify({ subject: 'Truncated' }),
    };
    const res = await fetch(server.url + eng(), init);
    assert.equal(res.status, 200);
    assert.ok(Number(res.headers.get('content-length')) > 0);
    await assert.rejects(res.text());
    assert.equal(mock.requests[0].outcome, 'fault:truncate');
    assert.equal(mock.store(ACCOUNT).length, 26, 'handler really ran');

    const retry = await fetch(server.url + eng(), init);
    assert.equal(retry.headers.get('idempotent-replayed'), 'true');
    assert.equal((await retry.json()).subject, 'Truncated');
    assert.equal(mock.store(ACCOUNT).length, 26);
  });

  test('delay fault delays the real response', async () => {
    mock.addFaults([{ delayMs: 150 }]);
    const started = performance.now();
    const r = await api(eng());
    assert.ok(performance.now() - started >= 140);
    assert.equal(r.status, 200);
    assert.equal(mock.requests[0].outcome, 'fault:delay');
    assert.equal(mock.requests[0].status, 200);
  });

  test('client abort during a delay is recorded as client_closed and the request is not processed', async () => {
    mock.addFaults([{ delayMs: 10_000 }]);
    await assert.rejects(api(eng(), { method: 'POST', body: { subject: 'Never' }, signal: AbortSignal.timeout(100) }));
    await mock.waitFor((reqs) => reqs[0]?.outcome === 'client_closed');
    assert.equal(mock.store(ACCOUNT).length, 25);
  });
});

// ---------------------------------------------------------------------------
// Control API
// ---------------------------------------------------------------------------

describe('control API', () => {
  const control = async (path, method = 'GET', body) => {
    const res = await fetch(server.url + path, {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, json: await res.json(), headers: res.headers };
  };

  test('health', async () => {
    const r = await control('/__mock/health');
    assert.deepEqual(r.json, { ok: true });
    assert.equal(r.headers.get('access-control-allow-origin'), '*');
  });

  test('reset with seed, per-account counts and token; store endpoint', async () => {
    await api(eng(), { method: 'POST', body: { subject: 'wiped by reset' } });
    const reset = await control('/__mock/reset', 'POST', { seed: 3, accounts: { small: 1 }, token: 'other-token' });
    assert.deepEqual(reset.json, { ok: true });
    assert.equal(mock.requests.length, 0);
    assert.equal((await api(eng())).status, 401);
    const r = await api(eng(), { token: 'other-token' });
    assert.equal(r.json.result_count, 3);
    const small = await control('/__mock/store?integrated_account_id=small');
    assert.equal(small.json.length, 1);
    assert.equal(small.json[0].id, 'eng_000001');
    assert.equal((await control('/__mock/store')).status, 400);
    assert.equal((await control('/__mock/reset', 'POST', { seed: -1 })).status, 400);
  });

  test('faults endpoint: add, list, clear, validate', async () => {
    const added = await control('/__mock/faults', 'POST', { faults: [{ status: 500 }, { drop: true, times: 3 }] });
    assert.deepEqual(added.json, { ok: true, pending: 2 });
    assert.equal((await control('/__mock/faults')).json.length, 2);
    assert.equal((await api(eng())).status, 500, 'HTTP-added fault applies');
    assert.deepEqual((await control('/__mock/faults', 'DELETE')).json, { ok: true });
    assert.equal(mock.faults.length, 0);
    assert.equal((await control('/__mock/faults', 'POST', { faults: [{ status: 42 }] })).status, 400);
    assert.equal((await control('/__mock/nope')).status, 404);
  });

  test('in-process API shares state with HTTP', async () => {
    mock.reset({ seed: 2 });
    const r = await api(eng());
    assert.equal(r.json.result_count, 2);
    assert.equal(mock.requests.length, 1);
    assert.equal(mock.store(ACCOUNT), mock.store(ACCOUNT), 'live array');
    mock.store(ACCOUNT).length = 0;
    assert.equal((await api(eng())).json.result_count, 0);
  });
});

// ---------------------------------------------------------------------------
// Remote CRMs: the documented error behaviours, by integrated account
// ---------------------------------------------------------------------------

describe('remote CRM behaviours (Truto API reference, "Errors")', () => {
  const on = (account, id) => `${BASE_PATH}${id ? `/${id}` : ''}?integrated_account_id=${account}`;
  const create = (account, body = { subject: 'Call', contact: [{ id: 'c1' }] }) => api(on(account), { method: 'POST', body });

  test('needs_reauth: every call is a remote 401 with the CRM body in raw_response', async () => {
    for (const r of [await api(on('acct-needs-reauth')), await create('acct-needs-reauth')]) {
      assert.equal(r.status, 401);
      assert.equal(r.json.truto_is_remote_error, true);
      assert.equal(r.json.raw_response.category, 'EXPIRED_AUTHENTICATION');
      assert.equal(typeof r.json.truto_error_insight.remote_error.description, 'string');
    }
  });

  test('sandbox: reads work, every write is 405', async () => {
    assert.equal((await api(on('acct-sandbox'))).status, 200);
    const id = mock.store('acct-sandbox')[0].id;
    for (const r of [await create('acct-sandbox'), await api(on('acct-sandbox', id), { method: 'PATCH', body: { subject: 'x' } }),
      await api(on('acct-sandbox', id), { method: 'DELETE' })]) {
      assert.equal(r.status, 405);
      assert.match(r.json.message, /read-only sandbox/);
    }
    assert.equal(mock.store('acct-sandbox').some((e) => e.id === id), true, 'nothing deleted');
  });

  test('missing_scopes: writes are a remote 403 naming the scopes in forbidden_error', async () => {
    assert.equal((await api(on('acct-missing-scopes'))).status, 200);
    const r = await create('acct-missing-scopes');
    assert.equal(r.status, 403);
    assert.deepEqual(r.json.truto_error_insight.forbidden_error.value, { missing_scopes: ['crm.objects.contacts.write', 'crm.schemas.custom.read'] });
  });

  test('terse: a remote write error has an empty message and the CRM message in raw_response', async () => {
    const r = await create('acct-terse');
    assert.equal(r.status, 422);
    assert.equal(r.json.message, '');
    assert.match(r.json.raw_response.message, /hs_timestamp is required/);
  });

  test('throttled: every other call is a remote 429 forwarding Retry-After: 1', async () => {
    const first = await api(on('acct-throttled'));
    assert.equal(first.status, 429);
    assert.equal(first.headers.get('retry-after'), '1');
    assert.equal(first.json.truto_is_remote_error, true);
    assert.ok(first.json.truto_error_insight.rate_limit_error);
    assert.equal((await api(on('acct-throttled'))).status, 200);
    assert.equal((await api(on('acct-throttled'))).status, 429);
    assert.equal((await api(on('acct-throttled:run-2'))).status, 429, 'a suffixed account has the profile and its own counter');
    assert.equal((await api(on('acct-throttled:run-2'))).status, 200);
  });

  test('strict: a create without subject and contact is 400 with missing_required_body_fields', async () => {
    const r = await create('acct-strict', { engagement_type: 'call' });
    assert.equal(r.status, 400);
    assert.equal(r.json.truto_is_remote_error, undefined, "Truto's own check, not the CRM's");
    assert.deepEqual(r.json.truto_error_insight.missing_required_body_fields.value, ['subject', 'contact']);
    assert.equal(typeof r.json.truto_error_insight.conditionally_required_body_fields.value, 'object');
    assert.equal((await create('acct-strict')).status, 200);
  });

  test('a start_time..end_time range over one calendar year is 400, one of exactly a year is not', async () => {
    const q = (s, e) => `${BASE_PATH}?integrated_account_id=${ACCOUNT}&start_time=${s}&end_time=${e}`;
    const over = await api(q('2024-01-01T00:00:00Z', '2025-01-01T00:00:00.001Z'));
    assert.equal(over.status, 400);
    assert.match(over.json.message, /one year/);
    assert.equal((await api(q('2024-01-01T00:00:00Z', '2025-01-01T00:00:00Z'))).status, 200);
    assert.equal((await api(q('2024-02-29T00:00:00Z', '2025-02-28T00:00:00Z'))).status, 200, 'Feb 29 + 1 year is Feb 28');
  });

  test('reset({ remote }) maps more accounts to a profile and refuses unknown profiles', async () => {
    mock.reset({ remote: { acct_selftest: 'sandbox' } });
    assert.equal((await create(ACCOUNT)).status, 405);
    assert.throws(() => mock.reset({ remote: { a: 'nope' } }), /unknown profile/);
  });
});

// ---------------------------------------------------------------------------
// CLI
// ---------------------------------------------------------------------------

test('CLI prints one MOCK_READY line, serves, and exits 0 on SIGTERM', async () => {
  const script = fileURLToPath(new URL('./server.mjs', import.meta.url));
  const child = spawn(process.execPath, [script, '--port', '0', '--seed', '4'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = [];
  const reader = createInterface({ input: child.stdout });
  reader.on('line', (line) => lines.push(line));
  const [first] = await once(reader, 'line');
  const match = /^MOCK_READY (http:\/\/127\.0\.0\.1:(\d+))$/.exec(first);
  assert.ok(match, `unexpected line: ${first}`);
  const res = await fetch(`${match[1]}/unified/crm/engagements?integrated_account_id=x`, {
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  assert.equal((await res.json()).result_count, 4);
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const [code] = await exited;
  assert.equal(code, 0);
  assert.deepEqual(lines, [first]);
});

describe("Truto's documented limits", () => {
  const limits = async () => (await fetch(`${server.url}/__mock/limits`)).json();

  test('50 per 10 s per integrated account: the 51st is 429 with Retry-After: 10, counted, not admitted', async () => {
    const answers = await Promise.all(Array.from({ length: 51 }, () => api(eng('/x', '', 'acct-limit-a'))));
    assert.equal(answers.filter((r) => r.status === 429).length, 1);
    const refused = answers.find((r) => r.status === 429);
    assert.equal(refused.headers.get('retry-after'), '10');
    assert.deepEqual(Object.keys(refused.json).sort(), ['error', 'message', 'statusCode']);
    assert.match(refused.json.message, /50 requests per 10 s per integrated account/);
    assert.deepEqual((await limits()).truto, { account: 1, token: 0 });
    // Another account has its own window; a run's own token (`<token>:<run>`) too.
    assert.notEqual((await api(eng('/x', '', 'acct-limit-b'))).status, 429);
    assert.notEqual((await api(eng('/x', '', 'acct-limit-a'), { token: `${TOKEN}:run-2` })).status, 429);
    assert.equal((await api(eng('/x', '', 'acct-limit-a'), { token: 'other-token' })).status, 401);
  });

  test('500 per 10 s per token across accounts', async () => {
    const calls = Array.from({ length: 501 }, (_, i) => api(eng('/x', '', `acct-t-${i % 20}`)));
    const answers = await Promise.all(calls);
    assert.equal(answers.filter((r) => r.status === 429).length, 1);
    assert.match(answers.find((r) => r.status === 429).json.message, /500 requests per 10 s per API token/);
    assert.deepEqual((await limits()).truto, { account: 0, token: 1 });
  });

  test('limits: false turns them off; limits sets others', async () => {
    mock.reset({ limits: false });
    const answers = await Promise.all(Array.from({ length: 60 }, () => api(eng('/x', '', 'acct-off'))));
    assert.equal(answers.filter((r) => r.status === 429).length, 0);
    mock.reset({ limits: { perAccount: { requests: 2, intervalMs: 300 } } });
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await api(eng('/x', '', 'acct-own'))).status);
    assert.equal(statuses.filter((s) => s === 429).length, 1, `${statuses}`);
    // The window slides: once the first two are 300 ms old, one more fits
    // (time itself is what is tested here, not a readiness wait).
    await new Promise((resolve) => setTimeout(resolve, 350));
    assert.notEqual((await api(eng('/x', '', 'acct-own'))).status, 429);
  });
});

test('an account `acct-<N>-items[:run]` holds N engagements', async () => {
  const ids = [];
  let cursor = '';
  for (let page = 0; page < 5; page += 1) {
    const r = await api(eng('', `&limit=1000${cursor}`, 'acct-1500-items:selftest'));
    assert.equal(r.status, 200);
    ids.push(...listIds(r));
    if (!r.json.next_cursor) break;
    cursor = `&next_cursor=${encodeURIComponent(r.json.next_cursor)}`;
  }
  assert.equal(new Set(ids).size, 1500);
  assert.equal(listIds(await api(eng('', '&limit=1000', 'acct-items'))).length, 25, 'anything else: the seed');
});

test('GET /__mock/requests?run=&step= returns only the requests with those x-test-run / x-test-step headers', async () => {
  await api(eng(), { headers: { 'x-test-run': 'r1', 'x-test-step': 's1' } });
  await api(eng(), { headers: { 'x-test-run': 'r1', 'x-test-step': 's2' } });
  await api(eng(), { headers: { 'x-test-run': 'r2', 'x-test-step': 's1' } });
  const get = async (q) => (await fetch(`${server.url}/__mock/requests?${q}`)).json();
  assert.equal((await get('run=r1')).length, 2);
  assert.equal((await get('run=r1&step=s1')).length, 1);
  assert.equal((await get('step=s1')).length, 2);
  assert.equal((await get('')).length, 3);
});
