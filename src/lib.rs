//! # crm-engagements
//!
//! A typed, retry-safe client for CRM engagements (calls, emails, meetings,
//! notes...) over Truto's Unified CRM API, compiled to WebAssembly for
//! browsers, Node and Cloudflare Workers, and usable as a Rust crate.
//!
//! The core is plain Rust: operations build an [`HttpRequest`], a
//! [`Transport`] sends it. The only real transport is the global `fetch`
//! (wasm32 only); the JavaScript classes live in `wasm` and nowhere else.

#![deny(missing_docs, missing_debug_implementations)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod call;
pub mod checkpoint;
pub mod config;
pub mod devrev;
pub mod error;
pub mod governor;
pub mod json;
pub mod paginate;
pub mod query;
pub mod retry;
pub mod time;
pub mod transport;
pub mod truto;
pub mod validate;
pub mod wire;

#[cfg(target_arch = "wasm32")]
pub mod fetch;
#[cfg(target_arch = "wasm32")]
pub mod wasm;

// SAFETY: the wasm build is single-threaded (no `atomics` target feature), so the
// allocator is never used from two threads.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };

pub use call::{CallOptions, RetryEvent, RetryHook};
pub use config::{ClientOptions, Token};
pub use error::{Error, ErrorKind, Result};
pub use governor::{Limit, RateLimit, Scope, ThrottleEvent, ThrottleHook};
pub use json::{Json, JsonExt};
pub use transport::{HttpRequest, HttpResponse, Method, ReadAs, ResponseBody, Transport};
