//! The registry: every transform, alphabetically, as one enum tagged by its name.
//!
//! A policy rule deserializes straight into [`Rule`] (`{ transform = "hash", domain = "..." }`),
//! so an unknown transform or parameter is a parse error with its line — parse, don't validate.
//! Differences between transforms are methods here, never `if name == ...` elsewhere.

use serde::Deserialize;

use super::{
    array, bucket, fake, generalize, generalize_date, hash, json, keep, mask, noise, null, redact,
    shift_date, Bound, ColumnContext,
};

/// One column rule: a transform and its parameters.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(tag = "transform", rename_all = "snake_case")]
pub enum Rule {
    /// Numbers to their bucket (width, boundaries or logarithmic).
    Bucket(bucket::Bucket),
    /// Deterministic realistic substitutes (names, addresses, ...).
    Fake(fake::Fake),
    /// Numbers to ranges, strings to prefixes.
    Generalize(generalize::Generalize),
    /// Dates and timestamps truncated to a unit.
    GeneralizeDate(generalize_date::GeneralizeDate),
    /// Keyed HMAC-SHA256, hex.
    Hash(hash::Hash),
    /// Rules at JSON paths, and scrubbing of strings inside JSON.
    Json(json::Json),
    /// Copy unchanged; needs a reason.
    Keep(keep::Keep),
    /// Characters masked, keeping the first and last few.
    Mask(mask::Mask),
    /// Bounded keyed noise on numbers.
    Noise(noise::Noise),
    /// Replace with NULL.
    Null(null::Null),
    /// Replace with a constant valid for the type.
    Redact(redact::Redact),
    /// Dates and timestamps moved by a keyed offset (per entity or per value).
    ShiftDate(shift_date::ShiftDate),
}

/// Every transform name, alphabetically (for messages and docs).
pub const NAMES: &[&str] = &[
    "bucket",
    "fake",
    "generalize",
    "generalize_date",
    "hash",
    "json",
    "keep",
    "mask",
    "noise",
    "null",
    "redact",
    "shift_date",
];

impl Rule {
    /// The transform's name as written in policies.
    pub fn name(&self) -> &'static str {
        match self {
            Rule::Bucket(_) => "bucket",
            Rule::Fake(_) => "fake",
            Rule::Generalize(_) => "generalize",
            Rule::GeneralizeDate(_) => "generalize_date",
            Rule::Hash(_) => "hash",
            Rule::Json(_) => "json",
            Rule::Keep(_) => "keep",
            Rule::Mask(_) => "mask",
            Rule::Noise(_) => "noise",
            Rule::Null(_) => "null",
            Rule::Redact(_) => "redact",
            Rule::ShiftDate(_) => "shift_date",
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
            Rule::Bucket(_)
            | Rule::Fake(_)
            | Rule::Generalize(_)
            | Rule::GeneralizeDate(_)
            | Rule::Json(_)
            | Rule::Mask(_)
            | Rule::Noise(_)
            | Rule::Null(_)
            | Rule::Redact(_)
            | Rule::ShiftDate(_) => false,
        }
    }

    /// The column whose value identifies the entity this rule's outputs move with (`per`), if any.
    pub fn entity_column(&self) -> Option<&str> {
        match self {
            Rule::Json(p) => p.entity_column(),
            Rule::Noise(p) => p.entity_column(),
            Rule::ShiftDate(p) => p.entity_column(),
            _ => None,
        }
    }

    /// Whether the rule works on single values, so on an array column it applies to each
    /// element ([`array`]); `keep`, `null` and `redact` act on the whole array.
    pub fn elementwise(&self) -> bool {
        !matches!(self, Rule::Keep(_) | Rule::Null(_) | Rule::Redact(_))
    }

    /// The `keep` reason, if this is a keep.
    pub fn keep_reason(&self) -> Option<&str> {
        match self {
            Rule::Keep(k) => Some(&k.reason),
            _ => None,
        }
    }

    /// Binds the rule to a column: checks it fits and builds the ready transform. On an array
    /// column an element-wise rule is bound to the element type and applied to each element.
    pub fn bind(&self, ctx: &ColumnContext<'_>) -> Result<Bound, String> {
        if self.elementwise() {
            if let Some(element) = ctx.ty.and_then(array::element_type) {
                return array::bind_elementwise(ctx, &element, |c| self.bind_value(c));
            }
        }
        self.bind_value(ctx)
    }

    /// Binds the rule to a scalar column.
    fn bind_value(&self, ctx: &ColumnContext<'_>) -> Result<Bound, String> {
        match self {
            Rule::Bucket(p) => p.bind(ctx),
            Rule::Fake(p) => p.bind(ctx),
            Rule::Generalize(p) => p.bind(ctx),
            Rule::GeneralizeDate(p) => p.bind(ctx),
            Rule::Hash(p) => p.bind(ctx),
            Rule::Json(p) => p.bind(ctx),
            Rule::Keep(p) => p.bind(ctx),
            Rule::Mask(p) => p.bind(ctx),
            Rule::Noise(p) => p.bind(ctx),
            Rule::Null(p) => p.bind(ctx),
            Rule::Redact(p) => p.bind(ctx),
            Rule::ShiftDate(p) => p.bind(ctx),
        }
    }
}
