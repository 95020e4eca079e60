//! `conclave config`: not landed yet (its issue is open).

use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(trailing_var_arg = true, allow_hyphen_values = true, hide = true)]
    rest: Vec<String>,
}

pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    Err(super::not_yet("config"))
}

pub fn demo() -> anyhow::Result<Option<String>> {
    Ok(None)
}
