//! conclave-core: pure, deterministic kernels for conclave.
//!
//! This crate does no I/O: no files, sockets, clocks, environment or printing. Where a kernel needs
//! time or randomness the caller passes it in. Given the same input it returns the same bytes on
//! every target (native or `wasm32`) and on any thread count: results never depend on hash-map
//! iteration order, ties are broken by index, and floating-point sums run in a fixed order.
//!
//! With the `parallel` feature, batch kernels run on rayon's pool; without it, the same code runs
//! on the calling thread and gives identical results.
//!
//! Bad input never panics (in WASM a panic kills the module): outside tests, `unwrap`, `expect`
//! and `panic!` do not compile here; errors are returned, saying what and where.

#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

#[cfg(test)]
mod alloc_count;
pub mod config;
pub mod consensus;
pub mod crypto;
pub mod logs;
pub mod par;
pub mod pattern;
pub mod scan;
pub mod similarity;
pub mod text;
