//! `DevRevClient` for JavaScript, and the mapping to the unified shape.

use super::call::send;
use super::error::to_js;
use super::iter::{EngagementIterator, Source};
use super::options::{self, DevRevClientOptions, ListAllOptions, RequestOptions};
use crate::call::RetryHook;
use crate::devrev::model::{DevRevCountRequest, DevRevCreate, DevRevListRequest, DevRevUpdate};
use crate::devrev::DevRevClient as Core;
use crate::error::Error;
use crate::fetch::FetchTransport;
use crate::json::Json;
use js_sys::Promise;
use std::rc::Rc;
use tsify::Ts;
use wasm_bindgen::prelude::*;

/// The core DevRev client over the real `fetch` transport.
pub type DevRevCore = Core<FetchTransport>;

/// A client of DevRev's engagements API.
///
/// ```ts
/// const devrev = new DevRevClient({ token: process.env.DEVREV_TOKEN });
/// for await (const e of devrev.listAll({ type: ["meeting"] })) console.log(e.title);
/// ```
#[wasm_bindgen(js_name = DevRevClient)]
#[derive(Debug)]
pub struct JsDevRevClient {
    core: Rc<DevRevCore>,
    /// The client's `onRetry`, used by calls that give none.
    on_retry: Option<RetryHook>,
}

#[wasm_bindgen(js_class = DevRevClient)]
impl JsDevRevClient {
    /// Creates a client. Throws an `EngagementsError` of kind `config` for bad options.
    #[wasm_bindgen(constructor)]
    pub fn new(options: Option<Ts<DevRevClientOptions>>) -> Result<JsDevRevClient, JsValue> {
        let build = || -> Result<JsDevRevClient, Error> {
            let value = options.map(|o| o.js_value().clone());
            let setup = options::client_setup(value, &options::DEVREV_CLIENT)?;
            let core = Core::new(FetchTransport::new(setup.fetch), setup.options)?;
            Ok(JsDevRevClient {
                core: Rc::new(core),
                on_retry: setup.on_retry,
            })
        };
        build().map_err(|e| to_js(&e))
    }

    /// One page: `POST /engagements.list`. Resolves to `{ engagements, next_cursor?, prev_cursor? }`.
    #[wasm_bindgen(unchecked_return_type = "Promise<DevRevListResponse>")]
    pub fn list(
        &self,
        request: Option<Ts<DevRevListRequest>>,
        options: Option<Ts<RequestOptions>>,
    ) -> Promise {
        send(self.core.conn(), &self.on_retry, options, &|| {
            self.core
                .list_call_json(&options::wire(request.as_ref(), "request")?)
        })
    }

    /// Every engagement, following `next_cursor` (or `prev_cursor` with `mode: "before"`).
    /// Breaking out of `for await` stops fetching; `signal` cancels it.
    #[wasm_bindgen(
        js_name = listAll,
        unchecked_return_type = "AsyncIterableIterator<DevRevEngagement>"
    )]
    pub fn list_all(
        &self,
        request: Option<Ts<DevRevListRequest>>,
        options: Option<Ts<ListAllOptions>>,
    ) -> JsValue {
        let start = || -> Result<Source, Error> {
            let request = options::wire(request.as_ref(), "request")?;
            let (options, max_items) =
                options::list_all(options::input(options, "options")?, &self.on_retry)?;
            let state = self.core.list_all_json(&request, max_items)?;
            Ok(Source::DevRev {
                core: self.core.clone(),
                state,
                options,
            })
        };
        EngagementIterator::new_js(start())
    }

    /// One engagement: `POST /engagements.get`.
    #[wasm_bindgen(unchecked_return_type = "Promise<DevRevEngagement>")]
    pub fn get(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        options: Option<Ts<RequestOptions>>,
    ) -> Promise {
        send(self.core.conn(), &self.on_retry, options, &|| {
            self.core.get_call(&options::id(&id)?)
        })
    }

    /// Creates an engagement: `POST /engagements.create`. Requires `title`,
    /// `scheduled_date` and 1–50 `members`.
    #[wasm_bindgen(unchecked_return_type = "Promise<DevRevEngagement>")]
    pub fn create(&self, body: Ts<DevRevCreate>, options: Option<Ts<RequestOptions>>) -> Promise {
        send(self.core.conn(), &self.on_retry, options, &|| {
            self.core
                .create_call_json(&options::wire(Some(&body), "body")?)
        })
    }

    /// Updates an engagement: `POST /engagements.update` (the body carries `id`).
    #[wasm_bindgen(unchecked_return_type = "Promise<DevRevEngagement>")]
    pub fn update(&self, body: Ts<DevRevUpdate>, options: Option<Ts<RequestOptions>>) -> Promise {
        send(self.core.conn(), &self.on_retry, options, &|| {
            self.core
                .update_call_json(&options::wire(Some(&body), "body")?)
        })
    }

    /// Deletes an engagement: `POST /engagements.delete`. Resolves to nothing.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn delete(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        options: Option<Ts<RequestOptions>>,
    ) -> Promise {
        send(self.core.conn(), &self.on_retry, options, &|| {
            self.core.delete_call(&options::id(&id)?)
        })
    }

    /// The number of engagements matching `filter`: `POST /engagements.count`.
    #[wasm_bindgen(unchecked_return_type = "Promise<number>")]
    pub fn count(
        &self,
        filter: Option<Ts<DevRevCountRequest>>,
        options: Option<Ts<RequestOptions>>,
    ) -> Promise {
        send(self.core.conn(), &self.on_retry, options, &|| {
            self.core
                .count_call_json(&options::wire(filter.as_ref(), "filter")?)
        })
    }
}

/// A DevRev engagement in the unified `Engagement` shape (title → subject,
/// description → content, scheduled_date → start_time, the first dev-user
/// member → owner, customer members → contact, parent account → account,
/// parent opportunities → opportunity), with the original in `remote_data`.
/// Use it to list DevRev and Truto engagements in one table.
///
/// Throws an `EngagementsError` of kind `decode` for a value that is not a
/// DevRev engagement.
#[wasm_bindgen(js_name = devRevToEngagement)]
pub fn dev_rev_to_engagement(
    #[wasm_bindgen(unchecked_param_type = "DevRevEngagement")] engagement: JsValue,
) -> Result<Ts<crate::truto::model::Engagement>, JsValue> {
    let copy = super::fields::plain(&engagement, &[]).map_err(|why| {
        to_js(&Error::decode(
            "invalid_engagement",
            crate::cat!("the engagement ", why),
        ))
    })?;
    crate::devrev::unify::to_engagement_keeping(&Json(copy), Json(engagement))
        .map(|j| Ts::new_unchecked(j.0))
        .map_err(|e| to_js(&e))
}
