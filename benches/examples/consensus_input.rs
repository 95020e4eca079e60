//! Writes a bench input for `conclave consensus` and the peer scripts:
//! `consensus_input zipf EXPERTS WORDS` (groups of 5, seed 42) or `consensus_input origin EXPERTS`,
//! as a JSON array of responses on stdout.

use std::io::Write;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let num =
        |k: usize, default: usize| args.get(k).and_then(|s| s.parse().ok()).unwrap_or(default);
    let responses = match args.get(1).map(String::as_str) {
        Some("origin") => conclave_benches::consensus_origin(num(2, 50)),
        _ => conclave_benches::consensus_zipf(num(2, 1000), num(3, 100), 5, 42),
    };
    let json = conclave_benches::responses_json(&responses);
    std::io::stdout()
        .lock()
        .write_all(json.as_bytes())
        .expect("writing stdout");
}
