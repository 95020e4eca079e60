// The demo in Debian's Chromium (headless, driven by playwright-core): the server must make the page
// cross-origin isolated, runAll({size: "small"}) must time every engine of every kernel and find
// the results equal (AES-GCM: each engine opened the others' envelopes), and WASM N must be
// threaded exactly when a threaded build is served, else say it fell back. Sizes typed by the user
// must reach the generated inputs, and the scaling chart must draw them. The pasted views (matrix,
// consensus, log, config with its errors' line and column) must show.
// Saves a screenshot to target/web-demo/screenshot.png.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { startServer } from "../server.mjs";
import { EXAMPLE_EXPERTS } from "../views.js";
import { EXAMPLE_LOG } from "../kernels/logs.js";
import { EXAMPLE_CONFIG } from "../kernels/config.js";

// Kernels that must be implemented (not pending) with every engine timed and equal.
const REQUIRED = [
  "similarity-cosine", "similarity-levenshtein", "consensus", "log-analysis", "config-json", "config-yaml",
  "config-toml", "series-features", "hmac-sha256", "aes-256-gcm",
];

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, "../..");
const SHOT = path.join(REPO, "target/web-demo/screenshot.png");
const CHROMIUM = process.env.CONCLAVE_CHROMIUM ?? "/usr/bin/chromium";

let srv, browser, page, profile;
const consoleErrors = [];

before(async () => {
  srv = await startServer({ port: 0 });
  profile = fs.mkdtempSync(path.join(os.tmpdir(), "conclave-web-demo-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1200, height: 900 },
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  browser = context;
  page = context.pages()[0] ?? (await context.newPage());
  page.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
  page.on("pageerror", (e) => consoleErrors.push(String(e)));
});

after(async () => {
  await browser?.close();
  srv?.server.close();
  if (profile) fs.rmSync(profile, { recursive: true, force: true });
});

/** Clears the previous paste's output, then runs the paste: the next waitForSelector can only see
 * the new output (an error shown by the previous paste would satisfy it at once). */
async function runPaste(page) {
  await page.evaluate(() => {
    document.querySelector("#paste-out").innerHTML = "";
  });
  await page.click("#paste-run");
}

test("the server sends COOP/COEP and refuses paths outside its folders", async () => {
  const res = await fetch(srv.url);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("cross-origin-opener-policy"), "same-origin");
  assert.equal(res.headers.get("cross-origin-embedder-policy"), "require-corp");
  for (const p of ["/../Cargo.toml", "/%2e%2e/Cargo.toml", "/pkg/web/../../Cargo.toml", "/node_modules/playwright-core/package.json", "/nope.js"]) {
    const r = await fetch(new URL(p, srv.url));
    assert.equal(r.status, 404, p);
  }
  const wasm = await fetch(new URL("/pkg/status.json", srv.url)).then((r) => r.json());
  assert.ok(wasm.npm || wasm.web, "no WASM build served: build it first (scripts/test-web-demo does)");
});

test("page: isolated, runAll small equal and timed on every kernel, screenshot", async (t) => {
  await page.goto(srv.url);
  await page.waitForFunction(() => window.conclaveDemo !== undefined);
  assert.equal(await page.evaluate(() => crossOriginIsolated), true, "page is not cross-origin isolated");
  const env = await page.evaluate(() => window.conclaveDemo.ready);
  for (const e of ["js", "wasm1", "wasmN"]) assert.ok(!env.engines[e].error, `${e}: ${env.engines[e].error}`);
  const status = await fetch(new URL("/pkg/status.json", srv.url)).then((r) => r.json());

  const kernels = await page.evaluate(() => window.conclaveDemo.kernels);
  for (const name of REQUIRED) assert.ok(kernels.includes(name), `kernel ${name} is not registered`);
  const result = await page.evaluate(() => window.conclaveDemo.runAll({ size: "small" }));
  assert.deepEqual(Object.keys(result).sort(), [...kernels].sort());
  for (const [name, r] of Object.entries(result)) {
    const ms = (v) => (v == null ? "pending" : `${v.toFixed(2)} ms`);
    t.diagnostic(`${name}: js ${ms(r.js)}, wasm1 ${ms(r.wasm1)}, wasmN ${ms(r.wasmN)} (${r.wasmNThreads} thread(s)), equal ${r.equal}`);
  }
  let implemented = 0;
  for (const [name, r] of Object.entries(result)) {
    assert.ok(Number.isFinite(r.js) && r.js > 0, `${name}: js time ${r.js}`);
    assert.ok(!(REQUIRED.includes(name) && r.pending), `${name}: pending: ${r.pending}`);
    if (r.pending) {
      // Not faked: no WASM time, no equality claimed, a reason given.
      assert.equal(r.wasm1, null, `${name}: pending but has a wasm1 time`);
      assert.equal(r.wasmN, null, `${name}: pending but has a wasmN time`);
      assert.equal(r.equal, null, `${name}: pending but claims equality`);
      assert.match(r.pending, /\S/);
      continue;
    }
    implemented++;
    assert.ok(Number.isFinite(r.wasm1) && r.wasm1 > 0, `${name}: wasm1 time ${r.wasm1}`);
    assert.ok(Number.isFinite(r.wasmN) && r.wasmN > 0, `${name}: wasmN time ${r.wasmN}`);
    assert.equal(r.equal, true, `${name}: results differ across engines`);
    if (status.npmThreaded) {
      assert.equal(r.wasmNThreaded, true, `${name}: threaded build served but WASM N is not threaded: ${r.wasmNNote}`);
      assert.ok(r.wasmNThreads >= 2, `${name}: ${r.wasmNThreads} threads`);
    } else {
      assert.equal(r.wasmNThreaded, false);
      assert.equal(r.wasmNThreads, 1);
      assert.match(r.wasmNNote ?? "", /single-threaded fallback/, `${name}: fallback not said`);
    }
  }
  assert.ok(implemented >= REQUIRED.length);
  // AES-GCM's equality is the engines opening each other's envelopes (random nonces), and JS
  // re-sealing under the WASM envelope's nonce to the same bytes: one check per direction per WASM engine.
  const aes = result["aes-256-gcm"];
  assert.equal(aes.checks.length, 4, aes.checks.join("; "));
  assert.ok(aes.checks.some((c) => /JS \(WebCrypto\) opened the WASM envelope and, with its nonce, sealed the same bytes/.test(c)), aes.checks.join("; "));
  assert.ok(aes.checks.some((c) => /WASM decrypt opened the JS \(WebCrypto\) envelope/.test(c)), aes.checks.join("; "));
  assert.equal(result["log-analysis"].n, 1 << 20);
  assert.match(result["config-toml"].input, /^200 services, \d+ KiB TOML$/);

  // The page shows what it measured: one row per kernel, the thread state, the charts.
  assert.equal(await page.locator("#results tbody tr").count(), kernels.length);
  assert.equal(await page.locator("#bars svg").count(), kernels.length);
  assert.match(await page.locator("#env-isolated").innerText(), /yes/);
  if (!status.npmThreaded) assert.match(await page.locator("#env-message").innerText(), /single-threaded fallback/);

  // The scaling chart: one line per engine, one point per size, for every kernel.
  const scaled = await page.evaluate(() => window.conclaveDemo.runScaling({ steps: [1 / 4, 1 / 2, 1] }));
  assert.deepEqual(Object.keys(scaled).sort(), [...kernels].sort());
  assert.deepEqual(Object.keys(scaled.consensus).map(Number).sort((a, b) => a - b), [50, 100, 200]);
  for (const [name, bySize] of Object.entries(scaled)) {
    for (const [n, r] of Object.entries(bySize)) assert.equal(r.equal, true, `${name} at ${n}: not equal`);
  }
  assert.equal(await page.locator("#scaling svg").count(), kernels.length);
  assert.equal(await page.locator("#scaling svg circle").count(), kernels.length * 3 * 3, "scaling points");

  // Pasted responses: the matrix and the JS/WASM check are shown.
  await runPaste(page);
  await page.waitForSelector("#paste-out table.matrix");
  assert.match(await page.locator("#paste-out").innerText(), /JS and WASM results: equal/);

  // Pasted expert responses (JSON): the consensus answer, clusters, dissent and themes.
  await page.selectOption("#paste-kernel", "consensus");
  await page.fill("#paste-text", EXAMPLE_EXPERTS);
  await runPaste(page);
  await page.waitForSelector("#paste-out blockquote");
  const cons = await page.locator("#paste-out").innerText();
  assert.match(cons, /JS and WASM results: equal/);
  for (const h of [/Consensus/, /Clusters/, /Dissent/, /Themes/]) assert.match(cons, h);
  assert.match(cons, /sre-\d: .*expired TLS certificate/);
  // A malformed paste says what is wrong instead of failing.
  await page.fill("#paste-text", '[{"expert": "a", "content": "x", "confidence": 2}]');
  await runPaste(page);
  await page.waitForSelector("#paste-out .bad");
  assert.match(await page.locator("#paste-out").innerText(), /response 0: "confidence"/);

  // A pasted log: levels and the per-minute chart (one bar per minute).
  await page.selectOption("#paste-kernel", "log-analysis");
  await page.fill("#paste-text", EXAMPLE_LOG);
  await runPaste(page);
  await page.waitForSelector("#paste-out svg.chart rect");
  const logText = await page.locator("#paste-out").innerText();
  assert.match(logText, /JS and WASM results: equal/);
  assert.match(logText, /ERROR \d+/);
  const minutes = new Set(EXAMPLE_LOG.trim().split("\n").map((l) => l.slice(0, 16)));
  assert.equal(await page.locator("#paste-out svg.chart rect").count(), minutes.size);

  // A pasted config: findings with line and column, the outline; a broken one: the error's line
  // and column and the offending line; JSON pastes are checked against JSON.parse.
  await page.selectOption("#paste-kernel", "config-json");
  await page.fill("#paste-text", EXAMPLE_CONFIG);
  await runPaste(page);
  await page.waitForSelector("#paste-out table.outline");
  const cfg = await page.locator("#paste-out").innerText();
  assert.match(cfg, /JSON\.parse reads JSON only/);
  assert.match(cfg, /YAML, 1 document/);
  assert.match(cfg, /line 5, column \d+\s+error\s+plaintext-secret/);
  assert.match(cfg, /services\[1\]\.port\s+int\s+8080\s+11:\d+/);
  await page.fill("#paste-text", "fleet: demo\nservices:\n  - name: api\n    ports: [80, 443\n  - name: worker\n");
  await runPaste(page);
  await page.waitForSelector("#paste-out .config-error");
  const err = await page.locator("#paste-out .config-error").innerText();
  assert.match(err, /^line \d+, column \d+: yaml: /);
  const [, line, column] = err.match(/^line (\d+), column (\d+)/).map(Number);
  const excerpt = await page.locator("#paste-out pre.excerpt").innerText();
  assert.ok(excerpt.includes(`${line} | `), excerpt);
  assert.equal(excerpt.split("\n").at(-1).indexOf("^") - excerpt.split("\n").at(-1).indexOf("|") - 2, column - 1, excerpt);
  await page.fill("#paste-text", '{"a": [1, 2,\n  "b": 3}');
  await runPaste(page);
  await page.waitForSelector("#paste-out .config-error");
  assert.match(await page.locator("#paste-out .config-error").innerText(), /^line 2, column \d+: json: /);
  assert.match(await page.locator("#paste-out").innerText(), /JS and WASM results: equal/); // both refuse it
  await page.fill("#paste-text", '{"big": 1e400}');
  await runPaste(page);
  await page.waitForSelector("#paste-out .config-error");
  assert.match(await page.locator("#paste-out").innerText(), /DIFFERENT \(JSON\.parse and conclave read these numbers differently/);
  await page.fill("#paste-text", '{"a": [1, 2.5, "x"], "b": {"c": null}}');
  await runPaste(page);
  await page.waitForSelector("#paste-out table.outline");
  assert.match(await page.locator("#paste-out").innerText(), /JS and WASM results: equal/);

  // The screenshot shows a pasted config's error.
  await page.selectOption("#paste-kernel", "config-json");
  await page.fill("#paste-text", EXAMPLE_CONFIG.replace("    port: 8080\n    replicas: 2", "    port: 8080\n    replicas: [2"));
  await runPaste(page);
  await page.waitForSelector("#paste-out .config-error");

  fs.mkdirSync(path.dirname(SHOT), { recursive: true });
  await page.screenshot({ path: SHOT, fullPage: true });
  assert.ok(fs.statSync(SHOT).size > 10_000);
  assert.deepEqual(consoleErrors, []);
});

test("page: sizes typed by the user reach the inputs, out-of-range sizes are refused", async () => {
  const p = await browser.newPage();
  try {
    await p.goto(srv.url);
    await p.waitForFunction(() => window.conclaveDemo !== undefined);
    await p.evaluate(() => window.conclaveDemo.ready);
    const custom = await p.evaluate(() =>
      window.conclaveDemo.runAll({ sizes: { consensus: 37, "log-analysis": 1.5 * (1 << 20), "aes-256-gcm": 100_000 }, kernels: ["consensus", "log-analysis", "aes-256-gcm"] }),
    );
    assert.deepEqual(Object.keys(custom).sort(), ["aes-256-gcm", "consensus", "log-analysis"]);
    assert.equal(custom.consensus.n, 37);
    assert.equal(custom.consensus.input, "37 responses");
    assert.equal(custom.consensus.size, "custom");
    assert.equal(custom["log-analysis"].input, "1.5 MiB");
    assert.equal(custom["aes-256-gcm"].n, 100_000);
    for (const [name, r] of Object.entries(custom)) assert.equal(r.equal, true, `${name}: not equal`);
    await assert.rejects(p.evaluate(() => window.conclaveDemo.runAll({ sizes: { consensus: 1 }, kernels: ["consensus"] })), /size must be 2 responses to 3,000 responses, got 1 responses/);
    await assert.rejects(p.evaluate(() => window.conclaveDemo.runAll({ size: "huge" })), /size must be small, medium or large/);
    // The page's inputs: a preset fills them, a typed size is what "Run all kernels" uses.
    await p.selectOption("#size", "medium");
    assert.equal(await p.inputValue("#size-consensus"), "800");
    assert.equal(await p.inputValue("#size-log-analysis"), "8");
    await p.selectOption("#size", "small");
    assert.equal(await p.inputValue("#size-consensus"), "200");
    await p.click("#size-panel summary");
    await p.fill("#size-consensus", "24");
    assert.equal((await p.evaluate(() => window.conclaveDemo.sizes())).consensus, 24);
    const scaled = await p.evaluate(() => window.conclaveDemo.runScaling({ steps: [1 / 4, 1], kernels: ["consensus"] }));
    assert.deepEqual(Object.keys(scaled.consensus).map(Number).sort((a, b) => a - b), [6, 24]);
    assert.equal(await p.locator("#scaling svg").count(), 3); // the kernels run on this page
    await p.fill("#size-consensus", "99999");
    await p.click("#run-all");
    await p.waitForFunction(() => /^error: /.test(document.querySelector("#status").textContent));
    assert.match(await p.locator("#status").innerText(), /size must be 2 responses to 3,000 responses, got 99,999 responses/);
  } finally {
    await p.close();
  }
});

test("page without COOP/COEP: not isolated, says so, WASM N on 1 thread and still equal", async () => {
  const plain = await startServer({ port: 0, isolation: false });
  try {
    const p = await browser.newPage();
    const errors = [];
    p.on("pageerror", (e) => errors.push(String(e)));
    await p.goto(plain.url);
    await p.waitForFunction(() => window.conclaveDemo !== undefined);
    assert.equal(await p.evaluate(() => crossOriginIsolated), false);
    await p.evaluate(() => window.conclaveDemo.ready);
    assert.match(await p.locator("#env-isolated").innerText(), /no/);
    assert.match(await p.locator("#env-message").innerText(), /not cross-origin isolated/);
    const r = await p.evaluate(() => window.conclaveDemo.runAll({ size: "small", kernels: ["similarity-cosine", "aes-256-gcm"] }));
    assert.equal(r["aes-256-gcm"].equal, true);
    const cos = r["similarity-cosine"];
    assert.equal(cos.equal, true);
    assert.equal(cos.wasmNThreaded, false);
    assert.equal(cos.wasmNThreads, 1);
    assert.match(cos.wasmNNote, /not cross-origin isolated/);
    assert.deepEqual(errors, []);
    await p.close();
  } finally {
    plain.server.close();
  }
});
