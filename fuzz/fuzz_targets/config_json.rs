//! JSON configs: never panics; errors and spans lie within the input; the input is accepted
//! exactly when serde_json accepts it (except where docs/limits.md says they differ: a leading
//! byte-order mark, which conclave skips, and nesting past serde_json's 128 levels), and then both
//! read the same value; canonical JSON, YAML and TOML conversions round-trip.
#![no_main]

use conclave_core::config::{Format, to_json};
use conclave_fuzz::{check_round_trips, parse_checked};
use libfuzzer_sys::fuzz_target;
use serde_json::Value as J;

/// Same value, numbers compared as f64 (conclave keeps integers in i64 range and reads the rest
/// as correctly rounded f64; serde_json keeps u64 too).
fn same(a: &J, b: &J) -> bool {
    match (a, b) {
        (J::Number(x), J::Number(y)) => x.as_f64() == y.as_f64(),
        (J::Array(x), J::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
        }
        (J::Object(x), J::Object(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|((k, p), (l, q))| k == l && same(p, q))
        }
        _ => a == b,
    }
}

fuzz_target!(|data: &[u8]| {
    let ours = parse_checked(data, Format::Json);
    if let Some(stream) = &ours {
        assert_eq!(stream.documents.len(), 1);
        check_round_trips(stream);
    }
    if data.starts_with(b"\xEF\xBB\xBF") {
        return;
    }
    let theirs = serde_json::from_slice::<J>(data);
    match (&ours, &theirs) {
        (Some(stream), Ok(value)) => {
            let canonical = to_json(stream).expect("JSON input has a JSON form");
            let ours: J = serde_json::from_str(&canonical).expect("canonical JSON parses");
            assert!(
                same(&ours, value),
                "values differ: conclave {ours}, serde_json {value}"
            );
        }
        (None, Err(_)) => {}
        (Some(_), Err(e)) => assert!(
            e.to_string().contains("recursion limit exceeded"),
            "conclave accepts what serde_json refuses: {e}"
        ),
        (None, Ok(_)) => panic!("conclave refuses what serde_json accepts"),
    }
});
