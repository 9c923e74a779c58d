//! Payment card numbers: 12–19 digits, optionally grouped by single spaces or dashes, with a
//! known issuer prefix and a valid Luhn check digit.
//!
//! The issuer prefix check is what keeps ordinary 12–19 digit identifiers out: a random number
//! passes Luhn one time in ten, but few ID schemes also start like a card.

use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

fn pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"\b\d(?:[ \-]?\d){11,18}\b").expect("static pattern"))
}

/// Whether `s` is exactly a plausible card number.
pub fn is_card_number(s: &str) -> bool {
    pattern().find(s).is_some_and(|m| m.range() == (0..s.len())) && valid(s)
}

/// Luhn check over the ASCII digits of `digits` (other characters ignored).
pub fn luhn_valid(digits: &str) -> bool {
    let mut sum = 0u32;
    let mut count = 0;
    for (i, d) in digits.bytes().rev().filter(u8::is_ascii_digit).enumerate() {
        let mut v = u32::from(d - b'0');
        if i % 2 == 1 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
        count += 1;
    }
    count > 0 && sum % 10 == 0
}

/// Major-network issuer prefixes (Visa, Mastercard, Amex, Discover, JCB, Diners, UnionPay,
/// Maestro).
fn known_issuer(digits: &[u8]) -> bool {
    let prefix = |n: usize| -> u32 {
        digits
            .iter()
            .take(n)
            .fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0'))
    };
    let (p1, p2, p3, p4) = (prefix(1), prefix(2), prefix(3), prefix(4));
    p1 == 4
        || (51..=55).contains(&p2)
        || (2221..=2720).contains(&p4)
        || p2 == 34
        || p2 == 37
        || p2 == 35
        || p2 == 36
        || p2 == 38
        || (300..=305).contains(&p3)
        || p4 == 6011
        || p2 == 65
        || (644..=649).contains(&p3)
        || p2 == 62
        || p2 == 50
        || (56..=69).contains(&p2)
}

fn valid(candidate: &str) -> bool {
    let digits: Vec<u8> = candidate.bytes().filter(u8::is_ascii_digit).collect();
    (12..=19).contains(&digits.len())
        && digits.iter().any(|&d| d != digits[0])
        && known_issuer(&digits)
        && luhn_valid(candidate)
}

pub(crate) fn find(text: &str, out: &mut Vec<Range<usize>>) {
    out.extend(
        pattern()
            .find_iter(text)
            .filter(|m| valid(m.as_str()))
            .map(|m| m.range()),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn card_numbers() {
        let cases = [
            ("4111111111111111", true),
            ("4111111111111112", false),
            ("4111 1111 1111 1111", true),
            ("4111-1111-1111-1111", true),
            ("5500 0000 0000 0004", true),
            ("378282246310005", true),
            ("6011111111111117", true),
            ("4111  1111 1111 1111", false),
            ("0000000000000000", false),
            ("7111111111111117", false),
            ("41111111111", false),
            ("4111111111111111111111", false),
            ("", false),
        ];
        for (s, want) in cases {
            assert_eq!(is_card_number(s), want, "{s}");
        }
    }

    #[test]
    fn finds_cards_in_text() {
        let text = "paid with 4111 1111 1111 1111 on 2024-01-02, ref 4111111111111112";
        let mut out = Vec::new();
        find(text, &mut out);
        assert_eq!(out, vec![10..29]);
    }
}
