// The threaded build in Node (worker_threads through the npm web-worker package): it is chosen by
// feature detection, the pool starts, and matrices on 2 threads are identical to those on 1 thread
// and to the single-threaded build (computed in child processes, which must exit by themselves).

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import { init, info, initThreadPool, similarity, similarityMatrix, consensus, analyzeLogs, ConclaveError } from "conclave-wasm";
import { METRICS, matrixTexts, equalLengthTexts, corporaDir } from "./lib.mjs";
import path from "node:path";

const TEXTS = matrixTexts(80);

function child(mode, texts, metrics, extra = {}) {
  const r = spawnSync(process.execPath, [new URL("./matrix.mjs", import.meta.url).pathname, mode], {
    input: JSON.stringify({ texts, metrics, ...extra }),
    encoding: "utf8",
    timeout: 120_000,
    maxBuffer: 1 << 28,
  });
  assert.equal(r.error, undefined, `child ${mode}: ${r.error}`);
  assert.equal(r.status, 0, `child ${mode} exited ${r.status} (signal ${r.signal}): ${r.stderr}`);
  return JSON.parse(r.stdout);
}

test("init() picks the threaded build in Node", async () => {
  const i = await init();
  assert.equal(i.threaded, true, i.reason);
  assert.equal(i.threads, 1);
});

test("the thread pool starts once", async () => {
  await initThreadPool(2);
  assert.deepEqual(info(), { threaded: true, threads: 2, reason: "threads available" });
  await initThreadPool(2);
  await assert.rejects(initThreadPool(3), (e) => e instanceof ConclaveError && e.code === "E_THREAD_POOL");
});

test("2 threads give the same matrices as 1 thread, no pool, and the single-threaded build", () => {
  const metrics = METRICS.filter((m) => m !== "hamming");
  const one = child("1", TEXTS, metrics);
  const none = child("0", TEXTS, metrics);
  const st = child("st", TEXTS, metrics);
  assert.deepEqual(one.info, { threaded: true, threads: 1, reason: "threads available" });
  assert.deepEqual(none.info, { threaded: true, threads: 1, reason: "threads available" });
  assert.equal(st.info.threaded, false);
  for (const metric of metrics) {
    const two = JSON.stringify(similarityMatrix(TEXTS, { metric }));
    assert.equal(two, JSON.stringify(one.matrices[metric]), `${metric}: 2 threads vs 1 thread`);
    assert.equal(two, JSON.stringify(none.matrices[metric]), `${metric}: 2 threads vs threaded build without a pool`);
    assert.equal(two, JSON.stringify(st.matrices[metric]), `${metric}: 2 threads vs single-threaded build`);
    const flat = similarityMatrix(TEXTS, { metric, flat: true });
    assert.equal(flat.n, TEXTS.length);
    assert.equal(JSON.stringify(Array.from(flat.values)), JSON.stringify(one.matrices[metric].flat()), `${metric}: flat on 2 threads vs rows on 1 thread`);
    const into = similarityMatrix(TEXTS, { metric, flat: true, into: new Float64Array(TEXTS.length ** 2) }).values;
    assert.equal(JSON.stringify(Array.from(into)), JSON.stringify(one.matrices[metric].flat()), `${metric}: into on 2 threads vs rows on 1 thread`);
  }
  const same = equalLengthTexts(TEXTS);
  assert.equal(
    JSON.stringify(similarityMatrix(same, { metric: "hamming" })),
    JSON.stringify(child("st", same, ["hamming"]).matrices.hamming),
  );
});

test("consensus and analyzeLogs: the same results on 2 threads, 1 thread and the single-threaded build", () => {
  const panels = [TEXTS.map((content, i) => ({ expert: `e${i % 7}`, content, confidence: ((i * 37) % 101) / 100 }))];
  // Several pieces of 256 KiB, so the log is analysed in parallel.
  const one = fs.readFileSync(path.join(corporaDir(), "loghub/Apache/Apache_2k.log"), "utf8");
  const log = [one, one, one, one, one].join("");
  const opts = { metric: "levenshtein", threshold: 0.5, matrix: true };
  const two = JSON.stringify({
    consensus: panels.map((p) => consensus(p, opts)),
    logs: analyzeLogs(log, { patterns: { e: "error" }, templates: true }),
  });
  assert.ok(JSON.parse(two).logs.bytes > 3 * 256 * 1024, "more than three pieces");
  for (const mode of ["1", "0", "st"]) {
    const c = child(mode, [], [], { panels, log });
    assert.equal(JSON.stringify({ consensus: c.consensus, logs: c.logs }), two, `2 threads vs ${mode}`);
  }
});

test("a child on 2 threads gives the same result and exits by itself", () => {
  const texts = TEXTS.slice(0, 60);
  const two = child("2", texts, ["cosine", "levenshtein"]);
  assert.equal(two.info.threads, 2);
  assert.deepEqual(two.matrices.cosine, similarityMatrix(texts, { metric: "cosine" }));
  assert.deepEqual(two.matrices.levenshtein, similarityMatrix(texts, { metric: "levenshtein" }));
});

test("errors on the threaded build are ConclaveErrors and the pool keeps working", () => {
  assert.throws(
    () => similarityMatrix(["abc", "ab", "a"], { metric: "hamming" }),
    (e) => e instanceof ConclaveError && e.code === "E_SIMILARITY",
  );
  assert.deepEqual(similarity("kitten", "sitting"), { distance: 3, similarity: 1 - 3 / 7 });
  assert.equal(similarityMatrix(TEXTS.slice(0, 30), { metric: "osa" }).length, 30);
});

test("initThreadPool after the first kernel call is refused, not hung", () => {
  const script = `
    import { init, initThreadPool, similarity } from "conclave-wasm";
    await init();
    similarity("a", "b");
    try { await initThreadPool(2); console.log("started"); }
    catch (e) { console.log(e.code); }
  `;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    encoding: "utf8",
    timeout: 60_000,
    cwd: new URL(".", import.meta.url).pathname,
  });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), "E_THREAD_POOL");
});

test("the README's Node example runs as written and exits by itself", () => {
  const readme = createRequire(import.meta.url).resolve("conclave-wasm/package.json").replace(/package\.json$/, "README.md");
  const code = fs.readFileSync(readme, "utf8").match(/## Node\n\n```js\n([^]*?)```/)[1];
  // A file, not `-e`: workers inherit execArgv, and worker_threads refuse `--input-type`.
  const file = new URL("./readme-example.mjs", import.meta.url).pathname;
  fs.writeFileSync(file, code);
  const r = spawnSync(process.execPath, [file], { encoding: "utf8", timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, "0.6666666666666666\n");
});

test("a threaded build that fails to load falls back to the single-threaded one", () => {
  // A copy of the installed packages whose threaded .wasm is damaged.
  const here = new URL(".", import.meta.url).pathname;
  const dir = `${here}broken-install`;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.cpSync(`${here}node_modules`, `${dir}/node_modules`, { recursive: true });
  fs.writeFileSync(`${dir}/package.json`, '{"type":"module"}');
  fs.writeFileSync(`${dir}/node_modules/conclave-wasm/mt/conclave_wasm_bg.wasm`, "not wasm");
  fs.writeFileSync(
    `${dir}/main.mjs`,
    'import { init, similarity } from "conclave-wasm";\nconsole.log(JSON.stringify([await init(), similarity("ab", "abc")]));\n',
  );
  const r = spawnSync(process.execPath, [`${dir}/main.mjs`], { encoding: "utf8", timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  const [loaded, score] = JSON.parse(r.stdout);
  assert.equal(loaded.threaded, false);
  assert.match(loaded.reason, /^the threaded build did not load: /);
  assert.deepEqual(score, { distance: 1, similarity: 1 - 1 / 3 });
});
