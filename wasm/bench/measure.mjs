// One WASM measurement, shared by the bench's two hosts: node-child.mjs (a fresh Node process) and
// worker.mjs (a fresh dedicated Worker in Chromium). `measure(lib, job)` loads the package as
// job.variant says ("st" = single-threaded build; "1", "2" = threaded build with a pool of that
// many threads; crypto always on "st"), warms up outside the timed region, and returns
// {info, poolMs, times (ms per call), cpu (ms of CPU time per call, all threads of the process; Node
// only, else null)} or, for crypto, {info, cases: [{id, bytes, wasm, webcrypto}]} with MB/s samples.
// The pool is started before the clock runs (its start-up is poolMs).
//
// Jobs: {kind: "similarity", texts, metric, flat, reps} (similarityMatrix; `flat: true` asks for
// the flat {n, values} result instead of number[][] rows, written into one Float64Array made
// before the warm-up and passed as `into` to every call), {kind: "consensus", json,
// reps} (consensus on the JSON text, as the CLI reads it),
// {kind: "crypto", reps, quick} (sha256, hmacSha256, encrypt against crypto.subtle).

/** Untimed calls before the timed ones, and the least time they take (see the warm-up comment
 * in `measure`). */
const WARM_UP_CALLS = 10;
const WARM_UP_MS = 300;

export async function measure(lib, job) {
  const { kind, variant, reps } = job;
  await lib.init(variant === "st" || kind === "crypto" ? { threads: false } : {});
  let poolMs = null;
  const before = await threadCpu();
  if (kind !== "crypto" && variant !== "st") {
    const t0 = performance.now();
    await lib.initThreadPool(Number(variant));
    poolMs = performance.now() - t0;
  }
  // The pool's threads: those that the pool start created (Node on Linux only).
  const poolTids = before ? Object.keys(await threadCpu()).filter((t) => !(t in before)) : null;
  if (kind === "crypto") return { info: lib.info(), cases: await crypto(lib, reps, job.quick) };
  const into = kind === "similarity" && job.flat ? new Float64Array(job.texts.length ** 2) : null;
  const run =
    kind === "similarity"
      ? () => lib.similarityMatrix(job.texts, into ? { metric: job.metric, flat: true, into } : { metric: job.metric })
      : () => lib.consensus(job.json);
  // Warm-up: WARM_UP_CALLS whole calls. V8 first runs WASM on its baseline compiler (Liftoff) and tiers hot
  // functions up to TurboFan on background threads, and the first call also grows the memory;
  // a small warm-up left the timed call partly on baseline code (levenshtein 400: first call 185 ms
  // of CPU, then 130 ms), more so under load, when the background compiles wait for a core.
  // One call was not enough for consensus (many functions): V8's threads other than the caller and
  // the pool still spent ~10 ms of CPU in the second call and the third, ~2 ms from the fourth (none
  // with --no-wasm-dynamic-tiering). On two cores that work takes a core from a 2-thread pool but
  // runs beside a 1-thread pool for free, so the timed call must come after it (issue #9).
  // Chromium tiers up later still: with three warm-up calls its consensus runs on 2 threads gave
  // 1.62x-1.72x their 1-thread runs, with ten 1.91x and 1.76x (2026-11-29, same tarball), so ten
  // calls, in every host and variant alike.
  // Short calls (a 400-text cosine matrix takes 2-3 ms) also warm up for WARM_UP_MS: ten of them
  // are 25 ms, little time for the tier-up described above. With ten, 2 threads over 1 read
  // 1.50x and 1.06x in Node for main's tarball over two runs (--only cosine --wait-idle --reps 5),
  // and 1.21x and 1.48x for a variant of it, where 300 calls after 30 in one process gave
  // 1.57x-1.63x every time; with 300 ms, main's read 1.59x and 1.68x (Chromium 1.31x and 1.61x,
  // against 1.38x-1.61x). 2026-11-29, issue #9. Longer calls are unchanged: ten of them already
  // take longer.
  const warmStart = performance.now();
  for (let k = 0; k < WARM_UP_CALLS || performance.now() - warmStart < WARM_UP_MS; k++) run();
  const cpuNow = typeof process === "object" && typeof process.cpuUsage === "function" ? () => process.cpuUsage() : null;
  const times = [];
  const cpu = cpuNow ? [] : null;
  const split = poolTids ? [] : null;
  for (let r = 0; r < reps; r++) {
    const s0 = poolTids ? await threadCpu() : null;
    const c0 = cpuNow?.();
    const t0 = performance.now();
    run();
    times.push(performance.now() - t0);
    if (cpuNow) {
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1000);
    }
    if (poolTids) {
      const s1 = await threadCpu();
      const d = (t) => (s1[t] ?? 0) - (s0[t] ?? 0);
      split.push({ main: d(String(process.pid)), pool: poolTids.map(d) });
    }
  }
  return { info: lib.info(), poolMs, times, cpu, split };
}

/**
 * {tid: ms on CPU} of every thread of this process, from /proc/self/task/TID/schedstat (nanoseconds,
 * unlike the 10 ms ticks of stat), or null where there is none (browsers, other systems). With it,
 * the calling thread's CPU time during a call is the part that ran outside rayon's parallel regions
 * (the pool's threads run those while the caller waits): the serial share that bounds the speed-up.
 */
async function threadCpu() {
  if (typeof process !== "object" || process.platform !== "linux") return null;
  const fs = await import("node:fs");
  const out = {};
  for (const t of fs.readdirSync("/proc/self/task")) {
    try {
      out[t] = Number(fs.readFileSync(`/proc/self/task/${t}/schedstat`, "utf8").split(" ")[0]) / 1e6;
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return out;
}

/** Deterministic bytes (no randomness in the inputs). */
function filled(n) {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (Math.imul(i, 2654435761) >>> 24) & 0xff;
  return out;
}

function hex(bytes) {
  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * WASM vs WebCrypto on the same bytes, alternating A B A B: MB/s per sample, each sample the mean of
 * `iters` back-to-back calls (WebCrypto calls awaited one by one, as a caller needing the result does).
 * AES-GCM: WASM `encrypt` writes the conclave envelope (per call: two short HMAC-SHA256 for the key
 * check and payload key, an AES key schedule, 64 KiB GCM chunks, 52-byte header); WebCrypto seals
 * raw AES-256-GCM with a key imported once. So the WASM side does a little more work per call.
 */
async function crypto(lib, reps, quick) {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) throw new Error("no crypto.subtle in this host");
  const key = filled(64).slice(32);
  const aesKey = await subtle.importKey("raw", key, "AES-GCM", false, ["encrypt"]);
  const hmacKey = await subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const iv = filled(12);
  const kb = filled(1024);
  const mb = filled(1 << 20);
  // The two sides must compute the same digests, or the comparison means nothing.
  if (hex(lib.sha256(mb)) !== hex(await subtle.digest("SHA-256", mb))) throw new Error("sha256 differs from WebCrypto");
  if (hex(lib.hmacSha256(key, mb)) !== hex(await subtle.sign("HMAC", hmacKey, mb))) throw new Error("hmacSha256 differs from WebCrypto");
  const cases = [
    { id: "aes-gcm-1KB", data: kb, iters: quick ? 100 : 1000,
      wasm: (d) => lib.encrypt(d, { key }), web: (d) => subtle.encrypt({ name: "AES-GCM", iv }, aesKey, d) },
    { id: "aes-gcm-1MB", data: mb, iters: quick ? 2 : 5,
      wasm: (d) => lib.encrypt(d, { key }), web: (d) => subtle.encrypt({ name: "AES-GCM", iv }, aesKey, d) },
    { id: "hmac-sha256-1MB", data: mb, iters: quick ? 2 : 5,
      wasm: (d) => lib.hmacSha256(key, d), web: (d) => subtle.sign("HMAC", hmacKey, d) },
    { id: "sha256-1MB", data: mb, iters: quick ? 2 : 5,
      wasm: (d) => lib.sha256(d), web: (d) => subtle.digest("SHA-256", d) },
  ];
  const out = [];
  for (const c of cases) {
    c.wasm(c.data);
    await c.web(c.data);
    const mbps = (ms) => (c.data.length * c.iters) / 1e6 / (ms / 1e3);
    const wasm = [];
    const webcrypto = [];
    for (let r = 0; r < reps; r++) {
      let t0 = performance.now();
      for (let i = 0; i < c.iters; i++) c.wasm(c.data);
      wasm.push(mbps(performance.now() - t0));
      t0 = performance.now();
      for (let i = 0; i < c.iters; i++) await c.web(c.data);
      webcrypto.push(mbps(performance.now() - t0));
    }
    out.push({ id: c.id, bytes: c.data.length, wasm, webcrypto });
  }
  return out;
}
