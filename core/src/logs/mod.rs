//! Log analysis: levels, formats, a per-minute histogram, pattern counts and Drain-style templates,
//! in one pass over bytes.
//!
//! The pass works on chunks: [`Analyzer::analyse`] turns any byte range into a [`Partial`], and
//! [`Analyzer::merge`] joins two adjacent partials, analysing the line that crosses their edge
//! exactly once. Merging is associative, so a file can be cut anywhere, its pieces analysed on any
//! number of threads and folded in order; [`Analyzer::finish`] turns the fold into a [`Summary`].
//! When the whole input is in memory, [`LinePieces`] cuts it at line ends and
//! [`Analyzer::analyse_lines`] counts each piece without copying ([`Analyzer::analyse_parallel`]);
//! summaries add up exactly ([`Summary::add`]). The caller detects the format once per file from its first
//! bytes ([`detect`]) and passes the year for formats that print none (default [`DEFAULT_YEAR`]).
//!
//! Levels come from the format's level field only (an INFO line whose message says "error" is INFO);
//! see [`Level::from_word`] for the synonyms. Lines that do not have the file format's shape, and
//! empty lines, count as UNKNOWN level and `unknown` format. Lines are split on `\n`; a trailing
//! `\r` is ignored. Pattern regexes count lines with at least one match.
//!
//! The counting pass over a chunk is hand-written (`scan.rs`): one read of each 64-byte block finds
//! its line ends and the places where a pattern's required literal (extracted with `regex-syntax`)
//! may start, so that line splitting and pattern search are one pass instead of two; ISO 8601
//! lines of the common shape are read at fixed offsets (`formats::IsoFixed`). Patterns without
//! a few required literals are searched by their regexes over the chunk.

pub mod formats;
pub mod report;
mod scan;
mod structured;
pub mod templates;
pub mod time;

use std::collections::BTreeMap;
use std::fmt;

pub use formats::{Format, MinuteCache, Parsed, detect, message, parse, parse_iso_cached};
use scan::Literal;
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
        // Words of up to 8 bytes are packed into a u64 and matched as integers: this runs once per
        // line, and a packed compare beats a lowercase copy plus slice matching. Every table word
        // is ASCII letters, and for a letter `l`, `b | 0x20 == l` exactly when `b` is `l` or its
        // capital, so setting bit 5 of each byte of the word lowercases it for this comparison.
        if word.len() <= 8 {
            if word.is_empty() {
                return None;
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
            let mut raw = 0u64;
            for (i, &b) in word.iter().enumerate() {
                raw |= u64::from(b) << (8 * i);
            }
            let case = 0x2020_2020_2020_2020u64 >> (8 * (8 - word.len()));
            let packed = raw | case;
            const INFO: u64 = pack(b"info");
            const NOTICE: u64 = pack(b"notice");
            const DEBUG: u64 = pack(b"debug");
            const FINE: u64 = pack(b"fine");
            const CONFIG: u64 = pack(b"config");
            const DBG: u64 = pack(b"dbg");
            const WARN: u64 = pack(b"warn");
            const WARNING: u64 = pack(b"warning");
            const ERROR: u64 = pack(b"error");
            const ERR: u64 = pack(b"err");
            const SEVERE: u64 = pack(b"severe");
            const TRACE: u64 = pack(b"trace");
            const FINER: u64 = pack(b"finer");
            const FINEST: u64 = pack(b"finest");
            const VERBOSE: u64 = pack(b"verbose");
            const FATAL: u64 = pack(b"fatal");
            const CRITICAL: u64 = pack(b"critical");
            const CRIT: u64 = pack(b"crit");
            const EMERG: u64 = pack(b"emerg");
            const ALERT: u64 = pack(b"alert");
            const PANIC: u64 = pack(b"panic");
            return match packed {
                INFO | NOTICE => Some(Level::Info),
                DEBUG | FINE | CONFIG | DBG => Some(Level::Debug),
                WARN | WARNING => Some(Level::Warn),
                ERROR | ERR | SEVERE => Some(Level::Error),
                TRACE | FINER | FINEST | VERBOSE => Some(Level::Trace),
                FATAL | CRITICAL | CRIT | EMERG | ALERT | PANIC => Some(Level::Fatal),
                _ if word.len() == 6
                    && packed & 0xFF_FFFF_FFFF == TRACE
                    && matches!(word[5], b'1'..=b'8') =>
                {
                    Some(Level::Trace)
                }
                _ => None,
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
    /// The required literals of the patterns that have few enough (see [`pattern_literals`]),
    /// searched in the same pass as the line ends ([`scan`]).
    literals: Vec<Literal>,
    /// Per pattern: whether the pattern is its literal, so that finding it proves the line matches
    /// (otherwise the pattern's regex checks the line).
    exact: Vec<bool>,
    /// The other patterns (indices), searched with their regexes.
    rest: Vec<usize>,
    rest_patterns: Vec<regex::bytes::Regex>,
    /// With two or more `rest` patterns, their alternation: one pass over a chunk finds the
    /// candidate lines, and only those are checked against each pattern. `None` when the
    /// alternation does not compile (e.g. two patterns name the same group); each pattern then
    /// scans alone.
    any: Option<regex::bytes::Regex>,
}

/// Accumulates one chunk's lines in local counters (folded into the summary by [`Acc::finish`]);
/// keeps the current minute's run to spare map look-ups and divisions.
struct Acc<'s> {
    sum: &'s mut Summary,
    format: Format,
    lines: u64,
    /// Lines that have the format's shape.
    parsed: u64,
    levels: [u64; 7],
    /// Whether any line had a timestamp; then `first`/`last` hold the extremes.
    timed: bool,
    first: i64,
    last: i64,
    /// The current run: its minute, its first second, and its length.
    minute: i64,
    minute_start: i64,
    run: u64,
}

impl<'s> Acc<'s> {
    fn new(sum: &'s mut Summary, format: Format) -> Acc<'s> {
        Acc {
            sum,
            format,
            lines: 0,
            parsed: 0,
            levels: [0; 7],
            timed: false,
            first: i64::MAX,
            last: i64::MIN,
            minute: 0,
            minute_start: 0,
            run: 0,
        }
    }

    /// Counts one line from its parse.
    #[inline]
    fn add(&mut self, parsed: Option<Parsed>) {
        self.lines += 1;
        let Some(p) = parsed else {
            self.levels[Level::Unknown as usize] += 1;
            return;
        };
        self.parsed += 1;
        self.levels[p.level as usize] += 1;
        if let Some(t) = p.time {
            self.timed = true;
            self.first = self.first.min(t);
            self.last = self.last.max(t);
            // `t - minute_start` cannot overflow: times are at most 18 digits
            if self.run == 0 || !(0..60).contains(&(t.wrapping_sub(self.minute_start))) {
                self.flush_run();
                self.minute = t.div_euclid(60);
                self.minute_start = self.minute * 60;
            }
            self.run += 1;
        }
    }

    /// Counts `n` parsed lines, all in the minute starting at `minute_start` (a multiple of 60),
    /// with seconds from `lo` to `hi` (0..=59); their levels are counted by the caller.
    fn add_run(&mut self, minute_start: i64, lo: u32, hi: u32, n: u64) {
        self.lines += n;
        self.parsed += n;
        self.timed = true;
        self.first = self.first.min(minute_start + i64::from(lo));
        self.last = self.last.max(minute_start + i64::from(hi));
        if self.run == 0 || self.minute_start != minute_start {
            self.flush_run();
            self.minute = minute_start.div_euclid(60);
            self.minute_start = minute_start;
        }
        self.run += n;
    }

    fn flush_run(&mut self) {
        if self.run > 0 {
            *self.sum.per_minute.entry(self.minute).or_insert(0) += self.run;
            self.run = 0;
        }
    }

    /// Adds the counters to the summary.
    fn finish(mut self) {
        self.flush_run();
        let sum = &mut *self.sum;
        sum.lines += self.lines;
        for (a, b) in sum.levels.iter_mut().zip(self.levels) {
            *a += b;
        }
        sum.formats[self.format.index()] += self.parsed;
        sum.formats[Format::Unknown.index()] += self.lines - self.parsed;
        if self.timed {
            sum.first = min_opt(sum.first, Some(self.first));
            sum.last = max_opt(sum.last, Some(self.last));
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
            .collect::<Result<Vec<_>, _>>()?;
        let mut literals = Vec::new();
        let mut exact = vec![false; patterns.len()];
        let mut rest = Vec::new();
        for (j, re) in patterns.iter().enumerate() {
            match pattern_literals(re.as_str()) {
                Some((lits, is_exact)) if literals.len() + lits.len() <= scan::MAX_LITERALS => {
                    literals.extend(lits.iter().filter_map(|l| Literal::new(l, j)));
                    exact[j] = is_exact;
                }
                _ => rest.push(j),
            }
        }
        let rest_patterns: Vec<regex::bytes::Regex> =
            rest.iter().map(|&j| patterns[j].clone()).collect();
        let any = (rest_patterns.len() > 1)
            .then(|| {
                let alternation: Vec<String> = rest_patterns
                    .iter()
                    .map(|re| format!("(?:{})", re.as_str()))
                    .collect();
                regex::bytes::RegexBuilder::new(&alternation.join("|"))
                    .multi_line(true)
                    .crlf(true)
                    .build()
                    .ok()
            })
            .flatten();
        Ok(Analyzer {
            format,
            year,
            patterns,
            literals,
            exact,
            rest,
            rest_patterns,
            any,
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
        acc.add(parse(self.format, formats::trim_cr(line), self.year));
    }

    /// Counts one complete line into `sum` (used for lines completed at chunk edges).
    fn add_line(&self, line: &[u8], sum: &mut Summary) {
        let mut acc = Acc::new(sum, self.format);
        self.count_line(line, &mut acc);
        acc.finish();
        for (n, re) in sum.patterns.iter_mut().zip(&self.patterns) {
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

    /// Counts `body`, complete lines each ending in `\n`, into `counts`: one [`scan`] finds the
    /// lines and the candidate hits of the patterns with literals; the other patterns search the
    /// body with their regexes.
    fn count_body(&self, body: &[u8], counts: &mut Summary) {
        let acc = Acc::new(counts, self.format);
        let hits = if self.format == Format::Iso8601 {
            let mut pass = Pass {
                body,
                lines: IsoLines::new(acc),
                hits: LiteralHits::new(self, body),
            };
            scan::scan(body, &self.literals, &mut pass);
            pass.lines.finish().finish();
            pass.hits.counts
        } else {
            let mut pass = Pass {
                body,
                lines: AnyLines {
                    analyzer: self,
                    acc,
                },
                hits: LiteralHits::new(self, body),
            };
            scan::scan(body, &self.literals, &mut pass);
            pass.lines.acc.finish();
            pass.hits.counts
        };
        for (n, h) in counts.patterns.iter_mut().zip(&hits) {
            *n += h;
        }
        match &self.any {
            Some(any) => {
                let mut got = vec![0; self.rest.len()];
                count_matching_lines_each(any, &self.rest_patterns, body, &mut got);
                for (&j, n) in self.rest.iter().zip(got) {
                    counts.patterns[j] += n;
                }
            }
            None => {
                for (&j, re) in self.rest.iter().zip(&self.rest_patterns) {
                    counts.patterns[j] += count_matching_lines(re, body);
                }
            }
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
        let pieces = LinePieces::new(data, piece);
        let parts = crate::par::map_tasks(pieces.count(), |i| {
            let (start, end) = pieces.range(data, i);
            self.analyse_lines(&data[start..end])
        });
        let mut total = self.empty_summary();
        for p in &parts {
            total.add(p);
        }
        total
    }
}

/// The literals that every match of `source` (a pattern, compiled as [`Analyzer::new`] does)
/// starts with, and whether the pattern is exactly one literal without a newline (then a literal
/// hit is a match). `None` when there is no such finite set of non-empty literals (`x*`, `\w+`,
/// `(?i)error` has 32), or more than [`scan::MAX_LITERALS`].
fn pattern_literals(source: &str) -> Option<(Vec<Vec<u8>>, bool)> {
    use regex_syntax::hir::HirKind;
    use regex_syntax::hir::literal::Extractor;
    let hir = regex_syntax::ParserBuilder::new()
        .multi_line(true)
        .crlf(true)
        .utf8(false)
        .build()
        .parse(source)
        .ok()?;
    if let HirKind::Literal(lit) = hir.kind()
        && !lit.0.is_empty()
        && !lit.0.contains(&b'\n')
    {
        return Some((vec![lit.0.to_vec()], true));
    }
    let seq = Extractor::new().extract(&hir);
    let lits = seq.literals()?;
    if lits.is_empty() || lits.len() > scan::MAX_LITERALS || lits.iter().any(|l| l.is_empty()) {
        return None;
    }
    Some((lits.iter().map(|l| l.as_bytes().to_vec()).collect(), false))
}

/// Pattern counts from literal candidates: each candidate where a literal really is marks its
/// line for that literal's pattern, which counts the line (an exact pattern) or checks it with the
/// regex; a line is counted or checked once per pattern (candidates come in position order).
struct LiteralHits<'a> {
    analyzer: &'a Analyzer,
    body: &'a [u8],
    counts: Vec<u64>,
    /// Per pattern, the start of the last line counted or checked.
    last_line: Vec<usize>,
}

impl<'a> LiteralHits<'a> {
    fn new(analyzer: &'a Analyzer, body: &'a [u8]) -> LiteralHits<'a> {
        LiteralHits {
            analyzer,
            body,
            counts: vec![0; analyzer.patterns.len()],
            last_line: vec![usize::MAX; analyzer.patterns.len()],
        }
    }

    fn candidate(&mut self, pos: usize, line_start: usize) {
        let body = self.body;
        for lit in &self.analyzer.literals {
            let j = lit.pattern;
            if self.last_line[j] == line_start {
                continue;
            }
            let Some(start) = lit.starts_for(body, pos, line_start) else {
                continue;
            };
            self.last_line[j] = line_start;
            let matched = self.analyzer.exact[j] || {
                let end = memchr::memchr(b'\n', &body[start..]).map_or(body.len(), |e| start + e);
                self.analyzer.patterns[j].is_match(&body[line_start..end])
            };
            if matched {
                self.counts[j] += 1;
            }
        }
    }
}

/// Counts each line of a body.
trait LineCount {
    fn line(&mut self, line: &[u8]);

    /// [`scan::Visit::lines`] over `body`.
    #[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
    #[inline(always)]
    fn lines(&mut self, body: &[u8], p: usize, ends: &[u32], line_start: &mut usize) {
        scan::each_line(p, ends, line_start, |start, end| {
            self.line(&body[start..end])
        });
    }
}

/// A [`scan`] visitor: lines to a [`LineCount`], candidates to [`LiteralHits`].
struct Pass<'a, L> {
    body: &'a [u8],
    lines: L,
    hits: LiteralHits<'a>,
}

impl<L: LineCount> scan::Visit for Pass<'_, L> {
    #[inline(always)]
    fn line(&mut self, start: usize, end: usize) {
        self.lines.line(&self.body[start..end]);
    }

    #[inline]
    fn candidate(&mut self, pos: usize, line_start: usize) {
        self.hits.candidate(pos, line_start);
    }

    #[inline(always)]
    fn lines(&mut self, p: usize, ends: &[u32], line_start: &mut usize) {
        self.lines.lines(self.body, p, ends, line_start);
    }
}

/// Counts the lines of any format with its parser.
struct AnyLines<'a, 's> {
    analyzer: &'a Analyzer,
    acc: Acc<'s>,
}

impl LineCount for AnyLines<'_, '_> {
    #[inline(always)]
    fn line(&mut self, line: &[u8]) {
        self.analyzer.count_line(line, &mut self.acc);
    }
}

/// Counts ISO 8601 lines: lines of the fixed common shape ([`formats::IsoFixed`]) in the cached
/// minute only bump a level counter and the minute's run; any other line goes through
/// [`parse_iso_cached`].
struct IsoLines<'s> {
    acc: Acc<'s>,
    cache: MinuteCache,
    /// The fixed shape in the cached minute (one that accepts no line while none is cached).
    shape: formats::IsoFixed,
    /// Lines of the fixed shape, by [`formats::IsoFixed::check`]'s slot.
    slots: [u64; 32],
    /// Lines of the fixed shape in the cached minute not yet given to `acc`, and their lowest and
    /// highest second as [`formats::IsoFixed::check`] gives them.
    run: u64,
    lo: u16,
    hi: u16,
}

impl LineCount for IsoLines<'_> {
    #[inline(always)]
    fn line(&mut self, line: &[u8]) {
        if let Some((slot, s)) = self.shape.check(line) {
            self.slots[slot] += 1;
            self.run += 1;
            self.lo = self.lo.min(s);
            self.hi = self.hi.max(s);
        } else {
            self.other(line);
        }
    }

    /// The lines of the fixed shape are counted with the run in locals (registers), which go
    /// back to `self` only around a line of another shape.
    #[inline(always)]
    fn lines(&mut self, body: &[u8], p: usize, ends: &[u32], line_start: &mut usize) {
        // the walk of `scan::each_line`, written out: through its closure one pass over 1 GB
        // was 1-2% slower (one thread, fastest of 9: 77.1-78.5 ms against 74.5-76.9 ms)
        let mut shape = self.shape;
        let (mut run, mut lo, mut hi) = (self.run, self.lo, self.hi);
        let mut start = *line_start;
        for &e in ends {
            let end = p + e as usize;
            let line = &body[start..end];
            start = end + 1;
            if let Some((slot, s)) = shape.check(line) {
                self.slots[slot] += 1;
                run += 1;
                lo = lo.min(s);
                hi = hi.max(s);
                continue;
            }
            (self.run, self.lo, self.hi) = (run, lo, hi);
            self.other(line);
            shape = self.shape;
            (run, lo, hi) = (self.run, self.lo, self.hi);
        }
        (self.run, self.lo, self.hi) = (run, lo, hi);
        *line_start = start;
    }
}

impl<'s> IsoLines<'s> {
    fn new(acc: Acc<'s>) -> IsoLines<'s> {
        IsoLines {
            acc,
            cache: MinuteCache::default(),
            shape: formats::IsoFixed::new(None),
            slots: [0; 32],
            run: 0,
            lo: u16::MAX,
            hi: 0,
        }
    }

    /// A line that is not of the fixed shape in the cached minute: the full parse, which may
    /// cache a new minute.
    #[cold]
    #[inline(never)]
    fn other(&mut self, line: &[u8]) {
        self.flush();
        self.acc
            .add(parse_iso_cached(formats::trim_cr(line), &mut self.cache));
        let key = self.cache.key();
        if key != self.shape.key() {
            self.shape = formats::IsoFixed::new(key);
        }
    }

    fn flush(&mut self) {
        if self.run > 0 {
            let lo = formats::second(self.lo);
            let hi = formats::second(self.hi);
            self.acc.add_run(self.cache.local(), lo, hi, self.run);
            self.run = 0;
            self.lo = u16::MAX;
            self.hi = 0;
        }
    }

    fn finish(mut self) -> Acc<'s> {
        self.flush();
        for (slot, n) in self.slots.into_iter().enumerate() {
            self.acc.levels[formats::SLOT_LEVEL[slot] as usize] += n;
        }
        self.acc
    }
}

/// `data` cut into pieces of about `piece` bytes that end just after a newline (or at the end):
/// piece `i` ends at the first line end at or after byte `(i + 1) * piece` (and starts where piece
/// `i - 1` ends), so each piece's range is found on its own, on the thread that reads the piece,
/// with no pass over the input first. A line longer than `piece` leaves empty pieces after it.
#[derive(Debug, Clone, Copy)]
pub struct LinePieces {
    len: usize,
    piece: usize,
}

impl LinePieces {
    /// The pieces of `data`.
    pub fn new(data: &[u8], piece: usize) -> LinePieces {
        LinePieces {
            len: data.len(),
            piece: piece.max(1),
        }
    }

    /// How many pieces there are.
    pub fn count(&self) -> usize {
        self.len.div_ceil(self.piece)
    }

    /// The byte range of piece `i` (`i < count()`) in `data`, the input given to [`LinePieces::new`].
    pub fn range(&self, data: &[u8], i: usize) -> (usize, usize) {
        (self.edge(data, i), self.edge(data, i + 1))
    }

    /// Where piece `i` starts: just after the first newline at or after byte `i * piece - 1`.
    fn edge(&self, data: &[u8], i: usize) -> usize {
        let target = i.saturating_mul(self.piece);
        if i == 0 || target >= self.len {
            return if i == 0 { 0 } else { self.len };
        }
        memchr::memchr(b'\n', &data[target - 1..self.len]).map_or(self.len, |p| target + p)
    }
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

/// For each pattern, adds to `counts` the lines of `body` (complete lines, each ending in `\n`) in
/// which it matches. `any` (the patterns' alternation) finds the next line where some pattern may
/// match, in one pass over the body; that line alone is then checked against each pattern, so a
/// line counts once per pattern however many matches it has. A line where a pattern matches holds
/// a match of `any` starting in it or earlier, so no line is skipped.
fn count_matching_lines_each(
    any: &regex::bytes::Regex,
    patterns: &[regex::bytes::Regex],
    body: &[u8],
    counts: &mut [u64],
) {
    let mut pos = 0;
    while pos < body.len() {
        let Some(m) = any.find_at(body, pos) else {
            break;
        };
        let line_start = memchr::memrchr(b'\n', &body[pos..m.start()]).map_or(pos, |p| pos + p + 1);
        let line_end =
            memchr::memchr(b'\n', &body[m.start()..]).map_or(body.len(), |p| m.start() + p);
        let line = &body[line_start..line_end];
        for (n, re) in counts.iter_mut().zip(patterns) {
            if re.is_match(line) {
                *n += 1;
            }
        }
        pos = line_end + 1;
    }
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
    fn line_pieces_cut_at_line_ends_and_add_up() {
        let a = analyzer();
        let whole = a.analyse_all(SAMPLE.as_bytes());
        // without a final newline too, and a long line
        let ragged = format!("{SAMPLE}{}\nlast", "x".repeat(300));
        for data in [SAMPLE.as_bytes(), ragged.as_bytes()] {
            for piece in [1, 2, 7, 40, 64, 1000, usize::MAX] {
                let pieces = LinePieces::new(data, piece);
                let mut at = 0;
                for i in 0..pieces.count() {
                    let (start, end) = pieces.range(data, i);
                    assert_eq!(start, at, "piece {piece}: {i} starts where {} ended", i - 1);
                    assert!(end >= start);
                    assert!(end == data.len() || data[end - 1] == b'\n', "{piece}: {i}");
                    // no line end inside a piece's first `piece` bytes but the last byte's
                    let nominal = (i + 1).saturating_mul(piece).min(data.len());
                    assert!(
                        end >= nominal,
                        "piece {piece}: {i} ends at {end} < {nominal}"
                    );
                    at = end;
                }
                assert_eq!(at, data.len(), "piece {piece}");
                let parallel = a.analyse_parallel(data, piece);
                assert_eq!(parallel, a.analyse_all(data), "piece {piece}");
            }
        }
        assert_eq!(a.analyse_parallel(SAMPLE.as_bytes(), 13), whole);
        assert_eq!(LinePieces::new(b"", 4).count(), 0);
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
    fn one_pass_for_all_patterns_counts_like_each_line_alone() {
        let sources = ["a", "b+", r"a\sb", "x*", "(?i)^err", r"\d$"];
        let patterns: Vec<regex::bytes::Regex> = sources
            .iter()
            .map(|p| {
                regex::bytes::RegexBuilder::new(p)
                    .multi_line(true)
                    .crlf(true)
                    .build()
                    .unwrap()
            })
            .collect();
        let alternation: Vec<String> = sources.iter().map(|p| format!("(?:{p})")).collect();
        let any = regex::bytes::RegexBuilder::new(&alternation.join("|"))
            .multi_line(true)
            .crlf(true)
            .build()
            .unwrap();
        let body = b"aa a a\nxa\nb\n\nERR 1\r\nbbb a b 7\nzzz\nerr\n";
        let mut got = vec![0; patterns.len()];
        count_matching_lines_each(&any, &patterns, body, &mut got);
        let lines: Vec<&[u8]> = body[..body.len() - 1].split(|&b| b == b'\n').collect();
        let want: Vec<u64> = patterns
            .iter()
            .map(|re| lines.iter().filter(|l| re.is_match(l)).count() as u64)
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn cached_iso_parse_equals_the_plain_parse() {
        let lines = [
            "2024-03-01T10:00:00Z INFO a",
            "2024-03-01T10:00:01.123Z ERROR b",
            "2024-03-01T10:00:02.5Z  warn c",
            "2024-03-01T10:00:03,999 DEBUG d",
            "2024-03-01T10:00:04Z\tINFO e",
            "2024-03-01T10:00:05+02:00 INFO f",
            "2024-03-01T10:00:06z INFO g",
            "2024-03-01T10:00:60Z FATAL leap",
            "2024-03-01T10:00:61Z INFO bad second",
            "2024-03-01T10:00:07Z [main] INFO h",
            "2024-03-01T10:00:08Z INFOS i",
            "2024-03-01T10:00:09Z INFO",
            "2024-03-01T10:00:10Z WARN:x",
            "2024-03-01T10:00:11Z TRACE3 x",
            "2024-03-01T10:00 INFO no seconds",
            "2024-03-01T10:00:1",
            "[2024-03-01T10:00:12Z] INFO j",
            "2024-03-01T10:01:00Z INFO k",
            "2024-03-01T10:01:00.Z INFO l",
            "2024-02-30T10:01:00Z INFO bad date",
            "2024-03-01T10:01:02Z ERROR m",
        ];
        let mut cache = MinuteCache::default();
        for line in lines {
            assert_eq!(
                parse_iso_cached(line.as_bytes(), &mut cache),
                parse(Format::Iso8601, line.as_bytes(), DEFAULT_YEAR),
                "{line}"
            );
        }
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
        // bytes that only differ from a level word's letters in bit 5 are not that letter
        for word in ["\x05rror", "err\x0fr", "trace\x11", "INF\x0f", "info\x00"] {
            assert_eq!(Level::from_word(word.as_bytes()), None, "{word:?}");
        }
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
