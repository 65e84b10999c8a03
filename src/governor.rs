//! The rate governor: paces requests so they stay under the provider's limits
//! instead of collecting 429s.
//!
//! - **Truto** documents 50 requests per 10 s per integrated account and 500
//!   per 10 s per API token. Each send is stamped in a sliding window per
//!   account and per token; a request that would be one too many waits until
//!   the oldest stamp leaves the window.
//! - **DevRev** reports its window in `X-RateLimit-Remaining` and
//!   `X-RateLimit-Reset` (epoch seconds). Nothing is sent while the last
//!   answer said the window is spent, until it resets.
//! - **Either**: a 429 (or 503) with a wait blocks every client of the same
//!   key for that wait, not only the call that got it.
//!
//! The counts live in the transport's realm-wide ledger
//! ([`Transport::shared`]), so every client of the package in one JS realm
//! that talks to the same base URL with the same token shares one budget.
//! Keys are salted digests: the token is never a readable key.
//!
//! A stamp is set when a request is sent and moved to when its answer came
//! (which is after the server saw it), so a slow request in flight cannot
//! make the window look emptier than the server's.

use crate::call::Outgoing;
use crate::config::ClientConfig;
use crate::retry::{parse_seconds, Provider};
use crate::transport::{HttpResponse, Transport};
use std::fmt;
use std::rc::Rc;

/// At most `requests` requests in any `interval_ms` span.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Limit {
    /// Requests allowed per interval (at least 1).
    pub requests: u32,
    /// The interval, in ms (more than 0).
    pub interval_ms: f64,
}

/// Truto's documented limit per integrated account: 50 requests / 10 s.
pub const TRUTO_PER_ACCOUNT: Limit = Limit {
    requests: 50,
    interval_ms: 10_000.0,
};

/// Truto's documented limit per API token: 500 requests / 10 s.
pub const TRUTO_PER_TOKEN: Limit = Limit {
    requests: 500,
    interval_ms: 10_000.0,
};

/// The client option `rateLimit`.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum RateLimit {
    /// The provider's documented limits (the option omitted).
    #[default]
    Documented,
    /// No pacing at all (`rateLimit: false`).
    Off,
    /// Your own limits; a `None` keeps the documented one (Truto's) or none (DevRev).
    Custom {
        /// Per integrated account (Truto only).
        per_account: Option<Limit>,
        /// Per token (and base URL).
        per_token: Option<Limit>,
    },
}

impl RateLimit {
    /// The per-account and per-token limits that apply to `provider`.
    fn limits(self, provider: Provider) -> Option<(Option<Limit>, Option<Limit>)> {
        let documented = match provider {
            Provider::Truto => (Some(TRUTO_PER_ACCOUNT), Some(TRUTO_PER_TOKEN)),
            // DevRev publishes no fixed numbers: its headers say when to stop.
            Provider::DevRev => (None, None),
        };
        match self {
            RateLimit::Off => None,
            RateLimit::Documented => Some(documented),
            RateLimit::Custom {
                per_account,
                per_token,
            } => Some((per_account.or(documented.0), per_token.or(documented.1))),
        }
    }
}

/// Which limit made a request wait.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The per-account window (Truto's 50 / 10 s).
    Account,
    /// The per-token window (Truto's 500 / 10 s).
    Token,
    /// The server said so: DevRev's spent window, or a 429's `Retry-After`.
    Server,
}

impl Scope {
    /// The name `onThrottle` is told: `"account"`, `"token"` or `"server"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Account => "account",
            Scope::Token => "token",
            Scope::Server => "server",
        }
    }
}

/// What `onThrottle` is told before the client waits for the governor.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ThrottleEvent {
    /// How long the request waits, in ms.
    pub wait_ms: f64,
    /// The limit it waits for.
    pub scope: Scope,
}

/// A hook called before each governor wait.
#[derive(Clone)]
pub struct ThrottleHook(pub Rc<dyn Fn(&ThrottleEvent)>);

impl fmt::Debug for ThrottleHook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ThrottleHook")
    }
}

/// The governor of one call: its ledger keys and limits.
#[derive(Debug)]
pub(crate) struct Gate {
    account: Option<(f64, Limit)>,
    token: Option<(f64, Limit)>,
    /// DevRev's spent window or a 429's wait: `[until_ms, remaining]`.
    server: f64,
}

/// The ledger key of the realm's random salt (every other key is a digest
/// of at least 2^20).
const SALT: f64 = 0.0;

impl Gate {
    /// The gate of a call to `provider` by a client whose [`client_digest`]
    /// is `digest` (`None`: `rateLimit` is off), or `None` when it is off.
    pub fn new(
        config: &ClientConfig,
        provider: Provider,
        out: &Outgoing,
        digest: Option<u64>,
    ) -> Option<Gate> {
        let digest = digest?;
        let (per_account, per_token) = config.rate_limit.limits(provider)?;
        let account = match provider {
            Provider::Truto => account_of(&out.path),
            Provider::DevRev => None,
        };
        let account = account.map(|a| digest_of(digest, a.as_bytes()));
        // Numbers, not hex strings, as keys: no integer formatting in the
        // .wasm for them (-0.4 KB gzip).
        let key = |d: u64, tag: u8| ledger_key(digest_of(d, &[tag]));
        Some(Gate {
            account: account.zip(per_account).map(|(d, l)| (key(d, b'a'), l)),
            token: per_token.map(|l| (key(digest, b't'), l)),
            server: key(account.unwrap_or(digest), b's'),
        })
    }

    /// Stamps a send at `now` in every window when none is full and the
    /// server has not said stop: `None`. Else how long to wait and why,
    /// with nothing stamped. `force` stamps regardless (a clock that does
    /// not move must not make a request wait forever).
    pub fn admit<T: Transport>(
        &self,
        transport: &T,
        now: f64,
        force: bool,
    ) -> Option<ThrottleEvent> {
        let mut server = transport.shared(self.server);
        if let [until, remaining] = server[..] {
            if now >= until {
                // The window the server spoke of is over: forget it.
                transport.set_shared(self.server, Vec::new());
                server.clear();
            } else if remaining < 1.0 && !force {
                return Some(ThrottleEvent {
                    wait_ms: until - now,
                    scope: Scope::Server,
                });
            }
        }
        let mut windows = Vec::with_capacity(2);
        let mut wait: Option<ThrottleEvent> = None;
        for (slot, scope) in [(&self.account, Scope::Account), (&self.token, Scope::Token)] {
            let Some((key, limit)) = slot else { continue };
            let mut stamps = transport.shared(*key);
            let w = window_wait(&mut stamps, *limit, now);
            if w > 0.0 && !wait.is_some_and(|e| w <= e.wait_ms) {
                wait = Some(ThrottleEvent { wait_ms: w, scope });
            }
            windows.push((key, stamps));
        }
        if wait.is_some() && !force {
            return wait;
        }
        for (key, mut stamps) in windows {
            // In flight: negative until its answer comes.
            stamps.push(-now);
            transport.set_shared(*key, stamps);
        }
        if let [until, remaining] = server[..] {
            // One fewer left in the server's window until its next answer says.
            transport.set_shared(self.server, vec![until, remaining - 1.0]);
        }
        None
    }

    /// Moves the stamp of a send at `sent` to `now`, when its answer (or
    /// failure) came, and records what the server said about its window.
    pub fn settle<T: Transport, B>(
        &self,
        transport: &T,
        provider: Provider,
        sent: f64,
        now: f64,
        answer: Option<(&HttpResponse<B>, Option<f64>)>,
    ) {
        for (key, _) in [&self.account, &self.token].into_iter().flatten() {
            let mut stamps = transport.shared(*key);
            if let Some(at) = stamps.iter().rposition(|&t| t == -sent) {
                // Answered now: every answered stamp before it was stamped
                // earlier, so pushing it keeps them in order.
                stamps.remove(at);
                stamps.push(now);
                transport.set_shared(*key, stamps);
            }
        }
        let Some((response, asked)) = answer else {
            return;
        };
        // Not `str::parse::<f64>`: its general float parser costs the .wasm
        // 18.7 KB gzip; both headers are plain decimal numbers.
        let header = |name: &str| response.header(name).and_then(|v| parse_seconds(v.trim()));
        let block = match (response.status, asked) {
            (429 | 503, Some(ms)) if ms > 0.0 => Some([now + ms, 0.0]),
            _ if provider == Provider::DevRev => header("x-ratelimit-remaining")
                .zip(header("x-ratelimit-reset"))
                .filter(|(r, at)| r.is_finite() && at.is_finite())
                .map(|(remaining, at)| [at * 1000.0, remaining]),
            _ => None,
        };
        if let Some(block) = block.filter(|[until, _]| *until > now) {
            transport.set_shared(self.server, block.to_vec());
        }
    }
}

/// How long a request may stay in flight before its stamp is taken for
/// abandoned (an instance that trapped mid-request never answers it).
const ABANDONED_MS: f64 = 120_000.0;

/// Drops the stamps that left `limit`'s window ending at `now` and answers
/// how long until one more request fits (0: it fits now).
///
/// A stamp is the time a request was answered, in ascending order, or,
/// while it is in flight, minus the time it was sent: the server may see it
/// at any time until its answer, so it stays in the window until then and
/// for a whole interval after. Answered stamps at or before `now - interval`
/// have left; in-flight ones only once abandoned.
fn window_wait(stamps: &mut Vec<f64>, limit: Limit, now: f64) -> f64 {
    let start = now - limit.interval_ms;
    stamps.retain(|&t| {
        if t < 0.0 {
            -t > now - ABANDONED_MS
        } else {
            t > start
        }
    });
    let n = limit.requests.max(1) as usize;
    let Some(must_leave) = stamps.len().checked_sub(n) else {
        return 0.0;
    };
    // The oldest answered stamps leave first; if the window is full of
    // requests still in flight, none can go before an interval from now.
    match stamps.iter().filter(|&&t| t >= 0.0).nth(must_leave) {
        Some(&t) => (t - start).max(1.0),
        None => limit.interval_ms,
    }
}

/// A digest as a ledger key: a whole number JavaScript holds exactly
/// (below 2^53), never [`SALT`].
fn ledger_key(d: u64) -> f64 {
    ((d >> 11) | 1 << 20) as f64
}

/// The `integrated_account_id` in a Truto path's query, as encoded.
fn account_of(path: &str) -> Option<&str> {
    let (_, query) = path.split_once('?')?;
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix("integrated_account_id="))
        .filter(|a| !a.is_empty())
}

/// A client's key in the realm's ledger: a salted digest of its base URL and
/// token, made once when the client is (its calls only add their account),
/// or `None` when its `rateLimit` is off.
pub(crate) fn client_digest<T: Transport>(transport: &T, config: &ClientConfig) -> Option<u64> {
    if config.rate_limit == RateLimit::Off {
        return None;
    }
    let token = config.token.as_ref().map_or("", |t| t.expose());
    Some(digest(
        salt(transport),
        &[config.base_url.as_bytes(), token.as_bytes()],
    ))
}

/// The realm's random salt, made by the first client that needs it.
fn salt<T: Transport>(transport: &T) -> u64 {
    match transport.shared(SALT)[..] {
        [hi, lo] => ((hi as u64) << 32) ^ lo as u64,
        _ => {
            let (hi, lo) = (
                (transport.random() * 4_294_967_296.0).floor(),
                (transport.random() * 4_294_967_296.0).floor(),
            );
            transport.set_shared(SALT, vec![hi, lo]);
            ((hi as u64) << 32) ^ lo as u64
        }
    }
}

/// A salted 64-bit digest of `parts` (FNV-1a, each part followed by a NUL,
/// then a SplitMix64 finalizer so every bit of the input moves every bit of
/// the key).
fn digest(salt: u64, parts: &[&[u8]]) -> u64 {
    parts.iter().fold(mix(salt), |h, part| digest_of(h, part))
}

fn digest_of(h: u64, part: &[u8]) -> u64 {
    let h = part
        .iter()
        .chain([&0])
        .fold(h ^ 0xcbf2_9ce4_8422_2325, |h, &b| {
            (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
        });
    mix(h)
}

fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEN: Limit = Limit {
        requests: 3,
        interval_ms: 1_000.0,
    };

    #[test]
    fn requests_in_flight_stay_in_the_window_until_answered() {
        // Two answered, one in flight since t=5: the fourth waits for the
        // oldest answered one; with three in flight it waits a whole interval.
        let mut stamps = vec![0.0, 10.0, -5.0];
        assert_eq!(window_wait(&mut stamps, TEN, 30.0), 970.0);
        let mut stamps = vec![-1.0, -2.0, -3.0];
        assert_eq!(window_wait(&mut stamps, TEN, 5_000.0), 1_000.0);
        // An in-flight stamp older than ABANDONED_MS is taken for abandoned.
        let mut stamps = vec![-1.0, -2.0, -3.0];
        assert_eq!(window_wait(&mut stamps, TEN, ABANDONED_MS + 2.5), 0.0);
        assert_eq!(stamps, vec![-3.0]);
    }

    #[test]
    fn a_window_admits_its_limit_then_waits_for_the_oldest_to_leave() {
        let mut stamps = vec![];
        for t in [0.0, 10.0, 20.0] {
            assert_eq!(window_wait(&mut stamps, TEN, t), 0.0);
            stamps.push(t);
        }
        // The fourth at t=30 waits until t=0's stamp is out: (0 + 1000) - 30.
        assert_eq!(window_wait(&mut stamps, TEN, 30.0), 970.0);
        // At exactly t=1000 the t=0 stamp has left ((0, 1000] holds 3 only after).
        assert_eq!(window_wait(&mut stamps, TEN, 1_000.0), 0.0);
        assert_eq!(stamps, vec![10.0, 20.0]);
    }

    #[test]
    fn account_is_read_from_the_query_as_encoded() {
        assert_eq!(
            account_of("/unified/crm/engagements?limit=5&integrated_account_id=acct%201"),
            Some("acct%201")
        );
        assert_eq!(
            account_of("/unified/crm/engagements?integrated_account_id="),
            None
        );
        assert_eq!(account_of("/unified/crm/engagements"), None);
        assert_eq!(
            account_of("/unified/crm/engagements?x_integrated_account_id=a"),
            None
        );
    }

    #[test]
    fn digests_depend_on_salt_and_every_part_and_keep_parts_apart() {
        let a = digest(1, &[b"https://x", b"tok"]);
        assert_ne!(a, digest(2, &[b"https://x", b"tok"]));
        assert_ne!(a, digest(1, &[b"https://x", b"tok2"]));
        assert_ne!(a, digest(1, &[b"https://xt", b"ok"]));
        assert_eq!(a, digest(1, &[b"https://x", b"tok"]));
    }

    #[test]
    fn documented_limits_by_provider() {
        assert_eq!(
            RateLimit::Documented.limits(Provider::Truto),
            Some((Some(TRUTO_PER_ACCOUNT), Some(TRUTO_PER_TOKEN)))
        );
        assert_eq!(
            RateLimit::Documented.limits(Provider::DevRev),
            Some((None, None))
        );
        assert_eq!(RateLimit::Off.limits(Provider::Truto), None);
        let own = RateLimit::Custom {
            per_account: Some(TEN),
            per_token: None,
        };
        assert_eq!(
            own.limits(Provider::Truto),
            Some((Some(TEN), Some(TRUTO_PER_TOKEN)))
        );
    }
}
