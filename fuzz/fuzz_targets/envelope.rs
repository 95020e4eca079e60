//! Envelope decryption of arbitrary bytes: `Header::parse` and `open` never panic, and a forged
//! envelope never opens under a key the fuzzer cannot know. Then a round trip: the input sealed
//! (1 KiB chunks, so many inputs span chunks) opens to itself, and any one flipped bit, a cut or an
//! appended byte makes it fail. Argon2 limits are tiny so that a passphrase header costs little.
#![no_main]

use conclave_core::crypto::aead::NONCE_LEN;
use conclave_core::crypto::envelope::{self, Header, OpenKey, SealKey};
use conclave_core::crypto::password::Limits;
use libfuzzer_sys::fuzz_target;

const LIMITS: Limits = Limits {
    max_m_kib: 64,
    max_t: 2,
    max_p: 2,
};

fuzz_target!(|data: &[u8]| {
    let _ = Header::parse(data);
    let key = [0x5a_u8; 32];
    if let Ok(plain) = envelope::open(OpenKey::Key(&key), data, b"", &LIMITS) {
        // Only a genuine seal under `key` opens; the fuzzer would have to forge a GCM tag.
        panic!("forged envelope opened: {} bytes", plain.len());
    }
    let _ = envelope::open(OpenKey::Passphrase(b"pw"), data, b"aad", &LIMITS);

    let nonce = [data.len() as u8; NONCE_LEN];
    let sealed = envelope::seal(SealKey::Key(&key), nonce, b"aad", data, 10, &LIMITS)
        .expect("seal with a key");
    let opened = envelope::open(OpenKey::Key(&key), &sealed, b"aad", &LIMITS).expect("round trip");
    assert_eq!(opened, data, "round trip changed the plaintext");
    if let Some((&b, _)) = data.split_first() {
        let at = usize::from(b) * 7 % sealed.len();
        let mut bad = sealed.clone();
        bad[at] ^= 1 << (b % 8);
        assert!(
            envelope::open(OpenKey::Key(&key), &bad, b"aad", &LIMITS).is_err(),
            "bit {at} flipped"
        );
        let cut = &sealed[..sealed.len() - 1 - at % (sealed.len() - 1)];
        assert!(
            envelope::open(OpenKey::Key(&key), cut, b"aad", &LIMITS).is_err(),
            "cut to {}",
            cut.len()
        );
        let mut long = sealed.clone();
        long.push(b);
        assert!(
            envelope::open(OpenKey::Key(&key), &long, b"aad", &LIMITS).is_err(),
            "appended byte"
        );
    }
});
