//! TCP service scanning: the pure half (sans-I/O).
//!
//! Everything here is policy and bookkeeping that can be decided without a socket or a clock; the
//! native binary owns the sockets, DNS and time, and passes `now` in. The pieces, in the order a scan
//! uses them:
//!
//! - [`target`]: parse `TARGET` arguments (IPv4, IPv6 with or without brackets, host names, CIDR
//!   blocks, `host:port` and `[v6]:port`) and expand CIDR blocks under a cap.
//! - [`ports`]: port specs (`22,80,8000-8100`, `-` for all) and the built-in top-ports list with
//!   service names ([`services`]).
//! - [`plan`]: turn targets (after the caller resolved host names) into the exact list of probes,
//!   de-duplicated by address and port, refusing more than [`plan::PROBE_LIMIT`] without `force`.
//! - [`policy`]: what a connect attempt means (`open`, `closed`, `filtered`, `error`, or retry), the
//!   retry back-off, and a rate limiter driven by a caller-supplied clock.
//! - [`cache`]: results with a time-to-live (negative answers expire too), serializable to JSON for
//!   the on-disk cache.
//! - [`report`]: results sorted by IP then port, the summary, JSON and a text table.
//! - [`config`]: targets named by the `services` of a configuration value tree.
//!
//! Nothing here is a hand-written replacement for a library: it is small glue over
//! `std::net::IpAddr` parsing and `serde`.

pub mod cache;
pub mod config;
pub mod plan;
pub mod policy;
pub mod ports;
pub mod report;
pub mod services;
pub mod target;

use std::fmt;

use serde::{Deserialize, Serialize};

pub use cache::{Cache, CacheEntry};
pub use config::{ConfigService, targets_from_config};
pub use plan::{Job, Probe, probes, resolve_plan};
pub use policy::{Attempt, Next, RateLimiter, RetryPolicy};
pub use ports::{parse_ports, top_ports};
pub use report::{Report, ScanResult, Summary};
pub use services::service_name;
pub use target::{Host, Target, parse_target};

/// The state of one probed port.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    /// A TCP connection was established with a listener (not a self-connect).
    Open,
    /// The connection was refused (RST), or the only "connection" was a self-connect.
    Closed,
    /// Every attempt timed out: something dropped the packets.
    Filtered,
    /// Another failure: host or network unreachable, or local resources exhausted.
    Error,
}

impl State {
    /// The lowercase name used in JSON and text.
    pub fn as_str(self) -> &'static str {
        match self {
            State::Open => "open",
            State::Closed => "closed",
            State::Filtered => "filtered",
            State::Error => "error",
        }
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Everything that can be wrong with a scan's input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScanError {
    /// A `TARGET` argument that is not an address, a host name, a CIDR block or `host:port`.
    BadTarget { target: String, reason: String },
    /// A port spec that does not parse.
    BadPorts {
        spec: String,
        item: String,
        reason: String,
    },
    /// `--top N` outside the built-in list.
    BadTop { requested: usize, available: usize },
    /// A CIDR block larger than the cap.
    CidrTooLarge {
        target: String,
        addresses: u128,
        limit: u64,
    },
    /// More probes than allowed.
    TooManyProbes {
        count: u128,
        limit: u64,
        forced: bool,
    },
    /// A configuration value without usable services.
    BadConfig { path: String, reason: String },
    /// An on-disk cache that does not parse.
    BadCache { reason: String },
}

impl fmt::Display for ScanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScanError::BadTarget { target, reason } => write!(f, "target `{target}`: {reason}"),
            ScanError::BadPorts { spec, item, reason } => {
                write!(f, "port spec `{spec}`: item `{item}`: {reason}")
            }
            ScanError::BadTop {
                requested,
                available,
            } => write!(
                f,
                "--top {requested}: the built-in list has 1 to {available} ports"
            ),
            ScanError::CidrTooLarge {
                target,
                addresses,
                limit,
            } => write!(
                f,
                "target `{target}`: {addresses} addresses exceed the cap of {limit} per block \
                 (use --force to go past it)"
            ),
            ScanError::TooManyProbes {
                count,
                limit,
                forced: false,
            } => write!(
                f,
                "{count} probes exceed the limit of {limit} (use --force to go past it)"
            ),
            ScanError::TooManyProbes { count, limit, .. } => write!(
                f,
                "{count} probes exceed the hard limit of {limit}, even with --force"
            ),
            ScanError::BadConfig { path, reason } => write!(f, "config {path}: {reason}"),
            ScanError::BadCache { reason } => write!(f, "scan cache: {reason}"),
        }
    }
}

impl std::error::Error for ScanError {}
