//! One module per subcommand. Each has `Args` (clap), `run(Args) -> anyhow::Result<ExitCode>`,
//! and `demo() -> anyhow::Result<Option<String>>`, its section of `conclave demo`.

pub mod config;
pub mod consensus;
pub mod crypto;
pub mod demo;
pub mod logs;
pub mod pattern;
pub mod scan;
pub mod similarity;

use clap::ValueEnum;

/// `--format`: a readable report or JSON.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum Format {
    #[default]
    Text,
    Json,
}
