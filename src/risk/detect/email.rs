//! E-mail addresses, RFC 5321-ish: a dot-atom local part, `@`, and a domain of DNS labels ending
//! in an alphabetic TLD. Quoted local parts and IP-literal domains are not recognised; they are
//! rare in data and would widen the pattern a lot.

use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

fn pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?i)\b[a-z0-9][a-z0-9._%+\-]{0,63}@(?:[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}\b",
        )
        .expect("static pattern")
    })
}

/// Whether `s` is exactly an e-mail address.
pub fn is_email(s: &str) -> bool {
    pattern().find(s).is_some_and(|m| m.range() == (0..s.len())) && valid(s)
}

fn valid(candidate: &str) -> bool {
    let local = candidate.split('@').next().unwrap_or("");
    !local.ends_with('.') && !local.contains("..")
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
    fn emails() {
        let cases = [
            ("john@gmail.com", true),
            ("jane.doe+tag@mail.example.co.uk", true),
            ("J_SMITH@EXAMPLE.ORG", true),
            ("john..doe@example.com", false),
            ("john.@example.com", false),
            ("john@localhost", false),
            ("@example.com", false),
            ("john@example", false),
            ("not an email", false),
        ];
        for (s, want) in cases {
            assert_eq!(is_email(s), want, "{s}");
        }
    }

    #[test]
    fn finds_emails_in_sentences() {
        let text = "Contact jane.doe@example.com or (bob@test.io). Not: a@b";
        let mut out = Vec::new();
        find(text, &mut out);
        let found: Vec<&str> = out.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(found, ["jane.doe@example.com", "bob@test.io"]);
    }
}
