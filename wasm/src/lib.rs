//! conclave-wasm: thin wasm-bindgen conversions over conclave-core. Options come in as plain JS
//! objects (serde-wasm-bindgen), results go out as plain objects with the CLI's JSON shapes, and
//! every core error becomes a JS `Error` with a `code` through [`into_error`]. No panic crosses
//! into JS: inputs are validated by core, and the panic hook is set at start for anything else.

use conclave_core::similarity::{self, Metric};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// A core error as a JS `Error` whose `name` is `ConclaveError` and whose `code` says what failed.
fn into_error(code: &str, message: impl std::fmt::Display) -> JsValue {
    let err = js_sys_error(&message.to_string());
    let _ = js_set(&err, "name", &JsValue::from_str("ConclaveError"));
    let _ = js_set(&err, "code", &JsValue::from_str(code));
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

fn options<T: for<'de> Deserialize<'de> + Default>(value: JsValue) -> Result<T, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(T::default());
    }
    serde_wasm_bindgen::from_value(value).map_err(|e| into_error("E_OPTIONS", e))
}

fn metric(name: Option<&str>) -> Result<Metric, JsValue> {
    Metric::from_name(name.unwrap_or("levenshtein")).map_err(|e| into_error("E_METRIC", e))
}

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
