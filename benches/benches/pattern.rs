//! `pattern`: all features of one 1M-point series (fresh, and with FFT plans kept), and a batch of 10,000 series of 1,000 points
//! on 1 and 2 threads. Inputs are [`series`] (also built by `benches/compare-pattern` for the
//! numpy/scipy peer, same formula).

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

use conclave_core::pattern::{self, Options};

/// `sin(2 pi t / 50) + 0.5 sin(2 pi t / 7.3) + 0.002 t + u`, `u` uniform in [-0.5, 0.5) from a
/// multiplicative hash of `t + seed * n` (the same in numpy with uint64 wrapping).
pub fn series(n: usize, seed: u64) -> Vec<f64> {
    (0..n as u64)
        .map(|t| {
            let h = (t + seed * n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 11;
            let u = h as f64 / (1u64 << 53) as f64 - 0.5;
            let tf = t as f64;
            (std::f64::consts::TAU * tf / 50.0).sin()
                + 0.5 * (std::f64::consts::TAU * tf / 7.3).sin()
                + 0.002 * tf
                + u
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let options = Options::default();
    let mut group = c.benchmark_group("pattern");
    group.sample_size(10);

    let one = series(1_000_000, 0);
    group.bench_function("all_features_1m", |b| {
        b.iter(|| pattern::analyze(black_box(&one), &options).unwrap())
    });
    // FFT plans and twiddles kept between calls, as numpy's pocketfft caches its plans.
    let mut workspace = pattern::Workspace::new();
    group.bench_function("all_features_1m_warm", |b| {
        b.iter(|| workspace.analyze(black_box(&one), &options).unwrap())
    });

    let batch: Vec<Vec<f64>> = (0..10_000).map(|s| series(1_000, s + 1)).collect();
    for threads in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        group.bench_function(format!("batch_10000x1000_threads_{threads}"), |b| {
            b.iter(|| pool.install(|| pattern::analyze_batch(black_box(&batch), &options)))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
