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

/** `similarityMatrix(texts, {metric})` -> `number[][]`. */
export function similarityMatrix(texts, options) {
  checkStrings(texts, "texts");
  checkOptions(options);
  return call("similarityMatrix", texts, options);
}
