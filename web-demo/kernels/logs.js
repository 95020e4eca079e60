// Log analysis (`analyzeLogs`, core/src/logs, docs/logs.md): lines, bytes, levels, first/last
// timestamp and the per-minute histogram.
//
// The WASM side detects the format among sixteen (docs/logs.md) and parses any of them; the JS
// baseline reads ONE format, the one the generator writes: ISO 8601 lines
// `YYYY-MM-DDTHH:MM:SS[.fff]Z LEVEL message` (the `iso8601` format, UTC). For generated logs both
// must give the same lines, bytes, levels, first, last and per_minute; a pasted log in another
// format is analysed by WASM only (the JS result then differs, and the page says so). Both take the
// log as a JS string (the WASM binding encodes it to UTF-8, which its time includes).

import { rng, mib } from "./text.js";
import { logView } from "../views.js";

const MiB = 1 << 20;
const LEVELS = ["FATAL", "ERROR", "WARN", "INFO", "DEBUG", "TRACE", "UNKNOWN"];
// docs/logs.md's level words (case-insensitive), the ones an ISO 8601 line's level field can hold.
const WORDS = new Map(
  Object.entries({
    FATAL: "FATAL CRITICAL CRIT EMERG EMERGENCY ALERT PANIC",
    ERROR: "ERROR ERR SEVERE",
    WARN: "WARN WARNING",
    INFO: "INFO NOTICE INFORMATION INFORMATIONAL",
    DEBUG: "DEBUG FINE CONFIG DBG",
    TRACE: "TRACE FINER FINEST VERBOSE",
  }).flatMap(([level, words]) => words.split(" ").map((w) => [w, level])),
);

const MESSAGES = [
  "request GET /api/v1/items took 12 ms",
  "cache miss for key session:8812",
  "upstream timeout after 3000 ms",
  "connection reset by peer",
  "retrying job 4411 (attempt 2)",
  "disk usage at 81%",
  "user login ok",
  "slow query: 1.2 s on orders",
];

/** About `bytes` of ISO 8601 log lines, up to `gapMs` apart, mostly INFO. */
export function generateLog(bytes, seed = 41, gapMs = 3000) {
  const r = rng(seed);
  const parts = [];
  let size = 0;
  let t = Date.UTC(2026, 2, 1, 9, 0, 0);
  const weights = [["FATAL", 0.002], ["ERROR", 0.04], ["WARN", 0.1], ["DEBUG", 0.2], ["TRACE", 0.05]];
  while (size < bytes) {
    t += Math.floor(r() * gapMs);
    let level = "INFO";
    let u = r();
    for (const [l, w] of weights) {
      if (u < w) {
        level = l;
        break;
      }
      u -= w;
    }
    const line = `${new Date(t).toISOString()} ${level} ${MESSAGES[Math.floor(r() * MESSAGES.length)]}\n`;
    parts.push(line);
    size += line.length;
  }
  return parts.join("");
}

const ISO = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}):(\d{2})(?:\.\d+)?Z\s+(\S+)/;

/** The JS baseline for ISO 8601 `...Z LEVEL msg` logs: the keys compared with the WASM report. */
export function analyzeIsoLog(text) {
  const levels = Object.fromEntries(LEVELS.map((l) => [l, 0]));
  const perMinute = new Map();
  let lines = 0;
  let first = null;
  let last = null;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    let line = text.slice(start, end);
    if (line.endsWith("\r")) line = line.slice(0, -1);
    start = end + 1;
    lines++;
    const m = ISO.exec(line);
    if (!m) {
      levels.UNKNOWN++;
      continue;
    }
    levels[WORDS.get(m[4].toUpperCase()) ?? "UNKNOWN"]++;
    const minute = `${m[1]}T${m[2]}`;
    perMinute.set(minute, (perMinute.get(minute) ?? 0) + 1);
    const stamp = `${minute}:${m[3]}Z`;
    if (first === null || stamp < first) first = stamp;
    if (last === null || stamp > last) last = stamp;
  }
  const per_minute = Object.fromEntries([...perMinute.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
  return { bytes: new TextEncoder().encode(text).length, lines, levels, first, last, per_minute };
}

const KEYS = ["bytes", "lines", "first", "last"];

/** The same lines, bytes, levels, first, last and per-minute histogram. */
export function sameLogReport(a, b) {
  if (!a || !b || !a.levels || !b.levels || !a.per_minute || !b.per_minute) return false;
  if (!KEYS.every((k) => a[k] === b[k])) return false;
  if (!LEVELS.every((l) => a.levels[l] === b.levels[l])) return false;
  const [x, y] = [Object.entries(a.per_minute), Object.entries(b.per_minute)];
  return x.length === y.length && x.every(([k, v], i) => y[i][0] === k && y[i][1] === v);
}

export const EXAMPLE_LOG = generateLog(4000, 5, 25000);

export const logs = {
  name: "log-analysis",
  title: "Log analysis (JS: one format)",
  unit: "bytes",
  sizes: { small: 1 * MiB, medium: 8 * MiB, large: 32 * MiB },
  range: { min: 1024, max: 128 * MiB },
  generate: (n) => generateLog(n),
  js: analyzeIsoLog,
  wasm: (api, text) => {
    const r = api.analyzeLogs(text, {});
    return { bytes: r.bytes, lines: r.lines, levels: r.levels, first: r.first, last: r.last, per_minute: r.per_minute, formats: r.formats };
  },
  equal: sameLogReport,
  describe: (text) => mib(text.length),
  pending: (api) => (typeof api.analyzeLogs === "function" ? null : "the loaded WASM package has no analyzeLogs export"),
  paste: {
    label: "Log analysis (a log, any of docs/logs.md's formats)",
    example: EXAMPLE_LOG,
    parse: (text) => {
      if (!text.trim()) throw new Error("paste some log lines");
      return text;
    },
    render: (text, report) => logView(report),
    differs: "the JS baseline reads only ISO 8601 `...Z LEVEL msg` lines; WASM detects the format",
  },
};
