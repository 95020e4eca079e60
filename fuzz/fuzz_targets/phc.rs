//! PHC-string parsing: never panics, and what parses re-encodes to a string that parses to the
//! same value.
#![no_main]

use conclave_core::crypto::password::PhcHash;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(hash) = PhcHash::parse(&text) {
        let again = PhcHash::parse(&hash.encode()).expect("re-encoded hash parses");
        assert_eq!(hash, again, "round trip");
    }
});
