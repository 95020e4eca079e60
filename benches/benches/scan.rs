//! `conclave scan` on 1000 loopback services: cold (one probe at a time), parallel (the CLI's
//! default concurrency, 512), and cached (every answer served from the TTL cache).
//!
//! Inputs: 1000 listeners on ephemeral ports of 127.0.0.1 opened here, drained by one accept
//! thread so their backlogs never fill. The engine is the native binary's own file, included as is.
//! The all-ports comparison with nmap is `benches/compare-scan`.

#[allow(dead_code)]
#[path = "../../native/src/scan/mod.rs"]
mod engine;

use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use conclave_core::scan::policy::RetryPolicy;
use conclave_core::scan::{Cache, CacheEntry, Report, ScanResult, State, service_name};
use criterion::{Criterion, criterion_group, criterion_main};

const SERVICES: usize = 1000;

struct Services {
    addrs: Vec<SocketAddr>,
    stop: Arc<AtomicBool>,
    drain: Option<std::thread::JoinHandle<()>>,
}

impl Services {
    fn open(n: usize) -> Services {
        let listeners: Vec<TcpListener> = (0..n)
            .map(|_| {
                let l = TcpListener::bind("127.0.0.1:0").expect("bind a loopback listener");
                l.set_nonblocking(true).expect("non-blocking listener");
                l
            })
            .collect();
        let addrs = listeners
            .iter()
            .map(|l| l.local_addr().expect("listener address"))
            .collect();
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let drain = std::thread::spawn(move || {
            while !flag.load(Ordering::Relaxed) {
                for l in &listeners {
                    while l.accept().is_ok() {}
                }
                std::thread::sleep(Duration::from_millis(1));
            }
        });
        Services {
            addrs,
            stop,
            drain: Some(drain),
        }
    }
}

impl Drop for Services {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(h) = self.drain.take() {
            let _ = h.join();
        }
    }
}

fn settings(concurrency: usize) -> engine::Settings {
    engine::Settings {
        timeout: Duration::from_millis(1000),
        concurrency: engine::fit_concurrency(concurrency),
        retry: RetryPolicy::default(),
        rate: None,
        banner: false,
    }
}

fn check_all_open(outcomes: &[engine::Outcome]) {
    let open = outcomes.iter().filter(|o| o.state == State::Open).count();
    assert_eq!(open, outcomes.len(), "every service must answer open");
}

fn bench(c: &mut Criterion) {
    let services = Services::open(SERVICES);
    let addrs = services.addrs.clone();
    let mut g = c.benchmark_group("scan/1000-services");
    g.sample_size(10);

    check_all_open(&engine::scan_all(addrs.clone(), settings(512)));

    g.bench_function("cold", |b| {
        b.iter(|| engine::scan_all(addrs.clone(), settings(1)))
    });
    g.bench_function("parallel", |b| {
        b.iter(|| engine::scan_all(addrs.clone(), settings(512)))
    });

    // Cached: the answers of one scan, stored and then served for every service, with the report.
    let outcomes = engine::scan_all(addrs.clone(), settings(512));
    check_all_open(&outcomes);
    let now = 1_000_000u64;
    let mut cache = Cache::new(Cache::DEFAULT_TTL_MS);
    for (a, o) in addrs.iter().zip(&outcomes) {
        cache.insert(CacheEntry {
            ip: a.ip(),
            port: a.port(),
            state: o.state,
            latency_ms: o.latency_ms,
            banner: None,
            banner_checked: false,
            stored_at_ms: now,
        });
    }
    g.bench_function("cached", |b| {
        b.iter(|| {
            let results: Vec<ScanResult> = addrs
                .iter()
                .filter_map(|a| {
                    cache
                        .get(a.ip(), a.port(), now + 1, false)
                        .map(|e| ScanResult {
                            host: a.ip().to_string(),
                            ip: a.ip(),
                            port: a.port(),
                            state: e.state,
                            service: service_name(a.port()).to_string(),
                            latency_ms: e.latency_ms,
                            banner: None,
                            cached: true,
                        })
                })
                .collect();
            assert_eq!(results.len(), SERVICES);
            Report::new(results, 0)
        })
    });
    g.finish();
    drop(services);
}

criterion_group!(benches, bench);
criterion_main!(benches);
