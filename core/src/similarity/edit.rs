//! Edit distances with transpositions (OSA, Damerau-Levenshtein), Hamming, Jaro and Jaro-Winkler.
//!
//! These run the textbook dynamic programmes over two rows (OSA: three; Damerau: the full
//! Lowrance-Wagner table, as unrestricted transpositions need it). They are not the hot path of any
//! conclave command; the bit-parallel kernels in `bitpar` are.

use std::collections::HashMap;

/// Hamming distance, or `None` when the lengths differ.
pub fn hamming(a: &[char], b: &[char]) -> Option<usize> {
    (a.len() == b.len()).then(|| a.iter().zip(b).filter(|(x, y)| x != y).count())
}

/// Optimal string alignment distance: Levenshtein plus adjacent transpositions, no substring
/// edited twice.
pub fn osa(a: &[char], b: &[char]) -> usize {
    let (n, m) = (a.len(), b.len());
    if n == 0 {
        return m;
    }
    if m == 0 {
        return n;
    }
    let mut prev2 = vec![0usize; m + 1];
    let mut prev: Vec<usize> = (0..=m).collect();
    let mut cur = vec![0usize; m + 1];
    for i in 1..=n {
        cur[0] = i;
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[m]
}

/// Unrestricted Damerau-Levenshtein distance (Lowrance-Wagner).
pub fn damerau(a: &[char], b: &[char]) -> usize {
    let (n, m) = (a.len(), b.len());
    if n == 0 {
        return m;
    }
    if m == 0 {
        return n;
    }
    let inf = n + m;
    let width = m + 2;
    // Table indices shifted by one: row/column 0 hold `inf`.
    let mut d = vec![0usize; (n + 2) * width];
    d[0] = inf;
    for i in 0..=n {
        d[(i + 1) * width] = inf;
        d[(i + 1) * width + 1] = i;
    }
    for j in 0..=m {
        d[j + 1] = inf;
        d[width + j + 1] = j;
    }
    // Last row (1-based) in which each character of `a` was seen; only looked up, never iterated.
    let mut last_row: HashMap<char, usize> = HashMap::new();
    for i in 1..=n {
        let mut last_match_col = 0;
        for j in 1..=m {
            let i1 = last_row.get(&b[j - 1]).copied().unwrap_or(0);
            let j1 = last_match_col;
            let cost = if a[i - 1] == b[j - 1] {
                last_match_col = j;
                0
            } else {
                1
            };
            let sub = d[i * width + j] + cost;
            let ins = d[(i + 1) * width + j] + 1;
            let del = d[i * width + j + 1] + 1;
            let trans = d[i1 * width + j1] + (i - i1 - 1) + 1 + (j - j1 - 1);
            d[(i + 1) * width + j + 1] = sub.min(ins).min(del).min(trans);
        }
        last_row.insert(a[i - 1], i);
    }
    d[(n + 1) * width + m + 1]
}

/// Jaro similarity in [0, 1]. Two empty strings are identical (1.0); one empty string gives 0.0.
pub fn jaro(a: &[char], b: &[char]) -> f64 {
    let (n, m) = (a.len(), b.len());
    if n == 0 && m == 0 {
        return 1.0;
    }
    if n == 0 || m == 0 {
        return 0.0;
    }
    let window = (n.max(m) / 2).saturating_sub(1);
    let mut b_used = vec![false; m];
    let mut a_matched = Vec::with_capacity(n.min(m));
    for (i, &ca) in a.iter().enumerate() {
        let lo = i.saturating_sub(window);
        let hi = (i + window + 1).min(m);
        for j in lo..hi {
            if !b_used[j] && b[j] == ca {
                b_used[j] = true;
                a_matched.push(ca);
                break;
            }
        }
    }
    let matches = a_matched.len();
    if matches == 0 {
        return 0.0;
    }
    let b_matched = b.iter().zip(&b_used).filter(|&(_, &u)| u).map(|(&c, _)| c);
    let half_transpositions = a_matched
        .iter()
        .zip(b_matched)
        .filter(|&(&x, y)| x != y)
        .count();
    let t = (half_transpositions / 2) as f64;
    let mf = matches as f64;
    (mf / n as f64 + mf / m as f64 + (mf - t) / mf) / 3.0
}

/// Jaro-Winkler similarity: Jaro plus a bonus of 0.1 per common-prefix character (up to 4), applied
/// when the Jaro similarity exceeds 0.7, as Winkler defined it.
pub fn jaro_winkler(a: &[char], b: &[char]) -> f64 {
    let sim = jaro(a, b);
    if sim <= 0.7 {
        return sim;
    }
    let prefix = a.iter().zip(b).take(4).take_while(|(x, y)| x == y).count();
    sim + prefix as f64 * 0.1 * (1.0 - sim)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn transpositions() {
        assert_eq!(osa(&c("ab"), &c("ba")), 1);
        assert_eq!(damerau(&c("ab"), &c("ba")), 1);
        // OSA may not edit a transposed pair again; Damerau may.
        assert_eq!(osa(&c("ca"), &c("abc")), 3);
        assert_eq!(damerau(&c("ca"), &c("abc")), 2);
    }

    #[test]
    fn jaro_classics() {
        assert!((jaro(&c("MARTHA"), &c("MARHTA")) - 0.944_444_444_444_444_4).abs() < 1e-12);
        assert!((jaro_winkler(&c("MARTHA"), &c("MARHTA")) - 0.961_111_111_111_111_1).abs() < 1e-12);
        assert_eq!(hamming(&c("abc"), &c("abd")), Some(1));
        assert_eq!(hamming(&c("abc"), &c("ab")), None);
    }
}
