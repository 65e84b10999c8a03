//! Reading caller input (a plain JS value, see [`super::fields::plain`]) into
//! the core's typed structs, without serde: serde-wasm-bindgen's per-type
//! deserializers were a sixth of the binary. Each struct lists its wire fields
//! once (an exhaustive pattern makes the compiler check the list is complete),
//! unknown keys are refused, and a value of the wrong type is a `validation`
//! error naming its path (`query.limit`).

use crate::error::Error;
use crate::json::Json;
use crate::truto::model::ResponseFormat;
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use super::options::{
    DevRevClientOptions, Headers, ListAllOptions, RequestOptions, TrutoClientOptions,
};

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
                out.push('[');
                out.push_str(&i.to_string());
                out.push(']');
            }
        }
    }

    fn root(&self) -> &str {
        match self {
            Path::Root(name) => name,
            Path::Key(parent, _) | Path::Index(parent, _) => parent.root(),
        }
    }

    fn text(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }
}

/// A value read from JavaScript.
pub trait FromJs: Sized {
    /// Reads `v`; `path` names it in errors.
    fn from_js(v: &JsValue, path: &Path<'_>) -> Result<Self, Error>;
}

/// A wrong-type error at `path` (its root says what: query, body...).
#[cold]
#[inline(never)]
fn wrong(path: &Path<'_>, expected: &str) -> Error {
    let at = path.text();
    let mut message = at.clone();
    message.push_str(" must be ");
    message.push_str(expected);
    Error::validation(
        &(String::from("invalid_") + path.root()),
        Some(&at),
        message,
    )
}

/// `v[key]`, `undefined` when absent or when reading it throws.
#[inline(never)]
pub(crate) fn member(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn is_plain_object(v: &JsValue) -> bool {
    v.is_object() && !Array::is_array(v) && !v.is_function()
}

/// Refuses keys (with a defined value) that the struct does not have.
#[inline(never)]
fn reject_unknown<F>(v: &JsValue, fields: &[(&str, F)], path: &Path<'_>) -> Result<(), Error> {
    let keys = Object::keys(v.unchecked_ref::<Object>());
    for key in keys.iter() {
        let Some(name) = key.as_string() else {
            continue;
        };
        if fields.iter().any(|(f, _)| *f == name) || member(v, &name).is_undefined() {
            continue;
        }
        let names: Vec<&str> = fields.iter().map(|(f, _)| *f).collect();
        return Err(unknown(path, &name, &names));
    }
    Ok(())
}

#[cold]
#[inline(never)]
fn unknown(path: &Path<'_>, name: &str, fields: &[&str]) -> Error {
    let what = path.root();
    let mut message = String::from("unknown ");
    message.push_str(what);
    message.push_str(" field `");
    message.push_str(name);
    message.push_str("`; expected one of: ");
    message.push_str(&fields.join(", "));
    Error::validation(
        &(String::from("invalid_") + what),
        Some(&Path::Key(path, name).text()),
        message,
    )
}

impl FromJs for String {
    #[inline(never)]
    fn from_js(v: &JsValue, path: &Path<'_>) -> Result<Self, Error> {
        v.as_string().ok_or_else(|| wrong(path, "a string"))
    }
}

impl FromJs for bool {
    #[inline(never)]
    fn from_js(v: &JsValue, path: &Path<'_>) -> Result<Self, Error> {
        v.as_bool().ok_or_else(|| wrong(path, "a boolean"))
    }
}

impl FromJs for f64 {
    #[inline(never)]
    fn from_js(v: &JsValue, path: &Path<'_>) -> Result<Self, Error> {
        v.as_f64().ok_or_else(|| wrong(path, "a number"))
    }
}

impl FromJs for u32 {
    #[inline(never)]
    fn from_js(v: &JsValue, path: &Path<'_>) -> Result<Self, Error> {
        match v.as_f64() {
            Some(n) if n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&n) => Ok(n as u32),
            _ => Err(wrong(path, "a whole number from 0 to 4294967295")),
        }
    }
}

impl FromJs for Json {
    #[inline(never)]
    fn from_js(v: &JsValue, _path: &Path<'_>) -> Result<Self, Error> {
        Ok(Json(v.clone()))
    }
}

impl<T: FromJs> FromJs for Option<T> {
    #[inline(never)]
    fn from_js(v: &JsValue, path: &Path<'_>) -> Result<Self, Error> {
        if v.is_undefined() || v.is_null() {
            return Ok(None);
        }
        T::from_js(v, path).map(Some)
    }
}

impl<T: FromJs> FromJs for Vec<T> {
    #[inline(never)]
    fn from_js(v: &JsValue, path: &Path<'_>) -> Result<Self, Error> {
        let array = v
            .dyn_ref::<Array>()
            .ok_or_else(|| wrong(path, "an array"))?;
        let mut out = Vec::with_capacity(array.length() as usize);
        for (i, item) in array.iter().enumerate() {
            out.push(T::from_js(&item, &Path::Index(path, i))?);
        }
        Ok(out)
    }
}

impl FromJs for Headers {
    #[inline(never)]
    fn from_js(v: &JsValue, path: &Path<'_>) -> Result<Self, Error> {
        if !is_plain_object(v) {
            return Err(wrong(path, "an object of strings"));
        }
        let mut out = Vec::new();
        for key in Object::keys(v.unchecked_ref::<Object>()).iter() {
            let Some(name) = key.as_string() else {
                continue;
            };
            let value = member(v, &name);
            if value.is_undefined() {
                continue;
            }
            let value = String::from_js(&value, &Path::Key(path, &name))?;
            out.push((name, value));
        }
        Ok(Headers(out))
    }
}

impl FromJs for ResponseFormat {
    #[inline(never)]
    fn from_js(v: &JsValue, path: &Path<'_>) -> Result<Self, Error> {
        match v.as_string().as_deref() {
            Some("unified") => Ok(ResponseFormat::Unified),
            Some("raw") => Ok(ResponseFormat::Raw),
            Some("normalized") => Ok(ResponseFormat::Normalized),
            Some("stream") => Ok(ResponseFormat::Stream),
            _ => Err(wrong(path, "one of unified, raw, normalized, stream")),
        }
    }
}

/// `null` clears the field (`Some(None)`); absent is `None`.
#[inline(never)]
pub(crate) fn nullable_string(
    v: &JsValue,
    path: &Path<'_>,
) -> Result<Option<Option<String>>, Error> {
    if v.is_undefined() {
        return Ok(None);
    }
    if v.is_null() {
        return Ok(Some(None));
    }
    String::from_js(v, path).map(|s| Some(Some(s)))
}

/// `FromJs` for a struct whose wire fields are listed (see `crate::wire`).
///
/// Each field gets a tiny setter (read, then assign) in a table that one
/// loop ([`read_fields`]) walks: inlining every field's read and error path
/// into one function cost about 150 bytes per field.
macro_rules! from_js_struct {
    ($ty:ident { $($field:ident = $wire:literal $(via $reader:path)?),* $(,)? }) => {
        impl $crate::wasm::from_js::FromJs for $ty {
            #[inline(never)]
            fn from_js(
                v: &::wasm_bindgen::JsValue,
                path: &$crate::wasm::from_js::Path<'_>,
            ) -> Result<Self, $crate::error::Error> {
                use $crate::wasm::from_js::Setter;
                const FIELDS: &[(&str, Setter<$ty>)] = &[$(
                    ($wire, |out, v, path| {
                        out.$field = $crate::wasm::from_js::from_js_struct!(@read v, path $(, $reader)?);
                        Ok(())
                    }),
                )*];
                $crate::wasm::from_js::read_fields(v, path, FIELDS)
            }
        }
    };
    (@read $v:ident, $path:ident) => {
        $crate::wasm::from_js::FromJs::from_js($v, $path)?
    };
    (@read $v:ident, $path:ident, $reader:path) => {
        $reader($v, $path)?
    };
}
pub(crate) use from_js_struct;

/// Reads field `v[name]` (at `path`) into a struct.
pub(crate) type Setter<T> = fn(&mut T, &JsValue, &Path<'_>) -> Result<(), Error>;

/// Reads a plain object with no keys but those of `fields` into a default
/// `T`, field by field: assigned one by one, so an error drops one value, not
/// every field read so far (quadratic drop code).
pub(crate) fn read_fields<T: Default>(
    v: &JsValue,
    path: &Path<'_>,
    fields: &[(&str, Setter<T>)],
) -> Result<T, Error> {
    if !is_plain_object(v) {
        return Err(wrong(path, "an object"));
    }
    reject_unknown(v, fields, path)?;
    let mut out = T::default();
    for (name, set) in fields {
        set(&mut out, &member(v, name), &Path::Key(path, name))?;
    }
    Ok(out)
}

// The core's request types get theirs from `crate::wire`; these are the
// JavaScript API's own option objects.
from_js_struct!(TrutoClientOptions {
    token = "token", integrated_account_id = "integratedAccountId", base_url = "baseUrl",
    timeout_ms = "timeoutMs", max_retries = "maxRetries", fetch = "fetch",
    headers = "headers", on_retry = "onRetry",
});
from_js_struct!(DevRevClientOptions {
    token = "token", base_url = "baseUrl", timeout_ms = "timeoutMs",
    max_retries = "maxRetries", fetch = "fetch", headers = "headers", on_retry = "onRetry",
});
from_js_struct!(RequestOptions {
    signal = "signal", timeout_ms = "timeoutMs", max_retries = "maxRetries",
    deadline_ms = "deadlineMs", idempotency_key = "idempotencyKey", headers = "headers",
    on_retry = "onRetry",
});
from_js_struct!(ListAllOptions {
    signal = "signal", timeout_ms = "timeoutMs", max_retries = "maxRetries",
    deadline_ms = "deadlineMs", headers = "headers", on_retry = "onRetry",
    max_items = "maxItems",
});
