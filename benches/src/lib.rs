//! Deterministic input generators shared by the criterion benches and the side-by-side comparison
//! scripts (which write the same inputs to files with the `gen` binary, so a peer tool measures the
//! very same work).

use conclave_core::consensus::Response;

/// SplitMix64: a tiny deterministic generator, so inputs are identical on every machine.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform integer in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    /// A uniform float in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// `size` distinct pronounceable lowercase words.
pub fn vocabulary(size: usize) -> Vec<String> {
    const SYLLABLES: [&str; 16] = [
        "ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "pa", "do", "fi", "gu", "he", "jo",
        "ba",
    ];
    (0..size)
        .map(|mut i| {
            let mut w = String::new();
            loop {
                w.push_str(SYLLABLES[i % 16]);
                i /= 16;
                if i == 0 {
                    break;
                }
            }
            w
        })
        .collect()
}

/// Draws word indices from a Zipf(1) distribution over `vocab` ranks.
#[derive(Debug, Clone)]
pub struct Zipf {
    cumulative: Vec<f64>,
}

impl Zipf {
    pub fn new(vocab: usize) -> Zipf {
        let mut total = 0.0;
        let cumulative = (1..=vocab)
            .map(|r| {
                total += 1.0 / r as f64;
                total
            })
            .collect();
        Zipf { cumulative }
    }

    pub fn sample(&self, rng: &mut Rng) -> usize {
        let total = self.cumulative.last().copied().unwrap_or(0.0);
        let x = rng.unit() * total;
        self.cumulative
            .partition_point(|&c| c <= x)
            .min(self.cumulative.len() - 1)
    }
}

/// `n` texts of `words` words from a Zipf vocabulary of `vocab` words.
pub fn zipf_texts(n: usize, words: usize, vocab: usize, seed: u64) -> Vec<String> {
    let v = vocabulary(vocab);
    let z = Zipf::new(vocab);
    let mut rng = Rng::new(seed);
    (0..n)
        .map(|_| {
            (0..words)
                .map(|_| v[z.sample(&mut rng)].as_str())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// Pairs of ~`chars`-char texts where the second is the first with about `edit_rate` of its
/// characters substituted, inserted or deleted (the typical near-duplicate answer).
pub fn edited_pairs(n: usize, chars: usize, edit_rate: f64, seed: u64) -> Vec<(String, String)> {
    let mut rng = Rng::new(seed);
    let v = vocabulary(3000);
    let z = Zipf::new(3000);
    (0..n)
        .map(|_| {
            let mut a = String::new();
            while a.len() < chars {
                if !a.is_empty() {
                    a.push(' ');
                }
                a.push_str(&v[z.sample(&mut rng)]);
            }
            a.truncate(chars);
            let mut b = String::with_capacity(chars + 16);
            for c in a.chars() {
                if rng.unit() < edit_rate {
                    match rng.below(3) {
                        0 => b.push(char::from(b'a' + rng.below(26) as u8)),
                        1 => {
                            b.push(c);
                            b.push(char::from(b'a' + rng.below(26) as u8));
                        }
                        _ => {}
                    }
                } else {
                    b.push(c);
                }
            }
            (a, b)
        })
        .collect()
}

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

/// The origin report's consensus input: `"Expert {i}: "` followed by the same sentence 50 times,
/// confidence `0.7 + (i % 3) * 0.1`. All answers are near-identical.
pub fn consensus_origin(experts: usize) -> Vec<Response> {
    let body = "This is a sample expert response with meaningful content. ".repeat(50);
    (0..experts)
        .map(|i| {
            Response::new(
                &format!("expert-{i}"),
                &format!("Expert {i}: {body}"),
                0.7 + (i % 3) as f64 * 0.1,
            )
        })
        .collect()
}

/// Word `k` of a synthetic vocabulary: pronounceable, distinct, never an English stop word
/// (consonant-vowel syllables from the digits of `k`, prefixed by a consonant pair).
pub fn zipf_word(k: usize) -> String {
    const C: [&str; 10] = ["b", "d", "f", "g", "k", "l", "m", "n", "p", "t"];
    const V: [&str; 5] = ["a", "e", "i", "o", "u"];
    let mut w = String::from("br");
    let mut x = k;
    loop {
        w.push_str(V[x % 5]);
        w.push_str(C[(x / 5) % 10]);
        x /= 50;
        if x == 0 {
            break;
        }
    }
    w
}

/// Realistic distinct responses: groups of `group` paraphrases; each group starts from its own
/// `words`-word text drawn from a 3000-word Zipf vocabulary, and each paraphrase replaces about a
/// quarter of the words with fresh draws. Confidences are uniform in [0.5, 1].
pub fn consensus_zipf(experts: usize, words: usize, group: usize, seed: u64) -> Vec<Response> {
    let zipf = Zipf::new(3000);
    let mut rng = Rng::new(seed);
    let mut out = Vec::with_capacity(experts);
    let mut base: Vec<usize> = Vec::new();
    for i in 0..experts {
        if i % group.max(1) == 0 {
            base = (0..words).map(|_| zipf.sample(&mut rng)).collect();
        }
        let text: Vec<String> = base
            .iter()
            .map(|&w| {
                if rng.below(4) == 0 {
                    zipf_word(zipf.sample(&mut rng))
                } else {
                    zipf_word(w)
                }
            })
            .collect();
        let confidence = 0.5 + rng.below(51) as f64 / 100.0;
        out.push(Response::new(
            &format!("expert-{i}"),
            &text.join(" "),
            confidence,
        ));
    }
    out
}

/// Responses as a JSON array in the format `conclave consensus` reads.
pub fn responses_json(responses: &[Response]) -> String {
    let records: Vec<serde_json::Value> = responses
        .iter()
        .map(|r| {
            serde_json::json!({
                "expert": r.expert,
                "content": r.content,
                "confidence": r.confidence,
            })
        })
        .collect();
    serde_json::Value::Array(records).to_string()
}

/// The config sizes the benches and `compare-config` use: 1 KB, 10 KB, 100 KB, 1 MB.
pub const CONFIG_SIZES: [(&str, usize); 4] = [
    ("1KB", 1 << 10),
    ("10KB", 10 << 10),
    ("100KB", 100 << 10),
    ("1MB", 1 << 20),
];

/// One generated service: scalars, env, ports, resources, labels.
struct Service {
    name: String,
    image: String,
    host: String,
    replicas: u64,
    ports: Vec<String>,
    env: Vec<(String, String)>,
    cpu: String,
    memory: String,
    labels: Vec<(String, String)>,
    enabled: bool,
    ratio: f64,
}

fn service(i: usize, rng: &mut Rng) -> Service {
    let name = format!("svc-{i:05}");
    let tiers = ["frontend", "backend", "worker", "cache", "db"];
    let regions = ["eu-west-1", "us-east-2", "ap-south-1"];
    let levels = ["debug", "info", "warn"];
    let port = 1024 + (i as u64 * 7) % 60000;
    Service {
        image: format!(
            "registry.example.com/team-{}/{name}:1.{}.{}",
            i % 17,
            rng.below(20),
            rng.below(100)
        ),
        host: format!(
            "10.{}.{}.{}",
            rng.below(256),
            rng.below(256),
            1 + rng.below(254)
        ),
        replicas: 1 + rng.below(8),
        ports: vec![
            port.to_string(),
            format!("\"{}:{}\"", port + 1, 8000 + rng.below(1000)),
        ],
        env: vec![
            ("LOG_LEVEL".into(), levels[rng.below(3) as usize].into()),
            (
                "DB_URL".into(),
                format!("postgres://db-{}.internal:5432/app_{i}", rng.below(9)),
            ),
            ("CACHE_TTL_SECONDS".into(), rng.below(3600).to_string()),
            ("API_TOKEN".into(), "${API_TOKEN}".into()),
        ],
        cpu: format!("{}m", 100 * (1 + rng.below(20))),
        memory: format!("{}Mi", 128 * (1 + rng.below(16))),
        labels: vec![
            ("team".into(), format!("team-{}", i % 17)),
            ("tier".into(), tiers[rng.below(5) as usize].into()),
            ("region".into(), regions[rng.below(3) as usize].into()),
        ],
        enabled: rng.below(2) == 0,
        ratio: rng.below(1000) as f64 / 1000.0,
        name,
    }
}

fn services_until(target_bytes: usize, mut write: impl FnMut(&Service, bool) -> usize) {
    let mut rng = Rng::new(0x00C0_FFEE);
    let mut size = 0;
    let mut i = 0;
    while size < target_bytes || i == 0 {
        let s = service(i, &mut rng);
        size += write(&s, i == 0);
        i += 1;
    }
}

/// A block-style YAML services file of about `target_bytes` bytes (deterministic).
pub fn config_yaml(target_bytes: usize) -> String {
    let mut out = String::from("version: 3\nservices:\n");
    let base = out.len();
    services_until(target_bytes.saturating_sub(base), |s, _| {
        let before = out.len();
        out.push_str(&format!(
            "  {}:\n    image: {}\n    host: {}\n    replicas: {}\n    enabled: {}\n    ratio: {}\n    ports:\n",
            s.name, s.image, s.host, s.replicas, s.enabled, s.ratio
        ));
        for p in &s.ports {
            out.push_str(&format!("      - {p}\n"));
        }
        out.push_str("    env:\n");
        for (k, v) in &s.env {
            let v = if v.starts_with('$') {
                format!("\"{v}\"")
            } else {
                v.clone()
            };
            out.push_str(&format!("      {k}: {v}\n"));
        }
        out.push_str(&format!(
            "    resources:\n      cpu: {}\n      memory: {}\n    labels:\n",
            s.cpu, s.memory
        ));
        for (k, v) in &s.labels {
            out.push_str(&format!("      {k}: {v}\n"));
        }
        out.len() - before
    });
    out
}

/// The same kind of services file as pretty-printed JSON (two-space indent), about
/// `target_bytes` bytes (deterministic).
pub fn config_json(target_bytes: usize) -> String {
    let mut out = String::from("{\n  \"version\": 3,\n  \"services\": {\n");
    let base = out.len() + 6;
    services_until(target_bytes.saturating_sub(base), |s, first| {
        let before = out.len();
        if !first {
            out.push_str(",\n");
        }
        out.push_str(&format!(
            "    \"{}\": {{\n      \"image\": \"{}\",\n      \"host\": \"{}\",\n      \"replicas\": {},\n      \"enabled\": {},\n      \"ratio\": {},\n      \"ports\": [{}],\n      \"env\": {{\n",
            s.name, s.image, s.host, s.replicas, s.enabled, s.ratio, s.ports.join(", ")
        ));
        let env: Vec<String> = s
            .env
            .iter()
            .map(|(k, v)| format!("        \"{k}\": \"{v}\""))
            .collect();
        out.push_str(&env.join(",\n"));
        out.push_str(&format!(
            "\n      }},\n      \"resources\": {{\"cpu\": \"{}\", \"memory\": \"{}\"}},\n      \"labels\": {{\n",
            s.cpu, s.memory
        ));
        let labels: Vec<String> = s
            .labels
            .iter()
            .map(|(k, v)| format!("        \"{k}\": \"{v}\""))
            .collect();
        out.push_str(&labels.join(",\n"));
        out.push_str("\n      }\n    }");
        out.len() - before
    });
    out.push_str("\n  }\n}\n");
    out
}

/// Responses drawn from `unique` distinct 3-word phrases (the report's "pattern complexity"):
/// each of `experts` responses is `per_response` phrases picked uniformly, one sentence each.
/// Phrase k is three consecutive words of the synthetic vocabulary, so phrases never share words.
pub fn phrase_responses(
    experts: usize,
    unique: usize,
    per_response: usize,
    seed: u64,
) -> Vec<Response> {
    let phrases: Vec<String> = (0..unique)
        .map(|k| {
            (0..3)
                .map(|j| zipf_word(3 * k + j))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    let mut rng = Rng::new(seed);
    (0..experts)
        .map(|i| {
            let sentences: Vec<&str> = (0..per_response)
                .map(|_| phrases[rng.below(unique.max(1) as u64) as usize % unique.max(1)].as_str())
                .collect();
            let confidence = 0.5 + rng.below(51) as f64 / 100.0;
            Response::new(
                &format!("expert-{i:04}"),
                &(sentences.join(". ") + "."),
                confidence,
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generators_are_deterministic_and_sized() {
        assert_eq!(zipf_texts(3, 100, 3000, 7), zipf_texts(3, 100, 3000, 7));
        assert_eq!(zipf_texts(1, 100, 3000, 7)[0].split(' ').count(), 100);
        let pairs = edited_pairs(2, 700, 0.1, 1);
        assert_eq!(pairs[0].0.chars().count(), 700);
        assert_ne!(pairs[0].0, pairs[0].1);
    }

    #[test]
    fn config_inputs_are_near_their_size_and_deterministic() {
        for (_, n) in CONFIG_SIZES {
            for text in [config_yaml(n), config_json(n)] {
                assert!(
                    text.len() >= n && text.len() < n + 1024,
                    "{} vs {n}",
                    text.len()
                );
            }
        }
        assert_eq!(config_yaml(5000), config_yaml(5000));
    }
}
