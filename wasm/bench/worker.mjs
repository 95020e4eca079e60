// One WASM measurement inside a dedicated Worker of bench.html (the bench's Chromium half): the
// message is a job of measure.mjs, answered with its result plus `isolated`, or with {error}.

import * as lib from "/node_modules/conclave-wasm/browser.js";
import { measure } from "/measure.mjs";

self.onmessage = async ({ data: job }) => {
  try {
    const result = await measure(lib, job);
    self.postMessage({ ...result, isolated: self.crossOriginIsolated === true });
  } catch (e) {
    self.postMessage({ error: `${e?.code ?? ""} ${e?.message ?? e}` });
  }
};
