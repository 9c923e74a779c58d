//! Network identifiers: IPv4 and IPv6 addresses (validated by std's parsers, which reject
//! out-of-range and leading-zero octets) and MAC addresses (six colon- or dash-separated octets
//! with one consistent separator, or Cisco's dotted `xxxx.xxxx.xxxx`).

use std::net::{Ipv4Addr, Ipv6Addr};
use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

fn ipv4_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"\b\d{1,3}(?:\.\d{1,3}){3}\b").expect("static pattern"))
}

fn ipv6_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?::\d{1,3}(?:\.\d{1,3}){3})?")
            .expect("static pattern")
    })
}

fn mac_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"\b(?:[0-9A-Fa-f]{2}(?:[:\-][0-9A-Fa-f]{2}){5}|[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4})\b")
            .expect("static pattern")
    })
}

/// Whether `s` is exactly an IPv4 address in dotted-quad form.
pub fn is_ipv4(s: &str) -> bool {
    s.parse::<Ipv4Addr>().is_ok()
}

/// Whether `s` is exactly an IPv6 address with at least two groups written out (so `::` and
/// `::1`, which identify nobody, and `a::b`-like code are not flagged).
pub fn is_ipv6(s: &str) -> bool {
    let hex_groups = s.split(':').filter(|g| !g.is_empty()).count();
    s.contains(':') && hex_groups >= 3 && s.parse::<Ipv6Addr>().is_ok()
}

/// Whether `s` is exactly a MAC address.
pub fn is_mac(s: &str) -> bool {
    mac_pattern()
        .find(s)
        .is_some_and(|m| m.range() == (0..s.len()))
        && consistent(s)
}

/// A MAC must use one separator throughout.
fn consistent(s: &str) -> bool {
    !(s.contains(':') && s.contains('-'))
}

pub(crate) fn find_ipv4(text: &str, out: &mut Vec<Range<usize>>) {
    for m in ipv4_pattern().find_iter(text) {
        // Part of a longer dotted run (a version number or OID) is not an address.
        let after = &text[m.end()..];
        let longer = after.starts_with('.') && after[1..].starts_with(|c: char| c.is_ascii_digit());
        let before = text[..m.start()].ends_with('.');
        if !longer && !before && is_ipv4(m.as_str()) {
            out.push(m.range());
        }
    }
}

pub(crate) fn find_ipv6(text: &str, out: &mut Vec<Range<usize>>) {
    for m in ipv6_pattern().find_iter(text) {
        if is_ipv6(m.as_str()) && super::isolated(text, m.start(), m.end(), &[':']) {
            out.push(m.range());
        }
    }
}

pub(crate) fn find_mac(text: &str, out: &mut Vec<Range<usize>>) {
    for m in mac_pattern().find_iter(text) {
        if consistent(m.as_str()) && super::isolated(text, m.start(), m.end(), &[':', '-', '.']) {
            out.push(m.range());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses() {
        let v4 = [
            ("192.168.0.1", true),
            ("256.1.1.1", false),
            ("01.2.3.4", false),
            ("1.2.3", false),
        ];
        for (s, want) in v4 {
            assert_eq!(is_ipv4(s), want, "{s}");
        }
        let v6 = [
            ("2001:db8::8a2e:370:7334", true),
            ("fe80::1:2:3", true),
            ("::1", false),
            ("12:30:45", false),
            ("2001:db8::g", false),
        ];
        for (s, want) in v6 {
            assert_eq!(is_ipv6(s), want, "{s}");
        }
        let mac = [
            ("00:1A:2B:3C:4D:5E", true),
            ("00-1a-2b-3c-4d-5e", true),
            ("001a.2b3c.4d5e", true),
            ("00:1A-2B:3C:4D:5E", false),
            ("00:1A:2B:3C:4D", false),
        ];
        for (s, want) in mac {
            assert_eq!(is_mac(s), want, "{s}");
        }
    }

    #[test]
    fn finds_addresses_in_text() {
        let text = "from 10.0.0.1 via 2001:db8::8a2e:370:7334 nic 00:1a:2b:3c:4d:5e v1.2.3.4.5 at 12:30:45";
        let (mut a, mut b, mut c) = (Vec::new(), Vec::new(), Vec::new());
        find_ipv4(text, &mut a);
        find_ipv6(text, &mut b);
        find_mac(text, &mut c);
        let show = |v: &[Range<usize>]| {
            v.iter()
                .map(|r| text[r.clone()].to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(show(&a), ["10.0.0.1"]);
        assert_eq!(show(&b), ["2001:db8::8a2e:370:7334"]);
        assert_eq!(show(&c), ["00:1a:2b:3c:4d:5e"]);
    }
}
