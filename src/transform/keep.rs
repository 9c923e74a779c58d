//! `keep`: the value passes through unchanged. A keep must say why, in words a reviewer accepts.
//!
//! Kept cells are never decoded or re-encoded: the pipeline copies their bytes. That is both the
//! identity guarantee (a keep-all policy reproduces the dump byte for byte) and the fast path.

use serde::Deserialize;

use super::{Bound, ColumnContext};

/// Parameters of `keep`.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Keep {
    /// Why leaving this column as it is is safe. Required; a reason starting with `TODO` (as
    /// `policy init` writes) is refused.
    pub reason: String,
}

impl Keep {
    /// Checks the reason and binds.
    pub fn bind(&self, _ctx: &ColumnContext<'_>) -> Result<Bound, String> {
        let reason = self.reason.trim();
        if reason.is_empty() {
            return Err(
                "`keep` needs a non-empty `reason` saying why the column is safe to copy".into(),
            );
        }
        if reason.len() >= 4 && reason[..4].eq_ignore_ascii_case("todo") {
            return Err("`keep` has a reason starting with TODO: review the column and write the real reason".into());
        }
        Ok(Bound::Keep)
    }
}
