//! `mask`: keeps the first `keep_first` and last `keep_last` characters and replaces the middle
//! with `char` (default `*`), keeping the length in characters (so `varchar(n)` still fits).
//!
//! A value with no more characters than `keep_first + keep_last` is masked entirely: keeping
//! all of it would leave the original.

use serde::Deserialize;

use super::{Applied, Bound, ColumnContext, RowContext, Transform, TransformError};

/// Parameters of `mask`.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq, Default)]
#[serde(deny_unknown_fields)]
pub struct Mask {
    /// Leading characters to keep.
    #[serde(default)]
    pub keep_first: usize,
    /// Trailing characters to keep.
    #[serde(default)]
    pub keep_last: usize,
    /// The masking character (one character; default `*`).
    #[serde(default)]
    pub char: Option<String>,
}

impl Mask {
    pub fn bind(&self, ctx: &ColumnContext<'_>) -> Result<Bound, String> {
        let ty = ctx.require_type("mask")?;
        if !ty.kind.is_textual() {
            return Err(format!("`mask` works on text columns, not `{}`", ty.sql));
        }
        let c = match self.char.as_deref() {
            None => '*',
            Some(s) if s.chars().count() == 1 => s.chars().next().unwrap_or('*'),
            Some(_) => return Err("`char` must be exactly one character".into()),
        };
        Ok(Bound::Apply(Box::new(MaskTransform {
            first: self.keep_first,
            last: self.keep_last,
            c,
        })))
    }
}

#[derive(Debug)]
struct MaskTransform {
    first: usize,
    last: usize,
    c: char,
}

impl Transform for MaskTransform {
    fn apply(
        &self,
        input: &[u8],
        _ctx: &RowContext<'_>,
        out: &mut Vec<u8>,
    ) -> Result<Applied, TransformError> {
        let s = std::str::from_utf8(input)
            .map_err(|_| TransformError("a value is not UTF-8".into()))?;
        let n = s.chars().count();
        let (first, last) = if n > self.first + self.last {
            (self.first, self.last)
        } else {
            (0, 0)
        };
        let mut buf = [0u8; 4];
        let c = self.c.encode_utf8(&mut buf).as_bytes();
        for (i, ch) in s.chars().enumerate() {
            if i < first || i >= n - last {
                let mut b = [0u8; 4];
                out.extend_from_slice(ch.encode_utf8(&mut b).as_bytes());
            } else {
                out.extend_from_slice(c);
            }
        }
        Ok(Applied::Value)
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{bind, try_bind, value};
    use proptest::prelude::*;

    #[test]
    fn table() {
        for (rule, input, want) in [
            (
                r#"transform = "mask", keep_last = 4"#,
                "4111111111111111",
                "************1111",
            ),
            (
                r#"transform = "mask", keep_first = 1, keep_last = 1"#,
                "alice",
                "a***e",
            ),
            (
                r##"transform = "mask", keep_first = 2, char = "#""##,
                "Zürich",
                "Zü####",
            ),
            (
                r#"transform = "mask", keep_first = 2, keep_last = 2"#,
                "abcd",
                "****",
            ),
            (r#"transform = "mask""#, "", ""),
        ] {
            assert_eq!(
                value(&*bind(rule, "varchar(20)"), input),
                want,
                "{rule} {input}"
            );
        }
        assert!(try_bind(r#"transform = "mask""#, "integer", 1).is_err());
        assert!(try_bind(r#"transform = "mask", char = "ab""#, "text", 1).is_err());
    }

    proptest! {
        #[test]
        fn keeps_length(s in "\\PC{0,30}", f in 0usize..5, l in 0usize..5) {
            let t = bind(&format!("transform = \"mask\", keep_first = {f}, keep_last = {l}"), "text");
            let out = value(&*t, &s);
            prop_assert_eq!(out.chars().count(), s.chars().count());
            if s.chars().count() > f + l {
                prop_assert!(out.starts_with(&s.chars().take(f).collect::<String>()));
            } else {
                prop_assert!(out.chars().all(|c| c == '*'));
            }
        }
    }
}
