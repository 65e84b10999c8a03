//! One logical call: headers, attempts, waits and error mapping, shared by
//! both providers. The policy (what to retry, how long to wait) is `crate::retry`.

use crate::config::{check_headers, count, ClientConfig};
use crate::error::Error;
use crate::error::ErrorKind;
use crate::governor::{Gate, ThrottleHook};
use crate::json::{Json, JsonExt};
use crate::retry::{
    backoff_ms, retry_failure, retry_status, server_wait_ms, Provider, MAX_SERVER_WAIT_MS,
};
use crate::transport::{
    HttpRequest, HttpResponse, Method, ReadAs, ResponseBody, Transport, READ_HEADERS,
};
use std::fmt;
use std::future::Future;
use std::rc::Rc;

/// What a retry hook is told before the client waits to retry.
#[derive(Clone, Debug, PartialEq)]
pub struct RetryEvent {
    /// The attempt that failed (1 for the first).
    pub attempt: u32,
    /// Its HTTP status, when the server answered.
    pub status: Option<u16>,
    /// Why it failed: `Http`, `Network` or `Timeout`.
    pub kind: ErrorKind,
    /// The error's code (`rate_limited`, the API's error type...).
    pub code: Option<String>,
    /// How long the client waits before the next attempt, in ms.
    pub wait_ms: f64,
}

/// A hook called before each retry wait.
#[derive(Clone)]
pub struct RetryHook(pub Rc<dyn Fn(&RetryEvent)>);

impl fmt::Debug for RetryHook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RetryHook")
    }
}

/// Per-call options (every method takes them).
#[derive(Debug)]
pub struct CallOptions<S> {
    /// Cancels the call, its waits and (for `listAll`) the pages after it.
    pub signal: Option<S>,
    /// Per-attempt timeout in ms (0 = none); the client's when `None`.
    pub timeout_ms: Option<f64>,
    /// Retries after the first attempt; the client's when `None`.
    pub max_retries: Option<f64>,
    /// The whole call's time budget in ms, retries and waits included (0 or
    /// `None`: no budget). Each attempt's timeout is clipped to what is left, and
    /// a server wait that would outlast it fails at once with `retry_after_ms`.
    pub deadline_ms: Option<f64>,
    /// The `Idempotency-Key` of a write; generated once per call when `None`.
    pub idempotency_key: Option<String>,
    /// Extra headers for this call.
    pub headers: Vec<(String, String)>,
    /// Called before each retry wait (a rate-limit banner, a log line...).
    pub on_retry: Option<RetryHook>,
    /// Called before each wait for the rate governor (`crate::governor`).
    pub on_throttle: Option<ThrottleHook>,
}

impl<S> Default for CallOptions<S> {
    fn default() -> Self {
        CallOptions {
            signal: None,
            timeout_ms: None,
            max_retries: None,
            deadline_ms: None,
            idempotency_key: None,
            headers: Vec::new(),
            on_retry: None,
            on_throttle: None,
        }
    }
}

/// What an operation wants sent.
#[derive(Debug)]
pub(crate) struct Outgoing {
    pub method: Method,
    /// Path and query, appended to the base URL (starts with `/`).
    pub path: String,
    pub body: Option<String>,
    pub read: ReadAs,
    /// Whether sending it twice is harmless.
    pub repeatable: bool,
    /// Whether it carries an `Idempotency-Key`.
    pub idempotency_key: bool,
    /// Headers the provider's API requires on this request (DevRev's
    /// `X-Devrev-Scope: beta`), sent before the caller's own.
    pub fixed_headers: &'static [(&'static str, &'static str)],
}

/// How a provider reads its list envelope: checks it and finds the page's
/// items and the cursor to follow. Each provider hands its own to
/// [`Expect::Page`], so this module knows no provider's envelope.
pub type PageShape = fn(&Json) -> Result<crate::paginate::Page, Error>;

/// How the 2xx answer of a [`Call`] is read.
#[derive(Clone, Copy, Debug)]
pub enum Expect {
    /// A JSON object (a Truto record).
    Object,
    /// A list envelope, checked by the provider's [`PageShape`], resolved as sent.
    Page(PageShape),
    /// DevRev's `{ engagement: {...} }`, unwrapped.
    Engagement,
    /// Any JSON, `null` for an empty body (Truto's delete).
    AnyJson,
    /// Nothing (DevRev's delete).
    Nothing,
    /// DevRev's `{ count }`, as a number.
    Count,
    /// The unread body (`listStream`).
    Stream,
}

/// One operation, validated and ready to send: what goes on the wire and how
/// the answer is read. Every method of both clients is a `Call`, so one future
/// ([`Conn::run`]) sends them all.
#[derive(Debug)]
pub struct Call {
    pub(crate) provider: Provider,
    pub(crate) out: Outgoing,
    pub(crate) expect: Expect,
}

/// What a [`Call`] resolves to.
#[derive(Debug)]
pub enum Answer<B> {
    /// A JSON value (a record, an envelope, a delete's body...).
    Json(Json),
    /// A number (DevRev's count).
    Count(f64),
    /// The unread 2xx body (`listStream`).
    Body(B),
    /// No value (DevRev's delete).
    Nothing,
    /// A list envelope, as sent, and its checked page.
    Page(Json, crate::paginate::Page),
}

impl<B> Answer<B> {
    /// The JSON value; a `decode` error for any other answer.
    ///
    /// # Errors
    /// `decode` when the answer is not JSON.
    pub fn json(self) -> Result<Json, Error> {
        match self {
            Answer::Json(json) | Answer::Page(json, _) => Ok(json),
            _ => Err(Error::decode("invalid_body", "the answer is not JSON")),
        }
    }

    /// The checked page of a list answer; a `decode` error for any other answer.
    ///
    /// # Errors
    /// `decode` when the answer is not a list page.
    pub fn page(self) -> Result<crate::paginate::Page, Error> {
        match self {
            Answer::Page(_, page) => Ok(page),
            _ => Err(Error::decode(
                "invalid_body",
                "the answer is not a list page",
            )),
        }
    }
}

/// What every call of a client goes through: its transport and its
/// configuration. Both clients hold one; [`Conn::run`] sends their calls.
#[derive(Debug)]
pub struct Conn<T> {
    transport: T,
    config: ClientConfig,
    /// The client's key in the rate governor's ledger (`None`: `rateLimit` off).
    rate_digest: Option<u64>,
}

impl<T: Transport> Conn<T> {
    /// The transport and the configuration calls are sent with.
    pub fn new(transport: T, config: ClientConfig) -> Self {
        let rate_digest = crate::governor::client_digest(&transport, &config);
        Conn {
            transport,
            config,
            rate_digest,
        }
    }

    /// The transport.
    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// Sends `call` (attempts, waits, error mapping) and reads its answer.
    ///
    /// # Errors
    /// As [`send`]; `decode` when the 2xx answer is not what `call` expects.
    pub fn run<'a>(
        &'a self,
        call: Call,
        options: &'a CallOptions<T::Signal>,
    ) -> impl Future<Output = Result<Answer<T::Body>, Error>> + 'a {
        // The same future as `run_within`'s, not one wrapped around it: an
        // async fn here would be a second copy of the whole send loop.
        self.run_within(call, options, None)
    }

    /// [`Conn::run`], in at most `max_attempts` HTTP requests (retries
    /// included; `None`: as many as the retry options allow): a `listAll`
    /// page under its `maxRequests` budget.
    ///
    /// # Errors
    /// As [`Conn::run`].
    pub async fn run_within(
        &self,
        call: Call,
        options: &CallOptions<T::Signal>,
        max_attempts: Option<u32>,
    ) -> Result<Answer<T::Body>, Error> {
        let sent = send(
            &self.transport,
            &self.config,
            Gate::new(&self.config, call.provider, &call.out, self.rate_digest),
            call.provider,
            call.out,
            options,
            max_attempts,
        )
        .await?;
        finish(call.expect, sent)
    }
}

/// Reads a 2xx answer as `expect` says.
fn finish<B: ResponseBody>(expect: Expect, sent: Sent<B>) -> Result<Answer<B>, Error> {
    let json = || sent.response.body.json();
    let bad = |why: &str| sent.decode_error("invalid_body", why);
    let checked = |page: Result<crate::paginate::Page, Error>| {
        page.map_err(|e| with_attempts(e, sent.attempts))
    };
    Ok(match expect {
        Expect::Object => Answer::Json(
            json()
                .filter(JsonExt::is_object)
                .ok_or_else(|| bad("the response body is not a JSON object"))?,
        ),
        Expect::Page(read) => {
            let envelope = json().ok_or_else(|| bad("the list response body is not JSON"))?;
            let mut page = checked(read(&envelope))?;
            page.attempts = sent.attempts;
            Answer::Page(envelope, page)
        }
        Expect::Engagement => Answer::Json(
            json()
                .and_then(|b| b.member("engagement"))
                .filter(JsonExt::is_object)
                .ok_or_else(|| bad("the response has no `engagement` object"))?,
        ),
        Expect::AnyJson if sent.response.body.text().trim().is_empty() => {
            Answer::Json(Json::null())
        }
        Expect::AnyJson => {
            Answer::Json(json().ok_or_else(|| bad("the response body is not JSON"))?)
        }
        Expect::Nothing => Answer::Nothing,
        Expect::Count => Answer::Count(
            json()
                .and_then(|b| b.member("count"))
                .and_then(|c| c.number())
                .filter(|c| c.is_finite() && *c >= 0.0)
                .ok_or_else(|| bad("the count response has no numeric `count`"))?,
        ),
        Expect::Stream => Answer::Body(sent.response.body),
    })
}

/// Request-id headers, in order of preference: the last four of
/// [`READ_HEADERS`].
const REQUEST_ID_HEADERS: &[&str] = READ_HEADERS.split_at(4).1;

/// A 2xx response and the number of attempts it took.
#[derive(Debug)]
pub(crate) struct Sent<B> {
    pub response: HttpResponse<B>,
    pub attempts: u32,
}

impl<B> Sent<B> {
    /// A `decode` error that counts the attempts made.
    pub fn decode_error(&self, code: &str, message: &str) -> Error {
        with_attempts(Error::decode(code, message), self.attempts)
    }
}

/// Builds the request once, then runs attempts until one succeeds, the retry
/// policy says stop, or the caller's signal fires; each attempt first waits for
/// `gate` (the rate governor, `None` when off). Resolves to a 2xx response.
pub(crate) async fn send<T: Transport>(
    transport: &T,
    config: &ClientConfig,
    gate: Option<Gate>,
    provider: Provider,
    out: Outgoing,
    options: &CallOptions<T::Signal>,
    max_attempts: Option<u32>,
) -> Result<Sent<T::Body>, Error> {
    let request = build(transport, config, &out, options)?;
    let max_retries =
        count("maxRetries", options.max_retries, config.max_retries).map_err(as_validation)?;
    let max_retries = max_attempts.map_or(max_retries, |a| max_retries.min(a.saturating_sub(1)));
    let timeout_ms =
        count("timeoutMs", options.timeout_ms, config.timeout_ms).map_err(as_validation)?;
    let budget = count("deadlineMs", options.deadline_ms, 0).map_err(as_validation)?;
    let deadline = (budget > 0).then(|| transport.now_ms() + f64::from(budget));
    let left = || deadline.map(|d| d - transport.now_ms());
    let signal = options.signal.as_ref();
    let mut attempts: u32 = 0;
    loop {
        if transport.is_aborted(signal) {
            return Err(with_attempts(Error::aborted(), attempts));
        }
        // The time the governor stamped the attempt with, to move the stamp
        // to when its answer comes.
        let sent_at = match &gate {
            Some(gate) => wait_for_gate(transport, gate, options, left, budget, attempts).await?,
            None => 0.0,
        };
        let attempt_timeout = match left() {
            Some(ms) if ms <= 0.0 => {
                return Err(with_attempts(Error::deadline(budget), attempts));
            }
            Some(ms) if timeout_ms == 0 || ms < f64::from(timeout_ms) => ms.ceil() as u32,
            _ => timeout_ms,
        };
        attempts += 1;
        let may_retry = attempts <= max_retries;
        let outcome = transport
            .send(&request, out.read, attempt_timeout, signal)
            .await;
        let settle = |response: Option<&HttpResponse<T::Body>>, asked: Option<f64>| {
            if let Some(gate) = &gate {
                let answer = response.map(|r| (r, asked));
                gate.settle(transport, provider, sent_at, transport.now_ms(), answer);
            }
        };
        let (wait, failed) = match outcome {
            Ok(response) if (200..300).contains(&response.status) => {
                settle(Some(&response), None);
                return Ok(Sent { response, attempts });
            }
            Ok(response) => {
                let body = response.body.json();
                let asked = server_wait_ms(
                    provider,
                    response.status,
                    |name| response.header(name).map(str::to_owned),
                    body.as_ref(),
                    transport.now_ms(),
                );
                settle(Some(&response), asked);
                let mut error = http_error(provider, request.method, &response, body.as_ref());
                if let Some(token) = &config.token {
                    error.redact(token.expose());
                }
                if matches!(response.status, 429 | 503) {
                    error.set_retry_after_ms(asked);
                }
                let error = with_attempts(error, attempts);
                let failed = (
                    Some(response.status),
                    ErrorKind::Http,
                    error.code().map(str::to_owned),
                );
                if !may_retry
                    || !retry_status(provider, response.status, body.as_ref(), out.repeatable)
                {
                    return Err(error);
                }
                let wait = match asked {
                    // Longer than 60 s, or than the budget left: fail now, saying how long.
                    Some(ms) if ms > MAX_SERVER_WAIT_MS || left().is_some_and(|l| ms >= l) => {
                        let mut error = error;
                        error.set_retry_after_ms(Some(ms));
                        return Err(error);
                    }
                    Some(ms) => ms,
                    None => backoff_ms(attempts - 1, transport.random()),
                };
                (wait, failed)
            }
            Err(error) => {
                settle(None, None);
                if !may_retry || !retry_failure(error.kind(), out.repeatable) {
                    return Err(with_attempts(error, attempts));
                }
                let failed = (None, error.kind(), error.code().map(str::to_owned));
                (backoff_ms(attempts - 1, transport.random()), failed)
            }
        };
        // A backoff that would outlast the budget cannot lead anywhere.
        if left().is_some_and(|l| wait >= l) {
            return Err(with_attempts(Error::deadline(budget), attempts));
        }
        if let Some(hook) = &options.on_retry {
            let (status, kind, code) = failed;
            (hook.0)(&RetryEvent {
                attempt: attempts,
                status,
                kind,
                code,
                wait_ms: wait,
            });
        }
        transport
            .sleep(wait, signal)
            .await
            .map_err(|e| with_attempts(e, attempts))?;
    }
}

/// Waits until the governor admits the attempt and stamps it; resolves to
/// the stamp's time. Each wait
/// counts against the deadline (one that would outlast it fails at once,
/// saying how long in `retryAfterMs`) and ends at once on the signal; the
/// first for each limit is told to `onThrottle` (a request queued behind
/// others wakes and waits again as each ahead of it goes: told once).
async fn wait_for_gate<T: Transport>(
    transport: &T,
    gate: &Gate,
    options: &CallOptions<T::Signal>,
    left: impl Fn() -> Option<f64>,
    budget: u32,
    attempts: u32,
) -> Result<f64, Error> {
    let mut told = None;
    let mut stalled = 0;
    loop {
        let now = transport.now_ms();
        // Eight waits in a row with a clock that did not move: a frozen
        // clock, which would make the wait endless. Go on.
        let Some(event) = gate.admit(transport, now, stalled >= 8) else {
            return Ok(now);
        };
        if left().is_some_and(|l| event.wait_ms >= l) {
            let mut error = with_attempts(Error::deadline(budget), attempts);
            error.set_retry_after_ms(Some(event.wait_ms));
            return Err(error);
        }
        if let (Some(hook), false) = (&options.on_throttle, told == Some(event.scope)) {
            (hook.0)(&event);
            told = Some(event.scope);
        }
        // One ms more: a timer may fire up to a millisecond early by the
        // clock (Node's), which would only mean waking to wait again.
        transport
            .sleep(event.wait_ms + 1.0, options.signal.as_ref())
            .await
            .map_err(|e| with_attempts(e, attempts))?;
        stalled = if transport.now_ms() <= now {
            stalled + 1
        } else {
            0
        };
    }
}

fn as_validation(e: Error) -> Error {
    Error::validation(
        "invalid_option",
        e.field().or(Some("options")),
        e.message().to_owned(),
    )
}

fn with_attempts(mut e: Error, attempts: u32) -> Error {
    e.set_attempts(attempts);
    e
}

/// The request as it goes on the wire, built once and reused by every attempt.
fn build<T: Transport>(
    transport: &T,
    config: &ClientConfig,
    out: &Outgoing,
    options: &CallOptions<T::Signal>,
) -> Result<HttpRequest, Error> {
    let mut headers: Vec<(String, String)> =
        vec![("accept".to_owned(), "application/json".to_owned())];
    if out.body.is_some() {
        headers.push(("content-type".to_owned(), "application/json".to_owned()));
    }
    for (name, value) in out.fixed_headers {
        set(&mut headers, (*name).to_owned(), (*value).to_owned());
    }
    let call_headers = check_headers(&options.headers, "options.headers")?;
    for list in [&config.headers, &call_headers] {
        for (name, value) in list {
            set(&mut headers, name.clone(), value.clone());
        }
    }
    if let Some(token) = &config.token {
        set(
            &mut headers,
            "authorization".to_owned(),
            format!("Bearer {}", token.expose()),
        );
    }
    if out.idempotency_key {
        let key = match &options.idempotency_key {
            Some(k) if k.is_empty() || k.contains(['\r', '\n', '\0']) => {
                return Err(Error::validation(
                    "invalid_idempotency_key",
                    Some("options.idempotencyKey"),
                    "idempotencyKey must be a non-empty string without CR, LF or NUL",
                ))
            }
            Some(k) => k.clone(),
            None => transport.unique_id(),
        };
        set(&mut headers, "idempotency-key".to_owned(), key);
    }
    Ok(HttpRequest {
        method: out.method,
        url: format!("{}{}", config.base_url, out.path),
        headers,
        body: out.body.clone(),
    })
}

/// Sets a header, replacing an earlier value of the same name.
fn set(headers: &mut Vec<(String, String)>, name: String, value: String) {
    headers.retain(|(k, _)| *k != name);
    headers.push((name, value));
}

/// Maps a non-2xx answer: the API's own message and code, the raw body, the
/// request id and (Truto) the remote-error details.
#[inline(never)]
fn http_error<B: ResponseBody>(
    provider: Provider,
    method: Method,
    response: &HttpResponse<B>,
    body: Option<&Json>,
) -> Error {
    let text_of = |name: &str| {
        body.and_then(|b| b.string_at(name))
            .filter(|s| !s.is_empty())
    };
    let status = response.status;
    let truto = match (provider, body) {
        (Provider::Truto, Some(body)) => Some(crate::truto::error_body::details(body)),
        _ => None,
    };
    // An empty `message` on Truto's remote error means "read raw_response":
    // the CRM's own message comes before Truto's generic `error` name.
    let (truto, remote_message) = truto.unzip();
    let message = text_of("message")
        .or(remote_message.flatten())
        .or_else(|| text_of("error"))
        .unwrap_or_else(|| format!("HTTP {status}{}", reason(status)));
    let mut error = Error::http(status, message);
    let code = match provider {
        Provider::Truto => text_of("code").or_else(|| text_of("error").map(|e| snake(&e))),
        Provider::DevRev => text_of("type"),
    };
    error.set_code(code.or_else(|| Some(status_code_name(status).to_owned())));
    let text = response.body.text();
    error.set_body((!text.is_empty()).then_some(text));
    error.set_request_id(
        REQUEST_ID_HEADERS
            .iter()
            .find_map(|h| response.header(h))
            .map(str::to_owned),
    );
    if let Some(mut d) = truto {
        d.needs_reauth = status == 401 && d.is_remote_error == Some(true);
        d.read_only_account = status == 405 && method != Method::Get;
        error.set_truto(d);
    }
    error
}

/// `"Bad Request"` -> `"bad_request"`.
fn snake(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    // Leading separators never push `_` and trailing ones are trimmed below,
    // so surrounding whitespace needs no trim of its own.
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    out.trim_end_matches('_').to_owned()
}

fn reason(status: u16) -> &'static str {
    match status {
        400 => " Bad Request",
        401 => " Unauthorized",
        403 => " Forbidden",
        404 => " Not Found",
        408 => " Request Timeout",
        409 => " Conflict",
        422 => " Unprocessable Entity",
        429 => " Too Many Requests",
        500 => " Internal Server Error",
        502 => " Bad Gateway",
        503 => " Service Unavailable",
        504 => " Gateway Timeout",
        _ => "",
    }
}

/// A stable code for a status when the body gives none.
fn status_code_name(status: u16) -> &'static str {
    match status {
        400 => "bad_request",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not_found",
        408 => "request_timeout",
        409 => "conflict",
        422 => "unprocessable_entity",
        429 => "rate_limited",
        500..=599 => "server_error",
        _ => "http_error",
    }
}
