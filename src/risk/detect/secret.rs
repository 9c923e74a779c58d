//! Credentials with well-known shapes: AWS access key IDs, GitHub tokens, Slack tokens, Stripe
//! secret keys and PEM private-key headers. These prefixes are documented by their issuers for
//! exactly this purpose (secret scanning), so a match is a strong signal without a checksum.

use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

fn pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(concat!(
            r"\b(?:AKIA|ASIA|AGPA|AIDA|AROA)[0-9A-Z]{16}\b",
            r"|\bgh[pousr]_[A-Za-z0-9]{36,255}\b",
            r"|\bgithub_pat_[A-Za-z0-9_]{22,255}\b",
            r"|\bxox[abposr]-[A-Za-z0-9\-]{10,}",
            r"|\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}\b",
            r"|-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----",
        ))
        .expect("static pattern")
    })
}

/// Whether `s` is exactly a credential of a known shape (for a PEM block: starts with the
/// private-key header).
pub fn is_secret_key(s: &str) -> bool {
    pattern()
        .find(s)
        .is_some_and(|m| m.start() == 0 && (m.end() == s.len() || m.as_str().starts_with("-----")))
}

pub(crate) fn find(text: &str, out: &mut Vec<Range<usize>>) {
    out.extend(pattern().find_iter(text).map(|m| m.range()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets() {
        let gh = format!("ghp_{}", "a1B2".repeat(9));
        let cases = [
            ("AKIAIOSFODNN7EXAMPLE", true),
            ("AKIAIOSFODNN7EXAMPL", false),
            (gh.as_str(), true),
            ("ghp_short", false),
            ("xoxb-1234567890-abcdefghij", true),
            ("sk_live_4eC39HqLyjWDarjtT1zdp7dc", true),
            ("sk_fake_4eC39HqLyjWDarjtT1zdp7dc", false),
            ("-----BEGIN RSA PRIVATE KEY-----\nMIIE...", true),
            ("-----BEGIN PUBLIC KEY-----", false),
            ("password", false),
        ];
        for (s, want) in cases {
            assert_eq!(is_secret_key(s), want, "{s}");
        }
    }
}
