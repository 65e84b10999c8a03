// The scheduler src/wasm/task.rs falls back on when the package's entry
// (pkg/src/api.js) installs none: the raw glue, as the wasm-bindgen tests load it.

/** A scheduler that calls `poll(id)` in a later microtask. */
export function microtasks(poll) {
  return (id) => queueMicrotask(() => poll(id));
}
