// The config functions on the single-threaded build: integers past ±(2^53 - 1) come back as exact
// BigInts (data and outline), equal digit for digit to the CLI's JSON; every failure is a
// ConclaveError with a code (and line/column where the input is at fault), never a plain Error;
// large generated configs in every format give JSON.parse's tree.

import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { init, parseConfig, convertConfig, checkConfig, ConclaveError } from "conclave-wasm";
import { native } from "./lib.mjs";

const isConclave = (code) => (e) => e instanceof ConclaveError && e.code === code;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "conclave-config-"));
const file = (name, text) => {
  const p = path.join(tmp, name);
  fs.writeFileSync(p, text);
  return p;
};

/** JSON text like serde_json's compact output, with BigInts written as their digits. */
function exactJson(v) {
  if (typeof v === "bigint") return v.toString();
  if (Array.isArray(v)) return `[${v.map(exactJson).join(",")}]`;
  if (v !== null && typeof v === "object") {
    return `{${Object.keys(v).map((k) => `${JSON.stringify(k)}:${exactJson(Object.getOwnPropertyDescriptor(v, k).value)}`).join(",")}}`;
  }
  return JSON.stringify(v);
}

test("init", async () => {
  await init({ threads: false });
});

test("integers past 2^53 are exact BigInts, the rest numbers", () => {
  const r = parseConfig('{"a": 9007199254740993}');
  assert.equal(r.data[0].a, 9007199254740993n);
  assert.equal(r.values[0].value, 9007199254740993n);
  assert.equal(r.values[0].kind, "int");
  assert.equal("wide" in r, false);
  const edges = parseConfig("[9007199254740991, -9007199254740991, 9007199254740992, -9007199254740992, 9223372036854775807, -9223372036854775808, 1.5]", { format: "json" });
  assert.deepEqual(edges.data[0], [9007199254740991, -9007199254740991, 9007199254740992n, -9007199254740992n, 9223372036854775807n, -9223372036854775808n, 1.5]);
  assert.deepEqual(edges.values.map((v) => v.value), edges.data[0]);
  const yaml = parseConfig("a:\n  - 0x7FFFFFFFFFFFFFFF\n  - 12345678901234567\nb: 2\n", { format: "yaml" });
  assert.deepEqual(yaml.data[0], { a: [9223372036854775807n, 12345678901234567n], b: 2 });
  const toml = parseConfig("[x.y]\nbig = -9_223_372_036_854_775_808\n[[z]]\nn = 9007199254740993\n", { format: "toml" });
  assert.deepEqual(toml.data[0], { x: { y: { big: -9223372036854775808n } }, z: [{ n: 9007199254740993n }] });
  assert.deepEqual(toml.values.map((v) => [v.path, v.value, v.line, v.column]), [
    ["x.y.big", -9223372036854775808n, 2, 7],
    ["z[0].n", 9007199254740993n, 4, 5],
  ]);
});

test("BigInts sit under keys that are not names, including __proto__", () => {
  const r = parseConfig('{"__proto__": {"x": 9007199254740993}, "a.b\\"": [[1, 18014398509481984]]}', { format: "json" });
  const data = r.data[0];
  assert.equal(Object.getPrototypeOf(data), Object.prototype);
  assert.equal(Object.getOwnPropertyDescriptor(data, "__proto__").value.x, 9007199254740993n);
  assert.equal(data['a.b"'][0][1], 18014398509481984n);
  assert.deepEqual(r.values.map((v) => v.path), ["__proto__.x", '["a.b\\""][0][0]', '["a.b\\""][0][1]']);
});

test("wide integers equal the CLI's JSON digit for digit", () => {
  const cases = [
    ["wide.json", '{"id": 9007199254740993, "ids": [1, -9007199254740993, 9223372036854775807], "f": 1.5}'],
    ["wide.yaml", "---\nid: 18446744073709551\nlist: [-9223372036854775808, 3]\n---\n9007199254740992\n"],
    ["wide.toml", "id = 9007199254740993\n[t]\nn = 0x7FFFFFFFFFFFFFFF\n"],
  ];
  for (const [name, text] of cases) {
    const format = name.split(".").pop();
    const input = file(name, text);
    const outline = native(["config", "--format", "json", input]);
    assert.equal(outline.status, 0, outline.stderr);
    const { data, ...rest } = parseConfig(text, { format });
    assert.equal(exactJson(rest), outline.stdout.trim(), name);
    const json = native(["config", "--to", "json", input]);
    assert.equal(json.status, 0, json.stderr);
    assert.deepEqual(data.map(exactJson), json.stdout.trim().split("\n"), name);
  }
});

test("every failure is a ConclaveError with a code, never a plain Error", () => {
  const bad = [
    [() => parseConfig('{"a": [1, 2}'), "E_CONFIG", true],
    [() => parseConfig("a: .nan\n", { format: "yaml" }), "E_CONFIG", true],
    [() => parseConfig("a: [1, -.inf]\n", { format: "yaml" }), "E_CONFIG", true],
    [() => parseConfig("a = 1\na = 2\n", { format: "toml" }), "E_CONFIG", true],
    [() => parseConfig('{"a": 1e999}', { format: "json" }), "E_CONFIG", true],
    [() => parseConfig("[".repeat(50) + "]".repeat(50), { format: "json", maxDepth: 10 }), "E_CONFIG", true],
    [() => parseConfig("a: 1", { format: "xml" }), "E_OPTIONS", false],
    [() => parseConfig("a: 1", { maxDepth: "deep" }), "E_OPTIONS", false],
    [() => parseConfig("a: 1", { maxBytes: 2 }), "E_CONFIG", false],
    [() => parseConfig(42), "E_ARGUMENT", false],
    [() => convertConfig("a: .nan\n", { to: "json" }), "E_CONFIG", true],
    [() => checkConfig("a: [", { format: "yaml" }), "E_CONFIG", true],
  ];
  for (const [f, code, located] of bad) {
    let caught = null;
    try {
      f();
    } catch (e) {
      caught = e;
    }
    assert.ok(caught instanceof ConclaveError, `${f}: ${caught?.constructor?.name} ${caught?.message}`);
    assert.equal(caught.code, code, `${f}: ${caught.message}`);
    if (located) assert.ok(caught.line >= 1 && caught.column >= 1, `${f}: ${caught.message}`);
  }
  // The NaN's place: line 1, column 4.
  assert.throws(() => parseConfig("a: .nan\n", { format: "yaml" }), (e) => isConclave("E_CONFIG")(e) && e.line === 1 && e.column === 4);
  assert.deepEqual(parseConfig("a: 1").data, [{ a: 1 }], "still works");
});

test("large configs with many headers give JSON.parse's tree in every format", () => {
  const n = 2000;
  const services = Array.from({ length: n }, (_, i) => ({ name: `s${i}`, port: 10000 + i, env: { LEVEL: "info", N: i } }));
  const json = JSON.stringify({ version: 3, services });
  const toml = ["version = 3", ""];
  const yaml = ["version: 3", "services:"];
  for (const s of services) {
    toml.push("[[services]]", `name = "${s.name}"`, `port = ${s.port}`, "[services.env]", `LEVEL = "info"`, `N = ${s.env.N}`, "");
    yaml.push(`  - name: ${s.name}`, `    port: ${s.port}`, "    env:", "      LEVEL: info", `      N: ${s.env.N}`);
  }
  const want = JSON.parse(json);
  for (const [format, text, rowLine] of [["json", json, 1], ["toml", toml.join("\n"), 7 * (n - 1) + 8], ["yaml", yaml.join("\n"), 5 * (n - 1) + 7]]) {
    const r = parseConfig(text, { format });
    assert.deepEqual(r.data, [want], format);
    assert.equal(r.values.length, 1 + 4 * n, format);
    const last = r.values[r.values.length - 1];
    assert.equal(last.path, `services[${n - 1}].env.N`, format);
    assert.equal(last.value, n - 1, format);
    assert.equal(last.line, rowLine, format);
  }
});
