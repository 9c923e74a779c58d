//! Reading numbers, dates and timestamps from their PostgreSQL text form as one `f64`, for the
//! linkage check of perturbed columns.
//!
//! The perturbing transforms write numbers (`noise`), ranges or bucket labels (`bucket`,
//! `generalize`), dates and timestamps (`shift_date`) and coarsened dates (`generalize_date`);
//! this module does not depend on their exact output format. A date becomes seconds since
//! 1970-01-01 UTC; `YYYY-MM` and `YYYY` (coarsened dates) become the middle of their period,
//! which is the attacker's best single guess; a range `a-b`, `[a,b)` or `a..b` becomes its
//! midpoint. Anything else is "unparsed" and counted, never guessed.

/// What a column's values are, judged from its first parsable original.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Plain numbers.
    Number,
    /// Dates or timestamps, as seconds.
    Time,
}

/// Reads a value as `kind`, or decides the kind when it is not known yet (dates first, since a
/// date is never a plain number).
pub fn parse(text: &[u8], kind: Option<Kind>) -> Option<(Kind, f64)> {
    // Times are read from the bytes (every original of a date column passes through here;
    // checking UTF-8 first was a fifth of the cost); numbers go through `str::parse`.
    let text = text.trim_ascii();
    let as_number = || number(std::str::from_utf8(text).ok()?);
    match kind {
        Some(Kind::Time) => time(text, true).map(|v| (Kind::Time, v)),
        Some(Kind::Number) => as_number().map(|v| (Kind::Number, v)),
        None => time(text, false)
            .map(|v| (Kind::Time, v))
            .or_else(|| as_number().map(|v| (Kind::Number, v))),
    }
}

/// A number, or the midpoint of a range of two numbers.
pub fn number(s: &str) -> Option<f64> {
    if let Ok(v) = s.parse::<f64>() {
        return v.is_finite().then_some(v);
    }
    let mut numbers = [0.0; 3];
    let n = numbers_in(s, &mut numbers);
    match &numbers[..n] {
        [v] => Some(*v),
        [a, b] => Some((a + b) / 2.0),
        _ => None,
    }
}

/// The first (up to three) numbers written in `s`, into `out`; returns how many. A `-` is a
/// sign only at the start or after a space or bracket, otherwise it separates a range. (An
/// array, not a `Vec`: every bucket label of a linkage check passes through here.)
fn numbers_in(s: &str, out: &mut [f64; 3]) -> usize {
    let b = s.as_bytes();
    let mut n = 0;
    let mut i = 0;
    while i < b.len() && n < out.len() {
        let signed = b[i] == b'-'
            && b.get(i + 1).is_some_and(u8::is_ascii_digit)
            && (i == 0 || matches!(b[i - 1], b' ' | b'[' | b'(' | b','));
        if b[i].is_ascii_digit() || signed {
            let start = i;
            i += 1;
            while i < b.len()
                && (b[i].is_ascii_digit()
                    || (b[i] == b'.' && b.get(i + 1).is_some_and(u8::is_ascii_digit)))
            {
                i += 1;
            }
            if let Ok(v) = s[start..i].parse::<f64>() {
                out[n] = v;
                n += 1;
            }
        } else {
            i += 1;
        }
    }
    n
}

/// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn digits(b: &[u8], at: usize, n: usize) -> Option<i64> {
    let part = b.get(at..at + n)?;
    part.iter().all(u8::is_ascii_digit).then(|| {
        part.iter()
            .fold(0i64, |acc, d| acc * 10 + i64::from(d - b'0'))
    })
}

const DAY: f64 = 86_400.0;

/// A date or timestamp in seconds since the epoch (UTC when an offset is given). With
/// `coarse`, `YYYY-MM` and `YYYY` are accepted as the middle of their period.
pub fn time(b: &[u8], coarse: bool) -> Option<f64> {
    let year = digits(b, 0, 4)?;
    if b.len() == 4 {
        return coarse.then(|| days_from_civil(year, 7, 2) as f64 * DAY);
    }
    if b.get(4) != Some(&b'-') {
        return None;
    }
    let month = digits(b, 5, 2).filter(|m| (1..=12).contains(m))?;
    if b.len() == 7 {
        return coarse.then(|| (days_from_civil(year, month, 1) as f64 + 14.5) * DAY);
    }
    if b.get(7) != Some(&b'-') {
        return None;
    }
    let day = digits(b, 8, 2).filter(|d| (1..=31).contains(d))?;
    let mut secs = days_from_civil(year, month, day) as f64 * DAY;
    let rb = &b[10..];
    if rb.is_empty() {
        return Some(secs);
    }
    if !matches!(rb[0], b' ' | b'T') {
        return None;
    }
    let hh = digits(rb, 1, 2)?;
    let mm = if rb.get(3) == Some(&b':') {
        digits(rb, 4, 2)?
    } else {
        return None;
    };
    let mut i = 6;
    let mut ss = 0.0;
    if rb.get(i) == Some(&b':') {
        ss = digits(rb, i + 1, 2)? as f64;
        i += 3;
        if rb.get(i) == Some(&b'.') {
            // Microseconds at most in PostgreSQL; further digits are read and ignored.
            i += 1;
            let (mut frac, mut scale) = (0u64, 1u64);
            while let Some(d) = rb.get(i).filter(|d| d.is_ascii_digit()) {
                if scale < 1_000_000_000 {
                    frac = frac * 10 + u64::from(d - b'0');
                    scale *= 10;
                }
                i += 1;
            }
            ss += frac as f64 / scale as f64;
        }
    }
    secs += (hh * 3600 + mm * 60) as f64 + ss;
    match rb.get(i) {
        None => Some(secs),
        Some(b'Z') if i + 1 == rb.len() => Some(secs),
        Some(&sign @ (b'+' | b'-')) => {
            let oh = digits(rb, i + 1, 2)?;
            let om = match rb.get(i + 3) {
                Some(b':') => digits(rb, i + 4, 2)?,
                _ => 0,
            };
            let offset = (oh * 3600 + om * 60) as f64;
            Some(if sign == b'+' {
                secs - offset
            } else {
                secs + offset
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_ranges() {
        let cases: &[(&str, Option<f64>)] = &[
            ("42", Some(42.0)),
            ("-3.5", Some(-3.5)),
            ("1e3", Some(1000.0)),
            ("[10,20)", Some(15.0)),
            ("10-20", Some(15.0)),
            ("-20 - -10", Some(-15.0)),
            ("100..200", Some(150.0)),
            ("about", None),
            ("1 2 3", None),
        ];
        for &(s, want) in cases {
            assert_eq!(number(s), want, "{s}");
        }
    }

    #[test]
    fn dates_and_timestamps() {
        assert_eq!(time(b"1970-01-01", false), Some(0.0));
        assert_eq!(time(b"1970-01-02 00:00:01", false), Some(86_401.0));
        assert_eq!(time(b"2000-03-01", false), Some(951_868_800.0));
        assert_eq!(time(b"1970-01-01 01:00:00+01", false), Some(0.0));
        assert_eq!(time(b"1970-01-01T00:00:00.5Z", false), Some(0.5));
        assert_eq!(time(b"1969-12-31 23:00:00-01:00", false), Some(0.0));
        assert_eq!(time(b"1999", false), None);
        assert!(time(b"1999", true).is_some());
        assert!(time(b"1999-13-01", false).is_none());
        assert_eq!(parse(b"2024-01-15", None).map(|p| p.0), Some(Kind::Time));
        assert_eq!(parse(b"12.5", None), Some((Kind::Number, 12.5)));
        assert!(parse(b"2024-01", Some(Kind::Time)).is_some());
    }
}
