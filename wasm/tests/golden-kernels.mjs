// Golden tests of the kernels other than similarity: the WASM results equal the native CLI's
// `--format json` for consensus, vote, pattern and logs (compared as re-serialized parsed JSON), the
// crypto outputs equal the CLI's (sha256, hmac) and crypto envelopes and password hashes made on
// one side open on the other. Run by goldenSuite for each build, after `init`.

import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import {
  consensus, vote, seriesFeatures, sha256, hmacSha256, hashPassword, verifyPassword, encrypt, decrypt,
  analyzeLogs, LogAnalyzer, similarity, ConclaveError, parseConfig, convertConfig, checkConfig,
} from "conclave-wasm";
import { native, corporaDir, repoRoot } from "./lib.mjs";

const LOGS = ["Apache", "HDFS", "Linux", "OpenSSH", "Android", "Proxifier", "Zookeeper", "HealthApp", "Spark", "Mac"];

const same = (got, stdout) => assert.equal(JSON.stringify(got), JSON.stringify(JSON.parse(stdout)));
const hex = (bytes) => Buffer.from(bytes).toString("hex");
const isConclave = (code) => (e) => e instanceof ConclaveError && e.code === code;

/** Expert panels: a hand-written one, and panels of Loghub lines from several systems. */
function panels() {
  const out = [
    [
      { expert: "dba", content: "Add an index on orders.customer_id; the query scans the whole table.", confidence: 0.9, recommendations: ["Add an index on orders.customer_id"], limitations: ["No access to the query plans"] },
      { expert: "sre", content: "The query scans the whole orders table: add an index on customer_id.", confidence: 0.8, recommendations: ["add an index on orders.customer_id."], limitations: ["no access to the query plans."] },
      { expert: "dev", content: "Add an index on customer_id, the orders query does a full table scan.", confidence: 0.7 },
      { expert: "net", content: "Check the MTU settings between the app and the database.", confidence: 0.55, limitations: ["Packet captures were not available"] },
      { expert: "cache", content: "Warm the cache before switching traffic over.", confidence: 0.3, timestamp: 1700000000, metadata: { model: "x" } },
    ],
  ];
  for (const [k, sys] of ["Apache", "OpenSSH", "HDFS"].entries()) {
    const lines = fs.readFileSync(path.join(corporaDir(), `loghub/${sys}/${sys}_2k.log`), "utf8").split("\n").filter(Boolean);
    out.push(lines.slice(0, 12 + 4 * k).map((content, i) => ({ expert: `${sys}-${i % 5}`, content, confidence: ((i * 37) % 101) / 100 })));
  }
  return out;
}

export function kernelGoldens(file) {
  const all = panels();

  for (const [p, panel] of all.entries()) {
    for (const [metric, threshold] of [["cosine", 0.7], ["levenshtein", 0.5], ["token-set", 0.6], ["jaro-winkler", 0.9]]) {
      test(`consensus, panel ${p}, ${metric} >= ${threshold}`, () => {
        const input = file(`panel-${p}.json`, JSON.stringify(panel));
        const r = native(["consensus", "--metric", metric, "--threshold", String(threshold), "--matrix", "--format", "json", input]);
        assert.equal(r.status, 0, r.stderr);
        same(consensus(panel, { metric, threshold, matrix: true }), r.stdout);
        const jsonl = panel.map((x) => JSON.stringify(x)).join("\n") + "\n";
        const n = native(["consensus", "--metric", metric, "--threshold", String(threshold), "--format", "json", file(`panel-${p}.jsonl`, jsonl)]);
        assert.equal(n.status, 0, n.stderr);
        same(consensus(jsonl, { metric, threshold }), n.stdout);
      });
    }
  }

  const samples = [
    ["s1", "6 * 4 = 24, so the answer is 24", 0.9], ["s2", "4+4+4+4+4+4 = 24. The answer is 24.0", 0.8],
    ["s3", "the answer is 22", 0.4], ["s4", "Six fours: the answer is 24", 0.7], ["s5", "I am not sure.", 0.2],
    ["s6", "The answer is  22 ", 0.95],
  ].map(([expert, content, confidence]) => ({ expert, content, confidence }));
  for (const extract of [undefined, "answer is\\s+([-+0-9.]+)", "answer"]) {
    for (const weighted of [false, true]) {
      test(`vote, extract ${extract}, weighted ${weighted}`, () => {
        const args = ["vote", "--format", "json", file("samples.json", JSON.stringify(samples))];
        if (extract !== undefined) args.push("--extract", extract);
        if (weighted) args.push("--weighted");
        const r = native(args);
        assert.ok(r.status === 0 || r.status === 1, r.stderr);
        same(vote(samples, { extract, weighted }), r.stdout);
      });
    }
  }
  test("vote with no winner (every response abstains) equals the CLI's (exit 1)", () => {
    const r = native(["vote", "--format", "json", "--extract", "nomatch(\\d)", file("samples.json", JSON.stringify(samples))]);
    assert.equal(r.status, 1, r.stderr);
    const got = vote(samples, { extract: "nomatch(\\d)" });
    assert.equal(got.winner, null);
    same(got, r.stdout);
  });

  const fixtures = path.join(repoRoot(), "core/tests/fixtures/pattern");
  for (const name of fs.readdirSync(fixtures).filter((f) => f.endsWith(".json")).sort()) {
    for (const [maxLag, top] of [[undefined, undefined], [7, 2]]) {
      test(`seriesFeatures, ${name}, maxLag ${maxLag}, top ${top}`, () => {
        const values = JSON.parse(fs.readFileSync(path.join(fixtures, name), "utf8")).values;
        const args = ["pattern", "--format", "json", file("series.json", JSON.stringify(values))];
        if (maxLag !== undefined) args.push("--max-lag", String(maxLag), "--top", String(top));
        const r = native(args);
        assert.equal(r.status, 0, r.stderr);
        same(seriesFeatures(Float64Array.from(values), { maxLag, top }), r.stdout);
      });
    }
  }
  test("seriesFeatures skipInvalid equals the CLI's --skip-invalid", () => {
    const r = native(["pattern", "--format", "json", "--skip-invalid", file("holes.json", '[1, 2, null, 4, "x", 3, 5, 1, 2, 8, 9]')]);
    assert.equal(r.status, 0, r.stderr);
    same(seriesFeatures([1, 2, NaN, 4, Infinity, 3, 5, 1, 2, 8, 9], { skipInvalid: true }), r.stdout);
  });

  for (const sys of LOGS) {
    for (const templates of [false, true]) {
      test(`analyzeLogs and LogAnalyzer, ${sys}, templates ${templates}`, () => {
        const input = path.join(corporaDir(), `loghub/${sys}/${sys}_2k.log`);
        const patterns = { errors: "(?i)error|fail", digits: "\\d{4,}", none: "^zzz$" };
        const args = ["logs", "--format", "json", "--year", "2017"];
        for (const [k, v] of Object.entries(patterns)) args.push("--pattern", `${k}=${v}`);
        if (templates) args.push("--templates");
        const r = native([...args, input]);
        assert.equal(r.status, 0, r.stderr);
        const data = fs.readFileSync(input);
        const opts = { patterns, templates, year: 2017, name: input };
        same(analyzeLogs(data, opts), r.stdout);
        same(analyzeLogs(data.toString("utf8"), opts), r.stdout);
        // streamed in uneven cuts (lines and UTF-8 sequences split across pushes)
        const a = new LogAnalyzer(opts);
        for (let at = 0, step = 1; at < data.length; at += step, step = (step * 7 + 3) % 9001) {
          a.push(data.subarray(at, at + step));
        }
        same(a.finish(), r.stdout);
      });
    }
  }

  test("sha256 and hmacSha256 equal the CLI's", () => {
    for (const [i, text] of ["", "abc", "x".repeat(1000), "naïve ☕ 😀\n"].entries()) {
      const p = file(`data-${i}`, text);
      const r = native(["crypto", "sha256", p]);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(`${hex(sha256(text))}  ${p}\n`, r.stdout);
      assert.equal(hex(sha256(fs.readFileSync(p))), hex(sha256(text)));
      const key = Uint8Array.from({ length: 32 }, (_, k) => (k * 29 + i) & 255);
      const h = native(["crypto", "hmac", "--key-file", file("hmac.key", Buffer.from(key)), p]);
      assert.equal(h.status, 0, h.stderr);
      assert.equal(h.stdout.trim().split(/\s+/)[0], hex(hmacSha256(key, text)));
    }
  });

  test("hmacSha256 matches RFC 4231's vectors", () => {
    const cases = JSON.parse(fs.readFileSync(path.join(corporaDir(), "rustcrypto-macs/rfc4231_decoded.json"), "utf8"));
    const list = cases.vectors.hmac_sha256;
    let checked = 0;
    for (const c of list) {
      const tag = hex(hmacSha256(Buffer.from(c.key, "hex"), Buffer.from(c.msg, "hex")));
      assert.equal(tag.slice(0, c.tag.length), c.tag);
      checked++;
    }
    assert.ok(checked >= 5, `only ${checked} RFC 4231 vectors read`);
  });

  const cheap = { memoryKib: 64, passes: 1, lanes: 1 };
  test("password hashes verify on the other side", () => {
    const pw = "correct horse ☕";
    const phc = hashPassword(pw, cheap);
    assert.match(phc, /^\$argon2id\$v=19\$m=64,t=1,p=1\$/);
    assert.notEqual(hashPassword(pw, cheap), phc, "a fresh salt each time");
    assert.equal(native(["crypto", "verify-password", phc], pw).status, 0);
    assert.equal(native(["crypto", "verify-password", phc], pw + "!").status, 1);
    const r = native(["crypto", "hash-password", "--memory-kib", "64", "--passes", "1"], pw);
    assert.equal(r.status, 0, r.stderr);
    const theirs = r.stdout.trim();
    assert.equal(verifyPassword(pw, theirs), true);
    assert.equal(verifyPassword(pw + "!", theirs), false);
    assert.equal(verifyPassword(new TextEncoder().encode(pw), phc), true);
  });

  for (const mode of ["key", "passphrase"]) {
    for (const size of [0, 1000, 5000]) {
      test(`envelopes open on the other side, ${mode}, ${size} bytes`, () => {
        const data = Uint8Array.from({ length: size }, (_, k) => (k * 131 + 7) & 255);
        const key = Uint8Array.from({ length: 32 }, (_, k) => 255 - k);
        const secretArgs = mode === "key" ? ["--key-file", file("env.key", Buffer.from(key))] : ["--passphrase-file", file("env.pass", "pass phrase\n")];
        const secret = mode === "key" ? { key } : { passphrase: "pass phrase" };
        const costArgs = mode === "key" ? [] : ["--memory-kib", "64", "--passes", "1"];
        const aad = "context-v1";
        // WASM seals, the CLI opens
        const sealed = encrypt(data, { ...secret, ...cheap, aad, chunkLog2: 10 });
        const sealedFile = file("sealed.bin", sealed);
        const opened = path.join(path.dirname(sealedFile), "opened.bin");
        fs.rmSync(opened, { force: true });
        let r = native(["crypto", "decrypt", ...secretArgs, "--aad", aad, "-o", opened, sealedFile]);
        assert.equal(r.status, 0, r.stderr);
        assert.equal(hex(fs.readFileSync(opened)), hex(data));
        r = native(["crypto", "decrypt", ...secretArgs, "--aad", "other", "-o", opened + "2", sealedFile]);
        assert.equal(r.status, 2, "another aad fails natively");
        // the CLI seals, WASM opens
        const plainFile = file("plain.bin", data);
        const theirs = plainFile + ".cnv";
        r = native(["crypto", "encrypt", ...secretArgs, ...costArgs, "--aad", aad, "--chunk-log2", "10", "-o", theirs, plainFile]);
        assert.equal(r.status, 0, r.stderr);
        const envelope = fs.readFileSync(theirs);
        assert.equal(hex(decrypt(envelope, { ...secret, aad })), hex(data));
        assert.throws(() => decrypt(envelope, { ...secret, aad: "other" }), isConclave("E_TAMPERED"));
        const flipped = Uint8Array.from(envelope);
        flipped[flipped.length - 1] ^= 1;
        assert.throws(() => decrypt(flipped, { ...secret, aad }), isConclave("E_TAMPERED"));
        assert.throws(() => decrypt(envelope.subarray(0, envelope.length - 1), { ...secret, aad }), isConclave("E_TAMPERED"));
        const wrong = mode === "key" ? { key: key.map((b) => b ^ 1) } : { passphrase: "wrong" };
        assert.throws(() => decrypt(envelope, { ...wrong, aad }), isConclave("E_WRONG_KEY"));
      });
    }
  }

  const configs = [
    ["services.yaml", "version: 3\nservices:\n  api:\n    image: app:1\n    ports: [8080, 8080]\n    password: hunter2\n    enabled: yes\n  db:\n    ports: [70000]\n    mode: 0644\n"],
    ["stream.yaml", "---\na: 1\nb: [x, {c: ~}]\n---\n- 1.5\n- -3\n- \"two\"\n"],
    ["app.toml", "[server]\nhost = \"127.0.0.1\"\nport = 8080\nwhen = 1979-05-27T07:32:00Z\n[[server.peers]]\nname = \"a\"\n"],
    ["dup.json", "{\"a\": 1, \"a\": 2, \"token\": \"abc123\", \"nested\": {\"k\": [1, 2.5, null]}}"],
  ];
  for (const [name, text] of configs) {
    const format = name.split(".").pop();
    test(`parseConfig, convertConfig and checkConfig equal the CLI's for ${name}`, () => {
      const input = file(name, text);
      const outline = native(["config", "--format", "json", input]);
      assert.equal(outline.status, 0, outline.stderr);
      const parsed = parseConfig(text, { format });
      const { data, ...rest } = parsed;
      same(rest, outline.stdout);
      const json = native(["config", "--to", "json", input]);
      assert.equal(json.status, 0, json.stderr);
      assert.deepEqual(data, json.stdout.trim().split("\n").map((l) => JSON.parse(l)));
      for (const to of ["json", "yaml", "toml"]) {
        const r = native(["config", "--to", to, input]);
        if (r.status === 0) assert.equal(convertConfig(text, { from: format, to }), r.stdout, `${name} -> ${to}`);
        else assert.throws(() => convertConfig(text, { from: format, to }), isConclave("E_CONFIG"), `${name} -> ${to}`);
      }
      const check = native(["config", "check", "--format", "json", input]);
      assert.ok(check.status === 0 || check.status === 1, check.stderr);
      const findings = JSON.parse(check.stdout).map((f) => ({ ...f, file: "input" }));
      assert.equal(JSON.stringify(checkConfig(text, { format })), JSON.stringify(findings));
    });
  }

  test("a config syntax error carries line and column", () => {
    assert.throws(() => parseConfig("a: [1, 2\nb: 3\n", { format: "yaml" }), (e) => isConclave("E_CONFIG")(e) && e.line >= 1 && e.column >= 1);
    assert.throws(() => parseConfig("{\"a\": }", { format: "json" }), (e) => isConclave("E_CONFIG")(e) && e.line === 1);
    assert.throws(() => convertConfig("a: 1", { to: "xml" }), isConclave("E_OPTIONS"));
    assert.deepEqual(parseConfig("a: 1").data, [{ a: 1 }]);
  });

  test("bad input throws ConclaveError and the module keeps working", () => {
    const good = () => assert.equal(similarity("kitten", "sitting").distance, 3);
    const syntax = '[{"expert": "a", "content": "x", "confidence": 0.5},\n {oops}]';
    const n = native(["consensus", file("bad.json", syntax)]);
    assert.equal(n.status, 2);
    assert.throws(() => consensus(syntax), (e) => isConclave("E_CONSENSUS")(e) && e.line === 2 && e.column === 3 && n.stderr.includes(e.message));
    good();
    assert.throws(() => consensus([{ expert: "a", content: "x", confidence: 1.5 }]), (e) => isConclave("E_CONSENSUS")(e) && /record 0, field `confidence`/.test(e.message));
    assert.throws(() => consensus('{"expert":"a","content":"x","confidence":0.5}\n{"expert":"b","confidence":0.5}\n'), (e) => isConclave("E_CONSENSUS")(e) && e.line === 2 && /field `content`: missing/.test(e.message));
    assert.throws(() => consensus([]), isConclave("E_CONSENSUS"));
    assert.throws(() => consensus(samples, { threshold: 2 }), isConclave("E_CONSENSUS"));
    assert.throws(() => consensus(samples, { metric: "nope" }), isConclave("E_METRIC"));
    assert.throws(() => consensus(samples, { threshold: "high" }), isConclave("E_OPTIONS"));
    assert.throws(() => consensus(42), isConclave("E_ARGUMENT"));
    assert.throws(() => vote(samples, { extract: "(" }), isConclave("E_PATTERN"));
    good();
    assert.throws(() => seriesFeatures([1, NaN, 3]), (e) => isConclave("E_SERIES")(e) && /value 1/.test(e.message));
    assert.throws(() => seriesFeatures(new Float64Array([1, 2]), { maxLag: -1 }), isConclave("E_OPTIONS"));
    assert.throws(() => seriesFeatures("1,2,3"), isConclave("E_ARGUMENT"));
    assert.equal(seriesFeatures(new Float64Array(0)).n, 0);
    good();
    assert.throws(() => hashPassword("pw", { memoryKib: 1 }), isConclave("E_PARAMS"));
    assert.throws(() => hashPassword("pw", { memoryKib: 1 << 21 }), isConclave("E_PARAMS"));
    assert.throws(() => verifyPassword("pw", "$argon2id$nonsense"), isConclave("E_HASH"));
    assert.throws(() => encrypt("x", { key: new Uint8Array(31) }), isConclave("E_KEY"));
    assert.throws(() => encrypt("x", { key: "abc" }), isConclave("E_KEY"));
    assert.throws(() => encrypt("x", {}), isConclave("E_OPTIONS"));
    assert.throws(() => encrypt("x", { key: new Uint8Array(32), chunkLog2: 40 }), (e) => e instanceof ConclaveError);
    assert.throws(() => decrypt(new Uint8Array([1, 2, 3]), { key: new Uint8Array(32) }), isConclave("E_ENVELOPE"));
    const sealed = encrypt("x", { key: "00".repeat(32) });
    assert.throws(() => decrypt(sealed, { passphrase: "p" }), isConclave("E_KEY_MODE"));
    assert.equal(new TextDecoder().decode(decrypt(sealed, { key: new Uint8Array(32) })), "x");
    good();
    assert.throws(() => analyzeLogs("a\nb\n", { patterns: { bad: "(" } }), isConclave("E_PATTERN"));
    assert.throws(() => analyzeLogs("a\n", { patterns: [["", "x"]] }), isConclave("E_OPTIONS"));
    assert.throws(() => analyzeLogs("a\n", { patterns: { n: 1 } }), isConclave("E_OPTIONS"));
    assert.throws(() => analyzeLogs(17), isConclave("E_ARGUMENT"));
    assert.throws(() => new LogAnalyzer({ patterns: { bad: "[" } }), isConclave("E_PATTERN"));
    const a = new LogAnalyzer();
    a.push("2026-03-01T09:00:00Z INFO x\n");
    assert.equal(a.finish().levels.INFO, 1);
    assert.throws(() => a.push("more"), isConclave("E_FINISHED"));
    assert.throws(() => a.finish(), isConclave("E_FINISHED"));
    assert.equal(analyzeLogs("").lines, 0);
    good();
  });
}
