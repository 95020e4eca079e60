//! The real FFT (the half-length packing over [`super::dft`]), the power spectrum and the
//! autocorrelation.
//!
//! A real series of even length `n` is packed into `n/2` complex values, transformed, and split
//! into the `n/2 + 1` bins of the real transform; odd lengths use a full complex transform.

use super::dft::{C, Plans};
use super::stats::nsum;
use super::{DIRECT_ACF_MAX_N, Peak, Spectrum};

/// FFT tables and buffers reused across series (one per worker in batches).
#[derive(Default)]
pub struct Workspace {
    plans: Plans,
    buffer: Vec<C>,
}

impl std::fmt::Debug for Workspace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Workspace")
            .field("lengths", &self.plans.lengths())
            .finish_non_exhaustive()
    }
}

impl Workspace {
    pub fn new() -> Self {
        Self::default()
    }

    /// The real FFT of `x`: bins `0..=n/2`.
    pub(crate) fn rfft(&mut self, x: &[f64]) -> Vec<C> {
        let n = x.len();
        if n < 2 {
            return x.iter().map(|&v| C::new(v, 0.0)).collect();
        }
        if n % 2 == 1 {
            let mut buf: Vec<C> = x.iter().map(|&v| C::new(v, 0.0)).collect();
            self.plans.forward(&mut buf);
            buf.truncate(n / 2 + 1);
            return buf;
        }
        let h = n / 2;
        let mut z = std::mem::take(&mut self.buffer);
        z.clear();
        z.extend(x.chunks_exact(2).map(|p| C::new(p[0], p[1])));
        self.plans.forward(&mut z);
        let w = self.plans.twiddles(n);
        let mut out = Vec::with_capacity(h + 1);
        for k in 0..=h {
            let zk = z[k % h];
            let zc = z[(h - k) % h].conj();
            let even = (zk + zc).scale(0.5);
            let d = zk - zc;
            // (zk - zc) / 2i
            let odd = C::new(d.im * 0.5, -d.re * 0.5);
            out.push(even + w[k] * odd);
        }
        self.buffer = z;
        out
    }

    /// Power shares of the non-DC bins of the centred series, their top `top`, centroid and
    /// normalized entropy.
    pub(crate) fn spectrum(&mut self, centred: &[f64], top: usize) -> Spectrum {
        let n = centred.len();
        let empty = Spectrum {
            dominant: Vec::new(),
            centroid: None,
            entropy: None,
        };
        if n < 2 {
            return empty;
        }
        let bins = self.rfft(centred);
        let power: Vec<f64> = bins[1..]
            .iter()
            .map(|c| c.re * c.re + c.im * c.im)
            .collect();
        let total = nsum(power.iter().copied());
        if total <= 0.0 || !total.is_finite() {
            return empty;
        }
        let nf = n as f64;
        let share: Vec<f64> = power.iter().map(|&p| p / total).collect();
        let centroid = nsum(
            share
                .iter()
                .enumerate()
                .map(|(i, &p)| (i + 1) as f64 / nf * p),
        );
        let entropy = if share.len() < 2 {
            0.0
        } else {
            let h = nsum(
                share
                    .iter()
                    .filter(|&&p| p > 0.0)
                    .map(|&p| -p * libm::log(p)),
            );
            h / libm::log(share.len() as f64)
        };
        let dominant = top_indices(&share, top)
            .into_iter()
            .map(|i| {
                let k = (i + 1) as f64;
                Peak {
                    frequency: k / nf,
                    period: nf / k,
                    power: share[i],
                }
            })
            .collect();
        Spectrum {
            dominant,
            centroid: Some(centroid),
            entropy: Some(entropy),
        }
    }

    /// Normalized autocorrelation `r_k = sum_t y_t y_{t+k} / sum_t y_t^2` of the centred series
    /// for lags `0..=lags` (at most `n - 1`): direct sums up to [`DIRECT_ACF_MAX_N`] points, else
    /// through the FFT of the series zero-padded to a power of two `>= n + lags + 1`.
    /// The series must not be all zeros.
    pub(crate) fn autocorrelation(&mut self, centred: &[f64], lags: usize) -> Vec<f64> {
        let n = centred.len();
        if n == 0 {
            return Vec::new();
        }
        let lags = lags.min(n - 1);
        let c: Vec<f64> = if n <= DIRECT_ACF_MAX_N {
            (0..=lags)
                .map(|k| {
                    nsum(
                        centred[..n - k]
                            .iter()
                            .zip(&centred[k..])
                            .map(|(a, b)| a * b),
                    )
                })
                .collect()
        } else {
            let m = (n + lags + 1).next_power_of_two();
            let mut padded = vec![0.0; m];
            padded[..n].copy_from_slice(centred);
            let x = self.rfft(&padded);
            // |X|^2 is real and even, so its inverse transform is its forward transform / m.
            let mut p = vec![0.0; m];
            for (k, v) in x.iter().enumerate() {
                let q = v.norm_sqr();
                p[k] = q;
                if k > 0 && k < m - k {
                    p[m - k] = q;
                }
            }
            let back = self.rfft(&p);
            back[..=lags].iter().map(|v| v.re).collect()
        };
        let c0 = c[0];
        c.iter().map(|&v| v / c0).collect()
    }
}

/// Indices of the `top` largest values, largest first; ties by lower index.
pub(crate) fn top_indices(values: &[f64], top: usize) -> Vec<usize> {
    let top = top.min(values.len());
    if top == 0 {
        return Vec::new();
    }
    let mut best: Vec<usize> = Vec::with_capacity(top + 1);
    for (i, &v) in values.iter().enumerate() {
        if best.len() == top && v <= values[best[top - 1]] {
            continue;
        }
        let at = best.partition_point(|&j| values[j] >= v);
        best.insert(at, i);
        best.truncate(top);
    }
    best
}
