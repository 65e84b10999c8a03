/**
 * Shared mock HTTP server for the SDK tests (Node 20, zero dependencies).
 *
 * Hosts one or more *provider* mocks (Truto and DevRev by default, see
 * ./truto.mjs for the provider interface and ./devrev.mjs) behind a common
 * layer that:
 *   - answers CORS preflights (never recorded) and adds CORS + x-request-id
 *     headers to every response;
 *   - records every non-preflight, non-control request;
 *   - applies scripted faults (drop, truncate, delay, status);
 *   - exposes a control API over HTTP under /__mock/* and in-process.
 *
 * Library:  const { url, port, close, mock } = await startMockServer({ port, host, seed, token, devrev })
 *           (`devrev`: options of createDevRevMock, e.g. { count, readOnlyToken, rateLimit, errorStyle })
 * CLI:      node tests/mock/server.mjs [--port N] [--host H] [--seed N] [--token T] [--devrev-count N]
 *           prints exactly `MOCK_READY http://127.0.0.1:PORT`, exits 0 on SIGTERM/SIGINT.
 */
import { EventEmitter } from 'node:events';
import http from 'node:http';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createTrutoMock, JSON_CONTENT_TYPE, trutoErrorBody } from './truto.mjs';
import { createDevRevMock } from './devrev.mjs';

const EXPOSED_HEADERS = [
  'x-request-id', 'retry-after', 'ratelimit-reset', 'ratelimit-limit', 'ratelimit-remaining',
  'x-ratelimit-reset', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'idempotent-replayed',
].join(', ');
const ALLOWED_METHODS = 'GET, POST, PATCH, DELETE, OPTIONS';
const MAX_BODY_BYTES = 10 * 1024 * 1024;
const CONTROL_PREFIX = '/__mock';

// ---------------------------------------------------------------------------
// Small HTTP helpers
// ---------------------------------------------------------------------------

/** Headers every response carries (CORS + request id). */
function applyCommonHeaders(res, requestId) {
  res.setHeader('x-request-id', requestId);
  res.setHeader('access-control-allow-origin', '*');
  res.setHeader('access-control-expose-headers', EXPOSED_HEADERS);
}

/** Writes a JSON body with the given status. */
function sendJson(res, status, payload, headers = {}) {
  const text = JSON.stringify(payload);
  res.writeHead(status, {
    'content-type': JSON_CONTENT_TYPE,
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

/** 204 answer to a CORS preflight. */
function sendPreflight(req, res) {
  res.writeHead(204, {
    'access-control-allow-methods': ALLOWED_METHODS,
    'access-control-allow-headers': req.headers['access-control-request-headers'] || '*',
    'access-control-max-age': '600',
  });
  res.end();
}

/** Reads the whole request body (rejects above MAX_BODY_BYTES). */
function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) reject(Object.assign(new Error('Body too large'), { status: 413 }));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Parses request-target into a URL without treating `//x` as a host. */
function parseRequestUrl(req) {
  const target = req.url.startsWith('/') ? req.url : `/${req.url}`;
  return new URL(`http://mock.invalid${target}`);
}

function safeDecode(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function tryParseJson(text) {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function lowerCaseKeys(object) {
  return Object.fromEntries(Object.entries(object ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
}

// ---------------------------------------------------------------------------
// Buffered response (used to truncate a real handler's output)
// ---------------------------------------------------------------------------

/**
 * Minimal stand-in for `http.ServerResponse` that keeps everything in memory.
 * Providers write to it exactly as they would to a real response.
 */
class BufferedResponse extends EventEmitter {
  constructor() {
    super();
    this.statusCode = 200;
    this.headers = {};
    this.chunks = [];
    this.headersSent = false;
    this.destroyed = false;
    this.writableEnded = false;
    this.writableFinished = false;
    this.finished = new Promise((resolve) => this.once('finish', resolve));
  }

  setHeader(name, value) { this.headers[name.toLowerCase()] = value; return this; }
  getHeader(name) { return this.headers[name.toLowerCase()]; }
  getHeaders() { return { ...this.headers }; }
  hasHeader(name) { return name.toLowerCase() in this.headers; }
  removeHeader(name) { delete this.headers[name.toLowerCase()]; }

  writeHead(status, headers = {}) {
    this.statusCode = status;
    for (const [k, v] of Object.entries(headers)) this.setHeader(k, v);
    this.headersSent = true;
    return this;
  }

  write(chunk) {
    this.headersSent = true;
    if (chunk !== undefined && chunk !== null) this.chunks.push(Buffer.from(chunk));
    return true;
  }

  end(chunk) {
    if (typeof chunk === 'function') chunk = undefined;
    this.write(chunk);
    this.writableEnded = this.writableFinished = true;
    this.emit('finish');
    this.emit('close');
    return this;
  }

  destroy() {
    this.destroyed = true;
    this.emit('finish');
  }

  body() { return Buffer.concat(this.chunks); }
}

// ---------------------------------------------------------------------------
// Faults
// ---------------------------------------------------------------------------

/** Validates and normalises one scripted fault. Throws on bad input. */
function normalizeFault(input) {
  if (!input || typeof input !== 'object' || Array.isArray(input)) throw new Error('fault must be an object');
  const fault = { ...input, match: { ...(input.match ?? {}) } };
  fault.times = input.times ?? 1;
  if (!(fault.times > 0)) throw new Error('fault.times must be a positive number');
  if (fault.status !== undefined && !(Number.isInteger(fault.status) && fault.status >= 100 && fault.status <= 599)) {
    throw new Error('fault.status must be an HTTP status code');
  }
  if (fault.delayMs !== undefined && !(Number(fault.delayMs) >= 0)) throw new Error('fault.delayMs must be >= 0');
  return fault;
}

/** The outcome label of a fault: drop > truncate > status > delay. */
function faultKind(fault) {
  if (fault.drop) return 'drop';
  if (fault.truncate) return 'truncate';
  if (fault.status !== undefined) return 'status';
  return 'delay';
}

/** The provider's own error body for a status (DevRev's `{type, message}`), else Truto's. */
function providerErrorBody(provider, status, message) {
  return provider?.errorBody?.(status, message) ?? trutoErrorBody(status, message);
}

/** Does the fault apply to this request? */
function faultMatches(fault, request) {
  const { method, path, provider, query } = fault.match;
  if (method && String(method).toUpperCase() !== request.method) return false;
  if (path && !request.decodedPath.startsWith(path)) return false;
  // A substring of the raw query, e.g. one test's integrated_account_id=...
  if (query && !(request.query ?? "").includes(query)) return false;
  if (provider && provider !== request.provider) return false;
  return true;
}

// ---------------------------------------------------------------------------
// The controller: state + dispatch shared by HTTP and in-process callers
// ---------------------------------------------------------------------------

/**
 * Creates the mock controller. `providers` defaults to
 * `[createTrutoMock(), createDevRevMock()]`; extra provider objects (same
 * interface) may be passed in `extraProviders`. `devrev` holds options for
 * the default DevRev provider. Emits `'update'` whenever a recorded request
 * changes.
 */
export function createMockController({ seed = 25, token, devrev: devrevOptions = {}, providers, extraProviders = [] } = {}) {
  const truto = createTrutoMock({ seed, token });
  const defaultDevrev = createDevRevMock({ token, ...devrevOptions });
  const allProviders = [...(providers ?? [truto, defaultDevrev]), ...extraProviders];
  const devrev = allProviders.find((p) => p.name === 'devrev') ?? null;
  const events = new EventEmitter();
  const requests = [];
  const faults = [];
  const timers = new Set();
  let seq = 0;
  let requestCounter = 0;

  // --- recording -----------------------------------------------------------

  function recordRequest(req, body, provider) {
    const raw = req.url;
    const q = raw.indexOf('?');
    const text = body.toString('utf8');
    const record = {
      seq: ++seq,
      method: req.method,
      path: q < 0 ? raw : raw.slice(0, q),
      query: q < 0 ? '' : raw.slice(q + 1),
      headers: { ...req.headers },
      body: text,
      json: tryParseJson(text),
      at: Date.now(),
      outcome: 'ok',
      status: null,
      provider: provider?.name ?? null,
    };
    requests.push(record);
    events.emit('update', record);
    return record;
  }

  function updateRecord(record, changes) {
    Object.assign(record, changes);
    events.emit('update', record);
  }

  /** Marks the record with the final status, or `client_closed` on early close. */
  function trackCompletion(ctx) {
    const { res, record } = ctx;
    res.on('finish', () => {
      if (!ctx.serverAborted) updateRecord(record, { status: res.statusCode });
    });
    res.on('close', () => {
      if (!res.writableFinished && !ctx.serverAborted) updateRecord(record, { outcome: 'client_closed' });
    });
  }

  // --- faults --------------------------------------------------------------

  function addFaults(list) {
    const normalized = (Array.isArray(list) ? list : [list]).map(normalizeFault);
    faults.push(...normalized);
    return faults.length;
  }

  /** First applicable fault (FIFO); decrements/removes it. */
  function takeFault(request) {
    const index = faults.findIndex((f) => faultMatches(f, request));
    if (index < 0) return null;
    const fault = faults[index];
    fault.times -= 1;
    if (fault.times <= 0) faults.splice(index, 1);
    return fault;
  }

  // --- chaos: random faults at given rates (seeded, reproducible) -----------

  let chaos = null;

  /**
   * Turns on random faults for requests to provider routes that no scripted
   * fault matched: `{ rates: { status429, status502, drop, truncate } (0..1),
   * retryAfterMaxS (default 1), seed, match? }`. `null` turns it off.
   */
  function setChaos(options) {
    if (options === null || options === undefined) {
      chaos = null;
      return { ok: true };
    }
    const rates = options.rates ?? {};
    for (const [k, v] of Object.entries(rates)) {
      if (!['status429', 'status502', 'drop', 'truncate'].includes(k) || !(v >= 0 && v <= 1)) {
        throw Object.assign(new Error(`bad chaos rate ${k}`), { status: 400 });
      }
    }
    let state = (Number(options.seed ?? 1) >>> 0) || 1;
    const random = () => {
      // xorshift32: reproducible runs for a given seed
      state ^= state << 13; state >>>= 0;
      state ^= state >>> 17;
      state ^= state << 5; state >>>= 0;
      return state / 4294967296;
    };
    chaos = { rates, retryAfterMaxS: options.retryAfterMaxS ?? 1, match: options.match ?? {}, random, counts: { status429: 0, status502: 0, drop: 0, truncate: 0, passed: 0 } };
    return { ok: true };
  }

  /** A random fault for this request, or null. */
  function chaosFault(request) {
    if (!chaos || !request.provider) return null;
    if (!faultMatches({ match: chaos.match }, request)) return null;
    const r = chaos.random();
    const { status429 = 0, status502 = 0, drop = 0, truncate = 0 } = chaos.rates;
    let edge = status429;
    if (r < edge) {
      chaos.counts.status429++;
      const wait = Math.floor(chaos.random() * (chaos.retryAfterMaxS + 1));
      return { status: 429, headers: { 'retry-after': String(wait) }, match: {} };
    }
    if (r < (edge += status502)) {
      chaos.counts.status502++;
      return { status: 502, match: {} };
    }
    if (r < (edge += drop)) {
      chaos.counts.drop++;
      return { drop: true, match: {} };
    }
    if (r < (edge += truncate)) {
      chaos.counts.truncate++;
      return { truncate: true, match: {} };
    }
    chaos.counts.passed++;
    return null;
  }

  /** Resolves true after `ms`, or false if the client goes away first. */
  function waitUnlessClosed(res, ms) {
    return new Promise((resolve) => {
      if (res.destroyed) return resolve(false);
      const finish = (value) => {
        clearTimeout(timer);
        timers.delete(entry);
        res.off('close', onClose);
        resolve(value);
      };
      const onClose = () => finish(false);
      const timer = setTimeout(() => finish(true), ms);
      const entry = { cancel: () => finish(false) };
      timers.add(entry);
      res.on('close', onClose);
    });
  }

  async function applyFault(ctx, fault) {
    updateRecord(ctx.record, { outcome: `fault:${faultKind(fault)}` });
    if (fault.delayMs > 0 && !(await waitUnlessClosed(ctx.res, Number(fault.delayMs)))) {
      if (!ctx.serverAborted) updateRecord(ctx.record, { outcome: 'client_closed' });
      return;
    }
    if (fault.drop) return dropConnection(ctx);
    if (fault.truncate) return truncateResponse(ctx);
    if (fault.status !== undefined) return sendFaultStatus(ctx, fault);
    return runProvider(ctx, ctx.res);
  }

  /** Destroys the socket without writing anything. */
  function dropConnection(ctx) {
    ctx.serverAborted = true;
    ctx.res.destroy();
  }

  /** Runs the real handler, sends full Content-Length but half the bytes. */
  async function truncateResponse(ctx) {
    const buffered = new BufferedResponse();
    runProvider(ctx, buffered);
    await buffered.finished;
    const { res } = ctx;
    if (res.destroyed) return;
    const full = buffered.body();
    const half = full.subarray(0, Math.floor(full.length / 2));
    ctx.serverAborted = true;
    updateRecord(ctx.record, { status: buffered.statusCode });
    res.writeHead(buffered.statusCode, { ...buffered.getHeaders(), 'content-length': String(full.length) });
    if (half.length === 0) {
      res.flushHeaders();
      setImmediate(() => res.destroy());
    } else {
      res.write(half, () => res.destroy());
    }
  }

  /** Answers with the fault's status/headers/body instead of the provider. */
  function sendFaultStatus(ctx, fault) {
    const status = fault.status;
    const body = fault.body === undefined ? providerErrorBody(ctx.provider, status) : fault.body;
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const noBody = status === 204 || status === 304 || status < 200 || ctx.req.method === 'HEAD';
    ctx.res.writeHead(status, {
      'content-type': JSON_CONTENT_TYPE,
      ...(noBody ? {} : { 'content-length': String(Buffer.byteLength(text)) }),
      ...lowerCaseKeys(fault.headers),
    });
    ctx.res.end(noBody ? undefined : text);
  }

  // --- providers -----------------------------------------------------------

  function providerFor(pathname) {
    return allProviders.find((p) => p.owns(pathname)) ?? null;
  }

  /** Lets the owning provider answer; 404 if nobody does. */
  function runProvider(ctx, target) {
    try {
      if (ctx.provider?.handle(ctx.req, target, ctx.url, ctx.body)) return;
      sendJson(target, 404, providerErrorBody(ctx.provider, 404, `Cannot ${ctx.req.method} ${ctx.url.pathname}`));
    } catch (err) {
      console.error('[mock] provider error:', err);
      if (!target.headersSent) sendJson(target, 500, providerErrorBody(ctx.provider, 500, 'Internal server error'));
      else target.destroy();
    }
  }

  // --- control API ---------------------------------------------------------

  /**
   * Clears everything; `opts` = { seed?, accounts?, token?, devrev? } (passed
   * to every provider; `devrev: { count, token, readOnlyToken, rateLimit,
   * rateWindowMs, errorStyle }` is DevRev's own).
   */
  function reset(opts = {}) {
    validateResetOptions(opts);
    for (const provider of allProviders) provider.validateReset?.(opts);
    requests.length = 0;
    faults.length = 0;
    chaos = null;
    seq = 0;
    for (const provider of allProviders) provider.reset?.(opts);
    events.emit('reset');
  }

  function clearRequests() {
    requests.length = 0;
  }

  function clearFaults() {
    faults.length = 0;
  }

  /**
   * Resolves with the requests array once `predicate(requests)` is true
   * (checked now and after every recording change); rejects after timeoutMs.
   */
  function waitFor(predicate, timeoutMs = 5000) {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!predicate(requests)) return;
        cleanup();
        resolve(requests);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`mock.waitFor timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        events.off('update', check);
      };
      events.on('update', check);
      check();
    });
  }

  const controlRoutes = {
    '/health': { GET: () => ({ ok: true }) },
    '/requests': {
      // `run` / `step`: only the requests whose `x-test-run` / `x-test-step` header
      // says so (concurrent runs sharing one mock read their own, not the whole log).
      GET: ({ query }) => requests.filter((r) => r.seq > Number(query.get('since') ?? 0)
        && (!query.has('run') || r.headers['x-test-run'] === query.get('run'))
        && (!query.has('step') || r.headers['x-test-step'] === query.get('step'))),
      DELETE: () => (clearRequests(), { ok: true }),
    },
    '/reset': { POST: ({ json }) => (reset(json ?? {}), { ok: true }) },
    // The 429s served because a documented limit was reached: Truto's per
    // account and per token, DevRev's spent windows. "No 429" is provable.
    '/limits': {
      GET: () => ({ truto: { ...truto.state.limited }, devrev: devrev ? devrev.state.limited : null }),
    },
    '/store': {
      GET: ({ query }) => {
        const provider = query.get('provider') ?? 'truto';
        if (provider !== 'truto') {
          const target = allProviders.find((p) => p.name === provider);
          if (!target) throw Object.assign(new Error(`Unknown provider ${provider}`), { status: 400 });
          return target.store(query.get('integrated_account_id') ?? undefined);
        }
        const id = query.get('integrated_account_id');
        if (!id) throw Object.assign(new Error('integrated_account_id is required'), { status: 400 });
        return truto.store(id);
      },
    },
    '/chaos': {
      GET: () => ({ on: chaos !== null, counts: chaos?.counts ?? null }),
      POST: ({ json }) => setChaos(json ?? {}),
      DELETE: () => setChaos(null),
    },
    '/faults': {
      GET: () => faults,
      POST: ({ json }) => ({ ok: true, pending: addFaults(Array.isArray(json) ? json : json?.faults ?? []) }),
      DELETE: () => (clearFaults(), { ok: true }),
    },
  };

  /** Answers /__mock/* (no auth, not recorded). */
  function handleControl(req, res, url, body) {
    const sub = url.pathname.slice(CONTROL_PREFIX.length).replace(/\/$/, '') || '/';
    const routes = controlRoutes[sub];
    if (!routes) return sendJson(res, 404, trutoErrorBody(404, `Unknown control endpoint ${url.pathname}`));
    const action = routes[req.method];
    if (!action) return sendJson(res, 405, trutoErrorBody(405, `Method ${req.method} not allowed`), { allow: Object.keys(routes).join(', ') });
    const text = body.toString('utf8');
    const json = tryParseJson(text);
    if (text.trim() && json === null) return sendJson(res, 400, trutoErrorBody(400, 'Invalid JSON body'));
    try {
      sendJson(res, 200, action({ query: url.searchParams, json }));
    } catch (err) {
      sendJson(res, err.status ?? 400, trutoErrorBody(err.status ?? 400, err.message));
    }
  }

  // --- dispatch ------------------------------------------------------------

  /** The `http.Server` request listener. */
  async function dispatch(req, res) {
    applyCommonHeaders(res, `req_${String(++requestCounter).padStart(6, '0')}`);
    let body;
    let url;
    try {
      body = await readBody(req);
      url = parseRequestUrl(req);
    } catch (err) {
      if (!res.destroyed) sendJson(res, err.status ?? 400, trutoErrorBody(err.status ?? 400, err.message));
      return;
    }
    if (req.method === 'OPTIONS') return sendPreflight(req, res);
    if (url.pathname === CONTROL_PREFIX || url.pathname.startsWith(`${CONTROL_PREFIX}/`)) {
      return handleControl(req, res, url, body);
    }
    const provider = providerFor(url.pathname);
    const ctx = { req, res, url, body, provider, record: recordRequest(req, body, provider), serverAborted: false };
    trackCompletion(ctx);
    if (res.destroyed) return updateRecord(ctx.record, { outcome: 'client_closed' });
    const decodedPath = safeDecode(url.pathname);
    const request = { method: req.method, decodedPath, query: url.search.slice(1), provider: provider?.name ?? null };
    const fault = takeFault(request) ?? chaosFault(request);
    if (fault) return applyFault(ctx, fault);
    return runProvider(ctx, res);
  }

  /** Cancels pending fault delays (used when the server closes). */
  function shutdown() {
    for (const entry of [...timers]) entry.cancel();
  }

  return {
    dispatch,
    reset,
    addFaults,
    clearFaults,
    setChaos,
    get chaos() { return chaos && { counts: chaos.counts }; },
    clearRequests,
    waitFor,
    shutdown,
    events,
    truto,
    devrev,
    providers: allProviders,
    store: (accountId) => truto.store(accountId),
    get requests() { return requests; },
    get faults() { return faults; },
  };
}

function validateResetOptions(opts) {
  if (opts === null || typeof opts !== 'object' || Array.isArray(opts)) throw new Error('reset options must be an object');
  if (opts.seed !== undefined && !(Number.isInteger(opts.seed) && opts.seed >= 0)) {
    throw new Error('seed must be a non-negative integer');
  }
  for (const [id, count] of Object.entries(opts.accounts ?? {})) {
    if (!(Number.isInteger(count) && count >= 0)) throw new Error(`accounts.${id} must be a non-negative integer`);
  }
  if (opts.token !== undefined && typeof opts.token !== 'string') throw new Error('token must be a string');
}

// ---------------------------------------------------------------------------
// Server
// ---------------------------------------------------------------------------

/** Host as it should appear in a URL. */
function urlHost(host) {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * Starts the mock server.
 * @returns {Promise<{ url: string, port: number, close(): Promise<void>, mock: object, server: http.Server }>}
 */
export async function startMockServer({ port = 0, host = '127.0.0.1', seed = 25, token, devrev, extraProviders } = {}) {
  const mock = createMockController({ seed, token, devrev, extraProviders });
  const server = http.createServer({ keepAlive: true }, (req, res) => {
    mock.dispatch(req, res).catch((err) => {
      console.error('[mock] dispatch error:', err);
      res.destroy();
    });
  });
  // Idle keep-alive connections live 65 s, as behind the real APIs' CDN, not 10 s:
  // the governor holds a burst's tail for Truto's 10 s window, so at 10 s a client
  // reused a connection just as the mock closed it (Node's fetch stops reusing one
  // a second before the advertised timeout, but a loaded client's timer fires
  // late). With maxRetries: 0 that was a 'fetch failed' the mock never saw (seen
  // once in a cold CI run, Node 18).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 70_000;
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actualPort = server.address().port;
  let closing = null;
  const close = () => {
    closing ??= new Promise((resolve) => {
      mock.shutdown();
      server.close(() => resolve());
      server.closeAllConnections();
    });
    return closing;
  };
  return { url: `http://${urlHost(host)}:${actualPort}`, port: actualPort, close, mock, server };
}

// ---------------------------------------------------------------------------
// CLI
// ---------------------------------------------------------------------------

/** `--port N`, `--port=N`, `--host H`, `--seed N`, `--token T`, `--devrev-count N`. */
function parseArgs(argv) {
  const options = {};
  const setters = {
    '--port': (v) => { options.port = Number(v); },
    '--seed': (v) => { options.seed = Number(v); },
    '--host': (v) => { options.host = v; },
    '--token': (v) => { options.token = v; },
    '--devrev-count': (v) => { options.devrev = { count: Number(v) }; },
  };
  for (let i = 0; i < argv.length; i += 1) {
    const [flag, inline] = argv[i].split(/=(.*)/s);
    if (!setters[flag]) throw new Error(`Unknown argument: ${argv[i]}`);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`Missing value for ${flag}`);
    setters[flag](value);
  }
  for (const key of ['port', 'seed']) {
    if (options[key] !== undefined && !Number.isInteger(options[key])) throw new Error(`--${key} must be an integer`);
  }
  if (options.devrev && !Number.isInteger(options.devrev.count)) throw new Error('--devrev-count must be an integer');
  return options;
}

async function main() {
  const { url, close } = await startMockServer(parseArgs(process.argv.slice(2)));
  process.stdout.write(`MOCK_READY ${url}\n`);
  const stop = async () => {
    await close();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

function isMainModule() {
  if (!process.argv[1]) return false;
  try {
    return realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMainModule()) {
  main().catch((err) => {
    console.error(err.message);
    process.exit(1);
  });
}
