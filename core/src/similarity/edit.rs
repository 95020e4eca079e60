//! Edit distances with transpositions (OSA, Damerau-Levenshtein), Hamming, Jaro and Jaro-Winkler.
//!
//! Damerau-Levenshtein runs Zhao and Sahni's linear-space form of the Lowrance-Wagner recurrence
//! ("Linear space string correction algorithm using the Damerau-Levenshtein distance", BMC
//! Bioinformatics 2020, the algorithm rapidfuzz uses): two DP rows instead of the full table, with
//! the last row of each character in a flat table (ASCII) or a sorted list (the rest) rather than a
//! hash map. OSA and Jaro run bit-parallel in `bitpar`. The textbook dynamic programmes of all three
//! stay here as the tests' reference.

/// Hamming distance, or `None` when the lengths differ.
pub fn hamming(a: &[char], b: &[char]) -> Option<usize> {
    (a.len() == b.len()).then(|| a.iter().zip(b).filter(|(x, y)| x != y).count())
}

/// Optimal string alignment distance: Levenshtein plus adjacent transpositions, no substring
/// edited twice. The reference for `bitpar::osa`.
#[cfg(test)]
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

/// [`damerau_with`] with fresh buffers.
#[cfg(test)]
pub fn damerau(a: &[char], b: &[char]) -> usize {
    damerau_with(a, b, &mut DamerauScratch::default())
}

/// [`damerau_with`]'s rows and char table, reused across comparisons: a matrix worker keeps one, so
/// that its comparisons allocate nothing once they have grown (issue #9: in threaded WebAssembly
/// every allocation takes the allocator's one global lock, and each comparison made six or seven).
#[derive(Debug, Default)]
pub(super) struct DamerauScratch {
    slots: Slots,
    last_row: Vec<isize>,
    fr: Vec<isize>,
    prev: Vec<isize>,
    cur: Vec<isize>,
}

/// Unrestricted Damerau-Levenshtein distance, in linear space.
///
/// Row `i` keeps the Levenshtein moves; a transposition can only improve a cell `(i, j)` with
/// `a[i] != b[j]` in two shapes: `b[j]` last seen in `a` at row `k` and `a[i]` matched at column
/// `j - 1` (its value `H[k-1][j-2]` saved in `fr[j]` when row `k` matched column `j`), or `k = i - 1`
/// and `a[i]` last matched at column `l` in this row (its value `H[i-2][l-1]` saved in `t`).
///
/// The rows and the char table are `scratch`'s, grown as needed and reused.
pub(super) fn damerau_with(a: &[char], b: &[char], scratch: &mut DamerauScratch) -> usize {
    let (n, m) = (a.len(), b.len());
    if n == 0 {
        return m;
    }
    if m == 0 {
        return n;
    }
    let big = (n.max(m) + 1) as isize;
    let DamerauScratch {
        slots,
        last_row,
        fr,
        prev,
        cur,
    } = scratch;
    let slot_count = char_slots(a, b, slots);
    let reset = |row: &mut Vec<isize>, len: usize, value: isize| {
        row.clear();
        row.resize(len, value);
    };
    reset(last_row, slot_count, -1);
    // Rows indexed by column + 1, so that column -1 (a sentinel) is index 0.
    reset(fr, m + 2, big);
    reset(prev, m + 2, big);
    cur.clear();
    cur.push(big);
    cur.extend(0..=m as isize);
    // As slices of the rows' exact length, so that the loop's indexes are seen in bounds.
    let (slots, last_row, fr) = (&*slots, &mut last_row[..], &mut fr[..m + 2]);
    let (mut prev, mut cur) = (&mut prev[..m + 2], &mut cur[..m + 2]);
    for (i0, &ca) in a.iter().enumerate() {
        let i = i0 as isize + 1;
        std::mem::swap(&mut cur, &mut prev);
        let mut last_col = -1isize;
        let mut diag_before_last_match = cur[1];
        cur[1] = i;
        let mut t = big;
        for (j0, &cb) in b.iter().enumerate() {
            let (j, x) = (j0 as isize + 1, j0 + 2);
            let mut v = (prev[x - 1] + isize::from(ca != cb))
                .min(cur[x - 1] + 1)
                .min(prev[x] + 1);
            if ca == cb {
                last_col = j;
                fr[x] = prev[x - 2];
                t = diag_before_last_match;
            } else {
                let k = slots.b[j0].map_or(-1, |s| last_row[s]);
                if j - last_col == 1 {
                    v = v.min(fr[x] + (i - k));
                } else if i - k == 1 {
                    v = v.min(t + (j - last_col));
                }
            }
            diag_before_last_match = cur[x];
            cur[x] = v;
        }
        if let Some(s) = slots.a[i0] {
            last_row[s] = i;
        }
    }
    cur[m + 1] as usize
}

/// Each char's slot in a per-char table (last-seen rows here, counts in `partial`'s window bounds):
/// ASCII by code, the others by rank among `a`'s distinct non-ASCII chars; a char of `b` absent
/// from `a` has none. Every char of `a` has one. Reused across comparisons.
#[derive(Debug, Default)]
pub(super) struct Slots {
    pub(super) a: Vec<Option<usize>>,
    pub(super) b: Vec<Option<usize>>,
    /// `a`'s distinct non-ASCII chars, sorted.
    others: Vec<char>,
}

/// Fills `slots` with the slots of `a`'s and `b`'s chars; returns the size of a table indexed by
/// them.
pub(super) fn char_slots(a: &[char], b: &[char], slots: &mut Slots) -> usize {
    let Slots {
        a: slots_a,
        b: slots_b,
        others,
    } = slots;
    others.clear();
    others.extend(a.iter().copied().filter(|c| !c.is_ascii()));
    others.sort_unstable();
    others.dedup();
    let slot = |c: char| -> Option<usize> {
        if c.is_ascii() {
            Some(c as usize)
        } else {
            others.binary_search(&c).ok().map(|k| 128 + k)
        }
    };
    slots_a.clear();
    slots_a.extend(a.iter().map(|&c| slot(c)));
    slots_b.clear();
    slots_b.extend(b.iter().map(|&c| slot(c)));
    128 + others.len()
}

/// Unrestricted Damerau-Levenshtein distance over the full Lowrance-Wagner table: the reference
/// for [`damerau`].
#[cfg(test)]
pub fn damerau_full_table(a: &[char], b: &[char]) -> usize {
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
    // Last row (1-based) in which each character of `a` was seen.
    let mut slots = Slots::default();
    let slot_count = char_slots(a, b, &mut slots);
    let mut last_row = vec![0usize; slot_count];
    for i in 1..=n {
        let mut last_match_col = 0;
        for j in 1..=m {
            let i1 = slots.b[j - 1].map_or(0, |k| last_row[k]);
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
        if let Some(k) = slots.a[i - 1] {
            last_row[k] = i;
        }
    }
    d[(n + 1) * width + m + 1]
}

/// Jaro similarity in [0, 1]. Two empty strings are identical (1.0); one empty string gives 0.0.
/// The reference for `bitpar::jaro`.
#[cfg(test)]
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

/// Jaro-Winkler similarity from the Jaro similarity `sim` of `a` and `b`: Jaro plus a bonus of 0.1 per common-prefix character (up to 4), applied
/// when the Jaro similarity exceeds 0.7, as Winkler defined it.
pub fn jaro_winkler(sim: f64, a: &[char], b: &[char]) -> f64 {
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
        let (a, b) = (c("MARTHA"), c("MARHTA"));
        assert!((jaro_winkler(jaro(&a, &b), &a, &b) - 0.961_111_111_111_111_1).abs() < 1e-12);
        assert_eq!(hamming(&c("abc"), &c("abd")), Some(1));
        assert_eq!(hamming(&c("abc"), &c("ab")), None);
    }
}
