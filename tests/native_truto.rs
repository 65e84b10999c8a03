#![cfg(not(target_arch = "wasm32"))]
//! Native tests of `TrutoClient` over a scripted fake transport: what goes on
//! the wire, idempotency keys, validation, config errors, error mapping,
//! retries, pagination and secret redaction.

mod native_support;

use crm_engagements::paginate::Listing;
use crm_engagements::truto::model::{
    DeleteQuery, EngagementInput, ListQuery, PhoneNumber, RecordQuery, Ref, ResponseFormat,
};
use crm_engagements::truto::{ListAll, TrutoClient};
use crm_engagements::wire::ToJson;
use crm_engagements::{CallOptions, ClientOptions, Error, ErrorKind, Json, Method, ReadAs, Token};
use native_support::{block_on, AbortFlag, FakeTransport, Outcome};
use serde_json::json;

const TOKEN: &str = "tok_SeCrEt_zq9X7-do-not-leak";
const ACCOUNT: &str = "acct-1";
const ENGAGEMENTS: &str = "https://api.truto.one/unified/crm/engagements";

type Client = TrutoClient<FakeTransport>;
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

/// A client with the token and the default account `acct-1`.
fn client(t: &FakeTransport) -> Client {
    TrutoClient::new(t.clone(), with_token(), Some(ACCOUNT.to_owned())).unwrap()
}

fn client_with(t: &FakeTransport, options: ClientOptions, account: Option<&str>) -> Client {
    TrutoClient::new(t.clone(), options, account.map(str::to_owned)).unwrap()
}

/// A client without a default integrated account.
fn client_without_account(t: &FakeTransport) -> Client {
    client_with(t, with_token(), None)
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

fn r(id: &str) -> Ref {
    Ref { id: id.to_owned() }
}

fn eng(id: &str) -> Json {
    json!({ "id": id })
}

fn page(items: Json, cursor: Option<&str>) -> Outcome {
    Outcome::json(200, &json!({ "result": items, "next_cursor": cursor }))
}

fn ok_object(id: &str) -> Outcome {
    Outcome::json(200, &eng(id))
}

fn truto_error(status: u16, error: &str, message: &str) -> String {
    json!({ "statusCode": status, "error": error, "message": message }).to_string()
}

fn bearer() -> String {
    format!("Bearer {TOKEN}")
}

/// Checks a validation error: kind, code, field, no attempt.
fn assert_validation(err: &Error, code: &str, field: &str) {
    assert_eq!(err.kind(), ErrorKind::Validation, "{err:?}");
    assert_eq!(err.code(), Some(code), "{err:?}");
    assert_eq!(err.field(), Some(field), "{err:?}");
    assert_eq!(err.attempts(), 0, "{err:?}");
}

fn assert_nothing_sent(t: &FakeTransport) {
    assert_eq!(t.sent_count(), 0, "a request was sent: {:?}", t.requests());
}

fn assert_config(err: &Error, code: &str) {
    assert_eq!(err.kind(), ErrorKind::Config, "{err:?}");
    assert_eq!(err.code(), Some(code), "{err:?}");
    assert_eq!(err.attempts(), 0, "{err:?}");
}

/// The exact URL: parameters in struct field order, `integrated_account_id` first.
fn assert_url(actual: &str, expected: &str) {
    assert_eq!(
        actual, expected,
        "\nactual:   {actual}\nexpected: {expected}"
    );
}

/// Drives a `listAll` iteration to its end (bounded), collecting items and the
/// error that ended it, if any.
fn drain(client: &Client, state: &mut ListAll) -> (Vec<Json>, Option<Error>) {
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

// ---------------------------------------------------------------------------
// 1. Golden wire tests
// ---------------------------------------------------------------------------

/// Every list parameter kind: `{id}` filters, dates, enums, unicode, numbers,
/// booleans, arrays, nested `remote_query`.
fn rich_list_query() -> ListQuery {
    ListQuery {
        engagement_type: Some("call".into()),
        start_time: Some("2024-05-01T09:30:00Z".into()),
        end_time: Some("2024-06-01T00:00:00+02:00".into()),
        account: Some(r("A1")),
        contact: Some(r("C/2")),
        owner: Some(r("O 3")),
        status: Some("sent".into()),
        sort_by: Some("start_time".into()),
        subject: Some("Café ☕ 日本".into()),
        direction: Some("inbound".into()),
        limit: Some(50),
        truto_ignore_limit: Some(false),
        truto_ignore_remote_data: Some(true),
        truto_exclude_fields: Some(vec!["remote_data".into(), "custom_fields".into()]),
        remote_query: Some(json!({ "filter": { "owner": "me" }, "page_size": 10 })),
        ..Default::default()
    }
}

/// `rich_list_query()` on the wire, in struct field order.
const RICH_LIST_URL: &str = "https://api.truto.one/unified/crm/engagements?\
integrated_account_id=acct-1\
&engagement_type=call\
&start_time=2024-05-01T09%3A30%3A00Z\
&end_time=2024-06-01T00%3A00%3A00%2B02%3A00\
&account[id]=A1\
&contact[id]=C%2F2\
&owner[id]=O%203\
&status=sent\
&sort_by=start_time\
&subject=Caf%C3%A9%20%E2%98%95%20%E6%97%A5%E6%9C%AC\
&direction=inbound\
&limit=50\
&truto_ignore_limit=false\
&truto_ignore_remote_data=true\
&truto_exclude_fields[]=remote_data\
&truto_exclude_fields[]=custom_fields\
&remote_query[filter][owner]=me\
&remote_query[page_size]=10";

fn client_with_team_header(t: &FakeTransport) -> Client {
    let options = ClientOptions {
        headers: headers(&[("X-Team", "crm")]),
        ..with_token()
    };
    client_with(t, options, Some(ACCOUNT))
}

#[test]
fn list_sends_get_with_exact_headers_and_every_query_parameter() {
    let envelope = json!({ "result": [eng("e1")], "next_cursor": null, "result_count": 1 });
    let t = FakeTransport::with([Outcome::json(200, &envelope)]);
    let c = client_with_team_header(&t);
    let opts = CallOptions {
        headers: headers(&[("X-Trace", "t-1")]),
        ..Default::default()
    };
    let got = block_on(c.list(rich_list_query(), &opts)).unwrap();
    assert_eq!(got, envelope);

    let sent = t.sent();
    assert_eq!(sent.len(), 1);
    let req = &sent[0].request;
    assert_eq!(req.method, Method::Get);
    assert_url(&req.url, RICH_LIST_URL);
    assert_eq!(
        req.headers,
        headers(&[
            ("accept", "application/json"),
            ("x-team", "crm"),
            ("x-trace", "t-1"),
            ("authorization", &bearer()),
        ])
    );
    assert_eq!(req.body, None);
    assert_eq!(sent[0].read, ReadAs::Json);
    assert_eq!(sent[0].timeout_ms, 30_000);
}

#[test]

fn query_string_follows_struct_field_order_with_integrated_account_id_first() {
    let t = FakeTransport::with([
        page(json!([]), None),
        ok_object("e1"),
        Outcome::json(200, &json!({ "id": "e1" })),
    ]);
    let c = client(&t);
    block_on(c.list(rich_list_query(), &no_opts())).unwrap();
    assert_eq!(t.last().url, RICH_LIST_URL);

    let query = RecordQuery {
        engagement_type: Some("note".into()),
        truto_response_format: Some(ResponseFormat::Raw),
        ..Default::default()
    };
    block_on(c.get("e1", query, &no_opts())).unwrap();
    assert_eq!(
        t.last().url,
        format!("{ENGAGEMENTS}/e1?integrated_account_id=acct-1&engagement_type=note&truto_response_format=raw")
    );

    let query = DeleteQuery {
        engagement_type: Some("email".into()),
        contact: Some(vec![r("c1"), r("c2")]),
        ..Default::default()
    };
    block_on(c.delete("e1", query, &no_opts())).unwrap();
    assert_eq!(
        t.last().url,
        format!("{ENGAGEMENTS}/e1?integrated_account_id=acct-1&engagement_type=email&contact[0][id]=c1&contact[1][id]=c2")
    );
}

#[test]
fn list_stream_sends_stream_format_and_returns_the_unread_body() {
    let ndjson = "{\"id\":\"e1\"}\n{\"id\":\"e2\"}\n";
    let t = FakeTransport::with([Outcome::reply(200, ndjson)]);
    let c = client(&t);
    let query = ListQuery {
        limit: Some(10),
        ..Default::default()
    };
    let body = block_on(c.list_stream(query, &no_opts())).unwrap();
    assert_eq!(body.as_str(), ndjson);

    let sent = t.sent();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].read, ReadAs::Stream);
    let req = &sent[0].request;
    assert_eq!(req.method, Method::Get);
    assert_eq!(
        req.url,
        format!("{ENGAGEMENTS}?integrated_account_id=acct-1&limit=10&truto_response_format=stream")
    );
    assert_eq!(
        req.headers,
        headers(&[("accept", "application/json"), ("authorization", &bearer())])
    );
    assert_eq!(req.body, None);
}

#[test]
fn get_sends_get_to_the_percent_encoded_id() {
    let record = json!({ "id": "eng/1 ü", "subject": "Hi" });
    let t = FakeTransport::with([Outcome::json(200, &record)]);
    let c = client(&t);
    let got = block_on(c.get("eng/1 ü", RecordQuery::default(), &no_opts())).unwrap();
    assert_eq!(got, record);

    let req = t.last();
    assert_eq!(req.method, Method::Get);
    assert_eq!(
        req.url,
        format!("{ENGAGEMENTS}/eng%2F1%20%C3%BC?integrated_account_id=acct-1")
    );
    assert_eq!(
        req.headers,
        headers(&[("accept", "application/json"), ("authorization", &bearer())])
    );
    assert_eq!(req.body, None);
}

#[test]
fn get_encodes_record_query_parameters() {
    let t = FakeTransport::with([ok_object("e1")]);
    let c = client(&t);
    let query = RecordQuery {
        engagement_type: Some("note".into()),
        truto_response_format: Some(ResponseFormat::Normalized),
        truto_ignore_remote_data: Some(true),
        truto_exclude_fields: Some(vec!["content".into()]),
        remote_query: Some(json!({ "a": { "b": "c d" } })),
        ..Default::default()
    };
    block_on(c.get("e1", query, &no_opts())).unwrap();
    assert_url(
        &t.last().url,
        &format!(
            "{ENGAGEMENTS}/e1?integrated_account_id=acct-1&engagement_type=note\
             &truto_response_format=normalized&truto_ignore_remote_data=true\
             &truto_exclude_fields[]=content&remote_query[a][b]=c%20d"
        ),
    );
}

fn full_body() -> EngagementInput {
    EngagementInput {
        engagement_type: Some("meeting".into()),
        subject: Some("Kick-off ☕ «Q3»".into()),
        content: Some("Line 1\nLine \"2\"".into()),
        owner: Some(r("O1")),
        contact: Some(vec![r("C1"), r("C2")]),
        account: Some(r("A1")),
        start_time: Some("2024-05-01T09:30:00Z".into()),
        end_time: Some("2024-05-01T10:00:00Z".into()),
        direction: Some("outbound".into()),
        status: Some("scheduled".into()),
        duration: Some("1800".into()),
        phone_numbers: Some(vec![PhoneNumber {
            number: Some("+1 555 0100".into()),
            kind: Some("work".into()),
            ..Default::default()
        }]),
        custom_fields: Some(json!({ "priority": 1 })),
        remote_data: Some(json!({ "hs_meeting_outcome": "SCHEDULED" })),
        ..Default::default()
    }
}

const FULL_BODY_JSON: &str = r#"{"engagement_type":"meeting","subject":"Kick-off ☕ «Q3»","content":"Line 1\nLine \"2\"","owner":{"id":"O1"},"contact":[{"id":"C1"},{"id":"C2"}],"account":{"id":"A1"},"start_time":"2024-05-01T09:30:00Z","end_time":"2024-05-01T10:00:00Z","direction":"outbound","status":"scheduled","duration":"1800","phone_numbers":[{"number":"+1 555 0100","type":"work"}],"custom_fields":{"priority":1},"remote_data":{"hs_meeting_outcome":"SCHEDULED"}}"#;

#[test]
fn create_sends_post_with_json_body_and_idempotency_key() {
    let created = json!({ "id": "e9", "subject": "Kick-off ☕ «Q3»" });
    let t = FakeTransport::with([Outcome::json(201, &created)]);
    let c = client_with_team_header(&t);
    let got = block_on(c.create(full_body(), RecordQuery::default(), &no_opts())).unwrap();
    assert_eq!(got, created);

    let sent = t.sent();
    assert_eq!(sent.len(), 1);
    let req = &sent[0].request;
    assert_eq!(req.method, Method::Post);
    assert_eq!(
        req.url,
        format!("{ENGAGEMENTS}?integrated_account_id=acct-1")
    );
    assert_eq!(
        req.headers,
        headers(&[
            ("accept", "application/json"),
            ("content-type", "application/json"),
            ("x-team", "crm"),
            ("authorization", &bearer()),
            ("idempotency-key", "key-1"),
        ])
    );
    assert_eq!(req.body.as_deref(), Some(FULL_BODY_JSON));
    assert_eq!(sent[0].read, ReadAs::Json);
}

#[test]
fn create_sends_query_remote_query_after_the_account() {
    let t = FakeTransport::with([ok_object("e1")]);
    let c = client(&t);
    let query = RecordQuery {
        remote_query: Some(json!({ "properties": ["a", "b"] })),
        ..Default::default()
    };
    block_on(c.create(EngagementInput::default(), query, &no_opts())).unwrap();
    let req = t.last();
    assert_eq!(
        req.url,
        format!(
            "{ENGAGEMENTS}?integrated_account_id=acct-1&remote_query[properties][]=a&remote_query[properties][]=b"
        )
    );
    assert_eq!(req.body.as_deref(), Some("{}"));
}

#[test]
fn update_sends_patch_with_only_the_given_fields() {
    let updated = json!({ "id": "e 1", "subject": "Renamed" });
    let t = FakeTransport::with([Outcome::json(200, &updated)]);
    let c = client(&t);
    let body = EngagementInput {
        subject: Some("Renamed".into()),
        internal_notes: Some("n".into()),
        ..Default::default()
    };
    let got = block_on(c.update("e 1", body, RecordQuery::default(), &no_opts())).unwrap();
    assert_eq!(got, updated);

    let req = t.last();
    assert_eq!(req.method, Method::Patch);
    assert_eq!(
        req.url,
        format!("{ENGAGEMENTS}/e%201?integrated_account_id=acct-1")
    );
    assert_eq!(
        req.headers,
        headers(&[
            ("accept", "application/json"),
            ("content-type", "application/json"),
            ("authorization", &bearer()),
            ("idempotency-key", "key-1"),
        ])
    );
    assert_eq!(
        req.body.as_deref(),
        Some(r#"{"subject":"Renamed","internal_notes":"n"}"#)
    );
}

#[test]
fn delete_sends_delete_with_filters_and_returns_the_body() {
    let t = FakeTransport::with([Outcome::json(200, &json!({ "id": "e1" }))]);
    let c = client(&t);
    let query = DeleteQuery {
        sort_by: Some("created_at".into()),
        subject: Some("Hi there".into()),
        ..Default::default()
    };
    let got = block_on(c.delete("e1", query, &no_opts())).unwrap();
    assert_eq!(got, json!({ "id": "e1" }));

    let req = t.last();
    assert_eq!(req.method, Method::Delete);
    assert_eq!(
        req.url,
        format!(
            "{ENGAGEMENTS}/e1?integrated_account_id=acct-1&sort_by=created_at&subject=Hi%20there"
        )
    );
    assert_eq!(
        req.headers,
        headers(&[("accept", "application/json"), ("authorization", &bearer())])
    );
    assert_eq!(req.body, None);
}

#[test]
fn delete_with_an_empty_body_resolves_to_null() {
    let t = FakeTransport::with([Outcome::reply(204, "")]);
    let c = client(&t);
    let got = block_on(c.delete("e1", DeleteQuery::default(), &no_opts())).unwrap();
    assert_eq!(got, Json::Null);
}

#[test]
fn list_all_follows_cursors_across_three_pages() {
    let t = FakeTransport::with([
        page(json!([eng("e1"), eng("e2")]), Some("c1")),
        page(json!([eng("e3")]), Some("c 2/x")),
        page(json!([eng("e4")]), None),
    ]);
    let c = client(&t);
    let query = ListQuery {
        limit: Some(2),
        ..Default::default()
    };
    let mut state = c.list_all(query, None).unwrap();
    assert_nothing_sent(&t);
    let (items, err) = drain(&c, &mut state);
    assert!(err.is_none(), "{err:?}");
    assert_eq!(ids(&items), ["e1", "e2", "e3", "e4"]);

    let reqs = t.requests();
    let urls: Vec<&str> = reqs.iter().map(|r| r.url.as_str()).collect();
    assert_eq!(
        urls,
        [
            format!("{ENGAGEMENTS}?integrated_account_id=acct-1&limit=2"),
            format!("{ENGAGEMENTS}?integrated_account_id=acct-1&limit=2&next_cursor=c1"),
            format!("{ENGAGEMENTS}?integrated_account_id=acct-1&limit=2&next_cursor=c%202%2Fx"),
        ]
    );
    for req in &reqs {
        assert_eq!(req.method, Method::Get);
        assert_eq!(
            req.headers,
            headers(&[("accept", "application/json"), ("authorization", &bearer())])
        );
        assert_eq!(req.body, None);
    }
    // The end is sticky: no further request.
    assert_eq!(block_on(c.next(&mut state, &no_opts())).unwrap(), None);
    assert_eq!(t.sent_count(), 3);
}

#[test]
fn list_all_starts_at_the_query_cursor() {
    let t = FakeTransport::with([page(json!([eng("e5")]), None)]);
    let c = client(&t);
    let query = ListQuery {
        next_cursor: Some("start-here".into()),
        ..Default::default()
    };
    let mut state = c.list_all(query, None).unwrap();
    let (items, _) = drain(&c, &mut state);
    assert_eq!(ids(&items), ["e5"]);
    assert_eq!(
        t.last().url,
        format!("{ENGAGEMENTS}?integrated_account_id=acct-1&next_cursor=start-here")
    );
}

#[test]
fn base_url_with_a_trailing_slash_gives_no_double_slash() {
    let t = FakeTransport::with([ok_object("e1")]);
    let options = ClientOptions {
        base_url: Some("https://api.truto.one/".into()),
        ..with_token()
    };
    let c = client_with(&t, options, Some(ACCOUNT));
    block_on(c.get("e1", RecordQuery::default(), &no_opts())).unwrap();
    assert_eq!(
        t.last().url,
        format!("{ENGAGEMENTS}/e1?integrated_account_id=acct-1")
    );
}

#[test]
fn base_url_with_a_path_prefix_keeps_the_prefix() {
    let t = FakeTransport::with([page(json!([]), None), ok_object("e1")]);
    let options = ClientOptions {
        base_url: Some("https://proxy.example/api/".into()),
        ..with_token()
    };
    let c = client_with(&t, options, Some(ACCOUNT));
    block_on(c.list(ListQuery::default(), &no_opts())).unwrap();
    assert_eq!(
        t.last().url,
        "https://proxy.example/api/unified/crm/engagements?integrated_account_id=acct-1"
    );
    block_on(c.create(
        EngagementInput::default(),
        RecordQuery::default(),
        &no_opts(),
    ))
    .unwrap();
    assert_eq!(
        t.last().url,
        "https://proxy.example/api/unified/crm/engagements?integrated_account_id=acct-1"
    );
}

#[test]
fn proxy_without_token_sends_no_authorization() {
    let t = FakeTransport::with([ok_object("e1")]);
    let options = ClientOptions {
        base_url: Some("https://proxy.example/api".into()),
        ..Default::default()
    };
    let c = client_with(&t, options, Some(ACCOUNT));
    block_on(c.get("e1", RecordQuery::default(), &no_opts())).unwrap();
    let req = t.last();
    assert_eq!(
        req.url,
        "https://proxy.example/api/unified/crm/engagements/e1?integrated_account_id=acct-1"
    );
    assert_eq!(req.headers, headers(&[("accept", "application/json")]));
}

#[test]
fn list_sends_no_next_cursor_on_the_first_page_and_no_absent_values() {
    let t = FakeTransport::with([page(json!([]), None)]);
    let c = client(&t);
    let query = ListQuery {
        truto_exclude_fields: Some(vec![]),
        remote_query: Some(json!({ "gone": null })),
        ..Default::default()
    };
    block_on(c.list(query, &no_opts())).unwrap();
    assert_eq!(
        t.last().url,
        format!("{ENGAGEMENTS}?integrated_account_id=acct-1")
    );
}

// ---------------------------------------------------------------------------
// 2. Idempotency keys
// ---------------------------------------------------------------------------

#[test]
fn create_retry_reuses_the_same_idempotency_key() {
    let t = FakeTransport::with([Outcome::reply(502, "bad gateway"), ok_object("e1")]);
    let c = client(&t);
    block_on(c.create(
        EngagementInput::default(),
        RecordQuery::default(),
        &no_opts(),
    ))
    .unwrap();
    let reqs = t.requests();
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[0].header("idempotency-key"), Some("key-1"));
    assert_eq!(reqs[1].header("idempotency-key"), Some("key-1"));
    assert_eq!(
        reqs[0], reqs[1],
        "a retry must resend the identical request"
    );
    assert_eq!(t.ids_issued(), 1);
}

#[test]
fn update_retry_reuses_the_same_idempotency_key() {
    let t = FakeTransport::with([
        Outcome::fail(Error::network("connection reset")),
        ok_object("e1"),
    ]);
    let c = client(&t);
    block_on(c.update(
        "e1",
        EngagementInput::default(),
        RecordQuery::default(),
        &no_opts(),
    ))
    .unwrap();
    let reqs = t.requests();
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[0].header("idempotency-key"), Some("key-1"));
    assert_eq!(reqs[1].header("idempotency-key"), Some("key-1"));
}

#[test]
fn separate_creates_get_different_keys() {
    let t = FakeTransport::with([ok_object("e1"), ok_object("e2")]);
    let c = client(&t);
    block_on(c.create(
        EngagementInput::default(),
        RecordQuery::default(),
        &no_opts(),
    ))
    .unwrap();
    block_on(c.create(
        EngagementInput::default(),
        RecordQuery::default(),
        &no_opts(),
    ))
    .unwrap();
    let reqs = t.requests();
    assert_eq!(reqs[0].header("idempotency-key"), Some("key-1"));
    assert_eq!(reqs[1].header("idempotency-key"), Some("key-2"));
}

#[test]
fn caller_idempotency_key_overrides_and_is_reused_by_retries() {
    let t = FakeTransport::with([Outcome::reply(502, ""), ok_object("e1")]);
    let c = client(&t);
    let opts = CallOptions {
        idempotency_key: Some("order-42-create".into()),
        ..Default::default()
    };
    block_on(c.create(EngagementInput::default(), RecordQuery::default(), &opts)).unwrap();
    let reqs = t.requests();
    assert_eq!(reqs.len(), 2);
    for req in &reqs {
        assert_eq!(req.header("idempotency-key"), Some("order-42-create"));
        assert_eq!(
            req.headers
                .iter()
                .filter(|(k, _)| k == "idempotency-key")
                .count(),
            1
        );
    }
    assert_eq!(t.ids_issued(), 0);
}

#[test]
fn caller_idempotency_key_overrides_on_update() {
    let t = FakeTransport::with([ok_object("e1")]);
    let c = client(&t);
    let opts = CallOptions {
        idempotency_key: Some("upd-1".into()),
        ..Default::default()
    };
    block_on(c.update(
        "e1",
        EngagementInput::default(),
        RecordQuery::default(),
        &opts,
    ))
    .unwrap();
    assert_eq!(t.last().header("idempotency-key"), Some("upd-1"));
}

#[test]
fn reads_and_deletes_carry_no_idempotency_key() {
    let t = FakeTransport::with([
        ok_object("e1"),
        Outcome::json(200, &json!({ "id": "e1" })),
        page(json!([]), None),
        Outcome::reply(200, ""),
    ]);
    let c = client(&t);
    block_on(c.get("e1", RecordQuery::default(), &no_opts())).unwrap();
    block_on(c.delete("e1", DeleteQuery::default(), &no_opts())).unwrap();
    block_on(c.list(ListQuery::default(), &no_opts())).unwrap();
    block_on(c.list_stream(ListQuery::default(), &no_opts())).unwrap();
    for req in t.requests() {
        assert_eq!(req.header("idempotency-key"), None, "{req:?}");
    }
    assert_eq!(t.ids_issued(), 0);
}

#[test]
fn empty_or_multiline_idempotency_key_is_refused() {
    for key in ["", "a\r\nb"] {
        let t = FakeTransport::new();
        let c = client(&t);
        let opts = CallOptions {
            idempotency_key: Some(key.into()),
            ..Default::default()
        };
        let err = block_on(c.create(EngagementInput::default(), RecordQuery::default(), &opts))
            .unwrap_err();
        assert_validation(&err, "invalid_idempotency_key", "options.idempotencyKey");
        assert_nothing_sent(&t);
    }
}

// ---------------------------------------------------------------------------
// 3. Validation before sending
// ---------------------------------------------------------------------------

const MISSING_ACCOUNT: &str = "missing_integrated_account_id";
const ACCOUNT_FIELD: &str = "query.integrated_account_id";

#[test]
fn list_without_any_integrated_account_id_is_refused() {
    let t = FakeTransport::new();
    let c = client_without_account(&t);
    let err = block_on(c.list(ListQuery::default(), &no_opts())).unwrap_err();
    assert_validation(&err, MISSING_ACCOUNT, ACCOUNT_FIELD);
    let err = block_on(c.list_stream(ListQuery::default(), &no_opts())).unwrap_err();
    assert_validation(&err, MISSING_ACCOUNT, ACCOUNT_FIELD);
    let err = c.list_all(ListQuery::default(), None).unwrap_err();
    assert_validation(&err, MISSING_ACCOUNT, ACCOUNT_FIELD);
    assert_nothing_sent(&t);
}

#[test]
fn record_calls_without_any_integrated_account_id_are_refused() {
    let t = FakeTransport::new();
    let c = client_without_account(&t);
    let err = block_on(c.get("e1", RecordQuery::default(), &no_opts())).unwrap_err();
    assert_validation(&err, MISSING_ACCOUNT, ACCOUNT_FIELD);
    let err = block_on(c.create(
        EngagementInput::default(),
        RecordQuery::default(),
        &no_opts(),
    ))
    .unwrap_err();
    assert_validation(&err, MISSING_ACCOUNT, ACCOUNT_FIELD);
    let err = block_on(c.update(
        "e1",
        EngagementInput::default(),
        RecordQuery::default(),
        &no_opts(),
    ))
    .unwrap_err();
    assert_validation(&err, MISSING_ACCOUNT, ACCOUNT_FIELD);
    let err = block_on(c.delete("e1", DeleteQuery::default(), &no_opts())).unwrap_err();
    assert_validation(&err, MISSING_ACCOUNT, ACCOUNT_FIELD);
    assert_nothing_sent(&t);
}

#[test]
fn empty_integrated_account_id_counts_as_missing() {
    let t = FakeTransport::new();
    let c = client_with(&t, with_token(), Some(""));
    let query = ListQuery {
        integrated_account_id: Some(String::new()),
        ..Default::default()
    };
    let err = block_on(c.list(query, &no_opts())).unwrap_err();
    assert_validation(&err, MISSING_ACCOUNT, ACCOUNT_FIELD);
    assert_nothing_sent(&t);
}

#[test]
fn client_default_integrated_account_id_is_used_when_the_query_lacks_it() {
    let t = FakeTransport::with([page(json!([]), None), ok_object("e1")]);
    let c = client_with(&t, with_token(), Some("client-acct"));
    block_on(c.list(ListQuery::default(), &no_opts())).unwrap();
    assert_eq!(
        t.last().url,
        format!("{ENGAGEMENTS}?integrated_account_id=client-acct")
    );
    let query = RecordQuery {
        integrated_account_id: Some(String::new()),
        ..Default::default()
    };
    block_on(c.get("e1", query, &no_opts())).unwrap();
    assert_eq!(
        t.last().url,
        format!("{ENGAGEMENTS}/e1?integrated_account_id=client-acct")
    );
}

#[test]
fn query_integrated_account_id_overrides_the_client_default() {
    let t = FakeTransport::with([ok_object("e1")]);
    let c = client_with(&t, with_token(), Some("client-acct"));
    let query = RecordQuery {
        integrated_account_id: Some("query acct".into()),
        ..Default::default()
    };
    block_on(c.get("e1", query, &no_opts())).unwrap();
    assert_eq!(
        t.last().url,
        format!("{ENGAGEMENTS}/e1?integrated_account_id=query%20acct")
    );
}

fn list_times(start: Option<&str>, end: Option<&str>) -> ListQuery {
    ListQuery {
        start_time: start.map(str::to_owned),
        end_time: end.map(str::to_owned),
        ..Default::default()
    }
}

#[test]
fn query_start_time_not_rfc3339_is_refused() {
    for bad in [
        "2024-05-01",
        "2024-05-01T09:30:00",
        "yesterday",
        "2024-02-30T00:00:00Z",
    ] {
        let t = FakeTransport::new();
        let c = client(&t);
        let err = block_on(c.list(list_times(Some(bad), None), &no_opts())).unwrap_err();
        assert_validation(&err, "invalid_date", "query.start_time");
        assert_nothing_sent(&t);
    }
}

#[test]
fn query_end_time_not_rfc3339_is_refused() {
    let t = FakeTransport::new();
    let c = client(&t);
    let err = block_on(c.list(list_times(None, Some("05/01/2024")), &no_opts())).unwrap_err();
    assert_validation(&err, "invalid_date", "query.end_time");
    let err = c
        .list_all(list_times(None, Some("2024-05-01T09:30:00+0200")), None)
        .unwrap_err();
    assert_validation(&err, "invalid_date", "query.end_time");
    assert_nothing_sent(&t);
}

#[test]
fn query_start_time_equal_to_end_time_is_refused() {
    let t = FakeTransport::new();
    let c = client(&t);
    let at = "2024-05-01T09:30:00Z";
    let err = block_on(c.list(list_times(Some(at), Some(at)), &no_opts())).unwrap_err();
    assert_validation(&err, "invalid_time_range", "query.end_time");
    // The same instant written in another offset is still equal.
    let err = block_on(c.list(
        list_times(Some(at), Some("2024-05-01T11:30:00+02:00")),
        &no_opts(),
    ))
    .unwrap_err();
    assert_validation(&err, "invalid_time_range", "query.end_time");
    assert_nothing_sent(&t);
}

#[test]
fn query_start_time_after_end_time_is_refused() {
    let t = FakeTransport::new();
    let c = client(&t);
    let err = block_on(c.list_stream(
        list_times(Some("2024-05-02T00:00:00Z"), Some("2024-05-01T00:00:00Z")),
        &no_opts(),
    ))
    .unwrap_err();
    assert_validation(&err, "invalid_time_range", "query.end_time");
    assert_nothing_sent(&t);
}

#[test]
fn query_range_over_one_calendar_year_is_refused() {
    let t = FakeTransport::new();
    let c = client(&t);
    let err = block_on(c.list(
        list_times(Some("2024-01-01T00:00:00Z"), Some("2025-01-01T00:00:01Z")),
        &no_opts(),
    ))
    .unwrap_err();
    assert_validation(&err, "invalid_time_range", "query.end_time");
    assert_nothing_sent(&t);
}

/// The `start_time`..`end_time` of each request sent.
fn ranges(t: &FakeTransport) -> Vec<(String, String)> {
    t.requests()
        .iter()
        .map(|r| {
            let url = r.url.replace("%3A", ":");
            let get = |name: &str| {
                url.split(['?', '&'])
                    .find_map(|kv| kv.strip_prefix(&format!("{name}=")))
                    .unwrap_or_default()
                    .to_owned()
            };
            (get("start_time"), get("end_time"))
        })
        .collect()
}

fn ids_of(c: &Client, state: &mut ListAll) -> Vec<String> {
    let mut ids = Vec::new();
    while let Some(e) = block_on(c.next(state, &no_opts())).unwrap() {
        ids.push(e["id"].as_str().unwrap().to_owned());
    }
    ids
}

fn at(id: &str, start: &str) -> Json {
    json!({ "id": id, "start_time": start })
}

#[test]
fn list_all_splits_a_range_over_one_year_into_windows_and_yields_an_edge_engagement_once() {
    let edge = at("e2", "2025-01-01T00:00:00.000Z");
    let t = FakeTransport::with([
        page(
            json!([at("e1", "2024-06-01T00:00:00Z"), edge.clone()]),
            None,
        ),
        page(json!([edge, at("e3", "2025-06-01T00:00:00Z")]), None),
        page(json!([at("e4", "2026-03-01T00:00:00Z")]), None),
    ]);
    let c = client(&t);
    let query = list_times(Some("2024-01-01T00:00:00Z"), Some("2026-06-01T00:00:00Z"));
    let mut state = c.list_all(query, None).unwrap();
    assert_eq!(ids_of(&c, &mut state), ["e1", "e2", "e3", "e4"]);
    assert_eq!(
        ranges(&t),
        [
            (
                "2024-01-01T00:00:00Z".into(),
                "2025-01-01T00:00:00.000Z".into()
            ),
            (
                "2025-01-01T00:00:00.000Z".into(),
                "2026-01-01T00:00:00.000Z".into()
            ),
            (
                "2026-01-01T00:00:00.000Z".into(),
                "2026-06-01T00:00:00Z".into()
            ),
        ],
        "consecutive windows of at most one year, in order"
    );
    assert!(state.complete(0));
}

#[test]
fn an_edge_engagement_the_first_window_did_not_return_comes_from_the_second() {
    // An API whose end_time is exclusive: the engagement at the edge is only in the next window.
    let t = FakeTransport::with([
        page(json!([at("e1", "2024-06-01T00:00:00Z")]), None),
        page(json!([at("e2", "2025-01-01T00:00:00.000Z")]), None),
    ]);
    let c = client(&t);
    let query = list_times(Some("2024-01-01T00:00:00Z"), Some("2025-06-01T00:00:00Z"));
    let mut state = c.list_all(query, None).unwrap();
    assert_eq!(ids_of(&c, &mut state), ["e1", "e2"]);
}

#[test]
fn a_checkpoint_taken_between_windows_resumes_in_the_next_one_without_the_edge_engagement() {
    let edge = at("e2", "2025-01-01T00:00:00.000Z");
    let query = || list_times(Some("2024-01-01T00:00:00Z"), Some("2025-06-01T00:00:00Z"));
    let t = FakeTransport::with([page(
        json!([at("e1", "2024-06-01T00:00:00Z"), edge.clone()]),
        None,
    )]);
    let c = client(&t);
    let mut state = c.list_all(query(), None).unwrap();
    assert!(block_on(c.next(&mut state, &no_opts())).unwrap().is_some());
    assert!(block_on(c.next(&mut state, &no_opts())).unwrap().is_some());
    let checkpoint = state.checkpoint(0);
    assert!(!state.complete(0), "the second window is still to come");

    let t2 = FakeTransport::with([page(json!([edge, at("e3", "2025-03-01T00:00:00Z")]), None)]);
    let c2 = client(&t2);
    let listing = Listing {
        resume: Some(checkpoint),
        ..Listing::default()
    };
    let mut resumed = c2.list_all_with(&query().to_json(), &listing).unwrap();
    assert_eq!(
        ids_of(&c2, &mut resumed),
        ["e3"],
        "e2 came in the first window"
    );
    assert_eq!(
        ranges(&t2)[0].0,
        "2025-01-01T00:00:00.000Z",
        "resumed in the second window"
    );
}

#[test]
fn a_long_range_with_raw_items_is_refused_they_cannot_be_deduplicated() {
    let t = FakeTransport::new();
    let c = client(&t);
    let query = ListQuery {
        truto_response_format: Some(ResponseFormat::Raw),
        ..list_times(Some("2024-01-01T00:00:00Z"), Some("2026-01-01T00:00:00Z"))
    };
    let err = c.list_all(query, None).unwrap_err();
    assert_validation(&err, "invalid_time_range", "query.end_time");
    assert_nothing_sent(&t);
}

#[test]
fn query_range_of_exactly_one_calendar_year_is_allowed() {
    let t = FakeTransport::with([page(json!([]), None), page(json!([]), None)]);
    let c = client(&t);
    block_on(c.list(
        list_times(Some("2024-01-01T00:00:00Z"), Some("2025-01-01T00:00:00Z")),
        &no_opts(),
    ))
    .unwrap();
    // A leap year's 366 days is still one calendar year.
    block_on(c.list(
        list_times(Some("2024-03-01T00:00:00Z"), Some("2025-03-01T00:00:00Z")),
        &no_opts(),
    ))
    .unwrap();
    assert_eq!(t.sent_count(), 2);
}

fn body_times(start: Option<&str>, end: Option<&str>) -> EngagementInput {
    EngagementInput {
        start_time: start.map(str::to_owned),
        end_time: end.map(str::to_owned),
        ..Default::default()
    }
}

#[test]
fn body_dates_not_rfc3339_are_refused() {
    let t = FakeTransport::new();
    let c = client(&t);
    let err = block_on(c.create(
        body_times(Some("2024-05-01 9:30"), None),
        RecordQuery::default(),
        &no_opts(),
    ))
    .unwrap_err();
    assert_validation(&err, "invalid_date", "body.start_time");
    let err = block_on(c.update(
        "e1",
        body_times(None, Some("tomorrow")),
        RecordQuery::default(),
        &no_opts(),
    ))
    .unwrap_err();
    assert_validation(&err, "invalid_date", "body.end_time");
    let body = EngagementInput {
        created_at: Some("2024-13-01T00:00:00Z".into()),
        ..Default::default()
    };
    let err = block_on(c.create(body, RecordQuery::default(), &no_opts())).unwrap_err();
    assert_validation(&err, "invalid_date", "body.created_at");
    assert_nothing_sent(&t);
}

#[test]
fn body_end_time_before_start_time_is_refused() {
    let t = FakeTransport::new();
    let c = client(&t);
    let body = body_times(Some("2024-05-01T10:00:00Z"), Some("2024-05-01T09:59:59Z"));
    let err = block_on(c.create(body.clone(), RecordQuery::default(), &no_opts())).unwrap_err();
    assert_validation(&err, "invalid_time_range", "body.end_time");
    let err = block_on(c.update("e1", body, RecordQuery::default(), &no_opts())).unwrap_err();
    assert_validation(&err, "invalid_time_range", "body.end_time");
    assert_nothing_sent(&t);
}

#[test]
fn body_end_time_equal_to_start_time_is_allowed() {
    let t = FakeTransport::with([ok_object("e1")]);
    let c = client(&t);
    let at = "2024-05-01T10:00:00Z";
    block_on(c.create(
        body_times(Some(at), Some(at)),
        RecordQuery::default(),
        &no_opts(),
    ))
    .unwrap();
    assert_eq!(t.sent_count(), 1);
}

#[test]
fn query_direction_outside_its_enum_is_refused_on_list_and_delete() {
    let t = FakeTransport::new();
    let c = client(&t);
    let query = ListQuery {
        direction: Some("sideways".into()),
        ..Default::default()
    };
    let err = block_on(c.list(query, &no_opts())).unwrap_err();
    assert_validation(&err, "invalid_enum", "query.direction");
    let query = DeleteQuery {
        direction: Some("Inbound".into()),
        ..Default::default()
    };
    let err = block_on(c.delete("e1", query, &no_opts())).unwrap_err();
    assert_validation(&err, "invalid_enum", "query.direction");
    assert_nothing_sent(&t);
}

#[test]
fn query_status_outside_its_enum_is_refused_on_list_and_delete() {
    let t = FakeTransport::new();
    let c = client(&t);
    let query = ListQuery {
        status: Some("archived".into()),
        ..Default::default()
    };
    let err = c.list_all(query, None).unwrap_err();
    assert_validation(&err, "invalid_enum", "query.status");
    let query = DeleteQuery {
        status: Some("".into()),
        ..Default::default()
    };
    let err = block_on(c.delete("e1", query, &no_opts())).unwrap_err();
    assert_validation(&err, "invalid_enum", "query.status");
    assert_nothing_sent(&t);
}

#[test]
fn body_direction_and_status_outside_their_enums_are_refused() {
    let t = FakeTransport::new();
    let c = client(&t);
    let body = EngagementInput {
        direction: Some("up".into()),
        ..Default::default()
    };
    let err = block_on(c.create(body, RecordQuery::default(), &no_opts())).unwrap_err();
    assert_validation(&err, "invalid_enum", "body.direction");
    let body = EngagementInput {
        status: Some("SENT".into()),
        ..Default::default()
    };
    let err = block_on(c.update("e1", body, RecordQuery::default(), &no_opts())).unwrap_err();
    assert_validation(&err, "invalid_enum", "body.status");
    assert_nothing_sent(&t);
}

#[test]
fn every_enum_value_is_accepted() {
    let t = FakeTransport::new();
    let c = client(&t);
    for direction in ["inbound", "outbound", "missed"] {
        for status in ["inbox", "draft", "scheduled", "outbox", "sent"] {
            t.push(ok_object("e1"));
            let body = EngagementInput {
                direction: Some(direction.into()),
                status: Some(status.into()),
                ..Default::default()
            };
            block_on(c.create(body, RecordQuery::default(), &no_opts())).unwrap();
        }
    }
    assert_eq!(t.sent_count(), 15);
}

#[test]
fn empty_and_dot_ids_are_refused() {
    for id in ["", ".", ".."] {
        let t = FakeTransport::new();
        let c = client(&t);
        let err = block_on(c.get(id, RecordQuery::default(), &no_opts())).unwrap_err();
        assert_validation(&err, "invalid_id", "id");
        let err = block_on(c.update(
            id,
            EngagementInput::default(),
            RecordQuery::default(),
            &no_opts(),
        ))
        .unwrap_err();
        assert_validation(&err, "invalid_id", "id");
        let err = block_on(c.delete(id, DeleteQuery::default(), &no_opts())).unwrap_err();
        assert_validation(&err, "invalid_id", "id");
        assert_nothing_sent(&t);
    }
}

#[test]
fn ids_with_dots_inside_are_allowed_and_encoded() {
    let t = FakeTransport::with([ok_object("..."), ok_object("../x")]);
    let c = client(&t);
    block_on(c.get("...", RecordQuery::default(), &no_opts())).unwrap();
    assert_eq!(
        t.last().url,
        format!("{ENGAGEMENTS}/...?integrated_account_id=acct-1")
    );
    block_on(c.get("../x", RecordQuery::default(), &no_opts())).unwrap();
    assert_eq!(
        t.last().url,
        format!("{ENGAGEMENTS}/..%2Fx?integrated_account_id=acct-1")
    );
}

fn stream_query() -> ListQuery {
    ListQuery {
        truto_response_format: Some(ResponseFormat::Stream),
        ..Default::default()
    }
}

#[test]
fn stream_format_on_list_is_refused_naming_list_stream() {
    let t = FakeTransport::new();
    let c = client(&t);
    let err = block_on(c.list(stream_query(), &no_opts())).unwrap_err();
    assert_validation(&err, "stream_not_supported", "query.truto_response_format");
    assert!(err.message().contains("listStream"), "{}", err.message());
    assert_nothing_sent(&t);
}

#[test]
fn stream_format_on_list_all_is_refused_naming_list_stream() {
    let t = FakeTransport::new();
    let c = client(&t);
    let err = c.list_all(stream_query(), None).unwrap_err();
    assert_validation(&err, "stream_not_supported", "query.truto_response_format");
    assert!(err.message().contains("listStream"), "{}", err.message());
    assert_nothing_sent(&t);
}

#[test]
fn stream_format_on_list_stream_is_allowed() {
    let t = FakeTransport::with([Outcome::reply(200, "")]);
    let c = client(&t);
    block_on(c.list_stream(stream_query(), &no_opts())).unwrap();
    assert_eq!(
        t.last().url,
        format!("{ENGAGEMENTS}?integrated_account_id=acct-1&truto_response_format=stream")
    );
}

#[test]
fn stream_format_on_record_calls_is_refused() {
    let t = FakeTransport::new();
    let c = client(&t);
    let query = || RecordQuery {
        truto_response_format: Some(ResponseFormat::Stream),
        ..Default::default()
    };
    let err = block_on(c.get("e1", query(), &no_opts())).unwrap_err();
    assert_validation(&err, "stream_not_supported", "query.truto_response_format");
    let err = block_on(c.create(EngagementInput::default(), query(), &no_opts())).unwrap_err();
    assert_validation(&err, "stream_not_supported", "query.truto_response_format");
    let err =
        block_on(c.update("e1", EngagementInput::default(), query(), &no_opts())).unwrap_err();
    assert_validation(&err, "stream_not_supported", "query.truto_response_format");
    assert_nothing_sent(&t);
}

#[test]
fn per_call_header_with_cr_or_lf_is_refused() {
    for value in ["a\r\nX-Injected: 1", "a\nb", "a\rb"] {
        let t = FakeTransport::new();
        let c = client(&t);
        let opts = CallOptions {
            headers: headers(&[("X-Trace", value)]),
            ..Default::default()
        };
        let err = block_on(c.list(ListQuery::default(), &opts)).unwrap_err();
        assert_validation(&err, "invalid_header", "options.headers");
        let err = block_on(c.create(EngagementInput::default(), RecordQuery::default(), &opts))
            .unwrap_err();
        assert_validation(&err, "invalid_header", "options.headers");
        assert_nothing_sent(&t);
    }
}

#[test]
fn per_call_header_with_a_bad_name_is_refused() {
    let t = FakeTransport::new();
    let c = client(&t);
    let opts = CallOptions {
        headers: headers(&[("Bad Name", "x")]),
        ..Default::default()
    };
    let err = block_on(c.get("e1", RecordQuery::default(), &opts)).unwrap_err();
    assert_validation(&err, "invalid_header", "options.headers");
    assert_nothing_sent(&t);
}

#[test]
fn per_call_negative_retries_or_timeout_are_refused() {
    let t = FakeTransport::new();
    let c = client(&t);
    for opts in [
        retries(-1.0),
        CallOptions {
            timeout_ms: Some(-5.0),
            ..Default::default()
        },
        retries(1.5),
    ] {
        let err = block_on(c.get("e1", RecordQuery::default(), &opts)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Validation, "{err:?}");
        assert_eq!(err.code(), Some("invalid_option"));
        assert_eq!(err.attempts(), 0);
    }
    assert_nothing_sent(&t);
}

// ---------------------------------------------------------------------------
// 4. Config errors from the constructor
// ---------------------------------------------------------------------------

fn new_client(options: ClientOptions) -> Result<Client, Error> {
    TrutoClient::new(FakeTransport::new(), options, Some(ACCOUNT.to_owned()))
}

#[test]
fn bad_base_url_is_a_config_error() {
    for bad in [
        "api.truto.one",
        "/unified",
        "ftp://api.truto.one",
        "https://",
        "https://api.truto.one?x=1",
        "https://api.truto.one#frag",
        "https://user:pass@api.truto.one",
        "https://api truto.one",
    ] {
        let options = ClientOptions {
            base_url: Some(bad.into()),
            ..with_token()
        };
        let err = new_client(options).unwrap_err();
        assert_config(&err, "invalid_base_url");
        assert!(!err.message().contains(TOKEN));
    }
}

#[test]
fn http_base_url_with_a_token_to_a_remote_host_is_a_config_error() {
    for insecure in [
        "http://api.truto.one",
        "http://10.0.0.1:8080",
        "http://127.0.0.1.evil.example",
    ] {
        let options = ClientOptions {
            base_url: Some(insecure.into()),
            ..with_token()
        };
        assert_config(&new_client(options).unwrap_err(), "insecure_base_url");
    }
}

#[test]
fn http_base_url_is_allowed_for_loopback_or_without_a_token() {
    for loopback in [
        "http://localhost:8787",
        "http://127.0.0.1:8787/",
        "http://[::1]:8787",
    ] {
        let options = ClientOptions {
            base_url: Some(loopback.into()),
            ..with_token()
        };
        assert!(new_client(options).is_ok(), "{loopback}");
    }
    let options = ClientOptions {
        base_url: Some("http://proxy.internal".into()),
        ..Default::default()
    };
    assert!(new_client(options).is_ok());
}

#[test]
fn negative_timeout_is_a_config_error() {
    for bad in [-1.0, -0.5, f64::NAN, f64::INFINITY] {
        let options = ClientOptions {
            timeout_ms: Some(bad),
            ..with_token()
        };
        assert_config(&new_client(options).unwrap_err(), "invalid_option");
    }
}

#[test]
fn negative_max_retries_is_a_config_error() {
    for bad in [-1.0, 2.5, f64::NAN] {
        let options = ClientOptions {
            max_retries: Some(bad),
            ..with_token()
        };
        assert_config(&new_client(options).unwrap_err(), "invalid_option");
    }
}

#[test]
fn client_header_with_cr_lf_is_a_config_error() {
    let options = ClientOptions {
        headers: headers(&[("X-Team", "crm\r\nX-Evil: 1")]),
        ..with_token()
    };
    assert_config(&new_client(options).unwrap_err(), "invalid_header");
}

#[test]
fn empty_token_is_a_config_error() {
    let options = ClientOptions {
        token: Some(Token::new("")),
        ..Default::default()
    };
    assert_config(&new_client(options).unwrap_err(), "invalid_token");
}

#[test]
fn zero_timeout_and_zero_retries_are_valid_options() {
    let t = FakeTransport::with([Outcome::reply(502, "")]);
    let options = ClientOptions {
        timeout_ms: Some(0.0),
        max_retries: Some(0.0),
        ..with_token()
    };
    let c = client_with(&t, options, Some(ACCOUNT));
    let err = block_on(c.get("e1", RecordQuery::default(), &no_opts())).unwrap_err();
    assert_eq!(err.attempts(), 1);
    assert_eq!(t.sent()[0].timeout_ms, 0);
}

// ---------------------------------------------------------------------------
// 5. Error mapping and retries
// ---------------------------------------------------------------------------

#[test]
fn truto_json_error_body_maps_to_http_error() {
    let text = truto_error(400, "Bad Request", "start_time must be a valid date");
    let t = FakeTransport::with([Outcome::reply_with(
        400,
        &[("x-request-id", "req-42"), ("cf-ray", "ray-1")],
        text.clone(),
    )]);
    let c = client(&t);
    let err = block_on(c.list(ListQuery::default(), &no_opts())).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Http);
    assert_eq!(err.status(), Some(400));
    assert_eq!(err.message(), "start_time must be a valid date");
    assert_eq!(err.code(), Some("bad_request"));
    assert_eq!(err.body(), Some(text.as_str()));
    assert_eq!(err.request_id(), Some("req-42"));
    assert_eq!(err.attempts(), 1);
    assert_eq!(err.is_remote_error(), None);
    assert_eq!(err.retry_after_ms(), None);
    assert_eq!(t.sent_count(), 1, "400 is not retried");
}

#[test]
fn truto_error_name_becomes_a_snake_case_code() {
    let text = truto_error(422, "Unprocessable Entity", "subject is required");
    let t = FakeTransport::with([Outcome::reply(422, text)]);
    let c = client(&t);
    let err = block_on(c.create(
        EngagementInput::default(),
        RecordQuery::default(),
        &no_opts(),
    ))
    .unwrap_err();
    assert_eq!(err.code(), Some("unprocessable_entity"));
    assert_eq!(err.status(), Some(422));
    assert_eq!(t.sent_count(), 1);
}

#[test]
fn not_found_is_not_retried() {
    let text = truto_error(404, "Not Found", "Engagement not found");
    let t = FakeTransport::with([Outcome::reply(404, text)]);
    let c = client(&t);
    let err = block_on(c.get("missing", RecordQuery::default(), &no_opts())).unwrap_err();
    assert_eq!(err.status(), Some(404));
    assert_eq!(err.code(), Some("not_found"));
    assert_eq!(err.message(), "Engagement not found");
    assert_eq!(err.attempts(), 1);
    assert!(t.sleeps().is_empty());
}

#[test]
fn non_json_error_body_is_kept_as_text_with_a_generic_message() {
    let html = "<html><body><h1>502 Bad Gateway</h1>nginx</body></html>";
    let t = FakeTransport::with([Outcome::reply_with(502, &[("cf-ray", "8a1b-LHR")], html)]);
    let c = client(&t);
    let err = block_on(c.get("e1", RecordQuery::default(), &retries(0.0))).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Http);
    assert_eq!(err.status(), Some(502));
    assert_eq!(err.body(), Some(html));
    assert!(err.message().contains("502"), "{}", err.message());
    assert!(!err.message().contains("<html>"), "{}", err.message());
    assert_eq!(err.code(), Some("server_error"));
    assert_eq!(err.request_id(), Some("8a1b-LHR"));
    assert_eq!(err.attempts(), 1);
}

#[test]
fn remote_error_maps_fields_and_a_500_with_it_is_not_retried() {
    let text = json!({
        "statusCode": 500,
        "error": "Internal Server Error",
        "message": "HubSpot refused the request",
        "truto_is_remote_error": true,
        "truto_error_insight": {
            "remote_error": { "description": "HubSpot answered 500", "value": { "status": 500 } },
        },
    })
    .to_string();
    let t = FakeTransport::with([Outcome::reply(500, text.clone())]);
    let c = client(&t);
    let err = block_on(c.create(
        EngagementInput::default(),
        RecordQuery::default(),
        &no_opts(),
    ))
    .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Http);
    assert_eq!(err.status(), Some(500));
    assert_eq!(err.message(), "HubSpot refused the request");
    assert_eq!(err.is_remote_error(), Some(true));
    assert_eq!(
        err.insight().unwrap(),
        json!({ "remote_error": { "description": "HubSpot answered 500", "value": { "status": 500 } } }),
        "the insight object as Truto sent it"
    );
    assert!(!err.needs_reauth() && !err.read_only_account());
    assert_eq!(err.body(), Some(text.as_str()));
    assert_eq!(err.attempts(), 1);
    assert_eq!(t.sent_count(), 1);
    assert!(t.sleeps().is_empty());
}

#[test]
fn an_unknown_insight_key_is_kept_and_a_string_insight_is_none() {
    let text = json!({
        "statusCode": 502,
        "error": "Bad Gateway",
        "message": "remote failed",
        "truto_is_remote_error": true,
        "truto_error_insight": { "hint": "reconnect" },
    })
    .to_string();
    let t = FakeTransport::with([Outcome::reply(502, text)]);
    let c = client(&t);
    let err = block_on(c.get("e1", RecordQuery::default(), &no_opts())).unwrap_err();
    assert_eq!(err.insight(), Some(json!({ "hint": "reconnect" })));
    assert_eq!(err.attempts(), 1, "a remote 502 is not retried either");
    let text = json!({ "message": "m", "truto_error_insight": "a string" }).to_string();
    let t = FakeTransport::with([Outcome::reply(400, text.clone())]);
    let err = block_on(client(&t).get("e1", RecordQuery::default(), &no_opts())).unwrap_err();
    assert_eq!(err.insight(), None, "not an object: left in `body` only");
    assert_eq!(err.body(), Some(text.as_str()));
}

#[test]
fn a_500_without_remote_error_is_retried() {
    let text = json!({ "statusCode": 500, "error": "Internal Server Error", "message": "x", "truto_is_remote_error": false }).to_string();
    let t = FakeTransport::with([Outcome::reply(500, text), ok_object("e1")]);
    let c = client(&t);
    block_on(c.get("e1", RecordQuery::default(), &no_opts())).unwrap();
    assert_eq!(t.sent_count(), 2);
}

#[test]
fn truto_503_is_not_retried() {
    let text = truto_error(
        503,
        "Service Unavailable",
        "Integrated account needs re-authentication",
    );
    let t = FakeTransport::with([Outcome::reply(503, text)]);
    let c = client(&t);
    let err = block_on(c.list(ListQuery::default(), &no_opts())).unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(err.code(), Some("service_unavailable"));
    assert_eq!(err.attempts(), 1);
    assert_eq!(t.sent_count(), 1);
    assert!(t.sleeps().is_empty());
}

fn rate_limited(headers: &[(&str, &str)]) -> Outcome {
    Outcome::reply_with(
        429,
        headers,
        truto_error(429, "Too Many Requests", "Rate limit exceeded"),
    )
}

#[test]
fn rate_limit_with_retry_after_waits_that_long_then_succeeds() {
    let t = FakeTransport::with([rate_limited(&[("retry-after", "2")]), page(json!([]), None)]);
    let c = client(&t);
    block_on(c.list(ListQuery::default(), &no_opts())).unwrap();
    assert_eq!(t.sleeps(), [2000.0]);
    assert_eq!(t.sent_count(), 2);
}

#[test]
fn rate_limit_retries_running_out_report_retry_after() {
    let t = FakeTransport::with([
        rate_limited(&[("retry-after", "2")]),
        rate_limited(&[("retry-after", "2")]),
        rate_limited(&[("retry-after", "2")]),
    ]);
    let c = client(&t);
    let err = block_on(c.list(ListQuery::default(), &no_opts())).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Http);
    assert_eq!(err.status(), Some(429));
    assert_eq!(err.code(), Some("too_many_requests"));
    assert_eq!(err.retry_after_ms(), Some(2000.0));
    assert_eq!(err.attempts(), 3);
    assert_eq!(t.sleeps(), [2000.0, 2000.0]);
}

#[test]
fn rate_limit_reset_is_used_without_retry_after() {
    let t = FakeTransport::with([rate_limited(&[("ratelimit-reset", "3")]), ok_object("e1")]);
    let c = client(&t);
    block_on(c.get("e1", RecordQuery::default(), &no_opts())).unwrap();
    assert_eq!(t.sleeps(), [3000.0]);
}

#[test]
fn retry_after_wins_over_rate_limit_reset() {
    let t = FakeTransport::with([
        rate_limited(&[("ratelimit-reset", "9"), ("retry-after", "1")]),
        ok_object("e1"),
    ]);
    let c = client(&t);
    block_on(c.get("e1", RecordQuery::default(), &no_opts())).unwrap();
    assert_eq!(t.sleeps(), [1000.0]);
}

#[test]
fn retry_after_http_date_is_measured_from_now() {
    let t = FakeTransport::with([
        rate_limited(&[("retry-after", "Sun, 06 Nov 1994 08:49:39 GMT")]),
        ok_object("e1"),
    ]);
    t.set_now_ms(784_111_777_000.0); // 08:49:37
    let c = client(&t);
    block_on(c.get("e1", RecordQuery::default(), &no_opts())).unwrap();
    assert_eq!(t.sleeps(), [2000.0]);
}

#[test]
fn retry_after_over_sixty_seconds_fails_at_once() {
    let t = FakeTransport::with([rate_limited(&[("retry-after", "120")])]);
    let c = client(&t);
    let err = block_on(c.list(ListQuery::default(), &no_opts())).unwrap_err();
    assert_eq!(err.status(), Some(429));
    assert_eq!(err.attempts(), 1);
    assert_eq!(err.retry_after_ms(), Some(120_000.0));
    assert_eq!(t.sent_count(), 1);
    assert!(t.sleeps().is_empty());
}

#[test]
fn retry_after_of_exactly_sixty_seconds_is_waited() {
    let t = FakeTransport::with([rate_limited(&[("retry-after", "60")]), ok_object("e1")]);
    let c = client(&t);
    block_on(c.get("e1", RecordQuery::default(), &no_opts())).unwrap();
    assert_eq!(t.sleeps(), [60_000.0]);
}

#[test]
fn zero_max_retries_makes_one_attempt() {
    let t = FakeTransport::with([Outcome::reply(502, "")]);
    let options = ClientOptions {
        max_retries: Some(0.0),
        ..with_token()
    };
    let c = client_with(&t, options, Some(ACCOUNT));
    let err = block_on(c.list(ListQuery::default(), &no_opts())).unwrap_err();
    assert_eq!(err.status(), Some(502));
    assert_eq!(err.attempts(), 1);
    assert_eq!(t.sent_count(), 1);
    assert!(t.sleeps().is_empty());
}

#[test]
fn default_retries_make_three_attempts_with_jittered_backoff() {
    let t = FakeTransport::with([
        Outcome::reply(502, ""),
        Outcome::reply(502, ""),
        Outcome::reply(502, ""),
    ]);
    let c = client(&t);
    let err = block_on(c.get("e1", RecordQuery::default(), &no_opts())).unwrap_err();
    assert_eq!(err.status(), Some(502));
    assert_eq!(err.attempts(), 3);
    assert_eq!(t.sent_count(), 3);
    // Full jitter with random 0.5: half of 500 ms, then half of 1000 ms.
    assert_eq!(t.sleeps(), [250.0, 500.0]);
}

#[test]
fn per_call_max_retries_overrides_the_client() {
    let t = FakeTransport::with([Outcome::reply(504, ""), Outcome::reply(504, "")]);
    let c = client(&t);
    let err = block_on(c.get("e1", RecordQuery::default(), &retries(1.0))).unwrap_err();
    assert_eq!(err.attempts(), 2);
    assert_eq!(t.sent_count(), 2);
}

#[test]
fn backoff_scales_with_random() {
    let t = FakeTransport::with([
        Outcome::reply(408, ""),
        Outcome::reply(500, ""),
        ok_object("e1"),
    ]);
    t.set_random(0.0);
    let c = client(&t);
    block_on(c.get("e1", RecordQuery::default(), &no_opts())).unwrap();
    assert_eq!(t.sleeps(), [0.0, 0.0]);
}

#[test]
fn network_failure_is_retried_then_succeeds() {
    let t = FakeTransport::with([
        Outcome::fail(Error::network("connection reset")),
        page(json!([eng("e1")]), None),
    ]);
    let c = client(&t);
    let got = block_on(c.list(ListQuery::default(), &no_opts())).unwrap();
    assert_eq!(got["result"][0]["id"], "e1");
    assert_eq!(t.sent_count(), 2);
    assert_eq!(t.sleeps(), [250.0]);
}

#[test]
fn network_failures_running_out_keep_the_network_kind() {
    let t = FakeTransport::with([
        Outcome::fail(Error::network("connection reset")),
        Outcome::fail(Error::network("connection reset")),
        Outcome::fail(Error::network("connection reset")),
    ]);
    let c = client(&t);
    let err = block_on(c.delete("e1", DeleteQuery::default(), &no_opts())).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Network);
    assert_eq!(err.message(), "connection reset");
    assert_eq!(err.attempts(), 3);
}

#[test]
fn timed_out_attempt_is_retried_like_a_network_failure() {
    let t = FakeTransport::with([Outcome::fail(Error::timeout(30_000)), ok_object("e1")]);
    let c = client(&t);
    block_on(c.create(
        EngagementInput::default(),
        RecordQuery::default(),
        &no_opts(),
    ))
    .unwrap();
    let sent = t.sent();
    assert_eq!(sent.len(), 2);
    assert!(sent.iter().all(|s| s.timeout_ms == 30_000));
}

#[test]
fn every_attempt_gets_the_configured_timeout() {
    let t = FakeTransport::with([Outcome::reply(502, ""), ok_object("e1"), ok_object("e2")]);
    let options = ClientOptions {
        timeout_ms: Some(5_000.0),
        ..with_token()
    };
    let c = client_with(&t, options, Some(ACCOUNT));
    block_on(c.get("e1", RecordQuery::default(), &no_opts())).unwrap();
    let opts = CallOptions {
        timeout_ms: Some(100.0),
        ..Default::default()
    };
    block_on(c.get("e2", RecordQuery::default(), &opts)).unwrap();
    let timeouts: Vec<u32> = t.sent().iter().map(|s| s.timeout_ms).collect();
    assert_eq!(timeouts, [5_000, 5_000, 100]);
}

#[test]
fn aborted_signal_sends_nothing() {
    let t = FakeTransport::new();
    let c = client(&t);
    let flag = AbortFlag::new();
    flag.abort();
    let opts = CallOptions {
        signal: Some(flag),
        ..Default::default()
    };
    let err = block_on(c.get("e1", RecordQuery::default(), &opts)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Aborted);
    assert_eq!(err.attempts(), 0);
    assert_nothing_sent(&t);
}

#[test]
fn non_json_2xx_body_is_a_decode_error() {
    let t = FakeTransport::with([
        Outcome::reply(200, "<html>ok</html>"),
        Outcome::reply(200, "nope"),
    ]);
    let c = client(&t);
    let err = block_on(c.get("e1", RecordQuery::default(), &no_opts())).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert_eq!(err.code(), Some("invalid_body"));
    let err = block_on(c.list(ListQuery::default(), &no_opts())).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert_eq!(t.sent_count(), 2, "a decode error is not retried");
}

#[test]
fn non_object_record_body_is_a_decode_error() {
    let t = FakeTransport::with([Outcome::reply(200, "[1,2]")]);
    let c = client(&t);
    let err = block_on(c.update(
        "e1",
        EngagementInput::default(),
        RecordQuery::default(),
        &no_opts(),
    ))
    .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert_eq!(err.code(), Some("invalid_body"));
}

#[test]

fn decode_error_counts_the_attempts_made() {
    let t = FakeTransport::with([Outcome::reply(502, ""), Outcome::reply(200, "not json")]);
    let c = client(&t);
    let err = block_on(c.get("e1", RecordQuery::default(), &no_opts())).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert_eq!(err.attempts(), 2);
}

#[test]
fn list_body_without_result_is_an_invalid_envelope() {
    let t = FakeTransport::with([Outcome::json(
        200,
        &json!({ "data": [], "next_cursor": null }),
    )]);
    let c = client(&t);
    let err = block_on(c.list(ListQuery::default(), &no_opts())).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert_eq!(err.code(), Some("invalid_envelope"));
}

#[test]
fn list_body_with_a_numeric_next_cursor_is_a_decode_error() {
    let t = FakeTransport::with([Outcome::json(
        200,
        &json!({ "result": [], "next_cursor": 2 }),
    )]);
    let c = client(&t);
    let err = block_on(c.list(ListQuery::default(), &no_opts())).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert_eq!(err.code(), Some("invalid_envelope"));
}

#[test]
fn list_body_with_a_scalar_result_is_a_decode_error() {
    let t = FakeTransport::with([
        Outcome::json(200, &json!({ "result": "x" })),
        Outcome::reply(200, "[]"),
    ]);
    let c = client(&t);
    for _ in 0..2 {
        let err = block_on(c.list(ListQuery::default(), &no_opts())).unwrap_err();
        assert_eq!(err.code(), Some("invalid_envelope"));
    }
}

#[test]
fn list_accepts_a_keyed_result_and_raw_items() {
    let envelope = json!({ "result": { "e1": { "Id": "e1" } }, "next_cursor": null });
    let t = FakeTransport::with([Outcome::json(200, &envelope)]);
    let c = client(&t);
    let query = ListQuery {
        truto_key_by: Some("id".into()),
        truto_response_format: Some(ResponseFormat::Raw),
        ..Default::default()
    };
    assert_eq!(block_on(c.list(query, &no_opts())).unwrap(), envelope);
    assert_url(
        &t.last().url,
        &format!(
            "{ENGAGEMENTS}?integrated_account_id=acct-1&truto_response_format=raw&truto_key_by=id"
        ),
    );
}

// ---------------------------------------------------------------------------
// 6. Pagination
// ---------------------------------------------------------------------------

#[test]
fn list_all_yields_the_values_of_a_keyed_result() {
    let t = FakeTransport::with([
        Outcome::json(
            200,
            &json!({ "result": { "a": eng("a"), "b": eng("b") }, "next_cursor": "n1" }),
        ),
        Outcome::json(
            200,
            &json!({ "result": { "c": eng("c") }, "next_cursor": null }),
        ),
    ]);
    let c = client(&t);
    let query = ListQuery {
        truto_key_by: Some("id".into()),
        ..Default::default()
    };
    let mut state = c.list_all(query, None).unwrap();
    let (items, err) = drain(&c, &mut state);
    assert!(err.is_none(), "{err:?}");
    assert_eq!(ids(&items), ["a", "b", "c"]);
    let reqs = t.requests();
    assert_eq!(reqs.len(), 2);
    assert_eq!(
        reqs[1].url,
        format!("{ENGAGEMENTS}?integrated_account_id=acct-1&next_cursor=n1&truto_key_by=id")
    );
}

#[test]

fn list_all_yields_a_keyed_result_in_the_order_sent() {
    let body = r#"{"result":{"z":{"id":"z"},"a":{"id":"a"},"m":{"id":"m"}},"next_cursor":null}"#;
    let t = FakeTransport::with([Outcome::reply(200, body)]);
    let c = client(&t);
    let query = ListQuery {
        truto_key_by: Some("id".into()),
        ..Default::default()
    };
    let mut state = c.list_all(query, None).unwrap();
    let (items, _) = drain(&c, &mut state);
    assert_eq!(ids(&items), ["z", "a", "m"]);
}

#[test]
fn repeated_cursor_ends_with_cursor_loop_after_the_page() {
    let t = FakeTransport::with([
        page(json!([eng("e1")]), Some("c1")),
        page(json!([eng("e2"), eng("e3")]), Some("c1")),
    ]);
    let c = client(&t);
    let mut state = c.list_all(ListQuery::default(), None).unwrap();
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
fn cursor_cycle_through_an_older_cursor_is_caught() {
    let t = FakeTransport::with([
        page(json!([eng("e1")]), Some("a")),
        page(json!([eng("e2")]), Some("b")),
        page(json!([eng("e3")]), Some("a")),
    ]);
    let c = client(&t);
    let mut state = c.list_all(ListQuery::default(), None).unwrap();
    let (items, err) = drain(&c, &mut state);
    assert_eq!(ids(&items), ["e1", "e2", "e3"]);
    assert_eq!(err.unwrap().code(), Some("cursor_loop"));
    assert_eq!(t.sent_count(), 3);
}

#[test]
fn empty_page_with_a_cursor_ends_the_iteration() {
    let t = FakeTransport::with([
        page(json!([eng("e1")]), Some("c1")),
        page(json!([]), Some("c2")),
    ]);
    let c = client(&t);
    let mut state = c.list_all(ListQuery::default(), None).unwrap();
    let (items, err) = drain(&c, &mut state);
    assert!(err.is_none());
    assert_eq!(ids(&items), ["e1"]);
    assert_eq!(t.sent_count(), 2);
}

#[test]
fn empty_string_cursor_ends_the_iteration() {
    let t = FakeTransport::with([page(json!([eng("e1")]), Some(""))]);
    let c = client(&t);
    let mut state = c.list_all(ListQuery::default(), None).unwrap();
    let (items, err) = drain(&c, &mut state);
    assert!(err.is_none());
    assert_eq!(ids(&items), ["e1"]);
    assert_eq!(t.sent_count(), 1);
}

#[test]
fn max_items_stops_fetching() {
    let t = FakeTransport::with([
        page(json!([eng("e1"), eng("e2")]), Some("c1")),
        page(json!([eng("e3"), eng("e4")]), Some("c2")),
        page(json!([eng("e5")]), None),
    ]);
    let c = client(&t);
    let mut state = c.list_all(ListQuery::default(), Some(3)).unwrap();
    let (items, err) = drain(&c, &mut state);
    assert!(err.is_none());
    assert_eq!(ids(&items), ["e1", "e2", "e3"]);
    assert_eq!(t.sent_count(), 2);
    assert_eq!(t.remaining(), 1);
}

#[test]
fn max_items_equal_to_a_page_fetches_one_page() {
    let t = FakeTransport::with([page(json!([eng("e1"), eng("e2")]), Some("c1"))]);
    let c = client(&t);
    let mut state = c.list_all(ListQuery::default(), Some(2)).unwrap();
    let (items, _) = drain(&c, &mut state);
    assert_eq!(ids(&items), ["e1", "e2"]);
    assert_eq!(t.sent_count(), 1);
}

#[test]
fn max_items_zero_fetches_nothing() {
    let t = FakeTransport::new();
    let c = client(&t);
    let mut state = c.list_all(ListQuery::default(), Some(0)).unwrap();
    let (items, err) = drain(&c, &mut state);
    assert!(items.is_empty() && err.is_none());
    assert_nothing_sent(&t);
}

#[test]
fn stop_ends_the_iteration_without_further_requests() {
    let t = FakeTransport::with([
        page(json!([eng("e1"), eng("e2")]), Some("c1")),
        page(json!([eng("e3")]), None),
    ]);
    let c = client(&t);
    let mut state = c.list_all(ListQuery::default(), None).unwrap();
    let first = block_on(c.next(&mut state, &no_opts())).unwrap();
    assert_eq!(first, Some(eng("e1")));
    c.stop(&mut state);
    assert_eq!(block_on(c.next(&mut state, &no_opts())).unwrap(), None);
    assert_eq!(block_on(c.next(&mut state, &no_opts())).unwrap(), None);
    assert_eq!(t.sent_count(), 1);
}

#[test]
fn page_retried_after_502_neither_repeats_nor_loses_items() {
    let t = FakeTransport::with([
        page(json!([eng("e1"), eng("e2")]), Some("c1")),
        Outcome::reply(502, "bad gateway"),
        page(json!([eng("e3")]), Some("c2")),
        page(json!([eng("e4")]), None),
    ]);
    let c = client(&t);
    let mut state = c.list_all(ListQuery::default(), None).unwrap();
    let (items, err) = drain(&c, &mut state);
    assert!(err.is_none(), "{err:?}");
    assert_eq!(ids(&items), ["e1", "e2", "e3", "e4"]);
    let reqs = t.requests();
    assert_eq!(reqs.len(), 4);
    assert_eq!(reqs[1], reqs[2], "the retry resends the same page request");
    assert!(reqs[1].url.ends_with("next_cursor=c1"));
    assert!(reqs[3].url.ends_with("next_cursor=c2"));
}

#[test]
fn page_failing_permanently_ends_the_iteration() {
    let text = truto_error(400, "Bad Request", "cursor expired");
    let t = FakeTransport::with([
        page(json!([eng("e1")]), Some("c1")),
        Outcome::reply(400, text),
    ]);
    let c = client(&t);
    let mut state = c.list_all(ListQuery::default(), None).unwrap();
    let (items, err) = drain(&c, &mut state);
    assert_eq!(ids(&items), ["e1"]);
    let err = err.expect("the failing page must surface its error");
    assert_eq!(err.kind(), ErrorKind::Http);
    assert_eq!(err.message(), "cursor expired");
    assert_eq!(block_on(c.next(&mut state, &no_opts())).unwrap(), None);
    assert_eq!(block_on(c.next(&mut state, &no_opts())).unwrap(), None);
    assert_eq!(t.sent_count(), 2);
}

#[test]
fn page_with_a_bad_envelope_ends_the_iteration() {
    let t = FakeTransport::with([
        page(json!([eng("e1")]), Some("c1")),
        Outcome::json(200, &json!({ "result": [], "next_cursor": 7 })),
    ]);
    let c = client(&t);
    let mut state = c.list_all(ListQuery::default(), None).unwrap();
    let (items, err) = drain(&c, &mut state);
    assert_eq!(ids(&items), ["e1"]);
    assert_eq!(err.unwrap().code(), Some("invalid_envelope"));
    assert_eq!(block_on(c.next(&mut state, &no_opts())).unwrap(), None);
    assert_eq!(t.sent_count(), 2);
}

// ---------------------------------------------------------------------------
// 7. Secrets stay out of debug output
// ---------------------------------------------------------------------------

#[test]
fn client_debug_never_shows_the_token() {
    let t = FakeTransport::with([ok_object("e1")]);
    let c = client(&t);
    block_on(c.get("e1", RecordQuery::default(), &no_opts())).unwrap();
    for shown in [format!("{c:?}"), format!("{c:#?}")] {
        assert!(!shown.contains(TOKEN), "{shown}");
        assert!(!shown.contains("SeCrEt"), "{shown}");
    }
}

#[test]
fn request_debug_never_shows_the_token() {
    let t = FakeTransport::with([ok_object("e1")]);
    let c = client(&t);
    block_on(c.create(
        EngagementInput::default(),
        RecordQuery::default(),
        &no_opts(),
    ))
    .unwrap();
    let req = t.last();
    assert_eq!(req.header("authorization"), Some(bearer().as_str()));
    for shown in [format!("{req:?}"), format!("{req:#?}")] {
        assert!(!shown.contains(TOKEN), "{shown}");
        assert!(shown.contains("[redacted]"), "{shown}");
    }
    let sent = format!("{:?}", t.sent());
    assert!(!sent.contains(TOKEN), "{sent}");
}

#[test]
fn errors_never_show_the_token() {
    let text = truto_error(401, "Unauthorized", "Invalid API token");
    let t = FakeTransport::with([Outcome::reply(401, text)]);
    let c = client(&t);
    let err = block_on(c.get("e1", RecordQuery::default(), &no_opts())).unwrap_err();
    assert_eq!(err.attempts(), 1);
    for shown in [format!("{err:?}"), format!("{err}"), format!("{err:#?}")] {
        assert!(!shown.contains(TOKEN), "{shown}");
    }
}

#[test]

fn client_debug_never_shows_an_authorization_header_given_as_a_client_header() {
    let options = ClientOptions {
        base_url: Some("https://proxy.example/api".into()),
        headers: headers(&[("Authorization", &format!("Bearer {TOKEN}"))]),
        ..Default::default()
    };
    let c = client_with(&FakeTransport::new(), options, Some(ACCOUNT));
    let shown = format!("{c:?}");
    assert!(!shown.contains(TOKEN), "{shown}");
}

#[test]
fn client_authorization_header_is_sent_when_no_token_is_set() {
    let t = FakeTransport::with([ok_object("e1")]);
    let options = ClientOptions {
        base_url: Some("https://proxy.example/api".into()),
        headers: headers(&[("Authorization", "Bearer proxy-key")]),
        ..Default::default()
    };
    let c = client_with(&t, options, Some(ACCOUNT));
    block_on(c.get("e1", RecordQuery::default(), &no_opts())).unwrap();
    assert_eq!(
        t.last().headers,
        headers(&[
            ("accept", "application/json"),
            ("authorization", "Bearer proxy-key")
        ])
    );
    let shown = format!("{:?}", t.last());
    assert!(!shown.contains("proxy-key"), "{shown}");
}

#[test]
fn abort_during_a_retry_wait_ends_the_call() {
    let t = FakeTransport::with([Outcome::reply(502, "")]);
    let c = client(&t);
    let flag = AbortFlag::new();
    t.abort_during_sleep(&flag);
    let opts = CallOptions {
        signal: Some(flag),
        ..Default::default()
    };
    let err = block_on(c.get("e1", RecordQuery::default(), &opts)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Aborted);
    assert_eq!(err.attempts(), 1);
    assert_eq!(t.sent_count(), 1);
    assert_eq!(t.sleeps(), [250.0]);
    assert!(t.sent()[0].had_signal);
}

#[test]
fn query_and_body_models_refuse_unknown_fields_and_wrong_types() {
    use serde_json::from_value;
    assert!(from_value::<ListQuery>(json!({ "limit": "10" })).is_err());
    assert!(from_value::<ListQuery>(json!({ "limt": 10 })).is_err());
    assert!(from_value::<ListQuery>(json!({ "truto_response_format": "xml" })).is_err());
    assert!(from_value::<RecordQuery>(json!({ "truto_exclude_fields": "id" })).is_err());
    assert!(from_value::<DeleteQuery>(json!({ "contact": { "id": "c1" } })).is_err());
    assert!(from_value::<EngagementInput>(json!({ "subjet": "typo" })).is_err());
    assert!(from_value::<EngagementInput>(json!({ "contact": { "id": "c1" } })).is_err());
    let q: ListQuery =
        from_value(json!({ "truto_response_format": "stream", "limit": 5 })).unwrap();
    assert_eq!(q.truto_response_format, Some(ResponseFormat::Stream));
    assert_eq!(q.limit, Some(5));
}

#[test]
fn list_limit_zero_and_empty_filter_ids_are_refused_before_sending() {
    let t = FakeTransport::new();
    let c = client(&t);
    let err = block_on(c.list(
        ListQuery {
            limit: Some(0),
            ..ListQuery::default()
        },
        &no_opts(),
    ))
    .unwrap_err();
    assert_validation(&err, "invalid_limit", "query.limit");
    let err = block_on(c.list(
        ListQuery {
            account: Some(Ref { id: String::new() }),
            ..ListQuery::default()
        },
        &no_opts(),
    ))
    .unwrap_err();
    assert_validation(&err, "invalid_id", "query.account.id");
    assert_nothing_sent(&t);
}

#[test]
fn config_errors_name_the_option() {
    let t = FakeTransport::new();
    for (options, field) in [
        (
            ClientOptions {
                base_url: Some("api.truto.one".into()),
                ..ClientOptions::default()
            },
            "options.baseUrl",
        ),
        (
            ClientOptions {
                token: Some(Token::new("t")),
                base_url: Some("http://example.com".into()),
                ..ClientOptions::default()
            },
            "options.baseUrl",
        ),
        (
            ClientOptions {
                timeout_ms: Some(-1.0),
                ..ClientOptions::default()
            },
            "options.timeoutMs",
        ),
        (
            ClientOptions {
                token: Some(Token::new("")),
                ..ClientOptions::default()
            },
            "options.token",
        ),
    ] {
        let err = TrutoClient::new(t.clone(), options, None).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Config);
        assert_eq!(err.field(), Some(field), "{err:?}");
    }
}

/// One Truto error answer to `call`, with the token echoed back by a proxy.
fn error_answer(
    status: u16,
    body: serde_json::Value,
    call: impl FnOnce(&Client) -> Result<Json, Error>,
) -> Error {
    let t = FakeTransport::with([Outcome::json(status, &body)]);
    let c = client(&t);
    let err = call(&c).unwrap_err();
    assert_eq!(t.sent_count(), 1, "not retried");
    err
}

fn create_call(c: &Client) -> Result<Json, Error> {
    block_on(c.create(
        EngagementInput::default(),
        RecordQuery::default(),
        &no_opts(),
    ))
}

fn get_call(c: &Client) -> Result<Json, Error> {
    block_on(c.get("e1", RecordQuery::default(), &no_opts()))
}

#[test]
fn missing_fields_are_the_insights_names_and_the_insight_is_the_object_sent() {
    let err = error_answer(
        400,
        json!({
            "statusCode": 400, "error": "Bad Request", "message": "",
            "truto_error_insight": {
                "missing_required_body_fields": { "description": "Required by HubSpot", "value": ["subject", "contact"] },
                "conditionally_required_body_fields": { "description": "d", "value": { "due_date": "when engagement_type is task" } },
            },
        }),
        create_call,
    );
    assert_eq!(err.missing_fields(), ["subject", "contact"]);
    assert_eq!(
        err.insight().unwrap()["missing_required_body_fields"]["value"],
        json!(["subject", "contact"])
    );
    assert_eq!(
        err.insight().unwrap()["conditionally_required_body_fields"]["value"]["due_date"],
        "when engagement_type is task",
        "informational keys are kept"
    );
    assert_eq!(
        err.message(),
        "Bad Request",
        "no raw_response: Truto's error name"
    );
    assert!(err.missing_scopes().is_empty());
}

#[test]
fn an_empty_message_falls_back_to_the_crms_own_message() {
    let err = error_answer(
        422,
        json!({
            "statusCode": 422, "error": "Unprocessable Entity", "message": "",
            "truto_is_remote_error": true,
            "raw_response": { "status": "error", "message": "Property values were not valid: hs_timestamp" },
        }),
        create_call,
    );
    assert_eq!(
        err.message(),
        "Property values were not valid: hs_timestamp"
    );
    assert_eq!(err.code(), Some("unprocessable_entity"));
    let kept = error_answer(
        422,
        json!({ "message": "Truto says", "raw_response": { "message": "CRM says" } }),
        create_call,
    );
    assert_eq!(
        kept.message(),
        "Truto says",
        "a non-empty message of Truto's wins"
    );
}

#[test]
fn a_remote_401_needs_reauth_but_truto_rejecting_our_token_does_not() {
    let remote = error_answer(
        401,
        json!({
            "statusCode": 401, "error": "Unauthorized", "message": "The access token has expired",
            "truto_is_remote_error": true, "raw_response": { "error": "invalid_grant" },
        }),
        get_call,
    );
    assert!(remote.needs_reauth());
    assert!(!remote.read_only_account());
    let ours = error_answer(
        401,
        json!({ "statusCode": 401, "error": "Unauthorized", "message": "Invalid API token" }),
        get_call,
    );
    assert!(
        !ours.needs_reauth(),
        "Truto's own 401 is about our API token, not the account"
    );
}

#[test]
fn a_405_on_a_write_is_a_read_only_account_and_on_a_read_is_not() {
    let body = json!({
        "statusCode": 405, "error": "Method Not Allowed", "message": "This sandbox account is read-only",
        "truto_is_remote_error": true,
    });
    let write = error_answer(405, body.clone(), create_call);
    assert!(write.read_only_account());
    assert!(!write.needs_reauth());
    let read = error_answer(405, body, get_call);
    assert!(!read.read_only_account());
}

#[test]
fn missing_scopes_come_from_the_forbidden_insight_and_the_token_is_redacted() {
    let err = error_answer(
        403,
        json!({
            "statusCode": 403, "error": "Forbidden", "message": "Missing scopes",
            "truto_is_remote_error": true,
            "truto_error_insight": {
                "forbidden_error": {
                    "description": "The account was connected without these scopes",
                    "value": { "missing_scopes": ["crm.objects.write", format!("echo {TOKEN}")] },
                },
            },
        }),
        create_call,
    );
    assert_eq!(
        err.missing_scopes(),
        ["crm.objects.write", "echo [redacted]"]
    );
    assert!(!err.insight().unwrap().to_string().contains(TOKEN));
    assert!(!format!("{err:?}").contains(TOKEN));
}
