//! Reading expert responses: a JSON array of records, or JSON Lines (one record per line).
//!
//! Every record is checked field by field, and a problem is an error naming the record (0-based,
//! as in every index the consensus reports), the line where the input is JSON Lines, and the
//! field. Nothing is dropped silently. Fields that are not part of the format are ignored.

use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

use super::ConsensusError;
use crate::par;

/// One expert's answer to the shared question.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub expert: String,
    pub content: String,
    /// In [0, 1].
    pub confidence: f64,
    pub recommendations: Vec<String>,
    pub limitations: Vec<String>,
    pub timestamp: Option<i64>,
    pub metadata: Option<Map<String, Value>>,
}

impl Response {
    /// A response with no recommendations, limitations, timestamp or metadata.
    pub fn new(expert: &str, content: &str, confidence: f64) -> Response {
        Response {
            expert: expert.to_owned(),
            content: content.to_owned(),
            confidence,
            recommendations: Vec::new(),
            limitations: Vec::new(),
            timestamp: None,
            metadata: None,
        }
    }
}

/// Parses a JSON array of response records, or JSON Lines of them (blank lines are skipped).
///
/// Records are parsed and checked as independent tasks: a JSON array is first cut into its
/// elements by [`split_array`], JSON Lines into lines. An input the cut does not take, or with a
/// syntax error anywhere, is parsed again whole, in order, so that every error is the one the
/// sequential reading meets first.
pub fn parse_responses(text: &str) -> Result<Vec<Response>, ConsensusError> {
    let trimmed = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    if trimmed.starts_with('[') {
        if let Some(records) = split_array(text) {
            let parsed = par::map_tasks(records.len(), |record| {
                if let Some(fields) = Fields::read(records[record]) {
                    return Some(response_from_fields(fields, record, None));
                }
                let value: Value = serde_json::from_str(records[record]).ok()?;
                Some(response_from(value, record, None))
            });
            if let Some(parsed) = parsed.into_iter().collect::<Option<Vec<_>>>() {
                return parsed.into_iter().collect();
            }
        }
        parse_array_serially(text)
    } else {
        let lines: Vec<(usize, &str)> = text
            .lines()
            .enumerate()
            .filter(|(_, line)| !line.trim().is_empty())
            .collect();
        par::map_tasks(lines.len(), |record| {
            let (k, line) = lines[record];
            if let Some(fields) = Fields::read(line) {
                return response_from_fields(fields, record, Some(k + 1));
            }
            let value: Value = serde_json::from_str(line).map_err(|e| ConsensusError::Syntax {
                line: k + 1,
                column: e.column(),
                message: e.to_string(),
            })?;
            response_from(value, record, Some(k + 1))
        })
        .into_iter()
        .collect()
    }
}

/// A JSON array parsed whole, then its records checked in order.
fn parse_array_serially(text: &str) -> Result<Vec<Response>, ConsensusError> {
    let value: Value = serde_json::from_str(text).map_err(|e| ConsensusError::Syntax {
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })?;
    let Value::Array(records) = value else {
        return Err(ConsensusError::Syntax {
            line: 1,
            column: 1,
            message: "expected a JSON array of response objects".to_owned(),
        });
    };
    records
        .into_iter()
        .enumerate()
        .map(|(record, v)| response_from(v, record, None))
        .collect()
}

/// Nesting deeper than this is left to the whole-document parse (whose recursion limit counts the
/// array itself).
const MAX_SPLIT_DEPTH: usize = 64;

/// The elements of a JSON array as slices of `text`, or `None` when `text` is not
/// `[ element, ... ]` (JSON white space around) with elements cut at commas outside strings and
/// brackets, non-empty and nested at most [`MAX_SPLIT_DEPTH`] deep. Elements are not checked:
/// when each of them then parses as a JSON value, `text` is exactly a JSON array of them.
fn split_array(text: &str) -> Option<Vec<&str>> {
    let b = text.as_bytes();
    let ws = |c: u8| matches!(c, b' ' | b'\t' | b'\r' | b'\n');
    let mut i = b.iter().position(|&c| !ws(c))?;
    if b[i] != b'[' {
        return None;
    }
    i += 1;
    let mut out = Vec::new();
    let mut start = i;
    let mut depth = 0usize;
    let element = |from: usize, to: usize| -> Option<&str> {
        let e = text.get(from..to)?.trim_matches([' ', '\t', '\r', '\n']);
        (!e.is_empty()).then_some(e)
    };
    while i < b.len() {
        match b[i] {
            b'"' => {
                // To the closing quote, skipping escaped characters.
                i += 1;
                loop {
                    i += memchr::memchr2(b'"', b'\\', b.get(i..)?)?;
                    if b[i] == b'"' {
                        break;
                    }
                    i += 2;
                }
            }
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_SPLIT_DEPTH {
                    return None;
                }
            }
            b']' | b'}' if depth > 0 => depth -= 1,
            b']' => {
                match element(start, i) {
                    Some(e) => out.push(e),
                    None if out.is_empty() => {}
                    None => return None,
                }
                return b[i + 1..].iter().all(|&c| ws(c)).then_some(out);
            }
            b',' if depth == 0 => {
                out.push(element(start, i)?);
                start = i + 1;
            }
            b'}' => return None,
            _ => {}
        }
        i += 1;
    }
    None
}

/// The fields of a record that the format reads, each `None` when absent (and `Some(Null)` for
/// JSON null, which is not the same).
#[derive(Debug, Default, Deserialize)]
struct Fields {
    #[serde(default, deserialize_with = "present")]
    expert: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    content: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    confidence: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    recommendations: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    limitations: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    timestamp: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    metadata: Option<Value>,
}

fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

impl Fields {
    /// A record's fields read straight from its JSON text, when it is an object that names each
    /// field at most once; `None` otherwise (a syntax error, another kind of value, a repeated
    /// key: the record is then read as a [`Value`], which keeps the last of repeated keys).
    /// Reading them straight allocates only the field values the record keeps (two strings for a
    /// plain response) instead of a map with its nodes and a string per key: records are read in
    /// parallel, and in threaded WebAssembly every allocation takes the allocator's global lock
    /// (issue #9).
    fn read(text: &str) -> Option<Fields> {
        if !text
            .trim_start_matches([' ', '\t', '\r', '\n'])
            .starts_with('{')
        {
            return None;
        }
        serde_json::from_str(text).ok()
    }
}

fn response_from(
    value: Value,
    record: usize,
    line: Option<usize>,
) -> Result<Response, ConsensusError> {
    let Value::Object(mut map) = value else {
        return Err(ConsensusError::Record {
            record,
            line,
            field: None,
            problem: format!("expected a JSON object, got {}", kind(&value)),
        });
    };
    let fields = Fields {
        expert: map.remove("expert"),
        content: map.remove("content"),
        confidence: map.remove("confidence"),
        recommendations: map.remove("recommendations"),
        limitations: map.remove("limitations"),
        timestamp: map.remove("timestamp"),
        metadata: map.remove("metadata"),
    };
    response_from_fields(fields, record, line)
}

fn response_from_fields(
    fields: Fields,
    record: usize,
    line: Option<usize>,
) -> Result<Response, ConsensusError> {
    let err = |field: Option<&'static str>, problem: String| ConsensusError::Record {
        record,
        line,
        field,
        problem,
    };
    let string = |value: Option<Value>, field: &'static str| match value {
        None => Err(err(Some(field), "missing".to_owned())),
        Some(Value::String(s)) => Ok(s),
        Some(v) => Err(err(
            Some(field),
            format!("expected a string, got {}", kind(&v)),
        )),
    };
    let strings = |value: Option<Value>, field: &'static str| match value {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .into_iter()
            .enumerate()
            .map(|(k, v)| match v {
                Value::String(s) => Ok(s),
                v => Err(err(
                    Some(field),
                    format!("item {k}: expected a string, got {}", kind(&v)),
                )),
            })
            .collect(),
        Some(v) => Err(err(
            Some(field),
            format!("expected an array of strings, got {}", kind(&v)),
        )),
    };
    let expert = string(fields.expert, "expert")?;
    let content = string(fields.content, "content")?;
    let confidence = match &fields.confidence {
        None => return Err(err(Some("confidence"), "missing".to_owned())),
        Some(Value::Number(n)) => match n.as_f64() {
            Some(c) if (0.0..=1.0).contains(&c) => c,
            _ => {
                return Err(err(
                    Some("confidence"),
                    format!("expected a number in [0, 1], got {n}"),
                ));
            }
        },
        Some(v) => {
            return Err(err(
                Some("confidence"),
                format!("expected a number in [0, 1], got {}", kind(v)),
            ));
        }
    };
    let recommendations = strings(fields.recommendations, "recommendations")?;
    let limitations = strings(fields.limitations, "limitations")?;
    let timestamp = match &fields.timestamp {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) => match n.as_i64() {
            Some(t) => Some(t),
            None => {
                return Err(err(
                    Some("timestamp"),
                    format!("expected an integer, got {n}"),
                ));
            }
        },
        Some(v) => {
            return Err(err(
                Some("timestamp"),
                format!("expected an integer, got {}", kind(v)),
            ));
        }
    };
    let metadata = match fields.metadata {
        None | Some(Value::Null) => None,
        Some(Value::Object(m)) => Some(m),
        Some(v) => {
            return Err(err(
                Some("metadata"),
                format!("expected an object, got {}", kind(&v)),
            ));
        }
    };
    Ok(Response {
        expert,
        content,
        confidence,
        recommendations,
        limitations,
        timestamp,
        metadata,
    })
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_array_cuts_at_top_level_commas_only() {
        let text = " [ {\"a\": \"x, ] } [\\\" \\\\\"}, [1, [2]] ,\n\"s\\\\\" , 3 ]\n";
        assert_eq!(
            split_array(text).unwrap(),
            [
                "{\"a\": \"x, ] } [\\\" \\\\\"}",
                "[1, [2]]",
                "\"s\\\\\"",
                "3"
            ]
        );
        assert_eq!(split_array("[]").unwrap(), Vec::<&str>::new());
        assert_eq!(split_array(" [ \n ] ").unwrap(), Vec::<&str>::new());
        for bad in [
            "",
            "[",
            "[1",
            "[1,]",
            "[,1]",
            "[1,,2]",
            "[1] x",
            "[1]]",
            "[}]",
            "{}",
            "[\"open]",
            "\u{feff}[1]",
        ] {
            assert_eq!(split_array(bad), None, "{bad:?}");
        }
        let deep = format!("[{}{}]", "[".repeat(70), "]".repeat(70));
        assert_eq!(split_array(&deep), None);
    }

    /// The corpora folder, found by walking up from this crate's manifest directory.
    fn corpora() -> std::path::PathBuf {
        let mut dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        loop {
            for candidate in [dir.join("shared/corpora"), dir.join("../shared/corpora")] {
                if candidate.is_dir() {
                    return candidate;
                }
            }
            assert!(dir.pop(), "no shared/corpora above the crate");
        }
    }

    /// Single records, most of them odd, each on one line.
    const RECORDS: &[&str] = &[
        r#"{"expert": "a", "content": "x", "confidence": 0.5}"#,
        r#" {"exp\u0065rt": "a", "content": "x", "confidence": 0.5, "other": [[{"k": null}]]}"#,
        r#"{"expert": null, "content": "x", "confidence": 0.5}"#,
        r#"{"expert": "a", "content": null, "confidence": 0.5}"#,
        r#"{"expert": "a", "content": "x", "confidence": null}"#,
        r#"{"expert": "a", "content": "x", "confidence": "0.5"}"#,
        r#"{"expert": "a", "content": "x", "confidence": 1e-1, "timestamp": null, "metadata": null}"#,
        r#"{"expert": "a", "content": "x", "confidence": 0.5, "timestamp": 1.5}"#,
        r#"{"expert": "a", "content": "x", "confidence": 0.5, "timestamp": -7}"#,
        r#"{"expert": "a", "content": "x", "confidence": 0.5, "metadata": [1]}"#,
        r#"{"expert": "a", "content": "x", "confidence": 0.5, "metadata": {"m": {}}}"#,
        r#"{"expert": "a", "content": "x", "confidence": 0.5, "recommendations": ["r", null]}"#,
        r#"{"expert": "a", "content": "x", "confidence": 0.5, "limitations": "l"}"#,
        r#"{"expert": "a", "content": "x", "confidence": 0.5, "limitations": ["l", "m"]}"#,
        r#"{"expert": "a", "content": "x", "content": "y", "confidence": 0.5}"#,
        r#"{"confidence": 0.5, "content": "x"}"#,
        r#"{}"#,
        r#"{"expert": "a", "content": "x", "confidence": 0.5"#,
        r#"["a", "x", 0.5]"#,
        r#""text""#,
    ];

    /// JSON Lines records (read field by field when they can be) give what the same record gives
    /// read as a whole value in an array, up to the line number in errors.
    #[test]
    fn json_lines_records_match_whole_value_records() {
        // A text starting with `[` is read as one JSON array, not as JSON Lines.
        for record in RECORDS.iter().filter(|r| !r.starts_with('[')) {
            let whole = parse_array_serially(&format!("[{record}]"));
            let lines = parse_responses(record).map_err(|e| match e {
                ConsensusError::Record {
                    record,
                    line: Some(1),
                    field,
                    problem,
                } => ConsensusError::Record {
                    record,
                    line: None,
                    field,
                    problem,
                },
                other => other,
            });
            match (&lines, &whole) {
                (Err(ConsensusError::Syntax { .. }), Err(ConsensusError::Syntax { .. })) => {}
                _ => assert_eq!(lines, whole, "{record}"),
            }
        }
    }

    /// Reading plain records allocates what each response keeps (its expert and content
    /// strings) and one more, not a map with a string per key (issue #9).
    #[test]
    fn reading_plain_records_allocates_little_per_record() {
        let records: Vec<String> = (0..200)
            .map(|k| format!(r#"{{"expert": "e{k}", "content": "c{k}", "confidence": 0.5}}"#))
            .collect();
        for text in [format!("[{}]", records.join(",")), records.join("\n")] {
            let (parsed, made) = crate::alloc_count::counted(|| parse_responses(&text));
            assert_eq!(parsed.map(|r| r.len()), Ok(records.len()));
            assert!(made <= 3 * records.len() + 64, "{made} allocations");
        }
    }

    /// The record-parallel reading gives what the whole-document reading gives, errors included,
    /// on hand-made arrays and on every array document of JSONTestSuite.
    #[test]
    fn parallel_reading_matches_the_whole_document_reading() {
        let mut texts: Vec<String> = vec![
            r#"[{"expert": "a", "content": "x, [y] {z}", "confidence": 0.5,
                "recommendations": ["r\"1"], "limitations": null, "timestamp": 3,
                "metadata": {"k": [1, {"v": "]"}]}},
               {"expert": "b", "content": "\u00e9\n", "confidence": 1}]"#
                .to_owned(),
            r#"[{"expert": "a", "content": "x", "confidence": 0.5}, {"expert": "b"}]"#.to_owned(),
            r#"[{"expert": "a", "content": "x", "confidence": 1.5}, {"oops"}]"#.to_owned(),
            r#"[{"expert": "a", "content": 1, "confidence": 0.5}, 7, []]"#.to_owned(),
            r#"[{"expert": "a", "content": "x", "confidence": 0.5, "expert": 2}]"#.to_owned(),
            "[{\"expert\": \"a\",\n \"content\": \"x\", \"confidence\": 0.5}\n,\n{\"e\": 1 2}]"
                .to_owned(),
            format!(
                "[{}{}]",
                "{\"expert\": \"a\", \"content\": \"x\", \"confidence\": 0.5, \"metadata\": ",
                format!("{}1{}}}", "[".repeat(126), "]".repeat(126))
            ),
        ];
        // Records read field by field ([`Fields`]) and as a whole value must agree: JSON null
        // is not absence, escaped keys name the same fields, other keys are skipped.
        texts.extend(RECORDS.iter().map(|r| format!("[{r}]")));
        texts.push(format!("[{}]", RECORDS.join(",")));
        let dir = corpora().join("JSONTestSuite/test_parsing");
        let mut paths: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .collect();
        paths.sort();
        let suite = paths.len();
        for path in paths {
            let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
            texts.push(text);
        }
        let mut arrays = 0;
        for text in &texts {
            let trimmed = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
            if !trimmed.starts_with('[') {
                continue;
            }
            arrays += 1;
            assert_eq!(
                parse_responses(text),
                parse_array_serially(text),
                "{text:?}"
            );
        }
        assert!(
            suite > 300 && arrays > 200,
            "{suite} files, {arrays} arrays"
        );
    }
}
