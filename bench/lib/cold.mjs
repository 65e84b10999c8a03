// One cold start, in a fresh `node` process (bench/run.mjs spawns it N times per mode):
//
//   node bench/lib/cold.mjs ours <origin> <pkgDir> [stub]  import the Node entry + first list()
//   node bench/lib/cold.mjs plain <origin> <pkgDir> [stub] import a plain fetch client + first list()
//   node bench/lib/cold.mjs guarded <origin> <pkgDir> [stub] the same with our guarantees in plain JS
//   node bench/lib/cold.mjs instantiate <origin> <pkgDir>  compile + instantiate the .wasm bytes alone
//
// Prints one JSON line of in-process figures (ms). `sinceStart` is performance.now()
// at the end: ms since the process's time origin (Node's own bootstrap included).
//
// `stub`: the package's own cost. Node's fetch is loaded before the clock starts (its
// first use costs ~30 ms for any client) and the first list() gets a ready Response
// from a stub `fetch`, so what is timed is import + constructor + the client's whole
// first-call path, cold, with no socket. (A real warm-up fetch is no good: it leaves
// undici's HTTP-parser wasm tiering up on background threads, which slows whatever
// is timed next on a 2-CPU machine.)
import fs from "node:fs";
import { pathToFileURL } from "node:url";
import { entries } from "./pkg.mjs";

const [mode, origin, pkgDir, variant] = process.argv.slice(2);
const out = {};
const pkg = entries(pkgDir);
const nodeEntry = pathToFileURL(pkg.node).href;

if (mode === "ours" || mode === "plain" || mode === "guarded") {
  let fetchOption;
  if (variant === "stub") {
    const ready = new Response('{"result":[],"next_cursor":null,"result_count":0}',
      { status: 200, headers: { "content-type": "application/json" } });
    fetchOption = async () => ready;
  }
  const options = { token: "bench-token", integratedAccountId: "acct-bench", baseUrl: `${origin}/d/empty`, ...(fetchOption && { fetch: fetchOption }) };
  const t0 = performance.now();
  let Client;
  if (mode === "ours") Client = (await import(nodeEntry)).TrutoClient;
  else if (mode === "plain") Client = (await import("./plain-client.mjs")).PlainClient;
  else Client = (await import("./plain-client.mjs")).GuardedClient;
  const t1 = performance.now();
  const client = new Client(options);
  const t2 = performance.now();
  const page = await client.list();
  const t3 = performance.now();
  Object.assign(out, { import: t1 - t0, ctor: t2 - t1, firstCall: t3 - t2, total: t3 - t0 });
  if (!Array.isArray(page.result)) throw new Error("cold: bad first page");
} else if (mode === "instantiate") {
  const bytes = fs.readFileSync(pkg.wasm);
  const t0 = performance.now();
  const module = await WebAssembly.compile(bytes);
  out.compile = performance.now() - t0;
  // Every import stubbed: instantiation links them but calls none (wasm-bindgen's
  // start runs only when the glue calls __wbindgen_start).
  const imports = {};
  for (const imp of WebAssembly.Module.imports(module)) {
    imports[imp.module] ??= {};
    if (imp.kind === "function") imports[imp.module][imp.name] = () => {};
    else if (imp.kind === "memory") imports[imp.module][imp.name] = new WebAssembly.Memory({ initial: 17 });
    else if (imp.kind === "table") imports[imp.module][imp.name] = new WebAssembly.Table({ initial: 128, element: "externref" });
    else throw new Error(`cold: unhandled import kind ${imp.kind}`);
  }
  const t1 = performance.now();
  await WebAssembly.instantiate(module, imports);
  out.instantiate = performance.now() - t1;
  out.total = performance.now() - t0;
} else {
  throw new Error(`cold: unknown mode ${mode}`);
}
out.sinceStart = performance.now();
process.stdout.write(`${JSON.stringify(out)}\n`);
// Exit at once: the wall time the parent measures is then start-up + this work, not the
// keep-alive socket and timers winding down.
process.exit(0);
