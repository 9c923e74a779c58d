//! `hash`: keyed HMAC-SHA256 of the value, as lowercase hex, cut to fit `varchar(n)`/`char(n)`.
//!
//! Keyed, so a low-entropy value (a phone number, a birth date) cannot be brute-forced from the
//! output without the key; deterministic per domain, so equal inputs still join. The full 64-digit
//! hex digest is injective for all practical purposes; a digest cut to fit a short column is not,
//! and resolution refuses it on PRIMARY KEY and UNIQUE columns.

use serde::Deserialize;

use super::keyed::Keyed;
use super::{push_hex, Applied, Bound, ColumnContext, RowContext, Transform, TransformError};

/// Hex digits in a full digest.
pub const FULL_LEN: usize = 64;

/// Parameters of `hash`.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq, Default)]
#[serde(deny_unknown_fields)]
pub struct Hash {
    /// Key domain: rules with the same domain hash equal inputs to equal outputs. Defaults to the
    /// column's qualified name.
    #[serde(default)]
    pub domain: Option<String>,
}

impl Hash {
    /// How many hex digits the column can hold.
    pub fn output_len(ctx: &ColumnContext<'_>) -> Result<usize, String> {
        let ty = ctx.require_type("hash")?;
        if ty.array_dims > 0 || !ty.kind.is_textual() {
            return Err(format!(
                "`hash` writes hex text, which does not fit type `{}`; use a transform made for that type",
                ty.sql
            ));
        }
        Ok(ty.max_len.map_or(FULL_LEN, |n| (n as usize).min(FULL_LEN)))
    }

    /// Whether the output is the full digest (so the rule is injective).
    pub fn is_injective(ctx: &ColumnContext<'_>) -> bool {
        Self::output_len(ctx).is_ok_and(|n| n == FULL_LEN)
    }

    /// Derives the subkey and binds.
    pub fn bind(&self, ctx: &ColumnContext<'_>) -> Result<Bound, String> {
        let len = Self::output_len(ctx)?;
        let mac = Keyed::new(ctx, "hash", self.domain.as_deref());
        Ok(Bound::Apply(Box::new(HashTransform { mac, len })))
    }
}

struct HashTransform {
    mac: Keyed,
    len: usize,
}

impl std::fmt::Debug for HashTransform {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "HashTransform {{ len: {} }}", self.len)
    }
}

impl Transform for HashTransform {
    fn apply(
        &self,
        input: &[u8],
        _ctx: &RowContext<'_>,
        out: &mut Vec<u8>,
    ) -> Result<Applied, TransformError> {
        let digest = self.mac.digest(input);
        let start = out.len();
        push_hex(&digest, out);
        out.truncate(start + self.len);
        Ok(Applied::Value)
    }
}
