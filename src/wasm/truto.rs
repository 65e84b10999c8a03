//! `TrutoClient` for JavaScript: a thin class over the core's `TrutoClient`.

use super::call::send;
use super::error::to_js;
use super::iter::{EngagementIterator, Source};
use super::options::{self, ListAllOptions, OptionObject, RequestOptions, TrutoClientOptions};
use crate::call::RetryHook;
use crate::error::Error;
use crate::fetch::FetchTransport;
use crate::truto::model::{DeleteQuery, EngagementInput, ListQuery, RecordQuery};
use crate::truto::TrutoClient as Core;
use js_sys::Promise;
use std::rc::Rc;
use tsify::Ts;
use wasm_bindgen::prelude::*;

/// The core client over the real `fetch` transport.
pub type TrutoCore = Core<FetchTransport>;

/// A client of Truto's Unified CRM engagements API.
///
/// ```ts
/// const truto = new TrutoClient({ token, integratedAccountId });
/// for await (const e of truto.listAll({ engagement_type: "call" })) console.log(e.subject);
/// ```
#[wasm_bindgen(js_name = TrutoClient)]
#[derive(Debug)]
pub struct JsTrutoClient {
    core: Rc<TrutoCore>,
    /// The client's `onRetry`, used by calls that give none.
    on_retry: Option<RetryHook>,
}

#[wasm_bindgen(js_class = TrutoClient)]
impl JsTrutoClient {
    /// Creates a client. Throws an `EngagementsError` of kind `config` for bad options.
    #[wasm_bindgen(constructor)]
    pub fn new(options: Option<Ts<TrutoClientOptions>>) -> Result<JsTrutoClient, JsValue> {
        let build = || -> Result<JsTrutoClient, Error> {
            let value = options.map(|o| o.js_value().clone());
            let setup = options::client_setup(value, &TrutoClientOptions::KIND)?;
            let transport = FetchTransport::new(setup.fetch);
            let core = Core::new(transport, setup.options, setup.account)?;
            Ok(JsTrutoClient {
                core: Rc::new(core),
                on_retry: setup.on_retry,
            })
        };
        build().map_err(|e| to_js(&e))
    }

    /// One page of engagements: `GET /unified/crm/engagements`.
    /// Resolves to Truto's envelope `{ result, next_cursor, result_count? }`.
    #[wasm_bindgen(unchecked_return_type = "Promise<ListResponse>")]
    pub fn list(
        &self,
        query: Option<Ts<ListQuery>>,
        options: Option<Ts<RequestOptions>>,
    ) -> Promise {
        send(self.core.conn(), &self.on_retry, options, &|| {
            self.core
                .list_call_json(&options::wire(query.as_ref(), "query")?)
        })
    }

    /// The list response body as a byte stream (`truto_response_format=stream`).
    #[wasm_bindgen(js_name = listStream, unchecked_return_type = "Promise<ReadableStream<Uint8Array>>")]
    pub fn list_stream(
        &self,
        query: Option<Ts<ListQuery>>,
        options: Option<Ts<RequestOptions>>,
    ) -> Promise {
        send(self.core.conn(), &self.on_retry, options, &|| {
            self.core
                .list_stream_call_json(&options::wire(query.as_ref(), "query")?)
        })
    }

    /// Every engagement, page after page, following `next_cursor`.
    /// Breaking out of `for await` stops fetching; `signal` cancels it.
    #[wasm_bindgen(js_name = listAll, unchecked_return_type = "AsyncIterableIterator<Engagement>")]
    pub fn list_all(
        &self,
        query: Option<Ts<ListQuery>>,
        options: Option<Ts<ListAllOptions>>,
    ) -> JsValue {
        let start = || -> Result<Source, Error> {
            let query = options::wire(query.as_ref(), "query")?;
            let (options, max_items) =
                options::list_all(options::input(options, "options")?, &self.on_retry)?;
            let state = self.core.list_all_json(&query, max_items)?;
            Ok(Source::Truto {
                core: self.core.clone(),
                state,
                options,
            })
        };
        EngagementIterator::new_js(start())
    }

    /// One engagement: `GET /unified/crm/engagements/{id}`.
    #[wasm_bindgen(unchecked_return_type = "Promise<Engagement>")]
    pub fn get(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        query: Option<Ts<RecordQuery>>,
        options: Option<Ts<RequestOptions>>,
    ) -> Promise {
        send(self.core.conn(), &self.on_retry, options, &|| {
            self.core
                .get_call_json(&options::id(&id)?, &options::wire(query.as_ref(), "query")?)
        })
    }

    /// Creates an engagement: `POST /unified/crm/engagements`.
    /// Retries are safe: every attempt carries the same `Idempotency-Key`.
    #[wasm_bindgen(unchecked_return_type = "Promise<Engagement>")]
    pub fn create(
        &self,
        body: Ts<EngagementInput>,
        query: Option<Ts<RecordQuery>>,
        options: Option<Ts<RequestOptions>>,
    ) -> Promise {
        send(self.core.conn(), &self.on_retry, options, &|| {
            let body = &options::wire(Some(&body), "body")?;
            self.core
                .create_call_json(body, &options::wire(query.as_ref(), "query")?)
        })
    }

    /// Updates an engagement with the fields given: `PATCH /unified/crm/engagements/{id}`.
    #[wasm_bindgen(unchecked_return_type = "Promise<Engagement>")]
    pub fn update(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        body: Ts<EngagementInput>,
        query: Option<Ts<RecordQuery>>,
        options: Option<Ts<RequestOptions>>,
    ) -> Promise {
        send(self.core.conn(), &self.on_retry, options, &|| {
            let id = options::id(&id)?;
            let body = &options::wire(Some(&body), "body")?;
            self.core
                .update_call_json(&id, body, &options::wire(query.as_ref(), "query")?)
        })
    }

    /// Deletes an engagement: `DELETE /unified/crm/engagements/{id}`.
    /// Resolves to the response body (Truto answers `{ id }`).
    #[wasm_bindgen(unchecked_return_type = "Promise<DeleteResponse>")]
    pub fn delete(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        query: Option<Ts<DeleteQuery>>,
        options: Option<Ts<RequestOptions>>,
    ) -> Promise {
        send(self.core.conn(), &self.on_retry, options, &|| {
            self.core
                .delete_call_json(&options::id(&id)?, &options::wire(query.as_ref(), "query")?)
        })
    }
}
