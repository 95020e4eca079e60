//! `TARGET` arguments: what each one names, and the expansion of CIDR blocks under a cap.
//!
//! Accepted forms, tried in this order:
//!
//! | form | example | meaning |
//! |---|---|---|
//! | `[v6]` / `[v6]:PORTS` | `[::1]:8080` | an IPv6 address, optionally with its own ports |
//! | `ADDR/PREFIX` / `ADDR/PREFIX:PORTS` | `10.0.0.0/30`, `fd00::/126:22` | every address of the block, network and broadcast included (as nmap) |
//! | IP address | `127.0.0.1`, `::1` | one address; a bare IPv6 address is never split at a colon |
//! | `IPv4:PORTS` / `NAME:PORTS` | `localhost:22,80` | one address or name with its own ports |
//! | host name | `db-1.internal` | resolved by the caller (RFC 1123 labels; `_` allowed) |
//!
//! `PORTS` after a colon is a port spec ([`super::parse_ports`]), so `host:8000-8010` works. Host
//! bits below the prefix are cleared (`10.0.0.7/30` is `10.0.0.4/30`). Zone ids (`fe80::1%eth0`)
//! are not supported and are reported as such.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::ScanError;
use super::ports::parse_ports;

/// What a target names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Host {
    /// One literal address.
    Ip(IpAddr),
    /// A host name to resolve.
    Name(String),
    /// A CIDR block: `base` has its host bits cleared.
    Cidr { base: IpAddr, prefix: u8 },
}

/// One parsed `TARGET`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The argument as given (used as the `host` of results for names, and in messages).
    pub text: String,
    pub host: Host,
    /// Ports given with the target (`host:80`); `None` means the scan's port list.
    pub ports: Option<Vec<u16>>,
}

impl Target {
    /// How many addresses the target stands for before resolution (a name counts as one).
    pub fn address_count(&self) -> u128 {
        match &self.host {
            Host::Ip(_) | Host::Name(_) => 1,
            Host::Cidr { base, prefix } => block_size(base, *prefix),
        }
    }
}

fn bad(target: &str, reason: impl Into<String>) -> ScanError {
    ScanError::BadTarget {
        target: target.to_string(),
        reason: reason.into(),
    }
}

/// Parses one `TARGET` argument.
pub fn parse_target(text: &str) -> Result<Target, ScanError> {
    let s = text.trim();
    if s.is_empty() {
        return Err(bad(text, "empty target"));
    }
    let make = |host, ports| Target {
        text: s.to_string(),
        host,
        ports,
    };
    if let Some(rest) = s.strip_prefix('[') {
        let Some(close) = rest.find(']') else {
            return Err(bad(text, "`[` without a closing `]`"));
        };
        let inner = &rest[..close];
        let ip = parse_v6(text, inner)?;
        let after = &rest[close + 1..];
        let ports = if after.is_empty() {
            None
        } else if let Some(spec) = after.strip_prefix(':') {
            Some(target_ports(text, spec)?)
        } else {
            return Err(bad(
                text,
                format!("unexpected `{after}` after `]` (expected `:PORT`)"),
            ));
        };
        return Ok(make(Host::Ip(IpAddr::V6(ip)), ports));
    }
    if let Some((addr, prefix)) = s.split_once('/') {
        let base: IpAddr = match addr.parse() {
            Ok(ip) => ip,
            Err(_) => {
                return Err(bad(
                    text,
                    format!("`{addr}` before `/` is not an IP address"),
                ));
            }
        };
        let max = if base.is_ipv4() { 32 } else { 128 };
        let (prefix, ports) = match prefix.split_once(':') {
            Some((prefix, spec)) => (prefix, Some(target_ports(text, spec)?)),
            None => (prefix, None),
        };
        let prefix: u8 = match prefix.parse() {
            Ok(p) if p <= max => p,
            _ => {
                return Err(bad(
                    text,
                    format!("prefix `{prefix}` is not a number from 0 to {max}"),
                ));
            }
        };
        return Ok(make(
            Host::Cidr {
                base: mask(base, prefix),
                prefix,
            },
            ports,
        ));
    }
    if s.contains('%') {
        return Err(bad(text, "IPv6 zone ids (`%iface`) are not supported"));
    }
    if let Ok(ip) = s.parse::<IpAddr>() {
        return Ok(make(Host::Ip(ip), None));
    }
    let colons = s.matches(':').count();
    if colons > 1 {
        return Err(bad(
            text,
            "not a valid IPv6 address (write `[v6]:port` to give a port)",
        ));
    }
    let (name, ports) = match s.split_once(':') {
        Some((name, spec)) => (name, Some(target_ports(text, spec)?)),
        None => (s, None),
    };
    if let Ok(ip) = name.parse::<Ipv4Addr>() {
        return Ok(make(Host::Ip(IpAddr::V4(ip)), ports));
    }
    check_host_name(text, name)?;
    Ok(make(Host::Name(name.to_ascii_lowercase()), ports))
}

fn parse_v6(text: &str, inner: &str) -> Result<Ipv6Addr, ScanError> {
    if inner.contains('%') {
        return Err(bad(text, "IPv6 zone ids (`%iface`) are not supported"));
    }
    inner.parse().map_err(|_| {
        bad(
            text,
            format!("`{inner}` inside brackets is not an IPv6 address"),
        )
    })
}

fn target_ports(text: &str, spec: &str) -> Result<Vec<u16>, ScanError> {
    if spec.is_empty() {
        return Err(bad(text, "nothing after `:` (expected a port)"));
    }
    parse_ports(spec).map_err(|e| bad(text, e.to_string()))
}

/// RFC 1123 host names, with `_` allowed (it appears in service records), and a trailing dot.
fn check_host_name(text: &str, name: &str) -> Result<(), ScanError> {
    let trimmed = name.strip_suffix('.').unwrap_or(name);
    if trimmed.is_empty() {
        return Err(bad(text, "empty host name"));
    }
    if trimmed.len() > 253 {
        return Err(bad(text, "host name longer than 253 characters"));
    }
    let labels: Vec<&str> = trimmed.split('.').collect();
    for (i, label) in labels.iter().enumerate() {
        if label.is_empty() {
            return Err(bad(text, format!("empty label {} in host name", i + 1)));
        }
        if label.len() > 63 {
            return Err(bad(
                text,
                format!("label `{label}` longer than 63 characters"),
            ));
        }
        if let Some(c) = label
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
        {
            return Err(bad(
                text,
                format!("character `{c}` is not allowed in a host name"),
            ));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(bad(
                text,
                format!("label `{label}` starts or ends with `-`"),
            ));
        }
    }
    // A name whose last label is numeric is a mistyped IPv4 address, not a name (as URL parsers do).
    if labels
        .last()
        .is_some_and(|l| l.chars().all(|c| c.is_ascii_digit()))
    {
        return Err(bad(text, "not a valid IPv4 address"));
    }
    Ok(())
}

/// Clears the host bits below `prefix`.
fn mask(ip: IpAddr, prefix: u8) -> IpAddr {
    match ip {
        IpAddr::V4(v4) => {
            let bits = u32::from(v4);
            let m = if prefix == 0 {
                0
            } else {
                u32::MAX << (32 - u32::from(prefix))
            };
            IpAddr::V4(Ipv4Addr::from(bits & m))
        }
        IpAddr::V6(v6) => {
            let bits = u128::from(v6);
            let m = if prefix == 0 {
                0
            } else {
                u128::MAX << (128 - u32::from(prefix))
            };
            IpAddr::V6(Ipv6Addr::from(bits & m))
        }
    }
}

/// The number of addresses in a block (saturating at `u128::MAX` for `::/0`).
fn block_size(base: &IpAddr, prefix: u8) -> u128 {
    let width: u32 = if base.is_ipv4() { 32 } else { 128 };
    let host_bits = width.saturating_sub(u32::from(prefix));
    if host_bits >= 128 {
        u128::MAX
    } else {
        1u128 << host_bits
    }
}

/// The default cap on the addresses of one CIDR block without `force`: a /16 of IPv4.
pub const CIDR_CAP: u64 = 65_536;
/// The cap even with `force`: a /8 of IPv4 (16,777,216 addresses), to keep memory bounded.
pub const CIDR_HARD_CAP: u64 = 1 << 24;

/// The addresses a target stands for, in ascending order; names yield nothing (the caller
/// resolves them). Refuses blocks above [`CIDR_CAP`] unless `force`, and above [`CIDR_HARD_CAP`]
/// always.
pub fn expand(target: &Target, force: bool) -> Result<Vec<IpAddr>, ScanError> {
    match &target.host {
        Host::Ip(ip) => Ok(vec![*ip]),
        Host::Name(_) => Ok(Vec::new()),
        Host::Cidr { base, prefix } => {
            let count = block_size(base, *prefix);
            let limit = if force { CIDR_HARD_CAP } else { CIDR_CAP };
            if count > u128::from(limit) {
                return Err(ScanError::CidrTooLarge {
                    target: target.text.clone(),
                    addresses: count,
                    limit,
                });
            }
            // count <= 2^24, so the casts below cannot truncate.
            let n = count as u64;
            Ok(match base {
                IpAddr::V4(v4) => {
                    let start = u32::from(*v4);
                    (0..n)
                        .map(|i| IpAddr::V4(Ipv4Addr::from(start.wrapping_add(i as u32))))
                        .collect()
                }
                IpAddr::V6(v6) => {
                    let start = u128::from(*v6);
                    (0..n)
                        .map(|i| IpAddr::V6(Ipv6Addr::from(start.wrapping_add(u128::from(i)))))
                        .collect()
                }
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn literal_addresses() {
        let t = parse_target("127.0.0.1").unwrap();
        assert_eq!(t.host, Host::Ip(ip("127.0.0.1")));
        assert_eq!(t.ports, None);
        let t = parse_target("::1").unwrap();
        assert_eq!(t.host, Host::Ip(ip("::1")));
        let t = parse_target("[::1]").unwrap();
        assert_eq!(t.host, Host::Ip(ip("::1")));
        assert_eq!(t.ports, None);
        // A bare IPv6 address is never split at its last colon.
        let t = parse_target("2001:db8::1:80").unwrap();
        assert_eq!(t.host, Host::Ip(ip("2001:db8::1:80")));
        assert_eq!(t.ports, None);
    }

    #[test]
    fn ports_with_targets() {
        let t = parse_target("[::1]:8080").unwrap();
        assert_eq!(t.host, Host::Ip(ip("::1")));
        assert_eq!(t.ports, Some(vec![8080]));
        let t = parse_target("10.1.2.3:22,80").unwrap();
        assert_eq!(t.host, Host::Ip(ip("10.1.2.3")));
        assert_eq!(t.ports, Some(vec![22, 80]));
        let t = parse_target("LocalHost:8000-8002").unwrap();
        assert_eq!(t.host, Host::Name("localhost".into()));
        assert_eq!(t.ports, Some(vec![8000, 8001, 8002]));
    }

    #[test]
    fn names() {
        for good in [
            "localhost",
            "db-1.internal",
            "_srv.example.com",
            "example.com.",
        ] {
            let t = parse_target(good).unwrap();
            assert!(matches!(t.host, Host::Name(_)), "{good}");
        }
        for bad_name in [
            "-bad.example",
            "bad-.example",
            "a..b",
            "white space",
            "é.example",
            "256.1.1.1",
            "1.2.3",
        ] {
            assert!(parse_target(bad_name).is_err(), "{bad_name} accepted");
        }
        let long = "a".repeat(64);
        assert!(parse_target(&long).is_err());
    }

    #[test]
    fn errors_say_what_and_where() {
        let e = parse_target("[::1").unwrap_err().to_string();
        assert!(e.contains("`[::1`") && e.contains("closing"), "{e}");
        let e = parse_target("[::1]x").unwrap_err().to_string();
        assert!(e.contains("after `]`"), "{e}");
        let e = parse_target("[1.2.3.4]:80").unwrap_err().to_string();
        assert!(e.contains("not an IPv6 address"), "{e}");
        let e = parse_target("host:").unwrap_err().to_string();
        assert!(e.contains("nothing after"), "{e}");
        let e = parse_target("host:0").unwrap_err().to_string();
        assert!(e.contains("`0`"), "{e}");
        let e = parse_target("fe80::1%eth0").unwrap_err().to_string();
        assert!(e.contains("zone"), "{e}");
        let e = parse_target("1:2:3").unwrap_err().to_string();
        assert!(e.contains("IPv6"), "{e}");
        let e = parse_target("10.0.0.0/33").unwrap_err().to_string();
        assert!(e.contains("0 to 32"), "{e}");
        let e = parse_target("nothost/24").unwrap_err().to_string();
        assert!(e.contains("before `/`"), "{e}");
        assert!(parse_target("").is_err());
        assert!(parse_target("   ").is_err());
    }

    #[test]
    fn cidr_expansion() {
        let t = parse_target("10.0.0.7/30").unwrap();
        assert_eq!(
            t.host,
            Host::Cidr {
                base: ip("10.0.0.4"),
                prefix: 30
            }
        );
        let got = expand(&t, false).unwrap();
        let want: Vec<IpAddr> = ["10.0.0.4", "10.0.0.5", "10.0.0.6", "10.0.0.7"]
            .iter()
            .map(|s| ip(s))
            .collect();
        assert_eq!(got, want);
        let t = parse_target("fd00::ff/127").unwrap();
        assert_eq!(
            expand(&t, false).unwrap(),
            vec![ip("fd00::fe"), ip("fd00::ff")]
        );
        let t = parse_target("fd00::/126:22,80").unwrap();
        assert_eq!(t.ports, Some(vec![22, 80]));
        assert_eq!(expand(&t, false).unwrap().len(), 4);
        let t = parse_target("192.168.1.1/32").unwrap();
        assert_eq!(expand(&t, false).unwrap(), vec![ip("192.168.1.1")]);
        // The last block of the IPv4 space does not overflow.
        let t = parse_target("255.255.255.254/31").unwrap();
        assert_eq!(
            expand(&t, false).unwrap(),
            vec![ip("255.255.255.254"), ip("255.255.255.255")]
        );
    }

    #[test]
    fn cidr_caps() {
        let t = parse_target("10.0.0.0/16").unwrap();
        assert_eq!(t.address_count(), 65_536);
        assert_eq!(expand(&t, false).unwrap().len(), 65_536);
        let t = parse_target("10.0.0.0/15").unwrap();
        let e = expand(&t, false).unwrap_err();
        assert!(matches!(
            e,
            ScanError::CidrTooLarge {
                addresses: 131_072,
                ..
            }
        ));
        assert!(e.to_string().contains("--force"));
        assert_eq!(expand(&t, true).unwrap().len(), 131_072);
        let t = parse_target("::/0").unwrap();
        assert_eq!(t.address_count(), u128::MAX);
        assert!(expand(&t, true).is_err());
        let t = parse_target("0.0.0.0/0").unwrap();
        assert_eq!(t.address_count(), 1 << 32);
        assert!(expand(&t, true).is_err());
    }
}
