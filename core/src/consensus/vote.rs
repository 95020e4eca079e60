//! Self-consistency majority vote over the responses' final answers.
//!
//! A response's answer is capture group 1 of the LAST match of the extraction pattern in its
//! content (the whole match when the pattern has no group; the whole content without a pattern),
//! then normalized: trimmed, case-folded, runs of white space made one space, and a number written
//! any way Rust's `f64` parser accepts (`24`, `24.0`, `+24.00`, `2.4e1`, with an optional trailing
//! `.`) written back in its shortest form (`24`). A response without a match, or whose answer
//! normalizes to nothing, abstains.
//!
//! Answers rank by count (or, with `weighted`, by the exact sum of their voters' confidences),
//! ties broken by the earliest first occurrence in the input; the winner is the first. `share` is
//! the winner's part of the count (or weight) of the responses that did not abstain.

use regex::Regex;
use serde::Serialize;

use super::{ConsensusError, ExactSum, Response};

/// One answer and its voters.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ballot {
    pub answer: String,
    pub count: usize,
    /// Sum of the voters' confidences.
    pub weight: f64,
    /// The voters' names, in input order.
    pub experts: Vec<String>,
    /// The voters' indices, in input order.
    pub indices: Vec<usize>,
}

/// The result of a vote.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Vote {
    /// The winning answer; `None` when every response abstained.
    pub winner: Option<String>,
    pub votes: Vec<Ballot>,
    /// The winner's part of the count (or weight, when weighted) of the non-abstaining responses.
    pub share: f64,
    /// Indices of the responses without an answer.
    pub abstained: Vec<usize>,
    pub weighted: bool,
}

/// Normalizes an answer (see the module docs).
pub fn normalize_answer(answer: &str) -> String {
    let lowered = answer.to_lowercase();
    let collapsed = lowered.split_whitespace().collect::<Vec<_>>().join(" ");
    let number = collapsed.strip_suffix('.').unwrap_or(&collapsed);
    let numeric = !number.is_empty()
        && number.bytes().any(|b| b.is_ascii_digit())
        && number
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'+' | b'-' | b'e'));
    if numeric
        && let Ok(x) = number.parse::<f64>()
        && x.is_finite()
    {
        // `-0` and `0` are one answer.
        let x = if x == 0.0 { 0.0 } else { x };
        return format!("{x}");
    }
    collapsed
}

/// Compiles an extraction pattern.
pub fn compile(pattern: &str) -> Result<Regex, ConsensusError> {
    Regex::new(pattern).map_err(|e| ConsensusError::Pattern {
        pattern: pattern.to_owned(),
        message: e.to_string(),
    })
}

/// The raw answer of `content`: group 1 of the last match of `pattern` (whole match without a
/// group), or the whole content without a pattern.
pub fn extract<'a>(content: &'a str, pattern: Option<&Regex>) -> Option<&'a str> {
    let Some(re) = pattern else {
        return Some(content);
    };
    let caps = re.captures_iter(content).last()?;
    if re.captures_len() > 1 {
        caps.get(1).map(|m| m.as_str())
    } else {
        caps.get(0).map(|m| m.as_str())
    }
}

/// Majority vote over `responses`; see the module docs.
pub fn vote(
    responses: &[Response],
    pattern: Option<&str>,
    weighted: bool,
) -> Result<Vote, ConsensusError> {
    let re = pattern.map(compile).transpose()?;
    // Answers in order of first occurrence.
    let mut order: Vec<String> = Vec::new();
    let mut index: std::collections::BTreeMap<String, usize> = Default::default();
    let mut voters: Vec<Vec<usize>> = Vec::new();
    let mut abstained = Vec::new();
    for (i, r) in responses.iter().enumerate() {
        let answer = extract(&r.content, re.as_ref()).map(normalize_answer);
        match answer {
            Some(a) if !a.is_empty() => {
                let slot = *index.entry(a.clone()).or_insert_with(|| {
                    order.push(a);
                    voters.push(Vec::new());
                    order.len() - 1
                });
                voters[slot].push(i);
            }
            _ => abstained.push(i),
        }
    }
    let mut ranked: Vec<(usize, i128, Ballot)> = order
        .into_iter()
        .zip(voters)
        .enumerate()
        .map(|(first, (answer, who))| {
            let mut weight = ExactSum::default();
            for &i in &who {
                weight.add(responses[i].confidence);
            }
            let ballot = Ballot {
                answer,
                count: who.len(),
                weight: weight.value(),
                experts: who.iter().map(|&i| responses[i].expert.clone()).collect(),
                indices: who,
            };
            (first, weight.raw(), ballot)
        })
        .collect();
    ranked.sort_by(|(fa, wa, a), (fb, wb, b)| {
        let primary = if weighted {
            wb.cmp(wa)
        } else {
            b.count.cmp(&a.count)
        };
        primary.then(fa.cmp(fb))
    });
    let share = match ranked.first() {
        None => 0.0,
        Some((_, w, top)) => {
            if weighted {
                let total: i128 = ranked.iter().map(|(_, w, _)| *w).sum();
                if total == 0 {
                    0.0
                } else {
                    *w as f64 / total as f64
                }
            } else {
                let total: usize = ranked.iter().map(|(_, _, b)| b.count).sum();
                top.count as f64 / total as f64
            }
        }
    };
    let votes: Vec<Ballot> = ranked.into_iter().map(|(_, _, b)| b).collect();
    Ok(Vote {
        winner: votes.first().map(|b| b.answer.clone()),
        votes,
        share,
        abstained,
        weighted,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_written_differently_are_one_answer() {
        for s in ["24", "24.0", " +24.00 ", "2.4e1", "24."] {
            assert_eq!(normalize_answer(s), "24", "{s}");
        }
        assert_eq!(normalize_answer("-0.0"), "0");
        assert_eq!(normalize_answer("0.50"), "0.5");
        assert_eq!(normalize_answer("  Paris\t IS  nice "), "paris is nice");
        // Not numbers: left as text.
        assert_eq!(normalize_answer("e"), "e");
        assert_eq!(normalize_answer("1-2"), "1-2");
        assert_eq!(normalize_answer("inf"), "inf");
    }

    #[test]
    fn extracts_group_one_of_the_last_match() {
        let re = compile(r"answer is (\d+)").unwrap();
        assert_eq!(
            extract("answer is 3, no, the answer is 4", Some(&re)),
            Some("4")
        );
        assert_eq!(extract("nothing", Some(&re)), None);
        let whole = compile(r"\d+").unwrap();
        assert_eq!(extract("1 then 22", Some(&whole)), Some("22"));
        assert_eq!(extract("all of it", None), Some("all of it"));
    }
}
