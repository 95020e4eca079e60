// The bad-input battery of native/tests/battery.rs, through every function of the JS API: empty,
// truncated, seeded random bytes, deep nesting (JSON, YAML, TOML; past and at the depth limit), YAML
// alias bombs, huge numbers, invalid UTF-8 (and lone UTF-16 surrogates, which only JS strings can
// hold), NUL bytes, hostile Argon2 PHC strings, truncated and tampered envelopes.
//
// Each call must return or throw a ConclaveError whose `code` is set (never E_PANIC, never a
// WebAssembly.RuntimeError: a panic would poison the module), and after every call the module must
// still answer known-good calls correctly. battery-st.test.mjs and battery-mt.test.mjs run this for
// the single-threaded build and for the threaded build with a pool of 2 threads. The 10 MB line of
// the native battery is left out: the similarity kernels are quadratic, and the CLI covers it.

import { test } from "node:test";
import assert from "node:assert/strict";
import * as conclave from "conclave-wasm";
import { METRICS } from "./lib.mjs";

const {
  ConclaveError, init, info, initThreadPool, similarity, similarityMatrix, consensus, vote, seriesFeatures,
  sha256, hmacSha256, hashPassword, verifyPassword, encrypt, decrypt, analyzeLogs, LogAnalyzer, parseConfig,
  convertConfig, checkConfig,
} = conclave;

const enc = new TextEncoder();
const utf8 = (s) => enc.encode(s);
const cat = (...parts) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};
const hex = (b) => Buffer.from(b).toString("hex");

/** xorshift64*, as in native/tests/battery.rs: the same bytes on every run. */
export function randomBytes(seed, len) {
  const mask = (1n << 64n) - 1n;
  let x = BigInt(seed) || 1n;
  const out = new Uint8Array(len);
  for (let i = 0; i < len; i++) {
    x ^= x >> 12n;
    x ^= (x << 25n) & mask;
    x ^= x >> 27n;
    out[i] = Number(((x * 0x2545f4914f6cdd1dn) & mask) >> 56n);
  }
  return out;
}

const KEY = new Uint8Array(32).fill(7);
const RESPONSES = '[{"expert":"a","content":"the answer is 4","confidence":0.9},{"expert":"b","content":"4","confidence":0.5}]';

/** The inputs, by name: bytes, and for string-taking functions the text (lossy UTF-8 unless given). */
export function inputs() {
  let laughs = "a0: &a0 [lol]\n";
  for (let level = 1; level < 10; level++) {
    laughs += `a${level}: &a${level} [${Array(10).fill(`*a${level - 1}`).join(", ")}]\n`;
  }
  const list = [
    ["empty", new Uint8Array(0)],
    ["truncated", utf8(RESPONSES.slice(0, RESPONSES.length >> 1))],
    ["random", randomBytes(0x5eed, 1 << 16)],
    ["random-small", randomBytes(42, 257)],
    ["deep-arrays", utf8("[".repeat(100_000))],
    ["deep-objects", utf8('{"a":'.repeat(100_000))],
    ["deep-closed", utf8("[".repeat(100_000) + "]".repeat(100_000))],
    ["depth-999", utf8("[".repeat(999) + "]".repeat(999))],
    ["deep-yaml-block", utf8("- ".repeat(999) + "x\n")],
    ["deep-yaml-block-past", utf8("- ".repeat(50_000) + "x\n")],
    ["deep-yaml-flow-maps", utf8("{a: ".repeat(100_000))],
    ["yaml-laughs", utf8(laughs)],
    ["deep-toml-arrays", utf8("a = " + "[".repeat(100_000))],
    ["deep-toml-tables", utf8("a = " + "{b = ".repeat(50_000))],
    ["deep-toml-dotted", utf8("a" + ".a".repeat(50_000) + " = 1\n")],
    ["huge-numbers", utf8("[1" + "9".repeat(5000) + ", 1e999999, -1e400, 18446744073709551616]")],
    ["huge-confidence", utf8('[{"expert":"a","content":"4","confidence":1e999},{"expert":"b","content":"4","confidence":-1e400}]')],
    ["csv-huge", utf8("a,b\n1e308,1e308\n-1e308,1e308\nnan,inf\n")],
    ["invalid-utf8", cat(utf8('[{"expert":"a","content":"'), Uint8Array.of(0xff, 0xfe, 0xc3, 0x28), utf8('"}]\n'), Uint8Array.of(0xc0, 0xaf, 0x0a))],
    ["nul-bytes", utf8('a\0b\0\n\0\0{"a":"\0"}\n\0')],
    ["long-pair", utf8(`{"a":"${"ab".repeat(50_000)}","b":"${"ba".repeat(50_000)}"}\n`)],
    ["phc-costly", utf8("$argon2id$v=19$m=4294967295,t=4294967295,p=16777215$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")],
    ["phc-overflow", utf8("$argon2id$v=19$m=99999999999999999999,t=1,p=1$AAAA$AAAA")],
    ["phc-zero-lanes", utf8("$argon2id$v=19$m=8,t=1,p=0$AAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA")],
    ["dollars", utf8("$".repeat(100_000))],
  ];
  const out = list.map(([name, bytes]) => ({ name, bytes, text: new TextDecoder().decode(bytes) }));
  // Lone surrogates: a JS string that is not valid UTF-16 (the bytes are its lossy UTF-8).
  const lone = '{"a": "\uD800x\uDFFF"}\n\uDBFF';
  out.push({ name: "lone-surrogates", bytes: utf8(lone), text: lone });
  return out;
}

/** Envelope inputs, made with the module itself: truncated at several points, and tampered. */
function envelopeInputs() {
  const sealed = encrypt(utf8("the plaintext ".repeat(300)), { key: KEY, chunkLog2: 10 });
  const flipped = sealed.slice();
  flipped[flipped.length >> 1] ^= 1;
  const header = sealed.slice();
  header[8] ^= 0xff;
  const out = [0, 1, 8, 16, 40, sealed.length >> 1, sealed.length - 1].map((n) => ({
    name: `envelope-truncated-${n}`,
    bytes: sealed.slice(0, n),
  }));
  out.push({ name: "envelope-flipped", bytes: flipped }, { name: "envelope-header-flipped", bytes: header });
  out.push({ name: "envelope-trailing", bytes: cat(sealed, Uint8Array.of(0)) });
  return out.map((i) => ({ ...i, text: new TextDecoder().decode(i.bytes) }));
}

const cap = (s, n) => (s.length > n ? s.slice(0, n) : s);

/** Every API call made with one input: [label, () => result]. */
function calls({ bytes, text }) {
  const short = cap(text, 2000);
  const lines = text.split("\n").slice(0, 200).map((l) => cap(l, 300));
  const numbers = text.split(/[\s,]+/).map(Number);
  const floats = new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + (bytes.length & ~7)));
  const cuts = [bytes.length >> 2, bytes.length >> 1];
  const out = [
    ["similarity", () => similarity(text, cap(text, text.length >> 1))],
    ...METRICS.map((metric) => [`similarity ${metric}`, () => similarity(short, cap(short.split("").reverse().join(""), 500), { metric })]),
    ["similarityMatrix", () => similarityMatrix(lines)],
    ["similarityMatrix token-set", () => similarityMatrix(lines, { metric: "token-set" })],
    ["similarityMatrix hamming", () => similarityMatrix([short, short, "x"], { metric: "hamming" })],
    ["consensus", () => consensus(text)],
    ["consensus matrix cosine", () => consensus(text, { matrix: true, metric: "cosine", threshold: 0.5 })],
    ["vote", () => vote(text)],
    ["vote extract weighted", () => vote(text, { extract: "(\\d+)", weighted: true })],
    ["seriesFeatures bytes as f64", () => seriesFeatures(floats)],
    ["seriesFeatures text numbers", () => seriesFeatures(numbers)],
    ["seriesFeatures skipInvalid", () => seriesFeatures(numbers, { skipInvalid: true, maxLag: 1_000_000, top: 1_000_000 })],
    ["sha256", () => sha256(bytes)],
    ["hmacSha256", () => hmacSha256(bytes, bytes)],
    ["hashPassword", () => hashPassword(cap(bytes, 4096), { memoryKib: 8, passes: 1, lanes: 1 })],
    ["verifyPassword", () => verifyPassword(bytes, text)],
    ["encrypt", () => encrypt(bytes, { key: KEY, aad: bytes })],
    ["decrypt key", () => decrypt(bytes, { key: KEY })],
    ["decrypt passphrase", () => decrypt(bytes, { passphrase: "pw" })],
    ["analyzeLogs", () => analyzeLogs(bytes)],
    ["analyzeLogs templates patterns", () => analyzeLogs(text, { templates: true, patterns: { e: "(?i)error" } })],
    [
      "LogAnalyzer in 3 pieces",
      () => {
        const a = new LogAnalyzer({ templates: true });
        a.push(bytes.subarray(0, cuts[0]));
        a.push(bytes.subarray(cuts[0], cuts[1]));
        a.push(bytes.subarray(cuts[1]));
        return a.finish();
      },
    ],
    ["parseConfig", () => parseConfig(text)],
    ["checkConfig", () => checkConfig(text)],
  ];
  for (const from of ["yaml", "json", "toml"]) {
    out.push([`parseConfig ${from}`, () => parseConfig(text, { format: from })]);
    out.push([`checkConfig ${from}`, () => checkConfig(text, { format: from })]);
    for (const to of ["json", "yaml", "toml"]) {
      out.push([`convertConfig ${from} -> ${to}`, () => convertConfig(text, { from, to })]);
    }
  }
  return out;
}

/**
 * Calls that must be refused, with their codes: proof that the battery reaches the error paths
 * (a call that returned here is a failure too).
 */
const MUST_THROW = {
  "deep-closed": { "parseConfig json": "E_CONFIG", "convertConfig json -> yaml": "E_CONFIG", consensus: "E_CONSENSUS" },
  "deep-arrays": { "parseConfig yaml": "E_CONFIG", "checkConfig toml": "E_CONFIG" },
  "deep-yaml-block-past": { "parseConfig yaml": "E_CONFIG" },
  "yaml-laughs": { "parseConfig yaml": "E_CONFIG" },
  random: { "decrypt key": "E_ENVELOPE", "parseConfig json": "E_CONFIG", vote: "E_CONSENSUS" },
  "huge-numbers": { "parseConfig json": "E_CONFIG" },
  "phc-costly": { verifyPassword: "E_PARAMS" },
  "phc-overflow": { verifyPassword: "E_HASH" },
  "invalid-utf8": { "parseConfig toml": "E_CONFIG" },
};

/** Why a thrown value breaks the contract, if it does. */
function badThrow(e) {
  if (typeof WebAssembly !== "undefined" && (e instanceof WebAssembly.RuntimeError || e?.cause instanceof WebAssembly.RuntimeError)) {
    return `WebAssembly trap: ${e.message}`;
  }
  if (!(e instanceof ConclaveError)) return `threw ${e?.constructor?.name ?? typeof e}, not a ConclaveError: ${e?.message ?? e}`;
  if (typeof e.code !== "string" || !/^E_[A-Z_]+$/.test(e.code)) return `ConclaveError without a code: ${e.message}`;
  if (e.code === "E_PANIC" || e.code === "E_UNKNOWN") return `${e.code}: ${e.message}`;
  return null;
}

/** Known-good calls with answers fixed by their definitions; a message per wrong answer. */
function sanity() {
  const wrong = [];
  try {
    const s = similarity("kitten", "sitting");
    if (s.distance !== 3) wrong.push(`similarity("kitten", "sitting").distance = ${s.distance}, want 3`);
    const h = hex(sha256("abc"));
    // FIPS 180-2, appendix B.1.
    if (h !== "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad") wrong.push(`sha256("abc") = ${h}`);
    const c = parseConfig("a: [1, two]\nb: {c: null}\n").data;
    if (JSON.stringify(c) !== '[{"a":[1,"two"],"b":{"c":null}}]') wrong.push(`parseConfig data = ${JSON.stringify(c)}`);
    const m = similarityMatrix(["a b", "a b", "c d"], { metric: "jaccard" });
    if (JSON.stringify(m) !== "[[1,1,0],[1,1,0],[0,0,1]]") wrong.push(`similarityMatrix = ${JSON.stringify(m)}`);
  } catch (e) {
    wrong.push(`known-good call threw: ${e?.constructor?.name} ${e?.message ?? e}`);
  }
  return wrong;
}

/** Registers the battery's tests for one build (`init` options, and whether it must be threaded). */
export function batterySuite(initOptions, threads) {
  test("init", async () => {
    await init(initOptions);
    assert.equal(info().threaded, threads > 0, info().reason);
    if (threads > 0) {
      await initThreadPool(threads);
      assert.equal(info().threads, threads);
    }
    assert.deepEqual(sanity(), []);
  });

  const run = (input) => {
    const failures = [];
    let n = 0;
    const expected = MUST_THROW[input.name] ?? {};
    for (const [label, f] of calls(input)) {
      n++;
      let code = null;
      try {
        f();
      } catch (e) {
        const why = badThrow(e);
        if (why) failures.push(`${label}: ${why}`);
        code = e?.code;
      }
      if (label in expected && code !== expected[label]) {
        failures.push(`${label}: expected ${expected[label]}, got ${code ?? "a result"}`);
      }
      for (const w of sanity()) failures.push(`after ${label}: ${w}`);
    }
    assert.ok(n >= 40, `only ${n} calls`);
    assert.deepEqual(failures, [], `${input.name}: ${failures.length} of ${n} calls broke the contract`);
  };

  for (const input of inputs()) {
    test(`battery: ${input.name}`, () => run(input));
  }
  test("battery: envelopes", () => {
    for (const input of envelopeInputs()) {
      // Every truncation and tampering must be refused with a code, and the module keep working.
      for (const options of [{ key: KEY }, { passphrase: "pw" }]) {
        assert.throws(() => decrypt(input.bytes, options), (e) => badThrow(e) === null, `${input.name}`);
      }
      run(input);
    }
  });
  test("battery: wrong types and options", () => {
    const failures = [];
    const cases = [
      () => similarity(null, "a"), () => similarity("a", "b", { metric: {} }), () => similarity("a", "b", []),
      () => similarityMatrix([1, 2]), () => similarityMatrix("ab"), () => consensus(5), () => consensus([{}]),
      () => consensus([{ expert: 1, content: [] }]), () => vote("[]", { extract: "(" }), () => vote("[]", { extract: "a{99999999}" }),
      () => seriesFeatures("123"), () => seriesFeatures([1, 2, 3], { maxLag: -1 }), () => seriesFeatures([1, 2, 3], { top: 1e300 }),
      () => sha256(42), () => hmacSha256(null, "x"), () => hashPassword("pw", { memoryKib: 4294967295, passes: 4294967295, lanes: 16777215 }),
      () => hashPassword("pw", { memoryKib: 1, lanes: 0 }), () => hashPassword("pw", { memoryKib: -5 }),
      () => verifyPassword("pw", 5), () => encrypt("x", {}), () => encrypt("x", { key: "00" }), () => encrypt("x", { key: KEY, chunkLog2: 255 }),
      () => encrypt("x", { passphrase: "p", memoryKib: 4294967295 }), () => decrypt("not bytes", { key: KEY }),
      () => decrypt(new Uint8Array(3), { key: new Uint8Array(5) }), () => analyzeLogs(7), () => analyzeLogs("x", { patterns: { "": "a" } }),
      () => analyzeLogs("x", { patterns: { x: "(" } }), () => analyzeLogs("x", { year: 1e20 }), () => new LogAnalyzer({ patterns: 3 }),
      () => parseConfig("a: 1", { format: "xml" }), () => parseConfig("a: 1", { maxDepth: -1 }), () => parseConfig("[[[1]]]", { maxDepth: 1 }),
      () => parseConfig("a: 1", { maxBytes: 1 }), () => convertConfig("a: 1", { to: "ini" }), () => convertConfig("[1]", { to: "toml" }),
      () => convertConfig("a: .nan", { to: "json" }), () => checkConfig(null),
      () => {
        const a = new LogAnalyzer();
        a.finish();
        a.push("x");
      },
    ];
    cases.forEach((f, i) => {
      try {
        f();
      } catch (e) {
        const why = badThrow(e);
        if (why) failures.push(`case ${i} (${f.toString().slice(6, 90)}): ${why}`);
      }
      for (const w of sanity()) failures.push(`after case ${i}: ${w}`);
    });
    assert.deepEqual(failures, []);
  });
}
