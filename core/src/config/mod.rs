//! Configuration files: YAML 1.2, JSON (RFC 8259) and TOML 1.0 parsed into one value tree whose
//! every node carries its source location, plus conversion back out ([`to_json`], [`to_yaml`],
//! [`to_toml`]) and lints ([`lint`]).
//!
//! # The value tree
//! [`parse`] returns a [`Stream`]: the input's format and its documents (YAML streams may hold
//! several; JSON and TOML always hold one). Each document is a [`Node`]: a [`Value`] plus the
//! [`Span`] (1-based line and column, columns counted in Unicode scalar values) where it starts.
//! Maps keep every entry in document order, keys included as nodes, so duplicate keys stay visible
//! to the lints; [`Map::get`] looks a string key up (the last of duplicates wins, as in JSON).
//!
//! ```
//! use conclave_core::config::{parse, Format, Limits};
//! let stream = parse("services:\n  web:\n    ports: [80, 443]\n", Format::Yaml, &Limits::default())
//!     .unwrap();
//! let doc = &stream.documents[0];
//! let web = doc.get("services").and_then(|s| s.get("web")).unwrap();
//! let ports: Vec<i64> = web.get("ports").unwrap().as_list().unwrap()
//!     .iter().filter_map(|p| p.as_int()).collect();
//! assert_eq!(ports, [80, 443]);
//! assert_eq!((web.span.line, web.span.column), (3, 5));
//! ```
//!
//! # Safety limits ([`Limits`])
//! - `max_bytes`: inputs longer than this are refused before parsing (default 64 MiB).
//! - `max_depth`: nesting of lists and maps, aliases included (default 1000).
//! - `max_alias_nodes`: the number of nodes that YAML aliases may copy into one stream (default
//!   1,000,000). The size of every anchored node is known when its alias is met, so a
//!   "billion laughs" file is refused at the first alias that would pass the budget, before any
//!   copy is made: time and memory stay proportional to the budget, not to the expansion.
//!
//! # Parsers
//! YAML uses `saphyr-parser`'s event parser (it passes the whole YAML test suite); the tree, tag
//! resolution (YAML 1.2 core schema), anchors and limits are built here. TOML uses `toml_edit`
//! (TOML 1.0, spans on every item). JSON is parsed by hand in [`json`]: serde_json gives no
//! location for nodes, keeps only the last of duplicate keys and caps nesting at a fixed 128;
//! we need all three (locations, duplicates for the lints, a configurable depth).

mod emit;
mod json;
mod lint;
mod outline;
mod toml;
mod yaml;

#[cfg(test)]
mod tests;

use std::fmt;

/// The tree's string type: `compact_str::CompactString`, which keeps strings of up to 24 bytes
/// (12 on 32-bit targets) inline. Configs are mostly short keys and values, so this saves an
/// allocation per node; it dereferences to `&str` (`as_str()`), and `String`/`&str` convert
/// into it with `.into()`.
pub use compact_str::CompactString as Str;
pub use emit::{node_to_json, to_json, to_toml, to_yaml};
pub use lint::{Finding, Severity, lint};
pub use outline::{JS_SAFE_INT, OutlineRow, outline_js_json, outline_json, outline_rows};

/// A configuration format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    Yaml,
    Json,
    Toml,
}

impl Format {
    /// The format's lower-case name (`yaml`, `json`, `toml`).
    pub fn name(self) -> &'static str {
        match self {
            Format::Yaml => "yaml",
            Format::Json => "json",
            Format::Toml => "toml",
        }
    }

    /// The format a file name's extension names, if any (`.yaml`/`.yml`, `.json`, `.toml`).
    pub fn from_extension(name: &str) -> Option<Format> {
        let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
        match ext.as_str() {
            "yaml" | "yml" => Some(Format::Yaml),
            "json" => Some(Format::Json),
            "toml" => Some(Format::Toml),
            _ => None,
        }
    }

    /// Guesses the format from content: JSON when the text starts with `{` or `[` and parses as
    /// JSON; TOML when a line looks like `key = value` or a `[table]` header and it parses as TOML;
    /// YAML otherwise.
    pub fn detect(text: &str) -> Format {
        let body = strip_bom(text).trim_start();
        let limits = Limits::default();
        if (body.starts_with('{') || body.starts_with('[')) && json::parse(text, &limits).is_ok() {
            return Format::Json;
        }
        let tomlish = body.lines().take(50).any(|line| {
            let l = line.trim();
            !l.starts_with('#')
                && (l.starts_with('[')
                    || l.split_once('=').is_some_and(|(k, _)| {
                        !k.trim().is_empty()
                            && k.trim()
                                .chars()
                                .all(|c| c.is_alphanumeric() || "_-.\"' ".contains(c))
                    }))
        });
        if tomlish && toml::parse(text, &limits).is_ok() {
            return Format::Toml;
        }
        Format::Yaml
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Limits that keep hostile input cheap. See the module docs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest accepted input, in bytes.
    pub max_bytes: usize,
    /// Deepest accepted nesting of lists and maps.
    pub max_depth: usize,
    /// Most nodes YAML aliases may copy into one stream.
    pub max_alias_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 64 << 20,
            max_depth: 1000,
            max_alias_nodes: 1_000_000,
        }
    }
}

/// Where a node starts: 1-based line and column (columns count Unicode scalar values).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    pub line: usize,
    pub column: usize,
}

/// A TOML date-time kind (the only format with dates as values).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DateTimeKind {
    /// `1979-05-27T07:32:00Z`
    OffsetDateTime,
    /// `1979-05-27T07:32:00`
    LocalDateTime,
    /// `1979-05-27`
    LocalDate,
    /// `07:32:00`
    LocalTime,
}

/// A value of the tree. Lists and maps hold [`Node`]s.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    /// Integers that fit `i64`; larger ones become [`Value::Float`].
    Int(i64),
    Float(f64),
    String(Str),
    /// A TOML date-time in RFC 3339 form (`T` separator, upper-case `Z`).
    DateTime {
        kind: DateTimeKind,
        text: Str,
    },
    List(Vec<Node>),
    Map(Map),
}

/// One value and where it starts in the source.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub span: Span,
}

/// A map's entries in document order, duplicates kept.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Map {
    pub entries: Vec<(Node, Node)>,
}

impl Map {
    /// The value of the last entry whose key is the string `key`.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entries
            .iter()
            .rev()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(_, v)| v)
    }

    /// The entries whose keys are strings, as `(key, key node, value)`, in document order.
    pub fn iter_str(&self) -> impl Iterator<Item = (&str, &Node, &Node)> {
        self.entries
            .iter()
            .filter_map(|(k, v)| k.as_str().map(|s| (s, k, v)))
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl Node {
    pub fn new(value: Value, span: Span) -> Node {
        Node { value, span }
    }

    /// In a map, the value of string key `key` (last of duplicates); else `None`.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_map()?.get(key)
    }

    pub fn as_map(&self) -> Option<&Map> {
        match &self.value {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_list(&self) -> Option<&[Node]> {
        match &self.value {
            Value::List(l) => Some(l),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_int(&self) -> Option<i64> {
        match self.value {
            Value::Int(i) => Some(i),
            _ => None,
        }
    }

    pub fn as_float(&self) -> Option<f64> {
        match self.value {
            Value::Float(f) => Some(f),
            Value::Int(i) => Some(i as f64),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.value {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    /// The name of the value's kind (`null`, `bool`, `int`, `float`, `string`, `datetime`, `list`,
    /// `map`).
    pub fn kind(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Float(_) => "float",
            Value::String(_) => "string",
            Value::DateTime { .. } => "datetime",
            Value::List(_) => "list",
            Value::Map(_) => "map",
        }
    }

    /// Number of nodes in this subtree (map keys included).
    pub fn count(&self) -> usize {
        match &self.value {
            Value::List(l) => 1 + l.iter().map(Node::count).sum::<usize>(),
            Value::Map(m) => {
                1 + m
                    .entries
                    .iter()
                    .map(|(k, v)| k.count() + v.count())
                    .sum::<usize>()
            }
            _ => 1,
        }
    }
}

/// A parsed input: its format and its documents.
#[derive(Debug, Clone, PartialEq)]
pub struct Stream {
    pub format: Format,
    pub documents: Vec<Node>,
}

/// Why an input could not be parsed or converted. Every variant but [`ConfigError::TooLarge`]
/// says where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigError {
    /// The input breaks the format's grammar.
    Syntax {
        format: Format,
        line: usize,
        column: usize,
        reason: String,
    },
    /// The input is longer than [`Limits::max_bytes`].
    TooLarge { size: usize, limit: usize },
    /// Nesting passes [`Limits::max_depth`].
    TooDeep {
        line: usize,
        column: usize,
        limit: usize,
    },
    /// YAML aliases would copy more than [`Limits::max_alias_nodes`] nodes.
    AliasBudget {
        line: usize,
        column: usize,
        limit: usize,
    },
    /// A value the target format cannot express (conversion only).
    Unrepresentable {
        line: usize,
        column: usize,
        reason: String,
    },
}

impl ConfigError {
    /// Line and column, when the error has a place.
    pub fn location(&self) -> Option<(usize, usize)> {
        match self {
            ConfigError::Syntax { line, column, .. }
            | ConfigError::TooDeep { line, column, .. }
            | ConfigError::AliasBudget { line, column, .. }
            | ConfigError::Unrepresentable { line, column, .. } => Some((*line, *column)),
            ConfigError::TooLarge { .. } => None,
        }
    }

    /// The message without its location.
    pub fn reason(&self) -> String {
        match self {
            ConfigError::Syntax { format, reason, .. } => format!("{format}: {reason}"),
            ConfigError::TooLarge { size, limit } => {
                format!("input is {size} bytes, over the limit of {limit} bytes")
            }
            ConfigError::TooDeep { limit, .. } => {
                format!("nesting deeper than the limit of {limit}")
            }
            ConfigError::AliasBudget { limit, .. } => format!(
                "aliases would expand past the budget of {limit} nodes (billion-laughs guard)"
            ),
            ConfigError::Unrepresentable { reason, .. } => reason.clone(),
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.location() {
            Some((line, column)) => write!(f, "line {line}, column {column}: {}", self.reason()),
            None => f.write_str(&self.reason()),
        }
    }
}

impl std::error::Error for ConfigError {}

/// Parses `text` as `format` into a [`Stream`]. A leading byte-order mark is skipped.
pub fn parse(text: &str, format: Format, limits: &Limits) -> Result<Stream, ConfigError> {
    if text.len() > limits.max_bytes {
        return Err(ConfigError::TooLarge {
            size: text.len(),
            limit: limits.max_bytes,
        });
    }
    let documents = match format {
        Format::Yaml => yaml::parse(text, limits)?,
        Format::Json => vec![json::parse(text, limits)?],
        Format::Toml => vec![toml::parse(text, limits)?],
    };
    Ok(Stream { format, documents })
}

/// Like [`parse`], from bytes: invalid UTF-8 is a syntax error at its line and column.
pub fn parse_bytes(bytes: &[u8], format: Format, limits: &Limits) -> Result<Stream, ConfigError> {
    if bytes.len() > limits.max_bytes {
        return Err(ConfigError::TooLarge {
            size: bytes.len(),
            limit: limits.max_bytes,
        });
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let valid = e.valid_up_to();
        let (line, column) = line_column(bytes, valid);
        ConfigError::Syntax {
            format,
            line,
            column,
            reason: "invalid UTF-8".to_owned(),
        }
    })?;
    parse(text, format, limits)
}

/// Line and column (1-based, columns in scalar values) of byte `offset` in `bytes`.
pub(crate) fn line_column(bytes: &[u8], offset: usize) -> (usize, usize) {
    let offset = offset.min(bytes.len());
    let before = &bytes[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let column = before[start..]
        .iter()
        .filter(|&&b| (b & 0xC0) != 0x80)
        .count()
        + 1;
    (line, column)
}

/// Turns byte offsets into lines and columns, in any order, in linear total time.
///
/// Moving forward scans the bytes between the last answer and the new offset (JSON and YAML only
/// move forward: each byte is scanned once). Moving back finds the line by binary search in a
/// table of line starts (built once, at the first step back) and counts the column from the line
/// start.
///
/// TOML steps back: a `[a.b]` header gives the table's span (at `[`) after its key's. Rescanning
/// from the start of the text on each step back made a file with N headers cost O(N x size);
/// here a step back costs at most its line.
pub(crate) struct Locator<'a> {
    bytes: &'a [u8],
    /// Byte offset of the start of every line (`starts[0] == 0`); empty until the first step back.
    starts: Vec<usize>,
    /// The last answer: its offset, 1-based line and column.
    pos: usize,
    line: usize,
    column: usize,
    /// Bytes scanned so far, line-start table excluded (tests check that it stays within a small
    /// multiple of the text's length).
    #[cfg(test)]
    pub(crate) scanned: usize,
}

impl<'a> Locator<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Locator {
            bytes: text.as_bytes(),
            starts: Vec::new(),
            pos: 0,
            line: 1,
            column: 1,
            #[cfg(test)]
            scanned: 0,
        }
    }

    pub(crate) fn span(&mut self, offset: usize) -> Span {
        let offset = offset.min(self.bytes.len());
        let from = if offset >= self.pos {
            self.pos
        } else {
            if self.starts.is_empty() {
                self.starts.push(0);
                let newlines = self.bytes.iter().enumerate().filter(|&(_, &b)| b == b'\n');
                self.starts.extend(newlines.map(|(i, _)| i + 1));
            }
            // Number of line starts at or before `offset` = its 1-based line (`starts[0] == 0`).
            self.line = self.starts.partition_point(|&s| s <= offset).max(1);
            self.column = 1;
            self.starts.get(self.line - 1).copied().unwrap_or(0)
        };
        let run = &self.bytes[from..offset];
        #[cfg(test)]
        {
            self.scanned += run.len();
        }
        for &b in run {
            if b == b'\n' {
                self.line += 1;
                self.column = 1;
            } else if (b & 0xC0) != 0x80 {
                self.column += 1;
            }
        }
        self.pos = offset;
        Span {
            line: self.line,
            column: self.column,
        }
    }
}

fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}
