//! Value transforms: pure functions from one decoded value to its replacement.
//!
//! A transform sees a value and a keyed context, never a table name or a file: *where* a rule
//! applies is the policy's business ([`crate::policy`]), *what* it does lives here. Transforms do
//! no I/O, read no clock and use no global RNG — all randomness comes from the key, so the same
//! key, domain and input always give the same output. One transform per file; [`registry`] lists
//! them alphabetically and is the only place that names them all.

pub mod array;
pub mod bucket;
pub mod card_number;
#[cfg(test)]
mod contract_tests;
mod datetime;
pub mod email;
pub mod encrypt;
pub mod fake;
pub mod ff1;
pub(crate) mod format;
pub mod generalize;
pub mod generalize_date;
pub mod hash;
mod hmac256;
pub mod iban;
pub mod integer_id;
pub mod ip;
pub mod json;
pub mod keep;
mod keyed;
pub mod mask;
pub mod noise;
pub mod null;
pub mod numeric;
pub mod phone;
pub mod redact;
pub mod registry;
pub mod shift_date;
#[cfg(test)]
pub(crate) mod testutil;
pub mod tokenize;
pub mod uuid;

use std::fmt;

use crate::dump::schema::ColumnType;
use crate::key::MasterKey;

pub use registry::Rule;

/// What a transform produced for one value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    /// The new value's text was appended to the output buffer.
    Value,
    /// The value becomes SQL NULL.
    Null,
}

/// A transform could not handle a value. The message never contains the value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct TransformError(pub String);

/// What a transform may know about the row besides its own value.
///
/// Only what the rule asked for: the decoded value of its `per` column (the entity whose values
/// must move together, e.g. `customer_id` for per-customer date shifts). Never a table or file.
#[derive(Debug, Default, Clone, Copy)]
pub struct RowContext<'a> {
    /// The entity column's decoded value; `None` when the rule has no `per` or the cell is NULL.
    pub entity: Option<&'a [u8]>,
}

/// A transform bound to one column: ready to run on that column's values.
pub trait Transform: Send + Sync + fmt::Debug {
    /// Transforms the text form of one non-NULL value, appending the result to `out`.
    fn apply(
        &self,
        input: &[u8],
        ctx: &RowContext<'_>,
        out: &mut Vec<u8>,
    ) -> Result<Applied, TransformError>;

    /// What a NULL becomes. NULL stays NULL unless a transform says otherwise.
    fn apply_null(&self, _out: &mut Vec<u8>) -> Result<Applied, TransformError> {
        Ok(Applied::Null)
    }

    /// Whether [`Transform::apply_batch`] is worth calling (the pipeline then collects a
    /// slice's values of the column first).
    fn batches(&self) -> bool {
        false
    }

    /// Many non-NULL values of one column at once, for rules that gain from it (`integer_id`
    /// interleaves eight values' FF1 rounds). Appends each value's output — exactly what
    /// [`Transform::apply`] would write, as [`Applied::Value`] — to `out` and its end offset to
    /// `ends`. All or nothing: `None` when any value needs [`Transform::apply`] (which then
    /// reports it, and `on_error` applies), and the caller asks `apply` for every value.
    /// Only for rules that read no other cell of the row.
    fn apply_batch(
        &self,
        _inputs: &[&[u8]],
        _out: &mut Vec<u8>,
        _ends: &mut Vec<usize>,
    ) -> Option<()> {
        None
    }
}

/// What binding a rule to a column gave.
#[derive(Debug)]
pub enum Bound {
    /// Values pass through untouched, as bytes.
    Keep,
    /// Values go through this transform.
    Apply(Box<dyn Transform>),
}

/// Everything a rule may know about the column it is bound to.
pub struct ColumnContext<'a> {
    /// `schema.table.column`, for messages.
    pub qualified: &'a str,
    /// The key domain a rule uses when it names none: the column's own qualified name, or — for
    /// a partition, an inheritance child or a foreign key — that of the root column it takes its
    /// values from, so equal values keep matching across tables.
    pub default_domain: &'a str,
    /// The column's type, when the dump (or `--schema-from`) declared it.
    pub ty: Option<&'a ColumnType>,
    /// Whether the column is NOT NULL.
    pub not_null: bool,
    /// The key that all keyed transforms derive their subkeys from.
    pub key: &'a MasterKey,
}

impl ColumnContext<'_> {
    /// The subkey for `purpose` in the rule's key domain: its `domain` parameter when it gives
    /// one, else [`ColumnContext::default_domain`].
    pub fn subkey(&self, purpose: &str, domain: Option<&str>) -> crate::key::SubKey {
        self.key
            .subkey(purpose, domain.unwrap_or(self.default_domain))
    }

    /// The column's type, or the problem to report when a rule needs one and the dump has none.
    pub fn require_type(&self, transform: &str) -> Result<&ColumnType, String> {
        self.ty.ok_or_else(|| {
            format!(
                "`{transform}` needs the column's type, which this dump does not declare (a data-only dump?); pass the schema with --schema-from FILE"
            )
        })
    }
}

/// Appends `bytes` as lowercase hex.
pub(crate) fn push_hex(bytes: &[u8], out: &mut Vec<u8>) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    // Two digits at a time into a stack buffer, then one copy: a push per digit paid a
    // capacity check each.
    let mut buf = [0u8; 64];
    for chunk in bytes.chunks(32) {
        for (pair, b) in buf.chunks_exact_mut(2).zip(chunk) {
            pair.copy_from_slice(&[HEX[usize::from(b >> 4)], HEX[usize::from(b & 0xf)]]);
        }
        out.extend_from_slice(buf.get(..chunk.len() * 2).unwrap_or_default());
    }
}
