//! Where a consensus call's time, CPU and allocations go, phase by phase, with rayon's global pool
//! of 1 and of 2 threads (issue #9): `consensus_threads THREADS [ROUNDS]` on the input of
//! wasm/bench/run (`consensus_zipf(1000, 100, 5, 42)`), medians of the rounds. As in the WASM
//! build, the main thread runs the serial steps and waits (blocked) while the pool runs a parallel
//! step. Columns: wall ms, process CPU ms and the main thread's, allocations (calls to
//! alloc/realloc) made by the pool's threads (inside parallel steps) and by the main thread.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use conclave_core::consensus::{self, Options, themes};
use conclave_core::similarity::{Corpus, Metric};

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);
static IN_POOL: AtomicUsize = AtomicUsize::new(0);

fn count() {
    ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
    if rayon::current_thread_index().is_some() {
        IN_POOL.fetch_add(1, Ordering::Relaxed);
    }
}

// SAFETY: every call is forwarded to the system allocator unchanged.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        // SAFETY: the caller upholds `alloc`'s contract.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count();
        // SAFETY: the caller upholds `alloc_zeroed`'s contract.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        // SAFETY: the caller upholds `realloc`'s contract.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller upholds `dealloc`'s contract.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn cpu_ns(clock: libc::clockid_t) -> u128 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid timespec to write to.
    unsafe { libc::clock_gettime(clock, &mut ts) };
    ts.tv_sec as u128 * 1_000_000_000 + ts.tv_nsec as u128
}

/// One phase's wall ms, CPU ms and allocations.
#[derive(Clone, Copy, Default)]
struct Cost {
    wall: f64,
    cpu: f64,
    main_cpu: f64,
    pool_allocs: usize,
    main_allocs: usize,
}

fn measure<T>(f: impl FnOnce() -> T) -> (T, Cost) {
    let (a0, p0) = (
        ALLOCATIONS.load(Ordering::Relaxed),
        IN_POOL.load(Ordering::Relaxed),
    );
    let (c0, m0, t0) = (
        cpu_ns(libc::CLOCK_PROCESS_CPUTIME_ID),
        cpu_ns(libc::CLOCK_THREAD_CPUTIME_ID),
        Instant::now(),
    );
    let out = f();
    let wall = t0.elapsed().as_secs_f64() * 1e3;
    let (c1, m1) = (
        cpu_ns(libc::CLOCK_PROCESS_CPUTIME_ID),
        cpu_ns(libc::CLOCK_THREAD_CPUTIME_ID),
    );
    let pool_allocs = IN_POOL.load(Ordering::Relaxed) - p0;
    let cost = Cost {
        wall,
        cpu: (c1 - c0) as f64 / 1e6,
        main_cpu: (m1 - m0) as f64 / 1e6,
        pool_allocs,
        main_allocs: ALLOCATIONS.load(Ordering::Relaxed) - a0 - pool_allocs,
    };
    (out, cost)
}

const PHASES: [&str; 8] = [
    "parse",
    "themes",
    "statements",
    "corpus",
    "matrix",
    "clusters+medoids",
    "serialize",
    "whole call",
];

fn run_once(json: &str) -> [Cost; 8] {
    let mut costs = [Cost::default(); 8];
    let (responses, c) = measure(|| consensus::parse_responses(json).expect("input"));
    costs[0] = c;
    let (names, ids) = consensus::experts(&responses);
    let (_, c) = measure(|| themes::themes(&responses, &ids, &names, 20));
    costs[1] = c;
    let (_, c) = measure(|| {
        (
            themes::statements(&responses, &ids, &names, |r| &r.recommendations),
            themes::statements(&responses, &ids, &names, |r| &r.limitations),
        )
    });
    costs[2] = c;
    let texts: Vec<&str> = responses.iter().map(|r| r.content.as_str()).collect();
    let (corpus, c) = measure(|| Corpus::new(Metric::Cosine, &texts));
    costs[3] = c;
    let (s, c) = measure(|| corpus.matrix().expect("matrix"));
    costs[4] = c;
    let n = responses.len();
    let conf: Vec<f64> = responses.iter().map(|r| r.confidence).collect();
    let (_, c) = measure(|| {
        let all: Vec<usize> = (0..n).collect();
        let m = consensus::weighted_medoid(&all, &s, &conf, n);
        let cl = consensus::clusters(&s, n, 0.7);
        let scores: Vec<f64> = cl
            .iter()
            .map(|c| consensus::cluster_score(c, &s, &conf, n))
            .collect();
        (m, scores)
    });
    costs[5] = c;
    let result = consensus::analyse(&responses, &Options::default()).expect("analyse");
    let (_, c) = measure(|| serde_json::to_string(&result).expect("json"));
    costs[6] = c;
    let (_, c) = measure(|| {
        let r = consensus::parse_responses(json).expect("input");
        let out = consensus::analyse(&r, &Options::default()).expect("analyse");
        serde_json::to_string(&out).expect("json")
    });
    costs[7] = c;
    costs
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let arg = |k: usize, default: usize| {
        std::env::args()
            .nth(k)
            .and_then(|s| s.parse().ok())
            .unwrap_or(default)
    };
    let (threads, rounds) = (arg(1, 1), arg(2, 9));
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build_global()
        .expect("pool");
    let json =
        conclave_benches::responses_json(&conclave_benches::consensus_zipf(1000, 100, 5, 42));
    // Warm-up.
    for _ in 0..2 {
        run_once(&json);
    }
    let all: Vec<[Cost; 8]> = (0..rounds).map(|_| run_once(&json)).collect();
    println!(
        "{threads} thread(s), medians of {rounds}\n\
         phase              |    wall |    cpu | main cpu | pool allocs | main allocs"
    );
    for (ph, name) in PHASES.iter().enumerate() {
        let get = |f: fn(&Cost) -> f64| median(all.iter().map(|r| f(&r[ph])).collect());
        println!(
            "{name:<18} | {:7.2} | {:6.2} | {:8.2} | {:11} | {:11}",
            get(|c| c.wall),
            get(|c| c.cpu),
            get(|c| c.main_cpu),
            get(|c| c.pool_allocs as f64),
            get(|c| c.main_allocs as f64),
        );
    }
}
