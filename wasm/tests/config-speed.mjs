// Not a test: times parseConfig (and, for scale, convertConfig to JSON and JSON.parse of the same
// tree as JSON) on generated services configs of about 100 KiB and 1 MiB in JSON, YAML and TOML
// (TOML with a table header per service and sub-table). Prints medians in ms.
//   node wasm/tests/config-speed.mjs PACKAGE_DIR [RUNS] [SIZE]   (an unpacked tarball's package/;
//   RUNS: fewest runs per median, default 5, over at least 1.5 s; SIZE: only 100KiB or 1MiB)

import path from "node:path";
import { pathToFileURL } from "node:url";

const pkg = process.argv[2];
if (!pkg) throw new Error("usage: node config-speed.mjs PACKAGE_DIR");
const { init, parseConfig, convertConfig } = await import(pathToFileURL(path.join(path.resolve(pkg), "node.js")));
await init({ threads: false });

const KINDS = ["api", "worker", "gateway", "cache"];
function tree(n) {
  const services = [];
  for (let i = 0; i < n; i++) {
    const kind = KINDS[i % 4];
    const id = String(i).padStart(5, "0");
    services.push({
      name: `${kind}-${id}`, image: `registry.example.com/${kind}:1.${i % 20}.${i % 10}`, port: 10000 + i,
      replicas: 1 + (i % 8), enabled: i % 10 !== 0, cpu: [0.25, 0.5, 1.5][i % 3], tags: [kind, "eu-west-1"],
      env: { LOG_LEVEL: "info", SECRET_REF: `vault:kv/${kind}/${id}` },
      healthcheck: { path: "/healthz", interval_s: 5 * (1 + (i % 6)) },
    });
  }
  return { version: 3, fleet: "demo", defaults: { retries: 2, region: "eu-west-1" }, services };
}
const s = (v) => (typeof v === "string" ? JSON.stringify(v) : String(v));
const flat = (o) => Object.entries(o).filter(([, v]) => typeof v !== "object" || Array.isArray(v));
const subs = (o) => Object.entries(o).filter(([, v]) => typeof v === "object" && !Array.isArray(v));
const line = ([k, v]) => `${k} = ${Array.isArray(v) ? `[${v.map(s).join(", ")}]` : s(v)}`;
const ymlLine = (ind) => ([k, v]) => `${ind}${k}: ${Array.isArray(v) ? `[${v.map(s).join(", ")}]` : s(v)}`;
function toToml(t) {
  const out = [...flat(t).filter(([k]) => k !== "services").map(line), "", "[defaults]", ...flat(t.defaults).map(line), ""];
  for (const svc of t.services) {
    out.push("[[services]]", ...flat(svc).map(line), "");
    for (const [k, v] of subs(svc)) out.push(`[services.${k}]`, ...flat(v).map(line), "");
  }
  return out.join("\n");
}
function toYaml(t) {
  const out = [...flat(t).filter(([k]) => k !== "services").map(ymlLine("")), "defaults:", ...flat(t.defaults).map(ymlLine("  ")), "services:"];
  for (const svc of t.services) {
    const rows = flat(svc).map(ymlLine("    "));
    rows[0] = "  - " + rows[0].slice(4);
    out.push(...rows);
    for (const [k, v] of subs(svc)) out.push(`    ${k}:`, ...flat(v).map(ymlLine("      ")));
  }
  return out.join("\n") + "\n";
}

const RUNS = Number(process.argv[3] ?? 5);
const ONLY = process.argv[4];

function median(f, minMs = RUNS > 1 ? 1500 : 0, minRuns = RUNS) {
  const times = [];
  const start = performance.now();
  while (times.length < minRuns || performance.now() - start < minMs) {
    const t0 = performance.now();
    f();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1];
}

// Warm-up: V8 tiers the wasm code up (Liftoff, then TurboFan) during the first second or so.
{
  const warm = JSON.stringify(tree(100));
  const t0 = performance.now();
  while (performance.now() - t0 < 2000) {
    parseConfig(warm, { format: "json" });
    convertConfig(warm, { from: "json", to: "json" });
  }
}

console.log("size\tformat\tbytes\tparseConfig ms\tconvertConfig->json ms\tJSON.parse(json) ms");
for (const [label, n] of [["100KiB", 330], ["1MiB", 3400]]) {
  if (ONLY !== undefined && ONLY !== label) continue;
  const t = tree(n);
  const json = JSON.stringify(t, null, 2);
  for (const [format, text] of [["json", json], ["yaml", toYaml(t)], ["toml", toToml(t)]]) {
    const got = parseConfig(text, { format }).data[0];
    if (got.services.length !== n || got.services[n - 1].env.SECRET_REF !== t.services[n - 1].env.SECRET_REF) {
      throw new Error(`${format}: wrong tree`);
    }
    const p = median(() => parseConfig(text, { format }));
    const c = median(() => convertConfig(text, { from: format, to: "json" }));
    const j = median(() => JSON.parse(json));
    console.log(`${label}\t${format}\t${text.length}\t${p.toFixed(2)}\t${c.toFixed(2)}\t${j.toFixed(2)}`);
  }
}
