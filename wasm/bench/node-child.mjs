// One WASM measurement in a fresh Node process (the package's module is one per process): reads a
// job (measure.mjs) on stdin, with job.variant "st" = single-threaded build, else the threaded build
// with a pool of that many threads, and prints measure()'s result as JSON.

import * as lib from "conclave-wasm";
import { measure } from "./measure.mjs";

let input = "";
for await (const chunk of process.stdin) input += chunk;
const result = await measure(lib, JSON.parse(input));
process.stdout.write(JSON.stringify(result), () => process.exit(0)); // rayon's workers never end
