// The kernel registry: every kernel the demo times and checks. Adding one = a module exporting
//   { name, title, unit, sizes: {small, medium, large}, generate(size) -> input,
//     js(input) -> result, wasm(api, input) -> result, equal(a, b) -> boolean,
//     describe?(input) -> short text, pending?(api) -> null | reason the WASM side cannot run yet }
// and one line below. `api` is the loaded conclave-wasm module (its named exports). js/wasm may
// return promises; inputs and results cross to the workers by structured clone.

import { cosine, levenshtein } from "./similarity.js";
import { hmac, aesGcm } from "./crypto.js";
import { series } from "./series.js";
import { consensus } from "./consensus.js";
import { logs } from "./logs.js";

export const KERNELS = [cosine, levenshtein, consensus, logs, series, hmac, aesGcm];

export const byName = Object.fromEntries(KERNELS.map((k) => [k.name, k]));
