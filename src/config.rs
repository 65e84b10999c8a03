//! Client options: checked once, in the constructor, and kept ready to use.

use crate::error::Error;
use crate::governor::RateLimit;
use std::fmt;

/// An API token. Its `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// Wraps a token.
    pub fn new(token: impl Into<String>) -> Self {
        Token(token.into())
    }
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token([redacted])")
    }
}

/// Options of a client, as the caller gives them.
#[derive(Clone, Debug, Default)]
pub struct ClientOptions {
    /// Sent as `Authorization: Bearer <token>`.
    pub token: Option<Token>,
    /// The API's base URL; the provider's when `None`.
    pub base_url: Option<String>,
    /// Per-attempt timeout in ms (0 = none); default 30 000.
    pub timeout_ms: Option<f64>,
    /// Retries after the first attempt; default 2.
    pub max_retries: Option<f64>,
    /// Headers sent on every request.
    pub headers: Vec<(String, String)>,
    /// How the client paces itself under the provider's rate limits
    /// (default: the documented limits; see `crate::governor`).
    pub rate_limit: RateLimit,
}

/// Default per-attempt timeout.
pub const DEFAULT_TIMEOUT_MS: u32 = 30_000;
/// Default number of retries.
pub const DEFAULT_MAX_RETRIES: u32 = 2;

/// Options after checking: what every call uses.
#[derive(Clone, PartialEq)]
pub struct ClientConfig {
    pub(crate) base_url: String,
    pub(crate) token: Option<Token>,
    pub(crate) timeout_ms: u32,
    pub(crate) max_retries: u32,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) rate_limit: RateLimit,
}

/// Header values are not shown: a proxy setup may pass `Authorization` there.
impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let header_names: Vec<&str> = self.headers.iter().map(|(k, _)| k.as_str()).collect();
        f.debug_struct("ClientConfig")
            .field("base_url", &self.base_url)
            .field("token", &self.token)
            .field("timeout_ms", &self.timeout_ms)
            .field("max_retries", &self.max_retries)
            .field("headers", &header_names)
            .field("rate_limit", &self.rate_limit)
            .finish()
    }
}

impl ClientConfig {
    /// Checks `options`, filling in defaults (`default_base_url` for the base URL).
    ///
    /// # Errors
    /// `config` for a base URL that is not an absolute http(s) URL, an `http://`
    /// base URL carrying a token to a host that is not loopback, a negative or
    /// non-integer timeout or retry count, or a header with a bad name or value.
    pub fn new(options: ClientOptions, default_base_url: &str) -> Result<Self, Error> {
        let base_url = check_base_url(
            options.base_url.as_deref().unwrap_or(default_base_url),
            options.token.is_some(),
        )?;
        let timeout_ms = count("timeoutMs", options.timeout_ms, DEFAULT_TIMEOUT_MS)?;
        let max_retries = count("maxRetries", options.max_retries, DEFAULT_MAX_RETRIES)?;
        let headers = check_headers(&options.headers, "headers").map_err(|e| {
            Error::config("invalid_header", e.message().to_owned()).with_field("options.headers")
        })?;
        if let Some(t) = &options.token {
            if t.expose().is_empty() || has_control(t.expose()) {
                return Err(Error::config(
                    "invalid_token",
                    "token must be a non-empty string without control characters",
                )
                .with_field("options.token"));
            }
        }
        check_rate_limit(&options.rate_limit)?;
        Ok(ClientConfig {
            base_url,
            token: options.token,
            timeout_ms,
            max_retries,
            headers,
            rate_limit: options.rate_limit,
        })
    }

    /// The base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }
}

/// Each custom limit allows at least one request per interval, and its
/// interval is a positive, finite number of ms.
fn check_rate_limit(rate_limit: &RateLimit) -> Result<(), Error> {
    let RateLimit::Custom {
        per_account,
        per_token,
    } = rate_limit
    else {
        return Ok(());
    };
    let fields = ["options.rateLimit.perAccount", "options.rateLimit.perToken"];
    for (field, limit) in fields.into_iter().zip([per_account, per_token]) {
        if limit
            .is_some_and(|l| l.requests < 1 || !(l.interval_ms.is_finite() && l.interval_ms > 0.0))
        {
            return Err(Error::config(
                "invalid_option",
                "a rateLimit limit needs requests >= 1 and intervalMs > 0",
            )
            .with_field(field));
        }
    }
    Ok(())
}

/// A non-negative whole number option (`timeoutMs`, `maxRetries`).
pub(crate) fn count(name: &str, value: Option<f64>, default: u32) -> Result<u32, Error> {
    match value {
        None => Ok(default),
        Some(v) if v.is_finite() && v >= 0.0 && v.fract() == 0.0 && v <= f64::from(u32::MAX) => {
            Ok(v as u32)
        }
        Some(_) => Err(Error::config(
            "invalid_option",
            format!("{name} must be a non-negative whole number"),
        )
        .with_field(&format!("options.{name}"))),
    }
}

/// Whether `s` holds a control character (Unicode's Cc: U+0000-001F and
/// U+007F-009F, what `char::is_control` tests, without its table).
fn has_control(s: &str) -> bool {
    s.chars()
        .any(|c| matches!(c, '\0'..='\x1f' | '\x7f'..='\u{9f}'))
}

/// Lowercases header names and refuses names that are not HTTP tokens and
/// values holding CR, LF or NUL (header injection).
pub(crate) fn check_headers(
    headers: &[(String, String)],
    what: &str,
) -> Result<Vec<(String, String)>, Error> {
    // A match, not `b"!#$%&'*+-.^_`|~".contains(&b)`: that one is a `memchr`.
    let token_char = |b: u8| {
        b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'!' | b'#'
                    | b'$'
                    | b'%'
                    | b'&'
                    | b'\''
                    | b'*'
                    | b'+'
                    | b'-'
                    | b'.'
                    | b'^'
                    | b'_'
                    | b'`'
                    | b'|'
                    | b'~'
            )
    };
    headers
        .iter()
        .map(|(name, value)| {
            if name.is_empty() || !name.bytes().all(token_char) {
                return Err(Error::validation(
                    "invalid_header",
                    Some(what),
                    format!("header name \"{name}\" is not a valid HTTP header name"),
                ));
            }
            if value.contains(['\r', '\n', '\0']) {
                return Err(Error::validation(
                    "invalid_header",
                    Some(what),
                    format!("the value of header {name} contains CR, LF or NUL"),
                ));
            }
            Ok((name.to_ascii_lowercase(), value.clone()))
        })
        .collect::<Result<Vec<_>, _>>()
}

/// An absolute http(s) URL with a host and no query, fragment or credentials;
/// returned without trailing slashes.
fn check_base_url(url: &str, has_token: bool) -> Result<String, Error> {
    let bad = |why: &str| {
        Error::config("invalid_base_url", format!("baseUrl {why}")).with_field("options.baseUrl")
    };
    let url = url.trim();
    let (scheme, rest) = url
        .split_once("://")
        .ok_or_else(|| bad("must be an absolute URL such as https://api.example.com"))?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "https" && scheme != "http" {
        return Err(bad("must use https:// or http://"));
    }
    if has_control(url) || url.bytes().any(|b| matches!(b, b'?' | b'#' | b' ')) {
        return Err(bad(
            "must not contain a query, a fragment, spaces or control characters",
        ));
    }
    let authority = rest
        .split_once('/')
        .map_or(rest, |(authority, _)| authority);
    if authority.bytes().any(|b| b == b'@') {
        return Err(bad("must not contain credentials; use the token option"));
    }
    let host = host_of(authority);
    if host.is_empty() {
        return Err(bad("must name a host"));
    }
    if scheme == "http" && has_token && !is_loopback(&host) {
        return Err(Error::config(
            "insecure_base_url",
            "an http:// baseUrl would send the token in clear text; use https:// (http:// is allowed only for localhost)",
        )
        .with_field("options.baseUrl"));
    }
    Ok(format!("{scheme}://{}", rest.trim_end_matches('/')))
}

fn host_of(authority: &str) -> String {
    let host = if let Some(v6) = authority.strip_prefix('[') {
        let inside = v6.split_once(']').map_or(v6, |(inside, _)| inside);
        format!("[{inside}]")
    } else {
        authority
            .split_once(':')
            .map_or(authority, |(host, _)| host)
            .to_owned()
    };
    host.to_ascii_lowercase()
}

fn is_loopback(host: &str) -> bool {
    if host == "localhost" || host == "[::1]" {
        return true;
    }
    // 127.x.y.z: four octets of 0 to 255 (a fourth holding a `.` fails to parse).
    let octets = || {
        let (first, rest) = host.split_once('.')?;
        let (second, rest) = rest.split_once('.')?;
        let (third, fourth) = rest.split_once('.')?;
        Some([first, second, third, fourth])
    };
    octets().is_some_and(|o| {
        o[0] == "127" && o.iter().all(|o| !o.is_empty() && o.parse::<u8>().is_ok())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn has_control_is_char_is_control() {
        for c in (0..=0x10_ffff).filter_map(char::from_u32) {
            assert_eq!(
                has_control(c.encode_utf8(&mut [0; 4])),
                c.is_control(),
                "{c:?}"
            );
        }
    }

    #[test]
    fn is_loopback_takes_127_x_y_z_localhost_and_ipv6_one() {
        // The split-and-collect version it replaced, as the reference.
        let reference = |host: &str| {
            let octets: Vec<&str> = host.split('.').collect();
            host == "localhost"
                || host == "[::1]"
                || (octets.len() == 4
                    && octets[0] == "127"
                    && octets
                        .iter()
                        .all(|o| !o.is_empty() && o.parse::<u8>().is_ok()))
        };
        for host in [
            "localhost",
            "[::1]",
            "127.0.0.1",
            "127.1.2.3",
            "127.0.0.1.",
            "127.0.0",
            "127..0.1",
            "127.0.0.256",
            "128.0.0.1",
            "127.0.0.1.5",
            "",
            ".",
            "127",
            "example.com",
            "127.a.0.1",
            "localhost.",
            "0127.0.0.1",
        ] {
            assert_eq!(is_loopback(host), reference(host), "{host:?}");
        }
    }

    fn cfg(base: &str, token: bool) -> Result<ClientConfig, Error> {
        ClientConfig::new(
            ClientOptions {
                token: token.then(|| Token::new("secret-token")),
                base_url: Some(base.to_owned()),
                ..Default::default()
            },
            "https://api.truto.one",
        )
    }

    #[test]
    fn base_url_forms() {
        assert_eq!(
            cfg("https://api.truto.one/", true).unwrap().base_url,
            "https://api.truto.one"
        );
        assert_eq!(
            cfg("https://x.dev/proxy//", true).unwrap().base_url,
            "https://x.dev/proxy"
        );
        assert_eq!(
            cfg("http://127.0.0.1:8787", true).unwrap().base_url,
            "http://127.0.0.1:8787"
        );
        assert!(cfg("http://localhost:1/", true).is_ok());
        assert!(cfg("http://[::1]:80", true).is_ok());
        assert!(cfg("http://proxy.internal", false).is_ok());
        for bad in [
            "api.truto.one",
            "/relative",
            "ftp://x",
            "https://",
            "https://u:p@x",
            "https://x?a=1",
            "https://x#f",
        ] {
            let e = cfg(bad, true).unwrap_err();
            assert_eq!(e.kind(), crate::ErrorKind::Config, "{bad}");
            assert_eq!(e.code(), Some("invalid_base_url"), "{bad}");
        }
        for insecure in [
            "http://api.truto.one",
            "http://127.0.0.1.evil.com",
            "http://10.0.0.1",
        ] {
            assert_eq!(
                cfg(insecure, true).unwrap_err().code(),
                Some("insecure_base_url"),
                "{insecure}"
            );
        }
    }

    #[test]
    fn counts_are_whole_and_non_negative() {
        assert_eq!(count("x", None, 7).unwrap(), 7);
        assert_eq!(count("x", Some(0.0), 7).unwrap(), 0);
        for bad in [-1.0, 1.5, f64::NAN, f64::INFINITY] {
            assert_eq!(
                count("x", Some(bad), 7).unwrap_err().kind(),
                crate::ErrorKind::Config
            );
        }
    }

    #[test]
    fn headers_refuse_injection() {
        let ok = check_headers(&[("X-Trace".into(), "a".into())], "headers").unwrap();
        assert_eq!(ok, vec![("x-trace".to_owned(), "a".to_owned())]);
        assert!(check_headers(&[("X".into(), "a\r\nB: c".into())], "headers").is_err());
        assert!(check_headers(&[("Bad Name".into(), "a".into())], "headers").is_err());
        assert!(check_headers(&[("".into(), "a".into())], "headers").is_err());
    }

    #[test]
    fn token_is_redacted_in_debug() {
        let c = cfg("https://api.truto.one", true).unwrap();
        assert!(!format!("{c:?}").contains("secret-token"));
    }
}
