// Shared helpers of the conclave-wasm tests. The tests run from a fresh folder where the packed
// tarball is installed (wasm/tests/run), so the repository is found through CONCLAVE_ROOT, the native
// binary through CONCLAVE_BIN, and the public corpora by walking up from the root to `shared/corpora`.

import fs from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";

export const METRICS = [
  "levenshtein", "osa", "damerau-levenshtein", "indel", "lcs", "hamming", "jaro", "jaro-winkler",
  "sorensen-dice", "jaccard", "cosine", "token-sort", "token-set", "partial",
];

export function repoRoot() {
  const root = process.env.CONCLAVE_ROOT;
  if (!root) throw new Error("CONCLAVE_ROOT is not set (run the tests through wasm/tests/run)");
  return root;
}

/** `<ancestor>/shared/corpora` for the nearest ancestor of the repository that has one. */
export function corporaDir() {
  let dir = path.resolve(repoRoot());
  for (;;) {
    const candidate = path.join(dir, "shared", "corpora");
    if (fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no shared/corpora above ${repoRoot()}`);
    dir = parent;
  }
}

/** Runs the native `conclave` binary; returns {status, stdout, stderr}. */
export function native(args, input) {
  const bin = process.env.CONCLAVE_BIN;
  if (!bin) throw new Error("CONCLAVE_BIN is not set (run the tests through wasm/tests/run)");
  const r = spawnSync(bin, args, { input, encoding: "utf8", maxBuffer: 1 << 28 });
  if (r.error) throw r.error;
  return r;
}

const HAND_PAIRS = [
  ["", ""], ["", "abc"], ["kitten", "sitting"], ["MARTHA", "MARHTA"], ["DIXON", "DICKSONX"],
  ["Hello, World", "world hello"], ["The quick brown fox", "the quick brown fox jumps"],
  ["naïve café", "naive cafe"], ["東京都", "京都"], ["😀😃😄", "😀😄"], ["e\u0301", "\u00e9"],
  ["a".repeat(70) + "b", "a".repeat(69) + "bb"], // past one 64-bit block
  ["consensus over expert answers, string similarity", "string similarity and consensus over answers"],
  ["abcdefghij".repeat(20), "abcdefghiJ".repeat(20)],
  ["ca", "abc"], ["a cat", "an act"], ["flaw", "lawn"], ["ab ab ab", "ab"], ["  ", " "],
];

/** The fixed pairs of the golden tests: hand-written ones, strsim-rs's and jellyfish's test strings. */
export function goldenPairs() {
  const corpora = corporaDir();
  const pairs = [...HAND_PAIRS];
  const strsim = JSON.parse(fs.readFileSync(path.join(corpora, "strsim-rs/strsim_test_cases.json"), "utf8"));
  for (const c of strsim.cases) pairs.push([c.a, c.b]);
  const csv = fs.readFileSync(path.join(corpora, "jellyfish/testdata/levenshtein.csv"), "utf8");
  for (const line of csv.split("\n")) {
    const cols = line.split(",");
    if (cols.length === 3) pairs.push([cols[0], cols[1]]);
  }
  const seen = new Set();
  return pairs.filter(([a, b]) => {
    const key = JSON.stringify([a, b]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Pairs a metric accepts: hamming needs equal lengths in Unicode scalar values. */
export function pairsFor(metric, pairs) {
  return metric === "hamming" ? pairs.filter(([a, b]) => [...a].length === [...b].length) : pairs;
}

/**
 * Texts for matrices: `n` lines of Loghub's Apache sample cut to `maxChars` (the golden tests run the
 * native CLI's debug build, slow on long strings), then hand-written strings.
 */
export function matrixTexts(n = 48, maxChars = 80) {
  const log = fs.readFileSync(path.join(corporaDir(), "loghub/Apache/Apache_2k.log"), "utf8");
  const lines = log.split("\n").filter((l) => l.length > 0).slice(0, n).map((l) => [...l].slice(0, maxChars).join(""));
  return [...lines, ...HAND_PAIRS.flat().slice(0, 16)];
}

/** Texts of one length in chars (for hamming matrices). */
export function equalLengthTexts(texts, len = 24) {
  return texts.map((t) => [...t.padEnd(len, ".")].slice(0, len).join(""));
}
