#!/usr/bin/env node
// `make demo`: the engagements dashboard on a built-in mock Truto API.
//
//   node www/demo.mjs            the page talks to the mock directly (token in page memory)
//   node www/demo.mjs --worker   the page talks to the Cloudflare Worker (wrangler dev),
//                                which holds the token as a secret: the production pattern
//   options: --port N (default 5180, or a free one), --count N (engagements, default 500),
//            --check (start everything, load the page in headless Chromium, exit)
//
// Installs the dashboard's dependencies when missing, rebuilds it when its sources or the
// package changed, starts everything on 127.0.0.1, prints the URL, and stops everything
// on Ctrl-C. Assumes `make pkg` ran (the Makefile's demo target does it).
import path from "node:path";
import { pathToFileURL } from "node:url";
import {
  DEMO_ACCOUNT, DEMO_COUNT, DEMO_DEVREV_COUNT, MOCK_TOKEN, ROOT, buildDashboard, directConfig, ensureInstalled, freePort,
  launchChromium, startMock, startStatic, startWorker,
} from "./tools/stack.mjs";

function parseArgs(argv) {
  const options = { worker: false, check: false, port: 5180, count: DEMO_COUNT };
  for (let i = 0; i < argv.length; i += 1) {
    const [flag, inline] = argv[i].split(/=(.*)/s);
    const value = () => inline ?? argv[++i];
    if (flag === "--worker") options.worker = true;
    else if (flag === "--check") options.check = true;
    else if (flag === "--port") options.port = Number(value());
    else if (flag === "--count") options.count = Number(value());
    else if (flag === "--help" || flag === "-h") {
      console.log("usage: node www/demo.mjs [--worker] [--check] [--port N] [--count N]");
      process.exit(0);
    } else throw new Error(`unknown argument ${argv[i]} (try --help)`);
  }
  if (!Number.isInteger(options.port) || options.port < 0) throw new Error("--port must be a port number");
  if (!Number.isInteger(options.count) || options.count < 0) throw new Error("--count must be a whole number");
  return options;
}

const log = (line) => console.log(line);

/** Whether the built package exports DevRevClient (the dashboard then offers DevRev). */
async function hasDevRev() {
  const pkg = await import(pathToFileURL(path.join(ROOT, "pkg", "node.mjs")).href);
  return typeof pkg.DevRevClient === "function";
}
const stops = [];
let stopping = null;
function stopAll() {
  stopping ??= (async () => {
    while (stops.length) await stops.pop()().catch(() => {});
  })();
  return stopping;
}

/** Loads the page in headless Chromium and waits for the first rows (or a designed error). */
async function check(url) {
  const browser = await launchChromium();
  stops.push(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems = [];
  page.on("pageerror", (err) => problems.push(err.message));
  page.on("console", (msg) => msg.type() === "error" && problems.push(msg.text()));
  await page.goto(url, { waitUntil: "load", timeout: 60_000 });
  await page.waitForSelector("#rows tr[data-id], #state:not([hidden])", { timeout: 30_000 });
  const rows = await page.locator("#rows tr[data-id]").count();
  const summary = await page.textContent("#connection-summary");
  if (problems.length || rows === 0) {
    const state = await page.locator("#state").textContent().catch(() => "");
    throw new Error(`the page did not load its engagements (${rows} rows): ${[...problems, state].join(" | ")}`);
  }
  log(`check: ${url} shows ${rows} engagements from ${summary.trim()}`);
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  await ensureInstalled(log);
  await buildDashboard({ log });

  const mock = await startMock({ count: options.count });
  stops.push(mock.close);

  let url;
  if (options.worker) {
    log("starting the Cloudflare Worker (wrangler dev)…");
    const worker = await startWorker({ truto: mock.url, token: MOCK_TOKEN, accountId: DEMO_ACCOUNT, port: options.port });
    stops.push(worker.close);
    url = worker.url;
  } else {
    const site = await startStatic({ port: await freePort(options.port), config: () => directConfig(mock.url) });
    stops.push(site.close);
    url = site.url;
  }

  log("");
  log(`  Engagements dashboard   ${url}`);
  log(`  mock Truto API          ${mock.url}  (${options.count} engagements in integrated account "${DEMO_ACCOUNT}")`);
  if (!options.worker && mock.mock.devrev && (await hasDevRev())) {
    log(`  mock DevRev API         ${mock.url}/engagements.*  (${DEMO_DEVREV_COUNT} engagements; pick DevRev under the connection button)`);
  }
  log(
    options.worker
      ? "  mode                    through the Worker proxy: the token stays in the Worker, the page sends none"
      : "  mode                    direct: the page holds the mock's test token in memory (try --worker for the production pattern)",
  );
  log("");

  if (options.check) {
    await check(url);
    await stopAll();
    return;
  }
  log("Press Ctrl-C to stop.");
  await new Promise(() => {}); // until a signal
}

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, async () => {
    log("\nstopping…");
    await stopAll();
    process.exit(0);
  });
}

main().then(
  () => process.exit(0),
  async (err) => {
    console.error(`demo: ${err.message}`);
    await stopAll();
    process.exit(1);
  },
);
