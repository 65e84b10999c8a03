//! The real transport: the global `fetch` (or the caller's).
//!
//! The attempt itself (the `AbortController`, the timeout timer, the caller's
//! signal, reading the body) is `src/fetch.js`, a few lines of JavaScript that
//! the wasm calls once per attempt. Written in Rust, the same wiring took
//! closures, drop guards and a dozen web-sys bindings: about 8 KB of the
//! `.wasm`. Never `window`: Node and Workers have none. Never `mode`,
//! `credentials` or `referrer`: Workers throws on them. A timeout, or an
//! attempt's future dropped before it ends ([`CancelOnDrop`]), aborts the fetch
//! itself.

use crate::error::Error;
use crate::json::Json;
use crate::transport::{HttpRequest, HttpResponse, ReadAs, ResponseBody, Transport};
use js_sys::{Array, Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::AbortSignal;

#[wasm_bindgen(module = "/src/fetch.js")]
extern "C" {
    /// One attempt; resolves to `[status, body, headers]` or `[0, kind, message]`.
    #[wasm_bindgen(js_name = send)]
    #[allow(clippy::too_many_arguments)]
    fn js_send(
        custom: Option<&Function>,
        url: &str,
        method: &str,
        headers: Array,
        body: Option<String>,
        timeout_ms: u32,
        signal: Option<&AbortSignal>,
        stream: bool,
    ) -> Promise;
    /// Resolves after `ms`, or when `signal` aborts.
    #[wasm_bindgen(js_name = sleep)]
    fn js_sleep(ms: f64, signal: Option<&AbortSignal>) -> Promise;
    /// A UUID where the platform has one.
    #[wasm_bindgen(js_name = uniqueId)]
    fn js_unique_id() -> String;
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    fn json_parse(text: &JsValue) -> Result<JsValue, JsValue>;
}

/// Sends requests through `fetch`: the caller's function when given, else the
/// global one, looked up at each call (so a patched global is honoured).
#[derive(Debug, Default)]
pub struct FetchTransport {
    fetch: Option<Function>,
}

impl FetchTransport {
    /// A transport over `fetch` (`None`: the global `fetch`).
    pub fn new(fetch: Option<Function>) -> Self {
        FetchTransport { fetch }
    }
}

/// A response body: the text as a JS string (never copied into wasm unless
/// asked for), or the unread stream.
#[derive(Debug)]
pub enum FetchBody {
    /// The whole body, as a JS string.
    Text(JsValue),
    /// A 2xx body left unread, for `listStream`.
    Stream(Option<web_sys::ReadableStream>),
}

impl ResponseBody for FetchBody {
    fn text(&self) -> String {
        match self {
            FetchBody::Text(t) => t.as_string().unwrap_or_default(),
            FetchBody::Stream(_) => String::new(),
        }
    }
    fn json(&self) -> Option<Json> {
        match self {
            FetchBody::Text(t) => json_parse(t).ok().map(Json),
            FetchBody::Stream(_) => None,
        }
    }
}

/// Aborts the attempt's fetch when dropped before it ended: a future dropped by
/// its caller never leaves a request running. Disarmed (`None`) once the
/// attempt has settled, so a finished attempt costs no call into JS.
struct CancelOnDrop(Option<JsValue>);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        let Some(attempt) = self.0.take() else { return };
        if let Ok(cancel) = Reflect::get(&attempt, &JsValue::from_str("cancel")) {
            if let Some(cancel) = cancel.dyn_ref::<Function>() {
                let _ = cancel.call0(&attempt);
            }
        }
    }
}

fn aborted(signal: Option<&AbortSignal>) -> bool {
    signal.is_some_and(AbortSignal::aborted)
}

impl Transport for FetchTransport {
    type Body = FetchBody;
    type Signal = AbortSignal;

    async fn send(
        &self,
        request: &HttpRequest,
        read: ReadAs,
        timeout_ms: u32,
        signal: Option<&AbortSignal>,
    ) -> Result<HttpResponse<FetchBody>, Error> {
        if aborted(signal) {
            return Err(Error::aborted());
        }
        let headers = Array::new();
        for (name, value) in &request.headers {
            headers.push(&JsValue::from_str(name));
            headers.push(&JsValue::from_str(value));
        }
        let promise = js_send(
            self.fetch.as_ref(),
            &request.url,
            request.method.as_str(),
            headers,
            request.body.clone(),
            timeout_ms,
            signal,
            read == ReadAs::Stream,
        );
        let mut guard = CancelOnDrop(Some(promise.clone().into()));
        let answer = crate::wasm::task::wait(promise).await.unwrap_or_default();
        guard.0 = None;
        let answer: Array = answer.unchecked_into();
        let status = answer.get(0).as_f64().unwrap_or(0.0);
        let second = answer.get(1);
        if !(1.0..=999.0).contains(&status) {
            return Err(match second.as_string().as_deref() {
                Some("aborted") => Error::aborted(),
                Some("timeout") => Error::timeout(timeout_ms),
                _ => Error::network(
                    answer
                        .get(2)
                        .as_string()
                        .filter(|m| !m.is_empty())
                        .unwrap_or_else(|| String::from("fetch failed")),
                ),
            });
        }
        let status = status as u16;
        let mut headers = Vec::new();
        if let Ok(flat) = answer.get(2).dyn_into::<Array>() {
            let mut i = 0;
            while i + 1 < flat.length() {
                if let (Some(k), Some(v)) = (flat.get(i).as_string(), flat.get(i + 1).as_string()) {
                    headers.push((k, v));
                }
                i += 2;
            }
        }
        let body = if read == ReadAs::Stream && (200..300).contains(&status) {
            FetchBody::Stream(second.dyn_into().ok())
        } else {
            FetchBody::Text(second)
        };
        Ok(HttpResponse {
            status,
            headers,
            body,
        })
    }

    async fn sleep(&self, ms: f64, signal: Option<&AbortSignal>) -> Result<(), Error> {
        if aborted(signal) {
            return Err(Error::aborted());
        }
        let _ = crate::wasm::task::wait(js_sleep(ms, signal)).await;
        if aborted(signal) {
            return Err(Error::aborted());
        }
        Ok(())
    }

    fn is_aborted(&self, signal: Option<&AbortSignal>) -> bool {
        aborted(signal)
    }

    fn now_ms(&self) -> f64 {
        js_sys::Date::now()
    }

    fn random(&self) -> f64 {
        js_sys::Math::random()
    }

    fn unique_id(&self) -> String {
        js_unique_id()
    }
}
