// The demo's JS baselines in Node: the bit-parallel Levenshtein against plain dynamic programming
// (across the 32-bit block boundaries, with astral characters), the tokenizer on core/src/text.rs's
// examples, both similarity matrices equal, bit for bit, to the single-threaded WASM build's, and
// the series, consensus, log, config and AES-GCM envelope baselines against the npm package.

import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { levenshteinMatrix, levenshteinDP, cosineMatrix, sameMatrix } from "../kernels/similarity.js";
import { words, rng, expertResponses } from "../kernels/text.js";
import { seriesSubset, sameSubset, generateSeries, percentile } from "../kernels/series.js";
import { analyzeIsoLog, sameLogReport, generateLog } from "../kernels/logs.js";
import { consensusCore, sameConsensus, generateResponses, components, weightedMedoid } from "../kernels/consensus.js";
import { generateConfig, sameTree, EXAMPLE_CONFIG } from "../kernels/config.js";
import { configView } from "../views.js";
import { seal, open, envelopeNonce } from "../kernels/envelope.js";

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

test("JS matrices equal the WASM build's, bit for bit", async () => {
  const wasm = await loadPackage();
  assert.ok(wasm, "no npm package: run scripts/build-npm (scripts/test-web-demo does)");
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

test("series subset: numpy-style percentiles and least squares on small cases", () => {
  // numpy.percentile([1, 2, 3, 4], [5, 25, 50, 75, 95, 99]) = 1.15, 1.75, 2.5, 3.25, 3.85, 3.97
  const want = [1.15, 1.75, 2.5, 3.25, 3.85, 3.97];
  [5, 25, 50, 75, 95, 99].forEach((p, k) => assert.ok(Math.abs(percentile([1, 2, 3, 4], p) - want[k]) < 1e-12, `p${p}`));
  const f = seriesSubset([3, 5, 7, 9]);
  assert.equal(f.slope, 2);
  assert.equal(f.intercept, 3);
  assert.equal(f.r2, 1);
  assert.equal(f.roughness, 0);
  assert.equal(f.std, Math.sqrt(20 / 3));
  const e = seriesSubset([]);
  assert.equal(e.n, 0);
  assert.equal(e.mean, null);
  assert.equal(seriesSubset([2, 2, 2]).r2, null);
});

test("consensus: medoid ties go to the lowest index; clusters are components", () => {
  // Rows 1 and 2 are the same text with equal confidence: an exact tie, broken by index.
  const s = [
    [1, 0.5, 0.5, 0],
    [0.5, 1, 1, 0.1],
    [0.5, 1, 1, 0.1],
    [0, 0.1, 0.1, 1],
  ];
  assert.equal(weightedMedoid(s, [0.3, 0.7, 0.7, 0.9]), 1);
  assert.deepEqual(components(s, 0.5), [[0, 1, 2], [3]]);
  assert.deepEqual(components(s, 0.9), [[1, 2], [0], [3]]);
});

/** The npm package's API (target/npm/package, single-threaded), as the page's workers use it. */
async function loadPackage() {
  const entry = path.join(process.env.CONCLAVE_NPM_PKG ?? path.join(REPO, "target/npm/package"), "node.js");
  if (!fs.existsSync(entry)) return null;
  const pkg = await import(pathToFileURL(entry).href);
  await pkg.init({ threads: false });
  return pkg;
}

test("series subset and consensus equal the WASM build's results", async () => {
  const wasm = await loadPackage();
  assert.ok(wasm, "no npm package: run scripts/build-npm (scripts/test-web-demo does)");
  const r = rng(5);
  const cases = {
    generated: generateSeries(5000),
    tiny: [1],
    two: [4, -2],
    constant: [7, 7, 7, 7],
    huge: Array.from({ length: 300 }, () => (r() - 0.5) * 1e300),
    small: Array.from({ length: 301 }, () => (r() - 0.5) * 1e-300),
  };
  for (const [name, v] of Object.entries(cases)) {
    assert.ok(sameSubset(seriesSubset(v), wasm.seriesFeatures(Float64Array.from(v))), `series '${name}'`);
  }
  for (const [count, seed] of [[2, 1], [40, 2], [150, 3], [300, 4]]) {
    const responses = generateResponses(count, seed);
    for (const threshold of [0.3, 0.7]) {
      const got = consensusCore(responses, threshold);
      const want = wasm.consensus(responses, { threshold });
      assert.ok(sameConsensus(got, want), `consensus of ${count} (seed ${seed}) at ${threshold}`);
    }
  }
  // Duplicated texts with equal confidences: exact ties in the medoid.
  const dup = [0, 1, 2, 0, 1, 2, 2].map((k) => ({ expert: `e${k}`, content: ["renew the cert", "flush dns", "renew cert now"][k], confidence: 0.5 }));
  assert.ok(sameConsensus(consensusCore(dup), wasm.consensus(dup, {})), "consensus with exact ties");
});

test("log analysis: the JS reader of ISO 8601 lines equals the WASM report on them", async () => {
  const wasm = await loadPackage();
  assert.ok(wasm, "no npm package: run scripts/build-npm (scripts/test-web-demo does)");
  const cases = {
    generated: generateLog(200_000),
    sparse: generateLog(20_000, 3, 90_000),
    "no final newline": generateLog(5000, 4).trimEnd(),
    "mixed case, CRLF, unknown level": "2026-01-01T00:00:00Z warning a\r\n2026-01-01T00:00:59.5Z Err b\r\n2026-01-01T00:01:00Z NOPE c\r\n",
  };
  for (const [name, text] of Object.entries(cases)) {
    const got = analyzeIsoLog(text);
    const want = wasm.analyzeLogs(text, {});
    assert.ok(sameLogReport(got, want), `${name}: ${JSON.stringify(got)} vs ${JSON.stringify({ ...want, templates: undefined })}`);
  }
});

test("config: the generated YAML, JSON and TOML parse to JSON.parse's tree; syntax errors have a line and column", async () => {
  const wasm = await loadPackage();
  assert.ok(wasm, "no npm package: run scripts/build-npm (scripts/test-web-demo does)");
  for (const n of [1, 2, 37]) {
    const texts = generateConfig(n, 5);
    const want = JSON.parse(texts.json);
    assert.equal(want.services.length, n);
    for (const format of ["json", "yaml", "toml"]) {
      const got = wasm.parseConfig(texts[format], { format });
      assert.equal(got.format, format);
      assert.ok(sameTree(want, got.data[0]), `${n} services as ${format}`);
      // Detected without a format, too, and the generated config is clean.
      assert.ok(sameTree(want, wasm.parseConfig(texts[format]).data[0]), `${n} services as ${format}, detected`);
      assert.deepEqual(wasm.checkConfig(texts[format], { format }), [], `${format}: findings`);
    }
  }
  // sameTree can fail: a changed number, a missing key, arrays of another length.
  const t = JSON.parse(generateConfig(3).json);
  const changed = structuredClone(t);
  changed.services[2].cpu += 0.25;
  assert.equal(sameTree(t, changed), false);
  const missing = structuredClone(t);
  delete missing.services[0].env.REGION;
  assert.equal(sameTree(t, missing), false);
  assert.equal(sameTree([1, 2], [1, 2, 3]), false);
  assert.equal(sameTree({ a: 1, b: 2 }, { b: 2, a: 1 }), true);
  // The example paste has the two problems it says; a broken paste reports where.
  const rules = wasm.checkConfig(EXAMPLE_CONFIG).map((f) => f.rule).sort();
  assert.ok(rules.includes("plaintext-secret"), rules.join(","));
  const broken = EXAMPLE_CONFIG.replace("replicas: 3", "replicas: [3");
  assert.throws(() => wasm.parseConfig(broken), (e) => e.code === "E_CONFIG" && Number.isInteger(e.line) && Number.isInteger(e.column));
  // An integer beyond 2^53 comes back exact (BigInt): not equal to JSON.parse's rounded Number,
  // and the pasted view shows its digits.
  const wide = '{"id": 9007199254740993}';
  const parsed = wasm.parseConfig(wide, { format: "json" });
  assert.equal(parsed.data[0].id, 9007199254740993n);
  assert.equal(sameTree(JSON.parse(wide), parsed.data[0]), false);
  const view = configView(wide, { ...parsed, findings: wasm.checkConfig(wide, { format: "json" }) });
  assert.ok(view.includes("9007199254740993"), "the view shows the exact digits");
});

test("AES-GCM envelope: WebCrypto seals the same bytes as the WASM encrypt, and each opens the other's", async () => {
  const wasm = await loadPackage();
  assert.ok(wasm, "no npm package: run scripts/build-npm (scripts/test-web-demo does)");
  const r = rng(9);
  const key = Uint8Array.from({ length: 32 }, () => Math.floor(r() * 256));
  const aad = new TextEncoder().encode("aad");
  let cases = 0;
  for (const len of [0, 1, 1023, 1024, 1025, 3 * 1024, 70_000]) {
    const data = Uint8Array.from({ length: len }, () => Math.floor(r() * 256));
    for (const chunkLog2 of [10, 16]) {
      const w = new Uint8Array(wasm.encrypt(data, { key, aad, chunkLog2 }));
      const j = await seal(key, data, aad, { chunkLog2, nonce: envelopeNonce(w) });
      assert.deepEqual(j, w, `${len} bytes, e=${chunkLog2}: JS and WASM envelopes differ`);
      assert.deepEqual(await open(key, w, aad), data);
      const fresh = await seal(key, data, aad, { chunkLog2 });
      assert.notDeepEqual(envelopeNonce(fresh), envelopeNonce(w));
      assert.deepEqual(new Uint8Array(wasm.decrypt(fresh, { key, aad })), data);
      cases++;
    }
  }
  assert.equal(cases, 14);
  // The JS reader refuses what the WASM reader refuses, with the same reason.
  const data = Uint8Array.from({ length: 5000 }, (_, i) => i & 255);
  const env = new Uint8Array(wasm.encrypt(data, { key, aad, chunkLog2: 10 }));
  const flipped = env.slice();
  flipped[300] ^= 1;
  const bad = {
    "cut at a chunk boundary": [env.slice(0, 52 + 2 * 1040), aad, /truncated envelope: the envelope ends after chunk 1/],
    "altered byte": [flipped, aad, /chunk 0 failed authentication/],
    "other aad": [env, new Uint8Array(0), /chunk 0 failed authentication/],
    "not an envelope": [new Uint8Array(60), aad, /not a conclave envelope/],
  };
  for (const [name, [bytes, a, why]] of Object.entries(bad)) {
    await assert.rejects(open(key, bytes, a), why, `JS: ${name}`);
    assert.throws(() => wasm.decrypt(bytes, { key, aad: a }), why, `WASM: ${name}`);
  }
  const other = key.map((b) => b ^ 1);
  await assert.rejects(open(other, env, aad), /wrong key/);
  assert.throws(() => wasm.decrypt(env, { key: other, aad }), /wrong key/);
});
