//! Targets named by a configuration file's `services`.
//!
//! [`targets_from_config`] is the one place that reads a configuration value tree. It takes a
//! `serde_json::Value` today; YAML and TOML files reach it once the config parser's value tree
//! converts to (or replaces) that type. It walks:
//!
//! ```text
//! services:                       # a map of name -> service, or a list of services
//!   web: {host: web-1, port: 443}
//!   db:  {hosts: [db-1, "10.0.0.0/30"], ports: [5432, "6432-6433"]}
//!   cache: {host: "[::1]:6379"}   # ports may ride on the host; none means the scan's ports
//! ```
//!
//! Each host string is a `TARGET` ([`super::parse_target`]); `port`/`ports` are numbers, port specs
//! (`"8000-8010"`), or lists of either. In a list, a service's name is its `name` key, else its
//! index. Errors name the path (`services.db.ports[1]`).

use serde_json::Value;

use super::ScanError;
use super::ports::parse_ports;
use super::target::{Target, parse_target};

/// One service from the configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigService {
    /// The service's key or `name`, or its index in a list.
    pub name: String,
    /// Its hosts, parsed as targets; their ports are the service's ports when it gives some.
    pub targets: Vec<Target>,
}

fn bad(path: &str, reason: impl Into<String>) -> ScanError {
    ScanError::BadConfig {
        path: path.to_string(),
        reason: reason.into(),
    }
}

/// The services of a configuration value, in file order.
pub fn targets_from_config(value: &Value) -> Result<Vec<ConfigService>, ScanError> {
    let services = value
        .get("services")
        .ok_or_else(|| bad("services", "missing (expected a map or a list of services)"))?;
    let items: Vec<(String, String, &Value)> = match services {
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| (k.clone(), format!("services.{k}"), v))
            .collect(),
        Value::Array(list) => list
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let name = v
                    .get("name")
                    .and_then(Value::as_str)
                    .map_or_else(|| i.to_string(), str::to_string);
                (name, format!("services[{i}]"), v)
            })
            .collect(),
        _ => return Err(bad("services", "expected a map or a list of services")),
    };
    if items.is_empty() {
        return Err(bad("services", "no services"));
    }
    items
        .into_iter()
        .map(|(name, path, v)| service(name, &path, v))
        .collect()
}

fn service(name: String, path: &str, v: &Value) -> Result<ConfigService, ScanError> {
    if !v.is_object() {
        return Err(bad(path, "expected a map with `host` or `hosts`"));
    }
    let mut hosts: Vec<(String, &str)> = Vec::new();
    match (v.get("host"), v.get("hosts")) {
        (Some(_), Some(_)) => return Err(bad(path, "give `host` or `hosts`, not both")),
        (None, None) => return Err(bad(path, "no `host` or `hosts`")),
        (Some(h), None) => {
            let p = format!("{path}.host");
            hosts.push((
                p.clone(),
                h.as_str().ok_or_else(|| bad(&p, "expected a string"))?,
            ));
        }
        (None, Some(Value::Array(list))) => {
            if list.is_empty() {
                return Err(bad(&format!("{path}.hosts"), "empty list"));
            }
            for (i, h) in list.iter().enumerate() {
                let p = format!("{path}.hosts[{i}]");
                hosts.push((
                    p.clone(),
                    h.as_str().ok_or_else(|| bad(&p, "expected a string"))?,
                ));
            }
        }
        (None, Some(Value::String(s))) => hosts.push((format!("{path}.hosts"), s.as_str())),
        (None, Some(_)) => {
            return Err(bad(&format!("{path}.hosts"), "expected a list of strings"));
        }
    }
    let ports = match (v.get("port"), v.get("ports")) {
        (Some(_), Some(_)) => return Err(bad(path, "give `port` or `ports`, not both")),
        (Some(p), None) => Some(ports_value(&format!("{path}.port"), p)?),
        (None, Some(p)) => Some(ports_value(&format!("{path}.ports"), p)?),
        (None, None) => None,
    };
    let targets = hosts
        .into_iter()
        .map(|(p, h)| {
            let mut t = parse_target(h).map_err(|e| bad(&p, e.to_string()))?;
            if let Some(ports) = &ports {
                if t.ports.is_some() {
                    return Err(bad(&p, "ports given both on the host and in the service"));
                }
                t.ports = Some(ports.clone());
            }
            Ok(t)
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ConfigService { name, targets })
}

fn ports_value(path: &str, v: &Value) -> Result<Vec<u16>, ScanError> {
    let one = |path: &str, v: &Value| -> Result<Vec<u16>, ScanError> {
        match v {
            Value::Number(n) => match n.as_u64() {
                Some(p @ 1..=65_535) => Ok(vec![p as u16]),
                _ => Err(bad(path, format!("{n} is not a port number (1-65535)"))),
            },
            Value::String(s) => parse_ports(s).map_err(|e| bad(path, e.to_string())),
            _ => Err(bad(path, "expected a port number or a port spec string")),
        }
    };
    match v {
        Value::Array(list) => {
            if list.is_empty() {
                return Err(bad(path, "empty list"));
            }
            let mut all = Vec::new();
            for (i, item) in list.iter().enumerate() {
                all.extend(one(&format!("{path}[{i}]"), item)?);
            }
            all.sort_unstable();
            all.dedup();
            Ok(all)
        }
        _ => one(path, v),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::Host;
    use serde_json::json;

    #[test]
    fn map_of_services() {
        let v = json!({"services": {
            "web": {"host": "web-1", "port": 443},
            "db": {"hosts": ["db-1", "10.0.0.0/30"], "ports": [5432, "6432-6433"]},
            "cache": {"host": "[::1]:6379"},
            "plain": {"host": "127.0.0.1"}
        }});
        let s = targets_from_config(&v).unwrap();
        let names: Vec<&str> = s.iter().map(|s| s.name.as_str()).collect();
        // serde_json's default map is ordered by key.
        assert_eq!(names, ["cache", "db", "plain", "web"]);
        assert_eq!(s[0].targets[0].ports, Some(vec![6379]));
        assert_eq!(s[1].targets.len(), 2);
        assert_eq!(s[1].targets[1].ports, Some(vec![5432, 6432, 6433]));
        assert!(matches!(
            s[1].targets[1].host,
            Host::Cidr { prefix: 30, .. }
        ));
        assert_eq!(s[2].targets[0].ports, None);
        assert_eq!(s[3].targets[0].host, Host::Name("web-1".into()));
        assert_eq!(s[3].targets[0].ports, Some(vec![443]));
    }

    #[test]
    fn list_of_services() {
        let v = json!({"services": [
            {"name": "api", "host": "localhost", "ports": "8000-8001"},
            {"hosts": "::1", "port": "22"}
        ]});
        let s = targets_from_config(&v).unwrap();
        assert_eq!(s[0].name, "api");
        assert_eq!(s[0].targets[0].ports, Some(vec![8000, 8001]));
        assert_eq!(s[1].name, "1");
        assert_eq!(s[1].targets[0].ports, Some(vec![22]));
    }

    #[test]
    fn errors_name_the_path() {
        let cases = [
            (json!({}), "config services: missing"),
            (json!({"services": 3}), "config services: expected"),
            (json!({"services": []}), "config services: no services"),
            (
                json!({"services": {"a": {}}}),
                "config services.a: no `host`",
            ),
            (
                json!({"services": {"a": {"host": 1}}}),
                "config services.a.host: expected a string",
            ),
            (
                json!({"services": [{"hosts": ["ok", "bad host"]}]}),
                "config services[0].hosts[1]: target `bad host`",
            ),
            (
                json!({"services": {"a": {"host": "h", "ports": [80, 0]}}}),
                "config services.a.ports[1]: 0 is not a port",
            ),
            (
                json!({"services": {"a": {"host": "h:22", "port": 80}}}),
                "config services.a.host: ports given both",
            ),
            (
                json!({"services": {"a": {"host": "h", "port": 1, "ports": [2]}}}),
                "config services.a: give `port` or `ports`",
            ),
        ];
        for (v, want) in cases {
            let e = targets_from_config(&v).unwrap_err().to_string();
            assert!(e.starts_with(want), "{v}: got {e:?}, want {want:?}");
        }
    }
}
