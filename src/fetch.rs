//! The real transport: the global `fetch` (or the caller's), through gloo-net.
//!
//! Each attempt is a `gloo_net::http::Request` (method, headers, body, and the
//! attempt's own `AbortSignal`; see [`FetchTransport::build`] for why not its
//! `RequestBuilder`), and its answer is read through `gloo_net::http::Response`
//! and `Headers` (status, headers, the body stream for `listStream`).
//! Every Promise is awaited as a `wasm_bindgen_futures::JsFuture`.
//!
//! The attempt's `AbortController` is aborted by its timeout, by the caller's
//! signal, and when the attempt's future is dropped before it ends
//! ([`Attempt`]'s `Drop`), so none of them leaves a request running. A
//! caller's `fetch` that ignores the signal is raced against the abort, so
//! the attempt ends anyway. Never `window` (Node and Workers have none);
//! never `mode`, `credentials` or `referrer` (Workers throws on them).

use crate::error::Error;
use crate::json::{json_parse, Json};
use crate::transport::{
    HttpRequest, HttpResponse, ReadAs, ResponseBody, Transport, READ_HEADERS, READ_ON_SUCCESS,
};
use gloo_net::http::{Request, Response};
use js_sys::{Function, Promise, Reflect};
use std::future::{poll_fn, Future};
use std::pin::pin;
use std::task::Poll;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, AbortSignal};

#[wasm_bindgen(module = "/src/fetch.js")]
extern "C" {
    /// Registers an AbortController or a timer id, for `stopAll` after a
    /// trap, with what must stay reachable until it ends (the attempt's Request).
    fn track(handle: &JsValue, keep: &JsValue);
    /// Forgets a handle registered by `track`.
    fn untrack(handle: &JsValue);
    /// The governor's numbers under `key` in the realm's ledger.
    fn ledger_get(key: f64) -> Vec<f64>;
    /// Replaces them (empty: removes the key).
    fn ledger_set(key: f64, values: &[f64]);
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(callback: &Function, ms: f64) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);
    /// `globalThis`: every runtime this package supports has it (Node 18+,
    /// browsers, workers, workerd), so not `js_sys::global()`, whose fallbacks
    /// through `self`, `window` and `global` are four imports.
    #[wasm_bindgen(thread_local_v2, js_name = globalThis)]
    static GLOBAL_THIS: js_sys::Object;
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

fn aborted(signal: Option<&AbortSignal>) -> bool {
    signal.is_some_and(AbortSignal::aborted)
}

/// `target.method` bound to `target` with one argument: a callback for a
/// timer or an event listener that needs no wasm closure.
fn bound(target: &JsValue, method: &str, arg: &JsValue) -> Option<Function> {
    let f: Function = Reflect::get(target, &JsValue::from_str(method))
        .ok()?
        .dyn_into()
        .ok()?;
    Some(f.bind1(target, arg).unchecked_into())
}

/// The reason the attempt's controller is aborted with on a timeout.
const TIMEOUT: &str = "crm-engagements: timeout";

/// One attempt's controller, timer and listener on the caller's signal.
/// Dropped before the attempt settled (its future dropped), it aborts the
/// fetch; either way it clears the timer and removes the listener.
struct Attempt<'a> {
    controller: AbortController,
    timer: Option<JsValue>,
    signal: Option<(&'a AbortSignal, Function)>,
    /// Settles [`Attempt::on_abort`]'s Promise. A `JsFuture`'s callbacks are
    /// freed only when its Promise settles, so it is always settled, on drop.
    release: Option<Function>,
    settled: bool,
}

impl<'a> Attempt<'a> {
    fn start(timeout_ms: u32, signal: Option<&'a AbortSignal>) -> Result<Self, Error> {
        let controller = AbortController::new()
            .map_err(|_| Error::network("AbortController is not available"))?;
        let mut attempt = Attempt {
            controller,
            timer: None,
            signal: None,
            release: None,
            settled: false,
        };
        let this: &JsValue = attempt.controller.as_ref();
        if timeout_ms > 0 {
            if let Some(on_timeout) = bound(this, "abort", &JsValue::from_str(TIMEOUT)) {
                let id = set_timeout(&on_timeout, f64::from(timeout_ms));
                track(&id, &JsValue::UNDEFINED);
                attempt.timer = Some(id);
            }
        }
        if let (Some(signal), Some(on_abort)) = (signal, bound(this, "abort", &JsValue::UNDEFINED))
        {
            let _ = signal.add_event_listener_with_callback("abort", &on_abort);
            attempt.signal = Some((signal, on_abort));
        }
        Ok(attempt)
    }

    /// Settles when the attempt's own signal aborts (timeout, caller, drop).
    fn on_abort(&mut self) -> JsFuture {
        let own = self.controller.signal();
        let release = &mut self.release;
        JsFuture::from(Promise::new(&mut |resolve, _| {
            let _ = own.add_event_listener_with_callback("abort", &resolve);
            *release = Some(resolve);
        }))
    }

    fn timed_out(&self) -> bool {
        self.controller.signal().reason().as_string().as_deref() == Some(TIMEOUT)
    }
}

impl Drop for Attempt<'_> {
    fn drop(&mut self) {
        if let Some(id) = self.timer.take() {
            clear_timeout(&id);
            untrack(&id);
        }
        if let Some((signal, on_abort)) = self.signal.take() {
            let _ = signal.remove_event_listener_with_callback("abort", &on_abort);
        }
        if !self.settled {
            self.controller.abort();
        }
        untrack(&self.controller);
        if let Some(release) = self.release.take() {
            let _ = release.call0(&JsValue::UNDEFINED);
        }
    }
}

/// `work`, or `None` as soon as `abort` settles first.
async fn unless<T>(work: impl Future<Output = T>, abort: &mut JsFuture) -> Option<T> {
    let mut work = pin!(work);
    poll_fn(|cx| {
        if let Poll::Ready(v) = work.as_mut().poll(cx) {
            return Poll::Ready(Some(v));
        }
        match std::pin::Pin::new(&mut *abort).poll(cx) {
            Poll::Ready(_) => Poll::Ready(None),
            Poll::Pending => Poll::Pending,
        }
    })
    .await
}

/// What a rejected `fetch` or body read means for a caller.
fn failure(error: &JsValue) -> Error {
    let message = Reflect::get(error, &JsValue::from_str("message"))
        .ok()
        .and_then(|m| m.as_string())
        .filter(|m| !m.is_empty());
    Error::network(message.unwrap_or_else(|| String::from("fetch failed")))
}

impl FetchTransport {
    /// Builds the attempt's request: a `web_sys::Request` from a
    /// `RequestInit`, wrapped as a `gloo_net::http::Request`. Not gloo-net's
    /// `RequestBuilder`: 0.6 re-serializes the URL and appends `&` to a query
    /// it did not add itself (`?limit=5` goes out as `?limit=5&`). The
    /// caller's headers are set one by one, so a bad name or value is an
    /// error here, not a throw.
    fn build(request: &HttpRequest, signal: &AbortSignal) -> Result<Request, Error> {
        let headers = web_sys::Headers::new().map_err(|e| failure(&e))?;
        for (name, value) in &request.headers {
            headers.set(name, value).map_err(|e| failure(&e))?;
        }
        let init = web_sys::RequestInit::new();
        init.set_method(request.method.as_str());
        init.set_headers(&headers);
        init.set_signal(Some(signal));
        if let Some(body) = &request.body {
            init.set_body(&JsValue::from_str(body));
        }
        web_sys::Request::new_with_str_and_init(&request.url, &init)
            .map(Request::from)
            .map_err(|e| failure(&e))
    }

    /// Calls the caller's `fetch` (or the global one) with the built request.
    /// The global one is called here too, not through gloo-net's `send`, so a
    /// patched `fetch` that resolves to something else is an error, not a panic.
    fn call_fetch(&self, request: &web_sys::Request) -> Result<Promise, Error> {
        let global;
        let fetch = match &self.fetch {
            Some(f) => f,
            None => {
                global = GLOBAL_THIS
                    .with(|g| Reflect::get(g, &JsValue::from_str("fetch")))
                    .ok()
                    .and_then(|f| f.dyn_into::<Function>().ok())
                    .ok_or_else(|| Error::network("there is no global fetch"))?;
                &global
            }
        };
        let promise = fetch
            .call1(&JsValue::UNDEFINED, request)
            .map_err(|e| failure(&e))?;
        Ok(Promise::resolve(&promise))
    }
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
        let mut attempt = Attempt::start(timeout_ms, signal)?;
        let mut abort = attempt.on_abort();
        let built: web_sys::Request = Self::build(request, &attempt.controller.signal())?.into();
        // Registered with its Request, which stays reachable (here and in
        // src/fetch.js) until the attempt ends: see `track` there.
        track(&attempt.controller, &built);
        let promise = self.call_fetch(&built)?;
        let work = async {
            let answer = JsFuture::from(promise).await.map_err(|e| failure(&e))?;
            if !answer.is_instance_of::<web_sys::Response>() {
                return Err(Error::network(
                    "fetch resolved to something that is not a Response",
                ));
            }
            let response = Response::from(answer.unchecked_into::<web_sys::Response>());
            let status = response.status();
            let ok = (200..300).contains(&status);
            if ok && read == ReadAs::Stream {
                return Ok((status, Vec::new(), FetchBody::Stream(response.body())));
            }
            // Only what the core reads, and only when it reads them: one
            // `get` each, not a walk over every header the server sent.
            let all = response.headers();
            let read: &[&str] = if ok { READ_ON_SUCCESS } else { &READ_HEADERS };
            let headers = read
                .iter()
                .filter_map(|&name| Some((name.to_owned(), all.get(name)?)))
                .collect();
            // The text stays a JS string (gloo-net's `text()` would copy it
            // into wasm, and JSON.parse would copy it out again).
            let raw: web_sys::Response = response.into();
            if raw.body_used() {
                return Err(Error::network("the response body was already read"));
            }
            let text = raw.text().map_err(|e| failure(&e))?;
            let text = JsFuture::from(text).await.map_err(|e| failure(&e))?;
            Ok((status, headers, FetchBody::Text(text)))
        };
        let outcome = unless(work, &mut abort).await;
        attempt.settled = true;
        match outcome {
            _ if aborted(signal) => Err(Error::aborted()),
            _ if attempt.timed_out() => Err(Error::timeout(timeout_ms)),
            None => Err(Error::network("the request was stopped")),
            Some(Err(e)) => Err(e),
            Some(Ok((status, headers, body))) => Ok(HttpResponse {
                status,
                headers,
                body,
            }),
        }
    }

    async fn sleep(&self, ms: f64, signal: Option<&AbortSignal>) -> Result<(), Error> {
        if aborted(signal) {
            return Err(Error::aborted());
        }
        let mut timer = Timer(None, None);
        let mut listener = None;
        let wake = Promise::new(&mut |resolve, _| {
            let id = set_timeout(&resolve, ms.max(0.0));
            track(&id, &JsValue::UNDEFINED);
            timer.0 = Some(id);
            if let Some(signal) = signal {
                let _ = signal.add_event_listener_with_callback("abort", &resolve);
                listener = Some(resolve.clone());
            }
            timer.1 = Some(resolve);
        });
        let _ = JsFuture::from(wake).await;
        if let (Some(signal), Some(resolve)) = (signal, listener) {
            let _ = signal.remove_event_listener_with_callback("abort", &resolve);
        }
        drop(timer);
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

    fn shared(&self, key: f64) -> Vec<f64> {
        ledger_get(key)
    }

    fn set_shared(&self, key: f64, values: Vec<f64>) {
        ledger_set(key, &values);
    }

    fn unique_id(&self) -> String {
        random_uuid().unwrap_or_else(|| {
            (0..4)
                .map(|_| format!("{:08x}", (js_sys::Math::random() * 4294967296.0) as u32))
                .collect()
        })
    }
}

/// A retry wait's timer and the function that settles its Promise: cleared
/// (and forgotten by `stopAll`) when the wait ends or its future is dropped,
/// and the Promise settled, so that its `JsFuture`'s callbacks are freed.
struct Timer(Option<JsValue>, Option<Function>);

impl Drop for Timer {
    fn drop(&mut self) {
        if let Some(id) = self.0.take() {
            clear_timeout(&id);
            untrack(&id);
        }
        if let Some(resolve) = self.1.take() {
            let _ = resolve.call0(&JsValue::UNDEFINED);
        }
    }
}

/// `crypto.randomUUID()`, where the platform has it.
fn random_uuid() -> Option<String> {
    let crypto = GLOBAL_THIS
        .with(|g| Reflect::get(g, &JsValue::from_str("crypto")))
        .ok()?;
    let f: Function = Reflect::get(&crypto, &JsValue::from_str("randomUUID"))
        .ok()?
        .dyn_into()
        .ok()?;
    f.call0(&crypto).ok()?.as_string()
}
