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
//! Themes rank by support, then weight, then the phrase (byte order). Words are interned to ids
//! (a hash map is only looked up, never iterated); the result depends on words, names and
//! confidences only, never on id values or the input order.

use std::collections::{BTreeMap, BTreeSet, HashMap};

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

/// Appends the runs of `items` between stop items to `out`.
fn split_at_stops<T>(
    items: impl IntoIterator<Item = T>,
    mut stop: impl FnMut(&T) -> bool,
    out: &mut Vec<Vec<T>>,
) {
    let mut run = Vec::new();
    for item in items {
        if stop(&item) {
            if !run.is_empty() {
                out.push(std::mem::take(&mut run));
            }
        } else {
            run.push(item);
        }
    }
    if !run.is_empty() {
        out.push(run);
    }
}

/// The runs of non-stop words of `content`, clause by clause.
pub fn runs(content: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for clause in clauses(content) {
        split_at_stops(text::words(clause), |w| is_stop_word(w), &mut out);
    }
    out
}

/// Phrase keys: word ids, unused slots `u32::MAX`.
type Key = [u32; 3];
const NONE: u32 = u32::MAX;

fn key_len(k: &Key) -> usize {
    k.iter().take_while(|&&w| w != NONE).count()
}

/// Responses tokenized per task; small enough that the words of one chunk are few.
const CHUNK: usize = 64;

/// The clauses of `content`, each as its words.
fn clause_words(content: &str) -> Vec<Vec<String>> {
    clauses(content).into_iter().map(text::words).collect()
}

/// The runs of every response as word ids, and the words by id. Ids are given in first-seen
/// order: they only name words, and nothing in the result depends on their values. Stop words
/// are looked up once per distinct word.
fn intern_runs(responses: &[Response]) -> (Vec<Vec<Vec<u32>>>, Vec<String>) {
    let mut ids: HashMap<String, u32> = HashMap::new();
    let mut words: Vec<String> = Vec::new();
    let mut stop: Vec<bool> = Vec::new();
    let mut out = Vec::with_capacity(responses.len());
    for chunk in responses.chunks(CHUNK) {
        let tokenized: Vec<Vec<Vec<String>>> =
            par::map_tasks(chunk.len(), |i| clause_words(&chunk[i].content));
        for response in tokenized {
            let mut interned = Vec::new();
            for clause in response {
                let ids: Vec<u32> = clause
                    .into_iter()
                    .map(|w| match ids.get(&w) {
                        Some(&id) => id,
                        None => {
                            let id = words.len() as u32;
                            stop.push(is_stop_word(&w));
                            words.push(w.clone());
                            ids.insert(w, id);
                            id
                        }
                    })
                    .collect();
                split_at_stops(ids, |&id| stop[id as usize], &mut interned);
            }
            out.push(interned);
        }
    }
    (out, words)
}

/// A phrase held by at least two experts: its distinct experts are `experts[start..end]`.
struct Candidate {
    key: Key,
    start: usize,
    end: usize,
    weight: ExactSum,
}

/// Phrases are grouped in this many independent tasks.
const PARTS: usize = 16;

/// The task of a phrase: a fixed hash of its word ids.
fn part_of(k: &Key) -> usize {
    let h = k[0].wrapping_mul(0x9e37_79b1).rotate_left(5)
        ^ k[1].wrapping_mul(0x85eb_ca77).rotate_left(11)
        ^ k[2].wrapping_mul(0xc2b2_ae3d);
    (h.wrapping_mul(0x27d4_eb2f) >> 16) as usize % PARTS
}

/// From sorted rows (phrase and expert packed, response): the phrases held by at least two
/// distinct experts, each expert with its highest confidence; holders in the returned buffer.
fn group_holders(rows: &[(u128, u32)], responses: &[Response]) -> (Vec<Candidate>, Vec<u32>) {
    let key_of = |p: u128| -> Key { [(p >> 96) as u32, (p >> 64) as u32, (p >> 32) as u32] };
    let mut holders: Vec<u32> = Vec::new();
    let mut candidates: Vec<Candidate> = Vec::new();
    let mut g = 0;
    while g < rows.len() {
        let key = rows[g].0 >> 32;
        let start = holders.len();
        let mut weight = ExactSum::default();
        while g < rows.len() && rows[g].0 >> 32 == key {
            let packed = rows[g].0;
            let mut best = 0.0f64;
            while g < rows.len() && rows[g].0 == packed {
                best = best.max(responses[rows[g].1 as usize].confidence);
                g += 1;
            }
            holders.push(packed as u32);
            weight.add(best);
        }
        if holders.len() - start >= 2 {
            candidates.push(Candidate {
                key: key_of(key << 32),
                start,
                end: holders.len(),
                weight,
            });
        } else {
            holders.truncate(start);
        }
    }
    (candidates, holders)
}

/// The themes of `responses`, best first, at most `limit` of them. `experts[i]` is the id of
/// response i's expert (its rank among the sorted distinct names in `names`).
pub fn themes(
    responses: &[Response],
    experts: &[usize],
    names: &[&str],
    limit: usize,
) -> Vec<Theme> {
    if limit == 0 {
        return Vec::new();
    }
    let (runs, words) = intern_runs(responses);
    // Each response's phrases, once each.
    let per_response: Vec<Vec<Key>> = par::map_tasks(runs.len(), |i| {
        let mut keys = Vec::new();
        for run in &runs[i] {
            for n in 1..=3 {
                for win in run.windows(n) {
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
    drop(runs);
    // Group the phrases in PARTS independent tasks, each phrase in the part its hash picks: each
    // task sorts its (phrase and expert packed in 128 bits, response) rows, so a phrase's holders
    // come together in name order, and keeps the phrases held by two experts or more.
    let parts: Vec<(Vec<Candidate>, Vec<u32>)> = par::map_tasks(PARTS, |part| {
        let mut rows: Vec<(u128, u32)> = Vec::new();
        for (i, keys) in per_response.iter().enumerate() {
            let expert = experts[i] as u128;
            for k in keys.iter().filter(|k| part_of(k) == part) {
                let key = (k[0] as u128) << 96 | (k[1] as u128) << 64 | (k[2] as u128) << 32;
                rows.push((key | expert, i as u32));
            }
        }
        rows.sort_unstable();
        group_holders(&rows, responses)
    });
    drop(per_response);
    // One list sorted by phrase, holders renumbered into one buffer.
    let mut holders: Vec<u32> = Vec::new();
    let mut candidates: Vec<Candidate> = Vec::new();
    for (cands, hs) in parts {
        let offset = holders.len();
        holders.extend(hs);
        candidates.extend(cands.into_iter().map(|c| Candidate {
            start: c.start + offset,
            end: c.end + offset,
            ..c
        }));
    }
    candidates.sort_unstable_by_key(|c| c.key);
    // Drop a phrase inside a longer one held by exactly the same experts. `candidates` is sorted
    // by key.
    let find = |k: &Key| candidates.binary_search_by(|c| c.key.cmp(k)).ok();
    let mut covered = vec![false; candidates.len()];
    for c in &candidates {
        let n = key_len(&c.key);
        for len in 1..n {
            for from in 0..=n - len {
                let mut sub = [NONE; 3];
                sub[..len].copy_from_slice(&c.key[from..from + len]);
                if let Some(s) = find(&sub) {
                    let inner = &candidates[s];
                    if holders[inner.start..inner.end] == holders[c.start..c.end] {
                        covered[s] = true;
                    }
                }
            }
        }
    }
    // Rank by support and weight; spell out phrases only for the top and its ties.
    let support = |c: &Candidate| c.end - c.start;
    let mut order: Vec<usize> = (0..candidates.len()).filter(|&i| !covered[i]).collect();
    let rank = |a: &usize, b: &usize| {
        let (ca, cb) = (&candidates[*a], &candidates[*b]);
        support(cb)
            .cmp(&support(ca))
            .then(cb.weight.raw().cmp(&ca.weight.raw()))
    };
    order.sort_unstable_by(rank);
    if order.len() > limit {
        let last = order[limit - 1];
        let keep = order.partition_point(|i| rank(i, &last) != std::cmp::Ordering::Greater);
        order.truncate(keep);
    }
    let phrase = |c: &Candidate| -> String {
        let parts: Vec<&str> = c.key[..key_len(&c.key)]
            .iter()
            .map(|&id| words.get(id as usize).map_or("", String::as_str))
            .collect();
        parts.join(" ")
    };
    let mut ranked: Vec<(usize, String)> = order
        .into_iter()
        .map(|i| (i, phrase(&candidates[i])))
        .collect();
    ranked.sort_by(|(a, pa), (b, pb)| rank(a, b).then_with(|| pa.cmp(pb)));
    ranked.truncate(limit);
    ranked
        .into_iter()
        .map(|(i, phrase)| {
            let c = &candidates[i];
            Theme {
                phrase,
                support: support(c),
                weight: c.weight.value(),
                experts: holders[c.start..c.end]
                    .iter()
                    .map(|&e| names.get(e as usize).copied().unwrap_or("").to_owned())
                    .collect(),
            }
        })
        .collect()
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
