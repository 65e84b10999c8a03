//! Helpers shared by the wasm-bindgen tests: the mock's URL and control API,
//! and small accessors for JS values.
#![allow(dead_code)]

use js_sys::{Array, Function, Object, Promise, Reflect, JSON};
use tsify::Ts;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    // Namespaced, so its import does not collide with the library's own setTimeout.
    #[wasm_bindgen(js_namespace = globalThis, js_name = setTimeout)]
    fn set_timeout(handler: &Function, ms: f64) -> JsValue;
    #[wasm_bindgen(js_namespace = globalThis, js_name = queueMicrotask)]
    fn queue_microtask(task: &JsValue);
}

/// Installs the executor's scheduler as the package's entry (pkg/src/api.js)
/// does: each poll in a microtask of its own. Nothing runs without one.
fn install_scheduler() {
    thread_local!(static INSTALLED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) });
    if INSTALLED.with(|i| i.replace(true)) {
        return;
    }
    let schedule = Closure::<dyn Fn(u32)>::new(|id: u32| {
        queue_microtask(&Closure::once_into_js(move || {
            crm_engagements::wasm::task::poll(id)
        }));
    });
    crm_engagements::wasm::task::set_scheduler(schedule.into_js_value().unchecked_into());
}

/// The mock's URL. Every client of these tests is made with it, so this also
/// installs the scheduler their calls run on.
// Failing loudly is the point: these tests mean nothing without the mock.
#[allow(clippy::option_env_unwrap)]
pub fn mock() -> String {
    install_scheduler();
    option_env!("MOCK_URL")
        .expect("MOCK_URL is not set: run these tests through `make test-wasm`")
        .to_owned()
}

pub fn json(text: &str) -> JsValue {
    JSON::parse(text).expect("test JSON")
}

pub fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).expect("property")
}

pub fn set(v: &JsValue, key: &str, value: &JsValue) {
    Reflect::set(v, &JsValue::from_str(key), value).expect("set");
}

pub async fn sleep(ms: f64) {
    let p = Promise::new(&mut |resolve, _| {
        set_timeout(&resolve, ms);
    });
    JsFuture::from(p).await.expect("sleep");
}

/// A request to the mock's control API; resolves to the parsed JSON answer.
pub async fn control(method: &str, path: &str, body: Option<&str>) -> JsValue {
    let init = Object::new();
    set(&init, "method", &JsValue::from_str(method));
    if let Some(b) = body {
        set(&init, "body", &JsValue::from_str(b));
        set(
            &init,
            "headers",
            &json(r#"{"content-type":"application/json"}"#),
        );
    }
    let fetch: Function = get(&js_sys::global(), "fetch").unchecked_into();
    let url = format!("{}{path}", mock());
    let res = JsFuture::from(
        fetch
            .call2(&JsValue::UNDEFINED, &JsValue::from_str(&url), &init)
            .expect("fetch")
            .unchecked_into::<Promise>(),
    )
    .await
    .expect("control request");
    let json: Function = get(&res, "json").unchecked_into();
    JsFuture::from(json.call0(&res).expect("json").unchecked_into::<Promise>())
        .await
        .expect("control json")
}

/// Recorded requests of the mock whose query names `account`.
pub async fn requests_for(account: &str) -> Vec<JsValue> {
    let all: Array = control("GET", "/__mock/requests", None)
        .await
        .unchecked_into();
    all.iter()
        .filter(|r| {
            get(r, "query")
                .as_string()
                .unwrap_or_default()
                .contains(&format!("integrated_account_id={account}"))
        })
        .collect()
}

/// Drives a `listAll` iterator's `nextPage()` to the end; returns the ids.
pub async fn drain(iter: &JsValue) -> Vec<String> {
    let next: Function = get(iter, "nextPage").unchecked_into();
    let mut ids = vec![];
    loop {
        let page = ok(next
            .call1(iter, &JsValue::from(0))
            .expect("nextPage")
            .unchecked_into())
        .await;
        if page.is_null() {
            return ids;
        }
        for item in Array::from(&page).iter() {
            ids.push(get(&item, "id").as_string().expect("id"));
        }
    }
}

/// An argument as JavaScript passes it: `undefined` when not given.
pub fn arg<T: tsify::Tsify>(value: Option<Ts<T>>) -> JsValue {
    value.map_or(JsValue::UNDEFINED, |v| v.js_value().clone())
}

pub fn q<T: tsify::Tsify>(text: &str) -> Option<Ts<T>> {
    Some(Ts::new_unchecked(json(text)))
}

pub async fn ok(p: Promise) -> JsValue {
    JsFuture::from(p)
        .await
        .unwrap_or_else(|e| panic!("rejected: {:?}", get(&e, "message")))
}

pub async fn err(p: Promise) -> JsValue {
    match JsFuture::from(p).await {
        Ok(v) => panic!("resolved: {v:?}"),
        Err(e) => e,
    }
}

pub fn kind(e: &JsValue) -> String {
    get(e, "kind").as_string().unwrap_or_default()
}
