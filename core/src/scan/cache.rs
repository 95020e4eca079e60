//! Scan results with a time-to-live, keyed by `(ip, port)`; `now` is always passed in.
//!
//! Every final state is cached except `error` (a local shortage or a transient network failure is
//! not an answer about the service); `closed` and `filtered` expire like `open`. An entry is fresh
//! while `stored_at_ms <= now_ms < stored_at_ms + ttl_ms`: an entry from the future (a clock set
//! back) is stale. An entry stored without a banner does not answer a lookup that needs one.
//!
//! On disk the cache is one JSON document, entries sorted by address and port:
//! `{"format": "conclave-scan-cache", "version": 1, "entries": [{"ip", "port", "state",
//! "latency_ms", "banner"?, "banner_checked", "stored_at_ms"}]}`.

use std::collections::BTreeMap;
use std::net::IpAddr;

use serde::{Deserialize, Serialize};

use super::{ScanError, State};

const FORMAT: &str = "conclave-scan-cache";
const VERSION: u32 = 1;

/// One cached answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CacheEntry {
    pub ip: IpAddr,
    pub port: u16,
    pub state: State,
    pub latency_ms: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub banner: Option<String>,
    /// Whether a banner was asked for when this was stored (an absent banner is then an answer).
    #[serde(default)]
    pub banner_checked: bool,
    /// When it was stored, in milliseconds of the caller's clock (Unix time for the disk cache).
    pub stored_at_ms: u64,
}

#[derive(Serialize, Deserialize)]
struct Document {
    format: String,
    version: u32,
    entries: Vec<CacheEntry>,
}

/// The cache.
#[derive(Debug, Clone, PartialEq)]
pub struct Cache {
    ttl_ms: u64,
    entries: BTreeMap<(IpAddr, u16), CacheEntry>,
}

impl Cache {
    /// The default time-to-live: 60 seconds.
    pub const DEFAULT_TTL_MS: u64 = 60_000;

    /// An empty cache whose entries live `ttl_ms` (0 caches nothing).
    pub fn new(ttl_ms: u64) -> Cache {
        Cache {
            ttl_ms,
            entries: BTreeMap::new(),
        }
    }

    /// The number of entries, fresh or not.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether it holds no entry.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn fresh(&self, e: &CacheEntry, now_ms: u64) -> bool {
        e.stored_at_ms <= now_ms && now_ms - e.stored_at_ms < self.ttl_ms
    }

    /// The fresh answer for `(ip, port)` at `now_ms`, if any. With `need_banner`, only an entry
    /// stored while banners were being read answers.
    pub fn get(
        &self,
        ip: IpAddr,
        port: u16,
        now_ms: u64,
        need_banner: bool,
    ) -> Option<&CacheEntry> {
        self.entries
            .get(&(ip, port))
            .filter(|e| self.fresh(e, now_ms) && (e.banner_checked || !need_banner))
    }

    /// Stores an answer (replacing any older one). `error` states are not stored.
    pub fn insert(&mut self, entry: CacheEntry) {
        if entry.state == State::Error || self.ttl_ms == 0 {
            return;
        }
        self.entries.insert((entry.ip, entry.port), entry);
    }

    /// Drops every entry that is stale at `now_ms`.
    pub fn prune(&mut self, now_ms: u64) {
        let ttl = self.ttl_ms;
        self.entries
            .retain(|_, e| e.stored_at_ms <= now_ms && now_ms - e.stored_at_ms < ttl);
    }

    /// The on-disk form.
    pub fn to_json(&self) -> String {
        let doc = Document {
            format: FORMAT.to_string(),
            version: VERSION,
            entries: self.entries.values().cloned().collect(),
        };
        // Serializing plain data with string keys cannot fail.
        serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
    }

    /// Reads the on-disk form; entries keep their `stored_at_ms`, so stale ones stay stale.
    pub fn from_json(text: &str, ttl_ms: u64) -> Result<Cache, ScanError> {
        let doc: Document = serde_json::from_str(text).map_err(|e| ScanError::BadCache {
            reason: format!("line {}, column {}: {e}", e.line(), e.column()),
        })?;
        if doc.format != FORMAT || doc.version != VERSION {
            return Err(ScanError::BadCache {
                reason: format!(
                    "format `{}` version {} is not `{FORMAT}` version {VERSION}",
                    doc.format, doc.version
                ),
            });
        }
        let mut cache = Cache::new(ttl_ms);
        for e in doc.entries {
            cache.insert(e);
        }
        Ok(cache)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(ip: &str, port: u16, state: State, at: u64) -> CacheEntry {
        CacheEntry {
            ip: ip.parse().unwrap(),
            port,
            state,
            latency_ms: 0.25,
            banner: None,
            banner_checked: false,
            stored_at_ms: at,
        }
    }

    /// A simulated clock walks through the life of open and negative answers.
    #[test]
    fn entries_expire_on_a_simulated_clock() {
        let ip: IpAddr = "127.0.0.1".parse().unwrap();
        let mut c = Cache::new(Cache::DEFAULT_TTL_MS);
        let mut now = 1_700_000_000_000u64;
        c.insert(entry("127.0.0.1", 22, State::Open, now));
        c.insert(entry("127.0.0.1", 23, State::Closed, now));
        c.insert(entry("127.0.0.1", 24, State::Filtered, now));
        c.insert(entry("127.0.0.1", 25, State::Error, now));
        assert_eq!(c.len(), 3, "error answers are not cached");
        for port in [22, 23, 24] {
            assert!(c.get(ip, port, now, false).is_some());
        }
        now += 59_999;
        for port in [22, 23, 24] {
            assert!(
                c.get(ip, port, now, false).is_some(),
                "port {port} at 59.999 s"
            );
        }
        now += 1;
        for port in [22, 23, 24] {
            assert!(c.get(ip, port, now, false).is_none(), "port {port} at 60 s");
        }
        // Refreshed answers live again from their new time; pruning drops only stale ones.
        c.insert(entry("127.0.0.1", 23, State::Open, now));
        c.prune(now);
        assert_eq!(c.len(), 1);
        assert_eq!(
            c.get(ip, 23, now + 1, false).map(|e| e.state),
            Some(State::Open)
        );
        // An entry from the future (clock set back) is stale.
        assert!(c.get(ip, 23, now - 1, false).is_none());
    }

    #[test]
    fn banner_lookups_and_zero_ttl() {
        let ip: IpAddr = "::1".parse().unwrap();
        let mut c = Cache::new(1_000);
        c.insert(entry("::1", 22, State::Open, 0));
        assert!(c.get(ip, 22, 10, false).is_some());
        assert!(c.get(ip, 22, 10, true).is_none());
        let mut with = entry("::1", 22, State::Open, 0);
        with.banner_checked = true;
        with.banner = Some("SSH-2.0-test".into());
        c.insert(with);
        assert_eq!(
            c.get(ip, 22, 10, true).and_then(|e| e.banner.as_deref()),
            Some("SSH-2.0-test")
        );
        let mut none = Cache::new(0);
        none.insert(entry("::1", 22, State::Open, 0));
        assert!(none.is_empty());
    }

    #[test]
    fn disk_round_trip_and_bad_files() {
        let mut c = Cache::new(60_000);
        c.insert(entry("::1", 80, State::Closed, 5));
        c.insert(entry("127.0.0.1", 80, State::Open, 7));
        let text = c.to_json();
        assert!(text.find("127.0.0.1").unwrap() < text.find("::1").unwrap());
        assert_eq!(Cache::from_json(&text, 60_000).unwrap(), c);
        let e = Cache::from_json("{\"format\":", 1).unwrap_err().to_string();
        assert!(e.contains("line 1"), "{e}");
        let e = Cache::from_json(r#"{"format":"other","version":1,"entries":[]}"#, 1)
            .unwrap_err()
            .to_string();
        assert!(e.contains("`other`"), "{e}");
        let bad_state = r#"{"format":"conclave-scan-cache","version":1,"entries":[
            {"ip":"::1","port":1,"state":"maybe","latency_ms":0,"stored_at_ms":0}]}"#;
        assert!(Cache::from_json(bad_state, 1).is_err());
    }
}
