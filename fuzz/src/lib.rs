//! Oracles shared by the config fuzz targets (`config_json`, `config_yaml`, `config_toml`).
//!
//! Every check panics with a message naming the broken property, which libFuzzer reports as a
//! crash. The properties:
//! - an error's line and column, and every node's span, lie within the input (line at most the
//!   number of line breaks + 1, column at most that line's length in scalar values + 1);
//! - converting to canonical JSON and parsing that JSON gives the same JSON again;
//! - converting to YAML (and to TOML, where the stream is one map without nulls) and parsing that
//!   gives the same canonical JSON as the input.

use conclave_core::config::{
    self, ConfigError, Format, Limits, Node, Span, Stream, Value, node_to_json, to_json, to_toml,
    to_yaml,
};

/// The limits the targets parse with: the defaults, with a smaller alias budget so that one
/// "billion laughs" input costs milliseconds, not a second.
pub fn limits() -> Limits {
    Limits {
        max_alias_nodes: 100_000,
        ..Limits::default()
    }
}

/// Lines of `input` as byte slices, ending at `\n` only (`crlf` false) or at `\r\n`, `\n` and
/// a lone `\r` (`crlf` true: YAML counts a lone `\r` as a line break, JSON and TOML do not).
fn lines(input: &[u8], crlf: bool) -> Vec<&[u8]> {
    if !crlf {
        return input.split(|&b| b == b'\n').collect();
    }
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < input.len() {
        match input[i] {
            b'\n' => {
                out.push(&input[start..i]);
                start = i + 1;
            }
            b'\r' => {
                out.push(&input[start..i]);
                if input.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    out.push(&input[start..]);
    out
}

/// Scalar values in `line`, counted as the parsers count them (bytes that do not continue a
/// UTF-8 sequence).
fn width(line: &[u8]) -> usize {
    line.iter().filter(|&&b| (b & 0xC0) != 0x80).count()
}

/// Whether (line, column) is a place in `input` under one line-break convention.
fn fits(input: &[u8], crlf: bool, line: usize, column: usize) -> bool {
    let lines = lines(input, crlf);
    line >= 1 && line <= lines.len() && column >= 1 && column <= width(lines[line - 1]) + 1
}

/// Panics unless (line, column) is a place in `input` (`\n` breaks lines; where the input has a
/// `\r`, a place under YAML's convention is accepted too).
pub fn check_place(input: &[u8], line: usize, column: usize, what: &dyn std::fmt::Display) {
    let ok = fits(input, false, line, column)
        || (input.contains(&b'\r') && fits(input, true, line, column));
    assert!(
        ok,
        "{what}: line {line}, column {column} is outside the input ({} lines)",
        lines(input, false).len()
    );
}

/// Panics unless the error says where, and that place is in `input`.
pub fn check_error(input: &[u8], err: &ConfigError) {
    match err.location() {
        Some((line, column)) => check_place(input, line, column, err),
        None => assert!(
            matches!(err, ConfigError::TooLarge { .. }),
            "error without a place: {err}"
        ),
    }
}

/// Panics unless every node's span (keys included) is a place in `input`.
pub fn check_spans(input: &[u8], node: &Node) {
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        let Span { line, column } = n.span;
        check_place(
            input,
            line,
            column,
            &format_args!("span of a {} node", n.kind()),
        );
        match &n.value {
            Value::List(items) => stack.extend(items),
            Value::Map(m) => {
                for (k, v) in &m.entries {
                    stack.push(k);
                    stack.push(v);
                }
            }
            _ => {}
        }
    }
}

/// Parses `input` as `format`; checks the error's place or every span.
pub fn parse_checked(input: &[u8], format: Format) -> Option<Stream> {
    match config::parse_bytes(input, format, &limits()) {
        Ok(stream) => {
            assert_eq!(stream.format, format);
            for doc in &stream.documents {
                check_spans(input, doc);
            }
            Some(stream)
        }
        Err(e) => {
            check_error(input, &e);
            None
        }
    }
}

/// Parses text this crate wrote itself: it must parse.
fn reparse(text: &str, format: Format, from: &str) -> Stream {
    match config::parse(text, format, &limits()) {
        Ok(s) => s,
        Err(e) => panic!("{from} output does not parse as {format}: {e}\n--- output:\n{text}"),
    }
}

/// The round-trip properties of a parsed stream (see the crate docs).
pub fn check_round_trips(stream: &Stream) {
    // Canonical JSON per document, stable under a JSON round trip.
    let mut docs = Vec::new();
    for doc in &stream.documents {
        let Ok(json) = node_to_json(doc) else {
            // NaN, infinities or a collection key: no JSON form, nothing to compare.
            return;
        };
        let again = reparse(&json, Format::Json, "to_json");
        let json2 = node_to_json(&again.documents[0]).expect("canonical JSON converts to JSON");
        assert_eq!(json, json2, "canonical JSON is not stable");
        docs.push(json);
    }
    let all = to_json(stream).expect("every document converted alone");
    assert_eq!(
        all,
        docs.iter().map(|d| format!("{d}\n")).collect::<String>()
    );

    if let Ok(yaml) = to_yaml(stream) {
        let back = reparse(&yaml, Format::Yaml, "to_yaml");
        let json = to_json(&back).unwrap_or_else(|e| panic!("YAML output has no JSON form: {e}"));
        assert_eq!(
            all, json,
            "JSON -> YAML -> JSON changed the value\n--- YAML:\n{yaml}"
        );
    }
    if let Ok(toml) = to_toml(stream) {
        let back = reparse(&toml, Format::Toml, "to_toml");
        let json = to_json(&back).unwrap_or_else(|e| panic!("TOML output has no JSON form: {e}"));
        // An empty stream converts to an empty TOML file, which is one empty map.
        if !stream.documents.is_empty() {
            assert_eq!(
                all, json,
                "JSON -> TOML -> JSON changed the value\n--- TOML:\n{toml}"
            );
        }
    }
}
