// Consumer app for the bundle-size comparison: list every engagement into the page.
import { TrutoClient } from "crm-engagements";

const out = document.querySelector("#out");
const truto = new TrutoClient({ baseUrl: `${location.origin}/api/truto`, integratedAccountId: "acct" });
for await (const e of truto.listAll({ limit: 500 })) {
  out.append(`${e.subject}\n`);
}
