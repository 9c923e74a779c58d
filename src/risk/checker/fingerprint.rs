//! Keyed 64-bit fingerprints of original values, and the candidates in output text that are
//! compared with them (the leak check).
//!
//! The fingerprint key is a subkey of the master key (purpose `"leak"`), so the fingerprints
//! held in memory cannot be reversed by hashing a dictionary without the key. The per-value
//! function is the keyed multiply-fold hash of [`super::keyed_hash`] rather than HMAC-SHA256
//! or SipHash: every word of every text cell of the dump is fingerprinted, and that module
//! says why a fast keyed hash is what the check needs (few accidental collisions, a key; no
//! PRF, since the fingerprints never leave the process).
//!
//! Values are compared after trimming and ASCII lower-casing. What is fingerprinted on each side:
//! - an original: the whole value when it has at least [`MIN_SOURCE`] characters, or at least
//!   [`MIN_CANDIDATE`] and a validating detector accepts it; plus its digits alone when it is
//!   digits and separators only (a phone or card written another way). Dates and timestamps are
//!   skipped: the same day in two columns is a coincidence, not a leak. An original whose
//!   output is the same value is not fingerprinted at all (the checker decides that): it was
//!   released, not replaced.
//! - an output cell: the whole value, every word (runs of letters, digits and `@._+%-`, so an
//!   e-mail address is one word), every run of at least 7 digits joined by one or two separators,
//!   and runs of two or three capitalised words (a person's name in a sentence).

use super::{keyed_hash, word_scan};
use crate::key::MasterKey;
use crate::risk::detect::Detector;

/// Shortest original fingerprinted without a detector's confirmation.
pub const MIN_SOURCE: usize = 8;
/// Shortest word looked up (a validated e-mail or IPv4 may be this short).
pub const MIN_CANDIDATE: usize = 6;
/// Fewest digits for a digits-only form.
const MIN_DIGITS: usize = 7;

/// Domain tags keep the digits-only forms apart from ordinary text.
const TEXT: u64 = b'T' as u64;
const DIGITS: u64 = b'D' as u64;
/// Sampling priorities ([`Fingerprinter::raw`]) are hashed apart from fingerprints.
const RAW: u64 = b'R' as u64;

/// Keyed fingerprints. Cheap to clone (two words of key).
#[derive(Clone)]
pub struct Fingerprinter {
    k0: u64,
    k1: u64,
}

impl std::fmt::Debug for Fingerprinter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Fingerprinter(<keyed>)")
    }
}

impl Fingerprinter {
    /// The fingerprinter of this master key.
    pub fn new(key: &MasterKey) -> Self {
        let sub = key.subkey("leak", "fingerprint");
        let b = sub.expose();
        let word = |i: usize| u64::from_le_bytes(b[i..i + 8].try_into().expect("8 bytes"));
        Fingerprinter {
            k0: word(0),
            k1: word(8),
        }
    }

    /// A fingerprint, ASCII case folded (the comparison is case-insensitive).
    fn hash(&self, tag: u64, bytes: &[u8]) -> u64 {
        keyed_hash::hash(self.k0, self.k1, tag, bytes, true)
    }

    /// A fingerprint of a sequence of byte strings as they are (for sampling priorities, not
    /// leaks): each part is hashed with the previous part's hash as its tag, so parts cannot
    /// trade bytes (`["ab", "c"]` and `["a", "bc"]` differ).
    pub fn raw(&self, parts: &[&[u8]]) -> u64 {
        parts.iter().fold(RAW, |tag, p| {
            keyed_hash::hash(self.k0, self.k1, tag, p, false)
        })
    }

    /// Fingerprints of one original value (see the module docs); appends to `out`.
    pub fn source(&self, value: &[u8], out: &mut Vec<u64>) {
        let v = value.trim_ascii();
        if v.len() < MIN_CANDIDATE || looks_like_time(v) {
            return;
        }
        let digit_count = count(v, |b| b.is_ascii_digit());
        // A short run of digits alone is never a validated finding (card numbers have 12 or
        // more digits; every other validated kind needs a letter or a separator), so the
        // detectors are not run on it: that was most of this function's cost on id columns.
        let whole = v.len() >= MIN_SOURCE
            || (digit_count < v.len()
                && std::str::from_utf8(v)
                    .ok()
                    .and_then(Detector::classify)
                    .is_some_and(|d| !d.is_heuristic()));
        if whole {
            out.push(self.hash(TEXT, v));
        }
        if digit_count >= MIN_DIGITS && v.iter().all(|b| b.is_ascii_digit() || is_separator(*b)) {
            let mut digits = Digits::default();
            v.iter()
                .filter(|b| b.is_ascii_digit())
                .for_each(|&b| digits.push(b));
            out.push(self.hash(DIGITS, digits.as_slice()));
        }
    }

    /// Fingerprints of the strings inside a JSON original (rule `json`); appends to `out`.
    /// A value that is not JSON is fingerprinted as text.
    pub fn json_source(&self, value: &[u8], out: &mut Vec<u64>) {
        let start = out.len();
        if super::json_strings::for_each_string(value, &mut |s| self.source(s, out)).is_err() {
            out.truncate(start);
            self.source(value, out);
        }
    }

    /// Candidate fingerprints of one output cell (see the module docs); appends to `out`,
    /// sorted and without duplicates, so each cell counts once per leaked value.
    pub fn candidates(&self, value: &[u8], out: &mut Vec<u64>) {
        let start = out.len();
        let v = value.trim_ascii();
        if v.len() < MIN_CANDIDATE {
            return;
        }
        out.push(self.hash(TEXT, v));
        // Words, with the digits and capitals counted on the way, so cells without enough of
        // them skip the scans that could find nothing in them.
        let counts = word_scan::words(v, |s, e| {
            let word = trim_word(&v[s..e]);
            if word.len() >= MIN_CANDIDATE && word.len() != v.len() {
                out.push(self.hash(TEXT, word));
            }
        });
        // Separators join at most two bytes between digits, so a cell without a close
        // cluster of enough digits has no run to find (most cells with many digits: a user
        // agent, a URL with ids).
        if counts.digit_cluster >= MIN_DIGITS {
            self.digit_runs(v, out);
        }
        if counts.capitals >= 2 && may_hold_name_run(v) {
            self.name_runs(v, out);
        }
        let cell = &mut out[start..];
        cell.sort_unstable();
        let mut kept = 0;
        for j in 0..cell.len() {
            if j == 0 || cell[j] != cell[kept - 1] {
                cell[kept] = cell[j];
                kept += 1;
            }
        }
        out.truncate(start + kept);
    }

    fn digit_runs(&self, v: &[u8], out: &mut Vec<u64>) {
        let mut digits = Digits::default();
        let mut i = 0;
        while i < v.len() {
            if digits.is_empty() {
                // Between runs, skip straight to the next digit.
                match v[i..].iter().position(u8::is_ascii_digit) {
                    Some(k) => i += k,
                    None => break,
                }
            }
            if v[i].is_ascii_digit() {
                digits.push(v[i]);
                i += 1;
            } else if !digits.is_empty() && joins_digits(&v[i..]) {
                i += 1;
            } else {
                if digits.len() >= MIN_DIGITS {
                    out.push(self.hash(DIGITS, digits.as_slice()));
                }
                digits.clear();
                i += 1;
            }
        }
        if digits.len() >= MIN_DIGITS {
            out.push(self.hash(DIGITS, digits.as_slice()));
        }
    }

    fn name_runs(&self, v: &[u8], out: &mut Vec<u64>) {
        // Capitalised ASCII words separated by exactly one space; names written in other
        // scripts are left to the whole-value and word checks. Each word that continues a run
        // closes a window of two and of three words, so only the last three are kept.
        let mut last: [(usize, usize); 3] = [(0, 0); 3];
        let mut run = 0usize;
        let mut i = 0;
        while i < v.len() {
            if v[i].is_ascii_uppercase() && (i == 0 || !v[i - 1].is_ascii_alphanumeric()) {
                let s = i;
                i += 1;
                while i < v.len() && (v[i].is_ascii_alphabetic() || v[i] == b'\'' || v[i] == b'-') {
                    i += 1;
                }
                let joins = run > 0 && {
                    let e = last[2].1;
                    e + 1 == s && v[e] == b' '
                };
                run = if joins { run + 1 } else { 1 };
                last = [last[1], last[2], (s, i)];
                for n in 2..=run.min(3) {
                    let span = &v[last[3 - n].0..i];
                    if span.len() >= MIN_SOURCE {
                        out.push(self.hash(TEXT, span));
                    }
                }
            } else {
                // Only a capital can start a word: skip to the next one.
                i += 1;
                i += v[i..]
                    .iter()
                    .position(u8::is_ascii_uppercase)
                    .unwrap_or(v.len() - i);
            }
        }
    }
}

/// The digits of a value, gathered without an allocation for up to 64 of them.
struct Digits {
    short: [u8; 64],
    len: usize,
    long: Vec<u8>,
}

impl Default for Digits {
    fn default() -> Self {
        Digits {
            short: [0; 64],
            len: 0,
            long: Vec::new(),
        }
    }
}

impl Digits {
    fn push(&mut self, b: u8) {
        if self.len < self.short.len() {
            self.short[self.len] = b;
        } else {
            if self.len == self.short.len() {
                self.long.extend_from_slice(&self.short);
            }
            self.long.push(b);
        }
        self.len += 1;
    }

    fn len(&self) -> usize {
        self.len
    }

    fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn clear(&mut self) {
        self.len = 0;
        self.long.clear();
    }

    fn as_slice(&self) -> &[u8] {
        if self.len <= self.short.len() {
            &self.short[..self.len]
        } else {
            &self.long
        }
    }
}

/// How many bytes of `v` satisfy `pred`. Why not `filter().count()`: that widens every byte
/// to a 64-bit lane (eight bytes per vector step); counting into `u8` lanes over chunks of at
/// most 255 bytes (which cannot overflow them) handles 16 or 32 bytes per step, and this count
/// runs over every fingerprinted original.
#[inline(always)]
fn count(v: &[u8], pred: impl Fn(&u8) -> bool) -> usize {
    v.chunks(255)
        .map(|c| usize::from(c.iter().fold(0u8, |n, b| n + u8::from(pred(b)))))
        .sum()
}

/// Whether one or two separators followed by a digit start at `rest[0]` (as in `) 0` or `-0`).
fn joins_digits(rest: &[u8]) -> bool {
    let seps = rest.iter().take_while(|b| is_separator(**b)).count();
    (1..=word_scan::CLUSTER_GAP).contains(&seps) && rest.get(seps).is_some_and(u8::is_ascii_digit)
}

fn is_separator(b: u8) -> bool {
    matches!(b, b' ' | b'-' | b'(' | b')' | b'.' | b'+' | b'/')
}

/// Whether `v` has a capital right after a space that follows a letter, `'` or `-`: where a
/// second capitalised word joins a first one ([`Fingerprinter::name_runs`]'s runs all have
/// one). Why: cells with a few capitals but no such join (a user agent, a URL, a JSON
/// payload) are most of the cells that reach the name scan, and this check skips from space
/// to space.
fn may_hold_name_run(v: &[u8]) -> bool {
    memchr::memchr_iter(b' ', v).any(|p| {
        p > 0
            && v.get(p + 1).is_some_and(u8::is_ascii_uppercase)
            && (v[p - 1].is_ascii_alphabetic() || matches!(v[p - 1], b'\'' | b'-'))
    })
}

fn trim_word(w: &[u8]) -> &[u8] {
    let punct = |b: &u8| matches!(b, b'.' | b'_' | b'+' | b'%' | b'-');
    let s = w.iter().position(|b| !punct(b)).unwrap_or(w.len());
    let e = w.iter().rposition(|b| !punct(b)).map_or(s, |e| e + 1);
    &w[s..e.max(s)]
}

fn looks_like_time(v: &[u8]) -> bool {
    v.len() <= 35 && super::values::time(v, false).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fp() -> Fingerprinter {
        Fingerprinter::new(&MasterKey::from_bytes([7; 32]))
    }

    fn found(source: &str, text: &str) -> bool {
        let f = fp();
        let (mut s, mut c) = (Vec::new(), Vec::new());
        f.source(source.as_bytes(), &mut s);
        f.candidates(text.as_bytes(), &mut c);
        s.iter().any(|x| c.contains(x))
    }

    #[test]
    fn finds_originals_inside_text() {
        let cases = [
            (
                "jane.doe@example.com",
                "Write to Jane.Doe@example.com, thanks.",
                true,
            ),
            ("jane.doe@example.com", "jane.doe@example.org", false),
            ("+1 555-010-0199", "call +1 (555) 010 0199 today", true),
            ("555-010-0199", "call 5550100199 today", true),
            ("(555) 010-0199", "phone: 555-010-0199.", true),
            (
                "Margaret Hamilton",
                "Spoke with Margaret Hamilton today",
                true,
            ),
            ("Margaret Hamilton", "margaret visited hamilton", false),
            ("ACCT-0099812", "see acct-0099812", true),
            ("a@b.io", "mail a@b.io", true), // short, but a validated e-mail
            ("2024-01-15", "created 2024-01-15", false),
            ("short", "short", false),
        ];
        for (source, text, want) in cases {
            assert_eq!(found(source, text), want, "{source} in {text}");
        }
    }

    #[test]
    fn json_originals_are_fingerprinted_by_string() {
        let f = fp();
        let mut s = Vec::new();
        f.json_source(
            br#"{"contact": {"email": "ann.lee@example.com"}, "n": 3}"#,
            &mut s,
        );
        let mut c = Vec::new();
        f.candidates(b"ann.lee@example.com", &mut c);
        assert!(s.iter().any(|x| c.contains(x)));
    }

    #[test]
    fn counts_match_filter_count_past_a_chunk() {
        let v: Vec<u8> = (0..1000u32).map(|i| (i * 7 % 128) as u8).collect();
        for n in [0, 1, 254, 255, 256, 510, 1000] {
            let v = &v[..n];
            assert_eq!(
                count(v, |b| b.is_ascii_digit()),
                v.iter().filter(|b| b.is_ascii_digit()).count()
            );
        }
        assert_eq!(count(&[b'7'; 600], |b| b.is_ascii_digit()), 600);
    }

    proptest::proptest! {
        /// The gate before the name scan only skips cells where the scan finds nothing.
        #[test]
        fn the_name_run_gate_loses_nothing(
            pieces in proptest::collection::vec(
                (
                    proptest::sample::select(b"AZbqO".to_vec()),
                    proptest::collection::vec(
                        proptest::sample::select(b"abzQ'-".to_vec()),
                        0..6,
                    ),
                    proptest::sample::select(vec![" ", "  ", ". ", "(", " 1 ", "-", ""]),
                ),
                0..6,
            ),
        ) {
            // Words that may be capitalised, joined by separators that may join them.
            let mut v = Vec::new();
            for (first, rest, sep) in pieces {
                v.push(first);
                v.extend(rest);
                v.extend_from_slice(sep.as_bytes());
            }
            let mut found = Vec::new();
            fp().name_runs(&v, &mut found);
            proptest::prop_assert!(found.is_empty() || may_hold_name_run(&v));
        }
    }

    #[test]
    fn the_name_run_gate_skips_user_agents_and_keeps_names() {
        assert!(!may_hold_name_run(
            b"Mozilla/5.0 (X11; Linux x86_64) Example/101"
        ));
        assert!(may_hold_name_run(b"called Jane Doe about it"));
        assert!(may_hold_name_run(b"O'Neil-Smith Margaret"));
    }

    #[test]
    fn candidates_are_deduplicated_per_cell() {
        let mut c = Vec::new();
        fp().candidates(b"alpha123 alpha123 alpha123", &mut c);
        let mut d = c.clone();
        d.dedup();
        assert_eq!(c, d);
        assert_eq!(c.len(), 2);
    }
}
