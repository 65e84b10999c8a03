// Small statistics and scheduling helpers shared by the bench scripts.
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Median, min, max, and the samples in the order they were taken (round r of
 *  `interleave` is index r of every task, so tasks can be paired per round). */
export function summary(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return { median: median(s), min: s[0], max: s[s.length - 1], runs: s.length, samples: xs.map((x) => +x.toFixed(4)) };
}

/** Median over rounds of a.samples[r] / b.samples[r]: drift in machine load between
 *  rounds cancels, as each round's two measurements were taken back to back. */
export function pairedRatio(a, b) {
  return median(a.samples.map((x, r) => x / b.samples[r]));
}

/**
 * Runs each named async task `warmup` times, then `runs` times, interleaved
 * (A B C, A B C, ...), so drift and noise hit every task alike. Each task
 * returns its own measurement (ms). `before` runs ahead of every measurement.
 */
export async function interleave(tasks, { warmup, runs, before }) {
  const names = Object.keys(tasks);
  for (let w = 0; w < warmup; w += 1) {
    for (const n of names) {
      if (before) await before();
      await tasks[n]();
    }
  }
  const out = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < runs; r += 1) {
    // Rotate the order each round, so no task always runs first.
    for (let k = 0; k < names.length; k += 1) {
      const n = names[(k + r) % names.length];
      if (before) await before();
      out[n].push(await tasks[n]());
    }
  }
  return Object.fromEntries(names.map((n) => [n, summary(out[n])]));
}

/** Times one async call in ms. */
export async function time(fn) {
  const t = performance.now();
  const v = await fn();
  return [performance.now() - t, v];
}
