//! Errors cross into JavaScript as real `Error` objects with stable fields.

use crate::error::Error;
use crate::json::{Json, JsonExt};
use js_sys::Reflect;
use wasm_bindgen::prelude::*;

// `isEngagementsError` is declared here but written in JavaScript
// (pkg/src/api.js): a type guard needs no wasm, and a wasm export of it
// cost 0.4 KB for a function the package never called.
#[wasm_bindgen(typescript_custom_section)]
const TS_ERROR: &'static str = r#"
/** What went wrong, in categories a caller can act on. */
export type EngagementsErrorKind =
  | "validation" | "http" | "network" | "timeout" | "aborted" | "decode" | "config";

/** Every failure of this package: a real `Error` with stable fields. */
export interface EngagementsError extends Error {
  name: "EngagementsError";
  /** The category: `validation` and `config` mean nothing was sent. */
  kind: EngagementsErrorKind;
  /** The HTTP status, for `http`. */
  status?: number;
  /** A stable machine code (`invalid_time_range`, the API's error type...). */
  code?: string;
  /** For `validation`: the offending input, as a path (`body.start_time`). */
  field?: string;
  /** The response body: parsed JSON, or the text when it is not JSON. */
  body?: unknown;
  /** The server's request id, when it sent one. */
  requestId?: string;
  /** For 429/503: the wait the server asked for, in ms. */
  retryAfterMs?: number;
  /** HTTP attempts made (0 for `validation` and `config`). */
  attempts: number;
  /** Truto's `truto_is_remote_error`: the remote CRM refused the request. */
  isRemoteError?: boolean;
  /**
   * Truto's `truto_error_insight`, the object as Truto sent it (unknown keys
   * kept). Absent when Truto sent none, or sent something other than an object.
   */
  insight?: TrutoErrorInsight;
  /**
   * What the request lacked, from the insight's `missing_required_*` keys:
   * the query parameters' names, then the body fields' (`["subject",
   * "contact"]`). Empty when nothing was reported missing.
   */
  missingFields: string[];
  /** The OAuth scopes the account lacks (the insight's `forbidden_error`). Empty when none. */
  missingScopes: string[];
  /**
   * The CRM refused the account's credentials (Truto's remote 401): the end
   * user must reconnect the integrated account; retrying will not help.
   */
  needsReauth: boolean;
  /** A write was refused with 405: the integrated account is read-only (a sandbox). */
  readOnlyAccount: boolean;
}

/** One entry of Truto's `truto_error_insight`. */
export interface TrutoInsightEntry<V = unknown> {
  /** What the entry means, in words. */
  description: string;
  /** The details, shaped by the key. */
  value?: V;
}

/**
 * Truto's `truto_error_insight`: what Truto could tell about a failure, one
 * key per kind of finding. The `conditionally_required_*` keys are
 * informational and may ride along on unrelated errors.
 */
export interface TrutoErrorInsight {
  /** Query parameters the call needs and lacked. */
  missing_required_query_parameters?: TrutoInsightEntry<string[]>;
  /** Body fields the call needs and lacked. */
  missing_required_body_fields?: TrutoInsightEntry<string[]>;
  /** Query parameters required under some condition: name -> the rule. */
  conditionally_required_query_parameters?: TrutoInsightEntry<Record<string, unknown>>;
  /** Body fields required under some condition: name -> the rule. */
  conditionally_required_body_fields?: TrutoInsightEntry<Record<string, unknown>>;
  /** The CRM's rate limit was hit. */
  rate_limit_error?: TrutoInsightEntry;
  /** The account lacks permissions; `value.missing_scopes` names them. */
  forbidden_error?: TrutoInsightEntry<{ missing_scopes?: string[]; [key: string]: unknown }>;
  /** What the CRM itself answered. */
  remote_error?: TrutoInsightEntry;
  /** Keys Truto adds later, kept as sent. */
  [key: string]: TrutoInsightEntry | undefined;
}

/**
 * Whether `error` is an error of this package (checked by name and kind, so
 * it also recognises errors from another copy of the module).
 */
export function isEngagementsError(error: unknown): error is EngagementsError;
"#;

fn set(target: &JsValue, key: &str, value: JsValue) {
    let _ = Reflect::set(target, &JsValue::from_str(key), &value);
}

fn opt_str(v: Option<&str>) -> JsValue {
    v.map_or(JsValue::UNDEFINED, JsValue::from_str)
}

fn strings(list: &[String]) -> JsValue {
    Json::array(list.iter().map(|s| Json::text(s)).collect()).0
}

/// The JavaScript `Error` for `e` (an `EngagementsError`).
pub fn to_js(e: &Error) -> JsValue {
    let err = js_sys::Error::new(e.message());
    err.set_name("EngagementsError");
    let js: JsValue = err.into();
    set(&js, "kind", JsValue::from_str(e.kind().as_str()));
    set(
        &js,
        "status",
        e.status().map_or(JsValue::UNDEFINED, JsValue::from),
    );
    set(&js, "code", opt_str(e.code()));
    set(&js, "field", opt_str(e.field()));
    let body = e.body().map_or(JsValue::UNDEFINED, |text| {
        Json::parse(text).map_or_else(|| JsValue::from_str(text), |json| json.0)
    });
    // Truto's insight, read from the body just parsed rather than parsed again.
    let insight = e
        .truto_details()
        .and(Json(body.clone()).member("truto_error_insight"));
    let insight = insight.filter(JsonExt::is_object);
    set(&js, "insight", insight.map_or(JsValue::UNDEFINED, |i| i.0));
    set(&js, "body", body);
    set(&js, "requestId", opt_str(e.request_id()));
    set(
        &js,
        "retryAfterMs",
        e.retry_after_ms().map_or(JsValue::UNDEFINED, JsValue::from),
    );
    set(&js, "attempts", JsValue::from(e.attempts()));
    set(
        &js,
        "isRemoteError",
        e.is_remote_error()
            .map_or(JsValue::UNDEFINED, JsValue::from),
    );
    set(&js, "missingFields", strings(e.missing_fields()));
    set(&js, "missingScopes", strings(e.missing_scopes()));
    set(&js, "needsReauth", JsValue::from(e.needs_reauth()));
    set(&js, "readOnlyAccount", JsValue::from(e.read_only_account()));
    js
}
