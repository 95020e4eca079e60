// The web demo's static server: plain node:http, no framework. Every response carries
// `Cross-Origin-Opener-Policy: same-origin` and `Cross-Origin-Embedder-Policy: require-corp`, so the
// page is cross-origin isolated and may use SharedArrayBuffer (WebAssembly threads).
//
//   node web-demo/server.mjs            serves on http://127.0.0.1:8787/ (PORT=<n> to change, 0 = any)
//
// What it serves (read-only, GET/HEAD only, nothing outside these folders):
//   /            web-demo/ (the page, its worker and kernels)
//   /pkg/npm/    the conclave-wasm npm package folder (browser.js, st/, mt/): $CONCLAVE_NPM_PKG, else
//                target/npm/package (written by scripts/build-npm)
//   /pkg/web/    a single-threaded `--target web` build: $CONCLAVE_WEB_PKG, else target/wasm-pkg/web
//                (scripts/build-wasm web), else target/wasm-pkg/st
//   /pkg/status.json  which of those exist, so the page picks the best one and says which it uses.

import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const DEFAULT_PORT = 8787;

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, "..");

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ts": "text/plain; charset=utf-8",
};

const ISOLATION = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
  "Cross-Origin-Resource-Policy": "same-origin",
  "Cache-Control": "no-store",
  "X-Content-Type-Options": "nosniff",
};

function isDir(p) {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** The package folders to serve, resolved once at start (and again for status.json). */
export function packageRoots(env = process.env) {
  const npm = env.CONCLAVE_NPM_PKG ? path.resolve(env.CONCLAVE_NPM_PKG) : path.join(REPO, "target/npm/package");
  const webCandidates = env.CONCLAVE_WEB_PKG
    ? [path.resolve(env.CONCLAVE_WEB_PKG)]
    : [path.join(REPO, "target/wasm-pkg/web"), path.join(REPO, "target/wasm-pkg/st")];
  const web = webCandidates.find((d) => fs.existsSync(path.join(d, "conclave_wasm.js"))) ?? webCandidates[0];
  return { npm, web };
}

function status(roots) {
  const npm = fs.existsSync(path.join(roots.npm, "browser.js"));
  return {
    npm,
    npmThreaded: npm && isDir(path.join(roots.npm, "mt")),
    web: fs.existsSync(path.join(roots.web, "conclave_wasm.js")),
  };
}

/** `urlPath` under `root`, or null when it escapes it. */
function within(root, urlPath) {
  const file = path.resolve(root, "." + path.posix.normalize("/" + urlPath));
  return file === root || file.startsWith(root + path.sep) ? file : null;
}

function handler(roots, isolation) {
  const base = isolation ? ISOLATION : { "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" };
  const send = (res, code, body, type = "text/plain; charset=utf-8") => {
    res.writeHead(code, { ...base, "Content-Type": type, "Content-Length": Buffer.byteLength(body) });
    res.end(body);
  };
  return (req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      send(res, 405, "method not allowed\n");
      return;
    }
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, "http://localhost").pathname);
    } catch {
      send(res, 400, "bad request\n");
      return;
    }
    if (pathname === "/pkg/status.json") {
      send(res, 200, JSON.stringify(status(roots)), TYPES[".json"]);
      return;
    }
    let file = null;
    if (pathname.startsWith("/pkg/npm/")) file = within(roots.npm, pathname.slice("/pkg/npm".length));
    else if (pathname.startsWith("/pkg/web/")) file = within(roots.web, pathname.slice("/pkg/web".length));
    else if (pathname.startsWith("/pkg/") || pathname.startsWith("/node_modules/") || pathname.startsWith("/test/")) file = null;
    else file = within(HERE, pathname === "/" ? "/index.html" : pathname);
    let stat = null;
    try {
      stat = file && fs.statSync(file);
    } catch {
      stat = null;
    }
    if (!stat || !stat.isFile()) {
      send(res, 404, `not found: ${pathname}\n`);
      return;
    }
    res.writeHead(200, {
      ...base,
      "Content-Type": TYPES[path.extname(file)] ?? "application/octet-stream",
      "Content-Length": stat.size,
    });
    if (req.method === "HEAD") res.end();
    else fs.createReadStream(file).pipe(res);
  };
}

/**
 * Starts the server on 127.0.0.1:`port` (0 = any free port); resolves to {server, url, roots}.
 * `isolation: false` leaves out COOP/COEP (the tests use it to check the page's no-threads path).
 */
export function startServer({ port = DEFAULT_PORT, host = "127.0.0.1", env = process.env, isolation = true } = {}) {
  const roots = packageRoots(env);
  const server = http.createServer(handler(roots, isolation));
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      const { port: bound } = server.address();
      resolve({ server, url: `http://${host}:${bound}/`, roots });
    });
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const raw = process.env.PORT ?? String(DEFAULT_PORT);
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`web-demo: PORT must be a whole number 0-65535, got '${raw}'`);
    process.exit(2);
  }
  startServer({ port }).then(
    ({ url, roots }) => {
      const s = status(roots);
      console.log(`web-demo: serving on ${url}`);
      console.log(
        `web-demo: WASM ${s.npm ? `npm package ${roots.npm}${s.npmThreaded ? " (threaded build present)" : ""}` : s.web ? `single-threaded build ${roots.web}` : "not built (run scripts/build-wasm web)"}`,
      );
    },
    (e) => {
      console.error(`web-demo: cannot listen on port ${port}: ${e.message}`);
      process.exit(2);
    },
  );
}
