// Consensus over expert responses (`consensus`, core/src/consensus, docs/consensus.md).
//
// JS computes the decisive part: the cosine similarity matrix (./similarity.js, bit-identical to
// the core's), the confidence-weighted medoid (the response i maximising sum over j != i of
// confidence_j * S(i, j), ties to the lowest index) and the clusters (connected components of
// S(i, j) >= threshold, each sorted, largest first, then by first index). The WASM side computes
// the whole result (also score, level, dissent, outliers, themes, recommendations, insights), so
// its time covers more work; the table labels the row "JS: matrix + medoid + clusters".
//
// Ties must go the way the core's go, so the medoid's sums are exact like the core's ExactSum:
// every term is scaled by 2^80 and truncated toward zero (exact integers), then summed as two
// integer halves (above and below 2^40) in plain doubles, exact up to 2^13 responses. Equality:
// the same consensus index and the same clusters, exactly.

import { cosineMatrix } from "./similarity.js";
import { expertResponses, rng } from "./text.js";
import { consensusView, EXAMPLE_EXPERTS } from "../views.js";

const SCALE = 2 ** 80;
const HALF = 2 ** 40;
export const DEFAULT_THRESHOLD = 0.7;

/** Exact sum of non-negative terms as in core's ExactSum: {hi, lo} with lo < 2^40. */
function exactSum(terms) {
  let hi = 0;
  let lo = 0;
  for (const x of terms) {
    const y = Math.trunc(x * SCALE);
    const h = Math.floor(y / HALF);
    hi += h;
    lo += y - h * HALF;
  }
  const carry = Math.floor(lo / HALF);
  return { hi: hi + carry, lo: lo - carry * HALF };
}

/** The confidence-weighted medoid of all responses (ties to the lowest index). */
export function weightedMedoid(s, conf) {
  const n = conf.length;
  let best = 0;
  let bestSum = null;
  for (let i = 0; i < n; i++) {
    const row = s[i];
    const terms = [];
    for (let j = 0; j < n; j++) if (j !== i) terms.push(conf[j] * row[j]);
    const sum = exactSum(terms);
    if (bestSum === null || sum.hi > bestSum.hi || (sum.hi === bestSum.hi && sum.lo > bestSum.lo)) {
      best = i;
      bestSum = sum;
    }
  }
  return best;
}

/** Connected components of S(i, j) >= threshold: sorted members, largest first, then first index. */
export function components(s, threshold) {
  const n = s.length;
  const parent = Array.from({ length: n }, (_, i) => i);
  const find = (x) => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  };
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (s[i][j] >= threshold) {
        const a = find(i);
        const b = find(j);
        if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
      }
    }
  }
  const groups = new Map();
  for (let i = 0; i < n; i++) {
    const r = find(i);
    if (!groups.has(r)) groups.set(r, []);
    groups.get(r).push(i);
  }
  return [...groups.values()].sort((a, b) => b.length - a.length || a[0] - b[0]);
}

/** The JS baseline: {index, clusters} of the consensus of `responses` under cosine. */
export function consensusCore(responses, threshold = DEFAULT_THRESHOLD) {
  const s = cosineMatrix(responses.map((r) => r.content));
  return { index: weightedMedoid(s, responses.map((r) => r.confidence)), clusters: components(s, threshold) };
}

/** `count` generated responses: expert names, texts from text.js, confidences in hundredths. */
export function generateResponses(count, seed = 7) {
  const r = rng(seed + 1000);
  return expertResponses(count, seed).map((content, i) => ({
    expert: `expert-${String(i + 1).padStart(4, "0")}`,
    content,
    confidence: Math.round(50 + 50 * r()) / 100,
  }));
}

const pick = (r) => (r && r.consensus ? { index: r.consensus.index, clusters: r.clusters } : r);

/** The same consensus index and clusters (either side may be the full WASM result). */
export function sameConsensus(a, b) {
  const [x, y] = [pick(a), pick(b)];
  if (!x || !y || x.index !== y.index || !Array.isArray(x.clusters) || !Array.isArray(y.clusters)) return false;
  if (x.clusters.length !== y.clusters.length) return false;
  return x.clusters.every((c, k) => c.length === y.clusters[k].length && c.every((v, m) => v === y.clusters[k][m]));
}

/** Pasted JSON: an array of {expert, content, confidence, recommendations?, limitations?}. */
function parsePasted(text) {
  let v;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new Error(`not JSON: ${e.message}`);
  }
  if (!Array.isArray(v) || v.length === 0) throw new Error("paste a JSON array of responses {expert, content, confidence}");
  v.forEach((r, i) => {
    if (!r || typeof r.content !== "string" || typeof r.expert !== "string")
      throw new Error(`response ${i}: needs string fields "expert" and "content"`);
    if (typeof r.confidence !== "number" || !(r.confidence >= 0 && r.confidence <= 1))
      throw new Error(`response ${i}: "confidence" must be a number in [0, 1]`);
  });
  return v;
}

export const consensus = {
  name: "consensus",
  title: "Consensus (JS: matrix + medoid + clusters)",
  unit: "responses",
  sizes: { small: 200, medium: 800, large: 2000 },
  range: { min: 2, max: 3000 },
  generate: (n) => generateResponses(n),
  js: (responses) => consensusCore(responses),
  wasm: (api, responses) => api.consensus(responses, { threshold: DEFAULT_THRESHOLD }),
  equal: sameConsensus,
  describe: (responses) => `${responses.length} responses`,
  pending: (api) => (typeof api.consensus === "function" ? null : "the loaded WASM package has no consensus export"),
  paste: {
    label: "Consensus (expert responses JSON)",
    example: EXAMPLE_EXPERTS,
    parse: parsePasted,
    render: (responses, result) => consensusView(responses, result),
  },
};
