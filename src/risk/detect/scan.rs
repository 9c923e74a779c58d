//! Scanning free text (notes columns, JSON strings, passthrough SQL) for validated findings.
//!
//! One pass over the bytes ([`Features`]) decides which recognizers can possibly match before
//! any regex runs: e-mail needs an `@`; a phone number eight digits in one run of digits and
//! separators, a card number twelve and an SSN nine in one run of digits, spaces and dashes;
//! an IBAN two capitals and two digits; IPv4 three dots; IPv6 and MAC two colons, dashes or
//! dots; JWT `ey`; secret shapes a literal piece of one. Free text is mostly short strings that
//! match none, so the pass, not the regexes, is the usual cost (JSON scrub runs this on every
//! string of every document). Overlapping findings are resolved by keeping the
//! earliest, then the longest, then the one earlier in [`Detector::ALL`].

use std::ops::Range;

use super::{card, date, email, iban, jwt, network, person, phone, secret, ssn, Detector};

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
    findings(text, heuristics, &Features::of(text)).into_iter()
}

/// The findings of the recognizers that `f` allows.
fn findings(text: &str, heuristics: bool, f: &Features) -> Vec<(Detector, Range<usize>)> {
    let mut found: Vec<(Detector, Range<usize>)> = Vec::new();
    let mut run = |d: Detector, find: &dyn Fn(&str, &mut Vec<Range<usize>>)| {
        let mut ranges = Vec::new();
        find(text, &mut ranges);
        found.extend(ranges.into_iter().map(|r| (d, r)));
    };
    if f.secret_hint {
        run(Detector::SecretKey, &secret::find);
    }
    if f.ey && f.dots >= 2 {
        run(Detector::Jwt, &jwt::find);
    }
    if f.at {
        run(Detector::Email, &email::find);
    }
    if f.digits >= 7 {
        if f.iban_shape {
            run(Detector::Iban, &iban::find);
        }
        if f.dash_run >= 12 {
            run(Detector::CardNumber, &card::find);
        }
        if f.dash_run >= 9 {
            run(Detector::UsSsn, &ssn::find);
        }
        if f.phone_run >= 8 {
            run(Detector::Phone, &phone::find);
        }
    }
    if f.digits >= 4 && f.dots >= 3 {
        run(Detector::Ipv4, &network::find_ipv4);
    }
    if f.v6_run >= 2 {
        run(Detector::Ipv6, &network::find_ipv6);
    }
    if f.colons >= 5 || f.dashes >= 5 || f.dots >= 2 {
        run(Detector::Mac, &network::find_mac);
    }
    if heuristics && f.digits >= 6 {
        run(Detector::DateOfBirth, &date::find);
    }
    if heuristics && (f.upper || f.non_ascii) {
        run(Detector::PersonName, &person::find);
    }
    resolve(found)
}

/// What one pass over the text learns about which recognizers could match. Each field is a
/// necessary condition of its patterns, so skipping a recognizer whose condition fails never
/// loses a finding (`prefilters_lose_nothing` below checks this against running them all).
#[derive(Default)]
struct Features {
    digits: usize,
    dots: usize,
    colons: usize,
    dashes: usize,
    at: bool,
    upper: bool,
    non_ascii: bool,
    /// `ey`, the start of a JWT's base64url JSON header.
    ey: bool,
    /// The most digits in one run of `[0-9 .()-]`: a phone match lies inside such a run, and
    /// a valid one has at least 8 digits (`+` and 8–15, or 10–12 with separators).
    phone_run: usize,
    /// The most digits in one run of `[0-9 -]`: card numbers (12–19 digits) and SSNs (9) lie
    /// inside one.
    dash_run: usize,
    /// The most colons in one run of `[0-9A-Fa-f:.]`: an IPv6 match is such a run with two.
    v6_run: usize,
    /// Two capitals then two digits, as every IBAN starts.
    iban_shape: bool,
    /// A literal piece of some secret shape: `AKIA`-style AWS prefixes, `gh?_`, `_pat`
    /// (`github_pat_`), `xox`, `sk_`/`rk_`, `----` (PEM armour).
    secret_hint: bool,
}

impl Features {
    fn of(text: &str) -> Features {
        let mut f = Features::default();
        // The last four bytes, the newest lowest.
        let mut w: u32 = 0;
        let (mut phone, mut dash, mut v6) = (0usize, 0usize, 0usize);
        for &b in text.as_bytes() {
            w = (w << 8) | u32::from(b);
            match b {
                b'0'..=b'9' => {
                    f.digits += 1;
                    phone += 1;
                    dash += 1;
                    f.phone_run = f.phone_run.max(phone);
                    f.dash_run = f.dash_run.max(dash);
                    let [c1, c2, d1, _] = w.to_be_bytes();
                    if c1.is_ascii_uppercase() && c2.is_ascii_uppercase() && d1.is_ascii_digit() {
                        f.iban_shape = true;
                    }
                    continue;
                }
                b'.' => {
                    f.dots += 1;
                    dash = 0;
                }
                b'-' => {
                    f.dashes += 1;
                    v6 = 0;
                    if w == u32::from_be_bytes(*b"----") {
                        f.secret_hint = true;
                    }
                }
                b' ' => v6 = 0,
                b'(' | b')' => {
                    dash = 0;
                    v6 = 0;
                }
                _ => {
                    phone = 0;
                    dash = 0;
                    match b {
                        b':' => {
                            f.colons += 1;
                            v6 += 1;
                            f.v6_run = f.v6_run.max(v6);
                        }
                        b'a'..=b'f' | b'A'..=b'F' => {}
                        _ => v6 = 0,
                    }
                    match b {
                        b'@' => f.at = true,
                        b'A'..=b'Z' => f.upper = true,
                        b'y' if w & 0xffff == u32::from(u16::from_be_bytes(*b"ey")) => f.ey = true,
                        0x80.. => f.non_ascii = true,
                        _ => {}
                    }
                    // Every secret hint ends in one of these bytes; most bytes are none.
                    if matches!(b, b'A' | b't' | b'_' | b'x') {
                        f.secret_hint |= secret_hint(w);
                    }
                }
            }
        }
        f
    }
}

/// Whether the last four bytes `w` end a literal piece of a secret shape.
fn secret_hint(w: u32) -> bool {
    let last3 = w & 0x00ff_ffff;
    let bytes = w.to_be_bytes();
    matches!(
        &bytes,
        b"AKIA" | b"ASIA" | b"AGPA" | b"AIDA" | b"AROA" | b"_pat"
    ) || (bytes[0] == b'g' && bytes[1] == b'h' && b"pousr".contains(&bytes[2]) && bytes[3] == b'_')
        || [*b"\0xox", *b"\0sk_", *b"\0rk_"]
            .iter()
            .any(|p| last3 == u32::from_be_bytes(*p))
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

    /// Features that let every recognizer run.
    fn everything() -> Features {
        Features {
            digits: usize::MAX,
            dots: usize::MAX,
            colons: usize::MAX,
            dashes: usize::MAX,
            at: true,
            upper: true,
            non_ascii: true,
            ey: true,
            phone_run: usize::MAX,
            dash_run: usize::MAX,
            v6_run: usize::MAX,
            iban_shape: true,
            secret_hint: true,
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]
        /// Text made of the pieces the recognizers look for, glued at random: the prefilters
        /// must never hide a finding that running every recognizer gives.
        #[test]
        fn prefilters_lose_nothing(
            parts in proptest::collection::vec(
                proptest::prelude::prop_oneof![
                    "[0-9]{1,5}",
                    "[ .()+:@_-]{1,2}",
                    "[a-zA-Z]{1,4}",
                    proptest::prelude::Just("4111 1111 1111 1111".to_string()),
                    proptest::prelude::Just("+1 (555) 010-4477".to_string()),
                    proptest::prelude::Just("123-45-6789".to_string()),
                    proptest::prelude::Just("GB82WEST12345698765432".to_string()),
                    proptest::prelude::Just("AKIAIOSFODNN7EXAMPLE".to_string()),
                    proptest::prelude::Just("ghp_".to_string()),
                    proptest::prelude::Just("sk_test_".to_string()),
                    proptest::prelude::Just("xoxb-".to_string()),
                    proptest::prelude::Just("-----BEGIN PRIVATE KEY-----".to_string()),
                    proptest::prelude::Just("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln".to_string()),
                    proptest::prelude::Just("j.doe@example.com".to_string()),
                    proptest::prelude::Just("fe80::1".to_string()),
                    proptest::prelude::Just("::ffff:192.0.2.1".to_string()),
                    "[a-fA-F:.]{1,3}",
                    proptest::prelude::Just("00:1a:2b:3c:4d:5e".to_string()),
                    proptest::prelude::Just("Mary Smith".to_string()),
                    proptest::prelude::Just("1984-02-29".to_string()),
                    proptest::prelude::Just("é".to_string()),
                ],
                0..12,
            ),
            heuristics in proptest::prelude::any::<bool>(),
        ) {
            let text: String = parts.concat();
            let filtered = findings(&text, heuristics, &Features::of(&text));
            let all = findings(&text, heuristics, &everything());
            proptest::prop_assert_eq!(filtered, all, "{:?}", text);
        }
    }

    #[test]
    fn prefilter_features() {
        let f = Features::of("Mozilla/5.0 (X11; Linux x86_64) Example/105");
        assert_eq!(
            (f.phone_run, f.dash_run, f.iban_shape, f.secret_hint),
            (3, 3, false, false)
        );
        let f = Features::of("call +1 (555) 010-4477 or 4111-1111 1111-1111");
        assert_eq!((f.phone_run, f.dash_run), (16, 16));
        let f = Features::of("(555) 010.4477");
        assert_eq!((f.phone_run, f.dash_run), (10, 4));
        assert!(Features::of("x GB82 y").iban_shape);
        assert!(!Features::of("x Gb82 y").iban_shape);
        for hint in ["AKIA", "ghs_", "my_pat", "xox", "sk_", "-----"] {
            assert!(Features::of(hint).secret_hint, "{hint}");
        }
        for plain in ["AKI", "gh_", "xo", "s_k", "---"] {
            assert!(!Features::of(plain).secret_hint, "{plain}");
        }
        assert!(Features::of("key").ey && !Features::of("e y").ey);
        assert_eq!(Features::of(r#"{"a": "b", "c": 1}"#).v6_run, 1);
        assert_eq!(Features::of("at fe80::1:2 now").v6_run, 3);
        assert_eq!(Features::of("::ffff:10.0.0.1").v6_run, 3);
        assert_eq!(Features::of("x:y:z").v6_run, 1);
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
