//! JSON (RFC 8259) into the value tree, by hand: serde_json gives no location per node, keeps only
//! the last of duplicate keys and caps nesting at a fixed 128, and the lints need all three.
//! Strict grammar: no comments, no trailing commas, no leading zeros, no control characters in
//! strings, no lone surrogates (a Rust string cannot hold them). Numbers that are integers and fit
//! `i64` become [`Value::Int`]; the rest are parsed by the standard library's correctly rounded
//! `f64` parser.

use super::{ConfigError, Format, Limits, Locator, Map, Node, Span, Str, Value};

/// Parses one JSON text.
pub(crate) fn parse(text: &str, limits: &Limits) -> Result<Node, ConfigError> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut p = Parser {
        text,
        b: text.as_bytes(),
        i: start,
        loc: Locator::new(text),
        max_depth: limits.max_depth,
    };
    p.ws();
    let node = p.value()?;
    p.ws();
    if p.i < p.b.len() {
        return Err(p.err(p.i, "unexpected content after the JSON value"));
    }
    Ok(node)
}

/// A list or map still open: where it starts in the text and on its scratch stack, and (for
/// maps) the key waiting for its value.
enum Open {
    List {
        span: Span,
        start: usize,
    },
    Map {
        span: Span,
        start: usize,
        key: Option<Node>,
    },
}

struct Parser<'a> {
    text: &'a str,
    b: &'a [u8],
    i: usize,
    loc: Locator<'a>,
    max_depth: usize,
}

impl<'a> Parser<'a> {
    fn err(&mut self, at: usize, reason: &str) -> ConfigError {
        let span = self.loc.span(at);
        ConfigError::Syntax {
            format: Format::Json,
            line: span.line,
            column: span.column,
            reason: reason.to_owned(),
        }
    }

    fn unexpected(&mut self, at: usize, expected: &str) -> ConfigError {
        let reason = match self.text.get(at..).and_then(|s| s.chars().next()) {
            None => format!("unexpected end of input, expected {expected}"),
            Some(c) => format!("unexpected {c:?}, expected {expected}"),
        };
        self.err(at, &reason)
    }

    #[inline]
    fn ws(&mut self) {
        while let Some(&c) = self.b.get(self.i) {
            if matches!(c, b' ' | b'\n' | b'\r' | b'\t') {
                self.i += 1;
            } else {
                break;
            }
        }
    }

    /// One JSON value, iteratively (an explicit stack instead of recursion, so that nesting up
    /// to the depth limit needs no call stack, which matters on WASM's small stack). Children
    /// gather on two shared scratch stacks and move into an exactly sized `Vec` when their
    /// container closes: one allocation per container instead of a growing one.
    fn value(&mut self) -> Result<Node, ConfigError> {
        let mut stack: Vec<Open> = Vec::new();
        let mut items: Vec<Node> = Vec::new();
        let mut entries: Vec<(Node, Node)> = Vec::new();
        loop {
            self.ws();
            let at = self.i;
            let span = self.loc.span(at);
            let mut done = match self.b.get(at) {
                Some(b'{') => {
                    self.deeper(at, stack.len())?;
                    self.i += 1;
                    self.ws();
                    if self.b.get(self.i) == Some(&b'}') {
                        self.i += 1;
                        Node::new(Value::Map(Map::default()), span)
                    } else {
                        let key = self.key()?;
                        stack.push(Open::Map {
                            span,
                            start: entries.len(),
                            key: Some(key),
                        });
                        continue;
                    }
                }
                Some(b'[') => {
                    self.deeper(at, stack.len())?;
                    self.i += 1;
                    self.ws();
                    if self.b.get(self.i) == Some(&b']') {
                        self.i += 1;
                        Node::new(Value::List(Vec::new()), span)
                    } else {
                        stack.push(Open::List {
                            span,
                            start: items.len(),
                        });
                        continue;
                    }
                }
                Some(b'"') => Node::new(Value::String(self.string()?), span),
                Some(b't') => Node::new(self.literal("true", Value::Bool(true))?, span),
                Some(b'f') => Node::new(self.literal("false", Value::Bool(false))?, span),
                Some(b'n') => Node::new(self.literal("null", Value::Null)?, span),
                Some(b'-' | b'0'..=b'9') => Node::new(self.number()?, span),
                _ => return Err(self.unexpected(at, "a JSON value")),
            };
            // Attach the finished value to its parents, closing those that end here.
            loop {
                match stack.last_mut() {
                    None => return Ok(done),
                    Some(Open::List { span, start }) => {
                        let (span, start) = (*span, *start);
                        items.push(done);
                        self.ws();
                        match self.b.get(self.i) {
                            Some(b',') => {
                                self.i += 1;
                                break;
                            }
                            Some(b']') => {
                                self.i += 1;
                                stack.pop();
                                done = Node::new(Value::List(items.split_off(start)), span);
                            }
                            _ => return Err(self.unexpected(self.i, "',' or ']'")),
                        }
                    }
                    Some(Open::Map { span, start, key }) => {
                        let (span, start) = (*span, *start);
                        if let Some(k) = key.take() {
                            entries.push((k, done));
                        }
                        self.ws();
                        match self.b.get(self.i) {
                            Some(b',') => {
                                self.i += 1;
                                let k = self.key()?;
                                if let Some(Open::Map { key, .. }) = stack.last_mut() {
                                    *key = Some(k);
                                }
                                break;
                            }
                            Some(b'}') => {
                                self.i += 1;
                                stack.pop();
                                let map = Map {
                                    entries: entries.split_off(start),
                                };
                                done = Node::new(Value::Map(map), span);
                            }
                            _ => return Err(self.unexpected(self.i, "',' or '}'")),
                        }
                    }
                }
            }
        }
    }

    /// An object key and its colon.
    fn key(&mut self) -> Result<Node, ConfigError> {
        self.ws();
        if self.b.get(self.i) != Some(&b'"') {
            return Err(self.unexpected(self.i, "a string key"));
        }
        let span = self.loc.span(self.i);
        let key = self.string()?;
        self.ws();
        if self.b.get(self.i) != Some(&b':') {
            return Err(self.unexpected(self.i, "':'"));
        }
        self.i += 1;
        Ok(Node::new(Value::String(key), span))
    }

    fn deeper(&mut self, at: usize, depth: usize) -> Result<(), ConfigError> {
        if depth >= self.max_depth {
            let span = self.loc.span(at);
            return Err(ConfigError::TooDeep {
                line: span.line,
                column: span.column,
                limit: self.max_depth,
            });
        }
        Ok(())
    }

    fn literal(&mut self, word: &str, value: Value) -> Result<Value, ConfigError> {
        if self.b[self.i..].starts_with(word.as_bytes()) {
            self.i += word.len();
            Ok(value)
        } else {
            Err(self.unexpected(self.i, "a JSON value"))
        }
    }

    fn number(&mut self) -> Result<Value, ConfigError> {
        let start = self.i;
        let b = self.b;
        let mut i = start;
        if b.get(i) == Some(&b'-') {
            i += 1;
        }
        match b.get(i) {
            Some(b'0') => i += 1,
            Some(b'1'..=b'9') => {
                while b.get(i).is_some_and(u8::is_ascii_digit) {
                    i += 1;
                }
            }
            _ => return Err(self.unexpected(i, "a digit")),
        }
        let mut integer = true;
        if b.get(i) == Some(&b'.') {
            integer = false;
            i += 1;
            if !b.get(i).is_some_and(u8::is_ascii_digit) {
                return Err(self.unexpected(i, "a digit after '.'"));
            }
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
        }
        if matches!(b.get(i), Some(b'e' | b'E')) {
            integer = false;
            i += 1;
            if matches!(b.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            if !b.get(i).is_some_and(u8::is_ascii_digit) {
                return Err(self.unexpected(i, "a digit in the exponent"));
            }
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
        }
        self.i = i;
        let digits = &self.text[start..i];
        if integer && let Ok(n) = digits.parse::<i64>() {
            return Ok(Value::Int(n));
        }
        match digits.parse::<f64>() {
            Ok(f) if f.is_finite() => Ok(Value::Float(f)),
            _ => Err(self.err(start, "number out of range")),
        }
    }

    /// A string starting at the opening quote; leaves `i` after the closing quote.
    fn string(&mut self) -> Result<Str, ConfigError> {
        let b = self.b;
        let mut i = self.i + 1;
        let mut run = i;
        let mut out = String::new();
        // Fast path: no escape before the closing quote.
        while let Some(&c) = b.get(i) {
            if c == b'"' || c == b'\\' || c < 0x20 {
                break;
            }
            i += 1;
        }
        if b.get(i) == Some(&b'"') {
            self.i = i + 1;
            return Ok(Str::from(&self.text[run..i]));
        }
        loop {
            // Fast scan to the next quote, backslash or control character.
            while let Some(&c) = b.get(i) {
                if c == b'"' || c == b'\\' || c < 0x20 {
                    break;
                }
                i += 1;
            }
            match b.get(i) {
                Some(b'"') => {
                    out.push_str(&self.text[run..i]);
                    self.i = i + 1;
                    return Ok(Str::from(out));
                }
                Some(b'\\') => {
                    out.push_str(&self.text[run..i]);
                    let esc = i;
                    i += 1;
                    match b.get(i) {
                        Some(b'"') => out.push('"'),
                        Some(b'\\') => out.push('\\'),
                        Some(b'/') => out.push('/'),
                        Some(b'b') => out.push('\u{8}'),
                        Some(b'f') => out.push('\u{c}'),
                        Some(b'n') => out.push('\n'),
                        Some(b'r') => out.push('\r'),
                        Some(b't') => out.push('\t'),
                        Some(b'u') => {
                            let hi = self.hex4(i + 1)?;
                            i += 4;
                            let c = if (0xD800..0xDC00).contains(&hi) {
                                if b.get(i + 1) != Some(&b'\\') || b.get(i + 2) != Some(&b'u') {
                                    return Err(self.err(esc, "lone surrogate in \\u escape"));
                                }
                                let lo = self.hex4(i + 3)?;
                                if !(0xDC00..0xE000).contains(&lo) {
                                    return Err(self.err(esc, "lone surrogate in \\u escape"));
                                }
                                i += 6;
                                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                            } else {
                                hi
                            };
                            match char::from_u32(c) {
                                Some(c) => out.push(c),
                                None => return Err(self.err(esc, "lone surrogate in \\u escape")),
                            }
                        }
                        _ => return Err(self.err(esc, "invalid escape")),
                    }
                    i += 1;
                    run = i;
                }
                Some(_) => return Err(self.err(i, "control character in string")),
                None => return Err(self.err(self.i, "unterminated string")),
            }
        }
    }

    fn hex4(&mut self, at: usize) -> Result<u32, ConfigError> {
        let digits = self.b.get(at..at + 4).unwrap_or(&[]);
        if digits.len() == 4 && digits.iter().all(u8::is_ascii_hexdigit) {
            let mut v = 0u32;
            for &d in digits {
                v = v * 16 + (d as char).to_digit(16).unwrap_or(0);
            }
            Ok(v)
        } else {
            Err(self.err(at, "expected four hex digits in \\u escape"))
        }
    }
}
