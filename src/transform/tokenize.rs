//! `tokenize`: format-preserving encryption of a text value (FF1 over AES-256, keyed per domain).
//!
//! Length, character classes and separators are kept: digits stay digits, ASCII letters stay
//! letters with their case, punctuation, spaces and non-ASCII characters stay where they are
//! (non-ASCII letters are kept unchanged, not encrypted). The layout is the tweak, so
//! `AB-1234` and `AB 1234` are encrypted under unrelated permutations. Reversible with the key:
//! `understudy reveal --transform tokenize --domain D VALUE`. The engine is in [`super::format`].
//!
//! ```toml
//! account_ref = { transform = "tokenize" }                      # "AC-2291-xk" → "QZ-8810-mf"
//! ssn = { transform = "tokenize", domain = "people.ssn" }       # shared with other tables
//! ```
//!
//! A value whose letters and digits allow fewer than 1,000 possible values (`"A1"`, `"42"`) is an
//! error for that value, handled by the rule's `on_error`: it is never weakened silently.

use serde::Deserialize;

use super::format::{Classes, Dir, Fpe};
use super::{Applied, Bound, ColumnContext, RowContext, Transform, TransformError};

/// Parameters of `tokenize`.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq, Default)]
#[serde(deny_unknown_fields)]
pub struct Tokenize {
    /// Key domain: rules with the same domain give equal outputs for equal inputs (joins
    /// survive). Defaults to the column's qualified name.
    #[serde(default)]
    pub domain: Option<String>,
}

impl Tokenize {
    /// Checks the column holds text and builds the keyed transform.
    pub fn build(&self, ctx: &ColumnContext<'_>) -> Result<TokenizeTransform, String> {
        let ty = ctx.require_type("tokenize")?;
        if ty.array_dims > 0 || !ty.kind.is_textual() {
            return Err(format!(
                "`tokenize` keeps a text value's format, which does not fit type `{}`; use `integer_id`, `uuid` or `ip` for such columns",
                ty.sql
            ));
        }
        Ok(TokenizeTransform {
            fpe: Fpe::new(&ctx.subkey("tokenize", self.domain.as_deref())),
        })
    }

    /// Binds the rule to a column.
    pub fn bind(&self, ctx: &ColumnContext<'_>) -> Result<Bound, String> {
        Ok(Bound::Apply(Box::new(self.build(ctx)?)))
    }
}

/// `tokenize` bound to a domain key.
#[derive(Debug)]
pub struct TokenizeTransform {
    fpe: Fpe,
}

impl TokenizeTransform {
    fn run(&self, dir: Dir, input: &[u8], out: &mut Vec<u8>) -> Result<(), TransformError> {
        let start = out.len();
        out.extend_from_slice(input);
        let result = self.fpe.run(dir, &mut out[start..], Classes::ALNUM, b"");
        if result.is_err() {
            out.truncate(start);
        }
        result
    }

    /// Turns a token back into the original value.
    pub fn reveal(&self, token: &[u8], out: &mut Vec<u8>) -> Result<(), TransformError> {
        self.run(Dir::Decrypt, token, out)
    }
}

impl Transform for TokenizeTransform {
    fn apply(
        &self,
        input: &[u8],
        _ctx: &RowContext<'_>,
        out: &mut Vec<u8>,
    ) -> Result<Applied, TransformError> {
        self.run(Dir::Encrypt, input, out)?;
        Ok(Applied::Value)
    }
}
