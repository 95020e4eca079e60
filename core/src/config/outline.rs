//! The outline of a parsed stream: every leaf (and empty collection) with its path, kind, value
//! and place. `conclave config FILE` prints it; the npm package's `parseConfig` returns it.

use std::fmt::Write as _;

use serde_json::json;

use super::{Node, Stream, Value, node_to_json};

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
