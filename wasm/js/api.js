// The host-independent half of conclave-wasm: the ConclaveError class, the state of the loaded
// module (single-threaded or threaded), `init`'s logic, and one thin wrapper per kernel that turns
// the Rust errors (plain `Error`s named "ConclaveError" with a `code`, and `line`/`column` where they
// apply) into ConclaveError instances. node.js and browser.js supply the host: how to detect threads,
// load the wasm bytes and count cores.
//
// Adding a kernel: `export function fooBar(x, options) { return call("fooBar", x, options); }` below,
// its types and JSDoc in index.d.ts, and its name in the export lists of node.js and browser.js.

/** An error from conclave: `code` says what failed; `line`/`column` (1-based) locate it in the input. */
export class ConclaveError extends Error {
  constructor(message, { code = "E_UNKNOWN", line, column, cause } = {}) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = "ConclaveError";
    this.code = code;
    if (line !== undefined) this.line = line;
    if (column !== undefined) this.column = column;
  }
}

let glue = null; // the wasm-bindgen module in use
const state = { threaded: false, threads: 1, reason: "not initialized", pool: null, poolSize: 0, used: false };
let initializing = null;

function fail(code, message) {
  throw new ConclaveError(message, { code });
}

function toConclaveError(e) {
  if (e instanceof ConclaveError) return e;
  if (e instanceof Error && e.name === "ConclaveError") {
    return new ConclaveError(e.message, { code: e.code, line: e.line, column: e.column });
  }
  if (typeof WebAssembly !== "undefined" && e instanceof WebAssembly.RuntimeError) {
    return new ConclaveError(`conclave-wasm aborted: ${e.message}`, { code: "E_PANIC", cause: e });
  }
  return e;
}

/** Calls the glue's export `name`, rethrowing its errors as ConclaveErrors. */
function call(name, ...args) {
  if (glue === null) fail("E_NOT_INITIALIZED", "conclave-wasm is not initialized: `await init()` first");
  state.used = true;
  try {
    return glue[name](...args);
  } catch (e) {
    throw toConclaveError(e);
  }
}

function checkString(value, what) {
  if (typeof value !== "string") fail("E_ARGUMENT", `${what} must be a string, got ${typeof value}`);
}

function checkStrings(value, what) {
  if (!Array.isArray(value)) fail("E_ARGUMENT", `${what} must be an array of strings`);
  for (let i = 0; i < value.length; i++) {
    if (typeof value[i] !== "string") fail("E_ARGUMENT", `${what}[${i}] must be a string, got ${typeof value[i]}`);
  }
}

function checkOptions(value) {
  if (value !== undefined && value !== null && (typeof value !== "object" || Array.isArray(value))) {
    fail("E_OPTIONS", "options must be an object");
  }
}

/**
 * Builds `init` for a host: { threadSupport() -> reason string or null when threads work,
 * load(variant: "st" | "mt") -> Promise<glue> (instantiated), defaultThreads() -> number }.
 */
export function makeInit(host) {
  return function init(options = {}) {
    const want = options?.threads;
    try {
      checkOptions(options);
      if (!(want === undefined || want === false || want === true || (Number.isInteger(want) && want >= 1))) {
        fail("E_OPTIONS", "options.threads must be false, true or a whole number >= 1");
      }
    } catch (e) {
      return Promise.reject(e);
    }
    if (initializing) return initializing;
    initializing = (async () => {
      let variant = "st";
      let reason = "single-threaded build requested (threads: false)";
      if (want !== false) {
        const missing = await host.threadSupport();
        if (missing === null) {
          variant = "mt";
          reason = "threads available";
        } else {
          reason = missing;
        }
      }
      let loadError = null;
      try {
        glue = await host.load(variant);
      } catch (e) {
        loadError = e;
        if (variant === "mt") {
          // A host that passed detection but cannot run the threaded build still gets conclave.
          try {
            glue = await host.load("st");
            variant = "st";
            reason = `the threaded build did not load: ${e?.message ?? e}`;
          } catch {
            // reported below with the threaded build's error
          }
        }
      }
      if (glue === null) {
        initializing = null;
        throw new ConclaveError(`conclave-wasm failed to load: ${loadError?.message ?? loadError}`, {
          code: "E_LOAD",
          cause: loadError,
        });
      }
      state.threaded = variant === "mt";
      state.reason = reason;
      state.defaultThreads = state.threaded ? host.defaultThreads() : 1;
      if (state.threaded && want !== undefined) {
        await initThreadPool(want === true ? state.defaultThreads : want);
      }
      return info();
    })();
    return initializing;
  };
}

/** What is loaded: `{threaded, threads, reason}`; `threads` is the pool size (1 without a pool). */
export function info() {
  return { threaded: state.threaded, threads: state.poolSize || 1, reason: state.reason };
}

/**
 * Starts `n` worker threads for the batch kernels (threaded build only). Call once, after `init()`
 * and before the first kernel call; a second call with the same `n` returns the same promise.
 */
export function initThreadPool(n) {
  if (glue === null) {
    return Promise.reject(new ConclaveError("conclave-wasm is not initialized: `await init()` first", { code: "E_NOT_INITIALIZED" }));
  }
  if (!state.threaded) {
    return Promise.reject(new ConclaveError(`threads are not available: ${state.reason}`, { code: "E_NO_THREADS" }));
  }
  const size = n === undefined ? state.defaultThreads : n;
  if (!Number.isInteger(size) || size < 1) {
    return Promise.reject(new ConclaveError("the thread count must be a whole number >= 1", { code: "E_ARGUMENT" }));
  }
  if (state.pool) {
    if (size === state.poolSize) return state.pool;
    return Promise.reject(
      new ConclaveError(`the thread pool already runs ${state.poolSize} threads`, { code: "E_THREAD_POOL" }),
    );
  }
  if (state.used) {
    // rayon fixed its global pool to the calling thread at the first kernel call.
    return Promise.reject(
      new ConclaveError("initThreadPool must be called before the first kernel call", { code: "E_THREAD_POOL" }),
    );
  }
  state.poolSize = size;
  state.pool = Promise.resolve()
    .then(() => glue.initThreadPool(size))
    .catch((e) => {
      throw new ConclaveError(`the thread pool did not start: ${e?.message ?? e}`, { code: "E_THREAD_POOL", cause: e });
    });
  return state.pool;
}

// ---- kernels --------------------------------------------------------------------------------------

/** `similarity(a, b, {metric})` -> `{distance?, similarity}`. */
export function similarity(a, b, options) {
  checkString(a, "a");
  checkString(b, "b");
  checkOptions(options);
  return call("similarity", a, b, options);
}

/**
 * `similarityMatrix(texts, {metric})` -> `number[][]`; with `flat: true`, `{n, values}`: the
 * Float64Array the module returns, row-major, without the rows; with `into` too, that array is
 * the caller's, written in place.
 */
export function similarityMatrix(texts, options) {
  checkStrings(texts, "texts");
  checkOptions(options);
  const wantFlat = options?.flat;
  if (wantFlat !== undefined && typeof wantFlat !== "boolean") {
    fail("E_OPTIONS", `options.flat must be true or false, got ${typeof wantFlat}`);
  }
  const n = texts.length;
  // The texts as one string and their lengths: one conversion into the module instead of one per
  // text (see wasm/src/lib.rs similarity_matrix).
  const lengths = new Uint32Array(n);
  for (let i = 0; i < n; i++) lengths[i] = texts[i].length;
  const joined = encoder.encode(texts.join("\0")); // UTF-8 bytes: see wasm/src/lib.rs
  const into = options?.into;
  if (into !== undefined) {
    if (wantFlat !== true) fail("E_OPTIONS", "options.into needs flat: true");
    if (!(into instanceof Float64Array) || into.length !== n * n) {
      fail("E_OPTIONS", `options.into must be a Float64Array of texts.length squared (${n * n}) elements`);
    }
    const { into: _, ...rest } = options; // the module reads only the metric
    call("similarityMatrixInto", joined, lengths, rest, into);
    return { n, values: into };
  }
  const flat = call("similarityMatrix", joined, lengths, options); // row-major Float64Array
  // Flat: the rows below are built on the calling thread whatever the pool (a 2,000-text cosine
  // matrix: 33 ms of rows after a 60 ms call on 1 thread), serial time a caller who reads
  // values[i * n + j] need not pay.
  if (wantFlat === true) return { n, values: flat };
  // Rows made at their size and filled by index: this runs on the calling thread whatever the
  // pool, and pushing one number at a time took 1.6-2.6x as long (400 rows: 1.28 ms against
  // 0.80 ms; 2,000 rows: 66 ms against 26 ms; Node 20). Array.from on a subarray was slower still.
  const rows = new Array(n);
  for (let i = 0; i < n; i++) {
    const row = new Array(n);
    const base = i * n;
    for (let k = 0; k < n; k++) row[k] = flat[base + k];
    rows[i] = row;
  }
  return rows;
}

function checkResponses(value) {
  if (typeof value === "string") return value;
  if (!Array.isArray(value)) fail("E_ARGUMENT", "responses must be an array of response objects or JSON text");
  try {
    return JSON.stringify(value);
  } catch (e) {
    fail("E_ARGUMENT", `responses cannot be converted to JSON: ${e?.message ?? e}`);
  }
}

const encoder = new TextEncoder();

/** A Uint8Array view of `value` (a string is UTF-8 encoded when `text` is allowed). */
function bytes(value, what, text = true) {
  if (value instanceof Uint8Array) return value;
  if (text && typeof value === "string") return encoder.encode(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  fail("E_ARGUMENT", `${what} must be a Uint8Array${text ? " or a string" : ""}`);
}

function randomBytes(n) {
  const c = globalThis.crypto;
  if (!c || typeof c.getRandomValues !== "function") fail("E_NO_RANDOM", "crypto.getRandomValues is not available");
  return c.getRandomValues(new Uint8Array(n));
}

/** `{key}` (32 bytes, or 64 hex digits) or `{passphrase}` -> [secret bytes, isPassphrase]. */
function secret(options) {
  checkOptions(options);
  const key = options?.key;
  const passphrase = options?.passphrase;
  if ((key === undefined) === (passphrase === undefined)) {
    fail("E_OPTIONS", "options must have exactly one of `key` and `passphrase`");
  }
  if (passphrase !== undefined) return [bytes(passphrase, "options.passphrase"), true];
  if (typeof key === "string") {
    const hex = key.trim();
    if (!/^[0-9a-fA-F]{64}$/.test(hex)) fail("E_KEY", "a key string must be 64 hex digits");
    const out = new Uint8Array(32);
    for (let i = 0; i < 32; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
    return [out, false];
  }
  return [bytes(key, "options.key", false), false];
}

/** The options without the secrets and aad (those go to Rust as bytes). */
function costOptions(options) {
  if (options === undefined || options === null) return undefined;
  const { key, passphrase, aad, ...rest } = options;
  return rest;
}

/** `consensus(responses, {metric, threshold, matrix})` -> the `conclave consensus --format json` object. */
export function consensus(responses, options) {
  const json = checkResponses(responses);
  checkOptions(options);
  const text = call("consensus", json, options); // the CLI's JSON text (cheaper than objects built in Rust)
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ConclaveError(`consensus produced an unreadable result: ${e?.message ?? e}`, { code: "E_OUTPUT", cause: e });
  }
}

/** `vote(responses, {extract, weighted})` -> the `conclave vote --format json` object. */
export function vote(responses, options) {
  const json = checkResponses(responses);
  checkOptions(options);
  return call("vote", json, options);
}

/** `seriesFeatures(values, {maxLag, top, id, skipInvalid})` -> one `conclave pattern --format json` line. */
export function seriesFeatures(values, options) {
  let series = values;
  if (!(series instanceof Float64Array)) {
    if (!Array.isArray(series) && !ArrayBuffer.isView(series)) fail("E_ARGUMENT", "values must be a Float64Array or an array of numbers");
    series = Float64Array.from(series, (v) => (typeof v === "number" ? v : NaN));
  }
  checkOptions(options);
  return call("seriesFeatures", series, options);
}

/** `sha256(bytes)` -> Uint8Array(32). */
export function sha256(data) {
  return call("sha256", bytes(data, "bytes"));
}

/** `hmacSha256(key, bytes)` -> Uint8Array(32). */
export function hmacSha256(key, data) {
  return call("hmacSha256", bytes(key, "key"), bytes(data, "bytes"));
}

/** `hashPassword(pw, {memoryKib, passes, lanes, force})` -> an Argon2id PHC string. */
export function hashPassword(password, options) {
  const pw = bytes(password, "password");
  checkOptions(options);
  return call("hashPassword", pw, randomBytes(16), options);
}

/** `verifyPassword(pw, phc, {force})` -> boolean. */
export function verifyPassword(password, phc, options) {
  const pw = bytes(password, "password");
  checkString(phc, "phc");
  checkOptions(options);
  return call("verifyPassword", pw, phc, options);
}

/** `encrypt(bytes, {key | passphrase, aad, chunkLog2, memoryKib, passes, lanes, force})` -> envelope. */
export function encrypt(data, options) {
  const plain = bytes(data, "bytes");
  const [s, isPassphrase] = secret(options);
  const aad = bytes(options.aad ?? "", "options.aad");
  return call("encrypt", plain, s, isPassphrase, aad, randomBytes(12), randomBytes(16), costOptions(options));
}

/** `decrypt(envelope, {key | passphrase, aad, force})` -> plaintext Uint8Array. */
export function decrypt(data, options) {
  const sealed = bytes(data, "bytes", false);
  const [s, isPassphrase] = secret(options);
  const aad = bytes(options.aad ?? "", "options.aad");
  return call("decrypt", sealed, s, isPassphrase, aad, costOptions(options));
}

/** `{name: regex}` or `[[name, regex], ...]` -> pairs, for the Rust options. */
function logOptions(options) {
  checkOptions(options);
  if (options === undefined || options === null) return undefined;
  const out = { ...options };
  const p = options.patterns;
  if (p !== undefined && p !== null) {
    const pairs = Array.isArray(p) ? p : typeof p === "object" ? Object.entries(p) : fail("E_OPTIONS", "options.patterns must be an object {name: regex}");
    for (const pair of pairs) {
      if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== "string" || typeof pair[1] !== "string") {
        fail("E_OPTIONS", "options.patterns must map names to regex strings");
      }
    }
    out.patterns = pairs;
  } else {
    delete out.patterns;
  }
  return out;
}

/** `analyzeLogs(textOrBytes, {patterns, templates, year, name})` -> the `conclave logs --format json` report. */
export function analyzeLogs(input, options) {
  const data = bytes(input, "input");
  return call("analyzeLogs", data, logOptions(options));
}

/** Streaming log analysis: `push(textOrBytes)` any cut of the input, then `finish()` -> the report. */
export class LogAnalyzer {
  #inner;
  constructor(options) {
    const opts = logOptions(options);
    if (glue === null) fail("E_NOT_INITIALIZED", "conclave-wasm is not initialized: `await init()` first");
    try {
      this.#inner = new glue.LogAnalyzer(opts);
    } catch (e) {
      throw toConclaveError(e);
    }
  }

  #open() {
    if (this.#inner === null) fail("E_FINISHED", "finish() was called already");
    return this.#inner;
  }

  push(chunk) {
    const inner = this.#open();
    const data = bytes(chunk, "chunk");
    try {
      inner.push(data);
    } catch (e) {
      throw toConclaveError(e);
    }
  }

  finish() {
    const inner = this.#open();
    this.#inner = null;
    try {
      return inner.finish();
    } catch (e) {
      throw toConclaveError(e);
    } finally {
      inner.free();
    }
  }
}

/**
 * `parseConfig(text, {format})` -> `{format, documents, values, data}` (`conclave config FILE
 * --format json` + `data`). Rust writes the whole result as one JSON text (far cheaper than
 * building each object across the boundary); integers past ±(2^53 - 1) come as digit strings
 * listed by path under `wide`, and become exact BigInts here.
 */
export function parseConfig(text, options) {
  checkString(text, "text");
  checkOptions(options);
  const json = call("parseConfig", text, options);
  let result;
  try {
    result = JSON.parse(json);
    if (result.wide !== undefined) {
      const wide = result.wide;
      delete result.wide;
      for (const path of wide) setBigInt(result, path);
    }
  } catch (e) {
    throw new ConclaveError(`parseConfig produced an unreadable result: ${e?.message ?? e}`, { code: "E_OUTPUT", cause: e });
  }
  return result;
}

/** Replaces the digit string at `path` (keys and indices from `root`) by its BigInt. */
function setBigInt(root, path) {
  let at = root;
  for (let i = 0; i + 1 < path.length; i++) at = ownValue(at, path[i]);
  const key = path[path.length - 1];
  // defineProperty, not assignment: a key named "__proto__" is an own property after JSON.parse.
  Object.defineProperty(at, key, { value: BigInt(ownValue(at, key)), writable: true, enumerable: true, configurable: true });
}

function ownValue(object, key) {
  return Object.getOwnPropertyDescriptor(object, key).value;
}

/** `convertConfig(text, {from, to})` -> the text `conclave config FILE --to TO` prints. */
export function convertConfig(text, options) {
  checkString(text, "text");
  checkOptions(options);
  return call("convertConfig", text, options);
}

/** `checkConfig(text, {format, name})` -> the findings of `conclave config check --format json`. */
export function checkConfig(text, options) {
  checkString(text, "text");
  checkOptions(options);
  return call("checkConfig", text, options);
}
