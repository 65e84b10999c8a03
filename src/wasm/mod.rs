//! The only `#[wasm_bindgen]` surface: JavaScript classes over the pure core.
//!
//! Every exported method converts and checks its input before anything is
//! sent, and bad input from JavaScript becomes a rejected Promise, never a
//! throw from deep inside or a trap.

mod call;
pub mod devrev;
pub mod error;
mod fields;
pub mod iter;
pub mod options;
pub mod task;
pub mod truto;
