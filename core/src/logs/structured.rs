//! Structured lines: JSON Lines and logfmt. The level and time come from named keys
//! (`level`/`lvl`/`severity`/`loglevel`/`levelname`, `time`/`ts`/`timestamp`/`@timestamp`/`t`).
//! JSON is parsed with serde_json (a full, exact parser); logfmt's grammar is small enough to walk.

use super::Level;
use super::formats::{Cur, Parsed, iso_datetime};

const LEVEL_KEYS: [&str; 6] = [
    "level",
    "lvl",
    "severity",
    "loglevel",
    "levelname",
    "log.level",
];
const TIME_KEYS: [&str; 7] = [
    "time",
    "ts",
    "timestamp",
    "@timestamp",
    "t",
    "datetime",
    "date",
];

/// A JSON object per line.
pub(crate) fn json(line: &[u8]) -> Option<Parsed> {
    let start = line.iter().position(|b| !b.is_ascii_whitespace())?;
    if line[start] != b'{' {
        return None;
    }
    let map: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(line).ok()?;
    let level = LEVEL_KEYS
        .iter()
        .find_map(|k| map.get(*k))
        .map_or(Level::Unknown, |v| match v {
            serde_json::Value::String(s) => {
                Level::from_word(s.as_bytes()).unwrap_or(Level::Unknown)
            }
            // bunyan/pino numeric levels
            serde_json::Value::Number(n) => n.as_u64().map_or(Level::Unknown, Level::from_bunyan),
            _ => Level::Unknown,
        });
    let time = TIME_KEYS
        .iter()
        .find_map(|k| map.get(*k))
        .and_then(|v| match v {
            serde_json::Value::String(s) => time_text(s.as_bytes()),
            serde_json::Value::Number(n) => n.as_f64().and_then(epoch_number),
            _ => None,
        });
    Some(Parsed {
        level,
        time,
        content: 0,
    })
}

/// A time value: RFC 3339 text or a number of (milli/micro/nano)seconds since the epoch.
fn time_text(text: &[u8]) -> Option<i64> {
    let mut c = Cur { b: text, i: 0 };
    if let Some(t) = iso_datetime(&mut c) {
        return Some(t);
    }
    let s = std::str::from_utf8(text).ok()?;
    s.parse::<f64>().ok().and_then(epoch_number)
}

/// Seconds from an epoch number, guessing the unit from its size (s, ms, µs, ns).
fn epoch_number(v: f64) -> Option<i64> {
    if !v.is_finite() || v < 0.0 {
        return None;
    }
    let secs = if v >= 1e17 {
        v / 1e9
    } else if v >= 1e14 {
        v / 1e6
    } else if v >= 1e11 {
        v / 1e3
    } else {
        v
    };
    (secs < 253_402_300_800.0).then(|| secs.floor() as i64)
}

/// `key=value key="quoted \" value"` pairs; the first token must be a pair.
pub(crate) fn logfmt(line: &[u8]) -> Option<Parsed> {
    let mut i = 0;
    let mut level = None;
    let mut time = None;
    let mut pairs = 0;
    while i < line.len() {
        while i < line.len() && line[i] == b' ' {
            i += 1;
        }
        if i >= line.len() {
            break;
        }
        let key_start = i;
        while i < line.len() && !matches!(line[i], b'=' | b' ' | b'"') {
            i += 1;
        }
        let key = &line[key_start..i];
        if i >= line.len() || line[i] != b'=' || key.is_empty() {
            if pairs == 0 {
                return None;
            }
            // a bare word: skip it
            while i < line.len() && line[i] != b' ' {
                i += 1;
            }
            continue;
        }
        i += 1;
        let value: &[u8] = if line.get(i) == Some(&b'"') {
            i += 1;
            let start = i;
            while i < line.len() && line[i] != b'"' {
                i += if line[i] == b'\\' { 2 } else { 1 };
            }
            let v = &line[start..i.min(line.len())];
            i += 1;
            v
        } else {
            let start = i;
            while i < line.len() && line[i] != b' ' {
                i += 1;
            }
            &line[start..i]
        };
        pairs += 1;
        let key = std::str::from_utf8(key).unwrap_or("");
        if level.is_none() && LEVEL_KEYS.contains(&key) {
            level = Some(Level::from_word(value).unwrap_or(Level::Unknown));
        } else if time.is_none() && TIME_KEYS.contains(&key) {
            time = time_text(value);
        }
    }
    if pairs == 0 || (level.is_none() && time.is_none()) {
        return None;
    }
    Some(Parsed {
        level: level.unwrap_or(Level::Unknown),
        time,
        content: 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logs::time::epoch;

    #[test]
    fn json_levels_and_times() {
        let r =
            json(br#"{"level":"warning","time":"2024-01-02T03:04:05.6+01:00","msg":"x"}"#).unwrap();
        assert_eq!(r.level, Level::Warn);
        assert_eq!(r.time, epoch(2024, 1, 2, 2, 4, 5));
        let r = json(br#"{"level":50,"time":1704164645123}"#).unwrap();
        assert_eq!(r.level, Level::Error);
        assert_eq!(r.time, epoch(2024, 1, 2, 3, 4, 5));
        assert!(json(b"{not json").is_none());
        assert_eq!(json(br#"{"msg":"error"}"#).unwrap().level, Level::Unknown);
    }

    #[test]
    fn logfmt_pairs() {
        let r = logfmt(br#"ts=2024-01-02T03:04:05Z level=error msg="disk \"full\"" x"#).unwrap();
        assert_eq!(r.level, Level::Error);
        assert_eq!(r.time, epoch(2024, 1, 2, 3, 4, 5));
        assert!(logfmt(b"hello level=info").is_none());
        assert!(logfmt(b"a=1 b=2").is_none());
        assert!(logfmt(b"level=\"unterminated").is_some());
    }
}
