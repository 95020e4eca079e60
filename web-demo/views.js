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

export const EXAMPLE_EXPERTS = JSON.stringify(
  [
    { expert: "sre-1", content: "The outage was caused by an expired TLS certificate on the gateway; renew it and automate renewal.", confidence: 0.9, recommendations: ["Automate certificate renewal"] },
    { expert: "sre-2", content: "Root cause: the gateway's TLS certificate expired. Renew the certificate and automate renewal.", confidence: 0.8, recommendations: ["Automate certificate renewal"] },
    { expert: "net-1", content: "I think it's the DNS cache on the edge nodes; flush it and lower the TTL.", confidence: 0.6, limitations: ["No access to edge logs"] },
    { expert: "sre-3", content: "An expired TLS certificate on the gateway, most likely. Renew it and automate renewal.", confidence: 0.7 },
  ],
  null,
  2,
);

/** A consensus result (WASM `consensus`), or the JS baseline's {index, clusters} when WASM is pending. */
export function consensusView(responses, r) {
  const who = (i) => `<b>#${i + 1}</b> ${esc(responses[i]?.expert ?? "?")}`;
  const clusters = (r.clusters ?? [])
    .map((c, k) => `<li>cluster ${k + 1} (${c.length}): ${c.map(who).join(", ")}</li>`)
    .join("");
  if (!r.consensus) {
    return `<p>Consensus: ${who(r.index)} — ${esc(clip(responses[r.index]?.content ?? ""))}</p><ol>${clusters}</ol>`;
  }
  const pct = (v) => `${Math.round(v * 100)}%`;
  const dissent = r.dissent.length
    ? `<ul>${r.dissent.map((d) => `<li>${d.experts.map(esc).join(", ")}: ${esc(clip(d.content))}</li>`).join("")}</ul>`
    : "<p class=\"muted\">no dissent</p>";
  const themes = r.themes.length
    ? `<ul>${r.themes.map((t) => `<li><b>${esc(t.phrase)}</b> <span class="muted">— ${t.support} experts (${t.experts.map(esc).join(", ")})</span></li>`).join("")}</ul>`
    : "<p class=\"muted\">no shared themes</p>";
  const recs = (r.common_recommendations ?? []).map((s) => `<li>${esc(s.text)}</li>`).join("");
  return (
    `<p><b>Consensus</b> (${esc(r.level)} agreement, score ${r.score.toFixed(2)}, share ${pct(r.share)}, ` +
    `confidence ${r.confidence.toFixed(2)}; ${esc(r.metric)} ≥ ${r.threshold}):</p>` +
    `<blockquote>${who(r.consensus.index)}: ${esc(r.consensus.content)}</blockquote>` +
    `<h4>Clusters</h4><ol>${clusters}</ol><h4>Dissent</h4>${dissent}` +
    (r.outliers.length ? `<p>Outliers: ${r.outliers.map(who).join(", ")}</p>` : "") +
    `<h4>Themes</h4>${themes}` +
    (recs ? `<h4>Common recommendations</h4><ul>${recs}</ul>` : "")
  );
}

const LEVEL_COLOURS = { FATAL: "#7a0010", ERROR: "#c62828", WARN: "#ef8f00", INFO: "#2e7d32", DEBUG: "#1565c0", TRACE: "#6a5acd", UNKNOWN: "#888" };

/** A log report (WASM `analyzeLogs`): counts by level, formats, time range, per-minute SVG bars. */
export function logView(r) {
  const levels = Object.entries(r.levels)
    .map(([l, c]) => `<span style="color:${LEVEL_COLOURS[l] ?? "#444"}"><b>${esc(l)}</b> ${c.toLocaleString("en")}</span>`)
    .join(" · ");
  const formats = r.formats ? Object.entries(r.formats).map(([f, c]) => `${esc(f)} ${c}`).join(", ") : "";
  const minutes = Object.entries(r.per_minute ?? {});
  let chart = '<p class="muted">no timestamps, no per-minute chart</p>';
  if (minutes.length) {
    const W = 640;
    const H = 140;
    const max = Math.max(...minutes.map(([, c]) => c));
    const bw = W / minutes.length;
    const bars = minutes
      .map(([m, c], i) => {
        const h = Math.max(1, (c / max) * (H - 20));
        return `<rect x="${(i * bw).toFixed(2)}" y="${(H - 14 - h).toFixed(2)}" width="${Math.max(0.5, bw - 1).toFixed(2)}" height="${h.toFixed(2)}" fill="#3b6ea5"><title>${esc(m)}: ${c}</title></rect>`;
      })
      .join("");
    chart =
      `<svg class="chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="lines per minute">` +
      `${bars}<text x="0" y="${H - 2}" font-size="10">${esc(minutes[0][0])}</text>` +
      `<text x="${W}" y="${H - 2}" font-size="10" text-anchor="end">${esc(minutes[minutes.length - 1][0])}</text>` +
      `<text x="2" y="10" font-size="10">max ${max}/min</text></svg>`;
  }
  return (
    `<p>${r.lines.toLocaleString("en")} lines, ${r.bytes.toLocaleString("en")} bytes${formats ? ` (${formats})` : ""}; ` +
    `${r.first ? `${esc(r.first)} to ${esc(r.last)}` : "no timestamps"}.</p><p>${levels}</p>` +
    `<h4>Lines per minute (UTC)</h4>${chart}`
  );
}

/** The lines around `line` (1-based) of `text`, numbered, with a caret under `column`. */
function excerpt(text, line, column) {
  const lines = text.split("\n");
  const from = Math.max(1, line - 2);
  const to = Math.min(lines.length, line);
  const width = String(to).length;
  const out = [];
  for (let n = from; n <= to; n++) {
    out.push(`${String(n).padStart(width)} | ${lines[n - 1] ?? ""}`);
    if (n === line && column) out.push(`${" ".repeat(width)} | ${" ".repeat(Math.max(0, column - 1))}^`);
  }
  return out.join("\n");
}

const MAX_OUTLINE_ROWS = 200;

/** A pasted config (WASM parseConfig + checkConfig): findings and the outline, or the error and where. */
export function configView(text, r) {
  if (r.error) {
    const where = r.error.line ? excerpt(text, r.error.line, r.error.column) : "";
    return (
      `<p class="bad config-error">${esc(r.error.message)}</p>` +
      (where ? `<pre class="excerpt">${esc(where)}</pre>` : "")
    );
  }
  const at = (x) => `${x.line}:${x.column}`;
  const findings = r.findings?.length
    ? `<table class="findings"><tr><th>where</th><th>severity</th><th>rule</th><th>message</th></tr>${r.findings
        .map((f) => `<tr><td>line ${f.line}, column ${f.column}</td><td class="${f.severity === "error" ? "bad" : "warn"}">${esc(f.severity)}</td><td>${esc(f.rule)}</td><td>${esc(f.message)}</td></tr>`)
        .join("")}</table>`
    : '<p class="muted">checkConfig: no findings</p>';
  const shown = r.values.slice(0, MAX_OUTLINE_ROWS);
  const value = (v) => esc(clip(typeof v === "string" ? JSON.stringify(v) : String(v), 80));
  const outline =
    `<table class="outline"><tr><th>path</th><th>kind</th><th>value</th><th>line:col</th></tr>${shown
      .map((x) => `<tr><td>${r.documents > 1 ? `[${x.document}] ` : ""}${esc(x.path)}</td><td>${esc(x.kind)}</td><td>${value(x.value)}</td><td>${at(x)}</td></tr>`)
      .join("")}</table>` +
    (r.values.length > shown.length ? `<p class="muted small">… ${r.values.length - shown.length} more values</p>` : "");
  // BigInt (integers beyond 2^53, exact) has no JSON form: shown as its digits.
  const bigints = (_, v) => (typeof v === "bigint" ? v.toString() : v);
  const tree = esc(clip(JSON.stringify(r.data.length === 1 ? r.data[0] : r.data, bigints, 2), 20000));
  return (
    `<p>${esc(r.format.toUpperCase())}, ${r.documents} document${r.documents === 1 ? "" : "s"}, ${r.values.length} values; ` +
    `${r.findings.length} finding${r.findings.length === 1 ? "" : "s"}.</p>` +
    `<h4>Findings (checkConfig)</h4>${findings}<h4>Outline (parseConfig)</h4>${outline}` +
    `<details><summary>Parsed tree (JSON)</summary><pre class="tree">${tree}</pre></details>`
  );
}
