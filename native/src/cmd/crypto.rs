//! `conclave crypto`: Argon2id password hashes, AES-256-GCM envelopes, HMAC-SHA256 and SHA-256.
//!
//! The kernels are `conclave_core::crypto`; this file brings the secrets, randomness, files, and
//! the envelope's fast AES-256-GCM (ring's assembly, [`RingCipher`]; core's portable cipher is
//! two-pass and about five times slower at 1 MiB, see docs/crypto.md).
//! Passwords and passphrases come from stdin or a file, never argv; keys from `--key-file` (32 raw
//! bytes or 64 hex digits). Nonces and salts come from the OS (getrandom). Files are read in
//! chunks, never whole; `encrypt`/`decrypt -o FILE` write a temporary file in the same folder
//! (mode 0600) and rename it only when complete, so a failed decrypt leaves no plaintext behind.
//! Exit codes: 0 success or match, 1 mismatch, 2 error (malformed hash or tag, bad input).

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::Subcommand;
use conclave_core::crypto::envelope::{
    self, ChunkCipher, Header, OpenKey, Opener, SealKey, Sealer,
};
use conclave_core::crypto::password::{self, Limits, Params};
use conclave_core::crypto::{CryptoError, aead, from_hex, mac, to_hex};
use serde::Deserialize;
use serde_json::json;
use zeroize::{Zeroize, Zeroizing};

use crate::io as cio;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Hash a password (stdin or --password-file) into an Argon2id PHC string.
    HashPassword(HashArgs),
    /// Check a password (stdin or --password-file) against a PHC string: exit 0 match, 1
    /// mismatch, 2 malformed.
    VerifyPassword(VerifyArgs),
    /// Seal a file into an AES-256-GCM envelope (docs/crypto.md).
    Encrypt(EncryptArgs),
    /// Open an envelope; the output appears only if every chunk is authentic.
    Decrypt(DecryptArgs),
    /// Print the hex HMAC-SHA256 of a file.
    Hmac(HmacArgs),
    /// Check a hex HMAC-SHA256 tag in constant time: exit 0 match, 1 mismatch, 2 malformed.
    HmacVerify(HmacVerifyArgs),
    /// Print the SHA-256 of files, as `sha256sum` does.
    Sha256(Sha256Args),
}

/// Argon2 costs and limits, shared by the commands that derive keys.
#[derive(Debug, Clone, clap::Args)]
struct CostArgs {
    /// Argon2 memory in KiB.
    #[arg(long = "memory-kib", value_name = "KIB", default_value_t = Params::DEFAULT.m_kib)]
    m_kib: u32,
    /// Argon2 passes.
    #[arg(long = "passes", value_name = "T", default_value_t = Params::DEFAULT.t)]
    t: u32,
    /// Argon2 lanes.
    #[arg(long = "lanes", value_name = "P", default_value_t = Params::DEFAULT.p)]
    p: u32,
}

#[derive(Debug, clap::Args)]
struct LimitArgs {
    /// Allow Argon2 parameters above the limits (1 GiB memory, 64 passes, 64 lanes).
    #[arg(long)]
    force: bool,
}

impl LimitArgs {
    fn limits(&self) -> Limits {
        if self.force {
            Limits::NONE
        } else {
            Limits::DEFAULT
        }
    }
}

/// A core error, with the way out when parameters are above the limits.
fn hint(err: CryptoError) -> anyhow::Error {
    match err {
        CryptoError::ParamsTooCostly { .. } => anyhow::anyhow!("{err}; pass --force to allow it"),
        other => other.into(),
    }
}

#[derive(Debug, clap::Args)]
struct BatchArgs {
    /// Worker threads for --batch (default: the number of CPUs).
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
    /// Memory budget for --batch in MiB: at most budget / memory hashes run at once.
    #[arg(long, value_name = "MIB", default_value_t = 1024)]
    memory_budget: u64,
}

impl BatchArgs {
    fn concurrency(&self, m_kib: u32) -> usize {
        let threads = self
            .threads
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
        password::concurrency_for_budget(self.memory_budget.saturating_mul(1024), m_kib, threads)
    }
}

#[derive(Debug, clap::Args)]
struct HashArgs {
    /// Read the password from this file instead of stdin (one trailing newline is dropped).
    #[arg(long, value_name = "FILE")]
    password_file: Option<PathBuf>,
    /// Hash every line of the input (one password per line); print one PHC string per line.
    #[arg(long)]
    batch: bool,
    #[command(flatten)]
    cost: CostArgs,
    #[command(flatten)]
    limit: LimitArgs,
    #[command(flatten)]
    workers: BatchArgs,
}

#[derive(Debug, clap::Args)]
struct VerifyArgs {
    /// The PHC string, e.g. `$argon2id$v=19$m=19456,t=2,p=1$...$...`.
    #[arg(value_name = "HASH", required_unless_present = "batch")]
    hash: Option<String>,
    /// Read the password from this file instead of stdin (one trailing newline is dropped).
    #[arg(long, value_name = "FILE", conflicts_with = "batch")]
    password_file: Option<PathBuf>,
    /// Verify JSON Lines `{"password": "...", "hash": "..."}` from FILE (`-` for stdin); print
    /// one JSON object per line. Exit 2 if any hash is malformed, else 1 if any mismatch.
    #[arg(long, value_name = "FILE", conflicts_with = "hash")]
    batch: Option<String>,
    #[command(flatten)]
    limit: LimitArgs,
    #[command(flatten)]
    workers: BatchArgs,
}

#[derive(Debug, clap::Args)]
#[group(id = "secret", required = true, multiple = false, args = ["key_file", "passphrase_file"])]
struct SecretArgs {
    /// A 256-bit key: 32 raw bytes, or 64 hex digits.
    #[arg(long, value_name = "FILE")]
    key_file: Option<PathBuf>,
    /// A passphrase (one trailing newline is dropped); the key is derived with Argon2id.
    #[arg(long, value_name = "FILE")]
    passphrase_file: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
struct EncryptArgs {
    /// The file to seal (`-` for stdin).
    #[arg(value_name = "FILE")]
    input: String,
    /// Where to write the envelope (`-` for stdout).
    #[arg(short, long, value_name = "FILE", default_value = "-")]
    output: String,
    #[command(flatten)]
    secret: SecretArgs,
    /// Associated data, authenticated but not stored: decrypt needs the same value.
    #[arg(long, value_name = "TEXT", default_value = "")]
    aad: String,
    /// Plaintext bytes per chunk, as a power of two (10 = 1 KiB ... 24 = 16 MiB).
    #[arg(long, value_name = "E", default_value_t = envelope::DEFAULT_CHUNK_LOG2)]
    chunk_log2: u8,
    #[command(flatten)]
    cost: CostArgs,
    #[command(flatten)]
    limit: LimitArgs,
}

#[derive(Debug, clap::Args)]
struct DecryptArgs {
    /// The envelope (`-` for stdin).
    #[arg(value_name = "FILE")]
    input: String,
    /// Where to write the plaintext (`-` for stdout: held in memory until it is all verified).
    #[arg(short, long, value_name = "FILE", default_value = "-")]
    output: String,
    #[command(flatten)]
    secret: SecretArgs,
    /// The associated data given to encrypt.
    #[arg(long, value_name = "TEXT", default_value = "")]
    aad: String,
    #[command(flatten)]
    limit: LimitArgs,
}

#[derive(Debug, clap::Args)]
struct HmacArgs {
    /// The key: 32 raw bytes, or 64 hex digits.
    #[arg(long, value_name = "FILE")]
    key_file: PathBuf,
    /// The file (`-` for stdin).
    #[arg(value_name = "FILE")]
    input: String,
}

#[derive(Debug, clap::Args)]
struct HmacVerifyArgs {
    /// The key: 32 raw bytes, or 64 hex digits.
    #[arg(long, value_name = "FILE")]
    key_file: PathBuf,
    /// The expected tag in hex (64 digits, or at least 32 for a truncated tag).
    #[arg(long, value_name = "HEX")]
    tag: String,
    /// The file (`-` for stdin).
    #[arg(value_name = "FILE")]
    input: String,
}

#[derive(Debug, clap::Args)]
struct Sha256Args {
    /// Files (`-` for stdin).
    #[arg(value_name = "FILE", required = true)]
    inputs: Vec<String>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.command {
        Command::HashPassword(a) => hash_password(a),
        Command::VerifyPassword(a) => verify_password(a),
        Command::Encrypt(a) => encrypt(a),
        Command::Decrypt(a) => decrypt(a),
        Command::Hmac(a) => hmac(a),
        Command::HmacVerify(a) => hmac_verify(a),
        Command::Sha256(a) => sha256(a),
    }
}

// ---- secrets, randomness, streaming I/O ----

/// Fills `N` bytes from the operating system's CSPRNG.
fn random<const N: usize>() -> anyhow::Result<[u8; N]> {
    let mut buf = [0u8; N];
    getrandom::fill(&mut buf).map_err(|e| anyhow::anyhow!("no OS randomness: {e}"))?;
    Ok(buf)
}

/// Reads a secret file whole, or stdin when `path` is None.
fn read_secret(path: Option<&Path>, what: &str) -> anyhow::Result<Zeroizing<Vec<u8>>> {
    let mut buf = Zeroizing::new(Vec::new());
    match path {
        Some(p) => {
            File::open(p)
                .and_then(|mut f| f.read_to_end(&mut buf))
                .with_context(|| format!("{}: cannot read the {what}", p.display()))?;
        }
        None => {
            io::stdin()
                .lock()
                .read_to_end(&mut buf)
                .with_context(|| format!("reading the {what} from stdin"))?;
        }
    }
    Ok(buf)
}

/// Drops one trailing `\n` or `\r\n`.
fn strip_newline(secret: &mut Zeroizing<Vec<u8>>) {
    if secret.last() == Some(&b'\n') {
        secret.pop();
        if secret.last() == Some(&b'\r') {
            secret.pop();
        }
    }
}

fn read_password(path: Option<&Path>, what: &str) -> anyhow::Result<Zeroizing<Vec<u8>>> {
    let mut secret = read_secret(path, what)?;
    strip_newline(&mut secret);
    Ok(secret)
}

/// A key file: exactly 32 raw bytes, or 64 hex digits (surrounding white space ignored).
fn read_key(path: &Path) -> anyhow::Result<Zeroizing<[u8; 32]>> {
    let bytes = read_secret(Some(path), "key")?;
    let mut key = Zeroizing::new([0u8; 32]);
    if bytes.len() == 32 {
        key.copy_from_slice(&bytes);
        return Ok(key);
    }
    let text = std::str::from_utf8(&bytes).map(str::trim).unwrap_or("");
    if text.len() == 64
        && let Ok(mut decoded) = from_hex(text)
    {
        key.copy_from_slice(&decoded);
        decoded.zeroize();
        return Ok(key);
    }
    bail!(
        "{}: a key file holds 32 raw bytes or 64 hex digits ({} bytes found)",
        path.display(),
        bytes.len()
    )
}

fn open_input(path: &str) -> anyhow::Result<Box<dyn BufRead>> {
    const BUF: usize = 1 << 18;
    if path == "-" {
        Ok(Box::new(BufReader::with_capacity(BUF, io::stdin())))
    } else {
        let file = File::open(path).with_context(|| format!("{path}: cannot read"))?;
        Ok(Box::new(BufReader::with_capacity(BUF, file)))
    }
}

/// Reads until `buf` holds `n` bytes or the input ends; returns whether the input ended.
fn read_up_to(input: &mut dyn BufRead, buf: &mut Vec<u8>, n: usize) -> io::Result<bool> {
    buf.clear();
    input.take(n as u64).read_to_end(buf)?;
    if buf.len() < n {
        return Ok(true);
    }
    Ok(input.fill_buf()?.is_empty())
}

/// Where output goes: stdout (streamed, or held until complete) or an [`cio::AtomicFile`].
enum Sink {
    Stdout(io::BufWriter<io::Stdout>),
    Held(Zeroizing<Vec<u8>>),
    File(cio::AtomicFile),
}

impl Sink {
    fn new(path: &str, hold_stdout: bool) -> anyhow::Result<Self> {
        Ok(match path {
            "-" if hold_stdout => Self::Held(Zeroizing::new(Vec::new())),
            "-" => Self::Stdout(io::BufWriter::with_capacity(1 << 18, io::stdout())),
            p => Self::File(cio::AtomicFile::create(Path::new(p))?),
        })
    }

    fn write_all(&mut self, bytes: &[u8]) -> anyhow::Result<()> {
        match self {
            Self::Stdout(w) => w.write_all(bytes)?,
            Self::Held(buf) => buf.extend_from_slice(bytes),
            Self::File(f) => f.write_all(bytes)?,
        }
        Ok(())
    }

    fn commit(self) -> anyhow::Result<()> {
        match self {
            Self::Stdout(mut w) => w.flush()?,
            Self::Held(buf) => cio::write_stdout(&buf)?,
            Self::File(f) => f.commit()?,
        }
        Ok(())
    }
}

// ---- the fast AES-256-GCM ----

/// ring's AES-256-GCM for envelope chunks: BoringSSL's assembly, which picks AES-NI + PCLMULQDQ,
/// or AVX2 + VAES + VPCLMULQDQ, at run time and interleaves the cipher with GHASH (about 5x
/// RustCrypto's two-pass `aes-gcm` at 1 MiB here). Same bytes as core's portable cipher (tested).
struct RingCipher(ring::aead::LessSafeKey);

fn ring_cipher(key: &[u8; 32]) -> Box<dyn ChunkCipher> {
    match ring::aead::UnboundKey::new(&ring::aead::AES_256_GCM, key) {
        Ok(k) => Box::new(RingCipher(ring::aead::LessSafeKey::new(k))),
        // ring accepts every 32-byte key; keep the portable cipher if that ever changes.
        Err(_) => envelope::portable_cipher(key),
    }
}

impl ChunkCipher for RingCipher {
    fn seal_in_place(
        &self,
        nonce: &[u8; 12],
        aad: &[u8],
        buf: &mut [u8],
    ) -> Result<[u8; 16], CryptoError> {
        let nonce = ring::aead::Nonce::assume_unique_for_key(*nonce);
        let tag = self
            .0
            .seal_in_place_separate_tag(nonce, ring::aead::Aad::from(aad), buf)
            .map_err(|_| CryptoError::MessageTooLong {
                len: buf.len() as u64,
            })?;
        let mut out = [0u8; 16];
        out.copy_from_slice(tag.as_ref());
        Ok(out)
    }

    fn open_to(
        &self,
        nonce: &[u8; 12],
        aad: &[u8],
        ciphertext: &[u8],
        tag: &[u8; 16],
        out: &mut [u8],
    ) -> Result<bool, CryptoError> {
        if out.len() != ciphertext.len() {
            return Err(CryptoError::ChunkMisuse {
                reason: format!(
                    "output of {} bytes for {} bytes of ciphertext",
                    out.len(),
                    ciphertext.len()
                ),
            });
        }
        out.copy_from_slice(ciphertext);
        let nonce = ring::aead::Nonce::assume_unique_for_key(*nonce);
        let opened = self
            .0
            .open_in_place_separate_tag(
                nonce,
                ring::aead::Aad::from(aad),
                ring::aead::Tag::from(*tag),
                out,
                0..,
            )
            .is_ok();
        if !opened {
            out.zeroize();
        }
        Ok(opened)
    }
}

// ---- passwords ----

fn params_of(cost: &CostArgs) -> Params {
    Params {
        m_kib: cost.m_kib,
        t: cost.t,
        p: cost.p,
    }
}

fn hash_password(args: HashArgs) -> anyhow::Result<ExitCode> {
    let params = params_of(&args.cost);
    let limits = args.limit.limits();
    params.check(&limits).map_err(hint)?;
    let input = read_secret(args.password_file.as_deref(), "password")?;
    if !args.batch {
        let mut pw = input;
        strip_newline(&mut pw);
        if pw.is_empty() {
            bail!("empty password");
        }
        let hash = password::hash_password(&pw, &random::<16>()?, params, &limits)?;
        cio::write_stdout(format!("{hash}\n").as_bytes())?;
        return Ok(ExitCode::SUCCESS);
    }
    let lines: Vec<&[u8]> = input
        .split(|&b| b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
        .collect();
    // A final newline ends the last line rather than starting an empty one.
    let lines = match lines.split_last() {
        Some((&[], rest)) => rest.to_vec(),
        _ => lines,
    };
    if let Some(k) = lines.iter().position(|l| l.is_empty()) {
        bail!("line {}: empty password", k + 1);
    }
    let salts = (0..lines.len())
        .map(|_| random::<16>())
        .collect::<anyhow::Result<Vec<_>>>()?;
    let concurrency = args.workers.concurrency(params.m_kib);
    let hashes = password::hash_passwords(&lines, &salts, params, &limits, concurrency)?;
    let mut out = String::new();
    for h in hashes {
        out.push_str(&h);
        out.push('\n');
    }
    cio::write_stdout(out.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VerifyItem {
    password: String,
    hash: String,
}

impl Drop for VerifyItem {
    fn drop(&mut self) {
        self.password.zeroize();
    }
}

fn verify_password(args: VerifyArgs) -> anyhow::Result<ExitCode> {
    let limits = args.limit.limits();
    let Some(batch) = &args.batch else {
        let hash = args.hash.as_deref().unwrap_or_default();
        // Parse first: a malformed hash is an error before any password is read.
        password::PhcHash::parse(hash)?
            .params
            .check(&limits)
            .map_err(hint)?;
        let pw = read_password(args.password_file.as_deref(), "password")?;
        return Ok(if password::verify_password(&pw, hash, &limits)? {
            cio::write_stdout(b"match\n")?;
            ExitCode::SUCCESS
        } else {
            cio::write_stdout(b"mismatch\n")?;
            ExitCode::from(1)
        });
    };
    let text = Zeroizing::new(cio::read_text(batch)?);
    let name = cio::display_name(batch);
    let mut items = Vec::new();
    let mut lines = Vec::new();
    for (k, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let item: VerifyItem = serde_json::from_str(line)
            .with_context(|| format!("{name}:{}: expected {{\"password\", \"hash\"}}", k + 1))?;
        items.push(item);
        lines.push(k + 1);
    }
    let max_m = items
        .iter()
        .filter_map(|i| password::PhcHash::parse(&i.hash).ok())
        .map(|p| p.params.m_kib)
        .max()
        .unwrap_or(1);
    let pairs: Vec<(&[u8], &str)> = items
        .iter()
        .map(|i| (i.password.as_bytes(), i.hash.as_str()))
        .collect();
    let verdicts = password::verify_passwords(&pairs, &limits, args.workers.concurrency(max_m));
    let (mut mismatch, mut malformed) = (false, false);
    let mut out = String::new();
    for (line, verdict) in lines.iter().zip(verdicts) {
        let row = match verdict {
            Ok(m) => {
                mismatch |= !m;
                json!({ "line": line, "match": m })
            }
            Err(e) => {
                malformed = true;
                json!({ "line": line, "error": e.to_string() })
            }
        };
        out.push_str(&row.to_string());
        out.push('\n');
    }
    cio::write_stdout(out.as_bytes())?;
    Ok(ExitCode::from(if malformed {
        2
    } else {
        u8::from(mismatch)
    }))
}

// ---- envelopes ----

fn encrypt(args: EncryptArgs) -> anyhow::Result<ExitCode> {
    let limits = args.limit.limits();
    let nonce = random::<12>()?;
    let (key, passphrase);
    let seal_key = if let Some(path) = &args.secret.key_file {
        key = read_key(path)?;
        SealKey::Key(&key)
    } else {
        let path = args.secret.passphrase_file.as_deref();
        passphrase = read_password(path, "passphrase")?;
        if passphrase.is_empty() {
            bail!("empty passphrase");
        }
        SealKey::Passphrase {
            passphrase: &passphrase,
            salt: random::<16>()?,
            params: params_of(&args.cost),
        }
    };
    let mut input = open_input(&args.input)?;
    let (mut sealer, header) = Sealer::new_with(
        seal_key,
        nonce,
        args.chunk_log2,
        args.aad.as_bytes(),
        &limits,
        ring_cipher,
    )
    .map_err(hint)?;
    let mut sink = Sink::new(&args.output, false)?;
    sink.write_all(&header)?;
    let size = sealer.chunk_size();
    let mut buf = Vec::with_capacity(size + aead::TAG_LEN);
    loop {
        let last = read_up_to(&mut input, &mut buf, size)
            .with_context(|| format!("{}: cannot read", cio::display_name(&args.input)))?;
        sealer.seal_chunk(&mut buf, last)?;
        sink.write_all(&buf)?;
        if last {
            break;
        }
    }
    buf.zeroize();
    sink.commit()?;
    Ok(ExitCode::SUCCESS)
}

fn decrypt(args: DecryptArgs) -> anyhow::Result<ExitCode> {
    let limits = args.limit.limits();
    let name = cio::display_name(&args.input).to_owned();
    let mut input = open_input(&args.input)?;
    let read_err = || format!("{name}: cannot read");
    // The fixed part tells the header's length.
    let mut prefix = Vec::with_capacity(envelope::MAX_HEADER_LEN);
    read_up_to(&mut input, &mut prefix, 20).with_context(read_err)?;
    if prefix.len() == 20 {
        let total = if prefix[5] == 2 {
            envelope::HEADER_LEN_PASSPHRASE
        } else {
            envelope::HEADER_LEN_KEY
        };
        let mut rest = Vec::new();
        read_up_to(&mut input, &mut rest, total - 20).with_context(read_err)?;
        prefix.extend_from_slice(&rest);
    }
    let header = Header::parse(&prefix).with_context(|| name.clone())?;
    let (key, passphrase);
    let open_key = if let Some(path) = &args.secret.key_file {
        key = read_key(path)?;
        OpenKey::Key(&key)
    } else {
        passphrase = read_password(args.secret.passphrase_file.as_deref(), "passphrase")?;
        OpenKey::Passphrase(&passphrase)
    };
    let mut opener = Opener::new_with(&header, open_key, args.aad.as_bytes(), &limits, ring_cipher)
        .map_err(hint)
        .with_context(|| name.clone())?;
    let mut sink = Sink::new(&args.output, true)?;
    let full = opener.sealed_chunk_len();
    let mut chunk = Vec::with_capacity(full);
    let mut plain = Zeroizing::new(Vec::with_capacity(full));
    loop {
        let at_end = read_up_to(&mut input, &mut chunk, full).with_context(read_err)?;
        if at_end && chunk.is_empty() {
            break;
        }
        opener
            .open_chunk(&chunk, at_end, &mut plain)
            .with_context(|| name.clone())?;
        sink.write_all(&plain)?;
        if at_end {
            break;
        }
    }
    opener.finish().with_context(|| name.clone())?;
    sink.commit()?;
    Ok(ExitCode::SUCCESS)
}

// ---- MACs and hashes ----

/// Feeds a file to `update` in 256 KiB pieces.
fn stream_file(path: &str, mut update: impl FnMut(&[u8])) -> anyhow::Result<()> {
    let mut input = open_input(path)?;
    loop {
        let piece = input
            .fill_buf()
            .with_context(|| format!("{}: cannot read", cio::display_name(path)))?;
        if piece.is_empty() {
            return Ok(());
        }
        update(piece);
        let n = piece.len();
        input.consume(n);
    }
}

fn file_hmac(key_file: &Path, input: &str) -> anyhow::Result<mac::HmacSha256> {
    let key = read_key(key_file)?;
    let mut mac = mac::HmacSha256::new(&key[..]);
    stream_file(input, |piece| mac.update(piece))?;
    Ok(mac)
}

fn hmac(args: HmacArgs) -> anyhow::Result<ExitCode> {
    let tag = file_hmac(&args.key_file, &args.input)?.finish();
    cio::write_stdout(format!("{}\n", to_hex(&tag)).as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

fn hmac_verify(args: HmacVerifyArgs) -> anyhow::Result<ExitCode> {
    let tag = from_hex(args.tag.trim()).context("--tag")?;
    if !(mac::MIN_TAG_LEN..=mac::TAG_LEN).contains(&tag.len()) {
        return Err(CryptoError::TagLength {
            actual: tag.len(),
            min: mac::MIN_TAG_LEN,
            max: mac::TAG_LEN,
        })
        .context("--tag");
    }
    let matched = file_hmac(&args.key_file, &args.input)?.verify(&tag)?;
    cio::write_stdout(if matched { b"match\n" } else { b"mismatch\n" })?;
    Ok(ExitCode::from(u8::from(!matched)))
}

fn sha256(args: Sha256Args) -> anyhow::Result<ExitCode> {
    let mut out = String::new();
    for path in &args.inputs {
        let mut h = mac::Sha256::new();
        stream_file(path, |piece| h.update(piece))?;
        out.push_str(&format!("{}  {path}\n", to_hex(&h.finish())));
    }
    cio::write_stdout(out.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

// ---- demo ----

pub fn demo() -> anyhow::Result<Option<String>> {
    use std::fmt::Write as _;
    let mut out = String::from("## Crypto\n\n");
    let limits = Limits::DEFAULT;
    let params = Params::DEFAULT;
    let hash =
        password::hash_password(b"correct horse battery staple", &random()?, params, &limits)?;
    let right = password::verify_password(b"correct horse battery staple", &hash, &limits)?;
    let wrong = password::verify_password(b"Tr0ub4dor&3", &hash, &limits)?;
    writeln!(
        out,
        "Argon2id (m={} KiB, t={}, p={}), fresh salt:",
        params.m_kib, params.t, params.p
    )?;
    writeln!(out, "  {hash}")?;
    writeln!(
        out,
        "  right password: {}, wrong password: {}",
        verdict(right),
        verdict(wrong)
    )?;

    let key = Zeroizing::new(random::<32>()?);
    let message = b"deploy checkout v2 at 14:00; rollback plan in runbook 7";
    let env = envelope::seal(SealKey::Key(&key), random()?, b"ops", message, 10, &limits)?;
    writeln!(
        out,
        "\nAES-256-GCM envelope v1: {} plaintext bytes -> {} bytes (52-byte header, 16-byte tag per chunk)",
        message.len(),
        env.len()
    )?;
    let opened = envelope::open(OpenKey::Key(&key), &env, b"ops", &limits)?;
    writeln!(
        out,
        "  opened with the key: {}",
        String::from_utf8_lossy(&opened)
    )?;
    let mut tampered = env.clone();
    if let Some(b) = tampered.last_mut() {
        *b ^= 1;
    }
    let other_key = random::<32>()?;
    for (what, result) in [
        (
            "one bit flipped",
            envelope::open(OpenKey::Key(&key), &tampered, b"ops", &limits),
        ),
        (
            "cut after the header",
            envelope::open(
                OpenKey::Key(&key),
                &env[..envelope::HEADER_LEN_KEY],
                b"ops",
                &limits,
            ),
        ),
        (
            "another key",
            envelope::open(OpenKey::Key(&other_key), &env, b"ops", &limits),
        ),
    ] {
        let said = match result {
            Ok(_) => "accepted (bug)".to_owned(),
            Err(e) => e.to_string(),
        };
        writeln!(out, "  {what}: {said}")?;
    }
    let mac_key = [0x0b_u8; 32];
    writeln!(out, "\nSHA-256(\"abc\") = {}", to_hex(&mac::sha256(b"abc")))?;
    writeln!(
        out,
        "HMAC-SHA256(key 0b x 32, \"Hi There\") = {}",
        to_hex(&mac::hmac_sha256(&mac_key, b"Hi There"))
    )?;
    Ok(Some(out))
}

fn verdict(matched: bool) -> &'static str {
    if matched { "match" } else { "mismatch" }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// ring and core's vector-tested portable cipher give the same envelopes, both ways.
    #[test]
    fn ring_cipher_is_byte_identical_to_the_portable_one() {
        let key = [0x3c; 32];
        let limits = Limits::DEFAULT;
        for len in [0usize, 1, 15, 16, 17, 1023, 1024, 1025, 4096, 70_000] {
            let plain: Vec<u8> = (0..len).map(|i| (i * 7 + 3) as u8).collect();
            let seal = |make| {
                envelope::seal_with(
                    SealKey::Key(&key),
                    [len as u8; 12],
                    b"aad",
                    &plain,
                    10,
                    &limits,
                    make,
                )
                .unwrap()
            };
            let ring_env = seal(ring_cipher);
            assert_eq!(ring_env, seal(envelope::portable_cipher), "len {len}");
            let open = |env: &[u8], make| {
                envelope::open_with(OpenKey::Key(&key), env, b"aad", &limits, make)
            };
            assert_eq!(open(&ring_env, ring_cipher).unwrap(), plain);
            // Tampering and truncation are reported the same way through ring.
            let mut bad = ring_env.clone();
            let last = bad.len() - 1;
            bad[last] ^= 1;
            assert_eq!(
                open(&bad, ring_cipher),
                open(&bad, envelope::portable_cipher)
            );
            assert!(open(&bad, ring_cipher).is_err());
            if len > 1024 {
                let cut = &ring_env[..envelope::HEADER_LEN_KEY + 1040];
                assert_eq!(open(cut, ring_cipher), open(cut, envelope::portable_cipher));
                assert!(matches!(
                    open(cut, ring_cipher),
                    Err(CryptoError::Truncated { .. })
                ));
            }
        }
    }
}
