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
