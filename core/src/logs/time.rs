//! Calendar arithmetic and timestamp pieces shared by the format parsers.
//!
//! Written by hand (a few lines of Howard Hinnant's `days_from_civil`) because the parsers need only
//! proleptic-Gregorian day counts, and a date crate would add a dependency for one function. Every
//! time here is UTC seconds since 1970-01-01; timestamps without a zone are taken as UTC.

/// Days since 1970-01-01 of a proleptic-Gregorian date.
pub(crate) fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count from 1970-01-01: (year, month, day).
pub(crate) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

/// Seconds since the epoch of a wall-clock time, or `None` when a field is out of range.
/// A leap second (`:60`) is accepted and counts as the last second of its minute.
pub(crate) fn epoch(
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
) -> Option<i64> {
    if !(1..=9999).contains(&year)
        || !(1..=12).contains(&month)
        || day == 0
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let second = second.min(59);
    Some(
        days_from_civil(year, month, day) * 86_400
            + i64::from(hour) * 3600
            + i64::from(minute) * 60
            + i64::from(second),
    )
}

/// `YYYY-MM-DDTHH:MM` for a minute number (seconds / 60).
pub fn format_minute(minute: i64) -> String {
    let (y, mo, d) = civil_from_days(minute.div_euclid(1440));
    let m = minute.rem_euclid(1440);
    format!("{y:04}-{mo:02}-{d:02}T{:02}:{:02}", m / 60, m % 60)
}

/// `YYYY-MM-DDTHH:MM:SSZ` for seconds since the epoch.
pub fn format_second(seconds: i64) -> String {
    let s = seconds.rem_euclid(60);
    format!("{}:{s:02}Z", format_minute(seconds.div_euclid(60)))
}

/// The month number of an English three-letter month abbreviation (any case).
pub(crate) fn month_number(name: &[u8]) -> Option<u32> {
    const MONTHS: [&[u8; 3]; 12] = [
        b"jan", b"feb", b"mar", b"apr", b"may", b"jun", b"jul", b"aug", b"sep", b"oct", b"nov",
        b"dec",
    ];
    if name.len() != 3 {
        return None;
    }
    let lower = [
        name[0].to_ascii_lowercase(),
        name[1].to_ascii_lowercase(),
        name[2].to_ascii_lowercase(),
    ];
    MONTHS
        .iter()
        .position(|m| **m == lower)
        .map(|i| i as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_counts_round_trip_across_eras() {
        for days in (-800_000..800_000).step_by(997) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days, "{y}-{m}-{d}");
        }
    }

    #[test]
    fn known_epochs() {
        // 1117838570 is BGL's first line: 2005-06-03 22:42:50 UTC (`date -u -d @1117838570`).
        assert_eq!(epoch(2005, 6, 3, 22, 42, 50), Some(1_117_838_570));
        assert_eq!(epoch(1970, 1, 1, 0, 0, 0), Some(0));
        assert_eq!(epoch(2023, 2, 29, 0, 0, 0), None);
        assert_eq!(epoch(2024, 2, 29, 0, 0, 0), Some(1_709_164_800));
        assert_eq!(format_minute(1_117_838_570 / 60), "2005-06-03T22:42");
        assert_eq!(format_second(-1), "1969-12-31T23:59:59Z");
    }

    #[test]
    fn months() {
        assert_eq!(month_number(b"Jan"), Some(1));
        assert_eq!(month_number(b"DEC"), Some(12));
        assert_eq!(month_number(b"Dez"), None);
    }
}
