// The Chromium side of the listAll bench: the package as published, loaded with
// no bundler (its browser entry, pkg/index.js today, fetches the .wasm next to it), and the floor loop,
// both against the same-origin bench server. bench/run.mjs drives it.
import { TrutoClient } from "/bench/entry.mjs";
import { ACCOUNT, TOKEN, floorAll, floorGenAll, floorTextAll, oursAll, wiredAll, UNPACED } from "/bench/floor.mjs";

const base = `${location.origin}/d/p20k`;
const truto = new TrutoClient({ token: TOKEN, integratedAccountId: ACCOUNT, rateLimit: UNPACED, baseUrl: base });

async function timed(fn) {
  const t = performance.now();
  const [n, sum] = await fn();
  return { ms: performance.now() - t, n, sum };
}

window.bench = {
  floor: () => timed(() => floorAll(base)),
  floorAsyncGen: () => timed(() => floorGenAll(base)),
  floorText: () => timed(() => floorTextAll(base)),
  wired: () => timed(() => wiredAll(base)),
  ours: () => timed(() => oursAll(truto)),
};
window.benchReady = true;
