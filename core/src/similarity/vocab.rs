//! Word interning for batches of texts, in parallel and deterministic.
//!
//! Texts are tokenized in chunks of [`CHUNK`] texts, one task per chunk, each interning its words
//! in a hash map of its own (only looked up, never iterated; one per worker, emptied for each
//! chunk) in first-seen order. Each chunk then sorts its distinct words, the sorted lists are
//! merged pairwise (a tree of merges, each level in parallel) into one sorted vocabulary, and
//! every chunk renumbers its tokens by the rank of their word in it. A word's id is therefore its
//! rank among the distinct words of the whole batch: it depends on the set of words alone, not on
//! the input order, the chunking or the thread count. The only serial work is the last merge,
//! linear in the size of the vocabulary.

use std::borrow::Cow;
use std::collections::HashMap;

use crate::par;

/// In a token stream: a break (a clause boundary, or a word the batch's filter rejected).
pub(crate) const BREAK: u32 = u32::MAX;

/// Texts per tokenizing task: enough words per task to amortize its hash map.
const CHUNK: usize = 32;

/// Receives one text's tokens from the tokenizer given to [`intern`].
pub(crate) struct Sink<'a, 's> {
    lookup: &'s mut HashMap<Cow<'a, str>, u32>,
    words: &'s mut Vec<Cow<'a, str>>,
    stream: &'s mut Vec<u32>,
}

impl<'a> Sink<'a, '_> {
    /// Appends a word.
    pub(crate) fn word(&mut self, word: Cow<'a, str>) {
        let id = match self.lookup.get(word.as_ref()) {
            Some(&id) => id,
            None => {
                let id = self.words.len() as u32;
                self.words.push(word.clone());
                self.lookup.insert(word, id);
                id
            }
        };
        self.stream.push(id);
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
    /// Per text, its tokens as ids, with [`BREAK`] for breaks and rejected words.
    pub streams: Vec<Vec<u32>>,
}

/// One chunk's texts with chunk-local ids, and its kept distinct words sorted.
struct Chunk<'a> {
    words: Vec<Cow<'a, str>>,
    kept: Vec<bool>,
    streams: Vec<Vec<u32>>,
    sorted: Vec<Cow<'a, str>>,
}

/// Interns the tokens of `count` texts: `tokenize(k, sink)` feeds text k's words and breaks to
/// `sink`. Words for which `keep` is false are left out of the vocabulary and become breaks
/// (`keep` is asked once per distinct word and chunk).
pub(crate) fn intern<'a, T, K>(count: usize, tokenize: T, keep: K) -> Interned<'a>
where
    T: Fn(usize, &mut Sink<'a, '_>) + Sync + Send,
    K: Fn(&str) -> bool + Sync + Send,
{
    // Per worker: the lookup table and a token buffer, emptied and reused from chunk to chunk, so
    // a text costs one allocation (its stream, at its final size) instead of a growing vector and
    // a table rehashed as it fills (issue #9: in threaded WebAssembly every allocation takes the
    // allocator's one global lock).
    let chunks: Vec<Chunk<'a>> = par::map_tasks_with(
        count.div_ceil(CHUNK),
        || (HashMap::new(), Vec::new()),
        |(lookup, stream): &mut (HashMap<Cow<'a, str>, u32>, Vec<u32>), c| {
            let mut words = Vec::with_capacity(lookup.capacity());
            let streams = (c * CHUNK..count.min((c + 1) * CHUNK))
                .map(|k| {
                    stream.clear();
                    tokenize(
                        k,
                        &mut Sink {
                            lookup,
                            words: &mut words,
                            stream,
                        },
                    );
                    stream.to_vec()
                })
                .collect();
            lookup.clear();
            let kept: Vec<bool> = words.iter().map(|w| keep(w)).collect();
            let mut sorted: Vec<Cow<'a, str>> = words
                .iter()
                .zip(&kept)
                .filter(|&(_, &k)| k)
                .map(|(w, _)| w.clone())
                .collect();
            sorted.sort_unstable();
            Chunk {
                words,
                kept,
                streams,
                sorted,
            }
        },
    );
    let mut chunks = chunks;
    let lists: Vec<Vec<Cow<'a, str>>> = chunks
        .iter_mut()
        .map(|c| std::mem::take(&mut c.sorted))
        .collect();
    let words = merge_all(lists);
    let renumbered = par::for_each_with(
        chunks,
        || (),
        |_, chunk| {
            let global: Vec<u32> = chunk
                .words
                .iter()
                .zip(&chunk.kept)
                .map(|(w, &k)| {
                    if k {
                        words.binary_search(w).map_or(BREAK, |g| g as u32)
                    } else {
                        BREAK
                    }
                })
                .collect();
            let mut streams = chunk.streams;
            for stream in &mut streams {
                for id in stream.iter_mut() {
                    if *id != BREAK {
                        *id = global[*id as usize];
                    }
                }
            }
            streams
        },
    );
    Interned {
        words,
        streams: renumbered.into_iter().flatten().collect(),
    }
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
            |w| w != "the",
        )
    }

    #[test]
    fn ids_are_ranks_in_the_sorted_vocabulary_across_chunks() {
        // More texts than one chunk, words first seen in different chunks and orders.
        let mut texts: Vec<String> = (0..3 * CHUNK)
            .map(|k| format!("w{:03} the shared | w{:03}", 3 * CHUNK - k, k))
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

    /// Interning makes one allocation per text (its stream, at its final size) and a bounded
    /// number per chunk, not a growing stream per text and a lookup table per chunk rehashed as it
    /// fills: in threaded WebAssembly every allocation takes the allocator's global lock (issue #9).
    #[test]
    fn interning_allocates_once_per_text_and_a_few_times_per_chunk() {
        let texts = crate::alloc_count::word_texts(8 * CHUNK);
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let (interned, made) = crate::alloc_count::counted(|| {
            intern(
                refs.len(),
                |k, sink| {
                    for w in refs[k].split(' ') {
                        sink.word(Cow::Borrowed(w));
                    }
                },
                |_| true,
            )
        });
        assert_eq!(interned.words.len(), 400);
        let chunks = refs.len().div_ceil(CHUNK);
        assert!(
            made <= refs.len() + 24 * chunks,
            "{made} allocations for {} texts in {chunks} chunks",
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
