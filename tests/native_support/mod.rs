//! A scripted fake [`Transport`] shared by the native integration tests.
//!
//! It answers `send` from a FIFO script of [`Outcome`]s, records every request
//! (with the `ReadAs` and timeout it was sent with) and every requested sleep,
//! and gives a fixed clock, a settable "random" number and counted unique ids
//! (`key-1`, `key-2`, ...). Nothing waits: `sleep` returns at once.
//!
//! Include it from a test file with `mod native_support;`.

#![allow(dead_code)]

use crm_engagements::{Error, HttpRequest, HttpResponse, Json, ReadAs, ResponseBody, Transport};
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

pub use futures_executor::block_on;

/// A response body held as text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextBody(pub String);

impl TextBody {
    /// The body text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl ResponseBody for TextBody {
    fn text(&self) -> String {
        self.0.clone()
    }
    fn json(&self) -> Option<Json> {
        if self.0.trim().is_empty() {
            return None;
        }
        serde_json::from_str(&self.0).ok()
    }
}

/// A caller's abort flag: clones share the same flag.
#[derive(Clone, Debug, Default)]
pub struct AbortFlag(Rc<Cell<bool>>);

impl AbortFlag {
    /// A flag that is not set.
    pub fn new() -> Self {
        AbortFlag::default()
    }
    /// Sets the flag.
    pub fn abort(&self) {
        self.0.set(true);
    }
    /// Whether the flag is set.
    pub fn is_set(&self) -> bool {
        self.0.get()
    }
}

/// One scripted answer to one `send`.
#[derive(Debug)]
pub enum Outcome {
    /// An HTTP answer.
    Reply {
        /// The status.
        status: u16,
        /// Headers (names lowercase).
        headers: Vec<(String, String)>,
        /// The body text.
        body: String,
    },
    /// A failed attempt (network, timeout, aborted...).
    Fail(Error),
}

impl Outcome {
    /// An answer without headers.
    pub fn reply(status: u16, body: impl Into<String>) -> Self {
        Outcome::Reply {
            status,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    /// An answer with headers.
    pub fn reply_with(status: u16, headers: &[(&str, &str)], body: impl Into<String>) -> Self {
        Outcome::Reply {
            status,
            headers: headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            body: body.into(),
        }
    }

    /// An answer whose body is `value` as JSON text.
    pub fn json(status: u16, value: &serde_json::Value) -> Self {
        Outcome::reply(status, value.to_string())
    }

    /// A failed attempt.
    pub fn fail(error: Error) -> Self {
        Outcome::Fail(error)
    }
}

/// One recorded `send`.
#[derive(Clone, Debug)]
pub struct Sent {
    /// The request, as handed to the transport.
    pub request: HttpRequest,
    /// How the body was wanted.
    pub read: ReadAs,
    /// The per-attempt timeout passed.
    pub timeout_ms: u32,
    /// Whether a signal was passed.
    pub had_signal: bool,
    /// The clock when it was sent.
    pub at: f64,
}

#[derive(Debug)]
struct State {
    script: RefCell<VecDeque<Outcome>>,
    sent: RefCell<Vec<Sent>>,
    sleeps: RefCell<Vec<f64>>,
    now_ms: Cell<f64>,
    random: Cell<f64>,
    ids: Cell<u32>,
    abort_on_sleep: RefCell<Option<AbortFlag>>,
    sleep_advances_clock: Cell<bool>,
    ledger: RefCell<std::collections::BTreeMap<u64, Vec<f64>>>,
    send_takes_ms: Cell<f64>,
}

/// The scripted transport. Clones share their state, so a test can keep a
/// handle while the client owns another.
#[derive(Clone, Debug)]
pub struct FakeTransport {
    state: Rc<State>,
}

impl Default for FakeTransport {
    fn default() -> Self {
        FakeTransport::new()
    }
}

impl FakeTransport {
    /// An empty script; clock at 1 700 000 000 000 ms, moved forward by
    /// every `sleep` (as real time is); random 0.5.
    pub fn new() -> Self {
        FakeTransport {
            state: Rc::new(State {
                script: RefCell::new(VecDeque::new()),
                sent: RefCell::new(Vec::new()),
                sleeps: RefCell::new(Vec::new()),
                now_ms: Cell::new(1_700_000_000_000.0),
                random: Cell::new(0.5),
                ids: Cell::new(0),
                ledger: RefCell::default(),
                send_takes_ms: Cell::new(0.0),
                abort_on_sleep: RefCell::new(None),
                sleep_advances_clock: Cell::new(true),
            }),
        }
    }

    /// A transport that will answer with `outcomes`, in order.
    pub fn with(outcomes: impl IntoIterator<Item = Outcome>) -> Self {
        let t = FakeTransport::new();
        for o in outcomes {
            t.push(o);
        }
        t
    }

    /// Appends an outcome to the script.
    pub fn push(&self, outcome: Outcome) {
        self.state.script.borrow_mut().push_back(outcome);
    }

    /// Outcomes not used yet.
    pub fn remaining(&self) -> usize {
        self.state.script.borrow().len()
    }

    /// Every request sent so far, in order.
    pub fn sent(&self) -> Vec<Sent> {
        self.state.sent.borrow().clone()
    }

    /// Just the requests.
    pub fn requests(&self) -> Vec<HttpRequest> {
        self.state
            .sent
            .borrow()
            .iter()
            .map(|s| s.request.clone())
            .collect()
    }

    /// The number of requests sent.
    pub fn sent_count(&self) -> usize {
        self.state.sent.borrow().len()
    }

    /// The last request sent.
    pub fn last(&self) -> HttpRequest {
        self.state
            .sent
            .borrow()
            .last()
            .expect("no request was sent")
            .request
            .clone()
    }

    /// Every sleep asked for, in ms.
    pub fn sleeps(&self) -> Vec<f64> {
        self.state.sleeps.borrow().clone()
    }

    /// Makes every `sleep` move the clock forward by its duration (the
    /// default; kept for the tests that say so).
    pub fn advance_clock_on_sleep(&self) {
        self.state.sleep_advances_clock.set(true);
    }

    /// Moves the clock forward.
    pub fn advance(&self, ms: f64) {
        self.state.now_ms.set(self.state.now_ms.get() + ms);
    }

    /// Sets the clock (ms since the epoch).
    pub fn set_now_ms(&self, ms: f64) {
        self.state.now_ms.set(ms);
    }

    /// Sets what `random` returns.
    pub fn set_random(&self, value: f64) {
        self.state.random.set(value);
    }

    /// Sets `flag` when the next sleep starts: the caller aborting during a
    /// retry wait.
    pub fn abort_during_sleep(&self, flag: &AbortFlag) {
        *self.state.abort_on_sleep.borrow_mut() = Some(flag.clone());
    }

    /// The governor's ledger: every key and its numbers (clones of this
    /// transport share it, as clients in one JS realm do).
    pub fn ledger(&self) -> Vec<(u64, Vec<f64>)> {
        self.state.ledger.borrow().clone().into_iter().collect()
    }

    /// Makes `sleep` leave the clock where it is (a frozen clock).
    pub fn freeze_clock(&self) {
        self.state.sleep_advances_clock.set(false);
    }

    /// Makes every send move the clock forward by `ms` (its answer comes
    /// that much later).
    pub fn send_takes(&self, ms: f64) {
        self.state.send_takes_ms.set(ms);
    }

    /// How many unique ids were handed out.
    pub fn ids_issued(&self) -> u32 {
        self.state.ids.get()
    }
}

impl Transport for FakeTransport {
    type Body = TextBody;
    type Signal = AbortFlag;

    async fn send(
        &self,
        request: &HttpRequest,
        read: ReadAs,
        timeout_ms: u32,
        signal: Option<&AbortFlag>,
    ) -> Result<HttpResponse<TextBody>, Error> {
        if signal.is_some_and(AbortFlag::is_set) {
            return Err(Error::aborted());
        }
        self.state.sent.borrow_mut().push(Sent {
            request: request.clone(),
            read,
            timeout_ms,
            had_signal: signal.is_some(),
            at: self.state.now_ms.get(),
        });
        self.advance(self.state.send_takes_ms.get());
        let outcome = self.state.script.borrow_mut().pop_front();
        match outcome {
            Some(Outcome::Reply {
                status,
                headers,
                body,
            }) => Ok(HttpResponse {
                status,
                headers,
                body: TextBody(body),
            }),
            Some(Outcome::Fail(error)) => Err(error),
            None => panic!(
                "fake transport: unexpected request (script exhausted): {} {}",
                request.method.as_str(),
                request.url
            ),
        }
    }

    async fn sleep(&self, ms: f64, signal: Option<&AbortFlag>) -> Result<(), Error> {
        self.state.sleeps.borrow_mut().push(ms);
        if self.state.sleep_advances_clock.get() {
            self.state.now_ms.set(self.state.now_ms.get() + ms);
        }
        if let Some(flag) = self.state.abort_on_sleep.borrow_mut().take() {
            flag.abort();
        }
        if signal.is_some_and(AbortFlag::is_set) {
            return Err(Error::aborted());
        }
        Ok(())
    }

    fn is_aborted(&self, signal: Option<&AbortFlag>) -> bool {
        signal.is_some_and(AbortFlag::is_set)
    }

    fn now_ms(&self) -> f64 {
        self.state.now_ms.get()
    }

    fn random(&self) -> f64 {
        self.state.random.get()
    }

    fn unique_id(&self) -> String {
        let n = self.state.ids.get() + 1;
        self.state.ids.set(n);
        format!("key-{n}")
    }

    fn shared(&self, key: f64) -> Vec<f64> {
        assert!(
            key.fract() == 0.0 && (0.0..9_007_199_254_740_992.0).contains(&key),
            "a ledger key JavaScript cannot hold exactly: {key}"
        );
        let ledger = self.state.ledger.borrow();
        ledger.get(&(key as u64)).cloned().unwrap_or_default()
    }

    fn set_shared(&self, key: f64, values: Vec<f64>) {
        let mut ledger = self.state.ledger.borrow_mut();
        if values.is_empty() {
            ledger.remove(&(key as u64));
        } else {
            ledger.insert(key as u64, values);
        }
    }
}
