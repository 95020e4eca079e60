//! The `conclave similarity` command-line contract.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn conclave(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_conclave"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn conclave");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin)
        .expect("write stdin");
    child.wait_with_output().expect("wait")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("utf-8 stdout")
}

#[test]
fn one_pair_prints_the_distance_or_the_similarity() {
    let o = conclave(
        &["similarity", "--metric", "levenshtein", "kitten", "sitting"],
        b"",
    );
    assert!(o.status.success());
    assert_eq!(stdout(&o), "3\n");
    let o = conclave(&["similarity", "--metric", "jaro", "MARTHA", "MARHTA"], b"");
    let v: f64 = stdout(&o).trim().parse().expect("a number");
    assert!((v - 0.944_444_444_444_444_4).abs() < 1e-12);
}

#[test]
fn json_has_distance_only_where_the_metric_has_one() {
    let o = conclave(
        &[
            "similarity",
            "--metric",
            "indel",
            "--format",
            "json",
            "abc",
            "abd",
        ],
        b"",
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(v["distance"], 2);
    assert_eq!(v["similarity"].as_f64(), Some(1.0 - 2.0 / 6.0));
    let o = conclave(
        &[
            "similarity",
            "--metric",
            "cosine",
            "--format",
            "json",
            "a b",
            "b c",
        ],
        b"",
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert!(v.get("distance").is_none());
    assert_eq!(v["similarity"].as_f64(), Some(0.5));
}

#[test]
fn pairs_from_stdin_one_line_out_per_line_in() {
    let input = b"{\"a\": \"kitten\", \"b\": \"sitting\"}\n\n{\"a\": \"\", \"b\": \"abc\"}\n";
    let o = conclave(
        &["similarity", "--metric", "levenshtein", "--pairs", "-"],
        input,
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let lines: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["distance"], 3);
    assert_eq!(lines[1]["distance"], 3);
    assert_eq!(lines[1]["similarity"].as_f64(), Some(0.0));
}

#[test]
fn malformed_pair_line_is_named_and_nothing_is_written() {
    let input = b"{\"a\": \"x\", \"b\": \"y\"}\n{\"a\": \"x\"}\n";
    let o = conclave(&["similarity", "--pairs", "-"], input);
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty(), "output must be whole or nothing");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("<stdin>:2"), "{err}");
}

#[test]
fn matrix_of_a_json_array() {
    let o = conclave(
        &["similarity", "--metric", "jaccard", "--matrix", "-"],
        br#"["a b", "b c", "x"]"#,
    );
    assert!(o.status.success());
    let m: Vec<Vec<f64>> = serde_json::from_str(&stdout(&o)).expect("matrix");
    assert_eq!(
        m,
        vec![
            vec![1.0, 1.0 / 3.0, 0.0],
            vec![1.0 / 3.0, 1.0, 0.0],
            vec![0.0, 0.0, 1.0]
        ]
    );
}

#[test]
fn bad_input_exits_2_with_a_message() {
    let cases: [(&[&str], &[u8]); 5] = [
        (&["similarity", "--metric", "nope", "a", "b"], b""),
        (&["similarity", "--metric", "hamming", "abc", "ab"], b""),
        (&["similarity", "--matrix", "-"], b"[\"a\", 3]"),
        (
            &["similarity", "--pairs", "-"],
            b"{\"a\": \"\xff\", \"b\": \"x\"}\n",
        ),
        (&["similarity", "--matrix", "/nonexistent/file.json"], b""),
    ];
    for (args, stdin) in cases {
        let o = conclave(args, stdin);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(!o.stderr.is_empty(), "{args:?}");
    }
    let o = conclave(
        &["similarity", "--pairs", "-"],
        b"{\"a\": \"\xff\", \"b\": \"x\"}\n",
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("<stdin>:1:8: invalid UTF-8"));
}

#[test]
fn long_astral_and_combining_inputs() {
    // An argument may hold 128 KiB at most: 30k chars on the command line, 100k through --pairs.
    let a = "😀e\u{301}".repeat(10_000);
    let b = format!("{a}x");
    let o = conclave(&["similarity", "--metric", "levenshtein", &a, &b], b"");
    assert_eq!(stdout(&o), "1\n");
    let long = "😀e\u{301}".repeat(34_000);
    let line = serde_json::json!({"a": long, "b": format!("x{long}")}).to_string();
    let o = conclave(
        &["similarity", "--metric", "indel", "--pairs", "-"],
        line.as_bytes(),
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(v["distance"], 1);
}

#[test]
fn demo_runs() {
    let o = conclave(&["demo"], b"");
    assert!(o.status.success());
    assert!(stdout(&o).contains("Similarity of the experts' answers"));
}

#[test]
fn matrix_bytes_identical_on_one_and_two_threads() {
    let texts: Vec<String> = (0..40)
        .map(|i| format!("expert {i} says the pool {} is {}", i % 7, i % 3))
        .collect();
    let input = serde_json::to_vec(&texts).expect("json");
    for metric in [
        "cosine",
        "jaccard",
        "levenshtein",
        "token-set",
        "jaro-winkler",
    ] {
        let run = |threads: &str| {
            let mut child = Command::new(env!("CARGO_BIN_EXE_conclave"))
                .args(["similarity", "--metric", metric, "--matrix", "-"])
                .env("RAYON_NUM_THREADS", threads)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .spawn()
                .expect("spawn");
            child
                .stdin
                .take()
                .expect("stdin")
                .write_all(&input)
                .expect("write");
            child.wait_with_output().expect("wait").stdout
        };
        let one = run("1");
        assert!(!one.is_empty());
        assert_eq!(one, run("2"), "{metric}");
    }
}
