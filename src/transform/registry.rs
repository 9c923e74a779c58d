//! The registry: every transform, alphabetically, as one enum tagged by its name.
//!
//! A policy rule deserializes straight into [`Rule`] (`{ transform = "hash", domain = "..." }`),
//! so an unknown transform or parameter is a parse error with its line — parse, don't validate.
//! Differences between transforms are methods here, never `if name == ...` elsewhere.

use serde::Deserialize;

use super::{hash, keep, null, redact, Bound, ColumnContext};

/// One column rule: a transform and its parameters.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(tag = "transform", rename_all = "snake_case")]
pub enum Rule {
    /// Keyed HMAC-SHA256, hex.
    Hash(hash::Hash),
    /// Copy unchanged; needs a reason.
    Keep(keep::Keep),
    /// Replace with NULL.
    Null(null::Null),
    /// Replace with a constant valid for the type.
    Redact(redact::Redact),
}

/// Every transform name, alphabetically (for messages and docs).
pub const NAMES: &[&str] = &["hash", "keep", "null", "redact"];

impl Rule {
    /// The transform's name as written in policies.
    pub fn name(&self) -> &'static str {
        match self {
            Rule::Hash(_) => "hash",
            Rule::Keep(_) => "keep",
            Rule::Null(_) => "null",
            Rule::Redact(_) => "redact",
        }
    }

    /// Whether the rule changes values (everything but `keep`).
    pub fn changes_values(&self) -> bool {
        !matches!(self, Rule::Keep(_))
    }

    /// Whether distinct inputs stay distinct, so the rule may sit on a PRIMARY KEY or UNIQUE
    /// column.
    pub fn is_injective(&self, ctx: &ColumnContext<'_>) -> bool {
        match self {
            Rule::Keep(_) => true,
            Rule::Hash(_) => hash::Hash::is_injective(ctx),
            Rule::Null(_) | Rule::Redact(_) => false,
        }
    }

    /// The column whose value identifies the entity this rule's outputs move with (`per`), if any.
    pub fn entity_column(&self) -> Option<&str> {
        match self {
            Rule::Hash(_) | Rule::Keep(_) | Rule::Null(_) | Rule::Redact(_) => None,
        }
    }

    /// The `keep` reason, if this is a keep.
    pub fn keep_reason(&self) -> Option<&str> {
        match self {
            Rule::Keep(k) => Some(&k.reason),
            _ => None,
        }
    }

    /// Binds the rule to a column: checks it fits and builds the ready transform.
    pub fn bind(&self, ctx: &ColumnContext<'_>) -> Result<Bound, String> {
        match self {
            Rule::Hash(p) => p.bind(ctx),
            Rule::Keep(p) => p.bind(ctx),
            Rule::Null(p) => p.bind(ctx),
            Rule::Redact(p) => p.bind(ctx),
        }
    }
}
