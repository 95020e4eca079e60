//! Bit-parallel kernels against plain reference DPs, properties, and long inputs.

use super::*;
use proptest::prelude::*;

fn reference_levenshtein(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j + 1] + 1)
                .min(cur[j] + 1)
                .min(prev[j] + usize::from(ca != cb));
        }
        prev = cur;
    }
    prev[b.len()]
}

fn reference_lcs(a: &[char], b: &[char]) -> usize {
    let mut prev = vec![0usize; b.len() + 1];
    for ca in a {
        let mut cur = vec![0usize; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = if ca == cb {
                prev[j] + 1
            } else {
                prev[j + 1].max(cur[j])
            };
        }
        prev = cur;
    }
    prev[b.len()]
}

fn chars(s: &str) -> Vec<char> {
    s.chars().collect()
}

/// Strings over a small alphabet (so that matches happen), with some non-ASCII letters.
/// Transpositions across a block edge (rows 63/64 and 127/128) and an unmatched window edge.
#[test]
fn osa_and_jaro_at_block_edges() {
    for len in [63, 64, 65, 127, 128, 129, 300] {
        let a: Vec<char> = (0..len).map(|i| char::from(b'a' + (i % 7) as u8)).collect();
        for at in [0, 62, 63, 64, 126, 127, len - 2] {
            if at + 1 >= len {
                continue;
            }
            let mut b = a.clone();
            b.swap(at, at + 1);
            b.push('z');
            let (p, t) = if a.len() <= b.len() {
                (&a, &b)
            } else {
                (&b, &a)
            };
            assert_eq!(
                bitpar::osa(&Pattern::new(p), t),
                edit::osa(&a, &b),
                "len {len} at {at}"
            );
            let fast = bitpar::jaro(&a, &b, &Pattern::new(&b));
            assert_eq!(
                fast.to_bits(),
                edit::jaro(&a, &b).to_bits(),
                "len {len} at {at}"
            );
        }
    }
}

fn small_alphabet(max: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just('a'),
            Just('b'),
            Just('c'),
            Just('é'),
            // Shares 'é''s bucket in histogram_lower_bound (code modulo 128).
            Just('ũ'),
            Just('日'),
            Just(' ')
        ],
        0..max,
    )
    .prop_map(|v| v.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn bitparallel_levenshtein_equals_dp(a in small_alphabet(200), b in small_alphabet(200)) {
        let (ca, cb) = (chars(&a), chars(&b));
        let want = reference_levenshtein(&ca, &cb);
        prop_assert_eq!(compare(Metric::Levenshtein, &a, &b).unwrap().distance, Some(want));
        prop_assert_eq!(levenshtein_bounded(&a, &b, want), Some(want));
        if want > 0 {
            prop_assert_eq!(levenshtein_bounded(&a, &b, want - 1), None);
        }
    }

    #[test]
    fn banded_levenshtein_equals_dp_on_long_near_duplicates(
        base in proptest::collection::vec(prop_oneof![Just('a'), Just('b'), Just('c'), Just('d'), Just('é')], 100..900),
        edits in proptest::collection::vec((0usize..1000, 0u8..3, prop_oneof![Just('a'), Just('x'), Just('é')]), 0..120),
    ) {
        let mut b = base.clone();
        for (pos, op, c) in edits {
            let at = pos % (b.len() + 1);
            match op {
                0 if at < b.len() => b[at] = c,
                1 => b.insert(at, c),
                _ if at < b.len() => { b.remove(at); }
                _ => {}
            }
        }
        let (a, b): (String, String) = (base.iter().collect(), b.iter().collect());
        let want = reference_levenshtein(&base, &chars(&b));
        prop_assert_eq!(compare(Metric::Levenshtein, &a, &b).unwrap().distance, Some(want));
        prop_assert_eq!(levenshtein_bounded(&a, &b, want), Some(want));
        if want > 0 {
            prop_assert_eq!(levenshtein_bounded(&a, &b, want - 1), None);
        }
    }

    #[test]
    fn bitparallel_lcs_and_indel_equal_dp(a in small_alphabet(200), b in small_alphabet(200)) {
        let (ca, cb) = (chars(&a), chars(&b));
        let lcs = reference_lcs(&ca, &cb);
        prop_assert_eq!(compare(Metric::Lcs, &a, &b).unwrap().distance, Some(ca.len().max(cb.len()) - lcs));
        prop_assert_eq!(compare(Metric::Indel, &a, &b).unwrap().distance, Some(ca.len() + cb.len() - 2 * lcs));
    }

    #[test]
    fn metrics_are_symmetric_bounded_and_reflexive(a in small_alphabet(40), b in small_alphabet(40)) {
        for metric in Metric::ALL {
            if metric == Metric::Hamming && a.chars().count() != b.chars().count() {
                continue;
            }
            let ab = compare(metric, &a, &b).unwrap();
            let ba = compare(metric, &b, &a).unwrap();
            prop_assert!((0.0..=1.0).contains(&ab.similarity), "{metric}: {}", ab.similarity);
            // Jaro's match window scan is order dependent in the textbook definition only through
            // ties; its value is symmetric. Every metric here must be.
            prop_assert_eq!(ab.distance, ba.distance, "{}", metric);
            prop_assert!((ab.similarity - ba.similarity).abs() < 1e-12, "{metric}: {} vs {}", ab.similarity, ba.similarity);
            let aa = compare(metric, &a, &a).unwrap();
            prop_assert_eq!(aa.similarity, 1.0, "{}", metric);
        }
    }

    #[test]
    fn levenshtein_triangle_inequality(a in small_alphabet(60), b in small_alphabet(60), c in small_alphabet(60)) {
        let d = |x: &str, y: &str| compare(Metric::Levenshtein, x, y).unwrap().distance.unwrap();
        prop_assert!(d(&a, &c) <= d(&a, &b) + d(&b, &c));
    }

    #[test]
    fn osa_bit_parallel_equals_the_dp(a in small_alphabet(200), b in small_alphabet(200)) {
        // Up to 200 chars: one to four 64-bit blocks, so the transposition carry between blocks
        // is exercised; the small alphabet makes transpositions frequent.
        let (ca, cb): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        let (p, t) = if ca.len() <= cb.len() { (&ca, &cb) } else { (&cb, &ca) };
        prop_assert_eq!(bitpar::osa(&Pattern::new(p), t), edit::osa(&ca, &cb));
    }

    #[test]
    fn jaro_bit_parallel_equals_the_textbook_scan(a in small_alphabet(300), b in small_alphabet(300)) {
        let (ca, cb): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        let fast = bitpar::jaro(&ca, &cb, &Pattern::new(&cb));
        prop_assert_eq!(fast.to_bits(), edit::jaro(&ca, &cb).to_bits());
    }

    #[test]
    fn damerau_linear_space_equals_the_full_table(a in small_alphabet(120), b in small_alphabet(120)) {
        let (ca, cb): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        // One scratch through three comparisons of other sizes: what one left must not matter.
        let mut scratch = edit::DamerauScratch::default();
        let ab = edit::damerau_with(&ca, &cb, &mut scratch);
        let ba = edit::damerau_with(&cb, &ca, &mut scratch);
        let short = edit::damerau_with(&ca[..ca.len() / 2], &cb, &mut scratch);
        prop_assert_eq!(ab, edit::damerau_full_table(&ca, &cb));
        prop_assert_eq!(ba, edit::damerau_full_table(&cb, &ca));
        prop_assert_eq!(short, edit::damerau_full_table(&ca[..ca.len() / 2], &cb));
        prop_assert_eq!(edit::damerau_with(&ca, &cb, &mut scratch), ab);
    }

    #[test]
    fn partial_pruned_equals_every_window(a in small_alphabet(80), b in small_alphabet(160)) {
        let (ca, cb): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        let (needle, hay) = if ca.len() <= cb.len() { (&ca, &cb) } else { (&cb, &ca) };
        let want = partial_windows_exhaustive(needle, hay);
        let got = compare(Metric::Partial, &a, &b).unwrap().similarity;
        if ca.len() == cb.len() {
            // Equal lengths also try the other way round; never below one direction.
            prop_assert!(got >= want);
        } else {
            prop_assert_eq!(got.to_bits(), want.to_bits());
        }
    }

    #[test]
    fn osa_and_damerau_bounded_by_levenshtein(a in small_alphabet(30), b in small_alphabet(30)) {
        let lev = compare(Metric::Levenshtein, &a, &b).unwrap().distance.unwrap();
        let osa = compare(Metric::Osa, &a, &b).unwrap().distance.unwrap();
        let dam = compare(Metric::DamerauLevenshtein, &a, &b).unwrap().distance.unwrap();
        prop_assert!(dam <= osa && osa <= lev);
    }

    #[test]
    fn matrix_equals_pairwise_and_ignores_order(texts in proptest::collection::vec(small_alphabet(30), 0..12)) {
        for metric in [Metric::Cosine, Metric::Jaccard, Metric::Levenshtein, Metric::TokenSet] {
            let m = matrix(metric, &texts).unwrap();
            let n = texts.len();
            for i in 0..n {
                for j in 0..n {
                    let want = if i == j { 1.0 } else { compare(metric, &texts[i], &texts[j]).unwrap().similarity };
                    prop_assert_eq!(m[i * n + j].to_bits(), want.to_bits(), "{} [{}][{}]", metric, i, j);
                }
            }
            let reversed: Vec<&String> = texts.iter().rev().collect();
            let r = matrix(metric, &reversed).unwrap();
            for i in 0..n {
                for j in 0..n {
                    prop_assert_eq!(m[i * n + j].to_bits(), r[(n - 1 - i) * n + (n - 1 - j)].to_bits());
                }
            }
        }
    }
}

#[test]
fn long_inputs_of_100k_chars() {
    let a: String = (0..100_000)
        .map(|i| char::from(b'a' + (i * 7 % 26) as u8))
        .collect();
    let mut b: Vec<char> = a.chars().collect();
    for k in (0..b.len()).step_by(1000) {
        b[k] = 'Z';
    }
    let b: String = b.into_iter().collect();
    assert_eq!(
        compare(Metric::Levenshtein, &a, &b).unwrap().distance,
        Some(100)
    );
    assert_eq!(compare(Metric::Indel, &a, &b).unwrap().distance, Some(200));
    assert_eq!(
        compare(Metric::Hamming, &a, &b).unwrap().distance,
        Some(100)
    );
    assert_eq!(levenshtein_bounded(&a, &b, 50), None);
    let astral: String = "𝄞🎵😀".repeat(10_000);
    assert_eq!(
        compare(Metric::Levenshtein, &astral, &astral[4..])
            .unwrap()
            .distance,
        Some(1)
    );
}

#[test]
fn edge_cases_never_panic() {
    let inputs = [
        "",
        "a",
        "é",
        "e\u{301}",
        "𝄞",
        " ",
        "  \t",
        "a b",
        "日本語のテキスト",
    ];
    for metric in Metric::ALL {
        for a in inputs {
            for b in inputs {
                let r = compare(metric, a, b);
                if metric == Metric::Hamming && a.chars().count() != b.chars().count() {
                    assert!(matches!(r, Err(SimilarityError::LengthMismatch { .. })));
                } else {
                    let s = r.unwrap().similarity;
                    assert!((0.0..=1.0).contains(&s), "{metric} {a:?} {b:?} {s}");
                }
            }
        }
    }
}

#[test]
fn names_round_trip() {
    for m in Metric::ALL {
        assert_eq!(Metric::from_name(m.name()), Ok(m));
    }
    let err = Metric::from_name("levenstein").unwrap_err().to_string();
    assert!(
        err.contains("unknown metric 'levenstein'") && err.contains("jaro-winkler"),
        "{err}"
    );
}

#[test]
fn token_ratios_match_rapidfuzz_definitions() {
    // rapidfuzz: token_sort_ratio("fuzzy wuzzy was a bear", "wuzzy fuzzy was a bear") == 100
    assert_eq!(
        compare(
            Metric::TokenSort,
            "fuzzy wuzzy was a bear",
            "wuzzy fuzzy was a bear"
        )
        .unwrap()
        .similarity,
        1.0
    );
    // token_set_ratio("fuzzy was a bear", "fuzzy fuzzy was a bear") == 100
    assert_eq!(
        compare(
            Metric::TokenSet,
            "fuzzy was a bear",
            "fuzzy fuzzy was a bear"
        )
        .unwrap()
        .similarity,
        1.0
    );
    // partial_ratio("this is a test", "this is a test!") == 100
    assert_eq!(
        compare(Metric::Partial, "this is a test", "this is a test!")
            .unwrap()
            .similarity,
        1.0
    );
    // ratio("this is a test", "this is a test!") == 96.55172413793103
    let r = compare(Metric::Indel, "this is a test", "this is a test!")
        .unwrap()
        .similarity;
    assert!((r * 100.0 - 96.551_724_137_931_03).abs() < 1e-9, "{r}");
    // token_sort_ratio("fuzzy wuzzy was a bear", "wuzzy fuzzy was a bear!") == 100 here: "!" is not a word.
    assert_eq!(
        compare(
            Metric::TokenSort,
            "Fuzzy wuzzy was a bear",
            "wuzzy fuzzy was a bear!"
        )
        .unwrap()
        .similarity,
        1.0
    );
}

#[test]
fn cosine_and_jaccard_by_hand() {
    // {a:2, b:1} . {a:1, c:1} = 2; |x| = sqrt 5, |y| = sqrt 2.
    let c = compare(Metric::Cosine, "a a b", "a c").unwrap().similarity;
    assert!((c - 2.0 / 10f64.sqrt()).abs() < 1e-15);
    let j = compare(Metric::Jaccard, "a a b", "a c").unwrap().similarity;
    assert_eq!(j, 1.0 / 3.0);
}

/// Comparing two prepared strings allocates nothing (up to `64 * STACK_BLOCKS` chars; token-set,
/// partial and damerau-levenshtein once a matrix worker's scratch has grown): in threaded
/// WebAssembly each allocation takes the allocator's global lock, and a matrix makes tens of
/// thousands of comparisons per thread (issue #9).
#[test]
fn comparing_prepared_strings_does_not_allocate() {
    let base = "GET /index.html HTTP/1.1 200 mod_jk child workerEnv in error state 6 ";
    let texts = vec![
        String::new(),
        "short".to_string(),
        base.to_string(),
        base.repeat(3),
        format!("{}é日ũ {}", base.repeat(2), "ünïcödé ".repeat(20)),
        base.repeat(14), // 980 chars: 16 blocks, the most kept on the stack
        "日本語のテキスト".repeat(30),
    ];
    let metrics = [
        Metric::Levenshtein,
        Metric::Osa,
        Metric::Indel,
        Metric::Lcs,
        Metric::Jaro,
        Metric::JaroWinkler,
        Metric::TokenSet,
        Metric::Partial,
        Metric::DamerauLevenshtein,
    ];
    for metric in metrics {
        let corpus = Corpus::new(metric, &texts);
        let mut scratch = Scratch::default();
        // The first pass grows the scratch (token-set, partial); the second must not
        // allocate.
        for pass in 0..2 {
            for i in 0..texts.len() {
                for j in 0..texts.len() {
                    let before = crate::alloc_count::count();
                    let score = corpus.score_with(i, j, &mut scratch);
                    let made = crate::alloc_count::count() - before;
                    assert!(score.is_ok());
                    let grows = matches!(
                        metric,
                        Metric::TokenSet | Metric::Partial | Metric::DamerauLevenshtein
                    );
                    if pass == 1 || !grows {
                        assert_eq!(
                            made, 0,
                            "{metric:?} of texts {i} and {j} allocated {made} times"
                        );
                    }
                }
            }
        }
    }
}

/// Preparing a cosine or jaccard corpus makes a few dozen allocations per tokenizing piece (on
/// one thread, four of 64 texts), none per text: the word vectors of a piece's texts share one
/// buffer. In threaded WebAssembly every allocation takes the allocator's global lock (issue #9).
#[test]
fn word_vector_corpora_allocate_per_piece_not_per_text() {
    let texts = crate::alloc_count::word_texts(256);
    for metric in [Metric::Cosine, Metric::Jaccard] {
        let (corpus, made) = crate::alloc_count::counted(|| Corpus::new(metric, &texts));
        assert_eq!(corpus.len(), texts.len());
        assert!(
            made <= 4 * 64 + 8,
            "{metric:?}: {made} allocations for {} texts",
            texts.len()
        );
    }
}

/// Texts for the thread-count test: words of mixed case and script, repeats, an empty text and
/// duplicates, so every metric gives values strictly between 0 and 1.
fn mixed_texts(count: usize) -> Vec<String> {
    const WORDS: [&str; 12] = [
        "Error",
        "workerEnv",
        "mod_jk",
        "child",
        "état",
        "Straße",
        "init()",
        "ok",
        "GET",
        "200",
        "naïve",
        "x",
    ];
    let mut texts: Vec<String> = (0..count)
        .map(|k| {
            (0..(k * 5) % 9 + 1)
                .map(|j| WORDS[(k * 7 + j * j * 3 + j) % WORDS.len()])
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    texts.push(String::new());
    texts.push(texts[3].clone());
    texts
}

/// A matrix is the same, bit for bit, on rayon pools of 1 to 4 threads (each splits and orders
/// the tasks differently) and equal to the pairwise scores computed one by one, for every metric.
/// `cargo test --workspace` builds core with `parallel` (the CLI enables it), so the pools really
/// run the tasks; it fails if a cell depends on the thread count or a row is left unwritten.
#[test]
fn matrix_is_the_same_on_any_thread_count() {
    let texts = mixed_texts(70);
    let same_length: Vec<String> = texts.iter().map(|t| format!("{t:<60.60}")).collect();
    let n = texts.len();
    for metric in Metric::ALL {
        let texts = if metric == Metric::Hamming {
            &same_length
        } else {
            &texts
        };
        let mut want = Vec::with_capacity(n * n);
        let mut between = 0;
        for i in 0..n {
            for j in 0..n {
                let s = if i == j {
                    1.0
                } else {
                    compare(metric, &texts[i], &texts[j]).unwrap().similarity
                };
                between += usize::from(s > 0.0 && s < 1.0);
                want.push(s.to_bits());
            }
        }
        assert!(
            between > n,
            "{metric}: too few cells strictly between 0 and 1"
        );
        for threads in 1..=4 {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            let got: Vec<u64> = pool
                .install(|| matrix(metric, texts))
                .unwrap()
                .iter()
                .map(|v| v.to_bits())
                .collect();
            assert!(got == want, "{metric} on {threads} threads differs");
        }
    }
}

/// A matrix whose comparisons fail part-way (hamming over texts of two lengths) returns the
/// error, on any thread count, and never a matrix with cells its failed tasks left unwritten.
#[test]
fn a_failing_matrix_returns_the_error() {
    let mut texts: Vec<String> = (0..41).map(|i| format!("{i:0>6}")).collect();
    texts[29] = "longer text".to_owned();
    for threads in 1..=4 {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        match pool.install(|| matrix(Metric::Hamming, &texts)) {
            Err(SimilarityError::LengthMismatch {
                pair: Some((i, j)), ..
            }) => assert!(i == 29 || j == 29, "pair ({i}, {j})"),
            other => panic!("{threads} threads: {other:?}"),
        }
    }
    texts[29] = "000029".to_owned();
    let m = matrix(Metric::Hamming, &texts).unwrap();
    assert_eq!(m.len(), 41 * 41);
    assert!(m.iter().all(|v| (0.0..=1.0).contains(v)));
}
