//! DevRev's engagements API (beta): every HTTP detail of DevRev is in this folder.

pub mod client;
pub mod model;
pub mod unify;
pub mod validate;
mod wire;

pub use client::{page_of, DevRevClient, DevRevListAll, DEFAULT_BASE_URL};
