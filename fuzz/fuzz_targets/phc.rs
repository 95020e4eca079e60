//! PHC-string parsing: never panics, and what parses re-encodes to a string that parses to the
//! same value. The input is also cut at quotes and newlines and each piece parsed, so that the
//! seed files (JSON and KAT dumps holding PHC strings) give the fuzzer real hashes to mutate.
#![no_main]

use conclave_core::crypto::password::PhcHash;
use libfuzzer_sys::fuzz_target;

fn check(text: &str) {
    if let Ok(hash) = PhcHash::parse(text) {
        let again = PhcHash::parse(&hash.encode()).expect("re-encoded hash parses");
        assert_eq!(hash, again, "round trip of {text:?}");
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    check(&text);
    for piece in text.split(['"', '\n']) {
        check(piece);
    }
});
