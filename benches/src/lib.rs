//! Deterministic input generators shared by the benches and the peer-comparison scripts.

/// Message shapes for [`app_log`]: (level, text with `{}` for a variable).
const LOG_MESSAGES: [(&str, &str); 16] = [
    ("INFO", "request GET /api/v1/orders/{} took {} ms"),
    ("INFO", "request POST /api/v1/checkout/{} took {} ms"),
    ("INFO", "user {} logged in from 10.0.{}.7"),
    ("INFO", "cache hit ratio {} for shard {}"),
    (
        "INFO",
        "scheduled job {} finished in {} s, no error reported",
    ),
    ("DEBUG", "pool stats active={} idle={}"),
    ("DEBUG", "span {} parent {} sampled"),
    ("DEBUG", "gc pause {} us heap {} MB"),
    ("INFO", "request GET /health took {} ms status {}"),
    ("WARN", "slow query on table orders took {} ms rows {}"),
    ("WARN", "retrying upstream call attempt {} of {}"),
    ("INFO", "published {} events to topic audit-{}"),
    (
        "ERROR",
        "request POST /api/v1/pay/{} failed: timeout after {} ms",
    ),
    (
        "ERROR",
        "connection refused by db-{}:5432 after {} attempts",
    ),
    (
        "FATAL",
        "OutOfMemoryError in worker {} after {} allocations",
    ),
    ("INFO", "config reloaded version {} by {}"),
];

/// A deterministic ISO 8601 application log of about `bytes` bytes (whole lines): levels INFO,
/// DEBUG, WARN, ERROR and FATAL in fixed proportions, one line every ~7 ms from
/// 2026-01-01T00:00:00Z, messages from 16 shapes with variable numbers. Same `bytes` and `seed`,
/// same output.
pub fn app_log(bytes: usize, seed: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes + 256);
    let mut state = seed ^ 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        // xorshift64*
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        state.wrapping_mul(0x2545_F491_4F6C_DD1D)
    };
    let mut millis: u64 = 0;
    let mut line = String::with_capacity(160);
    while out.len() < bytes {
        let r = next();
        millis += 1 + r % 13;
        // weights: mostly INFO/DEBUG, rare ERROR/FATAL
        let pick = (r >> 8) % 1000;
        let index = match pick {
            0..=1 => 14,
            2..=21 => 12 + (pick % 2) as usize,
            22..=101 => 9 + (pick % 2) as usize,
            _ => [0, 1, 2, 3, 4, 5, 6, 7, 8, 11, 15][(pick % 11) as usize],
        };
        let (level, text) = LOG_MESSAGES[index];
        let secs = millis / 1000;
        let (day, rem) = (secs / 86_400, secs % 86_400);
        line.clear();
        use std::fmt::Write as _;
        let _ = write!(
            line,
            "2026-01-{:02}T{:02}:{:02}:{:02}.{:03}Z {level:<5} [worker-{}] ",
            1 + day % 28,
            rem / 3600,
            rem / 60 % 60,
            rem % 60,
            millis % 1000,
            (r >> 20) % 16
        );
        let mut vars = [(r >> 24) % 100_000, (r >> 40) % 5000].into_iter();
        for (i, part) in text.split("{}").enumerate() {
            if i > 0 {
                let _ = write!(line, "{}", vars.next().unwrap_or(0));
            }
            line.push_str(part);
        }
        line.push('\n');
        out.extend_from_slice(line.as_bytes());
    }
    out
}
