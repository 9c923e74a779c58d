//! The registry: every transform, alphabetically, as one enum tagged by its name.
//!
//! A policy rule deserializes straight into [`Rule`] (`{ transform = "hash", domain = "..." }`),
//! so an unknown transform or parameter is a parse error with its line — parse, don't validate.
//! Differences between transforms are methods here, never `if name == ...` elsewhere.

use serde::Deserialize;

use super::{
    array, bucket, card_number, email, encrypt, fake, generalize, generalize_date, hash, iban,
    integer_id, ip, json, keep, mask, noise, null, phone, redact, shift_date, tokenize, uuid,
    Bound, ColumnContext,
};

/// One column rule: a transform and its parameters.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(tag = "transform", rename_all = "snake_case")]
pub enum Rule {
    /// Numbers to their bucket (width, boundaries or logarithmic).
    Bucket(bucket::Bucket),
    /// Card number: issuer prefix kept, middle tokenized, Luhn-valid.
    CardNumber(card_number::CardNumber),
    /// E-mail address: local part tokenized; domain kept, reserved or tokenized.
    Email(email::Email),
    /// Deterministic AES-256-GCM-SIV, base64url; reversible.
    Encrypt(encrypt::Encrypt),
    /// Deterministic realistic substitutes (names, addresses, ...).
    Fake(fake::Fake),
    /// Numbers to ranges, strings to prefixes.
    Generalize(generalize::Generalize),
    /// Dates and timestamps truncated to a unit.
    GeneralizeDate(generalize_date::GeneralizeDate),
    /// Keyed HMAC-SHA256, hex.
    Hash(hash::Hash),
    /// IBAN: country kept, BBAN tokenized, check digits recomputed.
    Iban(iban::Iban),
    /// Keyed permutation of integer ids in `[1, range]`.
    IntegerId(integer_id::IntegerId),
    /// IP address: bits below a kept prefix permuted.
    Ip(ip::Ip),
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
    /// Phone number: country code and formatting kept, subscriber digits tokenized.
    Phone(phone::Phone),
    /// Replace with a constant valid for the type.
    Redact(redact::Redact),
    /// Dates and timestamps moved by a keyed offset (per entity or per value).
    ShiftDate(shift_date::ShiftDate),
    /// Format-preserving encryption (FF1) keeping length, classes and separators; reversible.
    Tokenize(tokenize::Tokenize),
    /// UUID permuted, version and variant kept.
    Uuid(uuid::Uuid),
}

/// Every transform name, alphabetically (for messages and docs).
pub const NAMES: &[&str] = &[
    "bucket",
    "card_number",
    "email",
    "encrypt",
    "fake",
    "generalize",
    "generalize_date",
    "hash",
    "iban",
    "integer_id",
    "ip",
    "json",
    "keep",
    "mask",
    "noise",
    "null",
    "phone",
    "redact",
    "shift_date",
    "tokenize",
    "uuid",
];

impl Rule {
    /// The transform's name as written in policies.
    pub fn name(&self) -> &'static str {
        match self {
            Rule::Bucket(_) => "bucket",
            Rule::CardNumber(_) => "card_number",
            Rule::Email(_) => "email",
            Rule::Encrypt(_) => "encrypt",
            Rule::Fake(_) => "fake",
            Rule::Generalize(_) => "generalize",
            Rule::GeneralizeDate(_) => "generalize_date",
            Rule::Hash(_) => "hash",
            Rule::Iban(_) => "iban",
            Rule::IntegerId(_) => "integer_id",
            Rule::Ip(_) => "ip",
            Rule::Json(_) => "json",
            Rule::Keep(_) => "keep",
            Rule::Mask(_) => "mask",
            Rule::Noise(_) => "noise",
            Rule::Null(_) => "null",
            Rule::Phone(_) => "phone",
            Rule::Redact(_) => "redact",
            Rule::ShiftDate(_) => "shift_date",
            Rule::Tokenize(_) => "tokenize",
            Rule::Uuid(_) => "uuid",
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
            // Keyed permutations: distinct inputs stay distinct (over valid inputs; invalid
            // ones are errors, never silently merged).
            Rule::CardNumber(_)
            | Rule::Email(_)
            | Rule::Encrypt(_)
            | Rule::Iban(_)
            | Rule::IntegerId(_)
            | Rule::Ip(_)
            | Rule::Phone(_)
            | Rule::Tokenize(_)
            | Rule::Uuid(_) => true,
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

    /// Where a sequence owned by the column must be set after the data: the top of an
    /// `integer_id` range (so new ids never collide with permuted ones); `None` for other rules.
    pub fn sequence_floor(&self, ctx: &ColumnContext<'_>) -> Option<u64> {
        match self {
            Rule::IntegerId(p) => p.build(ctx).ok().map(|t| t.range()),
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
            Rule::CardNumber(p) => p.bind(ctx),
            Rule::Email(p) => p.bind(ctx),
            Rule::Encrypt(p) => p.bind(ctx),
            Rule::Fake(p) => p.bind(ctx),
            Rule::Generalize(p) => p.bind(ctx),
            Rule::GeneralizeDate(p) => p.bind(ctx),
            Rule::Hash(p) => p.bind(ctx),
            Rule::Iban(p) => p.bind(ctx),
            Rule::IntegerId(p) => p.bind(ctx),
            Rule::Ip(p) => p.bind(ctx),
            Rule::Json(p) => p.bind(ctx),
            Rule::Keep(p) => p.bind(ctx),
            Rule::Mask(p) => p.bind(ctx),
            Rule::Noise(p) => p.bind(ctx),
            Rule::Null(p) => p.bind(ctx),
            Rule::Phone(p) => p.bind(ctx),
            Rule::Redact(p) => p.bind(ctx),
            Rule::ShiftDate(p) => p.bind(ctx),
            Rule::Tokenize(p) => p.bind(ctx),
            Rule::Uuid(p) => p.bind(ctx),
        }
    }
}
