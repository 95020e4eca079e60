// The similarity functions of the WASM build, checked against known values.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const conclave = require("../../target/wasm-pkg/node/conclave_wasm.js");

test("levenshtein distance and similarity", () => {
  assert.deepEqual(conclave.similarity("kitten", "sitting", { metric: "levenshtein" }), {
    distance: 3,
    similarity: 1 - 3 / 7,
  });
});

test("metrics without a distance return only the similarity", () => {
  const r = conclave.similarity("MARTHA", "MARHTA", { metric: "jaro-winkler" });
  assert.equal(r.distance, undefined);
  assert.ok(Math.abs(r.similarity - 0.9611111111111111) < 1e-15);
});

test("matrix is symmetric with a unit diagonal", () => {
  const m = conclave.similarityMatrix(["a b c", "a b", "x y"], { metric: "jaccard" });
  assert.deepEqual(m, [
    [1, 2 / 3, 0],
    [2 / 3, 1, 0],
    [0, 0, 1],
  ]);
});

test("errors are ConclaveErrors with a code, and the module keeps working", () => {
  assert.throws(() => conclave.similarity("a", "b", { metric: "nope" }), (e) => e.name === "ConclaveError" && e.code === "E_METRIC");
  assert.throws(() => conclave.similarity("abc", "ab", { metric: "hamming" }), (e) => e.code === "E_SIMILARITY");
  assert.equal(conclave.similarity("abc", "abd", { metric: "hamming" }).distance, 1);
});
