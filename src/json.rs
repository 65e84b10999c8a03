//! One JSON value type per target, behind one small trait.
//!
//! Natively (tests, Rust users) JSON is a [`serde_json::Value`]. In the wasm
//! build it is the `JsValue` the JavaScript engine parsed: response bodies are
//! never copied into wasm memory and rebuilt field by field, which is both
//! slower and larger than `JSON.parse`. The core reads and builds JSON only
//! through [`JsonExt`], so it is the same code on both targets.

/// A JSON value: `serde_json::Value` natively.
#[cfg(not(target_arch = "wasm32"))]
pub type Json = serde_json::Value;

/// A JSON value: a JavaScript value handed through untouched.
#[cfg(target_arch = "wasm32")]
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Json(#[serde(with = "serde_wasm_bindgen::preserve")] pub wasm_bindgen::JsValue);

/// Reading and building JSON values, the same on every target.
pub trait JsonExt: Sized {
    /// The member `key` of an object; `None` for other values or a missing key.
    fn member(&self, key: &str) -> Option<Self>;
    /// The string, if this is a string.
    fn string(&self) -> Option<String>;
    /// The member `key`, if it is a string.
    fn string_at(&self, key: &str) -> Option<String> {
        self.member(key).and_then(|v| v.string())
    }
    /// The number, if this is a number.
    fn number(&self) -> Option<f64>;
    /// The boolean, if this is a boolean.
    fn boolean(&self) -> Option<bool>;
    /// Whether this is `null`.
    fn is_null(&self) -> bool;
    /// Whether this is `undefined` (JavaScript only; never natively).
    fn is_undefined(&self) -> bool;
    /// Whether this is a string (without copying it).
    fn is_string(&self) -> bool;
    /// Whether this is a plain object (not an array, not null).
    fn is_object(&self) -> bool;
    /// The items, if this is an array.
    fn items(&self) -> Option<Vec<Self>>;
    /// The length, if this is an array (without touching its items).
    fn array_len(&self) -> Option<usize>;
    /// Item `i`, if this is an array that long.
    fn at(&self, i: usize) -> Option<Self>;
    /// The `(key, value)` pairs in order, if this is an object.
    fn entries(&self) -> Option<Vec<(String, Self)>>;
    /// `null`.
    fn null() -> Self;
    /// A JSON string.
    fn text(s: &str) -> Self;
    /// A JSON boolean.
    fn from_bool(b: bool) -> Self;
    /// A JSON number from a whole number.
    fn from_u32(n: u32) -> Self;
    /// This value as JSON text.
    fn to_text(&self) -> Result<String, String>;
    /// The value of JSON text `text`; `None` when it is not JSON.
    fn parse(text: &str) -> Option<Self>;
    /// An array of `items`.
    fn array(items: Vec<Self>) -> Self;
    /// An object of `fields`, in order.
    fn object(fields: Vec<(&str, Self)>) -> Self;
}

#[cfg(not(target_arch = "wasm32"))]
impl JsonExt for serde_json::Value {
    fn member(&self, key: &str) -> Option<Self> {
        self.as_object()?.get(key).cloned()
    }
    fn string(&self) -> Option<String> {
        self.as_str().map(str::to_owned)
    }
    fn number(&self) -> Option<f64> {
        self.as_f64()
    }
    fn boolean(&self) -> Option<bool> {
        self.as_bool()
    }
    fn is_null(&self) -> bool {
        serde_json::Value::is_null(self)
    }
    fn is_undefined(&self) -> bool {
        false
    }
    fn is_string(&self) -> bool {
        serde_json::Value::is_string(self)
    }
    fn is_object(&self) -> bool {
        serde_json::Value::is_object(self)
    }
    fn items(&self) -> Option<Vec<Self>> {
        self.as_array().cloned()
    }
    fn array_len(&self) -> Option<usize> {
        self.as_array().map(Vec::len)
    }
    fn at(&self, i: usize) -> Option<Self> {
        self.as_array()?.get(i).cloned()
    }
    fn entries(&self) -> Option<Vec<(String, Self)>> {
        Some(
            self.as_object()?
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        )
    }
    fn null() -> Self {
        serde_json::Value::Null
    }
    fn text(s: &str) -> Self {
        serde_json::Value::String(s.to_owned())
    }
    fn from_bool(b: bool) -> Self {
        serde_json::Value::Bool(b)
    }
    fn from_u32(n: u32) -> Self {
        serde_json::Value::from(n)
    }
    fn to_text(&self) -> Result<String, String> {
        serde_json::to_string(self).map_err(|e| e.to_string())
    }
    fn parse(text: &str) -> Option<Self> {
        serde_json::from_str(text).ok()
    }
    fn array(items: Vec<Self>) -> Self {
        serde_json::Value::Array(items)
    }
    fn object(fields: Vec<(&str, Self)>) -> Self {
        serde_json::Value::Object(fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
    }
}

#[cfg(target_arch = "wasm32")]
pub(crate) use js::{json_parse, own_keys};

#[cfg(target_arch = "wasm32")]
mod js {
    use super::{Json, JsonExt};
    use js_sys::{Array, Object, Reflect, JSON};
    use wasm_bindgen::prelude::wasm_bindgen;
    use wasm_bindgen::{JsCast, JsValue};

    #[wasm_bindgen]
    extern "C" {
        /// `Object.keys`, catching: a Proxy's `ownKeys` trap may throw.
        #[wasm_bindgen(js_namespace = Object, js_name = keys, catch)]
        pub(crate) fn own_keys(object: &JsValue) -> Result<Array, JsValue>;
        /// `JSON.parse` of a JS string, which stays in JavaScript (js-sys's takes
        /// a `&str`, copied out of wasm memory and back).
        #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
        pub(crate) fn json_parse(text: &JsValue) -> Result<JsValue, JsValue>;
    }

    impl JsonExt for Json {
        fn member(&self, key: &str) -> Option<Self> {
            // One crossing: `Reflect.get` throws (None) for a primitive, and the
            // keys read here (`result`, `message`, query fields...) are not
            // properties of arrays.
            let value = Reflect::get(&self.0, &JsValue::from_str(key)).ok()?;
            (!value.is_undefined()).then_some(Json(value))
        }
        fn string(&self) -> Option<String> {
            self.0.as_string()
        }
        fn number(&self) -> Option<f64> {
            self.0.as_f64()
        }
        fn boolean(&self) -> Option<bool> {
            self.0.as_bool()
        }
        fn is_null(&self) -> bool {
            self.0.is_null()
        }
        fn is_undefined(&self) -> bool {
            self.0.is_undefined()
        }
        fn is_string(&self) -> bool {
            self.0.is_string()
        }
        fn is_object(&self) -> bool {
            // `typeof` of a function is "function": `is_object` is already false.
            self.0.is_object() && !Array::is_array(&self.0)
        }
        fn items(&self) -> Option<Vec<Self>> {
            let array = self.0.dyn_ref::<Array>()?;
            Some(array.iter().map(Json).collect())
        }
        fn array_len(&self) -> Option<usize> {
            Some(self.0.dyn_ref::<Array>()?.length() as usize)
        }
        fn at(&self, i: usize) -> Option<Self> {
            let array = self.0.dyn_ref::<Array>()?;
            (i < array.length() as usize).then(|| Json(array.get_unchecked(i as u32)))
        }
        fn entries(&self) -> Option<Vec<(String, Self)>> {
            if !self.is_object() {
                return None;
            }
            let object: &Object = self.0.unchecked_ref();
            let keys = own_keys(object).ok()?;
            let mut out = Vec::with_capacity(keys.length() as usize);
            for key in keys.iter() {
                let value = Reflect::get(object, &key).ok()?;
                out.push((key.as_string()?, Json(value)));
            }
            Some(out)
        }
        fn null() -> Self {
            Json(JsValue::NULL)
        }
        fn text(s: &str) -> Self {
            Json(JsValue::from_str(s))
        }
        fn from_bool(b: bool) -> Self {
            Json(JsValue::from_bool(b))
        }
        fn from_u32(n: u32) -> Self {
            Json(JsValue::from(n))
        }
        fn parse(text: &str) -> Option<Self> {
            json_parse(&JsValue::from_str(text)).ok().map(Json)
        }
        fn to_text(&self) -> Result<String, String> {
            // `undefined`, a function or a symbol has no JSON text; a cycle or a BigInt throws.
            JSON::stringify(&self.0)
                .ok()
                .and_then(|s| s.as_string())
                .ok_or_else(|| String::from("value cannot be written as JSON"))
        }
        fn array(items: Vec<Self>) -> Self {
            let array = Array::new();
            for item in items {
                array.push(&item.0);
            }
            Json(array.into())
        }
        fn object(fields: Vec<(&str, Self)>) -> Self {
            let object = Object::new();
            for (key, value) in fields {
                let _ = Reflect::set(&object, &JsValue::from_str(key), &value.0);
            }
            Json(object.into())
        }
    }
}
