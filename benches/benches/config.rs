//! Config parsing into conclave's value tree: generated services files (env, ports, resources,
//! labels) of 1 KB, 10 KB, 100 KB and 1 MB, in YAML and in JSON, and in TOML written with a table
//! header per service and per sub-table ([`config_toml`]: 13,617 headers in the 1 MB file, the
//! shape whose parse once grew with headers x size; its time per byte must stay flat across sizes). The exact inputs are also written
//! to `benches/out/config/<size>.<yaml|json>` so that `benches/compare-config` can time the peers
//! (PyYAML's CSafeLoader, Python's json.loads) on the same bytes in the same run.
//!
//! With `CONFIG_BENCH_CPU_TIME=FILE` set, the binary skips criterion and prints the median, the
//! minimum and the maximum CPU time of one parse of FILE and the number of samples (seconds,
//! thread CPU time, batched to 1 ms or more, over `CONFIG_BENCH_CPU_BUDGET` CPU-seconds, default 2).
//! The comparison script uses it to alternate conclave and the peers on a machine whose cores are
//! shared: wall-clock medians there measure the neighbours as much as the parser.

use std::env;
use std::fs;
use std::hint::black_box;
use std::path::PathBuf;

use conclave_benches::{CONFIG_SIZES, config_json, config_yaml};
use conclave_core::config::{Format, Limits, parse};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group};

fn bench(c: &mut Criterion) {
    let out = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("out/config");
    let _ = fs::create_dir_all(&out);
    let limits = Limits::default();
    for (format, ext, generate) in [
        (Format::Yaml, "yaml", config_yaml as fn(usize) -> String),
        (Format::Json, "json", config_json),
        (Format::Toml, "toml", config_toml),
    ] {
        let mut group = c.benchmark_group(format!("config/{ext}"));
        for (label, size) in CONFIG_SIZES {
            let text = generate(size);
            let _ = fs::write(out.join(format!("{label}.{ext}")), &text);
            // Check the input parses before timing it.
            assert!(
                parse(&text, format, &limits).is_ok(),
                "{label}.{ext} parses"
            );
            group.throughput(Throughput::Bytes(text.len() as u64));
            group.bench_with_input(BenchmarkId::from_parameter(label), &text, |b, text| {
                b.iter(|| parse(black_box(text), format, &limits))
            });
        }
        group.finish();
    }
}

/// A TOML services file of about `target_bytes` bytes (deterministic): per service a
/// `[[services]]` header and `[services.env]`, `[services.resources]` sub-tables, plus
/// `[hosts.<name>]` dotted headers.
fn config_toml(target_bytes: usize) -> String {
    let mut out = String::from("version = 3\nfleet = \"bench\"\n\n[defaults]\nretries = 2\n\n");
    let mut i = 0usize;
    while out.len() < target_bytes || i == 0 {
        out.push_str(&format!(
            "[[services]]\nname = \"svc-{i:05}\"\nimage = \"registry.example.com/app:1.{}.{}\"\n\
             port = {}\nreplicas = {}\nenabled = {}\ntags = [\"team-{}\", \"eu-west-1\"]\n\n\
             [services.env]\nLOG_LEVEL = \"info\"\nSECRET_REF = \"vault:kv/app/{i:05}\"\n\n\
             [services.resources]\ncpu = {}\nmemory = \"{}Mi\"\n\n\
             [hosts.host-{i:05}]\naddress = \"10.{}.{}.{}\"\n\n",
            i % 20,
            i % 10,
            10000 + i,
            1 + i % 8,
            !i.is_multiple_of(10),
            i % 17,
            0.25 * (1 + i % 4) as f64,
            128 << (i % 4),
            i >> 16,
            (i >> 8) & 255,
            i & 255,
        ));
        i += 1;
    }
    out
}

/// This thread's CPU time in nanoseconds (`CLOCK_THREAD_CPUTIME_ID`, what Python's
/// `time.thread_time` reads; `/proc/thread-self/schedstat` is only updated at scheduler ticks).
fn thread_cpu_ns() -> Option<u64> {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec for the duration of the call.
    let r = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    (r == 0).then(|| ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64)
}

/// (median, min, max, samples) CPU seconds of one parse of `path`, over about `budget_ns` of batches.
fn cpu_time(path: &str, budget_ns: u64) -> Option<(f64, f64, f64, usize)> {
    let text = fs::read_to_string(path).ok()?;
    let format = Format::from_extension(path)?;
    let limits = Limits::default();
    let once = || black_box(parse(black_box(&text), format, &limits)).is_ok();
    // Batch size: enough parses for about a millisecond of CPU.
    let start = thread_cpu_ns()?;
    once();
    let one = thread_cpu_ns()?.saturating_sub(start).max(1);
    let batch = (1_000_000 / one).clamp(1, 100_000);
    let mut samples = Vec::new();
    let mut spent = 0u64;
    while spent < budget_ns || samples.len() < 3 {
        let t0 = thread_cpu_ns()?;
        for _ in 0..batch {
            once();
        }
        let dt = thread_cpu_ns()?.saturating_sub(t0);
        spent += dt;
        samples.push(dt as f64 / batch as f64 / 1e9);
    }
    samples.sort_by(f64::total_cmp);
    Some((
        samples[samples.len() / 2],
        samples[0],
        samples[samples.len() - 1],
        samples.len(),
    ))
}

criterion_group!(benches, bench);

fn main() {
    if let Ok(path) = env::var("CONFIG_BENCH_CPU_TIME") {
        let budget = env::var("CONFIG_BENCH_CPU_BUDGET")
            .ok()
            .and_then(|s| s.parse::<f64>().ok())
            .filter(|s| s.is_finite() && *s >= 0.0)
            .unwrap_or(2.0);
        match cpu_time(&path, (budget * 1e9) as u64) {
            Some((median, min, max, n)) => println!("{median:e} {min:e} {max:e} {n}"),
            None => {
                eprintln!("cannot time {path}");
                std::process::exit(2);
            }
        }
        return;
    }
    benches();
    criterion::Criterion::default()
        .configure_from_args()
        .final_summary();
}
