//! `-o/--output FILE` on every report-writing command: the report lands whole in FILE, stdout
//! stays empty, and a failed run leaves the previous FILE untouched with no temporary file beside it.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("conclave-output-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn conclave(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_conclave"))
        .args(args)
        .output()
        .unwrap()
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// (name, input file text, the command's arguments before `-o`, with `IN` for the input path).
const CASES: &[(&str, &str, &[&str])] = &[
    (
        "config.yaml",
        "a: 1\nb: [x, y]\n",
        &["config", "IN", "--to", "json"],
    ),
    (
        "experts.json",
        r#"[{"expert":"a","content":"use a cache","confidence":0.9},
            {"expert":"b","content":"use a cache please","confidence":0.8}]"#,
        &["consensus", "IN", "--format", "json"],
    ),
    (
        "votes.json",
        r#"[{"expert":"a","content":"42","confidence":0.9},
            {"expert":"b","content":"42.0","confidence":0.8}]"#,
        &["vote", "IN", "--format", "json"],
    ),
    (
        "app.log",
        "2026-01-01T10:00:00Z ERROR boom\n2026-01-01T10:01:00Z INFO fine\n",
        &["logs", "IN", "--format", "json"],
    ),
    (
        "series.txt",
        "1\n2\n3\n4\n5\n6\n7\n8\n",
        &["pattern", "IN", "--format", "json"],
    ),
    (
        "texts.json",
        r#"["kitten", "sitting", "mitten"]"#,
        &["similarity", "--matrix", "IN", "--format", "json"],
    ),
];

#[test]
fn output_file_holds_exactly_what_stdout_would() {
    for (name, text, args) in CASES {
        let dir = scratch(name);
        let input = dir.join(name);
        fs::write(&input, text).unwrap();
        let input = input.to_str().unwrap();
        let args: Vec<&str> = args
            .iter()
            .map(|a| if *a == "IN" { input } else { a })
            .collect();
        let to_stdout = conclave(&args);
        assert!(to_stdout.status.success(), "{name}: {to_stdout:?}");
        assert!(!to_stdout.stdout.is_empty(), "{name}: empty report");

        let out = dir.join("report.out");
        let mut with_file = args.clone();
        with_file.extend(["-o", out.to_str().unwrap()]);
        let to_file = conclave(&with_file);
        assert!(to_file.status.success(), "{name}: {to_file:?}");
        assert!(to_file.stdout.is_empty(), "{name}: stdout not empty");
        assert_eq!(fs::read(&out).unwrap(), to_stdout.stdout, "{name}");
        let mut expected = vec![name.to_string(), "report.out".to_string()];
        expected.sort();
        assert_eq!(entries(&dir), expected, "{name}: a temporary file was left");
        fs::remove_dir_all(&dir).unwrap();
    }
}

#[test]
fn failed_run_keeps_the_previous_output_and_leaves_no_temporary_file() {
    let dir = scratch("failed");
    let bad = dir.join("bad.json");
    fs::write(&bad, "{\"a\": [1, 2,\n").unwrap();
    let out = dir.join("out.json");
    fs::write(&out, "previous\n").unwrap();
    for args in [
        vec!["config", bad.to_str().unwrap(), "--to", "yaml"],
        vec!["consensus", bad.to_str().unwrap()],
        vec!["pattern", dir.join("missing").to_str().unwrap()],
    ] {
        let mut args = args.clone();
        args.extend(["-o", out.to_str().unwrap()]);
        let run = conclave(&args);
        assert_eq!(run.status.code(), Some(2), "{args:?}: {run:?}");
        assert!(!run.stderr.is_empty(), "{args:?}: no message");
        assert_eq!(fs::read_to_string(&out).unwrap(), "previous\n", "{args:?}");
        assert_eq!(entries(&dir), vec!["bad.json", "out.json"], "{args:?}");
    }
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn unwritable_output_is_an_error_naming_the_file() {
    let dir = scratch("unwritable");
    let input = dir.join("c.yaml");
    fs::write(&input, "a: 1\n").unwrap();
    let out = dir.join("no-such-folder").join("out.json");
    let run = conclave(&[
        "config",
        input.to_str().unwrap(),
        "--to",
        "json",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(2), "{run:?}");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("no-such-folder"), "{stderr}");
    fs::remove_dir_all(&dir).unwrap();
}
