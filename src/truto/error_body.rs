//! What Truto's error bodies carry beyond `statusCode`, `error` and `message`
//! (Truto's API reference, "Errors"): `truto_is_remote_error` (the CRM behind
//! the account refused), `raw_response` (the CRM's own body) and
//! `truto_error_insight`, an object whose keys each hold
//! `{ description, value }`.

use crate::error::TrutoDetails;
use crate::json::{Json, JsonExt};

/// The insight keys that list what the request lacked: query parameters,
/// then body fields.
const MISSING: [&str; 2] = [
    "missing_required_query_parameters",
    "missing_required_body_fields",
];

/// Keys of a CRM's error body that hold its message, in order of preference
/// (Truto normalises its own `message` by walking the same kind of list).
const MESSAGE_KEYS: [&str; 8] = [
    "message",
    "msg",
    "errorMessage",
    "error_description",
    "description",
    "detail",
    "summary",
    "error",
];

/// The longest CRM message taken from `raw_response`, in UTF-8 bytes.
const MAX_MESSAGE_BYTES: usize = 1000;

/// Reads Truto's error details from an error body, and the CRM's own message
/// from its `raw_response`. Anything missing or of another shape is left out,
/// never an error: these bodies come from outside. The account flags
/// (`needs_reauth`, `read_only_account`) depend on the call; they are left
/// `false` here.
pub fn details(body: &Json) -> (TrutoDetails, Option<String>) {
    let insight = body
        .member("truto_error_insight")
        .filter(JsonExt::is_object);
    let insight = insight.as_ref();
    let mut missing_fields = Vec::new();
    for key in MISSING {
        missing_fields.extend(strings(value_of(insight, key).as_ref()));
    }
    let scopes = value_of(insight, "forbidden_error").and_then(|v| v.member("missing_scopes"));
    let details = TrutoDetails {
        is_remote_error: body
            .member("truto_is_remote_error")
            .and_then(|v| v.boolean()),
        missing_fields,
        missing_scopes: strings(scopes.as_ref()),
        ..TrutoDetails::default()
    };
    let remote_message = body.member("raw_response").as_ref().and_then(message_of);
    (details, remote_message)
}

/// The `value` of the insight's entry `key`.
fn value_of(insight: Option<&Json>, key: &str) -> Option<Json> {
    insight?.member(key)?.member("value")
}

/// The non-empty strings of an array (other items skipped).
fn strings(list: Option<&Json>) -> Vec<String> {
    let mut out = Vec::new();
    let Some(list) = list else { return out };
    for i in 0..list.array_len().unwrap_or(0) {
        if let Some(s) = list.at(i).and_then(|item| item.string()) {
            if !s.is_empty() {
                out.push(s);
            }
        }
    }
    out
}

/// A CRM's message: the body itself when it is text, else the first
/// non-empty message key, looking one level into `error` and `errors[0]`.
fn message_of(raw: &Json) -> Option<String> {
    if let Some(text) = raw.string() {
        return short(&text);
    }
    for key in MESSAGE_KEYS {
        if let Some(text) = raw.string_at(key).as_deref().and_then(short) {
            return Some(text);
        }
    }
    let nested = raw.member("error").or_else(|| raw.member("errors")?.at(0));
    nested.as_ref().and_then(message_of)
}

/// `text` trimmed, unless it is empty or too long to be a message (a CRM may
/// answer an HTML page).
fn short(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty() && text.len() <= MAX_MESSAGE_BYTES).then(|| text.to_owned())
}

#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn missing_fields_are_the_names_query_first() {
        let body = json!({
            "truto_error_insight": {
                "missing_required_body_fields": { "description": "d", "value": ["subject", "contact"] },
                "missing_required_query_parameters": { "description": "d", "value": ["integrated_account_id"] },
                "conditionally_required_body_fields": { "description": "d", "value": { "due_date": "when task" } },
            }
        });
        let (d, _) = details(&body);
        assert_eq!(
            d.missing_fields,
            ["integrated_account_id", "subject", "contact"]
        );
        assert!(d.missing_scopes.is_empty());
    }

    #[test]
    fn missing_scopes_come_from_the_forbidden_error() {
        let body = json!({
            "truto_is_remote_error": true,
            "truto_error_insight": {
                "forbidden_error": { "description": "d", "value": { "missing_scopes": ["crm.objects.write", 7, ""] } }
            }
        });
        let (d, _) = details(&body);
        assert_eq!(d.missing_scopes, ["crm.objects.write"]);
        assert_eq!(d.is_remote_error, Some(true));
    }

    #[test]
    fn odd_shapes_give_nothing_and_never_fail() {
        for body in [
            json!({}),
            json!({ "truto_error_insight": "a string" }),
            json!({ "truto_error_insight": { "missing_required_body_fields": "subject" } }),
            json!({ "truto_error_insight": { "missing_required_body_fields": { "value": { "a": 1 } } } }),
            json!({ "truto_error_insight": { "forbidden_error": { "value": ["x"] } } }),
            json!({ "raw_response": null }),
            json!({ "raw_response": { "message": "  " } }),
            json!({ "raw_response": 42 }),
            json!([1, 2]),
        ] {
            let (d, message) = details(&body);
            assert!(
                d.missing_fields.is_empty() && d.missing_scopes.is_empty(),
                "{body}"
            );
            assert_eq!(message, None, "{body}");
        }
    }

    #[test]
    fn the_crm_message_is_found_where_crms_put_it() {
        let cases = [
            (json!("Service unavailable"), "Service unavailable"),
            (
                json!({ "message": "Property values were not valid" }),
                "Property values were not valid",
            ),
            (
                json!({ "status": "error", "msg": "bad owner" }),
                "bad owner",
            ),
            (
                json!({ "error": { "message": "token expired" } }),
                "token expired",
            ),
            (
                json!({ "error": "invalid_grant", "error_description": "refresh token revoked" }),
                "refresh token revoked",
            ),
            (
                json!({ "errors": [{ "field": "email", "message": "Email is invalid" }] }),
                "Email is invalid",
            ),
        ];
        for (raw, want) in cases {
            let (_, message) = details(&json!({ "message": "", "raw_response": raw }));
            assert_eq!(message.as_deref(), Some(want), "{raw}");
        }
        let page = format!("<html>{}</html>", "x".repeat(MAX_MESSAGE_BYTES));
        let (_, message) = details(&json!({ "raw_response": page }));
        assert_eq!(message, None, "a page is not a message");
        let (_, message) = details(&json!({ "raw_response": "x".repeat(MAX_MESSAGE_BYTES) }));
        assert_eq!(message.map(|m| m.len()), Some(MAX_MESSAGE_BYTES));
    }
}
