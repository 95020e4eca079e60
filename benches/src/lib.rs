//! Deterministic input generators shared by the benches and the peer-comparison scripts.

use conclave_core::consensus::Response;

/// SplitMix64: a tiny deterministic generator for bench inputs (no OS randomness).
#[derive(Debug, Clone)]
pub struct SplitMix64(pub u64);

impl SplitMix64 {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0; the modulo bias is irrelevant for bench inputs).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    /// Uniform in [0, 1) with 53 bits.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
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

/// Samples word ranks from a Zipf law (exponent 1) over `vocabulary` words.
#[derive(Debug, Clone)]
pub struct Zipf {
    cdf: Vec<f64>,
}

impl Zipf {
    pub fn new(vocabulary: usize) -> Zipf {
        let mut cdf = Vec::with_capacity(vocabulary);
        let mut total = 0.0;
        for k in 0..vocabulary {
            total += 1.0 / (k + 1) as f64;
            cdf.push(total);
        }
        for c in &mut cdf {
            *c /= total;
        }
        Zipf { cdf }
    }

    pub fn sample(&self, rng: &mut SplitMix64) -> usize {
        let u = rng.unit();
        self.cdf
            .partition_point(|&c| c <= u)
            .min(self.cdf.len() - 1)
    }
}

/// Realistic distinct responses: groups of `group` paraphrases; each group starts from its own
/// `words`-word text drawn from a 3000-word Zipf vocabulary, and each paraphrase replaces about a
/// quarter of the words with fresh draws. Confidences are uniform in [0.5, 1].
pub fn consensus_zipf(experts: usize, words: usize, group: usize, seed: u64) -> Vec<Response> {
    let zipf = Zipf::new(3000);
    let mut rng = SplitMix64(seed);
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
