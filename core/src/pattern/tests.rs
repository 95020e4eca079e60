//! Unit tests: edge cases (no NaN, no panic), known answers built from the definitions, invariances
//! and input parsing. The numpy/scipy comparisons are in `core/tests/pattern.rs`.

use proptest::prelude::*;

use super::input::{InputError, parse};
use super::*;

fn opts() -> Options {
    Options::default()
}

/// Every number in the features is finite (JSON `null` stands for undefined values).
fn all_finite(f: &Features) -> bool {
    let json = serde_json::to_value(f).unwrap();
    fn walk(v: &serde_json::Value) -> bool {
        match v {
            serde_json::Value::Number(n) => n.as_f64().is_some_and(f64::is_finite),
            serde_json::Value::Array(a) => a.iter().all(walk),
            serde_json::Value::Object(o) => o.values().all(walk),
            _ => true,
        }
    }
    // serde_json turns NaN and infinities into null, so also check the struct's floats directly.
    let floats = [
        f.mean,
        f.std,
        f.population_std,
        f.min,
        f.max,
        f.skewness,
        f.kurtosis,
        f.mad,
        f.slope,
        f.intercept,
        f.r2,
        f.roughness,
        f.spectrum.centroid,
        f.spectrum.entropy,
        f.complexity,
        f.uniqueness,
        f.percentiles.p5,
        f.percentiles.p50,
        f.percentiles.p99,
    ];
    walk(&json)
        && floats.iter().flatten().all(|v| v.is_finite())
        && f.autocorrelation.iter().flatten().all(|v| v.is_finite())
        && f.spectrum.dominant.iter().all(|p| p.power.is_finite())
}

#[test]
fn empty_series_is_all_undefined() {
    let f = analyze(&[], &opts()).unwrap();
    assert_eq!(f.n, 0);
    assert_eq!(f.mean, None);
    assert_eq!(f.percentiles.p50, None);
    assert_eq!(f.autocorrelation, None);
    assert!(f.spectrum.dominant.is_empty() && f.anomalies.is_empty());
    assert!(all_finite(&f));
}

#[test]
fn one_two_three_points() {
    let f = analyze(&[4.0], &opts()).unwrap();
    assert_eq!(
        (f.mean, f.std, f.population_std),
        (Some(4.0), None, Some(0.0))
    );
    assert_eq!(
        (f.slope, f.r2, f.roughness, f.complexity),
        (None, None, None, None)
    );
    assert_eq!(f.uniqueness, Some(1.0));

    let f = analyze(&[1.0, 3.0], &opts()).unwrap();
    assert_eq!(f.slope, Some(2.0));
    assert_eq!(f.intercept, Some(1.0));
    assert_eq!(f.r2, Some(1.0));
    assert_eq!(f.std, Some(2f64.sqrt()));
    assert_eq!(f.autocorrelation, Some(vec![1.0, -0.5]));
    // One non-DC bin (the Nyquist bin) holds all the power.
    assert_eq!(f.spectrum.dominant.len(), 1);
    assert_eq!(f.spectrum.dominant[0].power, 1.0);
    assert_eq!(f.spectrum.dominant[0].period, 2.0);
    assert_eq!(f.spectrum.entropy, Some(0.0));

    let f = analyze(&[1.0, 5.0, 2.0], &opts()).unwrap();
    // |(2 - 5) - (5 - 1)| = 7
    assert_eq!(f.roughness, Some(7.0));
    assert_eq!(f.complexity, Some(0.0));
    assert!(all_finite(&f));
}

#[test]
fn constant_series_has_no_shape() {
    for v in [0.0, 0.1, -3.0, 1e300, 1e-300] {
        let f = analyze(&[v; 40], &opts()).unwrap();
        assert_eq!(f.population_std, Some(0.0), "{v}");
        assert_eq!((f.skewness, f.kurtosis, f.r2), (None, None, None), "{v}");
        assert_eq!(f.slope, Some(0.0));
        assert_eq!(f.autocorrelation, None);
        assert_eq!(f.period, None);
        assert!(f.spectrum.dominant.is_empty());
        assert!(f.anomalies.is_empty() && f.change_points.is_empty());
        assert_eq!(f.uniqueness, Some(1.0 / 40.0));
        assert_eq!(f.complexity, Some(0.0));
        assert_eq!(f.min, Some(v));
        assert_eq!(f.percentiles.p95, Some(v));
        assert!(all_finite(&f));
    }
}

#[test]
fn huge_and_tiny_values_stay_finite_and_scale() {
    let base: Vec<f64> = (0..100)
        .map(|i| libm::sin(i as f64 * 0.7) + 0.01 * i as f64)
        .collect();
    let f1 = analyze(&base, &opts()).unwrap();
    // Powers of two scale exactly: every unit quantity scales, every ratio is unchanged.
    for scale in [
        libm::ldexp(1.0, 1000),
        libm::ldexp(1.0, -1000),
        libm::ldexp(1.0, -500),
    ] {
        let scaled: Vec<f64> = base.iter().map(|v| v * scale).collect();
        let f = analyze(&scaled, &opts()).unwrap();
        assert!(all_finite(&f), "{scale:e}");
        assert_eq!(f.std, f1.std.map(|v| v * scale), "{scale:e}");
        assert_eq!(f.mean, f1.mean.map(|v| v * scale));
        assert_eq!(f.skewness, f1.skewness);
        assert_eq!(f.kurtosis, f1.kurtosis);
        assert_eq!(f.autocorrelation, f1.autocorrelation);
        assert_eq!(f.spectrum, f1.spectrum);
        assert_eq!(f.change_points, f1.change_points);
        assert_eq!(f.complexity, f1.complexity);
    }
    // Near the top of the range, spreads that overflow f64 are null, the rest is finite.
    let extreme = [f64::MAX, -f64::MAX, f64::MAX, -f64::MAX, 0.0];
    let f = analyze(&extreme, &opts()).unwrap();
    assert!(all_finite(&f));
    assert!(f.population_std.is_some());
    assert_eq!(f.max, Some(f64::MAX));
    assert!(f.percentiles.p25.is_some_and(f64::is_finite));
    let f = analyze(&[1e300, -1e300, 3e300, 2e300], &opts()).unwrap();
    assert!(all_finite(&f));
    assert!(f.std.is_some() && f.skewness.is_some());
}

#[test]
fn non_finite_input_is_an_error_naming_the_index() {
    let err = analyze(&[1.0, 2.0, f64::NAN], &opts()).unwrap_err();
    assert!(matches!(err, PatternError::NotFinite { index: 2, value } if value.is_nan()));
    assert!(err.to_string().starts_with("value 2:"), "{err}");
    let err = analyze(&[f64::INFINITY], &opts()).unwrap_err();
    assert!(err.to_string().contains("value 0"));
}

#[test]
fn sine_has_its_period_and_dominant_frequency() {
    // 512 points (FFT autocorrelation path), period 32, small deterministic wobble.
    let x: Vec<f64> = (0..512)
        .map(|i| {
            let t = i as f64;
            libm::sin(std::f64::consts::TAU * t / 32.0) + 0.05 * libm::sin(t * 1.3)
        })
        .collect();
    let f = analyze(&x, &opts()).unwrap();
    let p = f.period.unwrap();
    assert_eq!(p.lag, 32);
    assert!(p.strength > 0.9);
    assert_eq!(f.spectrum.dominant[0].period, 32.0);
    assert_eq!(f.spectrum.dominant[0].frequency, 1.0 / 32.0);
    assert!(f.spectrum.dominant[0].power > 0.9);
    let acf = f.autocorrelation.unwrap();
    assert_eq!(acf.len(), DEFAULT_MAX_LAG + 1);
    assert_eq!(acf[0], 1.0);
    assert!(acf[16] < -0.9, "half a period: {}", acf[16]);
}

#[test]
fn direct_and_fft_autocorrelation_agree() {
    let x: Vec<f64> = (0..300)
        .map(|i| libm::cos(i as f64 * 0.37) + libm::sin(i as f64 * i as f64 * 0.001))
        .collect();
    let mean = x.iter().sum::<f64>() / x.len() as f64;
    let c: Vec<f64> = x.iter().map(|v| v - mean).collect();
    let mut ws = Workspace::new();
    let fft = ws.autocorrelation(&c, 120);
    // Direct sums over the same data.
    let c0: f64 = c.iter().map(|v| v * v).sum();
    for (k, r) in fft.iter().enumerate() {
        let direct: f64 = (0..c.len() - k).map(|t| c[t] * c[t + k]).sum::<f64>() / c0;
        assert!((r - direct).abs() < 1e-12, "lag {k}: {r} vs {direct}");
    }
}

#[test]
fn rfft_matches_a_naive_dft() {
    let mut ws = Workspace::new();
    for n in [2usize, 3, 4, 5, 8, 12, 17, 24, 100] {
        let x: Vec<f64> = (0..n)
            .map(|i| libm::sin(i as f64 * 1.7) + i as f64 * 0.1)
            .collect();
        let got = ws.rfft(&x);
        assert_eq!(got.len(), n / 2 + 1);
        for (k, g) in got.iter().enumerate() {
            let (mut re, mut im) = (0.0, 0.0);
            for (t, v) in x.iter().enumerate() {
                let a = -std::f64::consts::TAU * (k * t) as f64 / n as f64;
                re += v * libm::cos(a);
                im += v * libm::sin(a);
            }
            assert!(
                (g.re - re).abs() < 1e-9 && (g.im - im).abs() < 1e-9,
                "n {n} k {k}"
            );
        }
    }
}

#[test]
fn step_and_spikes() {
    // Alternating +-0.1 noise around 0 then around 5, one spike at 20.
    let mut x: Vec<f64> = (0..100)
        .map(|i| {
            let level = if i < 50 { 0.0 } else { 5.0 };
            level + if i % 2 == 0 { 0.1 } else { -0.1 } + 0.01 * (i % 7) as f64
        })
        .collect();
    x[20] = 40.0;
    let f = analyze(&x, &opts()).unwrap();
    assert_eq!(f.change_points, vec![50]);
    assert_eq!(f.anomalies, vec![20]);
}

#[test]
fn anomalies_fall_back_to_mean_absolute_deviation() {
    // Over half the values equal: MAD = 0, the mean absolute deviation decides.
    let x = [2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 100.0];
    let f = analyze(&x, &opts()).unwrap();
    assert_eq!(f.mad, Some(0.0));
    assert_eq!(f.anomalies, vec![9]);
}

#[test]
fn top_indices_break_ties_by_index() {
    assert_eq!(fft::top_indices(&[1.0, 3.0, 3.0, 2.0, 3.0], 2), vec![1, 2]);
    assert_eq!(fft::top_indices(&[1.0], 5), vec![0]);
    assert!(fft::top_indices(&[1.0, 2.0], 0).is_empty());
}

proptest! {
    #[test]
    fn never_panics_and_never_leaks_nan(
        x in prop::collection::vec(prop_oneof![
            -1e6f64..1e6,
            Just(0.0),
            Just(1e300),
            Just(-1e300),
            Just(1e-310),
            Just(f64::MAX),
        ], 0..300),
        max_lag in 0usize..400,
        top in 0usize..6,
    ) {
        let f = analyze(&x, &Options { max_lag, top }).unwrap();
        prop_assert!(all_finite(&f));
        prop_assert_eq!(f.n, x.len());
        prop_assert!(f.spectrum.dominant.len() <= top);
        if let Some(acf) = &f.autocorrelation {
            prop_assert_eq!(acf.len(), (max_lag + 1).min(x.len()));
        }
        prop_assert!(f.change_points.windows(2).all(|w| w[0] < w[1]));
        prop_assert!(f.change_points.len() <= MAX_CHANGE_POINTS);
    }

    #[test]
    fn complexity_and_uniqueness_are_scale_invariant(
        x in prop::collection::vec(-1000i32..1000, 3..100),
        k in 1i32..20,
    ) {
        let a: Vec<f64> = x.iter().map(|&v| v as f64).collect();
        let b: Vec<f64> = x.iter().map(|&v| v as f64 * k as f64 * 0.25 + 7.0).collect();
        let fa = analyze(&a, &opts()).unwrap();
        let fb = analyze(&b, &opts()).unwrap();
        prop_assert_eq!(fa.complexity, fb.complexity);
        prop_assert_eq!(fa.uniqueness, fb.uniqueness);
    }
}

#[test]
fn parses_csv_numeric_columns() {
    let text =
        "time,cpu,host,mem\n2024-01-01,1.5,a,10\n2024-01-02,2.5,b,11\n\n2024-01-03,\"3.5\",c,12\n";
    let series = parse(text, None, false).unwrap();
    let ids: Vec<&str> = series.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["cpu", "mem"]);
    assert_eq!(series[0].values, [1.5, 2.5, 3.5]);
    let one = parse(text, Some("mem"), false).unwrap();
    assert_eq!(one.len(), 1);
    assert_eq!(one[0].values, [10.0, 11.0, 12.0]);
    let err = parse(text, Some("disk"), false).unwrap_err();
    assert!(err.to_string().contains("\"disk\""), "{err}");
}

#[test]
fn csv_errors_name_line_and_column() {
    let text = "a,b\n1,2\n3,oops\n";
    let err = parse(text, None, false).unwrap_err();
    assert_eq!(
        err,
        InputError::CsvCell {
            line: 3,
            column: 2,
            name: "b".into(),
            cell: "oops".into()
        }
    );
    assert_eq!(
        err.to_string(),
        "line 3, column 2 (b): \"oops\" is not a finite number"
    );
    let err = parse("a,b\n1,NaN\n", None, false).unwrap_err();
    assert!(err.to_string().starts_with("line 2, column 2 (b)"), "{err}");
    let err = parse("a,b\n1,2\n3\n", None, false).unwrap_err();
    assert!(err.to_string().starts_with("line 3:"), "{err}");
    // A numeric column whose first cell is empty is still a series.
    let err = parse("a,b\n1,\n3,4\n", None, false).unwrap_err();
    assert!(err.to_string().starts_with("line 2, column 2 (b)"), "{err}");
    let s = parse("a,b\n1,\n3,4\n", None, true).unwrap();
    assert_eq!((s[1].values.clone(), s[1].skipped), (vec![4.0], 1));
    let skipped = parse("a,b\n1,2\n3,oops\n5,inf\n7,8\n", None, true).unwrap();
    assert_eq!(skipped[1].values, [2.0, 8.0]);
    assert_eq!(skipped[1].skipped, 2);
}

#[test]
fn parses_json_array_and_lines() {
    let s = parse(" [1, 2.5, -3e2]", None, false).unwrap();
    assert_eq!(s[0].values, [1.0, 2.5, -300.0]);
    let err = parse("[1, \"x\", 3]", None, false).unwrap_err();
    assert_eq!(
        err.to_string(),
        "line 1, value 1: expected a finite number, found \"x\""
    );
    let s = parse("[1, null, 3]", None, true).unwrap();
    assert_eq!((s[0].values.clone(), s[0].skipped), (vec![1.0, 3.0], 1));

    let text =
        "{\"id\": \"a\", \"values\": [1, 2]}\n\n{\"id\": 7, \"values\": []}\n{\"values\": [0.5]}\n";
    let s = parse(text, None, false).unwrap();
    let ids: Vec<&str> = s.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["a", "7", "line 4"]);
    let err = parse(
        "{\"id\": \"a\", \"values\": [1]}\n{\"id\": \"b\"}\n",
        None,
        false,
    )
    .unwrap_err();
    assert!(err.to_string().starts_with("line 2:"), "{err}");
    let err = parse("{\"id\": \"a\", \"values\": [1, true]}\n", None, false).unwrap_err();
    assert!(err.to_string().starts_with("line 1, value 1:"), "{err}");
    let err = parse("{\"values\": [1]}\n{oops\n", None, false).unwrap_err();
    assert!(err.to_string().starts_with("line 2, column 2"), "{err}");
    assert_eq!(
        parse("[1]", Some("x"), false),
        Err(InputError::ColumnWithoutCsv)
    );
    assert_eq!(parse("  \n", None, false), Err(InputError::Empty));
}

#[test]
fn float_parsing_round_trips() {
    // serde_json's default float parser can be one ulp off; ours must not be.
    let v = 10.014669926650367f64;
    let s = parse(&format!("[{v}]"), None, false).unwrap();
    assert_eq!(s[0].values[0].to_bits(), v.to_bits());
}

#[test]
fn complex_fft_matches_a_naive_dft_for_every_length() {
    let mut plans = dft::Plans::default();
    for n in (1..=70).chain([128, 243, 1000, 1024]) {
        let x: Vec<dft::C> = (0..n)
            .map(|i| dft::C::new(libm::sin(i as f64 * 0.9) + 0.3, libm::cos(i as f64 * 2.1)))
            .collect();
        let mut got = x.clone();
        plans.forward(&mut got);
        for (k, g) in got.iter().enumerate() {
            let mut want = dft::C::default();
            for (t, v) in x.iter().enumerate() {
                let a = -std::f64::consts::TAU * ((k * t) % n) as f64 / n as f64;
                want = want + *v * dft::C::new(libm::cos(a), libm::sin(a));
            }
            let err = ((g.re - want.re).powi(2) + (g.im - want.im).powi(2)).sqrt();
            assert!(err < 1e-11 * n as f64, "n {n} k {k}: {g:?} vs {want:?}");
        }
    }
}
