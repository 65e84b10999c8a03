// What src/wasm/task.rs needs from JavaScript to run futures and settle
// Promises without wasm-bindgen closures (their glue and shims cost more than
// the executor itself).

/** A new Promise and the functions that settle it: `[promise, resolve, reject]`. */
export function deferred() {
  let resolve, reject;
  const promise = new Promise((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return [promise, resolve, reject];
}

/**
 * Watches `promise` for task `id`: returns a cell `[state, value]` that is
 * `[0]` while it is pending, then `[1, value]` or `[2, reason]`, and calls
 * `schedule(id)` when it settles so that the task is polled again.
 */
export function watch(promise, schedule, id) {
  const cell = [0];
  const settle = (state) => (value) => {
    cell[0] = state;
    cell[1] = value;
    schedule(id);
  };
  promise.then(settle(1), settle(2));
  return cell;
}
