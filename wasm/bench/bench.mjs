// The package's bench (run through wasm/bench/run): all-pairs similarity matrices of Loghub Apache
// lines, native CLI (release; RAYON_NUM_THREADS=1 and 2; wall time of the process, which also parses
// the input and prints the matrix) vs the WASM builds in Node (fresh process per variant) and in
// Chromium (fresh dedicated Worker per variant, page served with COOP/COEP). Medians of `reps` runs.

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import http from "node:http";
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { corporaDir } from "./lib.mjs";

const reps = Number(process.argv[2] ?? 3);
const N = 400;
const METRICS = ["levenshtein", "jaro-winkler", "cosine"];
const lines = fs.readFileSync(path.join(corporaDir(), "loghub/Apache/Apache_2k.log"), "utf8").split("\n").filter(Boolean);
const texts = lines.slice(0, N);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function nativeMs(metric, threads) {
  const file = path.join(os.tmpdir(), `conclave-bench-${process.pid}.json`);
  fs.writeFileSync(file, JSON.stringify(texts));
  const times = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    const p = spawnSync(process.env.CONCLAVE_BIN, ["similarity", "--metric", metric, "--matrix", file], {
      env: { ...process.env, RAYON_NUM_THREADS: String(threads) },
      maxBuffer: 1 << 28,
    });
    times.push(performance.now() - t0);
    if (p.status !== 0) throw new Error(`native: ${p.stderr}`);
  }
  fs.rmSync(file);
  return median(times);
}

function nodeWasm(metric, variant) {
  const p = spawnSync(process.execPath, ["node-child.mjs", variant], {
    input: JSON.stringify({ texts, metric, reps }),
    encoding: "utf8",
    maxBuffer: 1 << 28,
  });
  if (p.status !== 0) throw new Error(`node ${variant}: ${p.stderr}`);
  const r = JSON.parse(p.stdout);
  return { ms: median(r.times), poolMs: r.poolMs, info: r.info };
}

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
  const measure = async (metric, variant) => {
    const r = await page.evaluate((a) => window.measure(a), { texts, metric, reps, variant });
    if (variant !== "st" && !(r.isolated && r.info.threaded)) throw new Error(`chromium ${variant}: not threaded: ${r.info.reason}`);
    return { ms: median(r.times), poolMs: r.poolMs };
  };
  return { measure, close: async () => { await browser.close(); server.close(); } };
}

const fmt = (ms) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));
const rows = [];
const browser = await chromium();
for (const metric of METRICS) {
  const n1 = nativeMs(metric, 1);
  const n2 = nativeMs(metric, 2);
  const node = { st: nodeWasm(metric, "st"), t1: nodeWasm(metric, "1"), t2: nodeWasm(metric, "2") };
  const chr = { st: await browser.measure(metric, "st"), t1: await browser.measure(metric, "1"), t2: await browser.measure(metric, "2") };
  rows.push({ metric, n1, n2, node, chr });
  console.error(`measured ${metric}`);
}
await browser.close();

console.log(`similarity matrix, ${N} texts (Loghub Apache lines, ${texts.reduce((s, t) => s + t.length, 0) / N | 0} chars average), median of ${reps}, ms`);
console.log(`host     | metric       | native 1t | native 2t | wasm st | wasm 1t | wasm 2t | st/native1 | 2t speedup vs 1t | pool start`);
for (const r of rows) {
  for (const [host, w] of [["node", r.node], ["chromium", r.chr]]) {
    console.log(
      `${host.padEnd(8)} | ${r.metric.padEnd(12)} | ${fmt(r.n1).padStart(9)} | ${fmt(r.n2).padStart(9)} | ${fmt(w.st.ms).padStart(7)} | ${fmt(w.t1.ms).padStart(7)} | ${fmt(w.t2.ms).padStart(7)} | ${(w.st.ms / r.n1).toFixed(2).padStart(10)} | ${(w.t1.ms / w.t2.ms).toFixed(2).padStart(16)} | ${fmt(w.t2.poolMs)}`,
    );
  }
}
console.log("native = wall time of the process (spawn + JSON in + matrix + JSON out); wasm = the similarityMatrix call (includes conversion to JS arrays)");
