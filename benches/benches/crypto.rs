//! Crypto benchmarks. Inputs (the same ones benches/compare-crypto gives Python's `cryptography`
//! (OpenSSL) and `argon2-cffi` in the same run):
//! - AES-256-GCM seal of 1 KiB and 1 MiB (raw, 96-bit nonce, no AAD), with core's portable
//!   RustCrypto cipher (`seal`) and with ring (`seal_ring`, what the CLI uses), and 1 MiB through
//!   the envelope (64 KiB chunks) both ways with each.
//! - Argon2id m=19456 KiB, t=2, p=1, 16-byte salt, 32-byte tag: one hash; a batch of 32 on one
//!   worker vs two workers.
//! - HMAC-SHA256 and SHA-256 of 1 MiB.
//! - The report's rows: Argon2id batch of 100 (two workers), 1000 messages of 1 KiB sealed as
//!   envelopes (fresh nonce each) and raw under one key, 1000 HMAC-SHA256 tags of those messages.
//!   The messages are 1024 + (i % 7) bytes.

use std::hint::black_box;

use conclave_core::crypto::CryptoError;
use conclave_core::crypto::aead::Cipher;
use conclave_core::crypto::envelope::{self, ChunkCipher, OpenKey, SealKey};
use conclave_core::crypto::mac;
use conclave_core::crypto::password::{self, Limits, Params};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

const KEY: [u8; 32] = [0x24; 32];

fn data(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 131 % 251) as u8).collect()
}

/// The CLI's ring-backed chunk cipher, restated for the bench (the CLI's is in the binary crate;
/// `ring_cipher_is_byte_identical_to_the_portable_one` tests that one).
struct RingCipher(ring::aead::LessSafeKey);

fn ring_key(key: &[u8; 32]) -> ring::aead::LessSafeKey {
    let unbound = ring::aead::UnboundKey::new(&ring::aead::AES_256_GCM, key).expect("key");
    ring::aead::LessSafeKey::new(unbound)
}

fn ring_cipher(key: &[u8; 32]) -> Box<dyn ChunkCipher> {
    Box::new(RingCipher(ring_key(key)))
}

impl ChunkCipher for RingCipher {
    fn seal_in_place(
        &self,
        n: &[u8; 12],
        aad: &[u8],
        buf: &mut [u8],
    ) -> Result<[u8; 16], CryptoError> {
        let nonce = ring::aead::Nonce::assume_unique_for_key(*n);
        let tag = self
            .0
            .seal_in_place_separate_tag(nonce, ring::aead::Aad::from(aad), buf);
        let tag = tag.map_err(|_| CryptoError::AuthenticationFailed)?;
        Ok(tag.as_ref().try_into().unwrap_or([0; 16]))
    }

    fn open_to(
        &self,
        n: &[u8; 12],
        aad: &[u8],
        ct: &[u8],
        tag: &[u8; 16],
        out: &mut [u8],
    ) -> Result<bool, CryptoError> {
        out.copy_from_slice(ct);
        let nonce = ring::aead::Nonce::assume_unique_for_key(*n);
        let tag = ring::aead::Tag::from(*tag);
        let aad = ring::aead::Aad::from(aad);
        Ok(self
            .0
            .open_in_place_separate_tag(nonce, aad, tag, out, 0..)
            .is_ok())
    }
}

fn aes_gcm(c: &mut Criterion) {
    let cipher = Cipher::new(&KEY);
    let ring = ring_key(&KEY);
    let mut g = c.benchmark_group("aes_gcm");
    for (name, len) in [("1KB", 1024), ("1MB", 1 << 20)] {
        let mut buf = data(len);
        g.throughput(Throughput::Bytes(len as u64));
        g.bench_function(format!("seal/{name}"), |b| {
            b.iter(|| black_box(cipher.seal_in_place(&[7; 12], b"", black_box(&mut buf))))
        });
        g.bench_function(format!("seal_ring/{name}"), |b| {
            b.iter(|| {
                let nonce = ring::aead::Nonce::assume_unique_for_key([7; 12]);
                let aad = ring::aead::Aad::empty();
                black_box(ring.seal_in_place_separate_tag(nonce, aad, black_box(&mut buf)))
            })
        });
    }
    let plain = data(1 << 20);
    let limits = Limits::DEFAULT;
    let sealed =
        envelope::seal(SealKey::Key(&KEY), [1; 12], b"", &plain, 16, &limits).expect("seal");
    g.throughput(Throughput::Bytes(plain.len() as u64));
    let makers: [(&str, envelope::CipherFactory); 2] =
        [("", envelope::portable_cipher), ("_ring", ring_cipher)];
    for (suffix, make) in makers {
        g.bench_function(format!("envelope_seal{suffix}/1MB"), |b| {
            b.iter(|| {
                let key = SealKey::Key(&KEY);
                envelope::seal_with(key, [1; 12], b"", black_box(&plain), 16, &limits, make)
            })
        });
        g.bench_function(format!("envelope_open{suffix}/1MB"), |b| {
            b.iter(|| {
                envelope::open_with(OpenKey::Key(&KEY), black_box(&sealed), b"", &limits, make)
            })
        });
    }
    g.finish();
}

fn passwords(n: usize) -> (Vec<Vec<u8>>, Vec<[u8; 16]>) {
    let pws = (0..n)
        .map(|i| format!("password-{i}").into_bytes())
        .collect();
    let salts = (0..n).map(|i| [i as u8; 16]).collect();
    (pws, salts)
}

fn argon2(c: &mut Criterion) {
    let limits = Limits::DEFAULT;
    let mut g = c.benchmark_group("argon2id");
    g.sample_size(10);
    g.bench_function("single", |b| {
        b.iter(|| password::hash_password(b"password-0", &[0; 16], Params::DEFAULT, &limits))
    });
    let (pws, salts) = passwords(32);
    let refs: Vec<&[u8]> = pws.iter().map(Vec::as_slice).collect();
    for workers in [1, 2] {
        g.bench_function(format!("batch32/{workers}_threads"), |b| {
            b.iter(|| password::hash_passwords(&refs, &salts, Params::DEFAULT, &limits, workers))
        });
    }
    g.finish();
}

fn macs(c: &mut Criterion) {
    let msg = data(1 << 20);
    let mut g = c.benchmark_group("mac");
    g.throughput(Throughput::Bytes(msg.len() as u64));
    g.bench_function("hmac_sha256/1MB", |b| {
        b.iter(|| mac::hmac_sha256(&KEY, black_box(&msg)))
    });
    g.bench_function("sha256/1MB", |b| b.iter(|| mac::sha256(black_box(&msg))));
    g.finish();
}

fn report(c: &mut Criterion) {
    let limits = Limits::DEFAULT;
    let mut g = c.benchmark_group("report");
    g.sample_size(10);
    let (pws, salts) = passwords(100);
    let refs: Vec<&[u8]> = pws.iter().map(Vec::as_slice).collect();
    g.bench_function("argon2id_batch100", |b| {
        b.iter(|| password::hash_passwords(&refs, &salts, Params::DEFAULT, &limits, 2))
    });
    let messages: Vec<Vec<u8>> = (0..1000).map(|i| data(1024 + i % 7)).collect();
    for (suffix, make) in [
        ("", envelope::portable_cipher as envelope::CipherFactory),
        ("_ring", ring_cipher),
    ] {
        g.bench_function(format!("aes_gcm_1000_messages{suffix}"), |b| {
            b.iter(|| {
                messages
                    .iter()
                    .enumerate()
                    .map(|(i, m)| {
                        let mut nonce = [0u8; 12];
                        nonce[..8].copy_from_slice(&(i as u64).to_le_bytes());
                        envelope::seal_with(SealKey::Key(&KEY), nonce, b"", m, 16, &limits, make)
                            .map(|e| e.len())
                            .unwrap_or(0)
                    })
                    .sum::<usize>()
            })
        });
    }
    // The same 1000 messages under one key schedule with counter nonces: the raw AES-GCM cost
    // without the envelope's per-message key derivation and key check.
    let cipher = Cipher::new(&KEY);
    let mut bufs = messages.clone();
    g.bench_function("aes_gcm_1000_messages_raw", |b| {
        b.iter(|| {
            bufs.iter_mut()
                .enumerate()
                .map(|(i, m)| {
                    let mut nonce = [0u8; 12];
                    nonce[..8].copy_from_slice(&(i as u64).to_le_bytes());
                    cipher
                        .seal_in_place(&nonce, b"", m)
                        .map(|t| t[0])
                        .unwrap_or(0)
                })
                .fold(0u8, |a, x| a ^ x)
        })
    });
    g.bench_function("hmac_1000", |b| {
        b.iter(|| {
            messages
                .iter()
                .map(|m| mac::hmac_sha256(&KEY, m)[0])
                .fold(0u8, |a, x| a ^ x)
        })
    });
    g.finish();
}

criterion_group!(benches, aes_gcm, argon2, macs, report);
criterion_main!(benches);
