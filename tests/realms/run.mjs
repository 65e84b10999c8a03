#!/usr/bin/env node
// Plain data from another realm: object literals made in a fresh `vm` context
// (what jsdom, an iframe or a worker hands the package: another
// Object.prototype, another Array) are plain data; class instances, functions
// and symbols from that realm are refused. Against the mock API, through the
// built package's Node entry. Prints one line per check, then "N passed, M failed".
//
//   node tests/realms/run.mjs
import vm from "node:vm";
import { startMockServer } from "../mock/server.mjs";
import { TrutoClient, DevRevClient, isEngagementsError } from "../../pkg/node.mjs";

const TOKEN = "realms-token-4b1e";
// As under Jest's jsdom environment, which has no structuredClone: the package
// must not need it (it needs fetch, Headers, Response, AbortController, setTimeout).
delete globalThis.structuredClone;
const mock = await startMockServer({ port: 0, token: TOKEN });
const other = vm.createContext({});
const there = (code) => vm.runInContext(`(${code})`, other);
if (there("Object.prototype") === Object.prototype) throw new Error("the vm context shares this realm's Object.prototype: the test would prove nothing");

const truto = new TrutoClient({ baseUrl: mock.url, token: TOKEN, integratedAccountId: "acct-realms", maxRetries: 0 });
const devrev = new DevRevClient({ baseUrl: mock.url, token: TOKEN, maxRetries: 0 });

const rows = [];
async function check(name, fn) {
  try {
    const detail = await fn();
    rows.push(true);
    console.log(`ok    ${name}${detail ? ` (${detail})` : ""}`);
  } catch (err) {
    rows.push(false);
    console.log(`FAIL  ${name}\n      ${err?.stack ?? err}`);
  }
}
const assert = (cond, message) => {
  if (!cond) throw new Error(message);
};
async function refused(call, hint) {
  try {
    await call();
  } catch (err) {
    assert(isEngagementsError(err), `not an EngagementsError: ${err}`);
    assert(err.kind === "validation" || err.kind === "config", `kind ${err.kind}: ${err.message}`);
    assert(String(err.message).includes(hint), `message ${JSON.stringify(err.message)} lacks ${JSON.stringify(hint)}`);
    return err.message;
  }
  throw new Error("accepted");
}

await check("a query object literal from another realm is plain data (nested object and array too)", async () => {
  const query = there(`{ limit: 3, engagement_type: "call", account: { id: "A1" }, truto_exclude_fields: ["content"] }`);
  const page = await truto.list(query);
  assert(Array.isArray(page.result), "no page");
  const [req] = mock.mock.requests.slice(-1);
  assert(req.query.includes("account[id]=A1") || req.query.includes("account%5Bid%5D=A1"), `query sent: ${req.query}`);
  return req.query;
});

await check("client options and call options from another realm are plain data", async () => {
  const client = new TrutoClient(there(`{ baseUrl: ${JSON.stringify(mock.url)}, token: ${JSON.stringify(TOKEN)}, integratedAccountId: "acct-realms", maxRetries: 0 }`));
  const page = await client.list(there(`{ limit: 1 }`), there(`{ timeoutMs: 5000, headers: { "x-realm": "vm" } }`));
  client.free();
  assert(page.result.length === 1, "no page");
  const [req] = mock.mock.requests.slice(-1);
  assert(req.headers["x-realm"] === "vm", "the other realm's headers were not sent");
});

await check("a body and a DevRev request from another realm are plain data", async () => {
  const created = await truto.create(there(`{ subject: "From a vm", contact: [{ id: "c1" }], start_time: "2026-01-01T10:00:00Z" }`));
  assert(created.subject === "From a vm", "not created");
  const page = await devrev.list(there(`{ limit: 2, type: ["call", "email"] }`));
  assert(Array.isArray(page.engagements), "no DevRev page");
});

await check("an object with a null prototype, from either realm, is plain data", async () => {
  const local = Object.assign(Object.create(null), { limit: 1 });
  const remote = there(`Object.assign(Object.create(null), { limit: 1 })`);
  for (const q of [local, remote]) assert((await truto.list(q)).result.length === 1, "refused");
});

await check("a class instance from another realm is refused, naming plain data", async () =>
  refused(() => truto.list(there(`new (class Query { constructor() { this.limit = 1; } })()`)), "not plain data"));

await check("a nested class instance (a Date, a Map) from another realm is refused", async () => {
  await refused(() => truto.create(there(`{ subject: "x", custom_fields: { when: new Date(0) } }`)), "not plain data");
  return refused(() => truto.list(there(`{ remote_query: { m: new Map() } }`)), "not plain data");
});

await check("a function or a symbol nested in another realm's object is refused", async () => {
  await refused(() => truto.create(there(`{ subject: "x", custom_fields: { f() {} } }`)), "not plain data");
  return refused(() => truto.create(there(`{ subject: "x", custom_fields: { s: Symbol("s") } }`)), "not plain data");
});

await check("a getter that throws, from another realm, is an error, not a trap", async () => {
  const msg = await refused(() => truto.list(there(`{ get limit() { throw new Error("boom"); } }`)), "cannot be read");
  assert((await truto.list({ limit: 1 })).result.length === 1, "the instance did not survive");
  return msg;
});

await check("without TextDecoder (as under Jest's jsdom), importing the package says which global it needs", async () => {
  const { spawnSync } = await import("node:child_process");
  const entry = new URL("../../pkg/node.mjs", import.meta.url).href;
  const code = `delete globalThis.TextDecoder; import(${JSON.stringify(entry)}).then(() => console.log("imported"), (e) => console.log("refused: " + e.message));`;
  // The import is refused with the message. Node 20 then also reports the same
  // error as uncaught (it does so for any CommonJS module that throws while an
  // ES module imports it), so the exit status is not what is checked.
  const run = spawnSync(process.execPath, ["--input-type=module", "-e", code], { encoding: "utf8" });
  const out = run.stdout.trim();
  assert(out.startsWith("refused: crm-engagements needs the TextDecoder global"), `${out}\n${run.stderr}`);
  const required = spawnSync(process.execPath, ["-e", `delete globalThis.TextDecoder; try { require(${JSON.stringify(new URL("../../pkg/index.cjs", import.meta.url).pathname)}); console.log("required") } catch (e) { console.log("refused: " + e.message) }`], { encoding: "utf8" });
  assert(required.stdout.trim().startsWith("refused: crm-engagements needs the TextDecoder global"), required.stdout + required.stderr);
  return out.slice(0, 90);
});

truto.free();
devrev.free();
await mock.close();
const failed = rows.filter((ok) => !ok).length;
console.log(`${rows.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
