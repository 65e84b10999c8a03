//! Reading caller input (a plain JS value, see [`super::fields::plain`]) into
//! the core's typed structs, without serde: serde-wasm-bindgen's per-type
//! deserializers were a sixth of the binary. Each struct lists its wire fields
//! once (an exhaustive pattern makes the compiler check the list is complete),
//! unknown keys are refused, and a value of the wrong type is a `validation`
//! error naming its path (`query.limit`).

use crate::devrev::model::{
    DevRevCountRequest, DevRevCreate, DevRevListRequest, DevRevSetIds, DevRevSetTag, DevRevSetTags,
    DevRevUpdate,
};
use crate::error::Error;
use crate::json::Json;
use crate::truto::model::{
    DeleteQuery, EngagementInput, ListQuery, PhoneNumber, RecordQuery, Ref, ResponseFormat,
};
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

#[inline(never)]
fn member(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn is_plain_object(v: &JsValue) -> bool {
    v.is_object() && !Array::is_array(v) && !v.is_function()
}

/// Refuses keys (with a defined value) that the struct does not have.
#[inline(never)]
fn reject_unknown(v: &JsValue, fields: &[&str], path: &Path<'_>) -> Result<(), Error> {
    let keys = Object::keys(v.unchecked_ref::<Object>());
    for key in keys.iter() {
        let Some(name) = key.as_string() else {
            continue;
        };
        if fields.contains(&name.as_str()) || member(v, &name).is_undefined() {
            continue;
        }
        return Err(unknown(path, &name, fields));
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
fn nullable_string(v: &JsValue, path: &Path<'_>) -> Result<Option<Option<String>>, Error> {
    if v.is_undefined() {
        return Ok(None);
    }
    if v.is_null() {
        return Ok(Some(None));
    }
    String::from_js(v, path).map(|s| Some(Some(s)))
}

macro_rules! from_js_struct {
    ($ty:ident, { $($field:ident = $wire:literal $(via $reader:path)?),* $(,)? }) => {
        impl FromJs for $ty {
            #[inline(never)]
            fn from_js(v: &JsValue, path: &Path<'_>) -> Result<Self, Error> {
                if !is_plain_object(v) {
                    return Err(wrong(path, "an object"));
                }
                reject_unknown(v, &[$($wire),*], path)?;
                // Assigned one by one into a default value: an error then drops
                // one value, not every field read so far (quadratic drop code).
                let mut out = $ty::default();
                $(out.$field = from_js_struct!(@read v, path, $wire $(, $reader)?);)*
                Ok(out)
            }
        }
        // Compiles only if every field of the struct is listed above.
        const _: fn($ty) = |value| {
            let $ty { $($field: _),* } = value;
        };
    };
    (@read $v:ident, $path:ident, $wire:literal) => {
        FromJs::from_js(&member($v, $wire), &Path::Key($path, $wire))?
    };
    (@read $v:ident, $path:ident, $wire:literal, $reader:path) => {
        $reader(&member($v, $wire), &Path::Key($path, $wire))?
    };
}

from_js_struct!(Ref, { id = "id" });
from_js_struct!(PhoneNumber, {
    id = "id", number = "number", extension = "extension", kind = "type",
});
from_js_struct!(EngagementInput, {
    engagement_type = "engagement_type", subject = "subject", content = "content",
    owner = "owner", contact = "contact", account = "account", opportunity = "opportunity",
    lead = "lead", project = "project", start_time = "start_time", end_time = "end_time",
    direction = "direction", status = "status", duration = "duration",
    internal_notes = "internal_notes", phone_numbers = "phone_numbers",
    custom_fields = "custom_fields", created_at = "created_at", user_id = "user_id",
    remote_data = "remote_data",
});
from_js_struct!(ListQuery, {
    integrated_account_id = "integrated_account_id", engagement_type = "engagement_type",
    start_time = "start_time", end_time = "end_time", account = "account", contact = "contact",
    owner = "owner", opportunity = "opportunity", lead = "lead", contact_id = "contact_id",
    status = "status", created_at = "created_at", updated_at = "updated_at",
    sort_by = "sort_by", subject = "subject", content = "content", direction = "direction",
    limit = "limit", next_cursor = "next_cursor", truto_response_format = "truto_response_format",
    truto_key_by = "truto_key_by", truto_ignore_limit = "truto_ignore_limit",
    truto_ignore_remote_data = "truto_ignore_remote_data",
    truto_exclude_fields = "truto_exclude_fields", remote_query = "remote_query",
});
from_js_struct!(RecordQuery, {
    integrated_account_id = "integrated_account_id", engagement_type = "engagement_type",
    truto_response_format = "truto_response_format",
    truto_ignore_remote_data = "truto_ignore_remote_data",
    truto_exclude_fields = "truto_exclude_fields", remote_query = "remote_query",
});
from_js_struct!(DeleteQuery, {
    integrated_account_id = "integrated_account_id", engagement_type = "engagement_type",
    sort_by = "sort_by", content = "content", subject = "subject", direction = "direction",
    created_at = "created_at", updated_at = "updated_at", status = "status",
    account = "account", contact = "contact", truto_response_format = "truto_response_format",
    truto_ignore_remote_data = "truto_ignore_remote_data",
    truto_exclude_fields = "truto_exclude_fields", remote_query = "remote_query",
});
from_js_struct!(DevRevSetTag, { id = "id", value = "value" });
from_js_struct!(DevRevSetIds, { set = "set" });
from_js_struct!(DevRevSetTags, { set = "set" });
from_js_struct!(DevRevCreate, {
    title = "title", scheduled_date = "scheduled_date", members = "members",
    description = "description", engagement_type = "engagement_type", parent = "parent",
    parents = "parents", artifacts = "artifacts", external_ref = "external_ref",
    external_url = "external_url", tags = "tags",
});
from_js_struct!(DevRevUpdate, {
    id = "id", title = "title", description = "description",
    scheduled_date = "scheduled_date" via nullable_string, members = "members",
    parents = "parents", artifacts = "artifacts", tags = "tags",
    external_ref = "external_ref", external_url = "external_url",
});
from_js_struct!(DevRevListRequest, {
    cursor = "cursor", limit = "limit", mode = "mode", types = "type", members = "members",
    parent = "parent", external_ref = "external_ref", sort_by = "sort_by",
});
from_js_struct!(DevRevCountRequest, {
    types = "type", members = "members", parent = "parent", external_ref = "external_ref",
});
from_js_struct!(TrutoClientOptions, {
    token = "token", integrated_account_id = "integratedAccountId", base_url = "baseUrl",
    timeout_ms = "timeoutMs", max_retries = "maxRetries", fetch = "fetch",
    headers = "headers", on_retry = "onRetry",
});
from_js_struct!(DevRevClientOptions, {
    token = "token", base_url = "baseUrl", timeout_ms = "timeoutMs",
    max_retries = "maxRetries", fetch = "fetch", headers = "headers", on_retry = "onRetry",
});
from_js_struct!(RequestOptions, {
    signal = "signal", timeout_ms = "timeoutMs", max_retries = "maxRetries",
    deadline_ms = "deadlineMs", idempotency_key = "idempotencyKey", headers = "headers",
    on_retry = "onRetry",
});
from_js_struct!(ListAllOptions, {
    signal = "signal", timeout_ms = "timeoutMs", max_retries = "maxRetries",
    deadline_ms = "deadlineMs", headers = "headers", on_retry = "onRetry",
    max_items = "maxItems",
});
