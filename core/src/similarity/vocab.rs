//! Word interning for batches of texts, in parallel and deterministic.
//!
//! Texts are tokenized in pieces of consecutive texts, one task per piece (about four per thread,
//! of [`MIN_TEXTS`] to [`MAX_TEXTS`] texts), each interning its words in a hash map of its own
//! (only looked up, never iterated) in first-seen order. Each piece then sorts its distinct words,
//! the sorted lists are merged pairwise (a tree of merges, each level in parallel) into one sorted
//! vocabulary, and every piece renumbers its tokens by the rank of their word in it. A word's id
//! is therefore its rank among the distinct words of the whole batch: it depends on the set of
//! words alone, not on the input order, the pieces or the thread count. The only serial work is
//! the last merge, linear in the size of the vocabulary.

use std::borrow::Cow;
use std::collections::HashMap;

use unicode_segmentation::UnicodeSegmentation;

use crate::{par, text};

/// In a token stream: a break (a clause boundary, or a word the batch's filter rejected).
pub(crate) const BREAK: u32 = u32::MAX;

/// Texts a tokenizing piece takes at least: enough words to amortize its hash map.
const MIN_TEXTS: usize = 8;
/// Texts a tokenizing piece takes at most.
const MAX_TEXTS: usize = 64;

/// Receives one text's tokens from the tokenizer given to [`intern`].
pub(crate) struct Sink<'a, 's> {
    lookup: &'s mut HashMap<Cow<'a, str>, u32>,
    words: &'s mut Vec<Cow<'a, str>>,
    stream: &'s mut Vec<u32>,
    /// The piece's buffer for lowercasing an ASCII word before it is looked up.
    lower: &'s mut String,
}

impl<'a> Sink<'a, '_> {
    /// Appends a word.
    pub(crate) fn word(&mut self, word: Cow<'a, str>) {
        let id = match self.lookup.get(word.as_ref()) {
            Some(&id) => id,
            None => self.add(word),
        };
        self.stream.push(id);
    }

    /// Appends the words of `text` as [`text::words_cow`] spells them.
    ///
    /// A word with capitals is lowercased into the piece's buffer and looked up from there, so
    /// it allocates only the first time its piece sees it, not at every occurrence as
    /// `words_cow`'s owned words do (issue #9: log lines are full of `Dec`, `INFO`,
    /// `PacketResponder`; in threaded WebAssembly every allocation takes the allocator's one
    /// global lock).
    pub(crate) fn words(&mut self, text: &'a str) {
        for w in text.unicode_words() {
            match text::case_of(w) {
                text::Case::Lower => self.word(Cow::Borrowed(w)),
                text::Case::Ascii => {
                    self.lower.clear();
                    self.lower
                        .extend(w.bytes().map(|b| char::from(b.to_ascii_lowercase())));
                    let id = match self.lookup.get(self.lower.as_str()) {
                        Some(&id) => id,
                        None => self.add(Cow::Owned(self.lower.clone())),
                    };
                    self.stream.push(id);
                }
                // Unicode's lowercasing has context (a final sigma): as `words_cow` does it.
                text::Case::Unicode => self.word(text::lowercase(w)),
            }
        }
    }

    /// Gives `word`, new to this piece, the next piece-local id.
    fn add(&mut self, word: Cow<'a, str>) -> u32 {
        let id = self.words.len() as u32;
        self.words.push(word.clone());
        self.lookup.insert(word, id);
        id
    }

    /// Appends a break.
    pub(crate) fn split(&mut self) {
        self.stream.push(BREAK);
    }
}

/// A batch of texts as word ids.
#[derive(Debug, Default)]
pub(crate) struct Interned<'a> {
    /// The distinct words kept, sorted (byte order): a word's id is its index here.
    pub words: Vec<Cow<'a, str>>,
    /// Per text, its tokens as ids ([`BREAK`] for breaks and rejected words).
    pub streams: Vec<Vec<u32>>,
    /// How many pieces the texts were tokenized in (it depends on the thread count; tests bound
    /// allocations by it).
    #[cfg_attr(not(test), allow(dead_code))]
    pub pieces: usize,
}

/// Consecutive texts tokenized by one task: their tokens as piece-local ids, and the piece's
/// kept distinct words sorted.
#[derive(Default)]
struct Piece<'a> {
    /// Local id -> word, in first-seen order.
    words: Vec<Cow<'a, str>>,
    /// The local ids of the words kept, in the order of the words.
    order: Vec<u32>,
    /// The texts' tokens, one text after the other; `ends[i]` is where the piece's text i ends.
    tokens: Vec<u32>,
    ends: Vec<usize>,
    sorted: Vec<Cow<'a, str>>,
    /// The buffer [`Sink::words`] lowercases into.
    lower: String,
}

/// Interns the tokens of `count` texts: `tokenize(k, sink)` feeds text k's words and breaks to
/// `sink`, and `size(k)` is text k's length in bytes, or near it (a piece's buffers are sized from
/// it). Words for which `keep` is false are left out of the vocabulary and become breaks (`keep` is
/// asked once per distinct word and piece).
pub(crate) fn intern<'a, T, Z, K>(count: usize, tokenize: T, size: Z, keep: K) -> Interned<'a>
where
    T: Fn(usize, &mut Sink<'a, '_>) + Sync + Send,
    Z: Fn(usize) -> usize + Sync + Send,
    K: Fn(&str) -> bool + Sync + Send,
{
    let (words, pieces) = intern_with(
        count,
        tokenize,
        size,
        keep,
        |texts, _| Vec::with_capacity(texts),
        |streams: &mut Vec<Vec<u32>>, ids| streams.push(ids.to_vec()),
    );
    Interned {
        words,
        pieces: pieces.len(),
        streams: pieces.into_iter().flatten().collect(),
    }
}

/// [`intern`], with each text's ids handed to `finish` in the parallel step that renumbers them,
/// in place in the piece's token buffer, together with an output of the piece's own, made by
/// `start(texts, tokens)` from the piece's numbers of texts and tokens. Returns the vocabulary
/// and the outputs, one per piece of consecutive texts, in text order: `finish` is called once
/// per text, in text order within each piece. How many texts a piece has depends on the thread
/// count (see [`texts_per_piece`]).
///
/// An output per piece, not per text: in threaded WebAssembly every allocation takes the
/// allocator's one global lock, and a 400-text cosine matrix whose renumbering step allocated a
/// vector per text ran it at 0.19 us a text on one thread and 0.30 us on each of two (issue #9).
pub(crate) fn intern_with<'a, T, Z, K, P, S, F>(
    count: usize,
    tokenize: T,
    size: Z,
    keep: K,
    start: S,
    finish: F,
) -> (Vec<Cow<'a, str>>, Vec<P>)
where
    T: Fn(usize, &mut Sink<'a, '_>) + Sync + Send,
    Z: Fn(usize) -> usize + Sync + Send,
    K: Fn(&str) -> bool + Sync + Send,
    P: Send,
    S: Fn(usize, usize) -> P + Sync + Send,
    F: Fn(&mut P, &mut [u32]) + Sync + Send,
{
    // One lookup table and one token buffer per piece, so that a piece's words are interned and
    // sorted once however many texts it has, and its texts allocate nothing here (issue #9: in
    // threaded WebAssembly every allocation takes the allocator's one global lock).
    let per = texts_per_piece(count);
    let mut pieces: Vec<Piece<'a>> = par::map_tasks_with(
        count.div_ceil(per),
        HashMap::new,
        |lookup: &mut HashMap<Cow<'a, str>, u32>, c| {
            let texts = c * per..count.min((c + 1) * per);
            // Buffers sized once from the texts' bytes, not grown by doubling: a reallocation
            // takes the allocator's lock like any allocation (issue #9). A token and its
            // separator take four bytes or more in most text, and a piece has fewer distinct
            // words than tokens; a wrong guess only costs the doublings it saves.
            let bytes: usize = texts.clone().map(&size).sum();
            let mut piece = Piece {
                tokens: Vec::with_capacity(bytes / 4 + 1),
                words: Vec::with_capacity(bytes / 16 + 1),
                ends: Vec::with_capacity(texts.len()),
                ..Piece::default()
            };
            lookup.reserve(bytes / 16 + 1);
            for k in texts {
                tokenize(
                    k,
                    &mut Sink {
                        lookup,
                        words: &mut piece.words,
                        stream: &mut piece.tokens,
                        lower: &mut piece.lower,
                    },
                );
                piece.ends.push(piece.tokens.len());
            }
            lookup.clear();
            // The kept words' local ids in the order of the words, and the words in that order.
            let words = &piece.words;
            piece.order = (0..words.len() as u32)
                .filter(|&id| keep(&words[id as usize]))
                .collect();
            piece
                .order
                .sort_unstable_by(|&x, &y| words[x as usize].cmp(&words[y as usize]));
            piece.sorted = piece
                .order
                .iter()
                .map(|&id| words[id as usize].clone())
                .collect();
            piece
        },
    );
    let lists: Vec<Vec<Cow<'a, str>>> = pieces
        .iter_mut()
        .map(|p| std::mem::take(&mut p.sorted))
        .collect();
    let words = merge_all(lists);
    // Per piece: its local ids as ranks in the vocabulary, then its texts' ids.
    let outputs: Vec<P> = par::for_each_with(
        pieces,
        || (),
        |_, mut piece| {
            // The piece's kept words in order, walked along the vocabulary (which holds every one
            // of them): a comparison per word of either, not a binary search per word.
            let mut table = vec![BREAK; piece.words.len()];
            let mut rank = 0;
            for &id in &piece.order {
                let word = &piece.words[id as usize];
                while words.get(rank).is_some_and(|w| w < word) {
                    rank += 1;
                }
                if words.get(rank) == Some(word) {
                    table[id as usize] = rank as u32;
                }
            }
            let mut out = start(piece.ends.len(), piece.tokens.len());
            let mut rest: &mut [u32] = &mut piece.tokens;
            let mut at = 0;
            for &end in &piece.ends {
                let (ids, tail) = std::mem::take(&mut rest).split_at_mut(end - at);
                rest = tail;
                at = end;
                for id in ids.iter_mut() {
                    if *id != BREAK {
                        *id = table[*id as usize];
                    }
                }
                finish(&mut out, ids);
            }
            out
        },
    );
    (words, outputs)
}

/// Texts per piece for a batch of `count`: about four pieces per thread, so that stealing evens
/// out the threads, of [`MIN_TEXTS`] to [`MAX_TEXTS`] texts. The pieces change nothing in the
/// result.
fn texts_per_piece(count: usize) -> usize {
    count
        .div_ceil(4 * par::threads())
        .clamp(MIN_TEXTS, MAX_TEXTS)
}

/// Merges sorted lists of distinct words into one, pairwise, each level of the tree in parallel.
fn merge_all<'a>(mut lists: Vec<Vec<Cow<'a, str>>>) -> Vec<Cow<'a, str>> {
    while lists.len() > 1 {
        let mut pairs = Vec::with_capacity(lists.len().div_ceil(2));
        let mut it = lists.into_iter();
        while let Some(a) = it.next() {
            pairs.push((a, it.next()));
        }
        lists = par::for_each_with(
            pairs,
            || (),
            |_, (a, b)| match b {
                Some(b) => merge_two(a, b),
                None => a,
            },
        );
    }
    lists.pop().unwrap_or_default()
}

/// The sorted union of two sorted lists of distinct words.
fn merge_two<'a>(a: Vec<Cow<'a, str>>, b: Vec<Cow<'a, str>>) -> Vec<Cow<'a, str>> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let mut a = a.into_iter().peekable();
    let mut b = b.into_iter().peekable();
    loop {
        let order = match (a.peek(), b.peek()) {
            (Some(x), Some(y)) => x.cmp(y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => break,
        };
        match order {
            std::cmp::Ordering::Less => out.extend(a.next()),
            std::cmp::Ordering::Greater => out.extend(b.next()),
            std::cmp::Ordering::Equal => {
                out.extend(a.next());
                b.next();
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words_of(texts: &[&'static str]) -> Interned<'static> {
        let texts: Vec<&'static str> = texts.to_vec();
        intern(
            texts.len(),
            |k, sink| {
                for w in texts[k].split(' ').filter(|w| !w.is_empty()) {
                    if w == "|" {
                        sink.split();
                    } else {
                        sink.word(Cow::Borrowed(w));
                    }
                }
            },
            |k| texts[k].len(),
            |w| w != "the",
        )
    }

    #[test]
    fn ids_are_ranks_in_the_sorted_vocabulary_across_chunks() {
        // More texts than one chunk, words first seen in different chunks and orders.
        let mut texts: Vec<String> = (0..12 * MIN_TEXTS)
            .map(|k| format!("w{:03} the shared | w{:03}", 12 * MIN_TEXTS - k, k))
            .collect();
        texts.push(String::new());
        let refs: Vec<&'static str> = texts
            .iter()
            .map(|t| &*Box::leak(t.clone().into_boxed_str()))
            .collect();
        let got = words_of(&refs);
        let mut expected: Vec<&str> = refs
            .iter()
            .flat_map(|t| t.split(' '))
            .filter(|w| !w.is_empty() && *w != "|" && *w != "the")
            .collect();
        expected.sort_unstable();
        expected.dedup();
        let words: Vec<&str> = got.words.iter().map(|w| w.as_ref()).collect();
        assert_eq!(words, expected);
        assert_eq!(got.streams.len(), refs.len());
        for (text, stream) in refs.iter().zip(&got.streams) {
            let spelled: Vec<&str> = stream
                .iter()
                .map(|&id| match id {
                    BREAK => "|",
                    id => words[id as usize],
                })
                .collect();
            let tokens: Vec<&str> = text
                .split(' ')
                .filter(|w| !w.is_empty())
                .map(|w| if w == "the" { "|" } else { w })
                .collect();
            assert_eq!(spelled, tokens, "{text}");
        }
    }

    /// Interning makes one allocation per text (its ids, at their final size) and a bounded
    /// number per piece of texts, not one per token or per text and chunk: in threaded
    /// WebAssembly every allocation takes the allocator's global lock (issue #9).
    #[test]
    fn interning_allocates_once_per_text_and_a_few_times_per_piece() {
        let texts = crate::alloc_count::word_texts(256);
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let (interned, made) = crate::alloc_count::counted(|| {
            intern(
                refs.len(),
                |k, sink| {
                    for w in refs[k].split(' ') {
                        sink.word(Cow::Borrowed(w));
                    }
                },
                |k| refs[k].len(),
                |_| true,
            )
        });
        assert_eq!(interned.words.len(), 400);
        // Per piece: its table, word list and token buffer (25,600 tokens), sized from the
        // texts' bytes (grown by doubling they made 154 allocations in four pieces, not 67), its
        // sorted list, its renumbering table and a merge.
        let pieces = interned.pieces;
        assert!(
            made <= refs.len() + 24 * pieces + 8,
            "{made} allocations for {} texts in {pieces} pieces",
            refs.len()
        );
    }

    /// `Sink::words` gives the ids of `text::words_cow`'s words, whatever their case or script.
    #[test]
    fn sink_words_spell_what_words_cow_gives() {
        let texts = [
            "[Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok",
            "INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block blk_-1608",
            "ΟΔΥΣΣΕΥΣ Σ σ Straße İSTANBUL Été 日本 don't PANIC",
            "MiXeD mixed MIXED mixed",
            "",
        ];
        let got = intern(
            texts.len(),
            |k, sink| sink.words(texts[k]),
            |k| texts[k].len(),
            |_| true,
        );
        for (text, stream) in texts.iter().zip(&got.streams) {
            let spelled: Vec<&str> = stream
                .iter()
                .map(|&id| got.words[id as usize].as_ref())
                .collect();
            assert_eq!(spelled, text::words(text), "{text}");
        }
    }

    /// A word with capitals is lowercased into the piece's buffer: it allocates when its piece
    /// first sees it, not at every occurrence.
    #[test]
    fn capitalized_words_allocate_once_per_piece() {
        let texts: Vec<String> = crate::alloc_count::word_texts(256)
            .iter()
            .map(|t| t.replace('w', "W"))
            .collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let (interned, made) = crate::alloc_count::counted(|| {
            intern(
                refs.len(),
                |k, sink| sink.words(refs[k]),
                |k| refs[k].len(),
                |_| true,
            )
        });
        assert_eq!(interned.words.len(), 400);
        // Each piece sees at most 400 distinct words, and a new capitalized word costs three
        // copies: the piece's word list, its lookup key and its sorted list. Lowercasing at every
        // occurrence would add 25,600 (a hundred words per text).
        let pieces = interned.pieces;
        assert!(
            made <= refs.len() + (80 + 3 * 400) * pieces + 8,
            "{made} allocations for {} texts in {pieces} pieces",
            refs.len()
        );
    }

    #[test]
    fn merging_keeps_one_of_each_word() {
        let cow = |s: &[&'static str]| s.iter().map(|&w| Cow::Borrowed(w)).collect::<Vec<_>>();
        let merged = merge_all(vec![
            cow(&["a", "c", "e"]),
            cow(&["b", "c"]),
            cow(&[]),
            cow(&["a", "z"]),
            cow(&["d"]),
        ]);
        assert_eq!(merged, cow(&["a", "b", "c", "d", "e", "z"]));
        assert!(merge_all(Vec::new()).is_empty());
        assert!(words_of(&[]).words.is_empty());
    }
}
