//! Envelope decryption of arbitrary bytes: `Header::parse` and `open` never panic, and a forged
//! envelope never opens under a key the fuzzer cannot know. Argon2 limits are tiny so that a
//! passphrase header costs little.
#![no_main]

use conclave_core::crypto::envelope::{self, Header, OpenKey};
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
});
