//! `redact`: every non-NULL value becomes one constant that is valid for the column's type.
//!
//! The constant is chosen from the type so the restore never fails (`REDACTED` for text, cut to
//! `varchar(n)`; `0` for numbers; the epoch for dates; `{}` for JSON and arrays ...). Types whose
//! valid values understudy cannot know (enums, domains, composites) need an explicit `value`.

use serde::Deserialize;

use super::{Applied, Bound, ColumnContext, RowContext, Transform, TransformError};
use crate::dump::schema::TypeKind;

/// Parameters of `redact`.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq, Default)]
#[serde(deny_unknown_fields)]
pub struct Redact {
    /// The constant to write instead of the type's default (its text form, as COPY would show
    /// it). Required for enum, domain and other user-defined types.
    #[serde(default)]
    pub value: Option<String>,
}

impl Redact {
    /// Picks the constant for the column's type and binds.
    pub fn bind(&self, ctx: &ColumnContext<'_>) -> Result<Bound, String> {
        let constant = match &self.value {
            Some(v) => v.clone(),
            None => default_for(ctx)?,
        };
        Ok(Bound::Apply(Box::new(RedactTransform {
            constant: constant.into_bytes(),
        })))
    }
}

fn default_for(ctx: &ColumnContext<'_>) -> Result<String, String> {
    let ty = ctx.require_type("redact")?;
    if ty.array_dims > 0 {
        return Ok("{}".into());
    }
    let text = |max: Option<u32>| {
        let mut s = String::from("REDACTED");
        if let Some(n) = max {
            s.truncate(n as usize);
        }
        s
    };
    Ok(match ty.kind {
        TypeKind::Text | TypeKind::Xml => text(None),
        TypeKind::Varchar | TypeKind::Char => text(ty.max_len),
        TypeKind::SmallInt | TypeKind::Integer | TypeKind::BigInt | TypeKind::Numeric => "0".into(),
        TypeKind::Real | TypeKind::Double | TypeKind::Money => "0".into(),
        TypeKind::Bool => "false".into(),
        TypeKind::Date => "1970-01-01".into(),
        TypeKind::Time => "00:00:00".into(),
        TypeKind::TimeTz => "00:00:00+00".into(),
        TypeKind::Timestamp => "1970-01-01 00:00:00".into(),
        TypeKind::TimestampTz => "1970-01-01 00:00:00+00".into(),
        TypeKind::Interval => "00:00:00".into(),
        TypeKind::Json | TypeKind::Jsonb => "{}".into(),
        TypeKind::Bytea => "\\x".into(),
        TypeKind::Uuid => "00000000-0000-0000-0000-000000000000".into(),
        TypeKind::Inet => "0.0.0.0".into(),
        TypeKind::Cidr => "0.0.0.0/32".into(),
        TypeKind::MacAddr => "00:00:00:00:00:00".into(),
        TypeKind::Other => {
            return Err(format!(
                "`redact` does not know a valid constant for type `{}`; give one with `value = \"...\"`",
                ty.sql
            ))
        }
    })
}

#[derive(Debug)]
struct RedactTransform {
    constant: Vec<u8>,
}

impl Transform for RedactTransform {
    fn apply(
        &self,
        _input: &[u8],
        _ctx: &RowContext<'_>,
        out: &mut Vec<u8>,
    ) -> Result<Applied, TransformError> {
        out.extend_from_slice(&self.constant);
        Ok(Applied::Value)
    }
}
