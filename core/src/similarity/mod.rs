//! String similarity: every metric strsim and rapidfuzz offer for strings, over Unicode scalar
//! values (`char`s), each as a distance and/or a normalized similarity in [0, 1].
//!
//! | metric | distance | similarity |
//! |---|---|---|
//! | `levenshtein`, `osa`, `damerau-levenshtein` | edits | `1 - d / max(len)` |
//! | `indel` (rapidfuzz `ratio`) | insertions + deletions | `1 - d / (len_a + len_b)` |
//! | `lcs` (LCS-seq) | `max(len) - lcs` | `lcs / max(len)` |
//! | `hamming` | differing positions (equal lengths only) | `1 - d / len` |
//! | `jaro`, `jaro-winkler` | - | Jaro; Winkler's prefix bonus 0.1 x up to 4 chars when Jaro > 0.7 |
//! | `sorensen-dice` | - | char bigrams, white space removed (strsim's definition) |
//! | `jaccard` | - | word sets: `|A n B| / |A u B|` |
//! | `cosine` | - | word term-frequency vectors |
//! | `token-sort` | - | `indel` of the sorted words joined by one space |
//! | `token-set` | - | rapidfuzz's `token_set_ratio` over word sets |
//! | `partial` | - | best `indel` of the shorter string against any window of the longer |
//!
//! Word-level metrics use the one tokenizer of [`crate::text::words`] (UAX #29 words, lowercased);
//! rapidfuzz's token ratios split on white space and keep case and punctuation, so a pair such as
//! `"Hello, World"` / `"world hello"` scores 1.0 here for `token-sort` and less there.
//!
//! Two identical inputs are always fully similar, including two empty strings (jellyfish's
//! `jaccard` and rapidfuzz's `token_set_ratio` give 0 for two empty inputs; identity is the more
//! useful property for consensus). An empty string against a non-empty one scores 0.
//!
//! Batches ([`Corpus`], [`matrix`], [`one_to_many`]) prepare each string once: characters decoded,
//! match masks built, words mapped to integer ids (assigned in sorted word order, so ids and every
//! sum over them are independent of input order). Word-level dot products are exact integer
//! arithmetic, so matrices are bit-identical whatever the input order or thread count.

mod bitpar;
mod edit;
pub(crate) mod vocab;

use std::borrow::Cow;
use std::fmt;

pub use bitpar::Pattern;

use crate::par;
use crate::text;

/// A similarity metric, named as on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Metric {
    Levenshtein,
    Osa,
    DamerauLevenshtein,
    Indel,
    Lcs,
    Hamming,
    Jaro,
    JaroWinkler,
    SorensenDice,
    Jaccard,
    Cosine,
    TokenSort,
    TokenSet,
    Partial,
}

impl Metric {
    /// Every metric, in documentation order.
    pub const ALL: [Metric; 14] = [
        Metric::Levenshtein,
        Metric::Osa,
        Metric::DamerauLevenshtein,
        Metric::Indel,
        Metric::Lcs,
        Metric::Hamming,
        Metric::Jaro,
        Metric::JaroWinkler,
        Metric::SorensenDice,
        Metric::Jaccard,
        Metric::Cosine,
        Metric::TokenSort,
        Metric::TokenSet,
        Metric::Partial,
    ];

    /// The command-line name.
    pub fn name(self) -> &'static str {
        match self {
            Metric::Levenshtein => "levenshtein",
            Metric::Osa => "osa",
            Metric::DamerauLevenshtein => "damerau-levenshtein",
            Metric::Indel => "indel",
            Metric::Lcs => "lcs",
            Metric::Hamming => "hamming",
            Metric::Jaro => "jaro",
            Metric::JaroWinkler => "jaro-winkler",
            Metric::SorensenDice => "sorensen-dice",
            Metric::Jaccard => "jaccard",
            Metric::Cosine => "cosine",
            Metric::TokenSort => "token-sort",
            Metric::TokenSet => "token-set",
            Metric::Partial => "partial",
        }
    }

    /// Parses a command-line name.
    pub fn from_name(name: &str) -> Result<Metric, SimilarityError> {
        Metric::ALL
            .into_iter()
            .find(|m| m.name() == name)
            .ok_or_else(|| SimilarityError::UnknownMetric {
                name: name.to_owned(),
            })
    }

    /// Whether the metric has an integer distance (else only a similarity).
    pub fn has_distance(self) -> bool {
        matches!(
            self,
            Metric::Levenshtein
                | Metric::Osa
                | Metric::DamerauLevenshtein
                | Metric::Indel
                | Metric::Lcs
                | Metric::Hamming
        )
    }

    /// Whether the metric compares words rather than characters.
    pub fn is_word_level(self) -> bool {
        matches!(
            self,
            Metric::Jaccard | Metric::Cosine | Metric::TokenSort | Metric::TokenSet
        )
    }
}

impl fmt::Display for Metric {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What went wrong comparing strings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SimilarityError {
    /// The metric name is not one of [`Metric::ALL`].
    UnknownMetric { name: String },
    /// Hamming distance needs equal lengths; `pair` names the batch items compared, if any.
    LengthMismatch {
        left: usize,
        right: usize,
        pair: Option<(usize, usize)>,
    },
}

impl fmt::Display for SimilarityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SimilarityError::UnknownMetric { name } => {
                let names: Vec<&str> = Metric::ALL.iter().map(|m| m.name()).collect();
                write!(
                    f,
                    "unknown metric '{name}' (expected one of: {})",
                    names.join(", ")
                )
            }
            SimilarityError::LengthMismatch { left, right, pair } => {
                write!(
                    f,
                    "hamming needs strings of equal length, got {left} and {right} chars"
                )?;
                if let Some((i, j)) = pair {
                    write!(f, " (items {i} and {j})")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for SimilarityError {}

/// The result of one comparison.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Score {
    /// The distance, for metrics that have one.
    pub distance: Option<usize>,
    /// The normalized similarity in [0, 1].
    pub similarity: f64,
}

impl Score {
    fn sim(similarity: f64) -> Score {
        Score {
            distance: None,
            similarity,
        }
    }

    /// `distance` normalized by `total`: `1 - d / total`, and 1.0 when `total` is zero.
    fn normalized(distance: usize, total: usize) -> Score {
        let similarity = if total == 0 {
            1.0
        } else {
            1.0 - distance as f64 / total as f64
        };
        Score {
            distance: Some(distance),
            similarity,
        }
    }
}

/// Compares two strings.
pub fn compare(metric: Metric, a: &str, b: &str) -> Result<Score, SimilarityError> {
    if matches!(metric, Metric::Jaccard | Metric::Cosine) {
        return Corpus::new(metric, &[a, b]).score(0, 1);
    }
    score(
        metric,
        &prepare(metric, a),
        &prepare(metric, b),
        &mut Scratch::default(),
    )
}

/// Levenshtein distance, or `None` when it exceeds `max` (the computation stops as soon as it must).
pub fn levenshtein_bounded(a: &str, b: &str, max: usize) -> Option<usize> {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let (short, long) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    let pattern = Pattern::new(short);
    if max < long.len() {
        bitpar::levenshtein_banded(&pattern, long, max)
    } else {
        bitpar::levenshtein(&pattern, long, max)
    }
}

/// One string, prepared once for a metric.
#[derive(Debug, Clone, Default)]
struct Prepared {
    chars: Vec<char>,
    /// Match masks of `chars` (or of `joined` for `token-sort`), for the bit-parallel metrics.
    pattern: Option<Pattern>,
    /// Sorted char bigrams of the string without white space (`sorensen-dice`).
    bigrams: Vec<(char, char)>,
    /// Sorted unique words (`token-set`).
    word_set: Vec<String>,
}

/// Jaccard and cosine: each text's word ids with their counts, sorted by id, kept in one buffer
/// per tokenizing piece of texts rather than a vector per text. In threaded WebAssembly every
/// allocation and every free takes the allocator's one global lock: a 400-text cosine matrix made
/// a vector per text in its renumbering step, which ran at 0.19 us a text on one thread and at
/// 0.30 us on each of two, and freed them one by one, serially, after the matrix (issue #9).
#[derive(Debug, Clone, Default)]
struct WordVectors {
    /// Each piece's (id, count) pairs, one text after the other.
    pieces: Vec<Vec<(u32, u32)>>,
    /// Per text: its piece, the range of its pairs there, and its sum of squared counts.
    texts: Vec<(usize, usize, usize, u64)>,
}

/// One piece's share of [`WordVectors`] as the interner's `finish` builds it.
struct PieceVectors {
    pairs: Vec<(u32, u32)>,
    /// Per text of the piece: the range of its pairs and its sum of squared counts.
    texts: Vec<(usize, usize, u64)>,
}

/// One text's word vector: its (id, count) pairs, sorted by id and unique, and its sum of
/// squared counts (`cosine`).
#[derive(Debug, Clone, Copy)]
struct Terms<'a> {
    pairs: &'a [(u32, u32)],
    norm2: u64,
}

impl WordVectors {
    fn get(&self, k: usize) -> Terms<'_> {
        let (piece, start, end, norm2) = self.texts[k];
        Terms {
            pairs: &self.pieces[piece][start..end],
            norm2,
        }
    }
}

/// Buffers reused across comparisons, one per worker in a matrix, so that comparing allocates
/// nothing once they have grown: in threaded WebAssembly every allocation takes the allocator's one
/// global spin lock, and two threads allocating per pair spend more CPU than one (issue #9).
#[derive(Debug, Default)]
struct Scratch {
    /// All-zero, the vocabulary's size (`cosine`, `jaccard`).
    dense: Vec<u32>,
    /// The words of each side missing from the other, joined by spaces, and the pattern of the
    /// shorter (`token-set`).
    diff_ab: Vec<char>,
    diff_ba: Vec<char>,
    pattern: Option<Pattern>,
    /// `partial`'s char slots, window counts and windows.
    partial: WindowBounds,
    /// `damerau-levenshtein`'s rows and char table.
    damerau: edit::DamerauScratch,
}

/// A matrix being written by its tasks: where its `n * n` cells start, and `n`. Each task
/// writes only its own cells (see [`Corpus::matrix`]), through this pointer, so no task holds a
/// reference to cells another task writes.
#[derive(Clone, Copy)]
struct Cells {
    at: *mut f64,
    n: usize,
}

// SAFETY: `Cells` is only a pointer to the buffer of a matrix that outlives its tasks; the tasks
// write disjoint cells through it and nothing reads them until every task has returned.
unsafe impl Send for Cells {}
// SAFETY: as for `Send`.
unsafe impl Sync for Cells {}

impl Cells {
    /// Writes `value` to cells `(i, k)` and `(k, i)`.
    ///
    /// # Safety
    /// `i, k < n`, and no other thread reads or writes either cell while the matrix is made.
    #[inline(always)]
    unsafe fn set_pair(self, i: usize, k: usize, value: f64) {
        // SAFETY: both cells are inside the buffer (`i, k < n`) and only this task writes them
        // (the caller's promise).
        unsafe {
            self.at.add(i * self.n + k).write(value);
            self.at.add(k * self.n + i).write(value);
        }
    }
}

/// A batch of strings prepared once for one metric; compare any two by index.
#[derive(Debug, Clone)]
pub struct Corpus {
    metric: Metric,
    /// The prepared strings, for every metric but jaccard and cosine.
    items: Vec<Prepared>,
    /// The texts' word vectors, for jaccard and cosine.
    words: WordVectors,
    vocabulary: usize,
}

/// Whether `metric` compares word vectors ([`WordVectors`]) rather than [`Prepared`] strings.
fn uses_word_vectors(metric: Metric) -> bool {
    matches!(metric, Metric::Jaccard | Metric::Cosine)
}

impl Corpus {
    /// Prepares `texts` for `metric`.
    pub fn new<S: AsRef<str> + Sync>(metric: Metric, texts: &[S]) -> Corpus {
        if uses_word_vectors(metric) {
            return Corpus::word_vectors(metric, texts);
        }
        let items = par::map_tasks(texts.len(), |k| prepare(metric, texts[k].as_ref()));
        Corpus {
            metric,
            items,
            words: WordVectors::default(),
            vocabulary: 0,
        }
    }

    /// Jaccard and cosine: each text as sorted word ids with counts. Ids follow the sorted order
    /// of the words themselves, so they, and every sum over them, are independent of input order
    /// (see [`vocab`]: tokenizing and interning run in parallel, and ids do not depend on it).
    fn word_vectors<S: AsRef<str> + Sync>(metric: Metric, texts: &[S]) -> Corpus {
        let (words, pieces) = vocab::intern_with(
            texts.len(),
            |k, sink| sink.words(texts[k].as_ref()),
            |k| texts[k].as_ref().len(),
            |_| true,
            // a text has at most as many distinct words as tokens
            |count, tokens| PieceVectors {
                pairs: Vec::with_capacity(tokens),
                texts: Vec::with_capacity(count),
            },
            |piece: &mut PieceVectors, ids| {
                // Sorted in place in the interner's buffer, then appended as (id, count) pairs.
                ids.sort_unstable();
                let start = piece.pairs.len();
                piece.pairs.extend(
                    ids.chunk_by(|a, b| a == b)
                        .map(|run| (run[0], run.len() as u32)),
                );
                let norm2 = piece.pairs[start..]
                    .iter()
                    .map(|&(_, c)| u64::from(c) * u64::from(c))
                    .sum();
                piece.texts.push((start, piece.pairs.len(), norm2));
            },
        );
        let mut vectors = WordVectors {
            pieces: Vec::with_capacity(pieces.len()),
            texts: Vec::with_capacity(texts.len()),
        };
        for (k, piece) in pieces.into_iter().enumerate() {
            vectors.texts.extend(
                piece
                    .texts
                    .into_iter()
                    .map(|(start, end, norm2)| (k, start, end, norm2)),
            );
            vectors.pieces.push(piece.pairs);
        }
        Corpus {
            metric,
            items: Vec::new(),
            words: vectors,
            vocabulary: words.len(),
        }
    }

    pub fn metric(&self) -> Metric {
        self.metric
    }

    pub fn len(&self) -> usize {
        if uses_word_vectors(self.metric) {
            self.words.texts.len()
        } else {
            self.items.len()
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Compares items `i` and `j`.
    pub fn score(&self, i: usize, j: usize) -> Result<Score, SimilarityError> {
        self.score_with(i, j, &mut Scratch::default())
    }

    fn score_with(
        &self,
        i: usize,
        j: usize,
        scratch: &mut Scratch,
    ) -> Result<Score, SimilarityError> {
        if uses_word_vectors(self.metric) {
            let (a, b) = (self.words.get(i), self.words.get(j));
            return Ok(Score::sim(sparse_word_sim(self.metric, a, b)));
        }
        score(self.metric, &self.items[i], &self.items[j], scratch).map_err(|e| match e {
            SimilarityError::LengthMismatch { left, right, .. } => {
                SimilarityError::LengthMismatch {
                    left,
                    right,
                    pair: Some((i, j)),
                }
            }
            other => other,
        })
    }

    /// The all-pairs similarity matrix, row-major `n x n`, diagonal 1.0.
    ///
    /// Each pair is compared once: the task of row `i` compares `i` with every item after it and
    /// writes each value to both of its cells, `(i, k)` and `(k, i)`, so every cell is written by
    /// exactly one task and the matrix needs no pass to mirror its upper half. (That pass, done
    /// after the tasks, did not speed up on two threads: the rows it read had been written on the
    /// other core. A 400-text cosine matrix in threaded WebAssembly spent 0.10 ms in it on one
    /// thread and 0.07-0.11 ms on two, issue #9.) The tasks each take row `t` and row `n-1-t`, so every task
    /// does `n-1` comparisons and threads stay evenly loaded.
    ///
    /// The buffer is allocated uninitialized, and only becomes the result when every task has
    /// written all its cells; on an error it is dropped with nothing read from it. (A zeroed
    /// allocation would be written by the calling thread alone before any task starts, serial
    /// time that bounds what threads gain: issue #9, 1.2-1.7 ms of a 2,000-text cosine matrix's
    /// 60 ms in threaded WebAssembly.)
    pub fn matrix(&self) -> Result<Vec<f64>, SimilarityError> {
        let n = self.len();
        let len = n * n;
        let mut m: Vec<f64> = Vec::with_capacity(len);
        let cells = Cells {
            at: m.as_mut_ptr(),
            n,
        };
        let vocabulary = self.vocabulary;
        // The word vectors as slices, side by side: looked up through their pieces for each
        // pair, a 400-text cosine matrix's upper half took 1.86-1.88 ms on one thread in
        // threaded WebAssembly, against 1.57-1.58 ms this way (issue #9).
        let terms: Vec<Terms<'_>> = if uses_word_vectors(self.metric) {
            (0..n).map(|k| self.words.get(k)).collect()
        } else {
            Vec::new()
        };
        let terms = &terms;
        let results = par::map_tasks_with(
            n.div_ceil(2),
            || Scratch {
                dense: vec![0u32; vocabulary],
                ..Scratch::default()
            },
            |scratch, t| {
                // SAFETY: rows t and n-1-t are this task's alone: tasks 0..ceil(n/2) take
                // distinct pairs of rows (the middle row once), covering every row.
                unsafe {
                    self.fill_row(scratch, terms, t, cells)?;
                    if n - 1 - t != t {
                        self.fill_row(scratch, terms, n - 1 - t, cells)?;
                    }
                }
                Ok(())
            },
        );
        results
            .into_iter()
            .collect::<Result<Vec<()>, SimilarityError>>()?;
        // SAFETY: every task returned Ok, so each wrote all the cells of its rows (see
        // `fill_row`): (i, i), and (i, k) and (k, i) for every k > i. Over the rows 0..n that is
        // each of the `len` cells, within the capacity.
        unsafe { m.set_len(len) };
        Ok(m)
    }

    /// Writes 1.0 to cell `(i, i)` and the similarity of items `i` and `k` to cells `(i, k)` and
    /// `(k, i)`, for every `k > i`, unless it fails first. `scratch.dense` is all-zero, of the
    /// vocabulary's size, and is returned all-zero; `terms` holds every text's word vector
    /// (jaccard, cosine).
    ///
    /// # Safety
    /// `cells` is the matrix of the corpus's items (`n` = [`Corpus::len`]), and no other thread
    /// reads or writes the cells this call writes while the matrix is made: only the task that
    /// owns row `i` writes them.
    unsafe fn fill_row(
        &self,
        scratch: &mut Scratch,
        terms: &[Terms<'_>],
        i: usize,
        cells: Cells,
    ) -> Result<(), SimilarityError> {
        // SAFETY (each write below): i and k are below n, and no other thread touches the
        // cells (the caller's promise).
        unsafe { cells.at.add(i * cells.n + i).write(1.0) };
        match self.metric {
            Metric::Cosine | Metric::Jaccard => {
                let a = terms[i];
                let dense = &mut scratch.dense;
                for &(id, c) in a.pairs {
                    dense[id as usize] = c;
                }
                for (k, &b) in terms.iter().enumerate().skip(i + 1) {
                    let value = word_vector_sim(self.metric, a, b, dense);
                    // SAFETY: as above.
                    unsafe { cells.set_pair(i, k, value) };
                }
                for &(id, _) in a.pairs {
                    dense[id as usize] = 0;
                }
            }
            _ => {
                for k in i + 1..self.len() {
                    let value = self.score_with(i, k, scratch)?.similarity;
                    // SAFETY: as above.
                    unsafe { cells.set_pair(i, k, value) };
                }
            }
        }
        Ok(())
    }
}

/// The all-pairs similarity matrix of `texts`, row-major `n x n`.
pub fn matrix<S: AsRef<str> + Sync>(
    metric: Metric,
    texts: &[S],
) -> Result<Vec<f64>, SimilarityError> {
    Corpus::new(metric, texts).matrix()
}

/// Compares `query` with every choice, in choice order.
pub fn one_to_many<S: AsRef<str>>(
    metric: Metric,
    query: &str,
    choices: &[S],
) -> Result<Vec<Score>, SimilarityError> {
    let mut texts: Vec<&str> = Vec::with_capacity(choices.len() + 1);
    texts.push(query);
    texts.extend(choices.iter().map(AsRef::as_ref));
    let corpus = Corpus::new(metric, &texts);
    par::map_tasks_with(choices.len(), Scratch::default, |scratch, k| {
        corpus.score_with(0, k + 1, scratch)
    })
    .into_iter()
    .collect()
}

fn prepare(metric: Metric, s: &str) -> Prepared {
    let mut p = Prepared::default();
    match metric {
        Metric::TokenSort => {
            let mut sorted: Vec<Cow<'_, str>> = text::words_cow(s).collect();
            sorted.sort_unstable();
            p.chars = sorted.join(" ").chars().collect();
            p.pattern = Some(Pattern::new(&p.chars));
        }
        Metric::TokenSet => {
            let mut set = text::words(s);
            set.sort_unstable();
            set.dedup();
            p.word_set = set;
        }
        Metric::SorensenDice => {
            p.chars = s.chars().filter(|c| !c.is_whitespace()).collect();
            p.bigrams = p.chars.windows(2).map(|w| (w[0], w[1])).collect();
            p.bigrams.sort_unstable();
        }
        Metric::Levenshtein
        | Metric::Indel
        | Metric::Lcs
        | Metric::Partial
        | Metric::Osa
        | Metric::Jaro
        | Metric::JaroWinkler => {
            p.chars = s.chars().collect();
            p.pattern = Some(Pattern::new(&p.chars));
        }
        Metric::DamerauLevenshtein | Metric::Hamming | Metric::Jaccard | Metric::Cosine => {
            p.chars = s.chars().collect();
        }
    }
    p
}

/// The pattern of the shorter of two prepared strings, and the other's chars.
fn shorter_first<'a>(a: &'a Prepared, b: &'a Prepared) -> (&'a Pattern, &'a [char]) {
    let (p, t) = if a.chars.len() <= b.chars.len() {
        (a, b)
    } else {
        (b, a)
    };
    match &p.pattern {
        Some(pattern) => (pattern, &t.chars),
        // Unreachable for the bit-parallel metrics: `prepare` builds their patterns.
        None => (EMPTY_PATTERN.get_or_init(|| Pattern::new(&[])), &t.chars),
    }
}

static EMPTY_PATTERN: std::sync::OnceLock<Pattern> = std::sync::OnceLock::new();

fn indel_distance(pattern: &Pattern, text: &[char]) -> usize {
    pattern.len() + text.len() - 2 * bitpar::lcs_len(pattern, text)
}

fn score(
    metric: Metric,
    a: &Prepared,
    b: &Prepared,
    scratch: &mut Scratch,
) -> Result<Score, SimilarityError> {
    let (la, lb) = (a.chars.len(), b.chars.len());
    Ok(match metric {
        Metric::Levenshtein => {
            let (p, t) = shorter_first(a, b);
            let pattern_chars = if a.chars.len() <= b.chars.len() {
                &a.chars
            } else {
                &b.chars
            };
            let d = bitpar::levenshtein_auto(p, pattern_chars, t);
            Score::normalized(d, la.max(lb))
        }
        Metric::Indel | Metric::TokenSort => {
            let (p, t) = shorter_first(a, b);
            let s = Score::normalized(indel_distance(p, t), la + lb);
            if metric == Metric::TokenSort {
                Score::sim(s.similarity)
            } else {
                s
            }
        }
        Metric::Lcs => {
            let (p, t) = shorter_first(a, b);
            Score::normalized(la.max(lb) - bitpar::lcs_len(p, t), la.max(lb))
        }
        Metric::Osa => {
            let (p, t) = shorter_first(a, b);
            Score::normalized(bitpar::osa(p, t), la.max(lb))
        }
        Metric::DamerauLevenshtein => Score::normalized(
            edit::damerau_with(&a.chars, &b.chars, &mut scratch.damerau),
            la.max(lb),
        ),
        Metric::Hamming => match edit::hamming(&a.chars, &b.chars) {
            Some(d) => Score::normalized(d, la),
            None => {
                return Err(SimilarityError::LengthMismatch {
                    left: la,
                    right: lb,
                    pair: None,
                });
            }
        },
        Metric::Jaro | Metric::JaroWinkler => {
            let b_pattern = match &b.pattern {
                Some(p) => p,
                // Unreachable: `prepare` builds the pattern of every Jaro string.
                None => &Pattern::new(&b.chars),
            };
            let sim = bitpar::jaro(&a.chars, &b.chars, b_pattern);
            if metric == Metric::Jaro {
                Score::sim(sim)
            } else {
                Score::sim(edit::jaro_winkler(sim, &a.chars, &b.chars))
            }
        }
        Metric::SorensenDice => Score::sim(sorensen_dice(a, b)),
        // Unreachable: word vectors are compared by `Corpus::score_with`. From the chars, as
        // `compare` would.
        Metric::Jaccard | Metric::Cosine => {
            let (a, b): (String, String) = (a.chars.iter().collect(), b.chars.iter().collect());
            return Corpus::new(metric, &[a, b]).score(0, 1);
        }
        Metric::TokenSet => Score::sim(token_set(&a.word_set, &b.word_set, scratch)),
        Metric::Partial => Score::sim(partial(a, b, &mut scratch.partial)),
    })
}

/// strsim's Sørensen-Dice: bigram multisets of the strings without white space.
fn sorensen_dice(a: &Prepared, b: &Prepared) -> f64 {
    if a.chars == b.chars {
        return 1.0;
    }
    if a.chars.len() < 2 || b.chars.len() < 2 {
        return 0.0;
    }
    let common = sorted_intersection_len(&a.bigrams, &b.bigrams);
    2.0 * common as f64 / (a.bigrams.len() + b.bigrams.len()) as f64
}

/// Size of the multiset intersection of two sorted slices.
fn sorted_intersection_len<T: Ord>(a: &[T], b: &[T]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// Jaccard or cosine from sorted sparse word vectors (the pairwise path).
fn sparse_word_sim(metric: Metric, a: Terms<'_>, b: Terms<'_>) -> f64 {
    let (mut i, mut j) = (0, 0);
    let (mut inter, mut dot) = (0u64, 0u64);
    while i < a.pairs.len() && j < b.pairs.len() {
        match a.pairs[i].0.cmp(&b.pairs[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                inter += 1;
                dot += u64::from(a.pairs[i].1) * u64::from(b.pairs[j].1);
                i += 1;
                j += 1;
            }
        }
    }
    finish_word_sim(metric, a, b, inter, dot)
}

/// Jaccard or cosine of `b` against the item loaded into `dense` (the matrix path).
#[inline]
fn word_vector_sim(metric: Metric, a: Terms<'_>, b: Terms<'_>, dense: &[u32]) -> f64 {
    let (mut inter, mut dot) = (0u64, 0u64);
    for &(id, c) in b.pairs {
        let ca = dense[id as usize];
        inter += u64::from(ca != 0);
        dot += u64::from(ca) * u64::from(c);
    }
    finish_word_sim(metric, a, b, inter, dot)
}

fn finish_word_sim(metric: Metric, a: Terms<'_>, b: Terms<'_>, inter: u64, dot: u64) -> f64 {
    if a.pairs.is_empty() || b.pairs.is_empty() {
        return if a.pairs.is_empty() && b.pairs.is_empty() {
            1.0
        } else {
            0.0
        };
    }
    match metric {
        Metric::Jaccard => {
            let union = a.pairs.len() as u64 + b.pairs.len() as u64 - inter;
            inter as f64 / union as f64
        }
        _ => (dot as f64 / (a.norm2 as f64 * b.norm2 as f64).sqrt()).min(1.0),
    }
}

/// rapidfuzz's `token_set_ratio` over sorted unique word lists.
fn token_set(a: &[String], b: &[String], scratch: &mut Scratch) -> f64 {
    if a.is_empty() || b.is_empty() {
        return if a.is_empty() && b.is_empty() {
            1.0
        } else {
            0.0
        };
    }
    // The sorted word sets' intersection (its length in chars, joined by spaces) and differences
    // (joined into `diff_ab` and `diff_ba`).
    let (diff_ab, diff_ba) = (&mut scratch.diff_ab, &mut scratch.diff_ba);
    diff_ab.clear();
    diff_ba.clear();
    let (mut common, mut only_a, mut only_b) = (0usize, 0usize, 0usize);
    let mut common_chars = 0usize;
    let join = |out: &mut Vec<char>, count: &mut usize, word: &str| {
        if *count > 0 {
            out.push(' ');
        }
        out.extend(word.chars());
        *count += 1;
    };
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        let ord = match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) => x.cmp(y),
            (Some(_), None) => std::cmp::Ordering::Less,
            _ => std::cmp::Ordering::Greater,
        };
        match ord {
            std::cmp::Ordering::Less => {
                join(diff_ab, &mut only_a, &a[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                join(diff_ba, &mut only_b, &b[j]);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                common_chars += a[i].chars().count();
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    if common > 0 && (only_a == 0 || only_b == 0) {
        return 1.0;
    }
    let sect_len = common_chars + common.saturating_sub(1);
    let sep = usize::from(sect_len != 0);
    let sect_ab_len = sect_len + sep + diff_ab.len();
    let sect_ba_len = sect_len + sep + diff_ba.len();
    let (short, long) = if diff_ab.len() <= diff_ba.len() {
        (&*diff_ab, &*diff_ba)
    } else {
        (&*diff_ba, &*diff_ab)
    };
    let pattern = match &mut scratch.pattern {
        Some(p) => {
            p.set(short);
            p
        }
        none => none.insert(Pattern::new(short)),
    };
    let dist = indel_distance(pattern, long);
    let mut best = 1.0 - dist as f64 / (sect_ab_len + sect_ba_len) as f64;
    if sect_len == 0 {
        return best;
    }
    // The intersection against the intersection plus each remainder.
    let ab = 1.0 - (sep + diff_ab.len()) as f64 / (sect_len + sect_ab_len) as f64;
    let ba = 1.0 - (sep + diff_ba.len()) as f64 / (sect_len + sect_ba_len) as f64;
    best = best.max(ab).max(ba);
    best
}

/// The best normalized indel similarity of the shorter string against every window of the longer
/// one: full-length windows and the partial windows overhanging either end (rapidfuzz's
/// `partial_ratio` alignment set). Windows are tried best histogram bound first and the search
/// stops when no bound beats the best ratio, so the result is that of the exhaustive search.
fn partial(a: &Prepared, b: &Prepared, bound: &mut WindowBounds) -> f64 {
    let best = partial_windows(a, b, bound);
    if a.chars.len() == b.chars.len() && best < 1.0 {
        best.max(partial_windows(b, a, bound))
    } else {
        best
    }
}

fn partial_windows(a: &Prepared, b: &Prepared, bound: &mut WindowBounds) -> f64 {
    let (needle, hay) = if a.chars.len() <= b.chars.len() {
        (a, b)
    } else {
        (b, a)
    };
    let (m, n) = (needle.chars.len(), hay.chars.len());
    if m == 0 {
        return if n == 0 { 1.0 } else { 0.0 };
    }
    let Some(pattern) = &needle.pattern else {
        return 0.0;
    };
    // Every window with the upper bound of its ratio: the LCS is at most the histogram overlap
    // (sum over chars of the smaller count), kept up to date as windows grow and slide.
    bound.set(&needle.chars, &hay.chars);
    let windows = bound.all(m);
    // Best bound first; stop once no remaining window can beat the best ratio found. The result
    // is the maximum over all windows whatever the order, so the order only decides the work.
    windows.sort_unstable_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
    let mut best: f64 = 0.0;
    for &(upper, (start, len)) in windows.iter() {
        if upper <= best {
            break;
        }
        let w = &hay.chars[start..start + len];
        let lcs = bitpar::lcs_len(pattern, w);
        best = best.max(indel_ratio(m, len, lcs));
        if best >= 1.0 {
            break;
        }
    }
    best
}

/// Indel similarity of a needle of `m` chars and a window of `w` chars with `lcs` in common.
fn indel_ratio(m: usize, w: usize, lcs: usize) -> f64 {
    1.0 - (m + w - 2 * lcs) as f64 / (m + w) as f64
}

/// Char histograms for [`partial_windows`]: the needle's counts, and each hay char's slot in them
/// (None when the needle lacks it), with the windows' buffers; all reused across comparisons.
#[derive(Debug, Default)]
struct WindowBounds {
    slots: edit::Slots,
    need: Vec<u32>,
    have: Vec<u32>,
    windows: Vec<(f64, (usize, usize))>,
}

impl WindowBounds {
    fn set(&mut self, needle: &[char], hay: &[char]) {
        let count = edit::char_slots(needle, hay, &mut self.slots);
        self.need.clear();
        self.need.resize(count, 0);
        for &k in self.slots.a.iter().flatten() {
            self.need[k] += 1;
        }
    }

    /// `(upper bound of the ratio, (start, len))` of every window of rapidfuzz's alignment set:
    /// the prefixes shorter than `m`, every full window of `m`, the suffixes shorter than `m`.
    fn all(&mut self, m: usize) -> &mut Vec<(f64, (usize, usize))> {
        let WindowBounds {
            slots,
            need,
            have,
            windows: out,
        } = self;
        let (hay_slots, need) = (&slots.b[..], &need[..]);
        let n = hay_slots.len();
        out.clear();
        have.clear();
        have.resize(need.len(), 0);
        let have = &mut have[..];
        let mut overlap = 0usize;
        let add = |have: &mut [u32], overlap: &mut usize, i: usize| {
            if let Some(k) = hay_slots[i] {
                if have[k] < need[k] {
                    *overlap += 1;
                }
                have[k] += 1;
            }
        };
        let remove = |have: &mut [u32], overlap: &mut usize, i: usize| {
            if let Some(k) = hay_slots[i] {
                have[k] -= 1;
                if have[k] < need[k] {
                    *overlap -= 1;
                }
            }
        };
        // Prefixes hay[..k], k < m, then the full windows hay[i..i + m].
        for k in 1..=m {
            add(have, &mut overlap, k - 1);
            if k < m {
                out.push((indel_ratio(m, k, overlap), (0, k)));
            }
        }
        out.push((indel_ratio(m, m, overlap), (0, m)));
        for i in 1..=n - m {
            remove(have, &mut overlap, i - 1);
            add(have, &mut overlap, i + m - 1);
            out.push((indel_ratio(m, m, overlap), (i, m)));
        }
        // Suffixes hay[n - k..], k < m: shrink the last full window from the left.
        for start in n - m + 1..n {
            remove(have, &mut overlap, start - 1);
            out.push((indel_ratio(m, n - start, overlap), (start, n - start)));
        }
        out
    }
}

/// Every window evaluated: the reference for [`partial_windows`].
#[cfg(test)]
fn partial_windows_exhaustive(needle: &[char], hay: &[char]) -> f64 {
    let (m, n) = (needle.len(), hay.len());
    if m == 0 {
        return if n == 0 { 1.0 } else { 0.0 };
    }
    let pattern = Pattern::new(needle);
    (1..m)
        .map(|k| &hay[..k])
        .chain((0..=n - m).map(|i| &hay[i..i + m]))
        .chain((1..m).rev().map(|k| &hay[n - k..]))
        .map(|w| indel_ratio(m, w.len(), bitpar::lcs_len(&pattern, w)))
        .fold(0.0, f64::max)
}

#[cfg(test)]
mod tests;
