//! A complex FFT of any length whose every twiddle factor comes from `libm`, so that it gives the
//! same bits natively and in WASM: depth-first radix-2/4 for powers of two; for other lengths,
//! radix-2 levels down to the odd part, which goes through Bluestein's chirp-z (itself through a
//! power-of-two FFT).
//!
//! Written by hand because rustfft, the usual choice, computes its twiddles with the platform's
//! `sin`/`cos` (glibc natively, the `libm` port in WASM), which differ in the last bit for about
//! 3% of angles, and so would make spectra target-dependent. Arithmetic is plain `+ - *` (Rust
//! never contracts into fused multiply-adds), in a fixed order.

use std::collections::BTreeMap;
use std::ops::{Add, Mul, Sub};

/// A complex number.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(crate) struct C {
    pub re: f64,
    pub im: f64,
}

impl C {
    pub const fn new(re: f64, im: f64) -> Self {
        Self { re, im }
    }
    pub fn conj(self) -> Self {
        Self::new(self.re, -self.im)
    }
    pub fn scale(self, s: f64) -> Self {
        Self::new(self.re * s, self.im * s)
    }
    pub fn norm_sqr(self) -> f64 {
        self.re * self.re + self.im * self.im
    }
}

impl Add for C {
    type Output = C;
    fn add(self, o: C) -> C {
        C::new(self.re + o.re, self.im + o.im)
    }
}

impl Sub for C {
    type Output = C;
    fn sub(self, o: C) -> C {
        C::new(self.re - o.re, self.im - o.im)
    }
}

impl Mul for C {
    type Output = C;
    fn mul(self, o: C) -> C {
        C::new(
            self.re * o.re - self.im * o.im,
            self.re * o.im + self.im * o.re,
        )
    }
}

/// `e^{-2 pi i k / n}` for `k = 0..=n/2` (`n` even), from `libm::sincos` on the first octant and
/// exact symmetries for the rest.
pub(crate) fn twiddle_table(n: usize) -> Vec<C> {
    let h = n / 2;
    let mut w = vec![C::default(); h + 1];
    let angle = |k: usize| std::f64::consts::TAU * k as f64 / n as f64;
    let quarter = if n.is_multiple_of(4) { n / 4 } else { h };
    let eighth = if n.is_multiple_of(8) { n / 8 } else { quarter };
    for (k, slot) in w.iter_mut().enumerate().take(eighth + 1) {
        let (s, c) = libm::sincos(angle(k));
        *slot = C::new(c, -s);
    }
    // cos(2 pi k / n) = sin(2 pi (n/4 - k) / n) on the second octant.
    for k in eighth + 1..=quarter {
        let m = w[quarter - k];
        w[k] = C::new(-m.im, -m.re);
    }
    // cos(2 pi k / n) = -cos(2 pi (n/2 - k) / n), sin equal, on the second quarter.
    for k in quarter + 1..=h {
        let m = w[h - k];
        w[k] = C::new(-m.re, m.im);
    }
    w
}

/// Bluestein's tables for one length `len`: the chirp `e^{-i pi k^2 / len}` and the FFT of its
/// conjugate wrapped onto the power-of-two length `m`.
struct Chirp {
    chirp: Vec<C>,
    filter: Vec<C>,
}

/// Caches keep at most this many lengths.
const CACHE_LIMIT: usize = 8;

/// Twiddle tables and Bluestein tables by length.
#[derive(Default)]
pub(crate) struct Plans {
    twiddles: BTreeMap<usize, Vec<C>>,
    chirps: BTreeMap<usize, Chirp>,
}

impl Plans {
    pub fn lengths(&self) -> Vec<usize> {
        self.twiddles
            .keys()
            .chain(self.chirps.keys())
            .copied()
            .collect()
    }

    /// The twiddle table of length `n` (a power of two or even length), cached.
    pub fn twiddles(&mut self, n: usize) -> &[C] {
        if !self.twiddles.contains_key(&n) {
            if self.twiddles.len() >= CACHE_LIMIT {
                self.twiddles.clear();
            }
            self.twiddles.insert(n, twiddle_table(n));
        }
        &self.twiddles[&n]
    }

    /// The forward DFT of `buf`, in place.
    pub fn forward(&mut self, buf: &mut [C]) {
        let n = buf.len();
        if n <= 1 {
            return;
        }
        if n.is_power_of_two() {
            let tw = self.twiddles(n);
            radix2(buf, tw);
        } else if n.is_multiple_of(2) {
            // One radix-2 level over two half-length transforms: Bluestein then runs on the odd
            // part of the length only, on small cache-resident tables.
            let mut even: Vec<C> = buf.iter().step_by(2).copied().collect();
            let mut odd: Vec<C> = buf.iter().skip(1).step_by(2).copied().collect();
            self.forward(&mut even);
            self.forward(&mut odd);
            let tw = self.twiddles(n);
            let h = n / 2;
            for k in 0..h {
                let v = odd[k] * tw[k];
                buf[k] = even[k] + v;
                buf[k + h] = even[k] - v;
            }
        } else {
            self.bluestein(buf);
        }
    }

    /// Bluestein: `X_k = c_k * sum_j (x_j c_j) conj(c_{k-j})`, the convolution through
    /// power-of-two FFTs. The forward transforms leave their output in bit-reversed order and the
    /// inverse takes it so, which saves two permutations.
    fn bluestein(&mut self, buf: &mut [C]) {
        let len = buf.len();
        let m = (2 * len - 1).next_power_of_two();
        if !self.chirps.contains_key(&len) {
            let chirp: Vec<C> = (0..len as u64)
                .map(|k| {
                    // k^2 mod 2 len keeps the angle small and exact.
                    let q = ((k as u128 * k as u128) % (2 * len as u128)) as f64;
                    let (s, c) = libm::sincos(std::f64::consts::PI * q / len as f64);
                    C::new(c, -s)
                })
                .collect();
            let mut filter = vec![C::default(); m];
            filter[0] = chirp[0].conj();
            for k in 1..len {
                filter[k] = chirp[k].conj();
                filter[m - k] = chirp[k].conj();
            }
            dif(&mut filter, self.twiddles(m), 1);
            if self.chirps.len() >= CACHE_LIMIT {
                self.chirps.clear();
            }
            self.chirps.insert(len, Chirp { chirp, filter });
        }
        self.twiddles(m);
        let (Some(t), Some(tw)) = (self.chirps.get(&len), self.twiddles.get(&m)) else {
            return;
        };
        let mut a = vec![C::default(); m];
        for (slot, (x, c)) in a.iter_mut().zip(buf.iter().zip(&t.chirp)) {
            *slot = *x * *c;
        }
        dif(&mut a, tw, 1);
        // Inverse FFT through conjugation: ifft(z) = conj(fft(conj(z))) / m.
        for (v, f) in a.iter_mut().zip(&t.filter) {
            *v = (*v * *f).conj();
        }
        dit(&mut a, tw, 1);
        let inv = 1.0 / m as f64;
        for (k, out) in buf.iter_mut().enumerate() {
            *out = a[k].conj().scale(inv) * t.chirp[k];
        }
    }
}

/// In-place radix-2 FFT of a power-of-two length `n`; `tw` holds `e^{-2 pi i k / n}` for
/// `k = 0..=n/2`. Decimation in frequency, depth first (each half is finished before the next, so
/// the inner levels run in cache), then the bit-reversal permutation.
fn radix2(buf: &mut [C], tw: &[C]) {
    let n = buf.len();
    if n <= 1 {
        return;
    }
    dif(buf, tw, 1);
    let bits = n.trailing_zeros();
    for i in 0..n {
        let j = i.reverse_bits() >> (usize::BITS - bits);
        if i < j {
            buf.swap(i, j);
        }
    }
}

/// The transform of length 2 (length 1 is itself).
fn butterfly2(buf: &mut [C]) {
    if let [a, b] = buf {
        let (u, v) = (*a, *b);
        *a = u + v;
        *b = u - v;
    }
}

/// Decimation in time from bit-reversed input to natural output: the four quarters, then two
/// radix-2 levels fused into one pass (the same operations as two separate levels, so the same
/// bits, with half the passes over memory).
fn dit(buf: &mut [C], tw: &[C], stride: usize) {
    let n = buf.len();
    if n <= 2 {
        butterfly2(buf);
        return;
    }
    let q = n / 4;
    for quarter in buf.chunks_exact_mut(q) {
        dit(quarter, tw, stride * 4);
    }
    let (lo, hi) = buf.split_at_mut(2 * q);
    let (x0, x1) = lo.split_at_mut(q);
    let (x2, x3) = hi.split_at_mut(q);
    for j in 0..q {
        let w2 = tw[2 * j * stride];
        // Level of size n/2 on each half.
        let (u, v) = (x0[j], x1[j] * w2);
        let (a, b) = (u + v, u - v);
        let (u, v) = (x2[j], x3[j] * w2);
        let (c, d) = (u + v, u - v);
        // Level of size n.
        let v = c * tw[j * stride];
        x0[j] = a + v;
        x2[j] = a - v;
        let v = d * tw[(j + q) * stride];
        x1[j] = b + v;
        x3[j] = b - v;
    }
}

/// Decimation in frequency, natural input to bit-reversed output: two radix-2 levels fused into
/// one pass, then the four quarters (depth first, so the inner levels run in cache).
fn dif(buf: &mut [C], tw: &[C], stride: usize) {
    let n = buf.len();
    if n <= 2 {
        butterfly2(buf);
        return;
    }
    let q = n / 4;
    {
        let (lo, hi) = buf.split_at_mut(2 * q);
        let (x0, x1) = lo.split_at_mut(q);
        let (x2, x3) = hi.split_at_mut(q);
        for j in 0..q {
            // Level of size n.
            let (a, c) = (x0[j], x2[j]);
            let t0 = a + c;
            let t2 = (a - c) * tw[j * stride];
            let (b, d) = (x1[j], x3[j]);
            let t1 = b + d;
            let t3 = (b - d) * tw[(j + q) * stride];
            // Level of size n/2 on each half.
            let w2 = tw[2 * j * stride];
            x0[j] = t0 + t1;
            x1[j] = (t0 - t1) * w2;
            x2[j] = t2 + t3;
            x3[j] = (t2 - t3) * w2;
        }
    }
    for quarter in buf.chunks_exact_mut(q) {
        dif(quarter, tw, stride * 4);
    }
}
