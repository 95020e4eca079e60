//! conclave-wasm: thin wasm-bindgen conversions over conclave-core. Options come in as plain JS
//! objects (serde-wasm-bindgen), results go out as plain objects with the CLI's JSON shapes, and
//! every core error becomes a JS `Error` with a `code` through [`into_error`] (or [`into_error_at`]
//! with the line and column), which the npm package's JS rethrows as its `ConclaveError` class.
//! No panic crosses into JS: inputs are validated by core, and the panic hook is set at start for
//! anything else.
//!
//! Built twice (scripts/build-wasm): single-threaded on stable, and with the `threads` feature on a
//! dated nightly with shared memory, where core's batch kernels run on rayon over Web Workers (or
//! Node's worker_threads) started by `initThreadPool(n)`.
//!
//! Adding a kernel: one `#[wasm_bindgen(js_name = camelCase)]` function here taking plain values,
//! an options object deserialized with [`options`], returning [`to_js`] of a `Serialize` value with
//! the CLI's JSON shape, and mapping the core error through [`into_error`] / [`into_error_at`]; then
//! one line in wasm/js/api.js and its types in wasm/js/index.d.ts (see docs/npm.md).

use conclave_core::similarity::{self, Metric};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

/// `initThreadPool(n)`: starts `n` rayon workers (threaded build only); resolves when they run.
#[cfg(feature = "threads")]
pub use wasm_bindgen_rayon::init_thread_pool;

#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// A core error as a JS `Error` whose `name` is `ConclaveError` and whose `code` says what failed.
fn into_error(code: &str, message: impl std::fmt::Display) -> JsValue {
    into_error_at(code, message, None)
}

/// Like [`into_error`], with the 1-based `(line, column)` of the input where it applies; the JS
/// side exposes them as `error.line` and `error.column`.
fn into_error_at(
    code: &str,
    message: impl std::fmt::Display,
    at: Option<(usize, usize)>,
) -> JsValue {
    let err = js_sys_error(&message.to_string());
    let _ = js_set(&err, "name", &JsValue::from_str("ConclaveError"));
    let _ = js_set(&err, "code", &JsValue::from_str(code));
    if let Some((line, column)) = at {
        let _ = js_set(&err, "line", &JsValue::from_f64(line as f64));
        let _ = js_set(&err, "column", &JsValue::from_f64(column as f64));
    }
    err
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = Error)]
    fn js_sys_error(message: &str) -> JsValue;
    #[wasm_bindgen(js_namespace = Reflect, js_name = set, catch)]
    fn js_set(target: &JsValue, key: &str, value: &JsValue) -> Result<bool, JsValue>;
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct SimilarityOptions {
    metric: Option<String>,
}

#[derive(Debug, Serialize)]
struct ScoreOut {
    #[serde(skip_serializing_if = "Option::is_none")]
    distance: Option<usize>,
    similarity: f64,
}

/// The options object of a call (`undefined`/`null` = all defaults); a wrong field type is `E_OPTIONS`.
fn options<T: for<'de> Deserialize<'de> + Default>(value: JsValue) -> Result<T, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(T::default());
    }
    serde_wasm_bindgen::from_value(value).map_err(|e| into_error("E_OPTIONS", e))
}

fn metric(name: Option<&str>) -> Result<Metric, JsValue> {
    Metric::from_name(name.unwrap_or("levenshtein")).map_err(|e| into_error("E_METRIC", e))
}

/// A result as plain JS values with the CLI's JSON shape (maps as objects, u64 as numbers).
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| into_error("E_OUTPUT", e))
}

/// `similarity(a, b, {metric})` -> `{distance?, similarity}`.
#[wasm_bindgen]
pub fn similarity(a: &str, b: &str, opts: JsValue) -> Result<JsValue, JsValue> {
    let opts: SimilarityOptions = options(opts)?;
    let m = metric(opts.metric.as_deref())?;
    let s = similarity::compare(m, a, b).map_err(|e| into_error("E_SIMILARITY", e))?;
    to_js(&ScoreOut {
        distance: s.distance,
        similarity: s.similarity,
    })
}

/// `similarityMatrix(texts, {metric})` -> `number[][]`.
#[wasm_bindgen(js_name = similarityMatrix)]
pub fn similarity_matrix(texts: Vec<String>, opts: JsValue) -> Result<JsValue, JsValue> {
    let opts: SimilarityOptions = options(opts)?;
    let m = metric(opts.metric.as_deref())?;
    let flat = similarity::matrix(m, &texts).map_err(|e| into_error("E_SIMILARITY", e))?;
    let n = texts.len();
    let rows: Vec<&[f64]> = if n == 0 {
        Vec::new()
    } else {
        flat.chunks(n).collect()
    };
    to_js(&rows)
}
