//! The option objects of the JavaScript API, and their conversion to the core's.

use crate::call::{CallOptions, RetryEvent, RetryHook};
use crate::config::{ClientOptions, Token};
use crate::error::Error;
use crate::governor::{Limit, RateLimit, ThrottleEvent, ThrottleHook};
use crate::json::{Json, JsonExt};
use crate::paginate::Listing;
use crate::wire::{check, Kind, Path, Wire};
use serde::Deserialize;
use std::rc::Rc;
use tsify::Tsify;
use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;
use web_sys::AbortSignal;

/// Header names and values, in the caller's order (a JS `Record<string, string>`).
#[derive(Debug, Default, Deserialize)]
pub struct Headers(pub Vec<(String, String)>);

/// Options of `new TrutoClient(...)`.
#[derive(Debug, Default, Deserialize, Tsify)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TrutoClientOptions {
    /// Sent as `Authorization: Bearer <token>`. Optional when `baseUrl` is a proxy that adds it.
    #[serde(default)]
    #[tsify(optional)]
    pub token: Option<String>,
    /// The default `integrated_account_id` of every call.
    #[serde(default)]
    #[tsify(optional)]
    pub integrated_account_id: Option<String>,
    /// The API's base URL. Default `"https://api.truto.one"`.
    #[serde(default)]
    #[tsify(optional)]
    pub base_url: Option<String>,
    /// Timeout of each attempt in ms; the fetch is aborted. Default 30000; 0 means none.
    #[serde(default)]
    #[tsify(optional)]
    pub timeout_ms: Option<f64>,
    /// Retries after the first attempt. Default 2; 0 means none.
    #[serde(default)]
    #[tsify(optional)]
    pub max_retries: Option<f64>,
    /// The `fetch` to use. Default: the global `fetch`.
    #[serde(default)]
    #[tsify(optional, type = "typeof fetch")]
    pub fetch: Option<Json>,
    /// Headers sent on every request.
    #[serde(default)]
    #[tsify(optional, type = "Record<string, string>")]
    pub headers: Option<Headers>,
    /// Called before each retry wait with what failed and how long the client
    /// waits (show "rate limited, retrying in 3 s", log...). Exceptions it throws are ignored.
    #[serde(default)]
    #[tsify(optional, type = "(event: RetryEvent) => void")]
    pub on_retry: Option<Json>,
    /// How the client paces itself to stay under Truto's limits instead of
    /// collecting 429s. Omitted: the documented 50 requests per 10 s per
    /// integrated account and 500 per 10 s per token, shared by every client
    /// in this JS realm with the same base URL and token. `false`: off. An
    /// object: your own limits (an omitted one stays documented).
    #[serde(default)]
    #[tsify(optional, type = "false | RateLimitOptions")]
    pub rate_limit: Option<Json>,
    /// Called before each wait for the rate governor, with how long and
    /// which limit (show "waiting for the rate limit"). Exceptions it throws are ignored.
    #[serde(default)]
    #[tsify(optional, type = "(event: ThrottleEvent) => void")]
    pub on_throttle: Option<Json>,
}

/// Options of `new DevRevClient(...)`.
#[derive(Debug, Default, Deserialize, Tsify)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DevRevClientOptions {
    /// Sent as `Authorization: Bearer <token>` (a DevRev PAT or service-account token).
    #[serde(default)]
    #[tsify(optional)]
    pub token: Option<String>,
    /// The API's base URL. Default `"https://api.devrev.ai"`.
    #[serde(default)]
    #[tsify(optional)]
    pub base_url: Option<String>,
    /// Timeout of each attempt in ms; the fetch is aborted. Default 30000; 0 means none.
    #[serde(default)]
    #[tsify(optional)]
    pub timeout_ms: Option<f64>,
    /// Retries after the first attempt. Default 2; 0 means none.
    #[serde(default)]
    #[tsify(optional)]
    pub max_retries: Option<f64>,
    /// The `fetch` to use. Default: the global `fetch`.
    #[serde(default)]
    #[tsify(optional, type = "typeof fetch")]
    pub fetch: Option<Json>,
    /// Headers sent on every request.
    #[serde(default)]
    #[tsify(optional, type = "Record<string, string>")]
    pub headers: Option<Headers>,
    /// Called before each retry wait with what failed and how long the client
    /// waits (show "rate limited, retrying in 3 s", log...). Exceptions it throws are ignored.
    #[serde(default)]
    #[tsify(optional, type = "(event: RetryEvent) => void")]
    pub on_retry: Option<Json>,
    /// How the client paces itself to stay under DevRev's limits instead of
    /// collecting 429s. Omitted: nothing is sent while DevRev's last answer
    /// said its window is spent (`X-RateLimit-Remaining: 0`) until
    /// `X-RateLimit-Reset`, shared by every client in this JS realm with the
    /// same base URL and token. `false`: off. `{ perToken }`: also at most
    /// that many requests per interval (`perAccount` is Truto's only).
    #[serde(default)]
    #[tsify(optional, type = "false | RateLimitOptions")]
    pub rate_limit: Option<Json>,
    /// Called before each wait for the rate governor, with how long and
    /// which limit (show "waiting for the rate limit"). Exceptions it throws are ignored.
    #[serde(default)]
    #[tsify(optional, type = "(event: ThrottleEvent) => void")]
    pub on_throttle: Option<Json>,
}

/// Options of every method.
#[derive(Debug, Default, Deserialize, Tsify)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RequestOptions {
    /// Cancels the call, including retry waits. The call rejects with kind `aborted`.
    #[serde(default)]
    #[tsify(optional, type = "AbortSignal")]
    pub signal: Option<Json>,
    /// Timeout of each attempt in ms, for this call.
    #[serde(default)]
    #[tsify(optional)]
    pub timeout_ms: Option<f64>,
    /// Retries after the first attempt, for this call.
    #[serde(default)]
    #[tsify(optional)]
    pub max_retries: Option<f64>,
    /// The whole call's time budget in ms, retries and waits included. A server
    /// wait that would outlast it fails at once (with `retryAfterMs`).
    #[serde(default)]
    #[tsify(optional)]
    pub deadline_ms: Option<f64>,
    /// The `Idempotency-Key` of a write. Default: a fresh UUID per call, reused by its retries.
    #[serde(default)]
    #[tsify(optional)]
    pub idempotency_key: Option<String>,
    /// Headers for this call.
    #[serde(default)]
    #[tsify(optional, type = "Record<string, string>")]
    pub headers: Option<Headers>,
    /// Called before each retry wait of this call (instead of the client's) with what failed and how long the client
    /// waits (show "rate limited, retrying in 3 s", log...). Exceptions it throws are ignored.
    #[serde(default)]
    #[tsify(optional, type = "(event: RetryEvent) => void")]
    pub on_retry: Option<Json>,
    /// Called before each wait for the rate governor (instead of the
    /// client's), with how long and which limit. Exceptions it throws are ignored.
    #[serde(default)]
    #[tsify(optional, type = "(event: ThrottleEvent) => void")]
    pub on_throttle: Option<Json>,
}

/// Options of `listAll`.
#[derive(Debug, Default, Deserialize, Tsify)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ListAllOptions {
    /// Cancels the iteration, including the request in flight.
    #[serde(default)]
    #[tsify(optional, type = "AbortSignal")]
    pub signal: Option<Json>,
    /// Timeout of each attempt in ms.
    #[serde(default)]
    #[tsify(optional)]
    pub timeout_ms: Option<f64>,
    /// Retries of each page after its first attempt.
    #[serde(default)]
    #[tsify(optional)]
    pub max_retries: Option<f64>,
    /// The time budget of each page's call in ms, retries and waits included.
    #[serde(default)]
    #[tsify(optional)]
    pub deadline_ms: Option<f64>,
    /// Headers for every page request.
    #[serde(default)]
    #[tsify(optional, type = "Record<string, string>")]
    pub headers: Option<Headers>,
    /// Called before each retry wait of a page (instead of the client's) with what failed and how long the client
    /// waits (show "rate limited, retrying in 3 s", log...). Exceptions it throws are ignored.
    #[serde(default)]
    #[tsify(optional, type = "(event: RetryEvent) => void")]
    pub on_retry: Option<Json>,
    /// Called before each wait for the rate governor (instead of the
    /// client's), with how long and which limit. Exceptions it throws are ignored.
    #[serde(default)]
    #[tsify(optional, type = "(event: ThrottleEvent) => void")]
    pub on_throttle: Option<Json>,
    /// Stop after this many engagements (no further page is fetched).
    #[serde(default)]
    #[tsify(optional)]
    pub max_items: Option<f64>,
    /// Send at most this many HTTP requests, retries included (a Worker's
    /// subrequest limit): then the iteration ends normally, `complete` is
    /// `false`, and `checkpoint()` says where to go on.
    #[serde(default)]
    #[tsify(optional)]
    pub max_requests: Option<f64>,
    /// A `checkpoint()` of an iteration of the same query: this one yields
    /// exactly the items after it (none twice, none lost, also mid-page). A
    /// checkpoint of another query is refused (`checkpoint_mismatch`), a
    /// garbled one too (`bad_checkpoint`), before anything is sent.
    #[serde(default)]
    #[tsify(optional)]
    pub resume: Option<String>,
}

fn headers(h: Option<Headers>) -> Vec<(String, String)> {
    h.map(|h| h.0).unwrap_or_default()
}

#[wasm_bindgen::prelude::wasm_bindgen(typescript_custom_section)]
const TS_RETRY_EVENT: &'static str = r#"
/** What `onRetry` is told before the client waits to retry. */
export interface RetryEvent {
  /** The attempt that failed (1 for the first). */
  attempt: number;
  /** Its HTTP status, when the server answered. */
  status?: number;
  /** Why it failed. */
  kind: "http" | "network" | "timeout";
  /** The error's code (`rate_limited`, the API's error type...). */
  code?: string;
  /** How long the client waits before the next attempt, in ms. */
  waitMs: number;
}
"#;

#[wasm_bindgen::prelude::wasm_bindgen(typescript_custom_section)]
const TS_RATE_LIMIT: &'static str = r#"
/** At most `requests` requests in any span of `intervalMs` ms. */
export interface RateLimitWindow {
  /** Requests allowed per interval (a whole number, at least 1). */
  requests: number;
  /** The interval in ms (more than 0). */
  intervalMs: number;
}
/** Your own limits for the client option `rateLimit`; an omitted one keeps the documented limit. */
export interface RateLimitOptions {
  /** Per integrated account (Truto only). Documented: 50 per 10 000 ms. */
  perAccount?: RateLimitWindow;
  /** Per token and base URL. Truto documents 500 per 10 000 ms; DevRev none (its headers rule). */
  perToken?: RateLimitWindow;
}
/** What `onThrottle` is told before the client waits for the rate governor. */
export interface ThrottleEvent {
  /** How long the request waits, in ms (it counts against `deadlineMs`). */
  waitMs: number;
  /** The limit it waits for: Truto's per-account or per-token window, or what the server said (DevRev's spent window, a 429's `Retry-After`). */
  scope: "account" | "token" | "server";
}
"#;

/// The hooks of a client or a call: `onRetry` and `onThrottle`.
#[derive(Clone, Debug, Default)]
pub(crate) struct Hooks {
    pub on_retry: Option<RetryHook>,
    pub on_throttle: Option<ThrottleHook>,
}

impl Hooks {
    /// The hooks of options object `o` (`field` prefixes the option names
    /// in errors), each falling back to `fallback`'s.
    fn read(o: &Json, fallback: &Hooks) -> Result<Hooks, Error> {
        let on_retry = function(o.member("onRetry"), "onRetry")?.map(|f| {
            RetryHook(Rc::new(move |e: &RetryEvent| {
                call_with(
                    &f,
                    &[
                        ("attempt", JsValue::from(e.attempt)),
                        ("status", e.status.map_or(JsValue::UNDEFINED, JsValue::from)),
                        ("kind", JsValue::from_str(e.kind.as_str())),
                        (
                            "code",
                            e.code
                                .as_deref()
                                .map_or(JsValue::UNDEFINED, JsValue::from_str),
                        ),
                        ("waitMs", JsValue::from_f64(e.wait_ms)),
                    ],
                );
            }))
        });
        let on_throttle = function(o.member("onThrottle"), "onThrottle")?.map(|f| {
            ThrottleHook(Rc::new(move |e: &ThrottleEvent| {
                call_with(
                    &f,
                    &[
                        ("waitMs", JsValue::from_f64(e.wait_ms)),
                        ("scope", JsValue::from_str(e.scope.as_str())),
                    ],
                );
            }))
        });
        Ok(Hooks {
            on_retry: on_retry.or_else(|| fallback.on_retry.clone()),
            on_throttle: on_throttle.or_else(|| fallback.on_throttle.clone()),
        })
    }
}

/// Calls hook `f` with an event object of `fields`; a throwing hook must
/// not break the call.
fn call_with(f: &js_sys::Function, fields: &[(&str, JsValue)]) {
    let event = js_sys::Object::new();
    for (k, v) in fields {
        let _ = js_sys::Reflect::set(&event, &JsValue::from_str(k), v);
    }
    let _ = f.call1(&JsValue::UNDEFINED, &event);
}

/// Option `name` as a function; absent (`undefined`, `null`) is `None`.
fn function(value: Option<Json>, name: &str) -> Result<Option<js_sys::Function>, Error> {
    match value {
        None => Ok(None),
        Some(Json(v)) if v.is_undefined() || v.is_null() => Ok(None),
        Some(Json(v)) => v.dyn_into::<js_sys::Function>().map(Some).map_err(|_| {
            Error::validation(
                "invalid_option",
                Some(&format!("options.{name}")),
                format!("{name} must be a function"),
            )
        }),
    }
}

/// The client option `rateLimit`: absent = documented, `false` = off, or
/// `{ perAccount?, perToken? }` of `{ requests, intervalMs }` (`perAccount`
/// only where `accounts`).
fn rate_limit(value: Option<Json>, accounts: bool) -> Result<RateLimit, Error> {
    let Some(value) = value.filter(|v| !v.0.is_undefined() && !v.0.is_null()) else {
        return Ok(RateLimit::Documented);
    };
    if value.boolean() == Some(false) {
        return Ok(RateLimit::Off);
    }
    let bad = |why: &str| Error::validation("invalid_option", Some("options.rateLimit"), why);
    let names: &[&str] = if accounts {
        &["perAccount", "perToken"]
    } else {
        &["perToken"]
    };
    let entries = value
        .entries()
        .filter(|e| value.is_object() && e.iter().all(|(k, _)| names.contains(&k.as_str())))
        .ok_or_else(|| {
            bad(if accounts {
                "rateLimit must be false or { perAccount?, perToken? }"
            } else {
                "rateLimit must be false or { perToken? }: DevRev has no integrated accounts"
            })
        })?;
    let window = |name: &str| -> Result<Option<Limit>, Error> {
        let Some((_, w)) = entries.iter().find(|(k, _)| k == name) else {
            return Ok(None);
        };
        let requests = number(w, "requests").filter(|n| n.fract() == 0.0 && *n >= 1.0);
        let interval_ms = number(w, "intervalMs").filter(|n| n.is_finite() && *n > 0.0);
        match requests.zip(interval_ms) {
            Some((requests, interval_ms)) => Ok(Some(Limit {
                requests: requests.min(f64::from(u32::MAX)) as u32,
                interval_ms,
            })),
            None => Err(bad("each limit of rateLimit is { requests: a whole number >= 1, intervalMs: a number > 0 }")),
        }
    };
    Ok(RateLimit::Custom {
        per_account: window("perAccount")?,
        per_token: window("perToken")?,
    })
}

fn signal(s: Option<Json>) -> Result<Option<AbortSignal>, Error> {
    match s {
        Some(Json(v)) if v.is_null() || v.is_undefined() => Ok(None),
        // `instanceof`, so the signal's own getters and methods are real ones.
        Some(Json(v)) if v.is_instance_of::<AbortSignal>() => Ok(Some(v.unchecked_into())),
        Some(_) => Err(Error::validation(
            "invalid_option",
            Some("options.signal"),
            "signal must be an AbortSignal",
        )),
        None => Ok(None),
    }
}

fn number(o: &Json, key: &str) -> Option<f64> {
    o.member(key).and_then(|v| v.number())
}

fn header_list(o: &Json, key: &str) -> Option<Headers> {
    let entries = o.member(key)?.entries()?;
    let list = entries
        .into_iter()
        .map(|(k, v)| (k, v.string().unwrap_or_default()))
        .collect();
    Some(Headers(list))
}

/// Lists an option struct's fields once, in wire order, each as `field =
/// "wireName": Kind` (all optional): gives its [`Wire`] impl, whose `KIND`
/// is what [`checked`] runs on the caller's object, so the runtime check is
/// the struct's declaration and cannot drift from it (or from the TypeScript
/// type tsify derives from it). Compiles only if every field of the struct is
/// listed, its type is what its kind holds (`Str` a `String`, `Number` an
/// `f64`, `StrMap` [`Headers`], `Any` [`Json`]), and its wire name is the
/// camelCase of its Rust name, as the struct's `rename_all = "camelCase"`
/// (and so the TypeScript type) spells it.
macro_rules! options_wire {
    ($ty:ident { $($field:ident = $wire:literal: $kind:ident),* $(,)? }) => {
        impl Wire for $ty {
            const KIND: Kind = Kind::Object(&[$(($wire, Kind::$kind, false)),*]);
        }
        // Compiles only if every field of the struct is listed, with the
        // type of its kind.
        const _: fn($ty) = |value| {
            let $ty { $($field),* } = value;
            $(let _: Option<options_wire!(@type $kind)> = $field;)*
        };
        $(const _: () = assert!(
            crate::wire::is_camel_case_of(stringify!($field), $wire),
            concat!("the wire name of `", stringify!($ty), "::", stringify!($field), "` is not its camelCase"),
        );)*
    };
    (@type Str) => { String };
    (@type Number) => { f64 };
    (@type StrMap) => { Headers };
    (@type Any) => { Json };
}

// The fields of `new TrutoClient(...)`'s options.
options_wire!(TrutoClientOptions {
    token = "token": Str,
    integrated_account_id = "integratedAccountId": Str,
    base_url = "baseUrl": Str,
    timeout_ms = "timeoutMs": Number,
    max_retries = "maxRetries": Number,
    fetch = "fetch": Any,
    headers = "headers": StrMap,
    on_retry = "onRetry": Any,
    rate_limit = "rateLimit": Any,
    on_throttle = "onThrottle": Any,
});

// The fields of `new DevRevClient(...)`'s options: those of Truto's without
// `integratedAccountId`.
options_wire!(DevRevClientOptions {
    token = "token": Str,
    base_url = "baseUrl": Str,
    timeout_ms = "timeoutMs": Number,
    max_retries = "maxRetries": Number,
    fetch = "fetch": Any,
    headers = "headers": StrMap,
    on_retry = "onRetry": Any,
    rate_limit = "rateLimit": Any,
    on_throttle = "onThrottle": Any,
});

// The fields of a method's `options`.
options_wire!(RequestOptions {
    signal = "signal": Any,
    timeout_ms = "timeoutMs": Number,
    max_retries = "maxRetries": Number,
    deadline_ms = "deadlineMs": Number,
    idempotency_key = "idempotencyKey": Str,
    headers = "headers": StrMap,
    on_retry = "onRetry": Any,
    on_throttle = "onThrottle": Any,
});

// The fields of `listAll`'s `options`.
options_wire!(ListAllOptions {
    signal = "signal": Any,
    timeout_ms = "timeoutMs": Number,
    max_retries = "maxRetries": Number,
    deadline_ms = "deadlineMs": Number,
    headers = "headers": StrMap,
    on_retry = "onRetry": Any,
    on_throttle = "onThrottle": Any,
    max_items = "maxItems": Number,
    max_requests = "maxRequests": Number,
    resume = "resume": Str,
});

/// The option values that are not plain data (copied as they are).
const KEEP: &[&str] = &["signal", "fetch", "onRetry", "onThrottle"];

/// Reads the caller's `what` argument (`query`, `body`...) as the wire form
/// of one of the core's request types: copied as plain data first, then
/// checked and cleaned against its wire description (see `crate::wire`).
/// Absent (`undefined` or `null`) is an empty object.
pub(crate) fn wire<T: Wire>(value: JsValue, what: &str) -> Result<Json, Error> {
    Ok(checked(value, what, &T::KIND, &[])?.unwrap_or_else(|| Json::object(Vec::new())))
}

/// `value` copied as plain data and checked against `kind`; `None` when absent.
fn checked(value: JsValue, what: &str, kind: &Kind, keep: &[&str]) -> Result<Option<Json>, Error> {
    if value.is_null() || value.is_undefined() {
        return Ok(None);
    }
    let value = super::fields::plain(&value, keep).map_err(|why| {
        Error::validation(
            &format!("invalid_{what}"),
            Some(what),
            format!("{what} {why}"),
        )
    })?;
    check(&Json(value), kind, &Path::Root(what)).map(Some)
}

/// A client's settings from its constructor's `options`.
pub(crate) struct ClientSetup {
    pub options: ClientOptions,
    /// The default `integrated_account_id` (Truto).
    pub account: Option<String>,
    pub fetch: Option<js_sys::Function>,
    /// The client's hooks, used by calls that give none.
    pub hooks: Hooks,
}

/// Reads a constructor's `options` (the fields of `kind`: the [`Wire::KIND`]
/// of [`TrutoClientOptions`] or [`DevRevClientOptions`]), copied as plain data and checked, as [`per_call`] reads
/// a method's. Errors are `config` errors naming the option.
pub(crate) fn client_setup(value: JsValue, kind: &Kind) -> Result<ClientSetup, Error> {
    let bad = |e: Error, field: Option<&str>| {
        let field = field.or(e.field()).unwrap_or("options").to_owned();
        Error::config("invalid_option", e.message().to_owned()).with_field(&field)
    };
    let o = checked(value, "options", kind, KEEP)
        .map_err(|e| bad(e, None))?
        .unwrap_or_else(|| Json::object(Vec::new()));
    let hooks = Hooks::read(&o, &Hooks::default()).map_err(|e| bad(e, None))?;
    // Truto's options have an integrated account; DevRev's do not.
    let accounts =
        matches!(kind, Kind::Object(fields) if fields.iter().any(|f| f.0 == "integratedAccountId"));
    let rate_limit = rate_limit(o.member("rateLimit"), accounts).map_err(|e| bad(e, None))?;
    let fetch = match o.member("fetch") {
        Some(Json(f)) if !f.is_undefined() && !f.is_null() => Some(
            f.dyn_into::<js_sys::Function>()
                .map_err(|_| Error::config("invalid_option", "fetch must be a function"))?,
        ),
        _ => None,
    };
    Ok(ClientSetup {
        options: ClientOptions {
            token: o.string_at("token").map(Token::new),
            base_url: o.string_at("baseUrl"),
            timeout_ms: number(&o, "timeoutMs"),
            max_retries: number(&o, "maxRetries"),
            headers: headers(header_list(&o, "headers")),
            rate_limit,
        },
        account: o.string_at("integratedAccountId"),
        fetch,
        hooks,
    })
}

/// A non-negative whole number of `listAll`'s options (`maxItems`, `maxRequests`).
fn whole(o: &Json, name: &str) -> Result<Option<f64>, Error> {
    match number(o, name) {
        Some(n) if !(n.is_finite() && n >= 0.0 && n.fract() == 0.0) => Err(Error::validation(
            "invalid_option",
            Some(&format!("options.{name}")),
            format!("{name} must be a non-negative whole number"),
        )),
        n => Ok(n),
    }
}

/// A method's `options` (the fields of `kind`: the [`Wire::KIND`] of
/// [`RequestOptions`] or [`ListAllOptions`]), copied as plain data and checked, as the core's
/// per-call options and how a `listAll` runs. The client's `onRetry` and
/// `onThrottle` apply when the call gives none.
pub(crate) fn per_call(
    value: JsValue,
    kind: &Kind,
    client_hooks: &Hooks,
) -> Result<(CallOptions<AbortSignal>, Listing), Error> {
    let o = checked(value, "options", kind, KEEP)?.unwrap_or_else(|| Json::object(Vec::new()));
    let hooks = Hooks::read(&o, client_hooks)?;
    let listing = Listing {
        max_items: whole(&o, "maxItems")?.map(|n| n as u64),
        max_requests: whole(&o, "maxRequests")?.map(|n| n.min(f64::from(u32::MAX)) as u32),
        resume: o.string_at("resume"),
    };
    Ok((
        CallOptions {
            signal: signal(o.member("signal"))?,
            timeout_ms: number(&o, "timeoutMs"),
            max_retries: number(&o, "maxRetries"),
            deadline_ms: number(&o, "deadlineMs"),
            idempotency_key: o.string_at("idempotencyKey"),
            headers: headers(header_list(&o, "headers")),
            on_retry: hooks.on_retry,
            on_throttle: hooks.on_throttle,
        },
        listing,
    ))
}

/// The `id` argument: a string (emptiness is checked by the core).
pub(crate) fn id(id: &wasm_bindgen::JsValue) -> Result<String, Error> {
    id.as_string()
        .ok_or_else(|| Error::validation("invalid_id", Some("id"), "id must be a non-empty string"))
}
