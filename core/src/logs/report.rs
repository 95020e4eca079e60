//! The JSON report of `conclave logs --format json` (and of the npm package's `analyzeLogs` and
//! `LogAnalyzer`): per-input rows, totals, levels, formats, time range, the per-minute histogram,
//! pattern counts and mined templates. Field names and order are the contract; the native CLI and
//! the WASM bindings both build it here so their outputs cannot drift apart.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Level, Summary, Template, time};

/// One input of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileReport {
    pub name: String,
    pub format: &'static str,
    pub bytes: u64,
    pub lines: u64,
}

/// Lines per level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[allow(non_snake_case)]
pub struct Levels {
    pub FATAL: u64,
    pub ERROR: u64,
    pub WARN: u64,
    pub INFO: u64,
    pub DEBUG: u64,
    pub TRACE: u64,
    pub UNKNOWN: u64,
}

/// One mined template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TemplateReport {
    pub template: String,
    pub count: u64,
    pub first_line: u64,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// Number of inputs read (details in `inputs`).
    pub files: u64,
    pub bytes: u64,
    pub lines: u64,
    pub levels: Levels,
    pub formats: BTreeMap<&'static str, u64>,
    pub first: Option<String>,
    pub last: Option<String>,
    pub per_minute: BTreeMap<String, u64>,
    pub patterns: BTreeMap<String, u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub templates: Option<Vec<TemplateReport>>,
    /// One entry per input read, in the order given.
    pub inputs: Vec<FileReport>,
}

/// The report rows of mined templates.
pub fn template_reports(templates: Vec<Template>) -> Vec<TemplateReport> {
    templates
        .into_iter()
        .map(|t| TemplateReport {
            template: t.template,
            count: t.count,
            first_line: t.first_line,
        })
        .collect()
}

/// The report of `files` whose summaries add up to `total`; `patterns` are the (name, regex)
/// pairs the analyser counted, in its order.
pub fn build_report(
    files: Vec<FileReport>,
    total: &Summary,
    patterns: &[(String, String)],
    templates: Option<Vec<TemplateReport>>,
) -> Report {
    Report {
        files: files.len() as u64,
        bytes: total.bytes,
        lines: total.lines,
        levels: Levels {
            FATAL: total.level(Level::Fatal),
            ERROR: total.level(Level::Error),
            WARN: total.level(Level::Warn),
            INFO: total.level(Level::Info),
            DEBUG: total.level(Level::Debug),
            TRACE: total.level(Level::Trace),
            UNKNOWN: total.level(Level::Unknown),
        },
        formats: total.format_counts(),
        first: total.first.map(time::format_second),
        last: total.last.map(time::format_second),
        per_minute: total
            .per_minute
            .iter()
            .map(|(&m, &n)| (time::format_minute(m), n))
            .collect(),
        patterns: patterns
            .iter()
            .zip(total.patterns.iter().chain(std::iter::repeat(&0)))
            .map(|((name, _), &n)| (name.clone(), n))
            .collect(),
        templates,
        inputs: files,
    }
}
