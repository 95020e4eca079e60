//! Bit-parallel edit distances: Levenshtein (Hyyrö 2003, blocked as in Myers 1999), optimal string
//! alignment (Hyyrö 2003's transposition extension, blocked), the longest common subsequence
//! (Allison-Dix / Hyyrö 2004), from which Indel follows, and Jaro's match search.
//!
//! Written by hand because these are the kernels conclave must be fastest at: one pass over the
//! longer string, 64 cells of the DP matrix per machine word, no O(n·m) matrix. The pattern (the
//! shorter string) is turned once into per-character match masks ([`Pattern`]), which batch callers
//! reuse across every comparison with that string.
//!
//! No kernel allocates per comparison: the working vectors live on the stack ([`scratch!`]) for
//! patterns up to `64 * STACK_BLOCKS` characters. A matrix runs tens of thousands of comparisons per
//! thread, and in threaded WebAssembly every allocation takes the allocator's one global spin lock:
//! with two threads allocating per pair, the lock's cache line bounced between the cores and each
//! thread burned up to a third more CPU than one thread doing all the work (issue #9).

/// Blocks of 64 pattern characters whose working vectors [`scratch!`] keeps on the stack.
const STACK_BLOCKS: usize = 16;

/// `scratch!(name: [T; len] = value)` binds `name` to a `&mut [T]` of `len` copies of `value`: a
/// stack array's prefix when `len <= STACK_BLOCKS`, else a vector.
macro_rules! scratch {
    ($name:ident: [$t:ty; $len:expr] = $value:expr) => {
        let len: usize = $len;
        let mut on_stack: [$t; STACK_BLOCKS] = [$value; STACK_BLOCKS];
        let mut on_heap: Vec<$t>;
        let $name: &mut [$t] = if len <= STACK_BLOCKS {
            &mut on_stack[..len]
        } else {
            on_heap = vec![$value; len];
            &mut on_heap
        };
    };
}

/// Match masks of a pattern: bit `i` of block `w` is set in `mask(w, c)` when `pattern[64*w + i] == c`.
#[derive(Debug, Clone)]
pub struct Pattern {
    len: usize,
    blocks: usize,
    /// `ascii[c * blocks + w]` for `c < 128`.
    ascii: Vec<u64>,
    /// Other characters, sorted, each with its `blocks` masks in `other_masks`, followed by
    /// `blocks` zero words (the masks of any character not in the pattern).
    other_chars: Vec<char>,
    other_masks: Vec<u64>,
}

impl Pattern {
    pub fn new(pattern: &[char]) -> Self {
        let mut p = Pattern {
            len: 0,
            blocks: 0,
            ascii: Vec::new(),
            other_chars: Vec::new(),
            other_masks: Vec::new(),
        };
        p.set(pattern);
        p
    }

    /// Makes this the pattern of `pattern`, reusing the buffers (no allocation once they are large
    /// enough).
    pub fn set(&mut self, pattern: &[char]) {
        let len = pattern.len();
        let blocks = len.div_ceil(64).max(1);
        self.len = len;
        self.blocks = blocks;
        self.ascii.clear();
        self.ascii.resize(128 * blocks, 0);
        self.other_chars.clear();
        self.other_chars
            .extend(pattern.iter().copied().filter(|c| !c.is_ascii()));
        self.other_chars.sort_unstable();
        self.other_chars.dedup();
        self.other_masks.clear();
        self.other_masks
            .resize((self.other_chars.len() + 1) * blocks, 0);
        for (i, &c) in pattern.iter().enumerate() {
            let (w, bit) = (i / 64, 1u64 << (i % 64));
            if c.is_ascii() {
                self.ascii[c as usize * blocks + w] |= bit;
            } else if let Ok(k) = self.other_chars.binary_search(&c) {
                self.other_masks[k * blocks + w] |= bit;
            }
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The masks of `c` for every block (all zero when `c` is not in the pattern).
    #[inline]
    fn masks(&self, c: char) -> Option<&[u64]> {
        if c.is_ascii() {
            let start = c as usize * self.blocks;
            Some(&self.ascii[start..start + self.blocks])
        } else {
            let k = self.other_chars.binary_search(&c).ok()?;
            Some(&self.other_masks[k * self.blocks..(k + 1) * self.blocks])
        }
    }

    /// `blocks` zero words: the masks of a character not in the pattern.
    #[inline]
    fn zeros(&self) -> &[u64] {
        &self.other_masks[self.other_masks.len() - self.blocks..]
    }
}

/// Levenshtein distance between the pattern and `text`, or `None` when it exceeds `max`.
///
/// Stops early once the distance can no longer fall to `max`: after column `j` the bottom-row
/// value can drop by at most one per remaining column.
pub fn levenshtein(pattern: &Pattern, text: &[char], max: usize) -> Option<usize> {
    let m = pattern.len;
    let n = text.len();
    if m.abs_diff(n) > max {
        return None;
    }
    if m == 0 {
        return Some(n);
    }
    let blocks = pattern.blocks;
    let last = 1u64 << ((m - 1) % 64);
    let zeros = pattern.zeros();
    scratch!(vp: [u64; blocks] = !0);
    scratch!(vn: [u64; blocks] = 0);
    let mut score = m;
    for (j, &c) in text.iter().enumerate() {
        let pm = pattern.masks(c).unwrap_or(zeros);
        let (mut hp_carry, mut hn_carry) = (1u64, 0u64);
        // The last block's horizontal deltas before the shift: they move the bottom-row score.
        let (mut hp_last, mut hn_last) = (0u64, 0u64);
        for ((vp, vn), &pm_j) in vp.iter_mut().zip(vn.iter_mut()).zip(pm) {
            let x = pm_j | hn_carry;
            let d0 = (((x & *vp).wrapping_add(*vp)) ^ *vp) | x | *vn;
            let hp = *vn | !(d0 | *vp);
            let hn = d0 & *vp;
            hp_last = hp;
            hn_last = hn;
            let hp_shifted = (hp << 1) | hp_carry;
            let hn_shifted = (hn << 1) | hn_carry;
            hp_carry = hp >> 63;
            hn_carry = hn >> 63;
            *vp = hn_shifted | !(d0 | hp_shifted);
            *vn = hp_shifted & d0;
        }
        score += usize::from(hp_last & last != 0);
        score -= usize::from(hn_last & last != 0);
        if score > max.saturating_add(n - j - 1) {
            return None;
        }
    }
    (score <= max).then_some(score)
}

/// Levenshtein distance by exponential search over diagonal bands: bands of half-width 32, 64,
/// 128, ... until the distance fits (Ukkonen's cut-off, as rapidfuzz does), the full matrix last.
/// Near-duplicate texts, the common case in consensus, touch only a few blocks per column.
pub fn levenshtein_auto(pattern: &Pattern, pattern_chars: &[char], text: &[char]) -> usize {
    let full = pattern.len.max(text.len());
    // Start at twice a cheap lower bound, so that one band usually suffices.
    let mut k = 32usize.max(2 * histogram_lower_bound(pattern_chars, text));
    while k < full {
        if let Some(d) = levenshtein_banded(pattern, text, k) {
            return d;
        }
        k *= 2;
    }
    levenshtein(pattern, text, full).unwrap_or(full)
}

/// A lower bound of the Levenshtein distance from character counts: one edit removes at most one
/// surplus character on each side. Characters are counted in 256 buckets, ASCII one each and the
/// others by their code modulo 128 (no allocation, no sort): counting a set of characters as one
/// only lowers the surpluses, so the bound stays a lower bound, and `levenshtein_auto` is exact
/// from any starting band.
fn histogram_lower_bound(a: &[char], b: &[char]) -> usize {
    let mut counts = [0i64; 256];
    let bucket = |c: char| {
        if c.is_ascii() {
            c as usize
        } else {
            128 + c as usize % 128
        }
    };
    for &c in a {
        counts[bucket(c)] += 1;
    }
    for &c in b {
        counts[bucket(c)] -= 1;
    }
    let (mut surplus_a, mut surplus_b) = (0i64, 0i64);
    for d in counts {
        surplus_a += d.max(0);
        surplus_b += (-d).max(0);
    }
    surplus_a.max(surplus_b) as usize
}

/// Levenshtein distance if it is at most `k`, computing only the blocks of the pattern that meet
/// the diagonal band of cells an alignment of cost `<= k` can use.
///
/// A cell `(i, j)` (row `i` of the pattern, column `j` of the text) lies on such an alignment only
/// if `|j - i| + |(n - j) - (m - i)| <= k`. Blocks wholly outside that band are not computed: a
/// block below it enters with vertical deltas of +1, a block above it is frozen and hands down
/// horizontal deltas of +1. Both values are upper bounds of the true ones, so every computed cell
/// is at least its true distance, and exact along any alignment that stays in the band: the result
/// is exact when the distance is at most `k`, and above `k` otherwise.
pub fn levenshtein_banded(pattern: &Pattern, text: &[char], k: usize) -> Option<usize> {
    let (m, n) = (pattern.len, text.len());
    if m.abs_diff(n) > k {
        return None;
    }
    if m == 0 {
        return Some(n);
    }
    let delta = n as isize - m as isize;
    // Rows allowed in column j: [j - up, j + down].
    let up = ((k as isize + delta) / 2) as usize;
    let down = ((k as isize - delta) / 2) as usize;
    let blocks = pattern.blocks;
    let rows_in = |w: usize| (m - 64 * w).min(64);
    let zeros = pattern.zeros();
    scratch!(vp: [u64; blocks] = !0);
    scratch!(vn: [u64; blocks] = 0);
    // D'[last row of block w][j] for the active blocks.
    scratch!(bottom: [usize; blocks] = 0);
    bottom[0] = rows_in(0);
    let mut hi_active = 0usize;
    let last_bit = 1u64 << ((m - 1) % 64);
    let (mut last_hp, mut last_hn) = (0u64, 0u64);
    for (jm1, &c) in text.iter().enumerate() {
        let j = jm1 + 1;
        let lo_row = j.saturating_sub(up).max(1);
        let hi_row = (j + down).min(m);
        if lo_row > hi_row {
            return None;
        }
        let (lo_w, hi_w) = ((lo_row - 1) / 64, (hi_row - 1) / 64);
        while hi_active < hi_w {
            hi_active += 1;
            vp[hi_active] = !0;
            vn[hi_active] = 0;
            bottom[hi_active] = bottom[hi_active - 1] + rows_in(hi_active);
        }
        let pm = pattern.masks(c).unwrap_or(zeros);
        let (mut hp_carry, mut hn_carry) = (1u64, 0u64);
        let active = vp[lo_w..=hi_w]
            .iter_mut()
            .zip(&mut vn[lo_w..=hi_w])
            .zip(&pm[lo_w..=hi_w])
            .zip(&mut bottom[lo_w..=hi_w]);
        for (((v_p, v_n), &pm_j), bottom) in active {
            let x = pm_j | hn_carry;
            let d0 = (((x & *v_p).wrapping_add(*v_p)) ^ *v_p) | x | *v_n;
            let hp = *v_n | !(d0 | *v_p);
            let hn = d0 & *v_p;
            *bottom = bottom
                .wrapping_add((hp >> 63) as usize)
                .wrapping_sub((hn >> 63) as usize);
            let hp_shifted = (hp << 1) | hp_carry;
            let hn_shifted = (hn << 1) | hn_carry;
            hp_carry = hp >> 63;
            hn_carry = hn >> 63;
            *v_p = hn_shifted | !(d0 | hp_shifted);
            *v_n = hp_shifted & d0;
            last_hp = hp;
            last_hn = hn;
        }
        if hi_w + 1 == blocks {
            // The last block's bottom row is row m, at bit (m - 1) % 64, not bit 63: redo its update.
            let b = &mut bottom[blocks - 1];
            // Wrapping: the first update may have passed below zero on rows past the pattern.
            *b = b
                .wrapping_sub((last_hp >> 63) as usize)
                .wrapping_add((last_hn >> 63) as usize);
            *b = b
                .wrapping_add(usize::from(last_hp & last_bit != 0))
                .wrapping_sub(usize::from(last_hn & last_bit != 0));
        }
    }
    let score = bottom[blocks - 1];
    (hi_active + 1 == blocks && score <= k).then_some(score)
}

/// Optimal string alignment distance (Levenshtein plus adjacent transpositions, no substring
/// edited twice) between the pattern and `text`: Hyyrö's bit-vector algorithm ("A bit-vector
/// algorithm for computing Levenshtein and Damerau edit distances", 2003), blocked.
///
/// A transposition ends at row `i` of column `j` when pattern chars `i - 1, i` match text chars
/// `j, j - 1` and the diagonal two steps back was not already a match: `TR = ((!D0' & PM_j) << 1)
/// & PM_{j-1}`, where `D0'` is the previous column's zero-diagonal vector. Across blocks the shift
/// carries the top bit of the block below, as the horizontal deltas do.
pub fn osa(pattern: &Pattern, text: &[char]) -> usize {
    let m = pattern.len;
    if m == 0 {
        return text.len();
    }
    let blocks = pattern.blocks;
    let last = 1u64 << ((m - 1) % 64);
    let zeros = pattern.zeros();
    scratch!(vp: [u64; blocks] = !0);
    scratch!(vn: [u64; blocks] = 0);
    scratch!(d0: [u64; blocks] = 0);
    let mut pm_old: &[u64] = zeros;
    let mut score = m;
    for &c in text {
        let pm = pattern.masks(c).unwrap_or(zeros);
        let (mut hp_carry, mut hn_carry, mut tr_carry) = (1u64, 0u64, 0u64);
        let (mut hp_last, mut hn_last) = (0u64, 0u64);
        let words = vp
            .iter_mut()
            .zip(vn.iter_mut())
            .zip(d0.iter_mut())
            .zip(pm.iter().zip(pm_old));
        for (((v_p, v_n), d0), (&pm_j, &pm_j_old)) in words {
            let fresh = !*d0 & pm_j;
            let tr = ((fresh << 1) | tr_carry) & pm_j_old;
            tr_carry = fresh >> 63;
            let x = pm_j | hn_carry;
            let d = (((x & *v_p).wrapping_add(*v_p)) ^ *v_p) | x | *v_n | tr;
            let hp = *v_n | !(d | *v_p);
            let hn = d & *v_p;
            hp_last = hp;
            hn_last = hn;
            let hp_shifted = (hp << 1) | hp_carry;
            let hn_shifted = (hn << 1) | hn_carry;
            hp_carry = hp >> 63;
            hn_carry = hn >> 63;
            *v_p = hn_shifted | !(d | hp_shifted);
            *v_n = hp_shifted & d;
            *d0 = d;
        }
        score += usize::from(hp_last & last != 0);
        score -= usize::from(hn_last & last != 0);
        pm_old = pm;
    }
    score
}

/// Jaro similarity of `a` against `b`, whose match masks are `b_pattern`: the textbook greedy
/// matching (each char of `a`, in order, takes the first unused equal char of `b` within the
/// window), with the window's candidates found 64 at a time from the masks instead of one by one.
pub fn jaro(a: &[char], b: &[char], b_pattern: &Pattern) -> f64 {
    let (n, m) = (a.len(), b.len());
    if n == 0 && m == 0 {
        return 1.0;
    }
    if n == 0 || m == 0 {
        return 0.0;
    }
    let window = (n.max(m) / 2).saturating_sub(1);
    // Bit j of `used`: b[j] is matched; bit i of `a_hits`: a[i] is.
    scratch!(used: [u64; b_pattern.blocks] = 0);
    scratch!(a_hits: [u64; n.div_ceil(64)] = 0);
    for (i, &ca) in a.iter().enumerate() {
        let lo = i.saturating_sub(window);
        let hi = (i + window + 1).min(m);
        if lo >= hi {
            break;
        }
        let Some(pm) = b_pattern.masks(ca) else {
            continue;
        };
        let (lo_w, hi_w) = (lo / 64, (hi - 1) / 64);
        for w in lo_w..=hi_w {
            let mut bits = pm[w] & !used[w];
            if w == lo_w {
                bits &= !0u64 << (lo % 64);
            }
            if w == hi_w {
                bits &= !0u64 >> (63 - (hi - 1) % 64);
            }
            if bits != 0 {
                used[w] |= bits & bits.wrapping_neg();
                a_hits[i / 64] |= 1u64 << (i % 64);
                break;
            }
        }
    }
    let matches: usize = used.iter().map(|w| w.count_ones() as usize).sum();
    if matches == 0 {
        return 0.0;
    }
    // The k-th matched char of `a` pairs with the k-th matched char of `b`.
    let mut half_transpositions = 0usize;
    for (i, j) in set_bits(a_hits).zip(set_bits(used)) {
        half_transpositions += usize::from(a[i] != b[j]);
    }
    let t = (half_transpositions / 2) as f64;
    let mf = matches as f64;
    (mf / n as f64 + mf / m as f64 + (mf - t) / mf) / 3.0
}

/// Positions of the set bits of a bit vector, in increasing order.
fn set_bits(words: &[u64]) -> impl Iterator<Item = usize> + '_ {
    words.iter().enumerate().flat_map(|(w, &word)| {
        let mut bits = word;
        std::iter::from_fn(move || {
            (bits != 0).then(|| {
                let j = 64 * w + bits.trailing_zeros() as usize;
                bits &= bits - 1;
                j
            })
        })
    })
}

/// Length of the longest common subsequence of the pattern and `text`.
pub fn lcs_len(pattern: &Pattern, text: &[char]) -> usize {
    let m = pattern.len;
    if m == 0 || text.is_empty() {
        return 0;
    }
    scratch!(s: [u64; pattern.blocks] = !0);
    for &c in text {
        let Some(pm) = pattern.masks(c) else { continue };
        let mut carry = 0u64;
        for (sw, &pw) in s.iter_mut().zip(pm) {
            let u = *sw & pw;
            // A 128-bit sum compiles to add + adc: the carry chain stays in the flags.
            let sum = u128::from(*sw) + u128::from(u) + u128::from(carry);
            carry = (sum >> 64) as u64;
            *sw = (sum as u64) | (*sw - u);
        }
    }
    let mut zeros = 0usize;
    for (w, &word) in s.iter().enumerate() {
        let bits = (m - 64 * w).min(64);
        let valid = if bits == 64 {
            !0u64
        } else {
            (1u64 << bits) - 1
        };
        zeros += (!word & valid).count_ones() as usize;
    }
    zeros
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    fn lev(a: &str, b: &str) -> usize {
        levenshtein(&Pattern::new(&chars(a)), &chars(b), usize::MAX).unwrap()
    }

    #[test]
    fn known_distances() {
        assert_eq!(lev("kitten", "sitting"), 3);
        assert_eq!(lev("", "abc"), 3);
        assert_eq!(lev("abc", ""), 3);
        assert_eq!(lev("flaw", "lawn"), 2);
        assert_eq!(lev("日本語", "日本"), 1);
    }

    #[test]
    fn cutoff_stops_early() {
        let p = Pattern::new(&chars("kitten"));
        assert_eq!(levenshtein(&p, &chars("sitting"), 3), Some(3));
        assert_eq!(levenshtein(&p, &chars("sitting"), 2), None);
        assert_eq!(levenshtein(&p, &chars("kitten and more"), 3), None);
    }

    #[test]
    fn banded_is_exact_within_its_band() {
        let a: Vec<char> = "the quick brown fox jumps over the lazy dog "
            .repeat(8)
            .chars()
            .collect();
        let mut b = a.clone();
        for k in (0..b.len()).step_by(37) {
            b[k] = '#';
        }
        b.insert(100, 'x');
        b.remove(200);
        let p = Pattern::new(&a);
        let exact = levenshtein(&p, &b, usize::MAX).unwrap();
        assert_eq!(levenshtein_auto(&p, &a, &b), exact);
        assert_eq!(levenshtein_banded(&p, &b, exact), Some(exact));
        assert_eq!(levenshtein_banded(&p, &b, exact - 1), None);
    }

    #[test]
    fn lcs_known() {
        assert_eq!(
            lcs_len(&Pattern::new(&chars("ABCBDAB")), &chars("BDCABA")),
            4
        );
        assert_eq!(lcs_len(&Pattern::new(&chars("abc")), &chars("xyz")), 0);
    }
}
