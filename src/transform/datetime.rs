//! Dates and timestamps for `shift_date` and `generalize_date`: pg_dump's fixed ISO forms parsed
//! and printed by hand (no allocation, no generic parser on the hot path), and user `formats`
//! for text columns through chrono.
//!
//! pg_dump always sets `DateStyle = ISO`, so a `date` is `YYYY-MM-DD`, a `timestamp` adds
//! ` HH:MM:SS[.ffffff]`, a `timestamptz` adds an offset `+HH[:MM[:SS]]`, and years before 1 AD
//! end in ` BC`. Only the calendar part and the whole seconds are rewritten; the fraction and
//! the offset are copied as they came, so a shift by whole seconds keeps them exact.

use std::fmt::Write as _;

use chrono::format::{Item, StrftimeItems};
use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime};

use crate::dump::schema::{ColumnType, TypeKind};

pub(crate) const DAY: i64 = 86_400;

/// Days since 1970-01-01 of a proleptic Gregorian date (astronomical year: 1 BC is 0).
pub(crate) fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day number (inverse of [`days_from_civil`]).
pub(crate) fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The years every date/timestamp output stays within (PostgreSQL's timestamp range, which is
/// narrower than `date`'s): 4713 BC to 294275 AD.
const MIN_YEAR: i64 = -4712;
const MAX_YEAR: i64 = 294_275;

/// One value in pg_dump's ISO form, split into what a transform changes and what it copies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PgTime<'a> {
    /// Days since 1970-01-01.
    pub days: i64,
    /// Seconds since midnight, for timestamps.
    pub secs: Option<i64>,
    /// Fraction and offset, copied verbatim (`.123456+05:30`).
    pub tail: &'a [u8],
}

fn digits(s: &[u8]) -> Option<i64> {
    if s.is_empty() || s.len() > 9 {
        return None;
    }
    let mut v = 0i64;
    for &b in s {
        if !b.is_ascii_digit() {
            return None;
        }
        v = v * 10 + i64::from(b - b'0');
    }
    Some(v)
}

/// Parses a date (`with_time = false`) or timestamp in pg_dump's ISO output.
pub(crate) fn parse_pg(s: &[u8], with_time: bool) -> Option<PgTime<'_>> {
    let (s, bc) = match s.strip_suffix(b" BC") {
        Some(rest) => (rest, true),
        None => (s, false),
    };
    let dash = s.iter().position(|&b| b == b'-')?;
    if dash < 4 {
        return None;
    }
    let year = digits(&s[..dash])?;
    let rest = &s[dash..];
    if rest.len() < 6 || rest[0] != b'-' || rest[3] != b'-' {
        return None;
    }
    let month = digits(&rest[1..3])? as u32;
    let day = digits(&rest[4..6])? as u32;
    if year == 0 || !(1..=12).contains(&month) {
        return None;
    }
    let year = if bc { 1 - year } else { year };
    if day == 0 || day > days_in_month(year, month) {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let rest = &rest[6..];
    if !with_time {
        return rest.is_empty().then_some(PgTime {
            days,
            secs: None,
            tail: rest,
        });
    }
    if rest.len() < 9 || rest[0] != b' ' || rest[3] != b':' || rest[6] != b':' {
        return None;
    }
    let (h, m, sec) = (
        digits(&rest[1..3])?,
        digits(&rest[4..6])?,
        digits(&rest[7..9])?,
    );
    if h > 23 || m > 59 || sec > 59 {
        return None;
    }
    let tail = &rest[9..];
    if !tail
        .iter()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b':' | b'+' | b'-'))
    {
        return None;
    }
    Some(PgTime {
        days,
        secs: Some(h * 3600 + m * 60 + sec),
        tail,
    })
}

fn push_2(v: i64, out: &mut Vec<u8>) {
    out.push(b'0' + (v / 10) as u8);
    out.push(b'0' + (v % 10) as u8);
}

/// Prints a value in pg_dump's ISO form; `None` when the year leaves PostgreSQL's range.
pub(crate) fn write_pg(t: &PgTime<'_>, out: &mut Vec<u8>) -> Option<()> {
    let (y, m, d) = civil_from_days(t.days);
    if !(MIN_YEAR..=MAX_YEAR).contains(&y) {
        return None;
    }
    let shown = if y <= 0 { 1 - y } else { y };
    if shown < 10_000 {
        push_2(shown / 100, out);
        push_2(shown % 100, out);
    } else {
        let _ = write_int(shown, out);
    }
    out.push(b'-');
    push_2(i64::from(m), out);
    out.push(b'-');
    push_2(i64::from(d), out);
    if let Some(s) = t.secs {
        out.push(b' ');
        push_2(s / 3600, out);
        out.push(b':');
        push_2(s / 60 % 60, out);
        out.push(b':');
        push_2(s % 60, out);
    }
    out.extend_from_slice(t.tail);
    if y <= 0 {
        out.extend_from_slice(b" BC");
    }
    Some(())
}

fn write_int(v: i64, out: &mut Vec<u8>) -> Option<()> {
    let mut s = String::new();
    write!(s, "{v}").ok()?;
    out.extend_from_slice(s.as_bytes());
    Some(())
}

/// How a temporal column's values are written.
#[derive(Debug, Clone)]
pub(crate) enum Layout {
    /// A `date` column.
    Date,
    /// A `timestamp` or `timestamptz` column (the offset travels in the tail).
    Timestamp,
    /// A text column holding dates in these chrono patterns; each value keeps its own.
    Formats(Vec<Format>),
}

/// One user pattern, checked at bind, and whether it carries a time and an offset.
#[derive(Debug, Clone)]
pub(crate) struct Format {
    pub pattern: String,
    /// The pattern used for printing (`%#z`, which chrono only parses, prints as `%:z`).
    pub print: String,
    pub has_time: bool,
    pub has_offset: bool,
}

impl Layout {
    /// The layout of a column for `transform`, from its type and the rule's `formats`.
    pub fn of(ty: &ColumnType, formats: &[String], transform: &str) -> Result<Layout, String> {
        if ty.kind.is_textual() {
            if formats.is_empty() {
                return Err(format!(
                    "`{transform}` on a text column needs `formats`, the chrono patterns its dates are written in (e.g. [\"%Y-%m-%d\"])"
                ));
            }
            return formats
                .iter()
                .map(|p| Format::new(p))
                .collect::<Result<_, _>>()
                .map(Layout::Formats);
        }
        if !formats.is_empty() {
            return Err(format!(
                "`formats` is for text columns; a `{}` column is read in pg_dump's ISO form",
                ty.sql
            ));
        }
        match ty.kind {
            TypeKind::Date => Ok(Layout::Date),
            TypeKind::Timestamp | TypeKind::TimestampTz => Ok(Layout::Timestamp),
            _ => Err(format!(
                "`{transform}` works on date, timestamp, timestamptz and text columns with `formats`, not `{}`",
                ty.sql
            )),
        }
    }

    /// Whether values carry no time of day (so only whole days can move).
    pub fn date_only(&self) -> bool {
        match self {
            Layout::Date => true,
            Layout::Timestamp => false,
            Layout::Formats(f) => f.iter().all(|f| !f.has_time),
        }
    }
}

impl Format {
    fn new(pattern: &str) -> Result<Format, String> {
        if StrftimeItems::new(pattern).any(|i| matches!(i, Item::Error)) {
            return Err(format!(
                "`formats`: {pattern:?} is not a valid chrono pattern"
            ));
        }
        let has = |specs: &[&str]| specs.iter().any(|s| pattern.contains(s));
        let has_offset = has(&["%z", "%:z", "%#z", "%::z", "%:::z"]);
        let has_time = has(&[
            "%H", "%I", "%T", "%R", "%M", "%S", "%s", "%X", "%r", "%c", "%+",
        ]);
        if !has(&["%Y", "%y", "%F", "%D", "%x", "%+", "%c", "%s", "%G"]) {
            return Err(format!("`formats`: {pattern:?} has no year"));
        }
        Ok(Format {
            pattern: pattern.to_owned(),
            print: pattern.replace("%#z", "%:z"),
            has_time,
            has_offset,
        })
    }
}

/// A value read with a user format.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Parsed {
    Date(NaiveDate),
    DateTime(NaiveDateTime),
    Zoned(DateTime<FixedOffset>),
}

impl Parsed {
    /// Reads `s` with the first of `formats` that accepts all of it.
    pub fn read<'f>(s: &str, formats: &'f [Format]) -> Option<(Parsed, &'f Format)> {
        formats.iter().find_map(|f| {
            let parsed = if f.has_offset {
                DateTime::parse_from_str(s, &f.pattern)
                    .ok()
                    .map(Parsed::Zoned)
            } else if f.has_time {
                NaiveDateTime::parse_from_str(s, &f.pattern)
                    .ok()
                    .map(Parsed::DateTime)
            } else {
                NaiveDate::parse_from_str(s, &f.pattern)
                    .ok()
                    .map(Parsed::Date)
            };
            parsed.map(|p| (p, f))
        })
    }

    /// The value moved by `secs` seconds (a date by whole days, rounded toward zero).
    pub fn shifted(self, secs: i64) -> Option<Parsed> {
        let d = Duration::try_seconds(secs)?;
        Some(match self {
            Parsed::Date(v) => Parsed::Date(v.checked_add_signed(Duration::try_days(secs / DAY)?)?),
            Parsed::DateTime(v) => Parsed::DateTime(v.checked_add_signed(d)?),
            Parsed::Zoned(v) => Parsed::Zoned(v.checked_add_signed(d)?),
        })
    }

    /// The value cut down to the start of its year, quarter, month, week or day.
    pub fn truncated(self, unit: Unit) -> Option<Parsed> {
        let cut = |d: NaiveDate| -> Option<NaiveDate> {
            let days = days_from_civil(i64::from(d.year()), d.month(), d.day());
            let (y, m, dd) = civil_from_days(unit.truncate_days(days));
            NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, dd)
        };
        Some(match self {
            Parsed::Date(v) => Parsed::Date(cut(v)?),
            Parsed::DateTime(v) => Parsed::DateTime(cut(v.date())?.and_time(NaiveTime::MIN)),
            Parsed::Zoned(v) => {
                let local = cut(v.naive_local().date())?.and_time(NaiveTime::MIN);
                Parsed::Zoned(local.and_local_timezone(*v.offset()).single()?)
            }
        })
    }

    /// Prints with the format the value came in.
    pub fn write(&self, f: &Format, out: &mut Vec<u8>) -> Option<()> {
        let mut s = String::new();
        match self {
            Parsed::Date(v) => write!(s, "{}", v.format(&f.print)),
            Parsed::DateTime(v) => write!(s, "{}", v.format(&f.print)),
            Parsed::Zoned(v) => write!(s, "{}", v.format(&f.print)),
        }
        .ok()?;
        out.extend_from_slice(s.as_bytes());
        Some(())
    }
}

/// A truncation unit of `generalize_date`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    Year,
    Quarter,
    Month,
    /// ISO weeks: back to Monday.
    Week,
    Day,
}

impl Unit {
    /// The first day of the unit containing day number `days`.
    pub fn truncate_days(self, days: i64) -> i64 {
        let (y, m, d) = civil_from_days(days);
        match self {
            Unit::Year => days_from_civil(y, 1, 1),
            Unit::Quarter => days_from_civil(y, (m - 1) / 3 * 3 + 1, 1),
            Unit::Month => days_from_civil(y, m, 1),
            // 1970-01-01 was a Thursday: (days + 3) mod 7 counts from Monday.
            Unit::Week => days - (days + 3).rem_euclid(7),
            Unit::Day => {
                let _ = d;
                days
            }
        }
    }
}

/// Whether a value is PostgreSQL's `infinity` or `-infinity`, which pass unchanged.
pub(crate) fn is_infinity(s: &[u8]) -> bool {
    s == b"infinity" || s == b"-infinity"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trips() {
        for z in [
            -2_440_588i64 - 1_000_000,
            -719_468,
            -1,
            0,
            1,
            10_957,
            2_932_896,
        ] {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
        assert_eq!(days_from_civil(2000, 1, 1), 10_957);
    }

    #[test]
    fn pg_forms_round_trip() {
        for (s, time) in [
            ("2020-02-29", false),
            ("0044-03-15 BC", false),
            ("12345-01-01", false),
            ("2020-01-01 10:00:00", true),
            ("2020-01-01 10:00:00.123456", true),
            ("2020-01-01 10:00:00+00", true),
            ("2020-01-01 10:00:00.5+05:30", true),
            ("1900-06-01 00:00:00-04:56:02", true),
            ("0001-01-01 00:00:00 BC", true),
        ] {
            let t = parse_pg(s.as_bytes(), time).unwrap_or_else(|| panic!("{s}"));
            let mut out = Vec::new();
            write_pg(&t, &mut out).unwrap();
            assert_eq!(String::from_utf8(out).unwrap(), s);
        }
        for bad in [
            "2020-02-30",
            "2021-13-01",
            "20-01-01",
            "2020-01-01x",
            "2020-01-01 25:00:00",
            "2020/01/01",
            "",
        ] {
            assert!(parse_pg(bad.as_bytes(), bad.len() > 10).is_none(), "{bad}");
        }
    }

    #[test]
    fn units_truncate() {
        let day = days_from_civil(2024, 8, 15); // a Thursday
        for (unit, (y, m, d)) in [
            (Unit::Year, (2024, 1, 1)),
            (Unit::Quarter, (2024, 7, 1)),
            (Unit::Month, (2024, 8, 1)),
            (Unit::Week, (2024, 8, 12)),
            (Unit::Day, (2024, 8, 15)),
        ] {
            assert_eq!(
                civil_from_days(unit.truncate_days(day)),
                (y, m, d),
                "{unit:?}"
            );
        }
    }
}
