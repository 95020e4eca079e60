//! Scan target and port specs: parsing never panics; small targets expand to as many addresses
//! as they count; parsed ports are sorted and unique.
#![no_main]

use conclave_core::scan::{ports, target};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(t) = target::parse_target(&text) {
        if t.address_count() <= 4096 {
            if let Ok(addrs) = target::expand(&t, false) {
                assert!(
                    addrs.len() as u128 <= t.address_count(),
                    "expanded more than counted"
                );
            }
        }
    }
    if let Ok(list) = ports::parse_ports(&text) {
        assert!(
            list.windows(2).all(|w| w[0] < w[1]),
            "ports not sorted and unique"
        );
    }
});
