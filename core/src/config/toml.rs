//! TOML 1.0 into the value tree through `toml_edit` (which checks the whole grammar, duplicate
//! keys and table redefinitions, and keeps a byte span on every parsed item; it skips one leading byte-order mark itself). Tables that exist
//! only through a dotted header or key have no span of their own and take their key's.

use toml_edit::{ImDocument, Item, Table, Value as TValue};

use super::{ConfigError, DateTimeKind, Format, Limits, Locator, Map, Node, Span, Value};

/// Parses one TOML document.
pub(crate) fn parse(text: &str, limits: &Limits) -> Result<Node, ConfigError> {
    parse_with(text, limits, &mut Locator::new(text))
}

/// [`parse`] with the caller's [`Locator`] over `text` (tests read its work count).
pub(crate) fn parse_with(
    text: &str,
    limits: &Limits,
    loc: &mut Locator<'_>,
) -> Result<Node, ConfigError> {
    // toml_edit's recursion limit is 80 levels of inline nesting unless built `unbounded`;
    // our own depth limit applies on top of it while building the tree.
    let doc = ImDocument::parse(text).map_err(|e| {
        let at = e.span().map_or(0, |r| r.start);
        let span = loc.span(at);
        ConfigError::Syntax {
            format: Format::Toml,
            line: span.line,
            column: span.column,
            reason: e.message().trim().to_owned(),
        }
    })?;
    let mut b = Builder { loc, limits };
    let root = b.table(doc.as_table(), Span { line: 1, column: 1 }, 0)?;
    Ok(root)
}

struct Builder<'a, 'l> {
    loc: &'a mut Locator<'l>,
    limits: &'a Limits,
}

impl Builder<'_, '_> {
    fn at(&mut self, range: Option<std::ops::Range<usize>>, fallback: Span) -> Span {
        match range {
            Some(r) => self.loc.span(r.start),
            None => fallback,
        }
    }

    fn check_depth(&self, depth: usize, span: Span) -> Result<(), ConfigError> {
        if depth >= self.limits.max_depth {
            return Err(ConfigError::TooDeep {
                line: span.line,
                column: span.column,
                limit: self.limits.max_depth,
            });
        }
        Ok(())
    }

    fn table(&mut self, t: &Table, fallback: Span, depth: usize) -> Result<Node, ConfigError> {
        let span = self.at(t.span(), fallback);
        self.check_depth(depth, span)?;
        let mut map = Map::default();
        for (name, item) in t.iter() {
            let kspan = match t.key(name) {
                Some(k) => self.at(k.span(), span),
                None => span,
            };
            let key = Node::new(Value::String(name.into()), kspan);
            let value = self.item(item, kspan, depth + 1)?;
            map.entries.push((key, value));
        }
        Ok(Node::new(Value::Map(map), span))
    }

    fn item(&mut self, item: &Item, fallback: Span, depth: usize) -> Result<Node, ConfigError> {
        match item {
            Item::None => Ok(Node::new(Value::Null, fallback)),
            Item::Value(v) => self.value(v, fallback, depth),
            Item::Table(t) => self.table(t, fallback, depth),
            Item::ArrayOfTables(a) => {
                let span = self.at(a.span(), fallback);
                self.check_depth(depth, span)?;
                let mut items = Vec::with_capacity(a.len());
                for t in a.iter() {
                    items.push(self.table(t, span, depth + 1)?);
                }
                Ok(Node::new(Value::List(items), span))
            }
        }
    }

    fn value(&mut self, v: &TValue, fallback: Span, depth: usize) -> Result<Node, ConfigError> {
        let span = self.at(v.span(), fallback);
        let value = match v {
            TValue::String(s) => Value::String(s.value().as_str().into()),
            TValue::Integer(i) => Value::Int(*i.value()),
            TValue::Float(f) => Value::Float(*f.value()),
            TValue::Boolean(b) => Value::Bool(*b.value()),
            TValue::Datetime(d) => {
                let d = d.value();
                let kind = match (d.date.is_some(), d.time.is_some(), d.offset.is_some()) {
                    (true, true, true) => DateTimeKind::OffsetDateTime,
                    (true, true, false) => DateTimeKind::LocalDateTime,
                    (true, false, _) => DateTimeKind::LocalDate,
                    _ => DateTimeKind::LocalTime,
                };
                Value::DateTime {
                    kind,
                    text: d.to_string().into(),
                }
            }
            TValue::Array(a) => {
                self.check_depth(depth, span)?;
                let mut items = Vec::with_capacity(a.len());
                for x in a.iter() {
                    items.push(self.value(x, span, depth + 1)?);
                }
                Value::List(items)
            }
            TValue::InlineTable(t) => {
                self.check_depth(depth, span)?;
                let mut map = Map::default();
                for (name, x) in t.iter() {
                    let kspan = match t.key(name) {
                        Some(k) => self.at(k.span(), span),
                        None => span,
                    };
                    let key = Node::new(Value::String(name.into()), kspan);
                    let value = self.value(x, kspan, depth + 1)?;
                    map.entries.push((key, value));
                }
                Value::Map(map)
            }
        };
        Ok(Node::new(value, span))
    }
}
