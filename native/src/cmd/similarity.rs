//! `conclave similarity`: one pair, JSON Lines of pairs (`--pairs`), or an all-pairs matrix (`--matrix`).

use std::fmt::Write as _;
use std::process::ExitCode;

use anyhow::{Context, bail};
use conclave_core::similarity::{self, Metric, Score};
use serde::Deserialize;
use serde_json::json;

use super::Format;
use crate::io;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The metric: levenshtein, osa, damerau-levenshtein, indel, lcs, hamming, jaro, jaro-winkler,
    /// sorensen-dice, jaccard, cosine, token-sort, token-set, partial.
    #[arg(long, default_value = "levenshtein")]
    metric: String,
    /// Read JSON Lines `{"a": "...", "b": "..."}` (`-` for stdin); write one JSON object per line.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["matrix", "strings"])]
    pairs: Option<String>,
    /// Read a JSON array of strings (`-` for stdin); write the all-pairs similarity matrix as JSON.
    #[arg(long, value_name = "FILE", conflicts_with = "strings")]
    matrix: Option<String>,
    /// Output format for a single pair.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
    /// Refuse a --matrix of more than this many strings (the matrix takes N^2 x 8 bytes).
    #[arg(long, value_name = "N", default_value_t = MAX_ITEMS)]
    max_items: usize,
    #[command(flatten)]
    input_limit: io::InputLimit,
    /// The two strings to compare.
    #[arg(value_name = "A B", num_args = 0..=2)]
    strings: Vec<String>,
    #[command(flatten)]
    output: super::Output,
}

/// The default of `--max-items` for `similarity --matrix` and `consensus`: 20,000 items make a
/// 3.2 GB matrix.
pub const MAX_ITEMS: usize = 20_000;

/// Fails when `n` items are more than `max` (`--max-items`).
pub fn check_items(name: &str, n: usize, max: usize) -> anyhow::Result<()> {
    if n > max {
        bail!(
            "{name}: {n} items exceed the limit of {max} for an all-pairs matrix (N^2 memory; raise it with --max-items)"
        );
    }
    Ok(())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Pair {
    a: String,
    b: String,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let metric = Metric::from_name(&args.metric)?;
    let out = if let Some(path) = &args.pairs {
        pairs(metric, path, args.input_limit)?
    } else if let Some(path) = &args.matrix {
        matrix(metric, path, args.input_limit, args.max_items)?
    } else {
        let [a, b] = args.strings.as_slice() else {
            bail!("give two strings A B, or --pairs FILE, or --matrix FILE");
        };
        let score = similarity::compare(metric, a, b)?;
        match args.format {
            Format::Json => format!("{}\n", score_json(&score)),
            Format::Text => match score.distance {
                Some(d) => format!("{d}\n"),
                None => format!("{}\n", score.similarity),
            },
        }
    };
    args.output.write(out.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

/// `{"distance": d, "similarity": s}`, without `distance` for metrics that have none.
pub fn score_json(score: &Score) -> serde_json::Value {
    match score.distance {
        Some(d) => json!({ "distance": d, "similarity": score.similarity }),
        None => json!({ "similarity": score.similarity }),
    }
}

fn pairs(metric: Metric, path: &str, limit: io::InputLimit) -> anyhow::Result<String> {
    let text = io::read_text_limited(path, limit)?;
    let name = io::display_name(path);
    let mut pairs = Vec::new();
    for (k, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let pair: Pair = serde_json::from_str(line).with_context(|| {
            format!(
                "{name}:{}: expected {{\"a\": string, \"b\": string}}",
                k + 1
            )
        })?;
        pairs.push((k + 1, pair));
    }
    let scores = conclave_core::par::map_tasks(pairs.len(), |i| {
        similarity::compare(metric, &pairs[i].1.a, &pairs[i].1.b)
    });
    let mut out = String::new();
    for ((line, _), score) in pairs.iter().zip(scores) {
        let score = score.with_context(|| format!("{name}:{line}"))?;
        let _ = writeln!(out, "{}", score_json(&score));
    }
    Ok(out)
}

fn matrix(
    metric: Metric,
    path: &str,
    limit: io::InputLimit,
    max_items: usize,
) -> anyhow::Result<String> {
    let text = io::read_text_limited(path, limit)?;
    let name = io::display_name(path);
    let texts: Vec<String> = serde_json::from_str(&text).map_err(|e| {
        anyhow::anyhow!(
            "{name}:{}:{}: expected a JSON array of strings: {e}",
            e.line(),
            e.column()
        )
    })?;
    let n = texts.len();
    check_items(name, n, max_items)?;
    let m = similarity::matrix(metric, &texts).with_context(|| name.to_owned())?;
    let rows: Vec<&[f64]> = if n == 0 {
        Vec::new()
    } else {
        m.chunks(n).collect()
    };
    Ok(format!("{}\n", serde_json::to_string(&rows)?))
}

/// The similarity section of `conclave demo`: how alike the sample experts' answers are.
pub fn demo_section(answers: &[(&str, &str)]) -> anyhow::Result<String> {
    let texts: Vec<&str> = answers.iter().map(|(_, t)| *t).collect();
    let mut out = String::from("## Similarity of the experts' answers\n\n");
    for metric in [Metric::Cosine, Metric::Jaccard, Metric::Levenshtein] {
        let m = similarity::matrix(metric, &texts)?;
        let n = texts.len();
        let _ = writeln!(out, "{metric} (all pairs):");
        let _ = write!(out, "{:>12}", "");
        for (name, _) in answers {
            let _ = write!(out, "{name:>12}");
        }
        out.push('\n');
        for (i, (name, _)) in answers.iter().enumerate() {
            let _ = write!(out, "{name:>12}");
            for j in 0..n {
                let _ = write!(out, "{:>12.3}", m[i * n + j]);
            }
            out.push('\n');
        }
        out.push('\n');
    }
    Ok(out)
}
