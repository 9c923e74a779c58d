//! Sequences owned by columns whose ids `integer_id` permutes.
//!
//! pg_dump ties a sequence to its column (`ALTER SEQUENCE s OWNED BY t.c`, or an identity's
//! `SEQUENCE NAME s`) before the data, and sets it (`SELECT pg_catalog.setval('s', N, true)`)
//! after. When `t.c` is permuted into `[1, range]`, the sequence must restart past `range`, or
//! the first insert on staging collides with a permuted id.

use std::collections::HashMap;

use crate::dump::ident::QualifiedName;
use crate::dump::reader::statement_body;

/// Which column owns which sequence.
#[derive(Debug, Default)]
pub struct Owners {
    owners: HashMap<QualifiedName, (QualifiedName, String)>,
}

impl Owners {
    /// Learns ownership from an `ALTER SEQUENCE ... OWNED BY` or identity `ALTER TABLE`.
    pub fn learn(&mut self, text: &[u8]) {
        let body = statement_body(text);
        let words = dotted_words(body);
        let lower: Vec<String> = words.iter().map(|w| w.to_ascii_lowercase()).collect();
        let at = |w: &str| lower.iter().position(|x| x == w);
        if lower.first().map(String::as_str) == Some("alter")
            && lower.get(1).map(String::as_str) == Some("sequence")
        {
            // ALTER SEQUENCE [IF EXISTS] seq OWNED BY schema.table.column
            let (Some(by), Some(seq)) = (
                at("by"),
                words.iter().skip(2).find(|w| {
                    !w.is_empty()
                        && !w.eq_ignore_ascii_case("if")
                        && !w.eq_ignore_ascii_case("exists")
                }),
            ) else {
                return;
            };
            let (Some(seq), Some(target)) = (name(seq), words.get(by + 1)) else {
                return;
            };
            let parts = split_dotted(target);
            if parts.len() == 3 {
                let table = QualifiedName::new(parts[0].clone(), parts[1].clone());
                self.owners.insert(seq, (table, parts[2].clone()));
            }
        } else if lower.first().map(String::as_str) == Some("alter")
            && lower.get(1).map(String::as_str) == Some("table")
            && at("identity").is_some()
        {
            // ALTER TABLE [ONLY] t ALTER COLUMN c ADD GENERATED ... AS IDENTITY (SEQUENCE NAME s ...
            let t = if lower.get(2).map(String::as_str) == Some("only") {
                3
            } else {
                2
            };
            let (Some(table), Some(col), Some(seq_at)) =
                (words.get(t).and_then(|w| name(w)), at("column"), at("name"))
            else {
                return;
            };
            let (Some(column), Some(seq)) = (
                words.get(col + 1),
                words.get(seq_at + 1).and_then(|w| name(w)),
            ) else {
                return;
            };
            let parts = split_dotted(column);
            if let Some(c) = parts.last() {
                self.owners.insert(seq, (table, c.clone()));
            }
        }
    }

    /// The column owning `sequence`, if known.
    pub fn owner(&self, sequence: &QualifiedName) -> Option<&(QualifiedName, String)> {
        self.owners.get(sequence)
    }
}

/// `SELECT pg_catalog.setval('seq', N, called);` → the sequence and the byte range of `N`.
pub fn setval(text: &[u8]) -> Option<(QualifiedName, std::ops::Range<usize>)> {
    let s = std::str::from_utf8(text).ok()?;
    let start = s.find("setval(")? + "setval(".len();
    let rest = &s[start..];
    let open = rest.find('\'')?;
    let close = open + 1 + rest[open + 1..].find('\'')?;
    let literal = rest[open + 1..close].replace("''", "'");
    let sequence = QualifiedName::parse(&literal).ok()?;
    let after = &rest[close + 1..];
    let comma = after.find(',')? + 1;
    let digits_start = comma + after[comma..].len() - after[comma..].trim_start().len();
    let digits_len = after[digits_start..]
        .bytes()
        .take_while(u8::is_ascii_digit)
        .count();
    if digits_len == 0 {
        return None;
    }
    let base = start + close + 1;
    Some((
        sequence,
        base + digits_start..base + digits_start + digits_len,
    ))
}

fn name(word: &str) -> Option<QualifiedName> {
    let parts = split_dotted(word);
    match parts.len() {
        1 => Some(QualifiedName::new("public", parts[0].clone())),
        2 => Some(QualifiedName::new(parts[0].clone(), parts[1].clone())),
        _ => None,
    }
}

/// Whitespace-separated words, keeping quoted identifiers (with spaces) whole.
fn dotted_words(body: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(body);
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                cur.push(c);
            }
            c if !quoted && (c.is_whitespace() || c == '(' || c == ')' || c == ';') => {
                if !cur.is_empty() {
                    words.push(std::mem::take(&mut cur));
                }
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    words
}

/// `a."B c".d` → `["a", "B c", "d"]`, folding unquoted parts to lowercase.
fn split_dotted(word: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut chars = word.chars().peekable();
    let mut quoted = false;
    let mut was_quoted = false;
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' => {
                quoted = !quoted;
                was_quoted = true;
            }
            '.' if !quoted => {
                parts.push(if was_quoted {
                    std::mem::take(&mut cur)
                } else {
                    std::mem::take(&mut cur).to_lowercase()
                });
                was_quoted = false;
            }
            c => cur.push(c),
        }
    }
    parts.push(if was_quoted { cur } else { cur.to_lowercase() });
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learns_owners_and_finds_setval() {
        let mut o = Owners::default();
        o.learn(b"ALTER SEQUENCE public.customers_id_seq OWNED BY public.customers.id;");
        o.learn(b"ALTER TABLE \"Sales Dept\".\"Order Lines\" ALTER COLUMN \"Id\" ADD GENERATED ALWAYS AS IDENTITY (\n    SEQUENCE NAME \"Sales Dept\".\"Order Lines_Id_seq\"\n    START WITH 1\n);");
        let seq = QualifiedName::new("public", "customers_id_seq");
        assert_eq!(
            o.owner(&seq),
            Some(&(QualifiedName::new("public", "customers"), "id".to_string()))
        );
        let ident = QualifiedName::new("Sales Dept", "Order Lines_Id_seq");
        assert_eq!(
            o.owner(&ident),
            Some(&(
                QualifiedName::new("Sales Dept", "Order Lines"),
                "Id".to_string()
            ))
        );
        let text = b"SELECT pg_catalog.setval('\"Sales Dept\".\"Order Lines_Id_seq\"', 2, true);";
        let (name, range) = setval(text).unwrap();
        assert_eq!(name, ident);
        assert_eq!(&text[range], b"2");
    }
}
