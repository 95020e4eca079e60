//! `conclave consensus` and `conclave vote` end to end: the JSON contract, the text report, errors
//! (exit 2), stdin, and identical bytes on 1 and 2 threads and on repeated or reordered runs.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn conclave() -> Command {
    Command::new(env!("CARGO_BIN_EXE_conclave"))
}

/// A file with `contents` in a fresh temporary folder.
fn temp_file(name: &str, contents: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "conclave-consensus-test-{}-{name}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

fn run(args: &[&str]) -> Output {
    conclave().args(args).output().unwrap()
}

fn json_of(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Three identical answers (indices 1, 2, 4) and two unrelated ones (0, 3).
const PANEL: &str = r#"[
  {"expert": "odd-1", "content": "Reboot the router tonight.", "confidence": 0.5,
   "recommendations": ["Scale the pool"], "limitations": ["No metrics"]},
  {"expert": "a", "content": "Scale the database connection pool.", "confidence": 0.5,
   "recommendations": ["scale the pool."], "limitations": ["no metrics."]},
  {"expert": "b", "content": "Scale the database connection pool.", "confidence": 0.5,
   "recommendations": ["Add an index"]},
  {"expert": "odd-2", "content": "Quantum flux capacitors misaligned", "confidence": 0.5},
  {"expert": "c", "content": "Scale the database connection pool.", "confidence": 0.5,
   "recommendations": ["Scale   the pool"], "timestamp": 1700000000, "metadata": {"model": "x"}}
]"#;

#[test]
fn consensus_json_follows_the_contract() {
    let path = temp_file("panel.json", PANEL);
    let v = json_of(&run(&[
        "consensus",
        path.to_str().unwrap(),
        "--format",
        "json",
    ]));
    assert_eq!(v["consensus"]["index"], 1);
    assert_eq!(v["consensus"]["expert"], "a");
    assert_eq!(
        v["consensus"]["content"],
        "Scale the database connection pool."
    );
    assert_eq!(v["score"], 1.0);
    assert_eq!(v["confidence"], 0.5);
    // 3 of 5: at least half but under 2/3.
    assert_eq!(v["level"], "medium");
    assert_eq!(v["clusters"], serde_json::json!([[1, 2, 4], [0], [3]]));
    assert_eq!(v["outliers"], serde_json::json!([0, 3]));
    let dissent = v["dissent"].as_array().unwrap();
    assert_eq!(dissent.len(), 2);
    assert_eq!(dissent[0]["cluster"], serde_json::json!([0]));
    assert_eq!(dissent[0]["representative"], 0);
    assert_eq!(dissent[0]["experts"], serde_json::json!(["odd-1"]));
    let themes = v["themes"].as_array().unwrap();
    // Both held by a, b, c with weight 1.5: the phrase breaks the tie. "the" is a stop word, so
    // no phrase spans it; the parts of "database connection pool" are held by the same experts.
    let phrases: Vec<&str> = themes
        .iter()
        .map(|t| t["phrase"].as_str().unwrap())
        .collect();
    assert_eq!(phrases, ["database connection pool", "scale"]);
    assert_eq!(themes[0]["support"], 3);
    assert_eq!(themes[0]["experts"], serde_json::json!(["a", "b", "c"]));
    let recs = v["common_recommendations"].as_array().unwrap();
    assert_eq!(recs.len(), 1, "{recs:?}");
    assert_eq!(recs[0]["text"], "scale the pool");
    assert_eq!(recs[0]["support"], 3);
    let lims = v["unique_limitations"].as_array().unwrap();
    assert_eq!(lims.len(), 1);
    assert_eq!(lims[0]["text"], "no metrics");
    assert!(
        v["insights"]
            .as_array()
            .unwrap()
            .iter()
            .all(Value::is_string)
    );
    assert!(v.get("matrix").is_none());
}

#[test]
fn matrix_only_on_request() {
    let path = temp_file("matrix.json", PANEL);
    let v = json_of(&run(&[
        "consensus",
        path.to_str().unwrap(),
        "--format",
        "json",
        "--matrix",
        "--metric",
        "jaccard",
        "--threshold",
        "0.9",
    ]));
    let m = v["matrix"].as_array().unwrap();
    assert_eq!(m.len(), 5);
    for (i, row) in m.iter().enumerate() {
        assert_eq!(row.as_array().unwrap().len(), 5);
        assert_eq!(row[i], 1.0);
    }
    assert_eq!(m[1][2], 1.0);
    assert_eq!(m[0][3], 0.0);
    assert_eq!(v["metric"], "jaccard");
    assert_eq!(v["threshold"], 0.9);
}

#[test]
fn text_report() {
    let path = temp_file("text.json", PANEL);
    let out = run(&["consensus", path.to_str().unwrap()]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("Consensus (cosine >= 0.7): medium agreement, score 1.000"),
        "{text}"
    );
    assert!(text.contains("[1] a: Scale the database connection pool."));
    assert!(text.contains("Dissent:") && text.contains("Outliers: [0, 3]"));
    assert!(text.contains("Common recommendations:\n  - scale the pool (3: a, c, odd-1)"));
}

#[test]
fn reads_json_lines_from_stdin() {
    let lines = "{\"expert\": \"x\", \"content\": \"alpha beta\", \"confidence\": 0.9}\n\n\
                 {\"expert\": \"y\", \"content\": \"alpha beta\", \"confidence\": 0.1}\n";
    let mut child = conclave()
        .args(["consensus", "-", "--format", "json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(lines.as_bytes())
        .unwrap();
    let v = json_of(&child.wait_with_output().unwrap());
    assert_eq!(v["clusters"], serde_json::json!([[0, 1]]));
    // Row 0 = 0.1 * 1, row 1 = 0.9 * 1: the response the confident expert agrees with wins.
    assert_eq!(v["consensus"]["index"], 1);
}

fn assert_exit_2(args: &[&str], needles: &[&str]) {
    let out = run(args);
    assert_eq!(out.status.code(), Some(2), "{args:?}");
    assert!(out.stdout.is_empty(), "{args:?}: no partial output");
    let err = String::from_utf8_lossy(&out.stderr);
    for needle in needles {
        assert!(err.contains(needle), "{args:?}: {err:?} lacks {needle:?}");
    }
}

#[test]
fn bad_input_exits_2_naming_record_and_field() {
    let bad = temp_file(
        "bad.json",
        r#"[{"expert": "a", "content": "x", "confidence": 0.5},
            {"expert": "b", "content": "y", "confidence": 1.2}]"#,
    );
    let bad = bad.to_str().unwrap();
    assert_exit_2(
        &["consensus", bad],
        &["conclave: ", "bad.json", "record 1", "`confidence`", "1.2"],
    );
    assert_exit_2(&["vote", bad], &["record 1", "`confidence`"]);
    let missing = temp_file(
        "missing.jsonl",
        "{\"expert\": \"a\", \"confidence\": 0.5}\n",
    );
    assert_exit_2(
        &["consensus", missing.to_str().unwrap()],
        &["record 0 (line 1)", "`content`: missing"],
    );
    let syntax = temp_file("syntax.json", "[{\"expert\": \"a\",\n oops}]");
    assert_exit_2(
        &["consensus", syntax.to_str().unwrap()],
        &["line 2", "invalid JSON"],
    );
    let empty = temp_file("empty.json", "[]");
    assert_exit_2(&["consensus", empty.to_str().unwrap()], &["no responses"]);
    let good = temp_file("good.json", PANEL);
    let good = good.to_str().unwrap();
    assert_exit_2(
        &["consensus", good, "--metric", "nope"],
        &["unknown metric 'nope'"],
    );
    assert_exit_2(
        &["consensus", good, "--threshold", "2"],
        &["threshold 2 is not a number in [0, 1]"],
    );
    assert_exit_2(
        &["consensus", good, "--metric", "hamming"],
        &["hamming needs strings of equal length"],
    );
    assert_exit_2(
        &["vote", good, "--extract", "(oops"],
        &["invalid --extract"],
    );
    assert_exit_2(&["consensus", "/nonexistent/x.json"], &["cannot read"]);
}

/// A deterministic panel of `n` distinct 60-word answers in 8 topics.
fn big_panel(n: usize) -> String {
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut out = String::new();
    for i in 0..n {
        let topic = i % 8;
        let words: Vec<String> = (0..60)
            .map(|k| {
                if next() % 4 == 0 {
                    format!("v{}", next() % 500)
                } else {
                    format!("t{topic}w{k}")
                }
            })
            .collect();
        let conf = (next() % 101) as f64 / 100.0;
        out.push_str(&format!(
            "{{\"expert\": \"e{i}\", \"content\": \"{}\", \"confidence\": {conf}, \"recommendations\": [\"fix t{topic}\"]}}\n",
            words.join(" ")
        ));
    }
    out
}

#[test]
fn same_bytes_on_one_and_two_threads_and_on_repeated_runs() {
    let path = temp_file("big.jsonl", &big_panel(300));
    let path = path.to_str().unwrap();
    let with_threads = |t: &str| {
        let out = conclave()
            .args([
                "consensus",
                path,
                "--format",
                "json",
                "--matrix",
                "--threshold",
                "0.5",
            ])
            .env("RAYON_NUM_THREADS", t)
            .output()
            .unwrap();
        assert!(out.status.success());
        out.stdout
    };
    let one = with_threads("1");
    let two = with_threads("2");
    assert!(one == two, "1 and 2 threads differ");
    assert!(with_threads("2") == two, "repeated runs differ");
    let v: Value = serde_json::from_slice(&one).unwrap();
    // 8 topics of paraphrases: 8 clusters.
    assert_eq!(v["clusters"].as_array().unwrap().len(), 8);
}

#[test]
fn reversing_the_input_only_renumbers() {
    let text = big_panel(120);
    let lines: Vec<&str> = text.lines().collect();
    let reversed: String = lines.iter().rev().map(|l| format!("{l}\n")).collect();
    let a = temp_file("fwd.jsonl", &text);
    let b = temp_file("rev.jsonl", &reversed);
    let get = |p: &PathBuf| {
        json_of(&run(&[
            "consensus",
            p.to_str().unwrap(),
            "--format",
            "json",
        ]))
    };
    let (a, b) = (get(&a), get(&b));
    let n = lines.len() as u64;
    assert_eq!(
        a["consensus"]["index"].as_u64().unwrap(),
        n - 1 - b["consensus"]["index"].as_u64().unwrap()
    );
    for key in [
        "score",
        "confidence",
        "level",
        "themes",
        "insights",
        "common_recommendations",
    ] {
        assert_eq!(a[key], b[key], "{key}");
    }
    let sets = |v: &Value, flip: bool| {
        let mut s: Vec<Vec<u64>> = v["clusters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                let mut c: Vec<u64> = c
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|i| {
                        let i = i.as_u64().unwrap();
                        if flip { n - 1 - i } else { i }
                    })
                    .collect();
                c.sort();
                c
            })
            .collect();
        s.sort();
        s
    };
    assert_eq!(sets(&a, false), sets(&b, true));
}

const SAMPLES: &str = r#"[
  {"expert": "s1", "content": "so the answer is 24", "confidence": 0.3},
  {"expert": "s2", "content": "The answer is 24.0", "confidence": 0.3},
  {"expert": "s3", "content": "answer is 7... no: the answer is 25", "confidence": 0.9},
  {"expert": "s4", "content": "no idea", "confidence": 0.5},
  {"expert": "s5", "content": "answer is 25", "confidence": 0.9}
]"#;

#[test]
fn vote_json_follows_the_contract() {
    let path = temp_file("samples.json", SAMPLES);
    let path = path.to_str().unwrap();
    let re = r"answer is\s+([-+0-9.]+)";
    let v = json_of(&run(&["vote", path, "--extract", re, "--format", "json"]));
    // 24 and 25 both have 2 votes: 24 occurs first.
    assert_eq!(v["winner"], "24");
    assert_eq!(v["votes"][0]["answer"], "24");
    assert_eq!(v["votes"][0]["count"], 2);
    assert_eq!(v["votes"][0]["experts"], serde_json::json!(["s1", "s2"]));
    assert_eq!(v["votes"][1]["answer"], "25");
    assert_eq!(v["share"], 0.5);
    assert_eq!(v["abstained"], serde_json::json!([3]));
    let w = json_of(&run(&[
        "vote",
        path,
        "--extract",
        re,
        "--weighted",
        "--format",
        "json",
    ]));
    assert_eq!(w["winner"], "25");
    assert_eq!(w["votes"][0]["weight"], 1.8);
    let text = run(&["vote", path, "--extract", re]);
    assert!(text.status.success());
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.starts_with("Winner: 24 (share 0.500)"), "{text}");
}

#[test]
fn vote_without_any_answer_exits_1() {
    let path = temp_file("none.json", SAMPLES);
    let out = run(&[
        "vote",
        path.to_str().unwrap(),
        "--extract",
        r"final: (\d+)",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["winner"], Value::Null);
    assert_eq!(v["abstained"], serde_json::json!([0, 1, 2, 3, 4]));
}

#[test]
fn demo_has_the_consensus_section() {
    let out = run(&["demo"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("## Consensus of the experts"), "{text}");
    // The three database answers agree; the network and cache answers dissent.
    assert!(text.contains("1. [0, 1, 2] sre-bot, db-expert, perf-model  <- consensus"));
    assert!(text.contains("Winner: 24 (share 0.750)"));
}
