//! Similarity metrics against the public suites: strsim-rs's literal asserts and jellyfish's
//! testdata CSVs. Every case is one row; cases whose expected value follows another definition than
//! ours are listed in `known-failures/similarity.txt` with the reason, and must keep failing.

use std::collections::BTreeMap;
use std::fs;

use conclave_core::similarity::{Metric, compare};
use serde_json::Value;

use crate::corpora;

/// What one suite row expects.
struct Case {
    id: String,
    metric: Metric,
    a: String,
    b: String,
    /// Expected distance, or similarity when `distance` is false.
    expected: f64,
    distance: bool,
    tolerance: f64,
}

fn strsim_cases() -> Vec<Case> {
    let path = corpora::root().join("strsim-rs/strsim_test_cases.json");
    let doc: Value =
        serde_json::from_str(&fs::read_to_string(&path).expect("strsim cases")).expect("json");
    let mut out = Vec::new();
    for (k, c) in doc["cases"].as_array().expect("cases").iter().enumerate() {
        let function = c["function"].as_str().expect("function");
        let (metric, distance) = match function {
            "levenshtein" => (Metric::Levenshtein, true),
            "normalized_levenshtein" => (Metric::Levenshtein, false),
            "osa_distance" => (Metric::Osa, true),
            "damerau_levenshtein" => (Metric::DamerauLevenshtein, true),
            "normalized_damerau_levenshtein" => (Metric::DamerauLevenshtein, false),
            "jaro" => (Metric::Jaro, false),
            "jaro_winkler" => (Metric::JaroWinkler, false),
            "sorensen_dice" => (Metric::SorensenDice, false),
            other => panic!("strsim case {k}: unmapped function {other}: map it or list it"),
        };
        let tolerance = if c["approx"].as_bool() == Some(true) {
            c["delta"].as_f64().unwrap_or(1e-5)
        } else {
            1e-12
        };
        out.push(Case {
            id: format!("strsim/{k}/{function}"),
            metric,
            a: c["a"].as_str().expect("a").to_owned(),
            b: c["b"].as_str().expect("b").to_owned(),
            expected: c["expected"].as_f64().expect("expected"),
            distance,
            tolerance,
        });
    }
    out
}

/// Splits one CSV line with double-quoted fields.
fn csv_fields(line: &str) -> Vec<String> {
    let (mut fields, mut cur, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => fields.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    fields.push(cur);
    fields
}

fn jellyfish_cases() -> Vec<Case> {
    let files = [
        ("levenshtein.csv", Metric::Levenshtein, true),
        ("wagner_fischer.csv", Metric::Levenshtein, true),
        ("damerau_levenshtein.csv", Metric::DamerauLevenshtein, true),
        ("hamming.csv", Metric::Hamming, true),
        ("jaro_distance.csv", Metric::Jaro, false),
        ("jaro_winkler.csv", Metric::JaroWinkler, false),
        ("jaccard.csv", Metric::Jaccard, false),
        // jaro_winkler_longtol.csv is jellyfish's `long_tolerance=True` variant, which neither
        // strsim nor rapidfuzz offers: not our definition, not run.
    ];
    let mut out = Vec::new();
    for (file, metric, distance) in files {
        let path = corpora::root().join("jellyfish/testdata").join(file);
        let text = fs::read_to_string(&path).expect("jellyfish csv");
        for (k, line) in text.lines().enumerate().filter(|(_, l)| !l.is_empty()) {
            let f = csv_fields(line);
            let expected_text = f[2].trim();
            let decimals = expected_text.split('.').nth(1).map_or(0, str::len);
            out.push(Case {
                id: format!("jellyfish/{file}:{}", k + 1),
                metric,
                a: f[0].clone(),
                b: f[1].clone(),
                expected: expected_text.parse().expect("number"),
                distance,
                // Values are rounded to `decimals` places.
                tolerance: if decimals == 0 {
                    1e-12
                } else {
                    0.5 * 10f64.powi(-(decimals as i32)) + 1e-12
                },
            });
            // jaccard rows with a fourth field use n-char chunks instead of words: another metric.
            if file == "jaccard.csv" && f.get(3).is_some_and(|n| !n.trim().is_empty()) {
                out.pop();
            }
        }
    }
    out
}

fn known_failures() -> BTreeMap<String, String> {
    let text = include_str!("known-failures/similarity.txt");
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (id, why) = l.split_once(" | ").expect("`id | reason` lines");
            (id.trim().to_owned(), why.trim().to_owned())
        })
        .collect()
}

fn check(case: &Case) -> Result<(), String> {
    let score = match compare(case.metric, &case.a, &case.b) {
        Ok(s) => s,
        // jellyfish's hamming counts the extra length as differences; ours refuses unequal lengths.
        Err(e) => return Err(e.to_string()),
    };
    let got = if case.distance {
        score.distance.map(|d| d as f64).ok_or("no distance")?
    } else {
        score.similarity
    };
    if (got - case.expected).abs() <= case.tolerance {
        Ok(())
    } else {
        Err(format!(
            "{:?} vs {:?}: got {got}, expected {}",
            case.a, case.b, case.expected
        ))
    }
}

#[test]
fn public_similarity_suites() {
    let known = known_failures();
    let cases: Vec<Case> = strsim_cases()
        .into_iter()
        .chain(jellyfish_cases())
        .collect();
    let (mut passed, mut unexpected, mut fixed) = (0, Vec::new(), Vec::new());
    for case in &cases {
        match (check(case), known.contains_key(&case.id)) {
            (Ok(()), false) => passed += 1,
            (Ok(()), true) => fixed.push(case.id.clone()),
            (Err(_), true) => {}
            (Err(e), false) => unexpected.push(format!("{}: {e}", case.id)),
        }
    }
    let missing: Vec<&String> = known
        .keys()
        .filter(|k| !cases.iter().any(|c| &c.id == *k))
        .collect();
    eprintln!(
        "similarity suites: {passed} passed, {} known failures, {} cases",
        known.len(),
        cases.len()
    );
    assert!(
        unexpected.is_empty(),
        "unexpected failures:\n{}",
        unexpected.join("\n")
    );
    assert!(
        fixed.is_empty(),
        "listed as known failures but now pass (remove them): {fixed:?}"
    );
    assert!(
        missing.is_empty(),
        "known failures that name no case: {missing:?}"
    );
    assert!(passed >= 120, "only {passed} cases ran");
}
