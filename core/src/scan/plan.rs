//! Probe planning: targets and ports into the exact list of `(host, ip, port)` probes.
//!
//! Two steps, because host names are resolved by the caller in between:
//! 1. [`resolve_plan`] checks the probe count that the targets imply (a name counts as one
//!    address) before expanding any CIDR block, then expands literal addresses and blocks into
//!    [`Job`]s; jobs with a `name` still need their addresses.
//! 2. [`probes`] takes the jobs with every address filled in, checks the exact count, and returns
//!    the probes de-duplicated by `(ip, port)` (the first target naming a pair gives its `host`),
//!    sorted by IP then port.

use std::collections::BTreeMap;
use std::net::IpAddr;

use super::ScanError;
use super::target::{Host, Target, expand};

/// More probes than this need `force`.
pub const PROBE_LIMIT: u64 = 65_536;
/// Never more probes than this, even with `force` (about 1 GiB of bookkeeping).
pub const PROBE_HARD_LIMIT: u64 = 1 << 24;

/// The addresses and ports of one target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// The host name to resolve (`None` for literal addresses and CIDR blocks).
    pub name: Option<String>,
    /// The addresses to probe: filled by [`resolve_plan`] for literals, by the caller for names.
    pub addrs: Vec<IpAddr>,
    pub ports: Vec<u16>,
}

/// One connection to attempt.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Probe {
    /// The name the target gave, or the address itself.
    pub host: String,
    pub ip: IpAddr,
    pub port: u16,
}

fn check(count: u128, force: bool) -> Result<(), ScanError> {
    let limit = if force { PROBE_HARD_LIMIT } else { PROBE_LIMIT };
    if count > u128::from(limit) {
        return Err(ScanError::TooManyProbes {
            count,
            limit,
            forced: force,
        });
    }
    Ok(())
}

/// Step 1: checks the implied probe count, then expands targets into jobs. `default_ports` are
/// used by targets that did not name their own.
pub fn resolve_plan(
    targets: &[Target],
    default_ports: &[u16],
    force: bool,
) -> Result<Vec<Job>, ScanError> {
    let implied: u128 = targets
        .iter()
        .map(|t| {
            let ports = t.ports.as_deref().unwrap_or(default_ports).len() as u128;
            t.address_count().saturating_mul(ports)
        })
        .fold(0u128, u128::saturating_add);
    check(implied, force)?;
    targets
        .iter()
        .map(|t| {
            let ports = t.ports.clone().unwrap_or_else(|| default_ports.to_vec());
            Ok(match &t.host {
                Host::Name(name) => Job {
                    name: Some(name.clone()),
                    addrs: Vec::new(),
                    ports,
                },
                Host::Ip(_) | Host::Cidr { .. } => Job {
                    name: None,
                    addrs: expand(t, force)?,
                    ports,
                },
            })
        })
        .collect()
}

/// Step 2: the probes of resolved jobs, de-duplicated and sorted by IP then port.
pub fn probes(jobs: &[Job], force: bool) -> Result<Vec<Probe>, ScanError> {
    let total: u128 = jobs
        .iter()
        .map(|j| (j.addrs.len() as u128) * (j.ports.len() as u128))
        .sum();
    check(total, force)?;
    let mut by_key: BTreeMap<(IpAddr, u16), String> = BTreeMap::new();
    for job in jobs {
        for &ip in &job.addrs {
            for &port in &job.ports {
                by_key
                    .entry((ip, port))
                    .or_insert_with(|| job.name.clone().unwrap_or_else(|| ip.to_string()));
            }
        }
    }
    Ok(by_key
        .into_iter()
        .map(|((ip, port), host)| Probe { host, ip, port })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::target::parse_target;

    fn targets(list: &[&str]) -> Vec<Target> {
        list.iter().map(|s| parse_target(s).unwrap()).collect()
    }

    #[test]
    fn names_wait_for_the_caller() {
        let jobs = resolve_plan(
            &targets(&["localhost", "10.0.0.0/31:22"]),
            &[80, 443],
            false,
        )
        .unwrap();
        assert_eq!(jobs[0].name.as_deref(), Some("localhost"));
        assert!(jobs[0].addrs.is_empty());
        assert_eq!(jobs[0].ports, vec![80, 443]);
        assert_eq!(jobs[1].addrs.len(), 2);
        assert_eq!(jobs[1].ports, vec![22]);
    }

    #[test]
    fn dedup_keeps_the_first_host_and_sorts() {
        let mut jobs = resolve_plan(
            &targets(&["::1", "localhost", "127.0.0.1:22"]),
            &[443, 22],
            false,
        )
        .unwrap();
        jobs[1].addrs = vec!["127.0.0.1".parse().unwrap(), "::1".parse().unwrap()];
        let p = probes(&jobs, false).unwrap();
        let got: Vec<(String, String, u16)> = p
            .iter()
            .map(|p| (p.host.clone(), p.ip.to_string(), p.port))
            .collect();
        let want = [
            ("localhost", "127.0.0.1", 22),
            ("localhost", "127.0.0.1", 443),
            ("::1", "::1", 22),
            ("::1", "::1", 443),
        ];
        let want: Vec<(String, String, u16)> = want
            .iter()
            .map(|(h, i, p)| (h.to_string(), i.to_string(), *p))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn limits_before_and_after_resolution() {
        let all: Vec<u16> = (1..=65_535).collect();
        // One host, every port: 65,535 probes, within the limit.
        let jobs = resolve_plan(&targets(&["127.0.0.1"]), &all, false).unwrap();
        assert_eq!(probes(&jobs, false).unwrap().len(), 65_535);
        // Two hosts: refused before any expansion, allowed with force.
        let two = targets(&["127.0.0.1", "127.0.0.2"]);
        let e = resolve_plan(&two, &all, false).unwrap_err();
        assert_eq!(
            e,
            ScanError::TooManyProbes {
                count: 131_070,
                limit: PROBE_LIMIT,
                forced: false
            }
        );
        assert!(resolve_plan(&two, &all, true).is_ok());
        // A /8 times all ports is refused even with force, without expanding the block.
        let e = resolve_plan(&targets(&["10.0.0.0/8"]), &all, true).unwrap_err();
        assert!(matches!(e, ScanError::TooManyProbes { forced: true, .. }));
        // A name resolving to many addresses is caught in step 2.
        let mut jobs = resolve_plan(&targets(&["many.example"]), &all, false).unwrap();
        jobs[0].addrs = vec!["10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap()];
        assert!(probes(&jobs, false).is_err());
        assert_eq!(probes(&jobs, true).unwrap().len(), 131_070);
    }
}
