// Shared helpers of the demo's kernels: the word tokenizer (the JS twin of core/src/text.rs), a seeded
// random generator for reproducible inputs, and the generated "expert responses".
//
// Tokenizer: Unicode word segments (UAX #29) that are word-like, lowercased with the full Unicode
// mapping. Rust uses unicode-segmentation's `unicode_words` (pure UAX #29), the browser ICU's
// `Intl.Segmenter` (UAX #29 with dictionary segmentation for scripts written without spaces). They
// agree on alphabetic scripts, numbers, apostrophes and punctuation; they differ on Chinese/Japanese/
// Thai (ICU: dictionary words like 日本; Rust: one ideograph per word). Generated inputs stay within
// the agreeing part, and every result is checked equal to the WASM one, so a difference shows.

const segmenter = new Intl.Segmenter(undefined, { granularity: "word" });

/** The lowercased word-like segments of `text`. */
export function words(text) {
  const out = [];
  for (const s of segmenter.segment(text)) {
    if (s.isWordLike) out.push(s.segment.toLowerCase());
  }
  return out;
}

/** mulberry32: a small seeded PRNG, uniform in [0, 1). Same seed, same sequence. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const OPENERS = [
  "The root cause is", "I think the cause is", "Most likely it is", "In my view the problem is",
  "Looking at the logs, it's", "Don't overthink it: it is", "Évidemment, it's", "Probably",
];
const CAUSES = [
  "a stale DNS cache on the edge nodes", "the connection pool running dry under load",
  "a memory leak in the v2.0 parser", "clock skew between the consensus replicas",
  "an expired TLS certificate on the gateway", "the naïve retry loop amplifying traffic",
  "a full disk on the log volume", "the café Wi-Fi of the on-call engineer",
];
const DETAILS = [
  "because errors spike at 03:14 every night", "since latency grew 42% after the deploy",
  "as the Straße region saw it first", "given that restarting fixes it for an hour",
  "and the dashboards agree", "although I'm not fully sure", "which matches last week's incident",
  "because the health checks still pass", "so we should roll back first",
];
const FIXES = [
  "Fix: flush the cache and lower the TTL.", "Raise the pool size and add back-pressure.",
  "Patch the parser and add a fuzz test.", "Sync clocks with NTP and alert on drift.",
  "Renew the certificate and automate it.", "Add jitter and a retry budget.",
  "Rotate the logs and grow the volume.", "Use the wired network, please!",
];

/** `count` expert answers to one incident question: a few camps that agree, with noise. */
export function expertResponses(count, seed = 7) {
  const r = rng(seed);
  const pick = (list) => list[Math.floor(r() * list.length)];
  const camps = Math.max(2, Math.min(CAUSES.length, Math.round(Math.sqrt(count))));
  const out = [];
  for (let i = 0; i < count; i++) {
    // Most experts follow one of the first `camps` causes (skewed to the first), some wander off.
    const camp = r() < 0.85 ? Math.floor(camps * r() * r()) : Math.floor(r() * CAUSES.length);
    const parts = [pick(OPENERS), CAUSES[camp], pick(DETAILS) + "."];
    if (r() < 0.7) parts.push(FIXES[camp]);
    if (r() < 0.4) parts.push(pick(DETAILS) + ", " + pick(DETAILS) + ".");
    out.push(parts.join(" "));
  }
  return out;
}

const MiB = 1 << 20;

/** A byte count as the table shows it: "1 MiB", "12.5 MiB", "0.25 MiB". */
export function mib(bytes) {
  const v = bytes / MiB;
  return `${v >= 10 ? v.toFixed(0) : Number(v.toPrecision(3))} MiB`;
}
