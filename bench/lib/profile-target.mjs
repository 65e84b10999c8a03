// The work bench/profile.mjs profiles, in its own process. `mode`:
//   listAll / floor          20,000 engagements x N over the socket, ours / the floor loop
//   stubListAll / stubFloor  the same with no socket (a stub `fetch` answers from memory)
//   list                     list() of one 500-item page from the stub, x 40N
//   empty / emptyFloor       one empty page over the socket, x 400N, ours / the floor
// Profiles with node:inspector and prints the raw .cpuprofile JSON to `outFile`.
import fs from "node:fs";
import inspector from "node:inspector/promises";
import { ACCOUNT, TOKEN, floorAll, floorPage, oursAll, UNPACED } from "./floor.mjs";
import { importNode } from "./pkg.mjs";

const [mode, origin, pkgDir, outFile, reps = "5"] = process.argv.slice(2);
const { TrutoClient } = await importNode(pkgDir);
const N = Number(reps);
const truto = new TrutoClient({ token: TOKEN, integratedAccountId: ACCOUNT, rateLimit: UNPACED, baseUrl: `${origin}/d/p20k` });
const empty = new TrutoClient({ token: TOKEN, integratedAccountId: ACCOUNT, rateLimit: UNPACED, baseUrl: `${origin}/d/empty` });
// No socket: the 40 pages fetched once, then answered from memory by a stub `fetch`.
const pages = [];
for (let url = `${origin}/d/p20k/unified/crm/engagements?limit=500`; ;) {
  const buf = new Uint8Array(await (await fetch(url)).arrayBuffer());
  pages.push(buf);
  const next = JSON.parse(new TextDecoder().decode(buf)).next_cursor;
  if (!next) break;
  url = `${origin}/d/p20k/unified/crm/engagements?limit=500&next_cursor=${next}`;
}
const respond = (buf) => new Response(buf, { status: 200, headers: { "content-type": "application/json" } });
// The client hands `fetch` one built Request (older builds: a URL string).
const href = (input) => (typeof input === "string" ? input : input.url);
const stubFetch = async (input) => respond(pages[Number(/next_cursor=c(\d+)/.exec(href(input))?.[1] ?? 0)]);
const stub = new TrutoClient({ token: TOKEN, integratedAccountId: ACCOUNT, rateLimit: UNPACED, baseUrl: "http://127.0.0.1:9", fetch: stubFetch });
async function stubFloor() {
  let n = 0;
  for (let url = ""; ;) {
    const body = await (await stubFetch(url)).json();
    for (const e of body.result) n += e.id.length > 0;
    if (!body.next_cursor) return n;
    url = `next_cursor=${body.next_cursor}`;
  }
}

const work = {
  listAll: async () => { for (let i = 0; i < N; i += 1) await oursAll(truto); },
  floor: async () => { for (let i = 0; i < N; i += 1) await floorAll(`${origin}/d/p20k`); },
  stubListAll: async () => { for (let i = 0; i < N; i += 1) await oursAll(stub); },
  stubFloor: async () => { for (let i = 0; i < N; i += 1) await stubFloor(); },
  list: async () => { for (let i = 0; i < N * 40; i += 1) await stub.list({ limit: 500 }); },
  empty: async () => { for (let i = 0; i < N * 400; i += 1) await empty.list(); },
  emptyFloor: async () => { for (let i = 0; i < N * 400; i += 1) await floorPage(`${origin}/d/empty`); },
}[mode];
if (!work) throw new Error(`profile: unknown mode ${mode}`);
await work(); // warm-up
const session = new inspector.Session();
session.connect();
await session.post("Profiler.enable");
await session.post("Profiler.setSamplingInterval", { interval: 100 });
await session.post("Profiler.start");
const t0 = performance.now();
await work();
const ms = performance.now() - t0;
const { profile } = await session.post("Profiler.stop");
fs.writeFileSync(outFile, JSON.stringify(profile));
process.stdout.write(`${JSON.stringify({ ms })}\n`);
process.exit(0);
