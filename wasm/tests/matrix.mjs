// Child process of threads.test.mjs: reads {texts, metrics, panels?, log?} as JSON on stdin, loads
// conclave-wasm with `threads` = argv[2] ("st" = single-threaded build, "0" = threaded build without a
// pool, else a pool of that many threads), prints {info, matrices, consensus, logs} as JSON, and
// exits by itself (the thread pool must not keep Node alive).

import { init, info, similarityMatrix, consensus, analyzeLogs } from "conclave-wasm";

const mode = process.argv[2];
let input = "";
for await (const chunk of process.stdin) input += chunk;
const { texts, metrics, panels = [], log } = JSON.parse(input);
// "0": the threaded build without a pool (rayon then runs on the calling thread alone).
await init(mode === "st" ? { threads: false } : mode === "0" ? {} : { threads: Number(mode) });
const matrices = {};
for (const metric of metrics) matrices[metric] = similarityMatrix(texts, { metric });
const results = panels.map((p) => consensus(p, { metric: "levenshtein", threshold: 0.5, matrix: true }));
const logs = log === undefined ? null : analyzeLogs(log, { patterns: { e: "error" }, templates: true });
process.stdout.write(JSON.stringify({ info: info(), matrices, consensus: results, logs }));
