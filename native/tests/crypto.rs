//! `conclave crypto` end to end: exit codes (0 match, 1 mismatch, 2 malformed or error), secrets
//! only from stdin or files, atomic outputs (a failed decrypt leaves nothing behind), the
//! envelope's distinct errors, and HMAC/SHA-256 against published vectors.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

fn conclave(args: &[&str], stdin: &[u8]) -> Out {
    let mut child = Command::new(env!("CARGO_BIN_EXE_conclave"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn conclave");
    // A command may exit before reading stdin (argument errors): ignore a closed pipe.
    let _ = child.stdin.take().expect("stdin").write_all(stdin);
    let out = child.wait_with_output().expect("wait");
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Asserts that an error message mentions `needle`.
#[track_caller]
fn says(stderr: &str, needle: &str) {
    assert!(stderr.contains(needle), "expected {needle:?} in: {stderr}");
}

/// A fresh folder under the target directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("crypto-{name}"));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

const FAST: [&str; 4] = ["--memory-kib", "64", "--passes", "1"];

fn args<'a>(head: &[&'a str], tail: &[&'a str]) -> Vec<&'a str> {
    head.iter().chain(tail).copied().collect()
}

#[test]
fn hash_and_verify_password_exit_codes() {
    let out = conclave(&args(&["crypto", "hash-password"], &FAST), b"hunter2\n");
    assert_eq!(out.code, 0, "{}", out.stderr);
    let hash = out.stdout.trim().to_owned();
    assert!(hash.starts_with("$argon2id$v=19$m=64,t=1,p=1$"), "{hash}");
    let verify = |pw: &[u8], h: &str| conclave(&["crypto", "verify-password", h], pw);
    let ok = verify(b"hunter2\n", &hash);
    assert_eq!((ok.code, ok.stdout.as_str()), (0, "match\n"));
    // CRLF endings are dropped too; other bytes count.
    assert_eq!(verify(b"hunter2\r\n", &hash).code, 0);
    let bad = verify(b"hunter2 \n", &hash);
    assert_eq!((bad.code, bad.stdout.as_str()), (1, "mismatch\n"));
    let malformed = verify(
        b"x",
        "$argon2id$v=19$m=64,t=1$c2FsdHNhbHQ$AAAAAAAAAAAAAAAAAAAAAA",
    );
    assert_eq!(malformed.code, 2);
    says(malformed.stderr.as_str(), "parameters");
    // Two hashes of the same password differ (fresh salts).
    let again = conclave(&args(&["crypto", "hash-password"], &FAST), b"hunter2\n");
    assert_ne!(again.stdout.trim(), hash);
}

#[test]
fn verify_password_against_a_reference_phc_string() {
    // phc-winner-argon2 test.c: argon2id v19, m=256, t=2, p=1, "password" / "somesalt".
    let hash =
        "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4";
    let dir = scratch("reference");
    let file = dir.join("pw");
    fs::write(&file, "password\n").unwrap();
    let out = conclave(
        &[
            "crypto",
            "verify-password",
            hash,
            "--password-file",
            s(&file),
        ],
        b"",
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        conclave(&["crypto", "verify-password", hash], b"passwore").code,
        1
    );
}

#[test]
fn passwords_are_never_taken_from_argv() {
    for flag in ["--password", "--passphrase", "--key"] {
        let out = conclave(&["crypto", "hash-password", flag, "hunter2"], b"");
        assert_eq!(out.code, 2, "{flag} accepted");
    }
}

#[test]
fn absurd_argon2_parameters_need_force() {
    let out = conclave(
        &["crypto", "hash-password", "--memory-kib", "4000000"],
        b"pw\n",
    );
    assert_eq!(out.code, 2);
    says(&out.stderr, "pass --force to allow it");
    let huge = "$argon2id$v=19$m=4294967295,t=1,p=1$c29tZXNhbHQ$AAAAAAAAAAAAAAAAAAAAAA";
    let out = conclave(&["crypto", "verify-password", huge], b"pw\n");
    assert_eq!(out.code, 2);
    says(out.stderr.as_str(), "above the limit");
    let out = conclave(&["crypto", "hash-password", "--passes", "100"], b"pw\n");
    assert_eq!(out.code, 2);
    let out = conclave(
        &[
            "crypto",
            "hash-password",
            "--memory-kib",
            "64",
            "--passes",
            "65",
            "--force",
        ],
        b"pw\n",
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
}

#[test]
fn batch_hash_and_verify() {
    let passwords = ["alpha", "bravo", "charlie", "delta", "echo"];
    let input = passwords.join("\n") + "\n";
    let out = conclave(
        &args(
            &["crypto", "hash-password", "--batch", "--threads", "2"],
            &FAST,
        ),
        input.as_bytes(),
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let hashes: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(hashes.len(), 5);
    let dir = scratch("batch");
    let jsonl: String = hashes
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let pw = if i == 3 { "wrong" } else { passwords[i] };
            format!("{}\n", serde_json::json!({ "password": pw, "hash": h }))
        })
        .collect();
    fs::write(dir.join("items.jsonl"), &jsonl).unwrap();
    let path = dir.join("items.jsonl");
    let out = conclave(&["crypto", "verify-password", "--batch", s(&path)], b"");
    assert_eq!(out.code, 1, "{}", out.stderr);
    let rows: Vec<serde_json::Value> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let matches: Vec<bool> = rows.iter().map(|r| r["match"].as_bool().unwrap()).collect();
    assert_eq!(matches, [true, true, true, false, true]);
    // All right: exit 0. A malformed hash among them: exit 2, with the line named.
    let all_right: String = jsonl.replace("\"wrong\"", "\"delta\"");
    fs::write(&path, &all_right).unwrap();
    assert_eq!(
        conclave(&["crypto", "verify-password", "--batch", s(&path)], b"").code,
        0
    );
    fs::write(
        &path,
        all_right + "{\"password\": \"x\", \"hash\": \"$argon2id$nope\"}\n",
    )
    .unwrap();
    let out = conclave(&["crypto", "verify-password", "--batch", s(&path)], b"");
    assert_eq!(out.code, 2);
    assert!(
        out.stdout.contains("\"line\":6") && out.stdout.contains("malformed"),
        "{}",
        out.stdout
    );
}

fn write_key(dir: &Path, name: &str, contents: &[u8]) -> PathBuf {
    let p = dir.join(name);
    fs::write(&p, contents).unwrap();
    p
}

fn sample(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 131 % 253) as u8).collect()
}

/// Files in `dir` other than the given names (leftover temporaries would show here).
fn others(dir: &Path, known: &[&str]) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !known.contains(&n.as_str()))
        .collect();
    names.sort();
    names
}

#[test]
fn encrypt_decrypt_round_trip_with_raw_and_hex_keys() {
    let dir = scratch("roundtrip");
    let raw = write_key(&dir, "raw.key", &[0x5a; 32]);
    let hex = write_key(&dir, "hex.key", format!("{}\n", "5a".repeat(32)).as_bytes());
    let data = sample(300_000);
    fs::write(dir.join("plain"), &data).unwrap();
    let (plain, sealed, back) = (dir.join("plain"), dir.join("sealed"), dir.join("back"));
    let enc = conclave(
        &[
            "crypto",
            "encrypt",
            "--key-file",
            s(&raw),
            "--chunk-log2",
            "12",
            "-o",
            s(&sealed),
            s(&plain),
        ],
        b"",
    );
    assert_eq!(enc.code, 0, "{}", enc.stderr);
    let env = fs::read(&sealed).unwrap();
    assert_eq!(&env[..8], b"CNVE\x01\x01\x0c\x00");
    assert_eq!(env.len(), 52 + data.len() + 16 * data.len().div_ceil(4096));
    // The hex key file is the same key.
    let dec = conclave(
        &[
            "crypto",
            "decrypt",
            "--key-file",
            s(&hex),
            "-o",
            s(&back),
            s(&sealed),
        ],
        b"",
    );
    assert_eq!(dec.code, 0, "{}", dec.stderr);
    assert_eq!(fs::read(&back).unwrap(), data);
    // stdin to stdout.
    let enc = Command::new(env!("CARGO_BIN_EXE_conclave"))
        .args(["crypto", "encrypt", "--key-file", s(&raw), "-"])
        .stdin(fs::File::open(&plain).unwrap())
        .output()
        .unwrap();
    assert!(enc.status.success());
    let dec = Command::new(env!("CARGO_BIN_EXE_conclave"))
        .args(["crypto", "decrypt", "--key-file", s(&raw), "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut dec = dec;
    dec.stdin.take().unwrap().write_all(&enc.stdout).unwrap();
    let out = dec.wait_with_output().unwrap();
    assert!(out.status.success());
    assert_eq!(out.stdout, data);
    // Empty input.
    fs::write(&plain, b"").unwrap();
    assert_eq!(
        conclave(
            &[
                "crypto",
                "encrypt",
                "--key-file",
                s(&raw),
                "-o",
                s(&sealed),
                s(&plain)
            ],
            b""
        )
        .code,
        0
    );
    assert_eq!(fs::read(&sealed).unwrap().len(), 52 + 16);
    assert_eq!(
        conclave(
            &[
                "crypto",
                "decrypt",
                "--key-file",
                s(&raw),
                "-o",
                s(&back),
                s(&sealed)
            ],
            b""
        )
        .code,
        0
    );
    assert_eq!(fs::read(&back).unwrap(), b"");
    // Bad key files.
    let short = write_key(&dir, "short.key", &[1; 31]);
    let out = conclave(
        &["crypto", "encrypt", "--key-file", s(&short), s(&plain)],
        b"",
    );
    assert_eq!(out.code, 2);
    says(out.stderr.as_str(), "32 raw bytes or 64 hex digits");
}

#[test]
fn passphrase_envelopes_and_aad() {
    let dir = scratch("passphrase");
    let pass = write_key(&dir, "pass", b"correct horse battery staple\n");
    let wrong = write_key(&dir, "wrong", b"correct horse battery stapler\n");
    let (plain, sealed, back) = (dir.join("plain"), dir.join("sealed"), dir.join("back"));
    fs::write(&plain, b"launch codes").unwrap();
    let enc = conclave(
        &args(
            &[
                "crypto",
                "encrypt",
                "--passphrase-file",
                s(&pass),
                "--aad",
                "ticket-42",
                "-o",
                s(&sealed),
                s(&plain),
            ],
            &FAST,
        ),
        b"",
    );
    assert_eq!(enc.code, 0, "{}", enc.stderr);
    let dec = |p: &Path, aad: &str| {
        conclave(
            &[
                "crypto",
                "decrypt",
                "--passphrase-file",
                s(p),
                "--aad",
                aad,
                "-o",
                s(&back),
                s(&sealed),
            ],
            b"",
        )
    };
    let ok = dec(&pass, "ticket-42");
    assert_eq!(ok.code, 0, "{}", ok.stderr);
    assert_eq!(fs::read(&back).unwrap(), b"launch codes");
    fs::remove_file(&back).unwrap();
    let bad = dec(&wrong, "ticket-42");
    assert_eq!(bad.code, 2);
    says(bad.stderr.as_str(), "wrong key or passphrase");
    let bad = dec(&pass, "ticket-43");
    assert_eq!(bad.code, 2);
    says(bad.stderr.as_str(), "failed authentication");
    assert!(!back.exists());
    // The passphrase can come from stdin too.
    let out = conclave(
        &[
            "crypto",
            "decrypt",
            "--aad",
            "ticket-42",
            s(&sealed),
            "--passphrase-file",
            "/dev/stdin",
        ],
        b"correct horse battery staple\n",
    );
    assert_eq!(
        (out.code, out.stdout.as_str()),
        (0, "launch codes"),
        "{}",
        out.stderr
    );
    // A key file for a passphrase envelope is refused by name.
    let key = write_key(&dir, "k", &[1; 32]);
    let out = conclave(
        &["crypto", "decrypt", "--key-file", s(&key), s(&sealed)],
        b"",
    );
    says(out.stderr.as_str(), "sealed with a passphrase");
}

#[test]
fn failed_decrypts_leave_no_plaintext_and_say_why() {
    let dir = scratch("failures");
    let key = write_key(&dir, "k", &[7; 32]);
    let other = write_key(&dir, "other", &[8; 32]);
    let plain = dir.join("plain");
    fs::write(&plain, sample(10_000)).unwrap();
    let sealed = dir.join("sealed");
    let enc = conclave(
        &[
            "crypto",
            "encrypt",
            "--key-file",
            s(&key),
            "--chunk-log2",
            "10",
            "-o",
            s(&sealed),
            s(&plain),
        ],
        b"",
    );
    assert_eq!(enc.code, 0, "{}", enc.stderr);
    let env = fs::read(&sealed).unwrap();
    let full = 1024 + 16;
    let mut cases: Vec<(&str, Vec<u8>, &Path, &str)> = Vec::new();
    cases.push(("wrong key", env.clone(), &other, "wrong key or passphrase"));
    let mut flipped = env.clone();
    flipped[52 + 3 * full + 5] ^= 0x80;
    cases.push(("tampered", flipped, &key, "chunk 3 failed authentication"));
    cases.push((
        "cut at a chunk boundary",
        env[..52 + 4 * full].to_vec(),
        &key,
        "truncated",
    ));
    cases.push(("header only", env[..52].to_vec(), &key, "truncated"));
    cases.push(("half a header", env[..30].to_vec(), &key, "truncated"));
    let mut swapped = env[..52].to_vec();
    swapped.extend_from_slice(&env[52 + full..52 + 2 * full]);
    swapped.extend_from_slice(&env[52..52 + full]);
    swapped.extend_from_slice(&env[52 + 2 * full..]);
    cases.push(("reordered", swapped, &key, "chunk 0 failed authentication"));
    let mut v9 = env.clone();
    v9[4] = 9;
    cases.push(("unknown version", v9, &key, "version 9 is not supported"));
    cases.push((
        "not an envelope",
        b"hello world, not sealed".to_vec(),
        &key,
        "not a conclave envelope",
    ));
    let out_path = dir.join("out");
    for (what, bytes, key_file, message) in cases {
        let bad = dir.join("bad");
        fs::write(&bad, &bytes).unwrap();
        // An existing output file is left as it was.
        fs::write(&out_path, b"previous contents").unwrap();
        let out = conclave(
            &[
                "crypto",
                "decrypt",
                "--key-file",
                s(key_file),
                "-o",
                s(&out_path),
                s(&bad),
            ],
            b"",
        );
        assert_eq!(out.code, 2, "{what}");
        assert!(out.stderr.contains(message), "{what}: {}", out.stderr);
        assert_eq!(fs::read(&out_path).unwrap(), b"previous contents", "{what}");
        assert_eq!(
            others(&dir, &["k", "other", "plain", "sealed", "bad", "out"]),
            Vec::<String>::new(),
            "{what}"
        );
        // To stdout nothing is written either.
        let out = conclave(
            &["crypto", "decrypt", "--key-file", s(key_file), s(&bad)],
            b"",
        );
        assert_eq!((out.code, out.stdout.len()), (2, 0), "{what}");
    }
}

fn corpora() -> PathBuf {
    let mut dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    loop {
        for candidate in [dir.join("shared/corpora"), dir.join("../shared/corpora")] {
            if candidate.is_dir() {
                return candidate;
            }
        }
        assert!(
            dir.pop(),
            "no shared/corpora above the manifest: the public suites are required"
        );
    }
}

#[test]
fn hmac_and_hmac_verify_on_wycheproof_256_bit_keys() {
    let dir = scratch("hmac");
    let text =
        fs::read_to_string(corpora().join("wycheproof/testvectors_v1/hmac_sha256_test.json"))
            .unwrap();
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let (mut passed, mut failed) = (0, Vec::new());
    for group in doc["testGroups"].as_array().unwrap() {
        if group["keySize"] != 256 {
            continue;
        }
        for t in group["tests"].as_array().unwrap() {
            let id = format!("tcId {} tag {}", t["tcId"], group["tagSize"]);
            let key = write_key(&dir, "k", t["key"].as_str().unwrap().as_bytes());
            let msg = dir.join("m");
            let msg_hex = t["msg"].as_str().unwrap();
            let msg_bytes: Vec<u8> = (0..msg_hex.len() / 2)
                .map(|i| u8::from_str_radix(&msg_hex[2 * i..2 * i + 2], 16).unwrap())
                .collect();
            fs::write(&msg, msg_bytes).unwrap();
            let tag = t["tag"].as_str().unwrap();
            let valid = t["result"] == "valid";
            let verify = conclave(
                &[
                    "crypto",
                    "hmac-verify",
                    "--key-file",
                    s(&key),
                    "--tag",
                    tag,
                    s(&msg),
                ],
                b"",
            );
            let mut ok = verify.code == if valid { 0 } else { 1 };
            if valid {
                let mac = conclave(&["crypto", "hmac", "--key-file", s(&key), s(&msg)], b"");
                ok &= mac.code == 0 && mac.stdout.starts_with(tag);
            }
            if ok {
                passed += 1;
            } else {
                failed.push(id);
            }
        }
    }
    eprintln!(
        "wycheproof hmac via the CLI: {passed} passed, {} failed",
        failed.len()
    );
    assert!(failed.is_empty(), "{failed:?}");
    assert_eq!(passed, 162);
    // Malformed tags exit 2.
    let key = write_key(&dir, "k", &[1; 32]);
    let msg = write_key(&dir, "m", b"x");
    for tag in ["zz", "abc", "00112233"] {
        let out = conclave(
            &[
                "crypto",
                "hmac-verify",
                "--key-file",
                s(&key),
                "--tag",
                tag,
                s(&msg),
            ],
            b"",
        );
        assert_eq!(out.code, 2, "{tag}");
    }
}

#[test]
fn sha256_matches_fips_180_examples() {
    let dir = scratch("sha256");
    let abc = write_key(&dir, "abc", b"abc");
    let long = write_key(&dir, "long", &vec![b'a'; 1_000_000]);
    let out = conclave(&["crypto", "sha256", s(&abc), s(&long), "-"], b"");
    assert_eq!(out.code, 0, "{}", out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(
        lines[0],
        format!(
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  {}",
            s(&abc)
        )
    );
    // FIPS 180-2 appendix B.3: one million 'a'.
    assert!(
        lines[1].starts_with("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    );
    assert!(
        lines[2].starts_with("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    );
}

#[test]
fn demo_section_shows_the_crypto_part() {
    let out = conclave(&["demo"], b"");
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("## Crypto"));
    assert!(
        out.stdout
            .contains("right password: match, wrong password: mismatch")
    );
    assert!(
        out.stdout
            .contains("one bit flipped: chunk 0 failed authentication")
    );
    assert!(out.stdout.contains("another key: wrong key or passphrase"));
}
