// The public API of crm-engagements, over one WebAssembly instance at a time.
//
// The Rust code never panics on outside input, but if the instance ever traps
// (a bug, a stack overflow), a trapped instance would fail every later call.
// So every poll of every call runs here, inside a `try`: on a trap the calls
// in flight reject with an EngagementsError (kind "network", code "wasm_trap":
// the request may or may not have reached the server), a fresh instance
// starts, and client objects rebuild themselves on it at their next call.
//
// `createInstance()` builds the generated glue around a new instance (see
// tools/factory.mjs). This file is the same for every runtime: the build
// appends it to the web glue's module (pkg/crm_engagements.js, which the
// browser and workerd entries import) and turns it into pkg/api.cjs for Node.

export function makeApi(createInstance, scope = globalThis) {
  // The glue passes strings through TextDecoder/TextEncoder. Say so plainly
  // where they are missing (some embedded engines; Jest's jsdom environment
  // under the ESM entries) rather than fail with "TextDecoder is not defined"
  // from inside the glue. `scope`: where the glue finds them (pkg/src/inline.cjs
  // passes the globals it completed from Node's realm).
  for (const name of ["TextDecoder", "TextEncoder"]) {
    if (typeof scope[name] !== "function") {
      throw new Error(
        `crm-engagements needs the ${name} global, which this JavaScript environment lacks ` +
          "(Jest's jsdom environment is one): provide it before importing the package, " +
          'e.g. Object.assign(globalThis, require("node:util")) picks TextDecoder and TextEncoder from Node',
      );
    }
  }
  let generation = 0;
  let instance;
  // Each client's op numbers, by method name: read from the instance's own
  // table (`__methods`, src/wasm/call.rs's `methods!`), so the two sides
  // cannot drift. A name the table lacks is op 0xFFFFFFFF, which the
  // instance refuses (`unknown_method`) instead of running another method.
  let ops;
  const pending = new Set();

  function opsOf(name) {
    const table = Object.create(null);
    instance.__methods(name).forEach((method, op) => (table[method] = op));
    return table;
  }

  function op(client, method) {
    return ops[client][method] ?? 0xffffffff;
  }

  function start() {
    const gen = generation;
    instance = createInstance();
    ops = { TrutoClient: opsOf("TrutoClient"), DevRevClient: opsOf("DevRevClient") };
    instance.__setScheduler((id) =>
      queueMicrotask(() => {
        if (gen !== generation) return;
        try {
          instance.__poll(id);
        } catch (err) {
          restart(err);
        }
      }),
    );
  }

  function trapError(cause) {
    const err = new Error(
      `the WebAssembly module stopped (${cause?.message ?? cause}) and was restarted; ` +
        "this call did not complete, later calls work",
    );
    err.name = "EngagementsError";
    err.kind = "network";
    err.code = "wasm_trap";
    err.attempts = 0;
    return err;
  }

  function abortedError() {
    const err = new Error("the request was aborted");
    err.name = "EngagementsError";
    err.kind = "aborted";
    err.code = "aborted";
    err.attempts = 0;
    return err;
  }

  /** Any exception escaping the instance means its state can't be trusted. */
  function restart(cause) {
    instance.__retire?.();
    generation++;
    const failed = [...pending];
    pending.clear();
    start();
    for (const call of failed) call.reject(trapError(cause));
  }

  function isEngagementsError(error) {
    return error instanceof Error && error.name === "EngagementsError" && typeof error.kind === "string";
  }

  /** A synchronous call into the instance (constructors, devRevToEngagement). */
  function sync(fn) {
    try {
      return fn();
    } catch (err) {
      if (isEngagementsError(err)) throw err;
      restart(err);
      throw trapError(err);
    }
  }

  /** An asynchronous call: its Promise also rejects if the instance traps. */
  function run(fn) {
    return new Promise((resolve, reject) => {
      const call = { reject };
      pending.add(call);
      let inner;
      try {
        inner = fn();
      } catch (err) {
        pending.delete(call);
        if (isEngagementsError(err)) return reject(err);
        restart(err);
        return reject(trapError(err));
      }
      inner.then(
        (value) => {
          pending.delete(call);
          resolve(value);
        },
        (err) => {
          pending.delete(call);
          reject(err);
        },
      );
    });
  }

  // Per-object state: the constructor arguments and the raw object on the
  // current instance (rebuilt after a restart).
  const state = new WeakMap();

  function raw(self) {
    const s = state.get(self);
    if (s.gen !== generation) {
      s.inner = sync(() => new instance[s.name](s.options));
      s.gen = generation;
    }
    return s.inner;
  }

  function init(self, name, options) {
    state.set(self, { name, options, gen: -1, inner: null });
    raw(self);
  }

  function free(self) {
    const s = state.get(self);
    if (s?.inner && s.gen === generation) s.inner.free();
    state.delete(self);
  }

  /** The `signal` of an options object, read without trusting the object. */
  function signalOf(options) {
    try {
      return options?.signal;
    } catch {
      return undefined;
    }
  }

  // Serves items from the current page in JS: one call into the instance per
  // page (nextPage), not per item.
  class EngagementIterator {
    constructor(open, signal) {
      state.set(this, { open, signal, gen: generation, inner: null, done: false, items: [], at: 0, queue: null });
    }
    next() {
      const s = state.get(this);
      if (!s || s.done) return Promise.resolve({ value: undefined, done: true });
      if (s.signal instanceof AbortSignal && s.signal.aborted) {
        // Items already fetched are not handed out after an abort.
        end(s);
        return Promise.reject(abortedError());
      }
      if (s.at < s.items.length) return Promise.resolve({ value: s.items[s.at++], done: false });
      // Calls made without awaiting the previous one are served in order.
      const next = (s.queue ?? Promise.resolve()).then(() => this.#fill(s));
      s.queue = next.then(
        () => {},
        () => {},
      );
      return next;
    }
    async #fill(s) {
      if (s.at < s.items.length) return { value: s.items[s.at++], done: false };
      if (s.done) return { value: undefined, done: true };
      if (s.gen !== generation) {
        end(s);
        throw trapError("restarted during this listAll");
      }
      let page;
      try {
        page = await run(() => {
          s.inner ??= s.open();
          return s.inner.nextPage(s.at);
        });
      } catch (err) {
        end(s);
        throw err;
      }
      // Ended (return(), free(), an abort) while the page was on its way.
      if (s.done) return { value: undefined, done: true };
      if (page === null || page.length === 0) {
        end(s);
        return { value: undefined, done: true };
      }
      s.items = page;
      s.at = 1;
      return { value: page[0], done: false };
    }
    return() {
      const s = state.get(this);
      if (s && !s.done) {
        if (s.inner && s.gen === generation) {
          const ended = run(() => {
            s.inner.stop();
            return Promise.resolve({ value: undefined, done: true });
          });
          end(s);
          return ended;
        }
        end(s);
      }
      return Promise.resolve({ value: undefined, done: true });
    }
    [Symbol.asyncIterator]() {
      return this;
    }
    /** Where the iteration stands, for `listAll(query, { resume })`. */
    checkpoint() {
      const s = state.get(this);
      if (!s) return undefined;
      if (s.done) return s.final?.[0];
      return sync(() => {
        s.inner ??= s.open();
        return s.inner.checkpoint(s.at);
      });
    }
    /** Whether the listing truly ended (not stopped by `maxRequests`, `maxItems` or `break`). */
    get complete() {
      const s = state.get(this);
      if (!s) return false;
      if (s.done) return s.final?.[1] ?? false;
      return s.inner !== null && s.gen === generation && sync(() => s.inner.complete(s.at));
    }
    free() {
      const s = state.get(this);
      if (s) end(s);
      state.delete(this);
    }
  }

  /**
   * Ends an iteration: no item is handed out after this, and the instance's
   * iterator is freed at once instead of whenever the garbage collector runs
   * its finalizer (a loop of listAll calls would otherwise grow the wasm
   * memory until then). A page fetch still in flight keeps what it needs.
   */
  function end(s) {
    const inner = s.inner;
    if (inner && s.gen === generation && !s.done) {
      // Kept for checkpoint() and complete after the instance's iterator is freed.
      try {
        s.final = [inner.checkpoint(s.at), inner.complete(s.at)];
      } catch {
        s.final = undefined;
      }
    }
    s.done = true;
    s.items = [];
    s.inner = null;
    if (inner && s.gen === generation) {
      try {
        inner.free();
      } catch {
        // Already freed, or the instance was replaced: nothing left to release.
      }
    }
  }

  // Each method is one `call(op, ...args)` into the instance, its op number
  // looked up by name in the instance's table (see `ops` above): one export
  // per class instead of one per method.
  class TrutoClient {
    constructor(options) {
      init(this, "TrutoClient", options);
    }
    list(query, options) {
      return run(() => raw(this).call(op("TrutoClient", "list"), query, options));
    }
    listStream(query, options) {
      return run(() => raw(this).call(op("TrutoClient", "listStream"), query, options));
    }
    listAll(query, options) {
      return new EngagementIterator(() => raw(this).call(op("TrutoClient", "listAll"), query, options), signalOf(options));
    }
    get(id, query, options) {
      return run(() => raw(this).call(op("TrutoClient", "get"), id, query, options));
    }
    create(body, query, options) {
      return run(() => raw(this).call(op("TrutoClient", "create"), body, query, options));
    }
    update(id, body, query, options) {
      return run(() => raw(this).call(op("TrutoClient", "update"), id, body, query, options));
    }
    delete(id, query, options) {
      return run(() => raw(this).call(op("TrutoClient", "delete"), id, query, options));
    }
    free() {
      free(this);
    }
  }

  class DevRevClient {
    constructor(options) {
      init(this, "DevRevClient", options);
    }
    list(request, options) {
      return run(() => raw(this).call(op("DevRevClient", "list"), request, options));
    }
    listAll(request, options) {
      return new EngagementIterator(() => raw(this).call(op("DevRevClient", "listAll"), request, options), signalOf(options));
    }
    get(id, options) {
      return run(() => raw(this).call(op("DevRevClient", "get"), id, options));
    }
    create(body, options) {
      return run(() => raw(this).call(op("DevRevClient", "create"), body, options));
    }
    update(body, options) {
      return run(() => raw(this).call(op("DevRevClient", "update"), body, options));
    }
    delete(id, options) {
      return run(() => raw(this).call(op("DevRevClient", "delete"), id, options));
    }
    count(filter, options) {
      return run(() => raw(this).call(op("DevRevClient", "count"), filter, options));
    }
    free() {
      free(this);
    }
  }

  if (Symbol.dispose) {
    for (const C of [TrutoClient, DevRevClient, EngagementIterator]) C.prototype[Symbol.dispose] = C.prototype.free;
  }
  // The build shortens this file's local names (tools/factory.mjs); the
  // classes keep theirs, for what users see in consoles and logs.
  for (const [name, C] of Object.entries({ TrutoClient, DevRevClient, EngagementIterator })) {
    Object.defineProperty(C, "name", { value: name });
  }

  function devRevToEngagement(engagement) {
    return sync(() => instance.devRevToEngagement(engagement));
  }

  start();

  return {
    TrutoClient,
    DevRevClient,
    EngagementIterator,
    isEngagementsError,
    devRevToEngagement,
    // Undocumented: for the tests of the recovery path.
    __testing: {
      trap: () => sync(() => instance.__testTrap()),
      trapLater: () => run(() => instance.__testTrapLater()),
      generation: () => generation,
      call: (client, op, ...args) => run(() => raw(client).call(op, ...args)),
      methods: (name) => [...instance.__methods(name)],
    },
  };
}
