//! US social security numbers in the `AAA-GG-SSSS` form, rejecting the ranges the SSA never
//! issues: area 000, 666 and 900–999, group 00, serial 0000, and numbers of one repeated digit.
//!
//! Undashed nine-digit numbers are not accepted: too many ordinary identifiers look like them.

use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

fn pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"\b\d{3}-\d{2}-\d{4}\b").expect("static pattern"))
}

/// Whether `s` is exactly a plausible SSN.
pub fn is_us_ssn(s: &str) -> bool {
    s.len() == 11 && pattern().is_match(s) && valid(s)
}

fn valid(candidate: &str) -> bool {
    let b = candidate.as_bytes();
    if b.len() != 11 {
        return false;
    }
    let num = |r: Range<usize>| {
        b[r].iter()
            .fold(0u32, |acc, d| acc * 10 + u32::from(d.wrapping_sub(b'0')))
    };
    let (area, group, serial) = (num(0..3), num(4..6), num(7..11));
    let digits: Vec<u8> = b.iter().copied().filter(u8::is_ascii_digit).collect();
    let repeated = digits.iter().all(|&d| d == digits[0]);
    area != 0 && area != 666 && area < 900 && group != 0 && serial != 0 && !repeated
}

pub(crate) fn find(text: &str, out: &mut Vec<Range<usize>>) {
    out.extend(
        pattern()
            .find_iter(text)
            .filter(|m| valid(m.as_str()) && super::isolated(text, m.start(), m.end(), &['-']))
            .map(|m| m.range()),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ssns() {
        let cases = [
            ("123-45-6789", true),
            ("078-05-1120", true),
            ("000-12-3456", false),
            ("666-12-3456", false),
            ("900-12-3456", false),
            ("999-12-3456", false),
            ("123-00-4567", false),
            ("123-45-0000", false),
            ("111-11-1111", false),
            ("123456789", false),
            ("123-45-67890", false),
        ];
        for (s, want) in cases {
            assert_eq!(is_us_ssn(s), want, "{s}");
        }
    }

    #[test]
    fn finds_ssns_in_text() {
        let text = "SSN 123-45-6789, not 000-12-3456 nor 1-123-45-6789";
        let mut out = Vec::new();
        find(text, &mut out);
        assert_eq!(out, vec![4..15]);
    }
}
