//! Writes a benchmark's inputs as JSON so a peer tool can run the very same work.
//!
//! `gen pairs N CHARS EDIT_RATE SEED` -> `[[a, b], ...]`; `gen texts N WORDS VOCAB SEED` -> `[text, ...]`.

use std::io::Write;

fn arg<T: std::str::FromStr>(args: &[String], i: usize, name: &str) -> Result<T, String> {
    args.get(i)
        .ok_or(format!("missing {name}"))?
        .parse()
        .map_err(|_| format!("bad {name}"))
}

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let json = match args.first().map(String::as_str) {
        Some("pairs") => {
            let pairs = conclave_benches::edited_pairs(
                arg(&args, 1, "N")?,
                arg(&args, 2, "CHARS")?,
                arg(&args, 3, "EDIT_RATE")?,
                arg(&args, 4, "SEED")?,
            );
            serde_json::to_string(&pairs)
        }
        Some("texts") => {
            let texts = conclave_benches::zipf_texts(
                arg(&args, 1, "N")?,
                arg(&args, 2, "WORDS")?,
                arg(&args, 3, "VOCAB")?,
                arg(&args, 4, "SEED")?,
            );
            serde_json::to_string(&texts)
        }
        _ => {
            return Err(
                "usage: gen pairs N CHARS EDIT_RATE SEED | gen texts N WORDS VOCAB SEED".into(),
            );
        }
    }
    .map_err(|e| e.to_string())?;
    std::io::stdout()
        .lock()
        .write_all(json.as_bytes())
        .map_err(|e| e.to_string())
}
