//! Caller objects made safe to read: a plain-data copy.
//!
//! Property reads through plain bindings do not catch exceptions: a throwing
//! getter or a Proxy would unwind a JS exception through the wasm frames (an
//! uncaught error that ends a Node process). So every caller object is first
//! copied with catching bindings ([`plain`]), and only the copy is read.
//!
//! The copy is then checked against its fields' description
//! (`crate::wire::check`), which also refuses unknown keys (a typo such as
//! `baseURL` is an error, not a no-op).

use crate::json::own_keys;
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::JsValue;

/// Why a value is refused: what plain data excludes.
const NOT_PLAIN: &str =
    "holds a value that is not plain data (a function, a symbol, a bigint or a class instance)";

/// How deep a caller's object may nest (query objects are two levels deep).
const MAX_DEPTH: u32 = 32;

/// A plain-data copy of the object `value` (its own enumerable keys, those
/// whose value is `undefined` left out as absent; nested objects and arrays
/// copied the same way), with the `keep` keys (a signal, a function) carried
/// over as they are. Primitives are returned as they are.
///
/// Plain data is judged the same in every realm: an object literal from
/// jsdom, an iframe or a worker has another realm's `Object.prototype`, and
/// is plain all the same; no global (such as `structuredClone`, which jsdom
/// lacks) is needed. Every read is a catching binding, so a throwing getter
/// or Proxy trap is an error here, not an exception through the wasm frames.
///
/// # Errors
/// A sentence saying why the value cannot be read as plain data: an array, a
/// throwing getter or Proxy, a function or symbol nested inside...
pub fn plain(value: &JsValue, keep: &[&str]) -> Result<JsValue, String> {
    if !value.is_object() {
        return Ok(value.clone());
    }
    if Array::is_array(value) {
        return Err("must be an object, not an array".into());
    }
    object(value, MAX_DEPTH, keep)
}

/// A copy of the object `value`: its `keep` keys as they are, the others copied.
fn object(value: &JsValue, depth: u32, keep: &[&str]) -> Result<JsValue, String> {
    let proto = Reflect::get_prototype_of(value).map_err(unreadable)?;
    // `null`, or a realm's `Object.prototype` (the one whose prototype is `null`).
    let plain = proto.is_null()
        || Reflect::get_prototype_of(&proto)
            .map_err(unreadable)?
            .is_null();
    if !plain {
        return Err(NOT_PLAIN.into());
    }
    let keys = own_keys(value).map_err(unreadable)?;
    let out = Object::new();
    for key in keys.iter() {
        let v = Reflect::get(value, &key).map_err(unreadable)?;
        let kept = key.as_string().is_some_and(|k| keep.contains(&k.as_str()));
        if kept {
            let _ = Reflect::set(&out, &key, &v);
        } else if !v.is_undefined() {
            let _ = Reflect::set(&out, &key, &copy(&v, depth)?);
        }
    }
    Ok(out.into())
}

/// What a throwing read (a getter, a Proxy trap) is reported as.
#[cold]
fn unreadable(_: JsValue) -> String {
    String::from("cannot be read (a getter or a Proxy trap threw)")
}

/// A plain-data copy of a nested value.
fn copy(value: &JsValue, depth: u32) -> Result<JsValue, String> {
    let primitive = value.is_null() || value.is_undefined() || value.is_string();
    if primitive || value.as_f64().is_some() || value.as_bool().is_some() {
        return Ok(value.clone());
    }
    if !value.is_object() {
        return Err(NOT_PLAIN.into());
    }
    let depth = depth.checked_sub(1).ok_or("is nested too deeply")?;
    if !Array::is_array(value) {
        return object(value, depth, &[]);
    }
    let length = Reflect::get(value, &JsValue::from_str("length"))
        .map_err(unreadable)?
        .as_f64()
        .unwrap_or(0.0);
    let out = Array::new();
    for i in 0..length as u32 {
        let item = Reflect::get(value, &JsValue::from(i)).map_err(unreadable)?;
        out.push(&copy(&item, depth)?);
    }
    Ok(out.into())
}
