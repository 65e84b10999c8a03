// The I/O of the wasm transport (src/fetch.rs), written in JavaScript: one
// fetch attempt with its timeout and abort wiring, and a wait that a signal
// cuts short. In Rust these took closures, guards and a dozen web-sys
// bindings, about a tenth of the .wasm; here they are a few lines, and the
// wasm crosses the boundary once per attempt.
//
// Never `window` (Node and Workers have none); never `mode`, `credentials` or
// `referrer` on a request (Workers throws on them).

/** How to stop each attempt and wait still running: see `stopAll`. */
const live = new Set();

/**
 * Sends one attempt (`headers`: a flat [name, value, ...] array; `body`: the
 * JSON text or undefined; `custom`: the caller's fetch or undefined). Resolves (never rejects) to
 *   [status, body, headers]  an answer: body is the text, or for a 2xx with
 *                            `stream` the unread ReadableStream; headers is a
 *                            flat [name, value, ...] array, read only for a
 *                            non-2xx answer (Retry-After, request id...)
 *   [0, kind, message]       no answer: kind is "aborted", "timeout" or "network"
 * The returned Promise has a `cancel()` that aborts the fetch: the Rust side
 * calls it when the attempt's future is dropped before it ends.
 */
export function send(custom, url, method, headers, body, timeoutMs, signal, stream) {
  const controller = new AbortController();
  let timedOut = false;
  let timer;
  let settle;
  const done = new Promise((resolve) => (settle = resolve));
  // Aborts this attempt: on the caller's signal, and from stopAll.
  const onAbort = () => controller.abort();
  const finish = (value) => {
    if (!settle) return;
    const resolve = settle;
    settle = undefined;
    live.delete(onAbort);
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
    resolve(value);
  };
  const failed = (error) =>
    finish(
      signal?.aborted
        ? [0, "aborted", ""]
        : timedOut
          ? [0, "timeout", ""]
          : [0, "network", (error && typeof error.message === "string" && error.message) || "fetch failed"],
    );
  // A caller's fetch may ignore the signal: the abort ends the attempt anyway.
  controller.signal.addEventListener("abort", failed, { once: true });
  if (signal?.aborted) {
    failed();
    return Object.assign(done, { cancel() {} });
  }
  signal?.addEventListener("abort", onAbort, { once: true });
  live.add(onAbort);
  if (timeoutMs > 0) {
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
  }
  const attempt = async () => {
    const sent = new Headers();
    for (let i = 0; i + 1 < headers.length; i += 2) sent.set(headers[i], headers[i + 1]);
    const init = { method, headers: sent, signal: controller.signal };
    if (body !== undefined) init.body = body;
    const response = await (custom ?? globalThis.fetch)(url, init);
    if (response === null || typeof response !== "object") {
      return [0, "network", "fetch resolved to something that is not a Response"];
    }
    const status = response.status;
    const ok = status >= 200 && status < 300;
    if (ok && stream) return [status, response.body, null];
    const flat = [];
    if (!ok) for (const [name, value] of response.headers) flat.push(name.toLowerCase(), value);
    return [status, await response.text(), flat];
  };
  attempt().then(finish, failed);
  return Object.assign(done, {
    cancel() {
      if (settle) controller.abort();
    },
  });
}

/** Resolves after `ms`, or at once when `signal` aborts (the caller checks which). */
export function sleep(ms, signal) {
  return new Promise((resolve) => {
    const end = () => {
      clearTimeout(timer);
      live.delete(end);
      signal?.removeEventListener("abort", end);
      resolve();
    };
    const timer = setTimeout(end, Math.max(0, ms));
    live.add(end);
    signal?.addEventListener("abort", end, { once: true });
  });
}

/**
 * Aborts every attempt still in flight and ends every wait: called when the
 * instance that started them is retired after a trap (tools/factory.mjs's
 * `__retire`), before a fresh one starts. Their calls have already rejected
 * with `wasm_trap`; without this, a request would stay open and a retry
 * timer (up to 60 s) would keep a Node process alive for nothing.
 */
export function stopAll() {
  for (const stop of [...live]) stop();
  live.clear();
}

/** A fresh id for idempotency keys: a UUID where the platform has one. */
export function uniqueId() {
  if (typeof globalThis.crypto?.randomUUID === "function") return globalThis.crypto.randomUUID();
  let id = "";
  for (let i = 0; i < 4; i++) id += Math.floor(Math.random() * 2 ** 32).toString(16).padStart(8, "0");
  return id;
}
