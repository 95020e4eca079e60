//! Series input parsing (CSV, JSON array, JSON Lines): never panics; parsed series are analysed.
#![no_main]

use conclave_core::pattern::{self, Options, input};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, data)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let column = (mode & 1 == 1).then_some("a");
    if let Ok(series) = input::parse(text, column, mode & 2 == 2) {
        for s in series.iter().take(4) {
            if s.values.len() <= 4096 {
                let _ = pattern::analyze(&s.values, &Options::default());
            }
        }
    }
});
