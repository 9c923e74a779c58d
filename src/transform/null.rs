//! `null`: every value becomes SQL NULL. Refused on NOT NULL columns, where restore would fail.

use serde::Deserialize;

use super::{Applied, Bound, ColumnContext, RowContext, Transform, TransformError};

/// Parameters of `null` (none).
#[derive(Debug, Clone, Deserialize, PartialEq, Eq, Default)]
#[serde(deny_unknown_fields)]
pub struct Null {}

impl Null {
    /// Binds, refusing NOT NULL columns.
    pub fn bind(&self, ctx: &ColumnContext<'_>) -> Result<Bound, String> {
        if ctx.not_null {
            return Err("`null` on a NOT NULL column: the restore would fail; use `redact` or another transform".into());
        }
        Ok(Bound::Apply(Box::new(NullTransform)))
    }
}

#[derive(Debug)]
struct NullTransform;

impl Transform for NullTransform {
    fn apply(
        &self,
        _input: &[u8],
        _ctx: &RowContext<'_>,
        _out: &mut Vec<u8>,
    ) -> Result<Applied, TransformError> {
        Ok(Applied::Null)
    }
}
