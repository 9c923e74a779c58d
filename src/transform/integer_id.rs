//! `integer_id`: a keyed permutation of the integers `[1, range]`, for surrogate keys.
//!
//! `x ↦ 1 + FF1-cycle-walk(x - 1)` over a domain of `range` values (`Ff1::encrypt_in_domain`), so
//! distinct ids stay distinct (a PRIMARY KEY stays unique) and every output fits the column.
//! `range` defaults to a quarter of the type's positive range (smallint 8,191, integer
//! 536,870,911, bigint 2,305,843,009,213,693,951), leaving room above it for new rows once the
//! sequence is moved past the range. Ids outside `[1, range]` are an error for that value (the
//! rule's `on_error` applies).
//!
//! **Foreign keys must share the primary key's domain**: the domain defaults to the column's
//! own qualified name, so a referencing column names the referenced one explicitly:
//!
//! ```toml
//! [tables."public.customers".columns]
//! id = { transform = "integer_id" }                                       # domain = public.customers.id
//! [tables."public.orders".columns]
//! customer_id = { transform = "integer_id", domain = "public.customers.id" }
//! ```
//!
//! Both sides must also use the same `range` (the default follows the column type, so give it
//! explicitly when an `integer` column references a `bigint` one).

use serde::Deserialize;

use super::format::{Dir, Fpe};
use super::numeric::write_u64;
use super::{Applied, Bound, ColumnContext, RowContext, Transform, TransformError};
use crate::dump::schema::TypeKind;

/// Parameters of `integer_id`.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq, Default)]
#[serde(deny_unknown_fields)]
pub struct IntegerId {
    /// Key domain. Defaults to the column's qualified name; a foreign-key column must name the
    /// referenced column's domain (e.g. `"public.customers.id"`) so references still match.
    #[serde(default)]
    pub domain: Option<String>,
    /// Ids are permuted within `[1, range]`. Defaults to a quarter of the type's positive range;
    /// at least 1,000.
    #[serde(default)]
    pub range: Option<u64>,
}

/// The default range and the largest allowed one, by type.
fn limits(kind: TypeKind) -> Option<(u64, u64)> {
    match kind {
        TypeKind::SmallInt => Some((8_191, i16::MAX as u64)),
        TypeKind::Integer => Some((536_870_911, i32::MAX as u64)),
        TypeKind::BigInt => Some((2_305_843_009_213_693_951, i64::MAX as u64)),
        _ => None,
    }
}

impl IntegerId {
    /// Checks the column is an integer type and the range fits it, and builds the transform.
    pub fn build(&self, ctx: &ColumnContext<'_>) -> Result<IntegerIdTransform, String> {
        let ty = ctx.require_type("integer_id")?;
        let (default, max) = match limits(ty.kind) {
            Some(l) if ty.array_dims == 0 => l,
            _ => {
                return Err(format!(
                    "`integer_id` permutes smallint, integer and bigint ids, not type `{}`",
                    ty.sql
                ))
            }
        };
        let range = self.range.unwrap_or(default);
        if !(1_000..=max).contains(&range) {
            return Err(format!(
                "`integer_id`: `range = {range}` must be between 1000 and {max} for type `{}`",
                ty.sql
            ));
        }
        let fpe = Fpe::new(&ctx.subkey("integer_id", self.domain.as_deref()));
        let domain = fpe.prepare_walk(TWEAK, range).map_err(|e| e.0)?;
        Ok(IntegerIdTransform { fpe, range, domain })
    }

    /// Binds the rule to a column.
    pub fn bind(&self, ctx: &ColumnContext<'_>) -> Result<Bound, String> {
        Ok(Bound::Apply(Box::new(self.build(ctx)?)))
    }
}

/// `integer_id` bound to a domain key and a range.
#[derive(Debug)]
pub struct IntegerIdTransform {
    fpe: Fpe,
    range: u64,
    /// The walk's FF1 context, built once: the tweak and domain never change.
    domain: crate::transform::ff1::PreparedDomain,
}

/// The fixed tweak: the range is part of the permutation's identity.
const TWEAK: &[u8] = b"integer_id";

impl IntegerIdTransform {
    /// The largest id the permutation produces: a sequence owned by the column is set here,
    /// so ids inserted on staging never collide with permuted ones.
    pub fn range(&self) -> u64 {
        self.range
    }

    /// Maps one id (as text) through the permutation or its inverse.
    /// The id a value holds, when it is one of the permutation's.
    fn parse(&self, input: &[u8]) -> Option<u64> {
        std::str::from_utf8(input)
            .ok()
            .and_then(|s| s.parse::<u64>().ok())
            .filter(|x| (1..=self.range).contains(x))
    }

    fn map(&self, dir: Dir, input: &[u8]) -> Result<u64, TransformError> {
        let x = self.parse(input).ok_or_else(|| {
            TransformError(format!(
                "id is not an integer in [1, {}] (the `integer_id` range)",
                self.range
            ))
        })?;
        Ok(1 + self.fpe.walk_prepared(dir, &self.domain, x - 1)?)
    }

    /// Turns a permuted id back into the original.
    pub fn reveal(&self, token: &[u8], out: &mut Vec<u8>) -> Result<(), TransformError> {
        let id = self.map(Dir::Decrypt, token)?;
        out.extend_from_slice(id.to_string().as_bytes());
        Ok(())
    }
}

impl Transform for IntegerIdTransform {
    fn apply(
        &self,
        input: &[u8],
        _ctx: &RowContext<'_>,
        out: &mut Vec<u8>,
    ) -> Result<Applied, TransformError> {
        write_u64(self.map(Dir::Encrypt, input)?, out);
        Ok(Applied::Value)
    }

    fn batches(&self) -> bool {
        true
    }

    fn apply_batch(
        &self,
        inputs: &[&[u8]],
        out: &mut Vec<u8>,
        ends: &mut Vec<usize>,
    ) -> Option<()> {
        let mut xs = inputs
            .iter()
            .map(|v| self.parse(v).map(|x| x - 1))
            .collect::<Option<Vec<u64>>>()?;
        self.fpe.encrypt_many_prepared(&self.domain, &mut xs).ok()?;
        for x in xs {
            write_u64(x + 1, out);
            ends.push(out.len());
        }
        Some(())
    }
}
