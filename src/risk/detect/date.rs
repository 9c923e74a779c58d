//! Dates of birth (heuristic): a calendar-valid date between 1900 and 2030 in ISO
//! (`YYYY-MM-DD`), European (`DD.MM.YYYY`, `DD/MM/YYYY`) or US (`MM/DD/YYYY`) form. In free text
//! a date only counts when a birth keyword precedes it closely, because most dates are not
//! birthdays; for a whole column the column name decides (see [`super::column`]).

use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

fn pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"\b(?:\d{4}-\d{2}-\d{2}|\d{1,2}[./]\d{1,2}[./]\d{4})\b")
            .expect("static pattern")
    })
}

fn keyword() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)\b(?:born|birth|birthday|dob|d\.o\.b\.?|geboren|geb\.|née?)\b")
            .expect("static pattern")
    })
}

fn valid_ymd(y: u32, m: u32, d: u32) -> bool {
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1900..=2030).contains(&y) && (1..=days).contains(&d)
}

/// Whether `s` is exactly a plausible birth date.
pub fn is_plausible_birth_date(s: &str) -> bool {
    if !pattern().find(s).is_some_and(|m| m.range() == (0..s.len())) {
        return false;
    }
    let parts: Vec<u32> = s
        .split(['-', '.', '/'])
        .filter_map(|p| p.parse().ok())
        .collect();
    let [a, b, c] = parts[..] else { return false };
    if s.contains('-') {
        return valid_ymd(a, b, c);
    }
    // Day-first or month-first: either reading being a real date is enough.
    valid_ymd(c, b, a) || valid_ymd(c, a, b)
}

pub(crate) fn find(text: &str, out: &mut Vec<Range<usize>>) {
    // The keyword must sit between the previous date and this one, so "born 1984-02-29, seen
    // 2024-01-16" flags only the first date.
    let mut previous_end = 0;
    for m in pattern().find_iter(text) {
        let window_start = text[..m.start()]
            .char_indices()
            .rev()
            .nth(39)
            .map_or(0, |(i, _)| i)
            .max(previous_end);
        previous_end = m.end();
        if is_plausible_birth_date(m.as_str()) && keyword().is_match(&text[window_start..m.start()])
        {
            out.push(m.range());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        let cases = [
            ("1984-02-29", true),
            ("1983-02-29", false),
            ("31.12.1999", true),
            ("12/31/1999", true),
            ("31/31/1999", false),
            ("1850-01-01", false),
            ("2024-13-01", false),
            ("19840229", false),
        ];
        for (s, want) in cases {
            assert_eq!(is_plausible_birth_date(s), want, "{s}");
        }
    }

    #[test]
    fn needs_a_keyword_in_text() {
        let text = "Invoice 2024-01-15. Patient born on 1984-02-29, seen 2024-01-16.";
        let mut out = Vec::new();
        find(text, &mut out);
        let found: Vec<&str> = out.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(found, ["1984-02-29"]);
    }
}
