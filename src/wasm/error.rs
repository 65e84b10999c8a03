//! Errors cross into JavaScript as real `Error` objects with stable fields.

use crate::error::Error;
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
  /** Truto's `truto_error_insight`. */
  insight?: string;
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
        js_sys::JSON::parse(text).unwrap_or_else(|_| JsValue::from_str(text))
    });
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
    set(&js, "insight", opt_str(e.insight()));
    js
}
