#![cfg(not(target_arch = "wasm32"))]
//! The rate governor (`crate::governor`): Truto's 50 / 10 s per account and
//! 500 / 10 s per token, DevRev's `X-RateLimit-*` window, a 429's wait shared
//! by every client, `rateLimit` off and custom, and waits that honour
//! `deadlineMs`, `signal` and `onThrottle`. The fake clock moves only when the
//! client sleeps (or a send is said to take time), so every wait shows.

mod native_support;

use crm_engagements::devrev::DevRevClient;
use crm_engagements::truto::model::RecordQuery;
use crm_engagements::truto::TrutoClient;
use crm_engagements::{
    CallOptions, ClientOptions, ErrorKind, Limit, RateLimit, Scope, ThrottleEvent, ThrottleHook,
    Token,
};
use native_support::{block_on, AbortFlag, FakeTransport, Outcome};
use std::cell::RefCell;
use std::rc::Rc;

const TOKEN: &str = "truto-sEcReT-token-do-not-leak";
const RECORD: &str = r#"{"id":"e1"}"#;
const NOW: f64 = 1_700_000_000_000.0;
/// The client sleeps one ms past a wait (a timer may fire that early).
const SLACK: f64 = 1.0;

type Truto = TrutoClient<FakeTransport>;

fn options(rate_limit: RateLimit) -> ClientOptions {
    ClientOptions {
        token: Some(Token::new(TOKEN)),
        rate_limit,
        ..ClientOptions::default()
    }
}

fn truto(t: &FakeTransport, rate_limit: RateLimit) -> Truto {
    TrutoClient::new(t.clone(), options(rate_limit), Some("acct-1".into())).unwrap()
}

fn oks(t: &FakeTransport, n: usize) {
    for _ in 0..n {
        t.push(Outcome::reply(200, RECORD));
    }
}

fn get(
    c: &Truto,
    account: &str,
    opts: &CallOptions<AbortFlag>,
) -> Result<(), crm_engagements::Error> {
    let query = RecordQuery {
        integrated_account_id: Some(account.into()),
        ..RecordQuery::default()
    };
    block_on(c.get("e1", query, opts)).map(|_| ())
}

/// An `onThrottle` that keeps what it is told.
fn recorder() -> (CallOptions<AbortFlag>, Rc<RefCell<Vec<ThrottleEvent>>>) {
    let seen: Rc<RefCell<Vec<ThrottleEvent>>> = Rc::default();
    let log = seen.clone();
    let opts = CallOptions {
        on_throttle: Some(ThrottleHook(Rc::new(move |e: &ThrottleEvent| {
            log.borrow_mut().push(*e)
        }))),
        ..CallOptions::default()
    };
    (opts, seen)
}

/// The most sends in any span of `interval` ms, the span's ends included.
fn busiest(times: &[f64], interval: f64) -> usize {
    times
        .iter()
        .map(|&start| {
            times
                .iter()
                .filter(|&&t| t >= start && t < start + interval)
                .count()
        })
        .max()
        .unwrap_or(0)
}

fn send_times(t: &FakeTransport) -> Vec<f64> {
    t.sent().iter().map(|s| s.at).collect()
}

#[test]
fn two_clients_share_one_account_window_of_50_per_10_s() {
    let t = FakeTransport::new();
    oks(&t, 70);
    // Two clients in one realm (clones of the transport share its ledger).
    let (a, b) = (
        truto(&t, RateLimit::Documented),
        truto(&t, RateLimit::Documented),
    );
    let (opts, seen) = recorder();
    for i in 0..70 {
        get(if i % 2 == 0 { &a } else { &b }, "acct-1", &opts).unwrap();
    }
    let times = send_times(&t);
    assert_eq!(times.len(), 70);
    assert_eq!(busiest(&times, 10_000.0), 50, "never 51 in 10 s");
    assert!(
        times[..50].iter().all(|&at| at == NOW),
        "the first 50 go at once"
    );
    assert_eq!(
        times[50],
        NOW + 10_000.0 + SLACK,
        "the 51st waits for the 1st to leave"
    );
    let seen = seen.borrow();
    // One after another, the 51st waits once; then the whole window is free.
    assert_eq!(seen.len(), 1);
    assert!(times[50..].iter().all(|&at| at == NOW + 10_000.0 + SLACK));
    assert_eq!(
        seen[0],
        ThrottleEvent {
            wait_ms: 10_000.0,
            scope: Scope::Account
        }
    );
}

#[test]
fn accounts_have_their_own_windows_under_one_token_window_of_500() {
    let t = FakeTransport::new();
    oks(&t, 560);
    let c = truto(&t, RateLimit::Documented);
    let (opts, seen) = recorder();
    // 50 for each of 11 accounts (550 in all) fit no account window but
    // the token's: the 501st waits for the token window.
    for n in 0..11 {
        for _ in 0..50 {
            get(&c, &format!("acct-{n}"), &opts).unwrap();
        }
    }
    let times = send_times(&t);
    assert_eq!(busiest(&times, 10_000.0), 500);
    assert_eq!(times[500], NOW + 10_000.0 + SLACK);
    assert_eq!(seen.borrow()[0].scope, Scope::Token);
    assert!(
        t.sleeps().len() <= 2,
        "the waits are one per throttled send: {:?}",
        t.sleeps()
    );
}

#[test]
fn a_stamp_moves_to_when_the_answer_came() {
    let t = FakeTransport::new();
    oks(&t, 3);
    let own = RateLimit::Custom {
        per_account: Some(Limit {
            requests: 2,
            interval_ms: 1_000.0,
        }),
        per_token: None,
    };
    let c = truto(&t, own);
    t.send_takes(500.0);
    let opts = CallOptions::default();
    get(&c, "acct-1", &opts).unwrap(); // sent at 0, answered at 500
    get(&c, "acct-1", &opts).unwrap(); // sent at 500, answered at 1000
    get(&c, "acct-1", &opts).unwrap();
    // The server may have seen the first at any time up to 500: the third
    // goes at 500 + 1000, not 0 + 1000.
    assert_eq!(
        send_times(&t),
        vec![NOW, NOW + 500.0, NOW + 1_500.0 + SLACK]
    );
}

#[test]
fn rate_limit_false_sends_at_once() {
    let t = FakeTransport::new();
    oks(&t, 60);
    let c = truto(&t, RateLimit::Off);
    for _ in 0..60 {
        get(&c, "acct-1", &CallOptions::default()).unwrap();
    }
    assert!(t.sleeps().is_empty());
    assert!(t.ledger().is_empty(), "off means nothing is kept");
}

#[test]
fn custom_limits_replace_the_documented_ones() {
    let t = FakeTransport::new();
    oks(&t, 7);
    let own = RateLimit::Custom {
        per_account: None,
        per_token: Some(Limit {
            requests: 3,
            interval_ms: 2_000.0,
        }),
    };
    let c = truto(&t, own);
    let (opts, seen) = recorder();
    for n in 0..7 {
        get(&c, &format!("acct-{n}"), &opts).unwrap();
    }
    let times = send_times(&t);
    assert_eq!(busiest(&times, 2_000.0), 3);
    assert_eq!(times[3], NOW + 2_000.0 + SLACK);
    assert!(seen.borrow().iter().all(|e| e.scope == Scope::Token));
}

#[test]
fn custom_limits_are_checked() {
    for (requests, interval_ms) in [(0, 1_000.0), (1, 0.0), (1, f64::NAN), (1, f64::INFINITY)] {
        let own = RateLimit::Custom {
            per_account: Some(Limit {
                requests,
                interval_ms,
            }),
            per_token: None,
        };
        let err = TrutoClient::new(FakeTransport::new(), options(own), None).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Config);
        assert_eq!(err.field(), Some("options.rateLimit.perAccount"));
    }
}

#[test]
fn clients_with_another_token_or_base_url_do_not_share_and_keys_hide_the_token() {
    let t = FakeTransport::new();
    oks(&t, 150);
    let a = truto(&t, RateLimit::Documented);
    let other_token = TrutoClient::new(
        t.clone(),
        ClientOptions {
            token: Some(Token::new("another-token")),
            ..ClientOptions::default()
        },
        None,
    )
    .unwrap();
    let other_base = TrutoClient::new(
        t.clone(),
        ClientOptions {
            base_url: Some("https://eu.truto.example".into()),
            ..options(RateLimit::Documented)
        },
        None,
    )
    .unwrap();
    for c in [&a, &other_token, &other_base] {
        for _ in 0..50 {
            get(c, "acct-1", &CallOptions::default()).unwrap();
        }
    }
    assert!(t.sleeps().is_empty(), "three budgets of 50, not one");
    // The keys are numbers (salted digests): nothing of the token in them.
    let keys: Vec<u64> = t.ledger().into_iter().map(|(k, _)| k).collect();
    assert_eq!(
        keys.len(),
        7,
        "salt + an account and a token key per client: {keys:?}"
    );
    assert_eq!(keys[0], 0, "the salt");
    assert!(keys[1..].iter().all(|&k| k >= 1 << 20));
}

#[test]
fn a_governor_wait_longer_than_the_deadline_fails_at_once_and_sends_nothing() {
    let t = FakeTransport::new();
    oks(&t, 50);
    let c = truto(&t, RateLimit::Documented);
    for _ in 0..50 {
        get(&c, "acct-1", &CallOptions::default()).unwrap();
    }
    let opts = CallOptions {
        deadline_ms: Some(5_000.0),
        ..CallOptions::default()
    };
    let err = get(&c, "acct-1", &opts).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout);
    assert_eq!(err.code(), Some("deadline_exceeded"));
    assert_eq!(err.retry_after_ms(), Some(10_000.0));
    assert_eq!(t.sent_count(), 50);
    assert!(t.sleeps().is_empty());
}

#[test]
fn a_signal_ends_a_governor_wait_at_once() {
    let t = FakeTransport::new();
    oks(&t, 50);
    let c = truto(&t, RateLimit::Documented);
    for _ in 0..50 {
        get(&c, "acct-1", &CallOptions::default()).unwrap();
    }
    let flag = AbortFlag::new();
    t.abort_during_sleep(&flag);
    let opts = CallOptions {
        signal: Some(flag),
        ..CallOptions::default()
    };
    let err = get(&c, "acct-1", &opts).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Aborted);
    assert_eq!(t.sent_count(), 50, "nothing sent after the abort");
}

#[test]
fn a_429s_wait_holds_back_every_client_of_the_account() {
    let t = FakeTransport::with([Outcome::reply_with(
        429,
        &[("retry-after", "3")],
        r#"{"statusCode":429,"error":"Too Many Requests","message":"slow down"}"#,
    )]);
    let a = truto(&t, RateLimit::Documented);
    let b = truto(&t, RateLimit::Documented);
    let no_retry = CallOptions {
        max_retries: Some(0.0),
        ..CallOptions::default()
    };
    assert_eq!(
        get(&a, "acct-1", &no_retry).unwrap_err().status(),
        Some(429)
    );
    oks(&t, 2);
    let (opts, seen) = recorder();
    get(&b, "acct-1", &opts).unwrap();
    assert_eq!(
        seen.borrow()[..],
        [ThrottleEvent {
            wait_ms: 3_000.0,
            scope: Scope::Server
        }]
    );
    assert_eq!(send_times(&t)[1], NOW + 3_000.0 + SLACK);
    // Another account is not held back.
    get(&b, "acct-2", &CallOptions::default()).unwrap();
    assert_eq!(send_times(&t)[2], NOW + 3_000.0 + SLACK);
}

fn devrev_ok(remaining: u32, reset_epoch_s: f64) -> Outcome {
    Outcome::reply_with(
        200,
        &[
            ("x-ratelimit-limit", "100"),
            ("x-ratelimit-remaining", &remaining.to_string()),
            ("x-ratelimit-reset", &reset_epoch_s.to_string()),
        ],
        r#"{"engagement":{"id":"e1"}}"#,
    )
}

#[test]
fn devrev_sends_nothing_while_its_window_is_spent() {
    let reset = (NOW + 4_000.0) / 1000.0;
    let t = FakeTransport::with([
        devrev_ok(2, reset),
        devrev_ok(1, reset),
        devrev_ok(0, reset),
    ]);
    let c = DevRevClient::new(t.clone(), options(RateLimit::Documented)).unwrap();
    let (opts, seen) = recorder();
    for _ in 0..3 {
        block_on(c.get("e1", &opts)).unwrap();
    }
    assert!(seen.borrow().is_empty(), "the window was not spent yet");
    t.push(devrev_ok(99, reset + 60.0));
    block_on(c.get("e1", &opts)).unwrap();
    assert_eq!(
        seen.borrow()[..],
        [ThrottleEvent {
            wait_ms: 4_000.0,
            scope: Scope::Server
        }]
    );
    assert_eq!(
        send_times(&t)[3],
        NOW + 4_000.0 + SLACK,
        "sent when the window reset"
    );
}

#[test]
fn devrev_counts_down_what_its_window_has_left() {
    // Two left: two more go, the third waits (nothing answered in between
    // would say otherwise).
    let reset = (NOW + 1_000.0) / 1000.0;
    let t = FakeTransport::with([devrev_ok(2, reset)]);
    let c = DevRevClient::new(t.clone(), options(RateLimit::Documented)).unwrap();
    block_on(c.get("e1", &CallOptions::default())).unwrap();
    // The next answers carry no headers: the count is the client's own.
    for _ in 0..3 {
        t.push(Outcome::reply(200, r#"{"engagement":{"id":"e1"}}"#));
    }
    for _ in 0..3 {
        block_on(c.get("e1", &CallOptions::default())).unwrap();
    }
    let times = send_times(&t);
    assert_eq!(times, vec![NOW, NOW, NOW, NOW + 1_000.0 + SLACK]);
}

#[test]
fn devrev_rate_limit_false_ignores_the_window() {
    let reset = (NOW + 4_000.0) / 1000.0;
    let t = FakeTransport::with([devrev_ok(0, reset), devrev_ok(0, reset)]);
    let c = DevRevClient::new(t.clone(), options(RateLimit::Off)).unwrap();
    block_on(c.get("e1", &CallOptions::default())).unwrap();
    block_on(c.get("e1", &CallOptions::default())).unwrap();
    assert!(t.sleeps().is_empty());
}

#[test]
fn a_clock_that_does_not_move_cannot_make_a_wait_endless() {
    let t = FakeTransport::new();
    oks(&t, 51);
    t.freeze_clock();
    let c = truto(&t, RateLimit::Documented);
    for _ in 0..51 {
        get(&c, "acct-1", &CallOptions::default()).unwrap();
    }
    assert_eq!(t.sent_count(), 51);
    assert_eq!(
        t.sleeps().len(),
        8,
        "eight waits without progress, then it goes"
    );
}
