//! The outline of a parsed stream: every leaf (and empty collection) with its path, kind, value
//! and place. `conclave config FILE` prints it; the npm package's `parseConfig` returns it.

use std::fmt::Write as _;

use serde_json::json;

use super::emit::{json_entries, json_node, json_string};
use super::{ConfigError, Node, Stream, Value, node_to_json};

/// One located value of the outline.
#[derive(Debug, Clone, PartialEq)]
pub struct OutlineRow {
    /// Index of the document in the stream.
    pub document: usize,
    /// `a.b[2]["odd key"]`; empty for a document that is a scalar.
    pub path: String,
    pub kind: &'static str,
    /// The value as JSON (non-finite floats as strings).
    pub value: serde_json::Value,
    pub line: usize,
    pub column: usize,
}

/// The rows of `stream`, in document order.
pub fn outline_rows(stream: &Stream) -> Vec<OutlineRow> {
    let mut rows = Vec::new();
    for (d, doc) in stream.documents.iter().enumerate() {
        let mut stack: Vec<(String, &Node)> = vec![(String::new(), doc)];
        while let Some((path, node)) = stack.pop() {
            match &node.value {
                Value::List(items) if !items.is_empty() => {
                    for (i, item) in items.iter().enumerate().rev() {
                        stack.push((format!("{path}[{i}]"), item));
                    }
                }
                Value::Map(m) if !m.is_empty() => {
                    for (k, v) in m.entries.iter().rev() {
                        let mut p = path.clone();
                        push_key(&mut p, &key_label(k));
                        stack.push((p, v));
                    }
                }
                _ => rows.push(OutlineRow {
                    document: d,
                    path,
                    kind: node.kind(),
                    value: scalar_json(node),
                    line: node.span.line,
                    column: node.span.column,
                }),
            }
        }
    }
    rows
}

/// `{"format", "documents", "values": [{"document", "path", "kind", "value", "line", "column"}]}`.
pub fn outline_json(stream: &Stream) -> serde_json::Value {
    let values: Vec<serde_json::Value> = outline_rows(stream)
        .into_iter()
        .map(|r| {
            json!({
                "document": r.document,
                "path": r.path,
                "kind": r.kind,
                "value": r.value,
                "line": r.line,
                "column": r.column,
            })
        })
        .collect();
    json!({
        "format": stream.format.name(),
        "documents": stream.documents.len(),
        "values": values,
    })
}

/// A path segment: bare when it is a simple name, else JSON-quoted in brackets.
fn push_key(path: &mut String, key: &str) {
    let simple = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    if simple {
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(key);
    } else {
        let _ = write!(path, "[{}]", json!(key));
    }
}

fn scalar_json(node: &Node) -> serde_json::Value {
    match &node.value {
        Value::Float(f) if !f.is_finite() => json!(f.to_string()),
        _ => node_to_json(node)
            .ok()
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or(serde_json::Value::Null),
    }
}

fn key_label(k: &Node) -> String {
    match &k.value {
        Value::String(s) => s.to_string(),
        Value::List(_) | Value::Map(_) => "?".to_owned(),
        _ => scalar_json(k).to_string(),
    }
}

/// The largest integer a JavaScript number holds exactly, 2^53 - 1 (`Number.MAX_SAFE_INTEGER`).
pub const JS_SAFE_INT: i64 = (1 << 53) - 1;

/// The npm package's `parseConfig` result as one JSON text, written directly (no intermediate
/// values): [`outline_json`]'s object plus `data`, each document's canonical JSON ([`to_json`]),
/// keys in the same (sorted) order: `{"data", "documents", "format", "values"}`.
///
/// Integers a JavaScript number cannot hold exactly (beyond ±[`JS_SAFE_INT`]) are written as
/// JSON strings of their digits and listed under a last key `"wide"` by their paths from the
/// top (`["values", 3, "value"]`, `["data", 0, "key", 2]`), so that the reader can turn exactly
/// those into `BigInt`s; `"wide"` is absent when there are none.
///
/// [`to_json`]: super::to_json
pub fn outline_js_json(stream: &Stream) -> Result<String, ConfigError> {
    let mut out = String::with_capacity(256);
    let mut wide: Vec<String> = Vec::new();
    out.push_str("{\"data\":[");
    let mut path = String::new();
    for (d, doc) in stream.documents.iter().enumerate() {
        if d > 0 {
            out.push(',');
        }
        path.clear();
        let _ = write!(path, "[\"data\",{d}");
        js_data(&mut out, doc, &mut path, &mut wide)?;
    }
    let _ = write!(
        out,
        "],\"documents\":{},\"format\":\"{}\",\"values\":[",
        stream.documents.len(),
        stream.format.name()
    );
    let mut rows = Rows {
        out: &mut out,
        wide: &mut wide,
        path: String::new(),
        document: 0,
        row: 0,
    };
    for (d, doc) in stream.documents.iter().enumerate() {
        rows.document = d;
        rows.path.clear();
        rows.node(doc)?;
    }
    out.push(']');
    if !wide.is_empty() {
        out.push_str(",\"wide\":[");
        out.push_str(&wide.join(","));
        out.push(']');
    }
    out.push('}');
    Ok(out)
}

/// The `values` rows of [`outline_js_json`], in [`outline_rows`]' order, written depth first with
/// one path buffer (no string per row but the output).
struct Rows<'a> {
    out: &'a mut String,
    wide: &'a mut Vec<String>,
    path: String,
    document: usize,
    row: usize,
}

impl Rows<'_> {
    fn node(&mut self, node: &Node) -> Result<(), ConfigError> {
        let len = self.path.len();
        match &node.value {
            Value::List(items) if !items.is_empty() => {
                for (i, item) in items.iter().enumerate() {
                    let _ = write!(self.path, "[{i}]");
                    self.node(item)?;
                    self.path.truncate(len);
                }
            }
            Value::Map(m) if !m.is_empty() => {
                for (k, v) in &m.entries {
                    match &k.value {
                        Value::String(s) => push_key(&mut self.path, s),
                        _ => push_key(&mut self.path, &key_label(k)),
                    }
                    self.node(v)?;
                    self.path.truncate(len);
                }
            }
            _ => self.leaf(node)?,
        }
        Ok(())
    }

    fn leaf(&mut self, node: &Node) -> Result<(), ConfigError> {
        let out = &mut *self.out;
        if self.row > 0 {
            out.push(',');
        }
        let _ = write!(
            out,
            "{{\"column\":{},\"document\":{},\"kind\":\"{}\",\"line\":{},\"path\":",
            node.span.column,
            self.document,
            node.kind(),
            node.span.line
        );
        json_string(out, &self.path);
        out.push_str(",\"value\":");
        match &node.value {
            Value::Float(f) if !f.is_finite() => json_string(out, &f.to_string()),
            Value::Int(i) if i.unsigned_abs() > JS_SAFE_INT as u64 => {
                let _ = write!(out, "\"{i}\"");
                self.wide
                    .push(format!("[\"values\",{},\"value\"]", self.row));
            }
            // A finite scalar or an empty collection: cannot fail.
            _ => json_node(out, node)?,
        }
        out.push('}');
        self.row += 1;
        Ok(())
    }
}

/// [`node_to_json`] of a `data` document, wide integers as strings with their paths (`path` is
/// the open JSON array text of the node's path, without its closing `]`).
fn js_data(
    out: &mut String,
    node: &Node,
    path: &mut String,
    wide: &mut Vec<String>,
) -> Result<(), ConfigError> {
    match &node.value {
        Value::Int(i) if i.unsigned_abs() > JS_SAFE_INT as u64 => {
            let _ = write!(out, "\"{i}\"");
            wide.push(format!("{path}]"));
        }
        Value::List(items) => {
            out.push('[');
            let len = path.len();
            for (k, item) in items.iter().enumerate() {
                if k > 0 {
                    out.push(',');
                }
                let _ = write!(path, ",{k}");
                js_data(out, item, path, wide)?;
                path.truncate(len);
            }
            out.push(']');
        }
        Value::Map(map) => {
            let sorted = json_entries(map)?;
            out.push('{');
            let len = path.len();
            for (n, (k, v)) in sorted.iter().enumerate() {
                if n > 0 {
                    out.push(',');
                }
                json_string(out, k);
                out.push(':');
                path.push(',');
                json_string(path, k);
                js_data(out, v, path, wide)?;
                path.truncate(len);
            }
            out.push('}');
        }
        _ => json_node(out, node)?,
    }
    Ok(())
}
