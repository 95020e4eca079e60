// Types of conclave-wasm (the same for the node and browser entries).

/**
 * Error codes: `E_METRIC` unknown metric, `E_SIMILARITY` inputs a metric cannot compare (hamming on
 * different lengths), `E_OPTIONS` a malformed options object, `E_ARGUMENT` an argument of the wrong
 * type, `E_OUTPUT` a result that could not be converted, `E_NOT_INITIALIZED` a call before `init()`,
 * `E_LOAD` the module did not load, `E_NO_THREADS` threads unavailable here, `E_THREAD_POOL` the pool
 * could not start (or was started differently already), `E_PANIC` the module aborted (a bug).
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

/**
 * All-pairs similarity: `matrix[i][j]` is the similarity of `texts[i]` and `texts[j]` (symmetric,
 * unit diagonal), as `conclave similarity --matrix` prints it. Runs on the thread pool when started.
 * @throws {ConclaveError} as {@link similarity}; `E_SIMILARITY` names the items for hamming.
 */
export function similarityMatrix(texts: string[], options?: SimilarityOptions): number[][];
