//! `conclave scan TARGET...`: which TCP services answer.
//!
//! Targets, ports, the probe plan, retry and rate policy, the cache and the report come from
//! `conclave_core::scan`; the engine (`crate::scan`) performs the connects. Exit codes: 0 when at
//! least one port is open, 1 when none is (a negative answer), 2 on an error, 130 when interrupted
//! by Ctrl-C (after printing what was found so far).

use std::io::IsTerminal;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context, bail};
use conclave_core::scan::{
    self, Cache, CacheEntry, Probe, Report, RetryPolicy, ScanResult, State, Target,
};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::Format;
use crate::io;
use crate::scan as engine;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Targets: IPv4, IPv6 (`::1` or `[::1]`), host names, CIDR blocks, `host:PORTS`, `[v6]:PORTS`.
    #[arg(value_name = "TARGET")]
    targets: Vec<String>,
    /// Ports: lists and ranges (`22,80,8000-8100`), `-` for all. Default: the built-in list.
    #[arg(long, short = 'p', conflicts_with = "top", allow_hyphen_values = true)]
    ports: Option<String>,
    /// The N most common ports of the built-in list.
    #[arg(long, value_name = "N")]
    top: Option<usize>,
    /// A JSON file whose `services` (map or list) name `host`/`hosts` and `port`/`ports`.
    #[arg(long, value_name = "FILE")]
    config: Option<String>,
    /// Connect timeout per attempt, in milliseconds.
    #[arg(long, default_value_t = 1000, value_name = "T")]
    timeout_ms: u64,
    /// Probes in flight at once (capped to fit the open-file limit).
    #[arg(long, default_value_t = 512, value_name = "C", value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    concurrency: usize,
    /// Extra attempts after a timeout before a port counts as filtered.
    #[arg(long, default_value_t = 1, value_name = "R")]
    retries: u32,
    /// At most N probe starts per second.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    rate: Option<u64>,
    /// Cache file: fresh answers are served from it (marked `cached`), new ones stored in it.
    #[arg(long, value_name = "FILE")]
    cache: Option<PathBuf>,
    /// How long cached answers stay fresh, in seconds (negative answers too).
    #[arg(long, default_value_t = 60, value_name = "SECONDS")]
    ttl: u64,
    /// Read the first line an open service sends.
    #[arg(long)]
    banner: bool,
    /// Allow more than 65,536 probes and CIDR blocks larger than a /16.
    #[arg(long)]
    force: bool,
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// The targets a `--config` file names: YAML, JSON or TOML through the config parser (format by
/// extension, else by content); the first document of a YAML stream.
fn config_targets(path: &str) -> anyhow::Result<Vec<Target>> {
    use conclave_core::config::{self, Format, Limits};
    let name = io::display_name(path);
    let text = io::read_text(path)?;
    let format = Format::from_extension(path).unwrap_or_else(|| Format::detect(&text));
    let located = |e: config::ConfigError| match e.location() {
        Some((line, column)) => anyhow::anyhow!("{name}:{line}:{column}: {}", e.reason()),
        None => anyhow::anyhow!("{name}: {}", e.reason()),
    };
    let stream = config::parse(&text, format, &Limits::default()).map_err(located)?;
    let Some(document) = stream.documents.first() else {
        anyhow::bail!("{name}: the configuration is empty");
    };
    // The scanner's walker reads a JSON value: the config tree converts to one losslessly.
    let json = config::node_to_json(document).map_err(located)?;
    let value: serde_json::Value = serde_json::from_str(&json)?;
    let services = scan::targets_from_config(&value).with_context(|| name.to_string())?;
    Ok(services.into_iter().flat_map(|s| s.targets).collect())
}

/// Resolves the names of the plan, all of them concurrently, and returns the probes.
fn plan(args: &Args) -> anyhow::Result<Vec<Probe>> {
    let mut targets = args
        .targets
        .iter()
        .map(|t| scan::parse_target(t))
        .collect::<Result<Vec<_>, _>>()?;
    if let Some(path) = &args.config {
        targets.extend(config_targets(path)?);
    }
    if targets.is_empty() {
        bail!("no targets: give TARGET arguments or --config FILE");
    }
    let ports = match (&args.ports, args.top) {
        (Some(spec), _) => scan::parse_ports(spec)?,
        (None, Some(n)) => scan::top_ports(n)?,
        (None, None) => scan::top_ports(scan::services::TOP_ORDER.len())?,
    };
    let mut jobs = scan::resolve_plan(&targets, &ports, args.force)?;
    let names: Vec<String> = jobs.iter().filter_map(|j| j.name.clone()).collect();
    let resolved: Vec<(String, std::io::Result<Vec<IpAddr>>)> = engine::runtime().block_on(async {
        let handles: Vec<_> = names
            .into_iter()
            .map(|n| tokio::spawn(async move { (n.clone(), engine::resolve(&n).await) }))
            .collect();
        let mut out = Vec::new();
        for h in handles {
            if let Ok(r) = h.await {
                out.push(r);
            }
        }
        out
    });
    for job in &mut jobs {
        if let Some(name) = &job.name {
            let (_, addrs) = resolved
                .iter()
                .find(|(n, _)| n == name)
                .context("name resolution did not finish")?;
            job.addrs = match addrs {
                Ok(a) => a.clone(),
                Err(e) => bail!("cannot resolve host `{name}`: {e}"),
            };
        }
    }
    Ok(scan::probes(&jobs, args.force)?)
}

fn progress(len: usize) -> ProgressBar {
    if !std::io::stderr().is_terminal() || len == 0 {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} probes, eta {eta}") {
        pb.set_style(style);
    }
    pb
}

/// What a scan found: one slot per probe (`None` if it never finished), whether it was cut short.
struct Found {
    outcomes: Vec<Option<(engine::Outcome, bool)>>,
    interrupted: bool,
}

fn execute(args: &Args, probes: &[Probe], cache: &Cache, started_ms: u64) -> Found {
    let mut outcomes: Vec<Option<(engine::Outcome, bool)>> = vec![None; probes.len()];
    let mut misses: Vec<usize> = Vec::new();
    for (i, p) in probes.iter().enumerate() {
        match cache.get(p.ip, p.port, started_ms, args.banner) {
            Some(e) => {
                outcomes[i] = Some((
                    engine::Outcome {
                        state: e.state,
                        latency_ms: e.latency_ms,
                        banner: e.banner.clone(),
                    },
                    true,
                ));
            }
            None => misses.push(i),
        }
    }
    if misses.is_empty() {
        return Found {
            outcomes,
            interrupted: false,
        };
    }
    let settings = engine::Settings {
        timeout: Duration::from_millis(args.timeout_ms.max(1)),
        concurrency: engine::fit_concurrency(args.concurrency),
        retry: RetryPolicy {
            retries: args.retries,
            ..RetryPolicy::default()
        },
        rate: args.rate,
        banner: args.banner,
    };
    let addrs: Arc<[SocketAddr]> = misses
        .iter()
        .map(|&i| SocketAddr::new(probes[i].ip, probes[i].port))
        .collect();
    let pb = progress(misses.len());
    let shared = Arc::new(engine::Shared::new(misses.len()));
    let interrupted = engine::runtime().block_on(async {
        let task = tokio::spawn(engine::scan(addrs, Arc::new(settings), shared.clone()));
        tokio::pin!(task);
        let ctrl_c = tokio::signal::ctrl_c();
        tokio::pin!(ctrl_c);
        let mut tick = tokio::time::interval(Duration::from_millis(100));
        loop {
            tokio::select! {
                _ = &mut task => break false,
                _ = &mut ctrl_c => {
                    shared.cancel.store(true, Ordering::Relaxed);
                    break true;
                }
                _ = tick.tick() => pb.set_position(shared.done.load(Ordering::Relaxed) as u64),
            }
        }
    });
    for (j, slot) in shared.results.iter().enumerate() {
        if let Some(outcome) = slot.get() {
            outcomes[misses[j]] = Some((outcome.clone(), false));
        }
    }
    pb.finish_and_clear();
    Found {
        outcomes,
        interrupted,
    }
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let probes = plan(&args)?;
    let clock = Instant::now();
    let started_ms = now_ms();
    let ttl_ms = args.ttl.saturating_mul(1000);
    let mut cache = match &args.cache {
        Some(path) if path.exists() => {
            let text = io::read_text(&path.to_string_lossy())?;
            Cache::from_json(&text, ttl_ms).with_context(|| path.display().to_string())?
        }
        _ => Cache::new(ttl_ms),
    };
    let found = execute(&args, &probes, &cache, started_ms);
    let elapsed_ms = u64::try_from(clock.elapsed().as_millis()).unwrap_or(u64::MAX);
    let stored_at_ms = now_ms();
    let mut results = Vec::with_capacity(probes.len());
    for (p, slot) in probes.iter().zip(found.outcomes) {
        let Some((o, cached)) = slot else { continue };
        if !cached {
            cache.insert(CacheEntry {
                ip: p.ip,
                port: p.port,
                state: o.state,
                latency_ms: o.latency_ms,
                banner: o.banner.clone(),
                banner_checked: args.banner,
                stored_at_ms,
            });
        }
        results.push(ScanResult {
            host: p.host.clone(),
            ip: p.ip,
            port: p.port,
            state: o.state,
            service: scan::service_name(p.port).to_string(),
            latency_ms: o.latency_ms,
            banner: o.banner,
            cached,
        });
    }
    let report = Report::new(results, elapsed_ms);
    if let Some(path) = &args.cache {
        cache.prune(stored_at_ms);
        io::write_atomically(path, cache.to_json().as_bytes())?;
    }
    let out = match args.format {
        Format::Json => report.to_json(),
        Format::Text => report.to_text(),
    };
    io::write_stdout(out.as_bytes())?;
    if found.interrupted {
        eprintln!(
            "conclave: interrupted: {} of {} probes answered",
            report.results.len(),
            probes.len()
        );
        return Ok(ExitCode::from(130));
    }
    Ok(if report.summary.open > 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Opens a listener on an ephemeral loopback port, then scans it and a port just released.
pub fn demo() -> anyhow::Result<Option<String>> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").context("demo listener")?;
    let open = listener.local_addr()?;
    let released = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?;
    let probes = [open, released];
    let settings = engine::Settings {
        timeout: Duration::from_millis(500),
        concurrency: 2,
        retry: RetryPolicy::default(),
        rate: None,
        banner: false,
    };
    let clock = Instant::now();
    let outcomes = engine::scan_all(probes.to_vec(), settings);
    let elapsed_ms = u64::try_from(clock.elapsed().as_millis()).unwrap_or(u64::MAX);
    drop(listener);
    let results = probes
        .iter()
        .zip(outcomes)
        .map(|(addr, o)| ScanResult {
            host: "localhost".into(),
            ip: addr.ip(),
            port: addr.port(),
            state: o.state,
            service: scan::service_name(addr.port()).into(),
            latency_ms: o.latency_ms,
            banner: None,
            cached: false,
        })
        .collect();
    let report = Report::new(results, elapsed_ms);
    let states: Vec<String> = report
        .results
        .iter()
        .map(|r| format!("{}:{} {}", r.ip, r.port, r.state))
        .collect();
    let ok = report
        .results
        .iter()
        .any(|r| r.port == open.port() && r.state == State::Open);
    let mut out = format!(
        "## scan\n\nA listener on {open} opened by the demo, and port {} just released: {}.\n\n",
        released.port(),
        states.join(", ")
    );
    if !ok {
        out.push_str("(the demo's own listener did not answer as open)\n\n");
    }
    out.push_str(&report.to_text());
    Ok(Some(out))
}
