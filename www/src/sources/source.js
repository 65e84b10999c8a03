// The dashboard's data layer: a *source* lists and edits engagements in Truto's unified
// `Engagement` shape, whatever API is behind it. The UI only talks to a Source; adding a
// provider means writing one file like ./truto.js or ./devrev.js and registering it in
// ./index.js.

/**
 * @typedef {import("crm-engagements").Engagement} Engagement
 * @typedef {import("crm-engagements").EngagementInput} EngagementInput
 *
 * What the filter bar holds (form values; empty string = no filter).
 * @typedef {object} Filters
 * @property {string} type      engagement type
 * @property {string} from      first day, `YYYY-MM-DD` (local)
 * @property {string} to        last day, inclusive, `YYYY-MM-DD` (local)
 * @property {string} account   account id
 * @property {string} owner     owner id
 * @property {string} contact   contact id
 * @property {string} sort      a value of `capabilities.sorts`
 * @property {number} limit     page size
 *
 * @typedef {object} Page
 * @property {Engagement[]} items
 * @property {boolean} hasMore
 * @property {string | null} nextCursor
 *
 * Live progress of a `listAll`, counted from the requests the client makes.
 * @typedef {object} ListAllProgress
 * @property {number} pages          pages received
 * @property {boolean} started       at least one page requested
 * @property {string | null} resumeCursor the cursor of the last page requested (null: the first page)
 *
 * @typedef {object} Capabilities
 * @property {{ type: boolean, dateRange: boolean, account: boolean, owner: boolean, contact: boolean }} filters
 * @property {string[]} types              filterable types
 * @property {{ value: string, label: string }[]} sorts
 * @property {string[]} createTypes        types the editor offers
 * @property {string[]} editorFields       form fields the source can write on create
 * @property {string[]} updateFields       form fields it can change on update
 * @property {boolean} write
 *
 * @typedef {{ signal?: AbortSignal }} CallOptions
 *
 * @typedef {object} Source
 * @property {"truto" | "devrev"} id
 * @property {string} label
 * @property {string} description          one line for the header ("Truto · account demo-account")
 * @property {Capabilities} capabilities
 * @property {(filters: Filters, cursor: string | null, options?: CallOptions) => Promise<Page>} listPage
 * @property {(filters: Filters, cursor: string | null, options: CallOptions & { onPage?: (progress: ListAllProgress) => void }) => { items: AsyncIterable<Engagement>, progress: ListAllProgress }} listAll
 * @property {(input: EngagementInput, options?: CallOptions) => Promise<Engagement>} create
 * @property {(id: string, patch: EngagementInput, original: Engagement, options?: CallOptions) => Promise<Engagement>} update
 * @property {(id: string, options?: CallOptions) => Promise<void>} remove
 * @property {(errorField: string) => string | null} formFieldOf  a validation error's `field` -> the editor's field name
 */

/**
 * Wraps a `listAll` iterable so its pages are counted and the cursor it stopped at is
 * known (the package exposes neither). `cursorOf(event)` returns the cursor a list
 * request carries (`null` for the first page), or `undefined` for any other request.
 * @param {ReturnType<typeof import("../net.js").createNetworkObserver>} observer
 * @param {(event: import("../net.js").NetEvent) => string | null | undefined} cursorOf
 * @param {AsyncIterable<Engagement>} iterable
 * @param {(progress: ListAllProgress) => void} [onPage]
 * @returns {{ items: AsyncIterable<Engagement>, progress: ListAllProgress }}
 */
export function trackListAll(observer, cursorOf, iterable, onPage) {
  /** @type {ListAllProgress} */
  const progress = { pages: 0, started: false, resumeCursor: null };
  let active = true;
  const unsubscribe = observer.subscribe((event) => {
    if (!active) return;
    const cursor = cursorOf(event);
    if (cursor === undefined) return;
    if (event.type === "request") {
      progress.started = true;
      progress.resumeCursor = cursor;
    } else if (event.type === "response" && event.status >= 200 && event.status < 300) {
      progress.pages += 1;
      onPage?.(progress);
    }
  });
  async function* items() {
    try {
      yield* iterable;
    } finally {
      active = false;
      unsubscribe();
    }
  }
  return { items: items(), progress };
}

/** The first path segment of a validation field: `body.owner.id` -> `owner`. */
export function bodyField(/** @type {string} */ errorField) {
  const match = /^body\.([A-Za-z_]+)/.exec(errorField);
  return match ? match[1] : null;
}

/** Local midnight of a `YYYY-MM-DD` day, as RFC 3339 (UTC). */
export function startOfDay(/** @type {string} */ day) {
  return new Date(`${day}T00:00:00`).toISOString();
}

/** Local midnight of the day after `day`, as RFC 3339: an exclusive end for an inclusive "to". */
export function startOfNextDay(/** @type {string} */ day) {
  const date = new Date(`${day}T00:00:00`);
  date.setDate(date.getDate() + 1);
  return date.toISOString();
}
