// CommonJS consumer: type-checked (never run) by tests/package/run.mjs under
// `--module nodenext`, which resolves "crm-engagements" through the `require`
// condition to crm_engagements.d.cts.
import engagements = require("crm-engagements");

const client = new engagements.TrutoClient({ token: "test-token", integratedAccountId: "acct-tsc-cjs" });

export async function firstSubject(): Promise<string | null | undefined> {
  const page: engagements.ListResponse = await client.list({ limit: 1, engagement_type: "email" });
  const items: engagements.Engagement[] = Array.isArray(page.result) ? page.result : Object.values(page.result);
  for await (const e of client.listAll({ limit: 2 }, { maxItems: 2 })) {
    const id: string = e.id;
    void id;
  }
  const stream: ReadableStream<Uint8Array> = await client.listStream();
  void stream;
  try {
    await client.get("missing");
  } catch (err: unknown) {
    if (engagements.isEngagementsError(err)) {
      const kind: engagements.EngagementsErrorKind = err.kind;
      const status: number | undefined = err.status;
      void [kind, status];
    }
  }
  return items[0]?.subject;
}

// @ts-expect-error direction is an enum
void client.list({ direction: "sideways" });
// @ts-expect-error an id is a string
void client.get(42);
// @ts-expect-error unknown option (it is baseUrl)
void new engagements.TrutoClient({ baseURL: "https://api.truto.one" });

// DevRev through require.
const devrev = new engagements.DevRevClient({ token: "test-token" });

export async function devRevTitles(): Promise<(string | null | undefined)[]> {
  const page: engagements.DevRevListResponse = await devrev.list({ limit: 2, type: ["meeting"], mode: "after" });
  const created: engagements.DevRevEngagement = await devrev.create({ title: "t", scheduled_date: "2024-05-01T10:30:00Z", members: ["DEVU-1"], engagement_type: "call" });
  const updated: engagements.DevRevEngagement = await devrev.update({ id: created.id, members: { set: ["DEVU-2"] }, tags: { set: [{ id: "TAG-1" }] } });
  const count: number = await devrev.count({ external_ref: ["x"] });
  const nothing: void = await devrev.delete(updated.id);
  void [count, nothing];
  const titles: (string | null | undefined)[] = [];
  for await (const e of devrev.listAll({ mode: "before" }, { maxItems: 3 })) {
    const unified: engagements.Engagement = engagements.devRevToEngagement(e);
    titles.push(unified.subject);
  }
  return [...titles, ...page.engagements.map((e) => e.title)];
}

// @ts-expect-error create requires members
void devrev.create({ title: "x", scheduled_date: "2024-05-01T10:30:00Z" });
// @ts-expect-error "meeting" is outside the create enum
void devrev.create({ title: "x", scheduled_date: "2024-05-01T10:30:00Z", members: ["DEVU-1"], engagement_type: "meeting" });
// @ts-expect-error mode is "after" | "before"
void devrev.list({ mode: "sideways" });
// @ts-expect-error count takes a filter object
void devrev.count("x");
// @ts-expect-error update's body carries the id
void devrev.update({ title: "x" });
