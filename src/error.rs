//! The one error type of the crate, shared by every provider and every runtime.

use crate::json::{Json, JsonExt};
use std::fmt;

/// What went wrong, in categories a caller can act on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Bad input from the caller. Nothing was sent.
    Validation,
    /// The server answered with a non-2xx status. The request reached the server.
    Http,
    /// The fetch failed (connection refused, reset, DNS, CORS, body cut off).
    /// The request may or may not have reached the server.
    Network,
    /// An attempt took longer than `timeoutMs`; its fetch was aborted.
    /// The request may have reached the server.
    Timeout,
    /// The caller's `AbortSignal` fired. The request may have reached the server.
    Aborted,
    /// A complete 2xx body that is not what the API promises.
    Decode,
    /// Bad client options. Nothing was sent.
    Config,
}

impl ErrorKind {
    /// The stable lowercase name used in JavaScript (`err.kind`).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Validation => "validation",
            ErrorKind::Http => "http",
            ErrorKind::Network => "network",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Aborted => "aborted",
            ErrorKind::Decode => "decode",
            ErrorKind::Config => "config",
        }
    }
}

/// A failed call: a kind, a message and whatever the server told us.
///
/// It never holds the API token: requests are not kept, only what the server
/// answered and what the client decided.
#[derive(Clone, PartialEq)]
pub struct Error {
    inner: Box<Inner>,
}

#[derive(Clone, Debug, Default, PartialEq)]
struct Inner {
    kind: Option<ErrorKind>,
    message: String,
    status: Option<u16>,
    code: Option<String>,
    field: Option<String>,
    body: Option<String>,
    request_id: Option<String>,
    retry_after_ms: Option<f64>,
    attempts: u32,
    /// Truto's error details; boxed, as most errors have none.
    truto: Option<Box<TrutoDetails>>,
}

/// What a Truto error body says beyond its status and message (read by
/// `crate::truto::error_body`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TrutoDetails {
    /// `truto_is_remote_error`.
    pub is_remote_error: Option<bool>,
    /// The names in the insight's `missing_required_*`: query parameters,
    /// then body fields.
    pub missing_fields: Vec<String>,
    /// The insight's `forbidden_error.value.missing_scopes`.
    pub missing_scopes: Vec<String>,
    /// A remote 401: the end user must reconnect the account.
    pub needs_reauth: bool,
    /// A 405 on a write: the account is read-only (a sandbox).
    pub read_only_account: bool,
}

impl Error {
    /// The one constructor the others call: not generic, so the `.wasm` holds one
    /// copy of it rather than one per message type (`&str`, `String`).
    fn make(kind: ErrorKind, code: Option<&str>, field: Option<&str>, message: String) -> Self {
        Error {
            inner: Box::new(Inner {
                kind: Some(kind),
                message,
                code: code.map(str::to_owned),
                field: field.map(str::to_owned),
                ..Inner::default()
            }),
        }
    }

    /// Bad input: `code` is stable (e.g. `invalid_time_range`), `field` names the
    /// offending input where there is one (e.g. `query.start_time`).
    pub fn validation(code: &str, field: Option<&str>, message: impl Into<String>) -> Self {
        Error::make(ErrorKind::Validation, Some(code), field, message.into())
    }

    /// Bad client options.
    pub fn config(code: &str, message: impl Into<String>) -> Self {
        Error::make(ErrorKind::Config, Some(code), None, message.into())
    }

    /// The same error, naming the input it concerns (`options.baseUrl`).
    pub fn with_field(mut self, field: &str) -> Self {
        self.inner.field = Some(field.to_owned());
        self
    }

    /// A failed fetch.
    pub fn network(message: impl Into<String>) -> Self {
        Error::make(ErrorKind::Network, None, None, message.into())
    }

    /// An attempt that ran out of time.
    pub fn timeout(timeout_ms: u32) -> Self {
        Error::make(
            ErrorKind::Timeout,
            Some("timeout"),
            None,
            format!("request timed out after {timeout_ms} ms"),
        )
    }

    /// The call's `deadlineMs` budget ran out (kind `timeout`, code `deadline_exceeded`).
    pub fn deadline(budget_ms: u32) -> Self {
        Error::make(
            ErrorKind::Timeout,
            Some("deadline_exceeded"),
            None,
            format!("the call's deadline of {budget_ms} ms ran out"),
        )
    }

    /// The caller's signal fired.
    pub fn aborted() -> Self {
        Error::make(
            ErrorKind::Aborted,
            Some("aborted"),
            None,
            "the request was aborted".to_owned(),
        )
    }

    /// A 2xx body of the wrong shape.
    pub fn decode(code: &str, message: impl Into<String>) -> Self {
        Error::make(ErrorKind::Decode, Some(code), None, message.into())
    }

    /// A non-2xx answer. Fill in the details with the `set_*` methods.
    pub fn http(status: u16, message: impl Into<String>) -> Self {
        let mut e = Error::make(ErrorKind::Http, None, None, message.into());
        e.inner.status = Some(status);
        e
    }

    /// The category.
    pub fn kind(&self) -> ErrorKind {
        self.inner.kind.unwrap_or(ErrorKind::Network)
    }
    /// The human-readable message (the API's own one for `http` when it sent one).
    pub fn message(&self) -> &str {
        &self.inner.message
    }
    /// The HTTP status, for `http`.
    pub fn status(&self) -> Option<u16> {
        self.inner.status
    }
    /// A stable machine code, where one applies.
    pub fn code(&self) -> Option<&str> {
        self.inner.code.as_deref()
    }
    /// For `validation`: the input that is wrong, as a path (`body.start_time`).
    pub fn field(&self) -> Option<&str> {
        self.inner.field.as_deref()
    }
    /// The response body as text, exactly as received.
    pub fn body(&self) -> Option<&str> {
        self.inner.body.as_deref()
    }
    /// The server's request id header, when present.
    pub fn request_id(&self) -> Option<&str> {
        self.inner.request_id.as_deref()
    }
    /// The wait the server asked for (429/503), in milliseconds.
    pub fn retry_after_ms(&self) -> Option<f64> {
        self.inner.retry_after_ms
    }
    /// HTTP attempts made (0 for `validation` and `config`).
    pub fn attempts(&self) -> u32 {
        self.inner.attempts
    }
    /// Truto's `truto_is_remote_error`: the remote CRM refused the request.
    pub fn is_remote_error(&self) -> Option<bool> {
        self.truto().and_then(|t| t.is_remote_error)
    }
    /// Truto's `truto_error_insight`: the object as Truto sent it (read from
    /// the body, so redacted like it).
    pub fn insight(&self) -> Option<Json> {
        self.truto()?;
        Json::parse(self.body()?)?
            .member("truto_error_insight")
            .filter(JsonExt::is_object)
    }
    /// What the request lacked, from the insight's `missing_required_*` keys:
    /// the query parameters' names, then the body fields'.
    pub fn missing_fields(&self) -> &[String] {
        self.truto().map_or(&[], |t| &t.missing_fields)
    }
    /// The OAuth scopes the account lacks (the insight's `forbidden_error`).
    pub fn missing_scopes(&self) -> &[String] {
        self.truto().map_or(&[], |t| &t.missing_scopes)
    }
    /// The CRM refused the account's credentials (a remote 401): the end
    /// user must reconnect the account; retrying will not help.
    pub fn needs_reauth(&self) -> bool {
        self.truto().is_some_and(|t| t.needs_reauth)
    }
    /// A write was refused with 405: the account is read-only (a sandbox).
    pub fn read_only_account(&self) -> bool {
        self.truto().is_some_and(|t| t.read_only_account)
    }
    /// Truto's error details, when Truto answered with an error.
    pub fn truto_details(&self) -> Option<&TrutoDetails> {
        self.inner.truto.as_deref()
    }
    fn truto(&self) -> Option<&TrutoDetails> {
        self.truto_details()
    }

    /// Replaces every occurrence of `secret` in the message, body, code
    /// and request id with `[redacted]`: a proxy that echoes request headers must not
    /// put the token into an error. Secrets shorter than 8 characters are left
    /// alone (no API token is that short, and redacting one would mangle every
    /// word holding its letters).
    pub fn redact(&mut self, secret: &str) {
        if secret.len() < 8 {
            return;
        }
        let clean = |s: &mut String| {
            if s.contains(secret) {
                *s = s.replace(secret, "[redacted]");
            }
        };
        let i = &mut self.inner;
        clean(&mut i.message);
        for s in [&mut i.body, &mut i.code, &mut i.request_id]
            .into_iter()
            .flatten()
        {
            clean(s);
        }
        if let Some(t) = &mut i.truto {
            t.missing_fields.iter_mut().for_each(clean);
            t.missing_scopes.iter_mut().for_each(clean);
        }
    }

    /// Sets the machine code.
    pub fn set_code(&mut self, code: Option<String>) {
        self.inner.code = code;
    }
    /// Sets the raw body text.
    pub fn set_body(&mut self, body: Option<String>) {
        self.inner.body = body;
    }
    /// Sets the request id.
    pub fn set_request_id(&mut self, id: Option<String>) {
        self.inner.request_id = id;
    }
    /// Sets the wait asked for by the server.
    pub fn set_retry_after_ms(&mut self, ms: Option<f64>) {
        self.inner.retry_after_ms = ms;
    }
    /// Sets the number of HTTP attempts made.
    pub fn set_attempts(&mut self, attempts: u32) {
        self.inner.attempts = attempts;
    }
    /// Sets Truto's error details.
    pub fn set_truto(&mut self, details: TrutoDetails) {
        self.inner.truto = Some(Box::new(details));
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        let mut d = f.debug_struct("Error");
        d.field("kind", &self.kind()).field("message", &i.message);
        if let Some(s) = i.status {
            d.field("status", &s);
        }
        if let Some(c) = &i.code {
            d.field("code", c);
        }
        if let Some(x) = &i.field {
            d.field("field", x);
        }
        if let Some(r) = &i.request_id {
            d.field("request_id", r);
        }
        d.field("attempts", &i.attempts).finish_non_exhaustive()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.inner.message)
    }
}

impl std::error::Error for Error {}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_hides_the_token_everywhere_but_ignores_short_strings() {
        let mut e = Error::http(500, "proxy saw Bearer secret-token-123");
        e.set_body(Some("{\"auth\":\"Bearer secret-token-123\"}".into()));
        e.set_code(Some("secret-token-123".into()));
        e.redact("secret-token-123");
        assert_eq!(e.message(), "proxy saw Bearer [redacted]");
        assert_eq!(e.body(), Some("{\"auth\":\"Bearer [redacted]\"}"));
        assert_eq!(
            e.code(),
            Some("[redacted]"),
            "a code derived from an echoed body too"
        );
        let mut e = Error::http(429, "too many requests");
        e.redact("t");
        assert_eq!(
            e.message(),
            "too many requests",
            "a 1-letter 'token' mangles nothing"
        );
    }
}
