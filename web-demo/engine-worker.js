// One engine of the demo in a dedicated Worker, so the page's main thread never runs (or spins
// waiting for) a kernel: `engine-worker.js?engine=js`, `?engine=wasm1` or `?engine=wasmN&threads=N`.
//
// Messages in:  {id, op: "init"}  and  {id, op: "run", kernel, input, reps, warmup}
// Messages out: {id, ok: true, value} or {id, ok: false, error}
//   init -> {engine, threads, threaded, build, note}: what runs here; `note` says why WASM N is not
//           threaded when it is not (never silent).
//   run  -> {times: ms[], result} or {pending: reason} when the loaded WASM lacks the kernel's binding.
//
// WASM comes from the server's /pkg/: the conclave-wasm npm package (/pkg/npm/browser.js, threaded
// where the page is cross-origin isolated) when it is built, else the single-threaded `--target web`
// build (/pkg/web/). Timings are measured here, around the kernel call only.

import { byName } from "./kernels/index.js";

const params = new URL(self.location.href).searchParams;
const engine = params.get("engine") ?? "js";
const wantThreads = Math.max(1, Number(params.get("threads")) || 1);
const WARMUP_MS = 300;
const MAX_WARMUP_RUNS = 20;
let api = null;
let loading = null;

async function load() {
  if (engine === "js") {
    return { engine, threads: 1, threaded: false, build: "JavaScript (+ WebCrypto)", note: "" };
  }
  const status = await (await fetch("/pkg/status.json")).json();
  if (status.npm) {
    const mod = await import("/pkg/npm/browser.js");
    const info = await mod.init(engine === "wasm1" ? { threads: false } : { threads: wantThreads });
    api = mod;
    let note = "";
    if (engine === "wasmN" && !info.threaded) note = `single-threaded fallback: ${info.reason}`;
    return {
      engine,
      threads: info.threads,
      threaded: info.threaded,
      build: `conclave-wasm npm package, ${info.threaded ? "threaded" : "single-threaded"} build`,
      note,
    };
  }
  if (status.web) {
    const glue = await import("/pkg/web/conclave_wasm.js");
    await glue.default();
    api = glue;
    return {
      engine,
      threads: 1,
      threaded: false,
      build: "single-threaded web build (target/wasm-pkg)",
      note:
        engine === "wasmN"
          ? "single-threaded fallback: no threaded build is served (build the npm package with scripts/build-npm), so WASM N runs on 1 thread"
          : "",
    };
  }
  throw new Error("no WASM build is served: run scripts/build-wasm web (or scripts/build-npm) first");
}

async function run({ kernel: name, input, reps = 3, warmup = 1 }) {
  const kernel = byName[name];
  if (!kernel) throw new Error(`unknown kernel '${name}'`);
  const call = engine === "js" ? (x) => kernel.js(x) : (x) => kernel.wasm(api, x);
  if (engine !== "js") {
    const pending = kernel.pending?.(api) ?? null;
    if (pending) return { pending };
  }
  // Warm-up: `warmup` runs and at least WARMUP_MS, so the JIT tiers (V8's Liftoff -> TurboFan for
  // WASM, and its JS tiers) have settled before timing. Without it the first WASM engine measured
  // pays for tier-up while the next reuses V8's compiled module, which skews their comparison.
  const t0 = performance.now();
  for (let i = 0; i < MAX_WARMUP_RUNS && (i < warmup || performance.now() - t0 < WARMUP_MS); i++) await call(input);
  const times = [];
  let result;
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    result = await call(input);
    times.push(performance.now() - t0);
  }
  return { times, result };
}

self.onmessage = async ({ data }) => {
  const { id, op } = data;
  try {
    loading ??= load();
    const info = await loading;
    const value = op === "init" ? info : op === "run" ? await run(data) : null;
    if (value === null) throw new Error(`unknown op '${op}'`);
    self.postMessage({ id, ok: true, value });
  } catch (e) {
    self.postMessage({ id, ok: false, error: `${e?.code ? e.code + ": " : ""}${e?.message ?? e}` });
  }
};
