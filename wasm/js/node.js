// conclave-wasm in Node: the `web`-target glue, instantiated from the bytes read from disk (Node's
// fetch cannot read file: URLs). Threads: the threaded build with workers from the npm `web-worker`
// package over worker_threads, handed to the worker helper under a symbol (no global is replaced).

import { readFile } from "node:fs/promises";
import os from "node:os";
import { makeInit } from "./api.js";
import { wasmThreadsMissing } from "./detect.js";

const WORKER = Symbol.for("conclave-wasm.Worker");

const host = {
  async threadSupport() {
    const missing = wasmThreadsMissing();
    if (missing !== null) return missing;
    try {
      globalThis[WORKER] ??= (await import("web-worker")).default;
    } catch (e) {
      return `the web-worker package did not load: ${e?.message ?? e}`;
    }
    return null;
  },
  async load(variant) {
    const glue = await import(variant === "mt" ? "./mt/conclave_wasm.js" : "./st/conclave_wasm.js");
    const bytes = await readFile(new URL(`./${variant}/conclave_wasm_bg.wasm`, import.meta.url));
    await glue.default({ module_or_path: bytes });
    return glue;
  },
  defaultThreads() {
    return typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
  },
};

/**
 * Loads the module: the threaded build when this Node runs WebAssembly threads (unless
 * `threads: false`), else the single-threaded one. `threads: n` (or `true` = all cores) also starts
 * the thread pool. Resolves to `info()`.
 */
export const init = makeInit(host);
export default init;
export * from "./public.js";
