//! Parsing series from text: CSV with a header, a JSON array of numbers, or JSON Lines
//! `{"id": ..., "values": [...]}`. The format is chosen by the first non-blank character
//! (`[` JSON array, `{` JSON Lines, anything else CSV).
//!
//! CSV: the first line names the columns; a column is a series when its first non-empty data cell
//! parses as a number (other columns, such as timestamps or labels, are ignored), or exactly the
//! column named by `column`. Fields are separated by commas, may be double-quoted (`""` escapes a quote),
//! and may not span lines. Empty lines are skipped. A value that is not a finite number is an
//! error naming its line and column, or, with `skip_invalid`, is left out of its series (counted in
//! [`Series::skipped`]).

use std::fmt;

use serde_json::Value;

/// One named series.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// The CSV column name, the JSON Lines `id` (or `line N`), or `values` for a JSON array.
    pub id: String,
    pub values: Vec<f64>,
    /// Values left out by `skip_invalid`.
    pub skipped: usize,
}

/// Why the input cannot be read as series. Lines and columns count from 1.
#[derive(Debug, Clone, PartialEq)]
pub enum InputError {
    /// Malformed JSON.
    Json {
        line: usize,
        column: usize,
        message: String,
    },
    /// A JSON value that is not a number.
    NotANumber {
        line: usize,
        index: usize,
        found: String,
    },
    /// A JSON Lines record without a `values` array of numbers, or with a bad `id`.
    Record { line: usize, message: String },
    /// A CSV line with the wrong number of fields, or an unclosed quote.
    CsvShape { line: usize, message: String },
    /// A CSV cell that is not a finite number.
    CsvCell {
        line: usize,
        column: usize,
        name: String,
        cell: String,
    },
    /// `column` is not in the CSV header.
    NoSuchColumn { name: String, columns: Vec<String> },
    /// No CSV column holds numbers.
    NoNumericColumn,
    /// `column` was given for JSON input.
    ColumnWithoutCsv,
    /// The input has no header line.
    Empty,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Json {
                line,
                column,
                message,
            } => write!(f, "line {line}, column {column}: invalid JSON: {message}"),
            Self::NotANumber { line, index, found } => write!(
                f,
                "line {line}, value {index}: expected a finite number, found {found}"
            ),
            Self::Record { line, message } => write!(f, "line {line}: {message}"),
            Self::CsvShape { line, message } => write!(f, "line {line}: {message}"),
            Self::CsvCell {
                line,
                column,
                name,
                cell,
            } => write!(
                f,
                "line {line}, column {column} ({name}): {cell:?} is not a finite number"
            ),
            Self::NoSuchColumn { name, columns } => write!(
                f,
                "no column named {name:?}; the header has: {}",
                columns.join(", ")
            ),
            Self::NoNumericColumn => write!(f, "no CSV column holds numbers"),
            Self::ColumnWithoutCsv => write!(f, "a column can only be chosen in CSV input"),
            Self::Empty => write!(f, "the input is empty"),
        }
    }
}

impl std::error::Error for InputError {}

/// Parses `text` into series (see the module doc).
pub fn parse(
    text: &str,
    column: Option<&str>,
    skip_invalid: bool,
) -> Result<Vec<Series>, InputError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match text.trim_start().chars().next() {
        None => Err(InputError::Empty),
        Some('[') if column.is_none() => parse_json_array(text, skip_invalid),
        Some('{') if column.is_none() => parse_json_lines(text, skip_invalid),
        Some('[' | '{') => Err(InputError::ColumnWithoutCsv),
        Some(_) => parse_csv(text, column, skip_invalid),
    }
}

fn json_error(e: &serde_json::Error, line_offset: usize) -> InputError {
    InputError::Json {
        line: e.line() + line_offset,
        column: e.column(),
        message: e.to_string(),
    }
}

/// The finite numbers of a JSON array found on `line` (for messages), and how many were skipped.
fn numbers(
    items: &[Value],
    line: usize,
    skip_invalid: bool,
) -> Result<(Vec<f64>, usize), InputError> {
    let mut values = Vec::with_capacity(items.len());
    let mut skipped = 0;
    for (index, item) in items.iter().enumerate() {
        match item.as_f64().filter(|v| v.is_finite()) {
            Some(v) => values.push(v),
            None if skip_invalid => skipped += 1,
            None => {
                return Err(InputError::NotANumber {
                    line,
                    index,
                    found: short(item),
                });
            }
        }
    }
    Ok((values, skipped))
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 40 {
        format!("{}...", s.chars().take(40).collect::<String>())
    } else {
        s
    }
}

fn parse_json_array(text: &str, skip_invalid: bool) -> Result<Vec<Series>, InputError> {
    let items: Vec<Value> = serde_json::from_str(text).map_err(|e| json_error(&e, 0))?;
    let line = text.len() - text.trim_start().len();
    let line = text[..line].matches('\n').count() + 1;
    let (values, skipped) = numbers(&items, line, skip_invalid)?;
    Ok(vec![Series {
        id: "values".to_owned(),
        values,
        skipped,
    }])
}

fn parse_json_lines(text: &str, skip_invalid: bool) -> Result<Vec<Series>, InputError> {
    let mut out = Vec::new();
    for (k, raw) in text.lines().enumerate() {
        let line = k + 1;
        if raw.trim().is_empty() {
            continue;
        }
        let record: Value = serde_json::from_str(raw).map_err(|e| json_error(&e, k))?;
        let Value::Object(map) = record else {
            return Err(InputError::Record {
                line,
                message: "expected an object {\"id\": ..., \"values\": [...]}".to_owned(),
            });
        };
        let id = match map.get("id") {
            None | Some(Value::Null) => format!("line {line}"),
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            Some(other) => {
                return Err(InputError::Record {
                    line,
                    message: format!(
                        "\"id\" must be a string or a number, found {}",
                        short(other)
                    ),
                });
            }
        };
        let Some(Value::Array(items)) = map.get("values") else {
            return Err(InputError::Record {
                line,
                message: "expected a \"values\" array".to_owned(),
            });
        };
        let (values, skipped) = numbers(items, line, skip_invalid)?;
        out.push(Series {
            id,
            values,
            skipped,
        });
    }
    Ok(out)
}

/// Splits one CSV line into fields (double quotes, `""` escapes).
fn split_csv(line: &str, number: usize) -> Result<Vec<String>, InputError> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut chars = line.chars().peekable();
    let mut quoted = false;
    let mut at_start = true;
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    field.push('"');
                } else {
                    quoted = false;
                }
            } else {
                field.push(c);
            }
        } else if c == '"' && at_start {
            quoted = true;
            at_start = false;
        } else if c == ',' {
            fields.push(std::mem::take(&mut field));
            at_start = true;
        } else {
            if !c.is_whitespace() {
                at_start = false;
            }
            field.push(c);
        }
    }
    if quoted {
        return Err(InputError::CsvShape {
            line: number,
            message: "unclosed double quote".to_owned(),
        });
    }
    fields.push(field);
    Ok(fields)
}

fn number(cell: &str) -> Option<f64> {
    cell.trim().parse::<f64>().ok()
}

fn parse_csv(
    text: &str,
    column: Option<&str>,
    skip_invalid: bool,
) -> Result<Vec<Series>, InputError> {
    let mut rows = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(k, l)| split_csv(l, k + 1).map(|f| (k + 1, f)));
    let (_, header) = rows.next().ok_or(InputError::Empty)??;
    let header: Vec<String> = header.iter().map(|h| h.trim().to_owned()).collect();
    let rows: Vec<(usize, Vec<String>)> = rows.collect::<Result<_, _>>()?;
    for (line, fields) in &rows {
        if fields.len() != header.len() {
            return Err(InputError::CsvShape {
                line: *line,
                message: format!(
                    "expected {} fields as in the header, found {}",
                    header.len(),
                    fields.len()
                ),
            });
        }
    }
    let chosen: Vec<usize> = match column {
        Some(name) => match header.iter().position(|h| h == name) {
            Some(i) => vec![i],
            None => {
                return Err(InputError::NoSuchColumn {
                    name: name.to_owned(),
                    columns: header,
                });
            }
        },
        None => {
            let chosen: Vec<usize> = (0..header.len())
                .filter(|&i| {
                    rows.iter()
                        .map(|(_, f)| f[i].trim())
                        .find(|c| !c.is_empty())
                        .is_some_and(|c| number(c).is_some())
                })
                .collect();
            if chosen.is_empty() && !rows.is_empty() {
                return Err(InputError::NoNumericColumn);
            }
            chosen
        }
    };
    let mut out = Vec::with_capacity(chosen.len());
    for c in chosen {
        let mut values = Vec::with_capacity(rows.len());
        let mut skipped = 0;
        for (line, fields) in &rows {
            match number(&fields[c]).filter(|v| v.is_finite()) {
                Some(v) => values.push(v),
                None if skip_invalid => skipped += 1,
                None => {
                    return Err(InputError::CsvCell {
                        line: *line,
                        column: c + 1,
                        name: header[c].clone(),
                        cell: fields[c].clone(),
                    });
                }
            }
        }
        out.push(Series {
            id: header[c].clone(),
            values,
            skipped,
        });
    }
    Ok(out)
}
