// The package's bench (run through wasm/bench/run): the native CLI (release; RAYON_NUM_THREADS=1 and
// 2; wall time of the process, which also parses the input and prints JSON) against the WASM builds
// (single-threaded; threaded on 1 and 2 threads) in Node (fresh process per measurement) and in
// Chromium (fresh dedicated Worker per measurement, page served with COOP/COEP), on:
//  - all-pairs similarity matrices of 400 Loghub Apache lines (levenshtein, jaro-winkler, cosine;
//    CONCLAVE_BENCH_LINES=N takes N lines instead, up to 2,000); cosine also with the flat result
//    (`similarityMatrix(texts, {metric, flat: true, into})`, no number[][] rows, written into one
//    Float64Array reused by every call), on 1 and 2 threads;
//  - consensus of 1000 responses x 100 words (the input of benches/compare-consensus: benches/src
//    `consensus_zipf(1000, 100, 5, 42)`, written by wasm/bench/run to the file in argv[3]);
//  - crypto (single-threaded build) against WebCrypto `crypto.subtle` in the same host.
// Every variant is measured once per round and the rounds repeat (A B A B), so load that comes and
// goes hits every column alike; medians of `reps` rounds (of all timed calls: cosine makes 9 per
// measurement, the others 1). The 1-minute load average is recorded
// beside each workload. Prints readable tables and `ROW\t{json}` lines (benches/rows.py's format)
// for benches/compare.
//   node bench.mjs REPS QUICK(0|1) CONSENSUS_JSON
// Environment (set by wasm/bench/run's flags): CONCLAVE_BENCH_WAIT_IDLE=1 waits for an idle machine
// before each measurement; CONCLAVE_BENCH_ONLY=levenshtein,consensus,... runs only those workloads
// (names: the metrics, "consensus", "crypto").

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import http from "node:http";
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { corporaDir } from "./lib.mjs";

const reps = Number(process.argv[2] ?? 3);
const quick = process.argv[3] === "1";
const consensusFile = process.argv[4];
const N = Number(process.env.CONCLAVE_BENCH_LINES || 400);
// Matrices of another size than the default get row ids of their own (cosine-2000/...).
const SIZE = N === 400 ? "" : `-${N}`;
// Metrics also measured with the flat result on the threaded build: their 2v1 row uses it (the
// number[][] rows are built on the calling thread, serial time that dominates a cheap kernel).
const FLAT = new Set(["cosine"]);
const METRICS = ["levenshtein", "jaro-winkler", "cosine"];
const VARIANTS = ["st", "1", "2"];
const lines = fs.readFileSync(path.join(corporaDir(), "loghub/Apache/Apache_2k.log"), "utf8").split("\n").filter(Boolean);
const texts = lines.slice(0, N);
if (!(Number.isInteger(N) && N >= 2 && texts.length === N)) throw new Error(`CONCLAVE_BENCH_LINES=${N}: between 2 and ${lines.length}`);
const consensusJson = fs.readFileSync(consensusFile, "utf8");
const consensusCount = JSON.parse(consensusJson).length;

/** Python's statistics.median (the middle two averaged), as benches/rows.py computes it. */
function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const k = s.length >> 1;
  return s.length % 2 ? s[k] : (s[k - 1] + s[k]) / 2;
}
const stats = (xs) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs), n: xs.length });
const load1 = () => os.loadavg()[0];
const only = (process.env.CONCLAVE_BENCH_ONLY ?? "").split(",").filter(Boolean);
const wanted = (name) => only.length === 0 || only.includes(name);

// --wait-idle: on a shared 2-core machine a process busy on one core leaves the two pool threads a
// single core, and the 2-thread speed-up then measures the neighbour. So each measurement waits
// (up to 10 s) until both cores were >= 90% idle over a quarter second, and afterwards compares the
// machine's busy CPU time over the measurement (/proc/stat) with that of this process and its
// descendants (the Node children, Chromium): when other processes took more than 5% of the two
// cores, the measurement is discarded and taken again (up to 4 tries; `quiet` counts).
const waitIdle = process.env.CONCLAVE_BENCH_WAIT_IDLE === "1" && fs.existsSync("/proc/stat");
const quiet = { measurements: 0, retries: 0, disturbed: 0 };
const cpuTimes = () => fs.readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
async function idle() {
  for (let i = 0; i < 40; i++) {
    const a = cpuTimes();
    await new Promise((r) => setTimeout(r, 250));
    const d = cpuTimes().map((x, k) => x - a[k]);
    const total = d.reduce((s, x) => s + x, 0);
    if (total > 0 && (d[3] + (d[4] ?? 0)) / total >= 0.9) return;
  }
}

/** CPU clock ticks of this process and its descendants, the reaped ones included (/proc/PID/stat). */
function treeTicks() {
  const procs = new Map(); // pid -> {ppid, ticks}
  for (const d of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const st = fs.readFileSync(`/proc/${d}/stat`, "utf8");
      // After "(comm) ": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime
      const f = st.slice(st.lastIndexOf(")") + 2).split(" ");
      procs.set(d, { ppid: f[1], ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]) });
    } catch {
      // the process ended during the listing
    }
  }
  let ticks = 0;
  const todo = [String(process.pid)];
  while (todo.length) {
    const pid = todo.pop();
    ticks += procs.get(pid)?.ticks ?? 0;
    for (const [child, p] of procs) if (p.ppid === pid) todo.push(child);
  }
  return ticks;
}

/** Runs `measure` (async), with --wait-idle on a quiet machine as described above. */
async function quietly(measure) {
  if (!waitIdle) return measure();
  quiet.measurements++;
  for (let attempt = 1; ; attempt++) {
    await idle();
    const [m0, t0] = [cpuTimes(), treeTicks()];
    const result = await measure();
    const d = cpuTimes().map((x, k) => x - m0[k]);
    const capacity = d.reduce((s, x) => s + x, 0);
    const foreign = capacity - d[3] - (d[4] ?? 0) - (treeTicks() - t0);
    if (foreign <= 0.05 * capacity) return result;
    if (attempt === 4) {
      quiet.disturbed++;
      return result;
    }
    quiet.retries++;
  }
}

/** One ROW line (benches/rows.py `emit`); `ours`/`theirs` are sample lists. */
function emit(id, table, row, unit, ours, peer, theirs, note) {
  const doc = { id, table, row, unit, ours: stats(ours), peer, theirs: theirs ? stats(theirs) : null, note };
  console.log("ROW\t" + JSON.stringify(doc));
}

// ---- native -------------------------------------------------------------------------------------

const simFile = path.join(os.tmpdir(), `conclave-bench-${process.pid}.json`);
fs.writeFileSync(simFile, JSON.stringify(texts));

// CPU time (user + system) of the process through /usr/bin/time when there is one (10 ms steps):
// under load the wall times measure the queue as much as the work, the CPU times much less so.
const TIME = fs.existsSync("/usr/bin/time") ? "/usr/bin/time" : null;
const timeFile = path.join(os.tmpdir(), `conclave-bench-${process.pid}.time`);

function native(args, threads) {
  const [cmd, argv] = TIME ? [TIME, ["-f", "%U %S", "-o", timeFile, process.env.CONCLAVE_BIN, ...args]] : [process.env.CONCLAVE_BIN, args];
  const t0 = performance.now();
  const p = spawnSync(cmd, argv, {
    env: { ...process.env, RAYON_NUM_THREADS: String(threads) },
    maxBuffer: 1 << 28,
  });
  const ms = performance.now() - t0;
  if (p.status !== 0) throw new Error(`native ${args.join(" ")}: ${p.stderr}`);
  const cpu = TIME ? fs.readFileSync(timeFile, "utf8").trim().split(/\s+/).slice(-2).reduce((a, x) => a + Number(x) * 1000, 0) : null;
  return { ms, cpu };
}

// ---- Node -----------------------------------------------------------------------------------------

function nodeWasm(job) {
  const p = spawnSync(process.execPath, ["node-child.mjs"], {
    input: JSON.stringify(job),
    encoding: "utf8",
    maxBuffer: 1 << 28,
  });
  if (p.status !== 0) throw new Error(`node ${job.kind} ${job.variant}: ${p.stderr}`);
  const r = JSON.parse(p.stdout);
  if (job.kind !== "crypto" && job.variant !== "st" && !r.info.threaded) throw new Error(`node ${job.variant}: not threaded: ${r.info.reason}`);
  return r;
}

// ---- Chromium -------------------------------------------------------------------------------------

async function chromium() {
  const TYPES = { ".html": "text/html", ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm" };
  const root = process.cwd();
  const server = http.createServer((req, res) => {
    const file = path.join(root, decodeURIComponent(new URL(req.url, "http://x").pathname));
    if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) return res.writeHead(404).end();
    res.writeHead(200, {
      "Content-Type": TYPES[path.extname(file)] ?? "application/octet-stream",
      "Cross-Origin-Opener-Policy": "same-origin",
      "Cross-Origin-Embedder-Policy": "require-corp",
    });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const { chromium } = createRequire(path.join(process.env.CONCLAVE_HARNESS, "package.json"))("playwright-core");
  const browser = await chromium.launch({
    executablePath: process.env.CONCLAVE_CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/bench.html`);
  await page.waitForFunction(() => window.ready === true);
  const measure = async (job) => {
    const r = await page.evaluate((a) => window.measure(a), job);
    if (job.kind !== "crypto" && job.variant !== "st" && !(r.isolated && r.info.threaded)) {
      throw new Error(`chromium ${job.variant}: not threaded: ${r.info.reason}`);
    }
    return r;
  };
  return { measure, close: async () => { await browser.close(); server.close(); } };
}

// ---- the rounds -----------------------------------------------------------------------------------

const HOSTS = ["node", "chromium"];
const WORKLOADS = [
  ...METRICS.filter(wanted).map((metric) => ({
    key: `similarity/${metric}`,
    label: `${metric} matrix of ${N} Loghub lines`,
    native: ["similarity", "--metric", metric, "--matrix", simFile],
    job: { kind: "similarity", texts, metric },
    flat: FLAT.has(metric),
    // Timed calls per WASM measurement (each a fresh process or Worker): a 400-text cosine call
    // takes 3-5 ms, where one late wake-up or GC moves a lone sample by half; the medians are
    // over all calls of all rounds.
    calls: FLAT.has(metric) ? 9 : 1,
  })),
  {
    key: "consensus/1000x100",
    label: `consensus of ${consensusCount} responses x 100 words`,
    native: ["consensus", consensusFile, "--format", "json"],
    job: { kind: "consensus", json: consensusJson },
    calls: 1,
  },
].filter((w) => w.key.startsWith("similarity/") || wanted("consensus"));

const browser = await chromium();
const results = {}; // key -> {n1, n2, node: {st, 1, 2}, chromium: {...}, pool: {...}, load}
for (const w of WORKLOADS) {
  const r = (results[w.key] = { n1: [], n2: [], c1: [], c2: [], load: [], pool: { node: [], chromium: [] }, nodeCpu: { st: [], 1: [], 2: [] }, split: { 1: [], 2: [], f1: [], f2: [] } });
  for (const h of HOSTS) r[h] = { st: [], 1: [], 2: [], f1: [], f2: [] };
  for (let round = 0; round < reps; round++) {
    r.load.push(load1());
    for (const t of [1, 2]) {
      const x = await quietly(async () => native(w.native, t));
      r[`n${t}`].push(x.ms);
      if (x.cpu !== null) r[`c${t}`].push(x.cpu);
    }
    for (const v of VARIANTS) {
      const job = { ...w.job, variant: v, reps: w.calls };
      const a = await quietly(async () => nodeWasm(job));
      r.node[v].push(...a.times);
      r.nodeCpu[v].push(...a.cpu);
      if (a.split && v !== "st") r.split[v].push(...a.split);
      if (a.poolMs !== null && v === "2") r.pool.node.push(a.poolMs);
      const b = await quietly(() => browser.measure(job));
      r.chromium[v].push(...b.times);
      if (b.poolMs !== null && v === "2") r.pool.chromium.push(b.poolMs);
    }
    // The flat result, threaded build on 1 and 2 threads (in the same round, so the same load).
    for (const v of w.flat ? ["1", "2"] : []) {
      const job = { ...w.job, flat: true, variant: v, reps: w.calls };
      const a = await quietly(async () => nodeWasm(job));
      r.node[`f${v}`].push(...a.times);
      if (a.split) r.split[`f${v}`].push(...a.split);
      const b = await quietly(() => browser.measure(job));
      r.chromium[`f${v}`].push(...b.times);
    }
    r.load.push(load1());
  }
  console.error(`measured ${w.key} (load ${r.load.map((x) => x.toFixed(1)).join(" ")})`);
}

const crypto = { load: [load1()], node: [], chromium: [] };
if (wanted("crypto")) {
  crypto.node = (await quietly(async () => nodeWasm({ kind: "crypto", variant: "st", reps, quick }))).cases;
  crypto.chromium = (await quietly(() => browser.measure({ kind: "crypto", variant: "st", reps, quick }))).cases;
  crypto.load.push(load1());
  console.error(`measured crypto (load ${crypto.load.map((x) => x.toFixed(1)).join(" ")})`);
}
await browser.close();
fs.rmSync(simFile);
fs.rmSync(timeFile, { force: true });

// ---- report ---------------------------------------------------------------------------------------

const fmt = (ms) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));
const loadRange = (xs) => `${Math.min(...xs).toFixed(1)}-${Math.max(...xs).toFixed(1)}`;
const cpus = os.cpus().length;

console.log(`similarity matrix, ${N} texts (Loghub Apache lines, ${texts.reduce((s, t) => s + t.length, 0) / N | 0} chars average), median of ${reps} rounds (cosine: of ${reps} x 9 calls), ms`);
console.log(`host     | metric       | native 1t | native 2t | wasm st | wasm 1t | wasm 2t | st/native1 | 2t speedup vs 1t | pool start | load (1 min, ${cpus} cpus)`);
const line = (host, name, r) => {
  const [n1, n2, st, t1, t2] = [r.n1, r.n2, r[host].st, r[host][1], r[host][2]].map(median);
  const pool = r.pool[host].length ? fmt(median(r.pool[host])) : "-";
  return `${host.padEnd(8)} | ${name.padEnd(12)} | ${fmt(n1).padStart(9)} | ${fmt(n2).padStart(9)} | ${fmt(st).padStart(7)} | ${fmt(t1).padStart(7)} | ${fmt(t2).padStart(7)} | ${(st / n1).toFixed(2).padStart(10)} | ${(t1 / t2).toFixed(2).padStart(16)} | ${pool.padStart(10)} | ${loadRange(r.load)}`;
};
for (const metric of METRICS.filter(wanted)) for (const h of HOSTS) console.log(line(h, metric, results[`similarity/${metric}`]));
for (const metric of METRICS.filter((m) => wanted(m) && FLAT.has(m))) {
  const r = results[`similarity/${metric}`];
  console.log("");
  console.log(`${metric}, ${N} texts, flat result (similarityMatrix(texts, {metric, flat: true, into}) -> {n, values: into}, no number[][] rows, into one reused Float64Array), threaded build, median of ${reps} x 9 calls, ms`);
  console.log(`host     | wasm 1t | wasm 2t | 2t speedup vs 1t | rows 1t | rows 2t | rows speedup | load`);
  for (const h of HOSTS) {
    const [f1, f2, t1, t2] = [r[h].f1, r[h].f2, r[h][1], r[h][2]].map(median);
    console.log(`${h.padEnd(8)} | ${fmt(f1).padStart(7)} | ${fmt(f2).padStart(7)} | ${(f1 / f2).toFixed(2).padStart(16)} | ${fmt(t1).padStart(7)} | ${fmt(t2).padStart(7)} | ${(t1 / t2).toFixed(2).padStart(12)} | ${loadRange(r.load)}`);
  }
}
if (results["consensus/1000x100"]) {
  console.log("");
  console.log(`consensus, ${consensusCount} responses x 100 words (benches consensus_zipf seed 42, cosine, threshold 0.7), median of ${reps}, ms`);
  console.log(`workload  | host     | native 1t | native 2t | wasm st | wasm 1t | wasm 2t | st/native1 | 2t speedup vs 1t | pool start | load`);
  for (const h of HOSTS) console.log(`consensus | ${line(h, "", results["consensus/1000x100"]).replace(/^(\S+)\s+\|\s+\|/, (_, x) => x.padEnd(8) + " |")}`);
}
if (waitIdle) {
  console.log(`--wait-idle: ${quiet.measurements} measurements, ${quiet.retries} taken again because other processes used > 5% of the cores, ${quiet.disturbed} still disturbed after 4 tries`);
}
if (TIME) {
  console.log("");
  console.log(`CPU time (user + system, all threads), Node and native, median of ${reps}, ms: less sensitive to load than wall time`);
  console.log(`workload               | native 1t | native 2t | wasm st | wasm 1t | wasm 2t | st/native1 | 2t/1t CPU (1 = no extra work)`);
  for (const w of WORKLOADS) {
    const r = results[w.key];
    const [c1, c2, st, t1, t2] = [r.c1, r.c2, r.nodeCpu.st, r.nodeCpu[1], r.nodeCpu[2]].map(median);
    console.log(`${w.key.padEnd(22)} | ${fmt(c1).padStart(9)} | ${fmt(c2).padStart(9)} | ${fmt(st).padStart(7)} | ${fmt(t1).padStart(7)} | ${fmt(t2).padStart(7)} | ${(c1 ? (st / c1).toFixed(2) : "-").padStart(10)} | ${(t2 / t1).toFixed(2)}`);
  }
}
if (WORKLOADS.length && results[WORKLOADS[0].key].split[1].length) {
  console.log("");
  console.log("Where the threaded build's CPU time goes in Node (per-thread CPU from /proc/self/task/*/schedstat, medians, ms):");
  console.log("the calling thread runs everything outside rayon's parallel regions (input and result conversion, serial steps);");
  console.log("with its share s on 1 thread, no 2-thread run can beat 1 / (s + (1 - s) / 2) on any machine (Amdahl).");
  console.log(`workload               | 1t: caller | 1t: pool | serial share | 2-thread ceiling | 2t: caller | 2t: pool threads | pool balance`);
  const splitLine = (name, one, two) => {
    const caller1 = median(one.map((x) => x.main));
    const pool1 = median(one.map((x) => x.pool.reduce((a, b) => a + b, 0)));
    const share = caller1 / (caller1 + pool1);
    const caller2 = median(two.map((x) => x.main));
    const threads2 = [0, 1].map((k) => median(two.map((x) => x.pool[k] ?? 0)));
    const balance = Math.min(...threads2) / Math.max(...threads2);
    console.log(`${name.padEnd(22)} | ${fmt(caller1).padStart(10)} | ${fmt(pool1).padStart(8)} | ${share.toFixed(2).padStart(12)} | ${(1 / (share + (1 - share) / 2)).toFixed(2).padStart(15)}x | ${fmt(caller2).padStart(10)} | ${threads2.map(fmt).join(" + ").padStart(16)} | ${balance.toFixed(2)}`);
  };
  for (const w of WORKLOADS) {
    const sp = results[w.key].split;
    splitLine(w.key, sp[1], sp[2]);
    if (w.flat && sp.f1.length) splitLine(`${w.key} flat`, sp.f1, sp.f2);
  }
}
console.log("native = wall time of the process (spawn + JSON in + kernel + JSON out); wasm = the call (similarityMatrix on a JS array / consensus on the JSON text, including the conversion of the result to JS objects)");
if (wanted("crypto")) {
  console.log("");
  console.log(`crypto, single-threaded WASM build vs WebCrypto (crypto.subtle) in the same host, median of ${reps}, MB/s (load ${loadRange(crypto.load)})`);
  console.log(`host     | case            | wasm MB/s | webcrypto MB/s | winner`);
  for (const h of HOSTS) {
    for (const c of crypto[h]) {
      const [w, web] = [median(c.wasm), median(c.webcrypto)];
      const win = w >= web ? `wasm ${(w / web).toFixed(2)}x` : `webcrypto ${(web / w).toFixed(2)}x`;
      console.log(`${h.padEnd(8)} | ${c.id.padEnd(15)} | ${w.toFixed(1).padStart(9)} | ${web.toFixed(1).padStart(14)} | ${win}`);
    }
  }
  console.log("AES-GCM: wasm = encrypt() writing the conclave envelope (two short HMACs, key schedule, header, 64 KiB GCM chunks); webcrypto = raw AES-256-GCM with a key imported once. WebCrypto calls are awaited one by one.");
}

// ROW lines: seconds for the kernels, MB/s for crypto.
const TABLE = "WASM (npm package) vs native";
const HOST_NAME = { node: "Node", chromium: "Chromium (Worker)" };
const s = (ms) => ms.map((x) => x / 1000);
for (const w of WORKLOADS) {
  const r = results[w.key];
  const load = `load average ${loadRange(r.load)} on ${cpus} cpus`;
  for (const h of HOSTS) {
    const id = `wasm/${h}/${w.key.startsWith("similarity/") ? w.key.slice(11) + SIZE : "consensus"}`;
    const native = "native is the whole CLI process (spawn, JSON in and out); WASM is the call alone";
    emit(`${id}/st`, TABLE, `${HOST_NAME[h]}, ${w.label}, single-threaded build`, "s", s(r[h].st), "native CLI, 1 thread", s(r.n1), `${native}; ${load}`);
    emit(`${id}/1`, TABLE, `${HOST_NAME[h]}, ${w.label}, threaded build, 1 thread`, "s", s(r[h][1]), "native CLI, 1 thread", s(r.n1), `${native}; ${load}`);
    emit(`${id}/2`, TABLE, `${HOST_NAME[h]}, ${w.label}, threaded build, 2 threads`, "s", s(r[h][2]), "native CLI, 2 threads", s(r.n2), `${native}; ${load}`);
    if (w.flat) {
      // The 2v1 row of a cheap metric uses the flat result: the number[][] rows are built on the
      // calling thread after the kernel, whatever the pool. The rows' own ratio stays as 2v1-rows.
      emit(`${id}/2v1`, TABLE, `${HOST_NAME[h]}, ${w.label}, flat result, 2 threads vs 1 (target 1.7x)`, "s", s(r[h].f2), "same build, 1 thread, flat result", s(r[h].f1),
        `ratio = the second thread's speed-up; similarityMatrix(texts, {metric, flat: true, into}) -> {n, values: into}, no number[][] rows (row 2v1-rows has them), written into one Float64Array reused by every call; ${load}`);
      emit(`${id}/2v1-rows`, TABLE, `${HOST_NAME[h]}, ${w.label}, number[][] rows, 2 threads vs 1`, "s", s(r[h][2]), "same build, 1 thread", s(r[h][1]),
        `ratio = the second thread's speed-up, with the default number[][] result built on the calling thread; ${load}`);
    } else {
      emit(`${id}/2v1`, TABLE, `${HOST_NAME[h]}, ${w.label}, 2 threads vs 1 (target 1.7x)`, "s", s(r[h][2]), "same build, 1 thread", s(r[h][1]), `ratio = the second thread's speed-up; ${load}`);
    }
  }
  if (TIME && median(r.c1) >= 50) { // /usr/bin/time counts in 10 ms steps: no row for shorter runs
    const id = `wasm/node/${w.key.startsWith("similarity/") ? w.key.slice(11) + SIZE : "consensus"}/st-cpu`;
    emit(id, TABLE, `Node, ${w.label}, single-threaded build, CPU time`, "s", s(r.nodeCpu.st), "native CLI, 1 thread, CPU time", s(r.c1),
      `user + system CPU time: less sensitive to load than wall time; native includes process start and JSON out (10 ms steps); ${load}`);
  }
}
for (const h of HOSTS) {
  for (const c of crypto[h]) {
    const note = (c.id.startsWith("aes") ? "WASM writes the conclave envelope (two short HMACs, key schedule, header per call), WebCrypto raw AES-256-GCM; " : "") +
      `WASM has no AES/SHA instructions; load average ${loadRange(crypto.load)} on ${cpus} cpus`;
    emit(`wasm/${h}/crypto/${c.id}`, "WASM crypto vs WebCrypto", `${HOST_NAME[h]}, ${c.id}`, "MB/s", c.wasm, "WebCrypto crypto.subtle", c.webcrypto, note);
  }
}
process.exit(0);
