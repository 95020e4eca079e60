//! Times one conclave kernel on inputs written by `gen`, the way the peer script times its tool:
//! the inputs are loaded and prepared outside the clock, then `ROUNDS` timed repetitions print
//! their seconds as a JSON array.
//!
//! `timeit pairs-METRIC FILE ROUNDS` — the METRIC similarity (any `conclave similarity` metric)
//! of every pair;
//! `timeit matrix-cosine FILE ROUNDS` — the all-pairs cosine matrix of the texts.

use std::time::Instant;

use conclave_core::similarity::{self, Metric};

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [kind, file, rounds] = args.as_slice() else {
        return Err("usage: timeit KIND FILE ROUNDS".into());
    };
    let rounds: usize = rounds.parse().map_err(|_| "bad ROUNDS")?;
    let text = std::fs::read_to_string(file).map_err(|e| format!("{file}: {e}"))?;
    let mut times = Vec::with_capacity(rounds);
    let mut checksum = 0.0;
    match kind.as_str() {
        pairs if pairs.starts_with("pairs-") => {
            let metric = Metric::from_name(&pairs["pairs-".len()..]).map_err(|e| e.to_string())?;
            let pairs: Vec<(String, String)> =
                serde_json::from_str(&text).map_err(|e| e.to_string())?;
            for _ in 0..rounds {
                let t = Instant::now();
                for (a, b) in &pairs {
                    checksum += similarity::compare(metric, a, b)
                        .map_err(|e| e.to_string())?
                        .similarity;
                }
                times.push(t.elapsed().as_secs_f64());
            }
        }
        "matrix-cosine" | "matrix-jaccard" | "matrix-levenshtein" => {
            let metric = Metric::from_name(&kind["matrix-".len()..]).map_err(|e| e.to_string())?;
            let texts: Vec<String> = serde_json::from_str(&text).map_err(|e| e.to_string())?;
            for _ in 0..rounds {
                let t = Instant::now();
                let m = similarity::matrix(metric, &texts).map_err(|e| e.to_string())?;
                times.push(t.elapsed().as_secs_f64());
                checksum += m.iter().sum::<f64>();
            }
        }
        "prepare-cosine" => {
            let texts: Vec<String> = serde_json::from_str(&text).map_err(|e| e.to_string())?;
            for _ in 0..rounds {
                let t = Instant::now();
                let c = similarity::Corpus::new(Metric::Cosine, &texts);
                times.push(t.elapsed().as_secs_f64());
                checksum += c.len() as f64;
            }
        }
        other => return Err(format!("unknown kind {other}")),
    }
    println!("{{\"times\": {times:?}, \"checksum\": {checksum}}}");
    Ok(())
}
