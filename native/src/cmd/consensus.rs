//! `conclave consensus` and `conclave vote`: what a panel of experts agrees on, how strongly, and
//! who dissents; and the self-consistency majority vote over their final answers.
//!
//! Both read a JSON array or JSON Lines of responses (`{"expert", "content", "confidence", ...}`,
//! see `conclave_core::consensus`), compute in core, and write JSON or a readable report whole.

use std::fmt::Write as _;
use std::process::ExitCode;

use conclave_core::consensus::{self, Consensus, Options, Response, Vote};
use conclave_core::similarity::Metric;

use super::Format;
use crate::io;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Responses: a JSON array or JSON Lines of {"expert", "content", "confidence", ...} (`-` for stdin).
    #[arg(value_name = "FILE")]
    file: String,
    /// The text metric of `conclave similarity` used to compare responses.
    #[arg(long, default_value = "cosine")]
    metric: String,
    /// Two responses are neighbours when their similarity is at least this (0 to 1).
    #[arg(long, default_value_t = 0.7)]
    threshold: f64,
    /// Include the all-pairs similarity matrix.
    #[arg(long)]
    matrix: bool,
    /// Refuse more than this many responses (the analysis builds an N^2 similarity matrix).
    #[arg(long, value_name = "N", default_value_t = super::similarity::MAX_ITEMS)]
    max_items: usize,
    #[command(flatten)]
    input_limit: io::InputLimit,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
    #[command(flatten)]
    output: super::Output,
}

#[derive(Debug, clap::Args)]
pub struct VoteArgs {
    /// Responses: a JSON array or JSON Lines of {"expert", "content", "confidence", ...} (`-` for stdin).
    #[arg(value_name = "FILE")]
    file: String,
    /// The answer is capture group 1 of the last match of this regular expression (default: the
    /// whole content).
    #[arg(long, value_name = "REGEX")]
    extract: Option<String>,
    /// Weigh each vote by the response's confidence.
    #[arg(long)]
    weighted: bool,
    #[command(flatten)]
    input_limit: io::InputLimit,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
    #[command(flatten)]
    output: super::Output,
}

fn read_responses(path: &str, limit: io::InputLimit) -> anyhow::Result<Vec<Response>> {
    let text = io::read_text_limited(path, limit)?;
    consensus::parse_responses(&text)
        .map_err(|e| anyhow::anyhow!("{}: {e}", io::display_name(path)))
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let metric = Metric::from_name(&args.metric)?;
    let responses = read_responses(&args.file, args.input_limit)?;
    super::similarity::check_items(
        io::display_name(&args.file),
        responses.len(),
        args.max_items,
    )?;
    let options = Options {
        metric,
        threshold: args.threshold,
        include_matrix: args.matrix,
        ..Options::default()
    };
    let result = consensus::analyse(&responses, &options)
        .map_err(|e| anyhow::anyhow!("{}: {e}", io::display_name(&args.file)))?;
    let out = match args.format {
        Format::Json => format!("{}\n", serde_json::to_string_pretty(&result)?),
        Format::Text => consensus_text(&result, &responses),
    };
    args.output.write(out.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

/// Exits 1 when every response abstained (no winner).
pub fn run_vote(args: VoteArgs) -> anyhow::Result<ExitCode> {
    let responses = read_responses(&args.file, args.input_limit)?;
    let result = consensus::vote(&responses, args.extract.as_deref(), args.weighted)
        .map_err(|e| anyhow::anyhow!("{}: {e}", io::display_name(&args.file)))?;
    let out = match args.format {
        Format::Json => format!("{}\n", serde_json::to_string_pretty(&result)?),
        Format::Text => vote_text(&result, responses.len()),
    };
    args.output.write(out.as_bytes())?;
    Ok(if result.winner.is_some() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// `text` on one line, cut to `max` chars with an ellipsis. Only the words that can show are read.
fn short(text: &str, max: usize) -> String {
    let (mut line, mut chars) = (String::new(), 0);
    for word in text.split_whitespace() {
        if !line.is_empty() {
            line.push(' ');
            chars += 1;
        }
        line.push_str(word);
        chars += word.chars().count();
        if chars > max {
            let cut: String = line.chars().take(max.saturating_sub(1)).collect();
            return format!("{cut}…");
        }
    }
    line
}

fn index_list(indices: &[usize]) -> String {
    let parts: Vec<String> = indices.iter().map(usize::to_string).collect();
    format!("[{}]", parts.join(", "))
}

/// The readable report of a consensus.
pub fn consensus_text(c: &Consensus, responses: &[Response]) -> String {
    let n = responses.len();
    let mut out = String::new();
    let home = c
        .clusters
        .iter()
        .position(|cl| cl.contains(&c.consensus.index))
        .unwrap_or(0);
    let _ = writeln!(
        out,
        "Consensus ({} >= {}): {} agreement, score {:.3}, confidence {:.3}, {} of {n} responses",
        c.metric,
        c.threshold,
        c.level.name(),
        c.score,
        c.confidence,
        c.clusters.get(home).map_or(0, Vec::len)
    );
    let _ = writeln!(
        out,
        "  [{}] {}: {}",
        c.consensus.index,
        c.consensus.expert,
        short(&c.consensus.content, 200)
    );
    let _ = writeln!(out, "\nClusters ({}):", c.clusters.len());
    for (k, cl) in c.clusters.iter().enumerate() {
        let names: Vec<&str> = cl.iter().map(|&i| responses[i].expert.as_str()).collect();
        let mark = if k == home { "  <- consensus" } else { "" };
        let _ = writeln!(
            out,
            "  {}. {} {}{mark}",
            k + 1,
            index_list(cl),
            short(&names.join(", "), 120)
        );
    }
    if !c.dissent.is_empty() {
        let _ = writeln!(out, "\nDissent:");
        for d in &c.dissent {
            let _ = writeln!(
                out,
                "  - {} via [{}] {}: {}",
                index_list(&d.cluster),
                d.representative,
                responses[d.representative].expert,
                short(&d.content, 160)
            );
        }
    }
    if !c.outliers.is_empty() {
        let _ = writeln!(out, "\nOutliers: {}", index_list(&c.outliers));
    }
    if !c.themes.is_empty() {
        let _ = writeln!(out, "\nThemes:");
        for t in &c.themes {
            let _ = writeln!(
                out,
                "  - \"{}\": {} experts (weight {:.2}): {}",
                t.phrase,
                t.support,
                t.weight,
                short(&t.experts.join(", "), 100)
            );
        }
    }
    if !c.common_recommendations.is_empty() {
        let _ = writeln!(out, "\nCommon recommendations:");
        for r in &c.common_recommendations {
            let _ = writeln!(
                out,
                "  - {} ({}: {})",
                r.text,
                r.support,
                short(&r.experts.join(", "), 100)
            );
        }
    }
    if !c.unique_limitations.is_empty() {
        let _ = writeln!(out, "\nLimitations:");
        for l in &c.unique_limitations {
            let _ = writeln!(
                out,
                "  - {} ({})",
                l.text,
                short(&l.experts.join(", "), 100)
            );
        }
    }
    if !c.insights.is_empty() {
        let _ = writeln!(out, "\nInsights:");
        for s in &c.insights {
            let _ = writeln!(out, "  - {s}");
        }
    }
    if let Some(m) = &c.matrix {
        let _ = writeln!(out, "\nSimilarity matrix ({}):", c.metric);
        for row in m {
            let cells: Vec<String> = row.iter().map(|x| format!("{x:.3}")).collect();
            let _ = writeln!(out, "  {}", cells.join(" "));
        }
    }
    out
}

/// The readable report of a vote.
pub fn vote_text(v: &Vote, total: usize) -> String {
    let mut out = String::new();
    match &v.winner {
        Some(w) => {
            let _ = writeln!(
                out,
                "Winner: {w} (share {:.3}{})",
                v.share,
                if v.weighted {
                    ", by confidence weight"
                } else {
                    ""
                }
            );
        }
        None => {
            let _ = writeln!(out, "No winner: every response abstained.");
        }
    }
    for b in &v.votes {
        let _ = writeln!(
            out,
            "  {:>4} vote(s), weight {:.3}: {} ({})",
            b.count,
            b.weight,
            short(&b.answer, 80),
            short(&b.experts.join(", "), 100)
        );
    }
    let _ = writeln!(
        out,
        "Abstained: {} of {total}{}",
        v.abstained.len(),
        if v.abstained.is_empty() {
            String::new()
        } else {
            format!(" {}", index_list(&v.abstained))
        }
    );
    out
}

/// The sample panel: the demo's answers with confidences, recommendations and limitations.
pub fn sample_responses() -> Vec<Response> {
    let confidences = [0.9, 0.85, 0.8, 0.6, 0.55];
    let recommendations: [&[&str]; 5] = [
        &[
            "Increase the pool size.",
            "Add an index on orders.customer_id",
        ],
        &["add an index on orders.customer_id", "Grow the pool"],
        &[
            "Add an index on orders.customer_id.",
            "increase the pool size",
        ],
        &["Check the MTU settings"],
        &["Warm the cache before switching traffic"],
    ];
    let limitations: [&[&str]; 5] = [
        &["No access to the query plans"],
        &["no access to the query plans."],
        &[],
        &["Packet captures were not available"],
        &[],
    ];
    super::demo::SAMPLE_ANSWERS
        .iter()
        .enumerate()
        .map(|(i, (expert, content))| {
            let mut r = Response::new(expert, content, confidences[i]);
            r.recommendations = recommendations[i].iter().map(|s| s.to_string()).collect();
            r.limitations = limitations[i].iter().map(|s| s.to_string()).collect();
            r
        })
        .collect()
}

pub fn demo() -> anyhow::Result<Option<String>> {
    let responses = sample_responses();
    let options = Options {
        threshold: 0.65,
        ..Options::default()
    };
    let result = consensus::analyse(&responses, &options)?;
    let mut out =
        String::from("## Consensus of the experts (conclave consensus --threshold 0.65)\n\n");
    out.push_str(&consensus_text(&result, &responses));
    // Self-consistency: five samples of one model on an arithmetic question.
    let samples = [
        ("sample-1", "6 * 4 = 24, so the answer is 24", 0.9),
        (
            "sample-2",
            "4 + 4 + 4 + 4 + 4 + 4 = 24. The answer is 24.0",
            0.8,
        ),
        ("sample-3", "6 * 4 is 20 + 4... the answer is 22", 0.4),
        (
            "sample-4",
            "Six fours make twenty-four: the answer is 24",
            0.7,
        ),
        ("sample-5", "I am not sure.", 0.2),
    ];
    let samples: Vec<Response> = samples
        .iter()
        .map(|(e, c, p)| Response::new(e, c, *p))
        .collect();
    let v = consensus::vote(&samples, Some(r"answer is\s+([-+0-9.]+)"), false)?;
    out.push_str("\n## Majority vote (conclave vote --extract 'answer is\\s+([-+0-9.]+)')\n\n");
    out.push_str(&vote_text(&v, samples.len()));
    Ok(Some(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `short` by its definition: the whole text on one line, then cut.
    fn reference_short(text: &str, max: usize) -> String {
        let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if one_line.chars().count() <= max {
            one_line
        } else {
            let cut: String = one_line.chars().take(max.saturating_sub(1)).collect();
            format!("{cut}…")
        }
    }

    #[test]
    fn short_reads_only_what_shows_and_cuts_as_defined() {
        let texts = [
            "",
            "   ",
            "one",
            "a  b\n\tc ",
            "ÉTÉ été  日本語 straße",
            "exactly ten",
            "word word word word word word word word word word word",
        ];
        for text in texts {
            for max in 0..24 {
                assert_eq!(
                    short(text, max),
                    reference_short(text, max),
                    "{text:?} {max}"
                );
            }
        }
    }
}
