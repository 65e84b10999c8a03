//! `DevRevClient` for JavaScript, and the mapping to the unified shape.

use super::call::{methods, send, unknown_method};
use super::error::to_js;
use super::iter::{EngagementIterator, Source};
use super::options::{self, Hooks};
use crate::call::Call;
use crate::devrev::model::{DevRevCountRequest, DevRevCreate, DevRevListRequest, DevRevUpdate};
use crate::devrev::DevRevClient as Core;
use crate::error::Error;
use crate::fetch::FetchTransport;
use crate::json::Json;
use crate::wire::Wire;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// The core DevRev client over the real `fetch` transport.
pub type DevRevCore = Core<FetchTransport>;

#[wasm_bindgen(typescript_custom_section)]
const TS_DEVREV_CLIENT: &'static str = r#"
/**
 * A client of DevRev's engagements API.
 *
 * ```ts
 * const devrev = new DevRevClient({ token: process.env.DEVREV_TOKEN });
 * for await (const e of devrev.listAll({ type: ["meeting"] })) console.log(e.title);
 * ```
 */
export class DevRevClient {
    free(): void;
    [Symbol.dispose](): void;
    /**
     * The number of engagements matching `filter`: `POST /engagements.count`.
     */
    count(filter?: DevRevCountRequest | null, options?: RequestOptions | null): Promise<number>;
    /**
     * Creates an engagement: `POST /engagements.create`. Requires `title`,
     * `scheduled_date` and 1–50 `members`.
     */
    create(body: DevRevCreate, options?: RequestOptions | null): Promise<DevRevEngagement>;
    /**
     * Deletes an engagement: `POST /engagements.delete`. Resolves to nothing.
     */
    delete(id: string, options?: RequestOptions | null): Promise<void>;
    /**
     * One engagement: `POST /engagements.get`.
     */
    get(id: string, options?: RequestOptions | null): Promise<DevRevEngagement>;
    /**
     * Every engagement, following `next_cursor` (or `prev_cursor` with `mode: "before"`).
     * Breaking out of `for await` stops fetching; `signal` cancels it.
     */
    listAll(request?: DevRevListRequest | null, options?: ListAllOptions | null): EngagementIterator<DevRevEngagement>;
    /**
     * One page: `POST /engagements.list`. Resolves to `{ engagements, next_cursor?, prev_cursor? }`.
     */
    list(request?: DevRevListRequest | null, options?: RequestOptions | null): Promise<DevRevListResponse>;
    /**
     * Creates a client. Throws an `EngagementsError` of kind `config` for bad options.
     */
    constructor(options?: DevRevClientOptions | null);
    /**
     * Updates an engagement: `POST /engagements.update` (the body carries `id`).
     */
    update(body: DevRevUpdate, options?: RequestOptions | null): Promise<DevRevEngagement>;
}
"#;

methods!(
    /// A method of `DevRevClient`, by its op number in `call`.
    DEVREV_METHODS,
    DevRevMethod {
        List = "list",
        ListAll = "listAll",
        Get = "get",
        Create = "create",
        Update = "update",
        Delete = "delete",
        Count = "count",
    }
);

/// A client of DevRev's engagements API.
///
/// Its TypeScript declaration is written out above: the class users get is
/// `pkg/src/api.js`'s, whose methods all go through [`JsDevRevClient::call`]
/// (one export instead of seven, as for `TrutoClient`).
///
/// ```ts
/// const devrev = new DevRevClient({ token: process.env.DEVREV_TOKEN });
/// for await (const e of devrev.listAll({ type: ["meeting"] })) console.log(e.title);
/// ```
#[wasm_bindgen(js_name = DevRevClient, skip_typescript)]
#[derive(Debug)]
pub struct JsDevRevClient {
    core: Rc<DevRevCore>,
    /// The client's `onRetry` and `onThrottle`, used by calls that give none.
    hooks: Hooks,
}

#[wasm_bindgen(js_class = DevRevClient)]
impl JsDevRevClient {
    /// Creates a client. Throws an `EngagementsError` of kind `config` for bad options.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<JsDevRevClient, JsValue> {
        let build = || -> Result<JsDevRevClient, Error> {
            let setup =
                options::client_setup(options, &<options::DevRevClientOptions as Wire>::KIND)?;
            let core = Core::new(FetchTransport::new(setup.fetch), setup.options)?;
            Ok(JsDevRevClient {
                core: Rc::new(core),
                hooks: setup.hooks,
            })
        };
        build().map_err(|e| to_js(&e))
    }

    /// Runs method `op` of the TypeScript class above with its arguments:
    /// what `pkg/src/api.js` calls. `op` is the method's [`DevRevMethod`]
    /// number (its index in [`DEVREV_METHODS`]); `listAll` answers an
    /// iterator, every other method a Promise. Never throws: bad input (an
    /// unknown `op` included) rejects the Promise (or fails the iterator's
    /// first page).
    #[wasm_bindgen(skip_typescript)]
    pub fn call(&self, op: u32, a: JsValue, b: JsValue) -> JsValue {
        let Some(method) = DevRevMethod::from_op(op) else {
            return unknown_method("DevRevClient", op);
        };
        let core = &self.core;
        // Each method's own part: its arguments read and checked into a `Call`.
        let prepare: &dyn Fn() -> Result<Call, Error> = match method {
            DevRevMethod::List => {
                &|| core.list_call_json(&options::wire::<DevRevListRequest>(a.clone(), "request")?)
            }
            DevRevMethod::ListAll => {
                let start = || -> Result<Source, Error> {
                    let request = options::wire::<DevRevListRequest>(a, "request")?;
                    let (options, listing) = options::per_call(
                        b,
                        &<options::ListAllOptions as Wire>::KIND,
                        &self.hooks,
                    )?;
                    let state = core.list_all_with(&request, &listing)?;
                    Ok(Source::DevRev {
                        core: core.clone(),
                        state,
                        options,
                    })
                };
                return EngagementIterator::new_js(start());
            }
            DevRevMethod::Get => &|| core.get_call(&options::id(&a)?),
            DevRevMethod::Create => {
                &|| core.create_call_json(&options::wire::<DevRevCreate>(a.clone(), "body")?)
            }
            DevRevMethod::Update => {
                &|| core.update_call_json(&options::wire::<DevRevUpdate>(a.clone(), "body")?)
            }
            DevRevMethod::Delete => &|| core.delete_call(&options::id(&a)?),
            DevRevMethod::Count => {
                &|| core.count_call_json(&options::wire::<DevRevCountRequest>(a.clone(), "filter")?)
            }
        };
        send(core.conn(), &self.hooks, b, prepare).into()
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
#[wasm_bindgen(js_name = devRevToEngagement, unchecked_return_type = "Engagement")]
pub fn dev_rev_to_engagement(
    #[wasm_bindgen(unchecked_param_type = "DevRevEngagement")] engagement: JsValue,
) -> Result<JsValue, JsValue> {
    let copy = super::fields::plain(&engagement, &[]).map_err(|why| {
        to_js(&Error::decode(
            "invalid_engagement",
            format!("the engagement {why}"),
        ))
    })?;
    crate::devrev::unify::to_engagement_keeping(&Json(copy), Json(engagement))
        .map(|j| j.0)
        .map_err(|e| to_js(&e))
}
