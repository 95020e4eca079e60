//! Every limit refuses past its bound with exit 2 and a message naming the limit and its flag,
//! and lets the same input through when the flag raises it (docs/limits.md).

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_conclave");

fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn conclave");
    let mut pipe = child.stdin.take().unwrap();
    let input = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = pipe.write_all(&input);
    });
    let out = child.wait_with_output().expect("wait");
    let _ = writer.join();
    out
}

fn file(name: &str, bytes: &[u8]) -> PathBuf {
    let dir =
        PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("limits-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Exit 2, and stderr names the flag and says "limit".
fn assert_refused(out: &Output, flag: &str) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "stderr: {err}");
    assert!(
        err.contains(flag) && err.contains("limit"),
        "stderr does not name the limit and {flag}: {err}"
    );
}

fn assert_ok(out: &Output) {
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn responses(n: usize) -> String {
    let items: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"expert":"e{i}","content":"answer {}","confidence":0.5}}"#,
                i % 3
            )
        })
        .collect();
    format!("[{}]", items.join(","))
}

#[test]
fn similarity_matrix_item_limit() {
    let strings = serde_json::to_string(&vec!["abc"; 30]).unwrap();
    let path = file("strings.json", strings.as_bytes());
    let p = path.to_str().unwrap();
    assert_refused(
        &run(&["similarity", "--max-items", "29", "--matrix", p], b""),
        "--max-items",
    );
    assert_ok(&run(
        &["similarity", "--max-items", "30", "--matrix", p],
        b"",
    ));
    assert_ok(&run(&["similarity", "--matrix", p], b""));
}

#[test]
fn consensus_item_limit() {
    let r = responses(12);
    assert_refused(
        &run(&["consensus", "--max-items", "11", "-"], r.as_bytes()),
        "--max-items",
    );
    assert_ok(&run(&["consensus", "--max-items", "12", "-"], r.as_bytes()));
}

#[test]
fn input_size_limit() {
    // Just over 1 MiB of valid input for each reader.
    let n = (1 << 20) / 2 + 10;
    let series = format!("[{}]", vec!["1"; n].join(","));
    let strings = serde_json::to_string(&vec!["a"; n / 2]).unwrap();
    let pair = format!("{{\"a\":\"{}\",\"b\":\"x\"}}\n", "a".repeat(1 << 20));
    let big = responses(20_000);
    assert!(series.len() > 1 << 20 && strings.len() > 1 << 20 && big.len() > 1 << 20);
    let cases: [(&[&str], &str); 5] = [
        (&["pattern", "-"], &series),
        (
            &["similarity", "--max-items", "1000000", "--matrix", "-"],
            &strings,
        ),
        (&["similarity", "--pairs", "-"], &pair),
        (&["consensus", "-"], &big),
        (&["vote", "-"], &big),
    ];
    for (args, input) in cases {
        let mut limited = args.to_vec();
        limited.splice(1..1, ["--max-input-mib", "1"]);
        assert_refused(&run(&limited, input.as_bytes()), "--max-input-mib");
    }
    // Raised, the same inputs get past the size check (pattern and pairs finish quickly).
    assert_ok(&run(
        &["pattern", "--max-input-mib", "2", "-"],
        series.as_bytes(),
    ));
    assert_ok(&run(
        &["similarity", "--max-input-mib", "2", "--pairs", "-"],
        pair.as_bytes(),
    ));
}

#[test]
fn log_line_length_limit() {
    let mut log = b"first\nsecond\n".to_vec();
    log.extend(std::iter::repeat_n(b'x', (1 << 20) + 1));
    log.extend_from_slice(b"\nlast\n");
    let path = file("long.log", &log);
    let p = path.to_str().unwrap();
    // Streamed input holds the line whole: refused, naming line 3.
    let out = run(&["logs", "--max-line-mib", "1", "-"], &log);
    assert_refused(&out, "--max-line-mib");
    assert!(String::from_utf8_lossy(&out.stderr).contains("line 3"));
    // Templates hold the line whole too.
    assert_refused(
        &run(&["logs", "--max-line-mib", "1", "--templates", p], b""),
        "--max-line-mib",
    );
    // A mapped file without templates copies no line: no limit applies.
    assert_ok(&run(&["logs", "--max-line-mib", "1", p], b""));
    assert_ok(&run(&["logs", "--max-line-mib", "2", "-"], &log));
}

#[test]
fn argon2_memory_limit() {
    let hash =
        "$argon2id$v=19$m=2097152,t=1,p=1$c29tZXNhbHQ$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    let out = run(&["crypto", "verify-password", hash], b"pw");
    assert_refused(&out, "--force");
}

#[test]
fn scan_probe_limit() {
    // 10.0.0.0/8 x 1 port is above 65,536 probes: refused before anything is sent.
    let out = run(&["scan", "-p", "1", "10.0.0.0/8"], b"");
    assert_refused(&out, "--force");
}
