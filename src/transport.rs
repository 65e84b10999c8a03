//! Requests as plain data, and the small trait that sends them.
//!
//! Every operation builds an [`HttpRequest`]; a [`Transport`] runs it. The real
//! transport is the global `fetch` (`crate::fetch`, wasm only); tests script a
//! fake one, so URL building, retries, pagination and error mapping all run
//! under plain `cargo test`.

use crate::error::Error;
use crate::json::Json;
use std::fmt;

/// An HTTP method used by the supported APIs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
}

impl Method {
    /// The method name as sent on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

/// How the response body is wanted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadAs {
    /// Read the whole body (parsed lazily as JSON by [`ResponseBody::json`]).
    Json,
    /// Hand a 2xx body over as a stream, unread. Error bodies are still read.
    Stream,
}

/// One request, fully built: what goes on the wire.
#[derive(Clone, PartialEq)]
pub struct HttpRequest {
    /// The method.
    pub method: Method,
    /// The absolute URL, query string included.
    pub url: String,
    /// Header names (lowercase) and values, in sending order.
    pub headers: Vec<(String, String)>,
    /// The JSON body text, for requests that have one.
    pub body: Option<String>,
}

impl HttpRequest {
    /// The value of header `name` (lowercase), if set.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Never prints the `Authorization` header's value.
impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(k, v)| {
                let shown = if k == "authorization" {
                    "[redacted]"
                } else {
                    v
                };
                (k.as_str(), shown)
            })
            .collect();
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &headers)
            .field("body", &self.body)
            .finish()
    }
}

/// A response body as a transport holds it.
pub trait ResponseBody {
    /// The body as text (copied; used for error bodies).
    fn text(&self) -> String;
    /// The body parsed as JSON; `None` when it is empty or not JSON.
    fn json(&self) -> Option<Json>;
}

/// Every response header the core reads: DevRev's window
/// (`x-ratelimit-reset`, `x-ratelimit-remaining`: the governor reads them on
/// every answer, see [`READ_ON_SUCCESS`]), the wait to retry after
/// (`retry-after`, Truto's `ratelimit-reset`, and DevRev's reset again) and
/// the request id. A transport may copy just these.
pub const READ_HEADERS: [&str; 8] = [
    "x-ratelimit-reset",
    "x-ratelimit-remaining",
    "retry-after",
    "ratelimit-reset",
    "x-request-id",
    "request-id",
    "x-truto-request-id",
    "cf-ray",
];

/// The headers the core reads on a 2xx answer (DevRev's window, for the
/// governor): the first two of [`READ_HEADERS`]; the rest matter only on errors.
pub const READ_ON_SUCCESS: &[&str] = READ_HEADERS.split_at(2).0;

/// The answer to one attempt.
#[derive(Debug)]
pub struct HttpResponse<B> {
    /// The HTTP status.
    pub status: u16,
    /// Header names (lowercase) and values. The core reads only
    /// [`READ_HEADERS`] ([`READ_ON_SUCCESS`] of a 2xx answer), and the fetch
    /// transport copies only those.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: B,
}

impl<B> HttpResponse<B> {
    /// The value of header `name` (lowercase), if present.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Runs requests, waits, and tells the time: all the I/O the core needs.
///
/// The futures are not `Send`: JavaScript futures never are.
#[allow(async_fn_in_trait)]
pub trait Transport {
    /// The response body type.
    type Body: ResponseBody;
    /// A caller's cancellation signal (an `AbortSignal` in JavaScript).
    type Signal;

    /// Sends one attempt. `timeout_ms` (0 = none) must abort the request itself,
    /// not just stop waiting for it. Fails with `network`, `timeout` or `aborted`.
    async fn send(
        &self,
        request: &HttpRequest,
        read: ReadAs,
        timeout_ms: u32,
        signal: Option<&Self::Signal>,
    ) -> Result<HttpResponse<Self::Body>, Error>;

    /// Waits `ms` milliseconds; fails with `aborted` as soon as the signal fires.
    async fn sleep(&self, ms: f64, signal: Option<&Self::Signal>) -> Result<(), Error>;

    /// Whether the signal has fired.
    fn is_aborted(&self, signal: Option<&Self::Signal>) -> bool;

    /// Milliseconds since the Unix epoch.
    fn now_ms(&self) -> f64;

    /// A uniformly distributed number in `[0, 1)`.
    fn random(&self) -> f64;

    /// A fresh unique id (a UUID where the platform has one) for idempotency keys.
    fn unique_id(&self) -> String;

    /// The numbers kept under `key` in the realm-wide ledger of the rate
    /// governor (`crate::governor`): shared by every client in this JS realm,
    /// whichever copy of the package made it. Empty when there are none.
    /// Keys are whole numbers below 2^53.
    fn shared(&self, key: f64) -> Vec<f64>;

    /// Replaces the numbers under `key` in the ledger (empty: removes the key).
    fn set_shared(&self, key: f64, values: Vec<f64>);
}
