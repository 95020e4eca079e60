// WebAssembly threads feature detection shared by the host loaders: shared memory can be made and
// a module using atomics on it validates (the module of wasm-feature-detect's `threads` check).

const THREADS_MODULE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 5, 4, 1, 3, 1, 1, 10, 11, 1, 9, 0, 65, 0,
  254, 16, 2, 0, 26, 11,
]);

/** null when this engine runs shared-memory WebAssembly, else the reason it does not. */
export function wasmThreadsMissing() {
  if (typeof WebAssembly !== "object") return "no WebAssembly";
  if (typeof SharedArrayBuffer !== "function") return "no SharedArrayBuffer";
  try {
    new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
  } catch {
    return "no shared WebAssembly.Memory";
  }
  if (!WebAssembly.validate(THREADS_MODULE)) return "no WebAssembly atomics";
  return null;
}
