//! Deterministic input generators shared by the benches and the peer-comparison scripts.

/// SplitMix64: a tiny deterministic generator for bench inputs.
struct Mix(u64);

impl Mix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
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

fn service(i: usize, rng: &mut Mix) -> Service {
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
    let mut rng = Mix(0x00C0_FFEE);
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

#[cfg(test)]
mod tests {
    use super::*;

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
