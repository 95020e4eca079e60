//! Results, their summary, and the two output forms.
//!
//! JSON (key names are a contract): `{"results": [{"host", "ip", "port", "state", "service",
//! "latency_ms", "banner"?, "cached"}], "summary": {"open", "closed", "filtered", "error",
//! "elapsed_ms"}}`, results sorted by IP (IPv4 before IPv6, numerically) then port. Text: a table
//! of the open services and a summary line.

use std::fmt::Write as _;
use std::net::IpAddr;

use serde::Serialize;

use super::State;

/// The answer for one probe.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScanResult {
    pub host: String,
    pub ip: IpAddr,
    pub port: u16,
    pub state: State,
    pub service: String,
    /// The duration of the deciding attempt (the timeout for `filtered`), in milliseconds.
    pub latency_ms: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub banner: Option<String>,
    /// Served from the cache rather than probed now.
    pub cached: bool,
}

/// Counts per state and the wall-clock time of the scan.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub open: u64,
    pub closed: u64,
    pub filtered: u64,
    pub error: u64,
    pub elapsed_ms: u64,
}

/// A whole scan's answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub results: Vec<ScanResult>,
    pub summary: Summary,
}

/// Rounds a latency to microseconds, so outputs do not carry clock noise below that.
pub fn round_ms(ms: f64) -> f64 {
    if ms.is_finite() && ms > 0.0 {
        (ms * 1000.0).round() / 1000.0
    } else {
        0.0
    }
}

/// The first line of what a service sent, as printable text: invalid UTF-8 replaced, control
/// characters dropped, at most 200 characters; `None` when nothing printable is left.
pub fn clean_banner(bytes: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(bytes);
    let line = text.split(['\r', '\n']).find(|l| !l.trim().is_empty())?;
    let cleaned: String = line
        .chars()
        .map(|c| if c == '\t' { ' ' } else { c })
        .filter(|c| !c.is_control())
        .take(200)
        .collect();
    let cleaned = cleaned.trim();
    (!cleaned.is_empty()).then(|| cleaned.to_string())
}

impl Report {
    /// Sorts results by IP then port (then host) and counts the states.
    pub fn new(mut results: Vec<ScanResult>, elapsed_ms: u64) -> Report {
        results.sort_by(|a, b| (a.ip, a.port, &a.host).cmp(&(b.ip, b.port, &b.host)));
        let mut summary = Summary {
            elapsed_ms,
            ..Summary::default()
        };
        for r in &results {
            match r.state {
                State::Open => summary.open += 1,
                State::Closed => summary.closed += 1,
                State::Filtered => summary.filtered += 1,
                State::Error => summary.error += 1,
            }
        }
        Report { results, summary }
    }

    /// The JSON form, one document and a newline.
    pub fn to_json(&self) -> String {
        // Plain data with string keys and finite floats: serializing cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }

    /// A table of the open services, then the summary line.
    pub fn to_text(&self) -> String {
        let header = ["HOST", "IP", "PORT", "SERVICE", "LATENCY", "BANNER"];
        let rows: Vec<[String; 6]> = self
            .results
            .iter()
            .filter(|r| r.state == State::Open)
            .map(|r| {
                [
                    r.host.clone(),
                    r.ip.to_string(),
                    r.port.to_string(),
                    r.service.clone(),
                    format!(
                        "{:.3} ms{}",
                        r.latency_ms,
                        if r.cached { " (cached)" } else { "" }
                    ),
                    r.banner.clone().unwrap_or_default(),
                ]
            })
            .collect();
        let mut out = String::new();
        if rows.is_empty() {
            out.push_str("no open ports\n");
        } else {
            let mut width = header.map(str::len);
            for row in &rows {
                for (w, cell) in width.iter_mut().zip(row) {
                    *w = (*w).max(cell.chars().count());
                }
            }
            let mut line = |cells: [&str; 6]| {
                let mut l = String::new();
                for (i, cell) in cells.iter().enumerate() {
                    if i + 1 == cells.len() {
                        l.push_str(cell);
                    } else {
                        let _ = write!(l, "{cell:<w$}  ", w = width[i]);
                    }
                }
                out.push_str(l.trim_end());
                out.push('\n');
            };
            line(header);
            for row in &rows {
                line(row.each_ref().map(String::as_str));
            }
        }
        let s = &self.summary;
        let _ = writeln!(
            out,
            "{} open, {} closed, {} filtered, {} error; {} probes in {} ms",
            s.open,
            s.closed,
            s.filtered,
            s.error,
            self.results.len(),
            s.elapsed_ms
        );
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(host: &str, ip: &str, port: u16, state: State) -> ScanResult {
        ScanResult {
            host: host.into(),
            ip: ip.parse().unwrap(),
            port,
            state,
            service: crate::scan::service_name(port).into(),
            latency_ms: 1.5,
            banner: None,
            cached: false,
        }
    }

    #[test]
    fn sorted_by_ip_then_port_and_counted() {
        let report = Report::new(
            vec![
                r("::1", "::1", 22, State::Open),
                r("b", "10.0.0.2", 80, State::Closed),
                r("a", "10.0.0.10", 22, State::Filtered),
                r("b", "10.0.0.2", 22, State::Error),
                r("c", "9.0.0.1", 443, State::Open),
            ],
            42,
        );
        let order: Vec<(String, u16)> = report
            .results
            .iter()
            .map(|r| (r.ip.to_string(), r.port))
            .collect();
        let want = [
            ("9.0.0.1", 443),
            ("10.0.0.2", 22),
            ("10.0.0.2", 80),
            ("10.0.0.10", 22),
            ("::1", 22),
        ];
        let want: Vec<(String, u16)> = want.iter().map(|(i, p)| (i.to_string(), *p)).collect();
        assert_eq!(order, want);
        assert_eq!(
            report.summary,
            Summary {
                open: 2,
                closed: 1,
                filtered: 1,
                error: 1,
                elapsed_ms: 42
            }
        );
    }

    #[test]
    fn json_keys_are_the_contract() {
        let mut open = r("localhost", "127.0.0.1", 22, State::Open);
        open.banner = Some("SSH-2.0-x".into());
        let report = Report::new(vec![open, r("::1", "::1", 81, State::Closed)], 3);
        let v: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
        let first = v["results"][0].as_object().unwrap();
        let keys: Vec<&str> = first.keys().map(String::as_str).collect();
        let mut want = vec![
            "banner",
            "cached",
            "host",
            "ip",
            "latency_ms",
            "port",
            "service",
            "state",
        ];
        want.sort_unstable();
        let mut keys_sorted = keys.clone();
        keys_sorted.sort_unstable();
        assert_eq!(keys_sorted, want);
        assert_eq!(first["ip"], "127.0.0.1");
        assert_eq!(first["state"], "open");
        assert_eq!(first["service"], "ssh");
        assert!(v["results"][1].get("banner").is_none());
        assert_eq!(v["results"][1]["state"], "closed");
        let summary = v["summary"].as_object().unwrap();
        let mut skeys: Vec<&str> = summary.keys().map(String::as_str).collect();
        skeys.sort_unstable();
        assert_eq!(skeys, ["closed", "elapsed_ms", "error", "filtered", "open"]);
    }

    #[test]
    fn text_lists_open_services_only() {
        let report = Report::new(
            vec![
                r("localhost", "127.0.0.1", 8080, State::Open),
                r("localhost", "127.0.0.1", 8081, State::Closed),
            ],
            7,
        );
        let text = report.to_text();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text}");
        assert!(lines[0].starts_with("HOST"));
        assert!(lines[1].contains("8080") && lines[1].contains("http-proxy"));
        assert!(!text.contains("8081  "));
        assert!(lines[2].starts_with("1 open, 1 closed, 0 filtered, 0 error"));
        let none = Report::new(vec![r("h", "::1", 1, State::Closed)], 1).to_text();
        assert!(none.starts_with("no open ports\n"));
    }

    #[test]
    fn banners_are_cleaned() {
        assert_eq!(
            clean_banner(b"SSH-2.0-OpenSSH_9.2\r\nmore"),
            Some("SSH-2.0-OpenSSH_9.2".into())
        );
        assert_eq!(
            clean_banner(b"\r\n220 ready\x07\tok\n"),
            Some("220 ready ok".into())
        );
        assert_eq!(
            clean_banner(b"\xff\xfehi"),
            Some("\u{fffd}\u{fffd}hi".into())
        );
        assert_eq!(clean_banner(b"\x00\x01\r\n"), None);
        assert_eq!(clean_banner(b""), None);
        assert_eq!(clean_banner(&[b'a'; 500]).map(|s| s.len()), Some(200));
        assert_eq!(round_ms(1.23456), 1.235);
        assert_eq!(round_ms(f64::NAN), 0.0);
    }
}
