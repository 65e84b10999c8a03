// The same consumer with the hand-written floor loop (no SDK).
const out = document.querySelector("#out");
let url = `${location.origin}/api/truto/unified/crm/engagements?integrated_account_id=acct&limit=500`;
for (;;) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const body = await res.json();
  for (const e of body.result) out.append(`${e.subject}\n`);
  if (!body.next_cursor) break;
  url = `${location.origin}/api/truto/unified/crm/engagements?integrated_account_id=acct&limit=500&next_cursor=${encodeURIComponent(body.next_cursor)}`;
}
