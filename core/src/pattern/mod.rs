//! Features of numeric series: statistics, spectrum, autocorrelation, trend, anomalies, change
//! points, complexity. See `docs/pattern.md` for every key's definition.
//!
//! [`analyze`] computes [`Features`] for one series; [`analyze_batch`] runs many series through
//! [`crate::par`] (results in input order, identical on any thread count). [`input`] parses CSV,
//! JSON arrays and JSON Lines into series.
//!
//! Exactness and determinism:
//! - Every sum runs in index order with Neumaier compensation, so results are at least as accurate
//!   as numpy's pairwise sums and never depend on threads.
//! - Values are first scaled by a power of two (exact) so that 1e300 or 1e-300 series give finite
//!   moments; quantities that do not fit an f64 after scaling back are `None` (JSON `null`).
//! - Transcendental functions (`ln`, `pow`, `sin`, `cos`) go through `libm`.
//! - The FFT ([`dft`]) is our own radix-2/4 plus Bluestein transform with `libm` twiddles, so
//!   spectra and autocorrelations are bit-identical natively and in WASM too (rustfft computes its
//!   twiddles with the platform's `sin`/`cos`, which differ between glibc and the WASM `libm` port
//!   in the last bit for about 3% of angles).

mod changes;
mod dft;
mod fft;
pub mod input;
mod stats;
#[cfg(test)]
mod tests;

use std::fmt;

use serde::Serialize;

pub use fft::Workspace;
pub use input::{InputError, Series};

/// Default number of autocorrelation lags reported (`--max-lag`).
pub const DEFAULT_MAX_LAG: usize = 50;
/// Default number of dominant frequencies reported (`--top`).
pub const DEFAULT_TOP: usize = 3;
/// Series up to this length get their autocorrelation by direct sums; longer ones through the FFT.
pub const DIRECT_ACF_MAX_N: usize = 256;
/// Robust z-score above which a point is an anomaly (Iglewicz and Hoaglin).
pub const ANOMALY_Z: f64 = 3.5;
/// At most this many change points are reported (the strongest first found by binary segmentation).
pub const MAX_CHANGE_POINTS: usize = 64;
/// Minimum segment length between change points (at least the period when there is one).
pub const MIN_SEGMENT: usize = 5;
/// Minimum autocorrelation for a `period` (also at least 3/sqrt(n)).
pub const MIN_PERIOD_STRENGTH: f64 = 0.3;
/// Minimum rise of a `period` peak above the lowest autocorrelation at shorter lags.
pub const MIN_PERIOD_PROMINENCE: f64 = 0.3;

/// What to compute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Report autocorrelation lags `0..=max_lag` (clipped to `n - 1`).
    pub max_lag: usize,
    /// Report this many dominant frequencies.
    pub top: usize,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            max_lag: DEFAULT_MAX_LAG,
            top: DEFAULT_TOP,
        }
    }
}

/// The six percentiles (numpy's default linear interpolation).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Percentiles {
    pub p5: Option<f64>,
    pub p25: Option<f64>,
    pub p50: Option<f64>,
    pub p75: Option<f64>,
    pub p95: Option<f64>,
    pub p99: Option<f64>,
}

/// One dominant frequency of the power spectrum.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Peak {
    /// Cycles per sample, `k / n`.
    pub frequency: f64,
    /// Samples per cycle, `n / k`.
    pub period: f64,
    /// Share of the non-DC power in this bin, in `[0, 1]`.
    pub power: f64,
}

/// The real-FFT power spectrum without the DC term.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Spectrum {
    /// The `top` bins of highest power, highest first (ties: lower frequency first).
    pub dominant: Vec<Peak>,
    /// Power-weighted mean frequency (cycles per sample).
    pub centroid: Option<f64>,
    /// Shannon entropy of the power shares divided by `ln(bins)`, in `[0, 1]`.
    pub entropy: Option<f64>,
}

/// The strongest repetition found in the autocorrelation.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Period {
    pub lag: usize,
    pub strength: f64,
}

/// All features of one series. `None` (JSON `null`) where a value is undefined (too few points,
/// zero variance) or does not fit an f64.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Features {
    pub n: usize,
    pub mean: Option<f64>,
    pub std: Option<f64>,
    pub population_std: Option<f64>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub percentiles: Percentiles,
    pub skewness: Option<f64>,
    pub kurtosis: Option<f64>,
    pub mad: Option<f64>,
    pub slope: Option<f64>,
    pub intercept: Option<f64>,
    pub r2: Option<f64>,
    pub roughness: Option<f64>,
    pub spectrum: Spectrum,
    pub autocorrelation: Option<Vec<f64>>,
    pub period: Option<Period>,
    pub anomalies: Vec<usize>,
    pub change_points: Vec<usize>,
    pub complexity: Option<f64>,
    pub uniqueness: Option<f64>,
}

/// One series' line of `conclave pattern --format json` (and the npm package's `seriesFeatures`):
/// its id, how many invalid values were left out, then its features.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Record<'a> {
    pub id: &'a str,
    pub skipped: usize,
    #[serde(flatten)]
    pub features: &'a Features,
}

/// Why a series cannot be analysed.
#[derive(Debug, Clone, PartialEq)]
pub enum PatternError {
    /// A value is NaN or infinite.
    NotFinite { index: usize, value: f64 },
}

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotFinite { index, value } => {
                write!(f, "value {index}: {value} is not a finite number")
            }
        }
    }
}

impl std::error::Error for PatternError {}

/// Features of one series.
pub fn analyze(values: &[f64], options: &Options) -> Result<Features, PatternError> {
    Workspace::new().analyze(values, options)
}

/// Features of many series, in parallel with the `parallel` feature; results in input order.
pub fn analyze_batch<S: AsRef<[f64]> + Sync>(
    series: &[S],
    options: &Options,
) -> Vec<Result<Features, PatternError>> {
    crate::par::map_tasks_with(series.len(), Workspace::new, |ws, i| {
        ws.analyze(series[i].as_ref(), options)
    })
}

impl Workspace {
    /// Features of one series, reusing this workspace's FFT plans and buffers.
    pub fn analyze(&mut self, values: &[f64], options: &Options) -> Result<Features, PatternError> {
        if let Some(index) = values.iter().position(|v| !v.is_finite()) {
            return Err(PatternError::NotFinite {
                index,
                value: values[index],
            });
        }
        let n = values.len();
        let s = stats::Scaled::new(values);
        let moments = stats::moments(&s.y);
        let sorted = stats::sorted(values);
        let (min, max) = match (sorted.first(), sorted.last()) {
            (Some(&lo), Some(&hi)) => (Some(lo), Some(hi)),
            _ => (None, None),
        };
        let constant = n == 0 || min == max;
        let percentile = |p: f64| stats::percentile(&sorted, p);
        let percentiles = Percentiles {
            p5: percentile(5.0),
            p25: percentile(25.0),
            p50: percentile(50.0),
            p75: percentile(75.0),
            p95: percentile(95.0),
            p99: percentile(99.0),
        };
        let robust = stats::Robust::new(&s.y);
        let trend = stats::trend(&s.y, moments.mean);
        // Centred scaled values: the FFT and change points work on these.
        let centred: Vec<f64> = match moments.mean {
            Some(m) => s.y.iter().map(|&v| v - m).collect(),
            None => Vec::new(),
        };
        let (spectrum, autocorrelation, period) = if constant {
            let spectrum = Spectrum {
                dominant: Vec::new(),
                centroid: None,
                entropy: None,
            };
            (spectrum, None, None)
        } else {
            let spectrum = self.spectrum(&centred, options.top);
            let acf = self.autocorrelation(&centred, options.max_lag.max(n / 2 + 1));
            let period = stats::period(&acf, n);
            let shown = acf[..acf.len().min(options.max_lag.saturating_add(1))].to_vec();
            (spectrum, Some(shown), period)
        };
        let global_anomalies = robust.anomalies(&s.y);
        let change_points = if constant {
            Vec::new()
        } else {
            changes::change_points(&centred, &global_anomalies, period.map(|p| p.lag))
        };
        let anomalies = if change_points.is_empty() {
            global_anomalies
        } else {
            stats::segment_anomalies(&s.y, &change_points)
        };
        Ok(Features {
            n,
            mean: s.back(moments.mean),
            std: s.back(moments.sample_std),
            population_std: s.back(moments.population_std),
            min,
            max,
            percentiles,
            skewness: moments.skewness,
            kurtosis: moments.kurtosis,
            mad: s.back(robust.mad),
            slope: s.back(trend.slope),
            intercept: s.back(trend.intercept),
            r2: trend.r2,
            roughness: s.back(stats::roughness(&s.y)),
            spectrum,
            autocorrelation,
            period,
            anomalies,
            change_points,
            complexity: stats::permutation_entropy(values),
            uniqueness: stats::uniqueness(&sorted),
        })
    }
}
