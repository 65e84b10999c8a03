//! Reading the JavaScript API's own option objects (a plain JS value, see
//! [`super::fields::plain`]) into typed structs, without serde. Unknown keys
//! are refused, and a value of the wrong type is a `validation` error naming
//! its path (`options.timeoutMs`). The core's request types (queries, bodies)
//! are not read into structs at all: they are checked against their wire
//! description (`crate::wire::check`).

use crate::error::Error;
use crate::json::Json;
use crate::wire::{unknown, wrong, Path};
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use super::options::{
    DevRevClientOptions, Headers, ListAllOptions, RequestOptions, TrutoClientOptions,
};

/// A value read from JavaScript.
pub trait FromJs: Sized {
    /// Reads `v`; `path` names it in errors.
    fn from_js(v: &JsValue, path: &Path<'_>) -> Result<Self, Error>;
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

/// `FromJs` for a struct, from its fields' JavaScript names.
///
/// Each field gets a tiny setter (read, then assign) in a table that one
/// loop ([`read_fields`]) walks: inlining every field's read and error path
/// into one function cost about 150 bytes per field.
macro_rules! from_js_struct {
    ($ty:ident { $($field:ident = $wire:literal),* $(,)? }) => {
        impl FromJs for $ty {
            #[inline(never)]
            fn from_js(v: &JsValue, path: &Path<'_>) -> Result<Self, Error> {
                const FIELDS: &[(&str, Setter<$ty>)] = &[$(
                    ($wire, |out, v, path| {
                        out.$field = FromJs::from_js(v, path)?;
                        Ok(())
                    }),
                )*];
                read_fields(v, path, FIELDS)
            }
        }
        // Compiles only if every field of the struct is listed above.
        const _: fn($ty) = |value| {
            let $ty { $($field: _),* } = value;
        };
    };
}

/// Reads field `v[name]` (at `path`) into a struct.
type Setter<T> = fn(&mut T, &JsValue, &Path<'_>) -> Result<(), Error>;

/// Reads a plain object with no keys but those of `fields` into a default
/// `T`, field by field: assigned one by one, so an error drops one value, not
/// every field read so far (quadratic drop code).
fn read_fields<T: Default>(
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
