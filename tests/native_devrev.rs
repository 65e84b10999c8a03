#![cfg(not(target_arch = "wasm32"))]
//! Native tests of `DevRevClient` over a scripted fake transport: what goes on
//! the wire, unwrapping of `{ engagement }`, validation, error mapping,
//! retries (DevRev writes carry no idempotency key), pagination guards and the
//! mapping onto the unified engagement.

mod native_support;

use crm_engagements::devrev::model::{
    DevRevCountRequest, DevRevCreate, DevRevListRequest, DevRevSetIds, DevRevSetTag, DevRevSetTags,
    DevRevUpdate, CREATE_TYPES, TYPES,
};
use crm_engagements::devrev::unify::to_engagement;
use crm_engagements::devrev::{DevRevClient, DevRevListAll};
use crm_engagements::{CallOptions, ClientOptions, Error, ErrorKind, Json, Method, ReadAs, Token};
use native_support::{block_on, AbortFlag, FakeTransport, Outcome};
use serde_json::json;

const TOKEN: &str = "devrev_PAT_sEcReT_9qZ-do-not-leak";
const BASE: &str = "https://api.devrev.ai";
/// The fake clock's default time, in ms.
const NOW_MS: f64 = 1_700_000_000_000.0;
const ENG_ID: &str = "don:core:dvrv-us-1:devo/0:engagement/7";

type Client = DevRevClient<FakeTransport>;
type Opts = CallOptions<AbortFlag>;

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

fn with_token() -> ClientOptions {
    ClientOptions {
        token: Some(Token::new(TOKEN)),
        ..Default::default()
    }
}

fn client(t: &FakeTransport) -> Client {
    DevRevClient::new(t.clone(), with_token()).unwrap()
}

fn client_with(t: &FakeTransport, options: ClientOptions) -> Client {
    DevRevClient::new(t.clone(), options).unwrap()
}

fn no_opts() -> Opts {
    CallOptions::default()
}

fn retries(n: f64) -> Opts {
    CallOptions {
        max_retries: Some(n),
        ..Default::default()
    }
}

fn headers(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn bearer() -> String {
    format!("Bearer {TOKEN}")
}

/// The headers of every DevRev call made with the default client.
fn post_headers() -> Vec<(String, String)> {
    headers(&[
        ("accept", "application/json"),
        ("content-type", "application/json"),
        ("x-devrev-scope", "beta"),
        ("authorization", &bearer()),
    ])
}

fn url(op: &str) -> String {
    format!("{BASE}/engagements.{op}")
}

fn eng(id: &str) -> Json {
    json!({ "id": id, "title": format!("title of {id}") })
}

/// `{ engagement: ... }`, as get/create/update answer.
fn wrapped(engagement: &Json) -> Outcome {
    Outcome::json(200, &json!({ "engagement": engagement }))
}

/// A list page; cursors that are `None` are omitted, as DevRev does.
fn page(items: Json, next: Option<&str>, prev: Option<&str>) -> Outcome {
    let mut body = json!({ "engagements": items });
    if let Some(c) = next {
        body["next_cursor"] = json!(c);
    }
    if let Some(c) = prev {
        body["prev_cursor"] = json!(c);
    }
    Outcome::json(200, &body)
}

/// A DevRev error body: `{ type, message, detail }`.
fn devrev_error(kind: &str, message: &str, detail: &str) -> String {
    json!({ "type": kind, "message": message, "detail": detail }).to_string()
}

fn assert_validation(err: &Error, code: &str, field: &str) {
    assert_eq!(err.kind(), ErrorKind::Validation, "{err:?}");
    assert_eq!(err.code(), Some(code), "{err:?}");
    assert_eq!(err.field(), Some(field), "{err:?}");
    assert_eq!(err.attempts(), 0, "{err:?}");
}

fn assert_nothing_sent(t: &FakeTransport) {
    assert_eq!(t.sent_count(), 0, "a request was sent: {:?}", t.requests());
}

fn assert_decode(err: &Error, code: &str, attempts: u32) {
    assert_eq!(err.kind(), ErrorKind::Decode, "{err:?}");
    assert_eq!(err.code(), Some(code), "{err:?}");
    assert_eq!(err.attempts(), attempts, "{err:?}");
}

/// The JSON body texts of every request sent.
fn bodies(t: &FakeTransport) -> Vec<String> {
    t.requests()
        .into_iter()
        .map(|r| r.body.expect("every DevRev call has a body"))
        .collect()
}

fn drain(client: &Client, state: &mut DevRevListAll) -> (Vec<Json>, Option<Error>) {
    let mut items = Vec::new();
    for _ in 0..100 {
        match block_on(client.next(state, &no_opts())) {
            Ok(Some(item)) => items.push(item),
            Ok(None) => return (items, None),
            Err(e) => return (items, Some(e)),
        }
    }
    panic!("listAll did not end after 100 steps");
}

fn ids(items: &[Json]) -> Vec<String> {
    items
        .iter()
        .map(|i| i["id"].as_str().unwrap_or("?").to_owned())
        .collect()
}

fn strings(values: &[&str]) -> Vec<String> {
    values.iter().map(|s| s.to_string()).collect()
}

fn members(n: usize) -> Vec<String> {
    (1..=n).map(|i| format!("DEVU-{i}")).collect()
}

fn valid_create() -> DevRevCreate {
    DevRevCreate {
        title: Some("Kick-off".into()),
        scheduled_date: Some("2024-05-01T09:30:00Z".into()),
        members: Some(strings(&["DEVU-1"])),
        ..Default::default()
    }
}

fn update_of(id: &str) -> DevRevUpdate {
    DevRevUpdate {
        id: Some(id.into()),
        ..Default::default()
    }
}

fn set(ids: Vec<String>) -> Option<DevRevSetIds> {
    Some(DevRevSetIds { set: Some(ids) })
}

// ---------------------------------------------------------------------------
// 1. Golden wire tests
// ---------------------------------------------------------------------------

fn rich_list_request() -> DevRevListRequest {
    DevRevListRequest {
        cursor: Some("c0/é".into()),
        limit: Some(25),
        mode: Some("after".into()),
        types: Some(strings(&["call", "meeting", "conversation"])),
        members: Some(strings(&["DEVU-1", "don:identity:dvrv-us-1:devo/0:revu/9"])),
        parent: Some(strings(&["ACC-2", "OPP-3"])),
        external_ref: Some(strings(&["ext-1", "Café ☕"])),
        sort_by: Some(strings(&["scheduled_date:desc", "created_date:asc"])),
    }
}

/// `rich_list_request()` on the wire: struct field order, `types` as `type`.
const RICH_LIST_BODY: &str = r#"{"cursor":"c0/é","limit":25,"mode":"after","type":["call","meeting","conversation"],"members":["DEVU-1","don:identity:dvrv-us-1:devo/0:revu/9"],"parent":["ACC-2","OPP-3"],"external_ref":["ext-1","Café ☕"],"sort_by":["scheduled_date:desc","created_date:asc"]}"#;

#[test]
fn list_sends_post_with_exact_headers_and_every_body_field() {
    let envelope = json!({
        "engagements": [eng("e1")],
        "next_cursor": "n1",
        "prev_cursor": "p0",
    });
    let t = FakeTransport::with([Outcome::json(200, &envelope)]);
    let options = ClientOptions {
        headers: headers(&[("X-Team", "crm")]),
        ..with_token()
    };
    let c = client_with(&t, options);
    let opts = CallOptions {
        headers: headers(&[("X-Trace", "t-1")]),
        ..Default::default()
    };
    let got = block_on(c.list(rich_list_request(), &opts)).unwrap();
    assert_eq!(got, envelope, "the envelope is handed back as sent");

    let sent = t.sent();
    assert_eq!(sent.len(), 1);
    let req = &sent[0].request;
    assert_eq!(req.method, Method::Post);
    assert_eq!(req.url, url("list"));
    assert_eq!(
        req.headers,
        headers(&[
            ("accept", "application/json"),
            ("content-type", "application/json"),
            ("x-devrev-scope", "beta"),
            ("x-team", "crm"),
            ("x-trace", "t-1"),
            ("authorization", &bearer()),
        ])
    );
    assert_eq!(req.body.as_deref(), Some(RICH_LIST_BODY));
    assert_eq!(sent[0].read, ReadAs::Json);
    assert_eq!(sent[0].timeout_ms, 30_000);
}

#[test]
fn list_leaves_absent_fields_out_of_the_body() {
    let t = FakeTransport::with([page(json!([]), None, None), page(json!([]), None, None)]);
    let c = client(&t);
    block_on(c.list(DevRevListRequest::default(), &no_opts())).unwrap();
    let request = DevRevListRequest {
        limit: Some(10),
        sort_by: Some(strings(&["scheduled_date:desc"])),
        ..Default::default()
    };
    block_on(c.list(request, &no_opts())).unwrap();
    assert_eq!(
        bodies(&t),
        ["{}", r#"{"limit":10,"sort_by":["scheduled_date:desc"]}"#]
    );
    for req in t.requests() {
        assert_eq!(req.method, Method::Post);
        assert_eq!(req.url, url("list"));
        assert_eq!(req.headers, post_headers());
    }
}

#[test]
fn list_resolves_to_a_last_page_without_cursors() {
    let envelope = json!({ "engagements": [eng("e1"), eng("e2")] });
    let t = FakeTransport::with([Outcome::json(200, &envelope)]);
    let c = client(&t);
    let got = block_on(c.list(DevRevListRequest::default(), &no_opts())).unwrap();
    assert_eq!(got, envelope);
}

#[test]
fn list_all_mode_after_follows_next_cursor_until_devrev_omits_it() {
    let t = FakeTransport::with([
        page(json!([eng("e1"), eng("e2")]), Some("c1"), None),
        page(json!([eng("e3")]), Some("c 2/x"), Some("p1")),
        // DevRev omits next_cursor on the last page; prev_cursor is ignored.
        page(json!([eng("e4")]), None, Some("p2")),
    ]);
    let c = client(&t);
    let request = DevRevListRequest {
        limit: Some(2),
        types: Some(strings(&["call"])),
        ..Default::default()
    };
    let mut state = c.list_all(request, None).unwrap();
    assert_nothing_sent(&t);
    let (items, err) = drain(&c, &mut state);
    assert!(err.is_none(), "{err:?}");
    assert_eq!(ids(&items), ["e1", "e2", "e3", "e4"]);
    assert_eq!(
        bodies(&t),
        [
            r#"{"limit":2,"type":["call"]}"#,
            r#"{"cursor":"c1","limit":2,"type":["call"]}"#,
            r#"{"cursor":"c 2/x","limit":2,"type":["call"]}"#,
        ]
    );
    for req in t.requests() {
        assert_eq!(req.method, Method::Post);
        assert_eq!(req.url, url("list"));
        assert_eq!(req.headers, post_headers());
    }
    // The end is sticky.
    assert_eq!(block_on(c.next(&mut state, &no_opts())).unwrap(), None);
    assert_eq!(t.sent_count(), 3);
}

#[test]
fn list_all_mode_before_follows_prev_cursor() {
    let t = FakeTransport::with([
        page(json!([eng("e9"), eng("e8")]), Some("n-ignored"), Some("p1")),
        page(json!([eng("e7")]), Some("n-ignored-2"), Some("p2")),
        // No prev_cursor: nothing earlier exists, whatever next_cursor says.
        page(json!([eng("e6")]), Some("n-ignored-3"), None),
    ]);
    let c = client(&t);
    let request = DevRevListRequest {
        mode: Some("before".into()),
        ..Default::default()
    };
    let mut state = c.list_all(request, None).unwrap();
    let (items, err) = drain(&c, &mut state);
    assert!(err.is_none(), "{err:?}");
    assert_eq!(ids(&items), ["e9", "e8", "e7", "e6"]);
    assert_eq!(
        bodies(&t),
        [
            r#"{"mode":"before"}"#,
            r#"{"cursor":"p1","mode":"before"}"#,
            r#"{"cursor":"p2","mode":"before"}"#,
        ]
    );
}

#[test]
fn list_all_mode_after_explicitly_ignores_prev_cursor() {
    let t = FakeTransport::with([page(json!([eng("e1")]), None, Some("p0"))]);
    let c = client(&t);
    let request = DevRevListRequest {
        mode: Some("after".into()),
        ..Default::default()
    };
    let mut state = c.list_all(request, None).unwrap();
    let (items, err) = drain(&c, &mut state);
    assert!(err.is_none());
    assert_eq!(ids(&items), ["e1"]);
    assert_eq!(bodies(&t), [r#"{"mode":"after"}"#]);
}

#[test]
fn list_all_starts_at_the_request_cursor() {
    let t = FakeTransport::with([
        page(json!([eng("e5")]), Some("c6"), None),
        page(json!([eng("e6")]), None, None),
    ]);
    let c = client(&t);
    let request = DevRevListRequest {
        cursor: Some("start-here".into()),
        limit: Some(1),
        ..Default::default()
    };
    let mut state = c.list_all(request, None).unwrap();
    let (items, _) = drain(&c, &mut state);
    assert_eq!(ids(&items), ["e5", "e6"]);
    assert_eq!(
        bodies(&t),
        [
            r#"{"cursor":"start-here","limit":1}"#,
            r#"{"cursor":"c6","limit":1}"#,
        ]
    );
}

#[test]
fn get_posts_the_id_and_resolves_to_the_inner_engagement() {
    let engagement = json!({ "id": ENG_ID, "display_id": "ENG-7", "title": "QBR" });
    let t = FakeTransport::with([wrapped(&engagement)]);
    let c = client(&t);
    let got = block_on(c.get(ENG_ID, &no_opts())).unwrap();
    assert_eq!(got, engagement);

    let sent = t.sent();
    assert_eq!(sent.len(), 1);
    let req = &sent[0].request;
    assert_eq!(req.method, Method::Post);
    assert_eq!(req.url, url("get"));
    assert_eq!(req.headers, post_headers());
    assert_eq!(
        req.body.as_deref(),
        Some(r#"{"id":"don:core:dvrv-us-1:devo/0:engagement/7"}"#)
    );
    assert_eq!(sent[0].read, ReadAs::Json);
}

#[test]
fn get_sends_ids_that_a_url_could_not_carry_as_json() {
    let t = FakeTransport::with([wrapped(&eng("a/b \"c\" ü"))]);
    let c = client(&t);
    block_on(c.get("a/b \"c\" ü", &no_opts())).unwrap();
    assert_eq!(t.last().url, url("get"));
    assert_eq!(t.last().body.as_deref(), Some(r#"{"id":"a/b \"c\" ü"}"#));
}

fn full_create() -> DevRevCreate {
    DevRevCreate {
        title: Some("Kick-off ☕ «Q3»".into()),
        scheduled_date: Some("2023-01-01T12:00:00.000Z".into()),
        members: Some(strings(&["DEVU-1", "don:identity:dvrv-us-1:devo/0:revu/9"])),
        description: Some("Line 1\nLine \"2\"".into()),
        engagement_type: Some("linked_in".into()),
        parent: Some("ACC-2".into()),
        parents: Some(strings(&["ACC-2", "OPP-3"])),
        artifacts: Some(strings(&["ARTIFACT-1"])),
        external_ref: Some("hubspot-42".into()),
        external_url: Some("https://crm.example/m/42".into()),
        tags: Some(vec![
            DevRevSetTag {
                id: "TAG-1".into(),
                value: Some("hot".into()),
            },
            DevRevSetTag {
                id: "TAG-2".into(),
                value: None,
            },
        ]),
    }
}

const FULL_CREATE_JSON: &str = r#"{"title":"Kick-off ☕ «Q3»","scheduled_date":"2023-01-01T12:00:00.000Z","members":["DEVU-1","don:identity:dvrv-us-1:devo/0:revu/9"],"description":"Line 1\nLine \"2\"","engagement_type":"linked_in","parent":"ACC-2","parents":["ACC-2","OPP-3"],"artifacts":["ARTIFACT-1"],"external_ref":"hubspot-42","external_url":"https://crm.example/m/42","tags":[{"id":"TAG-1","value":"hot"},{"id":"TAG-2"}]}"#;

#[test]
fn create_posts_every_field_in_order_without_an_idempotency_key() {
    let created = json!({ "id": ENG_ID, "title": "Kick-off ☕ «Q3»" });
    let t = FakeTransport::with([Outcome::json(201, &json!({ "engagement": created }))]);
    let c = client(&t);
    let got = block_on(c.create(full_create(), &no_opts())).unwrap();
    assert_eq!(got, created);

    let sent = t.sent();
    assert_eq!(sent.len(), 1);
    let req = &sent[0].request;
    assert_eq!(req.method, Method::Post);
    assert_eq!(req.url, url("create"));
    assert_eq!(req.headers, post_headers());
    assert_eq!(req.body.as_deref(), Some(FULL_CREATE_JSON));
    assert_eq!(t.ids_issued(), 0);
}

#[test]
fn create_with_only_the_required_fields() {
    let t = FakeTransport::with([wrapped(&eng("e1"))]);
    let c = client(&t);
    block_on(c.create(valid_create(), &no_opts())).unwrap();
    assert_eq!(
        t.last().body.as_deref(),
        Some(
            r#"{"title":"Kick-off","scheduled_date":"2024-05-01T09:30:00Z","members":["DEVU-1"]}"#
        )
    );
}

#[test]
fn update_sends_null_to_clear_the_scheduled_date_and_nothing_when_absent() {
    let updated = json!({ "id": "ENG-1" });
    let t = FakeTransport::with([wrapped(&updated), wrapped(&updated)]);
    let c = client(&t);
    let clear = DevRevUpdate {
        id: Some("ENG-1".into()),
        scheduled_date: Some(None),
        ..Default::default()
    };
    block_on(c.update(clear, &no_opts())).unwrap();
    assert_eq!(
        t.last().body.as_deref(),
        Some(r#"{"id":"ENG-1","scheduled_date":null}"#)
    );
    let untouched = DevRevUpdate {
        id: Some("ENG-1".into()),
        ..Default::default()
    };
    block_on(c.update(untouched, &no_opts())).unwrap();
    assert_eq!(t.last().body.as_deref(), Some(r#"{"id":"ENG-1"}"#));
}

#[test]
fn update_posts_the_id_and_set_wrappers() {
    let updated = json!({ "id": "ENG-1", "title": "Renamed" });
    let t = FakeTransport::with([wrapped(&updated)]);
    let c = client(&t);
    let body = DevRevUpdate {
        id: Some("ENG-1".into()),
        title: Some("Renamed".into()),
        description: Some("d".into()),
        scheduled_date: Some(Some("2024-05-02T10:00:00+02:00".into())),
        members: set(strings(&["DEVU-1", "DEVU-2"])),
        // Parents may be cleared: `set: []` is allowed.
        parents: set(vec![]),
        artifacts: set(strings(&["ARTIFACT-1"])),
        tags: Some(DevRevSetTags {
            set: Some(vec![DevRevSetTag {
                id: "TAG-1".into(),
                value: Some("hot".into()),
            }]),
        }),
        external_ref: Some("x-1".into()),
        external_url: Some("https://crm.example/1".into()),
    };
    let got = block_on(c.update(body, &no_opts())).unwrap();
    assert_eq!(got, updated);

    let req = t.last();
    assert_eq!(req.method, Method::Post);
    assert_eq!(req.url, url("update"));
    assert_eq!(req.headers, post_headers());
    assert_eq!(
        req.body.as_deref(),
        Some(
            r#"{"id":"ENG-1","title":"Renamed","description":"d","scheduled_date":"2024-05-02T10:00:00+02:00","members":{"set":["DEVU-1","DEVU-2"]},"parents":{"set":[]},"artifacts":{"set":["ARTIFACT-1"]},"tags":{"set":[{"id":"TAG-1","value":"hot"}]},"external_ref":"x-1","external_url":"https://crm.example/1"}"#
        )
    );
}

#[test]
fn update_sends_only_the_given_fields() {
    let t = FakeTransport::with([wrapped(&eng("ENG-1"))]);
    let c = client(&t);
    let body = DevRevUpdate {
        title: Some("Renamed".into()),
        ..update_of("ENG-1")
    };
    block_on(c.update(body, &no_opts())).unwrap();
    assert_eq!(
        t.last().body.as_deref(),
        Some(r#"{"id":"ENG-1","title":"Renamed"}"#)
    );
}

#[test]
fn delete_posts_the_id_and_resolves_to_nothing() {
    let t = FakeTransport::with([Outcome::json(200, &json!({})), Outcome::reply(204, "")]);
    let c = client(&t);
    let () = block_on(c.delete("ENG-1", &no_opts())).unwrap();
    block_on(c.delete("ENG-2", &no_opts())).unwrap();

    let reqs = t.requests();
    assert_eq!(reqs.len(), 2);
    for req in &reqs {
        assert_eq!(req.method, Method::Post);
        assert_eq!(req.url, url("delete"));
        assert_eq!(req.headers, post_headers());
    }
    assert_eq!(bodies(&t), [r#"{"id":"ENG-1"}"#, r#"{"id":"ENG-2"}"#]);
}

#[test]
fn count_posts_the_filter_and_resolves_to_the_number() {
    let t = FakeTransport::with([
        Outcome::json(200, &json!({ "count": 42 })),
        Outcome::json(200, &json!({ "count": 0 })),
    ]);
    let c = client(&t);
    let filter = DevRevCountRequest {
        types: Some(strings(&["call", "survey"])),
        members: Some(strings(&["DEVU-1"])),
        parent: Some(strings(&["ACC-2"])),
        external_ref: Some(strings(&["ext-1"])),
    };
    assert_eq!(block_on(c.count(filter, &no_opts())).unwrap(), 42.0);
    assert_eq!(
        block_on(c.count(DevRevCountRequest::default(), &no_opts())).unwrap(),
        0.0
    );

    let reqs = t.requests();
    for req in &reqs {
        assert_eq!(req.method, Method::Post);
        assert_eq!(req.url, url("count"));
        assert_eq!(req.headers, post_headers());
    }
    assert_eq!(
        bodies(&t),
        [
            r#"{"type":["call","survey"],"members":["DEVU-1"],"parent":["ACC-2"],"external_ref":["ext-1"]}"#,
            "{}",
        ]
    );
}

#[test]
fn no_devrev_call_carries_an_idempotency_key() {
    let t = FakeTransport::with([
        page(json!([]), None, None),
        wrapped(&eng("e1")),
        wrapped(&eng("e1")),
        wrapped(&eng("e1")),
        Outcome::json(200, &json!({})),
        Outcome::json(200, &json!({ "count": 1 })),
        page(json!([eng("e1")]), None, None),
    ]);
    let c = client(&t);
    // Even a caller-supplied key is not sent: DevRev documents none.
    let opts = || CallOptions {
        idempotency_key: Some("caller-key".into()),
        ..Default::default()
    };
    block_on(c.list(DevRevListRequest::default(), &opts())).unwrap();
    block_on(c.get("e1", &opts())).unwrap();
    block_on(c.create(valid_create(), &opts())).unwrap();
    block_on(c.update(update_of("e1"), &opts())).unwrap();
    block_on(c.delete("e1", &opts())).unwrap();
    block_on(c.count(DevRevCountRequest::default(), &opts())).unwrap();
    let mut state = c.list_all(DevRevListRequest::default(), None).unwrap();
    drain(&c, &mut state);
    let reqs = t.requests();
    assert_eq!(reqs.len(), 7);
    for req in reqs {
        assert_eq!(req.header("idempotency-key"), None, "{req:?}");
        assert_eq!(req.method, Method::Post);
    }
    assert_eq!(t.ids_issued(), 0);
}

#[test]
fn base_url_with_a_path_prefix_keeps_the_prefix_for_every_operation() {
    let t = FakeTransport::with([
        page(json!([]), None, None),
        wrapped(&eng("e1")),
        wrapped(&eng("e1")),
        wrapped(&eng("e1")),
        Outcome::json(200, &json!({})),
        Outcome::json(200, &json!({ "count": 3 })),
    ]);
    let options = ClientOptions {
        base_url: Some("https://proxy.example/devrev/".into()),
        ..with_token()
    };
    let c = client_with(&t, options);
    block_on(c.list(DevRevListRequest::default(), &no_opts())).unwrap();
    block_on(c.get("e1", &no_opts())).unwrap();
    block_on(c.create(valid_create(), &no_opts())).unwrap();
    block_on(c.update(update_of("e1"), &no_opts())).unwrap();
    block_on(c.delete("e1", &no_opts())).unwrap();
    block_on(c.count(DevRevCountRequest::default(), &no_opts())).unwrap();
    let urls: Vec<String> = t.requests().into_iter().map(|r| r.url).collect();
    assert_eq!(
        urls,
        [
            "https://proxy.example/devrev/engagements.list",
            "https://proxy.example/devrev/engagements.get",
            "https://proxy.example/devrev/engagements.create",
            "https://proxy.example/devrev/engagements.update",
            "https://proxy.example/devrev/engagements.delete",
            "https://proxy.example/devrev/engagements.count",
        ]
    );
}

#[test]
fn base_url_override_without_a_path_and_with_a_trailing_slash() {
    let t = FakeTransport::with([wrapped(&eng("e1"))]);
    let options = ClientOptions {
        base_url: Some("http://localhost:8787/".into()),
        ..with_token()
    };
    let c = client_with(&t, options);
    block_on(c.get("e1", &no_opts())).unwrap();
    assert_eq!(t.last().url, "http://localhost:8787/engagements.get");
}

#[test]
fn proxy_without_token_sends_no_authorization() {
    let t = FakeTransport::with([wrapped(&eng("e1"))]);
    let options = ClientOptions {
        base_url: Some("https://proxy.example/devrev".into()),
        ..Default::default()
    };
    let c = client_with(&t, options);
    block_on(c.get("e1", &no_opts())).unwrap();
    assert_eq!(
        t.last().headers,
        headers(&[
            ("accept", "application/json"),
            ("content-type", "application/json"),
            ("x-devrev-scope", "beta"),
        ])
    );
}

#[test]
fn bad_client_options_are_config_errors() {
    for (base, code) in [
        ("api.devrev.ai", "invalid_base_url"),
        ("https://api.devrev.ai?x=1", "invalid_base_url"),
        ("http://api.devrev.ai", "insecure_base_url"),
    ] {
        let options = ClientOptions {
            base_url: Some(base.into()),
            ..with_token()
        };
        let err = DevRevClient::new(FakeTransport::new(), options).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Config, "{base}");
        assert_eq!(err.code(), Some(code), "{base}");
        assert!(!err.message().contains(TOKEN));
    }
}

// ---------------------------------------------------------------------------
// 2. Unwrapping `{ engagement }`, `count` and list envelopes
// ---------------------------------------------------------------------------

#[test]
fn get_create_update_without_an_engagement_object_are_decode_errors() {
    for body in [
        json!({}),
        json!({ "engagement": null }),
        json!({ "engagement": [eng("e1")] }),
        json!({ "engagement": "e1" }),
        json!({ "engagements": [eng("e1")] }),
        json!([eng("e1")]),
        json!(eng("e1")),
    ] {
        let t = FakeTransport::with([
            Outcome::json(200, &body),
            Outcome::json(201, &body),
            Outcome::json(200, &body),
        ]);
        let c = client(&t);
        let err = block_on(c.get("e1", &no_opts())).unwrap_err();
        assert_decode(&err, "invalid_body", 1);
        let err = block_on(c.create(valid_create(), &no_opts())).unwrap_err();
        assert_decode(&err, "invalid_body", 1);
        let err = block_on(c.update(update_of("e1"), &no_opts())).unwrap_err();
        assert_decode(&err, "invalid_body", 1);
        assert_eq!(t.sent_count(), 3, "a decode error is not retried");
    }
}

#[test]
fn non_json_2xx_bodies_are_decode_errors() {
    let t = FakeTransport::with([
        Outcome::reply(200, "<html>ok</html>"),
        Outcome::reply(200, ""),
        Outcome::reply(200, "not json"),
    ]);
    let c = client(&t);
    assert_decode(
        &block_on(c.get("e1", &no_opts())).unwrap_err(),
        "invalid_body",
        1,
    );
    assert_decode(
        &block_on(c.count(DevRevCountRequest::default(), &no_opts())).unwrap_err(),
        "invalid_body",
        1,
    );
    assert_decode(
        &block_on(c.list(DevRevListRequest::default(), &no_opts())).unwrap_err(),
        "invalid_body",
        1,
    );
}

#[test]
fn decode_errors_count_the_attempts_made() {
    let t = FakeTransport::with([
        Outcome::reply(502, "bad gateway"),
        Outcome::json(200, &json!({ "id": "e1" })),
        Outcome::reply(503, ""),
        Outcome::json(200, &json!({ "ok": true })),
        Outcome::reply(500, ""),
        Outcome::reply(500, ""),
        Outcome::json(200, &json!({ "count": "7" })),
        Outcome::reply(504, ""),
        Outcome::json(200, &json!({ "items": [] })),
    ]);
    let c = client(&t);
    let err = block_on(c.get("e1", &no_opts())).unwrap_err();
    assert_decode(&err, "invalid_body", 2);
    let err = block_on(c.create(valid_create(), &no_opts())).unwrap_err();
    assert_decode(&err, "invalid_body", 2);
    let err = block_on(c.count(DevRevCountRequest::default(), &no_opts())).unwrap_err();
    assert_decode(&err, "invalid_body", 3);
    let err = block_on(c.list(DevRevListRequest::default(), &no_opts())).unwrap_err();
    assert_decode(&err, "invalid_envelope", 2);
    assert_eq!(t.remaining(), 0);
}

#[test]
fn delete_resolves_to_nothing_whatever_the_2xx_body() {
    let t = FakeTransport::with([
        Outcome::json(200, &json!({})),
        Outcome::reply(200, "not json"),
        Outcome::reply(204, ""),
    ]);
    let c = client(&t);
    for _ in 0..3 {
        block_on(c.delete("e1", &no_opts())).unwrap();
    }
    assert_eq!(t.sent_count(), 3);
}

#[test]
fn count_that_is_not_a_non_negative_number_is_a_decode_error() {
    for body in [
        json!({}),
        json!({ "count": "5" }),
        json!({ "count": null }),
        json!({ "count": -1 }),
        json!({ "count": [5] }),
        json!({ "total": 5 }),
        json!(5),
    ] {
        let t = FakeTransport::with([Outcome::json(200, &body)]);
        let c = client(&t);
        let err = block_on(c.count(DevRevCountRequest::default(), &no_opts())).unwrap_err();
        assert_decode(&err, "invalid_body", 1);
        assert_eq!(t.sent_count(), 1);
    }
}

#[test]
fn list_envelope_of_the_wrong_shape_is_a_decode_error() {
    for body in [
        json!({ "result": [] }),
        json!({ "engagements": {} }),
        json!({ "engagements": [], "next_cursor": 2 }),
        json!([]),
    ] {
        let t = FakeTransport::with([Outcome::json(200, &body)]);
        let c = client(&t);
        let err = block_on(c.list(DevRevListRequest::default(), &no_opts())).unwrap_err();
        assert_decode(&err, "invalid_envelope", 1);
    }
}

#[test]
fn list_checks_the_cursor_of_its_direction() {
    // Going backwards, a numeric prev_cursor is wrong; next_cursor is not looked at.
    let t = FakeTransport::with([
        Outcome::json(200, &json!({ "engagements": [], "prev_cursor": 3 })),
        Outcome::json(200, &json!({ "engagements": [], "next_cursor": 3 })),
        Outcome::json(200, &json!({ "engagements": [], "next_cursor": null })),
    ]);
    let c = client(&t);
    let before = || DevRevListRequest {
        mode: Some("before".into()),
        ..Default::default()
    };
    let err = block_on(c.list(before(), &no_opts())).unwrap_err();
    assert_decode(&err, "invalid_envelope", 1);
    block_on(c.list(before(), &no_opts())).unwrap();
    // A `null` cursor is the same as an absent one.
    block_on(c.list(DevRevListRequest::default(), &no_opts())).unwrap();
}

// ---------------------------------------------------------------------------
// 3. Validation before sending
// ---------------------------------------------------------------------------

#[test]
fn create_without_a_required_field_is_refused() {
    let t = FakeTransport::new();
    let c = client(&t);
    let cases = [
        (
            DevRevCreate {
                title: None,
                ..valid_create()
            },
            "body.title",
        ),
        (
            DevRevCreate {
                title: Some("   ".into()),
                ..valid_create()
            },
            "body.title",
        ),
        (
            DevRevCreate {
                scheduled_date: None,
                ..valid_create()
            },
            "body.scheduled_date",
        ),
        (
            DevRevCreate {
                scheduled_date: Some(String::new()),
                ..valid_create()
            },
            "body.scheduled_date",
        ),
        (
            DevRevCreate {
                members: None,
                ..valid_create()
            },
            "body.members",
        ),
        (DevRevCreate::default(), "body.title"),
    ];
    for (body, field) in cases {
        let err = block_on(c.create(body, &no_opts())).unwrap_err();
        assert_validation(&err, "missing_field", field);
    }
    assert_nothing_sent(&t);
}

#[test]
fn create_with_zero_or_fifty_one_members_is_refused() {
    let t = FakeTransport::new();
    let c = client(&t);
    for n in [0, 51] {
        let body = DevRevCreate {
            members: Some(members(n)),
            ..valid_create()
        };
        let err = block_on(c.create(body, &no_opts())).unwrap_err();
        assert_validation(&err, "invalid_count", "body.members");
    }
    let body = DevRevCreate {
        members: Some(strings(&["DEVU-1", ""])),
        ..valid_create()
    };
    let err = block_on(c.create(body, &no_opts())).unwrap_err();
    assert_validation(&err, "invalid_id", "body.members");
    assert_nothing_sent(&t);
}

#[test]
fn create_with_one_or_fifty_members_is_sent() {
    let t = FakeTransport::with([wrapped(&eng("e1")), wrapped(&eng("e2"))]);
    let c = client(&t);
    for n in [1, 50] {
        let body = DevRevCreate {
            members: Some(members(n)),
            ..valid_create()
        };
        block_on(c.create(body, &no_opts())).unwrap();
    }
    assert_eq!(t.sent_count(), 2);
}

#[test]
fn create_with_fifty_one_parents_is_refused() {
    let t = FakeTransport::new();
    let c = client(&t);
    let body = DevRevCreate {
        parents: Some((1..=51).map(|i| format!("ACC-{i}")).collect()),
        ..valid_create()
    };
    let err = block_on(c.create(body, &no_opts())).unwrap_err();
    assert_validation(&err, "invalid_count", "body.parents");
    assert_nothing_sent(&t);
}

#[test]
fn create_engagement_type_outside_the_create_enum_is_refused() {
    let t = FakeTransport::new();
    let c = client(&t);
    // `meeting`, `conversation`, `custom` and `survey` are list types DevRev
    // returns, but `create` does not accept them.
    for kind in [
        "meeting",
        "conversation",
        "custom",
        "survey",
        "note",
        "Call",
        "",
    ] {
        let body = DevRevCreate {
            engagement_type: Some(kind.into()),
            ..valid_create()
        };
        let err = block_on(c.create(body, &no_opts())).unwrap_err();
        assert_validation(&err, "invalid_enum", "body.engagement_type");
    }
    assert_nothing_sent(&t);
}

#[test]
fn every_create_engagement_type_is_accepted() {
    assert_eq!(
        CREATE_TYPES,
        ["call", "default", "email", "linked_in", "offline"]
    );
    let t = FakeTransport::new();
    let c = client(&t);
    for kind in CREATE_TYPES {
        t.push(wrapped(&eng("e1")));
        let body = DevRevCreate {
            engagement_type: Some(kind.to_string()),
            ..valid_create()
        };
        block_on(c.create(body, &no_opts())).unwrap();
        let sent = t.last().body.unwrap();
        assert!(
            sent.contains(&format!(r#""engagement_type":"{kind}""#)),
            "{sent}"
        );
    }
    assert_eq!(t.sent_count(), 5);
}

#[test]
fn create_scheduled_date_not_rfc3339_is_refused() {
    let t = FakeTransport::new();
    let c = client(&t);
    for bad in [
        "2024-05-01",
        "2024-05-01T09:30:00",
        "2024-05-01T09:30:00+0200",
        "tomorrow",
        "2024-02-30T00:00:00Z",
        "1714555800",
    ] {
        let body = DevRevCreate {
            scheduled_date: Some(bad.into()),
            ..valid_create()
        };
        let err = block_on(c.create(body, &no_opts())).unwrap_err();
        assert_validation(&err, "invalid_date", "body.scheduled_date");
    }
    assert_nothing_sent(&t);
}

#[test]
fn create_scheduled_date_forms_that_are_rfc3339_are_sent() {
    let t = FakeTransport::new();
    let c = client(&t);
    for ok in [
        "2023-01-01T12:00:00.000Z",
        "2024-05-01T09:30:00+02:00",
        "2024-05-01t09:30:00z",
    ] {
        t.push(wrapped(&eng("e1")));
        let body = DevRevCreate {
            scheduled_date: Some(ok.into()),
            ..valid_create()
        };
        block_on(c.create(body, &no_opts())).unwrap();
    }
    assert_eq!(t.sent_count(), 3);
}

#[test]
fn update_without_an_id_is_refused() {
    let t = FakeTransport::new();
    let c = client(&t);
    for id in [None, Some(""), Some("."), Some("..")] {
        let body = DevRevUpdate {
            id: id.map(str::to_owned),
            title: Some("t".into()),
            ..Default::default()
        };
        let err = block_on(c.update(body, &no_opts())).unwrap_err();
        assert_validation(&err, "invalid_id", "body.id");
    }
    assert_nothing_sent(&t);
}

#[test]
fn update_members_set_empty_or_fifty_one_is_refused() {
    let t = FakeTransport::new();
    let c = client(&t);
    for n in [0, 51] {
        let body = DevRevUpdate {
            members: set(members(n)),
            ..update_of("e1")
        };
        let err = block_on(c.update(body, &no_opts())).unwrap_err();
        assert_validation(&err, "invalid_count", "body.members.set");
    }
    let body = DevRevUpdate {
        members: set(strings(&[""])),
        ..update_of("e1")
    };
    let err = block_on(c.update(body, &no_opts())).unwrap_err();
    assert_validation(&err, "invalid_id", "body.members.set");
    let body = DevRevUpdate {
        parents: set((1..=51).map(|i| format!("ACC-{i}")).collect()),
        ..update_of("e1")
    };
    let err = block_on(c.update(body, &no_opts())).unwrap_err();
    assert_validation(&err, "invalid_count", "body.parents.set");
    assert_nothing_sent(&t);
}

#[test]
fn update_members_set_of_fifty_is_sent() {
    let t = FakeTransport::with([wrapped(&eng("e1"))]);
    let c = client(&t);
    let body = DevRevUpdate {
        members: set(members(50)),
        ..update_of("e1")
    };
    block_on(c.update(body, &no_opts())).unwrap();
    assert_eq!(t.sent_count(), 1);
}

#[test]
fn update_bad_scheduled_date_or_blank_title_is_refused() {
    let t = FakeTransport::new();
    let c = client(&t);
    let body = DevRevUpdate {
        scheduled_date: Some(Some("next week".into())),
        ..update_of("e1")
    };
    let err = block_on(c.update(body, &no_opts())).unwrap_err();
    assert_validation(&err, "invalid_date", "body.scheduled_date");
    let body = DevRevUpdate {
        title: Some(" ".into()),
        ..update_of("e1")
    };
    let err = block_on(c.update(body, &no_opts())).unwrap_err();
    assert_validation(&err, "missing_field", "body.title");
    assert_nothing_sent(&t);
}

#[test]
fn list_type_outside_the_list_enum_is_refused() {
    let t = FakeTransport::new();
    let c = client(&t);
    for kind in ["note", "Meeting", "chat", ""] {
        let request = || DevRevListRequest {
            types: Some(strings(&["call", kind])),
            ..Default::default()
        };
        let err = block_on(c.list(request(), &no_opts())).unwrap_err();
        assert_validation(&err, "invalid_enum", "request.type");
        let err = c.list_all(request(), None).unwrap_err();
        assert_validation(&err, "invalid_enum", "request.type");
        let filter = DevRevCountRequest {
            types: Some(strings(&[kind])),
            ..Default::default()
        };
        let err = block_on(c.count(filter, &no_opts())).unwrap_err();
        assert_validation(&err, "invalid_enum", "filter.type");
    }
    assert_nothing_sent(&t);
}

#[test]
fn every_list_type_is_accepted_including_those_create_refuses() {
    let t = FakeTransport::with([page(json!([]), None, None)]);
    let c = client(&t);
    let request = DevRevListRequest {
        types: Some(TYPES.iter().map(|s| s.to_string()).collect()),
        ..Default::default()
    };
    block_on(c.list(request, &no_opts())).unwrap();
    assert_eq!(
        t.last().body.as_deref(),
        Some(
            r#"{"type":["call","conversation","custom","default","email","linked_in","meeting","offline","survey"]}"#
        )
    );
}

#[test]
fn mode_other_than_after_or_before_is_refused() {
    let t = FakeTransport::new();
    let c = client(&t);
    for mode in ["sideways", "After", "BEFORE", ""] {
        let request = || DevRevListRequest {
            mode: Some(mode.into()),
            ..Default::default()
        };
        let err = block_on(c.list(request(), &no_opts())).unwrap_err();
        assert_validation(&err, "invalid_enum", "request.mode");
        let err = c.list_all(request(), None).unwrap_err();
        assert_validation(&err, "invalid_enum", "request.mode");
    }
    assert_nothing_sent(&t);
}

#[test]
fn empty_id_on_get_and_delete_is_refused() {
    let t = FakeTransport::new();
    let c = client(&t);
    let err = block_on(c.get("", &no_opts())).unwrap_err();
    assert_validation(&err, "invalid_id", "id");
    let err = block_on(c.delete("", &no_opts())).unwrap_err();
    assert_validation(&err, "invalid_id", "id");
    assert_nothing_sent(&t);
}

#[test]
fn per_call_header_injection_and_bad_options_are_refused() {
    let t = FakeTransport::new();
    let c = client(&t);
    let opts = CallOptions {
        headers: headers(&[("X-Trace", "a\r\nX-Injected: 1")]),
        ..Default::default()
    };
    let err = block_on(c.create(valid_create(), &opts)).unwrap_err();
    assert_validation(&err, "invalid_header", "options.headers");
    let err = block_on(c.get("e1", &retries(-1.0))).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
    assert_eq!(err.code(), Some("invalid_option"));
    assert_eq!(err.attempts(), 0);
    assert_nothing_sent(&t);
}

#[test]
fn request_models_refuse_unknown_fields_and_map_type() {
    use serde_json::from_value;
    assert!(from_value::<DevRevListRequest>(json!({ "types": ["call"] })).is_err());
    assert!(from_value::<DevRevListRequest>(json!({ "limit": "10" })).is_err());
    assert!(from_value::<DevRevCreate>(json!({ "titel": "typo" })).is_err());
    assert!(from_value::<DevRevUpdate>(json!({ "id": "e1", "members": ["DEVU-1"] })).is_err());
    assert!(from_value::<DevRevCountRequest>(json!({ "mode": "after" })).is_err());
    let r: DevRevListRequest = from_value(json!({ "type": ["call"], "limit": 5 })).unwrap();
    assert_eq!(r.types, Some(strings(&["call"])));
    assert_eq!(r.limit, Some(5));
    // Required create fields may be missing at decode time: validation names them.
    let b: DevRevCreate = from_value(json!({ "title": "t" })).unwrap();
    assert!(b.members.is_none());
}

// ---------------------------------------------------------------------------
// 4. Error mapping and retries
// ---------------------------------------------------------------------------

#[test]
fn devrev_error_body_maps_type_message_status_body_and_request_id() {
    let text = devrev_error(
        "bad_request",
        "invalid engagement_type",
        "engagement_type: meeting is not allowed",
    );
    let t = FakeTransport::with([Outcome::reply_with(
        400,
        &[("x-request-id", "req-42")],
        text.clone(),
    )]);
    let c = client(&t);
    let err = block_on(c.create(valid_create(), &no_opts())).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Http);
    assert_eq!(err.status(), Some(400));
    assert_eq!(err.code(), Some("bad_request"));
    assert_eq!(err.message(), "invalid engagement_type");
    assert_eq!(err.body(), Some(text.as_str()));
    assert_eq!(err.request_id(), Some("req-42"));
    assert_eq!(err.attempts(), 1);
    assert_eq!(err.retry_after_ms(), None);
    assert_eq!(err.is_remote_error(), None, "Truto-only fields stay unset");
    assert_eq!(err.insight(), None);
    assert_eq!(t.sent_count(), 1);
}

#[test]
fn devrev_error_subtype_becomes_the_code() {
    let text = devrev_error(
        "missing_required_field",
        "title is required",
        "missing field: title",
    );
    let t = FakeTransport::with([Outcome::reply(400, text)]);
    let c = client(&t);
    let err = block_on(c.list(DevRevListRequest::default(), &no_opts())).unwrap_err();
    assert_eq!(err.code(), Some("missing_required_field"));
    assert_eq!(err.message(), "title is required");
}

#[test]
fn unauthorized_is_not_retried() {
    let text = devrev_error("unauthenticated", "Unauthorized", "token expired");
    let t = FakeTransport::with([Outcome::reply(401, text)]);
    let c = client(&t);
    let err = block_on(c.list(DevRevListRequest::default(), &no_opts())).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Http);
    assert_eq!(err.status(), Some(401));
    assert_eq!(err.code(), Some("unauthenticated"));
    assert_eq!(err.message(), "Unauthorized");
    assert_eq!(err.attempts(), 1);
    assert_eq!(t.sent_count(), 1);
    assert!(t.sleeps().is_empty());
}

#[test]
fn client_errors_are_never_retried() {
    for (status, kind) in [
        (400, "bad_request"),
        (403, "forbidden"),
        (404, "not_found"),
        (409, "conflict"),
        (422, "unprocessable"),
    ] {
        let t = FakeTransport::with([Outcome::reply(status, devrev_error(kind, "no", ""))]);
        let c = client(&t);
        let err = block_on(c.get("e1", &no_opts())).unwrap_err();
        assert_eq!(err.status(), Some(status));
        assert_eq!(err.code(), Some(kind));
        assert_eq!(err.attempts(), 1);
        assert!(t.sleeps().is_empty());
    }
}

#[test]
fn error_without_a_devrev_body_gets_a_generic_message_and_code() {
    let html = "<html><body>502 Bad Gateway</body></html>";
    let t = FakeTransport::with([
        Outcome::reply_with(502, &[("cf-ray", "8a1b-LHR")], html),
        Outcome::reply(404, ""),
    ]);
    let c = client(&t);
    let err = block_on(c.get("e1", &retries(0.0))).unwrap_err();
    assert_eq!(err.status(), Some(502));
    assert_eq!(err.code(), Some("server_error"));
    assert_eq!(err.body(), Some(html));
    assert!(err.message().contains("502"), "{}", err.message());
    assert!(!err.message().contains("<html>"), "{}", err.message());
    assert_eq!(err.request_id(), Some("8a1b-LHR"));
    let err = block_on(c.delete("e1", &no_opts())).unwrap_err();
    assert_eq!(err.code(), Some("not_found"));
    assert_eq!(err.body(), None);
}

fn rate_limited(headers: &[(&str, &str)], body: &Json) -> Outcome {
    Outcome::reply_with(429, headers, body.to_string())
}

fn too_many() -> Json {
    json!({ "type": "too_many_requests", "message": "Rate limit exceeded" })
}

#[test]
fn rate_limit_with_retry_after_is_retried_after_that_wait() {
    let t = FakeTransport::with([
        rate_limited(&[("retry-after", "2")], &too_many()),
        page(json!([eng("e1")]), None, None),
    ]);
    let c = client(&t);
    block_on(c.list(DevRevListRequest::default(), &no_opts())).unwrap();
    assert_eq!(t.sleeps(), [2000.0]);
    let reqs = t.requests();
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[0], reqs[1], "a retry resends the identical request");
}

#[test]
fn rate_limit_on_writes_is_retried_since_devrev_did_not_act() {
    let t = FakeTransport::with([
        rate_limited(&[("retry-after", "1")], &too_many()),
        wrapped(&eng("e1")),
        rate_limited(&[("retry-after", "1")], &too_many()),
        wrapped(&eng("e1")),
        rate_limited(&[("retry-after", "1")], &too_many()),
        Outcome::json(200, &json!({})),
    ]);
    let c = client(&t);
    block_on(c.create(valid_create(), &no_opts())).unwrap();
    block_on(c.update(update_of("e1"), &no_opts())).unwrap();
    block_on(c.delete("e1", &no_opts())).unwrap();
    assert_eq!(t.sent_count(), 6);
    assert_eq!(t.sleeps(), [1000.0, 1000.0, 1000.0]);
    let reqs = t.requests();
    for pair in reqs.chunks(2) {
        assert_eq!(pair[0], pair[1]);
        assert_eq!(pair[0].header("idempotency-key"), None);
    }
}

#[test]
fn rate_limit_with_only_x_ratelimit_reset_waits_until_that_epoch_second() {
    let t = FakeTransport::with([
        rate_limited(&[("x-ratelimit-reset", "1700000007")], &too_many()),
        wrapped(&eng("e1")),
    ]);
    t.set_now_ms(NOW_MS + 500.0);
    let c = client(&t);
    block_on(c.get("e1", &no_opts())).unwrap();
    assert_eq!(t.sleeps(), [6500.0]);
}

#[test]
fn rate_limit_reset_in_the_past_retries_at_once() {
    let t = FakeTransport::with([
        rate_limited(&[("x-ratelimit-reset", "1699999990")], &too_many()),
        wrapped(&eng("e1")),
    ]);
    t.set_now_ms(NOW_MS);
    let c = client(&t);
    block_on(c.get("e1", &no_opts())).unwrap();
    assert_eq!(t.sleeps(), [0.0]);
}

#[test]
fn rate_limit_with_only_body_retry_after_waits_that_many_seconds() {
    let body = json!({ "type": "too_many_requests", "message": "slow down", "retry_after": 3 });
    let t = FakeTransport::with([
        rate_limited(&[], &body),
        Outcome::json(200, &json!({ "count": 1 })),
    ]);
    let c = client(&t);
    assert_eq!(
        block_on(c.count(DevRevCountRequest::default(), &no_opts())).unwrap(),
        1.0
    );
    assert_eq!(t.sleeps(), [3000.0]);
}

#[test]
fn retry_after_header_wins_over_reset_and_body() {
    let body = json!({ "type": "too_many_requests", "retry_after": 9 });
    let t = FakeTransport::with([
        rate_limited(
            &[("x-ratelimit-reset", "1700000008"), ("retry-after", "1")],
            &body,
        ),
        wrapped(&eng("e1")),
    ]);
    let c = client(&t);
    block_on(c.get("e1", &no_opts())).unwrap();
    assert_eq!(t.sleeps(), [1000.0]);
}

#[test]
fn x_ratelimit_reset_wins_over_body_retry_after() {
    let body = json!({ "type": "too_many_requests", "retry_after": 9 });
    let t = FakeTransport::with([
        rate_limited(&[("x-ratelimit-reset", "1700000004")], &body),
        wrapped(&eng("e1")),
    ]);
    let c = client(&t);
    block_on(c.get("e1", &no_opts())).unwrap();
    assert_eq!(t.sleeps(), [4000.0]);
}

#[test]
fn rate_limit_without_any_hint_uses_jittered_backoff() {
    let t = FakeTransport::with([rate_limited(&[], &too_many()), wrapped(&eng("e1"))]);
    let c = client(&t);
    block_on(c.get("e1", &no_opts())).unwrap();
    assert_eq!(t.sleeps(), [250.0]);
}

#[test]
fn final_rate_limit_reports_retry_after_ms() {
    let t = FakeTransport::with([
        rate_limited(&[("retry-after", "2")], &too_many()),
        rate_limited(&[("retry-after", "2")], &too_many()),
        rate_limited(&[("retry-after", "2")], &too_many()),
    ]);
    let c = client(&t);
    let err = block_on(c.list(DevRevListRequest::default(), &no_opts())).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Http);
    assert_eq!(err.status(), Some(429));
    assert_eq!(err.code(), Some("too_many_requests"));
    assert_eq!(err.message(), "Rate limit exceeded");
    assert_eq!(err.retry_after_ms(), Some(2000.0));
    assert_eq!(err.attempts(), 3);
    assert_eq!(t.sleeps(), [2000.0, 2000.0]);
}

#[test]
fn final_rate_limit_reports_the_body_retry_after_and_the_reset() {
    let body = json!({ "type": "too_many_requests", "retry_after": 5 });
    let t = FakeTransport::with([rate_limited(&[], &body)]);
    let c = client(&t);
    let err = block_on(c.create(valid_create(), &retries(0.0))).unwrap_err();
    assert_eq!(err.retry_after_ms(), Some(5000.0));
    assert_eq!(err.attempts(), 1);

    let t = FakeTransport::with([rate_limited(
        &[("x-ratelimit-reset", "1700000012")],
        &too_many(),
    )]);
    let c = client(&t);
    let err = block_on(c.get("e1", &retries(0.0))).unwrap_err();
    assert_eq!(err.retry_after_ms(), Some(12_000.0));
}

#[test]
fn rate_limit_reset_over_sixty_seconds_away_fails_at_once() {
    let t = FakeTransport::with([rate_limited(
        &[("x-ratelimit-reset", "1700000300")],
        &too_many(),
    )]);
    let c = client(&t);
    let err = block_on(c.list(DevRevListRequest::default(), &no_opts())).unwrap_err();
    assert_eq!(err.status(), Some(429));
    assert_eq!(err.attempts(), 1);
    assert_eq!(err.retry_after_ms(), Some(300_000.0));
    assert_eq!(t.sent_count(), 1);
    assert!(t.sleeps().is_empty());
}

#[test]
fn service_unavailable_is_retried_for_devrev_reads_and_writes() {
    let unavailable = || {
        Outcome::reply(
            503,
            devrev_error("service_unavailable", "try again", "maintenance"),
        )
    };
    let t = FakeTransport::with([
        unavailable(),
        page(json!([]), None, None),
        unavailable(),
        wrapped(&eng("e1")),
        unavailable(),
        wrapped(&eng("e1")),
        unavailable(),
        Outcome::json(200, &json!({})),
    ]);
    let c = client(&t);
    block_on(c.list(DevRevListRequest::default(), &no_opts())).unwrap();
    block_on(c.create(valid_create(), &no_opts())).unwrap();
    block_on(c.update(update_of("e1"), &no_opts())).unwrap();
    block_on(c.delete("e1", &no_opts())).unwrap();
    assert_eq!(t.sent_count(), 8);
    assert_eq!(t.sleeps(), [250.0, 250.0, 250.0, 250.0]);
}

#[test]
fn final_service_unavailable_keeps_its_code_and_retry_after() {
    let text = devrev_error("service_unavailable", "down", "");
    let t = FakeTransport::with([
        Outcome::reply_with(503, &[("retry-after", "1")], text.clone()),
        Outcome::reply_with(503, &[("retry-after", "1")], text),
    ]);
    let c = client(&t);
    let err = block_on(c.get("e1", &retries(1.0))).unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(err.code(), Some("service_unavailable"));
    assert_eq!(err.retry_after_ms(), Some(1000.0));
    assert_eq!(err.attempts(), 2);
    assert_eq!(t.sleeps(), [1000.0]);
}

#[test]
fn server_errors_are_retried_for_list_get_and_count() {
    for status in [408, 500, 502, 504] {
        let t = FakeTransport::with([
            Outcome::reply(status, devrev_error("internal_error", "oops", "")),
            page(json!([]), None, None),
            Outcome::reply(status, ""),
            wrapped(&eng("e1")),
            Outcome::reply(status, ""),
            Outcome::json(200, &json!({ "count": 2 })),
        ]);
        let c = client(&t);
        block_on(c.list(DevRevListRequest::default(), &no_opts())).unwrap();
        block_on(c.get("e1", &no_opts())).unwrap();
        block_on(c.count(DevRevCountRequest::default(), &no_opts())).unwrap();
        assert_eq!(t.sent_count(), 6, "{status}");
        assert_eq!(t.sleeps(), [250.0, 250.0, 250.0], "{status}");
    }
}

#[test]
fn server_errors_are_not_retried_for_create_update_delete() {
    for status in [408, 500, 502, 504] {
        let text = devrev_error("internal_error", "oops", "");
        let t = FakeTransport::with([
            Outcome::reply(status, text.clone()),
            Outcome::reply(status, text.clone()),
            Outcome::reply(status, text.clone()),
        ]);
        let c = client(&t);
        let err = block_on(c.create(valid_create(), &no_opts())).unwrap_err();
        assert_eq!((err.status(), err.attempts()), (Some(status), 1));
        let err = block_on(c.update(update_of("e1"), &no_opts())).unwrap_err();
        assert_eq!((err.status(), err.attempts()), (Some(status), 1));
        let err = block_on(c.delete("e1", &no_opts())).unwrap_err();
        assert_eq!((err.status(), err.attempts()), (Some(status), 1));
        assert_eq!(err.retry_after_ms(), None);
        assert_eq!(t.sent_count(), 3, "{status}: one attempt each");
        assert!(t.sleeps().is_empty(), "{status}");
    }
}

#[test]
fn server_error_on_a_read_runs_out_after_three_attempts() {
    let t = FakeTransport::with([
        Outcome::reply(500, devrev_error("internal_error", "oops", "")),
        Outcome::reply(500, devrev_error("internal_error", "oops", "")),
        Outcome::reply(500, devrev_error("internal_error", "oops again", "")),
    ]);
    let c = client(&t);
    let err = block_on(c.get("e1", &no_opts())).unwrap_err();
    assert_eq!(err.status(), Some(500));
    assert_eq!(err.code(), Some("internal_error"));
    assert_eq!(err.message(), "oops again");
    assert_eq!(err.attempts(), 3);
    assert_eq!(t.sleeps(), [250.0, 500.0]);
}

/// Regression: DevRev sends `X-RateLimit-Reset` on every answer (its window
/// resets every five minutes). At 3e8747a src/retry.rs read it for any status,
/// so a 502 on a read waited for the window, or failed at once when the reset
/// was over 60 s away, with a bogus `retry_after_ms`.
#[test]
fn rate_limit_reset_header_on_a_server_error_does_not_replace_backoff() {
    let t = FakeTransport::with([
        Outcome::reply_with(502, &[("x-ratelimit-reset", "1700000240")], "bad gateway"),
        page(json!([eng("e1")]), None, None),
        Outcome::reply_with(500, &[("x-ratelimit-reset", "1700000005")], ""),
        wrapped(&eng("e1")),
        Outcome::reply_with(503, &[("x-ratelimit-reset", "1700000005")], ""),
        Outcome::json(200, &json!({})),
    ]);
    let c = client(&t);
    block_on(c.list(DevRevListRequest::default(), &no_opts())).unwrap();
    block_on(c.get("e1", &no_opts())).unwrap();
    block_on(c.delete("e1", &no_opts())).unwrap();
    assert_eq!(t.sent_count(), 6);
    assert_eq!(t.sleeps(), [250.0, 250.0, 250.0]);
}

#[test]
fn rate_limit_reset_header_on_a_final_server_error_sets_no_retry_after() {
    let t = FakeTransport::with([
        Outcome::reply_with(502, &[("x-ratelimit-reset", "1700000240")], ""),
        Outcome::reply_with(503, &[("x-ratelimit-reset", "1700000240")], ""),
    ]);
    let c = client(&t);
    let err = block_on(c.get("e1", &retries(0.0))).unwrap_err();
    assert_eq!((err.status(), err.retry_after_ms()), (Some(502), None));
    let err = block_on(c.get("e1", &retries(0.0))).unwrap_err();
    assert_eq!((err.status(), err.retry_after_ms()), (Some(503), None));
}

#[test]
fn network_failure_on_writes_is_not_retried() {
    let t = FakeTransport::with([
        Outcome::fail(Error::network("connection reset")),
        Outcome::fail(Error::network("connection reset")),
        Outcome::fail(Error::network("connection reset")),
        Outcome::fail(Error::timeout(30_000)),
    ]);
    let c = client(&t);
    let err = block_on(c.create(valid_create(), &no_opts())).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Network);
    assert_eq!(err.message(), "connection reset");
    assert_eq!(err.attempts(), 1);
    let err = block_on(c.update(update_of("e1"), &no_opts())).unwrap_err();
    assert_eq!((err.kind(), err.attempts()), (ErrorKind::Network, 1));
    let err = block_on(c.delete("e1", &no_opts())).unwrap_err();
    assert_eq!((err.kind(), err.attempts()), (ErrorKind::Network, 1));
    let err = block_on(c.create(valid_create(), &no_opts())).unwrap_err();
    assert_eq!((err.kind(), err.attempts()), (ErrorKind::Timeout, 1));
    assert_eq!(t.sent_count(), 4);
    assert!(t.sleeps().is_empty());
}

#[test]
fn network_failure_on_reads_is_retried() {
    let t = FakeTransport::with([
        Outcome::fail(Error::network("connection reset")),
        page(json!([eng("e1")]), None, None),
        Outcome::fail(Error::timeout(30_000)),
        wrapped(&eng("e1")),
        Outcome::fail(Error::network("dns")),
        Outcome::json(200, &json!({ "count": 9 })),
    ]);
    let c = client(&t);
    let got = block_on(c.list(DevRevListRequest::default(), &no_opts())).unwrap();
    assert_eq!(got["engagements"][0]["id"], "e1");
    block_on(c.get("e1", &no_opts())).unwrap();
    assert_eq!(
        block_on(c.count(DevRevCountRequest::default(), &no_opts())).unwrap(),
        9.0
    );
    assert_eq!(t.sent_count(), 6);
    assert_eq!(t.sleeps(), [250.0, 250.0, 250.0]);
}

#[test]
fn network_failures_running_out_keep_the_network_kind() {
    let t = FakeTransport::with([
        Outcome::fail(Error::network("reset")),
        Outcome::fail(Error::network("reset")),
        Outcome::fail(Error::network("reset")),
    ]);
    let c = client(&t);
    let err = block_on(c.list(DevRevListRequest::default(), &no_opts())).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Network);
    assert_eq!(err.attempts(), 3);
}

#[test]
fn zero_max_retries_makes_one_attempt() {
    let t = FakeTransport::with([Outcome::reply(503, "")]);
    let options = ClientOptions {
        max_retries: Some(0.0),
        ..with_token()
    };
    let c = client_with(&t, options);
    let err = block_on(c.list(DevRevListRequest::default(), &no_opts())).unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(err.attempts(), 1);
    assert!(t.sleeps().is_empty());
}

#[test]
fn timeouts_come_from_the_client_and_the_call() {
    let t = FakeTransport::with([wrapped(&eng("e1")), wrapped(&eng("e2"))]);
    let options = ClientOptions {
        timeout_ms: Some(5_000.0),
        ..with_token()
    };
    let c = client_with(&t, options);
    block_on(c.get("e1", &no_opts())).unwrap();
    let opts = CallOptions {
        timeout_ms: Some(100.0),
        ..Default::default()
    };
    block_on(c.get("e2", &opts)).unwrap();
    let timeouts: Vec<u32> = t.sent().iter().map(|s| s.timeout_ms).collect();
    assert_eq!(timeouts, [5_000, 100]);
}

#[test]
fn abort_before_sending_and_during_a_retry_wait() {
    let t = FakeTransport::new();
    let c = client(&t);
    let flag = AbortFlag::new();
    flag.abort();
    let opts = CallOptions {
        signal: Some(flag),
        ..Default::default()
    };
    let err = block_on(c.create(valid_create(), &opts)).unwrap_err();
    assert_eq!((err.kind(), err.attempts()), (ErrorKind::Aborted, 0));
    assert_nothing_sent(&t);

    let t = FakeTransport::with([Outcome::reply(503, "")]);
    let c = client(&t);
    let flag = AbortFlag::new();
    t.abort_during_sleep(&flag);
    let opts = CallOptions {
        signal: Some(flag),
        ..Default::default()
    };
    let err = block_on(c.create(valid_create(), &opts)).unwrap_err();
    assert_eq!((err.kind(), err.attempts()), (ErrorKind::Aborted, 1));
    assert_eq!(t.sent_count(), 1);
    assert!(t.sent()[0].had_signal);
}

#[test]
fn the_token_never_shows_in_debug_output_or_errors() {
    let t = FakeTransport::with([Outcome::reply(
        401,
        devrev_error("unauthenticated", "bad token", ""),
    )]);
    let c = client(&t);
    let err = block_on(c.get("e1", &no_opts())).unwrap_err();
    for shown in [
        format!("{c:?}"),
        format!("{err:?}"),
        format!("{err}"),
        format!("{:?}", t.sent()),
    ] {
        assert!(!shown.contains(TOKEN), "{shown}");
    }
    assert_eq!(t.last().header("authorization"), Some(bearer().as_str()));
}

// ---------------------------------------------------------------------------
// 5. Pagination guards
// ---------------------------------------------------------------------------

#[test]
fn repeated_next_cursor_ends_with_cursor_loop_after_the_page() {
    let t = FakeTransport::with([
        page(json!([eng("e1")]), Some("c1"), None),
        page(json!([eng("e2"), eng("e3")]), Some("c1"), None),
    ]);
    let c = client(&t);
    let mut state = c.list_all(DevRevListRequest::default(), None).unwrap();
    let (items, err) = drain(&c, &mut state);
    assert_eq!(ids(&items), ["e1", "e2", "e3"]);
    let err = err.expect("a cursor loop must end with an error");
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert_eq!(err.code(), Some("cursor_loop"));
    assert_eq!(t.sent_count(), 2);
    assert_eq!(block_on(c.next(&mut state, &no_opts())).unwrap(), None);
    assert_eq!(t.sent_count(), 2, "no request after the loop was detected");
}

#[test]
fn cursor_loop_going_backwards_and_back_to_the_start_cursor() {
    let t = FakeTransport::with([
        page(json!([eng("e1")]), None, Some("p1")),
        page(json!([eng("e2")]), None, Some("p2")),
        page(json!([eng("e3")]), None, Some("p1")),
    ]);
    let c = client(&t);
    let request = DevRevListRequest {
        mode: Some("before".into()),
        ..Default::default()
    };
    let mut state = c.list_all(request, None).unwrap();
    let (items, err) = drain(&c, &mut state);
    assert_eq!(ids(&items), ["e1", "e2", "e3"]);
    assert_eq!(err.unwrap().code(), Some("cursor_loop"));
    assert_eq!(t.sent_count(), 3);

    // The starting cursor counts as seen.
    let t = FakeTransport::with([page(json!([eng("e1")]), Some("start"), None)]);
    let c = client(&t);
    let request = DevRevListRequest {
        cursor: Some("start".into()),
        ..Default::default()
    };
    let mut state = c.list_all(request, None).unwrap();
    let (items, err) = drain(&c, &mut state);
    assert_eq!(ids(&items), ["e1"]);
    assert_eq!(err.unwrap().code(), Some("cursor_loop"));
    assert_eq!(t.sent_count(), 1);
}

#[test]
fn max_items_stops_fetching() {
    let t = FakeTransport::with([
        page(json!([eng("e1"), eng("e2")]), Some("c1"), None),
        page(json!([eng("e3"), eng("e4")]), Some("c2"), None),
        page(json!([eng("e5")]), None, None),
    ]);
    let c = client(&t);
    let mut state = c.list_all(DevRevListRequest::default(), Some(3)).unwrap();
    let (items, err) = drain(&c, &mut state);
    assert!(err.is_none());
    assert_eq!(ids(&items), ["e1", "e2", "e3"]);
    assert_eq!(t.sent_count(), 2);
    assert_eq!(t.remaining(), 1);
}

#[test]
fn max_items_zero_fetches_nothing() {
    let t = FakeTransport::new();
    let c = client(&t);
    let mut state = c.list_all(DevRevListRequest::default(), Some(0)).unwrap();
    let (items, err) = drain(&c, &mut state);
    assert!(items.is_empty() && err.is_none());
    assert_nothing_sent(&t);
}

#[test]
fn stop_ends_the_iteration_without_further_requests() {
    let t = FakeTransport::with([
        page(json!([eng("e1"), eng("e2")]), Some("c1"), None),
        page(json!([eng("e3")]), None, None),
    ]);
    let c = client(&t);
    let mut state = c.list_all(DevRevListRequest::default(), None).unwrap();
    assert_eq!(
        block_on(c.next(&mut state, &no_opts())).unwrap(),
        Some(eng("e1"))
    );
    c.stop(&mut state);
    assert_eq!(block_on(c.next(&mut state, &no_opts())).unwrap(), None);
    assert_eq!(block_on(c.next(&mut state, &no_opts())).unwrap(), None);
    assert_eq!(t.sent_count(), 1);
}

#[test]
fn empty_page_or_empty_cursor_ends_the_iteration() {
    let t = FakeTransport::with([
        page(json!([eng("e1")]), Some("c1"), None),
        page(json!([]), Some("c2"), None),
    ]);
    let c = client(&t);
    let mut state = c.list_all(DevRevListRequest::default(), None).unwrap();
    let (items, err) = drain(&c, &mut state);
    assert!(err.is_none());
    assert_eq!(ids(&items), ["e1"]);
    assert_eq!(t.sent_count(), 2);

    let t = FakeTransport::with([page(json!([eng("e1")]), Some(""), None)]);
    let c = client(&t);
    let mut state = c.list_all(DevRevListRequest::default(), None).unwrap();
    let (items, err) = drain(&c, &mut state);
    assert!(err.is_none());
    assert_eq!(ids(&items), ["e1"]);
    assert_eq!(t.sent_count(), 1);
}

#[test]
fn page_retried_after_a_server_error_neither_repeats_nor_loses_items() {
    let t = FakeTransport::with([
        page(json!([eng("e1"), eng("e2")]), Some("c1"), None),
        Outcome::reply(503, ""),
        page(json!([eng("e3")]), Some("c2"), None),
        page(json!([eng("e4")]), None, None),
    ]);
    let c = client(&t);
    let mut state = c.list_all(DevRevListRequest::default(), None).unwrap();
    let (items, err) = drain(&c, &mut state);
    assert!(err.is_none(), "{err:?}");
    assert_eq!(ids(&items), ["e1", "e2", "e3", "e4"]);
    let reqs = t.requests();
    assert_eq!(reqs.len(), 4);
    assert_eq!(reqs[1], reqs[2]);
    assert_eq!(reqs[1].body.as_deref(), Some(r#"{"cursor":"c1"}"#));
    assert_eq!(reqs[3].body.as_deref(), Some(r#"{"cursor":"c2"}"#));
}

#[test]
fn page_failing_permanently_or_badly_shaped_ends_the_iteration() {
    let text = devrev_error("bad_request", "cursor expired", "");
    let t = FakeTransport::with([
        page(json!([eng("e1")]), Some("c1"), None),
        Outcome::reply(400, text),
    ]);
    let c = client(&t);
    let mut state = c.list_all(DevRevListRequest::default(), None).unwrap();
    let (items, err) = drain(&c, &mut state);
    assert_eq!(ids(&items), ["e1"]);
    let err = err.expect("the failing page must surface its error");
    assert_eq!(err.kind(), ErrorKind::Http);
    assert_eq!(err.code(), Some("bad_request"));
    assert_eq!(err.message(), "cursor expired");
    assert_eq!(block_on(c.next(&mut state, &no_opts())).unwrap(), None);
    assert_eq!(t.sent_count(), 2);

    let t = FakeTransport::with([
        page(json!([eng("e1")]), Some("c1"), None),
        Outcome::json(200, &json!({ "engagements": [], "next_cursor": 7 })),
    ]);
    let c = client(&t);
    let mut state = c.list_all(DevRevListRequest::default(), None).unwrap();
    let (items, err) = drain(&c, &mut state);
    assert_eq!(ids(&items), ["e1"]);
    assert_decode(&err.unwrap(), "invalid_envelope", 1);
    assert_eq!(block_on(c.next(&mut state, &no_opts())).unwrap(), None);
    assert_eq!(t.sent_count(), 2);
}

// ---------------------------------------------------------------------------
// 6. unify::to_engagement
// ---------------------------------------------------------------------------

fn realistic_engagement() -> Json {
    json!({
        "id": ENG_ID,
        "display_id": "ENG-7",
        "title": "QBR with Acme",
        "description": "Quarterly business review",
        "engagement_type": "conversation",
        "scheduled_date": "2024-05-01T10:00:00.000Z",
        "members": [
            {
                "type": "rev_user",
                "id": "don:identity:dvrv-us-1:devo/0:revu/7",
                "display_id": "REVU-7",
                "display_name": "jane",
                "full_name": "Jane Customer",
                "email": "jane@acme.example",
                "state": "active",
                "rev_org": { "type": "account", "id": "don:identity:dvrv-us-1:devo/0:account/8" }
            },
            {
                "type": "dev_user",
                "id": "don:identity:dvrv-us-1:devo/0:devu/1",
                "display_id": "DEVU-1",
                "display_name": "sam",
                "display_picture": { "id": "don:core:dvrv-us-1:devo/0:artifact/1", "file": { "type": "image/png", "name": "sam.png", "size": 10 } }
            },
            { "id": "don:identity:dvrv-us-1:devo/0:revu/9" },
            { "id": "DEVU-2" },
            { "id": "don:identity:dvrv-us-1:devo/0:devu/3" },
            { "id": "REVU-4" }
        ],
        "parents": [
            { "type": "opportunity", "id": "don:core:dvrv-us-1:devo/0:opportunity/5", "display_id": "OPP-5" },
            { "id": "ACC-2" },
            { "type": "account", "id": "don:identity:dvrv-us-1:devo/0:account/8", "display_name": "Acme" },
            { "id": "OPP-3" },
            { "id": "don:core:dvrv-us-1:devo/0:opportunity/6" }
        ],
        "tags": [{ "tag": { "id": "don:core:dvrv-us-1:devo/0:tag/1", "name": "vip" }, "value": "gold" }],
        "artifacts": [{ "id": "don:core:dvrv-us-1:devo/0:artifact/2", "display_id": "ARTIFACT-2" }],
        "external_ref": "hubspot-42",
        "created_by": { "type": "sys_user", "id": "don:identity:dvrv-us-1:devo/0:sysu/1" },
        "created_date": "2024-04-01T00:00:00Z",
        "modified_by": { "type": "dev_user", "id": "don:identity:dvrv-us-1:devo/0:devu/3" },
        "modified_date": "2024-04-02T00:00:00Z",
        "custom_fields": { "tnt__region": "EMEA", "tnt__score": 7 },
        "future_field": { "nested": [1, 2, 3] }
    })
}

#[test]
fn to_engagement_maps_a_realistic_devrev_engagement() {
    let devrev = realistic_engagement();
    let unified = to_engagement(&devrev).unwrap();
    let expected = json!({
        "id": ENG_ID,
        "engagement_type": "chat",
        "subject": "QBR with Acme",
        "content": "Quarterly business review",
        "start_time": "2024-05-01T10:00:00.000Z",
        // The first user member, though a customer is listed before it.
        "owner": { "id": "don:identity:dvrv-us-1:devo/0:devu/1" },
        // Customers, typed or recognised by their DON or display id.
        "contact": [
            { "id": "don:identity:dvrv-us-1:devo/0:revu/7" },
            { "id": "don:identity:dvrv-us-1:devo/0:revu/9" },
            { "id": "REVU-4" },
        ],
        // The first account parent, by display id, before the typed one.
        "account": { "id": "ACC-2" },
        "opportunity": [
            { "id": "don:core:dvrv-us-1:devo/0:opportunity/5" },
            { "id": "OPP-3" },
            { "id": "don:core:dvrv-us-1:devo/0:opportunity/6" },
        ],
        "created_at": "2024-04-01T00:00:00Z",
        "updated_at": "2024-04-02T00:00:00Z",
    });
    let object = unified.as_object().expect("an object");
    for (key, value) in expected.as_object().unwrap() {
        assert_eq!(&unified[key], value, "{key}");
    }
    assert_eq!(unified["remote_data"], devrev, "the original is kept whole");
    assert_eq!(
        unified["remote_data"]["future_field"],
        json!({ "nested": [1, 2, 3] })
    );
    assert_eq!(unified["remote_data"]["custom_fields"]["tnt__score"], 7);
    // Nothing else is made up.
    for (key, value) in object {
        if !expected.as_object().unwrap().contains_key(key) && key != "remote_data" {
            assert!(value.is_null(), "{key} = {value}");
        }
    }
}

#[test]
fn to_engagement_of_a_minimal_engagement() {
    let devrev =
        json!({ "id": "ENG-1", "engagement_type": "meeting", "members": [], "parents": null });
    let unified = to_engagement(&devrev).unwrap();
    assert_eq!(unified["id"], "ENG-1");
    assert_eq!(unified["engagement_type"], "meeting");
    assert_eq!(unified["owner"], Json::Null);
    assert_eq!(unified["contact"], Json::Null, "no empty list is made up");
    assert_eq!(unified["account"], Json::Null);
    assert_eq!(unified["opportunity"], Json::Null);
    assert_eq!(unified["remote_data"], devrev);
}

#[test]
fn to_engagement_of_items_from_list_all() {
    let t = FakeTransport::with([page(
        json!([realistic_engagement(), { "id": "ENG-2", "title": "Call" }]),
        None,
        None,
    )]);
    let c = client(&t);
    let mut state = c.list_all(DevRevListRequest::default(), None).unwrap();
    let (items, err) = drain(&c, &mut state);
    assert!(err.is_none());
    let unified: Vec<Json> = items.iter().map(|i| to_engagement(i).unwrap()).collect();
    assert_eq!(unified[0]["engagement_type"], "chat");
    assert_eq!(unified[1]["subject"], "Call");
    assert_eq!(
        unified[1]["remote_data"],
        json!({ "id": "ENG-2", "title": "Call" })
    );
}

#[test]
fn to_engagement_refuses_garbage() {
    for garbage in [
        json!(null),
        json!("ENG-1"),
        json!(42),
        json!([{ "id": "ENG-1" }]),
        json!({}),
        json!({ "title": "no id" }),
        json!({ "id": 7 }),
        json!({ "id": "ENG-1", "members": "DEVU-1" }),
        json!({ "id": "ENG-1", "members": [{ "display_id": "DEVU-1" }] }),
        json!({ "id": "ENG-1", "title": ["not", "text"] }),
    ] {
        let err = to_engagement(&garbage).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Decode, "{garbage}");
        assert_eq!(err.code(), Some("invalid_engagement"), "{garbage}");
        assert_eq!(err.attempts(), 0);
    }
}
