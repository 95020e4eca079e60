//! Line formats: detection from a file's first lines, and one parser per format that reads the
//! level field, the timestamp and where the message (the part templates are mined from) starts.
//!
//! The parsers are hand-written byte cursors rather than regexes: they run once per line on
//! gigabyte files, and a fixed-layout header is cheaper to walk than to match. Each parser returns
//! `None` when the line does not have its format's shape; the caller counts such lines as UNKNOWN.

use super::Level;
use super::time::{epoch, month_number};

/// A line format. Names (see [`Format::name`]) are part of the JSON output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    /// Loghub BGL: `- 1117838570 2005.06.03 NODE 2005-06-03-15.42.50.675872 NODE RAS KERNEL INFO msg`.
    Bgl,
    /// Loghub Thunderbird: `- 1131566461 2005.11.09 dn228 Nov 9 12:01:01 dn228/dn228 comp[pid]: msg`.
    Thunderbird,
    /// Loghub HPC: `134681 node-246 unix.hw state_change.unavailable 1077804742 1 msg`.
    Hpc,
    /// Android logcat `threadtime`: `03-17 16:13:38.811  1702  2395 D Tag: msg`.
    Android,
    /// Apache error log: `[Sun Dec 04 04:47:44 2005] [notice] msg` (2.4: `[core:error]`).
    ApacheError,
    /// Apache/nginx access log, common or combined: `host ident user [10/Oct/2000:13:55:36 -0700] "GET /"`.
    Access,
    /// Loghub HDFS: `081109 203615 148 INFO dfs.DataNode$PacketResponder: msg`.
    Hdfs,
    /// Loghub Spark: `17/06/09 20:10:40 INFO executor.Backend: msg`.
    Spark,
    /// Loghub HealthApp: `20171223-22:15:29:606|Step_LSC|30002312|msg`.
    HealthApp,
    /// Loghub Proxifier: `[10.30 16:49:06] chrome.exe - msg`.
    Proxifier,
    /// Loghub OpenStack: `nova-api.log.1.2017-05-16_13:53:08 2017-05-16 00:00:00.008 25746 INFO comp [req] msg`.
    OpenStack,
    /// Syslog RFC 5424: `<165>1 2003-10-11T22:14:15.003Z host app procid msgid [sd] msg`.
    Syslog5424,
    /// Syslog RFC 3164 (BSD), `<PRI>` optional: `Jun 14 15:16:01 host comp[pid]: msg`
    /// (Loghub Linux, Mac, OpenSSH).
    Syslog3164,
    /// JSON Lines: one object per line with `level`/`lvl`/`severity` and `time`/`ts`/`timestamp`.
    Json,
    /// logfmt: `time=... level=info msg="..."`.
    Logfmt,
    /// ISO 8601 / RFC 3339 application logs: `2015-10-18 18:01:47,978 INFO [main] ...`
    /// (Loghub Hadoop, Zookeeper, Windows; log4j, logback, Python logging, Go, ...).
    Iso8601,
    /// Nothing recognised.
    Unknown,
}

impl Format {
    /// Candidates in detection order (ties go to the earlier, more specific format).
    pub const DETECTABLE: [Format; 16] = [
        Format::Bgl,
        Format::Thunderbird,
        Format::Hpc,
        Format::Android,
        Format::ApacheError,
        Format::Access,
        Format::Hdfs,
        Format::Spark,
        Format::HealthApp,
        Format::Proxifier,
        Format::OpenStack,
        Format::Syslog5424,
        Format::Syslog3164,
        Format::Json,
        Format::Logfmt,
        Format::Iso8601,
    ];
    /// Number of formats, `Unknown` included.
    pub const COUNT: usize = 17;

    /// The format's name in outputs.
    pub fn name(self) -> &'static str {
        match self {
            Format::Bgl => "bgl",
            Format::Thunderbird => "thunderbird",
            Format::Hpc => "hpc",
            Format::Android => "android",
            Format::ApacheError => "apache-error",
            Format::Access => "access",
            Format::Hdfs => "hdfs",
            Format::Spark => "spark",
            Format::HealthApp => "healthapp",
            Format::Proxifier => "proxifier",
            Format::OpenStack => "openstack",
            Format::Syslog5424 => "syslog-5424",
            Format::Syslog3164 => "syslog-3164",
            Format::Json => "json",
            Format::Logfmt => "logfmt",
            Format::Iso8601 => "iso8601",
            Format::Unknown => "unknown",
        }
    }

    /// The format with this output name.
    pub fn from_name(name: &str) -> Option<Format> {
        Format::DETECTABLE
            .into_iter()
            .chain([Format::Unknown])
            .find(|f| f.name() == name)
    }

    pub(crate) fn index(self) -> usize {
        self as usize
    }

    pub(crate) fn from_index(i: usize) -> Format {
        Format::DETECTABLE
            .get(i)
            .copied()
            .unwrap_or(Format::Unknown)
    }
}

/// What a parser read from one line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parsed {
    pub level: Level,
    /// UTC seconds since the epoch.
    pub time: Option<i64>,
    /// Byte offset where the header fields the parser needed end; [`message`] finds where the
    /// message itself starts (only template mining needs that, so the counting pass skips it).
    pub content: usize,
}

/// The message of a parsed line (Loghub's Content column): past the header, a bracketed thread,
/// a `-` and a `logger:` token (ISO, HDFS, Spark), the component and request (OpenStack), or the
/// `comp[pid]: ` tag (syslog, Android, Thunderbird).
pub fn message<'a>(format: Format, line: &'a [u8], parsed: &Parsed) -> &'a [u8] {
    let mut c = Cur {
        b: line,
        i: parsed.content.min(line.len()),
    };
    let start = match format {
        Format::Iso8601 | Format::Hdfs | Format::Spark => message_start(&mut c),
        Format::OpenStack => {
            c.spaces();
            c.token(); // component
            message_start(&mut c)
        }
        Format::Android | Format::Thunderbird | Format::Syslog3164 => after_component(&mut c),
        _ => c.i,
    };
    line.get(start..).unwrap_or(b"")
}

/// Detects the format of a file from a sample of its first bytes: every candidate parses up to the
/// first 64 non-empty lines, and the one that parses most of them wins (earlier in
/// [`Format::DETECTABLE`] on ties). `Unknown` when none parses a line.
pub fn detect(sample: &[u8], year: i32) -> Format {
    let lines: Vec<&[u8]> = sample
        .split(|&b| b == b'\n')
        .map(trim_cr)
        .filter(|l| !l.iter().all(u8::is_ascii_whitespace))
        .take(64)
        .collect();
    let mut best = (0usize, Format::Unknown);
    for format in Format::DETECTABLE {
        let hits = lines
            .iter()
            .filter(|l| parse(format, l, year).is_some())
            .count();
        if hits > best.0 {
            best = (hits, format);
        }
    }
    best.1
}

pub(crate) fn trim_cr(line: &[u8]) -> &[u8] {
    match line.last() {
        Some(b'\r') => &line[..line.len() - 1],
        _ => line,
    }
}

/// Parses one line (without its newline) in `format`; `year` fills formats that print none.
pub fn parse(format: Format, line: &[u8], year: i32) -> Option<Parsed> {
    let mut c = Cur { b: line, i: 0 };
    let year = i64::from(year);
    match format {
        Format::Bgl => bgl(&mut c),
        Format::Thunderbird => thunderbird(&mut c),
        Format::Hpc => hpc(&mut c),
        Format::Android => android(&mut c, year),
        Format::ApacheError => apache_error(&mut c),
        Format::Access => access(&mut c),
        Format::Hdfs => hdfs(&mut c),
        Format::Spark => spark(&mut c),
        Format::HealthApp => healthapp(&mut c),
        Format::Proxifier => proxifier(&mut c, year),
        Format::OpenStack => openstack(&mut c),
        Format::Syslog5424 => syslog5424(&mut c),
        Format::Syslog3164 => syslog3164(&mut c, year),
        Format::Json => super::structured::json(line),
        Format::Logfmt => super::structured::logfmt(line),
        Format::Iso8601 => iso_app(&mut c),
        Format::Unknown => None,
    }
}

/// A byte cursor over one line.
pub(crate) struct Cur<'a> {
    pub(crate) b: &'a [u8],
    pub(crate) i: usize,
}

impl<'a> Cur<'a> {
    pub(crate) fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    pub(crate) fn eat(&mut self, c: u8) -> Option<()> {
        (self.peek()? == c).then(|| self.i += 1)
    }

    /// Reads `min..=max` ASCII digits.
    pub(crate) fn num(&mut self, min: usize, max: usize) -> Option<u32> {
        if min == max {
            // fixed width (the common case in timestamps): no per-digit bounds checks
            let digits = self.b.get(self.i..self.i + min)?;
            let mut v: u32 = 0;
            for &d in digits {
                let x = d.wrapping_sub(b'0');
                if x > 9 {
                    return None;
                }
                v = v * 10 + u32::from(x);
            }
            self.i += min;
            return Some(v);
        }
        let start = self.i;
        let mut v: u32 = 0;
        while self.i - start < max {
            match self.peek() {
                Some(d @ b'0'..=b'9') => {
                    v = v * 10 + u32::from(d - b'0');
                    self.i += 1;
                }
                _ => break,
            }
        }
        (self.i - start >= min).then_some(v)
    }

    /// Reads an unsigned integer of 1..=18 digits.
    fn int(&mut self) -> Option<i64> {
        let start = self.i;
        let mut v: i64 = 0;
        while let Some(d @ b'0'..=b'9') = self.peek() {
            if self.i - start >= 18 {
                return None;
            }
            v = v * 10 + i64::from(d - b'0');
            self.i += 1;
        }
        (self.i > start).then_some(v)
    }

    /// Skips spaces and tabs; returns how many.
    pub(crate) fn spaces(&mut self) -> usize {
        let start = self.i;
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.i += 1;
        }
        self.i - start
    }

    /// At least one space or tab.
    fn space1(&mut self) -> Option<()> {
        (self.spaces() > 0).then_some(())
    }

    /// Reads up to the next space or tab (possibly empty).
    pub(crate) fn token(&mut self) -> &'a [u8] {
        let start = self.i;
        while !matches!(self.peek(), None | Some(b' ' | b'\t')) {
            self.i += 1;
        }
        &self.b[start..self.i]
    }

    /// A non-empty token followed by spaces (or the end).
    fn field(&mut self) -> Option<&'a [u8]> {
        let t = self.token();
        if t.is_empty() {
            return None;
        }
        self.spaces();
        Some(t)
    }

    fn month(&mut self) -> Option<u32> {
        let m = month_number(self.b.get(self.i..self.i + 3)?)?;
        self.i += 3;
        Some(m)
    }

    /// `HH:MM:SS` with 1-2 digit fields; returns seconds of the day.
    fn hms(&mut self, min_digits: usize) -> Option<(u32, u32, u32)> {
        let h = self.num(min_digits, 2)?;
        self.eat(b':')?;
        let m = self.num(min_digits, 2)?;
        self.eat(b':')?;
        let s = self.num(min_digits, 2)?;
        Some((h, m, s))
    }

    /// An optional fraction: `.ddd` or `,ddd`.
    fn fraction(&mut self) {
        if matches!(self.peek(), Some(b'.' | b','))
            && matches!(self.b.get(self.i + 1), Some(b'0'..=b'9'))
        {
            self.i += 1;
            while matches!(self.peek(), Some(b'0'..=b'9')) {
                self.i += 1;
            }
        }
    }

    /// Offset of the first `needle` at or after the cursor.
    fn find(&self, needle: &[u8]) -> Option<usize> {
        memchr::memmem::find(self.b.get(self.i..)?, needle).map(|p| self.i + p)
    }
}

/// The last date-and-minute prefix (`YYYY-MM-DDTHH:MM`, 16 bytes) an ISO timestamp parse read,
/// with its local minute in epoch seconds. Consecutive log lines mostly share their minute, so a
/// 16-byte compare replaces five number parses and the calendar arithmetic. Only valid prefixes
/// are stored, so a hit gives exactly what parsing the same bytes would.
#[derive(Debug, Clone, Copy, Default)]
pub struct MinuteCache {
    prefix: [u8; 16],
    local: i64,
    valid: bool,
}

impl MinuteCache {
    /// The cached prefix as a little-endian integer (for [`IsoFixed`]), if one is cached.
    pub(crate) fn key(&self) -> Option<u128> {
        self.valid.then(|| u128::from_le_bytes(self.prefix))
    }

    /// The cached minute, in local epoch seconds (a multiple of 60).
    pub(crate) fn local(&self) -> i64 {
        self.local
    }
}

/// An ISO 8601 / RFC 3339 date-time: `YYYY-MM-DDTHH:MM[:SS[.frac]][Z|±HH[:MM]]`, in UTC seconds.
pub(crate) fn iso_datetime(c: &mut Cur) -> Option<i64> {
    iso_datetime_cached(c, &mut MinuteCache::default())
}

/// [`iso_datetime`] reusing (and updating) the minute of the previous line.
fn iso_datetime_cached(c: &mut Cur, cache: &mut MinuteCache) -> Option<i64> {
    let head: &[u8; 16] = c.b.get(c.i..c.i + 16)?.try_into().ok()?;
    let minute = if cache.valid && *head == cache.prefix {
        c.i += 16;
        cache.local
    } else {
        let y = c.num(4, 4)?;
        c.eat(b'-')?;
        let mo = c.num(2, 2)?;
        c.eat(b'-')?;
        let d = c.num(2, 2)?;
        match c.peek()? {
            b'T' | b't' | b' ' => c.i += 1,
            _ => return None,
        }
        let h = c.num(2, 2)?;
        c.eat(b':')?;
        let mi = c.num(2, 2)?;
        let local = epoch(i64::from(y), mo, d, h, mi, 0)?;
        *cache = MinuteCache {
            prefix: *head,
            local,
            valid: true,
        };
        local
    };
    let mut s = 0;
    if c.eat(b':').is_some() {
        s = c.num(2, 2)?;
        if s > 60 {
            return None;
        }
        c.fraction();
    }
    // a leap second (`:60`) counts as the last second of its minute, as in `epoch`
    let local = minute + i64::from(s.min(59));
    let offset = match c.peek() {
        Some(b'Z' | b'z') => {
            c.i += 1;
            0
        }
        Some(sign @ (b'+' | b'-')) if matches!(c.b.get(c.i + 1), Some(b'0'..=b'9')) => {
            c.i += 1;
            let oh = c.num(2, 2)?;
            c.eat(b':');
            let om = c.num(0, 2)?;
            let off = i64::from(oh * 3600 + om * 60);
            if sign == b'+' { off } else { -off }
        }
        _ => 0,
    };
    Some(local - offset)
}

/// The level field after a timestamp: the first of the next few tokens that names a level, skipping
/// `-`, numbers (pids) and bracketed non-level tokens (threads). A plain word ends the search (no
/// level field). Returns the level and where the message starts.
fn level_field(c: &mut Cur) -> (Level, usize) {
    let mut first_other = None;
    for _ in 0..4 {
        c.spaces();
        let start = c.i;
        let tok = c.token();
        if tok.is_empty() {
            break;
        }
        let core = strip_punct(tok);
        if let Some(level) = Level::from_word(core) {
            return (level, c.i);
        }
        let bracketed = tok.first() == Some(&b'[') && tok.last() == Some(&b']');
        if tok == b"-" || tok.iter().all(u8::is_ascii_digit) || bracketed {
            first_other.get_or_insert(start);
            continue;
        }
        c.i = start;
        break;
    }
    (Level::Unknown, first_other.unwrap_or(c.i))
}

fn strip_punct(tok: &[u8]) -> &[u8] {
    let mut t = tok;
    while let [b'[' | b'<' | b'(' | b'|', rest @ ..] = t {
        t = rest;
    }
    while let [rest @ .., b']' | b'>' | b')' | b':' | b',' | b'|'] = t {
        t = rest;
    }
    t
}

/// After a level: skips a bracketed group (`[main]`), a `-`, and a logger token ending in `:`.
fn message_start(c: &mut Cur) -> usize {
    c.spaces();
    if c.peek() == Some(b'[') {
        let mut depth = 0usize;
        while let Some(b) = c.peek() {
            c.i += 1;
            match b {
                b'[' => depth += 1,
                b']' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
        }
        c.spaces();
    }
    if c.peek() == Some(b'-') && matches!(c.b.get(c.i + 1), None | Some(b' ')) {
        c.i += 1;
        c.spaces();
    }
    let start = c.i;
    let tok = c.token();
    if tok.len() > 1 && tok.last() == Some(&b':') {
        c.spaces();
        return c.i;
    }
    start
}

fn bgl(c: &mut Cur) -> Option<Parsed> {
    c.field()?; // alert label, `-` when none
    let t = c.int()?;
    c.space1()?;
    let date = c.field()?; // 2005.06.03
    if date.len() != 10 || date[4] != b'.' {
        return None;
    }
    c.field()?; // node
    let local = c.field()?; // 2005-06-03-15.42.50.675872
    if local.len() < 19 || local[4] != b'-' || local[10] != b'-' {
        return None;
    }
    c.field()?; // node again
    c.field()?; // type (RAS)
    c.field()?; // component
    let level = Level::from_word(c.field()?)?;
    Some(Parsed {
        level,
        time: Some(t),
        content: c.i,
    })
}

fn thunderbird(c: &mut Cur) -> Option<Parsed> {
    c.field()?;
    let t = c.int()?;
    c.space1()?;
    let date = c.field()?;
    if date.len() != 10 || date[4] != b'.' {
        return None;
    }
    c.field()?; // node
    c.month()?;
    c.space1()?;
    c.num(1, 2)?;
    c.space1()?;
    c.hms(2)?;
    c.spaces();
    Some(Parsed {
        level: Level::Unknown,
        time: Some(t),
        content: c.i,
    })
}

/// Syslog-style `host comp[pid]: msg` tail: the message starts after the first `: `.
fn after_component(c: &mut Cur) -> usize {
    match c.find(b": ") {
        Some(p) => p + 2,
        None => c.i,
    }
}

fn hpc(c: &mut Cur) -> Option<Parsed> {
    c.int()?;
    c.space1()?;
    c.field()?; // node
    c.field()?; // component
    c.field()?; // state
    let t = c.int()?;
    if !(100_000_000..10_000_000_000).contains(&t) {
        return None;
    }
    c.space1()?;
    c.eat(b'-');
    c.int()?; // flag (1, 0 or -1)
    c.spaces();
    Some(Parsed {
        level: Level::Unknown,
        time: Some(t),
        content: c.i,
    })
}

fn android(c: &mut Cur, year: i64) -> Option<Parsed> {
    let mo = c.num(2, 2)?;
    c.eat(b'-')?;
    let d = c.num(2, 2)?;
    c.eat(b' ')?;
    let (h, mi, s) = c.hms(2)?;
    c.fraction();
    c.space1()?;
    c.int()?; // pid
    c.space1()?;
    c.int()?; // tid
    c.space1()?;
    let tag = c.token();
    let level = match tag {
        b"V" => Level::Trace,
        b"D" => Level::Debug,
        b"I" => Level::Info,
        b"W" => Level::Warn,
        b"E" => Level::Error,
        b"F" | b"A" => Level::Fatal,
        _ => return None,
    };
    let time = epoch(year, mo, d, h, mi, s)?;
    Some(Parsed {
        level,
        time: Some(time),
        content: c.i,
    })
}

fn apache_error(c: &mut Cur) -> Option<Parsed> {
    c.eat(b'[')?;
    let weekday = c.token();
    if weekday.len() != 3 {
        return None;
    }
    c.space1()?;
    let mo = c.month()?;
    c.space1()?;
    let d = c.num(1, 2)?;
    c.space1()?;
    let (h, mi, s) = c.hms(2)?;
    c.fraction();
    c.space1()?;
    let y = c.num(4, 4)?;
    c.eat(b']')?;
    c.spaces();
    c.eat(b'[')?;
    let end = c.find(b"]")?;
    let field = &c.b[c.i..end];
    let word = match field.iter().rposition(|&b| b == b':') {
        Some(p) => &field[p + 1..],
        None => field,
    };
    let level = Level::from_word(word)?;
    c.i = end + 1;
    c.spaces();
    let time = epoch(i64::from(y), mo, d, h, mi, s)?;
    Some(Parsed {
        level,
        time: Some(time),
        content: c.i,
    })
}

fn access(c: &mut Cur) -> Option<Parsed> {
    c.field()?; // host
    c.field()?; // ident
    // user: may be `-` or a name; the timestamp bracket follows
    let open = c.find(b" [")? + 2;
    c.i = open;
    let d = c.num(2, 2)?;
    c.eat(b'/')?;
    let mo = c.month()?;
    c.eat(b'/')?;
    let y = c.num(4, 4)?;
    c.eat(b':')?;
    let (h, mi, s) = c.hms(2)?;
    c.space1()?;
    let sign = c.peek()?;
    c.i += 1;
    let oh = c.num(2, 2)?;
    let om = c.num(2, 2)?;
    c.eat(b']')?;
    c.space1()?;
    c.eat(b'"')?;
    let off = i64::from(oh * 3600 + om * 60);
    let off = match sign {
        b'+' => off,
        b'-' => -off,
        _ => return None,
    };
    let time = epoch(i64::from(y), mo, d, h, mi, s)? - off;
    Some(Parsed {
        level: Level::Unknown,
        time: Some(time),
        content: c.i - 1,
    })
}

fn hdfs(c: &mut Cur) -> Option<Parsed> {
    let y = c.num(2, 2)?;
    let mo = c.num(2, 2)?;
    let d = c.num(2, 2)?;
    c.eat(b' ')?;
    let h = c.num(2, 2)?;
    let mi = c.num(2, 2)?;
    let s = c.num(2, 2)?;
    c.space1()?;
    c.int()?; // pid
    c.space1()?;
    let level = Level::from_word(c.token())?;
    let time = epoch(2000 + i64::from(y), mo, d, h, mi, s)?;
    Some(Parsed {
        level,
        time: Some(time),
        content: c.i,
    })
}

fn spark(c: &mut Cur) -> Option<Parsed> {
    let y = c.num(2, 2)?;
    c.eat(b'/')?;
    let mo = c.num(2, 2)?;
    c.eat(b'/')?;
    let d = c.num(2, 2)?;
    c.eat(b' ')?;
    let (h, mi, s) = c.hms(2)?;
    c.space1()?;
    let level = Level::from_word(c.token())?;
    let time = epoch(2000 + i64::from(y), mo, d, h, mi, s)?;
    Some(Parsed {
        level,
        time: Some(time),
        content: c.i,
    })
}

fn healthapp(c: &mut Cur) -> Option<Parsed> {
    let y = c.num(4, 4)?;
    let mo = c.num(2, 2)?;
    let d = c.num(2, 2)?;
    c.eat(b'-')?;
    let (h, mi, s) = c.hms(1)?;
    c.eat(b':')?;
    c.num(1, 3)?;
    c.eat(b'|')?;
    let mut content = c.i;
    for _ in 0..2 {
        content = memchr::memchr(b'|', &c.b[content..]).map(|p| content + p + 1)?;
    }
    let time = epoch(i64::from(y), mo, d, h, mi, s)?;
    Some(Parsed {
        level: Level::Unknown,
        time: Some(time),
        content,
    })
}

fn proxifier(c: &mut Cur, year: i64) -> Option<Parsed> {
    c.eat(b'[')?;
    let mo = c.num(2, 2)?;
    c.eat(b'.')?;
    let d = c.num(2, 2)?;
    c.eat(b' ')?;
    let (h, mi, s) = c.hms(2)?;
    c.eat(b']')?;
    c.space1()?;
    let time = epoch(year, mo, d, h, mi, s)?;
    let content = c.find(b" - ").map_or(c.i, |p| p + 3);
    Some(Parsed {
        level: Level::Unknown,
        time: Some(time),
        content,
    })
}

fn openstack(c: &mut Cur) -> Option<Parsed> {
    let file = c.field()?;
    if !file.contains(&b'.') {
        return None;
    }
    let time = iso_datetime(c)?;
    c.space1()?;
    c.int()?; // pid
    c.space1()?;
    let level = Level::from_word(c.token())?;
    let content = c.i;
    Some(Parsed {
        level,
        time: Some(time),
        content,
    })
}

/// `<PRI>`: the syslog severity (PRI mod 8) as a level.
fn priority(c: &mut Cur) -> Option<Level> {
    c.eat(b'<')?;
    let pri = c.num(1, 3)?;
    c.eat(b'>')?;
    if pri > 191 {
        return None;
    }
    Some(Level::from_syslog_severity((pri % 8) as u8))
}

fn syslog5424(c: &mut Cur) -> Option<Parsed> {
    let level = priority(c)?;
    c.num(1, 2)?; // version
    c.space1()?;
    let time = if c.eat(b'-').is_some() {
        None
    } else {
        Some(iso_datetime(c)?)
    };
    c.space1()?;
    for _ in 0..4 {
        c.field()?; // host, app, procid, msgid
    }
    // structured data: `-` or one or more `[...]` elements
    if c.eat(b'-').is_none() {
        while c.peek() == Some(b'[') {
            let mut escaped = false;
            while let Some(b) = c.peek() {
                c.i += 1;
                match b {
                    b'\\' if !escaped => escaped = true,
                    b']' if !escaped => break,
                    _ => escaped = false,
                }
            }
        }
    }
    c.spaces();
    Some(Parsed {
        level,
        time,
        content: c.i,
    })
}

fn syslog3164(c: &mut Cur, year: i64) -> Option<Parsed> {
    let pri = if c.peek() == Some(b'<') {
        Some(priority(c)?)
    } else {
        None
    };
    let level = pri.unwrap_or(Level::Unknown);
    // rsyslog's high-precision form puts an RFC 3339 time after the priority
    let time = if pri.is_some() && matches!(c.peek(), Some(b'0'..=b'9')) {
        iso_datetime(c)?
    } else {
        let mo = c.month()?;
        c.space1()?;
        let d = c.num(1, 2)?;
        c.space1()?;
        let (h, mi, s) = c.hms(2)?;
        epoch(year, mo, d, h, mi, s)?
    };
    c.space1()?;
    c.field()?; // host
    Some(Parsed {
        level,
        time: Some(time),
        content: c.i,
    })
}

fn iso_app(c: &mut Cur) -> Option<Parsed> {
    iso_app_cached(c, &mut MinuteCache::default())
}

/// Parses an [`Format::Iso8601`] line, reusing the previous line's minute when its date and
/// minute bytes are the same (see [`MinuteCache`]); gives exactly what [`parse`] gives.
pub fn parse_iso_cached(line: &[u8], cache: &mut MinuteCache) -> Option<Parsed> {
    iso_fast(line, cache).or_else(|| iso_app_cached(&mut Cur { b: line, i: 0 }, cache))
}

/// The common shape of an ISO line whose minute is the cached one, read at fixed offsets:
/// `<cached YYYY-MM-DDTHH:MM>:SS[.frac]Z LEVEL ...` (or no `Z`), the level an upper-case word.
/// Returns `None` for anything else (the general parser then reads the line), so whenever it
/// answers, it answers what [`iso_app_cached`] would: the same bytes take the same branches there.
#[inline]
fn iso_fast(line: &[u8], cache: &MinuteCache) -> Option<Parsed> {
    if !cache.valid || line.len() < 22 || line[..16] != cache.prefix || line[16] != b':' {
        return None;
    }
    let (d1, d2) = (line[17].wrapping_sub(b'0'), line[18].wrapping_sub(b'0'));
    if d1 > 9 || d2 > 9 {
        return None;
    }
    let s = d1 * 10 + d2;
    if s > 60 {
        return None;
    }
    let mut i = 19;
    if matches!(line[19], b'.' | b',') && line[20].is_ascii_digit() {
        i = 21;
        while i < line.len() && line[i].is_ascii_digit() {
            i += 1;
        }
    }
    if line.get(i) == Some(&b'Z') {
        i += 1;
    }
    if line.get(i) != Some(&b' ') {
        return None;
    }
    // the level token: after spaces, up to the next space, tab or the end
    let mut j = i + 1;
    while line.get(j) == Some(&b' ') {
        j += 1;
    }
    let mut e = j;
    while e < line.len() && line[e].is_ascii_uppercase() {
        e += 1;
    }
    if e == j || !matches!(line.get(e), None | Some(b' ' | b'\t')) {
        return None;
    }
    // the usual spellings first, without the general word table
    let level = match &line[j..e] {
        b"INFO" => Level::Info,
        b"DEBUG" => Level::Debug,
        b"WARN" => Level::Warn,
        b"ERROR" => Level::Error,
        word => Level::from_word(word)?,
    };
    Some(Parsed {
        level,
        time: Some(cache.local + i64::from(s.min(59))),
        content: e,
    })
}

/// The level words of [`IsoFixed`], by the low five bits of their first letter (the line's
/// slot); `None` for other letters.
const LEVEL_WORDS: [Option<(&[u8], Level)>; 32] = {
    let mut t: [Option<(&[u8], Level)>; 32] = [None; 32];
    t[(b'I' & 0x1F) as usize] = Some((b"INFO ", Level::Info));
    t[(b'D' & 0x1F) as usize] = Some((b"DEBUG ", Level::Debug));
    t[(b'W' & 0x1F) as usize] = Some((b"WARN ", Level::Warn));
    t[(b'E' & 0x1F) as usize] = Some((b"ERROR ", Level::Error));
    t[(b'F' & 0x1F) as usize] = Some((b"FATAL ", Level::Fatal));
    t[(b'T' & 0x1F) as usize] = Some((b"TRACE ", Level::Trace));
    t
};

/// The level of each slot of [`IsoFixed::check`] (`Unknown` for slots it never answers).
pub(crate) const SLOT_LEVEL: [Level; 32] = {
    let mut t = [Level::Unknown; 32];
    let mut i = 0;
    while i < 32 {
        if let Some((_, level)) = LEVEL_WORDS[i] {
            t[i] = level;
        }
        i += 1;
    }
    t
};

/// For each slot, the accepted range of each of bytes 16..32 of a fixed-shape line: `:SS.fffZ `
/// (tens of seconds up to 5: a leap second takes the full parse), the slot's level word, then
/// anything. A slot without a level word accepts nothing (its first range is empty).
#[cfg(target_arch = "x86_64")]
#[repr(C, align(16))]
struct TailRanges([[[u8; 16]; 2]; 32]);

/// Ranges that no byte is in, for [`IsoFixed::NONE`].
#[cfg(target_arch = "x86_64")]
static NO_RANGES: TailRanges = TailRanges([[[0xFF; 16], [0; 16]]; 32]);

#[cfg(target_arch = "x86_64")]
static TAIL_RANGES: TailRanges = {
    let mut t = [[[0u8; 16], [0xFF; 16]]; 32];
    let mut slot = 0;
    while slot < 32 {
        match LEVEL_WORDS[slot] {
            Some((word, _)) => {
                let lo = b":00.000Z ";
                let hi = b":59.999Z ";
                let mut i = 0;
                while i < 9 {
                    t[slot][0][i] = lo[i];
                    t[slot][1][i] = hi[i];
                    i += 1;
                }
                let mut k = 0;
                while k < word.len() {
                    t[slot][0][9 + k] = word[k];
                    t[slot][1][9 + k] = word[k];
                    k += 1;
                }
            }
            None => {
                t[slot][0][0] = 0xFF;
                t[slot][1][0] = 0;
            }
        }
        slot += 1;
    }
    TailRanges(t)
};

#[cfg(any(test, not(target_arch = "x86_64")))]
fn le_u64(b: &[u8], i: usize) -> u64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(&b[i..i + 8]);
    u64::from_le_bytes(a)
}

/// The most common ISO line shape, `<cached YYYY-MM-DDTHH:MM>:SS.fffZ LEVEL ...` with an
/// upper-case level word among INFO, DEBUG, WARN, ERROR, FATAL and TRACE, checked with a few
/// compares and no loop. [`IsoFixed::check`] answers the line's slot (its level is
/// [`SLOT_LEVEL`]) and its second, or `None` for any other line (which [`parse_iso_cached`] then
/// reads). When it answers, [`iso_fast`] (and so [`parse`]) answers the same level and
/// `cache.local + second`: the bytes it accepts take exactly that path there. The bytes read all
/// lie before the level word's closing space, so a `\r` before the newline is never among them.
///
/// This runs once per line of most application logs, so its instruction count is the log pass's
/// speed: on x86-64 the first 32 bytes are checked as two SSE2 vectors (SSE2 is part of the
/// x86-64 baseline, so this inlines into any caller): the first 16 against the cached minute, the
/// next 16 byte by byte against the ranges of the line's slot (a fixed byte, a digit, the level
/// word, or anything), with unsigned `max`/`min` compares. Elsewhere, 8- and 16-byte integer
/// compares do the same.
#[derive(Clone, Copy)]
pub(crate) struct IsoFixed {
    /// The cached minute; `None` for [`IsoFixed::NONE`], which accepts no line.
    key: Option<u128>,
    #[cfg(target_arch = "x86_64")]
    head: std::arch::x86_64::__m128i,
    /// [`TAIL_RANGES`], or for [`IsoFixed::NONE`] ranges that accept nothing.
    #[cfg(target_arch = "x86_64")]
    ranges: &'static TailRanges,
}

impl IsoFixed {
    /// The shape for the minute `key` ([`MinuteCache::key`]), or [`IsoFixed::NONE`] for none.
    pub(crate) fn new(key: Option<u128>) -> IsoFixed {
        IsoFixed {
            key,
            #[cfg(target_arch = "x86_64")]
            // SAFETY: SSE2 is part of the x86-64 baseline; the load reads a 16-byte array.
            head: unsafe {
                std::arch::x86_64::_mm_loadu_si128(key.unwrap_or(0).to_le_bytes().as_ptr().cast())
            },
            #[cfg(target_arch = "x86_64")]
            ranges: if key.is_some() {
                &TAIL_RANGES
            } else {
                &NO_RANGES
            },
        }
    }

    /// The minute this shape is for.
    pub(crate) fn key(&self) -> Option<u128> {
        self.key
    }

    /// The line's slot (0..32, the low five bits of its level word's first letter) and its
    /// second as two ASCII digits read big-endian (so that they compare as the second does;
    /// [`second`] turns them into 0..=59), when `line` has the shape.
    #[inline(always)]
    pub(crate) fn check(&self, line: &[u8]) -> Option<(usize, u16)> {
        if line.len() < 32 {
            return None;
        }
        let slot = usize::from(line[25] & 0x1F);
        self.shape(line, slot)
            .then(|| (slot, u16::from_be_bytes([line[17], line[18]])))
    }

    /// Whether bytes 0..32 of `line` (at least 32) are the cached minute, `:SS.fffZ ` and
    /// `slot`'s level word.
    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    fn shape(&self, line: &[u8], slot: usize) -> bool {
        use std::arch::x86_64::{
            _mm_cmpeq_epi8, _mm_load_si128, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128,
            _mm_setzero_si128, _mm_subs_epu8, _mm_xor_si128,
        };
        debug_assert!(line.len() >= 32 && slot < 32);
        let [lo, hi] = &self.ranges.0[slot & 31];
        // SAFETY: SSE2 is part of the x86-64 baseline; the unaligned loads read bytes 0..32 of
        // `line`, which the caller checked are there, and the aligned ones read 16-byte rows of
        // a 16-byte-aligned table.
        unsafe {
            let (lo, hi) = (
                _mm_load_si128(lo.as_ptr().cast()),
                _mm_load_si128(hi.as_ptr().cast()),
            );
            let a = _mm_loadu_si128(line.as_ptr().cast());
            let b = _mm_loadu_si128(line.as_ptr().add(16).cast());
            // zero where a byte is as it should be: the minute equal, the rest in its range
            // (a saturating difference is zero unless the byte is above `hi` or below `lo`)
            let miss = _mm_or_si128(
                _mm_xor_si128(a, self.head),
                _mm_or_si128(_mm_subs_epu8(b, hi), _mm_subs_epu8(lo, b)),
            );
            _mm_movemask_epi8(_mm_cmpeq_epi8(miss, _mm_setzero_si128())) == 0xFFFF
        }
    }

    /// [`IsoFixed::shape`] with integer compares.
    #[cfg(not(target_arch = "x86_64"))]
    #[inline(always)]
    fn shape(&self, line: &[u8], slot: usize) -> bool {
        self.shape_swar(line, slot)
    }

    /// [`IsoFixed::shape`] with 8- and 16-byte integer compares (other targets than x86-64; on
    /// x86-64 only for the test that compares it with the SSE2 check).
    #[cfg(any(test, not(target_arch = "x86_64")))]
    #[inline(always)]
    fn shape_swar(&self, line: &[u8], slot: usize) -> bool {
        let (Some(key), Some((word, _))) = (self.key, LEVEL_WORDS[slot & 31]) else {
            return false;
        };
        let head = u128::from(le_u64(line, 0)) | (u128::from(le_u64(line, 8)) << 64);
        // `:SS.fffZ`: fixed bytes, and digits (`b ^ '0'` is 0..=9 exactly for digits)
        const FIXED_MASK: u64 = 0xFF00_0000_FF00_00FF;
        const FIXED: u64 = u64::from_le_bytes(*b":\0\0.\0\0\0Z");
        const DIGITS: u64 = 0x00FF_FFFF_00FF_FF00;
        const NIBBLES: u64 = 0xF0F0_F0F0_F0F0_F0F0;
        let t = le_u64(line, 16);
        let d = (t ^ 0x3030_3030_3030_3030) & DIGITS;
        (head == key)
            & (t & FIXED_MASK == FIXED)
            & (d & NIBBLES == 0)
            & ((d + 0x0606_0606_0606_0606) & NIBBLES == 0)
            & (line[17] <= b'5')
            & (line[24] == b' ')
            & line[25..].starts_with(word)
    }
}

/// The second (0..=59) from [`IsoFixed::check`]'s two digits.
pub(crate) fn second(tens_units: u16) -> u32 {
    let [tens, units] = tens_units.to_be_bytes();
    u32::from(tens.wrapping_sub(b'0')) * 10 + u32::from(units.wrapping_sub(b'0'))
}

fn iso_app_cached(c: &mut Cur, cache: &mut MinuteCache) -> Option<Parsed> {
    if c.peek() == Some(b'[') {
        c.i += 1; // `[2024-01-02 03:04:05] ...`
    }
    let time = iso_datetime_cached(c, cache)?;
    c.eat(b']');
    if c.peek() == Some(b',') && matches!(c.b.get(c.i + 1), Some(b' ')) {
        c.i += 1; // Windows CBS: `2016-09-28 04:30:30, Info`
    }
    if !matches!(c.peek(), None | Some(b' ' | b'\t')) {
        return None;
    }
    let (level, content) = level_field(c);
    Some(Parsed {
        level,
        time: Some(time),
        content,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The SSE2 shape check and the integer one accept the same lines: every byte of a few
    /// fixed-shape lines replaced in turn by bytes near its class (digits, separators, level
    /// letters, a newline), and lines cut at every length.
    #[test]
    fn iso_fixed_checks_agree() {
        let key = u128::from_le_bytes(*b"2026-01-01T00:07");
        let shapes = [IsoFixed::new(Some(key)), IsoFixed::new(None)];
        let lines: [&[u8]; 7] = [
            b"2026-01-01T00:07:09.123Z INFO  [w-1] done",
            b"2026-01-01T00:07:59.999Z ERROR x",
            b"2026-01-01T00:07:00.000Z DEBUG ",
            b"2026-01-01T00:07:35.001Z WARN timeout",
            b"2026-01-01T00:07:60.001Z FATAL leap second",
            b"2026-01-01T00:07:12.500Z TRACE ......",
            b"2026-01-01T00:08:12.500Z TRACE other minute",
        ];
        let near = b"0159:;./-ZzT \t\n\rEIDWFTNRSGAL\xff\x00";
        let mut checked = 0;
        for line in lines {
            let mut variants = vec![line.to_vec()];
            for i in 0..line.len().min(40) {
                for &b in near {
                    let mut v = line.to_vec();
                    v[i] = b;
                    variants.push(v);
                }
            }
            for cut in 0..line.len() {
                variants.push(line[..cut].to_vec());
            }
            for v in &variants {
                for shape in &shapes {
                    let swar = (v.len() >= 32)
                        .then(|| usize::from(v[25] & 0x1F))
                        .filter(|&slot| shape.shape_swar(v, slot));
                    let sse = shape.check(v).map(|(slot, _)| slot);
                    assert_eq!(sse, swar, "{:?}", String::from_utf8_lossy(v));
                    checked += 1;
                }
            }
        }
        assert!(checked > 5000);
    }
    use crate::logs::time::epoch;

    fn p(format: Format, line: &str) -> Option<Parsed> {
        parse(format, line.as_bytes(), 2000)
    }

    #[test]
    fn iso_levels_come_from_the_level_field() {
        let r = p(
            Format::Iso8601,
            "2024-03-01T10:00:00Z INFO request failed with error 500",
        )
        .unwrap();
        assert_eq!(r.level, Level::Info);
        let r = p(
            Format::Iso8601,
            "2024-03-01 10:00:00,123 - WARNING [main] x: boom",
        )
        .unwrap();
        assert_eq!(r.level, Level::Warn);
        let r = p(
            Format::Iso8601,
            "2024-03-01 10:00:00 [worker-1] ERROR c.Foo - bad",
        )
        .unwrap();
        assert_eq!(r.level, Level::Error);
        let r = p(Format::Iso8601, "2024-03-01 10:00:00 user said ERROR").unwrap();
        assert_eq!(r.level, Level::Unknown);
        assert!(p(Format::Iso8601, "2024-13-01 10:00:00 INFO x").is_none());
    }

    #[test]
    fn offsets_convert_to_utc() {
        let r = p(Format::Iso8601, "2024-03-01T10:30:00+02:30 INFO x").unwrap();
        assert_eq!(r.time, epoch(2024, 3, 1, 8, 0, 0));
        let r = p(
            Format::Access,
            r#"10.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.0" 200 2326"#,
        )
        .unwrap();
        assert_eq!(r.time, epoch(2000, 10, 10, 20, 55, 36));
    }

    #[test]
    fn syslog_priorities() {
        let r = p(Format::Syslog3164, "<11>Jan  5 01:02:03 host app[1]: x").unwrap();
        assert_eq!(r.level, Level::Error);
        let r = p(
            Format::Syslog5424,
            "<165>1 2003-10-11T22:14:15.003Z h app - ID47 - msg",
        )
        .unwrap();
        assert_eq!(r.level, Level::Info);
        assert_eq!(r.time, epoch(2003, 10, 11, 22, 14, 15));
        assert_eq!(
            &b"<165>1 2003-10-11T22:14:15.003Z h app - ID47 - msg"[r.content..],
            b"msg"
        );
    }

    #[test]
    fn detection_picks_the_matching_format() {
        let s = b"Jun 14 15:16:01 combo sshd(pam_unix)[19939]: check pass; user unknown\n";
        assert_eq!(detect(s, 2000), Format::Syslog3164);
        assert_eq!(detect(b"\x00\x01\x02 binary\n", 2000), Format::Unknown);
        assert_eq!(
            detect(b"{\"level\":\"warn\",\"ts\":1}\n", 2000),
            Format::Json
        );
        assert_eq!(
            detect(b"ts=2024-01-01T00:00:00Z level=info msg=hi\n", 2000),
            Format::Logfmt
        );
    }

    #[test]
    fn random_lines_never_panic() {
        // bytes drawn from a log-like alphabet so parsers get deep before failing
        const ALPHABET: &[u8] =
            b"0123456789 -:.,/[]<>{}\"=|TZ+INFOWARNERRORDEBUGJanDecSun\xff\x00\t\r";
        let mut state = 0x1234_5678_9abc_def0u64;
        let analyzer = crate::logs::Analyzer::new(Format::Iso8601, 2000, &[]).unwrap();
        for _ in 0..20_000 {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            let len = (state >> 58) as usize;
            let line: Vec<u8> = (0..len)
                .map(|i| {
                    let x = state.rotate_left(i as u32 * 7) >> 40;
                    ALPHABET[x as usize % ALPHABET.len()]
                })
                .collect();
            for format in Format::DETECTABLE {
                if let Some(p) = parse(format, &line, 2000) {
                    let _ = message(format, &line, &p);
                }
            }
            let _ = detect(&line, 2000);
            let _ = analyzer.analyse_all(&line);
        }
    }

    #[test]
    fn truncated_lines_do_not_parse_and_do_not_panic() {
        let full = "- 1117838570 2005.06.03 R02-M1-N0-C:J12-U11 2005-06-03-15.42.50.675872 R02-M1-N0-C:J12-U11 RAS KERNEL INFO x";
        for format in Format::DETECTABLE {
            for cut in 0..full.len() {
                let _ = parse(format, &full.as_bytes()[..cut], 2000);
            }
        }
        assert!(p(Format::Bgl, full).is_some());
    }
}
