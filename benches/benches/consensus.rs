//! Consensus benches: the origin report's rows (experts 5, 10, 20, 50 with its near-identical
//! generator), the same sizes with realistic distinct responses (3000-word Zipf vocabulary, 100
//! words, paraphrase groups of 5 with ~25% edits), and 1000 experts x 100 words (cosine): the
//! matrix alone and the whole analysis. Every row runs on a 1-thread and a 2-thread rayon pool.
//! Inputs are built outside `b.iter`; `benches/compare-consensus` gives the same 1000 x 100 texts
//! to scikit-learn.

use std::hint::black_box;

use conclave_benches::{consensus_origin, consensus_zipf};
use conclave_core::consensus::{self, Options, Response};
use conclave_core::similarity::{Corpus, Metric};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

fn pools() -> Vec<(usize, rayon::ThreadPool)> {
    [1, 2]
        .into_iter()
        .map(|t| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(t)
                .build()
                .expect("thread pool");
            (t, pool)
        })
        .collect()
}

fn rows(c: &mut Criterion, group: &str, inputs: &[(usize, Vec<Response>)]) {
    let pools = pools();
    let mut g = c.benchmark_group(group);
    let options = Options::default();
    for (n, responses) in inputs {
        for (t, pool) in &pools {
            g.bench_with_input(
                BenchmarkId::new(format!("threads{t}"), n),
                responses,
                |b, r| b.iter(|| pool.install(|| consensus::analyse(black_box(r), &options))),
            );
        }
    }
    g.finish();
}

fn origin(c: &mut Criterion) {
    let inputs: Vec<_> = [5, 10, 20, 50]
        .into_iter()
        .map(|n| (n, consensus_origin(n)))
        .collect();
    rows(c, "consensus_origin", &inputs);
}

fn zipf(c: &mut Criterion) {
    let inputs: Vec<_> = [5, 10, 20, 50]
        .into_iter()
        .map(|n| (n, consensus_zipf(n, 100, 5, 42)))
        .collect();
    rows(c, "consensus_zipf", &inputs);
}

fn thousand(c: &mut Criterion) {
    let responses = consensus_zipf(1000, 100, 5, 42);
    let texts: Vec<&str> = responses.iter().map(|r| r.content.as_str()).collect();
    let options = Options::default();
    let mut g = c.benchmark_group("consensus_1000x100");
    g.sample_size(10);
    for (t, pool) in &pools() {
        g.bench_function(BenchmarkId::new("matrix", format!("threads{t}")), |b| {
            b.iter(|| pool.install(|| Corpus::new(Metric::Cosine, black_box(&texts)).matrix()))
        });
        g.bench_function(BenchmarkId::new("analyse", format!("threads{t}")), |b| {
            b.iter(|| pool.install(|| consensus::analyse(black_box(&responses), &options)))
        });
    }
    g.finish();
}

criterion_group!(benches, origin, zipf, thousand);
criterion_main!(benches);
