// The package's index.d.ts as a TypeScript user meets it: a consumer using every export compiles
// under --strict (with Node's and with bundlers' module resolution), and misuses do not.

import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";

const TSC = path.join(process.env.CONCLAVE_HARNESS ?? "", "node_modules/typescript/bin/tsc");

const GOOD = `
import init, {
  ConclaveError, info, initThreadPool, similarity, similarityMatrix, consensus, vote, seriesFeatures,
  sha256, hmacSha256, hashPassword, verifyPassword, encrypt, decrypt, analyzeLogs, LogAnalyzer,
} from "conclave-wasm";
import type {
  Info, Metric, Score, SimilarityOptions, SimilarityMatrixOptions, FlatMatrix, ConsensusResult, VoteResult, SeriesFeatures, LogReport,
} from "conclave-wasm";

const loaded: Info = await init({ threads: false });
if (loaded.threaded) await initThreadPool(2);
const metric: Metric = "jaro-winkler";
const options: SimilarityOptions = { metric };
const score: Score = similarity("a", "b", options);
const d: number | undefined = score.distance;
const m: number[][] = similarityMatrix(["a", "b"]);
const fm: FlatMatrix = similarityMatrix(["a", "b"], { metric, flat: true });
const cell: number = fm.values[fm.n + 1];
const reused: FlatMatrix = similarityMatrix(["a", "b"], { metric, flat: true, into: fm.values });
const rowsAgain: number[][] = similarityMatrix(["a", "b"], { ...options, flat: false });
const either: number[][] | FlatMatrix = similarityMatrix(["a"], { flat: Math.random() > 0.5 } as SimilarityMatrixOptions);
console.log(cell, reused, rowsAgain, either);
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
const c: ConsensusResult = consensus([{ expert: "a", content: "x", confidence: 1 }], { metric: "cosine", threshold: 0.5 });
const level: "high" | "medium" | "low" = c.level;
const v: VoteResult = vote("[]", { extract: "(\\d+)", weighted: true });
const winner: string | null = v.winner;
const f: SeriesFeatures = seriesFeatures(new Float64Array([1, 2]), { maxLag: 3, top: 1 });
const mean: number | null = f.mean;
const h: Uint8Array = sha256("abc");
const t: Uint8Array = hmacSha256(h, new Uint8Array(3));
const phc: string = hashPassword("pw", { memoryKib: 64, passes: 1 });
const ok: boolean = verifyPassword("pw", phc);
const sealed: Uint8Array = encrypt(t, { key: h, aad: "x" });
const opened: Uint8Array = decrypt(sealed, { passphrase: "p" });
const r: LogReport = analyzeLogs("a\\n", { patterns: { e: "error" }, templates: true, year: 2020 });
const stream = new LogAnalyzer({ patterns: [["e", "error"]] });
stream.push("a\\n");
const r2: LogReport = stream.finish();
console.log(level, winner, mean, ok, opened, r.levels.ERROR, r2.per_minute);
`;

const BAD = [
  ['similarity("a", "b", { metric: "nope" });', "unknown metric"],
  ["similarity(1, 2);", "numbers for strings"],
  ['const n: number = similarityMatrix(["a"]);', "matrix is not a number"],
  ['const rows: number[][] = similarityMatrix(["a"], { flat: true });', "a flat matrix is not rows"],
  ['similarityMatrix(["a"], { flat: "yes" });', "flat as a string"],
  ['similarityMatrix(["a"], { flat: true, into: [1] });', "into as a plain array"],
  ["await init({ threads: \"2\" });", "threads as a string"],
  ['encrypt(new Uint8Array(1), { aad: "x" });', "encrypt without a key or passphrase"],
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
    const source = `import { init, similarity, similarityMatrix, encrypt } from "conclave-wasm";\n${line}\nexport {};\n`;
    const r = tsc(path.join(process.cwd(), "ts-bad"), "node16", source);
    assert.notEqual(r.status, 0, `compiled: ${line}`);
    assert.match(r.stdout, /main\.ts\(2,/, r.stdout);
  });
}
