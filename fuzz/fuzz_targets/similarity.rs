//! Similarity metrics on arbitrary bytes: every metric runs without panicking and gives a
//! similarity in [0, 1]; the bit-parallel Levenshtein and LCS kernels equal a plain dynamic
//! programme (the oracle), so does the bit-parallel OSA, and the bounded Levenshtein agrees with
//! the exact distance.
#![no_main]

use conclave_core::similarity::{self, Metric};
use libfuzzer_sys::fuzz_target;

/// Wagner-Fischer over chars.
fn levenshtein_dp(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Optimal string alignment distance by dynamic programming (three rows).
fn osa_dp(a: &[char], b: &[char]) -> usize {
    let mut prev2 = vec![0usize; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let mut v = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
            if i > 0 && j > 0 && *ca == b[j - 1] && a[i - 1] == *cb {
                v = v.min(prev2[j - 1] + 1);
            }
            cur[j + 1] = v;
        }
        prev2 = std::mem::replace(&mut prev, cur);
    }
    prev[b.len()]
}

/// Longest common subsequence length by dynamic programming.
fn lcs_dp(a: &[char], b: &[char]) -> usize {
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

fuzz_target!(|data: &[u8]| {
    let Some((&cut, rest)) = data.split_first() else {
        return;
    };
    let cut = usize::from(cut) * rest.len() / 256;
    let a = String::from_utf8_lossy(&rest[..cut]);
    let b = String::from_utf8_lossy(&rest[cut..]);
    let (ca, cb): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());

    for metric in Metric::ALL {
        match similarity::compare(metric, &a, &b) {
            Ok(score) => assert!(
                (0.0..=1.0).contains(&score.similarity),
                "{metric}: similarity {} out of [0, 1]",
                score.similarity
            ),
            Err(_) => assert_eq!(metric, Metric::Hamming, "{metric} failed"),
        }
    }

    let lev = levenshtein_dp(&ca, &cb);
    let got = similarity::compare(Metric::Levenshtein, &a, &b).expect("levenshtein");
    assert_eq!(got.distance, Some(lev), "levenshtein vs DP");
    let lcs = lcs_dp(&ca, &cb);
    let got = similarity::compare(Metric::Lcs, &a, &b).expect("lcs");
    assert_eq!(
        got.distance,
        Some(ca.len().max(cb.len()) - lcs),
        "lcs vs DP"
    );
    let got = similarity::compare(Metric::Indel, &a, &b).expect("indel");
    assert_eq!(
        got.distance,
        Some(ca.len() + cb.len() - 2 * lcs),
        "indel vs DP"
    );
    let osa = similarity::compare(Metric::Osa, &a, &b)
        .expect("osa")
        .distance;
    assert!(osa.is_some_and(|d| d <= lev), "osa above levenshtein");

    // Bounded: the exact distance when within `max`, else None.
    for max in [0, 1, 2, lev.saturating_sub(1), lev, lev + 1] {
        let want = (lev <= max).then_some(lev);
        assert_eq!(
            similarity::levenshtein_bounded(&a, &b, max),
            want,
            "bounded max {max}"
        );
    }
});
