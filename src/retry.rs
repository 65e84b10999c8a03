//! The retry policy shared by both providers: what to retry, and how long to wait.
//!
//! Pure functions: the loop that applies them lives in `crate::call`.

use crate::error::ErrorKind;
use crate::json::{Json, JsonExt};
use crate::time::parse_http_date;

/// Which API answered: the two classify some statuses differently.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Provider {
    /// Truto's Unified API.
    Truto,
    /// DevRev's REST API.
    DevRev,
}

/// First backoff step, in milliseconds.
pub const BACKOFF_BASE_MS: f64 = 500.0;
/// Largest backoff step, in milliseconds.
pub const BACKOFF_CAP_MS: f64 = 30_000.0;
/// A server asking for a longer wait than this fails the call at once.
pub const MAX_SERVER_WAIT_MS: f64 = 60_000.0;

/// Whether an HTTP answer may be retried.
///
/// `repeatable` says whether the request may be sent twice (reads, and Truto
/// writes with their `Idempotency-Key`). A request that is not repeatable is
/// retried only when the server cannot have acted on it (429, DevRev's 503).
pub fn retry_status(
    provider: Provider,
    status: u16,
    body: Option<&Json>,
    repeatable: bool,
) -> bool {
    let refused_unprocessed = status == 429 || (provider == Provider::DevRev && status == 503);
    if refused_unprocessed {
        return true;
    }
    if !repeatable {
        return false;
    }
    match status {
        408 | 500 | 502 | 504 => !(provider == Provider::Truto && is_remote_error(body)),
        // Truto's 503 means the integrated account needs attention: retrying repeats it.
        _ => false,
    }
}

/// Whether a failure without an HTTP answer may be retried.
pub fn retry_failure(kind: ErrorKind, repeatable: bool) -> bool {
    repeatable && matches!(kind, ErrorKind::Network | ErrorKind::Timeout)
}

/// Truto's `truto_is_remote_error: true`: the remote CRM refused the request.
pub fn is_remote_error(body: Option<&Json>) -> bool {
    body.and_then(|b| b.member("truto_is_remote_error"))
        .and_then(|v| v.boolean())
        .unwrap_or(false)
}

/// The wait the server asked for, in milliseconds, if it asked for one:
/// `Retry-After` (seconds or HTTP date), else, for a 429 only, Truto's
/// `ratelimit-reset` (seconds until reset), DevRev's `x-ratelimit-reset`
/// (epoch seconds) or the `retry_after` (seconds) of DevRev's 429 body. The
/// rate-limit headers come with every answer, so on other statuses they say
/// nothing about when to retry.
pub fn server_wait_ms(
    provider: Provider,
    status: u16,
    header: impl Fn(&str) -> Option<String>,
    body: Option<&Json>,
    now_ms: f64,
) -> Option<f64> {
    if let Some(v) = header("retry-after") {
        let v = v.trim();
        if let Some(secs) = parse_seconds(v) {
            return Some(secs * 1000.0);
        }
        if let Some(at) = parse_http_date(v) {
            return Some((at as f64 - now_ms).max(0.0));
        }
    }
    if status != 429 {
        return None;
    }
    match provider {
        Provider::Truto => header("ratelimit-reset")
            .and_then(|v| parse_seconds(v.trim()))
            .map(|s| s * 1000.0),
        Provider::DevRev => header("x-ratelimit-reset")
            .and_then(|v| parse_seconds(v.trim()))
            .map(|epoch| (epoch * 1000.0 - now_ms).max(0.0))
            .or_else(|| {
                body.and_then(|b| b.member("retry_after"))
                    .and_then(|v| v.number())
                    .filter(|s| s.is_finite() && *s >= 0.0)
                    .map(|s| s * 1000.0)
            }),
    }
}

/// Exponential backoff with full jitter: a uniform wait in
/// `[0, min(cap, base * 2^retry))`. `random` is uniform in `[0, 1)`.
pub fn backoff_ms(retry: u32, random: f64) -> f64 {
    let ceiling = (BACKOFF_BASE_MS * 2_f64.powi(retry.min(30) as i32)).min(BACKOFF_CAP_MS);
    ceiling * random.clamp(0.0, 1.0)
}

/// A non-negative decimal number of seconds (`"3"`, `"0.5"`). Parsed by hand:
/// a float parser would be the only one in the binary.
pub(crate) fn parse_seconds(v: &str) -> Option<f64> {
    let (whole, frac) = v.split_once('.').unwrap_or((v, ""));
    if whole.is_empty() && frac.is_empty() {
        return None;
    }
    if !whole
        .bytes()
        .chain(frac.bytes())
        .all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let mut n = 0.0_f64;
    for b in whole.bytes() {
        n = n * 10.0 + f64::from(b - b'0');
    }
    let mut scale = 0.1;
    for b in frac.bytes() {
        n += f64::from(b - b'0') * scale;
        scale /= 10.0;
    }
    n.is_finite().then_some(n)
}

#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))]
mod tests {
    use super::*;
    use serde_json::json;

    fn headers<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn only_the_headers_a_transport_copies_are_read() {
        use crate::transport::READ_HEADERS;
        let asked = std::cell::RefCell::new(Vec::new());
        for provider in [Provider::Truto, Provider::DevRev] {
            for status in [429, 503, 500] {
                server_wait_ms(
                    provider,
                    status,
                    |name| {
                        asked.borrow_mut().push(name.to_owned());
                        None
                    },
                    None,
                    0.0,
                );
            }
        }
        let asked = asked.into_inner();
        assert!(asked.len() >= 3, "{asked:?}");
        for name in asked {
            assert!(
                READ_HEADERS.contains(&name.as_str()),
                "{name} is read but not in READ_HEADERS"
            );
        }
    }

    #[test]
    fn classification() {
        use Provider::*;
        for s in [408, 429, 500, 502, 504] {
            assert!(retry_status(Truto, s, None, true), "{s}");
        }
        for s in [400, 401, 403, 404, 409, 422, 503] {
            assert!(!retry_status(Truto, s, None, true), "{s}");
        }
        assert!(retry_status(DevRev, 503, None, true));
        let remote = json!({"truto_is_remote_error": true});
        assert!(!retry_status(Truto, 500, Some(&remote), true));
        assert!(!retry_status(Truto, 502, Some(&remote), true));
        // Non-repeatable writes: only what the server cannot have acted on.
        assert!(retry_status(DevRev, 429, None, false));
        assert!(retry_status(DevRev, 503, None, false));
        assert!(!retry_status(DevRev, 500, None, false));
        assert!(!retry_failure(ErrorKind::Network, false));
        assert!(retry_failure(ErrorKind::Timeout, true));
        assert!(!retry_failure(ErrorKind::Aborted, true));
    }

    #[test]
    fn retry_after_seconds_and_date() {
        let now = 784_111_777_000.0;
        let h = headers(&[("retry-after", "3")]);
        assert_eq!(
            server_wait_ms(Provider::Truto, 429, h, None, now),
            Some(3000.0)
        );
        let h = headers(&[("retry-after", "Sun, 06 Nov 1994 08:49:39 GMT")]);
        assert_eq!(
            server_wait_ms(Provider::Truto, 429, h, None, now),
            Some(2000.0)
        );
        let h = headers(&[("retry-after", "Sun, 06 Nov 1994 08:49:30 GMT")]);
        assert_eq!(
            server_wait_ms(Provider::Truto, 429, h, None, now),
            Some(0.0)
        );
    }

    #[test]
    fn provider_specific_resets() {
        let h = headers(&[("ratelimit-reset", "7")]);
        assert_eq!(
            server_wait_ms(Provider::Truto, 429, h, None, 0.0),
            Some(7000.0)
        );
        let h = headers(&[("x-ratelimit-reset", "1000")]);
        assert_eq!(
            server_wait_ms(Provider::DevRev, 429, h, None, 995_000.0),
            Some(5000.0)
        );
        let body = json!({"type": "too_many_requests", "retry_after": 4});
        assert_eq!(
            server_wait_ms(Provider::DevRev, 429, headers(&[]), Some(&body), 0.0),
            Some(4000.0)
        );
        // Truto does not read DevRev's headers and vice versa.
        let h = headers(&[("x-ratelimit-reset", "1000")]);
        assert_eq!(server_wait_ms(Provider::Truto, 429, h, None, 0.0), None);
        // Rate-limit headers ride on every answer: only a 429 is told to wait by them.
        let h = headers(&[("ratelimit-reset", "7")]);
        assert_eq!(server_wait_ms(Provider::Truto, 500, h, None, 0.0), None);
        let h = headers(&[("x-ratelimit-reset", "1000")]);
        assert_eq!(
            server_wait_ms(Provider::DevRev, 503, h, None, 995_000.0),
            None
        );
        let h = headers(&[("retry-after", "2")]);
        assert_eq!(
            server_wait_ms(Provider::DevRev, 503, h, None, 0.0),
            Some(2000.0)
        );
        let h = headers(&[("retry-after", "soon")]);
        assert_eq!(server_wait_ms(Provider::Truto, 429, h, None, 0.0), None);
    }

    #[test]
    fn seconds_parse_by_hand() {
        assert_eq!(parse_seconds("3"), Some(3.0));
        assert_eq!(parse_seconds("0.5"), Some(0.5));
        assert_eq!(parse_seconds("120"), Some(120.0));
        assert_eq!(parse_seconds(".25"), Some(0.25));
        for bad in ["", ".", "1.2.3", "-1", "1e3", " 1", "NaN", "٣"] {
            assert_eq!(parse_seconds(bad), None, "{bad}");
        }
        assert_eq!(
            parse_seconds(&"9".repeat(400)),
            None,
            "overflows to infinity"
        );
    }

    #[test]
    fn backoff_is_full_jitter_and_capped() {
        assert_eq!(backoff_ms(0, 0.0), 0.0);
        assert_eq!(backoff_ms(0, 0.5), 250.0);
        assert_eq!(backoff_ms(3, 0.5), 2000.0);
        assert_eq!(backoff_ms(20, 0.999), 30_000.0 * 0.999);
        assert_eq!(backoff_ms(u32::MAX, 1.5), 30_000.0);
    }
}
