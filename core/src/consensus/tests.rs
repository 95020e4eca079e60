//! Unit tests of the consensus kernels on hand-made similarity matrices.

use super::*;

#[test]
fn exact_sum_does_not_depend_on_term_order() {
    let terms = [
        0.1,
        1e-9,
        0.7,
        0.3333333333333333,
        0.2,
        1e-17,
        0.9999999999999999,
    ];
    let mut forward = ExactSum::default();
    terms.iter().for_each(|&x| forward.add(x));
    let mut backward = ExactSum::default();
    terms.iter().rev().for_each(|&x| backward.add(x));
    assert_eq!(forward, backward);
    // Naive float sums of the same terms differ with the order; the exact one is within 1 ulp
    // of the true total 2.333333334333333... computed by hand.
    assert!((forward.value() - 2.333_333_334_333_333).abs() < 1e-15);
}

#[test]
fn medoid_of_a_hand_computed_case() {
    // S for three responses; confidences 0.9, 0.5, 0.8.
    // row 0: 0.5*0.2 + 0.8*0.6 = 0.58
    // row 1: 0.9*0.2 + 0.8*0.9 = 0.90
    // row 2: 0.9*0.6 + 0.5*0.9 = 0.99  <- the medoid
    let s = [1.0, 0.2, 0.6, 0.2, 1.0, 0.9, 0.6, 0.9, 1.0];
    assert_eq!(weighted_medoid(&[0, 1, 2], &s, &[0.9, 0.5, 0.8], 3), 2);
    // With response 0 unsure: row 1 = 0.1*0.2 + 0.8*0.9 = 0.74, row 2 = 0.1*0.6 + 0.5*0.9 = 0.51.
    assert_eq!(weighted_medoid(&[0, 1, 2], &s, &[0.1, 0.5, 0.8], 3), 1);
}

#[test]
fn medoid_ties_go_to_the_lowest_index() {
    let s = [1.0, 0.5, 0.5, 1.0];
    assert_eq!(weighted_medoid(&[0, 1], &s, &[0.5, 0.5], 2), 0);
}

#[test]
fn clusters_are_components_sorted_by_size_then_first_index() {
    // 0-3 and 3-4 chain into one group; 1-2 another; 5 alone.
    let n = 6;
    let mut s = vec![0.0; n * n];
    for i in 0..n {
        s[i * n + i] = 1.0;
    }
    for (i, j) in [(0, 3), (3, 4), (1, 2)] {
        s[i * n + j] = 0.75;
        s[j * n + i] = 0.75;
    }
    // Just below the threshold: no edge.
    s[5 * n] = 0.69;
    s[5] = 0.69;
    assert_eq!(
        clusters(&s, n, 0.7),
        vec![vec![0, 3, 4], vec![1, 2], vec![5]]
    );
    // At the threshold: an edge.
    assert_eq!(clusters(&s, n, 0.69), vec![vec![0, 3, 4, 5], vec![1, 2]]);
}

#[test]
fn cluster_score_is_the_weighted_mean_of_pair_similarities() {
    let s = [1.0, 0.2, 0.6, 0.2, 1.0, 0.9, 0.6, 0.9, 1.0];
    let conf = [1.0, 0.5, 0.5];
    // (0.5*0.2 + 0.5*0.6 + 0.25*0.9) / (0.5 + 0.5 + 0.25) = 0.625 / 1.25 = 0.5
    assert!((cluster_score(&[0, 1, 2], &s, &conf, 3) - 0.5).abs() < 1e-15);
    // Zero weights: the plain mean (0.2 + 0.6 + 0.9) / 3.
    let plain = cluster_score(&[0, 1, 2], &s, &[0.0; 3], 3);
    assert!((plain - 1.7 / 3.0).abs() < 1e-15);
    assert_eq!(cluster_score(&[1], &s, &conf, 3), 0.0);
}

/// A small deterministic generator for the tests below.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

/// Components by breadth-first search over `S(i, j) >= t`, sorted as `clusters` sorts them.
fn reference_clusters(s: &[f64], n: usize, t: f64) -> Vec<Vec<usize>> {
    let mut seen = vec![false; n];
    let mut out = Vec::new();
    for start in 0..n {
        if seen[start] {
            continue;
        }
        seen[start] = true;
        let mut group = vec![start];
        let mut k = 0;
        while k < group.len() {
            let i = group[k];
            for (j, seen_j) in seen.iter_mut().enumerate() {
                let (a, b) = (i.min(j), i.max(j));
                if j != i && !*seen_j && s[a * n + b] >= t {
                    *seen_j = true;
                    group.push(j);
                }
            }
            k += 1;
        }
        group.sort_unstable();
        out.push(group);
    }
    out.sort_by(|a, b| b.len().cmp(&a.len()).then(a[0].cmp(&b[0])));
    out
}

#[test]
fn banded_clusters_equal_a_breadth_first_search() {
    let mut rng = Lcg(7);
    for n in [0, 1, 2, 31, 32, 33, 100, 257] {
        // Sparse similarities from a few levels, so that some thresholds fall on ties.
        let mut s = vec![0.0; n * n];
        for i in 0..n {
            s[i * n + i] = 1.0;
            for j in i + 1..n {
                let v = match rng.below(40) {
                    0 => 0.9,
                    1 => 0.7,
                    2 => 0.5,
                    _ => 0.1,
                };
                s[i * n + j] = v;
                s[j * n + i] = v;
            }
        }
        for t in [0.0, 0.5, 0.7, 0.8, 0.95] {
            assert_eq!(
                clusters(&s, n, t),
                reference_clusters(&s, n, t),
                "n = {n}, t = {t}"
            );
        }
    }
}
