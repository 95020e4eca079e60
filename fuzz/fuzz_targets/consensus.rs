//! Consensus input parsing (JSON array or JSON Lines of responses): never panics; small parsed
//! panels go through the analysis and the vote.
#![no_main]

use conclave_core::consensus::{self, Options};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(responses) = consensus::parse_responses(text) {
        if responses.len() <= 16 {
            let _ = consensus::analyse(&responses, &Options::default());
            let _ = consensus::vote(&responses, None, true);
            let _ = consensus::vote(&responses, Some(r"(\d+)"), false);
        }
    }
});
