// Series features (`seriesFeatures`, core/src/pattern, docs/pattern.md). JS computes a SUBSET of the
// WASM result: n, mean, std (sample, ddof 1), population_std, min, max, percentiles p5..p99 (numpy's
// linear interpolation with its `_lerp`), slope/intercept/r2 of the least-squares line on the index,
// and roughness (mean absolute second difference). The WASM side computes the full features
// (also skewness, kurtosis, MAD, FFT spectrum, autocorrelation, period, anomalies, change points,
// complexity, uniqueness), so its timing covers more work: the table labels the row "JS subset".
//
// Equality: the subset's keys agree within 1e-9 relative (absolute for values near 0). JS sums in
// index order with plain addition; the core scales the values by a power of two and uses
// Neumaier-compensated sums, so the last bits may differ. min, max, n and percentiles of the same
// sorted values are compared with the same tolerance for simplicity (they are in fact exact).

import { rng } from "./text.js";

const KEYS = ["n", "mean", "std", "population_std", "min", "max", "slope", "intercept", "r2", "roughness"];
const PCTS = ["p5", "p25", "p50", "p75", "p95", "p99"];
export const SERIES_TOLERANCE = 1e-9;

/** A noisy series with a trend, a period of 24 and a level shift: deterministic from the seed. */
export function generateSeries(n, seed = 31) {
  const r = rng(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const noise = (r() + r() + r() - 1.5) * 2;
    out[i] = 100 + 0.01 * i + 5 * Math.sin((2 * Math.PI * i) / 24) + noise + (i > n * 0.6 ? 8 : 0);
  }
  return out;
}

/** numpy's linear percentile of sorted values (virtual index (n-1)p/100, numpy's `_lerp`). */
export function percentile(sorted, p) {
  const n = sorted.length;
  if (n === 0) return null;
  const vi = (n - 1) * (p / 100);
  const lo = Math.floor(vi);
  const t = vi - lo;
  const i = Math.min(lo, n - 1);
  const a = sorted[i];
  const b = sorted[Math.min(i + 1, n - 1)];
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/** `v * 2^k`, exact (in steps, as 2^k alone may not fit an f64). */
function scalbn(v, k) {
  while (k > 1000) {
    v *= 2 ** 1000;
    k -= 1000;
  }
  while (k < -1000) {
    v *= 2 ** -1000;
    k += 1000;
  }
  return v * 2 ** k;
}

/** The JS subset of the features of `values` (a Float64Array or number[] of finite numbers). */
export function seriesSubset(values) {
  const x = Float64Array.from(values);
  const n = x.length;
  // As the core: divide by a power of two near the largest magnitude (exact) so that squares of
  // 1e300 or 1e-300 stay in range; scaled quantities go back with `back` (null if not finite).
  let maxAbs = 0;
  for (let i = 0; i < n; i++) maxAbs = Math.max(maxAbs, Math.abs(x[i]));
  const exp = maxAbs === 0 ? 0 : Math.floor(Math.log2(maxAbs)) + 1;
  const y = exp === 0 ? x : x.map((v) => scalbn(v, -exp));
  const back = (v) => {
    const b = scalbn(v, exp);
    return Number.isFinite(b) ? b : null;
  };
  const out = { n, mean: null, std: null, population_std: null, min: null, max: null, slope: null, intercept: null, r2: null, roughness: null };
  out.percentiles = Object.fromEntries(PCTS.map((k) => [k, null]));
  if (n === 0) return out;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += y[i];
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (y[i] - mean) * (y[i] - mean);
  out.mean = back(mean);
  out.population_std = back(Math.sqrt(ss / n));
  if (n >= 2) out.std = back(Math.sqrt(ss / (n - 1)));
  const sorted = x.slice().sort(); // TypedArray sort is numeric
  out.min = sorted[0];
  out.max = sorted[n - 1];
  for (const k of PCTS) out.percentiles[k] = percentile(sorted, Number(k.slice(1)));
  if (n >= 2) {
    const tbar = (n - 1) / 2;
    let sxx = 0;
    let sxy = 0;
    for (let t = 0; t < n; t++) {
      const d = t - tbar;
      sxx += d * d;
      sxy += d * (y[t] - mean);
    }
    const slope = sxy / sxx;
    out.slope = back(slope);
    out.intercept = back(mean - slope * tbar);
    if (out.min !== out.max) {
      const r = Math.min(1, Math.max(-1, sxy / Math.sqrt(sxx * ss)));
      out.r2 = r * r;
    }
  }
  if (n >= 3) {
    let rough = 0;
    for (let i = 0; i + 2 < n; i++) rough += Math.abs(y[i + 2] - y[i + 1] - (y[i + 1] - y[i]));
    out.roughness = back(rough / (n - 2));
  }
  return out;
}

function close(a, b) {
  if (a === null || b === null || a === undefined || b === undefined) return a === b;
  if (a === b) return true;
  return Math.abs(a - b) <= SERIES_TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b));
}

/** The JS subset equals the same keys of a full `seriesFeatures` result (either argument order). */
export function sameSubset(a, b) {
  if (!a || !b || !a.percentiles || !b.percentiles) return false;
  return KEYS.every((k) => close(a[k], b[k])) && PCTS.every((k) => close(a.percentiles[k], b.percentiles[k]));
}

export const series = {
  name: "series-features",
  title: "Series features (JS subset)",
  unit: "values",
  sizes: { small: 20_000, medium: 200_000, large: 1_000_000 },
  range: { min: 1, max: 10_000_000 },
  generate: (n) => generateSeries(n),
  js: (values) => seriesSubset(values),
  // The full features; only the subset's keys go back (the equality check needs no more).
  wasm: (api, values) => {
    const f = api.seriesFeatures(values);
    const o = { percentiles: { ...f.percentiles } };
    for (const k of KEYS) o[k] = f[k];
    return o;
  },
  equal: sameSubset,
  describe: (values) => `${values.length.toLocaleString("en")} values`,
  pending: (api) => (typeof api.seriesFeatures === "function" ? null : "the loaded WASM package has no seriesFeatures export"),
};
