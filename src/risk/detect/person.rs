//! Person names by dictionary: a heuristic (marked as such by
//! [`Detector::is_heuristic`](super::Detector::is_heuristic)) built on a few hundred common
//! first names and surnames from English-speaking, European and Asian populations.
//!
//! A whole value is a name when it has one to four name-like words and one of them is in the
//! dictionary; in free text only a capitalised known first name followed by a capitalised known
//! surname is reported, because single capitalised words are mostly not names.

use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

/// Common given names (`first_names.txt`: lower case, one per line, sorted for binary search;
/// a test keeps them so).
fn first_names() -> &'static [&'static str] {
    static LIST: OnceLock<Vec<&'static str>> = OnceLock::new();
    LIST.get_or_init(|| include_str!("first_names.txt").lines().collect())
}
/// Common surnames (`surnames.txt`, same format).
fn surnames() -> &'static [&'static str] {
    static LIST: OnceLock<Vec<&'static str>> = OnceLock::new();
    LIST.get_or_init(|| include_str!("surnames.txt").lines().collect())
}
fn known(list: &[&str], word: &str) -> bool {
    let lower = word.to_lowercase();
    list.binary_search(&lower.as_str()).is_ok()
}

/// Whether `word` is a known given name.
pub fn is_first_name(word: &str) -> bool {
    known(first_names(), word)
}

/// Whether `word` is a known surname.
pub fn is_surname(word: &str) -> bool {
    known(surnames(), word)
}

fn name_like(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(char::is_alphabetic)
        && word
            .chars()
            .all(|c| c.is_alphabetic() || c == '\'' || c == '-')
}

/// Whether the whole value looks like a person's name (heuristic).
pub fn is_person_name(s: &str) -> bool {
    let words: Vec<&str> = s
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    (1..=4).contains(&words.len())
        && words.iter().all(|w| name_like(w))
        && words.iter().any(|w| is_first_name(w) || is_surname(w))
}

fn pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"\b(\p{Lu}[\p{Ll}'\-]+)(?:\s+\p{Lu}\.?)?\s+(\p{Lu}[\p{Ll}'\-]+)\b")
            .expect("static pattern")
    })
}

pub(crate) fn find(text: &str, out: &mut Vec<Range<usize>>) {
    let mut at = 0;
    // Iterate by hand so that "Dear Mary Smith" can be retried from "Mary" after "Dear Mary"
    // fails the dictionary test.
    while let Some(caps) = text.get(at..).and_then(|rest| pattern().captures(rest)) {
        let (Some(whole), Some(first), Some(last)) = (caps.get(0), caps.get(1), caps.get(2)) else {
            break;
        };
        if is_first_name(first.as_str()) && is_surname(last.as_str()) {
            out.push(at + whole.start()..at + whole.end());
            at += whole.end();
        } else {
            at += first.end();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dictionaries_are_sorted_for_binary_search() {
        for list in [first_names(), surnames()] {
            assert!(list.len() > 200);
            assert!(list.windows(2).all(|w| w[0] < w[1]));
            assert!(list.iter().all(|w| *w == w.to_lowercase()));
        }
    }

    #[test]
    fn whole_values() {
        let cases = [
            ("John Smith", true),
            ("smith", true),
            ("Mary-Jane O'Connor", false),
            ("Maria Garcia Lopez", true),
            ("Invoice 42", false),
            ("Blue Widget", false),
            ("", false),
        ];
        for (s, want) in cases {
            assert_eq!(is_person_name(s), want, "{s}");
        }
    }

    #[test]
    fn finds_names_in_text() {
        let text = "Dear Mary Smith, your order from New York ships with James T. Brown today.";
        let mut out = Vec::new();
        find(text, &mut out);
        let found: Vec<&str> = out.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(found, ["Mary Smith", "James T. Brown"]);
    }
}
