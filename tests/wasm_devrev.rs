//! The JavaScript-facing `DevRevClient` and `devRevToEngagement`, run as wasm
//! in Node and in headless Chromium against the mock DevRev API.
//!
//! `tests/wasm/run.mjs` starts the mock and passes its URL as `MOCK_URL`.
#![cfg(target_arch = "wasm32")]

mod wasm_support;

use crm_engagements::devrev::model::{
    DevRevCountRequest, DevRevCreate, DevRevListRequest, DevRevUpdate,
};
use crm_engagements::wasm::devrev::{dev_rev_to_engagement, DevRevMethod, JsDevRevClient};
use crm_engagements::wasm::options::{ListAllOptions, RequestOptions};
use js_sys::{Array, Promise};
use tsify::Ts;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use wasm_support::*;

/// The methods of the TypeScript class, over `call` as pkg/src/api.js runs them.
trait Methods {
    fn list(
        &self,
        request: Option<Ts<DevRevListRequest>>,
        options: Option<Ts<RequestOptions>>,
    ) -> Promise;
    fn list_all(
        &self,
        request: Option<Ts<DevRevListRequest>>,
        options: Option<Ts<ListAllOptions>>,
    ) -> JsValue;
    fn get(&self, id: JsValue, options: Option<Ts<RequestOptions>>) -> Promise;
    fn create(&self, body: Ts<DevRevCreate>, options: Option<Ts<RequestOptions>>) -> Promise;
    fn update(&self, body: Ts<DevRevUpdate>, options: Option<Ts<RequestOptions>>) -> Promise;
    fn delete(&self, id: JsValue, options: Option<Ts<RequestOptions>>) -> Promise;
    fn count(
        &self,
        filter: Option<Ts<DevRevCountRequest>>,
        options: Option<Ts<RequestOptions>>,
    ) -> Promise;
}

impl Methods for JsDevRevClient {
    fn list(
        &self,
        request: Option<Ts<DevRevListRequest>>,
        options: Option<Ts<RequestOptions>>,
    ) -> Promise {
        self.call(DevRevMethod::List.op(), arg(request), arg(options))
            .unchecked_into()
    }
    fn list_all(
        &self,
        request: Option<Ts<DevRevListRequest>>,
        options: Option<Ts<ListAllOptions>>,
    ) -> JsValue {
        self.call(DevRevMethod::ListAll.op(), arg(request), arg(options))
    }
    fn get(&self, id: JsValue, options: Option<Ts<RequestOptions>>) -> Promise {
        self.call(DevRevMethod::Get.op(), id, arg(options))
            .unchecked_into()
    }
    fn create(&self, body: Ts<DevRevCreate>, options: Option<Ts<RequestOptions>>) -> Promise {
        self.call(DevRevMethod::Create.op(), arg(Some(body)), arg(options))
            .unchecked_into()
    }
    fn update(&self, body: Ts<DevRevUpdate>, options: Option<Ts<RequestOptions>>) -> Promise {
        self.call(DevRevMethod::Update.op(), arg(Some(body)), arg(options))
            .unchecked_into()
    }
    fn delete(&self, id: JsValue, options: Option<Ts<RequestOptions>>) -> Promise {
        self.call(DevRevMethod::Delete.op(), id, arg(options))
            .unchecked_into()
    }
    fn count(
        &self,
        filter: Option<Ts<DevRevCountRequest>>,
        options: Option<Ts<RequestOptions>>,
    ) -> Promise {
        self.call(DevRevMethod::Count.op(), arg(filter), arg(options))
            .unchecked_into()
    }
}

fn client(extra: &str) -> JsDevRevClient {
    let opts = json(&format!(
        r#"{{"token":"test-token","baseUrl":"{}"{extra}}}"#,
        mock()
    ));
    JsDevRevClient::new(opts).unwrap_or_else(|e| panic!("client: {e:?}"))
}

/// DevRev requests recorded by the mock on `path` whose body holds `marker`.
async fn devrev_requests(path: &str, marker: &str) -> Vec<JsValue> {
    let all: Array = control("GET", "/__mock/requests", None)
        .await
        .unchecked_into();
    all.iter()
        .filter(|r| get(r, "path").as_string().as_deref() == Some(path))
        .filter(|r| {
            get(r, "body")
                .as_string()
                .unwrap_or_default()
                .contains(marker)
        })
        .collect()
}

fn body(text: &str) -> Ts<crm_engagements::devrev::model::DevRevCreate> {
    Ts::new_unchecked(json(text))
}

#[wasm_bindgen_test]
async fn list_all_both_ways_matches_count() {
    let c = client("");
    let total = ok(c.count(None, None)).await.as_f64().unwrap() as usize;
    assert!(total > 10, "the mock is seeded");
    let forward = drain(&c.list_all(q(r#"{"limit":7}"#), None)).await;
    assert_eq!(forward.len(), total);
    let mut unique = forward.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), total, "every engagement exactly once");
    let backward = drain(&c.list_all(q(r#"{"limit":7,"mode":"before"}"#), None)).await;
    assert_eq!(
        backward.len(),
        total,
        "mode before follows prev_cursor to the start"
    );
}

#[wasm_bindgen_test]
async fn list_page_omits_next_cursor_at_the_end() {
    let c = client("");
    let first = ok(c.list(q(r#"{"limit":5}"#), None)).await;
    assert_eq!(Array::from(&get(&first, "engagements")).length(), 5);
    assert!(get(&first, "next_cursor").is_string());
    let all = ok(c.list(q(r#"{"limit":100}"#), None)).await;
    assert!(get(&all, "next_cursor").is_undefined());
}

#[wasm_bindgen_test]
async fn crud_round_trip_and_unified_view() {
    let c = client("");
    let created = ok(c.create(
        body(r#"{"title":"wasm-crud","scheduled_date":"2024-06-01T10:00:00Z","members":["DEVU-1"],"engagement_type":"call","parents":["ACC-1"]}"#),
        None,
    ))
    .await;
    let id = get(&created, "id").as_string().unwrap();
    let got = ok(c.get(JsValue::from_str(&id), None)).await;
    assert_eq!(get(&got, "title").as_string().unwrap(), "wasm-crud");
    let update = json(&format!(
        r#"{{"id":"{id}","title":"wasm-crud-2","members":{{"set":["DEVU-2"]}}}}"#
    ));
    let updated = ok(c.update(Ts::new_unchecked(update), None)).await;
    assert_eq!(get(&updated, "title").as_string().unwrap(), "wasm-crud-2");

    let unified = dev_rev_to_engagement(updated.clone()).unwrap();
    assert_eq!(get(&unified, "subject").as_string().unwrap(), "wasm-crud-2");
    assert_eq!(
        get(&unified, "start_time").as_string().unwrap(),
        get(&updated, "scheduled_date").as_string().unwrap()
    );
    assert!(
        js_sys::Object::is(&get(&unified, "remote_data"), &updated),
        "the original is kept as is"
    );
    assert!(get(&get(&unified, "account"), "id").is_string());

    let deleted = ok(c.delete(JsValue::from_str(&id), None)).await;
    assert!(deleted.is_undefined());
    let gone = err(c.get(JsValue::from_str(&id), None)).await;
    assert_eq!(kind(&gone), "http");
    assert_eq!(get(&gone, "status").as_f64(), Some(404.0));
    assert_eq!(get(&gone, "code").as_string().unwrap(), "not_found");
    let writes = devrev_requests("/engagements.create", "wasm-crud").await;
    assert_eq!(writes.len(), 1);
    assert!(get(&get(&writes[0], "headers"), "idempotency-key").is_undefined());
}

#[wasm_bindgen_test]
async fn create_is_validated_before_sending() {
    let c = client("");
    for (text, field) in [
        (
            r#"{"title":"wasm-v1","scheduled_date":"2024-06-01T10:00:00Z"}"#,
            "body.members",
        ),
        (
            r#"{"title":"wasm-v2","scheduled_date":"2024-06-01T10:00:00Z","members":[]}"#,
            "body.members",
        ),
        (
            r#"{"title":"wasm-v3","scheduled_date":"yesterday","members":["DEVU-1"]}"#,
            "body.scheduled_date",
        ),
        (
            r#"{"title":"wasm-v4","scheduled_date":"2024-06-01T10:00:00Z","members":["DEVU-1"],"engagement_type":"meeting"}"#,
            "body.engagement_type",
        ),
        (
            r#"{"scheduled_date":"2024-06-01T10:00:00Z","members":["DEVU-1"]}"#,
            "body.title",
        ),
    ] {
        let e = err(c.create(body(text), None)).await;
        assert_eq!(kind(&e), "validation", "{text}");
        assert_eq!(get(&e, "field").as_string().unwrap(), field, "{text}");
        assert_eq!(get(&e, "attempts").as_f64(), Some(0.0));
    }
    assert!(devrev_requests("/engagements.create", "wasm-v")
        .await
        .is_empty());
}

#[wasm_bindgen_test]
async fn create_is_not_retried_after_a_500_but_is_after_a_503() {
    control("DELETE", "/__mock/faults", None).await;
    control(
        "POST",
        "/__mock/faults",
        Some(r#"{"faults":[{"match":{"path":"/engagements.create"},"status":500}]}"#),
    )
    .await;
    let c = client("");
    let e = err(c.create(
        body(
            r#"{"title":"wasm-500","scheduled_date":"2024-06-01T10:00:00Z","members":["DEVU-1"]}"#,
        ),
        None,
    ))
    .await;
    assert_eq!(get(&e, "status").as_f64(), Some(500.0));
    assert_eq!(
        get(&e, "attempts").as_f64(),
        Some(1.0),
        "a DevRev write may have happened: no retry"
    );

    control("POST", "/__mock/faults", Some(r#"{"faults":[{"match":{"path":"/engagements.create"},"status":503,"headers":{"retry-after":"0"}}]}"#)).await;
    ok(c.create(
        body(
            r#"{"title":"wasm-503","scheduled_date":"2024-06-01T10:00:00Z","members":["DEVU-1"]}"#,
        ),
        None,
    ))
    .await;
    assert_eq!(
        devrev_requests("/engagements.create", "wasm-503")
            .await
            .len(),
        2
    );
}

#[wasm_bindgen_test]
async fn rate_limit_waits_for_retry_after_from_the_body() {
    control("DELETE", "/__mock/faults", None).await;
    control("POST", "/__mock/faults", Some(r#"{"faults":[{"match":{"path":"/engagements.count"},"status":429,"body":{"type":"too_many_requests","message":"slow down","retry_after":1}}]}"#)).await;
    let c = client("");
    let started = js_sys::Date::now();
    let n = ok(c.count(q(r#"{"type":["call"]}"#), None)).await;
    assert!(n.as_f64().unwrap() >= 1.0);
    assert!(
        js_sys::Date::now() - started >= 900.0,
        "waited the body's retry_after"
    );
}

#[wasm_bindgen_test]
async fn bad_input_types_are_rejected_not_trapped() {
    let c = client("");
    let e = err(c.list(q(r#"{"limit":"ten"}"#), None)).await;
    assert_eq!(kind(&e), "validation");
    let e = err(c.list(q(r#"{"mode":"sideways"}"#), None)).await;
    assert_eq!(get(&e, "field").as_string().unwrap(), "request.mode");
    let e = err(c.get(JsValue::NULL, None)).await;
    assert_eq!(get(&e, "code").as_string().unwrap(), "invalid_id");
    let bad = dev_rev_to_engagement(json(r#"{"title":"no id"}"#)).unwrap_err();
    assert_eq!(kind(&bad), "decode");
    // The client still works after every refusal.
    let page: Promise = c.list(q(r#"{"limit":1}"#), None);
    ok(page).await;
}
