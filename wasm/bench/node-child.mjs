// One WASM measurement in a fresh Node process (the package's module is one per process): reads
// {texts, metric, reps} on stdin, loads conclave-wasm as argv[2] says ("st" = single-threaded build,
// else the threaded build with a pool of that many threads), prints {info, poolMs, times} as JSON.

import { init, info, initThreadPool, similarityMatrix } from "conclave-wasm";

let input = "";
for await (const chunk of process.stdin) input += chunk;
const { texts, metric, reps } = JSON.parse(input);
const variant = process.argv[2];
await init(variant === "st" ? { threads: false } : {});
let poolMs = null;
if (variant !== "st") {
  const t0 = performance.now();
  await initThreadPool(Number(variant));
  poolMs = performance.now() - t0;
}
similarityMatrix(texts.slice(0, 20), { metric }); // warm-up
const times = [];
for (let r = 0; r < reps; r++) {
  const t0 = performance.now();
  similarityMatrix(texts, { metric });
  times.push(performance.now() - t0);
}
process.stdout.write(JSON.stringify({ info: info(), poolMs, times }));
