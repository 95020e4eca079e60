//! Consensus over expert responses: the consensus answer, clusters, dissent, themes, and a
//! self-consistency majority vote ([`vote::vote`]).
//!
//! N experts answer one question. [`analyse`] compares every pair of answers with a text metric of
//! [`crate::similarity`] (default `cosine`), giving the similarity matrix S, and then:
//!
//! - **consensus**: the confidence-weighted medoid, the minimum-Bayes-risk choice: the response i
//!   maximising `sum over j != i of confidence_j * S(i, j)`, ties to the lowest index.
//! - **clusters**: the connected components of the graph with an edge between i and j when
//!   `S(i, j) >= threshold` (single linkage cut at the threshold). Chosen because it is exactly
//!   order-independent (the graph is a function of the pairs alone, unlike the greedy
//!   input-order clustering this replaces) and needs no tie rule; its known weakness is chaining
//!   (A~B, B~C puts A and C together even when they differ), which `score` exposes: a chained
//!   cluster has a low mean similarity. Each cluster's indices are sorted; the list is sorted by
//!   size (largest first), then by first index.
//! - **score**: the confidence-weighted mean similarity over the pairs of the consensus cluster
//!   (the cluster holding the consensus), `sum c_i c_j S(i,j) / sum c_i c_j` over pairs i < j (the
//!   plain mean when every weight is zero); 0 for a cluster of one, where no agreement is measured.
//!   **confidence** is the mean confidence of that cluster's members, **share** its part of all
//!   responses.
//! - **level**: `high` when the consensus cluster holds at least 2/3 of the responses and
//!   `score >= 0.8`; `medium` when it holds at least half and `score >= 0.6`; `low` otherwise.
//! - **dissent**: one entry per other cluster, with its own weighted medoid as representative.
//!   **outliers**: the responses with no neighbour at or above the threshold.
//! - **themes**, **common_recommendations** (held by at least half the distinct experts),
//!   **unique_limitations** (all of them, deduplicated): see [`themes`].
//! - **insights**: sentences on the agreement level, polarisation (two or more clusters of two or
//!   more responses), outliers, and confidence outliers by z-score with the population standard
//!   deviation: |z| >= 2, or >= 1.5 below 10 responses (where |z| cannot reach 2); at most 5 such
//!   sentences (in sorted order), then one counting the rest.
//!
//! Exactness: every sum of floats that decides or reports something goes through [`ExactSum`], a
//! fixed-point accumulator whose result does not depend on the order of its terms. With the
//! order-independent similarity matrices of [`crate::similarity`], permuting the input permutes
//! the indices in the result and changes nothing else (up to exact ties, which go to the lowest
//! index), on any thread count.

mod input;
pub mod themes;
pub mod vote;

use std::fmt;

use serde::Serialize;

pub use input::{Response, parse_responses};
pub use themes::{Statement, Theme};
pub use vote::{Ballot, Vote, vote};

use crate::par;
use crate::similarity::{Corpus, Metric, SimilarityError};

/// What went wrong reading responses or computing a consensus.
#[derive(Debug, Clone, PartialEq)]
pub enum ConsensusError {
    /// The input is not valid JSON (`line`, `column` 1-based).
    Syntax {
        line: usize,
        column: usize,
        message: String,
    },
    /// A record is not a valid response. `record` is its 0-based index; `line` is given for JSON
    /// Lines; `field` is `None` when the record itself is not an object.
    Record {
        record: usize,
        line: Option<usize>,
        field: Option<&'static str>,
        problem: String,
    },
    /// There are no responses to form a consensus from.
    Empty,
    /// The threshold is not a number in [0, 1].
    Threshold { value: f64 },
    /// A similarity matrix given to [`analyse_matrix`] is not `n x n`.
    MatrixShape { expected: usize, got: usize },
    /// The metric failed (hamming on strings of different lengths).
    Similarity { source: SimilarityError },
    /// The vote's extraction pattern is not a valid regular expression.
    Pattern { pattern: String, message: String },
}

impl fmt::Display for ConsensusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConsensusError::Syntax {
                line,
                column,
                message,
            } => write!(f, "line {line}, column {column}: invalid JSON: {message}"),
            ConsensusError::Record {
                record,
                line,
                field,
                problem,
            } => {
                write!(f, "record {record}")?;
                if let Some(line) = line {
                    write!(f, " (line {line})")?;
                }
                if let Some(field) = field {
                    write!(f, ", field `{field}`")?;
                }
                write!(f, ": {problem}")
            }
            ConsensusError::Empty => f.write_str("no responses: a consensus needs at least one"),
            ConsensusError::Threshold { value } => {
                write!(f, "threshold {value} is not a number in [0, 1]")
            }
            ConsensusError::MatrixShape { expected, got } => write!(
                f,
                "similarity matrix has {got} entries, expected {expected}"
            ),
            ConsensusError::Similarity { source } => write!(f, "{source}"),
            ConsensusError::Pattern { pattern, message } => {
                write!(f, "invalid --extract pattern '{pattern}': {message}")
            }
        }
    }
}

impl std::error::Error for ConsensusError {}

impl From<SimilarityError> for ConsensusError {
    fn from(source: SimilarityError) -> Self {
        ConsensusError::Similarity { source }
    }
}

/// An order-independent sum of floats: each term is truncated to a multiple of 2^-80 and added as an
/// integer, so the total is the same whatever the order of the terms (and the thread that added
/// them). Terms must have magnitude below 2^40; sums stay exact up to 2^47.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct ExactSum(i128);

const SCALE: f64 = (1u128 << 80) as f64;
const TWO_64: f64 = 18_446_744_073_709_551_616.0;

impl ExactSum {
    pub fn add(&mut self, x: f64) {
        // Scaling by a power of two is exact. The integer part of the scaled value is taken in two
        // exact 64-bit halves (truncation toward zero), which avoids the slow f64 -> i128 routine.
        let y = (x * SCALE).abs();
        let hi = (y / TWO_64) as u64;
        let lo = (y - hi as f64 * TWO_64) as u64;
        let v = (i128::from(hi) << 64) | i128::from(lo);
        if x < 0.0 {
            self.0 -= v;
        } else {
            self.0 += v;
        }
    }

    /// The sum as a float (correctly rounded from the exact fixed-point total).
    pub fn value(self) -> f64 {
        self.0 as f64 / SCALE
    }

    /// The fixed-point total, for exact comparisons.
    pub fn raw(self) -> i128 {
        self.0
    }
}

/// How to compute a consensus.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    pub metric: Metric,
    /// Two responses are neighbours when their similarity is at least this (in [0, 1]).
    pub threshold: f64,
    /// Whether to return the similarity matrix.
    pub include_matrix: bool,
    /// At most this many themes.
    pub max_themes: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            metric: Metric::Cosine,
            threshold: 0.7,
            include_matrix: false,
            max_themes: 20,
        }
    }
}

/// The agreement level; see the module docs for the cut-offs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    High,
    Medium,
    Low,
}

impl Level {
    pub fn name(self) -> &'static str {
        match self {
            Level::High => "high",
            Level::Medium => "medium",
            Level::Low => "low",
        }
    }
}

/// The consensus answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Choice {
    pub index: usize,
    pub expert: String,
    pub content: String,
}

/// A cluster other than the consensus cluster.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dissent {
    /// Its response indices, sorted.
    pub cluster: Vec<usize>,
    /// Its own weighted medoid.
    pub representative: usize,
    /// The experts of `cluster`, aligned with it.
    pub experts: Vec<String>,
    /// The representative's content.
    pub content: String,
}

/// Everything [`analyse`] finds. Field names and order are the JSON contract of
/// `conclave consensus`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Consensus {
    pub consensus: Choice,
    pub score: f64,
    pub confidence: f64,
    pub level: Level,
    pub share: f64,
    pub metric: String,
    pub threshold: f64,
    pub clusters: Vec<Vec<usize>>,
    pub dissent: Vec<Dissent>,
    pub outliers: Vec<usize>,
    pub themes: Vec<Theme>,
    pub common_recommendations: Vec<Statement>,
    pub unique_limitations: Vec<Statement>,
    pub insights: Vec<String>,
    /// Row-major rows of S, only when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matrix: Option<Vec<Vec<f64>>>,
}

/// Computes the consensus of `responses` (see the module docs).
pub fn analyse(responses: &[Response], options: &Options) -> Result<Consensus, ConsensusError> {
    check(responses, options)?;
    // The text findings first: their buffers are freed before the matrix is built.
    let text = TextFindings::new(responses, options);
    let texts: Vec<&str> = responses.iter().map(|r| r.content.as_str()).collect();
    let s = Corpus::new(options.metric, &texts).matrix()?;
    finish(responses, &s, options, text)
}

/// The distinct expert names, sorted, and each response's expert id: its name's rank among them
/// (the `names` and `ids` that [`themes::themes`] and [`themes::statements`] take).
pub fn experts(responses: &[Response]) -> (Vec<&str>, Vec<usize>) {
    let mut names: Vec<&str> = responses.iter().map(|r| r.expert.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    let ids = responses
        .iter()
        .map(|r| names.binary_search(&r.expert.as_str()).unwrap_or(0))
        .collect();
    (names, ids)
}

/// What comes from the words alone: themes, recommendations, limitations.
struct TextFindings {
    themes: Vec<Theme>,
    common_recommendations: Vec<Statement>,
    unique_limitations: Vec<Statement>,
}

impl TextFindings {
    fn new(responses: &[Response], options: &Options) -> TextFindings {
        let (names, ids) = experts(responses);
        let themes = themes::themes(responses, &ids, &names, options.max_themes);
        let common_recommendations =
            themes::statements(responses, &ids, &names, |r| &r.recommendations)
                .into_iter()
                .filter(|st| 2 * st.support >= names.len())
                .collect();
        let unique_limitations = themes::statements(responses, &ids, &names, |r| &r.limitations);
        TextFindings {
            themes,
            common_recommendations,
            unique_limitations,
        }
    }
}

/// Like [`analyse`], with the row-major `n x n` similarity matrix given (`options.metric` is only
/// reported).
pub fn analyse_matrix(
    responses: &[Response],
    s: &[f64],
    options: &Options,
) -> Result<Consensus, ConsensusError> {
    check(responses, options)?;
    let n = responses.len();
    if s.len() != n * n {
        return Err(ConsensusError::MatrixShape {
            expected: n * n,
            got: s.len(),
        });
    }
    finish(responses, s, options, TextFindings::new(responses, options))
}

fn finish(
    responses: &[Response],
    s: &[f64],
    options: &Options,
    text: TextFindings,
) -> Result<Consensus, ConsensusError> {
    let n = responses.len();
    let conf: Vec<f64> = responses.iter().map(|r| r.confidence).collect();
    let all: Vec<usize> = (0..n).collect();
    let medoid = weighted_medoid(&all, s, &conf, n);
    let clusters = clusters(s, n, options.threshold);
    let home = clusters
        .iter()
        .position(|c| c.binary_search(&medoid).is_ok())
        .unwrap_or(0);
    let members = &clusters[home];
    let score = cluster_score(members, s, &conf, n);
    let mut conf_sum = ExactSum::default();
    for &i in members {
        conf_sum.add(conf[i]);
    }
    let confidence = conf_sum.value() / members.len() as f64;
    let size = members.len();
    let level = if 3 * size >= 2 * n && score >= 0.8 {
        Level::High
    } else if 2 * size >= n && score >= 0.6 {
        Level::Medium
    } else {
        Level::Low
    };
    let dissent: Vec<Dissent> = clusters
        .iter()
        .enumerate()
        .filter(|&(k, _)| k != home)
        .map(|(_, c)| {
            let representative = weighted_medoid(c, s, &conf, n);
            Dissent {
                cluster: c.clone(),
                representative,
                experts: c.iter().map(|&i| responses[i].expert.clone()).collect(),
                content: responses[representative].content.clone(),
            }
        })
        .collect();
    let outliers: Vec<usize> = clusters
        .iter()
        .filter(|c| c.len() == 1)
        .map(|c| c[0])
        .collect::<std::collections::BTreeSet<usize>>()
        .into_iter()
        .collect();
    let insights = insights(responses, &clusters, home, score, level, &outliers, options);
    let matrix = options
        .include_matrix
        .then(|| s.chunks(n.max(1)).map(<[f64]>::to_vec).collect());
    Ok(Consensus {
        consensus: Choice {
            index: medoid,
            expert: responses[medoid].expert.clone(),
            content: responses[medoid].content.clone(),
        },
        score,
        confidence,
        level,
        share: size as f64 / n as f64,
        metric: options.metric.name().to_owned(),
        threshold: options.threshold,
        clusters,
        dissent,
        outliers,
        themes: text.themes,
        common_recommendations: text.common_recommendations,
        unique_limitations: text.unique_limitations,
        insights,
        matrix,
    })
}

fn check(responses: &[Response], options: &Options) -> Result<(), ConsensusError> {
    if responses.is_empty() {
        return Err(ConsensusError::Empty);
    }
    if !(0.0..=1.0).contains(&options.threshold) {
        return Err(ConsensusError::Threshold {
            value: options.threshold,
        });
    }
    for (record, r) in responses.iter().enumerate() {
        if !(0.0..=1.0).contains(&r.confidence) {
            return Err(ConsensusError::Record {
                record,
                line: None,
                field: Some("confidence"),
                problem: format!("expected a number in [0, 1], got {}", r.confidence),
            });
        }
    }
    Ok(())
}

/// The member i of `members` maximising `sum over other members j of conf_j * S(i, j)`, ties to
/// the lowest index. `members` is sorted.
pub fn weighted_medoid(members: &[usize], s: &[f64], conf: &[f64], n: usize) -> usize {
    let sums = par::map_tasks(members.len(), |a| {
        let i = members[a];
        let mut sum = ExactSum::default();
        for &j in members {
            if j != i {
                sum.add(conf[j] * s[i * n + j]);
            }
        }
        sum.raw()
    });
    let mut best = 0;
    for (a, &v) in sums.iter().enumerate() {
        if v > sums[best] {
            best = a;
        }
    }
    members.get(best).copied().unwrap_or(0)
}

/// Rows of S scanned per task when finding clusters.
const BAND: usize = 32;

/// Connected components of `S(i, j) >= threshold`, each sorted, largest first, then by first index.
///
/// Each task scans a band of rows (the pairs `i < j` of its rows) into a forest of its own; the
/// forests' links are then joined in one. Components depend only on the set of pairs, not on the
/// order of the unions, so the result does not depend on the bands or the thread count.
pub fn clusters(s: &[f64], n: usize, threshold: f64) -> Vec<Vec<usize>> {
    let links: Vec<Vec<(usize, usize)>> = par::map_tasks(n.div_ceil(BAND), |b| {
        let rows = b * BAND..n.min((b + 1) * BAND);
        let mut forest = Forest::new(n);
        for i in rows {
            for (j, &x) in s[i * n..(i + 1) * n].iter().enumerate().skip(i + 1) {
                if x >= threshold {
                    forest.union(i, j);
                }
            }
        }
        forest.links()
    });
    let mut forest = Forest::new(n);
    for (x, root) in links.into_iter().flatten() {
        forest.union(x, root);
    }
    let mut groups: Vec<Vec<usize>> = vec![Vec::new(); n];
    for i in 0..n {
        let r = forest.find(i);
        groups[r].push(i);
    }
    let mut out: Vec<Vec<usize>> = groups.into_iter().filter(|g| !g.is_empty()).collect();
    out.sort_by(|a, b| b.len().cmp(&a.len()).then(a[0].cmp(&b[0])));
    out
}

/// Union-find over `0..n`; a root is the smallest index of its tree.
struct Forest {
    parent: Vec<usize>,
}

impl Forest {
    fn new(n: usize) -> Forest {
        Forest {
            parent: (0..n).collect(),
        }
    }

    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }

    fn union(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        if a != b {
            // The smaller root wins, so a root is its component's first index.
            let (lo, hi) = if a < b { (a, b) } else { (b, a) };
            self.parent[hi] = lo;
        }
    }

    /// Every non-root with its root: joining these in another forest joins the same components.
    fn links(mut self) -> Vec<(usize, usize)> {
        (0..self.parent.len())
            .filter_map(|x| {
                let r = self.find(x);
                (r != x).then_some((x, r))
            })
            .collect()
    }
}

/// Confidence-weighted mean similarity over the pairs of `members`; 0 for fewer than two.
pub fn cluster_score(members: &[usize], s: &[f64], conf: &[f64], n: usize) -> f64 {
    if members.len() < 2 {
        return 0.0;
    }
    // One task per member: its pairs with the members after it. Exact sums add in any order.
    let weighted = |a: usize| {
        let i = members[a];
        let (mut num, mut den) = (ExactSum::default(), ExactSum::default());
        for &j in &members[a + 1..] {
            let w = conf[i] * conf[j];
            num.add(w * s[i * n + j]);
            den.add(w);
        }
        (num.raw(), den.raw())
    };
    let (mut num, mut den) = (0i128, 0i128);
    for (x, y) in par::map_tasks(members.len(), weighted) {
        num += x;
        den += y;
    }
    if den != 0 {
        return ExactSum(num).value() / ExactSum(den).value();
    }
    // Every weight is zero: the plain mean.
    let mut plain = ExactSum::default();
    for (a, &i) in members.iter().enumerate() {
        for &j in &members[a + 1..] {
            plain.add(s[i * n + j]);
        }
    }
    let pairs = members.len() * (members.len() - 1) / 2;
    plain.value() / pairs as f64
}

/// At most this many confidence-outlier sentences (sorted), then one sentence for the rest.
const MAX_CONFIDENCE_NOTES: usize = 5;

fn insights(
    responses: &[Response],
    clusters: &[Vec<usize>],
    home: usize,
    score: f64,
    level: Level,
    outliers: &[usize],
    options: &Options,
) -> Vec<String> {
    let n = responses.len();
    let t = options.threshold;
    let mut out = Vec::new();
    let size = clusters[home].len();
    out.push(if size >= 2 {
        format!(
            "Agreement is {}: {size} of {n} responses form the consensus cluster, with a weighted mean similarity of {score:.2} ({} >= {t}).",
            level.name(),
            options.metric
        )
    } else {
        format!(
            "Agreement is {}: the consensus answer has no neighbour at {} >= {t}.",
            level.name(),
            options.metric
        )
    });
    let groups: Vec<usize> = clusters.iter().map(Vec::len).filter(|&l| l >= 2).collect();
    if groups.len() >= 2 {
        let sizes: Vec<String> = groups.iter().map(usize::to_string).collect();
        out.push(format!(
            "Opinion is polarised: {} groups of {} responses each agree inside but not with each other.",
            groups.len(),
            sizes.join(", ")
        ));
    } else if groups.is_empty() && n >= 2 {
        out.push(format!(
            "No two responses agree at {} >= {t}: every response stands alone.",
            options.metric
        ));
    }
    if !outliers.is_empty() && !groups.is_empty() {
        let mut names: Vec<&str> = outliers
            .iter()
            .map(|&i| responses[i].expert.as_str())
            .collect();
        names.sort_unstable();
        let shown = names.len().min(10);
        let more = if names.len() > shown {
            format!(" and {} more", names.len() - shown)
        } else {
            String::new()
        };
        out.push(format!(
            "{} response(s) agree with no other: {}{more}.",
            outliers.len(),
            names[..shown].join(", ")
        ));
    }
    // Confidence outliers by z-score (population standard deviation).
    let mut sum = ExactSum::default();
    for r in responses {
        sum.add(r.confidence);
    }
    let mean = sum.value() / n as f64;
    let mut var = ExactSum::default();
    for r in responses {
        var.add((r.confidence - mean) * (r.confidence - mean));
    }
    let sd = (var.value() / n as f64).sqrt();
    // Below 10 responses no |z| can reach 2 ((n-1)/sqrt(n) bounds it), so small panels use 1.5.
    let cut = if n < 10 { 1.5 } else { 2.0 };
    if sd > 0.0 {
        let mut notes: Vec<String> = responses
            .iter()
            .filter_map(|r| {
                let z = (r.confidence - mean) / sd;
                (z.abs() >= cut).then(|| {
                    format!(
                        "{} is unusually {} (confidence {:.2}, z = {z:+.2} against a mean of {mean:.2}).",
                        r.expert,
                        if z > 0.0 { "sure" } else { "unsure" },
                        r.confidence
                    )
                })
            })
            .collect();
        notes.sort();
        if notes.len() > MAX_CONFIDENCE_NOTES {
            let more = notes.len() - MAX_CONFIDENCE_NOTES;
            notes.truncate(MAX_CONFIDENCE_NOTES);
            notes.push(format!(
                "{more} more response(s) have a confidence at least {cut} standard deviations from the mean."
            ));
        }
        out.extend(notes);
    }
    out
}

#[cfg(test)]
mod tests;
