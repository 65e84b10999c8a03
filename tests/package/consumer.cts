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
