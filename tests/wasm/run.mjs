// Runs the wasm-bindgen tests (tests/wasm_truto.rs, tests/wasm_devrev.rs) twice — in Node and in
// headless Chromium — against a mock Truto API started here and awaited.
// Fails unless both runs pass the same, non-zero number of tests: without
// WASM_BINDGEN_USE_BROWSER the browser run would silently run zero.
import { spawn } from "node:child_process";
import { startMockServer } from "../mock/server.mjs";

const root = new URL("../..", import.meta.url).pathname;

function cargoTest(env, label) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      "cargo",
      ["test", "--target", "wasm32-unknown-unknown", "--test", "wasm_truto", "--test", "wasm_devrev"],
      { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("error", reject);
    child.on("close", (code) => {
      // One "test result" line per test binary (Truto, DevRev): all must run.
      const results = [...out.matchAll(/test result: (\w+)\. (\d+) passed; (\d+) failed/g)];
      const passed = results.reduce((n, m) => n + Number(m[2]), 0);
      const failed = results.reduce((n, m) => n + Number(m[3]), 0);
      const m = results.length === 2 && results.every((r) => Number(r[2]) > 0);
      if (code !== 0 || !m || passed === 0) {
        console.error(out.split("\n").slice(-60).join("\n"));
        reject(new Error(`${label}: cargo test exited ${code}, ${passed} passed, ${failed} failed`));
        return;
      }
      console.log(`${label}: ${passed} passed, ${failed} failed`);
      resolve(passed);
    });
  });
}

const server = await startMockServer();
try {
  const env = { MOCK_URL: server.url };
  const node = await cargoTest(env, "wasm in Node");
  server.mock.reset(); // the browser run starts from the same state as the Node run
  const browser = await cargoTest(
    {
      ...env,
      WASM_BINDGEN_USE_BROWSER: "1",
      CHROMEDRIVER: process.env.CHROMEDRIVER || "/usr/bin/chromedriver",
    },
    "wasm in Chromium",
  );
  if (node !== browser) throw new Error(`Node ran ${node} tests but Chromium ran ${browser}`);
} finally {
  await server.close();
}
