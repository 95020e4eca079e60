// conclave-wasm in browsers (and bundlers): the `web`-target glue fetches its .wasm beside it. Threads
// need a cross-origin isolated page (served with `Cross-Origin-Opener-Policy: same-origin` and
// `Cross-Origin-Embedder-Policy: require-corp`), module Workers and shared WebAssembly memory.

import { makeInit } from "./api.js";
import { wasmThreadsMissing } from "./detect.js";

const host = {
  async threadSupport() {
    if (globalThis.crossOriginIsolated !== true) {
      return "the page is not cross-origin isolated (serve it with COOP: same-origin and COEP: require-corp)";
    }
    if (typeof Worker !== "function") return "no Worker";
    return wasmThreadsMissing();
  },
  async load(variant) {
    const glue =
      variant === "mt" ? await import("./mt/conclave_wasm.js") : await import("./st/conclave_wasm.js");
    await glue.default();
    return glue;
  },
  defaultThreads() {
    return globalThis.navigator?.hardwareConcurrency || 1;
  },
};

/**
 * Loads the module: the threaded build when the page can run WebAssembly threads (unless
 * `threads: false`), else the single-threaded one. `threads: n` (or `true` = all cores) also starts
 * the thread pool. Resolves to `info()`.
 */
export const init = makeInit(host);
export default init;
export * from "./public.js";
