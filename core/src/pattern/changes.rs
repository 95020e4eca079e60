//! Change points: binary segmentation of the mean with a penalty (the method and stopping rule of
//! `ruptures.Binseg(model="l2", min_size=5, jump=1).predict(pen)`).
//!
//! Splitting a segment at `b` gains `n1 * n2 / n * (mean1 - mean2)^2` (the drop in the sum of
//! squared deviations). Repeatedly the best split of any segment is taken (ties: the earlier
//! segment; within a segment the earlier index) while its gain exceeds the penalty
//! `2 * sigma^2 * ln(n)`, where `sigma` is the noise level estimated robustly from the first
//! differences, `1.4826 * MAD(diff) / sqrt(2)` (at least 1e-9 of the largest magnitude). Segments
//! are at least [`MIN_SEGMENT`] long. At most [`MAX_CHANGE_POINTS`] points are reported, each the
//! index where a new segment starts, ascending.
//!
//! Before segmenting, each anomaly is replaced by the nearest non-anomalous value before it (after
//! it for leading anomalies), so that a spike is reported as an anomaly and not as two change
//! points around it; and when the series has a `period` p, the mean of each phase `t mod p` is
//! subtracted, so that a cycle is not cut into halves.

use super::stats::median;
use super::{MAX_CHANGE_POINTS, MIN_SEGMENT};

/// 1 / Phi^-1(3/4): turns a MAD into a normal standard deviation.
const MAD_TO_SIGMA: f64 = 1.482_602_218_505_602;

/// Change points of the centred, scaled series (largest magnitude below 2), given its anomalies
/// (ascending indices) and its period, if any.
pub(crate) fn change_points(y: &[f64], anomalies: &[usize], period: Option<usize>) -> Vec<usize> {
    let n = y.len();
    let min_size = MIN_SEGMENT;
    if n < 2 * min_size {
        return Vec::new();
    }
    let mut cleaned = without_anomalies(y, anomalies);
    if let Some(p) = period.filter(|&p| p > 0) {
        deseasonalize(&mut cleaned, p);
    }
    let y = cleaned.as_slice();
    let mut diffs: Vec<f64> = y.windows(2).map(|w| w[1] - w[0]).collect();
    let mid = median(&mut diffs).unwrap_or(0.0);
    for d in &mut diffs {
        *d = (*d - mid).abs();
    }
    let mad = median(&mut diffs).unwrap_or(0.0);
    let sigma = (MAD_TO_SIGMA * mad / std::f64::consts::SQRT_2).max(1e-9);
    let penalty = 2.0 * sigma * sigma * libm::log(n as f64);

    // Segments [start, end) with their best split and its gain.
    let mut segments = vec![best_split(y, 0, n, min_size)];
    let mut points = Vec::new();
    while points.len() < MAX_CHANGE_POINTS {
        let mut pick: Option<usize> = None;
        for (i, s) in segments.iter().enumerate() {
            if s.split.is_some() && pick.is_none_or(|p| s.gain > segments[p].gain) {
                pick = Some(i);
            }
        }
        let Some(i) = pick else { break };
        let seg = segments[i];
        let Some(b) = seg.split else { break };
        if seg.gain <= penalty {
            break;
        }
        points.push(b);
        segments[i] = best_split(y, seg.start, b, min_size);
        segments.insert(i + 1, best_split(y, b, seg.end, min_size));
    }
    points.sort_unstable();
    points
}

/// `y` with each anomaly replaced by the previous non-anomalous value (the next one at the start).
fn without_anomalies(y: &[f64], anomalies: &[usize]) -> Vec<f64> {
    let mut out = y.to_vec();
    if anomalies.is_empty() {
        return out;
    }
    let mut is_anomaly = vec![false; y.len()];
    for &i in anomalies {
        is_anomaly[i] = true;
    }
    let first_good = (0..y.len()).find(|&i| !is_anomaly[i]);
    let Some(first_good) = first_good else {
        return out;
    };
    let mut last = y[first_good];
    for (v, &bad) in out.iter_mut().zip(&is_anomaly) {
        if bad {
            *v = last;
        } else {
            last = *v;
        }
    }
    out
}

/// Subtracts from each value the mean of its phase `t mod period` (sums in index order).
fn deseasonalize(y: &mut [f64], period: usize) {
    let mut sums = vec![0.0f64; period];
    let mut counts = vec![0usize; period];
    for (t, &v) in y.iter().enumerate() {
        sums[t % period] += v;
        counts[t % period] += 1;
    }
    for (t, v) in y.iter_mut().enumerate() {
        *v -= sums[t % period] / counts[t % period] as f64;
    }
}

#[derive(Debug, Clone, Copy)]
struct Segment {
    start: usize,
    end: usize,
    split: Option<usize>,
    gain: f64,
}

fn best_split(y: &[f64], start: usize, end: usize, min_size: usize) -> Segment {
    let mut seg = Segment {
        start,
        end,
        split: None,
        gain: f64::NEG_INFINITY,
    };
    let len = end - start;
    if len < 2 * min_size {
        return seg;
    }
    let total: f64 = y[start..end].iter().sum();
    let mut left: f64 = y[start..start + min_size - 1].iter().sum();
    let lf = len as f64;
    for b in start + min_size..=end - min_size {
        left += y[b - 1];
        let n1 = (b - start) as f64;
        let n2 = (end - b) as f64;
        let diff = left / n1 - (total - left) / n2;
        let gain = n1 * n2 / lf * diff * diff;
        if gain > seg.gain {
            seg.gain = gain;
            seg.split = Some(b);
        }
    }
    seg
}
