//! Log analysis: levels, formats, a per-minute histogram, pattern counts and Drain-style templates,
//! in one pass over bytes.
//!
//! The pass works on chunks: [`Analyzer::analyse`] turns any byte range into a [`Partial`], and
//! [`Analyzer::merge`] joins two adjacent partials, analysing the line that crosses their edge
//! exactly once. Merging is associative, so a file can be cut anywhere, its pieces analysed on any
//! number of threads and folded in order; [`Analyzer::finish`] turns the fold into a [`Summary`].
//! When the whole input is in memory, [`line_pieces`] cuts it at line ends and
//! [`Analyzer::analyse_lines`] counts each piece without copying ([`Analyzer::analyse_parallel`]);
//! summaries add up exactly ([`Summary::add`]). The caller detects the format once per file from its first
//! bytes ([`detect`]) and passes the year for formats that print none (default [`DEFAULT_YEAR`]).
//!
//! Levels come from the format's level field only (an INFO line whose message says "error" is INFO);
//! see [`Level::from_word`] for the synonyms. Lines that do not have the file format's shape, and
//! empty lines, count as UNKNOWN level and `unknown` format. Lines are split on `\n` with memchr;
//! a trailing `\r` is ignored. Pattern regexes (the `regex` crate, which searches a whole chunk with
//! literal prefilters) count lines with at least one match.

pub mod formats;
pub mod report;
mod structured;
pub mod templates;
pub mod time;

use std::collections::BTreeMap;
use std::fmt;

pub use formats::{Format, Parsed, detect, message, parse};
pub use templates::{Template, TemplateMiner};

/// The year used for formats without one (Android, BSD syslog, Proxifier) when the caller gives
/// none: 2000, a leap year, so that `Feb 29` lines always have a date.
pub const DEFAULT_YEAR: i32 = 2000;

/// A normalised level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Fatal,
    Error,
    Warn,
    Info,
    Debug,
    Trace,
    Unknown,
}

impl Level {
    /// All levels, in output order.
    pub const ALL: [Level; 7] = [
        Level::Fatal,
        Level::Error,
        Level::Warn,
        Level::Info,
        Level::Debug,
        Level::Trace,
        Level::Unknown,
    ];

    /// The level's key in outputs.
    pub fn name(self) -> &'static str {
        match self {
            Level::Fatal => "FATAL",
            Level::Error => "ERROR",
            Level::Warn => "WARN",
            Level::Info => "INFO",
            Level::Debug => "DEBUG",
            Level::Trace => "TRACE",
            Level::Unknown => "UNKNOWN",
        }
    }

    /// A level word, any case. Synonyms: FATAL = CRITICAL, CRIT, EMERG, EMERGENCY, ALERT, PANIC;
    /// ERROR = ERR, SEVERE; WARN = WARNING; INFO = NOTICE, INFORMATION, INFORMATIONAL;
    /// DEBUG = FINE, CONFIG, DBG; TRACE = FINER, FINEST, VERBOSE, Apache's trace1..trace8.
    /// Android's one-letter levels are read by the Android parser only.
    pub fn from_word(word: &[u8]) -> Option<Level> {
        // Words of up to 8 bytes are packed, lowercased, into a u64 and matched as integers: this
        // runs once per line, and a packed compare beats a lowercase copy plus slice matching.
        if word.len() <= 8 {
            let mut packed = 0u64;
            for (i, &b) in word.iter().enumerate() {
                packed |= u64::from(b.to_ascii_lowercase()) << (8 * i);
            }
            const fn pack(w: &[u8]) -> u64 {
                let mut v = 0u64;
                let mut i = 0;
                while i < w.len() {
                    v |= (w[i] as u64) << (8 * i);
                    i += 1;
                }
                v
            }
            const FATAL: [u64; 6] = [
                pack(b"fatal"),
                pack(b"critical"),
                pack(b"crit"),
                pack(b"emerg"),
                pack(b"alert"),
                pack(b"panic"),
            ];
            const ERROR: [u64; 3] = [pack(b"error"), pack(b"err"), pack(b"severe")];
            const WARN: [u64; 2] = [pack(b"warn"), pack(b"warning")];
            const INFO: [u64; 2] = [pack(b"info"), pack(b"notice")];
            const DEBUG: [u64; 4] = [pack(b"debug"), pack(b"fine"), pack(b"config"), pack(b"dbg")];
            const TRACE: [u64; 4] = [
                pack(b"trace"),
                pack(b"finer"),
                pack(b"finest"),
                pack(b"verbose"),
            ];
            if word.is_empty() {
                return None;
            }
            return if INFO.contains(&packed) {
                Some(Level::Info)
            } else if DEBUG.contains(&packed) {
                Some(Level::Debug)
            } else if WARN.contains(&packed) {
                Some(Level::Warn)
            } else if ERROR.contains(&packed) {
                Some(Level::Error)
            } else if TRACE.contains(&packed) {
                Some(Level::Trace)
            } else if FATAL.contains(&packed) {
                Some(Level::Fatal)
            } else if word.len() == 6
                && packed & 0xFF_FFFF_FFFF == pack(b"trace")
                && matches!(word[5], b'1'..=b'8')
            {
                Some(Level::Trace)
            } else {
                None
            };
        }
        if word.eq_ignore_ascii_case(b"emergency") {
            Some(Level::Fatal)
        } else if word.eq_ignore_ascii_case(b"information")
            || word.eq_ignore_ascii_case(b"informational")
        {
            Some(Level::Info)
        } else {
            None
        }
    }

    /// A syslog severity (PRI mod 8): 0-2 FATAL, 3 ERROR, 4 WARN, 5-6 INFO, 7 DEBUG.
    pub fn from_syslog_severity(severity: u8) -> Level {
        match severity {
            0..=2 => Level::Fatal,
            3 => Level::Error,
            4 => Level::Warn,
            5 | 6 => Level::Info,
            _ => Level::Debug,
        }
    }

    /// A bunyan/pino numeric level: 10 TRACE, 20 DEBUG, 30 INFO, 40 WARN, 50 ERROR, 60 FATAL.
    pub fn from_bunyan(n: u64) -> Level {
        match n {
            0..=10 => Level::Trace,
            11..=20 => Level::Debug,
            21..=30 => Level::Info,
            31..=40 => Level::Warn,
            41..=50 => Level::Error,
            _ => Level::Fatal,
        }
    }
}

/// An error building an [`Analyzer`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogsError {
    /// A pattern's regex does not compile.
    BadPattern { name: String, message: String },
}

impl fmt::Display for LogsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LogsError::BadPattern { name, message } => {
                write!(f, "pattern {name:?}: invalid regex: {message}")
            }
        }
    }
}

impl std::error::Error for LogsError {}

/// Counts over complete lines. Adding two summaries is the same as analysing their lines together.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Summary {
    pub bytes: u64,
    pub lines: u64,
    /// Lines per level, indexed like [`Level::ALL`].
    pub levels: [u64; 7],
    /// Lines per format, indexed by `Format as usize` (`Unknown` last).
    pub formats: [u64; Format::COUNT],
    /// Earliest and latest timestamp (UTC seconds).
    pub first: Option<i64>,
    pub last: Option<i64>,
    /// Lines per UTC minute (minutes since the epoch).
    pub per_minute: BTreeMap<i64, u64>,
    /// Lines matching each pattern, in the order given.
    pub patterns: Vec<u64>,
}

impl Summary {
    /// Adds `other`'s counts into `self`.
    pub fn add(&mut self, other: &Summary) {
        self.bytes += other.bytes;
        self.lines += other.lines;
        for (a, b) in self.levels.iter_mut().zip(other.levels) {
            *a += b;
        }
        for (a, b) in self.formats.iter_mut().zip(other.formats) {
            *a += b;
        }
        self.first = min_opt(self.first, other.first);
        self.last = max_opt(self.last, other.last);
        for (&m, &n) in &other.per_minute {
            *self.per_minute.entry(m).or_insert(0) += n;
        }
        if self.patterns.len() < other.patterns.len() {
            self.patterns.resize(other.patterns.len(), 0);
        }
        for (a, b) in self.patterns.iter_mut().zip(&other.patterns) {
            *a += b;
        }
    }

    /// Lines of one level.
    pub fn level(&self, level: Level) -> u64 {
        self.levels[level as usize]
    }

    /// Non-zero format counts, by name.
    pub fn format_counts(&self) -> BTreeMap<&'static str, u64> {
        self.formats
            .iter()
            .enumerate()
            .filter(|&(_, &n)| n > 0)
            .map(|(i, &n)| (Format::from_index(i).name(), n))
            .collect()
    }
}

fn min_opt(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, None) => x,
        (None, y) => y,
    }
}

fn max_opt(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.max(y)),
        (x, None) => x,
        (None, y) => y,
    }
}

/// The result of analysing one chunk: counts of the lines wholly inside it, and the unfinished
/// bytes at its edges, kept until a merge or [`Analyzer::finish`] completes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Partial {
    counts: Summary,
    edge: Edge,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Edge {
    /// No newline in the chunk: all its bytes belong to one line.
    Open(Vec<u8>),
    /// Bytes before the first newline (the end of a line begun earlier, or the chunk's first line
    /// when it starts the file) and after the last one (a line that goes on).
    Split { head: Vec<u8>, tail: Vec<u8> },
}

impl Partial {
    /// The partial of an empty chunk (the identity of [`Analyzer::merge`]).
    pub fn empty() -> Partial {
        Partial {
            counts: Summary::default(),
            edge: Edge::Open(Vec::new()),
        }
    }
}

/// One line's reading, for per-line checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineInfo {
    pub level: Level,
    /// UTC minute (seconds / 60).
    pub minute: Option<i64>,
    /// Whether the line has the format's shape.
    pub parsed: bool,
}

/// Analyses chunks of one file (one format).
#[derive(Debug, Clone)]
pub struct Analyzer {
    format: Format,
    year: i32,
    patterns: Vec<regex::bytes::Regex>,
}

/// Accumulates one chunk's lines; keeps the current minute's run to spare map look-ups.
struct Acc<'s> {
    sum: &'s mut Summary,
    minute: i64,
    run: u64,
}

impl Acc<'_> {
    fn flush(&mut self) {
        if self.run > 0 {
            *self.sum.per_minute.entry(self.minute).or_insert(0) += self.run;
            self.run = 0;
        }
    }
}

impl Analyzer {
    /// An analyser for `format`, with `year` for formats without one and named pattern regexes.
    pub fn new(
        format: Format,
        year: i32,
        patterns: &[(String, String)],
    ) -> Result<Analyzer, LogsError> {
        let patterns = patterns
            .iter()
            .map(|(name, re)| {
                regex::bytes::RegexBuilder::new(re)
                    .multi_line(true)
                    .crlf(true)
                    .build()
                    .map_err(|e| LogsError::BadPattern {
                        name: name.clone(),
                        message: e.to_string(),
                    })
            })
            .collect::<Result<_, _>>()?;
        Ok(Analyzer {
            format,
            year,
            patterns,
        })
    }

    pub fn format(&self) -> Format {
        self.format
    }

    /// Reads one line (without its newline).
    pub fn line(&self, line: &[u8]) -> LineInfo {
        match parse(self.format, formats::trim_cr(line), self.year) {
            Some(p) => LineInfo {
                level: p.level,
                minute: p.time.map(|t| t.div_euclid(60)),
                parsed: true,
            },
            None => LineInfo {
                level: Level::Unknown,
                minute: None,
                parsed: false,
            },
        }
    }

    fn count_line(&self, line: &[u8], acc: &mut Acc) {
        let sum = &mut *acc.sum;
        sum.lines += 1;
        match parse(self.format, formats::trim_cr(line), self.year) {
            Some(p) => {
                sum.levels[p.level as usize] += 1;
                sum.formats[self.format.index()] += 1;
                if let Some(t) = p.time {
                    sum.first = min_opt(sum.first, Some(t));
                    sum.last = max_opt(sum.last, Some(t));
                    let m = t.div_euclid(60);
                    if m != acc.minute {
                        acc.flush();
                        acc.minute = m;
                    }
                    acc.run += 1;
                }
            }
            None => {
                sum.levels[Level::Unknown as usize] += 1;
                sum.formats[Format::Unknown.index()] += 1;
            }
        }
    }

    /// Counts one complete line into `sum` (used for lines completed at chunk edges).
    fn add_line(&self, line: &[u8], sum: &mut Summary) {
        let mut acc = Acc {
            sum,
            minute: 0,
            run: 0,
        };
        self.count_line(line, &mut acc);
        acc.flush();
        for (n, re) in acc.sum.patterns.iter_mut().zip(&self.patterns) {
            if re.is_match(line) {
                *n += 1;
            }
        }
    }

    fn empty_summary(&self) -> Summary {
        Summary {
            patterns: vec![0; self.patterns.len()],
            ..Summary::default()
        }
    }

    /// Counts `body`, complete lines each ending in `\n`, into `counts`.
    fn count_body(&self, body: &[u8], counts: &mut Summary) {
        let mut acc = Acc {
            sum: counts,
            minute: 0,
            run: 0,
        };
        let mut start = 0;
        for nl in memchr::memchr_iter(b'\n', body) {
            self.count_line(&body[start..nl], &mut acc);
            start = nl + 1;
        }
        acc.flush();
        for (n, re) in counts.patterns.iter_mut().zip(&self.patterns) {
            *n += count_matching_lines(re, body);
        }
    }

    /// Analyses any byte range of a file.
    pub fn analyse(&self, chunk: &[u8]) -> Partial {
        let mut counts = self.empty_summary();
        counts.bytes = chunk.len() as u64;
        let (Some(first), Some(last)) =
            (memchr::memchr(b'\n', chunk), memchr::memrchr(b'\n', chunk))
        else {
            return Partial {
                counts,
                edge: Edge::Open(chunk.to_vec()),
            };
        };
        self.count_body(&chunk[first + 1..last + 1], &mut counts);
        Partial {
            counts,
            edge: Edge::Split {
                head: chunk[..first].to_vec(),
                tail: chunk[last + 1..].to_vec(),
            },
        }
    }

    /// Joins the partials of two adjacent chunks, `a` before `b`.
    pub fn merge(&self, a: Partial, b: Partial) -> Partial {
        let mut counts = a.counts;
        let edge = match (a.edge, b.edge) {
            (Edge::Open(mut x), Edge::Open(y)) => {
                x.extend_from_slice(&y);
                Edge::Open(x)
            }
            (Edge::Open(mut x), Edge::Split { head, tail }) => {
                x.extend_from_slice(&head);
                Edge::Split { head: x, tail }
            }
            (Edge::Split { head, mut tail }, Edge::Open(y)) => {
                tail.extend_from_slice(&y);
                Edge::Split { head, tail }
            }
            (Edge::Split { head, mut tail }, Edge::Split { head: h2, tail: t2 }) => {
                tail.extend_from_slice(&h2);
                self.add_line(&tail, &mut counts);
                Edge::Split { head, tail: t2 }
            }
        };
        counts.add(&b.counts);
        Partial { counts, edge }
    }

    /// Completes a whole file's partial: its first line, and a last line without a newline.
    pub fn finish(&self, partial: Partial) -> Summary {
        let mut counts = partial.counts;
        if counts.patterns.len() < self.patterns.len() {
            counts.patterns.resize(self.patterns.len(), 0);
        }
        match partial.edge {
            Edge::Open(x) => {
                if !x.is_empty() {
                    self.add_line(&x, &mut counts);
                }
            }
            Edge::Split { head, tail } => {
                self.add_line(&head, &mut counts);
                if !tail.is_empty() {
                    self.add_line(&tail, &mut counts);
                }
            }
        }
        counts
    }

    /// Analyses whole lines: `data` starts at a line start (or the file's start) and ends at a line
    /// end (or the file's end). Unlike [`Analyzer::analyse`] it copies nothing, however long a line.
    pub fn analyse_lines(&self, data: &[u8]) -> Summary {
        let mut counts = self.empty_summary();
        counts.bytes = data.len() as u64;
        match (memchr::memchr(b'\n', data), memchr::memrchr(b'\n', data)) {
            (Some(first), Some(last)) => {
                self.add_line(&data[..first], &mut counts);
                self.count_body(&data[first + 1..last + 1], &mut counts);
                if last + 1 < data.len() {
                    self.add_line(&data[last + 1..], &mut counts);
                }
            }
            _ => {
                if !data.is_empty() {
                    self.add_line(data, &mut counts);
                }
            }
        }
        counts
    }

    /// Analyses a whole file in one chunk.
    pub fn analyse_all(&self, data: &[u8]) -> Summary {
        self.analyse_lines(data)
    }

    /// Analyses a whole file cut into pieces of about `piece` bytes, each extended to the end of its
    /// last line (so nothing is copied), on rayon's pool with the `parallel` feature; the result
    /// equals [`Analyzer::analyse_all`].
    pub fn analyse_parallel(&self, data: &[u8], piece: usize) -> Summary {
        let ranges = line_pieces(data, piece);
        let parts = crate::par::map_tasks(ranges.len(), |i| {
            self.analyse_lines(&data[ranges[i].0..ranges[i].1])
        });
        let mut total = self.empty_summary();
        for p in &parts {
            total.add(p);
        }
        total
    }
}

/// Cuts `data` into ranges of about `piece` bytes that end just after a newline (or at the end).
pub fn line_pieces(data: &[u8], piece: usize) -> Vec<(usize, usize)> {
    let piece = piece.max(1);
    let mut out = Vec::new();
    let mut start = 0;
    while start < data.len() {
        let target = start.saturating_add(piece).min(data.len());
        let end = if target >= data.len() {
            data.len()
        } else {
            memchr::memchr(b'\n', &data[target - 1..]).map_or(data.len(), |p| target + p)
        };
        out.push((start, end));
        start = end;
    }
    out
}

/// Lines of `body` (complete lines, each ending in `\n`) in which `re` matches. Searches the whole
/// body at once and skips to the next line after each hit; a match that runs past its line's end
/// is re-checked on that line alone, so the count equals matching line by line.
fn count_matching_lines(re: &regex::bytes::Regex, body: &[u8]) -> u64 {
    let mut n = 0;
    let mut pos = 0;
    while pos < body.len() {
        let Some(m) = re.find_at(body, pos) else {
            break;
        };
        let line_start = memchr::memrchr(b'\n', &body[..m.start()]).map_or(0, |p| p + 1);
        let line_end =
            memchr::memchr(b'\n', &body[m.start()..]).map_or(body.len(), |p| m.start() + p);
        if m.end() <= line_end || re.is_match(&body[line_start.max(pos)..line_end]) {
            n += 1;
        }
        pos = line_end + 1;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "2024-03-01T10:00:00Z INFO starting\n\
        2024-03-01T10:00:30Z ERROR disk full\n\
        2024-03-01T10:01:00Z WARN error budget low\n\
        not a log line\n\
        2024-03-01T10:02:59Z DEBUG x";

    fn analyzer() -> Analyzer {
        let pats = [
            ("err".to_string(), "(?i)error".to_string()),
            ("start".to_string(), "^2024.*start".to_string()),
        ];
        Analyzer::new(Format::Iso8601, DEFAULT_YEAR, &pats).unwrap()
    }

    #[test]
    fn counts_one_chunk() {
        let s = analyzer().analyse_all(SAMPLE.as_bytes());
        assert_eq!(s.lines, 5);
        assert_eq!(s.level(Level::Error), 1);
        assert_eq!(
            s.level(Level::Warn),
            1,
            "WARN line whose message says error stays WARN"
        );
        assert_eq!(s.level(Level::Unknown), 1);
        assert_eq!(s.patterns, vec![2, 1]);
        assert_eq!(s.per_minute.len(), 3);
        assert_eq!(
            s.first.map(time::format_second).as_deref(),
            Some("2024-03-01T10:00:00Z")
        );
        assert_eq!(
            s.last.map(time::format_second).as_deref(),
            Some("2024-03-01T10:02:59Z")
        );
    }

    #[test]
    fn every_split_point_gives_the_same_summary() {
        let a = analyzer();
        let data = SAMPLE.as_bytes();
        let whole = a.analyse_all(data);
        for i in 0..=data.len() {
            for j in i..=data.len() {
                let p = a.merge(
                    a.merge(a.analyse(&data[..i]), a.analyse(&data[i..j])),
                    a.analyse(&data[j..]),
                );
                assert_eq!(a.finish(p), whole, "cuts at {i}, {j}");
            }
        }
    }

    #[test]
    fn patterns_do_not_count_across_lines() {
        let re = regex::bytes::RegexBuilder::new(r"a\sb")
            .multi_line(true)
            .build()
            .unwrap();
        assert_eq!(count_matching_lines(&re, b"xa\nb\na b\n"), 1);
        let re = regex::bytes::RegexBuilder::new(r"x*")
            .multi_line(true)
            .build()
            .unwrap();
        assert_eq!(count_matching_lines(&re, b"a\n\nb\n"), 3);
    }

    #[test]
    fn level_words_and_synonyms() {
        let cases: [(&str, Option<Level>); 18] = [
            ("INFO", Some(Level::Info)),
            ("Info", Some(Level::Info)),
            ("notice", Some(Level::Info)),
            ("Informational", Some(Level::Info)),
            ("WARNING", Some(Level::Warn)),
            ("err", Some(Level::Error)),
            ("SEVERE", Some(Level::Error)),
            ("CRITICAL", Some(Level::Fatal)),
            ("emergency", Some(Level::Fatal)),
            ("alert", Some(Level::Fatal)),
            ("FINE", Some(Level::Debug)),
            ("finest", Some(Level::Trace)),
            ("trace3", Some(Level::Trace)),
            ("trace9", None),
            ("INFOS", None),
            ("", None),
            ("inf", None),
            ("errors", None),
        ];
        for (word, want) in cases {
            assert_eq!(Level::from_word(word.as_bytes()), want, "{word}");
        }
    }

    #[test]
    fn bad_pattern_names_itself() {
        let err = Analyzer::new(Format::Unknown, 2000, &[("p".into(), "(".into())]).unwrap_err();
        assert!(
            err.to_string().starts_with("pattern \"p\": invalid regex"),
            "{err}"
        );
    }
}
