//! Truto's Unified CRM API, resource `engagements`: every HTTP detail of Truto
//! is in this folder.

pub mod client;
pub mod error_body;
pub mod model;
pub mod validate;
mod wire;

pub use client::{page_of, ListAll, TrutoClient, DEFAULT_BASE_URL};
