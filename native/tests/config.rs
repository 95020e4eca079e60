//! `conclave config` end to end: conversions, located errors and exit codes, safety limits, lints.

use std::fs;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_conclave"))
}

/// A scratch file in a folder of this test run.
fn file(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("conclave-config-tests-{}", std::process::id()));
    fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    fs::write(&path, text).expect("write temp file");
    path
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("run conclave")
}

fn run_stdin(args: &[&str], input: &str) -> Output {
    let mut child = bin()
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
        .write_all(input.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("wait")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn multi_document_yaml_prints_one_canonical_json_per_line() {
    let p = file("multi.yaml", "b: 2\na: [1, 'x', ~, 1.5]\n---\n- z\n---\n");
    let o = run(&["config", p.to_str().unwrap(), "--to", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "{\"a\":[1,\"x\",null,1.5],\"b\":2}\n[\"z\"]\nnull\n"
    );
}

#[test]
fn errors_name_file_line_and_column_and_exit_2() {
    for (name, text, place) in [
        ("bad.json", "{\n  \"a\": 1,\n  \"b\": tru\n}", ":3:8: "),
        ("bad.yaml", "a: 1\nb: [1, 2\n", ":3:1: "),
        ("bad.toml", "a = 1\n[t]\nb = \n", ":3:5: "),
    ] {
        let p = file(name, text);
        let o = run(&["config", p.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{name}");
        let err = stderr(&o);
        assert!(err.contains(&format!("{name}{place}")), "{name}: {err}");
        assert!(o.stdout.is_empty(), "{name}: nothing written on error");
    }
}

#[test]
fn billion_laughs_is_refused() {
    let mut text = String::from("l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let p = i - 1;
        let refs = vec![format!("*l{p}"); 9].join(", ");
        text.push_str(&format!("l{i}: &l{i} [{refs}]\n"));
    }
    let p = file("laughs.yaml", &text);
    let o = run(&["config", p.to_str().unwrap(), "--to", "json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("aliases would expand past the budget")
            && stderr(&o).contains("--max-alias-nodes"),
        "{}",
        stderr(&o)
    );
    // A small alias is fine, and the budget is a flag.
    let q = file("alias.yaml", "a: &x [1, 2]\nb: *x\n");
    let o = run(&["config", q.to_str().unwrap(), "--to", "json"]);
    assert_eq!(stdout(&o), "{\"a\":[1,2],\"b\":[1,2]}\n");
    let o = run(&["config", q.to_str().unwrap(), "--max-alias-nodes", "2"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn depth_and_size_limits_have_flags() {
    let deep = format!("{}{}", "[".repeat(30), "]".repeat(30));
    let p = file("deep.json", &deep);
    let path = p.to_str().unwrap();
    assert_eq!(
        run(&["config", path, "--to", "json"]).status.code(),
        Some(0)
    );
    let o = run(&["config", path, "--max-depth", "10"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("deeper than the limit of 10") && stderr(&o).contains("--max-depth"),
        "{}",
        stderr(&o)
    );
    let o = run(&["config", path, "--max-bytes", "20"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--max-bytes"), "{}", stderr(&o));
    let o = run_stdin(&["config", "-", "--max-bytes", "20"], &deep);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn conversions_round_trip() {
    let src = "name: app\non: 'on'\nports: [80, 443]\nservers:\n  - host: a\n    tags: [x, 'y z']\n  - host: b\n    tags: []\nempty: {}\nratio: 0.25\n";
    let p = file("round.yaml", src);
    let json = stdout(&run(&["config", p.to_str().unwrap(), "--to", "json"]));
    for to in ["yaml", "toml"] {
        let converted = run(&["config", p.to_str().unwrap(), "--to", to]);
        assert_eq!(
            converted.status.code(),
            Some(0),
            "{to}: {}",
            stderr(&converted)
        );
        let back = run_stdin(
            &["config", "-", "--from", to, "--to", "json"],
            &stdout(&converted),
        );
        assert_eq!(stdout(&back), json, "{to} output: {}", stdout(&converted));
    }
}

#[test]
fn format_is_detected_from_content() {
    for (text, expect) in [
        ("{\"a\": 1}", "json"),
        ("[server]\nport = 80\n", "toml"),
        ("a: 1\n", "yaml"),
    ] {
        let o = run_stdin(&["config", "-", "--format", "json"], text);
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json outline");
        assert_eq!(v["format"], expect, "{text}");
    }
}

#[test]
fn outline_gives_paths_and_locations() {
    let p = file(
        "outline.toml",
        "[server]\nhost = \"a\"\nports = [80, 8080]\n",
    );
    let o = run(&["config", p.to_str().unwrap()]);
    assert_eq!(
        stdout(&o),
        "server.host = \"a\"  # 2:8\nserver.ports[0] = 80  # 3:10\nserver.ports[1] = 8080  # 3:14\n"
    );
}

#[test]
fn check_reports_findings_and_exits_1_on_errors() {
    let bad = file(
        "svc.yaml",
        "services:\n  web:\n    ports: [8080]\n    password: s3cret\n  api:\n    ports: [\"8080:80\", 0]\nenabled: yes\n",
    );
    let dup = file("dup.json", "{\"a\": 1, \"a\": 2}");
    let o = run(&[
        "config",
        "check",
        bad.to_str().unwrap(),
        dup.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let list: Vec<serde_json::Value> = serde_json::from_slice(&o.stdout).expect("findings JSON");
    let got: Vec<(String, u64, String)> = list
        .iter()
        .map(|f| {
            let file = f["file"].as_str().unwrap_or("");
            let short = file.rsplit('/').next().unwrap_or(file).to_owned();
            (
                short,
                f["line"].as_u64().unwrap_or(0),
                f["rule"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    let want = [
        ("svc.yaml", 4, "plaintext-secret"),
        ("svc.yaml", 6, "port-collision"),
        ("svc.yaml", 6, "port-range"),
        ("svc.yaml", 7, "yaml11-bool"),
        ("dup.json", 1, "duplicate-key"),
    ];
    let want: Vec<(String, u64, String)> = want
        .iter()
        .map(|(f, l, r)| (f.to_string(), *l, r.to_string()))
        .collect();
    assert_eq!(got, want);
    assert!(!stdout(&o).contains("s3cret"), "secrets are never echoed");

    let clean = file(
        "clean.toml",
        "[server]\nport = 80\npassword = \"${DB_PASSWORD}\"\n",
    );
    let o = run(&["config", "check", clean.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stdout(&o).trim(), "[]");

    let warn_only = file("warn.yaml", "enabled: on\n");
    let o = run(&[
        "config",
        "check",
        "--format",
        "text",
        warn_only.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        stdout(&o).contains("warn.yaml:1:10: warning [yaml11-bool]"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn demo_has_a_config_section() {
    let o = run(&["demo"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(out.contains("## Config"), "{out}");
    assert!(out.contains("[port-collision]"), "{out}");
}

#[test]
fn invalid_utf8_is_located() {
    let dir = std::env::temp_dir().join(format!("conclave-config-tests-{}", std::process::id()));
    fs::create_dir_all(&dir).expect("temp dir");
    let p = dir.join("latin1.yaml");
    fs::write(&p, b"a: 1\nb: caf\xe9\n").expect("write");
    let o = run(&["config", p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("latin1.yaml:2:7: "), "{}", stderr(&o));
    assert!(stderr(&o).contains("invalid UTF-8"), "{}", stderr(&o));
}
