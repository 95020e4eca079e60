//! `conclave logs FILE... [--pattern NAME=REGEX]... [--templates] [--year Y] [--format json|text]`:
//! levels, formats, first/last time, a per-minute histogram, pattern counts and (optionally) mined
//! templates over one or more logs, in one pass.
//!
//! Regular files are memory-mapped and cut into pieces analysed on rayon's pool (the core merges
//! the pieces exactly); stdin, pipes and `.gz` files are streamed in 4 MiB blocks, so memory stays
//! flat whatever the input size. A file that cannot be read is reported on stderr and the command
//! exits 2, after reporting the others.

use std::fmt::Write as _;
use std::fs::File;
use std::io::{IsTerminal, Read};
use std::process::ExitCode;

use anyhow::{Context, bail};
use conclave_core::logs::report::{FileReport, Report, build_report, template_reports};
use conclave_core::logs::{
    Analyzer, DEFAULT_YEAR, Format, LinePieces, Partial, Summary, TemplateMiner, detect,
};
use indicatif::{ProgressBar, ProgressStyle};

use crate::io;

/// Bytes read from a file's start to detect its format.
const SAMPLE: usize = 64 * 1024;
/// Piece size for mapped files, and block size for streams.
const PIECE: usize = 4 * 1024 * 1024;
/// Inputs at least this large get a progress bar (when stderr is a terminal).
const PROGRESS_FROM: u64 = 256 * 1024 * 1024;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Log files; `-` reads stdin; `.gz` files are decompressed.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<String>,
    /// Count lines matching a regex, reported under NAME (repeatable).
    #[arg(long = "pattern", value_name = "NAME=REGEX")]
    patterns: Vec<String>,
    /// Mine Drain-style templates from the messages.
    #[arg(long)]
    templates: bool,
    /// The year for formats that print none (BSD syslog, Android, Proxifier).
    #[arg(long, default_value_t = DEFAULT_YEAR)]
    year: i32,
    /// Refuse a line longer than this many MiB where a line is held in memory whole: in stdin,
    /// `.gz` and pipe inputs, and with --templates.
    #[arg(long, value_name = "MIB", default_value_t = 64)]
    max_line_mib: u64,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: super::Format,
    #[command(flatten)]
    output: super::Output,
}

/// What the analysis of every input needs.
struct Job {
    year: i32,
    max_line_mib: u64,
    patterns: Vec<(String, String)>,
    progress: ProgressBar,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let patterns = parse_patterns(&args.patterns)?;
    // Compile the patterns once up front, so a bad regex is an error before any input is read.
    Analyzer::new(Format::Unknown, args.year, &patterns)?;
    let known: u64 = args
        .files
        .iter()
        .filter(|f| *f != "-" && !f.ends_with(".gz"))
        .filter_map(|f| std::fs::metadata(f).ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum();
    let progress = if std::io::stderr().is_terminal() && known >= PROGRESS_FROM {
        let bar = ProgressBar::new(known);
        if let Ok(style) =
            ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {bytes_per_sec} {eta}")
        {
            bar.set_style(style);
        }
        bar
    } else {
        ProgressBar::hidden()
    };
    let job = Job {
        year: args.year,
        max_line_mib: args.max_line_mib,
        patterns,
        progress,
    };
    let mut miner = args
        .templates
        .then(|| TemplateMiner::new(Format::Unknown, args.year));
    let mut total = Summary {
        patterns: vec![0; job.patterns.len()],
        ..Summary::default()
    };
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for path in &args.files {
        match analyse_input(&job, path, miner.as_mut()) {
            Ok((format, summary)) => {
                files.push(FileReport {
                    name: io::display_name(path).to_string(),
                    format: format.name(),
                    bytes: summary.bytes,
                    lines: summary.lines,
                });
                total.add(&summary);
            }
            Err(err) => errors.push(format!("{}: {err:#}", io::display_name(path))),
        }
    }
    job.progress.finish_and_clear();
    let templates = miner.map(|m| template_reports(m.finish()));
    let report = build_report(files, &total, &job.patterns, templates);
    let out = match args.format {
        super::Format::Json => serde_json::to_string_pretty(&report)? + "\n",
        super::Format::Text => text(&report),
    };
    args.output.write(out.as_bytes())?;
    if errors.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        for e in &errors {
            eprintln!("conclave: {e}");
        }
        Ok(ExitCode::from(2))
    }
}

fn parse_patterns(args: &[String]) -> anyhow::Result<Vec<(String, String)>> {
    let mut out: Vec<(String, String)> = Vec::new();
    for arg in args {
        let Some((name, re)) = arg.split_once('=') else {
            bail!("--pattern {arg:?}: expected NAME=REGEX");
        };
        if name.is_empty() {
            bail!("--pattern {arg:?}: the name before `=` is empty");
        }
        if out.iter().any(|(n, _)| n == name) {
            bail!("--pattern {name:?} given twice");
        }
        out.push((name.to_string(), re.to_string()));
    }
    Ok(out)
}

fn analyse_input(
    job: &Job,
    path: &str,
    miner: Option<&mut TemplateMiner>,
) -> anyhow::Result<(Format, Summary)> {
    if path == "-" {
        return stream(job, std::io::stdin().lock(), miner).context("reading stdin");
    }
    let file = File::open(path).context("cannot open")?;
    if path.ends_with(".gz") {
        let reader = flate2::read::MultiGzDecoder::new(std::io::BufReader::new(file));
        return stream(job, reader, miner).context("cannot read gzip data");
    }
    let meta = file.metadata().context("cannot stat")?;
    if !meta.is_file() || meta.len() == 0 {
        // pipes, devices, /proc files (which report length 0): stream them
        return stream(job, file, miner).context("cannot read");
    }
    let map = crate::mmap::map(&file).context("cannot map")?;
    let data: &[u8] = &map;
    let format = detect(&data[..data.len().min(SAMPLE)], job.year);
    let analyzer = Analyzer::new(format, job.year, &job.patterns)?;
    // pieces end at line ends, so nothing is copied whatever the line lengths
    let pieces = LinePieces::new(data, PIECE);
    let parts = conclave_core::par::map_tasks(pieces.count(), |i| {
        let (start, end) = pieces.range(data, i);
        let piece = &data[start..end];
        let summary = analyzer.analyse_lines(piece);
        job.progress.inc(piece.len() as u64);
        summary
    });
    let mut summary = Summary {
        patterns: vec![0; job.patterns.len()],
        ..Summary::default()
    };
    for p in &parts {
        summary.add(p);
    }
    if let Some(m) = miner {
        LineLimit::new(job.max_line_mib).check(data)?;
        m.next_input(format);
        m.feed(data);
    }
    Ok((format, summary))
}

/// Follows line lengths across blocks, for the line length limit (`--max-line-mib`).
struct LineLimit {
    max: u64,
    max_mib: u64,
    /// Bytes of the current, unfinished line.
    current: u64,
    /// 1-based number of the current line.
    line: u64,
}

impl LineLimit {
    fn new(max_mib: u64) -> LineLimit {
        LineLimit {
            max: max_mib.saturating_mul(1 << 20),
            max_mib,
            current: 0,
            line: 1,
        }
    }

    /// Takes the next bytes of the input; fails once a line is longer than the limit.
    fn check(&mut self, block: &[u8]) -> anyhow::Result<()> {
        let mut start = 0;
        for nl in memchr::memchr_iter(b'\n', block).chain([block.len()]) {
            self.current += (nl - start) as u64;
            if self.current > self.max {
                anyhow::bail!(
                    "line {} is longer than the line length limit of {} MiB (raise it with --max-line-mib)",
                    self.line,
                    self.max_mib
                );
            }
            if nl < block.len() {
                self.current = 0;
                self.line += 1;
            }
            start = nl + 1;
        }
        Ok(())
    }
}

/// Fills `buf` from `reader` until full or at end of input; returns the bytes read.
fn fill(reader: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match reader.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

fn stream(
    job: &Job,
    mut reader: impl Read,
    mut miner: Option<&mut TemplateMiner>,
) -> anyhow::Result<(Format, Summary)> {
    let mut buf = vec![0u8; PIECE];
    let mut n = fill(&mut reader, &mut buf[..SAMPLE])?;
    let format = detect(&buf[..n], job.year);
    let analyzer = Analyzer::new(format, job.year, &job.patterns)?;
    if let Some(m) = miner.as_deref_mut() {
        m.next_input(format);
    }
    n += fill(&mut reader, &mut buf[n..])?;
    let mut partial = Partial::empty();
    let mut limit = LineLimit::new(job.max_line_mib);
    while n > 0 {
        let block = &buf[..n];
        limit.check(block)?;
        partial = analyzer.merge(partial, analyzer.analyse(block));
        if let Some(m) = miner.as_deref_mut() {
            m.feed(block);
        }
        job.progress.inc(0);
        n = fill(&mut reader, &mut buf)?;
    }
    Ok((format, analyzer.finish(partial)))
}

fn text(r: &Report) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "files: {}", r.files);
    for f in &r.inputs {
        let _ = writeln!(
            s,
            "  {} ({}, {} bytes, {} lines)",
            f.name, f.format, f.bytes, f.lines
        );
    }
    let _ = writeln!(s, "bytes: {}  lines: {}", r.bytes, r.lines);
    let l = &r.levels;
    let _ = writeln!(
        s,
        "levels: FATAL {}  ERROR {}  WARN {}  INFO {}  DEBUG {}  TRACE {}  UNKNOWN {}",
        l.FATAL, l.ERROR, l.WARN, l.INFO, l.DEBUG, l.TRACE, l.UNKNOWN
    );
    let formats: Vec<String> = r.formats.iter().map(|(k, v)| format!("{k} {v}")).collect();
    let formats = if formats.is_empty() {
        "-".to_string()
    } else {
        formats.join(", ")
    };
    let _ = writeln!(s, "formats: {formats}");
    let _ = writeln!(
        s,
        "time: {} .. {}",
        r.first.as_deref().unwrap_or("-"),
        r.last.as_deref().unwrap_or("-")
    );
    let busiest = r
        .per_minute
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)));
    let _ = match busiest {
        Some((m, n)) => writeln!(
            s,
            "per minute: {} minutes, busiest {m} ({n} lines)",
            r.per_minute.len()
        ),
        None => writeln!(s, "per minute: no timestamps"),
    };
    for (name, n) in &r.patterns {
        let _ = writeln!(s, "pattern {name}: {n} lines");
    }
    if let Some(t) = &r.templates {
        let _ = writeln!(s, "templates: {}", t.len());
        for t in t.iter().take(20) {
            let _ = writeln!(
                s,
                "  {:>7}  {}  (first line {})",
                t.count, t.template, t.first_line
            );
        }
    }
    s
}

/// A small built-in application log for `conclave demo`.
const DEMO_LOG: &str = "\
2026-03-01T09:00:00Z INFO  [main] api.Server: listening on :8080
2026-03-01T09:00:02Z INFO  [worker-1] api.Handler: request GET /checkout took 120 ms
2026-03-01T09:00:03Z INFO  [worker-2] api.Handler: request GET /cart took 35 ms
2026-03-01T09:00:41Z WARN  [pool] db.Pool: connection pool at 95% (19 of 20)
2026-03-01T09:01:05Z ERROR [worker-1] api.Handler: request GET /checkout failed: timeout after 3000 ms
2026-03-01T09:01:06Z INFO  [worker-2] api.Handler: request GET /checkout took 2950 ms
2026-03-01T09:01:30Z ERROR [worker-3] api.Handler: request POST /pay failed: timeout after 3000 ms
2026-03-01T09:01:31Z INFO  [worker-1] api.Handler: retry budget has no error left for user 42
2026-03-01T09:02:00Z DEBUG [gc] runtime: pause 12 ms
2026-03-01T09:02:10Z FATAL [pool] db.Pool: connection pool exhausted, shutting down
";

pub fn demo() -> anyhow::Result<Option<String>> {
    let patterns = vec![("timeouts".to_string(), "timeout after \\d+ ms".to_string())];
    let data = DEMO_LOG.as_bytes();
    let format = detect(data, DEFAULT_YEAR);
    let summary = Analyzer::new(format, DEFAULT_YEAR, &patterns)?.analyse_all(data);
    let mut miner = TemplateMiner::new(format, DEFAULT_YEAR);
    miner.feed(data);
    let templates = template_reports(miner.finish());
    let files = vec![FileReport {
        name: "built-in sample".into(),
        format: format.name(),
        bytes: summary.bytes,
        lines: summary.lines,
    }];
    let report = build_report(files, &summary, &patterns, Some(templates));
    Ok(Some(format!(
        "## Log analysis\n\n`conclave logs app.log --pattern timeouts='timeout after \\d+ ms' --templates`:\n\n{}",
        text(&report)
    )))
}
