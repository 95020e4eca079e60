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

/// `-o/--output FILE`: where a command's report goes (default stdout). The file is written whole
/// through a temporary name and renamed, so a failed run leaves any previous file intact.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct Output {
    /// Write the output to FILE (atomically: whole or not at all) instead of stdout.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<std::path::PathBuf>,
}

impl Output {
    pub fn write(&self, bytes: &[u8]) -> anyhow::Result<()> {
        crate::io::write_output(self.output.as_deref(), bytes)
    }
}
