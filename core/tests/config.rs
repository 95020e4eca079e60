//! Configuration parsing against the public suites, one row per case:
//! - yaml-test-suite (402 cases): a case with `in.json` must convert to equal JSON values (one per
//!   document); a case with `error` must be rejected; any other case must parse.
//! - JSONTestSuite: every `y_` file accepted, every `n_` file rejected (`i_` files are
//!   implementation-defined and not counted).
//! - toml-test, the TOML 1.0.0 file list: every valid file equals its typed JSON; every invalid
//!   file is rejected.
//!
//! Cases we cannot pass are listed in `known-failures/config.txt` with the reason; a listed case
//! that starts passing fails the test, so the list stays exact.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use conclave_core::config::{DateTimeKind, Format, Limits, Node, Value, parse_bytes, to_json};
use serde_json::Value as J;

use crate::corpora;

fn known_failures() -> BTreeSet<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/known-failures/config.txt");
    fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split('|').next().unwrap_or("").trim().to_owned())
        .collect()
}

/// Runs every case, prints the count, and fails on any unexpected result.
fn run_suite(name: &str, cases: Vec<(String, Result<(), String>)>) {
    let known = known_failures();
    let total = cases.len();
    let mut passed = 0;
    let mut unexpected = Vec::new();
    for (id, outcome) in &cases {
        match (outcome, known.contains(id)) {
            (Ok(()), false) => passed += 1,
            (Ok(()), true) => {
                unexpected.push(format!("{id}: listed as a known failure but passes"))
            }
            (Err(_), true) => {}
            (Err(why), false) => unexpected.push(format!("{id}: {why}")),
        }
    }
    eprintln!("{name}: {passed} of {total} cases pass");
    assert!(total > 0, "{name}: no cases found");
    assert!(
        unexpected.is_empty(),
        "{name}: {} unexpected results:\n{}",
        unexpected.len(),
        unexpected.join("\n")
    );
}

/// JSON equality with numbers compared by value (1 == 1.0).
fn json_eq(a: &J, b: &J) -> bool {
    match (a, b) {
        (J::Number(x), J::Number(y)) => x.as_f64() == y.as_f64(),
        (J::Array(x), J::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| json_eq(p, q))
        }
        (J::Object(x), J::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

fn yaml_case(dir: &Path) -> Result<(), String> {
    let input = fs::read(dir.join("in.yaml")).map_err(|e| e.to_string())?;
    let parsed = parse_bytes(&input, Format::Yaml, &Limits::default());
    if dir.join("error").exists() {
        return match parsed {
            Err(_) => Ok(()),
            Ok(_) => Err("accepted, but the suite says it is an error".into()),
        };
    }
    let stream = parsed.map_err(|e| format!("rejected: {e}"))?;
    let Ok(expected_text) = fs::read_to_string(dir.join("in.json")) else {
        return Ok(()); // no JSON form (e.g. collection keys): parsing is the test
    };
    let expected: Vec<J> = serde_json::Deserializer::from_str(&expected_text)
        .into_iter::<J>()
        .collect::<Result<_, _>>()
        .map_err(|e| format!("in.json: {e}"))?;
    let ours = to_json(&stream).map_err(|e| format!("to JSON: {e}"))?;
    let got: Vec<J> = ours
        .lines()
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()
        .map_err(|e| format!("our JSON does not parse: {e}"))?;
    if got.len() == expected.len() && got.iter().zip(&expected).all(|(a, b)| json_eq(a, b)) {
        Ok(())
    } else {
        Err(format!("got {ours:?}, expected {expected_text:?}"))
    }
}

#[test]
fn yaml_test_suite() {
    let data = corpora::root().join("yaml-test-suite/data");
    let mut ids: Vec<(String, std::path::PathBuf)> = Vec::new();
    for entry in fs::read_dir(&data).expect("yaml-test-suite/data") {
        let dir = entry.expect("entry").path();
        let id = dir
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_owned();
        if dir.join("in.yaml").exists() {
            ids.push((id, dir));
        } else {
            for sub in fs::read_dir(&dir).expect("case folder") {
                let sub = sub.expect("entry").path();
                if sub.join("in.yaml").exists() {
                    let n = sub.file_name().and_then(|n| n.to_str()).unwrap_or("");
                    ids.push((format!("{id}/{n}"), sub));
                }
            }
        }
    }
    ids.sort();
    let cases = ids
        .into_iter()
        .map(|(id, dir)| {
            let r = yaml_case(&dir);
            (format!("yaml/{id}"), r)
        })
        .collect::<Vec<_>>();
    assert_eq!(cases.len(), 402, "the suite has 402 cases");
    run_suite("yaml-test-suite", cases);
}

#[test]
fn json_test_suite() {
    let dir = corpora::root().join("JSONTestSuite/test_parsing");
    let mut names: Vec<String> = fs::read_dir(&dir)
        .expect("JSONTestSuite")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with("y_") || n.starts_with("n_"))
        .collect();
    names.sort();
    let (y, n) = names.iter().fold((0, 0), |(y, n), f| {
        if f.starts_with("y_") {
            (y + 1, n)
        } else {
            (y, n + 1)
        }
    });
    assert_eq!((y, n), (95, 188));
    let cases = names
        .into_iter()
        .map(|name| {
            let bytes = fs::read(dir.join(&name)).expect("case file");
            let parsed = parse_bytes(&bytes, Format::Json, &Limits::default());
            let r = match (name.starts_with("y_"), parsed) {
                (true, Ok(_)) | (false, Err(_)) => Ok(()),
                (true, Err(e)) => Err(format!("rejected: {e}")),
                (false, Ok(_)) => Err("accepted".to_owned()),
            };
            (format!("json/{name}"), r)
        })
        .collect();
    run_suite("JSONTestSuite", cases);
}

/// toml-test's typed JSON for a node.
fn typed(node: &Node) -> J {
    let t = |ty: &str, v: String| serde_json::json!({"type": ty, "value": v});
    match &node.value {
        Value::String(s) => t("string", s.to_string()),
        Value::Int(i) => t("integer", i.to_string()),
        Value::Float(f) => t("float", f.to_string()),
        Value::Bool(b) => t("bool", b.to_string()),
        Value::DateTime { kind, text } => t(
            match kind {
                DateTimeKind::OffsetDateTime => "datetime",
                DateTimeKind::LocalDateTime => "datetime-local",
                DateTimeKind::LocalDate => "date-local",
                DateTimeKind::LocalTime => "time-local",
            },
            text.to_string(),
        ),
        Value::List(items) => J::Array(items.iter().map(typed).collect()),
        Value::Map(m) => J::Object(
            m.iter_str()
                .map(|(k, _, v)| (k.to_owned(), typed(v)))
                .collect(),
        ),
        Value::Null => J::Null,
    }
}

fn toml_float(s: &str) -> Option<f64> {
    match s {
        "nan" | "+nan" | "-nan" => Some(f64::NAN),
        "inf" | "+inf" => Some(f64::INFINITY),
        "-inf" => Some(f64::NEG_INFINITY),
        _ => s.parse().ok(),
    }
}

/// Datetimes compare after normalising the separator, `z` and fractional zeros.
fn norm_datetime(s: &str) -> String {
    let s = s.replace([' ', 't'], "T").replace('z', "Z");
    // Drop trailing zeros of a fraction: .500 == .5, .000 == nothing.
    let (head, tail) = match s.find('.') {
        Some(dot) => {
            let end = s[dot + 1..]
                .find(|c: char| !c.is_ascii_digit())
                .map_or(s.len(), |e| dot + 1 + e);
            let frac = s[dot + 1..end].trim_end_matches('0');
            let head = if frac.is_empty() {
                s[..dot].to_owned()
            } else {
                format!("{}.{frac}", &s[..dot])
            };
            (head, s[end..].to_owned())
        }
        None => (s.clone(), String::new()),
    };
    format!("{head}{tail}")
}

/// A typed leaf `{"type": "...", "value": "..."}`.
fn leaf(o: &serde_json::Map<String, J>) -> Option<(&str, &str)> {
    if o.len() != 2 {
        return None;
    }
    Some((o.get("type")?.as_str()?, o.get("value")?.as_str()?))
}

fn toml_eq(got: &J, want: &J) -> bool {
    match (got, want) {
        (J::Object(g), J::Object(w)) => match (leaf(g), leaf(w)) {
            (Some((gt, gv)), Some((wt, wv))) => {
                gt == wt
                    && match wt {
                        "float" => match (toml_float(gv), toml_float(wv)) {
                            (Some(a), Some(b)) => a == b || a.is_nan() && b.is_nan(),
                            _ => false,
                        },
                        "datetime" | "datetime-local" | "date-local" | "time-local" => {
                            norm_datetime(gv) == norm_datetime(wv)
                        }
                        _ => gv == wv,
                    }
            }
            (None, None) => {
                g.len() == w.len()
                    && g.iter()
                        .all(|(k, v)| w.get(k).is_some_and(|x| toml_eq(v, x)))
            }
            _ => false,
        },
        (J::Array(g), J::Array(w)) => {
            g.len() == w.len() && g.iter().zip(w).all(|(a, b)| toml_eq(a, b))
        }
        _ => got == want,
    }
}

#[test]
fn toml_test_suite() {
    let root = corpora::root().join("toml-test/tests");
    let list = fs::read_to_string(root.join("files-toml-1.0.0")).expect("files-toml-1.0.0");
    let mut cases = Vec::new();
    for file in list.lines().filter(|l| l.ends_with(".toml")) {
        let bytes = fs::read(root.join(file)).expect("case file");
        let parsed = parse_bytes(&bytes, Format::Toml, &Limits::default());
        let r = if file.starts_with("invalid/") {
            match parsed {
                Err(_) => Ok(()),
                Ok(_) => Err("accepted".to_owned()),
            }
        } else {
            let expected: J = serde_json::from_str(
                &fs::read_to_string(root.join(file.replace(".toml", ".json")))
                    .expect("expected json"),
            )
            .expect("expected json parses");
            match parsed {
                Err(e) => Err(format!("rejected: {e}")),
                Ok(s) => {
                    let got = typed(&s.documents[0]);
                    if toml_eq(&got, &expected) {
                        Ok(())
                    } else {
                        Err(format!("got {got}, expected {expected}"))
                    }
                }
            }
        };
        cases.push((format!("toml/{file}"), r));
    }
    run_suite("toml-test 1.0.0", cases);
}
