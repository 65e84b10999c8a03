//! The query-string encoder of Truto's APIs.
//!
//! Scalars as they are (booleans `true`/`false`), arrays as repeated `name[]=v`,
//! objects as `name[key]=v` (nested: `name[a][b]=v`); an array holding objects
//! uses indices (`name[0][id]=v`). Every key segment and every value is
//! percent-encoded (RFC 3986 unreserved characters stay); the brackets that give
//! the structure stay literal, as Truto documents them. `null`, absent values,
//! empty arrays and empty objects send nothing.

use crate::error::Error;
use crate::json::{Json, JsonExt};

/// How deep parameters may nest (`a[b][c]...`). Deeper input (or a cycle) is
/// refused instead of recursing until the wasm stack overflows, which traps.
pub const MAX_DEPTH: usize = 16;

/// Encodes a JSON object of parameters as a query string (no leading `?`).
///
/// # Errors
/// `validation` (code `invalid_query`) when the value is not an object,
/// nests deeper than [`MAX_DEPTH`] or holds a number that is not finite.
pub fn encode(params: &Json) -> Result<String, Error> {
    let entries = params.entries().ok_or_else(|| {
        Error::validation(
            "invalid_query",
            Some("query"),
            "the query must be an object",
        )
    })?;
    let mut out = String::new();
    for (key, value) in entries {
        let mut name = String::new();
        push_encoded(&mut name, &key);
        push_value(&mut out, &name, &value, &key, 0)?;
    }
    Ok(out)
}

fn push_value(
    out: &mut String,
    name: &str,
    value: &Json,
    path: &str,
    depth: usize,
) -> Result<(), Error> {
    if value.is_null() {
        return Ok(());
    }
    if depth > MAX_DEPTH {
        return Err(Error::validation(
            "invalid_query",
            Some(&format!("query.{path}")),
            format!("query parameter `{path}` nests deeper than {MAX_DEPTH} levels (or is cyclic)"),
        ));
    }
    if let Some(items) = value.items() {
        let nested = items.iter().any(|v| v.is_object() || v.items().is_some());
        for (i, item) in items.iter().enumerate() {
            let child = if nested {
                format!("{name}[{i}]")
            } else {
                format!("{name}[]")
            };
            push_value(out, &child, item, path, depth + 1)?;
        }
        return Ok(());
    }
    if let Some(entries) = value.entries() {
        for (key, item) in entries {
            let mut child = String::with_capacity(name.len() + key.len() + 2);
            child.push_str(name);
            child.push('[');
            push_encoded(&mut child, &key);
            child.push(']');
            push_value(out, &child, &item, path, depth + 1)?;
        }
        return Ok(());
    }
    let text = scalar(value).ok_or_else(|| {
        Error::validation(
            "invalid_query",
            Some(&format!("query.{path}")),
            format!("query parameter `{path}` must be a string, a finite number or a boolean"),
        )
    })?;
    if !out.is_empty() {
        out.push('&');
    }
    out.push_str(name);
    out.push('=');
    push_encoded(out, &text);
    Ok(())
}

/// A scalar as query text; `None` for values that have no query form.
fn scalar(value: &Json) -> Option<String> {
    if let Some(s) = value.string() {
        return Some(s);
    }
    if let Some(b) = value.boolean() {
        return Some(if b { "true" } else { "false" }.to_owned());
    }
    value.number().and_then(format_number)
}

/// Formats a number as JavaScript would (`10`, not `10.0`); `None` if not finite.
pub fn format_number(n: f64) -> Option<String> {
    if !n.is_finite() {
        return None;
    }
    if n.fract() == 0.0 && n.abs() < 9_007_199_254_740_992.0 {
        // An integer that an i64 holds exactly.
        return Some((n as i64).to_string());
    }
    Some(fraction_text(n))
}

/// A non-integer as text. In wasm, JavaScript's own shortest form (and no
/// float formatter of Rust's in the binary).
#[cfg(target_arch = "wasm32")]
fn fraction_text(n: f64) -> String {
    js_sys::Number::from(n)
        .to_string_with_radix(10)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_default()
}

#[cfg(not(target_arch = "wasm32"))]
fn fraction_text(n: f64) -> String {
    n.to_string()
}

/// Appends `text` percent-encoded: RFC 3986 unreserved characters stay, every
/// other byte of its UTF-8 becomes `%XX`.
pub fn push_encoded(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in text.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 15) as usize] as char);
        }
    }
}

/// `text` percent-encoded as one path segment (`a/b` becomes `a%2Fb`).
pub fn encode_segment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_encoded(&mut out, text);
    out
}

#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))]
mod tests {
    use super::*;
    use serde_json::json;

    fn enc(v: serde_json::Value) -> String {
        encode(&v).unwrap()
    }

    #[test]
    fn scalars_as_they_are() {
        assert_eq!(
            enc(json!({"a": "x", "n": 10, "f": 1.5, "t": true, "b": false})),
            "a=x&n=10&f=1.5&t=true&b=false"
        );
    }

    #[test]
    fn arrays_repeat_with_empty_brackets() {
        assert_eq!(
            enc(json!({"truto_exclude_fields": ["id", "name"]})),
            "truto_exclude_fields[]=id&truto_exclude_fields[]=name"
        );
    }

    #[test]
    fn objects_nest_in_brackets() {
        assert_eq!(enc(json!({"account": {"id": "A1"}})), "account[id]=A1");
        assert_eq!(
            enc(json!({"remote_query": {"a": {"b": {"c": "d"}}, "list": [1, 2]}})),
            "remote_query[a][b][c]=d&remote_query[list][]=1&remote_query[list][]=2"
        );
    }

    #[test]
    fn arrays_of_objects_use_indices() {
        assert_eq!(
            enc(json!({"contact": [{"id": "c1"}, {"id": "c2"}]})),
            "contact[0][id]=c1&contact[1][id]=c2"
        );
    }

    #[test]
    fn empty_null_and_absent_send_nothing() {
        assert_eq!(
            enc(json!({"a": [], "b": {}, "c": null, "d": [null], "e": "x"})),
            "e=x"
        );
        assert_eq!(enc(json!({})), "");
    }

    #[test]
    fn reserved_characters_are_encoded_in_keys_and_values() {
        assert_eq!(
            enc(json!({"q": "a b&c=d/e?f#g%h+i[j]", "k&=": "v"})),
            "q=a%20b%26c%3Dd%2Fe%3Ff%23g%25h%2Bi%5Bj%5D&k%26%3D=v"
        );
        assert_eq!(
            enc(json!({"remote_query": {"a[b]": "c"}})),
            "remote_query[a%5Bb%5D]=c"
        );
    }

    #[test]
    fn unicode_is_utf8_percent_encoded() {
        assert_eq!(
            enc(json!({"subject": "Café ☕ 日本"})),
            "subject=Caf%C3%A9%20%E2%98%95%20%E6%97%A5%E6%9C%AC"
        );
        assert_eq!(enc(json!({"e": "😀"})), "e=%F0%9F%98%80");
    }

    #[test]
    fn unreserved_characters_stay() {
        assert_eq!(enc(json!({"a-b.c_d~e": "A-z.0_9~"})), "a-b.c_d~e=A-z.0_9~");
    }

    #[test]
    fn numbers_format_like_javascript() {
        assert_eq!(format_number(10.0).unwrap(), "10");
        assert_eq!(format_number(-3.0).unwrap(), "-3");
        assert_eq!(format_number(0.1).unwrap(), "0.1");
        assert_eq!(format_number(f64::NAN), None);
        assert_eq!(format_number(f64::INFINITY), None);
    }

    #[test]
    fn not_an_object_is_refused() {
        let e = encode(&json!([1, 2])).unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Validation);
        assert_eq!(e.code(), Some("invalid_query"));
    }

    #[test]
    fn deep_nesting_is_refused_not_recursed() {
        let mut v = json!("x");
        // (serde_json itself drops values recursively, so the test stays shallow.)
        for _ in 0..200 {
            v = json!({ "a": v });
        }
        let e = encode(&json!({ "remote_query": v })).unwrap_err();
        assert_eq!(e.code(), Some("invalid_query"));
        assert_eq!(e.field(), Some("query.remote_query"));
        let mut ok = json!("x");
        for _ in 0..MAX_DEPTH {
            ok = json!([ok]);
        }
        assert!(encode(&json!({ "q": ok })).is_ok());
    }

    #[test]
    fn path_segment_is_one_segment() {
        assert_eq!(encode_segment("a/b"), "a%2Fb");
        assert_eq!(encode_segment("../x?y#z%"), "..%2Fx%3Fy%23z%25");
        assert_eq!(encode_segment("eng_1"), "eng_1");
    }
}
