//! conclave-core's integration tests: public suites from ../shared/corpora, one module per domain.

// Suites print their pass counts.
#![allow(clippy::print_stderr)]

mod config;
mod consensus;
mod corpora;
mod crypto;
mod logs;
mod pattern;
mod similarity;
