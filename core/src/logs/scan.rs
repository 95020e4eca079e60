//! One pass over a chunk of complete lines that finds every line end and every place where a
//! pattern's required literal may start.
//!
//! Hand-written because the counting pass must visit every line and also find pattern hits, and
//! the libraries each do half of that: `memchr_iter` pays a call and a dispatch per line (a third
//! of the old pass on 84-byte lines), and the `regex` crate's prefilter (Teddy) makes a second
//! pass over the chunk at about 12 GB/s. Here, on x86-64 with AVX2, each 64-byte block is loaded
//! once: one compare gives its newline bitmask, and for each literal two compares at the
//! literal's two rarest bytes (memchr's pair heuristic, the one `memmem` uses) give the positions
//! where that literal may be. The first of the two compares is made on the block's own load, so
//! that a literal costs one more load, not two: loads, half of them across cache lines, were what
//! limited the pass (three literals over 1 GB: 57 ms with two loads each, 48 ms with one). With
//! AVX-512 (F and BW) the block is one register, and a literal costs one load, one XOR, one
//! three-way logic op and one byte minimum per block (one pass over 1 GB, one thread, medians:
//! 74.6-80.0 ms against 80.8-84.4 ms with AVX2 in the same runs). The masks of 64 blocks at a time are written out, with the line
//! ends listed in order, and then the lines are walked and the rare candidates handed to the
//! caller with the start of their line, which the newline masks already know. Without AVX2
//! (other CPUs, WebAssembly) the same callbacks are driven by `memchr_iter` for lines and one
//! `memmem` pass per literal, merged in position order; a test checks that every kernel the CPU
//! has gives the same calls as brute force.
//!
//! A candidate is the position of a literal's first compared byte ([`Literal::lead`] bytes after
//! its start), and only means "the two rare bytes are there": the caller checks the whole literal
//! at `pos - lead` for each literal.

use memchr::arch::all::packedpair::Pair;

/// Pair offsets are taken from a literal's first `PAIR_WINDOW` bytes, so a block reads at most
/// `64 + PAIR_WINDOW - 1` bytes from its start.
const PAIR_WINDOW: usize = 32;

/// Blocks of 64 bytes per batch of the AVX2 pass (4 KiB: the batch's masks stay in L1).
#[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
const BATCH: usize = 64;
// a batch's blocks with candidates are the bits of one u64
const _: () = assert!(BATCH <= 64);

/// At most this many literals are searched in the one pass (each costs two compares per 32 bytes);
/// patterns whose literals do not fit are left to the regex pass.
pub(crate) const MAX_LITERALS: usize = 8;

/// One literal and where its two rarest bytes are.
#[derive(Debug, Clone)]
pub(crate) struct Literal {
    pub(crate) bytes: Vec<u8>,
    /// The pattern it belongs to.
    pub(crate) pattern: usize,
    /// The offset in the literal of the first of the two bytes compared in the block pass: a
    /// candidate is where that byte is, so the literal starts `lead` bytes before it.
    pub(crate) lead: usize,
    /// How far the second compared byte is after the first (0 for a one-byte literal). (The
    /// portable pass does not use it.)
    #[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
    gap: usize,
    /// The two compared bytes.
    byte: [u8; 2],
}

impl Literal {
    /// A literal of `pattern`; `None` when empty.
    pub(crate) fn new(bytes: &[u8], pattern: usize) -> Option<Literal> {
        if bytes.is_empty() {
            return None;
        }
        let window = &bytes[..bytes.len().min(PAIR_WINDOW)];
        let (lead, second) = match Pair::new(window) {
            Some(pair) => {
                let (i, j) = (usize::from(pair.index1()), usize::from(pair.index2()));
                (i.min(j), i.max(j))
            }
            None => (0, 0),
        };
        Some(Literal {
            byte: [bytes[lead], bytes[second]],
            bytes: bytes.to_vec(),
            pattern,
            lead,
            gap: second - lead,
        })
    }

    /// Whether the literal starts at `pos - lead` in `body` (for a candidate at `pos`), and not
    /// before `line_start`; the start if so.
    #[inline]
    pub(crate) fn starts_for(&self, body: &[u8], pos: usize, line_start: usize) -> Option<usize> {
        let start = pos.checked_sub(self.lead)?;
        // the compared byte first: most candidates are another literal's
        (start >= line_start
            && body.get(pos) == Some(&self.byte[0])
            && body[start..].starts_with(&self.bytes))
        .then_some(start)
    }
}

/// What [`scan`] reports.
pub(crate) trait Visit {
    /// A line: `start` is its first byte, `end` the index of its `\n`.
    fn line(&mut self, start: usize, end: usize);
    /// A position where a literal's first compared byte may be (it starts [`Literal::lead`]
    /// bytes before), and the start of the line holding the position.
    fn candidate(&mut self, pos: usize, line_start: usize);

    /// The lines ending at `p + ends[k]` for each `k`, in order (`ends` increase); `line_start`
    /// is the start of the first, and is left at the start of the line open after the last. The
    /// same as [`Visit::line`] for each; a visitor may override it to keep its counters in
    /// registers across lines.
    #[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
    #[inline(always)]
    fn lines(&mut self, p: usize, ends: &[u32], line_start: &mut usize) {
        each_line(p, ends, line_start, |start, end| self.line(start, end));
    }
}

/// Calls `f(start, end)` for each line of [`Visit::lines`] (`end` is the index of its `\n`), in
/// order, and leaves `line_start` at the start of the line open after them.
#[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
#[inline(always)]
pub(crate) fn each_line(
    p: usize,
    ends: &[u32],
    line_start: &mut usize,
    mut f: impl FnMut(usize, usize),
) {
    let mut start = *line_start;
    for &e in ends {
        let end = p + e as usize;
        f(start, end);
        start = end + 1;
    }
    *line_start = start;
}

/// Reports every line of `body` (complete lines, each ending in `\n`) in order, and candidate
/// positions (for each literal that starts at `q`, at least `q + lead`) in nondecreasing order. A
/// position may be reported more than once. The two kinds of calls are interleaved in no fixed
/// way.
pub(crate) fn scan(body: &[u8], literals: &[Literal], visit: &mut impl Visit) {
    #[cfg(target_arch = "x86_64")]
    if let Some(kernel) = x86::Kernel::best() {
        // SAFETY: `best` gives only a kernel that the CPU supports.
        let done = unsafe { x86::scan(kernel, body, literals, visit) };
        if done {
            return;
        }
    }
    portable(body, literals, visit);
}

/// [`scan`] with memchr: every line, then the literals' starts (plus their lead) merged by
/// position.
pub(crate) fn portable(body: &[u8], literals: &[Literal], visit: &mut impl Visit) {
    let mut start = 0;
    for nl in memchr::memchr_iter(b'\n', body) {
        visit.line(start, nl);
        start = nl + 1;
    }
    let finders: Vec<memchr::memmem::Finder> = literals
        .iter()
        .map(|l| memchr::memmem::Finder::new(&l.bytes))
        .collect();
    // the next start of each literal after the last one reported, plus the literal's lead
    let mut next: Vec<Option<usize>> = finders
        .iter()
        .zip(literals)
        .map(|(f, l)| f.find(body).map(|q| q + l.lead))
        .collect();
    while let Some((k, pos)) = next
        .iter()
        .enumerate()
        .filter_map(|(k, p)| p.map(|p| (k, p)))
        .min_by_key(|&(k, p)| (p, k))
    {
        let line_start = memchr::memrchr(b'\n', &body[..pos]).map_or(0, |p| p + 1);
        visit.candidate(pos, line_start);
        let after = pos - literals[k].lead + 1;
        next[k] = finders[k]
            .find(&body[after..])
            .map(|q| after + q + literals[k].lead);
    }
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use std::arch::x86_64::{
        __m256i, __m512i, _mm256_and_si256, _mm256_cmpeq_epi8, _mm256_loadu_si256,
        _mm256_movemask_epi8, _mm256_or_si256, _mm256_set1_epi8, _mm256_setzero_si256,
        _mm512_broadcast_i64x4, _mm512_cmpeq_epi8_mask, _mm512_loadu_si512, _mm512_min_epu8,
        _mm512_set1_epi8, _mm512_setzero_si512, _mm512_ternarylogic_epi64, _mm512_xor_si512,
    };

    use super::{BATCH, Literal, PAIR_WINDOW, Visit};

    /// The block kernels: both read 64-byte blocks; AVX-512 compares each block in one register
    /// where AVX2 takes two.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub(super) enum Kernel {
        Avx2,
        Avx512,
    }

    impl Kernel {
        /// Whether the CPU has what the kernel needs (AVX-512 F and BW on top of AVX2, since the
        /// last blocks and the line walk use the AVX2 code).
        pub(super) fn supported(self) -> bool {
            let avx2 = std::is_x86_feature_detected!("avx2")
                && std::is_x86_feature_detected!("popcnt")
                && std::is_x86_feature_detected!("bmi1");
            match self {
                Kernel::Avx2 => avx2,
                Kernel::Avx512 => {
                    avx2 && std::is_x86_feature_detected!("avx512f")
                        && std::is_x86_feature_detected!("avx512bw")
                }
            }
        }

        /// The fastest kernel the CPU supports, if any.
        pub(super) fn best() -> Option<Kernel> {
            [Kernel::Avx512, Kernel::Avx2]
                .into_iter()
                .find(|k| k.supported())
        }
    }

    /// A literal's two compared bytes, broadcast, and how far apart they are.
    #[derive(Clone, Copy)]
    struct Probe {
        gap: usize,
        byte: [__m256i; 2],
    }

    /// The newline bitmask and the candidate bitmask of the 64 bytes at `p` (bit `i` for `p + i`).
    /// A probe's first byte is compared in the block's own two loads, its second in two loads
    /// `gap` bytes further.
    ///
    /// # Safety
    /// AVX2 must be available, and `p .. p + 64 + PAIR_WINDOW - 1` must be readable.
    #[inline(always)]
    unsafe fn masks<const N: usize>(p: *const u8, probes: &[Probe; N]) -> (u64, u64) {
        // SAFETY (for every load below): offsets stay below 64 + PAIR_WINDOW - 1 (probe gaps
        // are below PAIR_WINDOW), inside the range the caller guarantees readable; AVX2 is
        // available (the caller's promise).
        unsafe {
            let nl = _mm256_set1_epi8(b'\n' as i8);
            let lo = _mm256_loadu_si256(p.cast::<__m256i>());
            let hi = _mm256_loadu_si256(p.add(32).cast::<__m256i>());
            let newlines = u64::from(_mm256_movemask_epi8(_mm256_cmpeq_epi8(lo, nl)) as u32)
                | (u64::from(_mm256_movemask_epi8(_mm256_cmpeq_epi8(hi, nl)) as u32) << 32);
            if N == 0 {
                return (newlines, 0);
            }
            let mut c_lo = _mm256_setzero_si256();
            let mut c_hi = _mm256_setzero_si256();
            for probe in probes {
                let (x, y) = (probe.byte[0], probe.byte[1]);
                let b_lo = _mm256_loadu_si256(p.add(probe.gap).cast::<__m256i>());
                let b_hi = _mm256_loadu_si256(p.add(32 + probe.gap).cast::<__m256i>());
                c_lo = _mm256_or_si256(
                    c_lo,
                    _mm256_and_si256(_mm256_cmpeq_epi8(lo, x), _mm256_cmpeq_epi8(b_lo, y)),
                );
                c_hi = _mm256_or_si256(
                    c_hi,
                    _mm256_and_si256(_mm256_cmpeq_epi8(hi, x), _mm256_cmpeq_epi8(b_hi, y)),
                );
            }
            let candidates = u64::from(_mm256_movemask_epi8(c_lo) as u32)
                | (u64::from(_mm256_movemask_epi8(c_hi) as u32) << 32);
            (newlines, candidates)
        }
    }

    /// [`masks`] with AVX-512: each load, compare and mask covers the whole block.
    ///
    /// # Safety
    /// AVX-512 F and BW must be available, and `p .. p + 64 + PAIR_WINDOW - 1` readable.
    #[inline(always)]
    unsafe fn masks512<const N: usize>(p: *const u8, probes: &[Probe512; N]) -> (u64, u64) {
        // SAFETY (for every load below): offsets stay below 64 + PAIR_WINDOW - 1 (probe gaps
        // are below PAIR_WINDOW), inside the range the caller guarantees readable; AVX-512 F and
        // BW are available (the caller's promise).
        unsafe {
            let block = _mm512_loadu_si512(p.cast::<__m512i>());
            let newlines = _mm512_cmpeq_epi8_mask(block, _mm512_set1_epi8(b'\n' as i8));
            if N == 0 {
                return (newlines, 0);
            }
            // a byte of `least` is zero where some probe's two bytes are both there
            let mut least = _mm512_set1_epi8(-1);
            for probe in probes {
                let (x, y) = (probe.byte[0], probe.byte[1]);
                let second = _mm512_loadu_si512(p.add(probe.gap).cast::<__m512i>());
                // 0xBE: (block ^ x) | (second ^ y), zero where both match
                let miss = _mm512_ternarylogic_epi64::<0xBE>(block, x, _mm512_xor_si512(second, y));
                least = _mm512_min_epu8(least, miss);
            }
            (
                newlines,
                _mm512_cmpeq_epi8_mask(least, _mm512_setzero_si512()),
            )
        }
    }

    /// [`Probe`] broadcast to 64 bytes.
    #[derive(Clone, Copy)]
    struct Probe512 {
        gap: usize,
        byte: [__m512i; 2],
    }

    /// [`super::scan`] with `kernel`; `false` (nothing reported) for more literals than it has
    /// code for.
    ///
    /// # Safety
    /// The CPU must support `kernel` ([`Kernel::supported`]).
    #[target_feature(enable = "avx2,popcnt,bmi1")]
    pub(super) unsafe fn scan(
        kernel: Kernel,
        body: &[u8],
        literals: &[Literal],
        visit: &mut impl Visit,
    ) -> bool {
        // SAFETY (each arm): the CPU supports `kernel` (the caller's promise).
        unsafe {
            match literals.len() {
                0 => run::<0>(kernel, body, literals, visit),
                1 => run::<1>(kernel, body, literals, visit),
                2 => run::<2>(kernel, body, literals, visit),
                3 => run::<3>(kernel, body, literals, visit),
                4 => run::<4>(kernel, body, literals, visit),
                5..=8 => run::<8>(kernel, body, literals, visit),
                _ => return false,
            }
        }
        true
    }

    /// The scan with `N` probes; literals beyond `literals.len()` repeat the last one.
    ///
    /// # Safety
    /// The CPU must support `kernel`.
    #[target_feature(enable = "avx2,popcnt,bmi1")]
    unsafe fn run<const N: usize>(
        kernel: Kernel,
        body: &[u8],
        literals: &[Literal],
        visit: &mut impl Visit,
    ) {
        let probes: [Probe; N] = std::array::from_fn(|i| {
            let lit = &literals[i.min(literals.len().saturating_sub(1))];
            Probe {
                gap: lit.gap,
                byte: [
                    _mm256_set1_epi8(lit.byte[0] as i8),
                    _mm256_set1_epi8(lit.byte[1] as i8),
                ],
            }
        });
        const READ: usize = 64 + PAIR_WINDOW - 1;
        let n = body.len();
        let mut line_start = 0;
        let mut p = 0;
        // Blocks go in batches: the vector pass fills the batch's masks, then the candidates and
        // the lines are reported from them, so that the visitor's line loop runs over many lines
        // at a time (and can keep its counters in registers).
        let mut newlines = [0u64; BATCH];
        let mut candidates = [0u64; BATCH];
        let mut ends = Ends::new();
        while p + READ <= n {
            let blocks = ((n - p - READ) / 64 + 1).min(BATCH);
            let at = body.as_ptr().wrapping_add(p);
            let out = (&mut newlines, &mut candidates, &mut ends);
            // SAFETY: the CPU supports `kernel` (the caller's promise), and p + 64 (blocks - 1) +
            // READ <= n.
            let with_candidates = unsafe {
                match kernel {
                    Kernel::Avx2 => batch(at, blocks, &probes, out),
                    Kernel::Avx512 => batch512(at, blocks, &probes, out),
                }
            };
            if with_candidates != 0 {
                let mut blocks_left = with_candidates;
                while blocks_left != 0 {
                    let j = blocks_left.trailing_zeros() as usize;
                    blocks_left &= blocks_left - 1;
                    {
                        // the line open at the block's start began after the last newline of the
                        // blocks before it (lines are short: a block or two back, usually)
                        let start = match newlines[..j].iter().rposition(|&nl| nl != 0) {
                            Some(k) => p + 64 * k + 64 - newlines[k].leading_zeros() as usize,
                            None => line_start,
                        };
                        block_candidates(p + 64 * j, newlines[j], candidates[j], start, visit);
                    }
                }
            }
            visit.lines(p, ends.get(), &mut line_start);
            p += 64 * blocks;
        }
        // the last blocks, copied into a zero-padded buffer so that every load stays inside it
        let mut buf = [0u8; READ];
        while p < n {
            let len = (n - p).min(READ);
            buf[..len].copy_from_slice(&body[p..p + len]);
            buf[len..].fill(0);
            // SAFETY: AVX2 is available, and buf holds READ bytes.
            let (mut newlines, mut candidates) = unsafe { masks(buf.as_ptr(), &probes) };
            if n - p < 64 {
                let keep = (1u64 << (n - p)) - 1;
                newlines &= keep;
                candidates &= keep;
            }
            block(p, newlines, candidates, &mut line_start, &mut ends, visit);
            p += 64;
        }
    }

    /// Where [`batch`] writes: each block's newline and candidate masks, and the line ends.
    type Batch<'a> = (&'a mut [u64; BATCH], &'a mut [u64; BATCH], &'a mut Ends);

    /// The masks of the `blocks` blocks at `p` (at most [`BATCH`]) into `newlines` and
    /// `candidates`, and their line ends into `ends`; bit `j` of the result is set when block `j`
    /// has candidates. Not inlined: on its own the probes stay in registers, where inside the
    /// whole scan they were reloaded from the stack for every block (one pass over 1 GB, AVX2,
    /// one thread: 87.5 ms inlined, 82.5 ms not).
    ///
    /// # Safety
    /// AVX2 must be available, and `p .. p + 64 (blocks - 1) + 64 + PAIR_WINDOW - 1` readable.
    #[target_feature(enable = "avx2,popcnt,bmi1")]
    #[inline(never)]
    unsafe fn batch<const N: usize>(
        p: *const u8,
        blocks: usize,
        probes: &[Probe; N],
        out: Batch,
    ) -> u64 {
        // SAFETY: AVX2 is available and each block's bytes are readable (the caller's promise).
        fill(blocks, out, |j| unsafe { masks(p.add(64 * j), probes) })
    }

    /// [`batch`] with AVX-512.
    ///
    /// # Safety
    /// AVX-512 F and BW must be available, and `p .. p + 64 (blocks - 1) + 64 + PAIR_WINDOW - 1`
    /// readable.
    #[target_feature(enable = "avx2,popcnt,bmi1,avx512f,avx512bw")]
    #[inline(never)]
    unsafe fn batch512<const N: usize>(
        p: *const u8,
        blocks: usize,
        probes: &[Probe; N],
        out: Batch,
    ) -> u64 {
        let wide: [Probe512; N] = std::array::from_fn(|i| Probe512 {
            gap: probes[i].gap,
            byte: probes[i].byte.map(|b| _mm512_broadcast_i64x4(b)),
        });
        // SAFETY: AVX-512 F and BW are available and each block's bytes are readable (the
        // caller's promise).
        fill(blocks, out, |j| unsafe { masks512(p.add(64 * j), &wide) })
    }

    /// The loop of [`batch`], with `masks(j)` giving block `j`'s masks.
    #[inline(always)]
    fn fill(blocks: usize, out: Batch, mut masks: impl FnMut(usize) -> (u64, u64)) -> u64 {
        let (newlines, candidates, ends) = out;
        let mut with_candidates = 0u64;
        let mut len = 0;
        for j in 0..blocks.min(BATCH) {
            let (nl, c) = masks(j);
            newlines[j] = nl;
            candidates[j] = c;
            with_candidates |= u64::from(c != 0) << j;
            // SAFETY: j < BATCH, and each block before it added at most 64 ends to `len`.
            len = unsafe { ends.push(len, j, nl) };
        }
        ends.len = len;
        with_candidates
    }

    /// Reports the candidates of the block at `p`; `line_start` is the start of the line open at
    /// the block's start.
    #[inline(always)]
    fn block_candidates(
        p: usize,
        newlines: u64,
        mut candidates: u64,
        line_start: usize,
        visit: &mut impl Visit,
    ) {
        while candidates != 0 {
            let i = candidates.trailing_zeros();
            // the last newline of this block before the candidate, if any, ends the line before
            let before = newlines & ((1u64 << i) - 1);
            let start = if before == 0 {
                line_start
            } else {
                p + 64 - before.leading_zeros() as usize
            };
            visit.candidate(p + i as usize, start);
            candidates &= candidates - 1;
        }
    }

    /// Reports one block's candidates, then its lines (listed in `ends`, over what it held).
    #[inline(always)]
    fn block(
        p: usize,
        newlines: u64,
        candidates: u64,
        line_start: &mut usize,
        ends: &mut Ends,
        visit: &mut impl Visit,
    ) {
        block_candidates(p, newlines, candidates, *line_start, visit);
        // SAFETY: block 0, nothing before it.
        ends.len = unsafe { ends.push(0, 0, newlines) };
        visit.lines(p, ends.get(), line_start);
    }

    /// The line ends of a batch of blocks, as offsets from the batch's start.
    ///
    /// Listed for the visitor's line loop, so that the loop has one branch per line, taken but
    /// the last time. Walking the newline masks instead has a branch per 64-bit word on whether
    /// it holds another line (0, 1 or 2 of them, as the data has it), mispredicted often: one
    /// pass over 1 GB, one thread, took 89 ms that way and 86 ms this way, though this way runs
    /// 19% more instructions (callgrind, one pass over 2 MB: 3.30 M against 2.78 M).
    struct Ends {
        /// Two spare slots: each block writes two ends whether it has them or not.
        at: [u32; BATCH * 64 + 2],
        len: usize,
    }

    impl Ends {
        #[inline(always)]
        fn new() -> Ends {
            Ends {
                at: [0; BATCH * 64 + 2],
                len: 0,
            }
        }

        /// Writes the ends of block `j` of the batch, whose newline mask is `nl`, after the
        /// first `len` (those of the blocks before it); returns the new count. (The count is
        /// passed along, not kept in `self`, so that the block loop keeps it in a register; a
        /// safe version of the two writes below, bounded by `len.min(64 * BATCH)`, ran one pass
        /// over 1 GB on one thread 1-3% slower: fastest of 9, 73.6-77.2 ms against 72.0-73.6 ms.)
        ///
        /// # Safety
        /// `j < BATCH` and `len <= 64 j` (what the blocks before block `j` can have added).
        #[inline(always)]
        unsafe fn push(&mut self, len: usize, j: usize, nl: u64) -> usize {
            debug_assert!(j < BATCH && len <= 64 * j);
            let base = (64 * j) as u32;
            let mut m = nl;
            // The first two without a branch: blocks hold at most two lines unless lines are
            // shorter than 32 bytes on average.
            // SAFETY: `len <= 64 j <= 64 (BATCH - 1)` (the caller's promise), so `len + 1 <
            // BATCH * 64 + 2`, the array's length.
            unsafe {
                *self.at.get_unchecked_mut(len) = base + m.trailing_zeros();
                m &= m.wrapping_sub(1);
                *self.at.get_unchecked_mut(len + 1) = base + m.trailing_zeros();
            }
            let count = nl.count_ones() as usize;
            if count > 2 {
                m &= m.wrapping_sub(1);
                let mut k = len + 2;
                while m != 0 {
                    // in bounds: k < len + 64 <= 64 BATCH
                    self.at[k] = base + m.trailing_zeros();
                    m &= m - 1;
                    k += 1;
                }
            }
            len + count
        }

        #[inline(always)]
        fn get(&self) -> &[u32] {
            &self.at[..self.len]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Calls = (Vec<(usize, usize)>, Vec<(usize, usize)>);

    #[derive(Default)]
    struct Record(Calls);

    impl Visit for Record {
        fn line(&mut self, start: usize, end: usize) {
            self.0.0.push((start, end));
        }
        fn candidate(&mut self, pos: usize, line_start: usize) {
            self.0.1.push((pos, line_start));
        }
    }

    /// A way to run the scan.
    type Via = fn(&[u8], &[Literal], &mut Record);

    fn calls(body: &[u8], literals: &[Literal], f: Via) -> Calls {
        let mut r = Record::default();
        f(body, literals, &mut r);
        let (lines, mut cands) = r.0;
        cands.dedup();
        (lines, cands)
    }

    /// Candidates where a literal really is (what callers keep), and the lines.
    fn real(body: &[u8], literals: &[Literal], (lines, cands): Calls) -> Calls {
        let cands = cands
            .into_iter()
            .filter(|&(p, line_start)| {
                literals
                    .iter()
                    .any(|l| l.starts_for(body, p, line_start).is_some())
            })
            .collect();
        (lines, cands)
    }

    fn via_scan(body: &[u8], literals: &[Literal], r: &mut Record) {
        scan(body, literals, r);
    }

    /// Each vector kernel the CPU supports, by name, run on its own.
    #[cfg(target_arch = "x86_64")]
    fn kernels() -> Vec<(&'static str, Via)> {
        fn avx2(body: &[u8], literals: &[Literal], r: &mut Record) {
            // SAFETY: only listed when the CPU supports it
            assert!(unsafe { x86::scan(x86::Kernel::Avx2, body, literals, r) });
        }
        fn avx512(body: &[u8], literals: &[Literal], r: &mut Record) {
            // SAFETY: only listed when the CPU supports it
            assert!(unsafe { x86::scan(x86::Kernel::Avx512, body, literals, r) });
        }
        let all: [(_, _, Via); 2] = [
            ("avx2", x86::Kernel::Avx2, avx2),
            ("avx512", x86::Kernel::Avx512, avx512),
        ];
        all.into_iter()
            .filter(|(_, k, _)| k.supported())
            .map(|(name, _, f)| (name, f))
            .collect()
    }

    #[cfg(not(target_arch = "x86_64"))]
    fn kernels() -> Vec<(&'static str, Via)> {
        Vec::new()
    }

    fn via_portable(body: &[u8], literals: &[Literal], r: &mut Record) {
        portable(body, literals, r);
    }

    /// Every line, and every literal start plus its lead with the start of the line holding that
    /// position, by brute force (literals that start in one line and reach into the next are
    /// left out: no line holds them).
    fn expected(body: &[u8], literals: &[Literal]) -> Calls {
        let mut lines = Vec::new();
        let mut line_of = vec![0; body.len()];
        let mut s = 0;
        for (i, &b) in body.iter().enumerate() {
            line_of[i] = s;
            if b == b'\n' {
                lines.push((s, i));
                s = i + 1;
            }
        }
        let mut cands = Vec::new();
        for q in 0..body.len() {
            for l in literals {
                if body[q..].starts_with(&l.bytes) && line_of[q + l.lead] == line_of[q] {
                    cands.push((q + l.lead, line_of[q]));
                }
            }
        }
        cands.sort_unstable();
        cands.dedup();
        (lines, cands)
    }

    #[test]
    fn simd_and_portable_report_the_same_lines_and_literals() {
        let words: [&[u8]; 6] = [
            b"timeout",
            b"connection refused",
            b"x",
            b"\n\nab",
            b"a literal that is longer than the pair window of thirty-two bytes",
            b"zz",
        ];
        let literals: Vec<Literal> = words
            .iter()
            .enumerate()
            .filter_map(|(i, w)| Literal::new(w, i))
            .collect();
        // pseudo-random bodies mixing the literals, their pieces, newlines and noise
        let mut state = 0x1234_5678_9abc_def0u64;
        let mut rnd = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for round in 0..300 {
            let mut body = Vec::new();
            // every tenth body spans several batches of blocks
            let len = (rnd() % if round % 10 == 0 { 3 * 64 * BATCH } else { 700 } as u64) as usize;
            while body.len() < len {
                match rnd() % 6 {
                    0 => body.push(b'\n'),
                    1 => {
                        let w = words[(rnd() % words.len() as u64) as usize];
                        let cut = (rnd() as usize % w.len()) + 1;
                        body.extend_from_slice(&w[..cut]);
                    }
                    2 => body.extend_from_slice(words[(rnd() % words.len() as u64) as usize]),
                    _ => body.push(b"abtimeoucnrfusdz \t"[(rnd() % 18) as usize]),
                }
            }
            body.push(b'\n');
            let lits = &literals[..(round % (literals.len() + 1))];
            let want = expected(&body, lits);
            assert_eq!(
                real(&body, lits, calls(&body, lits, via_scan)),
                want,
                "scan, round {round}"
            );
            for (name, f) in kernels() {
                assert_eq!(
                    real(&body, lits, calls(&body, lits, f)),
                    want,
                    "{name}, round {round}"
                );
            }
            assert_eq!(
                real(&body, lits, calls(&body, lits, via_portable)),
                want,
                "portable, round {round}"
            );
        }
    }

    #[test]
    fn empty_body_and_empty_literal() {
        assert!(Literal::new(b"", 0).is_none());
        let lits = [Literal::new(b"a", 0).unwrap()];
        assert_eq!(calls(b"", &lits, via_scan), (vec![], vec![]));
        assert_eq!(calls(b"", &lits, via_portable), (vec![], vec![]));
    }
}
