// Golden tests: the WASM outputs equal the native CLI's JSON (`conclave similarity --format json`,
// `--pairs`, `--matrix`) for a fixed set of inputs, compared as parsed JSON (f64 round-trip exact).
// golden-st.test.mjs and golden-mt.test.mjs run this for each build.

import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { init, info, similarity, similarityMatrix, ConclaveError } from "conclave-wasm";
import { METRICS, native, goldenPairs, pairsFor, matrixTexts, equalLengthTexts } from "./lib.mjs";
import { kernelGoldens } from "./golden-kernels.mjs";

export function goldenSuite(initOptions, expectThreaded) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "conclave-golden-"));
  const file = (name, text) => {
    const p = path.join(tmp, name);
    fs.writeFileSync(p, text);
    return p;
  };
  const pairs = goldenPairs();
  const texts = matrixTexts();

  test("init", async () => {
    await init(initOptions);
    assert.equal(info().threaded, expectThreaded, info().reason);
  });

  for (const metric of METRICS) {
    test(`pairs, ${metric}`, () => {
      const mine = pairsFor(metric, pairs);
      assert.ok(mine.length >= 20, `only ${mine.length} pairs`);
      const input = file(`${metric}.jsonl`, mine.map(([a, b]) => JSON.stringify({ a, b })).join("\n") + "\n");
      const r = native(["similarity", "--metric", metric, "--pairs", input]);
      assert.equal(r.status, 0, r.stderr);
      const want = r.stdout.trimEnd().split("\n").map((l) => JSON.parse(l));
      assert.equal(want.length, mine.length);
      const bad = [];
      mine.forEach(([a, b], i) => {
        const got = similarity(a, b, { metric });
        if (JSON.stringify(got) !== JSON.stringify(want[i])) bad.push(`${JSON.stringify([a, b])}: wasm ${JSON.stringify(got)} native ${JSON.stringify(want[i])}`);
      });
      assert.deepEqual(bad, [], `${bad.length} of ${mine.length} pairs differ`);
    });

    test(`one pair as --format json, ${metric}`, () => {
      const [a, b] = metric === "hamming" ? ["karolin", "kathrin"] : ["Hello, World", "world hello!"];
      const r = native(["similarity", "--metric", metric, "--format", "json", a, b]);
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(similarity(a, b, { metric }), JSON.parse(r.stdout));
    });

    test(`matrix, ${metric}`, () => {
      const mine = metric === "hamming" ? equalLengthTexts(texts) : texts;
      const r = native(["similarity", "--metric", metric, "--matrix", file(`${metric}.json`, JSON.stringify(mine))]);
      assert.equal(r.status, 0, r.stderr);
      const got = similarityMatrix(mine, { metric });
      assert.equal(got.length, mine.length);
      assert.equal(JSON.stringify(got), JSON.stringify(JSON.parse(r.stdout)));
    });
  }

  test("both refuse hamming on different lengths and unknown metrics", () => {
    const r = native(["similarity", "--metric", "hamming", "--format", "json", "abc", "ab"]);
    assert.equal(r.status, 2);
    assert.throws(() => similarity("abc", "ab", { metric: "hamming" }), (e) => e instanceof ConclaveError && e.code === "E_SIMILARITY" && r.stderr.includes(e.message));
    const u = native(["similarity", "--metric", "nope", "a", "b"]);
    assert.equal(u.status, 2);
    assert.throws(() => similarity("a", "b", { metric: "nope" }), (e) => e.code === "E_METRIC" && u.stderr.includes(e.message));
  });

  kernelGoldens(file);
}
