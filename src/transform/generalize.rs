//! `generalize`: coarser values. Numbers to ranges (`width`: the range's lower bound, or a range
//! label `[90,100)` on text columns); strings such as ZIP codes to their first `prefix`
//! characters (`prefix = 3`: `"94103"` → `"941"`, or `"941**"` with `fill = "*"`).
//!
//! A prefix is never longer than the value, so the output always fits the column; a value no
//! longer than `prefix` is kept whole (it already is as coarse as the rule asks).

use serde::Deserialize;

use super::bucket::{Engine, Mode, Output};
use super::numeric::Dec;
use super::{Applied, Bound, ColumnContext, RowContext, Transform, TransformError};

/// Parameters of `generalize`.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Generalize {
    /// Keep this many leading characters (strings).
    #[serde(default)]
    pub prefix: Option<usize>,
    /// With `prefix`: pad back to the value's length with this character (e.g. `"*"`).
    #[serde(default)]
    pub fill: Option<String>,
    /// Range width (numbers): the lower bound on number columns, `[lo,hi)` on text columns.
    #[serde(default)]
    pub width: Option<Dec>,
    /// With `width`: values below are treated as this (bottom coding), as in `bucket`.
    #[serde(default)]
    pub min: Option<Dec>,
    /// With `width`: values above are treated as this (top coding).
    #[serde(default)]
    pub max: Option<Dec>,
}

impl Generalize {
    pub fn bind(&self, ctx: &ColumnContext<'_>) -> Result<Bound, String> {
        let ty = ctx.require_type("generalize")?;
        match (self.prefix, &self.width) {
            (Some(n), None) => {
                if !ty.kind.is_textual() {
                    return Err(format!(
                        "`prefix` works on text columns, not `{}`; use `width` for numbers",
                        ty.sql
                    ));
                }
                if self.min.is_some() || self.max.is_some() {
                    return Err("`min`/`max` go with `width`".into());
                }
                let fill = match self.fill.as_deref() {
                    None => None,
                    Some(f) if f.chars().count() == 1 => f.chars().next(),
                    Some(_) => return Err("`fill` must be exactly one character".into()),
                };
                Ok(Bound::Apply(Box::new(Prefix { n, fill })))
            }
            (None, Some(w)) => {
                if self.fill.is_some() {
                    return Err("`fill` goes with `prefix`".into());
                }
                let output = if ty.kind.is_textual() {
                    Output::Label
                } else {
                    Output::Lower
                };
                let engine = Engine::new(
                    ctx,
                    "generalize",
                    Mode::Width(w),
                    output,
                    self.min.as_ref(),
                    self.max.as_ref(),
                )?;
                Ok(Bound::Apply(Box::new(engine)))
            }
            _ => Err(
                "`generalize` needs exactly one of `prefix` (strings) or `width` (numbers)".into(),
            ),
        }
    }
}

#[derive(Debug)]
struct Prefix {
    n: usize,
    fill: Option<char>,
}

impl Transform for Prefix {
    fn apply(
        &self,
        input: &[u8],
        _ctx: &RowContext<'_>,
        out: &mut Vec<u8>,
    ) -> Result<Applied, TransformError> {
        let s = std::str::from_utf8(input)
            .map_err(|_| TransformError("a value is not UTF-8".into()))?;
        let cut = s.char_indices().nth(self.n).map_or(s.len(), |(i, _)| i);
        out.extend_from_slice(&input[..cut]);
        if let Some(f) = self.fill {
            let mut buf = [0u8; 4];
            let f = f.encode_utf8(&mut buf).as_bytes();
            for _ in s[cut..].chars() {
                out.extend_from_slice(f);
            }
        }
        Ok(Applied::Value)
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{bind, try_bind, value};

    #[test]
    fn table() {
        for (rule, sql, input, want) in [
            (
                r#"transform = "generalize", prefix = 3"#,
                "varchar(10)",
                "94103",
                "941",
            ),
            (
                r#"transform = "generalize", prefix = 3, fill = "*""#,
                "char(5)",
                "94103",
                "941**",
            ),
            (
                r#"transform = "generalize", prefix = 3"#,
                "text",
                "9é",
                "9é",
            ),
            (
                r#"transform = "generalize", prefix = 2"#,
                "text",
                "Zürich",
                "Zü",
            ),
            (
                r#"transform = "generalize", width = "10""#,
                "integer",
                "97",
                "90",
            ),
            (
                r#"transform = "generalize", width = "10""#,
                "integer",
                "-3",
                "-10",
            ),
            (
                r#"transform = "generalize", width = "10""#,
                "text",
                "97",
                "[90,100)",
            ),
            (
                r#"transform = "generalize", width = "0.5", min = "-9999""#,
                "numeric(6,2)",
                "1.74",
                "1.50",
            ),
        ] {
            assert_eq!(
                value(&*bind(rule, sql), input),
                want,
                "{rule} {sql} {input}"
            );
        }
        for (rule, sql) in [
            (r#"transform = "generalize", prefix = 3"#, "integer"),
            (
                r#"transform = "generalize", prefix = 3, width = "1""#,
                "text",
            ),
            (r#"transform = "generalize", width = "0.5""#, "integer"),
            (
                r#"transform = "generalize", prefix = 3, fill = "**""#,
                "text",
            ),
            (r#"transform = "generalize", width = "0.5""#, "numeric(6,2)"),
        ] {
            assert!(try_bind(rule, sql, 1).is_err(), "{rule} {sql}");
        }
    }
}
