// The API of the installed package, single-threaded: known values, ConclaveError for every bad
// input (and the module still works after it), init/initThreadPool rules, and the package's shape.

import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { createRequire } from "node:module";
import * as conclave from "conclave-wasm";
import * as browserEntry from "conclave-wasm/browser";

const { ConclaveError, init, info, initThreadPool, similarity, similarityMatrix } = conclave;
const isConclave = (code) => (e) => e instanceof ConclaveError && e instanceof Error && e.code === code;

test("calls before init fail with E_NOT_INITIALIZED", async () => {
  assert.throws(() => similarity("a", "b"), isConclave("E_NOT_INITIALIZED"));
  await assert.rejects(initThreadPool(2), isConclave("E_NOT_INITIALIZED"));
});

test("init({threads: false}) loads the single-threaded build, once", async () => {
  const p = init({ threads: false });
  assert.equal(init({ threads: false }), p);
  const i = await p;
  assert.deepEqual(i, { threaded: false, threads: 1, reason: "single-threaded build requested (threads: false)" });
  assert.deepEqual(info(), i);
});

test("levenshtein distance and similarity", () => {
  assert.deepEqual(similarity("kitten", "sitting", { metric: "levenshtein" }), { distance: 3, similarity: 1 - 3 / 7 });
  assert.deepEqual(similarity("kitten", "sitting"), { distance: 3, similarity: 1 - 3 / 7 }, "levenshtein is the default");
});

test("metrics without a distance return only the similarity", () => {
  const r = similarity("MARTHA", "MARHTA", { metric: "jaro-winkler" });
  assert.equal("distance" in r, false);
  assert.ok(Math.abs(r.similarity - 0.9611111111111111) < 1e-15);
});

test("matrix is symmetric with a unit diagonal", () => {
  assert.deepEqual(similarityMatrix(["a b c", "a b", "x y"], { metric: "jaccard" }), [
    [1, 2 / 3, 0],
    [2 / 3, 1, 0],
    [0, 0, 1],
  ]);
  assert.deepEqual(similarityMatrix([]), []);
  assert.deepEqual(similarityMatrix(["solo"]), [[1]]);
});

test("flat: true gives the rows' values, row-major, for several metrics", () => {
  const texts = [
    "The quick brown fox", "the quick brown dog", "kitten", "sitting", "", "A fox, quick and brown",
    "naïve café", "naive cafe", "x y z x", "z y x",
  ];
  const n = texts.length;
  for (const metric of ["levenshtein", "jaro-winkler", "cosine", "jaccard", "token-set", "partial", "lcs"]) {
    const rows = similarityMatrix(texts, { metric });
    const flat = similarityMatrix(texts, { metric, flat: true });
    assert.deepEqual(Object.keys(flat).sort(), ["n", "values"], metric);
    assert.equal(flat.n, n, metric);
    assert.ok(flat.values instanceof Float64Array, `${metric}: values is a Float64Array`);
    assert.equal(flat.values.length, n * n, metric);
    let offDiagonal = 0;
    for (let i = 0; i < n; i++) {
      assert.equal(rows[i].length, n, metric);
      for (let j = 0; j < n; j++) {
        assert.ok(Object.is(flat.values[i * n + j], rows[i][j]), `${metric}: [${i}][${j}] ${flat.values[i * n + j]} vs ${rows[i][j]}`);
        if (i !== j && rows[i][j] > 0 && rows[i][j] < 1) offDiagonal++;
      }
    }
    assert.ok(offDiagonal > 0, `${metric}: some cells strictly between 0 and 1 (the input tells texts apart)`);
  }
  assert.deepEqual(similarityMatrix(texts, { metric: "cosine", flat: false }), similarityMatrix(texts, { metric: "cosine" }));
});

test("matrix cells equal the pairwise similarity, lone surrogates and NULs at the texts' edges included", () => {
  // api.js passes the texts to the module as one string joined by NUL with their lengths: each
  // text must still be converted exactly as `similarity` converts it alone.
  const texts = ["a\uD800", "\uDC00b", "\uD83E", "\uDD80", "🦀x", "x🦀", "\0", "", "\0a\0", "été", "\uFFFD"];
  const n = texts.length;
  for (const metric of ["levenshtein", "jaro", "cosine", "lcs"]) {
    const flat = similarityMatrix(texts, { metric, flat: true }).values;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const want = i === j ? 1 : similarity(texts[i], texts[j], { metric }).similarity;
        assert.ok(Object.is(flat[i * n + j], want), `${metric} [${i}][${j}]: ${flat[i * n + j]} vs ${want}`);
      }
    }
  }
  // A lone high surrogate and a lone low one in neighbouring texts are two U+FFFD, not a crab.
  assert.equal(similarityMatrix(["\uD83E", "\uDD80"], { metric: "levenshtein" })[0][1], 1);
  assert.equal(similarityMatrix(["\uD83E", "\uDD80", "🦀"], { metric: "levenshtein" })[0][2], 0);
});

test("flat: true with into writes the caller's array, only on success", () => {
  const texts = ["The quick brown fox", "the quick brown dog", "kitten", "", "naïve café"];
  const n = texts.length;
  for (const metric of ["levenshtein", "cosine", "token-set"]) {
    const into = new Float64Array(n * n).fill(-1);
    const r = similarityMatrix(texts, { metric, flat: true, into });
    assert.equal(r.n, n);
    assert.equal(r.values, into, `${metric}: values is the caller's array`);
    assert.deepEqual(Array.from(into), Array.from(similarityMatrix(texts, { metric, flat: true }).values), metric);
  }
  const kept = new Float64Array(4).fill(-1);
  assert.throws(() => similarityMatrix(["abc", "ab"], { metric: "hamming", flat: true, into: kept }), isConclave("E_SIMILARITY"));
  assert.deepEqual(Array.from(kept), [-1, -1, -1, -1], "untouched after an error");
  assert.deepEqual(similarityMatrix([], { flat: true, into: new Float64Array(0) }).values.length, 0);
  for (const [into, flat, what] of [
    [new Float64Array(3), true, "too short"],
    [new Float64Array(5), true, "too long"],
    [new Float32Array(4), true, "a Float32Array"],
    [[0, 0, 0, 0], true, "an array"],
    [null, true, "null"],
    [new Float64Array(4), undefined, "without flat"],
    [new Float64Array(4), false, "with flat: false"],
  ]) {
    assert.throws(() => similarityMatrix(["a", "b"], { flat, into }), (e) => isConclave("E_OPTIONS")(e) && /options\.into/.test(e.message), what);
  }
  assert.deepEqual(Array.from(similarityMatrix(["ab", "ab"], { flat: true, into: new Float64Array(4) }).values), [1, 1, 1, 1]);
});

test("flat: true for 0 and 1 texts", () => {
  const none = similarityMatrix([], { flat: true });
  assert.equal(none.n, 0);
  assert.ok(none.values instanceof Float64Array);
  assert.equal(none.values.length, 0);
  const one = similarityMatrix(["solo"], { metric: "cosine", flat: true });
  assert.equal(one.n, 1);
  assert.deepEqual(Array.from(one.values), [1]);
});

test("a flat option that is not a boolean is an E_OPTIONS ConclaveError, and the module keeps working", () => {
  for (const flat of ["yes", 1, 0, null, {}, []]) {
    assert.throws(
      () => similarityMatrix(["a", "b"], { flat }),
      (e) => isConclave("E_OPTIONS")(e) && /options\.flat/.test(e.message),
      `flat: ${JSON.stringify(flat)}`,
    );
  }
  assert.throws(() => similarityMatrix(["abc", "ab"], { metric: "hamming", flat: true }), isConclave("E_SIMILARITY"));
  assert.throws(() => similarityMatrix(["a"], { metric: "nope", flat: true }), isConclave("E_METRIC"));
  assert.deepEqual(Array.from(similarityMatrix(["ab", "ab"], { flat: true }).values), [1, 1, 1, 1]);
});

test("errors are ConclaveErrors with a code, and the module keeps working", () => {
  assert.throws(
    () => similarity("a", "b", { metric: "nope" }),
    (e) => isConclave("E_METRIC")(e) && e.name === "ConclaveError" && /unknown metric 'nope'/.test(e.message),
  );
  assert.throws(() => similarity("abc", "ab", { metric: "hamming" }), isConclave("E_SIMILARITY"));
  assert.throws(
    () => similarityMatrix(["abc", "ab"], { metric: "hamming" }),
    (e) => isConclave("E_SIMILARITY")(e) && /items 0 and 1/.test(e.message),
  );
  assert.throws(() => similarity("a", "b", { metric: 5 }), isConclave("E_OPTIONS"));
  assert.throws(() => similarity("a", "b", "levenshtein"), isConclave("E_OPTIONS"));
  assert.throws(() => similarity("a", 7), isConclave("E_ARGUMENT"));
  assert.throws(() => similarityMatrix("abc"), isConclave("E_ARGUMENT"));
  assert.throws(() => similarityMatrix(["a", null]), (e) => isConclave("E_ARGUMENT")(e) && /texts\[1\]/.test(e.message));
  assert.equal(similarity("abc", "abd", { metric: "hamming" }).distance, 1);
});

test("errors carry no line/column unless the kernel locates them", () => {
  try {
    similarity("a", "b", { metric: "nope" });
    assert.fail("no error");
  } catch (e) {
    assert.equal("line" in e, false);
    assert.equal("column" in e, false);
  }
  const located = new ConclaveError("bad", { code: "E_X", line: 3, column: 9 });
  assert.equal(located.line, 3);
  assert.equal(located.column, 9);
  assert.equal(located.code, "E_X");
});

test("initThreadPool is refused by the single-threaded build", async () => {
  await assert.rejects(initThreadPool(2), isConclave("E_NO_THREADS"));
});

test("init options are checked", async () => {
  // init already ran: a call with bad options still validates them first.
  await assert.rejects(init({ threads: 0 }), isConclave("E_OPTIONS"));
  await assert.rejects(init({ threads: "2" }), isConclave("E_OPTIONS"));
  await assert.rejects(init("all"), isConclave("E_OPTIONS"));
});

test("the node and browser entries export the same names, all declared in index.d.ts", () => {
  const names = Object.keys(conclave).sort();
  assert.deepEqual(Object.keys(browserEntry).sort(), names);
  const require = createRequire(import.meta.url);
  const pkgDir = require.resolve("conclave-wasm/package.json").replace(/package\.json$/, "");
  const dts = fs.readFileSync(pkgDir + "index.d.ts", "utf8");
  const declared = [...dts.matchAll(/^export (?:function|class) (\w+)/gm)].map((m) => m[1]);
  declared.push("default");
  assert.deepEqual([...new Set(declared)].sort(), names);
  for (const name of names.filter((n) => n !== "default" && n !== "ConclaveError")) {
    assert.match(dts, new RegExp(`/\\*\\*[^]*?\\*/\\s*export (?:function ${name}\\(|class ${name} )`), `${name} has JSDoc`);
  }
  const pkg = JSON.parse(fs.readFileSync(pkgDir + "package.json", "utf8"));
  assert.equal(pkg.type, "module");
  assert.equal(pkg.exports["."].node, "./node.js");
  assert.equal(pkg.exports["."].browser, "./browser.js");
});
