//! Lints over a parsed configuration. Findings are data, each with a line, column, severity, rule
//! name and message; they never include a secret's value.
//!
//! Rules:
//! - `duplicate-key` (error): a map repeats a key (YAML, JSON; TOML refuses duplicates when
//!   parsing). Non-string YAML keys compare by their canonical text.
//! - `plaintext-secret` (error): a key naming a secret (`password`, `passwd`, `secret`, `token`,
//!   `api_key`, `private_key`, `access_key`, `credential(s)`, ... as the key's last word, case and
//!   `_`/`-` ignored) holds a literal string or number rather than a reference (`${VAR}`, `$VAR`,
//!   `{{ template }}`, `vault:`/`env:`/`secret:`/`ref+` prefixes, `<placeholder>`, `*****`, empty);
//!   list items `NAME=value` (compose's `environment` list) are checked the same way.
//! - `yaml11-bool` (warning): an unquoted `yes`/`no`/`on`/`off` (any casing YAML 1.1 knows; not
//!   `y`/`n`, which PyYAML and most 1.1 loaders also keep as strings): a string in YAML 1.2, a boolean to YAML 1.1 readers (`NO`, the country, turns false).
//! - `yaml11-octal` (warning): an unquoted `0755`-style integer: decimal 755 in YAML 1.2, octal
//!   (493) in YAML 1.1.
//! - `yaml11-sexagesimal` (warning): an unquoted `1:30`-style value: a string in YAML 1.2, the
//!   integer 90 in YAML 1.1.
//! - Services: a top-level `services` map (name to service) or list (services with `name`):
//!   - `port-range` (error): a port outside 1..=65535, or one that does not parse.
//!   - `port-collision` (error): two bindings of the same host port and protocol, in one service or
//!     across services on the same host. Integers and `"8080"` are the service's own ports;
//!     `"8080:80"`, `"127.0.0.1:8080:80/udp"` and `{published: 8080}`/`{hostPort: 8080}` bind
//!     the host port 8080; ranges `"8000-8005:8000-8005"` expand. A service's host is its `host`
//!     (or each of its `hosts`), the address in a port string, else one shared default host.
//!   - `replicas-range` (error): `replicas` not a whole number from 0 to 10000.
//!   - `cpu-range` (error): `cpu`/`cpus` not a positive number or millicores like `"500m"`.
//!   - `memory-range` (error): `memory`/`mem` not a positive size (bytes, or a number with
//!     `k`/`m`/`g`/`t`, optional `i` and `b`).

use std::collections::BTreeMap;

use saphyr_parser::{Event, Parser, ScalarStyle};
use serde::Serialize;

use super::emit::{key_text, yaml11_bool};
use super::{Format, Map, Node, Span, Stream, Value};

/// How bad a finding is: errors make `conclave config check` exit 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One lint finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub line: usize,
    pub column: usize,
    pub severity: Severity,
    pub rule: &'static str,
    pub message: String,
}

fn finding(span: Span, severity: Severity, rule: &'static str, message: String) -> Finding {
    Finding {
        line: span.line,
        column: span.column,
        severity,
        rule,
        message,
    }
}

/// Lints `stream`, parsed from `text`. Findings come sorted by line, column and rule.
pub fn lint(text: &str, stream: &Stream) -> Vec<Finding> {
    let mut out = Vec::new();
    for doc in &stream.documents {
        walk(doc, &mut out);
        services(doc, &mut out);
    }
    if stream.format == Format::Yaml {
        yaml11(text, &mut out);
    }
    out.sort_by(|a, b| {
        (a.line, a.column, a.rule, &a.message).cmp(&(b.line, b.column, b.rule, &b.message))
    });
    out.dedup();
    out
}

/// Duplicate keys and plaintext secrets, everywhere in the tree.
fn walk(node: &Node, out: &mut Vec<Finding>) {
    // An explicit stack: trees can be as deep as the depth limit allows.
    let mut stack = vec![node];
    while let Some(node) = stack.pop() {
        match &node.value {
            Value::List(items) => {
                // `environment: ["DB_PASSWORD=hunter2"]` (compose's list form).
                for item in items {
                    if let Some((name, value)) = item.as_str().and_then(|s| s.split_once('='))
                        && is_secret_key(name)
                        && is_literal_text(value)
                    {
                        out.push(finding(
                            item.span,
                            Severity::Error,
                            "plaintext-secret",
                            format!("{name:?} holds a literal value; reference a secret store or environment variable instead"),
                        ));
                    }
                }
                stack.extend(items.iter().rev());
            }
            Value::Map(map) => {
                duplicates(map, out);
                for (k, v) in &map.entries {
                    if let Some(name) = k.as_str()
                        && is_secret_key(name)
                        && is_literal_secret(v)
                    {
                        out.push(finding(
                            v.span,
                            Severity::Error,
                            "plaintext-secret",
                            format!("{name:?} holds a literal value; reference a secret store or environment variable instead"),
                        ));
                    }
                }
                for (k, v) in map.entries.iter().rev() {
                    stack.push(v);
                    stack.push(k);
                }
            }
            _ => {}
        }
    }
}

fn scalar_key(k: &Node) -> Option<String> {
    key_text(k).ok()
}

fn duplicates(map: &Map, out: &mut Vec<Finding>) {
    let mut seen: BTreeMap<String, Span> = BTreeMap::new();
    for (k, _) in &map.entries {
        let Some(key) = scalar_key(k) else { continue };
        match seen.get(&key) {
            Some(first) => out.push(finding(
                k.span,
                Severity::Error,
                "duplicate-key",
                format!(
                    "duplicate key {key:?} (first at line {}, column {})",
                    first.line, first.column
                ),
            )),
            None => {
                seen.insert(key, k.span);
            }
        }
    }
}

const SECRET_WORDS: &[&str] = &[
    "password",
    "passwd",
    "pwd",
    "secret",
    "token",
    "apikey",
    "privatekey",
    "accesskey",
    "secretkey",
    "credential",
    "credentials",
    "passphrase",
    "clientsecret",
    "authtoken",
];

fn is_secret_key(name: &str) -> bool {
    let norm: String = name
        .chars()
        .filter(|c| !matches!(c, '_' | '-' | '.' | ' '))
        .flat_map(char::to_lowercase)
        .collect();
    SECRET_WORDS.iter().any(|w| norm.ends_with(w))
}

fn is_literal_secret(v: &Node) -> bool {
    match &v.value {
        Value::Int(_) | Value::Float(_) => true,
        Value::String(s) => is_literal_text(s),
        _ => false,
    }
}

/// Whether a secret's text is a literal rather than a reference or placeholder.
fn is_literal_text(s: &str) -> bool {
    let t = s.trim();
    let lower = t.to_ascii_lowercase();
    !(t.is_empty()
        || t.starts_with('$')
        || t.contains("${")
        || t.contains("{{")
        || t.starts_with('<') && t.ends_with('>')
        || t.chars().all(|c| c == '*' || c == 'x' || c == 'X')
        || [
            "vault:",
            "env:",
            "secret:",
            "secretref:",
            "ref+",
            "file:",
            "arn:aws:secretsmanager",
        ]
        .iter()
        .any(|p| lower.starts_with(p)))
}

/// Scalar-level YAML 1.1 surprises, from a second pass over the events (styles are not in the tree).
fn yaml11(text: &str, out: &mut Vec<Finding>) {
    let mut parser = Parser::new_from_str(text);
    while let Some(Ok((event, span))) = parser.next_event() {
        let Event::Scalar(value, ScalarStyle::Plain, _, None) = event else {
            continue;
        };
        let at = Span {
            line: span.start.line(),
            column: span.start.col() + 1,
        };
        let v = value.as_ref();
        // `y`/`n` are left out: PyYAML and most 1.1 loaders read them as strings too, and
        // single-letter keys (`x`, `y`) are common.
        if yaml11_bool(v) && v.len() > 1 {
            out.push(finding(
                at,
                Severity::Warning,
                "yaml11-bool",
                format!("unquoted {v:?} is a string in YAML 1.2 but a boolean in YAML 1.1; quote it or write true/false"),
            ));
        } else if is_yaml11_octal(v) {
            out.push(finding(
                at,
                Severity::Warning,
                "yaml11-octal",
                format!("unquoted {v:?} is decimal in YAML 1.2 but octal in YAML 1.1; quote it or write 0o{}", v.trim_start_matches(['+', '-']).trim_start_matches('0')),
            ));
        } else if is_sexagesimal(v) {
            out.push(finding(
                at,
                Severity::Warning,
                "yaml11-sexagesimal",
                format!("unquoted {v:?} is a string in YAML 1.2 but a base-60 number in YAML 1.1; quote it"),
            ));
        }
    }
}

fn is_yaml11_octal(v: &str) -> bool {
    let body = v.strip_prefix(['+', '-']).unwrap_or(v);
    body.len() > 1 && body.starts_with('0') && body.bytes().all(|b| (b'0'..=b'7').contains(&b))
}

fn is_sexagesimal(v: &str) -> bool {
    // YAML 1.1: [-+]?[1-9][0-9_]*(:[0-5]?[0-9])+
    let body = v.strip_prefix(['+', '-']).unwrap_or(v);
    let mut parts = body.split(':');
    let Some(head) = parts.next() else {
        return false;
    };
    let head_ok = head
        .as_bytes()
        .first()
        .is_some_and(|b| (b'1'..=b'9').contains(b))
        && head.bytes().all(|b| b.is_ascii_digit() || b == b'_');
    let mut any = false;
    for p in parts {
        any = true;
        let ok = match p.as_bytes() {
            [d] => d.is_ascii_digit(),
            [a, b] => (b'0'..=b'5').contains(a) && b.is_ascii_digit(),
            _ => false,
        };
        if !ok {
            return false;
        }
    }
    head_ok && any
}

/// One host-port binding of a service.
struct Binding {
    host: String,
    port: i64,
    proto: String,
    span: Span,
}

fn services(doc: &Node, out: &mut Vec<Finding>) {
    let Some(services) = doc.get("services") else {
        return;
    };
    let list: Vec<(String, &Node)> = match &services.value {
        Value::Map(m) => m
            .entries
            .iter()
            .map(|(k, v)| (scalar_key(k).unwrap_or_default(), v))
            .collect(),
        Value::List(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let name = v
                    .get("name")
                    .and_then(Node::as_str)
                    .map_or_else(|| format!("#{i}"), str::to_owned);
                (name, v)
            })
            .collect(),
        _ => return,
    };
    let mut used: BTreeMap<(String, i64, String), (String, Span)> = BTreeMap::new();
    for (name, svc) in list {
        if svc.as_map().is_none() {
            continue;
        }
        let hosts: Vec<String> = match (svc.get("host"), svc.get("hosts")) {
            (Some(h), _) if h.as_str().is_some() => vec![h.as_str().unwrap_or_default().to_owned()],
            (_, Some(h)) if h.as_list().is_some() => h
                .as_list()
                .unwrap_or_default()
                .iter()
                .filter_map(|x| x.as_str().map(str::to_owned))
                .collect(),
            _ => vec![String::new()],
        };
        for b in bindings(&name, svc, &hosts, out) {
            let host_label = if b.host.is_empty() {
                "the default host".to_owned()
            } else {
                b.host.clone()
            };
            let key = (b.host.clone(), b.port, b.proto.clone());
            if let Some((other, first)) = used.get(&key) {
                let whom = if *other == name {
                    format!("service {name:?} itself")
                } else {
                    format!("service {other:?}")
                };
                out.push(finding(
                    b.span,
                    Severity::Error,
                    "port-collision",
                    format!(
                        "service {name:?}: port {}/{} on {host_label} is already used by {whom} (line {}, column {})",
                        b.port, b.proto, first.line, first.column
                    ),
                ));
            } else {
                used.insert(key, (name.clone(), b.span));
            }
        }
        resources(&name, svc, out);
    }
}

fn port_findings(name: &str, span: Span, what: &str, out: &mut Vec<Finding>) {
    out.push(finding(
        span,
        Severity::Error,
        "port-range",
        format!("service {name:?}: {what}"),
    ));
}

/// Parses `8080` or `8000-8005` into an inclusive range.
fn port_range(s: &str) -> Option<(i64, i64)> {
    let (a, b) = s.split_once('-').unwrap_or((s, s));
    let a = a.trim().parse::<i64>().ok()?;
    let b = b.trim().parse::<i64>().ok()?;
    (a <= b).then_some((a, b))
}

fn bindings(name: &str, svc: &Node, hosts: &[String], out: &mut Vec<Finding>) -> Vec<Binding> {
    let mut res = Vec::new();
    let Some(ports) = svc.get("ports") else {
        return res;
    };
    let entries: Vec<&Node> = match &ports.value {
        Value::List(items) => items.iter().collect(),
        _ => vec![ports],
    };
    let mut push =
        |host: Option<&str>, lo: i64, hi: i64, proto: &str, span: Span, out: &mut Vec<Finding>| {
            if lo < 1 || hi > 65535 {
                port_findings(
                    name,
                    span,
                    &format!("port {} is outside 1..=65535", if lo < 1 { lo } else { hi }),
                    out,
                );
                return;
            }
            let hs: Vec<String> = match host {
                Some(h) => vec![h.to_owned()],
                None => hosts.to_vec(),
            };
            for h in hs {
                for port in lo..=hi {
                    res.push(Binding {
                        host: h.clone(),
                        port,
                        proto: proto.to_owned(),
                        span,
                    });
                }
            }
        };
    for entry in entries {
        let span = entry.span;
        match &entry.value {
            Value::Int(p) => push(None, *p, *p, "tcp", span, out),
            Value::String(s) => {
                let (spec, proto) = s.rsplit_once('/').unwrap_or((s.as_str(), "tcp"));
                let parts: Vec<&str> = spec.rsplitn(3, ':').collect();
                // parts reversed: [container, host port?, ip?]
                let (ip, bound) = match parts.as_slice() {
                    [c] => (None, *c),
                    [_, h] => (None, *h),
                    [_, h, ip] => (Some(*ip), *h),
                    _ => (None, ""),
                };
                if bound.is_empty() && parts.len() > 1 {
                    continue; // "127.0.0.1::80": an ephemeral host port
                }
                match port_range(bound) {
                    Some((lo, hi)) if hi - lo <= 65535 => push(ip, lo, hi, proto, span, out),
                    _ => port_findings(name, span, &format!("port {s:?} does not parse"), out),
                }
            }
            Value::Map(_) => {
                let proto = entry
                    .get("protocol")
                    .and_then(Node::as_str)
                    .unwrap_or("tcp")
                    .to_ascii_lowercase();
                let ip = entry
                    .get("host_ip")
                    .or_else(|| entry.get("hostIP"))
                    .and_then(Node::as_str);
                let bound = ["published", "hostPort", "port", "target", "containerPort"]
                    .iter()
                    .find_map(|k| entry.get(k));
                match bound.map(|b| &b.value) {
                    Some(Value::Int(p)) => push(ip, *p, *p, &proto, span, out),
                    Some(Value::String(s)) => match port_range(s) {
                        Some((lo, hi)) if hi - lo <= 65535 => push(ip, lo, hi, &proto, span, out),
                        _ => port_findings(name, span, &format!("port {s:?} does not parse"), out),
                    },
                    Some(_) => port_findings(name, span, "port is not a number", out),
                    None => {}
                }
            }
            _ => port_findings(name, span, "port is not a number or a port string", out),
        }
    }
    res
}

/// Positive size in bytes from `512Mi`, `1G`, `1.5gb`, `1048576`.
fn parse_size(s: &str) -> Option<f64> {
    let t = s.trim().to_ascii_lowercase();
    let num_end = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let n: f64 = t[..num_end].parse().ok()?;
    let unit = t[num_end..]
        .trim()
        .trim_end_matches('b')
        .trim_end_matches('i');
    let mult = match unit {
        "" => 1.0,
        "k" => 1e3,
        "m" => 1e6,
        "g" => 1e9,
        "t" => 1e12,
        _ => return None,
    };
    Some(n * mult)
}

fn resources(name: &str, svc: &Node, out: &mut Vec<Finding>) {
    // Look in the service and in its `resources` (and `resources.limits`) maps.
    let mut places = vec![svc];
    if let Some(r) = svc.get("resources") {
        places.push(r);
        for sub in ["limits", "requests"] {
            if let Some(x) = r.get(sub) {
                places.push(x);
            }
        }
    }
    for place in places {
        if let Some(r) = place.get("replicas") {
            let ok = matches!(r.value, Value::Int(n) if (0..=10_000).contains(&n));
            if !ok {
                out.push(finding(
                    r.span,
                    Severity::Error,
                    "replicas-range",
                    format!("service {name:?}: replicas must be a whole number from 0 to 10000"),
                ));
            }
        }
        for key in ["cpu", "cpus"] {
            if let Some(c) = place.get(key) {
                let ok = match &c.value {
                    Value::Int(n) => *n > 0,
                    Value::Float(f) => *f > 0.0 && f.is_finite(),
                    Value::String(s) => {
                        let s = s.trim();
                        let n = s.strip_suffix('m').unwrap_or(s);
                        n.parse::<f64>().is_ok_and(|f| f > 0.0 && f.is_finite())
                    }
                    _ => false,
                };
                if !ok {
                    out.push(finding(c.span, Severity::Error, "cpu-range", format!("service {name:?}: {key} must be a positive number of cores or millicores like \"500m\"")));
                }
            }
        }
        for key in ["memory", "mem"] {
            if let Some(m) = place.get(key) {
                let ok = match &m.value {
                    Value::Int(n) => *n > 0,
                    Value::String(s) => parse_size(s).is_some_and(|v| v > 0.0 && v.is_finite()),
                    _ => false,
                };
                if !ok {
                    out.push(finding(
                        m.span,
                        Severity::Error,
                        "memory-range",
                        format!("service {name:?}: {key} must be a positive size like 512Mi or 1G"),
                    ));
                }
            }
        }
    }
}
