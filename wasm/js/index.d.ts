// Types of conclave-wasm (the same for the node and browser entries).

/**
 * Error codes: `E_METRIC` unknown metric, `E_SIMILARITY` inputs a metric cannot compare (hamming on
 * different lengths), `E_OPTIONS` a malformed options object, `E_ARGUMENT` an argument of the wrong
 * type, `E_OUTPUT` a result that could not be converted, `E_NOT_INITIALIZED` a call before `init()`,
 * `E_LOAD` the module did not load, `E_NO_THREADS` threads unavailable here, `E_THREAD_POOL` the pool
 * could not start (or was started differently already), `E_PANIC` the module aborted (a bug).
 * `E_CONSENSUS` malformed responses (with `line`/`column` for JSON text) or threshold, `E_PATTERN` a
 * regex that does not compile (`vote`'s `extract`, `analyzeLogs`' patterns), `E_SERIES` a value that
 * is not a finite number. Crypto: `E_KEY` a key of the wrong length, `E_WRONG_KEY` the envelope was
 * sealed with another key or passphrase, `E_KEY_MODE` a key given for a passphrase envelope (or the
 * reverse), `E_TAMPERED` modified, truncated or extended ciphertext (or a different `aad`),
 * `E_ENVELOPE` not an envelope, `E_HASH` a malformed PHC string, `E_PARAMS` Argon2 parameters invalid
 * or above the limits (`force` lifts them), `E_CRYPTO` another crypto failure, `E_NO_RANDOM` no
 * `crypto.getRandomValues`. `E_FINISHED` a `LogAnalyzer` used after `finish()`.
 */
export type ErrorCode =
  | "E_METRIC"
  | "E_SIMILARITY"
  | "E_OPTIONS"
  | "E_ARGUMENT"
  | "E_OUTPUT"
  | "E_NOT_INITIALIZED"
  | "E_LOAD"
  | "E_NO_THREADS"
  | "E_THREAD_POOL"
  | "E_PANIC"
  | "E_CONSENSUS"
  | "E_PATTERN"
  | "E_SERIES"
  | "E_KEY"
  | "E_WRONG_KEY"
  | "E_KEY_MODE"
  | "E_TAMPERED"
  | "E_ENVELOPE"
  | "E_HASH"
  | "E_PARAMS"
  | "E_CRYPTO"
  | "E_NO_RANDOM"
  | "E_FINISHED"
  | (string & {});

/** Every error conclave-wasm throws or rejects with. */
export class ConclaveError extends Error {
  constructor(message: string, details?: { code?: ErrorCode; line?: number; column?: number; cause?: unknown });
  name: "ConclaveError";
  /** What failed, e.g. `"E_METRIC"`. */
  code: ErrorCode;
  /** 1-based line of the input where the error is, when it applies. */
  line?: number;
  /** 1-based column (in characters) of the input where the error is, when it applies. */
  column?: number;
}

/** What `init()` loaded. */
export interface Info {
  /** Whether the threaded build is loaded. */
  threaded: boolean;
  /** Threads of the running pool (1 before `initThreadPool`, and always 1 single-threaded). */
  threads: number;
  /** Why this build was chosen, e.g. "the page is not cross-origin isolated ...". */
  reason: string;
}

export interface InitOptions {
  /**
   * `false`: load the single-threaded build even where threads work. `true`: threaded where
   * available, and start a pool of one thread per core. A number n: threaded where available, and
   * start a pool of n threads. Absent: threaded where available, no pool yet (see `initThreadPool`).
   */
  threads?: boolean | number;
}

/**
 * Loads and instantiates the WebAssembly module, choosing by feature detection the threaded build
 * (Node with worker_threads; browsers on cross-origin isolated pages) or the single-threaded one.
 * Call once and await it before any kernel; later calls return the same promise.
 */
export function init(options?: InitOptions): Promise<Info>;
export default init;

/** What is loaded and how many threads run. */
export function info(): Info;

/**
 * Starts `n` worker threads (default: the host's core count) that the batch kernels share. Threaded
 * build only (rejects with `E_NO_THREADS` otherwise); call once, after `init()` and before the first
 * kernel call. Takes 100-250 ms. Results are identical to single-threaded ones.
 */
export function initThreadPool(n?: number): Promise<void>;

/**
 * A similarity metric: `levenshtein`, `osa`, `damerau-levenshtein`, `indel`, `lcs`, `hamming` (with a
 * distance), `jaro`, `jaro-winkler`, `sorensen-dice` (characters), `jaccard`, `cosine`, `token-sort`,
 * `token-set` (words: UAX #29, lowercased), `partial` (best window). Over Unicode scalar values.
 */
export type Metric =
  | "levenshtein"
  | "osa"
  | "damerau-levenshtein"
  | "indel"
  | "lcs"
  | "hamming"
  | "jaro"
  | "jaro-winkler"
  | "sorensen-dice"
  | "jaccard"
  | "cosine"
  | "token-sort"
  | "token-set"
  | "partial";

export interface SimilarityOptions {
  /** Default `"levenshtein"`. */
  metric?: Metric;
}

/** One comparison, as `conclave similarity --format json` prints it. */
export interface Score {
  /** The edit distance, for the metrics that have one (absent otherwise). */
  distance?: number;
  /** Normalized similarity in [0, 1]; 1 for identical strings (two empty strings included). */
  similarity: number;
}

/**
 * Compares two strings.
 * @throws {ConclaveError} `E_METRIC` for an unknown metric, `E_SIMILARITY` for hamming on strings of
 * different lengths, `E_ARGUMENT` for non-string arguments.
 * @example similarity("kitten", "sitting") // { distance: 3, similarity: 0.5714285714285714 }
 */
export function similarity(a: string, b: string, options?: SimilarityOptions): Score;

/** Options of {@link similarityMatrix}. */
export interface SimilarityMatrixOptions extends SimilarityOptions {
  /**
   * `true`: return the matrix as one row-major `Float64Array` ({@link FlatMatrix}) instead of
   * `number[][]`. Same values; it skips building the rows, which runs on the calling thread
   * whatever the thread pool (for a cheap metric such as cosine, a large part of the call).
   * Default `false`.
   */
  flat?: boolean;
  /**
   * With `flat: true`: a `Float64Array` of `texts.length ** 2` elements to write the matrix into
   * (returned as `values`), instead of a new array each call. A new 32 MB array (2,000 texts) costs
   * the calling thread about 15 ms of page faults in Node; an array used again does not. Written
   * only when the call succeeds.
   */
  into?: Float64Array;
}

/** An all-pairs similarity matrix, flat: what `similarityMatrix(texts, {flat: true})` returns. */
export interface FlatMatrix {
  /** The number of texts: the matrix is `n x n`. */
  n: number;
  /**
   * Row-major, `n * n` values: `values[i * n + j]` is the similarity of `texts[i]` and `texts[j]`
   * (the same number as `similarityMatrix(texts)[i][j]`); row `i` is
   * `values.subarray(i * n, (i + 1) * n)`. A copy owned by the caller (the `into` array when
   * one was given).
   */
  values: Float64Array;
}

/**
 * All-pairs similarity: `matrix[i][j]` is the similarity of `texts[i]` and `texts[j]` (symmetric,
 * unit diagonal), as `conclave similarity --matrix` prints it. Runs on the thread pool when started.
 * With `{flat: true}` the same values come back as one row-major `Float64Array` ({@link FlatMatrix}).
 * @throws {ConclaveError} as {@link similarity}; `E_SIMILARITY` names the items for hamming;
 * `E_OPTIONS` when `flat` is not a boolean, or `into` is given without `flat: true` or is not a
 * `Float64Array` of `texts.length ** 2` elements.
 * @example similarityMatrix(["a b", "a c"], { metric: "jaccard" }) // [[1, 0.3333333333333333], [0.3333333333333333, 1]]
 * @example similarityMatrix(["a b", "a c"], { metric: "jaccard", flat: true }) // { n: 2, values: Float64Array [1, 0.333.., 0.333.., 1] }
 */
export function similarityMatrix(texts: string[], options: SimilarityMatrixOptions & { flat: true }): FlatMatrix;
/** All-pairs similarity as `number[][]` rows (see the overload above for `flat: true`). */
export function similarityMatrix(texts: string[], options?: SimilarityMatrixOptions & { flat?: false }): number[][];
/** All-pairs similarity; `flat` known only at run time: rows or a {@link FlatMatrix}. */
export function similarityMatrix(texts: string[], options?: SimilarityMatrixOptions): number[][] | FlatMatrix;


// ---- consensus ------------------------------------------------------------------------------------

/** One expert's answer, as in `conclave consensus`' input. */
export interface ResponseInput {
  expert: string;
  content: string;
  /** In [0, 1]. */
  confidence: number;
  recommendations?: string[] | null;
  limitations?: string[] | null;
  /** An integer. */
  timestamp?: number | null;
  metadata?: Record<string, unknown> | null;
}

/**
 * Responses: an array of response objects, or JSON text (a JSON array or JSON Lines) as the CLI
 * reads it (errors in text carry `line`/`column`).
 */
export type Responses = ResponseInput[] | string;

export interface ConsensusOptions {
  /** The text metric comparing responses. Default `"cosine"`. */
  metric?: Metric;
  /** Two responses are neighbours when their similarity is at least this (0 to 1). Default 0.7. */
  threshold?: number;
  /** Include the all-pairs similarity `matrix`. Default false. */
  matrix?: boolean;
}

/** A phrase several experts used. */
export interface Theme {
  phrase: string;
  /** Distinct experts using it. */
  support: number;
  weight: number;
  experts: string[];
}

/** A recommendation or limitation, deduplicated. */
export interface Statement {
  text: string;
  support: number;
  experts: string[];
}

/** A cluster other than the consensus cluster. */
export interface Dissent {
  cluster: number[];
  representative: number;
  experts: string[];
  content: string;
}

/** The result of `conclave consensus --format json`. Indices are 0-based positions in the input. */
export interface ConsensusResult {
  consensus: { index: number; expert: string; content: string };
  score: number;
  confidence: number;
  level: "high" | "medium" | "low";
  share: number;
  metric: string;
  threshold: number;
  clusters: number[][];
  dissent: Dissent[];
  outliers: number[];
  themes: Theme[];
  common_recommendations: Statement[];
  unique_limitations: Statement[];
  insights: string[];
  /** Only with `matrix: true`. */
  matrix?: number[][];
}

/**
 * What a panel of experts agrees on: the confidence-weighted medoid answer, clusters at the
 * threshold, dissent, outliers, themes, shared recommendations and limitations, as `conclave
 * consensus --format json` prints it. The similarity matrix runs on the thread pool when started.
 * @throws {ConclaveError} `E_CONSENSUS` for malformed responses (record index and field in the
 * message; `line`/`column` for JSON text), no responses, or a threshold outside [0, 1];
 * `E_METRIC` for an unknown metric; `E_ARGUMENT` when `responses` is neither an array nor a string.
 * @example consensus([{ expert: "a", content: "Use a bigger pool", confidence: 0.9 },
 *   { expert: "b", content: "use a bigger pool", confidence: 0.8 }]).consensus.index // 0
 */
export function consensus(responses: Responses, options?: ConsensusOptions): ConsensusResult;

export interface VoteOptions {
  /** The answer is capture group 1 of the last match of this regex (default: the whole content). */
  extract?: string;
  /** Weigh each vote by the response's confidence. Default false. */
  weighted?: boolean;
}

/** One answer's votes. */
export interface Ballot {
  answer: string;
  count: number;
  weight: number;
  experts: string[];
  indices: number[];
}

/** The result of `conclave vote --format json`. */
export interface VoteResult {
  /** `null` when every response abstained. */
  winner: string | null;
  votes: Ballot[];
  share: number;
  abstained: number[];
  weighted: boolean;
}

/**
 * Self-consistency majority vote over the responses' (extracted, normalized) answers, as `conclave
 * vote --format json` prints it.
 * @throws {ConclaveError} `E_CONSENSUS` for malformed responses, `E_PATTERN` for an invalid `extract`.
 * @example vote(samples, { extract: "answer is\\s+([-+0-9.]+)" }).winner // "24"
 */
export function vote(responses: Responses, options?: VoteOptions): VoteResult;

// ---- pattern --------------------------------------------------------------------------------------

export interface SeriesOptions {
  /** Report autocorrelation lags 0..=maxLag (clipped to n - 1). Default as the CLI's `--max-lag`. */
  maxLag?: number;
  /** Report this many dominant frequencies. Default as the CLI's `--top`. */
  top?: number;
  /** The `id` of the result. Default `"values"` (the CLI's id of a JSON array). */
  id?: string;
  /** Leave out values that are not finite instead of throwing (counted in `skipped`). */
  skipInvalid?: boolean;
}

/** Features of one series, as one line of `conclave pattern --format json` (docs/pattern.md). `null` where undefined. */
export interface SeriesFeatures {
  id: string;
  skipped: number;
  n: number;
  mean: number | null;
  std: number | null;
  population_std: number | null;
  min: number | null;
  max: number | null;
  percentiles: { p5: number | null; p25: number | null; p50: number | null; p75: number | null; p95: number | null; p99: number | null };
  skewness: number | null;
  kurtosis: number | null;
  mad: number | null;
  slope: number | null;
  intercept: number | null;
  r2: number | null;
  roughness: number | null;
  spectrum: {
    dominant: { frequency: number; period: number; power: number }[];
    centroid: number | null;
    entropy: number | null;
  };
  autocorrelation: number[] | null;
  period: { lag: number; strength: number } | null;
  anomalies: number[];
  change_points: number[];
  complexity: number | null;
  uniqueness: number | null;
}

/**
 * Features of a numeric series: statistics, percentiles, trend, spectrum, autocorrelation, period,
 * anomalies, change points, complexity.
 * @throws {ConclaveError} `E_SERIES` for a value that is not a finite number (unless `skipInvalid`),
 * `E_OPTIONS` for a negative or fractional `maxLag`/`top`.
 * @example seriesFeatures(new Float64Array([1, 2, 3, 4])).slope // 1
 */
export function seriesFeatures(values: Float64Array | number[], options?: SeriesOptions): SeriesFeatures;

// ---- crypto ---------------------------------------------------------------------------------------

/** Bytes, or a string taken as its UTF-8 bytes. */
export type BytesLike = Uint8Array | string;

/**
 * SHA-256.
 * @throws {ConclaveError} `E_ARGUMENT` for input that is neither bytes nor a string.
 * @example sha256("abc") // Uint8Array(32) ba7816bf...
 */
export function sha256(bytes: BytesLike | ArrayBufferView | ArrayBuffer): Uint8Array;

/**
 * HMAC-SHA256 of `bytes` under `key` (any length).
 * @throws {ConclaveError} `E_ARGUMENT` for input that is neither bytes nor a string.
 * @example hmacSha256(key, "message") // Uint8Array(32)
 */
export function hmacSha256(key: BytesLike, bytes: BytesLike | ArrayBufferView | ArrayBuffer): Uint8Array;

/** Argon2 costs; defaults are OWASP's (19456 KiB, 2 passes, 1 lane). */
export interface ArgonOptions {
  memoryKib?: number;
  passes?: number;
  lanes?: number;
  /** Allow parameters above the limits (1 GiB, 64 passes, 64 lanes). */
  force?: boolean;
}

/**
 * Hashes a password with Argon2id v19 and a random salt (`crypto.getRandomValues`): a PHC string
 * that `conclave crypto verify-password` accepts.
 * @throws {ConclaveError} `E_PARAMS` for invalid or too costly parameters.
 * @example hashPassword("hunter2") // "$argon2id$v=19$m=19456,t=2,p=1$..."
 */
export function hashPassword(password: BytesLike, options?: ArgonOptions): string;

/**
 * Whether `password` matches a PHC string (Argon2id/i/d, as `conclave crypto hash-password` makes).
 * @throws {ConclaveError} `E_HASH` for a malformed PHC string, `E_PARAMS` when its parameters exceed
 * the limits (pass `{force: true}`).
 * @example verifyPassword("hunter2", phc) // true
 */
export function verifyPassword(password: BytesLike, phc: string, options?: { force?: boolean }): boolean;

/** The secret of an envelope: a 256-bit key (32 bytes or 64 hex digits), or a passphrase. */
export type EnvelopeSecret =
  | { key: Uint8Array | string; passphrase?: undefined }
  | { passphrase: BytesLike; key?: undefined };

export type EncryptOptions = EnvelopeSecret &
  ArgonOptions & {
    /** Associated data: authenticated, not stored; decrypt needs the same. Default empty. */
    aad?: BytesLike;
    /** Plaintext bytes per chunk as a power of two, 10 to 24. Default 16. */
    chunkLog2?: number;
  };

export type DecryptOptions = EnvelopeSecret & {
  aad?: BytesLike;
  /** Allow a passphrase envelope's Argon2 parameters above the limits. */
  force?: boolean;
};

/**
 * Seals bytes into the AES-256-GCM envelope of `conclave crypto encrypt` (docs/crypto.md), with a
 * random nonce (and salt for a passphrase): `conclave crypto decrypt` opens it, and the reverse.
 * @throws {ConclaveError} `E_KEY` for a key that is not 32 bytes, `E_OPTIONS` without exactly one of
 * `key`/`passphrase`, `E_PARAMS` for bad Argon2 parameters or `chunkLog2`.
 * @example const sealed = encrypt(data, { passphrase: "correct horse", aad: "v1" })
 */
export function encrypt(bytes: BytesLike, options: EncryptOptions): Uint8Array;

/**
 * Opens an envelope; returns the plaintext only if every chunk is authentic and nothing is missing.
 * @throws {ConclaveError} `E_WRONG_KEY`, `E_TAMPERED` (also for another `aad`), `E_ENVELOPE`,
 * `E_KEY_MODE`, `E_KEY`.
 * @example decrypt(sealed, { passphrase: "correct horse", aad: "v1" })
 */
export function decrypt(bytes: Uint8Array, options: DecryptOptions): Uint8Array;

// ---- logs -----------------------------------------------------------------------------------------

export interface LogOptions {
  /** Count lines matching each regex, reported under its name: `{timeouts: "timeout after \\d+"}`. */
  patterns?: Record<string, string> | [string, string][];
  /** Mine Drain-style templates. Default false. */
  templates?: boolean;
  /** The year for formats that print none (BSD syslog, Android, Proxifier). Default 2000. */
  year?: number;
  /** The input's name in `inputs`. Default `"input"`. */
  name?: string;
}

/** The report of `conclave logs --format json` for one input. */
export interface LogReport {
  /** Number of inputs read (1 here). */
  files: number;
  bytes: number;
  lines: number;
  levels: { FATAL: number; ERROR: number; WARN: number; INFO: number; DEBUG: number; TRACE: number; UNKNOWN: number };
  /** Lines per detected format (non-zero only). */
  formats: Record<string, number>;
  /** Earliest and latest timestamp, `YYYY-MM-DDTHH:MM:SSZ`. */
  first: string | null;
  last: string | null;
  /** Lines per UTC minute `YYYY-MM-DDTHH:MM`. */
  per_minute: Record<string, number>;
  patterns: Record<string, number>;
  /** Only with `templates: true`. */
  templates?: { template: string; count: number; first_line: number }[];
  /** Each input with its detected format. */
  inputs: { name: string; format: string; bytes: number; lines: number }[];
}

/**
 * Analyses a whole log in memory: levels, formats, time range, per-minute histogram, pattern counts
 * and templates. Runs on the thread pool when started.
 * @throws {ConclaveError} `E_PATTERN` for a regex that does not compile, `E_OPTIONS` for bad options.
 * @example analyzeLogs(text, { patterns: { timeouts: "timeout" } }).levels.ERROR
 */
export function analyzeLogs(input: BytesLike, options?: LogOptions): LogReport;

/**
 * A log analysed as it arrives: `push` any cuts of the input, then `finish()` for the report, the
 * same as `analyzeLogs` of the whole input. The format is detected from the first 64 KiB.
 * @throws {ConclaveError} `E_PATTERN` (constructor), `E_FINISHED` when used after `finish()`.
 * @example const a = new LogAnalyzer({ templates: true }); a.push(chunk1); a.push(chunk2); a.finish()
 */
export class LogAnalyzer {
  constructor(options?: LogOptions);
  /** Adds the next bytes (or UTF-8 text) of the input. */
  push(chunk: BytesLike): void;
  /** The report of everything pushed; the analyser is unusable afterwards. */
  finish(): LogReport;
}

/** Options of the config functions. */
export interface ConfigOptions {
  /** `yaml`, `json` or `toml`; detected from the content when absent (`from` is a synonym). */
  format?: "yaml" | "json" | "toml";
  from?: "yaml" | "json" | "toml";
  /** `convertConfig`'s target (default `json`). */
  to?: "yaml" | "json" | "toml";
  /** The `file` named in `checkConfig`'s findings (default `input`). */
  name?: string;
  /** Limits, as the CLI's `--max-bytes`, `--max-depth`, `--max-alias-nodes`. */
  maxBytes?: number;
  maxDepth?: number;
  maxAliasNodes?: number;
}

/** One located value of a parsed configuration. */
export interface ConfigValue {
  document: number;
  path: string;
  kind: string;
  /**
   * The scalar (or `{}`/`[]` for an empty collection). Integers past ±(2^53 - 1) are exact
   * `bigint`s; NaN and infinities are the strings `"NaN"`, `"inf"`, `"-inf"`.
   */
  value: string | number | bigint | boolean | null | Record<string, never> | never[];
  line: number;
  column: number;
}

/** A parsed configuration: the CLI's outline plus each document as a plain value. */
export interface ParsedConfig {
  format: "yaml" | "json" | "toml";
  documents: number;
  values: ConfigValue[];
  /** Each document as plain JSON values (object keys sorted); integers past ±(2^53 - 1) as `bigint`. */
  data: unknown[];
}

/** One lint finding of `checkConfig`. */
export interface ConfigFinding {
  file: string;
  line: number;
  column: number;
  severity: "error" | "warning";
  rule: string;
  message: string;
}

/**
 * Parses YAML 1.2, JSON or TOML 1.0 into conclave's value tree. Integers that a JS number cannot
 * hold exactly (past ±(2^53 - 1), up to the 64-bit range) come back as exact `bigint`s.
 * @throws {ConclaveError} `E_CONFIG` with `line`/`column` for a syntax error, a limit, or a NaN or
 * infinity in `data` (no JSON form).
 * @example parseConfig("a: 1").data[0] // {a: 1}
 */
export function parseConfig(text: string, options?: ConfigOptions): ParsedConfig;

/**
 * Converts a configuration between YAML, JSON and TOML (`to`, default `json`: canonical JSON,
 * one line per YAML document).
 * @throws {ConclaveError} `E_CONFIG` with `line`/`column`; `E_OPTIONS` for an unknown format.
 * @example convertConfig("a: 1", { to: "toml" }) // "a = 1\n"
 */
export function convertConfig(text: string, options?: ConfigOptions): string;

/**
 * Lints a configuration: duplicate keys, plaintext secrets, YAML 1.1 surprises, service port
 * collisions and out-of-range values.
 * @throws {ConclaveError} `E_CONFIG` with `line`/`column` when the text does not parse.
 * @example checkConfig("password: hunter2")[0].rule // "plaintext-secret"
 */
export function checkConfig(text: string, options?: ConfigOptions): ConfigFinding[];
