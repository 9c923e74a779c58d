//! Shape-only examples of findings for reports: enough to let a reviewer see *what kind* of
//! value leaked, never enough to recover it.
//!
//! - email: first character of the local part and of the domain, the rest as `*`, TLD kept
//!   (`john@gmail.com` → `j***@g****.com`); parts of one or two characters are masked entirely;
//! - card number: first digit and last two digits, separators kept;
//! - phone: `+` and the country code only;
//! - everything else: first character, then `*` for the rest (length shown as a count beyond
//!   40 characters).
//!
//! [`mask`] never returns its input unchanged.

use super::Detector;

/// Longest masked example written out star by star.
const MAX_STARS: usize = 40;

/// A masked example of `value`, found by `detector`.
pub fn mask(detector: Detector, value: &str) -> String {
    let masked = match detector {
        Detector::Email => mask_email(value),
        Detector::CardNumber => mask_digits(value, 1, 2),
        Detector::Phone => mask_phone(value),
        _ => first_and_stars(value),
    };
    if masked == value {
        // Only possible for inputs made of `*` or of a single character.
        format!("[masked {} chars]", value.chars().count())
    } else {
        masked
    }
}

/// Keeps the first character of parts of three or more characters, masks the rest.
fn mask_part(part: &str) -> String {
    let n = part.chars().count();
    match part.chars().next() {
        Some(first) if n >= 3 => std::iter::once(first)
            .chain(std::iter::repeat_n('*', n - 1))
            .collect(),
        _ => "*".repeat(n),
    }
}

fn mask_email(value: &str) -> String {
    let Some((local, domain)) = value.rsplit_once('@') else {
        return first_and_stars(value);
    };
    let (name, tld) = match domain.rsplit_once('.') {
        Some((name, tld)) => (name, Some(tld)),
        None => (domain, None),
    };
    // Labels of the domain name are masked one by one so the shape (dots) survives.
    let masked_name: Vec<String> = name
        .split('.')
        .enumerate()
        .map(|(i, label)| {
            if i == 0 {
                mask_part(label)
            } else {
                "*".repeat(label.chars().count())
            }
        })
        .collect();
    let mut out = format!("{}@{}", mask_part(local), masked_name.join("."));
    if let Some(tld) = tld {
        out.push('.');
        out.push_str(tld);
    }
    out
}

/// Masks every ASCII digit except the first `keep_start` and the last `keep_end`; other
/// characters (separators) are kept for shape, letters are masked.
fn mask_digits(value: &str, keep_start: usize, keep_end: usize) -> String {
    let total = value.chars().filter(char::is_ascii_digit).count();
    let mut seen = 0;
    value
        .chars()
        .map(|c| {
            if c.is_ascii_digit() {
                seen += 1;
                if seen <= keep_start || seen > total.saturating_sub(keep_end) {
                    c
                } else {
                    '*'
                }
            } else if c.is_alphanumeric() {
                '*'
            } else {
                c
            }
        })
        .collect()
}

/// ITU country codes are prefix-free: 1 and 7 are one digit, this list is two, the rest three.
fn country_code_len(digits: &str) -> usize {
    const TWO: &[&str] = &[
        "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46",
        "47", "48", "49", "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63",
        "64", "65", "66", "81", "82", "84", "86", "90", "91", "92", "93", "94", "95", "98",
    ];
    match digits.as_bytes().first() {
        Some(b'1') | Some(b'7') => 1,
        _ if digits.get(..2).is_some_and(|p| TWO.contains(&p)) => 2,
        _ => 3,
    }
}

fn mask_phone(value: &str) -> String {
    let trimmed = value.trim_start();
    if !trimmed.starts_with('+') {
        return mask_digits(value, 0, 0);
    }
    let digits: String = trimmed.chars().filter(char::is_ascii_digit).collect();
    mask_digits(value, country_code_len(&digits), 0)
}

fn first_and_stars(value: &str) -> String {
    let n = value.chars().count();
    let Some(first) = value.chars().next() else {
        return String::new();
    };
    if n <= 1 {
        return "*".to_string();
    }
    if n > MAX_STARS {
        return format!("{first}***[{n} chars]");
    }
    std::iter::once(first)
        .chain(std::iter::repeat_n('*', n - 1))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masked_examples() {
        let long = "A".repeat(50);
        let cases = [
            (Detector::Email, "john@gmail.com", "j***@g****.com"),
            (
                Detector::Email,
                "jo@mail.example.co.uk",
                "**@m***.*******.**.uk",
            ),
            (Detector::CardNumber, "4111111111111111", "4*************11"),
            (
                Detector::CardNumber,
                "4111 1111 1111 1111",
                "4*** **** **** **11",
            ),
            (Detector::Phone, "+44 20 7946 0958", "+44 ** **** ****"),
            (Detector::Phone, "+14155552671", "+1**********"),
            (Detector::Phone, "(415) 555-2671", "(***) ***-****"),
            (
                Detector::Iban,
                "GB82WEST12345698765432",
                "G*********************",
            ),
            (Detector::UsSsn, "123-45-6789", "1**********"),
            (Detector::SecretKey, long.as_str(), "A***[50 chars]"),
            (Detector::PersonName, "X", "*"),
            (Detector::PersonName, "*", "[masked 1 chars]"),
        ];
        for (d, value, want) in cases {
            assert_eq!(mask(d, value), want, "{d}");
        }
    }

    #[test]
    fn email_mask_hides_local_part_and_domain_name() {
        let emails = [
            "john@gmail.com",
            "jane.doe@example.org",
            "ab@cd.io",
            "x.y.z@sub.domain.example.com",
            "Zoë@exämple.de",
            "info@company.co.uk",
        ];
        for email in emails {
            let masked = mask(Detector::Email, email);
            let (local, domain) = email.rsplit_once('@').expect("fixture has @");
            let name = domain.rsplit_once('.').map_or(domain, |(n, _)| n);
            assert!(!masked.contains(local), "{masked} shows the local part");
            assert!(!masked.contains(name), "{masked} shows the domain name");
            assert_ne!(masked, email);
        }
    }

    #[test]
    fn never_returns_the_input() {
        for d in Detector::ALL {
            for value in [
                "",
                "a",
                "*",
                "**",
                "ab",
                "4111111111111111",
                "+1",
                "@",
                "a@b",
            ] {
                assert!(value.is_empty() || mask(d, value) != value, "{d} {value:?}");
            }
        }
    }
}
