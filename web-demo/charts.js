// Hand-written SVG charts (no library): a horizontal bar chart of one kernel's median times per
// engine, and a log-log scaling chart of time against input size. Both return SVG markup strings.

import { esc } from "./views.js";

export const COLORS = { js: "#d9822b", wasm1: "#3b7dd8", wasmN: "#2a9d5c" };
export const LABELS = { js: "JS", wasm1: "WASM 1 thread", wasmN: "WASM N threads" };


export function fmtMs(ms) {
  if (ms === null || ms === undefined) return "–";
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 10) return `${ms.toFixed(0)} ms`;
  return `${ms.toFixed(2)} ms`;
}

/** bars: [{key, label, ms (or null), note}] -> horizontal bars scaled to the slowest. */
export function barChart({ title, subtitle = "", bars }) {
  const W = 540;
  const rowH = 26;
  const left = 120;
  const right = 90;
  const top = subtitle ? 40 : 26;
  const H = top + bars.length * rowH + 8;
  const max = Math.max(1e-9, ...bars.map((b) => b.ms ?? 0));
  const rows = bars
    .map((b, i) => {
      const y = top + i * rowH;
      const w = b.ms == null ? 0 : Math.max(1, ((W - left - right) * b.ms) / max);
      const text = b.ms == null ? b.note ?? "pending" : fmtMs(b.ms);
      return (
        `<text x="${left - 8}" y="${y + 16}" text-anchor="end" class="lbl">${esc(b.label)}</text>` +
        `<rect x="${left}" y="${y + 4}" width="${w.toFixed(1)}" height="${rowH - 8}" fill="${COLORS[b.key] ?? "#888"}" rx="2"/>` +
        `<text x="${left + w + 6}" y="${y + 16}" class="val${b.ms == null ? " muted" : ""}">${esc(text)}</text>`
      );
    })
    .join("");
  return (
    `<svg class="chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(title)}">` +
    `<text x="4" y="16" class="title">${esc(title)}</text>` +
    (subtitle ? `<text x="4" y="31" class="tick">${esc(subtitle)}</text>` : "") +
    `${rows}</svg>`
  );
}

function ticks(lo, hi) {
  const out = [];
  // 1-2-5 ticks over up to two decades, powers of ten beyond.
  const steps = Math.log10(hi / lo) > 2 ? [1] : [1, 2, 5];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of steps) {
      const v = m * 10 ** e;
      if (v >= lo / 1.0001 && v <= hi * 1.0001) out.push(v);
    }
  }
  return out;
}

/** series: [{key, label, points: [{x, y}]}] on log-log axes; x = input size, y = ms. */
export function scalingChart({ title, xLabel, series }) {
  const W = 420;
  const H = 250;
  const L = 56;
  const R = 24;
  const T = 44;
  const B = 40;
  const pts = series.flatMap((s) => s.points).filter((p) => p.y > 0 && p.x > 0);
  if (pts.length === 0) {
    return `<svg class="chart" viewBox="0 0 ${W} 60" width="${W}" height="60"><text x="4" y="16" class="title">${esc(title)}</text><text x="4" y="44" class="muted">no data yet</text></svg>`;
  }
  let [x0, x1] = [Math.min(...pts.map((p) => p.x)), Math.max(...pts.map((p) => p.x))];
  let [y0, y1] = [Math.min(...pts.map((p) => p.y)), Math.max(...pts.map((p) => p.y))];
  if (x0 === x1) [x0, x1] = [x0 / 2, x1 * 2];
  [y0, y1] = [y0 / 1.5, y1 * 1.5];
  const sx = (x) => L + ((Math.log(x) - Math.log(x0)) / (Math.log(x1) - Math.log(x0))) * (W - L - R);
  const sy = (y) => H - B - ((Math.log(y) - Math.log(y0)) / (Math.log(y1) - Math.log(y0))) * (H - T - B);
  const grid = ticks(y0, y1)
    .map((v) => `<line x1="${L}" x2="${W - R}" y1="${sy(v).toFixed(1)}" y2="${sy(v).toFixed(1)}" class="grid"/><text x="${L - 4}" y="${(sy(v) + 4).toFixed(1)}" text-anchor="end" class="tick">${esc(fmtMs(v))}</text>`)
    .join("");
  const xs = [...new Set(pts.map((p) => p.x))].sort((a, b) => a - b);
  const xt = xs.map((v) => `<text x="${sx(v).toFixed(1)}" y="${H - B + 16}" text-anchor="middle" class="tick">${esc(v)}</text>`).join("");
  const lines = series
    .map((s) => {
      const p = s.points.filter((q) => q.y > 0).sort((a, b) => a.x - b.x);
      if (p.length === 0) return "";
      const d = p.map((q, i) => `${i ? "L" : "M"}${sx(q.x).toFixed(1)},${sy(q.y).toFixed(1)}`).join("");
      const dots = p.map((q) => `<circle cx="${sx(q.x).toFixed(1)}" cy="${sy(q.y).toFixed(1)}" r="3" fill="${COLORS[s.key]}"/>`).join("");
      return `<path d="${d}" fill="none" stroke="${COLORS[s.key]}" stroke-width="2"/>${dots}`;
    })
    .join("");
  const legend = series
    .map((s, i) => `<rect x="${L + i * 120}" y="22" width="10" height="10" fill="${COLORS[s.key]}"/><text x="${L + 14 + i * 120}" y="31" class="tick">${esc(s.label)}</text>`)
    .join("");
  return (
    `<svg class="chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(title)}">` +
    `<text x="4" y="16" class="title">${esc(title)}</text>${grid}` +
    `<line x1="${L}" x2="${L}" y1="${T}" y2="${H - B}" class="axis"/><line x1="${L}" x2="${W - R}" y1="${H - B}" y2="${H - B}" class="axis"/>` +
    `${xt}<text x="${(L + W - R) / 2}" y="${H - 6}" text-anchor="middle" class="tick">${esc(xLabel)} (log scale)</text>${lines}${legend}</svg>`
  );
}
