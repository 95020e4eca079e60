// Config parsing (`parseConfig`, `checkConfig`; core/src/config, docs/config.md): one generated
// configuration of N services, written as JSON, YAML and TOML by the generator below (the same
// tree in all three), and three kernels, one per format.
//
// The JS baseline is the browser's `JSON.parse` of the JSON text, in every row: JavaScript has no
// built-in YAML or TOML parser and the demo adds none, so the YAML and TOML rows time conclave
// reading YAML/TOML against JSON.parse reading the same configuration as JSON (their titles say
// so). The WASM side is `parseConfig(text, {format}).data[0]`, which also builds the located
// outline (`values`: every scalar with its line and column) that JSON.parse does not, so its time
// covers more work. Equality: the same tree as JSON.parse's (object keys compared as sets, since
// conclave's tree is sorted by key; numbers and strings exactly).
//
// Pasted configs (JSON when the text starts with { or [, else YAML or TOML, detected): WASM parses
// and lints (`checkConfig`) and the page shows the outline and findings, or the syntax error with
// its line and column and the offending line. JS runs only on JSON (JSON.parse), for the equality
// check.

import { rng } from "./text.js";
import { configView } from "../views.js";

const IMAGES = ["api", "worker", "gateway", "scheduler", "cache", "indexer", "router", "auth"];
const REGIONS = ["eu-west-1", "us-east-2", "ap-south-1"];
const LEVELS = ["info", "debug", "warn"];
const CPUS = [0.25, 0.5, 1.5, 2.75];

/** The configuration tree of `services` services: deterministic from the seed. */
export function generateConfigTree(services, seed = 61) {
  const r = rng(seed);
  const pick = (list) => list[Math.floor(r() * list.length)];
  const list = [];
  for (let i = 0; i < services; i++) {
    const id = String(i + 1).padStart(5, "0");
    const kind = pick(IMAGES);
    list.push({
      name: `${kind}-${id}`,
      image: `registry.example.com/${kind}:1.${Math.floor(r() * 20)}.${Math.floor(r() * 10)}`,
      port: 10000 + i,
      replicas: 1 + Math.floor(r() * 8),
      enabled: r() < 0.9,
      cpu: pick(CPUS),
      tags: [kind, pick(REGIONS)],
      env: { LOG_LEVEL: pick(LEVELS), REGION: pick(REGIONS), SECRET_REF: `vault:kv/${kind}/${id}` },
      healthcheck: { path: "/healthz", interval_s: 5 * (1 + Math.floor(r() * 6)), timeout_ms: 250 * (1 + Math.floor(r() * 8)) },
    });
  }
  return {
    version: 3,
    fleet: "conclave-demo",
    defaults: { timeout_ms: 3000, retries: 2, region: REGIONS[0] },
    services: list,
  };
}

// The three writers handle this generator's shapes: objects, arrays of scalars, arrays of objects
// (TOML: arrays of tables), strings of printable ASCII, integers, finite floats, booleans.
// A JSON string of printable ASCII is a valid YAML double-quoted and TOML basic string.
const scalar = (v) => (typeof v === "string" ? JSON.stringify(v) : String(v));
const isTable = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
const isTableArray = (v) => Array.isArray(v) && v.length > 0 && v.every(isTable);

export function toYaml(value, indent = "") {
  const lines = [];
  for (const [k, v] of Object.entries(value)) {
    if (isTable(v)) lines.push(`${indent}${k}:`, toYaml(v, indent + "  "));
    else if (isTableArray(v)) {
      lines.push(`${indent}${k}:`);
      for (const item of v) {
        const body = toYaml(item, indent + "    ");
        lines.push(`${indent}  - ${body.slice(indent.length + 4)}`);
      }
    } else if (Array.isArray(v)) lines.push(`${indent}${k}: [${v.map((x) => scalar(x)).join(", ")}]`);
    else lines.push(`${indent}${k}: ${scalar(v)}`);
  }
  return lines.join("\n");
}

export function toToml(value, prefix = "") {
  const plain = [];
  const tables = [];
  for (const [k, v] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (isTable(v)) tables.push(`\n[${path}]\n${toToml(v, path)}`);
    else if (isTableArray(v)) for (const item of v) tables.push(`\n[[${path}]]\n${toToml(item, path)}`);
    else if (Array.isArray(v)) plain.push(`${k} = [${v.map((x) => scalar(x)).join(", ")}]`);
    else plain.push(`${k} = ${scalar(v)}`);
  }
  return plain.join("\n") + (plain.length ? "\n" : "") + tables.join("").replace(/^\n/, plain.length ? "\n" : "");
}

/** The generated configuration in all three formats. */
export function generateConfig(services, seed = 61) {
  const tree = generateConfigTree(services, seed);
  return { json: JSON.stringify(tree, null, 2) + "\n", yaml: toYaml(tree) + "\n", toml: toToml(tree) };
}

/** Deep equality of JSON-like values; object keys compared as sets (conclave's are sorted). */
export function sameTree(a, b) {
  if (a === b) return true;
  // conclave returns integers beyond 2^53 exactly, as BigInt; JSON.parse rounds them to a Number.
  if (typeof a === "bigint" || typeof b === "bigint") return false;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === b.length && a.every((x, i) => sameTree(x, b[i]));
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && sameTree(a[k], b[k]));
}

/** The WASM result of a pasted config: outline + data + findings, or the error with its place. */
function wasmPasted(api, { text, format }) {
  try {
    const parsed = api.parseConfig(text, format ? { format } : {});
    const findings = api.checkConfig(text, format ? { format } : {});
    return { format: parsed.format, documents: parsed.documents, values: parsed.values, data: parsed.data, findings };
  } catch (e) {
    return { error: { code: e.code ?? null, message: e.message, line: e.line ?? null, column: e.column ?? null } };
  }
}

/** JS on a pasted config: JSON.parse of a JSON text (null where the text is not JSON). */
function jsPasted({ text }) {
  try {
    return { data: [JSON.parse(text)] };
  } catch (e) {
    return { error: { message: `JSON.parse: ${e.message}`, line: null, column: null } };
  }
}

const kib = (n) => (n >= 10 * 1024 * 1024 ? `${(n / 1048576).toFixed(0)} MiB` : `${(n / 1024).toFixed(0)} KiB`);
const looksJson = (text) => /^\s*[[{]/.test(text);

export const EXAMPLE_CONFIG = `# a service config with two problems for checkConfig
fleet: conclave-demo
defaults:
  timeout_ms: 3000
  password: hunter2
services:
  - name: api
    port: 8080
    replicas: 3
  - name: worker
    port: 8080
    replicas: 2
`;

function configKernel(format, title) {
  return {
    name: `config-${format}`,
    title,
    unit: "services",
    sizes: { small: 200, medium: 1000, large: 3000 },
    range: { min: 1, max: 20000 },
    generate: (n) => {
      const texts = generateConfig(n);
      return { format, services: n, text: texts[format], json: texts.json };
    },
    js: (input) => (input.pasted ? jsPasted(input) : JSON.parse(input.json)),
    wasm: (api, input) => (input.pasted ? wasmPasted(api, input) : api.parseConfig(input.text, { format }).data[0]),
    equal: (a, b) => (a && (a.data || a.error) ? samePasted(a, b) : sameTree(a, b)),
    describe: (input) => `${input.services} services, ${kib(input.text.length)} ${format.toUpperCase()}`,
    pending: (api) => (typeof api.parseConfig === "function" ? null : "the loaded WASM package has no parseConfig export"),
  };
}

/** Pasted: equal when both parsed to the same documents, or both refused the text. */
function samePasted(a, b) {
  if (a?.error && b?.error) return true;
  if (!a || !b || a.error || b.error || !a.data || !b.data) return false;
  return a.data.length === b.data.length && a.data.every((d, i) => sameTree(d, b.data[i]));
}

// Titles: "JS: JSON.parse of the JSON" = the same configuration as JSON (no JS YAML/TOML parser).
export const configJson = configKernel("json", "Config parse · JSON (JS: JSON.parse)");
export const configYaml = configKernel("yaml", "Config parse · YAML (JS: JSON.parse of the JSON)");
export const configToml = configKernel("toml", "Config parse · TOML (JS: JSON.parse of the JSON)");

configJson.paste = {
  label: "Config (YAML, JSON or TOML): tree, findings, errors",
  example: EXAMPLE_CONFIG,
  parse: (text) => {
    if (!text.trim()) throw new Error("paste a YAML, JSON or TOML configuration");
    // A paste that starts with { or [ is read as JSON (so a JSON typo is reported by the JSON
    // parser, not as YAML flow style); anything else is detected (YAML or TOML).
    return { pasted: true, text, format: looksJson(text) ? "json" : null };
  },
  // JS (JSON.parse) only where the text is JSON; YAML and TOML are shown from WASM alone.
  jsApplies: (input) => looksJson(input.text),
  jsSkipped: "JS baseline not run: JSON.parse reads JSON only, and this paste is YAML or TOML",
  differs: "JSON.parse and conclave read these numbers differently: conclave refuses out-of-range numbers (1e400) and returns integers beyond 2^53 exactly as BigInt, JSON.parse gives Infinity or rounds",
  render: (input, result) => configView(input.text, result),
};
