//! YAML configs: never panics (anchors, aliases and the alias budget included); errors and spans
//! lie within the input; canonical JSON is stable, and YAML -> YAML (and TOML where possible) ->
//! JSON gives the input's canonical JSON.
#![no_main]

use conclave_core::config::Format;
use conclave_fuzz::{check_round_trips, parse_checked};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some(stream) = parse_checked(data, Format::Yaml) {
        check_round_trips(&stream);
    }
});
