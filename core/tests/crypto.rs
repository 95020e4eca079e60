//! Crypto against the public vectors: Wycheproof AES-GCM (every AES-256 group) and HMAC-SHA256
//! (truncated tags included), the Argon2 KATs (RFC 9106 section 5 tags and the v16 dumps), the
//! phc-winner-argon2 test.c hashes, and RFC 4231 HMAC-SHA256. Every case is one row; a failing
//! row is reported by name and the suite asserts zero failures (there are no known failures).
//! Then the envelope: round trips, a from-the-docs reader, and truncation, reordering, appending,
//! tampering, wrong-key and version detection.

use std::fs;

use conclave_core::crypto::envelope::{self, Header, OpenKey, SealKey};
use conclave_core::crypto::password::{
    self, Limits, Params, PhcHash, RawInput, Variant, Workspace,
};
use conclave_core::crypto::{CryptoError, aead, from_hex, mac, to_hex};
use serde_json::Value;

use crate::corpora;

/// Collects failing rows and reports them with the pass count.
struct Rows {
    suite: &'static str,
    passed: usize,
    failed: Vec<String>,
}

impl Rows {
    fn new(suite: &'static str) -> Self {
        Self {
            suite,
            passed: 0,
            failed: Vec::new(),
        }
    }

    fn check(&mut self, id: String, ok: Result<(), String>) {
        match ok {
            Ok(()) => self.passed += 1,
            Err(why) => self.failed.push(format!("{id}: {why}")),
        }
    }

    fn finish(self, expected_rows: usize) {
        eprintln!(
            "{}: {} passed, {} failed",
            self.suite,
            self.passed,
            self.failed.len()
        );
        assert!(
            self.failed.is_empty(),
            "{} failing rows:\n{}",
            self.suite,
            self.failed.join("\n")
        );
        assert_eq!(self.passed, expected_rows, "{}: row count", self.suite);
    }
}

fn json(path: &str) -> Value {
    let full = corpora::root().join(path);
    let text = fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()));
    serde_json::from_str(&text).expect("suite JSON")
}

fn hex(v: &Value) -> Vec<u8> {
    from_hex(v.as_str().expect("hex string")).expect("hex")
}

#[test]
fn wycheproof_aes_gcm_every_aes256_case() {
    let doc = json("wycheproof/testvectors_v1/aes_gcm_test.json");
    let mut rows = Rows::new("wycheproof aes_gcm (AES-256)");
    let mut total = 0;
    for group in doc["testGroups"].as_array().expect("groups") {
        if group["keySize"].as_u64() != Some(256) {
            continue;
        }
        assert_eq!(group["tagSize"].as_u64(), Some(128), "tag size");
        for t in group["tests"].as_array().expect("tests") {
            total += 1;
            let id = format!(
                "tcId {} ({})",
                t["tcId"],
                t["comment"].as_str().unwrap_or("")
            );
            let key: [u8; 32] = hex(&t["key"]).try_into().expect("32-byte key");
            let (iv, aad, msg) = (hex(&t["iv"]), hex(&t["aad"]), hex(&t["msg"]));
            let mut sealed = hex(&t["ct"]);
            sealed.extend_from_slice(&hex(&t["tag"]));
            let result = t["result"].as_str().expect("result");
            let outcome = match result {
                "valid" => match (
                    aead::seal(&key, &iv, &aad, &msg),
                    aead::open(&key, &iv, &aad, &sealed),
                ) {
                    (Ok(s), Ok(p)) if s == sealed && p == msg => Ok(()),
                    (s, p) => Err(format!("seal {s:?} open {p:?}")),
                },
                "invalid" => match aead::open(&key, &iv, &aad, &sealed) {
                    Err(_) => Ok(()),
                    Ok(p) => Err(format!("accepted an invalid case: {}", to_hex(&p))),
                },
                other => Err(format!("unexpected result kind {other}")),
            };
            rows.check(id, outcome);
        }
    }
    rows.finish(total);
    // 105 AES-256 cases in this Wycheproof snapshot: make sure the groups were found.
    assert!(total >= 100, "AES-256 cases found: {total}");
}

#[test]
fn wycheproof_hmac_sha256_every_case() {
    let doc = json("wycheproof/testvectors_v1/hmac_sha256_test.json");
    let mut rows = Rows::new("wycheproof hmac_sha256");
    let mut total = 0;
    for group in doc["testGroups"].as_array().expect("groups") {
        let tag_bytes = group["tagSize"].as_u64().expect("tagSize") as usize / 8;
        for t in group["tests"].as_array().expect("tests") {
            total += 1;
            let id = format!(
                "tcId {} tag {tag_bytes}B ({})",
                t["tcId"],
                t["comment"].as_str().unwrap_or("")
            );
            let (key, msg, tag) = (hex(&t["key"]), hex(&t["msg"]), hex(&t["tag"]));
            let computed = mac::hmac_sha256(&key, &msg);
            let verdict = mac::hmac_sha256_verify(&key, &msg, &tag);
            let outcome = match t["result"].as_str().expect("result") {
                "valid" if computed[..tag_bytes] == tag[..] && verdict == Ok(true) => Ok(()),
                "invalid" if verdict == Ok(false) => Ok(()),
                other => Err(format!(
                    "{other}: computed {} verify {verdict:?}",
                    to_hex(&computed[..tag_bytes])
                )),
            };
            rows.check(id, outcome);
        }
    }
    rows.finish(total);
    assert_eq!(
        total,
        doc["numberOfTests"].as_u64().expect("count") as usize
    );
}

#[test]
fn rfc4231_hmac_sha256() {
    let doc = json("rustcrypto-macs/rfc4231_decoded.json");
    let mut rows = Rows::new("RFC 4231 HMAC-SHA256");
    let cases = doc["vectors"]["hmac_sha256"]
        .as_array()
        .expect("sha256 cases");
    for (k, c) in cases.iter().enumerate() {
        let (key, msg, tag) = (hex(&c["key"]), hex(&c["msg"]), hex(&c["tag"]));
        let len = c["truncated_to_bytes"].as_u64().map_or(32, |n| n as usize);
        let computed = mac::hmac_sha256(&key, &msg);
        let mut streamed = mac::HmacSha256::new(&key);
        for piece in msg.chunks(7) {
            streamed.update(piece);
        }
        let outcome = if computed[..len] != tag[..len] {
            Err(format!("computed {}", to_hex(&computed)))
        } else if streamed.finish() != computed {
            Err("streaming differs from one-shot".into())
        } else if mac::hmac_sha256_verify(&key, &msg, &tag[..len]) != Ok(true) {
            Err("verify rejected the tag".into())
        } else {
            Ok(())
        };
        rows.check(format!("test case {}", k + 1), outcome);
    }
    rows.finish(7);
}

/// One Argon2 KAT dump (phc-winner-argon2 kats/): parameters, inputs and the tag.
fn parse_kat(text: &str) -> (Variant, u32, Params, [Vec<u8>; 4], Vec<u8>) {
    let bytes_after = |label: &str| -> Vec<u8> {
        let line = text
            .lines()
            .find(|l| l.starts_with(label))
            .unwrap_or_else(|| panic!("KAT line {label}"));
        let digits: String = line[line.find(':').expect(":") + 1..]
            .split_whitespace()
            .collect();
        from_hex(&digits).expect("KAT hex")
    };
    let title = text.lines().nth(1).expect("title");
    let variant = if title.starts_with("Argon2id") {
        Variant::Argon2id
    } else if title.starts_with("Argon2i") {
        Variant::Argon2i
    } else {
        Variant::Argon2d
    };
    let version: u32 = title
        .rsplit(' ')
        .next()
        .expect("version")
        .parse()
        .expect("n");
    let numbers: Vec<u32> = text
        .lines()
        .find(|l| l.starts_with("Memory:"))
        .expect("Memory line")
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().expect("number"))
        .collect();
    let params = Params {
        m_kib: numbers[0],
        t: numbers[1],
        p: numbers[2],
    };
    let inputs = [
        bytes_after("Password["),
        bytes_after("Salt["),
        bytes_after("Secret["),
        bytes_after("Associated data["),
    ];
    (variant, version, params, inputs, bytes_after("Tag:"))
}

#[test]
fn argon2_kats_rfc9106_and_v16() {
    let mut rows = Rows::new("argon2 KATs");
    let names = [
        "argon2id",
        "argon2i",
        "argon2d",
        "argon2id_v16",
        "argon2i_v16",
        "argon2d_v16",
    ];
    for name in names {
        let path = corpora::root().join("argon2-kats/kats").join(name);
        let text = fs::read_to_string(&path).expect("KAT file");
        let (variant, version, params, [password, salt, secret, associated], tag) =
            parse_kat(&text);
        let mut out = vec![0u8; tag.len()];
        let result = password::argon2_raw(
            &RawInput {
                variant,
                version,
                params,
                password: &password,
                salt: &salt,
                secret: &secret,
                associated: &associated,
            },
            &mut out,
            &mut Workspace::new(),
        );
        let outcome = match result {
            Ok(()) if out == tag => Ok(()),
            other => Err(format!("{other:?}: {} vs {}", to_hex(&out), to_hex(&tag))),
        };
        rows.check(format!("kats/{name}"), outcome);
    }
    rows.finish(names.len());
    // The RFC 9106 section 5.3 Argon2id tag, as printed in the RFC.
    let text = fs::read_to_string(corpora::root().join("argon2-kats/kats/argon2id")).expect("kat");
    assert_eq!(
        to_hex(&parse_kat(&text).4),
        "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659"
    );
}

#[test]
fn phc_test_c_vectors() {
    let doc = json("argon2-kats/phc_test_c_vectors.json");
    let mut rows = Rows::new("phc test.c vectors");
    let vectors = doc["vectors"].as_array().expect("vectors");
    let mut workspace = Workspace::new();
    for (k, v) in vectors.iter().enumerate() {
        let encoded = v["encoded"].as_str().expect("encoded");
        let password_bytes = v["password"].as_str().expect("password").as_bytes();
        let id = format!("{k} {encoded}");
        let phc = match PhcHash::parse(encoded) {
            Ok(phc) => phc,
            Err(e) => {
                rows.check(id, Err(format!("parse: {e}")));
                continue;
            }
        };
        let expected_version = v["version"].as_u64().expect("version") as u32;
        let outcome = if phc.variant.name() != v["type"].as_str().expect("type")
            || phc.version != expected_version
            || phc.params.m_kib as u64 != v["m_cost_kib"].as_u64().expect("m")
            || phc.params.t as u64 != v["t_cost"].as_u64().expect("t")
            || phc.params.p as u64 != v["parallelism"].as_u64().expect("p")
            || phc.salt != v["salt"].as_str().expect("salt").as_bytes()
            || to_hex(&phc.tag) != v["hex"].as_str().expect("hex")
        {
            Err(format!("parsed fields differ: {phc:?}"))
        } else if phc.encode() != encoded {
            Err(format!("re-encoded as {}", phc.encode()))
        } else {
            let limits = Limits::DEFAULT;
            let right =
                password::verify_password_with(password_bytes, encoded, &limits, &mut workspace);
            // A wrong password must fail too (checked where it costs at most 64 MiB).
            let wrong = if phc.params.m_kib <= 65_536 {
                password::verify_password_with(
                    b"not the password",
                    encoded,
                    &limits,
                    &mut workspace,
                )
            } else {
                Ok(false)
            };
            match (right, wrong) {
                (Ok(true), Ok(false)) => Ok(()),
                other => Err(format!("verify (right, wrong password): {other:?}")),
            }
        };
        rows.check(id, outcome);
    }
    rows.finish(vectors.len());
    let argon2id = vectors.iter().filter(|v| v["type"] == "argon2id").count();
    assert_eq!(argon2id, 8, "argon2id v19 vectors in the suite");
}

#[test]
fn hash_password_output_verifies_with_the_argon2id_vector_parameters() {
    // Hashing (16-byte salts only) agrees with the raw tag for the same inputs.
    let salt = *b"sixteen byte slt";
    let params = Params {
        m_kib: 256,
        t: 2,
        p: 2,
    };
    let phc = password::hash_password(b"password", &salt, params, &Limits::DEFAULT).unwrap();
    let mut raw = [0u8; 32];
    password::argon2_raw(
        &RawInput {
            variant: Variant::Argon2id,
            version: 19,
            params,
            password: b"password",
            salt: &salt,
            secret: &[],
            associated: &[],
        },
        &mut raw,
        &mut Workspace::new(),
    )
    .unwrap();
    assert_eq!(PhcHash::parse(&phc).unwrap().tag, raw);
    assert_eq!(
        password::verify_password(b"password", &phc, &Limits::DEFAULT),
        Ok(true)
    );
}

// ---- envelope ----

const KEY: [u8; 32] = [0x11; 32];
const SMALL_KDF: Params = Params {
    m_kib: 64,
    t: 1,
    p: 1,
};

fn plaintext(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 31 % 256) as u8).collect()
}

fn seal_key(data: &[u8], aad: &[u8]) -> Vec<u8> {
    envelope::seal(SealKey::Key(&KEY), [7; 12], aad, data, 10, &Limits::DEFAULT).unwrap()
}

fn open_key(env: &[u8], aad: &[u8]) -> Result<Vec<u8>, CryptoError> {
    envelope::open(OpenKey::Key(&KEY), env, aad, &Limits::DEFAULT)
}

/// Reads a key-mode envelope using only docs/crypto.md's layout and the raw primitives.
fn open_from_the_docs(key: &[u8; 32], env: &[u8], aad: &[u8]) -> Option<Vec<u8>> {
    if &env[..4] != b"CNVE" || env[4] != 1 || env[5] != 1 {
        return None;
    }
    let chunk = 1usize << env[6];
    let nonce: [u8; 12] = env[8..20].try_into().ok()?;
    let (header, payload) = env.split_at(52);
    let mut check = mac::HmacSha256::new(key);
    check.update(b"conclave envelope v1 key check");
    check.update(&header[..20]);
    if check.finish()[..] != header[20..52] {
        return None;
    }
    let payload_key = mac::hmac_sha256(key, b"conclave envelope v1 payload key");
    let mut full_aad = header.to_vec();
    full_aad.extend_from_slice(aad);
    let pieces: Vec<&[u8]> = payload.chunks(chunk + 16).collect();
    let mut out = Vec::new();
    for (i, piece) in pieces.iter().enumerate() {
        let mut n = nonce;
        for (b, c) in n[3..11].iter_mut().zip((i as u64).to_be_bytes()) {
            *b ^= c;
        }
        n[11] ^= u8::from(i + 1 == pieces.len());
        out.extend(aead::open(&payload_key, &n, &full_aad, piece).ok()?);
    }
    Some(out)
}

#[test]
fn envelope_round_trips_and_matches_the_documented_layout() {
    for len in [0, 1, 15, 16, 1023, 1024, 1025, 3072, 10_000] {
        let data = plaintext(len);
        let env = seal_key(&data, b"aad");
        let chunks = len.div_ceil(1024).max(1);
        assert_eq!(
            env.len(),
            envelope::HEADER_LEN_KEY + len + 16 * chunks,
            "len {len}"
        );
        assert_eq!(open_key(&env, b"aad").unwrap(), data, "len {len}");
        assert_eq!(
            open_from_the_docs(&KEY, &env, b"aad"),
            Some(data.clone()),
            "len {len}"
        );
        // Deterministic given the nonce.
        assert_eq!(seal_key(&data, b"aad"), env);
    }
    // A different nonce gives a different envelope.
    let a = envelope::seal(SealKey::Key(&KEY), [1; 12], b"", b"x", 16, &Limits::DEFAULT).unwrap();
    let b = envelope::seal(SealKey::Key(&KEY), [2; 12], b"", b"x", 16, &Limits::DEFAULT).unwrap();
    assert_ne!(a[20..], b[20..]);
}

#[test]
fn envelope_passphrase_mode() {
    let seal = SealKey::Passphrase {
        passphrase: b"correct horse",
        salt: [9; 16],
        params: SMALL_KDF,
    };
    let env = envelope::seal(seal, [3; 12], b"", b"secret", 16, &Limits::DEFAULT).unwrap();
    assert_eq!(env.len(), envelope::HEADER_LEN_PASSPHRASE + 6 + 16);
    let header = Header::parse(&env).unwrap();
    assert_eq!(
        header.mode,
        envelope::KeyMode::Passphrase {
            params: SMALL_KDF,
            salt: [9; 16]
        }
    );
    let open = |p: &[u8]| envelope::open(OpenKey::Passphrase(p), &env, b"", &Limits::DEFAULT);
    assert_eq!(open(b"correct horse").unwrap(), b"secret");
    assert_eq!(open(b"wrong horse"), Err(CryptoError::WrongKey));
    assert!(matches!(
        envelope::open(OpenKey::Key(&KEY), &env, b"", &Limits::DEFAULT),
        Err(CryptoError::KeyModeMismatch {
            sealed_with: "passphrase",
            given: "key"
        })
    ));
    // Parameters in the header are bounded like those in a PHC string.
    let mut costly = env.clone();
    costly[20..24].copy_from_slice(&u32::MAX.to_be_bytes());
    assert!(matches!(
        envelope::open(
            OpenKey::Passphrase(b"correct horse"),
            &costly,
            b"",
            &Limits::DEFAULT
        ),
        Err(CryptoError::ParamsTooCostly { .. })
    ));
}

#[test]
fn envelope_detects_truncation_at_every_length() {
    let env = seal_key(&plaintext(3000), b"");
    let full = 1024 + 16;
    for cut in 0..env.len() {
        let result = open_key(&env[..cut], b"");
        let payload = cut.saturating_sub(envelope::HEADER_LEN_KEY);
        let ok = match &result {
            Err(CryptoError::NotAnEnvelope) => cut == 0,
            Err(CryptoError::Truncated { .. }) => {
                // Header cut, nothing after it, a cut at a chunk boundary, or a stub under 16 bytes.
                cut < envelope::HEADER_LEN_KEY || payload % full == 0 || payload % full < 16
            }
            // Cut inside a chunk: its tag no longer matches.
            Err(CryptoError::Tampered { chunk }) => *chunk as usize == payload / full,
            _ => false,
        };
        assert!(ok, "cut at {cut}: {result:?}");
    }
}

#[test]
fn envelope_detects_reordering_appending_and_removal() {
    let env = seal_key(&plaintext(4096), b"");
    let h = envelope::HEADER_LEN_KEY;
    let full = 1024 + 16;
    let chunk = |i: usize| &env[h + i * full..(h + (i + 1) * full).min(env.len())];
    // 4096 bytes = four full chunks; the last is full and marked last.
    let mut swapped = env[..h].to_vec();
    for i in [1, 0, 2, 3] {
        swapped.extend_from_slice(chunk(i));
    }
    assert_eq!(
        open_key(&swapped, b""),
        Err(CryptoError::Tampered { chunk: 0 })
    );
    let mut dropped = env[..h].to_vec();
    for i in [0, 2, 3] {
        dropped.extend_from_slice(chunk(i));
    }
    assert_eq!(
        open_key(&dropped, b""),
        Err(CryptoError::Tampered { chunk: 1 })
    );
    let mut appended = env.clone();
    appended.extend_from_slice(chunk(0));
    assert_eq!(
        open_key(&appended, b""),
        Err(CryptoError::TrailingData { after_chunk: 3 })
    );
    let mut extra_byte = env.clone();
    extra_byte.push(0);
    assert_eq!(
        open_key(&extra_byte, b""),
        Err(CryptoError::TrailingData { after_chunk: 3 })
    );
    let cut_last = &env[..env.len() - full];
    assert!(matches!(
        open_key(cut_last, b""),
        Err(CryptoError::Truncated { .. })
    ));
    assert_eq!(
        open_key(&env, b"other aad"),
        Err(CryptoError::Tampered { chunk: 0 })
    );
}

#[test]
fn envelope_every_single_byte_change_is_rejected_with_the_right_error() {
    let env = seal_key(&plaintext(1500), b"");
    for pos in 0..env.len() {
        let mut bad = env.clone();
        bad[pos] ^= 0x01;
        let result = open_key(&bad, b"");
        let ok = match &result {
            Err(CryptoError::NotAnEnvelope) => pos < 4,
            Err(CryptoError::UnknownVersion { version: 0 }) => pos == 4,
            Err(CryptoError::MalformedHeader { .. }) => (5..8).contains(&pos),
            // Byte 6 (chunk exponent 10 -> 11) stays valid: the key check catches it.
            Err(CryptoError::WrongKey) => pos == 6 || (8..envelope::HEADER_LEN_KEY).contains(&pos),
            Err(CryptoError::Tampered { chunk }) => {
                pos >= envelope::HEADER_LEN_KEY
                    && *chunk as usize == (pos - envelope::HEADER_LEN_KEY) / 1040
            }
            _ => false,
        };
        assert!(ok, "byte {pos} flipped: {result:?}");
    }
    let mut wrong = KEY;
    wrong[0] ^= 1;
    assert_eq!(
        envelope::open(OpenKey::Key(&wrong), &env, b"", &Limits::DEFAULT),
        Err(CryptoError::WrongKey)
    );
    let mut v2 = env.clone();
    v2[4] = 2;
    assert_eq!(
        open_key(&v2, b""),
        Err(CryptoError::UnknownVersion { version: 2 })
    );
}
