// The demo page: starts one Worker per engine (JS, WASM 1 thread, WASM N threads), generates each
// kernel's input here at the size the user picked (a preset or any size in the kernel's range),
// has every engine run it (one engine at a time, so they never compete for cores), checks the
// results equal (or, for kernels with `cross`, has each engine check the others' results), and
// draws the table and charts. Exposes the test hook
// `window.conclaveDemo.runAll({size})` -> {kernel: {js, wasm1, wasmN, equal, ...}}.

import { KERNELS, byName } from "./kernels/index.js";
import { barChart, scalingChart, fmtMs, LABELS } from "./charts.js";
import { esc } from "./views.js";

const ENGINES = ["js", "wasm1", "wasmN"];
const PRESETS = ["small", "medium", "large"];
const MiB = 1 << 20;
const $ = (id) => document.getElementById(id);

const cores = navigator.hardwareConcurrency || 1;
const wantN = Math.max(2, cores);

/** A Worker running one engine, spoken to by request/response messages. */
class Engine {
  constructor(name) {
    const url = new URL("./engine-worker.js", import.meta.url);
    url.searchParams.set("engine", name);
    if (name === "wasmN") url.searchParams.set("threads", String(wantN));
    this.worker = new Worker(url, { type: "module", name });
    this.pending = new Map();
    this.next = 0;
    this.worker.onmessage = ({ data }) => {
      const p = this.pending.get(data.id);
      this.pending.delete(data.id);
      if (data.ok) p.resolve(data.value);
      else p.reject(new Error(data.error));
    };
    this.worker.onerror = (e) => {
      for (const p of this.pending.values()) p.reject(new Error(`${name} worker failed: ${e.message ?? "load error"}`));
      this.pending.clear();
    };
  }
  call(msg) {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, ...msg });
    });
  }
}

const engines = Object.fromEntries(ENGINES.map((e) => [e, new Engine(e)]));
const env = { crossOriginIsolated: globalThis.crossOriginIsolated === true, cores, engines: {} };

async function initEngines() {
  for (const e of ENGINES) {
    try {
      env.engines[e] = await engines[e].call({ op: "init" });
    } catch (err) {
      env.engines[e] = { engine: e, error: err.message, threads: 0, threaded: false, note: err.message };
    }
  }
  showEnv();
  return env;
}

function showEnv() {
  $("env-isolated").innerHTML = env.crossOriginIsolated
    ? '<span class="ok">yes</span> (SharedArrayBuffer available)'
    : '<span class="bad">no</span> (serve with COOP: same-origin + COEP: require-corp: node web-demo/server.mjs)';
  $("env-cores").textContent = String(cores);
  const line = (i) => (i.error ? `<span class="bad">unavailable: ${esc(i.error)}</span>` : `${esc(i.build)} · <b>${i.threads}</b> thread${i.threads === 1 ? "" : "s"}`);
  $("env-wasm1").innerHTML = line(env.engines.wasm1);
  $("env-wasmN").innerHTML = line(env.engines.wasmN);
  const msgs = ENGINES.map((e) => env.engines[e].note).filter(Boolean);
  if (!env.crossOriginIsolated) msgs.unshift("This page is not cross-origin isolated, so WebAssembly threads are unavailable.");
  $("env-message").hidden = msgs.length === 0;
  $("env-message").textContent = msgs.map((m) => `WASM N: ${m}`).join(" ");
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// Sizes are in the kernel's unit (bytes for byte kernels); the page's inputs show MiB for those.
const isBytes = (k) => k.unit === "bytes";
const fmtSize = (k, n) =>
  isBytes(k) ? (n < MiB ? `${Number((n / 1024).toPrecision(4))} KiB` : `${Number((n / MiB).toPrecision(4))} MiB`) : `${n.toLocaleString("en")} ${k.unit}`;

/** `n` as a whole size inside the kernel's range, or an error saying what range is allowed. */
function checkSize(kernel, n) {
  const { min, max } = kernel.range;
  if (!Number.isFinite(n) || n < min || n > max) {
    throw new Error(`${kernel.title}: size must be ${fmtSize(kernel, min)} to ${fmtSize(kernel, max)}, got ${Number.isFinite(n) ? fmtSize(kernel, n) : String(n)}`);
  }
  return Math.round(n);
}

// One generated input per kernel is kept (the latest size), so a re-run does not regenerate it
// and a 100 MiB log is not kept at every size the scaling chart visited.
const inputs = new Map();
function inputFor(kernel, n) {
  const kept = inputs.get(kernel.name);
  if (kept?.n === n) return kept.input;
  inputs.delete(kernel.name);
  const input = kernel.generate(n);
  inputs.set(kernel.name, { n, input });
  return input;
}

/** Timed runs per engine: more for fast kernels, fewer where one run takes a second. */
const repsFor = (msPerRun) => (msPerRun < 100 ? 7 : msPerRun < 1000 ? 5 : 3);

/** Runs one kernel at size `n` on every engine; the runAll entry plus what the page draws. */
async function measure(kernel, n, label) {
  const input = inputFor(kernel, n);
  const out = { js: null, wasm1: null, wasmN: null, equal: null };
  const results = {};
  const notes = [];
  const key = `${kernel.name}/${n}/${label}`;
  const what = `${kernel.title} (${fmtSize(kernel, n)})`;
  const live = [];
  let slowest = 0;
  for (const e of ENGINES) {
    setStatus(`${what}: warming up ${LABELS[e]}…`);
    const w = await engines[e].call({ op: "warm", kernel: kernel.name, key, input, warmup: 1 });
    if (w.pending) notes.push(w.pending);
    else {
      live.push(e);
      slowest = Math.max(slowest, w.ms);
    }
  }
  // Timed runs round-robin over the engines, so a busy machine slows them all alike.
  const times = Object.fromEntries(live.map((e) => [e, []]));
  const reps = repsFor(slowest);
  for (let r = 0; r < reps; r++) {
    setStatus(`${what}: run ${r + 1}/${reps}`);
    for (const e of live) {
      const t = await engines[e].call({ op: "run", kernel: kernel.name, key, keep: r === reps - 1 });
      times[e].push(t.ms);
      if ("result" in t) results[e] = t.result;
    }
  }
  for (const e of live) out[e] = median(times[e]);
  const compared = ENGINES.filter((e) => e !== "js" && e in results);
  if (compared.length > 0 && "js" in results) {
    out.equal = compared.every((e) => kernel.equal(results.js, results[e]));
    if (kernel.cross) {
      // Each engine checks the other side's result: JS checks every WASM result, each WASM
      // engine checks the JS result (e.g. AES-GCM: each opens the other's envelope).
      setStatus(`${what}: engines checking each other's results…`);
      out.checks = [];
      for (const e of compared) {
        for (const [by, other] of [["js", results[e]], [e, results.js]]) {
          const c = await engines[by].call({ op: "cross", kernel: kernel.name, key, other });
          out.checks.push(`${LABELS[by]}: ${c.detail}${by === "js" ? ` (${LABELS[e]})` : ""}`);
          out.equal &&= c.ok === true;
        }
      }
    }
  }
  const wn = env.engines.wasmN;
  out.wasmNThreads = wn.threads;
  out.wasmNThreaded = wn.threaded;
  if (wn.note) out.wasmNNote = wn.note;
  if (notes.length) out.pending = notes[0];
  out.size = label;
  out.n = n;
  out.input = kernel.describe?.(input) ?? fmtSize(kernel, n);
  return out;
}

const last = {}; // kernel -> latest entry (the table and bars)
const scaling = {}; // kernel -> n -> entry

function ratio(a, b) {
  if (a == null || b == null || b === 0) return "–";
  const x = a / b;
  return `${x >= 0.1 ? x.toFixed(2) : x.toPrecision(2)}×`;
}

function render() {
  const rows = KERNELS.filter((k) => last[k.name]).map((k) => {
    const r = last[k.name];
    const how = r.checks ? ` title="${esc(r.checks.join("\n"))}"` : "";
    const eq =
      r.equal === true
        ? `<span class="ok"${how}>${r.checks ? "equal (cross-checked)" : "equal"}</span>`
        : r.equal === false
          ? `<span class="bad"${how}>DIFFERENT</span>`
          : '<span class="warn">pending</span>';
    const wn = r.wasmN == null ? "pending" : `${fmtMs(r.wasmN)}${r.wasmNThreaded ? ` (${r.wasmNThreads} thr)` : " (1 thr, fallback)"}`;
    return `<tr><td>${esc(k.title)}</td><td>${esc(r.input)}</td><td>${fmtMs(r.js)}</td><td>${r.wasm1 == null ? "pending" : fmtMs(r.wasm1)}</td><td>${wn}</td><td>${ratio(r.js, r.wasm1)}</td><td>${ratio(r.js, r.wasmN)}</td><td>${ratio(r.wasm1, r.wasmN)}</td><td>${eq}</td></tr>`;
  });
  $("results").tBodies[0].innerHTML = rows.join("") || '<tr><td colspan="9" class="muted">no results</td></tr>';
  $("bars").innerHTML = KERNELS.filter((k) => last[k.name])
    .map((k) => {
      const r = last[k.name];
      return barChart({
        title: k.title,
        subtitle: r.input,
        bars: ENGINES.map((e) => ({
          key: e,
          label: e === "wasmN" ? (r.wasmNThreaded ? `WASM ${r.wasmNThreads} threads` : "WASM N (1 thread)") : LABELS[e],
          ms: r[e],
          note: "pending",
        })),
      });
    })
    .join("");
  const charted = KERNELS.filter((k) => scaling[k.name]);
  if (charted.length) {
    $("scaling").innerHTML = charted
      .map((k) =>
        scalingChart({
          title: k.title,
          xLabel: k.unit === "bytes" ? "MiB" : k.unit,
          series: ENGINES.map((e) => ({
            key: e,
            label: LABELS[e],
            points: Object.values(scaling[k.name])
              .filter((r) => r[e] != null)
              .map((r) => ({ x: isBytes(k) ? Number((r.n / MiB).toPrecision(3)) : r.n, y: r[e] })),
          })),
        }),
      )
      .join("");
  }
}

function setStatus(text) {
  $("status").textContent = text;
}

let busy = Promise.resolve();
/** Serializes runs: one measurement at a time, whoever asks (buttons or the test hook). */
function exclusive(fn) {
  const run = busy.then(fn, fn);
  busy = run.catch(() => {});
  return run;
}

const ready = initEngines();

// ---- sizes ------------------------------------------------------------------------------------
// One number per kernel (MiB for byte kernels), filled from a preset or typed by the user.

function sizeInputs() {
  $("sizes").innerHTML = KERNELS.map(
    (k) =>
      `<label for="size-${k.name}">${esc(k.title)}</label>` +
      `<input id="size-${k.name}" data-kernel="${k.name}" type="number" min="${isBytes(k) ? k.range.min / MiB : k.range.min}" max="${isBytes(k) ? k.range.max / MiB : k.range.max}" step="any">` +
      `<span class="muted small">${isBytes(k) ? "MiB" : esc(k.unit)} (${esc(fmtSize(k, k.range.min))} – ${esc(fmtSize(k, k.range.max))})</span>`,
  ).join("");
}

function showPreset(preset) {
  for (const k of KERNELS) $(`size-${k.name}`).value = String(isBytes(k) ? k.sizes[preset] / MiB : k.sizes[preset]);
}

/** The sizes typed in the page, in kernel units. */
function typedSizes() {
  return Object.fromEntries(KERNELS.map((k) => [k.name, Number($(`size-${k.name}`).value) * (isBytes(k) ? MiB : 1)]));
}

/**
 * Runs every kernel (or those named in `kernels`) at a preset `size` ("small", "medium",
 * "large") or at `sizes` ({kernel: n} in kernel units, bytes for byte kernels; kernels not named
 * take the preset). Resolves to {kernel: entry}.
 */
async function runAll({ size = "small", sizes = undefined, kernels = undefined } = {}) {
  if (!PRESETS.includes(size)) throw new Error(`size must be small, medium or large, got '${size}'`);
  const chosen = kernels ? kernels.map((name) => byName[name] ?? fail(`unknown kernel '${name}'`)) : KERNELS;
  const plan = chosen.map((k) => [k, checkSize(k, sizes?.[k.name] ?? k.sizes[size])]);
  const label = sizes ? "custom" : size;
  await ready;
  return exclusive(async () => {
    if (!sizes) {
      $("size").value = size;
      showPreset(size);
    }
    const out = {};
    for (const [k, n] of plan) out[k.name] = await runKernel(k, n, label);
    setStatus(`done (${label})`);
    return out;
  });
}

function fail(message) {
  throw new Error(message);
}

async function runKernel(k, n, label) {
  const r = await measure(k, n, label);
  last[k.name] = r;
  (scaling[k.name] ??= {})[n] = r;
  render();
  return r;
}

/**
 * The scaling chart: every kernel (or those in `kernels`) at its chosen size (`sizes`, default the
 * page's) times each of `steps` (default ÷ 8, ÷ 4, ÷ 2, × 1; kept within its range).
 * Resolves to {kernel: {n: entry}}.
 */
async function runScaling({ sizes = typedSizes(), steps = [1 / 8, 1 / 4, 1 / 2, 1], kernels = undefined } = {}) {
  const chosen = kernels ? kernels.map((name) => byName[name] ?? fail(`unknown kernel '${name}'`)) : KERNELS;
  const plan = chosen.map((k) => [k, checkSize(k, sizes[k.name])]);
  await ready;
  return exclusive(async () => {
    const out = {};
    for (const [k, top] of plan) {
      const ns = [...new Set(steps.map((f) => Math.max(k.range.min, Math.round(top * f))))];
      out[k.name] = {};
      for (const n of ns) out[k.name][n] = await runKernel(k, n, "scaling");
    }
    setStatus("done (scaling)");
    return out;
  });
}

// ---- pasted input -----------------------------------------------------------------------------
// Any kernel with a `paste` adapter (see views.js): parse the text, run it once on WASM 1 (unless
// pending) and JS, show the kernel's readable view of the result and whether the engines agree.

const PASTABLE = KERNELS.filter((k) => k.paste);

async function analysePasted() {
  const kernel = byName[$("paste-kernel").value];
  let input;
  try {
    input = kernel.paste.parse($("paste-text").value);
  } catch (e) {
    $("paste-out").innerHTML = `<p class="bad">${esc(e.message)}</p>`;
    return;
  }
  $("paste-status").textContent = "analysing…";
  await ready;
  // A kernel's JS baseline may not apply to every paste (config: JSON.parse reads JSON only).
  const jsApplies = kernel.paste.jsApplies?.(input) ?? true;
  const res = await exclusive(async () => {
    const key = `pasted/${Date.now()}`;
    const go = async (e) => {
      const w = await engines[e].call({ op: "warm", kernel: kernel.name, key, input, warmup: 0, minMs: 0 });
      return w.pending ? w : engines[e].call({ op: "run", kernel: kernel.name, key, keep: true });
    };
    return { wasm: await go("wasm1"), js: jsApplies ? await go("js") : null };
  });
  if (res.wasm.pending && !res.js) throw new Error(`WASM pending (${res.wasm.pending}) and no JS baseline for this input`);
  const shown = res.wasm.pending ? res.js : res.wasm;
  const check = res.wasm.pending
    ? `<span class="warn">WASM pending</span> (${esc(res.wasm.pending)}): shown from JS`
    : !res.js
      ? `<span class="muted">${esc(kernel.paste.jsSkipped)}</span>`
      : `JS and WASM results: ${kernel.equal(res.js.result, res.wasm.result) ? '<span class="ok">equal</span>' : `<span class="bad">DIFFERENT</span> (${esc(kernel.paste.differs ?? "the word tokenizers differ on scripts written without spaces")})`}`;
  const times = `one cold run each: ${res.wasm.pending ? "" : `WASM ${fmtMs(res.wasm.ms)}`}${res.js && !res.wasm.pending ? ", " : ""}${res.js ? `JS ${fmtMs(res.js.ms)}` : ""}`;
  $("paste-out").innerHTML =
    `<p class="small">${check}; ${times}.</p>` +
    kernel.paste.render(input, shown.result);
  $("paste-status").textContent = "";
}

// ---- wiring -----------------------------------------------------------------------------------

function guard(button, fn) {
  button.addEventListener("click", async () => {
    const all = document.querySelectorAll("button");
    all.forEach((b) => (b.disabled = true));
    try {
      await fn();
    } catch (e) {
      setStatus(`error: ${e.message}`);
    } finally {
      all.forEach((b) => (b.disabled = false));
    }
  });
}

$("paste-kernel").innerHTML = PASTABLE.map((k) => `<option value="${k.name}">${esc(k.paste.label)}</option>`).join("");
$("paste-text").value = PASTABLE[0]?.paste.example ?? "";
$("paste-kernel").addEventListener("change", () => {
  // Show the chosen kernel's example unless the user typed something of their own.
  const ex = byName[$("paste-kernel").value].paste.example;
  const text = $("paste-text").value;
  if (ex && (!text.trim() || PASTABLE.some((k) => k.paste.example === text))) $("paste-text").value = ex;
});
sizeInputs();
showPreset($("size").value);
$("size").addEventListener("change", () => showPreset($("size").value));
guard($("run-all"), () => runAll({ sizes: typedSizes() }));
guard($("run-scaling"), () => runScaling());
guard($("paste-run"), analysePasted);

window.conclaveDemo = {
  ready,
  runAll,
  runScaling,
  sizes: typedSizes,
  env: () => structuredClone(env),
  kernels: KERNELS.map((k) => k.name),
};
