//! The CLI never exits by a panic (101) or a signal: every subcommand runs over a battery of
//! malformed inputs (empty, truncated, seeded random bytes, 100k-deep nesting in JSON, YAML and
//! TOML, YAML alias bombs, huge numbers, invalid UTF-8, NUL bytes, a 10 MB line) and malformed
//! arguments, and must exit 0, 1 or 2. Exit 2 must carry a message on stderr; exit 1 (a negative
//! answer: a mismatch, findings, no winner) must print its answer on stdout or stderr. Every
//! failing case is reported by name.
//!
//! `scan` only meets target, port and cache errors, or loopback (127.0.0.1) with port 1.

use std::ffi::OsString;
use std::io::Write;
use std::os::unix::ffi::OsStringExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_conclave");
/// A run that takes longer than this is a hang.
const TIMEOUT: Duration = Duration::from_secs(180);

/// xorshift64*: seeded bytes, the same on every run.
fn random_bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed.max(1);
    (0..len)
        .map(|_| {
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            (x.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 56) as u8
        })
        .collect()
}

/// The malformed inputs, by name.
fn inputs() -> Vec<(&'static str, Vec<u8>)> {
    let responses = br#"[{"expert":"a","content":"the answer is 4","confidence":0.9},{"expert":"b","content":"4","confidence":0.5}]"#;
    let mut ten_mb = vec![b'x'; 10 << 20];
    ten_mb.push(b'\n');
    let mut huge_digits = b"[1".to_vec();
    huge_digits.extend(std::iter::repeat_n(b'9', 5000));
    huge_digits.extend_from_slice(b", 1e999999, -1e400, 18446744073709551616]");
    // YAML's billion laughs: 10 levels of 10 aliases each.
    let mut laughs = String::from("a0: &a0 [lol]\n");
    for level in 1..10 {
        let prev = format!("*a{}", level - 1);
        laughs.push_str(&format!(
            "a{level}: &a{level} [{}]\n",
            vec![prev; 10].join(", ")
        ));
    }
    vec![
        ("empty", Vec::new()),
        ("truncated", responses[..responses.len() / 2].to_vec()),
        ("random", random_bytes(0x5eed, 1 << 16)),
        ("random-small", random_bytes(42, 257)),
        ("deep-arrays", vec![b'['; 100_000]),
        ("deep-objects", b"{\"a\":".repeat(100_000)),
        ("deep-closed", [vec![b'['; 100_000], vec![b']'; 100_000]].concat()),
        ("huge-numbers", huge_digits),
        (
            "huge-confidence",
            br#"[{"expert":"a","content":"4","confidence":1e999},{"expert":"b","content":"4","confidence":-1e400}]"#.to_vec(),
        ),
        ("csv-huge", b"a,b\n1e308,1e308\n-1e308,1e308\nnan,inf\n".to_vec()),
        (
            "invalid-utf8",
            b"[{\"expert\":\"a\",\"content\":\"\xff\xfe\xc3(\"}]\n\xc0\xaf\n".to_vec(),
        ),
        ("nul-bytes", b"a\x00b\x00\n\x00\x00{\"a\":\"\x00\"}\n\x00".to_vec()),
        ("ten-mb-line", ten_mb),
        ("yaml-laughs", laughs.into_bytes()),
        ("deep-yaml-block", [b"- ".repeat(50_000), b"x\n".to_vec()].concat()),
        ("deep-yaml-flow-maps", b"{a: ".repeat(100_000)),
        (
            "deep-toml-arrays",
            [b"a = ".to_vec(), vec![b'['; 100_000]].concat(),
        ),
        (
            "deep-toml-tables",
            [b"a = ".to_vec(), b"{b = ".repeat(50_000)].concat(),
        ),
        (
            "deep-toml-dotted",
            [b"a".to_vec(), b".a".repeat(50_000), b" = 1\n".to_vec()].concat(),
        ),
        ("toml-header-deep", [b"[a".to_vec(), b".a".repeat(50_000), b"]\n".to_vec()].concat()),
        (
            "long-pair",
            format!(
                "{{\"a\":\"{}\",\"b\":\"{}\"}}\n",
                "ab".repeat(50_000),
                "ba".repeat(50_000)
            )
            .into_bytes(),
        ),
    ]
}

/// The command lines run over each input file (`{}` is the file).
fn commands(key: &str, pw: &str) -> Vec<Vec<String>> {
    let templates: &[&[&str]] = &[
        &["similarity", "--pairs", "{}"],
        &["similarity", "--metric", "token-set", "--pairs", "{}"],
        &["similarity", "--matrix", "{}"],
        &["similarity", "--metric", "cosine", "--matrix", "{}"],
        &["consensus", "{}"],
        &["consensus", "--matrix", "--format", "json", "{}"],
        &["vote", "{}"],
        &[
            "vote",
            "--weighted",
            "--extract",
            r"(\d+)",
            "--format",
            "json",
            "{}",
        ],
        &["logs", "{}"],
        &[
            "logs",
            "--templates",
            "--pattern",
            "e=(?i)error",
            "--format",
            "json",
            "{}",
        ],
        &["config", "{}"],
        &["config", "--from", "yaml", "--to", "json", "{}"],
        &["config", "--from", "json", "--to", "yaml", "{}"],
        &["config", "--from", "toml", "--to", "toml", "{}"],
        &["config", "--from", "yaml", "--format", "json", "{}"],
        &["config", "check", "{}"],
        &["config", "check", "--from", "toml", "{}"],
        &["pattern", "{}"],
        &["pattern", "--skip-invalid", "--format", "json", "{}"],
        &["pattern", "--column", "a", "{}"],
        &["crypto", "verify-password", "--batch", "{}"],
        &["crypto", "decrypt", "--key-file", key, "-o", "-", "{}"],
        &["crypto", "decrypt", "--passphrase-file", pw, "{}"],
        &[
            "crypto",
            "hmac-verify",
            "--key-file",
            key,
            "--tag",
            &"ab".repeat(32),
            "{}",
        ],
        &[
            "crypto",
            "hmac-verify",
            "--key-file",
            "{}",
            "--tag",
            "00",
            "{}",
        ],
        &["crypto", "decrypt", "--key-file", "{}", "{}"],
        &["crypto", "sha256", "{}"],
        &[
            "scan",
            "--config",
            "{}",
            "--timeout-ms",
            "50",
            "-p",
            "1",
            "127.0.0.1",
        ],
        &[
            "scan",
            "--cache",
            "{}",
            "--timeout-ms",
            "50",
            "-p",
            "1",
            "127.0.0.1",
        ],
    ];
    templates
        .iter()
        .map(|t| t.iter().map(|s| s.to_string()).collect())
        .collect()
}

/// Argument batteries that need no input file. Every `scan` line here must fail in parsing.
fn argument_cases() -> Vec<Vec<OsString>> {
    let s = |v: &[&str]| v.iter().map(OsString::from).collect::<Vec<_>>();
    let mut cases = vec![
        s(&["similarity"]),
        s(&["similarity", "a"]),
        s(&["similarity", "", ""]),
        s(&["similarity", "--metric", "nope", "a", "b"]),
        s(&["similarity", "--metric", "hamming", "ab", "abc"]),
        s(&["pattern", "--max-lag", "18446744073709551615", "-"]),
        s(&["pattern", "--top", "99999999999999999999999", "-"]),
        s(&["consensus", "--threshold", "1e400", "-"]),
        s(&["consensus", "--threshold", "NaN", "-"]),
        s(&["consensus", "--metric", "nope", "-"]),
        s(&["vote", "--extract", "(", "-"]),
        s(&["vote", "--extract", "a{99999999}", "-"]),
        s(&["logs", "--pattern", "x=(", "-"]),
        s(&["logs", "--pattern", "noequals", "-"]),
        s(&["logs", "--pattern", "x=a{99999999}", "-"]),
        s(&["logs", "--year", "99999999999", "-"]),
        s(&["crypto", "verify-password", ""]),
        s(&["crypto", "verify-password", "$argon2id$v=19$m=8,t=1,p=1$$"]),
        s(&[
            "crypto",
            "verify-password",
            "$argon2id$v=19$m=4294967295,t=4294967295,p=16777215$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        ]),
        s(&[
            "crypto",
            "verify-password",
            "$argon2id$v=19$m=99999999999999999999,t=1,p=1$AAAA$AAAA",
        ]),
        s(&[
            "crypto",
            "verify-password",
            "$argon2id$v=19$m=8,t=1,p=0$AAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA",
        ]),
        s(&["crypto", "verify-password", &"$".repeat(100_000)]),
        s(&["crypto", "sha256", "/nonexistent/conclave-battery"]),
        s(&["crypto", "sha256", "/"]),
        s(&["scan"]),
        s(&["scan", "--top", "0", "127.0.0.1"]),
        s(&["scan", "--top", "999999999999999999999999", "127.0.0.1"]),
        s(&["scan", "--concurrency", "0", "-p", "1", "127.0.0.1"]),
        s(&["scan", "--rate", "0", "-p", "1", "127.0.0.1"]),
    ];
    for ports in [
        "",
        "0",
        "65536",
        "5-1",
        "1-99999999999999999999",
        ",,,",
        "1,,2",
        "a",
        "99999999999999999999999",
        "1-2-3",
        "\u{0660}",
    ] {
        cases.push(s(&["scan", "-p", ports, "127.0.0.1"]));
    }
    for target in [
        "",
        "999.1.1.1",
        "10.0.0.0/0",
        "::/0",
        "::1/200",
        "[::1",
        "127.0.0.1:99999",
        "127.0.0.1:0",
        "[::1]:",
        "127.0.0.1/33",
        "0.0.0.0/-1",
        ":::::",
        "[127.0.0.1]:1",
        "127.0.0.1/99999999999999999999",
        "127.0.0.1:1-99999999999999999999",
    ] {
        cases.push(s(&["scan", "--timeout-ms", "50", "-p", "1", target]));
    }
    // Invalid UTF-8 in arguments.
    let bad = OsString::from_vec(b"\xff\xfe".to_vec());
    cases.push(vec!["similarity".into(), bad.clone(), "x".into()]);
    cases.push(vec![
        "scan".into(),
        "-p".into(),
        bad.clone(),
        "127.0.0.1".into(),
    ]);
    cases.push(vec!["scan".into(), bad.clone()]);
    cases.push(vec![
        "logs".into(),
        "--pattern".into(),
        bad.clone(),
        "-".into(),
    ]);
    cases.push(vec!["crypto".into(), "verify-password".into(), bad]);
    cases
}

struct Outcome {
    code: Option<i32>,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
}

fn run(args: &[OsString], stdin: &[u8]) -> Outcome {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn conclave");
    let mut pipe = child.stdin.take().expect("stdin");
    let input = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = pipe.write_all(&input);
    });
    let (stdout, stderr) = (child.stdout.take().unwrap(), child.stderr.take().unwrap());
    let read = |mut r: Box<dyn std::io::Read + Send>| {
        std::thread::spawn(move || {
            let mut v = Vec::new();
            let _ = r.read_to_end(&mut v);
            v
        })
    };
    let (out, err) = (read(Box::new(stdout)), read(Box::new(stderr)));
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break Some(status);
        }
        if start.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let _ = writer.join();
    Outcome {
        code: status.and_then(|s| s.code()),
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    }
}

/// Why an outcome breaks the contract, if it does.
fn verdict(o: &Outcome) -> Option<String> {
    let tail = |b: &[u8]| String::from_utf8_lossy(&b[b.len().saturating_sub(400)..]).into_owned();
    match o.code {
        None => Some(format!(
            "killed by a signal or hung; stderr: {}",
            tail(&o.stderr)
        )),
        Some(0) => None,
        Some(1) if !o.stdout.is_empty() || !o.stderr.is_empty() => None,
        Some(1) => Some("exit 1 with no output".into()),
        Some(2) if !o.stderr.is_empty() => None,
        Some(2) => Some("exit 2 with nothing on stderr".into()),
        Some(c) => Some(format!("exit {c}; stderr: {}", tail(&o.stderr))),
    }
}

fn scratch() -> PathBuf {
    let dir =
        Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("battery-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn every_subcommand_survives_malformed_files() {
    let dir = scratch();
    let key = dir.join("key");
    std::fs::write(&key, [7u8; 32]).unwrap();
    let pw = dir.join("pw");
    std::fs::write(&pw, "pw\n").unwrap();
    let cmds = commands(key.to_str().unwrap(), pw.to_str().unwrap());
    let (mut failures, mut total) = (Vec::new(), 0);
    for (name, bytes) in inputs() {
        let file = dir.join(name);
        std::fs::write(&file, &bytes).unwrap();
        for cmd in &cmds {
            // Each command once on the file, and the first form once more on stdin.
            let args: Vec<OsString> = cmd
                .iter()
                .map(|a| {
                    if a == "{}" {
                        file.clone().into()
                    } else {
                        a.into()
                    }
                })
                .collect();
            total += 1;
            if let Some(why) = verdict(&run(&args, b"")) {
                failures.push(format!("{name}: conclave {}: {why}", cmd.join(" ")));
            }
        }
        for cmd in [
            &["logs", "-"][..],
            &["consensus", "-"],
            &["pattern", "-"],
            &["config", "--to", "json", "-"],
            &["crypto", "sha256", "-"],
        ] {
            let args: Vec<OsString> = cmd.iter().map(OsString::from).collect();
            total += 1;
            if let Some(why) = verdict(&run(&args, &bytes)) {
                failures.push(format!(
                    "{name} on stdin: conclave {}: {why}",
                    cmd.join(" ")
                ));
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        failures.is_empty(),
        "{} of {total} runs broke the exit contract:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_subcommand_survives_malformed_arguments() {
    let (mut failures, mut total) = (Vec::new(), 0);
    for args in argument_cases() {
        total += 1;
        let shown = args
            .iter()
            .map(|a| a.to_string_lossy())
            .collect::<Vec<_>>()
            .join(" ");
        let shown: String = shown.chars().take(120).collect();
        let o = run(&args, br#"[{"expert":"a","content":"4","confidence":1}]"#);
        let scan = args[0] == "scan";
        if let Some(why) = verdict(&o) {
            failures.push(format!("conclave {shown}: {why}"));
        } else if scan && o.code != Some(2) {
            // These specs are all malformed: nothing may have been scanned.
            failures.push(format!("conclave {shown}: exit {:?}, expected 2", o.code));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {total} runs broke the exit contract:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_contract_rejects_panics_signals_and_silent_errors() {
    let o = |code, out: &[u8], err: &[u8]| Outcome {
        code,
        stdout: out.to_vec(),
        stderr: err.to_vec(),
    };
    assert!(verdict(&o(Some(101), b"", b"thread 'main' panicked")).is_some());
    assert!(verdict(&o(None, b"", b"")).is_some());
    assert!(verdict(&o(Some(2), b"oops", b"")).is_some());
    assert!(verdict(&o(Some(1), b"", b"")).is_some());
    assert!(verdict(&o(Some(2), b"", b"conclave: bad")).is_none());
    assert!(verdict(&o(Some(1), b"mismatch\n", b"")).is_none());
    assert!(verdict(&o(Some(0), b"", b"")).is_none());
}
