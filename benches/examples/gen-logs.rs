//! Writes the deterministic application log of `conclave_benches::app_log` to a file:
//! `cargo run --release -p conclave-benches --example gen-logs -- OUT BYTES [SEED]`.
//! Large sizes are written in 64 MiB pieces (different seeds per piece, continuing lines).

use std::io::Write;

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(out), Some(bytes)) = (
        args.get(1),
        args.get(2).and_then(|b| b.parse::<usize>().ok()),
    ) else {
        eprintln!("usage: gen-logs OUT BYTES [SEED]");
        std::process::exit(2);
    };
    let seed: u64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(1);
    let mut file = std::io::BufWriter::new(std::fs::File::create(out)?);
    let piece = 64 << 20;
    let mut written = 0;
    let mut i = 0;
    while written < bytes {
        let chunk = conclave_benches::app_log(piece.min(bytes - written), seed.wrapping_add(i));
        file.write_all(&chunk)?;
        written += chunk.len();
        i += 1;
    }
    file.flush()
}
