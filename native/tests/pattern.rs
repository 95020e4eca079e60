//! `conclave pattern` end to end: input formats, options, errors with line and column, exit codes,
//! thread-count independence, and one series checked against its numpy/scipy fixture.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn conclave(args: &[&str], stdin: Option<&str>, threads: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_conclave"));
    cmd.args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(t) = threads {
        cmd.env("RAYON_NUM_THREADS", t);
    }
    let mut child = cmd.spawn().unwrap();
    let mut pipe = child.stdin.take().unwrap();
    pipe.write_all(stdin.unwrap_or("").as_bytes()).unwrap();
    drop(pipe);
    child.wait_with_output().unwrap()
}

fn temp(name: &str, text: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!("conclave-pattern-{}-{name}", std::process::id()));
    std::fs::write(&path, text).unwrap();
    path
}

fn lines(out: &Output) -> Vec<Value> {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn json_array_file_matches_the_numpy_fixture() {
    let fixture = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../core/tests/fixtures/pattern/step_spikes_200.json");
    let case: Value = serde_json::from_str(&std::fs::read_to_string(fixture).unwrap()).unwrap();
    let path = temp("step.json", &case["values"].to_string());
    let out = conclave(
        &["pattern", path.to_str().unwrap(), "--format", "json"],
        None,
        None,
    );
    let got = lines(&out);
    assert_eq!(got.len(), 1);
    let (got, want) = (&got[0], &case["expected"]);
    assert_eq!(got["id"], "values");
    assert_eq!(got["skipped"], 0);
    for key in ["n", "anomalies", "change_points", "period"] {
        assert_eq!(got[key], want[key], "{key}");
    }
    for key in [
        "mean",
        "std",
        "skewness",
        "kurtosis",
        "mad",
        "slope",
        "r2",
        "complexity",
    ] {
        let (g, w) = (got[key].as_f64().unwrap(), want[key].as_f64().unwrap());
        assert!(
            (g - w).abs() <= 1e-9 * w.abs().max(1e-3),
            "{key}: {g} vs {w}"
        );
    }
    let (g, w) = (&got["percentiles"]["p95"], &want["percentiles"]["p95"]);
    assert!((g.as_f64().unwrap() - w.as_f64().unwrap()).abs() < 1e-9);
    assert_eq!(
        got["spectrum"]["dominant"][0]["period"],
        want["spectrum"]["dominant"][0]["period"]
    );
    assert_eq!(got["autocorrelation"].as_array().unwrap().len(), 51);
    let _ = std::fs::remove_file(path);
}

#[test]
fn csv_every_numeric_column_or_one() {
    let csv = "time,cpu,host,mem\n10:00,1,a,5\n10:01,2,b,5\n10:02,4,c,6\n10:03,8,d,5\n";
    let path = temp("metrics.csv", csv);
    let p = path.to_str().unwrap();
    let all = lines(&conclave(&["pattern", p, "--format", "json"], None, None));
    let ids: Vec<&str> = all.iter().map(|v| v["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["cpu", "mem"]);
    assert_eq!(all[0]["n"], 4);
    assert_eq!(all[0]["mean"], 3.75);
    assert_eq!(all[0]["min"], 1.0);
    assert_eq!(all[1]["max"], 6.0);
    let one = lines(&conclave(
        &["pattern", p, "--column", "mem", "--format", "json"],
        None,
        None,
    ));
    assert_eq!(one.len(), 1);
    assert_eq!(one[0]["id"], "mem");
    let out = conclave(&["pattern", p, "--column", "disk"], None, None);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no column named \"disk\""),
        "{}",
        stderr(&out)
    );
    let _ = std::fs::remove_file(path);
}

#[test]
fn bad_cells_name_line_and_column_or_are_skipped() {
    let csv = "a,b\n1,2\n3,abc\n5,NaN\n7,8\n";
    let path = temp("bad.csv", csv);
    let p = path.to_str().unwrap();
    let out = conclave(&["pattern", p], None, None);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.starts_with("conclave: ") && err.contains("line 3, column 2 (b): \"abc\""),
        "{err}"
    );
    let got = lines(&conclave(
        &["pattern", p, "--skip-invalid", "--format", "json"],
        None,
        None,
    ));
    assert_eq!(got[1]["id"], "b");
    assert_eq!(got[1]["skipped"], 2);
    assert_eq!(got[1]["n"], 2);
    assert_eq!(got[1]["mean"], 5.0);
    let _ = std::fs::remove_file(path);
}

#[test]
fn json_lines_from_stdin_with_options() {
    let input = "{\"id\": \"s1\", \"values\": [1, 3, 2, 5, 4, 6, 5, 8, 7, 9]}\n\
                 {\"id\": \"empty\", \"values\": []}\n";
    let got = lines(&conclave(
        &[
            "pattern",
            "-",
            "--max-lag",
            "3",
            "--top",
            "2",
            "--format",
            "json",
        ],
        Some(input),
        None,
    ));
    assert_eq!(got.len(), 2);
    assert_eq!(got[0]["id"], "s1");
    assert_eq!(got[0]["autocorrelation"].as_array().unwrap().len(), 4);
    assert_eq!(got[0]["spectrum"]["dominant"].as_array().unwrap().len(), 2);
    assert_eq!(got[1]["n"], 0);
    assert!(got[1]["mean"].is_null() && got[1]["autocorrelation"].is_null());

    let out = conclave(
        &["pattern", "-"],
        Some("{\"id\": \"x\", \"values\": [1, \"two\"]}\n"),
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("line 1, value 1"), "{}", stderr(&out));
}

#[test]
fn text_report_and_demo() {
    let wave = "[1, 2, 3, 2, 1, 2, 3, 2, 1, 2, 3, 2, 1, 2, 3, 2, 1]";
    let out = conclave(&["pattern", "-"], Some(wave), None);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("series values: n = 17\n"), "{text}");
    assert!(text.contains("  period  4 steps"), "{text}");
    let demo = conclave(&["demo"], None, None);
    let text = String::from_utf8(demo.stdout).unwrap();
    assert!(text.contains("## Patterns in two metrics"), "{text}");
    // The demo's planted events are found.
    assert!(text.contains("anomalies (1)  90\n"), "{text}");
    assert!(text.contains("change points (1)  200\n"), "{text}");
    assert!(text.contains("period  60 steps"), "{text}");
}

#[test]
fn output_is_the_same_on_one_and_two_threads() {
    let mut input = String::new();
    for s in 0..200u64 {
        let values: Vec<String> = (0..300u64)
            .map(|t| {
                let h = (t * 2_654_435_761 + s * 97) % 1000;
                format!("{}", (h as f64) / 7.0 + (t % (s % 13 + 2)) as f64)
            })
            .collect();
        input.push_str(&format!(
            "{{\"id\": {s}, \"values\": [{}]}}\n",
            values.join(",")
        ));
    }
    let one = conclave(
        &["pattern", "-", "--format", "json"],
        Some(&input),
        Some("1"),
    );
    let two = conclave(
        &["pattern", "-", "--format", "json"],
        Some(&input),
        Some("2"),
    );
    assert!(one.status.success() && two.status.success());
    assert_eq!(lines(&one).len(), 200);
    assert!(one.stdout == two.stdout, "thread count changed the output");
}
