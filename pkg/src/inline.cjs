// CommonJS entry with the .wasm inside (base64): `require("crm-engagements/inline")`,
// and what `require("crm-engagements")` resolves to under the `browser`
// condition: Jest's `testEnvironment: "jsdom"` (which resolves `browser` with
// `require`, and runs the test in a realm that has no fetch, Request,
// Response, TextDecoder or TextEncoder), and CommonJS code in webpack, esbuild
// or `bun build` browser bundles. No asset to serve or copy, no init call.
//
// `make pkg` writes it to pkg/inline.cjs with the bytes in place of the name below
// (tools/inline.mjs).
"use strict";
const { createInstance } = require("./crm_engagements_web.cjs");
const { makeApi } = require("./api.cjs");

// What the glue calls by name. A realm that has them all (a page, a worker,
// Node, Bun, Deno, workerd) is used as it is.
const NEEDED = ["fetch", "Request", "Response", "Headers", "TextDecoder", "TextEncoder"];

/**
 * Node's own realm, when this code runs inside Node in another one (a `vm`
 * context, as Jest's test environments are); else undefined. Reached through
 * `process.getBuiltinModule` (Node >= 20.16) or `module.require` (Node 18), written
 * so that no bundler takes `vm` for a dependency of a browser bundle.
 */
function nodeRealm() {
  try {
    const proc = typeof process === "object" && process !== null ? process : undefined;
    if (typeof proc?.versions?.node !== "string") return undefined;
    const vm =
      typeof proc.getBuiltinModule === "function"
        ? proc.getBuiltinModule("vm")
        : typeof module === "object" && typeof module.require === "function"
          ? module["require"].call(module, "vm")
          : undefined;
    const realm = vm?.runInThisContext("globalThis");
    return realm !== globalThis ? realm : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The globals the glue uses: this realm's own, and where it lacks one, Node's.
 * Nothing is written onto this realm's globals: a test that checks
 * `typeof fetch`, or installs its own later, sees its realm as it was.
 * `fetch`, `Request`, `Response` and `Headers` come as a set (Node's fetch
 * gets Node's Request), from this realm if it has `fetch`. `fetch` and
 * `crypto` are still read at each call, so a `fetch` mocked or polyfilled
 * after import is the one called.
 */
function scopeOf() {
  if (NEEDED.every((name) => typeof globalThis[name] === "function")) return globalThis;
  const node = nodeRealm();
  if (node === undefined) return globalThis;
  const own = (name) => (typeof globalThis[name] === "function" ? globalThis[name] : node[name]);
  const family = typeof globalThis.fetch === "function" ? globalThis : node;
  return {
    globalThis: new Proxy(globalThis, { get: (realm, key) => realm[key] ?? node[key] }),
    Request: family.Request,
    Response: family.Response,
    Headers: family.Headers,
    AbortController: own("AbortController"),
    AbortSignal: own("AbortSignal"),
    TextDecoder: own("TextDecoder"),
    TextEncoder: own("TextEncoder"),
  };
}

// A synchronous compile, as `require` must return the API: 130 KB is well
// within what browsers compile on the main thread (Chromium's limit is 8 MB).
// atob: every browser, worker, Node >= 16, Bun, Deno and jsdom has it.
const wasmModule = new WebAssembly.Module(Uint8Array.from(atob(WASM_BASE64), (c) => c.charCodeAt(0)));
const scope = scopeOf();

const { TrutoClient, DevRevClient, EngagementIterator, isEngagementsError, devRevToEngagement, __testing } =
  makeApi(() => createInstance(wasmModule, scope), scope);

// Named in a literal, so that ESM importers of this file see each name (see index.cjs).
module.exports = { TrutoClient, DevRevClient, EngagementIterator, isEngagementsError, devRevToEngagement, __testing };
