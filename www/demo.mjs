// `make demo` (until the dashboard lands): start the built-in mock Truto API,
// then use the npm package from pkg/ the way a Node service would: list
// engagements page by page and print them as a table.
import { startMockServer } from "../tests/mock/server.mjs";
import { TrutoClient, isEngagementsError } from "../pkg/node.mjs";

const ACCOUNT = "demo-account";
const server = await startMockServer({ seed: 60 });
console.log(`mock Truto API on ${server.url}\n`);

const truto = new TrutoClient({
  token: "test-token",
  integratedAccountId: ACCOUNT,
  baseUrl: server.url,
});

const cell = (v, width) => String(v ?? "").slice(0, width).padEnd(width);
const columns = [
  ["type", 8, (e) => e.engagement_type],
  ["subject", 34, (e) => e.subject],
  ["owner", 10, (e) => e.owner?.id],
  ["account", 10, (e) => e.account?.id],
  ["contacts", 9, (e) => e.contact?.length ?? 0],
  ["start", 17, (e) => e.start_time?.replace("T", " ").slice(0, 16)],
  ["direction", 9, (e) => e.direction],
  ["status", 9, (e) => e.status],
];
const line = (values) => values.map((v, i) => cell(v, columns[i][1])).join("  ");

try {
  console.log(line(columns.map(([name]) => name)));
  console.log(line(columns.map(([, w]) => "-".repeat(w))));
  let count = 0;
  for await (const e of truto.listAll({ limit: 20 }, { maxItems: 40 })) {
    console.log(line(columns.map(([, , get]) => get(e))));
    count++;
  }
  const pages = server.mock.requests.filter((r) => r.method === "GET").length;
  console.log(`\n${count} engagements in ${pages} pages (listAll, limit 20, maxItems 40)`);

  const calls = await truto.list({ engagement_type: "call", limit: 5 });
  console.log(`first page of calls: ${calls.result.length}, next_cursor ${calls.next_cursor ? "set" : "null"}`);

  await truto.list({ start_time: "2024-01-01T00:00:00Z", end_time: "2026-01-01T00:00:00Z" });
} catch (err) {
  if (!isEngagementsError(err)) throw err;
  console.log(`\nthe client refused a two-year range before sending anything:`);
  console.log(`  ${err.kind} / ${err.code} on ${err.field}: ${err.message}`);
} finally {
  await server.close();
}
