//! Scanning free text (notes columns, JSON strings, passthrough SQL) for validated findings.
//!
//! Cheap prefilters decide which recognizers can possibly match before any regex runs: e-mail
//! needs an `@`; card, IBAN, SSN and phone need at least seven digits; IPv4 needs three dots;
//! IPv6 and MAC need two colons, dashes or dots; JWT needs `ey`; secret shapes are tried only
//! where one of their literal prefixes occurs. Overlapping findings are resolved by keeping the
//! earliest, then the longest, then the one earlier in [`Detector::ALL`].

use std::ops::Range;

use super::{card, date, email, iban, jwt, network, person, phone, secret, ssn, Detector};

/// Literal prefixes of the secret shapes in [`secret`].
const SECRET_HINTS: &[&str] = &[
    "AKIA",
    "ASIA",
    "AGPA",
    "AIDA",
    "AROA",
    "gh",
    "github_pat_",
    "xox",
    "sk_",
    "rk_",
    "PRIVATE KEY",
];

/// Findings in `text` as `(detector, byte range)`, in text order, without overlaps.
pub fn scan(text: &str) -> impl Iterator<Item = (Detector, Range<usize>)> {
    scan_with(text, true)
}

/// Like [`scan`], without the heuristic detectors (person names, dates of birth): for callers
/// that act only on validated findings (`json` scrub). Skipping them before overlaps are
/// resolved also means a heuristic match can no longer hide a validated one.
pub fn scan_validated(text: &str) -> impl Iterator<Item = (Detector, Range<usize>)> {
    scan_with(text, false)
}

fn scan_with(text: &str, heuristics: bool) -> impl Iterator<Item = (Detector, Range<usize>)> {
    let digits = text.bytes().filter(u8::is_ascii_digit).count();
    let count = |b: u8| text.bytes().filter(|&x| x == b).count();
    let mut found: Vec<(Detector, Range<usize>)> = Vec::new();
    let mut run = |d: Detector, f: &dyn Fn(&str, &mut Vec<Range<usize>>)| {
        let mut ranges = Vec::new();
        f(text, &mut ranges);
        found.extend(ranges.into_iter().map(|r| (d, r)));
    };
    if SECRET_HINTS.iter().any(|h| text.contains(h)) {
        run(Detector::SecretKey, &secret::find);
    }
    if text.contains("ey") && count(b'.') >= 2 {
        run(Detector::Jwt, &jwt::find);
    }
    if text.contains('@') {
        run(Detector::Email, &email::find);
    }
    if digits >= 7 {
        run(Detector::Iban, &iban::find);
        run(Detector::CardNumber, &card::find);
        run(Detector::UsSsn, &ssn::find);
        run(Detector::Phone, &phone::find);
    }
    if digits >= 4 && count(b'.') >= 3 {
        run(Detector::Ipv4, &network::find_ipv4);
    }
    let colons = count(b':');
    if colons >= 2 {
        run(Detector::Ipv6, &network::find_ipv6);
    }
    if colons >= 5 || count(b'-') >= 5 || count(b'.') >= 2 {
        run(Detector::Mac, &network::find_mac);
    }
    if heuristics && digits >= 6 {
        run(Detector::DateOfBirth, &date::find);
    }
    if heuristics && (text.bytes().any(|b| b.is_ascii_uppercase()) || !text.is_ascii()) {
        run(Detector::PersonName, &person::find);
    }
    resolve(found).into_iter()
}

/// Keeps non-overlapping findings: earliest start, then longest, then detector priority.
fn resolve(mut found: Vec<(Detector, Range<usize>)>) -> Vec<(Detector, Range<usize>)> {
    let priority = |d: Detector| {
        Detector::ALL
            .iter()
            .position(|&x| x == d)
            .unwrap_or(usize::MAX)
    };
    found.sort_by(|(da, a), (db, b)| {
        a.start
            .cmp(&b.start)
            .then(b.len().cmp(&a.len()))
            .then(priority(*da).cmp(&priority(*db)))
    });
    let mut kept: Vec<(Detector, Range<usize>)> = Vec::new();
    for (d, r) in found {
        if kept.last().is_none_or(|(_, last)| r.start >= last.end) {
            kept.push((d, r));
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, want: &[(Detector, &str)]) {
        let got: Vec<(Detector, &str)> = scan(text).map(|(d, r)| (d, &text[r])).collect();
        assert_eq!(got, want, "{text}");
    }

    #[test]
    fn finds_each_kind_in_sentences() {
        use Detector::*;
        check("nothing to see here", &[]);
        check("order 12345 shipped 2024-01-15", &[]);
        check(
            "Mail john@gmail.com or call +44 20 7946 0958.",
            &[(Email, "john@gmail.com"), (Phone, "+44 20 7946 0958")],
        );
        check(
            "card 4111 1111 1111 1111, ssn 123-45-6789",
            &[(CardNumber, "4111 1111 1111 1111"), (UsSsn, "123-45-6789")],
        );
        check(
            "pay to GB82WEST12345698765432 today",
            &[(Iban, "GB82WEST12345698765432")],
        );
        check(
            "from 10.0.0.1 and fe80::1:2:3",
            &[(Ipv4, "10.0.0.1"), (Ipv6, "fe80::1:2:3")],
        );
        check(
            "key AKIAIOSFODNN7EXAMPLE leaked",
            &[(SecretKey, "AKIAIOSFODNN7EXAMPLE")],
        );
        check(
            "Patient Mary Smith, born 1984-02-29.",
            &[(PersonName, "Mary Smith"), (DateOfBirth, "1984-02-29")],
        );
        check("invalid 4111111111111112 and 000-12-3456", &[]);
    }

    #[test]
    fn overlaps_keep_the_longest_then_priority() {
        use Detector::*;
        let found = vec![
            (Phone, 0..10),
            (CardNumber, 0..16),
            (Email, 20..30),
            (Mac, 25..35),
        ];
        assert_eq!(resolve(found), vec![(CardNumber, 0..16), (Email, 20..30)]);
        assert_eq!(
            resolve(vec![(Phone, 3..9), (Ipv4, 3..9)]),
            vec![(Ipv4, 3..9)]
        );
    }
}
