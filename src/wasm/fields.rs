//! Caller objects made safe to read: a plain-data copy, and unknown-key checks.
//!
//! serde-wasm-bindgen reads objects with property accesses that do not catch
//! exceptions: a throwing getter or a Proxy would unwind a JS exception through
//! the wasm frames (an uncaught error that ends a Node process). So every
//! caller object is first copied with catching bindings ([`plain`]), and serde
//! only ever reads the copy.
//!
//! serde-wasm-bindgen also reads a struct by looking up its own field names, so
//! it never sees other keys and `deny_unknown_fields` cannot fire. A typo such
//! as `baseURL` would be ignored silently; [`unknown_key`] refuses it instead.

use js_sys::{Array, Object, Reflect};
use serde::de::{self, Deserialize, Deserializer, Visitor};
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = Object, js_name = keys, catch)]
    fn own_keys(object: &JsValue) -> Result<Array, JsValue>;
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

/// The serialized field names of a struct, as its `Deserialize` declares them.
pub fn names<'de, T: Deserialize<'de>>() -> &'static [&'static str] {
    let mut found: &'static [&'static str] = &[];
    let _ = T::deserialize(Introspect(&mut found));
    found
}

/// The first own enumerable key of `value` (whose value is not `undefined`)
/// that is not in `allowed`.
pub fn unknown_key(value: &JsValue, allowed: &[&str]) -> Option<String> {
    if !value.is_object() {
        return None;
    }
    let object: &Object = value.unchecked_ref();
    Object::keys(object).iter().find_map(|key| {
        let name = key.as_string()?;
        let defined = Reflect::get(object, &key)
            .map(|v| !v.is_undefined())
            .unwrap_or(false);
        (defined && !allowed.contains(&name.as_str())).then_some(name)
    })
}

struct Introspect<'a>(&'a mut &'static [&'static str]);

#[derive(Debug)]
struct Stop;

impl std::fmt::Display for Stop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("introspection")
    }
}

impl std::error::Error for Stop {}

impl de::Error for Stop {
    fn custom<M: std::fmt::Display>(_: M) -> Self {
        Stop
    }
}

impl<'de> Deserializer<'de> for Introspect<'_> {
    type Error = Stop;

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Stop> {
        *self.0 = fields;
        Err(Stop)
    }

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Stop> {
        Err(Stop)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map enum identifier ignored_any
    }
}
