//! Key themes: phrases of 1-3 words shared by at least two experts, and the normalized
//! recommendations and limitations.
//!
//! A response's content is cut into clauses at line breaks and at `. , ; : ! ?` followed by white
//! space or the end (so `v2.0` and `orders.customer_id` stay whole), each clause is split into
//! words by [`crate::text::words`], and stop words cut a clause into runs. Phrases are the 1-, 2-
//! and 3-word windows inside a run: no phrase spans a stop word or a clause boundary.
//!
//! A phrase's support is the number of distinct experts (by name) whose responses hold it; its
//! weight is the sum, over those experts, of their highest confidence among those responses. A
//! phrase is left out when a longer phrase containing it is held by exactly the same experts
//! ("connection" disappears behind "connection pool" when nobody says one without the other).
//! Themes rank by support, then weight, then the phrase (byte order). Everything here is keyed by
//! words and expert names in sorted order, so the result does not depend on the input order.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::{ExactSum, Response};
use crate::par;
use crate::text;

/// English stop words (function words and fillers), sorted for binary search. Based on the
/// common NLTK / scikit-learn lists, trimmed of words that carry meaning in technical answers
/// (`system`, `fire`, `bill`...).
const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "aren't",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "cannot",
    "could",
    "couldn't",
    "did",
    "didn't",
    "do",
    "does",
    "doesn't",
    "doing",
    "don't",
    "down",
    "during",
    "each",
    "either",
    "else",
    "etc",
    "ever",
    "every",
    "few",
    "for",
    "from",
    "further",
    "get",
    "gets",
    "had",
    "hadn't",
    "has",
    "hasn't",
    "have",
    "haven't",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "isn't",
    "it",
    "it's",
    "its",
    "itself",
    "just",
    "let's",
    "may",
    "me",
    "might",
    "more",
    "most",
    "must",
    "my",
    "myself",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "on",
    "once",
    "one",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "per",
    "same",
    "she",
    "should",
    "shouldn't",
    "so",
    "some",
    "such",
    "than",
    "that",
    "that's",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "there's",
    "these",
    "they",
    "this",
    "those",
    "through",
    "thus",
    "to",
    "too",
    "under",
    "until",
    "up",
    "upon",
    "us",
    "very",
    "via",
    "was",
    "wasn't",
    "we",
    "were",
    "weren't",
    "what",
    "when",
    "where",
    "whether",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "within",
    "without",
    "won't",
    "would",
    "wouldn't",
    "yes",
    "yet",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
];

/// Whether `word` (lowercased) is a stop word.
pub fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.binary_search(&word).is_ok()
}

/// A phrase shared by at least two experts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Theme {
    pub phrase: String,
    /// Distinct experts holding the phrase.
    pub support: usize,
    /// Sum over those experts of their highest confidence among the responses holding it.
    pub weight: f64,
    /// The experts' names, sorted.
    pub experts: Vec<String>,
}

/// The clauses of `content`: cut at line breaks and at `. , ; : ! ?` before white space or the end.
fn clauses(content: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut it = content.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        let next_is_break = it.peek().is_none_or(|&(_, n)| n.is_whitespace());
        let cut = c == '\n' || (matches!(c, '.' | ',' | ';' | ':' | '!' | '?') && next_is_break);
        if cut {
            out.push(&content[start..i]);
            start = i + c.len_utf8();
        }
    }
    out.push(&content[start..]);
    out
}

/// The runs of non-stop words of `content`, clause by clause.
pub fn runs(content: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for clause in clauses(content) {
        let mut run = Vec::new();
        for w in text::words(clause) {
            if is_stop_word(&w) {
                if !run.is_empty() {
                    out.push(std::mem::take(&mut run));
                }
            } else {
                run.push(w);
            }
        }
        if !run.is_empty() {
            out.push(run);
        }
    }
    out
}

/// Phrase keys: word ids, unused slots `u32::MAX`.
type Key = [u32; 3];
const NONE: u32 = u32::MAX;

fn key_len(k: &Key) -> usize {
    k.iter().take_while(|&&w| w != NONE).count()
}

/// The themes of `responses`, best first, at most `limit` of them. `experts[i]` is the id of
/// response i's expert (its rank among the sorted distinct names in `names`).
pub fn themes(
    responses: &[Response],
    experts: &[usize],
    names: &[&str],
    limit: usize,
) -> Vec<Theme> {
    let runs: Vec<Vec<Vec<String>>> =
        par::map_tasks(responses.len(), |i| runs(&responses[i].content));
    // Word ids in sorted word order.
    let mut vocab: BTreeMap<&str, u32> = BTreeMap::new();
    for w in runs.iter().flatten().flatten() {
        vocab.insert(w, 0);
    }
    let mut words: Vec<&str> = Vec::with_capacity(vocab.len());
    for (id, (w, v)) in vocab.iter_mut().enumerate() {
        *v = id as u32;
        words.push(w);
    }
    // (phrase, expert, response) triples, each phrase once per response.
    let per_response: Vec<Vec<Key>> = par::map_tasks(runs.len(), |i| {
        let mut keys = Vec::new();
        for run in &runs[i] {
            let ids: Vec<u32> = run
                .iter()
                .map(|w| vocab.get(w.as_str()).copied().unwrap_or(NONE))
                .collect();
            for n in 1..=3 {
                for win in ids.windows(n) {
                    let mut k = [NONE; 3];
                    k[..n].copy_from_slice(win);
                    keys.push(k);
                }
            }
        }
        keys.sort_unstable();
        keys.dedup();
        keys
    });
    let mut triples: Vec<(Key, usize, usize)> = Vec::new();
    for (i, keys) in per_response.iter().enumerate() {
        triples.extend(keys.iter().map(|&k| (k, experts[i], i)));
    }
    triples.sort_unstable();
    // Group by phrase: distinct experts, each with its highest confidence.
    struct Candidate {
        experts: Vec<usize>,
        weight: ExactSum,
    }
    let mut candidates: BTreeMap<Key, Candidate> = BTreeMap::new();
    let mut g = 0;
    while g < triples.len() {
        let key = triples[g].0;
        let mut end = g;
        while end < triples.len() && triples[end].0 == key {
            end += 1;
        }
        let group = &triples[g..end];
        g = end;
        let mut ids: Vec<usize> = Vec::new();
        let mut weight = ExactSum::default();
        let mut e = 0;
        while e < group.len() {
            let expert = group[e].1;
            let mut best = 0.0f64;
            while e < group.len() && group[e].1 == expert {
                best = best.max(responses[group[e].2].confidence);
                e += 1;
            }
            ids.push(expert);
            weight.add(best);
        }
        if ids.len() >= 2 {
            candidates.insert(
                key,
                Candidate {
                    experts: ids,
                    weight,
                },
            );
        }
    }
    // Drop a phrase inside a longer one held by exactly the same experts.
    let mut covered: BTreeSet<Key> = BTreeSet::new();
    for (key, c) in &candidates {
        let n = key_len(key);
        for len in 1..n {
            for start in 0..=n - len {
                let mut sub = [NONE; 3];
                sub[..len].copy_from_slice(&key[start..start + len]);
                if candidates.get(&sub).is_some_and(|s| s.experts == c.experts) {
                    covered.insert(sub);
                }
            }
        }
    }
    let mut out: Vec<(Theme, i128)> = candidates
        .iter()
        .filter(|(k, _)| !covered.contains(*k))
        .map(|(k, c)| {
            let phrase: Vec<&str> = k[..key_len(k)]
                .iter()
                .map(|&id| words.get(id as usize).copied().unwrap_or(""))
                .collect();
            let theme = Theme {
                phrase: phrase.join(" "),
                support: c.experts.len(),
                weight: c.weight.value(),
                experts: c
                    .experts
                    .iter()
                    .map(|&e| names.get(e).copied().unwrap_or("").to_owned())
                    .collect(),
            };
            (theme, c.weight.raw())
        })
        .collect();
    out.sort_by(|(a, wa), (b, wb)| {
        b.support
            .cmp(&a.support)
            .then(wb.cmp(wa))
            .then_with(|| a.phrase.cmp(&b.phrase))
    });
    out.truncate(limit);
    out.into_iter().map(|(t, _)| t).collect()
}

/// Normalizes a recommendation or limitation: trimmed, case-folded, runs of white space made one
/// space, and trailing `.`, `;`, `!` dropped.
pub fn normalize_statement(s: &str) -> String {
    let lowered = s.to_lowercase();
    let collapsed = lowered.split_whitespace().collect::<Vec<_>>().join(" ");
    collapsed.trim_end_matches(['.', ';', '!', ' ']).to_owned()
}

/// A normalized statement and who made it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Statement {
    pub text: String,
    /// Distinct experts who made it.
    pub support: usize,
    /// Their names, sorted.
    pub experts: Vec<String>,
}

/// Normalized statements from `pick(response)`, each with its distinct experts, sorted by support
/// (descending) then text; empty statements are skipped.
pub fn statements<'a>(
    responses: &'a [Response],
    experts: &[usize],
    names: &[&str],
    pick: impl Fn(&'a Response) -> &'a [String],
) -> Vec<Statement> {
    let mut held: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
    for (i, r) in responses.iter().enumerate() {
        for s in pick(r) {
            let text = normalize_statement(s);
            if !text.is_empty() {
                held.entry(text).or_default().insert(experts[i]);
            }
        }
    }
    let mut out: Vec<Statement> = held
        .into_iter()
        .map(|(text, ids)| Statement {
            text,
            support: ids.len(),
            experts: ids
                .iter()
                .map(|&e| names.get(e).copied().unwrap_or("").to_owned())
                .collect(),
        })
        .collect();
    out.sort_by(|a, b| b.support.cmp(&a.support).then_with(|| a.text.cmp(&b.text)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_words_are_sorted_and_unique() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(is_stop_word("the") && !is_stop_word("database"));
    }

    #[test]
    fn runs_break_at_stop_words_and_clauses_but_not_inside_tokens() {
        let r = runs("The pool is exhausted. Add an index on orders.customer_id, v2.0 now");
        assert_eq!(
            r,
            vec![
                vec!["pool".to_owned()],
                vec!["exhausted".to_owned()],
                vec!["add".to_owned()],
                vec!["index".to_owned()],
                vec!["orders.customer_id".to_owned()],
                vec!["v2.0".to_owned()],
            ]
        );
        assert_eq!(runs("cache\nwarm"), vec![vec!["cache"], vec!["warm"]]);
    }

    #[test]
    fn normalizes_statements() {
        assert_eq!(
            normalize_statement("  Add   an INDEX.\n"),
            "add an index".to_owned()
        );
        assert_eq!(normalize_statement(" ... "), "");
    }
}
