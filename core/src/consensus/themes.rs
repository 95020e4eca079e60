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

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::{ExactSum, Response};
use crate::par;
use crate::similarity::vocab;
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
/// An iterator, so that tokenizing a response allocates nothing for its clauses.
fn clauses(content: &str) -> impl Iterator<Item = &str> {
    let mut start = 0;
    let mut it = content.char_indices().peekable();
    let mut done = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        while let Some((i, c)) = it.next() {
            let next_is_break = it.peek().is_none_or(|&(_, n)| n.is_whitespace());
            let cut =
                c == '\n' || (matches!(c, '.' | ',' | ';' | ':' | '!' | '?') && next_is_break);
            if cut {
                let clause = &content[start..i];
                start = i + c.len_utf8();
                return Some(clause);
            }
        }
        done = true;
        Some(&content[start..])
    })
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

/// Responses per task when cutting phrases.
const CHUNK: usize = 32;

/// The phrases of a chunk of responses, by response and then by part: those of response `r` (of
/// the chunk) in part `p` are `keys[bounds[r * PARTS + p]..bounds[r * PARTS + p + 1]]`. A phrase
/// said twice in a response is there twice (grouping holders drops the repeat).
struct Phrases {
    keys: Vec<Key>,
    bounds: Vec<usize>,
}

impl Phrases {
    /// The phrases of `streams` (word ids, [`vocab::BREAK`] at stop words and clause ends).
    /// `scratch` is a worker's buffer, reused from chunk to chunk.
    fn cut(streams: &[Vec<u32>], scratch: &mut Vec<(usize, Key)>) -> Phrases {
        let windows: usize = streams.iter().map(|s| 3 * s.len()).sum();
        let mut keys = Vec::with_capacity(windows);
        let mut bounds = Vec::with_capacity(streams.len() * PARTS + 1);
        for stream in streams {
            scratch.clear();
            let mut count = [0usize; PARTS];
            for run in stream.split(|&id| id == vocab::BREAK) {
                for n in 1..=3 {
                    for win in run.windows(n) {
                        let mut k = [NONE; 3];
                        k[..n].copy_from_slice(win);
                        let part = part_of(&k);
                        count[part] += 1;
                        scratch.push((part, k));
                    }
                }
            }
            // Place the phrases part by part (a counting sort).
            let mut next = [0usize; PARTS];
            let mut at = keys.len();
            for part in 0..PARTS {
                bounds.push(at);
                next[part] = at;
                at += count[part];
            }
            keys.resize(at, [NONE; 3]);
            for &(part, k) in scratch.iter() {
                keys[next[part]] = k;
                next[part] += 1;
            }
        }
        bounds.push(keys.len());
        Phrases { keys, bounds }
    }

    /// The phrases of the chunk's response `r` in `part`.
    fn of(&self, r: usize, part: usize) -> &[Key] {
        let b = r * PARTS + part;
        &self.keys[self.bounds[b]..self.bounds[b + 1]]
    }

    fn responses(&self) -> usize {
        (self.bounds.len() - 1) / PARTS
    }
}

/// A phrase held by at least two experts: its distinct experts are `experts[start..end]`.
struct Candidate {
    key: Key,
    start: usize,
    end: usize,
    weight: ExactSum,
}

impl Candidate {
    fn support(&self) -> usize {
        self.end - self.start
    }
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
    // Sized by a first pass (distinct phrase-expert pairs, phrases with two or more), so the
    // buffers are allocated once rather than grown by doubling.
    let (mut pairs, mut shared) = (0, 0);
    let mut g = 0;
    while g < rows.len() {
        let key = rows[g].0 >> 32;
        let mut experts = 0;
        while g < rows.len() && rows[g].0 >> 32 == key {
            let packed = rows[g].0;
            while g < rows.len() && rows[g].0 == packed {
                g += 1;
            }
            experts += 1;
        }
        if experts >= 2 {
            pairs += experts;
            shared += 1;
        }
    }
    let mut holders: Vec<u32> = Vec::with_capacity(pairs);
    let mut candidates: Vec<Candidate> = Vec::with_capacity(shared);
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

/// Ranks themes: by support, then weight, both descending.
fn by_rank(a: &Candidate, b: &Candidate) -> Ordering {
    b.support()
        .cmp(&a.support())
        .then(b.weight.raw().cmp(&a.weight.raw()))
}

/// Keeps the `limit` first items of `items` by `order` and every item tied with the last of them,
/// in no particular order. `limit` is at least 1.
fn keep_top<T: Copy>(items: &mut Vec<T>, limit: usize, order: impl Fn(&T, &T) -> Ordering) {
    if items.len() <= limit {
        return;
    }
    items.select_nth_unstable_by(limit - 1, &order);
    let last = items[limit - 1];
    let mut keep = limit;
    for k in limit..items.len() {
        if order(&items[k], &last) == Ordering::Equal {
            items.swap(keep, k);
            keep += 1;
        }
    }
    items.truncate(keep);
}

/// The themes of `responses`, best first, at most `limit` of them. `experts[i]` is the id of
/// response i's expert (its rank among the sorted distinct names in `names`).
///
/// Every step but the last small merges runs as independent tasks: tokenizing and interning
/// ([`vocab::intern`]), cutting phrases (per chunk of responses), grouping their holders (per
/// part: a fixed hash of the phrase), finding covered phrases and the best of each part.
pub fn themes(
    responses: &[Response],
    experts: &[usize],
    names: &[&str],
    limit: usize,
) -> Vec<Theme> {
    if limit == 0 {
        return Vec::new();
    }
    // Words as ids (ranks among the sorted distinct words); stop words and clause ends break runs.
    let interned = vocab::intern(
        responses.len(),
        |k, sink| {
            for clause in clauses(&responses[k].content) {
                sink.words(clause);
                sink.split();
            }
        },
        |k| responses[k].content.len(),
        |w| !is_stop_word(w),
    );
    let words = interned.words;
    let streams = interned.streams;
    // Each response's phrases, once each, by part.
    let phrases: Vec<Phrases> =
        par::map_tasks_with(streams.len().div_ceil(CHUNK), Vec::new, |scratch, c| {
            Phrases::cut(
                &streams[c * CHUNK..streams.len().min((c + 1) * CHUNK)],
                scratch,
            )
        });
    drop(streams);
    // Group the phrases of each part: sorting the part's (phrase and expert packed in 128 bits,
    // response) rows brings a phrase's holders together in name order; keep the phrases held by
    // two experts or more. Each part's candidates come out sorted by phrase key.
    let parts: Vec<(Vec<Candidate>, Vec<u32>)> = par::map_tasks(PARTS, |part| {
        let size = phrases
            .iter()
            .map(|ph| {
                (0..ph.responses())
                    .map(|r| ph.of(r, part).len())
                    .sum::<usize>()
            })
            .sum();
        let mut rows: Vec<(u128, u32)> = Vec::with_capacity(size);
        for (c, ph) in phrases.iter().enumerate() {
            for r in 0..ph.responses() {
                let i = c * CHUNK + r;
                let expert = experts[i] as u128;
                for k in ph.of(r, part) {
                    let key = (k[0] as u128) << 96 | (k[1] as u128) << 64 | (k[2] as u128) << 32;
                    rows.push((key | expert, i as u32));
                }
            }
        }
        rows.sort_unstable();
        group_holders(&rows, responses)
    });
    drop(phrases);
    // A phrase is covered when a longer one containing it has the same holders. Holders of the
    // longer phrase are a subset of the shorter's, so the same support means the same holders, and
    // checking the prefix and suffix one word shorter finds every covered phrase: if a 3-word
    // phrase covers a word, so does the 2-word phrase between them.
    let find = |k: &Key| -> Option<(usize, usize)> {
        let part = part_of(k);
        let i = parts[part].0.binary_search_by(|c| c.key.cmp(k)).ok()?;
        Some((part, i))
    };
    let covers: Vec<Vec<(usize, usize)>> = par::map_tasks(PARTS, |part| {
        let mut out = Vec::new();
        for c in &parts[part].0 {
            let n = key_len(&c.key);
            if n < 2 {
                continue;
            }
            let (mut prefix, mut suffix) = ([NONE; 3], [NONE; 3]);
            prefix[..n - 1].copy_from_slice(&c.key[..n - 1]);
            suffix[..n - 1].copy_from_slice(&c.key[1..n]);
            for sub in [prefix, suffix] {
                if let Some((p, i)) = find(&sub)
                    && parts[p].0[i].support() == c.support()
                {
                    out.push((p, i));
                }
            }
        }
        out
    });
    let mut covered: Vec<Vec<bool>> = parts.iter().map(|(c, _)| vec![false; c.len()]).collect();
    for (p, i) in covers.into_iter().flatten() {
        covered[p][i] = true;
    }
    // The best of each part (with ties), then the best of those; phrases are spelled out only for
    // them.
    let tops: Vec<Vec<(usize, usize)>> = par::map_tasks(PARTS, |p| {
        let cands = &parts[p].0;
        let mut order: Vec<(usize, usize)> = (0..cands.len())
            .filter(|&i| !covered[p][i])
            .map(|i| (p, i))
            .collect();
        keep_top(&mut order, limit, |a, b| by_rank(&cands[a.1], &cands[b.1]));
        order
    });
    let candidate = |&(p, i): &(usize, usize)| &parts[p].0[i];
    let mut order: Vec<(usize, usize)> = tops.concat();
    keep_top(&mut order, limit, |a, b| {
        by_rank(candidate(a), candidate(b))
    });
    let phrase = |c: &Candidate| -> String {
        let parts: Vec<&str> = c.key[..key_len(&c.key)]
            .iter()
            .map(|&id| words.get(id as usize).map_or("", |w| w.as_ref()))
            .collect();
        parts.join(" ")
    };
    let mut ranked: Vec<((usize, usize), String)> = order
        .into_iter()
        .map(|at| (at, phrase(candidate(&at))))
        .collect();
    ranked.sort_by(|(a, pa), (b, pb)| by_rank(candidate(a), candidate(b)).then_with(|| pa.cmp(pb)));
    ranked.truncate(limit);
    ranked
        .into_iter()
        .map(|(at, phrase)| {
            let (c, holders) = (candidate(&at), &parts[at.0].1);
            Theme {
                phrase,
                support: c.support(),
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

    /// Finding themes allocates about once per response (its token stream) and a bounded number
    /// of times per chunk of responses and per part, beside its result: no buffer per clause, no
    /// vectors grown by doubling (in threaded WebAssembly every allocation takes the allocator's
    /// global lock; issue #9).
    #[test]
    fn themes_allocate_about_once_per_response() {
        let texts = crate::alloc_count::word_texts(8 * CHUNK);
        let names: Vec<String> = (0..texts.len()).map(|e| format!("e{e:03}")).collect();
        let responses: Vec<Response> = texts
            .iter()
            .zip(&names)
            .map(|(t, e)| Response::new(e, t, 0.75))
            .collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let ids: Vec<usize> = (0..responses.len()).collect();
        let (found, made) = crate::alloc_count::counted(|| themes(&responses, &ids, &refs, 20));
        assert_eq!(found.len(), 20);
        // The result: a phrase, an expert list and the experts' names per theme.
        let result: usize = found.iter().map(|t| 2 + t.experts.len()).sum();
        let chunks = responses.len().div_ceil(CHUNK);
        let bound = responses.len() + result + 24 * chunks + 32 * PARTS;
        assert!(
            made <= bound,
            "{made} allocations (at most {bound}): {} responses, {result} for the result",
            responses.len()
        );
    }

    /// Themes by their definition, phrase by phrase with ordered maps: every phrase of every run
    /// with its experts' best confidences; covered when any longer shared phrase containing it has
    /// the same experts.
    fn reference_themes(
        responses: &[Response],
        experts: &[usize],
        names: &[&str],
        limit: usize,
    ) -> Vec<Theme> {
        let mut held: BTreeMap<Vec<String>, BTreeMap<usize, f64>> = BTreeMap::new();
        for (i, r) in responses.iter().enumerate() {
            for run in runs(&r.content) {
                for n in 1..=3 {
                    for w in run.windows(n) {
                        let best = held
                            .entry(w.to_vec())
                            .or_default()
                            .entry(experts[i])
                            .or_insert(0.0);
                        *best = best.max(r.confidence);
                    }
                }
            }
        }
        held.retain(|_, h| h.len() >= 2);
        let covered = |p: &Vec<String>| {
            held.iter().any(|(q, hq)| {
                q.len() > p.len()
                    && q.windows(p.len()).any(|w| w == &p[..])
                    && hq.keys().eq(held[p].keys())
            })
        };
        let mut themes: Vec<(ExactSum, Theme)> = held
            .iter()
            .filter(|(p, _)| !covered(p))
            .map(|(p, h)| {
                let mut weight = ExactSum::default();
                h.values().for_each(|&c| weight.add(c));
                let theme = Theme {
                    phrase: p.join(" "),
                    support: h.len(),
                    weight: weight.value(),
                    experts: h.keys().map(|&e| names[e].to_owned()).collect(),
                };
                (weight, theme)
            })
            .collect();
        themes.sort_by(|(wa, a), (wb, b)| {
            b.support
                .cmp(&a.support)
                .then(wb.cmp(wa))
                .then_with(|| a.phrase.cmp(&b.phrase))
        });
        themes.into_iter().take(limit).map(|(_, t)| t).collect()
    }

    #[test]
    fn themes_equal_the_definition_on_random_panels() {
        const WORDS: &[&str] = &[
            "pool", "Pool", "index", "the", "cache", "is", "warm", "v2.0", "DNS", "a", "lag",
            "été", "ÉTÉ", "retry", "and", "of", "Straße", "日本", "don't", "leak",
        ];
        const GAPS: &[&str] = &[" ", " ", " ", " ", ". ", ", ", "\n", "; ", "! "];
        let mut state = 11u64;
        let mut below = |n: usize| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) as usize % n
        };
        for (count, experts_count) in [(1, 1), (7, 3), (40, 40), (130, 25)] {
            let names: Vec<String> = (0..experts_count).map(|e| format!("e{e:02}")).collect();
            let mut responses = Vec::new();
            let mut ids = Vec::new();
            for _ in 0..count {
                let mut content = String::new();
                for _ in 0..below(30) {
                    content.push_str(WORDS[below(WORDS.len())]);
                    content.push_str(GAPS[below(GAPS.len())]);
                }
                let e = below(experts_count);
                ids.push(e);
                let confidence = below(5) as f64 / 4.0;
                responses.push(Response::new(&names[e], &content, confidence));
            }
            let refs: Vec<&str> = names.iter().map(String::as_str).collect();
            for limit in [1, 3, 20, 10_000] {
                assert_eq!(
                    themes(&responses, &ids, &refs, limit),
                    reference_themes(&responses, &ids, &refs, limit),
                    "{count} responses, limit {limit}"
                );
            }
        }
    }
}
