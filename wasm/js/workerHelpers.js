// conclave-wasm's replacement for wasm-bindgen-rayon 1.3.0's src/workerHelpers.js, copied over the
// generated snippets/wasm-bindgen-rayon-*/src/workerHelpers.js by scripts/build-wasm mt.
//
// The upstream file imports the glue as '../../..', which only bundlers resolve (in a plain page
// initThreadPool never settles), and uses the global `Worker` and `self`, which Node lacks. This one
// keeps the same message protocol and `startWorkers(module, memory, builder)` export, and:
//  - imports the glue by its file name, so plain pages, bundlers and Node all resolve it;
//  - takes the Worker class from `globalThis[Symbol.for("conclave-wasm.Worker")]` when the host
//    loader set one (Node: the npm `web-worker` package over worker_threads), else the global;
//  - listens for the init message only where a worker scope exists (not in Node's main thread);
//  - unrefs Node workers once they run, so rayon's never-ending workers do not keep Node alive.
// Apache-2.0 upstream (Copyright 2022 Google Inc.); changes as listed above.

function waitForMsgType(target, type) {
  return new Promise((resolve) => {
    target.addEventListener("message", function onMsg({ data }) {
      if (data == null || data.type !== type) return;
      target.removeEventListener("message", onMsg);
      resolve(data);
    });
  });
}

// Inside a worker: wait for the module and memory, instantiate, and run a rayon thread forever.
if (typeof self !== "undefined" && typeof self.addEventListener === "function") {
  waitForMsgType(self, "wasm_bindgen_worker_init").then(async ({ init, receiver }) => {
    const pkg = await import("../../../conclave_wasm.js");
    await pkg.default(init);
    postMessage({ type: "wasm_bindgen_worker_ready" });
    pkg.wbg_rayon_start_worker(receiver);
  });
}

// Keeps the Worker objects rooted (a Firefox bug collects workers that only share memory).
let _workers;

export async function startWorkers(module, memory, builder) {
  if (builder.numThreads() === 0) {
    throw new Error("num_threads must be > 0.");
  }
  const WorkerClass = globalThis[Symbol.for("conclave-wasm.Worker")] ?? globalThis.Worker;
  if (typeof WorkerClass !== "function") {
    throw new Error("no Worker class in this host");
  }
  const workerInit = {
    type: "wasm_bindgen_worker_init",
    init: { module_or_path: module, memory },
    receiver: builder.receiver(),
  };
  _workers = await Promise.all(
    Array.from({ length: builder.numThreads() }, async () => {
      const worker = new WorkerClass(new URL("./workerHelpers.js", import.meta.url), {
        type: "module",
      });
      const failed = new Promise((_, reject) => {
        worker.addEventListener("error", (e) => reject(e?.error ?? e));
      });
      worker.postMessage(workerInit);
      await Promise.race([waitForMsgType(worker, "wasm_bindgen_worker_ready"), failed]);
      // web-worker keeps the worker_threads.Worker under this symbol.
      worker[Symbol.for("worker")]?.unref?.();
      return worker;
    }),
  );
  builder.build();
}
