//! The only `#[wasm_bindgen]` surface: JavaScript classes over the pure core.
//!
//! The classes users get are `pkg/src/api.js`'s, declared to TypeScript by
//! the `typescript_custom_section`s here; each client's methods reach the
//! wasm through one export (`call`), and the iterator's through `nextPage`
//! and `stop`. Every export converts and checks its input before anything is
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
