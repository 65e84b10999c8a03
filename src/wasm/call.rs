//! One future for every method of both clients: each method validates its
//! input into a [`Call`] synchronously, and [`send`] sends it. One future
//! type instead of one per method keeps the `.wasm` small.

use super::error::to_js;
use super::options::{per_call, RequestOptions};
use crate::call::{Answer, Call, Conn, RetryHook};
use crate::error::Error;
use crate::fetch::{FetchBody, FetchTransport};
use crate::wire::Wire;
use js_sys::Promise;
use std::rc::Rc;
use wasm_bindgen::JsValue;

/// Every method's Promise: `prepare` (the method's own part: its arguments
/// read and checked into a [`Call`]) runs first, then the per-call `options`
/// are read, then the call is sent. The Promise rejects with an
/// `EngagementsError` for an input error or a failed call. One body for the
/// twelve methods that return a Promise, which pass only their own part (see
/// the clients' `call`).
#[inline(never)]
pub(crate) fn send(
    conn: &Rc<Conn<FetchTransport>>,
    on_retry: &Option<RetryHook>,
    options: JsValue,
    prepare: &dyn Fn() -> Result<Call, Error>,
) -> Promise {
    let prepared = prepare().and_then(|call| {
        Ok((
            call,
            per_call(options, &<RequestOptions as Wire>::KIND, on_retry)?.0,
        ))
    });
    let (call, options) = match prepared {
        Ok(prepared) => prepared,
        Err(e) => return Promise::reject(&to_js(&e)),
    };
    let conn = conn.clone();
    super::task::spawn(async move {
        let answer = conn.run(call, &options).await;
        match answer.map_err(|e| to_js(&e))? {
            Answer::Json(json) | Answer::Page(json, _) => Ok(json.0),
            Answer::Count(n) => Ok(JsValue::from_f64(n)),
            Answer::Body(FetchBody::Stream(Some(stream))) => Ok(stream.into()),
            Answer::Body(_) => Err(to_js(&Error::decode(
                "invalid_body",
                "the response has no body to stream",
            ))),
            Answer::Nothing => Ok(JsValue::UNDEFINED),
        }
    })
}
