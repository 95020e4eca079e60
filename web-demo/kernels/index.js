// The kernel registry: every kernel the demo times and checks. Adding one = a module exporting
//   { name, title, unit, sizes: {small, medium, large}, range: {min, max}, generate(n) -> input,
//     js(input) -> result, wasm(api, input) -> result, equal(a, b) -> boolean,
//     cross?: {js(input, wasmResult), wasm(api, input, jsResult)} -> {ok, detail},
//     describe?(input) -> short text, pending?(api) -> null | reason the WASM side cannot run yet }
// and one line below. Sizes (presets, range, generate's n) are in the kernel's unit: bytes when
// unit is "bytes" (the page shows MiB), else counts. `api` is the loaded conclave-wasm module (its
// named exports). js/wasm may return promises; inputs and results cross to the workers by
// structured clone.

import { cosine, levenshtein } from "./similarity.js";
import { hmac, aesGcm } from "./crypto.js";
import { series } from "./series.js";
import { consensus } from "./consensus.js";
import { logs } from "./logs.js";
import { configJson, configYaml, configToml } from "./config.js";

export const KERNELS = [cosine, levenshtein, consensus, logs, configJson, configYaml, configToml, series, hmac, aesGcm];

export const byName = Object.fromEntries(KERNELS.map((k) => [k.name, k]));
