//! criterion group `similarity`: the report's table (20 experts x 100 words, all pairs: cosine vs
//! Jaccard vs normalized Levenshtein), single ~700-char pairs, and 1000 x 100-word all-pairs
//! cosine. Inputs come from `conclave_benches` generators, built outside the timed loop; the same
//! inputs go to rapidfuzz and scikit-learn in `benches/compare-similarity`.

use std::hint::black_box;

use conclave_benches::{edited_pairs, zipf_texts};
use conclave_core::similarity::{self, Corpus, Metric};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

fn report_table(c: &mut Criterion) {
    let texts = zipf_texts(20, 100, 3000, 42);
    let mut g = c.benchmark_group("similarity/report-20x100");
    for metric in [Metric::Cosine, Metric::Jaccard, Metric::Levenshtein] {
        g.bench_with_input(BenchmarkId::from_parameter(metric), &texts, |b, t| {
            b.iter(|| similarity::matrix(metric, black_box(t)))
        });
    }
    g.finish();
}

fn pairs_700(c: &mut Criterion) {
    let pairs = edited_pairs(100, 700, 0.1, 7);
    let mut g = c.benchmark_group("similarity/pair-700");
    for metric in [Metric::Levenshtein, Metric::Indel, Metric::JaroWinkler] {
        g.bench_with_input(BenchmarkId::from_parameter(metric), &pairs, |b, p| {
            b.iter(|| {
                p.iter()
                    .map(|(x, y)| {
                        similarity::compare(metric, x, y)
                            .map(|s| s.similarity)
                            .unwrap_or(0.0)
                    })
                    .sum::<f64>()
            })
        });
    }
    // The same pairs with strings prepared once (the batch path).
    let corpus = Corpus::new(
        Metric::Levenshtein,
        &pairs.iter().flat_map(|(a, b)| [a, b]).collect::<Vec<_>>(),
    );
    g.bench_function("levenshtein-prepared", |b| {
        b.iter(|| {
            (0..pairs.len())
                .map(|k| {
                    corpus
                        .score(2 * k, 2 * k + 1)
                        .map(|s| s.similarity)
                        .unwrap_or(0.0)
                })
                .sum::<f64>()
        })
    });
    g.finish();
}

fn cosine_1000(c: &mut Criterion) {
    let texts = zipf_texts(1000, 100, 3000, 1);
    let mut g = c.benchmark_group("similarity/matrix-1000x100");
    g.sample_size(10);
    g.bench_function("cosine", |b| {
        b.iter(|| similarity::matrix(Metric::Cosine, black_box(&texts)))
    });
    g.finish();
}

criterion_group!(benches, report_table, pairs_700, cosine_1000);
criterion_main!(benches);
