//! `conclave pattern FILE`: features of numeric series (statistics, spectrum, autocorrelation,
//! trend, anomalies, change points, complexity). Input: CSV with a header, a JSON array of numbers
//! or JSON Lines `{"id": ..., "values": [...]}`. Output: one JSON object per series per line
//! (`--format json`) or a readable report. Keys are documented in docs/pattern.md.

use std::fmt::Write as _;
use std::process::ExitCode;

use anyhow::Context;
use conclave_core::pattern::{self, Features, Options, Record, Series};

use super::Format;
use crate::io;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// CSV with a header, a JSON array of numbers, or JSON Lines {"id", "values"} (`-` for stdin).
    #[arg(value_name = "FILE")]
    file: String,
    /// Analyse only this CSV column (default: every column whose first value is a number).
    #[arg(long, value_name = "NAME")]
    column: Option<String>,
    /// Report autocorrelation lags 0..=L.
    #[arg(long, value_name = "L", default_value_t = pattern::DEFAULT_MAX_LAG)]
    max_lag: usize,
    /// Report the K dominant frequencies.
    #[arg(long, value_name = "K", default_value_t = pattern::DEFAULT_TOP)]
    top: usize,
    /// Leave out values that are not finite numbers instead of failing (counted in `skipped`).
    #[arg(long)]
    skip_invalid: bool,
    #[command(flatten)]
    input_limit: io::InputLimit,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
    #[command(flatten)]
    output: super::Output,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let text = io::read_text_limited(&args.file, args.input_limit)?;
    let name = io::display_name(&args.file);
    let series = pattern::input::parse(&text, args.column.as_deref(), args.skip_invalid)
        .with_context(|| name.to_owned())?;
    let options = Options {
        max_lag: args.max_lag,
        top: args.top,
    };
    let features = analyze_all(&series, &options).with_context(|| name.to_owned())?;
    let out = match args.format {
        Format::Json => json_lines(&series, &features)?,
        Format::Text => series
            .iter()
            .zip(&features)
            .map(|(s, f)| report(&s.id, s.skipped, f))
            .collect::<Vec<_>>()
            .join("\n"),
    };
    args.output.write(out.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

fn analyze_all(series: &[Series], options: &Options) -> anyhow::Result<Vec<Features>> {
    let values: Vec<&[f64]> = series.iter().map(|s| s.values.as_slice()).collect();
    pattern::analyze_batch(&values, options)
        .into_iter()
        .zip(series)
        .map(|(r, s)| r.with_context(|| format!("series {:?}", s.id)))
        .collect()
}

fn json_lines(series: &[Series], features: &[Features]) -> anyhow::Result<String> {
    let mut out = String::new();
    for (s, f) in series.iter().zip(features) {
        let record = Record {
            id: &s.id,
            skipped: s.skipped,
            features: f,
        };
        out.push_str(&serde_json::to_string(&record)?);
        out.push('\n');
    }
    Ok(out)
}

/// A number for people: six significant digits, `-` when undefined.
fn num(v: Option<f64>) -> String {
    match v {
        None => "-".to_owned(),
        Some(0.0) => "0".to_owned(),
        Some(v) if (1e-3..1e9).contains(&v.abs()) => {
            let digits = (5 - v.abs().log10().floor() as i32).clamp(0, 9) as usize;
            format!("{v:.digits$}")
        }
        Some(v) => format!("{v:.5e}"),
    }
}

fn list(items: &[usize], limit: usize) -> String {
    let mut s = items
        .iter()
        .take(limit)
        .map(usize::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > limit {
        let _ = write!(s, ", ... ({} more)", items.len() - limit);
    }
    if s.is_empty() { "none".to_owned() } else { s }
}

/// The readable report of one series.
fn report(id: &str, skipped: usize, f: &Features) -> String {
    let mut o = String::new();
    let _ = write!(o, "series {id}: n = {}", f.n);
    if skipped > 0 {
        let _ = write!(o, " ({skipped} invalid values skipped)");
    }
    o.push('\n');
    let _ = writeln!(
        o,
        "  mean {}  std {}  population std {}  min {}  max {}",
        num(f.mean),
        num(f.std),
        num(f.population_std),
        num(f.min),
        num(f.max)
    );
    let p = &f.percentiles;
    let _ = writeln!(
        o,
        "  percentiles  p5 {}  p25 {}  p50 {}  p75 {}  p95 {}  p99 {}",
        num(p.p5),
        num(p.p25),
        num(p.p50),
        num(p.p75),
        num(p.p95),
        num(p.p99)
    );
    let _ = writeln!(
        o,
        "  skewness {}  excess kurtosis {}  MAD {}  roughness {}",
        num(f.skewness),
        num(f.kurtosis),
        num(f.mad),
        num(f.roughness)
    );
    let _ = writeln!(
        o,
        "  trend  slope {} per step  intercept {}  r2 {}",
        num(f.slope),
        num(f.intercept),
        num(f.r2)
    );
    let dominant: Vec<String> = f
        .spectrum
        .dominant
        .iter()
        .map(|d| {
            format!(
                "period {} ({:.1}% of power)",
                num(Some(d.period)),
                d.power * 100.0
            )
        })
        .collect();
    let _ = writeln!(
        o,
        "  spectrum  {}  centroid {}  entropy {}",
        if dominant.is_empty() {
            "no variation".to_owned()
        } else {
            dominant.join(", ")
        },
        num(f.spectrum.centroid),
        num(f.spectrum.entropy)
    );
    match &f.period {
        Some(p) => {
            let _ = writeln!(
                o,
                "  period  {} steps (autocorrelation {})",
                p.lag,
                num(Some(p.strength))
            );
        }
        None => o.push_str("  period  none\n"),
    }
    if let Some(acf) = &f.autocorrelation {
        let shown: Vec<String> = acf.iter().take(11).map(|r| format!("{r:.3}")).collect();
        let _ = writeln!(
            o,
            "  autocorrelation (lags 0..{})  {}{}",
            acf.len().saturating_sub(1),
            shown.join(" "),
            if acf.len() > 11 { " ..." } else { "" }
        );
    }
    let _ = writeln!(
        o,
        "  anomalies ({})  {}",
        f.anomalies.len(),
        list(&f.anomalies, 20)
    );
    let _ = writeln!(
        o,
        "  change points ({})  {}",
        f.change_points.len(),
        list(&f.change_points, 20)
    );
    let _ = writeln!(
        o,
        "  complexity {}  uniqueness {}",
        num(f.complexity),
        num(f.uniqueness)
    );
    o
}

/// Uniform noise in `[-amplitude, amplitude)` from a fixed xorshift64 sequence.
fn noise(count: usize, seed: u64, amplitude: f64) -> Vec<f64> {
    let mut state = seed;
    (0..count)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            ((state >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0) * amplitude
        })
        .collect()
}

/// Two sample series over six hours, one point per minute: checkout latency (ms) with a slow
/// deploy at minute 200 (+35 ms) and a 400 ms spike at minute 90; requests per second with a
/// 60-minute cycle.
pub fn samples() -> [(&'static str, Vec<f64>); 2] {
    let latency = noise(360, 0x2545_f491_4f6c_dd1d, 4.0)
        .into_iter()
        .enumerate()
        .map(|(t, e)| {
            let deploy = if t >= 200 { 35.0 } else { 0.0 };
            let spike = if t == 90 { 400.0 } else { 0.0 };
            120.0 + deploy + spike + e
        })
        .collect();
    let requests = noise(360, 0x9e37_79b9_7f4a_7c15, 30.0)
        .into_iter()
        .enumerate()
        .map(|(t, e)| 800.0 + 150.0 * (std::f64::consts::TAU * t as f64 / 60.0).sin() + e)
        .collect();
    [
        ("checkout_latency_ms", latency),
        ("requests_per_s", requests),
    ]
}

pub fn demo() -> anyhow::Result<Option<String>> {
    let mut out = String::from(
        "## Patterns in two metrics\n\n\
         Six hours, one point per minute: checkout latency with a deploy at minute 200 and a \
         spike at minute 90; requests per second with an hourly cycle.\n\n",
    );
    let samples = samples();
    let values: Vec<&[f64]> = samples.iter().map(|(_, v)| v.as_slice()).collect();
    let results = pattern::analyze_batch(&values, &Options::default());
    for ((id, _), f) in samples.iter().zip(results) {
        out.push_str(&report(id, 0, &f?));
        out.push('\n');
    }
    Ok(Some(out))
}
