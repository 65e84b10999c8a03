//! The real transport: the global `fetch` (or the caller's), through gloo-net.
//!
//! Never `window`: Node and Workers have none. Never `mode`, `credentials` or
//! `referrer`: Workers throws on them. A timeout or a dropped future aborts the
//! fetch itself through an `AbortController` (see [`AbortGuard`]).

use crate::error::Error;
use crate::json::Json;
use crate::transport::{HttpRequest, HttpResponse, ReadAs, ResponseBody, Transport};
use gloo_net::http::{Headers, Response};
use js_sys::{Function, Promise, Reflect};
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, AbortSignal, AddEventListenerOptions, RequestInit};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &Function, ms: f64) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);
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

/// A promise that rejects when `signal` aborts (race it at once). Raced against the fetch and the
/// body read, so a timeout ends the attempt even when a caller-supplied `fetch`
/// ignores the signal.
fn aborted_promise(signal: &AbortSignal) -> (Promise, Closure<dyn FnMut()>) {
    let mut reject_fn: Option<Function> = None;
    let promise = Promise::new(&mut |_resolve, reject| reject_fn = Some(reject));
    let reject = reject_fn;
    let on_abort = Closure::<dyn FnMut()>::new(move || {
        if let Some(r) = &reject {
            let _ = r.call1(&JsValue::UNDEFINED, &JsValue::from_str("aborted"));
        }
    });
    on_abort_once(signal, &on_abort);
    (promise, on_abort)
}

/// Calls `listener` once when `signal` aborts.
fn on_abort_once(signal: &AbortSignal, listener: &Closure<dyn FnMut()>) {
    let opts = AddEventListenerOptions::new();
    opts.set_once(true);
    let _ = signal.add_event_listener_with_callback_and_add_event_listener_options(
        "abort",
        listener.as_ref().unchecked_ref(),
        &opts,
    );
}

fn race(a: &Promise, b: &Promise) -> Promise {
    let both = js_sys::Array::of2(a, b);
    Promise::race(&both)
}

/// Aborts the fetch and clears the timer when dropped: a timed-out attempt or
/// a future dropped by its caller never leaves a request running.
struct AbortGuard {
    controller: AbortController,
    timer: Option<JsValue>,
    listener: Option<(AbortSignal, Closure<dyn FnMut()>)>,
    _on_timeout: Option<Closure<dyn FnMut()>>,
    /// The listener behind the abort race; a field, so it outlives the abort in `drop`.
    _on_abort: Option<Closure<dyn FnMut()>>,
    timed_out: Rc<Cell<bool>>,
    finished: bool,
}

impl Drop for AbortGuard {
    fn drop(&mut self) {
        if let Some(timer) = self.timer.take() {
            clear_timeout(&timer);
        }
        if let Some((signal, listener)) = self.listener.take() {
            let _ = signal
                .remove_event_listener_with_callback("abort", listener.as_ref().unchecked_ref());
        }
        if !self.finished {
            self.controller.abort();
        }
    }
}

/// Clears a wait's timer and abort listener, also when the wait is dropped.
struct SleepGuard {
    timer: JsValue,
    signal: Option<AbortSignal>,
    listener: Option<Closure<dyn FnMut()>>,
}

impl Drop for SleepGuard {
    fn drop(&mut self) {
        clear_timeout(&self.timer);
        if let (Some(signal), Some(l)) = (&self.signal, &self.listener) {
            let _ = signal.remove_event_listener_with_callback("abort", l.as_ref().unchecked_ref());
        }
    }
}

fn global() -> JsValue {
    js_sys::global().into()
}

fn js_message(e: &JsValue) -> String {
    Reflect::get(e, &JsValue::from_str("message"))
        .ok()
        .and_then(|m| m.as_string())
        .filter(|m| !m.is_empty())
        .unwrap_or_else(|| String::from("fetch failed"))
}

impl FetchTransport {
    fn guard(&self, timeout_ms: u32, signal: Option<&AbortSignal>) -> Result<AbortGuard, Error> {
        let controller = AbortController::new()
            .map_err(|_| Error::network("AbortController is not available"))?;
        let timed_out = Rc::new(Cell::new(false));
        let mut guard = AbortGuard {
            controller: controller.clone(),
            timer: None,
            listener: None,
            _on_timeout: None,
            _on_abort: None,
            timed_out: timed_out.clone(),
            finished: false,
        };
        if timeout_ms > 0 {
            let c = controller.clone();
            let on_timeout = Closure::<dyn FnMut()>::new(move || {
                timed_out.set(true);
                c.abort();
            });
            guard.timer = Some(set_timeout(
                on_timeout.as_ref().unchecked_ref(),
                f64::from(timeout_ms),
            ));
            guard._on_timeout = Some(on_timeout);
        }
        if let Some(signal) = signal {
            let c = controller;
            let listener = Closure::<dyn FnMut()>::new(move || c.abort());
            on_abort_once(signal, &listener);
            guard.listener = Some((signal.clone(), listener));
        }
        Ok(guard)
    }

    fn start(&self, request: &HttpRequest, signal: &AbortSignal) -> Result<Promise, JsValue> {
        let headers = Headers::new();
        for (name, value) in &request.headers {
            headers.set(name, value);
        }
        let init = RequestInit::new();
        init.set_method(request.method.as_str());
        init.set_headers(&headers.into_raw());
        init.set_signal(Some(signal));
        if let Some(body) = &request.body {
            init.set_body(&JsValue::from_str(body));
        }
        let fetch: Function = match &self.fetch {
            Some(f) => f.clone(),
            None => Reflect::get(&global(), &JsValue::from_str("fetch"))?.dyn_into()?,
        };
        let promise = fetch.call2(&global(), &JsValue::from_str(&request.url), &init)?;
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
        if self.is_aborted(signal) {
            return Err(Error::aborted());
        }
        let mut guard = self.guard(timeout_ms, signal)?;
        let failed = |guard: &AbortGuard, e: JsValue| {
            if signal.is_some_and(AbortSignal::aborted) {
                Error::aborted()
            } else if guard.timed_out.get() {
                Error::timeout(timeout_ms)
            } else {
                Error::network(js_message(&e))
            }
        };
        let own_signal = guard.controller.signal();
        let promise = self
            .start(request, &own_signal)
            .map_err(|e| failed(&guard, e))?;
        // Created only now and raced at once: a rejection always has a handler
        // (Node ends the process on an unhandled one).
        // The global fetch honours the signal; a caller's fetch might not, so
        // only then is the fetch raced against the abort.
        let abort = self.fetch.as_ref().map(|_| {
            let (abort, on_abort) = aborted_promise(&own_signal);
            guard._on_abort = Some(on_abort);
            abort
        });
        let raced = |p: Promise| match &abort {
            Some(abort) => race(&p, abort),
            None => p,
        };
        let raw = JsFuture::from(raced(promise))
            .await
            .map_err(|e| failed(&guard, e))?;
        if !raw.is_object() {
            return Err(Error::network(
                "fetch resolved to something that is not a Response",
            ));
        }
        let response = Response::from(raw.unchecked_into::<web_sys::Response>());
        let status = response.status();
        // Only a failed answer's headers are read (Retry-After, rate-limit
        // reset, request id): copying every header of every page out of JS
        // cost a few dozen boundary crossings per request for nothing.
        let headers = if (200..300).contains(&status) {
            Vec::new()
        } else {
            response
                .headers()
                .entries()
                .map(|(k, v)| (k.to_ascii_lowercase(), v))
                .collect()
        };
        let body = if read == ReadAs::Stream && (200..300).contains(&status) {
            guard.finished = true;
            FetchBody::Stream(response.body())
        } else {
            let raw: web_sys::Response = response.into();
            let text = raw.text().map_err(|e| failed(&guard, e))?;
            let text = JsFuture::from(raced(text))
                .await
                .map_err(|e| failed(&guard, e))?;
            guard.finished = true;
            FetchBody::Text(text)
        };
        Ok(HttpResponse {
            status,
            headers,
            body,
        })
    }

    async fn sleep(&self, ms: f64, signal: Option<&AbortSignal>) -> Result<(), Error> {
        if self.is_aborted(signal) {
            return Err(Error::aborted());
        }
        let mut guard = SleepGuard {
            timer: JsValue::UNDEFINED,
            signal: signal.cloned(),
            listener: None,
        };
        let promise = Promise::new(&mut |resolve, _reject| {
            guard.timer = set_timeout(&resolve, ms.max(0.0));
            if let Some(signal) = signal {
                let on_abort = Closure::<dyn FnMut()>::new(move || {
                    let _ = resolve.call0(&JsValue::UNDEFINED);
                });
                let _ = signal
                    .add_event_listener_with_callback("abort", on_abort.as_ref().unchecked_ref());
                guard.listener = Some(on_abort);
            }
        });
        let _ = JsFuture::from(promise).await;
        drop(guard);
        if self.is_aborted(signal) {
            return Err(Error::aborted());
        }
        Ok(())
    }

    fn is_aborted(&self, signal: Option<&AbortSignal>) -> bool {
        signal.is_some_and(AbortSignal::aborted)
    }

    fn now_ms(&self) -> f64 {
        js_sys::Date::now()
    }

    fn random(&self) -> f64 {
        js_sys::Math::random()
    }

    fn unique_id(&self) -> String {
        let crypto = Reflect::get(&global(), &JsValue::from_str("crypto")).ok();
        let uuid = crypto.and_then(|c| {
            let f: Function = Reflect::get(&c, &JsValue::from_str("randomUUID"))
                .ok()?
                .dyn_into()
                .ok()?;
            f.call0(&c).ok()?.as_string()
        });
        uuid.unwrap_or_else(|| {
            let mut s = String::with_capacity(32);
            for _ in 0..4 {
                let n = (js_sys::Math::random() * 4_294_967_296.0) as u32;
                s.push_str(&format!("{n:08x}"));
            }
            s
        })
    }
}
