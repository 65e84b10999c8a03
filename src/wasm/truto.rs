//! `TrutoClient` for JavaScript: a thin class over the core's `TrutoClient`.

use super::call::{methods, send, unknown_method};
use super::error::to_js;
use super::iter::{EngagementIterator, Source};
use super::options::{self, Hooks};
use crate::call::Call;
use crate::error::Error;
use crate::fetch::FetchTransport;
use crate::truto::model::{DeleteQuery, EngagementInput, ListQuery, RecordQuery};
use crate::truto::TrutoClient as Core;
use crate::wire::Wire;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// The core client over the real `fetch` transport.
pub type TrutoCore = Core<FetchTransport>;

#[wasm_bindgen(typescript_custom_section)]
const TS_TRUTO_CLIENT: &'static str = r#"
/**
 * A client of Truto's Unified CRM engagements API.
 *
 * ```ts
 * const truto = new TrutoClient({ token, integratedAccountId });
 * for await (const e of truto.listAll({ engagement_type: "call" })) console.log(e.subject);
 * ```
 */
export class TrutoClient {
    free(): void;
    [Symbol.dispose](): void;
    /**
     * Creates an engagement: `POST /unified/crm/engagements`.
     * Retries are safe: every attempt carries the same `Idempotency-Key`.
     */
    create(body: EngagementInput, query?: RecordQuery | null, options?: RequestOptions | null): Promise<Engagement>;
    /**
     * Deletes an engagement: `DELETE /unified/crm/engagements/{id}`.
     * Resolves to the response body (Truto answers `{ id }`).
     */
    delete(id: string, query?: DeleteQuery | null, options?: RequestOptions | null): Promise<DeleteResponse>;
    /**
     * One engagement: `GET /unified/crm/engagements/{id}`.
     */
    get(id: string, query?: RecordQuery | null, options?: RequestOptions | null): Promise<Engagement>;
    /**
     * Every engagement, page after page, following `next_cursor`.
     * Breaking out of `for await` stops fetching; `signal` cancels it.
     * With `truto_response_format: "raw"` it yields the remote API's own items.
     */
    listAll(query: ListQuery & { truto_response_format: "raw" }, options?: ListAllOptions | null): EngagementIterator<unknown>;
    /**
     * Every engagement, page after page, following `next_cursor`.
     * Breaking out of `for await` stops fetching; `signal` cancels it.
     */
    listAll(query?: ListQuery | null, options?: ListAllOptions | null): EngagementIterator<Engagement>;
    /**
     * The list response body as a byte stream (`truto_response_format=stream`).
     */
    listStream(query?: ListQuery | null, options?: RequestOptions | null): Promise<ReadableStream<Uint8Array>>;
    /**
     * One page of engagements: `GET /unified/crm/engagements`.
     * Resolves to Truto's envelope `{ result, next_cursor, result_count? }`:
     * `result` is the remote API's items keyed by `truto_key_by`.
     */
    list(query: ListQuery & { truto_response_format: "raw"; truto_key_by: string }, options?: RequestOptions | null): Promise<ListResponse<Record<string, unknown>>>;
    /**
     * One page of engagements: `GET /unified/crm/engagements`.
     * Resolves to Truto's envelope `{ result, next_cursor, result_count? }`:
     * `result` is the remote API's own items (`truto_response_format: "raw"`).
     */
    list(query: ListQuery & { truto_response_format: "raw" }, options?: RequestOptions | null): Promise<ListResponse<unknown[]>>;
    /**
     * One page of engagements: `GET /unified/crm/engagements`.
     * Resolves to Truto's envelope `{ result, next_cursor, result_count? }`:
     * `result` is an object of engagements keyed by `truto_key_by`.
     */
    list(query: ListQuery & { truto_key_by: string }, options?: RequestOptions | null): Promise<ListResponse<Record<string, Engagement>>>;
    /**
     * One page of engagements: `GET /unified/crm/engagements`.
     * Resolves to Truto's envelope `{ result, next_cursor, result_count? }`:
     * `result` is an array of engagements (no `truto_key_by`).
     */
    list(query?: (ListQuery & { truto_key_by?: undefined; truto_response_format?: Exclude<ResponseFormat, "raw"> }) | null, options?: RequestOptions | null): Promise<ListResponse<Engagement[]>>;
    /**
     * One page of engagements: `GET /unified/crm/engagements`.
     * Resolves to Truto's envelope `{ result, next_cursor, result_count? }`:
     * `result` is an array, or an object keyed by `truto_key_by` when the query (not known until run time) has one.
     */
    list(query?: ListQuery | null, options?: RequestOptions | null): Promise<ListResponse>;
    /**
     * Creates a client. Throws an `EngagementsError` of kind `config` for bad options.
     */
    constructor(options?: TrutoClientOptions | null);
    /**
     * Updates an engagement with the fields given: `PATCH /unified/crm/engagements/{id}`.
     */
    update(id: string, body: EngagementInput, query?: RecordQuery | null, options?: RequestOptions | null): Promise<Engagement>;
}
"#;

methods!(
    /// A method of `TrutoClient`, by its op number in `call`.
    TRUTO_METHODS,
    TrutoMethod {
        List = "list",
        ListStream = "listStream",
        ListAll = "listAll",
        Get = "get",
        Create = "create",
        Update = "update",
        Delete = "delete",
    }
);

/// A client of Truto's Unified CRM engagements API.
///
/// Its TypeScript declaration is written out above: the class users get is
/// `pkg/src/api.js`'s, whose methods all go through [`JsTrutoClient::call`].
/// One export for seven methods: each export costs the `.wasm` a shim (about
/// 240 bytes) and the glue a wrapper.
///
/// ```ts
/// const truto = new TrutoClient({ token, integratedAccountId });
/// for await (const e of truto.listAll({ engagement_type: "call" })) console.log(e.subject);
/// ```
#[wasm_bindgen(js_name = TrutoClient, skip_typescript)]
#[derive(Debug)]
pub struct JsTrutoClient {
    core: Rc<TrutoCore>,
    /// The client's `onRetry` and `onThrottle`, used by calls that give none.
    hooks: Hooks,
}

#[wasm_bindgen(js_class = TrutoClient)]
impl JsTrutoClient {
    /// Creates a client. Throws an `EngagementsError` of kind `config` for bad options.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<JsTrutoClient, JsValue> {
        let build = || -> Result<JsTrutoClient, Error> {
            let setup =
                options::client_setup(options, &<options::TrutoClientOptions as Wire>::KIND)?;
            let transport = FetchTransport::new(setup.fetch);
            let core = Core::new(transport, setup.options, setup.account)?;
            Ok(JsTrutoClient {
                core: Rc::new(core),
                hooks: setup.hooks,
            })
        };
        build().map_err(|e| to_js(&e))
    }

    /// Runs method `op` of the TypeScript class above with its arguments:
    /// what `pkg/src/api.js` calls. `op` is the method's [`TrutoMethod`]
    /// number (its index in [`TRUTO_METHODS`]); `listAll` answers an
    /// iterator, every other method a Promise. Never throws: bad input (an
    /// unknown `op` included) rejects the Promise (or fails the iterator's
    /// first page).
    #[wasm_bindgen(skip_typescript)]
    pub fn call(&self, op: u32, a: JsValue, b: JsValue, c: JsValue, d: JsValue) -> JsValue {
        let Some(method) = TrutoMethod::from_op(op) else {
            return unknown_method("TrutoClient", op);
        };
        let core = &self.core;
        // Each method's own part: its arguments read and checked into a `Call`.
        let query = |q: &JsValue, what| options::wire::<RecordQuery>(q.clone(), what);
        let (options, prepare): (JsValue, &dyn Fn() -> Result<Call, Error>) = match method {
            TrutoMethod::List => (b, &|| {
                core.list_call_json(&options::wire::<ListQuery>(a.clone(), "query")?)
            }),
            TrutoMethod::ListStream => (b, &|| {
                core.list_stream_call_json(&options::wire::<ListQuery>(a.clone(), "query")?)
            }),
            TrutoMethod::ListAll => {
                let start = || -> Result<Source, Error> {
                    let query = options::wire::<ListQuery>(a, "query")?;
                    let (options, listing) = options::per_call(
                        b,
                        &<options::ListAllOptions as Wire>::KIND,
                        &self.hooks,
                    )?;
                    let state = core.list_all_with(&query, &listing)?;
                    Ok(Source::Truto {
                        core: core.clone(),
                        state,
                        options,
                    })
                };
                return EngagementIterator::new_js(start());
            }
            TrutoMethod::Get => (c, &|| {
                core.get_call_json(&options::id(&a)?, &query(&b, "query")?)
            }),
            TrutoMethod::Create => (c, &|| {
                let body = options::wire::<EngagementInput>(a.clone(), "body")?;
                core.create_call_json(&body, &query(&b, "query")?)
            }),
            TrutoMethod::Update => (d, &|| {
                let id = options::id(&a)?;
                let body = options::wire::<EngagementInput>(b.clone(), "body")?;
                core.update_call_json(&id, &body, &query(&c, "query")?)
            }),
            TrutoMethod::Delete => (c, &|| {
                let query = options::wire::<DeleteQuery>(b.clone(), "query")?;
                core.delete_call_json(&options::id(&a)?, &query)
            }),
        };
        send(core.conn(), &self.hooks, options, prepare).into()
    }
}
