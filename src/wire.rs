//! The machinery of the request types on the wire: one field list per type,
//! checked and written as JSON with the same code on every target. The lists
//! themselves are in each provider's folder (`truto/wire.rs`, `devrev/wire.rs`).
//!
//! `wire_struct!` lists a type's wire fields once, in order, with their Rust
//! types. From that list come:
//! - [`ToJson`]: the typed value (the Rust API) as the JSON that is sent;
//! - [`Wire::KIND`]: a static description of the fields, from which [`check`]
//!   checks and cleans untyped input (what JavaScript passes) into the same
//!   JSON, field order included. No per-type code: in the wasm build a reader
//!   per type cost about 200 bytes per field.
//!
//! Every operation then works on that JSON (see `crate::validate` and each
//! provider's `validate`), so a Rust caller and a JavaScript caller run the
//! same checks and send the same bytes, and the native golden tests cover both. Absent optional fields and `null`
//! ones are left out; a field marked `nullable` keeps `null` (it clears the
//! value, e.g. DevRev's `scheduled_date`).

use crate::error::Error;
use crate::json::{Json, JsonExt};

/// Where a value sits in the caller's argument (`body.contact[0].id`), kept
/// as borrowed links and written out only when an error needs it.
#[derive(Clone, Copy, Debug)]
pub enum Path<'a> {
    /// The argument itself: `query`, `body`, `options`...
    Root(&'a str),
    /// A field of an object.
    Key(&'a Path<'a>, &'a str),
    /// An item of an array.
    Index(&'a Path<'a>, usize),
}

impl Path<'_> {
    fn write(&self, out: &mut String) {
        match self {
            Path::Root(name) => out.push_str(name),
            Path::Key(parent, key) => {
                parent.write(out);
                out.push('.');
                out.push_str(key);
            }
            Path::Index(parent, i) => {
                parent.write(out);
                out.push_str(&format!("[{i}]"));
            }
        }
    }

    /// The argument's name: `query`, `body`...
    pub fn root(&self) -> &str {
        match self {
            Path::Root(name) => name,
            Path::Key(parent, _) | Path::Index(parent, _) => parent.root(),
        }
    }

    /// The path as text: `body.contact[0].id`.
    pub fn text(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }
}

/// A wrong-type error at `path`: `query.limit must be a number`, code
/// `invalid_query` (after the argument's name).
#[cold]
#[inline(never)]
pub fn wrong(path: &Path<'_>, expected: &str) -> Error {
    let at = path.text();
    let message = format!("{at} must be {expected}");
    Error::validation(&format!("invalid_{}", path.root()), Some(&at), message)
}

/// An unknown-field error: `unknown query field `x`; expected one of: ...`.
#[cold]
#[inline(never)]
pub fn unknown(path: &Path<'_>, name: &str, fields: &[&str]) -> Error {
    let what = path.root();
    Error::validation(
        &format!("invalid_{what}"),
        Some(&Path::Key(path, name).text()),
        format!(
            "unknown {what} field `{name}`; expected one of: {}",
            fields.join(", ")
        ),
    )
}

/// What a wire field holds.
#[derive(Debug)]
pub enum Kind {
    /// A string.
    Str,
    /// A boolean.
    Bool,
    /// A whole number from 0 to `u32::MAX`.
    U32,
    /// Any number.
    Number,
    /// An object of strings (headers).
    StrMap,
    /// Any JSON, passed on as is.
    Any,
    /// A string, or `null` to clear the field.
    NullableStr,
    /// One of these strings.
    Enum(&'static [&'static str], &'static str),
    /// An array of one kind.
    Array(&'static Kind),
    /// An object with these fields (name, kind, required), in order; other
    /// keys are refused.
    Object(&'static [(&'static str, Kind, bool)]),
}

/// A type that has a wire form.
pub trait Wire {
    /// Its wire form.
    const KIND: Kind;
    /// Whether a field of this type must be given (`Option` fields need not).
    const REQUIRED: bool = true;
}

impl Wire for String {
    const KIND: Kind = Kind::Str;
}
impl Wire for bool {
    const KIND: Kind = Kind::Bool;
}
impl Wire for u32 {
    const KIND: Kind = Kind::U32;
}
impl Wire for Json {
    const KIND: Kind = Kind::Any;
}
impl<T: Wire> Wire for Vec<T> {
    const KIND: Kind = Kind::Array(&T::KIND);
}
/// Every wire field is optional: absent and `null` are the same.
impl<T: Wire> Wire for Option<T> {
    const KIND: Kind = T::KIND;
    const REQUIRED: bool = false;
}

/// Checks untyped input against `kind` and returns it cleaned: objects keep
/// only their wire fields, in the wire order, without absent or `null` ones.
///
/// # Errors
/// `validation` (code `invalid_<argument>`) naming the first field, in wire
/// order, of the wrong type; or the first unknown key.
pub fn check(value: &Json, kind: &Kind, path: &Path<'_>) -> Result<Json, Error> {
    let ok = match kind {
        Kind::Str | Kind::NullableStr => value.is_string(),
        Kind::Bool => value.boolean().is_some(),
        Kind::U32 => value
            .number()
            .is_some_and(|n| n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&n)),
        Kind::Number => value.number().is_some(),
        Kind::Any => true,
        Kind::StrMap => return check_str_map(value, path),
        Kind::Enum(values, _) => value.string().is_some_and(|s| values.contains(&s.as_str())),
        Kind::Array(item) => {
            let items = value.items().ok_or_else(|| wrong(path, "an array"))?;
            let mut out = Vec::with_capacity(items.len());
            for (i, v) in items.iter().enumerate() {
                out.push(check(v, item, &Path::Index(path, i))?);
            }
            return Ok(Json::array(out));
        }
        Kind::Object(fields) => return check_object(value, fields, path),
    };
    if ok {
        return Ok(value.clone());
    }
    Err(wrong(path, expected(kind)))
}

/// What a value of `kind` must be, for error messages.
fn expected(kind: &Kind) -> &'static str {
    match kind {
        Kind::Str | Kind::NullableStr => "a string",
        Kind::Bool => "a boolean",
        Kind::U32 => "a whole number from 0 to 4294967295",
        Kind::Number => "a number",
        Kind::StrMap => "an object of strings",
        Kind::Enum(_, expected) => expected,
        Kind::Array(_) => "an array",
        Kind::Object(_) | Kind::Any => "an object",
    }
}

#[inline(never)]
fn check_object(
    value: &Json,
    fields: &'static [(&'static str, Kind, bool)],
    path: &Path<'_>,
) -> Result<Json, Error> {
    let given = value.entries().ok_or_else(|| wrong(path, "an object"))?;
    for (key, v) in &given {
        if !fields.iter().any(|(name, ..)| name == key) && !v.is_undefined() {
            let names: Vec<&str> = fields.iter().map(|(name, ..)| *name).collect();
            return Err(unknown(path, key, &names));
        }
    }
    let mut out = Vec::new();
    for (name, kind, required) in fields {
        let nullable = matches!(kind, Kind::NullableStr);
        let given = given
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, v)| v)
            .filter(|v| !v.is_undefined() && (nullable || !v.is_null()));
        let at = Path::Key(path, name);
        let v = match given {
            None if *required => return Err(wrong(&at, expected(kind))),
            None => continue,
            Some(v) if v.is_null() => v.clone(),
            Some(v) => check(v, kind, &at)?,
        };
        out.push((*name, v));
    }
    Ok(Json::object(out))
}

#[inline(never)]
fn check_str_map(value: &Json, path: &Path<'_>) -> Result<Json, Error> {
    let given = value
        .entries()
        .ok_or_else(|| wrong(path, "an object of strings"))?;
    let mut out = Vec::with_capacity(given.len());
    for (key, v) in &given {
        if v.is_undefined() {
            continue;
        }
        if !v.is_string() {
            return Err(wrong(&Path::Key(path, key), "a string"));
        }
        out.push((key.as_str(), v.clone()));
    }
    Ok(Json::object(out))
}

/// `object` (the wire form of a value of kind `Object`) with field `key` set
/// to `value`, or removed for `None`, keeping the wire order.
pub fn with_field(object: &Json, kind: &Kind, key: &str, value: Option<Json>) -> Json {
    let Kind::Object(fields) = kind else {
        return object.clone();
    };
    // The given fields are read once (in JavaScript, one crossing per key
    // given rather than one per field the kind could have).
    let given = object.entries().unwrap_or_default();
    let mut value = value;
    let mut out = Vec::with_capacity(given.len() + 1);
    for (name, ..) in *fields {
        let v = if *name == key {
            value.take()
        } else {
            given
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        };
        if let Some(v) = v {
            out.push((*name, v));
        }
    }
    Json::object(out)
}

/// Whether `camel` is `snake` in camelCase, as serde's `rename_all =
/// "camelCase"` spells a snake_case field name (`on_retry` -> `onRetry`).
/// A `const fn`: the JavaScript option types (`src/wasm/options.rs`) check
/// at compile time that each wire name they list is their field's.
pub const fn is_camel_case_of(snake: &str, camel: &str) -> bool {
    let (snake, camel) = (snake.as_bytes(), camel.as_bytes());
    let (mut i, mut j) = (0, 0);
    let mut upper = false;
    while i < snake.len() {
        let b = snake[i];
        i += 1;
        if b == b'_' {
            upper = true;
            continue;
        }
        let want = if upper { b.to_ascii_uppercase() } else { b };
        upper = false;
        if j == camel.len() || camel[j] != want {
            return false;
        }
        j += 1;
    }
    j == camel.len()
}

/// A value that can be written as JSON.
pub trait ToJson {
    /// This value as JSON.
    fn to_json(&self) -> Json;
}

/// A struct field: written under its name, or left out when absent.
pub trait Field {
    /// Appends `(name, value)` to `out` unless the field is absent.
    fn put(&self, name: &'static str, out: &mut Vec<(&'static str, Json)>);
}

impl ToJson for String {
    fn to_json(&self) -> Json {
        Json::text(self)
    }
}

impl ToJson for bool {
    fn to_json(&self) -> Json {
        Json::from_bool(*self)
    }
}

impl ToJson for u32 {
    fn to_json(&self) -> Json {
        Json::from_u32(*self)
    }
}

impl ToJson for Json {
    fn to_json(&self) -> Json {
        self.clone()
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn to_json(&self) -> Json {
        Json::array(self.iter().map(ToJson::to_json).collect())
    }
}

/// `None` is `null` here: as a field, an outer `None` is left out instead.
impl<T: ToJson> ToJson for Option<T> {
    fn to_json(&self) -> Json {
        self.as_ref().map_or_else(Json::null, ToJson::to_json)
    }
}

impl<T: ToJson> Field for Option<T> {
    fn put(&self, name: &'static str, out: &mut Vec<(&'static str, Json)>) {
        if let Some(value) = self {
            out.push((name, value.to_json()));
        }
    }
}

impl Field for String {
    fn put(&self, name: &'static str, out: &mut Vec<(&'static str, Json)>) {
        out.push((name, Json::text(self)));
    }
}

/// Lists a struct's wire fields once, in order: `field: Type = "wire_name"`,
/// with `nullable` for a field whose `null` is sent (it clears the value).
/// Gives [`ToJson`] and [`Wire`]. Each provider lists its own types in its
/// folder (`truto/wire.rs`, `devrev/wire.rs`).
macro_rules! wire_struct {
    ($ty:ident { $($field:ident: $fty:ty = $wire:literal $($nullable:ident)?),* $(,)? }) => {
        impl $crate::wire::ToJson for $ty {
            fn to_json(&self) -> $crate::json::Json {
                let mut out = Vec::new();
                $($crate::wire::Field::put(&self.$field, $wire, &mut out);)*
                $crate::json::JsonExt::object(out)
            }
        }
        impl $crate::wire::Wire for $ty {
            const KIND: $crate::wire::Kind = $crate::wire::Kind::Object(&[$(
                (
                    $wire,
                    $crate::wire::wire_struct!(@kind $fty $(, $nullable)?),
                    <$fty as $crate::wire::Wire>::REQUIRED,
                ),
            )*]);
        }
        // Compiles only if every field of the struct is listed, with its type.
        const _: fn($ty) = |value| {
            let $ty { $($field),* } = value;
            $(let _: $fty = $field;)*
        };
    };
    (@kind $fty:ty) => { <$fty as $crate::wire::Wire>::KIND };
    (@kind $fty:ty, nullable) => { $crate::wire::Kind::NullableStr };
}
pub(crate) use wire_struct;

#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))]
mod tests {
    use super::*;
    use crate::devrev::model::{DevRevSetIds, DevRevUpdate};
    use crate::truto::model::ListQuery;
    use serde_json::json;

    fn checked<T: Wire>(value: serde_json::Value, root: &str) -> Result<Json, Error> {
        check(&value, &T::KIND, &Path::Root(root))
    }

    #[test]
    fn input_comes_out_in_wire_order_without_absent_or_null_fields() {
        let q = checked::<ListQuery>(
            json!({"limit": 5, "subject": null, "truto_exclude_fields": ["a"], "engagement_type": "call"}),
            "query",
        )
        .unwrap();
        assert_eq!(
            q.to_string(),
            r#"{"engagement_type":"call","limit":5,"truto_exclude_fields":["a"]}"#
        );
        // The same bytes as the typed value's wire form.
        let typed = ListQuery {
            engagement_type: Some("call".into()),
            limit: Some(5),
            truto_exclude_fields: Some(vec!["a".into()]),
            ..ListQuery::default()
        };
        assert_eq!(typed.to_json(), q);
    }

    #[test]
    fn wrong_types_and_unknown_keys_name_the_field() {
        let cases = [
            (
                json!({"limit": "5"}),
                "query.limit",
                "a whole number from 0 to 4294967295",
            ),
            (json!({"limit": 1.5}), "query.limit", "a whole number"),
            (json!({"limit": -1}), "query.limit", "a whole number"),
            (
                json!({"account": {"id": 3}}),
                "query.account.id",
                "a string",
            ),
            (json!({"account": {}}), "query.account.id", "a string"),
            (json!({"account": []}), "query.account", "an object"),
            (
                json!({"truto_exclude_fields": "a"}),
                "query.truto_exclude_fields",
                "an array",
            ),
            (
                json!({"truto_exclude_fields": ["a", 1]}),
                "query.truto_exclude_fields[1]",
                "a string",
            ),
            (
                json!({"truto_response_format": "csv"}),
                "query.truto_response_format",
                "one of unified, raw",
            ),
            (
                json!({"truto_ignore_limit": "yes"}),
                "query.truto_ignore_limit",
                "a boolean",
            ),
            (
                json!({"nope": 1}),
                "query.nope",
                "unknown query field `nope`; expected one of: integrated_account_id,",
            ),
            (json!([1]), "query", "an object"),
        ];
        for (input, field, message) in cases {
            let e = checked::<ListQuery>(input.clone(), "query").unwrap_err();
            assert_eq!(e.kind(), crate::ErrorKind::Validation, "{input}");
            assert_eq!(e.code(), Some("invalid_query"), "{input}");
            assert_eq!(e.field(), Some(field), "{input}");
            assert!(e.message().contains(message), "{input}: {}", e.message());
        }
    }

    #[test]
    fn nullable_fields_keep_null_and_others_drop_it() {
        let b = checked::<DevRevUpdate>(
            json!({"id": "E-1", "scheduled_date": null, "title": null, "members": {"set": ["DEVU-1"]}}),
            "body",
        )
        .unwrap();
        assert_eq!(
            b.to_string(),
            r#"{"id":"E-1","scheduled_date":null,"members":{"set":["DEVU-1"]}}"#
        );
        let typed = DevRevUpdate {
            id: Some("E-1".into()),
            scheduled_date: Some(None),
            members: Some(DevRevSetIds {
                set: Some(vec!["DEVU-1".into()]),
            }),
            ..DevRevUpdate::default()
        };
        assert_eq!(typed.to_json(), b);
    }

    #[test]
    fn with_field_sets_and_removes_in_wire_order() {
        let q =
            checked::<ListQuery>(json!({"limit": 5, "engagement_type": "call"}), "query").unwrap();
        let kind = &<ListQuery as Wire>::KIND;
        let with = with_field(&q, kind, "integrated_account_id", Some(Json::text("acc")));
        assert_eq!(
            with.to_string(),
            r#"{"integrated_account_id":"acc","engagement_type":"call","limit":5}"#
        );
        let with = with_field(&with, kind, "next_cursor", Some(Json::text("c")));
        assert_eq!(
            with.to_string(),
            r#"{"integrated_account_id":"acc","engagement_type":"call","limit":5,"next_cursor":"c"}"#
        );
        assert_eq!(
            with_field(&with, kind, "next_cursor", None).member("next_cursor"),
            None
        );
    }
    #[test]
    fn camel_case_is_serdes() {
        // The option fields of the JavaScript API (src/wasm/options.rs),
        // named by serde's own `rename_all = "camelCase"`.
        #[derive(Default, serde::Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Fields {
            token: u8,
            integrated_account_id: u8,
            base_url: u8,
            timeout_ms: u8,
            max_retries: u8,
            fetch: u8,
            headers: u8,
            on_retry: u8,
            signal: u8,
            deadline_ms: u8,
            idempotency_key: u8,
            max_items: u8,
        }
        let snake = [
            "token",
            "integrated_account_id",
            "base_url",
            "timeout_ms",
            "max_retries",
            "fetch",
            "headers",
            "on_retry",
            "signal",
            "deadline_ms",
            "idempotency_key",
            "max_items",
        ];
        let json = serde_json::to_value(Fields::default()).unwrap();
        let camel: Vec<&String> = json.as_object().unwrap().keys().collect();
        assert_eq!(camel.len(), snake.len());
        for (snake, camel) in snake.iter().zip(camel) {
            assert!(is_camel_case_of(snake, camel), "{snake} -> {camel}");
        }
        for (snake, camel) in [
            ("on_retry", "on_retry"),
            ("on_retry", "onretry"),
            ("on_retry", "OnRetry"),
            ("on_retry", "onRetryX"),
            ("on_retry", "onRetr"),
            ("base_url", "baseURL"),
        ] {
            assert!(!is_camel_case_of(snake, camel), "{snake} -> {camel}");
        }
    }
}
