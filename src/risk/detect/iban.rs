//! IBANs: two-letter country, two check digits and a BBAN, optionally grouped by spaces, valid
//! only when the ISO 7064 mod-97 remainder is 1 and, for the countries listed, the length is the
//! registered one.

use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

fn pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"\b[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]{1,4}){3,8}\b").expect("static pattern")
    })
}

/// Registered IBAN lengths of common countries (SWIFT IBAN registry).
const LENGTHS: &[(&str, usize)] = &[
    ("AT", 20),
    ("BE", 16),
    ("BG", 22),
    ("CH", 21),
    ("CY", 28),
    ("CZ", 24),
    ("DE", 22),
    ("DK", 18),
    ("EE", 20),
    ("ES", 24),
    ("FI", 18),
    ("FR", 27),
    ("GB", 22),
    ("GR", 27),
    ("HR", 21),
    ("HU", 28),
    ("IE", 22),
    ("IS", 26),
    ("IT", 27),
    ("LI", 21),
    ("LT", 20),
    ("LU", 20),
    ("LV", 21),
    ("MC", 27),
    ("MT", 31),
    ("NL", 18),
    ("NO", 15),
    ("PL", 28),
    ("PT", 25),
    ("RO", 24),
    ("SE", 24),
    ("SI", 19),
    ("SK", 24),
    ("SM", 27),
    ("TR", 26),
    ("AE", 23),
    ("SA", 24),
    ("IL", 23),
    ("BR", 29),
];

/// Whether `s` is exactly a valid IBAN (spaces between groups allowed).
pub fn is_iban(s: &str) -> bool {
    pattern().find(s).is_some_and(|m| m.range() == (0..s.len())) && valid(s)
}

/// The mod-97 check of an IBAN with spaces removed.
fn valid(candidate: &str) -> bool {
    let compact: Vec<u8> = candidate.bytes().filter(|b| *b != b' ').collect();
    let len = compact.len();
    let country = compact
        .get(..2)
        .and_then(|c| std::str::from_utf8(c).ok())
        .unwrap_or("");
    let length_ok = match LENGTHS.iter().find(|(c, _)| *c == country) {
        Some(&(_, expected)) => len == expected,
        None => (15..=34).contains(&len),
    };
    if !length_ok || !compact.iter().all(u8::is_ascii_alphanumeric) {
        return false;
    }
    // Move the first four characters to the end, read letters as 10..35, reduce mod 97.
    let mut remainder = 0u32;
    for &b in compact[4..].iter().chain(&compact[..4]) {
        let v = if b.is_ascii_digit() {
            u32::from(b - b'0')
        } else {
            u32::from(b.to_ascii_uppercase() - b'A') + 10
        };
        remainder = if v >= 10 {
            (remainder * 100 + v) % 97
        } else {
            (remainder * 10 + v) % 97
        };
    }
    remainder == 1
}

pub(crate) fn find(text: &str, out: &mut Vec<Range<usize>>) {
    for m in pattern().find_iter(text) {
        // A trailing upper-case word can be swallowed as a last group: retry without it.
        let mut candidate = m.as_str();
        for _ in 0..3 {
            if valid(candidate) {
                out.push(m.start()..m.start() + candidate.len());
                break;
            }
            match candidate.rfind(' ') {
                Some(i) => candidate = &candidate[..i],
                None => break,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ibans() {
        let cases = [
            ("GB82WEST12345698765432", true),
            ("GB82 WEST 1234 5698 7654 32", true),
            ("GB82WEST12345698765433", false),
            ("GB83WEST12345698765432", false),
            ("DE89370400440532013000", true),
            ("DE8937040044053201300", false),
            ("FR1420041010050500013M02606", true),
            ("NL91ABNA0417164300", true),
            ("XX00", false),
            ("", false),
        ];
        for (s, want) in cases {
            assert_eq!(is_iban(s), want, "{s}");
        }
    }

    #[test]
    fn finds_ibans_in_text() {
        let text = "IBAN GB82 WEST 1234 5698 7654 32 NOW PAID";
        let mut out = Vec::new();
        find(text, &mut out);
        assert_eq!(
            out.iter().map(|r| &text[r.clone()]).collect::<Vec<_>>(),
            ["GB82 WEST 1234 5698 7654 32"]
        );
    }
}
