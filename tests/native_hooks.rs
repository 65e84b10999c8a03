#![cfg(not(target_arch = "wasm32"))]
//! `onRetry`: told before each retry wait what failed and how long the wait is.

mod native_support;

use crm_engagements::truto::model::ListQuery;
use crm_engagements::truto::TrutoClient;
use crm_engagements::{CallOptions, ClientOptions, Error, ErrorKind, RetryEvent, RetryHook, Token};
use native_support::{block_on, FakeTransport, Outcome};
use std::cell::RefCell;
use std::rc::Rc;

const PAGE: &str = r#"{"result":[],"next_cursor":null}"#;

#[test]
fn on_retry_is_told_each_failure_and_wait_before_waiting() {
    let t = FakeTransport::with([
        Outcome::reply_with(
            429,
            &[("retry-after", "2")],
            r#"{"statusCode":429,"error":"Too Many Requests","message":"slow down"}"#,
        ),
        Outcome::fail(Error::network("connection reset")),
        Outcome::reply(200, PAGE),
    ]);
    t.set_random(0.5);
    let options = ClientOptions {
        token: Some(Token::new("t")),
        ..ClientOptions::default()
    };
    let client = TrutoClient::new(t.clone(), options, Some("acct".into())).unwrap();
    let seen: Rc<RefCell<Vec<RetryEvent>>> = Rc::default();
    let log = seen.clone();
    let opts = CallOptions {
        on_retry: Some(RetryHook(Rc::new(move |e: &RetryEvent| {
            log.borrow_mut().push(e.clone())
        }))),
        ..CallOptions::default()
    };
    block_on(client.list(ListQuery::default(), &opts)).unwrap();
    let seen = seen.borrow();
    assert_eq!(seen.len(), 2);
    assert_eq!(
        seen[0],
        RetryEvent {
            attempt: 1,
            status: Some(429),
            kind: ErrorKind::Http,
            code: Some("too_many_requests".into()),
            wait_ms: 2000.0,
        }
    );
    assert_eq!(seen[1].attempt, 2);
    assert_eq!((seen[1].status, seen[1].kind), (None, ErrorKind::Network));
    assert_eq!(seen[1].wait_ms, 500.0, "backoff: 1000 ms ceiling x 0.5");
    assert_eq!(
        t.sleeps(),
        vec![2000.0, 500.0],
        "told before each wait, with the wait"
    );
}

#[test]
fn on_retry_is_not_called_when_nothing_is_retried() {
    let t = FakeTransport::with([Outcome::reply(404, r#"{"message":"nope"}"#)]);
    let client = TrutoClient::new(t, ClientOptions::default(), Some("a".into())).unwrap();
    let calls = Rc::new(RefCell::new(0));
    let count = calls.clone();
    let opts = CallOptions {
        on_retry: Some(RetryHook(Rc::new(move |_: &RetryEvent| {
            *count.borrow_mut() += 1
        }))),
        ..CallOptions::default()
    };
    assert!(block_on(client.list(ListQuery::default(), &opts)).is_err());
    assert_eq!(*calls.borrow(), 0);
}
