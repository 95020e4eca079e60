//! Writing the value tree back out.
//!
//! - [`to_json`]: canonical JSON, one line per document: no insignificant white space, object keys
//!   sorted by code point, the last of duplicate keys kept, integers as written, floats in their
//!   shortest round-tripping form (always with a `.` or exponent), strings with only the escapes
//!   JSON requires (`"`, `\`, control characters). Non-string scalar keys (YAML) become their
//!   canonical text; NaN, infinities and collection keys cannot be written and are errors.
//! - [`to_yaml`]: block-style YAML 1.2; documents separated by `---`; strings quoted whenever a
//!   YAML 1.1 or 1.2 reader could take them for anything else.
//! - [`to_toml`]: TOML 1.0 through `toml_edit`; the document must be a single map without nulls.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::yaml::resolve_plain;
use super::{ConfigError, Map, Node, Stream, Value};

fn unrepresentable(node: &Node, reason: &str) -> ConfigError {
    ConfigError::Unrepresentable {
        line: node.span.line,
        column: node.span.column,
        reason: reason.to_owned(),
    }
}

/// Canonical JSON of every document, one per line (each line ends with `\n`).
pub fn to_json(stream: &Stream) -> Result<String, ConfigError> {
    let mut out = String::new();
    for doc in &stream.documents {
        json_node(&mut out, doc)?;
        out.push('\n');
    }
    Ok(out)
}

/// Canonical JSON of one node (no trailing newline).
pub fn node_to_json(node: &Node) -> Result<String, ConfigError> {
    let mut out = String::new();
    json_node(&mut out, node)?;
    Ok(out)
}

fn float_text(f: f64) -> String {
    serde_json::to_string(&f).unwrap_or_else(|_| "null".to_owned())
}

/// A scalar key's text, for formats whose keys are strings.
pub(crate) fn key_text(key: &Node) -> Result<String, ConfigError> {
    Ok(match &key.value {
        Value::String(s) => s.to_string(),
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) if f.is_finite() => float_text(*f),
        Value::DateTime { text, .. } => text.to_string(),
        _ => return Err(unrepresentable(key, "a map key that is not a scalar")),
    })
}

/// A map's entries as canonical JSON has them: keys as text, sorted, the last of equal keys kept.
pub(crate) fn json_entries(map: &Map) -> Result<BTreeMap<String, &Node>, ConfigError> {
    let mut sorted = BTreeMap::new();
    for (k, v) in &map.entries {
        sorted.insert(key_text(k)?, v);
    }
    Ok(sorted)
}

pub(crate) fn json_node(out: &mut String, node: &Node) -> Result<(), ConfigError> {
    match &node.value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Value::Float(f) => {
            if !f.is_finite() {
                return Err(unrepresentable(
                    node,
                    "NaN and infinities have no JSON form",
                ));
            }
            out.push_str(&float_text(*f));
        }
        Value::String(s) | Value::DateTime { text: s, .. } => json_string(out, s),
        Value::List(items) => {
            out.push('[');
            for (k, item) in items.iter().enumerate() {
                if k > 0 {
                    out.push(',');
                }
                json_node(out, item)?;
            }
            out.push(']');
        }
        Value::Map(map) => {
            let sorted = json_entries(map)?;
            out.push('{');
            for (n, (k, v)) in sorted.iter().enumerate() {
                if n > 0 {
                    out.push(',');
                }
                json_string(out, k);
                out.push(':');
                json_node(out, v)?;
            }
            out.push('}');
        }
    }
    Ok(())
}

/// Appends `s` as a JSON string literal.
pub(crate) fn json_string(out: &mut String, s: &str) {
    out.push('"');
    let mut run = 0;
    for (i, b) in s.bytes().enumerate() {
        let esc = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&s[run..i]);
        if esc.is_empty() {
            let _ = write!(out, "\\u{b:04x}");
        } else {
            out.push_str(esc);
        }
        run = i + 1;
    }
    out.push_str(&s[run..]);
    out.push('"');
}

/// Entries with string-equal keys reduced to the last one, in document order of those last ones.
fn unique_entries(map: &Map) -> Vec<&(Node, Node)> {
    let mut last: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, (k, _)) in map.entries.iter().enumerate() {
        if let Some(s) = k.as_str() {
            last.insert(s, i);
        }
    }
    map.entries
        .iter()
        .enumerate()
        .filter(|(i, (k, _))| k.as_str().is_none_or(|s| last.get(s) == Some(i)))
        .map(|(_, e)| e)
        .collect()
}

/// Block-style YAML of every document.
pub fn to_yaml(stream: &Stream) -> Result<String, ConfigError> {
    let mut out = String::new();
    let many = stream.documents.len() > 1;
    for doc in &stream.documents {
        if many {
            out.push_str("---\n");
        }
        match &doc.value {
            Value::Map(m) if !m.is_empty() => yaml_map(&mut out, m, 0)?,
            Value::List(l) if !l.is_empty() => yaml_list(&mut out, l, 0)?,
            _ => {
                out.push_str(&yaml_scalar(doc)?);
                out.push('\n');
            }
        }
    }
    Ok(out)
}

fn is_block(node: &Node) -> bool {
    match &node.value {
        Value::Map(m) => !m.is_empty(),
        Value::List(l) => !l.is_empty(),
        _ => false,
    }
}

/// Longest key written as an implicit `key: value` (YAML allows 1024 characters, quotes and
/// the `:` included; this leaves room for both).
const MAX_IMPLICIT_KEY: usize = 1000;

fn yaml_map(out: &mut String, map: &Map, indent: usize) -> Result<(), ConfigError> {
    for (k, v) in unique_entries(map) {
        if is_block(k) {
            return Err(unrepresentable(k, "a collection as a map key"));
        }
        push_indent(out, indent);
        let key = yaml_scalar(k)?;
        if key.chars().count() > MAX_IMPLICIT_KEY {
            // An implicit key is at most 1024 characters (YAML 1.2, 7.4.2): write `? key`, then
            // the `:` on a line of its own.
            out.push_str("? ");
            out.push_str(&key);
            out.push('\n');
            push_indent(out, indent);
        } else {
            out.push_str(&key);
        }
        out.push(':');
        yaml_value(out, v, indent)?;
    }
    Ok(())
}

fn yaml_list(out: &mut String, items: &[Node], indent: usize) -> Result<(), ConfigError> {
    for item in items {
        if is_block(item) {
            // Render the item one level in, then put the dash on its first line.
            let mut inner = String::new();
            match &item.value {
                Value::Map(m) => yaml_map(&mut inner, m, indent + 2)?,
                Value::List(l) => yaml_list(&mut inner, l, indent + 2)?,
                _ => {}
            }
            push_indent(out, indent);
            out.push_str("- ");
            out.push_str(&inner[indent + 2..]);
        } else {
            push_indent(out, indent);
            out.push_str("- ");
            out.push_str(&yaml_scalar(item)?);
            out.push('\n');
        }
    }
    Ok(())
}

/// After `key:`: a scalar on the same line, or a block on the next lines.
fn yaml_value(out: &mut String, v: &Node, indent: usize) -> Result<(), ConfigError> {
    match &v.value {
        Value::Map(m) if !m.is_empty() => {
            out.push('\n');
            yaml_map(out, m, indent + 2)
        }
        Value::List(l) if !l.is_empty() => {
            out.push('\n');
            yaml_list(out, l, indent + 2)
        }
        _ => {
            out.push(' ');
            out.push_str(&yaml_scalar(v)?);
            out.push('\n');
            Ok(())
        }
    }
}

fn push_indent(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

/// YAML 1.1 words that 1.1 readers take for booleans.
pub(crate) fn yaml11_bool(s: &str) -> bool {
    matches!(
        s,
        "y" | "Y"
            | "yes"
            | "Yes"
            | "YES"
            | "n"
            | "N"
            | "no"
            | "No"
            | "NO"
            | "on"
            | "On"
            | "ON"
            | "off"
            | "Off"
            | "OFF"
    )
}

fn yaml_scalar(node: &Node) -> Result<String, ConfigError> {
    Ok(match &node.value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) if f.is_nan() => ".nan".to_owned(),
        Value::Float(f) if f.is_infinite() => if *f > 0.0 { ".inf" } else { "-.inf" }.to_owned(),
        Value::Float(f) => float_text(*f),
        Value::String(s) | Value::DateTime { text: s, .. } => {
            let plain_safe = s
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '/')
                && !s.ends_with(' ')
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "_./@+- ".contains(c))
                && matches!(resolve_plain(s), Value::String(_))
                && !yaml11_bool(s)
                && !s
                    .bytes()
                    .all(|b| b.is_ascii_digit() || b == b'_' || b == b'.');
            if plain_safe {
                s.to_string()
            } else {
                let mut q = String::new();
                json_string(&mut q, s);
                q
            }
        }
        Value::Map(_) => "{}".to_owned(),
        Value::List(_) => "[]".to_owned(),
    })
}

/// TOML of a single-document stream whose root is a map.
pub fn to_toml(stream: &Stream) -> Result<String, ConfigError> {
    let doc = match stream.documents.as_slice() {
        [doc] => doc,
        [] => return Ok(String::new()),
        [_, second, ..] => {
            return Err(unrepresentable(
                second,
                "TOML holds one document, this stream has several",
            ));
        }
    };
    let Value::Map(map) = &doc.value else {
        return Err(unrepresentable(doc, "a TOML document must be a map"));
    };
    let mut out = toml_edit::DocumentMut::new();
    toml_table(out.as_table_mut(), map)?;
    Ok(out.to_string())
}

fn toml_table(table: &mut toml_edit::Table, map: &Map) -> Result<(), ConfigError> {
    for (k, v) in unique_entries(map) {
        let key = key_text(k)?;
        let item = match &v.value {
            Value::Map(m) => {
                let mut t = toml_edit::Table::new();
                toml_table(&mut t, m)?;
                toml_edit::Item::Table(t)
            }
            Value::List(items)
                if !items.is_empty() && items.iter().all(|i| matches!(i.value, Value::Map(_))) =>
            {
                let mut aot = toml_edit::ArrayOfTables::new();
                for i in items {
                    if let Value::Map(m) = &i.value {
                        let mut t = toml_edit::Table::new();
                        toml_table(&mut t, m)?;
                        aot.push(t);
                    }
                }
                toml_edit::Item::ArrayOfTables(aot)
            }
            _ => toml_edit::Item::Value(toml_value(v)?),
        };
        table.insert(&key, item);
    }
    Ok(())
}

fn toml_value(node: &Node) -> Result<toml_edit::Value, ConfigError> {
    Ok(match &node.value {
        Value::Null => return Err(unrepresentable(node, "TOML has no null")),
        Value::Bool(b) => (*b).into(),
        Value::Int(i) => (*i).into(),
        Value::Float(f) => (*f).into(),
        Value::String(s) => s.as_str().into(),
        Value::DateTime { text, .. } => match text.parse::<toml_edit::Datetime>() {
            Ok(d) => d.into(),
            Err(_) => text.as_str().into(),
        },
        Value::List(items) => {
            let mut a = toml_edit::Array::new();
            for i in items {
                a.push(toml_value(i)?);
            }
            toml_edit::Value::Array(a)
        }
        Value::Map(m) => {
            let mut t = toml_edit::InlineTable::new();
            for (k, v) in unique_entries(m) {
                t.insert(&key_text(k)?, toml_value(v)?);
            }
            toml_edit::Value::InlineTable(t)
        }
    })
}
