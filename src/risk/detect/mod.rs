//! PII recognizers with validation, in the style of Microsoft Presidio's pattern recognizers: a
//! regular expression finds candidates, and a checksum or structural rule keeps only plausible
//! ones (Luhn for cards, mod-97 for IBANs, reserved ranges for SSNs, std's parsers for IP
//! addresses, a JSON header for JWTs).
//!
//! One detector family per file; [`scan`](scan::scan) runs all of them over free text and
//! [`mask`](mask::mask) turns a finding into a shape-only example for reports. Nothing here
//! returns, logs or formats a raw matched value: findings are byte ranges into the caller's text.
//! All patterns go through the `regex` crate, whose matching time is linear in the input.

pub mod card;
pub mod column;
pub mod date;
pub mod email;
pub mod iban;
pub mod jwt;
pub mod mask;
pub mod network;
pub mod person;
pub mod phone;
pub mod scan;
pub mod secret;
pub mod ssn;

use std::fmt;

pub use column::{name_suggests_pii, name_suggests_quasi_identifier};
pub use mask::mask;
pub use scan::{scan, scan_validated};

/// A kind of personal or secret data the recognizers can find.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Detector {
    /// An e-mail address.
    Email,
    /// A telephone number in E.164 (`+…`) or separated national form.
    Phone,
    /// A Luhn-valid payment card number.
    CardNumber,
    /// An IBAN with a valid mod-97 check.
    Iban,
    /// A US social security number outside the reserved ranges.
    UsSsn,
    /// An IPv4 address.
    Ipv4,
    /// An IPv6 address.
    Ipv6,
    /// A MAC address.
    Mac,
    /// A JSON Web Token.
    Jwt,
    /// A credential with a well-known shape (cloud keys, tokens, private keys).
    SecretKey,
    /// A person's name, by dictionary: heuristic.
    PersonName,
    /// A plausible date of birth: heuristic (any past date looks like one).
    DateOfBirth,
}

impl Detector {
    /// Every detector, in priority order: when two findings cover the same text, the earlier
    /// detector in this list wins.
    pub const ALL: [Detector; 12] = [
        Detector::SecretKey,
        Detector::Jwt,
        Detector::Email,
        Detector::Iban,
        Detector::CardNumber,
        Detector::UsSsn,
        Detector::Ipv4,
        Detector::Ipv6,
        Detector::Mac,
        Detector::Phone,
        Detector::DateOfBirth,
        Detector::PersonName,
    ];

    /// The stable name used in policies and reports.
    pub fn name(self) -> &'static str {
        match self {
            Detector::Email => "email",
            Detector::Phone => "phone",
            Detector::CardNumber => "card_number",
            Detector::Iban => "iban",
            Detector::UsSsn => "us_ssn",
            Detector::Ipv4 => "ipv4",
            Detector::Ipv6 => "ipv6",
            Detector::Mac => "mac",
            Detector::Jwt => "jwt",
            Detector::SecretKey => "secret_key",
            Detector::PersonName => "person_name",
            Detector::DateOfBirth => "date_of_birth",
        }
    }

    /// The detector with this name.
    pub fn from_name(name: &str) -> Option<Detector> {
        Detector::ALL.into_iter().find(|d| d.name() == name)
    }

    /// Whether findings are guesses (dictionary or shape only) rather than validated.
    pub fn is_heuristic(self) -> bool {
        matches!(self, Detector::PersonName | Detector::DateOfBirth)
    }

    /// Whether the whole value (surrounding whitespace ignored) is an instance of this kind.
    pub fn matches(self, value: &str) -> bool {
        let v = value.trim();
        match self {
            Detector::Email => email::is_email(v),
            Detector::Phone => phone::is_phone(v),
            Detector::CardNumber => card::is_card_number(v),
            Detector::Iban => iban::is_iban(v),
            Detector::UsSsn => ssn::is_us_ssn(v),
            Detector::Ipv4 => network::is_ipv4(v),
            Detector::Ipv6 => network::is_ipv6(v),
            Detector::Mac => network::is_mac(v),
            Detector::Jwt => jwt::is_jwt(v),
            Detector::SecretKey => secret::is_secret_key(v),
            Detector::PersonName => person::is_person_name(v),
            Detector::DateOfBirth => date::is_plausible_birth_date(v),
        }
    }

    /// The first detector, in priority order, that matches the whole value.
    pub fn classify(value: &str) -> Option<Detector> {
        Detector::ALL.into_iter().find(|d| d.matches(value))
    }
}

impl fmt::Display for Detector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// True when the character before `start` and the one at `end` do not continue a word, so a
/// candidate is not the middle of a longer token. Used where a regex `\b` is not enough (a `+`
/// or `(` cannot start a word).
pub(crate) fn isolated(text: &str, start: usize, end: usize, joiners: &[char]) -> bool {
    let before = text.get(..start).and_then(|s| s.chars().next_back());
    let after = text.get(end..).and_then(|s| s.chars().next());
    let joins = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || joiners.contains(&c));
    !joins(before) && !joins(after)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for d in Detector::ALL {
            assert_eq!(Detector::from_name(d.name()), Some(d));
            assert_eq!(d.to_string(), d.name());
        }
        assert_eq!(Detector::from_name("nope"), None);
    }

    #[test]
    fn classify_whole_values() {
        let cases = [
            ("4111 1111 1111 1111", Some(Detector::CardNumber)),
            ("GB82 WEST 1234 5698 7654 32", Some(Detector::Iban)),
            ("  jane.doe@example.com ", Some(Detector::Email)),
            ("123-45-6789", Some(Detector::UsSsn)),
            ("10.1.2.3", Some(Detector::Ipv4)),
            ("hello world", None),
            ("42", None),
        ];
        for (value, want) in cases {
            assert_eq!(Detector::classify(value), want, "case {want:?}");
        }
    }
}
