//! Telephone numbers: E.164 with a leading `+` (8–15 digits), or national numbers of 10–12
//! digits written with separators (spaces, dashes, dots or a parenthesised area code).
//!
//! Plain digit runs are never phones here (they are usually IDs or amounts), and shapes that
//! belong to other kinds are rejected: ISO dates, IPv4 addresses, thousands grouping.

use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

fn pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"\+?\(?\d[\d\-. ()]{5,22}\d").expect("static pattern"))
}

/// Whether `s` is exactly a phone number.
pub fn is_phone(s: &str) -> bool {
    valid(s)
}

fn valid(candidate: &str) -> bool {
    let digits = candidate.bytes().filter(u8::is_ascii_digit).count();
    let international = candidate.starts_with('+');
    // Every character must be a digit or a separator, with no two separators in a row except
    // a closing parenthesis followed by a space or dash.
    let body = candidate.strip_prefix('+').unwrap_or(candidate);
    if body.is_empty()
        || !body
            .bytes()
            .all(|b| b.is_ascii_digit() || b" -.()".contains(&b))
    {
        return false;
    }
    if body.contains("  ") || body.contains("--") || body.contains("..") {
        return false;
    }
    let opens = body.matches('(').count();
    if opens != body.matches(')').count() || opens > 1 {
        return false;
    }
    let separated = body.bytes().any(|b| !b.is_ascii_digit());
    if international {
        return (8..=15).contains(&digits) && !looks_like_other(body);
    }
    separated && (10..=12).contains(&digits) && !looks_like_other(body)
}

/// Shapes that share digits and separators with phone numbers but are something else.
fn looks_like_other(body: &str) -> bool {
    let groups: Vec<&str> = body
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .collect();
    let dotted = body.contains('.') && !body.contains(' ') && !body.contains('-');
    let ipv4 = dotted && body.parse::<std::net::Ipv4Addr>().is_ok();
    let thousands =
        groups.len() > 1 && groups[1..].iter().all(|g| g.len() == 3) && groups[0].len() <= 3;
    let iso_date = groups.first().is_some_and(|g| g.len() == 4)
        && groups.get(1).is_some_and(|g| g.len() == 2)
        && groups.get(2).is_some_and(|g| g.len() == 2)
        && matches!(&body[..2], "19" | "20");
    // A decimal amount such as `1234567890.12`: one dot, no other separator, and a short
    // fraction — a price, not a phone number.
    let decimal = groups.len() == 2
        && body.matches('.').count() == 1
        && groups[1].len() <= 2
        && body.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    ipv4 || thousands || iso_date || decimal
}

pub(crate) fn find(text: &str, out: &mut Vec<Range<usize>>) {
    for m in pattern().find_iter(text) {
        let mut range = m.range();
        // The class also takes a trailing `)` or separator run; trim to the last digit is done
        // by the pattern, but an opening `(` without its partner is dropped here.
        if text[range.clone()].starts_with('(') && !text[range.clone()].contains(')') {
            range.start += 1;
        }
        let candidate = &text[range.clone()];
        // A dot only joins when a digit follows it (a sentence may end right after a number).
        let dotted_on =
            |s: &str| s.starts_with('.') && s[1..].starts_with(|c: char| c.is_ascii_digit());
        let glued = dotted_on(&text[range.end..]) || text[..range.start].ends_with('.');
        if valid(candidate)
            && !glued
            && super::isolated(text, range.start, range.end, &['+', '-', '/'])
        {
            out.push(range);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones() {
        let cases = [
            ("+44 20 7946 0958", true),
            ("+14155552671", true),
            ("(415) 555-2671", true),
            ("415-555-2671", true),
            ("06 12 34 56 78", true),
            ("020 7946 0958", true),
            ("4155552671", false),
            ("2024-01-15", false),
            ("192.168.100.200", false),
            ("1.234.567.890", false),
            ("1234567890.12", false),
            ("5551234567.5", false),
            ("123-45-6789", false),
            ("+123", false),
            ("12345", false),
        ];
        for (s, want) in cases {
            assert_eq!(is_phone(s), want, "{s}");
        }
    }

    #[test]
    fn finds_phones_in_sentences() {
        let text = "Call +44 20 7946 0958 or (415) 555-2671; order 12345678901 on 2024-01-15.";
        let mut out = Vec::new();
        find(text, &mut out);
        let found: Vec<&str> = out.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(found, ["+44 20 7946 0958", "(415) 555-2671"]);
    }
}
