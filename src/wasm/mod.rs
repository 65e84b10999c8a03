//! The only `#[wasm_bindgen]` surface: JavaScript classes over the pure core.
//!
//! Every exported method converts its input inside the returned Promise, so
//! bad input from JavaScript becomes a rejected Promise, never a throw from
//! deep inside or a trap.

pub mod devrev;
pub mod error;
mod fields;
pub mod from_js;
pub mod iter;
pub mod options;
pub mod task;
pub mod truto;
