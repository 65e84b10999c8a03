// The same consumer with DevRev's official SDK (@devrev/typescript-sdk).
import { client } from "@devrev/typescript-sdk";

const out = document.querySelector("#out");
const devrev = client.setupBeta({ endpoint: `${location.origin}/api/devrev`, token: "token" });
let cursor;
do {
  const res = await devrev.engagementsList({ cursor, limit: 100 });
  for (const e of res.data.engagements) out.append(`${e.title}\n`);
  cursor = res.data.next_cursor;
} while (cursor);
