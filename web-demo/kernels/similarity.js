// Similarity matrices: the all-pairs `n x n` matrix of expert responses under a metric, with the
// definitions of core/src/similarity (over Unicode scalar values; words from ./text.js).
//
// - levenshtein: edit distance d, similarity `1 - d / max(len_a, len_b)` (1 for two empty strings).
//   JS side: Myers' bit-parallel algorithm in 32-bit blocks (Hyyrö's block form), the algorithm fast
//   JS libraries use; each string's match masks are built once per matrix, the shorter string of a
//   pair is the pattern. The Rust side uses the same algorithm on 64-bit words, plus a band.
// - cosine: word term-frequency vectors, `dot / sqrt(|a|^2 |b|^2)` capped at 1; 1 when both have no
//   words, 0 when one has none. JS side: words mapped to integer ids once, each row scattered into a
//   dense count array and dotted with the sparse vectors after it (the core's matrix algorithm). Dot
//   products are exact integers in both, so matrices must be bit-identical.
//
// Results are `number[][]` (what the WASM `similarityMatrix` returns); equality is exact.

import { words, expertResponses } from "./text.js";
import { splitResponses, similarityView, EXAMPLE_RESPONSES } from "../views.js";

/** Code points of `s` (Unicode scalar values, as Rust's `chars()`). */
function codePoints(s) {
  const out = [];
  for (const ch of s) out.push(ch.codePointAt(0));
  return out;
}

/** Match masks of `chars` in 32-bit blocks: Map code point -> Int32Array(blocks). */
function pattern(chars) {
  const blocks = Math.max(1, Math.ceil(chars.length / 32));
  const peq = new Map();
  for (let i = 0; i < chars.length; i++) {
    let m = peq.get(chars[i]);
    if (!m) {
      m = new Int32Array(blocks);
      peq.set(chars[i], m);
    }
    m[i >>> 5] |= 1 << (i & 31);
  }
  return { len: chars.length, blocks, peq };
}

const ZERO_BLOCKS = new Int32Array(4096);

/** Levenshtein distance between the pattern's string and `text` (code points). */
export function myers(p, text) {
  const m = p.len;
  if (m === 0) return text.length;
  const B = p.blocks;
  const pv = new Int32Array(B).fill(-1);
  const mv = new Int32Array(B);
  const lastBit = 1 << ((m - 1) & 31);
  const last = B - 1;
  let score = m;
  for (let j = 0; j < text.length; j++) {
    const eqs = p.peq.get(text[j]) ?? ZERO_BLOCKS;
    let hin = 1; // the top row grows by one per text character
    for (let b = 0; b < B; b++) {
      let eq = eqs[b];
      const Pv = pv[b];
      const Mv = mv[b];
      const xv = eq | Mv;
      if (hin < 0) eq |= 1;
      const xh = (((eq & Pv) + Pv) ^ Pv) | eq;
      let ph = Mv | ~(xh | Pv);
      let mh = Pv & xh;
      const high = b === last ? lastBit : -2147483648;
      const hout = ph & high ? 1 : mh & high ? -1 : 0;
      ph <<= 1;
      mh <<= 1;
      if (hin < 0) mh |= 1;
      else if (hin > 0) ph |= 1;
      pv[b] = mh | ~(xv | ph);
      mv[b] = ph & xv;
      hin = hout;
    }
    score += hin;
  }
  return score;
}

/** The reference Levenshtein distance (two-row dynamic programming), for tests. */
export function levenshteinDP(a, b) {
  const x = codePoints(a);
  const y = codePoints(b);
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[y.length];
}

function square(n) {
  return Array.from({ length: n }, () => new Array(n).fill(0));
}

/** Levenshtein similarity matrix. */
export function levenshteinMatrix(texts) {
  const chars = texts.map(codePoints);
  const pats = chars.map(pattern);
  const n = texts.length;
  const m = square(n);
  for (let i = 0; i < n; i++) {
    m[i][i] = 1;
    for (let j = i + 1; j < n; j++) {
      const [p, t] = chars[i].length <= chars[j].length ? [pats[i], chars[j]] : [pats[j], chars[i]];
      const total = Math.max(chars[i].length, chars[j].length);
      const s = total === 0 ? 1 : 1 - myers(p, t) / total;
      m[i][j] = s;
      m[j][i] = s;
    }
  }
  return m;
}

/** Cosine similarity matrix over word term-frequency vectors. */
export function cosineMatrix(texts) {
  const vocab = new Map();
  const vectors = texts.map((t) => {
    const counts = new Map();
    for (const w of words(t)) {
      let id = vocab.get(w);
      if (id === undefined) {
        id = vocab.size;
        vocab.set(w, id);
      }
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    const ids = Int32Array.from(counts.keys());
    const cs = Int32Array.from(counts.values());
    let norm2 = 0;
    for (const c of cs) norm2 += c * c;
    return { ids, cs, norm2 };
  });
  const n = texts.length;
  const m = square(n);
  const dense = new Int32Array(vocab.size);
  for (let i = 0; i < n; i++) {
    const a = vectors[i];
    m[i][i] = 1;
    for (let k = 0; k < a.ids.length; k++) dense[a.ids[k]] = a.cs[k];
    for (let j = i + 1; j < n; j++) {
      const b = vectors[j];
      let s;
      if (a.ids.length === 0 || b.ids.length === 0) {
        s = a.ids.length === 0 && b.ids.length === 0 ? 1 : 0;
      } else {
        let dot = 0;
        for (let k = 0; k < b.ids.length; k++) dot += dense[b.ids[k]] * b.cs[k];
        s = Math.min(1, dot / Math.sqrt(a.norm2 * b.norm2));
      }
      m[i][j] = s;
      m[j][i] = s;
    }
    for (let k = 0; k < a.ids.length; k++) dense[a.ids[k]] = 0;
  }
  return m;
}

/** Exact equality of two matrices; `where` gets the first difference. */
export function sameMatrix(a, b) {
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i].length !== b[i].length) return false;
    for (let j = 0; j < a[i].length; j++) if (!Object.is(a[i][j], b[i][j])) return false;
  }
  return true;
}

function similarityKernel(metric, title, sizes, range, js) {
  return {
    name: `similarity-${metric}`,
    title,
    unit: "responses",
    sizes,
    range,
    generate: (n) => expertResponses(n),
    js,
    wasm: (api, texts) => api.similarityMatrix(texts, { metric }),
    equal: sameMatrix,
    describe: (texts) => `${texts.length} responses, ${(texts.length * (texts.length - 1)) / 2} pairs`,
    paste: {
      label: title,
      example: EXAMPLE_RESPONSES,
      parse: splitResponses,
      render: (texts, matrix) => similarityView(texts, matrix, metric),
    },
  };
}

export const cosine = similarityKernel(
  "cosine",
  "Similarity matrix · cosine (words)",
  { small: 200, medium: 800, large: 2000 },
  { min: 2, max: 3000 },
  cosineMatrix,
);

export const levenshtein = similarityKernel(
  "levenshtein",
  "Similarity matrix · Levenshtein",
  { small: 60, medium: 200, large: 600 },
  { min: 2, max: 1000 },
  levenshteinMatrix,
);
