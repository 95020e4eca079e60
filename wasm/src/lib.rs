//! conclave-wasm: thin wasm-bindgen conversions over conclave-core. Options come in as plain JS
//! objects (serde-wasm-bindgen), results go out as plain objects with the CLI's JSON shapes, and
//! every core error becomes a JS `Error` with a `code` through [`into_error`] (or [`into_error_at`]
//! with the line and column), which the npm package's JS rethrows as its `ConclaveError` class.
//! No panic crosses into JS: inputs are validated by core, and the panic hook is set at start for
//! anything else.
//!
//! Built twice (scripts/build-wasm): single-threaded on stable, and with the `threads` feature on a
//! dated nightly with shared memory, where core's batch kernels run on rayon over Web Workers (or
//! Node's worker_threads) started by `initThreadPool(n)`.
//!
//! Adding a kernel: one `#[wasm_bindgen(js_name = camelCase)]` function here taking plain values,
//! an options object deserialized with [`options`], returning [`to_js`] of a `Serialize` value with
//! the CLI's JSON shape, and mapping the core error through [`into_error`] / [`into_error_at`]; then
//! one line in wasm/js/api.js and its types in wasm/js/index.d.ts (see docs/npm.md).

use conclave_core::config;
use conclave_core::consensus::{self, ConsensusError, Response};
use conclave_core::crypto::envelope::{self, OpenKey, SealKey};
use conclave_core::crypto::password::{self, Limits, Params, SALT_LEN};
use conclave_core::crypto::{CryptoError, aead, mac};
use conclave_core::logs::report::{FileReport, build_report, template_reports};
use conclave_core::logs::{self};
use conclave_core::pattern;
use conclave_core::similarity::{self, Metric};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

/// `initThreadPool(n)`: starts `n` rayon workers (threaded build only); resolves when they run.
#[cfg(feature = "threads")]
pub use wasm_bindgen_rayon::init_thread_pool;

#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// A core error as a JS `Error` whose `name` is `ConclaveError` and whose `code` says what failed.
fn into_error(code: &str, message: impl std::fmt::Display) -> JsValue {
    into_error_at(code, message, None)
}

/// Like [`into_error`], with the 1-based `(line, column)` of the input where it applies; the JS
/// side exposes them as `error.line` and `error.column`.
fn into_error_at(
    code: &str,
    message: impl std::fmt::Display,
    at: Option<(usize, usize)>,
) -> JsValue {
    let err = js_sys_error(&message.to_string());
    let _ = js_set(&err, "name", &JsValue::from_str("ConclaveError"));
    let _ = js_set(&err, "code", &JsValue::from_str(code));
    if let Some((line, column)) = at {
        let _ = js_set(&err, "line", &JsValue::from_f64(line as f64));
        let _ = js_set(&err, "column", &JsValue::from_f64(column as f64));
    }
    err
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = Error)]
    fn js_sys_error(message: &str) -> JsValue;
    #[wasm_bindgen(js_namespace = Reflect, js_name = set, catch)]
    fn js_set(target: &JsValue, key: &str, value: &JsValue) -> Result<bool, JsValue>;
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct SimilarityOptions {
    metric: Option<String>,
}

#[derive(Debug, Serialize)]
struct ScoreOut {
    #[serde(skip_serializing_if = "Option::is_none")]
    distance: Option<usize>,
    similarity: f64,
}

/// The options object of a call (`undefined`/`null` = all defaults); a wrong field type is `E_OPTIONS`.
fn options<T: for<'de> Deserialize<'de> + Default>(value: JsValue) -> Result<T, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(T::default());
    }
    serde_wasm_bindgen::from_value(value).map_err(|e| into_error("E_OPTIONS", e))
}

fn metric(name: Option<&str>) -> Result<Metric, JsValue> {
    Metric::from_name(name.unwrap_or("levenshtein")).map_err(|e| into_error("E_METRIC", e))
}

/// A result as plain JS values with the CLI's JSON shape (maps as objects, u64 as numbers).
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| into_error("E_OUTPUT", e))
}

/// `similarity(a, b, {metric})` -> `{distance?, similarity}`.
#[wasm_bindgen]
pub fn similarity(a: &str, b: &str, opts: JsValue) -> Result<JsValue, JsValue> {
    let opts: SimilarityOptions = options(opts)?;
    let m = metric(opts.metric.as_deref())?;
    let s = similarity::compare(m, a, b).map_err(|e| into_error("E_SIMILARITY", e))?;
    to_js(&ScoreOut {
        distance: s.distance,
        similarity: s.similarity,
    })
}

/// `similarityMatrix(texts, {metric})` -> the matrix row-major as one `Float64Array` (one copy out
/// of the memory); api.js cuts it into the `number[][]` rows unless asked for it flat. Building
/// the nested arrays here (one call into JS per cell) cost the calling thread about 10% of a
/// 400-text levenshtein matrix on one thread, serial time that capped what the thread pool could
/// gain (issue #9).
///
/// The texts come in as one text, `texts.join("\0")` (as UTF-8 bytes, below), with each text's
/// length in UTF-16 code units (`lengths`): one encoding and one allocation on the calling thread instead of one of
/// each per text (`Vec<String>`: 0.18 ms of a 3 ms 400-text cosine matrix). The separator keeps
/// the texts' encodings apart, so a lone surrogate at a text's edge becomes U+FFFD as it does when
/// the text is converted alone.
///
/// api.js encodes that string with `TextEncoder.encode` and passes the bytes: a string argument
/// is written into shared memory (the threaded build) one UTF-16 unit at a time by a JS loop,
/// 53 us for 34 KB of texts in Node against 14 us for `encode` and a copy (issue #9). The bytes
/// are checked as UTF-8 here, on the pool with the rest of the call.
#[wasm_bindgen(js_name = similarityMatrix)]
pub fn similarity_matrix(
    joined: &[u8],
    lengths: &[u32],
    opts: JsValue,
) -> Result<Vec<f64>, JsValue> {
    let opts: SimilarityOptions = options(opts)?;
    let m = metric(opts.metric.as_deref())?;
    // Everything from here to the result runs on the pool, entered once (`on_pool`).
    conclave_core::par::on_pool(|| {
        let texts = std::str::from_utf8(joined)
            .ok()
            .and_then(|joined| split_joined(joined, lengths))
            .ok_or(None)?;
        similarity::matrix(m, &texts).map_err(Some)
    })
    .map_err(|e| match e {
        Some(e) => into_error("E_SIMILARITY", e),
        None => into_error(
            "E_ARGUMENT",
            "similarityMatrix: the joined texts do not match their lengths",
        ),
    })
}

#[wasm_bindgen]
extern "C" {
    /// A caller's `Float64Array` to write a result into.
    #[wasm_bindgen(js_name = Float64Array)]
    pub type OutF64;
    /// `Float64Array.prototype.set`: copies `values` (passed as a view of this module's memory)
    /// into the array.
    #[wasm_bindgen(method, js_name = set)]
    fn set_values(this: &OutF64, values: &[f64]);
}

/// `similarityMatrix(texts, {metric, flat: true, into})`: the matrix written into the caller's
/// `Float64Array` of `n * n` (api.js checks its type and length), only when it succeeds. A new
/// result array each call costs the calling thread its pages (the first write to each 4 KiB page
/// of a fresh 32 MB buffer faults into the kernel: about 15 ms of a 2,000-text cosine call in
/// Node, issue #9); a buffer used again has them already.
#[wasm_bindgen(js_name = similarityMatrixInto)]
pub fn similarity_matrix_into(
    joined: &[u8],
    lengths: &[u32],
    opts: JsValue,
    into: &OutF64,
) -> Result<(), JsValue> {
    let m = similarity_matrix(joined, lengths, opts)?;
    into.set_values(&m);
    Ok(())
}

/// Cuts `joined` (texts separated by NUL) into texts of `lengths` UTF-16 code
/// units each, or None when they do not add up. Each UTF-8 sequence is one code unit, except the
/// four-byte ones (outside the Basic Multilingual Plane), which are a surrogate pair in JS.
fn split_joined<'a>(joined: &'a str, lengths: &[u32]) -> Option<Vec<&'a str>> {
    let bytes = joined.as_bytes();
    let mut texts = Vec::with_capacity(lengths.len());
    let mut pos = 0;
    for (k, &len) in lengths.iter().enumerate() {
        if k > 0 {
            if *bytes.get(pos)? != 0 {
                return None;
            }
            pos += 1;
        }
        let start = pos;
        // ASCII (the common case): one byte per code unit, checked a word at a time.
        let end = pos.checked_add(len as usize)?;
        if bytes.get(pos..end).is_some_and(<[u8]>::is_ascii) {
            pos = end;
            texts.push(joined.get(start..pos)?);
            continue;
        }
        let mut units = 0;
        while units < len {
            let (width, n) = match *bytes.get(pos)? {
                0..=0x7f => (1, 1),
                0xc0..=0xdf => (2, 1),
                0xe0..=0xef => (3, 1),
                _ => (4, 2),
            };
            pos += width;
            units += n;
        }
        if units != len {
            return None;
        }
        texts.push(joined.get(start..pos)?);
    }
    (pos == bytes.len()).then_some(texts)
}

// ---- consensus ------------------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct ConsensusOptions {
    metric: Option<String>,
    threshold: Option<f64>,
    matrix: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct VoteOptions {
    extract: Option<String>,
    weighted: bool,
}

/// A consensus error: `E_CONSENSUS` (with the line and column of malformed JSON, or the line of a
/// bad JSON Lines record), `E_SIMILARITY` from the metric, `E_PATTERN` for a bad `extract` regex.
fn consensus_error(e: ConsensusError) -> JsValue {
    match &e {
        ConsensusError::Syntax { line, column, .. } => {
            into_error_at("E_CONSENSUS", &e, Some((*line, *column)))
        }
        ConsensusError::Record {
            line: Some(line), ..
        } => {
            let err = into_error("E_CONSENSUS", &e);
            let _ = js_set(&err, "line", &JsValue::from_f64(*line as f64));
            err
        }
        ConsensusError::Similarity { .. } => into_error("E_SIMILARITY", &e),
        ConsensusError::Pattern { .. } => into_error("E_PATTERN", &e),
        _ => into_error("E_CONSENSUS", &e),
    }
}

/// Responses as JSON text (a JSON array or JSON Lines; api.js stringifies arrays of objects).
fn responses(json: &str) -> Result<Vec<Response>, JsValue> {
    consensus::parse_responses(json).map_err(consensus_error)
}

/// `consensus(responses, {metric, threshold, matrix})` -> the `conclave consensus --format json`
/// text, which api.js reads with `JSON.parse`: one string across the boundary instead of an object
/// per response, cluster and theme, built by the calling thread (a tenth of a 1000-response call
/// on one thread, and none of it parallel).
#[wasm_bindgen]
pub fn consensus(json: &str, opts: JsValue) -> Result<String, JsValue> {
    let opts: ConsensusOptions = options(opts)?;
    let defaults = consensus::Options::default();
    let metric = match opts.metric.as_deref() {
        None => defaults.metric,
        Some(name) => metric(Some(name))?,
    };
    let options = consensus::Options {
        metric,
        threshold: opts.threshold.unwrap_or(defaults.threshold),
        include_matrix: opts.matrix,
        ..defaults
    };
    let responses = responses(json)?;
    // The analysis (a dozen parallel steps) and its JSON run on the pool, entered once.
    conclave_core::par::on_pool(|| {
        consensus::analyse(&responses, &options).map(|out| serde_json::to_string(&out))
    })
    .map_err(consensus_error)?
    .map_err(|e| into_error("E_OUTPUT", e))
}

/// `vote(responses, {extract, weighted})` -> the `conclave vote --format json` object.
#[wasm_bindgen]
pub fn vote(json: &str, opts: JsValue) -> Result<JsValue, JsValue> {
    let opts: VoteOptions = options(opts)?;
    let out = consensus::vote(&responses(json)?, opts.extract.as_deref(), opts.weighted)
        .map_err(consensus_error)?;
    to_js(&out)
}

// ---- pattern --------------------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct SeriesOptions {
    max_lag: Option<usize>,
    top: Option<usize>,
    id: Option<String>,
    skip_invalid: bool,
}

/// `seriesFeatures(values, {maxLag, top, id, skipInvalid})` -> one line of `conclave pattern
/// --format json`: `{id, skipped, n, mean, ...}` (`id` defaults to `values`, the CLI's id of a JSON
/// array). A value that is not finite is `E_SERIES` unless `skipInvalid` leaves it out.
#[wasm_bindgen(js_name = seriesFeatures)]
pub fn series_features(values: &[f64], opts: JsValue) -> Result<JsValue, JsValue> {
    let opts: SeriesOptions = options(opts)?;
    let defaults = pattern::Options::default();
    let options = pattern::Options {
        max_lag: opts.max_lag.unwrap_or(defaults.max_lag),
        top: opts.top.unwrap_or(defaults.top),
    };
    let (kept, skipped);
    let values = if opts.skip_invalid {
        kept = values
            .iter()
            .copied()
            .filter(|v| v.is_finite())
            .collect::<Vec<f64>>();
        skipped = values.len() - kept.len();
        kept.as_slice()
    } else {
        skipped = 0;
        values
    };
    let features = pattern::analyze(values, &options).map_err(|e| into_error("E_SERIES", e))?;
    to_js(&pattern::Record {
        id: opts.id.as_deref().unwrap_or("values"),
        skipped,
        features: &features,
    })
}

// ---- crypto ---------------------------------------------------------------------------------------

/// Argon2 costs and limits (`hashPassword`, passphrase `encrypt`), and the envelope chunk size.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct CryptoOptions {
    memory_kib: Option<u32>,
    passes: Option<u32>,
    lanes: Option<u32>,
    force: bool,
    chunk_log2: Option<u8>,
}

impl CryptoOptions {
    fn params(&self) -> Params {
        Params {
            m_kib: self.memory_kib.unwrap_or(Params::DEFAULT.m_kib),
            t: self.passes.unwrap_or(Params::DEFAULT.t),
            p: self.lanes.unwrap_or(Params::DEFAULT.p),
        }
    }

    fn limits(&self) -> Limits {
        if self.force {
            Limits::NONE
        } else {
            Limits::DEFAULT
        }
    }
}

/// A crypto error's code: what the caller can act on.
fn crypto_error(e: CryptoError) -> JsValue {
    let code = match &e {
        CryptoError::KeyLength { .. } => "E_KEY",
        CryptoError::WrongKey => "E_WRONG_KEY",
        CryptoError::KeyModeMismatch { .. } => "E_KEY_MODE",
        CryptoError::Tampered { .. }
        | CryptoError::Truncated { .. }
        | CryptoError::TrailingData { .. }
        | CryptoError::AuthenticationFailed => "E_TAMPERED",
        CryptoError::NotAnEnvelope
        | CryptoError::UnknownVersion { .. }
        | CryptoError::MalformedHeader { .. } => "E_ENVELOPE",
        CryptoError::MalformedHash { .. } => "E_HASH",
        CryptoError::InvalidParams { .. } | CryptoError::ParamsTooCostly { .. } => "E_PARAMS",
        _ => "E_CRYPTO",
    };
    into_error(code, e)
}

fn fixed<const N: usize>(bytes: &[u8], what: &str) -> Result<[u8; N], JsValue> {
    bytes.try_into().map_err(|_| {
        into_error(
            "E_ARGUMENT",
            format!("{what} must be {N} bytes, got {}", bytes.len()),
        )
    })
}

/// `sha256(bytes)` -> 32 bytes.
#[wasm_bindgen]
pub fn sha256(data: &[u8]) -> Vec<u8> {
    mac::sha256(data).to_vec()
}

/// `hmacSha256(key, bytes)` -> 32 bytes.
#[wasm_bindgen(js_name = hmacSha256)]
pub fn hmac_sha256(key: &[u8], data: &[u8]) -> Vec<u8> {
    mac::hmac_sha256(key, data).to_vec()
}

/// `hashPassword(pw, {memoryKib, passes, lanes, force})` -> an Argon2id PHC string; `salt` is 16
/// random bytes from api.js (`crypto.getRandomValues`).
#[wasm_bindgen(js_name = hashPassword)]
pub fn hash_password(password: &[u8], salt: &[u8], opts: JsValue) -> Result<String, JsValue> {
    let opts: CryptoOptions = options(opts)?;
    let salt = fixed::<SALT_LEN>(salt, "the salt")?;
    password::hash_password(password, &salt, opts.params(), &opts.limits()).map_err(crypto_error)
}

/// `verifyPassword(pw, phc, {force})` -> whether the password matches.
#[wasm_bindgen(js_name = verifyPassword)]
pub fn verify_password(password: &[u8], phc: &str, opts: JsValue) -> Result<bool, JsValue> {
    let opts: CryptoOptions = options(opts)?;
    password::verify_password(password, phc, &opts.limits()).map_err(crypto_error)
}

/// `encrypt(bytes, {key | passphrase, aad, chunkLog2, memoryKib, passes, lanes, force})` -> the
/// envelope of docs/crypto.md. api.js passes the secret, whether it is a passphrase, and random
/// nonce (12 bytes) and salt (16 bytes).
#[wasm_bindgen]
pub fn encrypt(
    data: &[u8],
    secret: &[u8],
    is_passphrase: bool,
    aad: &[u8],
    nonce: &[u8],
    salt: &[u8],
    opts: JsValue,
) -> Result<Vec<u8>, JsValue> {
    let opts: CryptoOptions = options(opts)?;
    let nonce = fixed::<{ aead::NONCE_LEN }>(nonce, "the nonce")?;
    let key_bytes;
    let key = if is_passphrase {
        SealKey::Passphrase {
            passphrase: secret,
            salt: fixed::<SALT_LEN>(salt, "the salt")?,
            params: opts.params(),
        }
    } else {
        key_bytes = key32(secret)?;
        SealKey::Key(&key_bytes)
    };
    let chunk_log2 = opts.chunk_log2.unwrap_or(envelope::DEFAULT_CHUNK_LOG2);
    envelope::seal(key, nonce, aad, data, chunk_log2, &opts.limits()).map_err(crypto_error)
}

/// `decrypt(envelope, {key | passphrase, aad, force})` -> the plaintext, only when every chunk is
/// authentic and the envelope complete.
#[wasm_bindgen]
pub fn decrypt(
    data: &[u8],
    secret: &[u8],
    is_passphrase: bool,
    aad: &[u8],
    opts: JsValue,
) -> Result<Vec<u8>, JsValue> {
    let opts: CryptoOptions = options(opts)?;
    let key_bytes;
    let key = if is_passphrase {
        OpenKey::Passphrase(secret)
    } else {
        key_bytes = key32(secret)?;
        OpenKey::Key(&key_bytes)
    };
    envelope::open(key, data, aad, &opts.limits()).map_err(crypto_error)
}

fn key32(secret: &[u8]) -> Result<[u8; 32], JsValue> {
    secret.try_into().map_err(|_| {
        crypto_error(CryptoError::KeyLength {
            expected: "32",
            actual: secret.len(),
        })
    })
}

// ---- logs -----------------------------------------------------------------------------------------

/// Bytes from an input's start used to detect its format (as the CLI).
const LOG_SAMPLE: usize = 64 * 1024;
/// Piece size of a whole input analysed on the pool.
const LOG_PIECE: usize = 256 * 1024;

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct LogsOptions {
    /// `[name, regex]` pairs (api.js turns a `{name: regex}` object into these).
    patterns: Vec<(String, String)>,
    templates: bool,
    year: Option<i32>,
    name: Option<String>,
}

struct LogJob {
    patterns: Vec<(String, String)>,
    templates: bool,
    year: i32,
    name: String,
}

impl LogJob {
    fn new(opts: JsValue) -> Result<Self, JsValue> {
        let opts: LogsOptions = options(opts)?;
        for (k, (name, _)) in opts.patterns.iter().enumerate() {
            if name.is_empty() {
                return Err(into_error("E_OPTIONS", "patterns: a pattern name is empty"));
            }
            if opts.patterns[..k].iter().any(|(n, _)| n == name) {
                return Err(into_error(
                    "E_OPTIONS",
                    format!("patterns: {name:?} given twice"),
                ));
            }
        }
        let job = LogJob {
            patterns: opts.patterns,
            templates: opts.templates,
            year: opts.year.unwrap_or(logs::DEFAULT_YEAR),
            name: opts.name.unwrap_or_else(|| "input".to_owned()),
        };
        // A bad regex is an error before any input is read.
        job.analyzer(logs::Format::Unknown)?;
        Ok(job)
    }

    fn analyzer(&self, format: logs::Format) -> Result<logs::Analyzer, JsValue> {
        logs::Analyzer::new(format, self.year, &self.patterns)
            .map_err(|e| into_error("E_PATTERN", e))
    }

    fn miner(&self, format: logs::Format) -> Option<logs::TemplateMiner> {
        self.templates.then(|| {
            let mut m = logs::TemplateMiner::new(logs::Format::Unknown, self.year);
            m.next_input(format);
            m
        })
    }

    fn report(
        &self,
        format: logs::Format,
        summary: &logs::Summary,
        miner: Option<logs::TemplateMiner>,
    ) -> Result<JsValue, JsValue> {
        let files = vec![FileReport {
            name: self.name.clone(),
            format: format.name(),
            bytes: summary.bytes,
            lines: summary.lines,
        }];
        let templates = miner.map(|m| template_reports(m.finish()));
        to_js(&build_report(files, summary, &self.patterns, templates))
    }
}

/// `analyzeLogs(bytes, {patterns, templates, year, name})` -> the `conclave logs --format json`
/// report of one input (named `name`, default `input`). Runs on the pool when started.
#[wasm_bindgen(js_name = analyzeLogs)]
pub fn analyze_logs(data: &[u8], opts: JsValue) -> Result<JsValue, JsValue> {
    let job = LogJob::new(opts)?;
    let format = logs::detect(&data[..data.len().min(LOG_SAMPLE)], job.year);
    let summary = job.analyzer(format)?.analyse_parallel(data, LOG_PIECE);
    let mut miner = job.miner(format);
    if let Some(m) = miner.as_mut() {
        m.feed(data);
    }
    job.report(format, &summary, miner)
}

/// The streaming log analyser: `new LogAnalyzer(options)`, `push(bytes)` any cut of the input,
/// `finish()` -> the same report as `analyzeLogs` of the whole input.
#[wasm_bindgen]
pub struct LogAnalyzer {
    job: LogJob,
    /// The input's first bytes, until there are enough to detect the format.
    sample: Vec<u8>,
    running: Option<Running>,
    finished: bool,
}

struct Running {
    analyzer: logs::Analyzer,
    partial: logs::Partial,
    miner: Option<logs::TemplateMiner>,
}

impl Running {
    fn push(&mut self, chunk: &[u8]) {
        let partial = std::mem::replace(&mut self.partial, logs::Partial::empty());
        self.partial = self.analyzer.merge(partial, self.analyzer.analyse(chunk));
        if let Some(m) = self.miner.as_mut() {
            m.feed(chunk);
        }
    }
}

#[wasm_bindgen]
impl LogAnalyzer {
    #[wasm_bindgen(constructor)]
    pub fn new(opts: JsValue) -> Result<LogAnalyzer, JsValue> {
        Ok(LogAnalyzer {
            job: LogJob::new(opts)?,
            sample: Vec::new(),
            running: None,
            finished: false,
        })
    }

    fn start(&mut self) -> Result<&mut Running, JsValue> {
        if self.running.is_none() {
            let format = logs::detect(
                &self.sample[..self.sample.len().min(LOG_SAMPLE)],
                self.job.year,
            );
            let mut running = Running {
                analyzer: self.job.analyzer(format)?,
                partial: logs::Partial::empty(),
                miner: self.job.miner(format),
            };
            running.push(&std::mem::take(&mut self.sample));
            self.running = Some(running);
        }
        self.running
            .as_mut()
            .ok_or_else(|| into_error("E_STATE", "the analyser did not start"))
    }

    fn check_open(&self) -> Result<(), JsValue> {
        if self.finished {
            Err(into_error("E_FINISHED", "finish() was called already"))
        } else {
            Ok(())
        }
    }

    /// Adds the next bytes of the input.
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), JsValue> {
        self.check_open()?;
        if self.running.is_none() {
            self.sample.extend_from_slice(chunk);
            if self.sample.len() >= LOG_SAMPLE {
                self.start()?;
            }
            return Ok(());
        }
        self.start()?.push(chunk);
        Ok(())
    }

    /// The report of everything pushed; the analyser cannot be used afterwards.
    pub fn finish(&mut self) -> Result<JsValue, JsValue> {
        self.check_open()?;
        self.start()?;
        self.finished = true;
        let Some(running) = self.running.take() else {
            return Err(into_error("E_STATE", "the analyser did not start"));
        };
        let format = running.analyzer.format();
        let summary = running.analyzer.finish(running.partial);
        self.job.report(format, &summary, running.miner)
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct ConfigOptions {
    /// `yaml`, `json` or `toml` (`from` is a synonym); detected from the content when absent.
    format: Option<String>,
    from: Option<String>,
    /// `convertConfig`'s target format.
    to: Option<String>,
    /// The `file` named in `checkConfig`'s findings.
    name: Option<String>,
    max_bytes: Option<usize>,
    max_depth: Option<usize>,
    max_alias_nodes: Option<usize>,
}

impl ConfigOptions {
    fn syntax(name: Option<&str>, text: &str) -> Result<config::Format, JsValue> {
        match name {
            None => Ok(config::Format::detect(text)),
            Some("yaml" | "yml") => Ok(config::Format::Yaml),
            Some("json") => Ok(config::Format::Json),
            Some("toml") => Ok(config::Format::Toml),
            Some(other) => Err(into_error(
                "E_OPTIONS",
                format!("unknown config format '{other}' (expected yaml, json or toml)"),
            )),
        }
    }

    fn parse(&self, text: &str) -> Result<config::Stream, JsValue> {
        let format = Self::syntax(self.format.as_deref().or(self.from.as_deref()), text)?;
        let defaults = config::Limits::default();
        let limits = config::Limits {
            max_bytes: self.max_bytes.unwrap_or(defaults.max_bytes),
            max_depth: self.max_depth.unwrap_or(defaults.max_depth),
            max_alias_nodes: self.max_alias_nodes.unwrap_or(defaults.max_alias_nodes),
        };
        config::parse(text, format, &limits).map_err(config_error)
    }
}

fn config_error(e: config::ConfigError) -> JsValue {
    into_error_at("E_CONFIG", &e, e.location())
}

/// `parseConfig(text, {format})` -> `conclave config FILE --format json`'s outline
/// (`{format, documents, values}`) plus `data`: each document as a plain value, as one JSON text
/// ([`config::outline_js_json`]) that the JS wrapper parses with `JSON.parse` and whose `wide`
/// integers (past ±2^53 - 1) it turns into `BigInt`s. One string crossing into JS is far cheaper
/// than building every object through serde-wasm-bindgen.
#[wasm_bindgen(js_name = parseConfig)]
pub fn parse_config(text: &str, opts: JsValue) -> Result<String, JsValue> {
    let opts: ConfigOptions = options(opts)?;
    let stream = opts.parse(text)?;
    config::outline_js_json(&stream).map_err(config_error)
}

/// `convertConfig(text, {from, to})` -> the text `conclave config FILE --to TO` prints.
#[wasm_bindgen(js_name = convertConfig)]
pub fn convert_config(text: &str, opts: JsValue) -> Result<String, JsValue> {
    let opts: ConfigOptions = options(opts)?;
    let stream = opts.parse(text)?;
    let converted = match opts.to.as_deref().unwrap_or("json") {
        "json" => config::to_json(&stream),
        "yaml" | "yml" => config::to_yaml(&stream),
        "toml" => config::to_toml(&stream),
        other => {
            return Err(into_error(
                "E_OPTIONS",
                format!("unknown target format '{other}' (expected json, yaml or toml)"),
            ));
        }
    };
    converted.map_err(config_error)
}

/// `checkConfig(text, {format, name})` -> the findings of `conclave config check --format json`.
#[wasm_bindgen(js_name = checkConfig)]
pub fn check_config(text: &str, opts: JsValue) -> Result<JsValue, JsValue> {
    let opts: ConfigOptions = options(opts)?;
    let stream = opts.parse(text)?;
    let file = opts.name.clone().unwrap_or_else(|| "input".to_owned());
    let findings: Vec<serde_json::Value> = config::lint(text, &stream)
        .into_iter()
        .map(|f| {
            serde_json::json!({
                "file": file,
                "line": f.line,
                "column": f.column,
                "severity": f.severity,
                "rule": f.rule,
                "message": f.message,
            })
        })
        .collect();
    to_js(&findings)
}

#[cfg(test)]
mod tests {
    use super::split_joined;

    /// `texts.join("\0")` and each text's UTF-16 length, as api.js passes them.
    fn joined(texts: &[&str]) -> (String, Vec<u32>) {
        let lengths = texts
            .iter()
            .map(|t| t.encode_utf16().count() as u32)
            .collect();
        (texts.join("\0"), lengths)
    }

    #[test]
    fn splits_texts_of_every_utf8_width() {
        let texts = [
            "plain",
            "",
            "été",
            "日本語",
            "🦀 crab 🦀",
            "\u{fffd}",
            "",
            "a\0b",
            "x",
        ];
        let (all, lengths) = joined(&texts);
        assert_eq!(split_joined(&all, &lengths).unwrap(), texts);
        assert_eq!(split_joined("", &[]).unwrap(), Vec::<&str>::new());
        assert_eq!(split_joined("", &[0]).unwrap(), [""]);
        assert_eq!(split_joined("\0", &[0, 0]).unwrap(), ["", ""]);
    }

    #[test]
    fn lengths_that_do_not_add_up_are_refused() {
        let (all, lengths) = joined(&["ab", "🦀c", "d"]);
        assert!(split_joined(&all, &lengths).is_some());
        for bad in [
            vec![2, 3],       // text missing
            vec![2, 3, 1, 0], // one too many
            vec![2, 2, 1],    // cuts between "🦀c" and its separator
            vec![2, 1, 1],    // inside the surrogate pair
            vec![3, 2, 1],    // swallows a separator
            vec![1, 3, 1],    // separator lands on a letter
        ] {
            assert!(split_joined(&all, &bad).is_none(), "{bad:?}");
        }
        assert!(
            split_joined("é", &[0, 0]).is_none(),
            "a separator other than NUL"
        );
        assert!(
            split_joined("a b", &[1, 1]).is_none(),
            "a separator other than NUL"
        );
    }
}
