//! Log analysis throughput: levels + per-minute histogram + 3 error patterns over the deterministic
//! application log of `conclave_benches::app_log`, one chunk (sequential) and 4 MiB pieces merged
//! (rayon with the `parallel` feature). The same inputs are written by `examples/gen-logs.rs` for
//! `benches/compare-logs`, which times ripgrep and a Python baseline on them in the same run.

use conclave_core::logs::{Analyzer, DEFAULT_YEAR, TemplateMiner, detect};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

fn patterns() -> Vec<(String, String)> {
    [
        ("timeout", "timeout"),
        ("refused", "connection refused"),
        ("oom", "OutOfMemoryError"),
    ]
    .iter()
    .map(|(n, r)| (n.to_string(), r.to_string()))
    .collect()
}

fn logs(c: &mut Criterion) {
    let mut group = c.benchmark_group("logs");
    for mb in [1usize, 10] {
        let data = conclave_benches::app_log(mb << 20, 1);
        let format = detect(&data[..64 * 1024], DEFAULT_YEAR);
        let analyzer = Analyzer::new(format, DEFAULT_YEAR, &patterns()).expect("patterns");
        group.throughput(Throughput::Bytes(data.len() as u64));
        group.bench_with_input(
            BenchmarkId::new("one_chunk", format!("{mb}MB")),
            &data,
            |b, d| b.iter(|| analyzer.analyse_all(d)),
        );
        group.bench_with_input(
            BenchmarkId::new("pieces_4MiB", format!("{mb}MB")),
            &data,
            |b, d| b.iter(|| analyzer.analyse_parallel(d, 4 << 20)),
        );
        if mb == 1 {
            group.bench_with_input(
                BenchmarkId::new("templates", format!("{mb}MB")),
                &data,
                |b, d| {
                    b.iter(|| {
                        let mut m = TemplateMiner::new(format, DEFAULT_YEAR);
                        m.feed(d);
                        m.finish()
                    })
                },
            );
        }
    }
    group.finish();
}

criterion_group!(benches, logs);
criterion_main!(benches);
