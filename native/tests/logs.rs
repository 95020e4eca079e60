//! `conclave logs` end to end: the JSON contract, stdin and gzip, exit 2 on unreadable inputs while
//! the others are still reported, and bad input that must not panic.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_conclave");

fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("conclave-logs-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(BIN)
        .arg("logs")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn conclave");
    let mut input = child.stdin.take().expect("stdin");
    let data = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&data);
    });
    let out = child.wait_with_output().expect("wait");
    let _ = writer.join();
    out
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

const APP: &str = "2024-05-01T12:00:00Z INFO started\n\
2024-05-01T12:00:10Z ERROR db: timeout\n\
2024-05-01T12:01:00+02:00 WARN slow: error budget\n\
2024-05-01T12:01:30Z INFO done";

#[test]
fn json_contract_has_every_key_and_level() {
    let d = dir("contract");
    let p = d.join("app.log");
    std::fs::write(&p, APP).expect("write");
    let path = p.to_str().expect("path");
    let out = run(
        &[
            path,
            "--format",
            "json",
            "--pattern",
            "timeouts=timeout",
            "--templates",
        ],
        b"",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out);
    for key in [
        "files",
        "inputs",
        "bytes",
        "lines",
        "levels",
        "formats",
        "first",
        "last",
        "per_minute",
        "patterns",
        "templates",
    ] {
        assert!(v.get(key).is_some(), "missing {key}: {v}");
    }
    for level in [
        "FATAL", "ERROR", "WARN", "INFO", "DEBUG", "TRACE", "UNKNOWN",
    ] {
        assert!(v["levels"][level].is_u64(), "level {level}: {v}");
    }
    assert_eq!(v["lines"], 4);
    assert_eq!(v["bytes"], APP.len());
    assert_eq!(v["levels"]["ERROR"], 1);
    assert_eq!(
        v["levels"]["WARN"], 1,
        "the WARN line saying error stays WARN"
    );
    assert_eq!(v["formats"]["iso8601"], 4);
    assert_eq!(v["first"], "2024-05-01T10:01:00Z");
    assert_eq!(v["last"], "2024-05-01T12:01:30Z");
    assert_eq!(v["per_minute"]["2024-05-01T12:00"], 2);
    assert_eq!(v["per_minute"]["2024-05-01T10:01"], 1);
    assert_eq!(v["patterns"]["timeouts"], 1);
    let t = v["templates"].as_array().expect("templates");
    assert!(
        t.iter()
            .all(|t| t["template"].is_string() && t["count"].is_u64() && t["first_line"].is_u64())
    );
    let counts: Vec<u64> = t.iter().map(|t| t["count"].as_u64().unwrap_or(0)).collect();
    assert!(
        counts.windows(2).all(|w| w[0] >= w[1]),
        "sorted by count: {counts:?}"
    );
    let _ = std::fs::remove_dir_all(d);
}

#[test]
fn templates_only_when_asked() {
    let out = run(&["-", "--format", "json"], APP.as_bytes());
    assert!(out.status.success());
    let v = json(&out);
    assert!(v.get("templates").is_none());
    assert_eq!(v["files"], 1);
    assert_eq!(v["inputs"][0]["name"], "<stdin>");
    assert_eq!(v["lines"], 4);
}

#[test]
fn gzip_stdin_and_mapped_agree() {
    let d = dir("gzip");
    let plain = d.join("big.log");
    let mut text = String::new();
    for i in 0..200_000u32 {
        let level = ["INFO", "WARN", "ERROR", "DEBUG"][(i % 7 % 4) as usize];
        text.push_str(&format!(
            "2024-05-01T{:02}:{:02}:{:02}Z {level} worker {} handled request {i}\n",
            i / 3600 % 24,
            i / 60 % 60,
            i % 60,
            i % 13
        ));
    }
    std::fs::write(&plain, &text).expect("write");
    let gz = d.join("big.log.gz");
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(text.as_bytes()).expect("gzip");
    std::fs::write(&gz, enc.finish().expect("gzip")).expect("write gz");
    let args = |p: &str| {
        vec![
            p.to_string(),
            "--format".into(),
            "json".into(),
            "--pattern".into(),
            "e=ERROR".into(),
        ]
    };
    let call = |p: &str, stdin: &[u8]| {
        let a = args(p);
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        json(&run(&a, stdin))
    };
    let a = call(plain.to_str().expect("p"), b"");
    let b = call(gz.to_str().expect("p"), b"");
    let c = call("-", text.as_bytes());
    for key in [
        "bytes",
        "lines",
        "levels",
        "formats",
        "first",
        "last",
        "per_minute",
        "patterns",
    ] {
        assert_eq!(a[key], b[key], "{key}: mapped vs gzip");
        assert_eq!(a[key], c[key], "{key}: mapped vs stdin");
    }
    assert_eq!(a["lines"], 200_000);
    // i % 7 % 4 == 2 for i % 7 == 2 or 6
    assert_eq!(
        a["patterns"]["e"],
        (0..200_000u32).filter(|i| i % 7 % 4 == 2).count()
    );
    let _ = std::fs::remove_dir_all(d);
}

#[test]
fn unreadable_input_exits_2_and_others_are_reported() {
    let d = dir("unreadable");
    let p = d.join("ok.log");
    std::fs::write(&p, APP).expect("write");
    let missing = d.join("missing.log");
    let out = run(
        &[
            missing.to_str().expect("p"),
            p.to_str().expect("p"),
            "--format",
            "json",
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(2));
    let v = json(&out);
    assert_eq!(v["lines"], 4);
    assert_eq!(v["files"], 1, "only the readable input counts");
    assert_eq!(v["inputs"].as_array().map(Vec::len), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("missing.log") && err.contains("cannot open"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(d);
}

#[test]
fn bad_input_never_panics() {
    let d = dir("bad");
    let mut long = b"2024-05-01T12:00:00Z ERROR ".to_vec();
    long.extend(std::iter::repeat_n(b'x', 10 * 1024 * 1024));
    long.extend_from_slice(b"\n2024-05-01T12:00:01Z INFO after\n");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(APP.repeat(1000).as_bytes()).expect("gzip");
    let gz = gz.finish().expect("gzip");
    let binary: Vec<u8> = (0..100_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let cases: Vec<(&str, Vec<u8>, i32)> = vec![
        ("empty.log", Vec::new(), 0),
        ("binary.log", binary, 0),
        (
            "nul.log",
            b"\0\0\0\n\0INFO\0\n2024-05-01T12:00:00Z INFO \0 x\n".to_vec(),
            0,
        ),
        (
            "utf8.log",
            b"2024-05-01T12:00:00Z INFO \xff\xfe\xc3\x28 bad\n\xe2\x82\n".to_vec(),
            0,
        ),
        ("long.log", long, 0),
        ("truncated.log.gz", gz[..gz.len() / 2].to_vec(), 2),
        ("notgzip.log.gz", b"plain text, not gzip".to_vec(), 2),
    ];
    for (name, bytes, code) in cases {
        let p = d.join(name);
        std::fs::write(&p, &bytes).expect("write");
        let path = p.to_str().expect("p");
        for args in [vec![path, "--format", "json", "--templates"], vec![path]] {
            let out = run(&args, b"");
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(!err.contains("panicked"), "{name}: {err}");
            assert_eq!(out.status.code(), Some(code), "{name}: {err}");
        }
        let v = json(&run(&[path, "--format", "json"], b""));
        let levels: u64 = v["levels"]
            .as_object()
            .expect("levels")
            .values()
            .filter_map(Value::as_u64)
            .sum();
        assert_eq!(
            levels,
            v["lines"].as_u64().expect("lines"),
            "{name}: one level per line"
        );
        if name == "long.log" {
            assert_eq!(v["lines"], 2);
            assert_eq!(v["levels"]["ERROR"], 1);
        }
        if name == "empty.log" {
            assert_eq!(v["lines"], 0);
            assert_eq!(v["inputs"][0]["format"], "unknown");
        }
    }
    let _ = std::fs::remove_dir_all(d);
}

#[test]
fn bad_arguments_are_errors() {
    let out = run(&["-", "--pattern", "nameonly"], b"");
    assert_eq!(out.status.code(), Some(2));
    let out = run(&["-", "--pattern", "p=("], b"");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("pattern \"p\""));
}

#[test]
fn demo_has_a_log_section() {
    let out = Command::new(BIN).arg("demo").output().expect("demo");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Log analysis"), "{text}");
    assert!(text.contains("ERROR 2"), "{text}");
}
