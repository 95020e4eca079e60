//! `conclave config FILE`: parse YAML / JSON / TOML into conclave's value tree and print it as an
//! outline of located values, or convert it (`--to json|yaml|toml`); `conclave config check FILE...`
//! lints files and prints the findings. Parse errors read `FILE:LINE:COLUMN: reason` (exit 2);
//! `check` exits 1 when any finding is an error.

use std::fmt::Write as _;
use std::fs;
use std::process::ExitCode;

use anyhow::bail;
use clap::ValueEnum;
use conclave_core::config::{
    self, ConfigError, Finding, Format as Syntax, Limits, Severity, Stream,
};
use serde_json::json;

use super::Format;
use crate::io;

#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct Args {
    #[command(subcommand)]
    command: Option<Sub>,
    /// The file to read (`-` for stdin).
    #[arg(value_name = "FILE", required = true)]
    file: Option<String>,
    /// Convert: `json` (canonical, one line per document), `yaml` or `toml`.
    #[arg(long, value_enum)]
    to: Option<Syn>,
    /// The input's format (default: by extension, else by content).
    #[arg(long, value_enum)]
    from: Option<Syn>,
    /// Outline output: readable text or JSON.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
    #[command(flatten)]
    limits: LimitArgs,
    #[command(flatten)]
    output: super::Output,
}

#[derive(Debug, clap::Subcommand)]
enum Sub {
    /// Lint files: duplicate keys, plaintext secrets, YAML 1.1 surprises, service ports and resources.
    Check(CheckArgs),
}

#[derive(Debug, clap::Args)]
struct CheckArgs {
    /// The files to lint (`-` for stdin).
    #[arg(value_name = "FILE", required = true)]
    files: Vec<String>,
    /// The inputs' format (default: by extension, else by content).
    #[arg(long, value_enum)]
    from: Option<Syn>,
    /// Findings as a JSON list (default) or as `FILE:LINE:COLUMN: severity [rule] message` lines.
    #[arg(long, value_enum, default_value = "json")]
    format: Format,
    #[command(flatten)]
    limits: LimitArgs,
    #[command(flatten)]
    output: super::Output,
}

/// The safety limits, with flags to raise them.
#[derive(Debug, clap::Args)]
struct LimitArgs {
    /// Largest input accepted, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = Limits::default().max_bytes)]
    max_bytes: usize,
    /// Deepest nesting of lists and maps accepted.
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_depth)]
    max_depth: usize,
    /// Most nodes YAML aliases may copy (the billion-laughs guard).
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_alias_nodes)]
    max_alias_nodes: usize,
}

impl LimitArgs {
    fn limits(&self) -> Limits {
        Limits {
            max_bytes: self.max_bytes,
            max_depth: self.max_depth,
            max_alias_nodes: self.max_alias_nodes,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Syn {
    Yaml,
    Json,
    Toml,
}

impl From<Syn> for Syntax {
    fn from(s: Syn) -> Syntax {
        match s {
            Syn::Yaml => Syntax::Yaml,
            Syn::Json => Syntax::Json,
            Syn::Toml => Syntax::Toml,
        }
    }
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if let Some(Sub::Check(check_args)) = args.command {
        return check(&check_args);
    }
    let Some(path) = args.file.as_deref() else {
        bail!("give a FILE, or `check FILE...`");
    };
    let limits = args.limits.limits();
    let (_, stream) = load(path, args.from, &limits)?;
    let name = io::display_name(path);
    let out = match args.to {
        Some(to) => {
            let converted = match to {
                Syn::Json => config::to_json(&stream),
                Syn::Yaml => config::to_yaml(&stream),
                Syn::Toml => config::to_toml(&stream),
            };
            converted.map_err(|e| located(name, &e))?
        }
        None => outline(&stream, args.format),
    };
    args.output.write(out.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

/// `FILE:LINE:COLUMN: reason` (or `FILE: reason` for errors without a place); a limit names the
/// flag that raises it.
fn located(name: &str, e: &ConfigError) -> anyhow::Error {
    let flag = match e {
        ConfigError::TooLarge { .. } => " (raise it with --max-bytes)",
        ConfigError::TooDeep { .. } => " (raise it with --max-depth)",
        ConfigError::AliasBudget { .. } => " (raise it with --max-alias-nodes)",
        _ => "",
    };
    match e.location() {
        Some((line, column)) => anyhow::anyhow!("{name}:{line}:{column}: {}{flag}", e.reason()),
        None => anyhow::anyhow!("{name}: {}{flag}", e.reason()),
    }
}

/// Reads and parses one input, refusing oversized files before reading them.
fn load(path: &str, from: Option<Syn>, limits: &Limits) -> anyhow::Result<(String, Stream)> {
    let name = io::display_name(path);
    if path != "-"
        && let Ok(meta) = fs::metadata(path)
        && meta.len() > limits.max_bytes as u64
    {
        bail!(
            "{name}: input is {} bytes, over the limit of {} bytes (raise it with --max-bytes)",
            meta.len(),
            limits.max_bytes
        );
    }
    let bytes = io::read_input(path)?;
    let format = match from {
        Some(f) => f.into(),
        None => Syntax::from_extension(path)
            .unwrap_or_else(|| Syntax::detect(&String::from_utf8_lossy(&bytes))),
    };
    let stream = config::parse_bytes(&bytes, format, limits).map_err(|e| located(name, &e))?;
    // parse_bytes checked UTF-8 already.
    let text = String::from_utf8(bytes).unwrap_or_default();
    Ok((text, stream))
}

/// Every leaf (and empty collection) as `path = value  # line:column`, or as JSON rows.
fn outline(stream: &Stream, format: Format) -> String {
    match format {
        Format::Json => format!("{}\n", config::outline_json(stream)),
        Format::Text => {
            let mut out = String::new();
            let many = stream.documents.len() > 1;
            let mut last_doc = usize::MAX;
            for row in config::outline_rows(stream) {
                if many && row.document != last_doc {
                    let _ = writeln!(out, "--- document {}", row.document + 1);
                    last_doc = row.document;
                }
                let path = if row.path.is_empty() { "." } else { &row.path };
                let _ = writeln!(out, "{path} = {}  # {}:{}", row.value, row.line, row.column);
            }
            out
        }
    }
}

fn check(args: &CheckArgs) -> anyhow::Result<ExitCode> {
    let limits = args.limits.limits();
    let mut all: Vec<(String, Finding)> = Vec::new();
    for path in &args.files {
        let (text, stream) = load(path, args.from, &limits)?;
        let name = io::display_name(path).to_owned();
        all.extend(
            config::lint(&text, &stream)
                .into_iter()
                .map(|f| (name.clone(), f)),
        );
    }
    let errors = all
        .iter()
        .filter(|(_, f)| f.severity == Severity::Error)
        .count();
    let out = render_findings(&all, args.format);
    args.output.write(out.as_bytes())?;
    Ok(if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn render_findings(all: &[(String, Finding)], format: Format) -> String {
    match format {
        Format::Json => {
            let list: Vec<serde_json::Value> = all
                .iter()
                .map(|(file, f)| {
                    json!({
                        "file": file,
                        "line": f.line,
                        "column": f.column,
                        "severity": f.severity,
                        "rule": f.rule,
                        "message": f.message,
                    })
                })
                .collect();
            format!(
                "{}\n",
                serde_json::to_string_pretty(&list).unwrap_or_default()
            )
        }
        Format::Text => {
            let mut out = String::new();
            for (file, f) in all {
                let sev = match f.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                };
                let _ = writeln!(
                    out,
                    "{file}:{}:{}: {sev} [{}] {}",
                    f.line, f.column, f.rule, f.message
                );
            }
            let errors = all
                .iter()
                .filter(|(_, f)| f.severity == Severity::Error)
                .count();
            let _ = writeln!(out, "{errors} errors, {} warnings", all.len() - errors);
            out
        }
    }
}

/// A small services file with a few mistakes, used by the demo.
const DEMO_YAML: &str = "\
services:
  web:
    host: 10.0.0.5
    ports: [\"8080:80\", 443]
    replicas: 3
    resources: {cpu: 500m, memory: 256Mi}
  api:
    host: 10.0.0.5
    ports: [\"8080:9000\"]
    env:
      DB_PASSWORD: hunter2
      API_TOKEN: ${API_TOKEN}
    replicas: 2
  cache:
    ports: [6379, 70000]
    memory: 0
country: NO
umask: 0755
";

pub fn demo() -> anyhow::Result<Option<String>> {
    let stream = config::parse(DEMO_YAML, Syntax::Yaml, &Limits::default())
        .map_err(|e| anyhow::anyhow!("demo config: {e}"))?;
    let mut out = String::from("## Config: one value tree for YAML, JSON and TOML\n\n");
    out.push_str("services.yaml:\n");
    for line in DEMO_YAML.lines() {
        let _ = writeln!(out, "    {line}");
    }
    let json = config::to_json(&stream).map_err(|e| anyhow::anyhow!("demo config: {e}"))?;
    let _ = write!(
        out,
        "\nAs canonical JSON (`conclave config services.yaml --to json`):\n    {json}"
    );
    let web = stream.documents[0]
        .get("services")
        .and_then(|s| s.get("web"))
        .and_then(|w| w.get("ports"));
    if let Some(ports) = web {
        let _ = writeln!(
            out,
            "services.web.ports starts at line {}, column {}.",
            ports.span.line, ports.span.column
        );
    }
    let findings: Vec<(String, Finding)> = config::lint(DEMO_YAML, &stream)
        .into_iter()
        .map(|f| ("services.yaml".to_owned(), f))
        .collect();
    out.push_str("\nLint findings (`conclave config check services.yaml --format text`):\n");
    for line in render_findings(&findings, Format::Text).lines() {
        let _ = writeln!(out, "    {line}");
    }
    Ok(Some(out))
}
