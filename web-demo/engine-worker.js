// One engine of the demo in a dedicated Worker, so the page's main thread never runs (or spins
// waiting for) a kernel: `engine-worker.js?engine=js`, `?engine=wasm1` or `?engine=wasmN&threads=N`.
//
// Messages in:  {id, op: "init"}, {id, op: "warm", kernel, key, input, warmup}, {id, op: "run", kernel, key, keep},
//               {id, op: "cross", kernel, key, other}
// Messages out: {id, ok: true, value} or {id, ok: false, error}
//   init -> {engine, threads, threaded, build, note}: what runs here; `note` says why WASM N is not
//           threaded when it is not (never silent).
//   warm -> keeps `input` under `key`, runs it untimed until the JIT settles: {runs, ms (per run)}
//   run  -> one timed run of the kept input: {ms, result (when keep)}
//   cross -> for kernels whose engines check each other's results (`kernel.cross`, e.g. AES-GCM
//           envelopes with random nonces): this engine's check of `other` (another engine's result
//           on the kept input): {ok, detail}
//   warm, run and cross answer {pending: reason} when the loaded WASM lacks the kernel's binding.
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

function webFallbackReasons() {
  const why = ["no threaded build is served (build the npm package with scripts/build-npm)"];
  if (self.crossOriginIsolated !== true) why.push("the page is not cross-origin isolated (no COOP/COEP headers)");
  return why;
}

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
      note: engine === "wasmN" ? `single-threaded fallback: ${webFallbackReasons().join("; ")}, so WASM N runs on 1 thread` : "",
    };
  }
  throw new Error("no WASM build is served: run scripts/build-wasm web (or scripts/build-npm) first");
}

/** The kernel's call on this engine, or {pending} when the loaded WASM lacks its binding. */
function caller(name) {
  const kernel = byName[name];
  if (!kernel) throw new Error(`unknown kernel '${name}'`);
  if (engine === "js") return { call: (x) => kernel.js(x) };
  const pending = kernel.pending?.(api) ?? null;
  return pending ? { pending } : { call: (x) => kernel.wasm(api, x) };
}

let current = null; // {key, input}: the input of the measurement in progress, sent once

// Warm-up: `warmup` runs and at least WARMUP_MS, so the JIT tiers (V8's Liftoff -> TurboFan for
// WASM, and its JS tiers) have settled before timing. Without it the first WASM engine measured
// pays for tier-up while the next reuses V8's compiled module, which skews their comparison.
async function warm({ kernel, key, input, warmup = 1, minMs = WARMUP_MS }) {
  current = { key, input };
  const c = caller(kernel);
  if (c.pending) return { pending: c.pending };
  const t0 = performance.now();
  let runs = 0;
  while (runs < MAX_WARMUP_RUNS && (runs < warmup || performance.now() - t0 < minMs)) {
    await c.call(input);
    runs++;
  }
  return { runs, ms: runs ? (performance.now() - t0) / runs : 0 };
}

/** This engine's check of another engine's result on the kept input (kernel.cross). */
async function cross({ kernel, key, other }) {
  if (current?.key !== key) throw new Error(`input '${key}' was not sent (warm up first)`);
  const k = byName[kernel];
  if (!k?.cross) throw new Error(`kernel '${kernel}' has no cross check`);
  if (engine === "js") return k.cross.js(current.input, other);
  const c = caller(kernel);
  if (c.pending) return { pending: c.pending };
  return k.cross.wasm(api, current.input, other);
}

/** One timed run on the warmed input; the result only when `keep` (it may be large to clone). */
async function run({ kernel, key, keep = false }) {
  if (current?.key !== key) throw new Error(`input '${key}' was not sent (warm up first)`);
  const c = caller(kernel);
  if (c.pending) return { pending: c.pending };
  const t0 = performance.now();
  const result = await c.call(current.input);
  const ms = performance.now() - t0;
  return keep ? { ms, result } : { ms };
}

self.onmessage = async ({ data }) => {
  const { id, op } = data;
  try {
    loading ??= load();
    const info = await loading;
    const ops = { init: () => info, warm, run, cross };
    const value = ops[op] ? await ops[op](data) : null;
    if (value === null) throw new Error(`unknown op '${op}'`);
    self.postMessage({ id, ok: true, value });
  } catch (e) {
    self.postMessage({ id, ok: false, error: `${e?.code ? e.code + ": " : ""}${e?.message ?? e}` });
  }
};
