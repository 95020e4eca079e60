//! The origin report's tables that no other bench covers, at the report's sizes:
//! - `report/aggregation/{10,50,100,500}`: `consensus::analyse` of 20 experts whose responses are
//!   10-500 words (Zipf vocabulary, paraphrase groups of 5), throughput in bytes of content, so
//!   criterion prints MB/s like the report's table 4.1;
//! - `report/patterns/{10,50,100,200}`: consensus themes (`consensus::themes::themes`) over 20
//!   responses of 20 sentences drawn from K unique 3-word phrases (the report's table 5.1);
//! - `report/threads/{1,2,4,8,...}`: the cosine similarity matrix of 1000 experts x 100 words on a
//!   rayon pool of 1 and of 2 threads, and of 4, 8, ... up to the machine's cores where it has
//!   more (the report's table 6.1 went to 8; the shared machine has 2).
//!
//! Memory (the report's table 9.1) is measured on the CLI by `benches/compare-report`.
//! Inputs are built outside the timed loop by the `conclave_benches` generators.

use std::hint::black_box;

use conclave_benches::{consensus_zipf, phrase_responses};
use conclave_core::consensus::{self, Options, themes};
use conclave_core::similarity::{Corpus, Metric};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

fn aggregation(c: &mut Criterion) {
    let options = Options::default();
    let mut g = c.benchmark_group("report/aggregation");
    for words in [10, 50, 100, 500] {
        let responses = consensus_zipf(20, words, 5, 42);
        let bytes: usize = responses.iter().map(|r| r.content.len()).sum();
        g.throughput(Throughput::Bytes(bytes as u64));
        g.bench_with_input(BenchmarkId::from_parameter(words), &responses, |b, r| {
            b.iter(|| consensus::analyse(black_box(r), &options))
        });
    }
    g.finish();
}

fn patterns(c: &mut Criterion) {
    let mut g = c.benchmark_group("report/patterns");
    for unique in [10, 50, 100, 200] {
        let responses = phrase_responses(20, unique, 20, 7);
        // Names are zero-padded, so sorted order is index order: expert i has id i.
        let names: Vec<&str> = responses.iter().map(|r| r.expert.as_str()).collect();
        let ids: Vec<usize> = (0..responses.len()).collect();
        g.bench_with_input(BenchmarkId::from_parameter(unique), &responses, |b, r| {
            b.iter(|| themes::themes(black_box(r), &ids, &names, 20))
        });
    }
    g.finish();
}

fn threads(c: &mut Criterion) {
    let responses = consensus_zipf(1000, 100, 5, 42);
    let texts: Vec<&str> = responses.iter().map(|r| r.content.as_str()).collect();
    let mut g = c.benchmark_group("report/threads");
    g.sample_size(10);
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let counts = [1, 2, 4, 8, 16, 32, 64];
    for t in counts.into_iter().filter(|&t| t <= 2 || t <= cores) {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(t)
            .build()
            .expect("thread pool");
        g.bench_function(BenchmarkId::from_parameter(t), |b| {
            b.iter(|| pool.install(|| Corpus::new(Metric::Cosine, black_box(&texts)).matrix()))
        });
    }
    g.finish();
}

criterion_group!(benches, aggregation, patterns, threads);
criterion_main!(benches);
