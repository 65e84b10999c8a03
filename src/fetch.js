// The one part of the wasm transport (src/fetch.rs) that must live in
// JavaScript: a registry of what an instance left running. After a trap the
// instance cannot be called any more, so its in-flight fetches and timers
// can only be stopped from JS (tools/factory.mjs's `__retire` calls
// `stopAll`). Everything else (building the request, the timeout, the
// signals, reading the answer) is Rust, through gloo-net and web-sys.

/**
 * The AbortControllers and timer ids of the attempts and waits in flight,
 * each with what must stay reachable until it ends: an attempt's Request,
 * whose signal follows the controller's. Runtimes link such dependent
 * signals weakly (undici does), so a Request that only a retired instance
 * referenced could be collected, and the abort would not reach its fetch.
 */
const live = new Map();

/** Registers an AbortController or a timer id (and what it keeps) until `untrack`. */
export function track(handle, keep) {
  live.set(handle, keep);
}

/** Forgets a handle: its attempt or wait has ended. */
export function untrack(handle) {
  live.delete(handle);
}

/**
 * Aborts every attempt still in flight and clears every timer: their calls
 * have already rejected with `wasm_trap`; without this a request would stay
 * open and a retry timer (up to 60 s) would keep a Node process alive.
 */
export function stopAll() {
  for (const handle of live.keys()) {
    if (typeof handle?.abort === "function") handle.abort();
    else clearTimeout(handle);
  }
  live.clear();
}

// The rate governor's ledger (src/governor.rs): send times and server
// windows by salted key, shared by every client of this package in the
// realm, whichever copy of the package (ESM, CJS, a second bundle, an
// instance made after a trap) made it. Kept on `globalThis` under a
// registered symbol for that; a module-local map where the global is frozen.
const LEDGER = Symbol.for("crm-engagements.rate-ledger.v1");
let local;

function ledger() {
  const shared = globalThis[LEDGER];
  if (shared instanceof Map) return shared;
  local ??= new Map();
  try {
    Object.defineProperty(globalThis, LEDGER, { value: local });
  } catch {
    // A frozen global: this copy keeps its own.
  }
  return local;
}

/** The numbers under `key` (a copy), empty when there are none. */
export function ledger_get(key) {
  return ledger().get(key) ?? new Float64Array(0);
}

/** Replaces the numbers under `key` (copied out of wasm memory); empty removes it. */
export function ledger_set(key, values) {
  if (values.length) ledger().set(key, Float64Array.from(values));
  else ledger().delete(key);
}
