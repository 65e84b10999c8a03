// The production pattern: a Cloudflare Worker that keeps the Truto token as a secret,
// serves the dashboard, and answers its engagement calls same-origin by forwarding them
// through crm-engagements' own TrutoClient. The page's TrutoClient points at
// `${origin}/api/truto` with no token; nothing of the token reaches the page.
//
//   GET    /api/truto/unified/crm/engagements        -> truto.list(query)
//   POST   /api/truto/unified/crm/engagements        -> truto.create(body, query)
//   GET    /api/truto/unified/crm/engagements/:id    -> truto.get(id, query)
//   PATCH  /api/truto/unified/crm/engagements/:id    -> truto.update(id, body, query)
//   DELETE /api/truto/unified/crm/engagements/:id    -> truto.delete(id, query)
//   GET    /dashboard-config.json                    -> where the page should connect
//   anything else                                    -> the built dashboard (static assets)
//
// Bindings (wrangler.toml): TRUTO_TOKEN (secret: `wrangler secret put TRUTO_TOKEN`, or
// .dev.vars locally), TRUTO_BASE_URL, TRUTO_INTEGRATED_ACCOUNT_ID (pins the proxy to
// one account), DEMO_DIRECTORY ("1": the page may show the built-in mock's names).
//
// Before deploying it for real, put it behind your sign-in (Cloudflare Access or your
// app's session check in `authorize` below): whoever can reach it can use the token.
import { TrutoClient, isEngagementsError } from "crm-engagements";

const PREFIX = "/api/truto";
const COLLECTION = `${PREFIX}/unified/crm/engagements`;

/** Query parameters forwarded, by how they are typed in the package's ListQuery/RecordQuery. */
const SCALARS = new Set([
  "engagement_type", "start_time", "end_time", "contact_id", "status", "created_at", "updated_at",
  "sort_by", "subject", "content", "direction", "next_cursor", "truto_response_format", "truto_key_by",
]);
const BOOLEANS = new Set(["truto_ignore_limit", "truto_ignore_remote_data"]);
const REFS = new Set(["account", "contact", "owner", "opportunity", "lead"]);

export default {
  /**
   * @param {Request} request
   * @param {Record<string, any>} env
   */
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === "/dashboard-config.json") return dashboardConfig(env);
    if (url.pathname === PREFIX || url.pathname.startsWith(`${PREFIX}/`)) {
      const refused = authorize(request, url);
      if (refused) return refused;
      return proxy(request, url, env);
    }
    return env.ASSETS.fetch(request);
  },
};

/** Where the page connects: this Worker, with no token. */
function dashboardConfig(env) {
  return json(200, {
    label: "the Worker proxy",
    source: "truto",
    truto: { baseUrl: PREFIX, proxied: true, integratedAccountId: env.TRUTO_INTEGRATED_ACCOUNT_ID ?? "" },
    directory: env.DEMO_DIRECTORY === "1" ? "demo" : null,
  });
}

/**
 * Refuses cross-site calls: the proxy answers its own pages only (no CORS headers are
 * ever sent, and a write from another origin is rejected). Add your sign-in check here.
 * @returns {Response | null}
 */
function authorize(request, url) {
  const site = request.headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") return error(403, "Forbidden", "cross-site requests are not allowed");
  const origin = request.headers.get("origin");
  if (request.method !== "GET" && origin && origin !== url.origin) return error(403, "Forbidden", "cross-origin requests are not allowed");
  return null;
}

async function proxy(request, url, env) {
  if (!env.TRUTO_TOKEN) return error(500, "Internal Server Error", "the proxy has no TRUTO_TOKEN secret (wrangler secret put TRUTO_TOKEN, or .dev.vars locally)");
  const path = url.pathname.replace(/\/$/, "");
  let id = null;
  if (path !== COLLECTION) {
    const rest = path.startsWith(`${COLLECTION}/`) ? path.slice(COLLECTION.length + 1) : "";
    if (!rest || rest.includes("/")) return error(404, "Not Found", `Cannot ${request.method} ${url.pathname}`);
    try {
      id = decodeURIComponent(rest);
    } catch {
      return error(400, "Bad Request", "malformed engagement id");
    }
  }

  let query;
  try {
    query = parseQuery(url.searchParams);
  } catch (err) {
    return error(400, "Bad Request", err.message);
  }
  // The account is the proxy's decision, not the page's.
  const pinned = env.TRUTO_INTEGRATED_ACCOUNT_ID;
  if (pinned) {
    if (query.integrated_account_id && query.integrated_account_id !== pinned) {
      return error(403, "Forbidden", "this proxy serves one integrated account");
    }
    query.integrated_account_id = pinned;
  }

  const truto = new TrutoClient({
    token: env.TRUTO_TOKEN,
    baseUrl: env.TRUTO_BASE_URL || undefined,
    // The browser's client retries (and shows the wait); one attempt here avoids
    // multiplying retries. Idempotency keys are forwarded, so a retried write is safe.
    maxRetries: 0,
    timeoutMs: 25_000,
  });
  const key = request.headers.get("idempotency-key") ?? undefined;
  const options = key ? { idempotencyKey: key } : {};

  try {
    const m = request.method;
    if (id === null && m === "GET") return json(200, await truto.list(query));
    if (id === null && m === "POST") return json(200, await truto.create(await readBody(request), query, options));
    if (id !== null && m === "GET") return json(200, await truto.get(id, query));
    if (id !== null && m === "PATCH") return json(200, await truto.update(id, await readBody(request), query, options));
    if (id !== null && m === "DELETE") return json(200, await truto.delete(id, query));
    return error(405, "Method Not Allowed", `Method ${m} not allowed`, { allow: id === null ? "GET, POST" : "GET, PATCH, DELETE" });
  } catch (err) {
    return fromError(err);
  } finally {
    truto.free();
  }
}

/** The page's query (Truto's bracket form) back into the package's query object. */
export function parseQuery(params) {
  const query = {};
  for (const [key, value] of params) {
    const ref = /^([a-z_]+)\[id\]$/.exec(key);
    const remote = /^remote_query\[([^\]]+)\]$/.exec(key);
    if (key === "integrated_account_id") query.integrated_account_id = value;
    else if (SCALARS.has(key)) query[key] = value;
    else if (BOOLEANS.has(key)) query[key] = value === "true";
    else if (key === "limit") {
      if (!/^\d+$/.test(value)) throw new Error("limit must be a positive integer");
      query.limit = Number(value);
    } else if (key === "truto_exclude_fields[]") (query.truto_exclude_fields ??= []).push(value);
    else if (ref && REFS.has(ref[1])) query[ref[1]] = { id: value };
    else if (remote) (query.remote_query ??= {})[remote[1]] = value;
    else throw new Error(`unsupported query parameter ${JSON.stringify(key)}`);
  }
  return query;
}

async function readBody(request) {
  let body;
  try {
    body = await request.json();
  } catch {
    throw Object.assign(new Error("Invalid JSON body"), { proxyStatus: 400 });
  }
  if (!body || typeof body !== "object" || Array.isArray(body)) throw Object.assign(new Error("Invalid JSON body"), { proxyStatus: 400 });
  return body;
}

/** An EngagementsError as the HTTP answer the page's client understands. */
function fromError(err) {
  if (err?.proxyStatus) return error(err.proxyStatus, "Bad Request", err.message);
  if (!isEngagementsError(err)) return error(502, "Bad Gateway", "the proxy failed");
  const headers = {};
  if (err.requestId) headers["x-request-id"] = err.requestId;
  if (err.retryAfterMs) headers["retry-after"] = String(Math.ceil(err.retryAfterMs / 1000));
  switch (err.kind) {
    case "http": {
      const body = err.body && typeof err.body === "object" ? err.body : { statusCode: err.status, error: "Error", message: err.message };
      return json(err.status ?? 502, body, headers);
    }
    case "validation":
      return json(400, { statusCode: 400, error: "Bad Request", message: err.message, code: err.code, field: err.field });
    case "timeout":
      return error(504, "Gateway Timeout", "Truto did not answer in time");
    case "config":
      return error(500, "Internal Server Error", "the proxy is misconfigured");
    default:
      return error(502, "Bad Gateway", `could not reach Truto (${err.kind})`);
  }
}

function error(status, reason, message, headers = {}) {
  return json(status, { statusCode: status, error: reason, message }, headers);
}

function json(status, payload, headers = {}) {
  return new Response(JSON.stringify(payload), {
    status,
    headers: {
      "content-type": "application/json; charset=utf-8",
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
      ...headers,
    },
  });
}
