#![cfg(not(target_arch = "wasm32"))]
//! `deadlineMs`: the whole call's time budget, retries and waits included.

mod native_support;

use crm_engagements::truto::model::{ListQuery, RecordQuery};
use crm_engagements::truto::TrutoClient;
use crm_engagements::{CallOptions, ClientOptions, ErrorKind, Token};
use native_support::{block_on, AbortFlag, FakeTransport, Outcome};

fn client(t: &FakeTransport) -> TrutoClient<FakeTransport> {
    let options = ClientOptions {
        token: Some(Token::new("t")),
        max_retries: Some(5.0),
        ..ClientOptions::default()
    };
    TrutoClient::new(t.clone(), options, Some("acct".into())).unwrap()
}

fn with_deadline(ms: f64) -> CallOptions<AbortFlag> {
    CallOptions {
        deadline_ms: Some(ms),
        ..CallOptions::default()
    }
}

const PAGE: &str = r#"{"result":[],"next_cursor":null}"#;

#[test]
fn a_server_wait_longer_than_the_budget_left_fails_at_once() {
    let t = FakeTransport::with([Outcome::reply_with(429, &[("retry-after", "10")], "{}")]);
    let err = block_on(client(&t).list(ListQuery::default(), &with_deadline(5_000.0))).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Http);
    assert_eq!(err.status(), Some(429));
    assert_eq!(err.retry_after_ms(), Some(10_000.0));
    assert_eq!(err.attempts(), 1);
    assert!(t.sleeps().is_empty(), "did not wait: {:?}", t.sleeps());
}

#[test]
fn a_server_wait_within_the_budget_is_waited() {
    let t = FakeTransport::with([
        Outcome::reply_with(429, &[("retry-after", "2")], "{}"),
        Outcome::reply(200, PAGE),
    ]);
    t.advance_clock_on_sleep();
    block_on(client(&t).list(ListQuery::default(), &with_deadline(5_000.0))).unwrap();
    assert_eq!(t.sleeps(), vec![2_000.0]);
}

#[test]
fn each_attempt_timeout_is_clipped_to_the_budget_left() {
    let t = FakeTransport::with([
        Outcome::reply_with(429, &[("retry-after", "1")], "{}"),
        Outcome::reply(200, r#"{"id":"e1"}"#),
    ]);
    t.advance_clock_on_sleep();
    let opts = CallOptions {
        deadline_ms: Some(4_000.0),
        timeout_ms: Some(30_000.0),
        ..CallOptions::default()
    };
    block_on(client(&t).get("e1", RecordQuery::default(), &opts)).unwrap();
    let timeouts: Vec<u32> = t.sent().iter().map(|s| s.timeout_ms).collect();
    assert_eq!(
        timeouts,
        vec![4_000, 3_000],
        "clipped to what the budget leaves"
    );
}

#[test]
fn running_out_of_budget_is_a_timeout_with_its_own_code() {
    let t = FakeTransport::with([
        Outcome::reply(502, "bad gateway"),
        Outcome::reply(502, "bad gateway"),
    ]);
    t.advance_clock_on_sleep();
    t.set_random(0.99); // backoff of ~495 ms, then ~990 ms
    let err = block_on(client(&t).list(ListQuery::default(), &with_deadline(1_200.0))).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err:?}");
    assert_eq!(err.code(), Some("deadline_exceeded"));
    assert_eq!(err.attempts(), 2);
    assert_eq!(t.sent().len(), 2, "no attempt started past the budget");
}

#[test]
fn no_budget_means_no_limit() {
    let t = FakeTransport::with([
        Outcome::reply_with(429, &[("retry-after", "50")], "{}"),
        Outcome::reply(200, PAGE),
    ]);
    t.advance_clock_on_sleep();
    block_on(client(&t).list(ListQuery::default(), &with_deadline(0.0))).unwrap();
    assert_eq!(t.sleeps(), vec![50_000.0]);
}

#[test]
fn a_bad_budget_is_refused_before_sending() {
    for bad in [-1.0, 1.5, f64::NAN] {
        let t = FakeTransport::new();
        let err = block_on(client(&t).list(ListQuery::default(), &with_deadline(bad))).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Validation, "{bad}");
        assert_eq!(t.sent().len(), 0);
    }
}
