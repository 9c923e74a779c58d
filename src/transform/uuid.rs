//! `uuid`: a keyed permutation of UUIDs that keeps them valid UUIDs of the same version.
//!
//! The version nibble (13th hex digit) and the variant nibble (17th) are kept; the other 30 hex
//! digits are encrypted with FF1 in radix 16 (16^30 = 2^120 values), with the kept nibbles as
//! the tweak. Distinct UUIDs stay distinct, so the rule may sit on a PRIMARY KEY; references in
//! other tables match when they share the domain. Works on `uuid` columns and on text columns
//! holding UUIDs (hyphenated or 32 bare hex digits, either case; the layout and case are kept).
//!
//! ```toml
//! id = { transform = "uuid" }
//! owner_id = { transform = "uuid", domain = "public.users.id" }   # a reference to users.id
//! ```

use serde::Deserialize;

use super::format::{Dir, Fpe};
use super::{Applied, Bound, ColumnContext, RowContext, Transform, TransformError};
use crate::dump::schema::TypeKind;

/// Parameters of `uuid`.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq, Default)]
#[serde(deny_unknown_fields)]
pub struct Uuid {
    /// Key domain. Defaults to the column's qualified name; references to another table's UUIDs
    /// must use that column's domain.
    #[serde(default)]
    pub domain: Option<String>,
}

impl Uuid {
    /// Checks the column is `uuid` or text and builds the transform.
    pub fn build(&self, ctx: &ColumnContext<'_>) -> Result<UuidTransform, String> {
        let ty = ctx.require_type("uuid")?;
        let fits = ty.kind == TypeKind::Uuid
            || (ty.kind.is_textual() && ty.max_len.is_none_or(|n| n >= 32));
        if ty.array_dims > 0 || !fits {
            return Err(format!(
                "`uuid` writes UUIDs, which do not fit type `{}`",
                ty.sql
            ));
        }
        Ok(UuidTransform {
            fpe: Fpe::new(&ctx.subkey("uuid", self.domain.as_deref())),
        })
    }

    /// Binds the rule to a column.
    pub fn bind(&self, ctx: &ColumnContext<'_>) -> Result<Bound, String> {
        Ok(Bound::Apply(Box::new(self.build(ctx)?)))
    }
}

/// `uuid` bound to a domain key.
#[derive(Debug)]
pub struct UuidTransform {
    fpe: Fpe,
}

/// Indexes (among the 32 hex digits) of the version and variant nibbles.
const VERSION: usize = 12;
const VARIANT: usize = 16;

fn hex_value(b: u8) -> Option<u16> {
    match b {
        b'0'..=b'9' => Some(u16::from(b - b'0')),
        b'a'..=b'f' => Some(u16::from(b - b'a' + 10)),
        b'A'..=b'F' => Some(u16::from(b - b'A' + 10)),
        _ => None,
    }
}

fn not_a_uuid() -> TransformError {
    TransformError("value is not a UUID (32 hex digits, optionally hyphenated 8-4-4-4-12)".into())
}

impl UuidTransform {
    fn run(&self, dir: Dir, input: &[u8], out: &mut Vec<u8>) -> Result<(), TransformError> {
        let hyphenated = match input.len() {
            36 => true,
            32 => false,
            _ => return Err(not_a_uuid()),
        };
        let mut digits = [0u16; 32];
        let mut upper = false;
        let mut n = 0;
        for (i, &b) in input.iter().enumerate() {
            if hyphenated && matches!(i, 8 | 13 | 18 | 23) {
                if b != b'-' {
                    return Err(not_a_uuid());
                }
                continue;
            }
            digits[n] = hex_value(b).ok_or_else(not_a_uuid)?;
            upper |= b.is_ascii_uppercase();
            n += 1;
        }
        let tweak = [digits[VERSION] as u8, digits[VARIANT] as u8];
        let mut middle = [0u16; 30];
        let mut j = 0;
        for (i, &d) in digits.iter().enumerate() {
            if i != VERSION && i != VARIANT {
                middle[j] = d;
                j += 1;
            }
        }
        self.fpe.single_radix(dir, &tweak, 16, &mut middle)?;
        let mut j = 0;
        for (i, d) in digits.iter_mut().enumerate() {
            if i != VERSION && i != VARIANT {
                *d = middle[j];
                j += 1;
            }
        }
        let alphabet: &[u8; 16] = if upper {
            b"0123456789ABCDEF"
        } else {
            b"0123456789abcdef"
        };
        for (i, &d) in digits.iter().enumerate() {
            if hyphenated && matches!(i, 8 | 12 | 16 | 20) {
                out.push(b'-');
            }
            out.push(alphabet[d as usize]);
        }
        Ok(())
    }

    /// Turns a permuted UUID back into the original.
    pub fn reveal(&self, token: &[u8], out: &mut Vec<u8>) -> Result<(), TransformError> {
        self.run(Dir::Decrypt, token, out)
    }
}

impl Transform for UuidTransform {
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
