// Readable views of pasted input, shared by the kernels' `paste` adapters: pure functions from a
// kernel's input and result to HTML strings (no DOM access, so kernel modules stay loadable in the
// workers). A kernel with `paste: {label, example, parse(text) -> input, render(input, result) -> html}`
// appears in the page's "Paste your own" section.

export const esc = (s) =>
  String(s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);

/** Expert responses separated by blank lines, or one per line when there are no blank lines. */
export function splitResponses(text) {
  const blocks = text.split(/\n\s*\n/).map((s) => s.trim()).filter(Boolean);
  const parts = blocks.length > 1 ? blocks : text.split("\n").map((s) => s.trim()).filter(Boolean);
  if (parts.length < 2) throw new Error("paste at least two responses (separated by blank lines)");
  return parts;
}

export const EXAMPLE_RESPONSES = [
  "The outage was caused by an expired TLS certificate on the gateway; renew it and automate renewal.",
  "Root cause: the gateway's TLS certificate expired. Renew the certificate and add an expiry alert.",
  "I think it's the DNS cache on the edge nodes; flush it and lower the TTL.",
  "An expired certificate on the gateway, most likely. Renew it.",
].join("\n\n");

function heat(v) {
  const h = Math.round(v * 120); // 0 = red, 120 = green
  return `hsl(${h} 65% ${92 - v * 30}%)`;
}

const clip = (t, n = 160) => (t.length > n ? t.slice(0, n - 1) + "…" : t);

/** An n x n similarity matrix of responses: summary, heat-coloured table, each response's nearest. */
export function similarityView(texts, m, metric) {
  const n = texts.length;
  const head = `<tr><th></th>${texts.map((_, i) => `<th>R${i + 1}</th>`).join("")}</tr>`;
  const body = m
    .map((row, i) => `<tr><th>R${i + 1}</th>${row.map((v) => `<td style="background:${heat(v)}">${v.toFixed(2)}</td>`).join("")}</tr>`)
    .join("");
  const mean = m.map((row, i) => (row.reduce((a, b) => a + b, 0) - row[i]) / Math.max(1, n - 1));
  const central = mean.indexOf(Math.max(...mean));
  const apart = mean.indexOf(Math.min(...mean));
  const list = texts
    .map((t, i) => {
      let best = -1;
      for (let j = 0; j < n; j++) if (j !== i && (best < 0 || m[i][j] > m[i][best])) best = j;
      return `<li><b>R${i + 1}</b> ${esc(clip(t))} <span class="muted">— mean ${mean[i].toFixed(2)}, closest R${best + 1} (${m[i][best].toFixed(2)})</span></li>`;
    })
    .join("");
  return (
    `<p>${n} responses, ${esc(metric)}. Most central: <b>R${central + 1}</b> (mean similarity ${mean[central].toFixed(2)}); ` +
    `most apart: <b>R${apart + 1}</b> (${mean[apart].toFixed(2)}).</p>` +
    `<table class="matrix">${head}${body}</table><ol class="responses">${list}</ol>`
  );
}
