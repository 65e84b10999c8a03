//! Unknown-key detection for objects coming from JavaScript.
//!
//! serde-wasm-bindgen reads a struct by looking up its own field names, so it
//! never sees other keys and `deny_unknown_fields` cannot fire. A typo such as
//! `baseURL` would be ignored silently; these checks refuse it instead.

use js_sys::{Object, Reflect};
use serde::de::{self, Deserialize, Deserializer, Visitor};
use wasm_bindgen::{JsCast, JsValue};

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
