//! Reading expert responses: a JSON array of records, or JSON Lines (one record per line).
//!
//! Every record is checked field by field, and a problem is an error naming the record (0-based,
//! as in every index the consensus reports), the line where the input is JSON Lines, and the
//! field. Nothing is dropped silently. Fields that are not part of the format are ignored.

use serde_json::{Map, Value};

use super::ConsensusError;

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
pub fn parse_responses(text: &str) -> Result<Vec<Response>, ConsensusError> {
    let trimmed = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    if trimmed.starts_with('[') {
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
            .iter()
            .enumerate()
            .map(|(record, v)| response_from(v, record, None))
            .collect()
    } else {
        let mut out = Vec::new();
        for (k, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let value: Value = serde_json::from_str(line).map_err(|e| ConsensusError::Syntax {
                line: k + 1,
                column: e.column(),
                message: e.to_string(),
            })?;
            out.push(response_from(&value, out.len(), Some(k + 1))?);
        }
        Ok(out)
    }
}

fn response_from(
    value: &Value,
    record: usize,
    line: Option<usize>,
) -> Result<Response, ConsensusError> {
    let err = |field: Option<&'static str>, problem: String| ConsensusError::Record {
        record,
        line,
        field,
        problem,
    };
    let Value::Object(map) = value else {
        return Err(err(
            None,
            format!("expected a JSON object, got {}", kind(value)),
        ));
    };
    let string = |field: &'static str| -> Result<String, ConsensusError> {
        match map.get(field) {
            None => Err(err(Some(field), "missing".to_owned())),
            Some(Value::String(s)) => Ok(s.clone()),
            Some(v) => Err(err(
                Some(field),
                format!("expected a string, got {}", kind(v)),
            )),
        }
    };
    let strings = |field: &'static str| -> Result<Vec<String>, ConsensusError> {
        match map.get(field) {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(k, v)| match v {
                    Value::String(s) => Ok(s.clone()),
                    v => Err(err(
                        Some(field),
                        format!("item {k}: expected a string, got {}", kind(v)),
                    )),
                })
                .collect(),
            Some(v) => Err(err(
                Some(field),
                format!("expected an array of strings, got {}", kind(v)),
            )),
        }
    };
    let expert = string("expert")?;
    let content = string("content")?;
    let confidence = match map.get("confidence") {
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
    let recommendations = strings("recommendations")?;
    let limitations = strings("limitations")?;
    let timestamp = match map.get("timestamp") {
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
    let metadata = match map.get("metadata") {
        None | Some(Value::Null) => None,
        Some(Value::Object(m)) => Some(m.clone()),
        Some(v) => {
            return Err(err(
                Some("metadata"),
                format!("expected an object, got {}", kind(v)),
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
