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
        // Bytes, not `str` slicing: the fourth byte may be inside a character.
        if reason
            .as_bytes()
            .get(..4)
            .is_some_and(|p| p.eq_ignore_ascii_case(b"todo"))
        {
            return Err("`keep` has a reason starting with TODO: review the column and write the real reason".into());
        }
        Ok(Bound::Keep)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::key::MasterKey;

    #[test]
    fn keep_reason_with_a_multibyte_character_panicked() {
        // Regression (fuzz target `policy`): the TODO check sliced the reason at byte 4, which
        // panicked when that byte was inside a character.
        let key = MasterKey::from_bytes([1; 32]);
        let ctx = ColumnContext {
            qualified: "public.t.c",
            default_domain: "public.t.c",
            ty: None,
            not_null: false,
            key: &key,
        };
        for reason in ["thé one", "日本語", "ab€", "TODÖ"] {
            let keep = Keep {
                reason: reason.into(),
            };
            assert!(matches!(keep.bind(&ctx), Ok(Bound::Keep)), "{reason}");
        }
        let todo = Keep {
            reason: "todo€".into(),
        };
        assert!(todo.bind(&ctx).is_err());
    }
}
