// The package in Chromium (Debian's /usr/bin/chromium, headless, driven by playwright-core from the
// test harness), loaded as a plain page loads it. A localhost server sending COOP/COEP makes the
// page cross-origin isolated: the threaded build must load and its pool start, with matrices equal
// to Node's single-threaded ones. A second server without those headers gets the fallback.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { init, similarityMatrix } from "conclave-wasm";
import { METRICS, matrixTexts } from "./lib.mjs";

const CHROMIUM = process.env.CONCLAVE_CHROMIUM ?? "/usr/bin/chromium";
const TYPES = { ".html": "text/html", ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm", ".json": "application/json" };
const ROOT = process.cwd();
const TEXTS = matrixTexts(80);
const METRICS_HERE = METRICS.filter((m) => m !== "hamming");

function serve(isolated) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://localhost");
    const file = path.join(ROOT, decodeURIComponent(url.pathname));
    if (!file.startsWith(ROOT + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    const headers = { "Content-Type": TYPES[path.extname(file)] ?? "application/octet-stream", "Cache-Control": "no-store" };
    if (isolated) {
      headers["Cross-Origin-Opener-Policy"] = "same-origin";
      headers["Cross-Origin-Embedder-Policy"] = "require-corp";
    }
    res.writeHead(200, headers);
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

let browser, isolatedServer, plainServer, expected;

before(async () => {
  const require = createRequire(path.join(process.env.CONCLAVE_HARNESS, "package.json"));
  const { chromium } = require("playwright-core");
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  isolatedServer = await serve(true);
  plainServer = await serve(false);
  await init({ threads: false });
  expected = Object.fromEntries(METRICS_HERE.map((m) => [m, similarityMatrix(TEXTS, { metric: m })]));
});

after(async () => {
  await browser?.close();
  isolatedServer?.close();
  plainServer?.close();
});

async function runPage(server, threads) {
  const page = await browser.newPage();
  const logs = [];
  page.on("console", (m) => logs.push(m.text()));
  page.on("pageerror", (e) => logs.push(String(e)));
  try {
    await page.goto(`http://127.0.0.1:${server.address().port}/page.html`);
    await page.waitForFunction(() => window.ready === true, null, { timeout: 30_000 });
    return await page.evaluate((args) => window.run(args), { texts: TEXTS, metrics: METRICS_HERE, threads });
  } catch (e) {
    throw new Error(`${e.message}\npage log:\n${logs.join("\n")}`);
  } finally {
    await page.close();
  }
}

function assertMatrices(got) {
  for (const metric of METRICS_HERE) {
    assert.equal(JSON.stringify(got.matrices[metric]), JSON.stringify(expected[metric]), metric);
  }
}

test("isolated page: threaded build, pool of 2, same matrices as Node", async () => {
  const r = await runPage(isolatedServer, 2);
  assert.equal(r.crossOriginIsolated, true);
  assert.deepEqual(r.info, { threaded: true, threads: 2, reason: "threads available" });
  assert.ok(r.poolMs > 0, "the pool start was timed");
  assertMatrices(r);
  assert.deepEqual(r.error && [r.error.isConclave, r.error.code], [true, "E_SIMILARITY"]);
  assert.deepEqual(r.after, { distance: 3, similarity: 1 - 3 / 7 });
});

test("isolated page, in a dedicated Worker: threaded, pool of 2, same matrices", async () => {
  const page = await browser.newPage();
  try {
    await page.goto(`http://127.0.0.1:${isolatedServer.address().port}/worker-page.html`);
    await page.waitForFunction(() => window.ready === true, null, { timeout: 30_000 });
    const r = await page.evaluate((args) => window.runInWorker(args), { texts: TEXTS, metrics: METRICS_HERE, threads: 2 });
    assert.equal(r.isolated, true);
    assert.deepEqual(r.info, { threaded: true, threads: 2, reason: "threads available" });
    assertMatrices(r);
  } finally {
    await page.close();
  }
});

test("page without COOP/COEP: single-threaded fallback, same matrices", async () => {
  const r = await runPage(plainServer, 2);
  assert.equal(r.crossOriginIsolated, false);
  assert.equal(r.info.threaded, false);
  assert.match(r.info.reason, /not cross-origin isolated/);
  assertMatrices(r);
  assert.equal(r.error?.code, "E_SIMILARITY");
});

test("the README's browser example runs as written on an isolated page", async () => {
  const readme = createRequire(path.join(ROOT, "package.json")).resolve("conclave-wasm/package.json").replace(/package\.json$/, "README.md");
  const html = fs.readFileSync(readme, "utf8").match(/## Browser\n\n```html\n([^]*?)```/)[1];
  fs.writeFileSync(path.join(ROOT, "readme.html"), html);
  const page = await browser.newPage();
  try {
    await page.goto(`http://127.0.0.1:${isolatedServer.address().port}/readme.html`);
    await page.waitForFunction(() => document.body?.textContent.startsWith("[["), null, { timeout: 30_000 });
    const m = JSON.parse(await page.evaluate(() => document.body.textContent));
    await init({ threads: false });
    assert.deepEqual(m, similarityMatrix(["the cat sat", "a cat sat", "dogs bark"], { metric: "cosine" }));
    assert.equal(m.length, 3);
    assert.equal(m[0][0], 1);
  } finally {
    await page.close();
  }
});
