//! `conclave consensus` and `conclave vote`: not landed yet (their issue is open).

use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(trailing_var_arg = true, allow_hyphen_values = true, hide = true)]
    rest: Vec<String>,
}

#[derive(Debug, clap::Args)]
pub struct VoteArgs {
    #[arg(trailing_var_arg = true, allow_hyphen_values = true, hide = true)]
    rest: Vec<String>,
}

pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    Err(super::not_yet("consensus"))
}

pub fn run_vote(_args: VoteArgs) -> anyhow::Result<ExitCode> {
    Err(super::not_yet("vote"))
}

pub fn demo() -> anyhow::Result<Option<String>> {
    Ok(None)
}
