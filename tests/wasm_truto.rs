//! The JavaScript-facing `TrutoClient`, run as wasm in Node and in headless
//! Chromium (wasm-bindgen-test) against the mock Truto API.
//!
//! `tests/wasm/run.mjs` starts the mock and passes its URL as `MOCK_URL` at
//! build time; run it through `make test-wasm`.
#![cfg(target_arch = "wasm32")]

mod wasm_support;

use crm_engagements::truto::model::{DeleteQuery, EngagementInput, ListQuery, RecordQuery};
use crm_engagements::wasm::options::{ListAllOptions, RequestOptions};
use crm_engagements::wasm::truto::{JsTrutoClient, TrutoMethod};
use js_sys::{Array, Function, Object, Promise};
use tsify::Ts;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use wasm_support::*;

/// The methods of the TypeScript class, over `call` as pkg/src/api.js runs them.
trait Methods {
    fn list(&self, query: Option<Ts<ListQuery>>, options: Option<Ts<RequestOptions>>) -> Promise;
    fn list_stream(
        &self,
        query: Option<Ts<ListQuery>>,
        options: Option<Ts<RequestOptions>>,
    ) -> Promise;
    fn list_all(
        &self,
        query: Option<Ts<ListQuery>>,
        options: Option<Ts<ListAllOptions>>,
    ) -> JsValue;
    fn get(
        &self,
        id: JsValue,
        query: Option<Ts<RecordQuery>>,
        options: Option<Ts<RequestOptions>>,
    ) -> Promise;
    fn create(
        &self,
        body: Ts<EngagementInput>,
        query: Option<Ts<RecordQuery>>,
        options: Option<Ts<RequestOptions>>,
    ) -> Promise;
    fn update(
        &self,
        id: JsValue,
        body: Ts<EngagementInput>,
        query: Option<Ts<RecordQuery>>,
        options: Option<Ts<RequestOptions>>,
    ) -> Promise;
    fn delete(
        &self,
        id: JsValue,
        query: Option<Ts<DeleteQuery>>,
        options: Option<Ts<RequestOptions>>,
    ) -> Promise;
}

impl Methods for JsTrutoClient {
    fn list(&self, query: Option<Ts<ListQuery>>, options: Option<Ts<RequestOptions>>) -> Promise {
        self.call(
            TrutoMethod::List.op(),
            arg(query),
            arg(options),
            JsValue::UNDEFINED,
            JsValue::UNDEFINED,
        )
        .unchecked_into()
    }
    fn list_stream(
        &self,
        query: Option<Ts<ListQuery>>,
        options: Option<Ts<RequestOptions>>,
    ) -> Promise {
        self.call(
            TrutoMethod::ListStream.op(),
            arg(query),
            arg(options),
            JsValue::UNDEFINED,
            JsValue::UNDEFINED,
        )
        .unchecked_into()
    }
    fn list_all(
        &self,
        query: Option<Ts<ListQuery>>,
        options: Option<Ts<ListAllOptions>>,
    ) -> JsValue {
        self.call(
            TrutoMethod::ListAll.op(),
            arg(query),
            arg(options),
            JsValue::UNDEFINED,
            JsValue::UNDEFINED,
        )
    }
    fn get(
        &self,
        id: JsValue,
        query: Option<Ts<RecordQuery>>,
        options: Option<Ts<RequestOptions>>,
    ) -> Promise {
        self.call(
            TrutoMethod::Get.op(),
            id,
            arg(query),
            arg(options),
            JsValue::UNDEFINED,
        )
        .unchecked_into()
    }
    fn create(
        &self,
        body: Ts<EngagementInput>,
        query: Option<Ts<RecordQuery>>,
        options: Option<Ts<RequestOptions>>,
    ) -> Promise {
        self.call(
            TrutoMethod::Create.op(),
            arg(Some(body)),
            arg(query),
            arg(options),
            JsValue::UNDEFINED,
        )
        .unchecked_into()
    }
    fn update(
        &self,
        id: JsValue,
        body: Ts<EngagementInput>,
        query: Option<Ts<RecordQuery>>,
        options: Option<Ts<RequestOptions>>,
    ) -> Promise {
        self.call(
            TrutoMethod::Update.op(),
            id,
            arg(Some(body)),
            arg(query),
            arg(options),
        )
        .unchecked_into()
    }
    fn delete(
        &self,
        id: JsValue,
        query: Option<Ts<DeleteQuery>>,
        options: Option<Ts<RequestOptions>>,
    ) -> Promise {
        self.call(
            TrutoMethod::Delete.op(),
            id,
            arg(query),
            arg(options),
            JsValue::UNDEFINED,
        )
        .unchecked_into()
    }
}

fn client(account: &str, extra: &str) -> JsTrutoClient {
    let opts = json(&format!(
        r#"{{"token":"test-token","integratedAccountId":"{account}","baseUrl":"{}"{extra}}}"#,
        mock()
    ));
    JsTrutoClient::new(opts).unwrap_or_else(|e| panic!("client: {e:?}"))
}

#[wasm_bindgen_test]
async fn list_returns_truto_envelope() {
    let c = client("w-list", "");
    let page = ok(c.list(q(r#"{"limit":5}"#), None)).await;
    assert_eq!(Array::from(&get(&page, "result")).length(), 5);
    assert!(get(&page, "next_cursor").is_string());
    let reqs = requests_for("w-list").await;
    let last = reqs.last().expect("recorded");
    assert_eq!(get(last, "method").as_string().unwrap(), "GET");
    assert_eq!(
        get(last, "query").as_string().unwrap(),
        "integrated_account_id=w-list&limit=5"
    );
    let headers = get(last, "headers");
    assert_eq!(
        get(&headers, "authorization").as_string().unwrap(),
        "Bearer test-token"
    );
    assert!(get(&headers, "idempotency-key").is_undefined());
}

#[wasm_bindgen_test]
async fn list_all_follows_cursors() {
    let c = client("w-all", "");
    let ids = drain(&c.list_all(q(r#"{"limit":7}"#), None)).await;
    assert_eq!(ids.len(), 25);
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 25);
    assert_eq!(requests_for("w-all").await.len(), 4, "ceil(25 / 7) pages");
}

#[wasm_bindgen_test]
async fn list_all_yields_values_of_keyed_result() {
    let c = client("w-keyed", "");
    let ids = drain(&c.list_all(q(r#"{"limit":10,"truto_key_by":"id"}"#), None)).await;
    assert_eq!(ids.len(), 25);
}

#[wasm_bindgen_test]
async fn return_stops_fetching() {
    let c = client("w-stop", "");
    let iter = c.list_all(q(r#"{"limit":5}"#), None);
    let next: Function = get(&iter, "nextPage").unchecked_into();
    let first = ok(next
        .call1(&iter, &JsValue::from(0))
        .unwrap()
        .unchecked_into())
    .await;
    assert_eq!(Array::from(&first).length(), 5);
    let stop: Function = get(&iter, "stop").unchecked_into();
    stop.call0(&iter).unwrap();
    let after = ok(next
        .call1(&iter, &JsValue::from(0))
        .unwrap()
        .unchecked_into())
    .await;
    assert!(after.is_null(), "no page after stop()");
    assert_eq!(requests_for("w-stop").await.len(), 1);
}

#[wasm_bindgen_test]
async fn crud_round_trip() {
    let c = client("w-crud", "");
    let created = ok(c.create(
        Ts::new_unchecked(json(r#"{"subject":"Intro call","engagement_type":"call","direction":"outbound","contact":[{"id":"c1"}]}"#)),
        None,
        None,
    ))
    .await;
    let id = get(&created, "id").as_string().unwrap();
    let got = ok(c.get(JsValue::from_str(&id), None, None)).await;
    assert_eq!(get(&got, "subject").as_string().unwrap(), "Intro call");
    let updated = ok(c.update(
        JsValue::from_str(&id),
        Ts::new_unchecked(json(r#"{"subject":"Follow-up"}"#)),
        None,
        None,
    ))
    .await;
    assert_eq!(get(&updated, "subject").as_string().unwrap(), "Follow-up");
    let deleted = ok(c.delete(JsValue::from_str(&id), None, None)).await;
    assert_eq!(get(&deleted, "id").as_string().unwrap(), id);
    let gone = err(c.get(JsValue::from_str(&id), None, None)).await;
    assert!(gone.is_instance_of::<js_sys::Error>());
    assert_eq!(get(&gone, "name").as_string().unwrap(), "EngagementsError");
    assert_eq!(kind(&gone), "http");
    assert_eq!(get(&gone, "status").as_f64(), Some(404.0));
    assert!(get(&gone, "requestId").is_string());
    // (`isEngagementsError` itself is JavaScript, tested by the package tests.)
    let reqs = requests_for("w-crud").await;
    let methods: Vec<String> = reqs
        .iter()
        .map(|r| get(r, "method").as_string().unwrap())
        .collect();
    assert_eq!(methods, ["POST", "GET", "PATCH", "DELETE", "GET"]);
    assert_eq!(
        get(&reqs[2], "body").as_string().unwrap(),
        r#"{"subject":"Follow-up"}"#
    );
    for write in [&reqs[0], &reqs[2]] {
        assert!(get(&get(write, "headers"), "idempotency-key").is_string());
    }
}

#[wasm_bindgen_test]
async fn validation_rejects_without_sending() {
    let c = client("w-valid", "");
    let e = err(c.create(
        Ts::new_unchecked(json(r#"{"direction":"sideways"}"#)),
        None,
        None,
    ))
    .await;
    assert_eq!(kind(&e), "validation");
    assert_eq!(get(&e, "field").as_string().unwrap(), "body.direction");
    assert_eq!(get(&e, "attempts").as_f64(), Some(0.0));
    let e = err(c.get(JsValue::from(42), None, None)).await;
    assert_eq!(get(&e, "code").as_string().unwrap(), "invalid_id");
    let e = err(c.list(q(r#"{"limit":"10"}"#), None)).await;
    assert_eq!(kind(&e), "validation");
    let e = err(c.list(q(r#"{"truto_response_format":"stream"}"#), None)).await;
    assert!(get(&e, "message")
        .as_string()
        .unwrap()
        .contains("listStream"));
    let e = err(c.list(
        q(r#"{"start_time":"2024-01-01T00:00:00Z","end_time":"2025-06-01T00:00:00Z"}"#),
        None,
    ))
    .await;
    assert_eq!(get(&e, "code").as_string().unwrap(), "invalid_time_range");
    assert!(requests_for("w-valid").await.is_empty());
}

#[wasm_bindgen_test]
fn constructor_throws_config_errors() {
    for opts in [
        r#"{"baseUrl":"not a url"}"#,
        r#"{"token":"t","baseUrl":"http://example.com"}"#,
        r#"{"timeoutMs":-1}"#,
        r#"{"baseURL":"https://x"}"#,
    ] {
        let e = JsTrutoClient::new(json(opts)).expect_err(opts);
        assert_eq!(kind(&e), "config", "{opts}");
        assert!(e.is_instance_of::<js_sys::Error>());
    }
}

#[wasm_bindgen_test]
async fn wrong_token_is_an_http_401() {
    let opts = json(&format!(
        r#"{{"token":"wrong","integratedAccountId":"w-401","baseUrl":"{}"}}"#,
        mock()
    ));
    let c = JsTrutoClient::new(opts).unwrap();
    let e = err(c.list(None, None)).await;
    assert_eq!(get(&e, "status").as_f64(), Some(401.0));
    assert_eq!(
        get(&e, "attempts").as_f64(),
        Some(1.0),
        "401 is never retried"
    );
    let message = get(&e, "message").as_string().unwrap();
    assert!(
        !message.contains("wrong"),
        "the token never appears in messages"
    );
}

#[wasm_bindgen_test]
async fn create_retried_after_502_keeps_one_record() {
    control("DELETE", "/__mock/faults", None).await;
    control("POST", "/__mock/faults", Some(r#"{"faults":[{"match":{"method":"POST","path":"/unified/crm/engagements"},"status":502}]}"#)).await;
    let c = client("w-retry", "");
    ok(c.create(Ts::new_unchecked(json(r#"{"subject":"Once"}"#)), None, None)).await;
    let reqs = requests_for("w-retry").await;
    assert_eq!(reqs.len(), 2);
    let key = |r: &JsValue| {
        get(&get(r, "headers"), "idempotency-key")
            .as_string()
            .unwrap()
    };
    assert_eq!(
        key(&reqs[0]),
        key(&reqs[1]),
        "retries reuse the Idempotency-Key"
    );
    let store: Array = control("GET", "/__mock/store?integrated_account_id=w-retry", None)
        .await
        .unchecked_into();
    let once = store
        .iter()
        .filter(|e| get(e, "subject").as_string().as_deref() == Some("Once"))
        .count();
    assert_eq!(once, 1);
}

#[wasm_bindgen_test]
async fn timeout_aborts_the_fetch() {
    control("DELETE", "/__mock/faults", None).await;
    control("POST", "/__mock/faults", Some(r#"{"faults":[{"match":{"method":"GET","path":"/unified/crm/engagements"},"delayMs":3000}]}"#)).await;
    let c = client("w-timeout", r#","timeoutMs":150,"maxRetries":0"#);
    let e = err(c.list(None, None)).await;
    assert_eq!(kind(&e), "timeout");
    assert_eq!(get(&e, "attempts").as_f64(), Some(1.0));
    // The mock sees the connection closed before it answered (bounded wait).
    for _ in 0..100 {
        let reqs = requests_for("w-timeout").await;
        if reqs
            .iter()
            .any(|r| get(r, "outcome").as_string().as_deref() == Some("client_closed"))
        {
            return;
        }
        sleep(20.0).await;
    }
    panic!("the mock never saw the timed-out connection close");
}

#[wasm_bindgen_test]
async fn abort_signal_cancels_during_a_retry_wait() {
    control("DELETE", "/__mock/faults", None).await;
    control("POST", "/__mock/faults", Some(r#"{"faults":[{"match":{"method":"GET","path":"/unified/crm/engagements"},"status":429,"headers":{"retry-after":"30"}}]}"#)).await;
    let c = client("w-abort", "");
    let controller = web_sys::AbortController::new().unwrap();
    let opts = Object::new();
    set(&opts, "signal", &controller.signal());
    let started = js_sys::Date::now();
    let pending = c.list(None, Some(Ts::new_unchecked(opts.into())));
    sleep(100.0).await;
    controller.abort();
    let e = err(pending).await;
    assert_eq!(kind(&e), "aborted");
    assert!(
        js_sys::Date::now() - started < 5_000.0,
        "did not wait out Retry-After"
    );
    control("DELETE", "/__mock/faults", None).await;
}

#[wasm_bindgen_test]
async fn list_stream_is_a_readable_stream() {
    let c = client("w-stream", "");
    let stream = ok(c.list_stream(q(r#"{"limit":3}"#), None)).await;
    assert!(stream.is_instance_of::<web_sys::ReadableStream>());
    let reqs = requests_for("w-stream").await;
    assert!(get(&reqs[0], "query")
        .as_string()
        .unwrap()
        .contains("truto_response_format=stream"));
}

/// Creates with a fault on the first POST; returns how many records hold `subject`.
async fn create_through(fault: &str, account: &str, subject: &str) -> usize {
    control("DELETE", "/__mock/faults", None).await;
    let faults = format!(
        r#"{{"faults":[{{"match":{{"method":"POST","path":"/unified/crm/engagements"}},{fault}}}]}}"#
    );
    control("POST", "/__mock/faults", Some(&faults)).await;
    let c = client(account, "");
    let body = json(&format!(r#"{{"subject":"{subject}"}}"#));
    ok(c.create(Ts::new_unchecked(body), None, None)).await;
    let store: Array = control(
        "GET",
        &format!("/__mock/store?integrated_account_id={account}"),
        None,
    )
    .await
    .unchecked_into();
    store
        .iter()
        .filter(|e| get(e, "subject").as_string().as_deref() == Some(subject))
        .count()
}

#[wasm_bindgen_test]
async fn create_after_a_dropped_connection_keeps_one_record() {
    assert_eq!(
        create_through(r#""drop":true"#, "w-drop", "Dropped once").await,
        1
    );
    assert_eq!(requests_for("w-drop").await.len(), 2, "retried once");
}

#[wasm_bindgen_test]
async fn create_after_a_truncated_answer_keeps_one_record() {
    // The server acted and the answer broke off: the retry must be replayed by key.
    assert_eq!(
        create_through(r#""truncate":true"#, "w-trunc", "Cut once").await,
        1
    );
    let reqs = requests_for("w-trunc").await;
    assert_eq!(reqs.len(), 2);
    let key = |r: &JsValue| get(&get(r, "headers"), "idempotency-key").as_string();
    assert_eq!(key(&reqs[0]), key(&reqs[1]));
}

#[wasm_bindgen_test]
async fn abort_between_pages_of_list_all_stops_fetching() {
    let c = client("w-abort-pages", "");
    let controller = web_sys::AbortController::new().unwrap();
    let opts = Object::new();
    set(&opts, "signal", &controller.signal());
    let iter = c.list_all(q(r#"{"limit":5}"#), Some(Ts::new_unchecked(opts.into())));
    let next: Function = get(&iter, "nextPage").unchecked_into();
    let first = ok(next
        .call1(&iter, &JsValue::from(0))
        .unwrap()
        .unchecked_into())
    .await;
    assert_eq!(Array::from(&first).length(), 5);
    controller.abort();
    let e = err(next
        .call1(&iter, &JsValue::from(0))
        .unwrap()
        .unchecked_into())
    .await;
    assert_eq!(kind(&e), "aborted");
    assert_eq!(
        requests_for("w-abort-pages").await.len(),
        1,
        "no page after the abort"
    );
}

#[wasm_bindgen_test]
async fn a_hostile_id_stays_one_path_segment() {
    let c = client("w-id", "");
    let e = err(c.get(JsValue::from_str("a/../b?c=1#d%e f"), None, None)).await;
    assert_eq!(get(&e, "status").as_f64(), Some(404.0));
    let reqs = requests_for("w-id").await;
    assert_eq!(
        get(&reqs[0], "path").as_string().unwrap(),
        "/unified/crm/engagements/a%2F..%2Fb%3Fc%3D1%23d%25e%20f"
    );
    assert!(get(&e, "message")
        .as_string()
        .unwrap()
        .contains("a/../b?c=1#d%e f"));
}

#[wasm_bindgen_test]
async fn a_custom_fetch_that_ignores_the_signal_still_times_out() {
    // A fetch that never settles and never looks at the signal.
    let never = Closure::wrap(
        Box::new(|_: JsValue, _: JsValue| Promise::new(&mut |_, _| {}))
            as Box<dyn FnMut(JsValue, JsValue) -> Promise>,
    )
    .into_js_value();
    let opts = json(&format!(
        r#"{{"token":"test-token","integratedAccountId":"w-never","baseUrl":"{}","timeoutMs":150,"maxRetries":0}}"#,
        mock()
    ));
    set(&opts, "fetch", &never);
    let c = JsTrutoClient::new(opts).unwrap();
    let started = js_sys::Date::now();
    let e = err(c.list(None, None)).await;
    assert_eq!(kind(&e), "timeout");
    // 150 ms timeout; the failure this catches is a call that never settles.
    assert!(js_sys::Date::now() - started < 10_000.0);
}
