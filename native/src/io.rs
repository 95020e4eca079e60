//! Reading inputs and writing outputs: `-` is stdin/stdout; outputs are written whole or not at all.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;

/// Reads a whole input: a file, or stdin for `-`.
pub fn read_input(path: &str) -> anyhow::Result<Vec<u8>> {
    if path == "-" {
        let mut buf = Vec::new();
        io::stdin()
            .lock()
            .read_to_end(&mut buf)
            .context("reading stdin")?;
        Ok(buf)
    } else {
        fs::read(path).with_context(|| format!("{path}: cannot read"))
    }
}

/// The input size limit of commands that read a whole JSON or CSV input into memory
/// (docs/limits.md).
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct InputLimit {
    /// Refuse an input larger than this many MiB (it is read whole into memory).
    #[arg(long = "max-input-mib", value_name = "MIB", default_value_t = 1024)]
    pub max_input_mib: u64,
}

/// [`read_text`], refusing more than `limit` bytes before reading them all.
pub fn read_text_limited(path: &str, limit: InputLimit) -> anyhow::Result<String> {
    let max = limit.max_input_mib.saturating_mul(1 << 20);
    let name = display_name(path);
    let reader: Box<dyn Read> = if path == "-" {
        Box::new(io::stdin().lock())
    } else {
        Box::new(fs::File::open(path).with_context(|| format!("{path}: cannot read"))?)
    };
    let mut bytes = Vec::new();
    reader
        .take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .with_context(|| format!("{name}: cannot read"))?;
    if bytes.len() as u64 > max {
        anyhow::bail!(
            "{name}: input is larger than the input size limit of {} MiB (raise it with --max-input-mib)",
            limit.max_input_mib
        );
    }
    utf8(path, bytes)
}

/// Reads a whole input as UTF-8, naming the line and column of the first invalid byte.
pub fn read_text(path: &str) -> anyhow::Result<String> {
    utf8(path, read_input(path)?)
}

/// `bytes` as UTF-8, or an error naming the line and column of the first invalid byte.
fn utf8(path: &str, bytes: Vec<u8>) -> anyhow::Result<String> {
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let before = &e.as_bytes()[..valid];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = valid
            - before
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |p| p + 1)
            + 1;
        anyhow::anyhow!("{}:{line}:{column}: invalid UTF-8", display_name(path))
    })
}

/// The name used for an input in messages.
pub fn display_name(path: &str) -> &str {
    if path == "-" { "<stdin>" } else { path }
}

/// Writes everything to stdout at once (after the work succeeded).
pub fn write_stdout(bytes: &[u8]) -> anyhow::Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(bytes)?;
    out.flush()?;
    Ok(())
}

/// Writes `bytes` to `path` through a temporary file in the same folder, renamed only when complete:
/// a failure leaves any previous file intact and no partial file behind.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let mut file = AtomicFile::create(path)?;
    file.write_all(bytes)?;
    file.commit()
}

/// Writes a command's whole output to `path`, or to stdout when `path` is None or `-`.
pub fn write_output(path: Option<&Path>, bytes: &[u8]) -> anyhow::Result<()> {
    match path {
        Some(p) if p.as_os_str() != "-" => write_atomically(p, bytes),
        _ => write_stdout(bytes),
    }
}

/// An output file written under a temporary name (mode 0600, same folder) and renamed over
/// `path` only by [`AtomicFile::commit`]; dropped uncommitted, the temporary file is removed.
pub struct AtomicFile {
    file: Option<io::BufWriter<File>>,
    tmp: PathBuf,
    path: PathBuf,
}

impl AtomicFile {
    pub fn create(path: &Path) -> anyhow::Result<Self> {
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("output");
        let tmp = dir.join(format!(
            ".{name}.{}.{}.tmp",
            std::process::id(),
            temp_suffix()?
        ));
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let file = options
            .open(&tmp)
            .with_context(|| format!("{}: cannot create", tmp.display()))?;
        Ok(Self {
            file: Some(io::BufWriter::with_capacity(1 << 18, file)),
            tmp,
            path: path.to_owned(),
        })
    }

    pub fn write_all(&mut self, bytes: &[u8]) -> anyhow::Result<()> {
        if let Some(f) = self.file.as_mut() {
            f.write_all(bytes)
                .with_context(|| format!("{}: cannot write", self.tmp.display()))?;
        }
        Ok(())
    }

    pub fn commit(mut self) -> anyhow::Result<()> {
        if let Some(f) = self.file.take() {
            let file = f
                .into_inner()
                .map_err(|e| e.into_error())
                .with_context(|| format!("{}: cannot write", self.tmp.display()))?;
            file.sync_all()
                .with_context(|| format!("{}: cannot sync", self.tmp.display()))?;
        }
        let renamed = fs::rename(&self.tmp, &self.path);
        if renamed.is_err() {
            let _ = fs::remove_file(&self.tmp);
        }
        renamed.with_context(|| format!("{}: cannot write", self.path.display()))
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.file.take().is_some() {
            let _ = fs::remove_file(&self.tmp);
        }
    }
}

/// Six random bytes in hex, so two writers of the same file never share a temporary name.
fn temp_suffix() -> anyhow::Result<String> {
    let mut buf = [0u8; 6];
    getrandom::fill(&mut buf).map_err(|e| anyhow::anyhow!("no OS randomness: {e}"))?;
    Ok(buf.iter().map(|b| format!("{b:02x}")).collect())
}

/// Whether an error comes from writing to a closed pipe.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}
