// The module Worker of worker-page.html: loads the package's browser entry, starts a pool of
// `threads`, and answers {isolated, info, matrices} for the texts and metrics it is sent.

import { init, info, initThreadPool, similarityMatrix } from "/node_modules/conclave-wasm/browser.js";

self.onmessage = async ({ data: { texts, metrics, threads } }) => {
  try {
    const loaded = await init();
    if (loaded.threaded) await initThreadPool(threads);
    const matrices = {};
    for (const metric of metrics) matrices[metric] = similarityMatrix(texts, { metric });
    self.postMessage({ isolated: self.crossOriginIsolated === true, info: info(), matrices });
  } catch (e) {
    self.postMessage({ error: `${e?.code ?? ""} ${e?.message ?? e}` });
  }
};
