// The package's index.d.ts as a TypeScript user meets it: a consumer using every export compiles
// under --strict (with Node's and with bundlers' module resolution), and misuses do not.

import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";

const TSC = path.join(process.env.CONCLAVE_HARNESS ?? "", "node_modules/typescript/bin/tsc");

const GOOD = `
import init, { ConclaveError, info, initThreadPool, similarity, similarityMatrix } from "conclave-wasm";
import type { Info, Metric, Score, SimilarityOptions } from "conclave-wasm";

const loaded: Info = await init({ threads: false });
if (loaded.threaded) await initThreadPool(2);
const metric: Metric = "jaro-winkler";
const options: SimilarityOptions = { metric };
const score: Score = similarity("a", "b", options);
const d: number | undefined = score.distance;
const m: number[][] = similarityMatrix(["a", "b"]);
try {
  similarity("a", "b", { metric: "hamming" });
} catch (e) {
  if (e instanceof ConclaveError) {
    const code: string = e.code;
    const line: number | undefined = e.line;
    console.log(code, line, e.message);
  }
}
console.log(info().reason, d, m);
`;

const BAD = [
  ['similarity("a", "b", { metric: "nope" });', "unknown metric"],
  ["similarity(1, 2);", "numbers for strings"],
  ['const n: number = similarityMatrix(["a"]);', "matrix is not a number"],
  ["await init({ threads: \"2\" });", "threads as a string"],
];

function tsc(dir, moduleResolution, source) {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "main.ts"), source);
  return spawnSync(process.execPath, [
    TSC, "--noEmit", "--strict", "--target", "es2022", "--module", moduleResolution === "bundler" ? "esnext" : "node16",
    "--moduleResolution", moduleResolution, path.join(dir, "main.ts"),
  ], { encoding: "utf8" });
}

for (const resolution of ["node16", "bundler"]) {
  test(`a consumer compiles under --strict (moduleResolution ${resolution})`, () => {
    const r = tsc(path.join(process.cwd(), `ts-good-${resolution}`), resolution, GOOD);
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });
}

for (const [line, what] of BAD) {
  test(`misuse is a type error: ${what}`, () => {
    const source = `import { init, similarity, similarityMatrix } from "conclave-wasm";\n${line}\nexport {};\n`;
    const r = tsc(path.join(process.cwd(), "ts-bad"), "node16", source);
    assert.notEqual(r.status, 0, `compiled: ${line}`);
    assert.match(r.stdout, /main\.ts\(2,/, r.stdout);
  });
}
