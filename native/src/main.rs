//! `conclave`: the native command-line tool. Parses arguments, reads files, drives conclave-core,
//! writes results. Exit codes: 0 success, 1 a negative answer or findings (a failed verify, lint
//! errors), 2 an error (bad input, unreadable file, limit exceeded). A closed stdout pipe exits 0.

mod cmd;
mod io;
mod mmap;
mod scan;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "conclave",
    version,
    about = "Fast, exact kernels for fleets of AI experts and their infrastructure"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run every capability on built-in sample data and print a readable report.
    Demo(cmd::demo::Args),
    /// Compare strings: one pair, JSON Lines of pairs, or an all-pairs matrix.
    Similarity(cmd::similarity::Args),
    /// Consensus over expert responses: clusters, the consensus answer, dissent, themes.
    Consensus(cmd::consensus::Args),
    /// Self-consistency majority vote over expert responses.
    Vote(cmd::consensus::VoteArgs),
    /// Analyse log files: levels, formats, per-minute histogram, patterns, templates.
    Logs(cmd::logs::Args),
    /// Parse, convert and lint YAML / JSON / TOML configuration.
    Config(cmd::config::Args),
    /// Password hashing, authenticated encryption, HMAC and SHA-256.
    Crypto(cmd::crypto::Args),
    /// Features of numeric series: statistics, spectrum, autocorrelation, trend, anomalies.
    Pattern(cmd::pattern::Args),
    /// Scan TCP services.
    Scan(cmd::scan::Args),
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Demo(args) => cmd::demo::run(args),
        Command::Similarity(args) => cmd::similarity::run(args),
        Command::Consensus(args) => cmd::consensus::run(args),
        Command::Vote(args) => cmd::consensus::run_vote(args),
        Command::Logs(args) => cmd::logs::run(args),
        Command::Config(args) => cmd::config::run(args),
        Command::Crypto(args) => cmd::crypto::run(args),
        Command::Pattern(args) => cmd::pattern::run(args),
        Command::Scan(args) => cmd::scan::run(args),
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let code = if err.use_stderr() { 2 } else { 0 };
            let _ = err.print();
            return ExitCode::from(code);
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err(err) if io::is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("conclave: {err:#}");
            ExitCode::from(2)
        }
    }
}
