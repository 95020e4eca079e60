// The demo page: starts one Worker per engine (JS, WASM 1 thread, WASM N threads), generates each
// kernel's input here, has every engine run it (one engine at a time, so they never compete for
// cores), checks the results equal, and draws the table and charts. Exposes the test hook
// `window.conclaveDemo.runAll({size})` -> {kernel: {js, wasm1, wasmN, equal, ...}}.

import { KERNELS, byName } from "./kernels/index.js";
import { barChart, scalingChart, fmtMs, LABELS } from "./charts.js";
import { esc } from "./views.js";

const ENGINES = ["js", "wasm1", "wasmN"];
const REPS = { small: 7, medium: 5, large: 3 };
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

const inputs = new Map();
function inputFor(kernel, size) {
  const key = `${kernel.name}/${size}`;
  if (!inputs.has(key)) inputs.set(key, kernel.generate(size));
  return inputs.get(key);
}

/** Runs one kernel at one size on every engine; the runAll entry plus what the page draws. */
async function measure(kernel, size) {
  const input = inputFor(kernel, size);
  const out = { js: null, wasm1: null, wasmN: null, equal: null };
  const results = {};
  const notes = [];
  const key = `${kernel.name}/${size}`;
  const live = [];
  for (const e of ENGINES) {
    setStatus(`${kernel.title} (${size}): warming up ${LABELS[e]}…`);
    const w = await engines[e].call({ op: "warm", kernel: kernel.name, key, input, warmup: 1 });
    if (w.pending) notes.push(w.pending);
    else live.push(e);
  }
  // Timed runs round-robin over the engines, so a busy machine slows them all alike.
  const times = Object.fromEntries(live.map((e) => [e, []]));
  const reps = REPS[size] ?? 3;
  for (let r = 0; r < reps; r++) {
    setStatus(`${kernel.title} (${size}): run ${r + 1}/${reps}`);
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
  }
  const wn = env.engines.wasmN;
  out.wasmNThreads = wn.threads;
  out.wasmNThreaded = wn.threaded;
  if (wn.note) out.wasmNNote = wn.note;
  if (notes.length) out.pending = notes[0];
  out.size = size;
  out.n = kernel.sizes[size];
  out.input = kernel.describe?.(input) ?? `${kernel.sizes[size]} ${kernel.unit}`;
  return out;
}

const last = {}; // kernel -> latest entry (the table and bars)
const scaling = {}; // kernel -> size -> entry

function ratio(a, b) {
  return a == null || b == null || b === 0 ? "–" : `${(a / b).toFixed(2)}×`;
}

function render() {
  const rows = KERNELS.filter((k) => last[k.name]).map((k) => {
    const r = last[k.name];
    const eq =
      r.equal === true ? '<span class="ok">equal</span>' : r.equal === false ? '<span class="bad">DIFFERENT</span>' : '<span class="warn">pending</span>';
    const wn = r.wasmN == null ? "pending" : `${fmtMs(r.wasmN)}${r.wasmNThreaded ? ` (${r.wasmNThreads} thr)` : " (1 thr, fallback)"}`;
    return `<tr><td>${esc(k.title)}</td><td>${esc(r.input)}</td><td>${fmtMs(r.js)}</td><td>${r.wasm1 == null ? "pending" : fmtMs(r.wasm1)}</td><td>${wn}</td><td>${ratio(r.js, r.wasm1)}</td><td>${ratio(r.js, r.wasmN)}</td><td>${ratio(r.wasm1, r.wasmN)}</td><td>${eq}</td></tr>`;
  });
  $("results").tBodies[0].innerHTML = rows.join("") || '<tr><td colspan="9" class="muted">no results</td></tr>';
  $("bars").innerHTML = KERNELS.filter((k) => last[k.name])
    .map((k) => {
      const r = last[k.name];
      return barChart({
        title: `${k.title} · ${r.input}`,
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
              .map((r) => ({ x: k.unit === "bytes" ? r.n / (1 << 20) : r.n, y: r[e] })),
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

async function runAll({ size = "small" } = {}) {
  if (!["small", "medium", "large"].includes(size)) throw new Error(`size must be small, medium or large, got '${size}'`);
  await ready;
  return exclusive(async () => {
    $("size").value = size;
    const out = {};
    for (const k of KERNELS) {
      const r = await measure(k, size);
      last[k.name] = r;
      (scaling[k.name] ??= {})[size] = r;
      out[k.name] = r;
      render();
    }
    setStatus(`done (${size})`);
    return out;
  });
}

async function runScaling() {
  for (const size of ["small", "medium", "large"]) await runAll({ size });
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
  const res = await exclusive(async () => {
    const key = `pasted/${Date.now()}`;
    const go = async (e) => {
      const w = await engines[e].call({ op: "warm", kernel: kernel.name, key, input, warmup: 0, minMs: 0 });
      return w.pending ? w : engines[e].call({ op: "run", kernel: kernel.name, key, keep: true });
    };
    return { wasm: await go("wasm1"), js: await go("js") };
  });
  const shown = res.wasm.pending ? res.js : res.wasm;
  const check = res.wasm.pending
    ? `<span class="warn">WASM pending</span> (${esc(res.wasm.pending)}): shown from JS`
    : `JS and WASM results: ${kernel.equal(res.js.result, res.wasm.result) ? '<span class="ok">equal</span>' : `<span class="bad">DIFFERENT</span> (${esc(kernel.paste.differs ?? "the word tokenizers differ on scripts written without spaces")})`}`;
  const times = `one cold run each: ${res.wasm.pending ? "" : `WASM ${fmtMs(res.wasm.ms)}, `}JS ${fmtMs(res.js.ms)}`;
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
  const ex = byName[$("paste-kernel").value].paste.example;
  if (ex && !$("paste-text").value.trim()) $("paste-text").value = ex;
});
guard($("run-all"), () => runAll({ size: $("size").value }));
guard($("run-scaling"), runScaling);
guard($("paste-run"), analysePasted);

window.conclaveDemo = { ready, runAll, runScaling, env: () => structuredClone(env), kernels: KERNELS.map((k) => k.name) };
