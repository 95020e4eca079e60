//! TOML configs: never panics; errors and spans lie within the input; canonical JSON is stable,
//! and TOML -> TOML and TOML -> YAML -> JSON give the input's canonical JSON.
#![no_main]

use conclave_core::config::Format;
use conclave_fuzz::{check_round_trips, parse_checked};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some(stream) = parse_checked(data, Format::Toml) {
        assert_eq!(stream.documents.len(), 1);
        check_round_trips(&stream);
    }
});
