// The demo's JS baselines in Node: the bit-parallel Levenshtein against plain dynamic programming
// (across the 32-bit block boundaries, with astral characters), the tokenizer on core/src/text.rs's
// examples, and both similarity matrices equal, bit for bit, to the single-threaded WASM build's.

import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { levenshteinMatrix, levenshteinDP, cosineMatrix, sameMatrix } from "../kernels/similarity.js";
import { words, rng, expertResponses } from "../kernels/text.js";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

test("Levenshtein (Myers, 32-bit blocks) equals dynamic programming", () => {
  const r = rng(3);
  const alphabet = ["a", "b", "c", "é", "😀", " ", "x"];
  const str = (n) => Array.from({ length: n }, () => alphabet[Math.floor(r() * alphabet.length)]).join("");
  let cases = 0;
  for (const [la, lb] of [[0, 0], [0, 5], [31, 33], [32, 32], [33, 64], [64, 65], [97, 130], [150, 149]]) {
    for (let k = 0; k < 40; k++) {
      const [a, b] = [str(la), str(lb)];
      const got = levenshteinMatrix([a, b])[0][1];
      const total = Math.max([...a].length, [...b].length);
      const want = total === 0 ? 1 : 1 - levenshteinDP(a, b) / total;
      assert.equal(got, want, `'${a}' vs '${b}'`);
      cases++;
    }
  }
  assert.equal(levenshteinDP("kitten", "sitting"), 3);
  assert.equal(cases, 320);
});

test("words: UAX #29 word-like segments, lowercased (core/src/text.rs examples)", () => {
  assert.deepEqual(words("Don't PANIC, use v2.0!"), ["don't", "panic", "use", "v2.0"]);
  assert.deepEqual(words("Straße ÉTÉ"), ["straße", "été"]);
  assert.deepEqual(words("İ"), ["i\u0307"]);
  assert.deepEqual(words("  ,.;  "), []);
});

test("cosine: empty texts, identical texts, word order and case", () => {
  const m = cosineMatrix(["", "", "a b", "B A!", "a a b", "c"]);
  assert.equal(m[0][1], 1); // no words on either side
  assert.equal(m[0][2], 0); // words on one side only
  assert.equal(m[2][3], 1);
  assert.equal(m[2][4], 3 / Math.sqrt(2 * 5));
  assert.equal(m[2][5], 0);
});

async function loadWasm() {
  const dirs = ["target/npm/package/st", "target/wasm-pkg/web", "target/wasm-pkg/st"].map((d) => path.join(REPO, d));
  const dir = dirs.find((d) => fs.existsSync(path.join(d, "conclave_wasm.js")));
  if (!dir) return null;
  const glue = await import(pathToFileURL(path.join(dir, "conclave_wasm.js")).href);
  await glue.default({ module_or_path: fs.readFileSync(path.join(dir, "conclave_wasm_bg.wasm")) });
  return glue;
}

test("JS matrices equal the WASM build's, bit for bit", async () => {
  const wasm = await loadWasm();
  assert.ok(wasm, "no WASM web build: run scripts/build-wasm web (scripts/test-web-demo does)");
  const texts = [
    ...expertResponses(150, 99),
    "", "", "Ünïcödé ÀÉÎ straße STRASSE", "l'été d'Œdipe — c'est ça", "3.14 v2.0 03:14 e.g. Wi-Fi",
    "ΣΊΣΥΦΟΣ σίσυφος", "Привет, МИР! мир", "a".repeat(70), "a".repeat(69) + "b",
  ];
  for (const [metric, js] of [["cosine", cosineMatrix], ["levenshtein", levenshteinMatrix]]) {
    const want = wasm.similarityMatrix(texts, { metric });
    const got = js(texts);
    assert.ok(sameMatrix(got, want), `${metric}: JS and WASM matrices differ`);
  }
});
