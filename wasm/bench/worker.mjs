// One WASM measurement inside a dedicated Worker of bench.html (the bench's Chromium half): the
// message {texts, metric, reps, variant} is answered with {info, poolMs, times, isolated}.

import { init, info, initThreadPool, similarityMatrix } from "/node_modules/conclave-wasm/browser.js";

self.onmessage = async ({ data: { texts, metric, reps, variant } }) => {
  try {
    await init(variant === "st" ? { threads: false } : {});
    let poolMs = null;
    if (variant !== "st") {
      const t0 = performance.now();
      await initThreadPool(Number(variant));
      poolMs = performance.now() - t0;
    }
    similarityMatrix(texts.slice(0, 20), { metric });
    const times = [];
    for (let r = 0; r < reps; r++) {
      const t0 = performance.now();
      similarityMatrix(texts, { metric });
      times.push(performance.now() - t0);
    }
    self.postMessage({ info: info(), poolMs, times, isolated: self.crossOriginIsolated === true });
  } catch (e) {
    self.postMessage({ error: `${e?.code ?? ""} ${e?.message ?? e}` });
  }
};
