//! Bit-parallel edit distances: Levenshtein (Hyyrö 2003, blocked as in Myers 1999) and the longest
//! common subsequence (Allison-Dix / Hyyrö 2004), from which Indel follows.
//!
//! Written by hand because these are the kernels conclave must be fastest at: one pass over the
//! longer string, 64 cells of the DP matrix per machine word, no O(n·m) matrix. The pattern (the
//! shorter string) is turned once into per-character match masks ([`Pattern`]), which batch callers
//! reuse across every comparison with that string.

/// Match masks of a pattern: bit `i` of block `w` is set in `mask(w, c)` when `pattern[64*w + i] == c`.
#[derive(Debug, Clone)]
pub struct Pattern {
    len: usize,
    blocks: usize,
    /// `ascii[c * blocks + w]` for `c < 128`.
    ascii: Vec<u64>,
    /// Other characters, sorted, each with its `blocks` masks in `other_masks`.
    other_chars: Vec<char>,
    other_masks: Vec<u64>,
}

impl Pattern {
    pub fn new(pattern: &[char]) -> Self {
        let len = pattern.len();
        let blocks = len.div_ceil(64).max(1);
        let mut ascii = vec![0u64; 128 * blocks];
        let mut other_chars: Vec<char> =
            pattern.iter().copied().filter(|c| !c.is_ascii()).collect();
        other_chars.sort_unstable();
        other_chars.dedup();
        let mut other_masks = vec![0u64; other_chars.len() * blocks];
        for (i, &c) in pattern.iter().enumerate() {
            let (w, bit) = (i / 64, 1u64 << (i % 64));
            if c.is_ascii() {
                ascii[c as usize * blocks + w] |= bit;
            } else if let Ok(k) = other_chars.binary_search(&c) {
                other_masks[k * blocks + w] |= bit;
            }
        }
        Pattern {
            len,
            blocks,
            ascii,
            other_chars,
            other_masks,
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
    let zero = [0u64; 1];
    let mut vp = vec![!0u64; blocks];
    let mut vn = vec![0u64; blocks];
    // Bits of the last block beyond the pattern must not carry into the score.
    let tail_bits = m - 64 * (blocks - 1);
    if tail_bits < 64 {
        vp[blocks - 1] = (1u64 << tail_bits) - 1;
    }
    let mut score = m;
    for (j, &c) in text.iter().enumerate() {
        let pm = pattern.masks(c);
        let mut hp_carry = 1u64;
        let mut hn_carry = 0u64;
        for w in 0..blocks {
            let pm_j = match pm {
                Some(p) => p[w],
                None => zero[0],
            };
            let x = pm_j | hn_carry;
            let d0 = (((x & vp[w]).wrapping_add(vp[w])) ^ vp[w]) | x | vn[w];
            let mut hp = vn[w] | !(d0 | vp[w]);
            let mut hn = d0 & vp[w];
            if w == blocks - 1 {
                score += usize::from(hp & last != 0);
                score -= usize::from(hn & last != 0);
            }
            let hp_out = hp >> 63;
            hp = (hp << 1) | hp_carry;
            hp_carry = hp_out;
            let hn_out = hn >> 63;
            hn = (hn << 1) | hn_carry;
            hn_carry = hn_out;
            vp[w] = hn | !(d0 | hp);
            vn[w] = hp & d0;
        }
        let remaining = n - j - 1;
        if score > max.saturating_add(remaining) {
            return None;
        }
    }
    (score <= max).then_some(score)
}

/// Length of the longest common subsequence of the pattern and `text`.
pub fn lcs_len(pattern: &Pattern, text: &[char]) -> usize {
    let m = pattern.len;
    if m == 0 || text.is_empty() {
        return 0;
    }
    let blocks = pattern.blocks;
    let mut s = vec![!0u64; blocks];
    for &c in text {
        let Some(pm) = pattern.masks(c) else { continue };
        let mut carry = 0u64;
        for w in 0..blocks {
            let u = s[w] & pm[w];
            let (sum1, c1) = s[w].overflowing_add(u);
            let (sum2, c2) = sum1.overflowing_add(carry);
            carry = u64::from(c1 || c2);
            s[w] = sum2 | (s[w] - u);
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
    fn lcs_known() {
        assert_eq!(
            lcs_len(&Pattern::new(&chars("ABCBDAB")), &chars("BDCABA")),
            4
        );
        assert_eq!(lcs_len(&Pattern::new(&chars("abc")), &chars("xyz")), 0);
    }
}
