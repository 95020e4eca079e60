//! YAML 1.2 into the value tree, built from `saphyr-parser`'s events (the parser passes the YAML
//! test suite; the loader is ours so that every node keeps its mark and the limits hold).
//!
//! Plain scalars resolve by the YAML 1.2 core schema (`null`/`~`/empty, `true`/`false` in three
//! casings, decimal/`0o`/`0x` integers, floats with `.inf`/`.nan`); quoted and block scalars are
//! strings. Core-schema tags (`!!str`, `!!int`, `!!float`, `!!bool`, `!!null`) force a type and a
//! value that does not fit is an error; other tags are kept out of the tree and the value resolves
//! as if untagged. Aliases copy their anchored node, within [`Limits::max_alias_nodes`] per stream
//! and [`Limits::max_depth`].

use std::borrow::Cow;
use std::collections::BTreeMap;

use saphyr_parser::{Event, Marker, Parser, ScalarStyle, ScanError, Tag};

use super::{ConfigError, Format, Limits, Map, Node, Span, Str, Value};

/// A finished node with its subtree size and collection height (0 for scalars).
struct Built {
    node: Node,
    count: usize,
    height: usize,
}

/// An open collection: where it starts, its anchor, where its children start on the scratch
/// stack, and (maps) the key waiting for its value; `count` and `height` grow as children end.
struct Frame {
    is_map: bool,
    span: Span,
    anchor: usize,
    start: usize,
    key: Option<Node>,
    count: usize,
    height: usize,
}

/// Where the input ends: its length in characters, the line and column just past its last one,
/// and each line's length in characters. saphyr-parser can place a marker past the end (it reads
/// a final line break that the input may not have) or past the end of a line (after some
/// directives); such markers are moved back to the end of the input or of the line. Lines here
/// end at `\n`; YAML also breaks lines at a lone `\r`, so inputs with a `\r` keep the parser's
/// lines and columns.
struct End {
    chars: usize,
    span: Span,
    widths: Vec<usize>,
    has_cr: bool,
}

impl End {
    fn new(text: &str) -> End {
        let (line, column) = super::line_column(text.as_bytes(), text.len());
        let widths = text.split('\n').map(|l| l.chars().count()).collect();
        End {
            chars: text.chars().count(),
            span: Span { line, column },
            widths,
            has_cr: text.contains('\r'),
        }
    }

    fn place(&self, m: &Marker) -> Span {
        if m.index() >= self.chars {
            return self.span;
        }
        let (line, mut column) = (m.line(), m.col() + 1);
        if !self.has_cr {
            match self.widths.get(line.wrapping_sub(1)) {
                None => return self.span,
                Some(&w) => column = column.min(w + 1),
            }
        }
        Span { line, column }
    }
}

fn scan_error(e: &ScanError, end: &End) -> ConfigError {
    let at = end.place(e.marker());
    ConfigError::Syntax {
        format: Format::Yaml,
        line: at.line,
        column: at.column,
        reason: e.info().to_owned(),
    }
}

/// Parses a YAML stream into its documents.
pub(crate) fn parse(text: &str, limits: &Limits) -> Result<Vec<Node>, ConfigError> {
    let mut parser = Parser::new_from_str(text);
    let mut docs = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<Node> = None;
    let mut anchors: BTreeMap<usize, Built> = BTreeMap::new();
    // Children gather here and move into exactly sized vectors when their collection ends.
    let mut items: Vec<Node> = Vec::new();
    let mut entries: Vec<(Node, Node)> = Vec::new();
    let mut alias_nodes = 0usize;
    let end = End::new(text);
    while let Some(event) = parser.next_event() {
        let (event, yspan) = event.map_err(|e| scan_error(&e, &end))?;
        let span = end.place(&yspan.start);
        let done = match event {
            Event::StreamStart | Event::Nothing => None,
            Event::StreamEnd => break,
            Event::DocumentStart(_) => {
                root = None;
                None
            }
            Event::DocumentEnd => {
                docs.push(root.take().unwrap_or(Node::new(Value::Null, span)));
                None
            }
            Event::Alias(id) => {
                let Some(target) = anchors.get(&id) else {
                    return Err(syntax(span, "alias to an unknown or unfinished anchor"));
                };
                alias_nodes = alias_nodes.saturating_add(target.count);
                if alias_nodes > limits.max_alias_nodes {
                    return Err(ConfigError::AliasBudget {
                        line: span.line,
                        column: span.column,
                        limit: limits.max_alias_nodes,
                    });
                }
                if stack.len() + target.height > limits.max_depth {
                    return Err(too_deep(span, limits));
                }
                let mut node = target.node.clone();
                node.span = span;
                Some((
                    Built {
                        node,
                        count: target.count,
                        height: target.height,
                    },
                    0,
                ))
            }
            Event::Scalar(text, style, anchor, tag) => {
                let value = resolve(text, style, tag.as_deref(), span)?;
                Some((
                    Built {
                        node: Node::new(value, span),
                        count: 1,
                        height: 0,
                    },
                    anchor,
                ))
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if stack.len() >= limits.max_depth {
                    return Err(too_deep(span, limits));
                }
                let is_map = matches!(event, Event::MappingStart(..));
                stack.push(Frame {
                    is_map,
                    span,
                    anchor,
                    start: if is_map { entries.len() } else { items.len() },
                    key: None,
                    count: 1,
                    height: 1,
                });
                None
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(f) = stack.pop() else {
                    return Err(syntax(span, "unbalanced end of collection"));
                };
                let value = if f.is_map {
                    Value::Map(Map {
                        entries: entries.split_off(f.start),
                    })
                } else {
                    Value::List(items.split_off(f.start))
                };
                Some((
                    Built {
                        node: Node::new(value, f.span),
                        count: f.count,
                        height: f.height,
                    },
                    f.anchor,
                ))
            }
        };
        let Some((built, anchor)) = done else {
            continue;
        };
        if anchor != 0 {
            anchors.insert(
                anchor,
                Built {
                    node: built.node.clone(),
                    count: built.count,
                    height: built.height,
                },
            );
        }
        match stack.last_mut() {
            None => root = Some(built.node),
            Some(f) => {
                f.count += built.count;
                f.height = f.height.max(built.height + 1);
                if !f.is_map {
                    items.push(built.node);
                } else {
                    match f.key.take() {
                        None => f.key = Some(built.node),
                        Some(k) => entries.push((k, built.node)),
                    }
                }
            }
        }
    }
    Ok(docs)
}

fn syntax(span: Span, reason: &str) -> ConfigError {
    ConfigError::Syntax {
        format: Format::Yaml,
        line: span.line,
        column: span.column,
        reason: reason.to_owned(),
    }
}

fn too_deep(span: Span, limits: &Limits) -> ConfigError {
    ConfigError::TooDeep {
        line: span.line,
        column: span.column,
        limit: limits.max_depth,
    }
}

fn resolve(
    text: Cow<'_, str>,
    style: ScalarStyle,
    tag: Option<&Tag>,
    span: Span,
) -> Result<Value, ConfigError> {
    if let Some(tag) = tag {
        if tag.is_yaml_core_schema() {
            let t: &str = &text;
            let forced = match tag.suffix.as_str() {
                "null" => core_null(t).then_some(Value::Null),
                "bool" => core_bool(t).map(Value::Bool),
                "int" => core_int(t),
                "float" => core_float(t).or_else(|| core_int(t).map(as_float)),
                // `!!str` and the types the core schema does not resolve stay strings.
                _ => return Ok(Value::String(Str::from(text))),
            };
            return forced
                .ok_or_else(|| syntax(span, &format!("{:?} is not a valid !!{}", t, tag.suffix)));
        }
        if (tag.handle.is_empty() && tag.suffix == "!")
            || (tag.handle == "!" && tag.suffix.is_empty())
        {
            return Ok(Value::String(Str::from(text)));
        }
    }
    if style != ScalarStyle::Plain {
        return Ok(Value::String(Str::from(text)));
    }
    Ok(match plain_typed(&text) {
        Some(v) => v,
        None => Value::String(Str::from(text)),
    })
}

/// The YAML 1.2 core schema's reading of a plain scalar.
pub(crate) fn resolve_plain(text: &str) -> Value {
    plain_typed(text).unwrap_or_else(|| Value::String(text.into()))
}

/// A plain scalar's null, bool, int or float value; `None` for a string.
fn plain_typed(text: &str) -> Option<Value> {
    // Every non-string form starts with one of these characters.
    let first = text.as_bytes().first().copied().unwrap_or(b'~');
    if !(first.is_ascii_digit() || b"~nNtTfF+-.".contains(&first)) {
        return None;
    }
    if core_null(text) {
        return Some(Value::Null);
    }
    if let Some(b) = core_bool(text) {
        return Some(Value::Bool(b));
    }
    core_int(text).or_else(|| core_float(text))
}

fn as_float(v: Value) -> Value {
    match v {
        Value::Int(i) => Value::Float(i as f64),
        other => other,
    }
}

fn core_null(t: &str) -> bool {
    matches!(t, "" | "~" | "null" | "Null" | "NULL")
}

fn core_bool(t: &str) -> Option<bool> {
    match t {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

fn core_int(t: &str) -> Option<Value> {
    let (digits, radix) = if let Some(h) = t.strip_prefix("0x") {
        (h, 16)
    } else if let Some(o) = t.strip_prefix("0o") {
        (o, 8)
    } else {
        let body = t.strip_prefix(['-', '+']).unwrap_or(t);
        if body.is_empty() || !body.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        return Some(match t.parse::<i64>() {
            Ok(i) => Value::Int(i),
            Err(_) => Value::Float(t.parse::<f64>().ok()?),
        });
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    Some(match i64::from_str_radix(digits, radix) {
        Ok(i) => Value::Int(i),
        Err(_) => {
            let mut f = 0f64;
            for c in digits.chars() {
                f = f * f64::from(radix) + f64::from(c.to_digit(radix)?);
            }
            Value::Float(f)
        }
    })
}

fn core_float(t: &str) -> Option<Value> {
    let (sign, body) = match t.as_bytes().first() {
        Some(b'-') => (-1.0, &t[1..]),
        Some(b'+') => (1.0, &t[1..]),
        _ => (1.0, t),
    };
    if matches!(body, ".inf" | ".Inf" | ".INF") {
        return Some(Value::Float(sign * f64::INFINITY));
    }
    if matches!(t, ".nan" | ".NaN" | ".NAN") {
        return Some(Value::Float(f64::NAN));
    }
    // [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
    let b = body.as_bytes();
    let mut i = 0;
    let int_digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    i += int_digits;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let frac_digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        i += frac_digits;
        if int_digits == 0 && frac_digits == 0 {
            return None;
        }
    } else if int_digits == 0 {
        return None;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let exp = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if exp == 0 {
            return None;
        }
        i += exp;
    }
    if i != b.len() {
        return None;
    }
    // Rust's parser accepts "1." and ".5" as written here.
    body.parse::<f64>().ok().map(|f| Value::Float(sign * f))
}
