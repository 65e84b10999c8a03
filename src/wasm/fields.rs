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
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsValue;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = structuredClone, catch)]
    fn structured_clone(value: &JsValue) -> Result<JsValue, JsValue>;
}

/// A plain-data copy of the object `value` (its own enumerable keys, those
/// whose value is `undefined` left out as absent; nested
/// values deep-copied by `structuredClone`), with the `keep` keys (a signal, a
/// function) carried over as they are. Primitives are returned as they are.
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
    let keys = own_keys(value).map_err(|_| String::from("cannot be read (its keys threw)"))?;
    let copy = Object::new();
    let mut kept = Vec::new();
    for key in keys.iter() {
        let name = key.as_string().unwrap_or_default();
        let v = Reflect::get(value, &key)
            .map_err(|_| format!("cannot be read (reading `{name}` threw)"))?;
        if keep.contains(&name.as_str()) {
            kept.push((key, v));
        } else {
            let _ = Reflect::set(&copy, &key, &v);
        }
    }
    let clone = structured_clone(&copy).map_err(|_| {
        String::from("holds a value that is not plain data (a function, a symbol, a Proxy or a class instance)")
    })?;
    for (key, v) in kept {
        let _ = Reflect::set(&clone, &key, &v);
    }
    Ok(clone)
}
