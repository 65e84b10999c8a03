//! One future for every method of both clients: each method validates its
//! input into a [`Call`] synchronously, and [`send`] sends it. One future
//! type instead of one per method keeps the `.wasm` small.

use super::error::to_js;
use super::options::{per_call, Hooks, RequestOptions};
use crate::call::{Answer, Call, Conn};
use crate::error::Error;
use crate::fetch::{FetchBody, FetchTransport};
use crate::json::{Json, JsonExt};
use crate::wire::Wire;
use js_sys::Promise;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// Every method's Promise: `prepare` (the method's own part: its arguments
/// read and checked into a [`Call`]) runs first, then the per-call `options`
/// are read, then the call is sent. The Promise rejects with an
/// `EngagementsError` for an input error or a failed call. One body for the
/// twelve methods that return a Promise, which pass only their own part (see
/// the clients' `call`).
#[inline(never)]
pub(crate) fn send(
    conn: &Rc<Conn<FetchTransport>>,
    hooks: &Hooks,
    options: JsValue,
    prepare: &dyn Fn() -> Result<Call, Error>,
) -> Promise {
    let prepared = prepare().and_then(|call| {
        Ok((
            call,
            per_call(options, &<RequestOptions as Wire>::KIND, hooks)?.0,
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

/// Declares a client's methods once, in op order: `TABLE, Enum { Variant =
/// "jsName", ... }` gives the enum the client's `call` matches on (so the
/// match covers exactly these methods), and `TABLE`, the names by op number,
/// which [`method_names`] hands to `pkg/src/api.js` to number its calls by.
macro_rules! methods {
    ($(#[$doc:meta])* $table:ident, $name:ident { $($variant:ident = $js:literal),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $name {
            $(#[doc = concat!("`", $js, "`")] $variant),*
        }

        /// The names of [`
        #[doc = stringify!($name)]
        /// `]'s methods, by op number: what `pkg/src/api.js` reads (through
        /// `__methods`) to number its calls.
        pub const $table: &[&str] = &[$($js),*];

        impl $name {
            const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The method of op number `op`, if there is one.
            pub fn from_op(op: u32) -> Option<Self> {
                Self::ALL.get(usize::try_from(op).ok()?).copied()
            }

            /// Its op number: its index in [`
            #[doc = stringify!($table)]
            /// `].
            pub const fn op(self) -> u32 {
                self as u32
            }
        }
    };
}
pub(crate) use methods;

/// The method names of client class `class` (`"TrutoClient"`,
/// `"DevRevClient"`) by op number, from their tables in `src/wasm/truto.rs`
/// and `src/wasm/devrev.rs`: `pkg/src/api.js` numbers each method's `call`
/// by this at every instance start. Empty for any other name.
#[wasm_bindgen(js_name = __methods, skip_typescript)]
pub fn method_names(class: &str) -> JsValue {
    let names = match class {
        "TrutoClient" => super::truto::TRUTO_METHODS,
        "DevRevClient" => super::devrev::DEVREV_METHODS,
        _ => &[],
    };
    Json::array(names.iter().map(|name| Json::text(name)).collect()).0
}

/// What a client's `call` answers for an op number that is none of its
/// methods (`pkg/src/api.js` asked for a method the instance does not have):
/// a rejected Promise, never another method run in its place.
#[cold]
#[inline(never)]
pub(crate) fn unknown_method(class: &str, op: u32) -> JsValue {
    let e = Error::validation(
        "unknown_method",
        None,
        format!("{class} has no method number {op}"),
    );
    Promise::reject(&to_js(&e)).into()
}
