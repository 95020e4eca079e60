// The package's public API, listed once: node.js and browser.js re-export it beside their own `init`.
// (api.js also exports `makeInit`, which the entries use and users do not.)
export {
  ConclaveError,
  info,
  initThreadPool,
  similarity,
  similarityMatrix,
  consensus,
  vote,
  seriesFeatures,
  parseConfig,
  convertConfig,
  checkConfig,
  sha256,
  hmacSha256,
  hashPassword,
  verifyPassword,
  encrypt,
  decrypt,
  analyzeLogs,
  LogAnalyzer,
} from "./api.js";
