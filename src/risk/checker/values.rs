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
    // A plain decimal (an amount: most numbers here) is read from the bytes, without the
    // UTF-8 check that `str::parse` needs first.
    let as_number = || plain_decimal(text).or_else(|| number(std::str::from_utf8(text).ok()?));
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

/// The powers of ten an `f64` holds exactly.
const EXACT_POWERS: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// `-?digits(.digits)?` with at most 15 significant digits, read exactly as `str::parse`
/// reads it; `None` for anything else (which `str::parse` then reads).
///
/// Why: every original of a numeric perturbed column (an amount) passes through here, and the
/// general float parser was a tenth of the linkage check. With both the digits and the power
/// of ten exact in an `f64`, one IEEE division is correctly rounded, so the result is the
/// same bits `str::parse` gives (Clinger's fast path).
fn plain_decimal(b: &[u8]) -> Option<f64> {
    let (negative, digits) = match b.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, b),
    };
    let mut mantissa: u64 = 0;
    let mut count = 0usize;
    let mut scale: Option<usize> = None;
    for (i, &c) in digits.iter().enumerate() {
        match c {
            b'0'..=b'9' => {
                mantissa = mantissa * 10 + u64::from(c - b'0');
                count += 1;
                if count > 15 {
                    return None;
                }
            }
            b'.' if scale.is_none() && i > 0 => scale = Some(digits.len() - i - 1),
            _ => return None,
        }
    }
    let scale = scale.unwrap_or(0);
    if count == 0 || digits.last() == Some(&b'.') {
        return None;
    }
    let v = mantissa as f64 / EXACT_POWERS[scale];
    Some(if negative { -v } else { v })
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
    fn plain_decimals_read_as_the_float_parser_reads_them() {
        for s in [
            "0",
            "-0",
            "7",
            "12.5",
            "-3.25",
            "0.1",
            "0.3",
            "123456789012.34",
            "999999999999999",
            "0.000000000000001",
            "-0.07",
            "100.00",
            "1.",
            ".5",
            "-",
            "1.2.3",
            "+1",
            "1e3",
            "9999999999999999",
            "00012.500",
        ] {
            let want = s.parse::<f64>().ok();
            match plain_decimal(s.as_bytes()) {
                Some(v) => assert_eq!(Some(v.to_bits()), want.map(f64::to_bits), "{s}"),
                // Refused forms are left to `str::parse`.
                None => assert!(
                    s.contains(['e', '+'])
                        || s.len() > 15
                        || want.is_none()
                        || s.ends_with('.')
                        || s.starts_with('.'),
                    "{s} refused"
                ),
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn plain_decimals_agree_with_the_float_parser(
            negative: bool,
            whole in 0u64..10_000_000_000,
            frac in proptest::option::of((0u64..100_000, 1usize..6)),
        ) {
            let mut s = String::new();
            if negative {
                s.push('-');
            }
            s.push_str(&whole.to_string());
            if let Some((f, width)) = frac {
                s.push('.');
                s.push_str(&format!("{:0width$}", f % 10u64.pow(width as u32)));
            }
            let want = s.parse::<f64>().expect("a decimal");
            let got = plain_decimal(s.as_bytes());
            proptest::prop_assert_eq!(got.map(f64::to_bits), Some(want.to_bits()), "{}", s);
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
