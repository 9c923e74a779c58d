//! `fake`: deterministic realistic substitutes — names, street addresses, cities, companies,
//! sentences — chosen from the `fake` crate's English word lists by HMAC(domain subkey, input).
//!
//! Only the lists are used, never the crate's RNG: the same input and domain always give the
//! same fake, and a different key gives a different one. Output fits `varchar(n)`/`char(n)`:
//! up to eight keyed candidates are tried for one that fits, then the last is cut to `n`.
//! Different inputs may get the same fake (the lists are finite), so this is not injective.

use fake::locales::{Data, EN};
use serde::Deserialize;

use super::keyed::{Keyed, Picker};
use super::{Applied, Bound, ColumnContext, RowContext, Transform, TransformError};

/// Parameters of `fake`.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Fake {
    /// What to make up.
    pub kind: Kind,
    /// Key domain; default: the column's qualified name. Columns sharing a domain give the same
    /// input the same fake.
    #[serde(default)]
    pub domain: Option<String>,
}

/// The kinds of fake values.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    FirstName,
    LastName,
    FullName,
    StreetAddress,
    City,
    Company,
    Sentence,
}

/// Candidates tried for one that fits the column.
const TRIES: u8 = 8;

impl Fake {
    pub fn bind(&self, ctx: &ColumnContext<'_>) -> Result<Bound, String> {
        let ty = ctx.require_type("fake")?;
        if !ty.kind.is_textual() {
            return Err(format!(
                "`fake` writes text, which does not fit `{}`",
                ty.sql
            ));
        }
        Ok(Bound::Apply(Box::new(FakeTransform {
            keyed: Keyed::new(ctx, "fake", self.domain.as_deref()),
            kind: self.kind,
            max_len: ty.max_len.map(|n| n as usize),
        })))
    }
}

#[derive(Debug)]
struct FakeTransform {
    keyed: Keyed,
    kind: Kind,
    max_len: Option<usize>,
}

fn pick<'a>(p: &mut Picker<'_>, list: &'a [&'a str]) -> &'a str {
    list[p.index(list.len())]
}

/// Writes one candidate of `kind` into `s`.
pub(crate) fn generate(kind: Kind, p: &mut Picker<'_>, s: &mut String) {
    match kind {
        Kind::FirstName => s.push_str(pick(p, EN::NAME_FIRST_NAME)),
        Kind::LastName => s.push_str(pick(p, EN::NAME_LAST_NAME)),
        Kind::FullName => {
            s.push_str(pick(p, EN::NAME_FIRST_NAME));
            s.push(' ');
            s.push_str(pick(p, EN::NAME_LAST_NAME));
        }
        Kind::StreetAddress => {
            let number = 1 + p.index(9999);
            s.push_str(&number.to_string());
            s.push(' ');
            s.push_str(pick(p, EN::NAME_LAST_NAME));
            s.push(' ');
            s.push_str(pick(p, EN::ADDRESS_STREET_SUFFIX));
        }
        Kind::City => {
            if p.index(3) == 0 {
                s.push_str(pick(p, EN::ADDRESS_CITY_PREFIX));
                s.push(' ');
            }
            s.push_str(pick(p, EN::NAME_LAST_NAME));
            s.push_str(pick(p, EN::ADDRESS_CITY_SUFFIX));
        }
        Kind::Company => {
            s.push_str(pick(p, EN::NAME_LAST_NAME));
            if p.index(2) == 0 {
                s.push_str(" and ");
                s.push_str(pick(p, EN::NAME_LAST_NAME));
            }
            s.push(' ');
            s.push_str(pick(p, EN::COMPANY_SUFFIX));
        }
        Kind::Sentence => {
            let words = 4 + p.index(7);
            for i in 0..words {
                let w = pick(p, EN::LOREM_WORD);
                if i == 0 {
                    let mut c = w.chars();
                    if let Some(f) = c.next() {
                        s.extend(f.to_uppercase());
                        s.push_str(c.as_str());
                    }
                } else {
                    s.push(' ');
                    s.push_str(w);
                }
            }
            s.push('.');
        }
    }
}

impl Transform for FakeTransform {
    fn apply(
        &self,
        input: &[u8],
        _ctx: &RowContext<'_>,
        out: &mut Vec<u8>,
    ) -> Result<Applied, TransformError> {
        let mut s = String::new();
        for round in 0..TRIES {
            s.clear();
            generate(
                self.kind,
                &mut Picker::new(&self.keyed, input, round),
                &mut s,
            );
            if self.max_len.is_none_or(|n| s.chars().count() <= n) {
                break;
            }
        }
        if let Some(n) = self.max_len {
            if let Some((i, _)) = s.char_indices().nth(n) {
                s.truncate(i);
            }
            let trimmed = s.trim_end().len();
            s.truncate(trimmed);
        }
        out.extend_from_slice(s.as_bytes());
        Ok(Applied::Value)
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{bind, try_bind, value};
    use proptest::prelude::*;

    const KINDS: &[&str] = &[
        "first_name",
        "last_name",
        "full_name",
        "street_address",
        "city",
        "company",
        "sentence",
    ];

    #[test]
    fn kinds_look_right() {
        let name = value(
            &*bind(r#"transform = "fake", kind = "full_name""#, "text"),
            "Alice Smith",
        );
        assert_eq!(name.split(' ').count(), 2, "{name}");
        let addr = value(
            &*bind(r#"transform = "fake", kind = "street_address""#, "text"),
            "1 Main St",
        );
        assert!(addr.starts_with(|c: char| c.is_ascii_digit()), "{addr}");
        let s = value(
            &*bind(r#"transform = "fake", kind = "sentence""#, "text"),
            "hello",
        );
        assert!(
            s.ends_with('.') && s.starts_with(|c: char| c.is_uppercase()),
            "{s}"
        );
        assert!(try_bind(r#"transform = "fake", kind = "city""#, "integer", 1).is_err());
        assert!(try_bind(r#"transform = "fake", kind = "planet""#, "text", 1).is_err());
    }

    proptest! {
        #[test]
        fn deterministic_keyed_and_fits(input in "\\PC{1,20}", k in 0usize..7, n in 1u32..30) {
            let rule = format!("transform = \"fake\", kind = \"{}\"", KINDS[k]);
            let sql = format!("varchar({n})");
            let a = try_bind(&rule, &sql, 1).unwrap();
            let out = value(&*a, &input);
            prop_assert_eq!(&out, &value(&*a, &input));
            prop_assert!(out.chars().count() <= n as usize);
            prop_assert!(!out.is_empty());
        }

        #[test]
        fn other_key_other_fake(input in "[a-z]{5,12}") {
            let rule = r#"transform = "fake", kind = "sentence""#;
            let a = value(&*try_bind(rule, "text", 1).unwrap(), &input);
            let b = value(&*try_bind(rule, "text", 2).unwrap(), &input);
            prop_assert_ne!(a, b);
        }
    }
}
