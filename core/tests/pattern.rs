//! Pattern features against fixtures made with numpy/scipy/ruptures by
//! `benches/make-pattern-fixtures` (committed under `tests/fixtures/pattern/`, so no Python here).
//!
//! Tolerance: `|got - want| <= 1e-9 * max(|want|, floor)` where `floor` is 1e-3 for normalized
//! quantities (autocorrelation, power shares, r2, moments ratios, entropies) and 1e-3 times the
//! series' largest magnitude for quantities in the input's units (mean, percentiles, slope...):
//! 1e-9 relative, except that values near zero are compared at 1e-12 of their natural scale.
//! Index lists (anomalies, change points, dominant frequencies, the period lag) must match exactly.

use std::fs;
use std::path::PathBuf;

use conclave_core::pattern::{self, Features, Options};
use serde_json::Value;

fn fixtures() -> Vec<(String, Value)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pattern");
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let text = fs::read_to_string(&p).unwrap();
            let v: Value = serde_json::from_str(&text).unwrap();
            (v["name"].as_str().unwrap().to_owned(), v)
        })
        .collect()
}

struct Check {
    errors: Vec<String>,
    unit_floor: f64,
}

impl Check {
    fn num(&mut self, key: &str, got: Option<f64>, want: &Value, floor: f64) {
        match (got, want.as_f64()) {
            (None, None) if want.is_null() => {}
            (Some(g), Some(w)) => {
                let tol = 1e-9 * w.abs().max(floor);
                if (g - w).abs() > tol || !g.is_finite() {
                    self.errors
                        .push(format!("{key}: got {g:e}, want {w:e} (tolerance {tol:e})"));
                }
            }
            _ => self.errors.push(format!("{key}: got {got:?}, want {want}")),
        }
    }
    fn unit(&mut self, key: &str, got: Option<f64>, want: &Value) {
        let floor = self.unit_floor;
        self.num(key, got, want, floor);
    }
    fn ratio(&mut self, key: &str, got: Option<f64>, want: &Value) {
        self.num(key, got, want, 1e-3);
    }
    fn indices(&mut self, key: &str, got: &[usize], want: &Value) {
        let want: Vec<usize> = want
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap() as usize)
            .collect();
        if got != want.as_slice() {
            self.errors
                .push(format!("{key}: got {got:?}, want {want:?}"));
        }
    }
}

fn compare(f: &Features, want: &Value, max_abs: f64) -> Vec<String> {
    let mut c = Check {
        errors: Vec::new(),
        unit_floor: 1e-3 * max_abs,
    };
    if want["n"].as_u64() != Some(f.n as u64) {
        c.errors.push(format!("n: got {}, want {}", f.n, want["n"]));
    }
    c.unit("mean", f.mean, &want["mean"]);
    c.unit("std", f.std, &want["std"]);
    c.unit("population_std", f.population_std, &want["population_std"]);
    c.unit("min", f.min, &want["min"]);
    c.unit("max", f.max, &want["max"]);
    let p = &f.percentiles;
    let w = &want["percentiles"];
    for (k, v) in [
        ("p5", p.p5),
        ("p25", p.p25),
        ("p50", p.p50),
        ("p75", p.p75),
        ("p95", p.p95),
        ("p99", p.p99),
    ] {
        c.unit(&format!("percentiles.{k}"), v, &w[k]);
    }
    c.ratio("skewness", f.skewness, &want["skewness"]);
    c.ratio("kurtosis", f.kurtosis, &want["kurtosis"]);
    c.unit("mad", f.mad, &want["mad"]);
    c.unit("slope", f.slope, &want["slope"]);
    c.unit("intercept", f.intercept, &want["intercept"]);
    c.ratio("r2", f.r2, &want["r2"]);
    c.unit("roughness", f.roughness, &want["roughness"]);
    let ws = &want["spectrum"];
    c.ratio("spectrum.centroid", f.spectrum.centroid, &ws["centroid"]);
    c.ratio("spectrum.entropy", f.spectrum.entropy, &ws["entropy"]);
    let wd = ws["dominant"].as_array().unwrap();
    if wd.len() != f.spectrum.dominant.len() {
        c.errors.push(format!(
            "spectrum.dominant: got {} peaks, want {}",
            f.spectrum.dominant.len(),
            wd.len()
        ));
    }
    for (i, (g, w)) in f.spectrum.dominant.iter().zip(wd).enumerate() {
        if Some(g.frequency) != w["frequency"].as_f64() || Some(g.period) != w["period"].as_f64() {
            c.errors.push(format!(
                "spectrum.dominant[{i}]: got frequency {}, want {}",
                g.frequency, w["frequency"]
            ));
        }
        c.ratio(
            &format!("spectrum.dominant[{i}].power"),
            Some(g.power),
            &w["power"],
        );
    }
    match (&f.autocorrelation, want["autocorrelation"].as_array()) {
        (None, None) => {}
        (Some(g), Some(w)) if g.len() == w.len() => {
            for (k, (g, w)) in g.iter().zip(w).enumerate() {
                c.ratio(&format!("autocorrelation[{k}]"), Some(*g), w);
            }
        }
        (g, _) => c.errors.push(format!(
            "autocorrelation: got {:?} lags, want {}",
            g.as_ref().map(Vec::len),
            want["autocorrelation"]
        )),
    }
    match (&f.period, want["period"].is_null()) {
        (None, true) => {}
        (Some(g), false) => {
            if want["period"]["lag"].as_u64() != Some(g.lag as u64) {
                c.errors.push(format!(
                    "period.lag: got {}, want {}",
                    g.lag, want["period"]["lag"]
                ));
            }
            c.ratio(
                "period.strength",
                Some(g.strength),
                &want["period"]["strength"],
            );
        }
        (g, _) => c
            .errors
            .push(format!("period: got {g:?}, want {}", want["period"])),
    }
    c.indices("anomalies", &f.anomalies, &want["anomalies"]);
    c.indices("change_points", &f.change_points, &want["change_points"]);
    c.ratio("complexity", f.complexity, &want["complexity"]);
    c.ratio("uniqueness", f.uniqueness, &want["uniqueness"]);
    c.errors
}

#[test]
fn fixtures_match_numpy_scipy() {
    let cases = fixtures();
    assert!(cases.len() >= 10, "expected the committed fixtures");
    let mut failed = 0;
    for (name, case) in &cases {
        let values: Vec<f64> = case["values"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect();
        let options = Options {
            max_lag: case["options"]["max_lag"].as_u64().unwrap() as usize,
            top: case["options"]["top"].as_u64().unwrap() as usize,
        };
        let max_abs = values.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        let errors = match pattern::analyze(&values, &options) {
            Ok(f) => compare(&f, &case["expected"], max_abs),
            Err(e) => vec![format!("error: {e}")],
        };
        if errors.is_empty() {
            eprintln!("pattern fixture {name}: ok");
        } else {
            failed += 1;
            eprintln!("pattern fixture {name}: FAILED");
            for e in errors {
                eprintln!("    {e}");
            }
        }
    }
    eprintln!(
        "pattern fixtures: {} passed, {failed} failed",
        cases.len() - failed
    );
    assert_eq!(failed, 0, "pattern fixtures failed");
}

#[test]
fn batch_equals_one_by_one_and_keeps_order() {
    let cases = fixtures();
    let series: Vec<Vec<f64>> = cases
        .iter()
        .map(|(_, c)| {
            c["values"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_f64().unwrap())
                .collect()
        })
        .collect();
    let options = Options::default();
    let batch = pattern::analyze_batch(&series, &options);
    assert_eq!(batch.len(), series.len());
    for (s, b) in series.iter().zip(&batch) {
        let one = pattern::analyze(s, &options).unwrap();
        let b = b.as_ref().unwrap();
        // Bitwise: serialize both.
        assert_eq!(
            serde_json::to_string(&one).unwrap(),
            serde_json::to_string(b).unwrap()
        );
    }
}
