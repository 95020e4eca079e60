//! Moments, percentiles, robust statistics, trend, roughness, period, complexity and uniqueness.
//!
//! Formulas follow numpy/scipy defaults (documented per function) so that fixtures made with them
//! agree to 1e-9; sums are Neumaier-compensated in index order.

use super::{ANOMALY_Z, MIN_PERIOD_PROMINENCE, MIN_PERIOD_STRENGTH, Period};

/// Index-order sum with Neumaier compensation.
pub(crate) fn nsum(values: impl IntoIterator<Item = f64>) -> f64 {
    let mut sum = 0.0f64;
    let mut comp = 0.0f64;
    for v in values {
        let t = sum + v;
        if sum.abs() >= v.abs() {
            comp += (sum - t) + v;
        } else {
            comp += (v - t) + sum;
        }
        sum = t;
    }
    sum + comp
}

/// Median of `values` (reordered in place): the middle value, or the mean of the two middle
/// values as numpy computes it, `(a + b) / 2`. `None` when empty.
pub(crate) fn median(values: &mut [f64]) -> Option<f64> {
    let n = values.len();
    if n == 0 {
        return None;
    }
    let (left, &mut mid, _) = values.select_nth_unstable_by(n / 2, f64::total_cmp);
    if n % 2 == 1 {
        return Some(mid);
    }
    let below = left.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    Some((below + mid) / 2.0)
}

/// The values divided by a power of two near their largest magnitude (exact), so that squares
/// and fourth powers of 1e300 or 1e-300 stay in range. `back` undoes the scaling.
pub(crate) struct Scaled {
    pub y: Vec<f64>,
    exp: i32,
}

impl Scaled {
    pub fn new(values: &[f64]) -> Self {
        let max_abs = values.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        let exp = if max_abs == 0.0 {
            0
        } else {
            libm::frexp(max_abs).1
        };
        let y = values.iter().map(|&v| libm::scalbn(v, -exp)).collect();
        Self { y, exp }
    }

    /// A scaled quantity in the input's units; `None` if it does not fit an f64.
    pub fn back(&self, v: Option<f64>) -> Option<f64> {
        v.map(|v| libm::scalbn(v, self.exp))
            .filter(|v| v.is_finite())
    }
}

/// The input sorted ascending (for percentiles, min, max and uniqueness).
pub(crate) fn sorted(values: &[f64]) -> Vec<f64> {
    let mut s = values.to_vec();
    s.sort_unstable_by(f64::total_cmp);
    s
}

/// Central moments in scaled units.
pub(crate) struct Moments {
    pub mean: Option<f64>,
    pub sample_std: Option<f64>,
    pub population_std: Option<f64>,
    pub skewness: Option<f64>,
    pub kurtosis: Option<f64>,
}

/// Mean; standard deviations with ddof 1 and 0; skewness `m3 / m2^1.5` and excess kurtosis
/// `m4 / m2^2 - 3` from population moments (scipy's `skew` and `kurtosis` defaults, including
/// their rule that `m2 <= (1e-15 * mean)^2` counts as zero variance, which gives `None`).
pub(crate) fn moments(y: &[f64]) -> Moments {
    let n = y.len();
    if n == 0 {
        return Moments {
            mean: None,
            sample_std: None,
            population_std: None,
            skewness: None,
            kurtosis: None,
        };
    }
    let nf = n as f64;
    let mean = nsum(y.iter().copied()) / nf;
    let ss = nsum(y.iter().map(|&v| (v - mean) * (v - mean)));
    let m2 = ss / nf;
    let m3 = nsum(y.iter().map(|&v| (v - mean) * (v - mean) * (v - mean))) / nf;
    let m4 = nsum(y.iter().map(|&v| {
        let d = (v - mean) * (v - mean);
        d * d
    })) / nf;
    let zero = m2 <= (1e-15 * mean) * (1e-15 * mean);
    Moments {
        mean: Some(mean),
        sample_std: (n >= 2).then(|| (ss / (nf - 1.0)).sqrt()),
        population_std: Some(m2.sqrt()),
        skewness: (!zero).then(|| m3 / libm::pow(m2, 1.5)),
        kurtosis: (!zero).then(|| m4 / (m2 * m2) - 3.0),
    }
}

/// numpy's default (`linear`) percentile of sorted values: virtual index `(n - 1) * p / 100`,
/// interpolated with numpy's `_lerp` (from the upper neighbour when the fraction is >= 0.5).
pub(crate) fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    let virtual_index = (n - 1) as f64 * (p / 100.0);
    let lo = virtual_index.floor();
    let t = virtual_index - lo;
    let i = (lo as usize).min(n - 1);
    let a = sorted[i];
    let b = sorted[(i + 1).min(n - 1)];
    let lerp = |a: f64, b: f64| {
        let diff = b - a;
        if t >= 0.5 {
            b - diff * (1.0 - t)
        } else {
            a + diff * t
        }
    };
    let v = lerp(a, b);
    // b - a overflows only for neighbours of opposite sign near f64::MAX: halve both.
    let v = if v.is_finite() {
        v
    } else {
        lerp(a / 2.0, b / 2.0) * 2.0
    };
    Some(v)
}

/// The median and the median absolute deviation (scipy's `median_abs_deviation`, scale 1).
pub(crate) struct Robust {
    pub median: Option<f64>,
    pub mad: Option<f64>,
    mean_ad: f64,
}

impl Robust {
    pub fn new(y: &[f64]) -> Self {
        let mut work = y.to_vec();
        let Some(median) = median(&mut work) else {
            return Self {
                median: None,
                mad: None,
                mean_ad: 0.0,
            };
        };
        for (w, &v) in work.iter_mut().zip(y) {
            *w = (v - median).abs();
        }
        let mean_ad = nsum(work.iter().copied()) / y.len() as f64;
        let mad = self::median(&mut work);
        Self {
            median: Some(median),
            mad,
            mean_ad,
        }
    }

    /// Indices whose modified z-score `0.6745 * (y - median) / MAD` exceeds 3.5 in magnitude
    /// (Iglewicz and Hoaglin). When the MAD is zero (over half the values equal), the score is
    /// `(y - median) / (1.253314 * mean absolute deviation)`; when that is zero too, none.
    pub fn anomalies(&self, y: &[f64]) -> Vec<usize> {
        let (Some(median), Some(mad)) = (self.median, self.mad) else {
            return Vec::new();
        };
        let score: Box<dyn Fn(f64) -> f64> = if mad > 0.0 {
            Box::new(move |v| 0.6745 * (v - median) / mad)
        } else if self.mean_ad > 0.0 {
            let d = 1.253314 * self.mean_ad;
            Box::new(move |v| (v - median) / d)
        } else {
            return Vec::new();
        };
        y.iter()
            .enumerate()
            .filter(|&(_, &v)| score(v).abs() > ANOMALY_Z)
            .map(|(i, _)| i)
            .collect()
    }
}

/// Anomalies judged within each segment between change points (a level shift moves the median).
pub(crate) fn segment_anomalies(y: &[f64], change_points: &[usize]) -> Vec<usize> {
    let mut bounds = Vec::with_capacity(change_points.len() + 2);
    bounds.push(0);
    bounds.extend_from_slice(change_points);
    bounds.push(y.len());
    let mut out = Vec::new();
    for w in bounds.windows(2) {
        let segment = &y[w[0]..w[1]];
        let found = Robust::new(segment).anomalies(segment);
        out.extend(found.into_iter().map(|i| i + w[0]));
    }
    out
}

/// Least squares line on the index, as scipy's `linregress(range(n), y)`.
pub(crate) struct Trend {
    pub slope: Option<f64>,
    pub intercept: Option<f64>,
    pub r2: Option<f64>,
}

/// `r2` is `None` for a constant series (0/0); all three are `None` below two points.
pub(crate) fn trend(y: &[f64], mean: Option<f64>) -> Trend {
    let n = y.len();
    let none = Trend {
        slope: None,
        intercept: None,
        r2: None,
    };
    let Some(mean) = mean else { return none };
    if n < 2 {
        return none;
    }
    let tbar = (n - 1) as f64 / 2.0;
    let sxx = nsum((0..n).map(|t| (t as f64 - tbar) * (t as f64 - tbar)));
    let sxy = nsum(
        y.iter()
            .enumerate()
            .map(|(t, &v)| (t as f64 - tbar) * (v - mean)),
    );
    let syy = nsum(y.iter().map(|&v| (v - mean) * (v - mean)));
    let slope = sxy / sxx;
    let constant = y.iter().all(|&v| v == y[0]);
    let r2 = (!constant).then(|| {
        let r = (sxy / (sxx * syy).sqrt()).clamp(-1.0, 1.0);
        r * r
    });
    Trend {
        slope: Some(slope),
        intercept: Some(mean - slope * tbar),
        r2,
    }
}

/// Mean absolute second difference, `mean(|diff(y, 2)|)` as numpy computes `diff` twice.
pub(crate) fn roughness(y: &[f64]) -> Option<f64> {
    let n = y.len();
    if n < 3 {
        return None;
    }
    let sum = nsum(y.windows(3).map(|w| ((w[2] - w[1]) - (w[1] - w[0])).abs()));
    Some(sum / (n - 2) as f64)
}

/// The lag in `2..=n/2` with the highest autocorrelation among local maxima
/// (`r[p] > r[p-1]` and `r[p] >= r[p+1]`) that are at least `max(0.3, 3 / sqrt(n))` and rise at
/// least 0.3 above the lowest autocorrelation at lags `1..p` (so the slow decay of a trend or a
/// step is no period). Ties: lower lag.
pub(crate) fn period(acf: &[f64], n: usize) -> Option<Period> {
    let last = (n / 2).min(acf.len().saturating_sub(1));
    let threshold = MIN_PERIOD_STRENGTH.max(3.0 / (n as f64).sqrt());
    let mut best: Option<Period> = None;
    let mut trough = acf.get(1).copied().unwrap_or(0.0);
    for p in 2..=last {
        trough = trough.min(acf[p - 1]);
        let r = acf[p];
        let right = acf.get(p + 1).copied().unwrap_or(f64::NEG_INFINITY);
        if r > acf[p - 1]
            && r >= right
            && r >= threshold
            && r - trough >= MIN_PERIOD_PROMINENCE
            && best.is_none_or(|b| r > b.strength)
        {
            best = Some(Period {
                lag: p,
                strength: r,
            });
        }
    }
    best
}

/// Normalized permutation entropy (Bandt and Pompe) of order 3, delay 1: the Shannon entropy of
/// the ordinal patterns of consecutive triples divided by `ln 3!`, in `[0, 1]`. Equal values are
/// ordered by position (numpy's stable argsort). Invariant under any increasing transform of the
/// values (so under scaling and shifting). `None` below three points.
pub(crate) fn permutation_entropy(values: &[f64]) -> Option<f64> {
    if values.len() < 3 {
        return None;
    }
    let mut counts = [0usize; 8];
    for w in values.windows(3) {
        let code = (usize::from(w[0] <= w[1]) << 2)
            | (usize::from(w[0] <= w[2]) << 1)
            | usize::from(w[1] <= w[2]);
        counts[code] += 1;
    }
    let total = (values.len() - 2) as f64;
    let h = nsum(counts.iter().filter(|&&c| c > 0).map(|&c| {
        let p = c as f64 / total;
        -p * libm::log(p)
    }));
    Some(h / libm::log(6.0))
}

/// Distinct values divided by `n` (`-0.0 == 0.0`): 1 when no value repeats, `1/n` for a
/// constant series. Invariant under scaling and shifting up to rounding. `None` when empty.
pub(crate) fn uniqueness(sorted: &[f64]) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let distinct = 1 + sorted.windows(2).filter(|w| w[0] != w[1]).count();
    Some(distinct as f64 / sorted.len() as f64)
}
