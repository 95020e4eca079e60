//! Consensus: input errors, hand-computed medoids, constructed clusters, permutation invariance,
//! themes, recommendations, the vote, and JSONTestSuite through the response reader.

use std::collections::BTreeSet;

use conclave_core::consensus::{
    self, Consensus, ConsensusError, Options, Response, analyse, parse_responses, vote,
};
use conclave_core::similarity::Metric;

use crate::corpora;

fn resp(expert: &str, content: &str, confidence: f64) -> Response {
    Response::new(expert, content, confidence)
}

/// A small deterministic generator (64-bit LCG, high bits), so the tests need no RNG crate.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// `groups` topics of paraphrases plus lone answers: each paraphrase keeps a topic's 20 words and
/// changes about a quarter of them; confidences vary.
fn panel(seed: u64, groups: usize, per_group: usize, lone: usize) -> Vec<Response> {
    let mut rng = Lcg(seed);
    let mut out = Vec::new();
    let word = |g: usize, k: usize| format!("w{g}x{k}");
    for g in 0..groups {
        for p in 0..per_group {
            let words: Vec<String> = (0..20)
                .map(|k| {
                    if rng.below(4) == 0 {
                        format!("e{g}p{p}k{k}r{}", rng.below(1000))
                    } else {
                        word(g, k)
                    }
                })
                .collect();
            let mut r = resp(
                &format!("expert-{g}-{p}"),
                &words.join(" "),
                (rng.below(101) as f64) / 100.0,
            );
            if p % 2 == 0 {
                r.recommendations = vec![format!("Fix topic {g}"), "Add monitoring.".into()];
            }
            if p % 3 == 0 {
                r.limitations = vec![format!("No data for topic {g}")];
            }
            out.push(r);
        }
    }
    for l in 0..lone {
        let words: Vec<String> = (0..20).map(|k| format!("lone{l}k{k}")).collect();
        out.push(resp(
            &format!("lone-{l}"),
            &words.join(" "),
            0.3 + 0.1 * l as f64,
        ));
    }
    out
}

/// `perm[new] = old`.
fn permute(responses: &[Response], perm: &[usize]) -> Vec<Response> {
    perm.iter().map(|&old| responses[old].clone()).collect()
}

fn shuffled(n: usize, seed: u64) -> Vec<usize> {
    let mut rng = Lcg(seed);
    let mut p: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        p.swap(i, rng.below(i + 1));
    }
    p
}

fn as_sets(clusters: &[Vec<usize>], map: impl Fn(usize) -> usize) -> BTreeSet<BTreeSet<usize>> {
    clusters
        .iter()
        .map(|c| c.iter().map(|&i| map(i)).collect())
        .collect()
}

/// Asserts that `b`, computed on the input permuted by `perm`, is `a` with indices permuted.
fn assert_permuted(a: &Consensus, b: &Consensus, perm: &[usize], label: &str) {
    let back = |i: usize| perm[i];
    assert_eq!(
        a.consensus.index,
        back(b.consensus.index),
        "{label}: medoid"
    );
    assert_eq!(a.consensus.content, b.consensus.content, "{label}");
    assert_eq!(a.score.to_bits(), b.score.to_bits(), "{label}: score");
    assert_eq!(a.confidence.to_bits(), b.confidence.to_bits(), "{label}");
    assert_eq!(a.level, b.level, "{label}");
    assert_eq!(
        as_sets(&a.clusters, |i| i),
        as_sets(&b.clusters, back),
        "{label}: clusters"
    );
    let sizes = |c: &Consensus| c.clusters.iter().map(Vec::len).collect::<Vec<_>>();
    assert_eq!(sizes(a), sizes(b), "{label}: cluster sizes in order");
    let outliers: BTreeSet<usize> = b.outliers.iter().map(|&i| back(i)).collect();
    assert_eq!(
        a.outliers.iter().copied().collect::<BTreeSet<_>>(),
        outliers
    );
    let dissent = |c: &Consensus, map: &dyn Fn(usize) -> usize| {
        c.dissent
            .iter()
            .map(|d| {
                (
                    d.cluster.iter().map(|&i| map(i)).collect::<BTreeSet<_>>(),
                    map(d.representative),
                )
            })
            .collect::<BTreeSet<_>>()
    };
    assert_eq!(dissent(a, &|i| i), dissent(b, &back), "{label}: dissent");
    assert_eq!(a.themes, b.themes, "{label}: themes");
    assert_eq!(
        a.common_recommendations, b.common_recommendations,
        "{label}"
    );
    assert_eq!(a.unique_limitations, b.unique_limitations, "{label}");
    assert_eq!(a.insights, b.insights, "{label}: insights");
    if let (Some(ma), Some(mb)) = (&a.matrix, &b.matrix) {
        for (new_i, row) in mb.iter().enumerate() {
            for (new_j, x) in row.iter().enumerate() {
                assert_eq!(
                    x.to_bits(),
                    ma[back(new_i)][back(new_j)].to_bits(),
                    "{label}"
                );
            }
        }
    }
}

#[test]
fn permuting_the_input_permutes_the_indices_and_nothing_else() {
    let responses = panel(7, 4, 6, 3);
    for metric in [
        Metric::Cosine,
        Metric::Jaccard,
        Metric::Levenshtein,
        Metric::TokenSort,
    ] {
        for threshold in [0.3, 0.5, 0.7] {
            let options = Options {
                metric,
                threshold,
                include_matrix: true,
                ..Options::default()
            };
            let a = analyse(&responses, &options).unwrap();
            for seed in 1..=4 {
                let perm = shuffled(responses.len(), seed);
                let b = analyse(&permute(&responses, &perm), &options).unwrap();
                assert_permuted(&a, &b, &perm, &format!("{metric} {threshold} seed {seed}"));
            }
            let reversed: Vec<usize> = (0..responses.len()).rev().collect();
            let b = analyse(&permute(&responses, &reversed), &options).unwrap();
            assert_permuted(&a, &b, &reversed, &format!("{metric} {threshold} reversed"));
        }
    }
}

#[test]
fn repeated_runs_give_identical_results() {
    let responses = panel(11, 3, 5, 2);
    let options = Options::default();
    let first = analyse(&responses, &options).unwrap();
    for _ in 0..3 {
        assert_eq!(analyse(&responses, &options).unwrap(), first);
    }
}

#[test]
fn constructed_groups_are_found_exactly() {
    // Three topics with disjoint vocabularies (sizes 5, 4, 3), members interleaved in the input,
    // plus two lone answers. Every member holds its topic's 10 words and 2 words of its own, so
    // within a topic cosine = 10 / sqrt(12 * 12) = 10/12, and across topics it is 0.
    let sizes = [5, 4, 3];
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); 3];
    let mut responses = Vec::new();
    let mut counts = [0usize; 3];
    let order = [0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 0]; // 5 x topic 0, 4 x topic 1, 3 x topic 2
    for (pos, &g) in order.iter().enumerate() {
        if pos == 4 {
            responses.push(resp("lone-a", "zebra quokka narwhal axolotl", 0.9));
        }
        let k = counts[g];
        counts[g] += 1;
        let mut words: Vec<String> = (0..10).map(|w| format!("topic{g}word{w}")).collect();
        words.push(format!("own{g}x{k}a"));
        words.push(format!("own{g}x{k}b"));
        members[g].push(responses.len());
        responses.push(resp(&format!("t{g}-{k}"), &words.join(" "), 0.8));
    }
    responses.push(resp("lone-b", "okapi pangolin", 1.0));
    assert_eq!(counts, sizes);
    let c = analyse(&responses, &Options::default()).unwrap();
    let lone_a = 4;
    let lone_b = responses.len() - 1;
    let mut expected = vec![
        members[0].clone(),
        members[1].clone(),
        members[2].clone(),
        vec![lone_a],
        vec![lone_b],
    ];
    expected.sort_by(|a, b| b.len().cmp(&a.len()).then(a[0].cmp(&b[0])));
    assert_eq!(c.clusters, expected);
    assert_eq!(c.outliers, vec![lone_a, lone_b]);
    assert!(members[0].contains(&c.consensus.index));
    assert!((c.score - 10.0 / 12.0).abs() < 1e-12, "{}", c.score);
    assert_eq!(c.dissent.len(), 4);
    assert_eq!(c.dissent[0].cluster, members[1]);
    assert_eq!(c.share, 5.0 / 14.0);
    // 5 of 14 is below half: low agreement, and two other groups make it polarised.
    assert_eq!(c.level, consensus::Level::Low);
    assert!(
        c.insights.iter().any(|s| s.contains("polarised")),
        "{:?}",
        c.insights
    );
    // Just above 10/12 the groups fall apart.
    let strict = Options {
        threshold: 0.834,
        ..Options::default()
    };
    assert_eq!(
        analyse(&responses, &strict).unwrap().clusters.len(),
        responses.len()
    );
}

#[test]
fn medoid_of_hand_computed_jaccard_cases() {
    // Jaccard on word sets: (0,1) = 2/3, (0,2) = 1/4, (1,2) = 1/3.
    let texts = ["red green blue", "red green", "red yellow"];
    let with = |conf: [f64; 3]| -> Vec<Response> {
        texts
            .iter()
            .zip(conf)
            .enumerate()
            .map(|(i, (t, c))| resp(&format!("e{i}"), t, c))
            .collect()
    };
    let options = Options {
        metric: Metric::Jaccard,
        threshold: 0.5,
        ..Options::default()
    };
    // row 0: 1*2/3 + 1*1/4 = 0.917; row 1: 0.5*2/3 + 1*1/3 = 0.667; row 2: 0.5/4 + 1/3 = 0.458.
    let c = analyse(&with([0.5, 1.0, 1.0]), &options).unwrap();
    assert_eq!(c.consensus.index, 0);
    assert_eq!(c.clusters, vec![vec![0, 1], vec![2]]);
    assert!((c.score - 2.0 / 3.0).abs() < 1e-12);
    assert!((c.confidence - 0.75).abs() < 1e-12);
    // row 0: 2/3 + 0.1/4 = 0.692; row 1: 2/3 + 0.1/3 = 0.700: the weights move the medoid.
    let c = analyse(&with([1.0, 1.0, 0.1]), &options).unwrap();
    assert_eq!(c.consensus.index, 1);
    assert_eq!(c.consensus.expert, "e1");
    assert_eq!(c.dissent.len(), 1);
    assert_eq!(c.dissent[0].representative, 2);
    // Identical answers tie: the lowest index wins.
    let same = vec![resp("x", "same words", 0.5), resp("y", "same words", 0.5)];
    assert_eq!(analyse(&same, &options).unwrap().consensus.index, 0);
}

#[test]
fn one_response_is_its_own_consensus() {
    let c = analyse(&[resp("solo", "only answer", 0.4)], &Options::default()).unwrap();
    assert_eq!(c.consensus.index, 0);
    assert_eq!(c.clusters, vec![vec![0]]);
    assert_eq!(c.score, 0.0);
    assert_eq!(c.level, consensus::Level::Low);
}

#[test]
fn level_cut_offs() {
    // Four identical answers and one other: share 4/5 >= 2/3, score 1 -> high.
    let mut r: Vec<Response> = (0..4)
        .map(|i| resp(&format!("e{i}"), "scale the pool", 0.9))
        .collect();
    r.push(resp("odd", "reboot everything now", 0.9));
    assert_eq!(
        analyse(&r, &Options::default()).unwrap().level,
        consensus::Level::High
    );
    // Three of six: half, not 2/3 -> medium.
    let mut r: Vec<Response> = (0..3)
        .map(|i| resp(&format!("e{i}"), "scale the pool", 0.9))
        .collect();
    for (i, t) in ["alpha beta", "gamma delta", "epsilon zeta"]
        .iter()
        .enumerate()
    {
        r.push(resp(&format!("o{i}"), t, 0.9));
    }
    assert_eq!(
        analyse(&r, &Options::default()).unwrap().level,
        consensus::Level::Medium
    );
}

#[test]
fn themes_are_shared_phrases_without_stop_words() {
    let r = vec![
        resp("a", "The connection pool is exhausted.", 0.9),
        resp("b", "Our connection pool was exhausted under load.", 0.6),
        resp("c", "A connection pool problem; the load is high.", 0.3),
        resp("d", "Unrelated: cache misses.", 1.0),
    ];
    let c = analyse(&r, &Options::default()).unwrap();
    let phrases: Vec<&str> = c.themes.iter().map(|t| t.phrase.as_str()).collect();
    // "connection pool" (a, b, c) first; "connection" and "pool" alone are held by the same
    // experts, so they are left out behind it. Then support 2: "exhausted" (a, b: 1.5) before
    // "load" (b, c: 0.9).
    assert_eq!(
        phrases,
        ["connection pool", "exhausted", "load"],
        "{:?}",
        c.themes
    );
    assert_eq!(c.themes[0].support, 3);
    assert_eq!(c.themes[0].experts, ["a", "b", "c"]);
    assert!((c.themes[0].weight - 1.8).abs() < 1e-12);
    assert!(
        !phrases
            .iter()
            .any(|p| p.split(' ').any(|w| w == "the" || w == "is"))
    );
}

#[test]
fn the_same_expert_twice_counts_once_in_themes_and_recommendations() {
    let mut a1 = resp("a", "restart the broker", 0.2);
    a1.recommendations = vec!["Restart the broker".into()];
    let mut a2 = resp("a", "restart the broker now", 0.7);
    a2.recommendations = vec!["restart  the broker.".into()];
    let b = resp("b", "check the disks", 0.9);
    let c = resp("c", "check the network", 0.9);
    let out = analyse(&[a1, a2, b, c], &Options::default()).unwrap();
    let restart = out.themes.iter().find(|t| t.phrase.contains("restart"));
    assert!(
        restart.is_none(),
        "one expert is no theme: {:?}",
        out.themes
    );
    let check = out.themes.iter().find(|t| t.phrase == "check").unwrap();
    assert_eq!(check.support, 2);
    // 3 distinct experts; "restart the broker" is held by 1 of them: less than half.
    assert!(out.common_recommendations.is_empty());
}

#[test]
fn common_recommendations_need_half_the_experts_and_limitations_are_deduplicated() {
    let mut r: Vec<Response> = (0..4)
        .map(|i| resp(&format!("e{i}"), "text", 0.5))
        .collect();
    r[0].recommendations = vec!["Add an index.".into(), "Grow the pool".into()];
    r[1].recommendations = vec!["add an   INDEX".into()];
    r[2].recommendations = vec!["Grow the pool".into(), "Rewrite it".into()];
    r[3].recommendations = vec!["Grow the pool!".into()];
    r[0].limitations = vec!["No logs".into()];
    r[3].limitations = vec!["no logs.".into(), "Old data".into()];
    let c = analyse(&r, &Options::default()).unwrap();
    let recs: Vec<(&str, usize)> = c
        .common_recommendations
        .iter()
        .map(|s| (s.text.as_str(), s.support))
        .collect();
    assert_eq!(recs, [("grow the pool", 3), ("add an index", 2)]);
    let lims: Vec<(&str, usize)> = c
        .unique_limitations
        .iter()
        .map(|s| (s.text.as_str(), s.support))
        .collect();
    assert_eq!(lims, [("no logs", 2), ("old data", 1)]);
}

#[test]
fn confidence_outliers_are_insights() {
    let mut r: Vec<Response> = (0..9)
        .map(|i| resp(&format!("e{i}"), &format!("answer {i}"), 0.8))
        .collect();
    r.push(resp("doubter", "answer x", 0.1));
    let c = analyse(&r, &Options::default()).unwrap();
    // mean 0.73, sd 0.21: the doubter's z = -3.
    let note = c.insights.iter().find(|s| s.contains("doubter")).unwrap();
    assert!(
        note.contains("unsure") && note.contains("z = -3.00"),
        "{note}"
    );
    assert!(!c.insights.iter().any(|s| s.contains("e0 is")));
}

#[test]
fn input_errors_name_the_record_and_the_field() {
    let cases: [(&str, &str); 9] = [
        (
            r#"[{"expert": "a", "content": "x", "confidence": 0.5}, {"expert": "b", "content": "y", "confidence": 1.5}]"#,
            "record 1, field `confidence`: expected a number in [0, 1], got 1.5",
        ),
        (
            r#"[{"expert": "a", "content": "x"}]"#,
            "record 0, field `confidence`: missing",
        ),
        (
            r#"[{"expert": "a", "content": 3, "confidence": 0.5}]"#,
            "record 0, field `content`: expected a string, got a number",
        ),
        (
            r#"[{"content": "x", "confidence": 0.5}]"#,
            "record 0, field `expert`: missing",
        ),
        (
            r#"[{"expert": "a", "content": "x", "confidence": "high"}]"#,
            "record 0, field `confidence`: expected a number in [0, 1], got a string",
        ),
        (
            r#"[{"expert": "a", "content": "x", "confidence": -0.1}]"#,
            "record 0, field `confidence`",
        ),
        (
            r#"[{"expert": "a", "content": "x", "confidence": 0.5, "recommendations": ["ok", 2]}]"#,
            "record 0, field `recommendations`: item 1: expected a string",
        ),
        (
            "{\"expert\": \"a\", \"content\": \"x\", \"confidence\": 0.5}\n\n{\"expert\": \"b\", \"content\": \"x\", \"confidence\": 0.5, \"timestamp\": 1.5}\n",
            "record 1 (line 3), field `timestamp`: expected an integer, got 1.5",
        ),
        ("[1]", "record 0: expected a JSON object, got a number"),
    ];
    for (input, expected) in cases {
        let err = parse_responses(input).unwrap_err().to_string();
        assert!(
            err.contains(expected),
            "{input}\n  got: {err}\n  want: {expected}"
        );
    }
    let err =
        parse_responses("{\"expert\": \"a\", \"content\": \"x\", \"confidence\": 0}\n{oops}\n")
            .unwrap_err();
    assert!(
        matches!(err, ConsensusError::Syntax { line: 2, .. }),
        "{err}"
    );
    let err = parse_responses("[{\"expert\": \"a\",\n  oops}]").unwrap_err();
    assert!(
        matches!(err, ConsensusError::Syntax { line: 2, .. }),
        "{err}"
    );
    // Optional fields may be null; unknown fields are ignored.
    let ok = parse_responses(
        r#"[{"expert": "a", "content": "x", "confidence": 1, "limitations": null, "metadata": {"k": 1}, "extra": true, "timestamp": 17}]"#,
    )
    .unwrap();
    assert_eq!(ok[0].timestamp, Some(17));
    assert_eq!(ok[0].confidence, 1.0);
    assert!(parse_responses("").unwrap().is_empty());
    assert!(parse_responses("[]").unwrap().is_empty());
}

#[test]
fn consensus_errors() {
    assert_eq!(
        analyse(&[], &Options::default()),
        Err(ConsensusError::Empty)
    );
    let r = [resp("a", "x", 0.5)];
    let bad = Options {
        threshold: 1.5,
        ..Options::default()
    };
    assert!(matches!(
        analyse(&r, &bad),
        Err(ConsensusError::Threshold { .. })
    ));
    let nan = Options {
        threshold: f64::NAN,
        ..Options::default()
    };
    assert!(matches!(
        analyse(&r, &nan),
        Err(ConsensusError::Threshold { .. })
    ));
    let hamming = Options {
        metric: Metric::Hamming,
        ..Options::default()
    };
    let err = analyse(&[resp("a", "abc", 0.5), resp("b", "abcd", 0.5)], &hamming).unwrap_err();
    assert!(err.to_string().contains("items 0 and 1"), "{err}");
    let err = analyse(&[resp("a", "x", 2.0)], &Options::default()).unwrap_err();
    assert!(
        err.to_string().contains("record 0, field `confidence`"),
        "{err}"
    );
}

#[test]
fn vote_counts_normalized_answers() {
    let r = vec![
        resp("a", "so the answer is 24", 0.3),
        resp("b", "The answer is 24.0", 0.3),
        resp("c", "answer is 7, no wait, the answer is 25", 0.9),
        resp("d", "I don't know", 0.5),
        resp("e", "the answer is +24.00.", 0.2),
        resp("f", "answer is 25", 0.9),
    ];
    let v = vote(&r, Some(r"answer is\s+([-+0-9.]+)"), false).unwrap();
    assert_eq!(v.winner.as_deref(), Some("24"));
    assert_eq!(v.votes[0].count, 3);
    assert_eq!(v.votes[0].experts, ["a", "b", "e"]);
    assert_eq!(v.votes[1].answer, "25");
    assert_eq!(v.abstained, vec![3]);
    assert_eq!(v.share, 3.0 / 5.0);
    // Weighted: 25 has 1.8 against 0.8.
    let w = vote(&r, Some(r"answer is\s+([-+0-9.]+)"), true).unwrap();
    assert_eq!(w.winner.as_deref(), Some("25"));
    assert!((w.share - 1.8 / 2.6).abs() < 1e-12);
    assert!((w.votes[0].weight - 1.8).abs() < 1e-12);
}

#[test]
fn vote_ties_go_to_the_earliest_first_occurrence() {
    let r = vec![
        resp("a", "Blue", 0.5),
        resp("b", "red", 0.5),
        resp("c", "  RED ", 0.5),
        resp("d", "blue", 0.5),
    ];
    let v = vote(&r, None, false).unwrap();
    assert_eq!(v.winner.as_deref(), Some("blue"));
    let swapped = [r[1].clone(), r[0].clone(), r[2].clone(), r[3].clone()];
    assert_eq!(
        vote(&swapped, None, false).unwrap().winner.as_deref(),
        Some("red")
    );
    let w = vote(&r, None, true).unwrap();
    assert_eq!(w.winner.as_deref(), Some("blue"));
}

#[test]
fn vote_without_answers_and_with_a_bad_pattern() {
    let r = vec![resp("a", "no number", 0.5), resp("b", "   ", 0.5)];
    let v = vote(&r, Some(r"(\d+)"), false).unwrap();
    assert_eq!(v.winner, None);
    assert_eq!(v.abstained, vec![0, 1]);
    assert_eq!(v.share, 0.0);
    let err = vote(&r, Some("(unclosed"), false).unwrap_err();
    assert!(matches!(err, ConsensusError::Pattern { .. }), "{err}");
    assert_eq!(vote(&[], None, false).unwrap().winner, None);
}

/// The listed known failures: `id | reason` lines.
fn known_failures() -> BTreeSet<String> {
    include_str!("known-failures/consensus.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split(" | ").next())
        .map(str::to_owned)
        .collect()
}

/// JSONTestSuite through the response reader, one row per file: every `n_` document is an error
/// (never a panic, never a silent success); no `y_` array document is reported as a JSON syntax
/// error; no document panics. Listed known failures must keep failing.
#[test]
fn json_test_suite_through_the_response_reader() {
    let dir = corpora::root().join("JSONTestSuite/test_parsing");
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    let known = known_failures();
    let (mut passed, mut unexpected, mut fixed) = (0, Vec::new(), Vec::new());
    for path in &entries {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let id = format!("JSONTestSuite/{name}");
        let bytes = std::fs::read(path).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        let result = std::panic::catch_unwind(|| parse_responses(&text));
        let ok = match (&result, name.as_bytes()[0]) {
            (Err(_), _) => false,
            (Ok(r), b'n') => r.is_err(),
            (Ok(r), b'y') => {
                !(text.trim_start().starts_with('[')
                    && matches!(r, Err(ConsensusError::Syntax { .. })))
            }
            (Ok(_), _) => true,
        };
        match (ok, known.contains(&id)) {
            (true, false) => passed += 1,
            (false, true) => {}
            (false, false) => unexpected.push(id),
            (true, true) => fixed.push(id),
        }
    }
    eprintln!(
        "JSONTestSuite via parse_responses: {passed} passed, {} known failures, {} cases",
        known.len(),
        entries.len()
    );
    assert!(unexpected.is_empty(), "unexpected failures: {unexpected:?}");
    assert!(
        fixed.is_empty(),
        "listed as known failures but now pass: {fixed:?}"
    );
    assert_eq!(
        passed + known.len(),
        entries.len(),
        "a listed case names no file"
    );
}
