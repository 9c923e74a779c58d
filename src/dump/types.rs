//! Mapping a sqlparser `DataType` to the model's [`ColumnType`], with canonical text as
//! PostgreSQL's `format_type` prints it (the spelling pg_dump writes).
//!
//! Only type names live here; columns, constraints and statements are in `ddl`.

use sqlparser::ast::{
    ArrayElemTypeDef, CharacterLength, DataType, ExactNumberInfo, IntervalFields, ObjectName,
    TimezoneInfo, TypeModifier,
};

use super::ddl::object_name;
use super::schema::{ColumnType, TypeKind};

/// The model's view of a declared type. Unknown and user-defined types become
/// [`TypeKind::Other`] with their name kept, so a policy can still match them by name.
pub(crate) fn column_type(dt: &DataType) -> ColumnType {
    match dt {
        DataType::Array(elem) => {
            let inner = match elem {
                ArrayElemTypeDef::SquareBracket(inner, _)
                | ArrayElemTypeDef::AngleBracket(inner)
                | ArrayElemTypeDef::Parenthesis(inner)
                | ArrayElemTypeDef::ParenthesisNotNull(inner)
                | ArrayElemTypeDef::Qualified(inner, _) => column_type(inner),
                ArrayElemTypeDef::None => scalar("anyarray", TypeKind::Other),
            };
            // PostgreSQL ignores declared dimensions and format_type prints a single `[]`.
            let sql = if inner.array_dims == 0 {
                format!("{}[]", inner.sql)
            } else {
                inner.sql.clone()
            };
            ColumnType {
                sql,
                array_dims: 1,
                ..inner
            }
        }
        DataType::Collate(inner, _) => column_type(inner),
        other => scalar_type(other),
    }
}

fn scalar(sql: &str, kind: TypeKind) -> ColumnType {
    ColumnType {
        sql: sql.to_string(),
        kind,
        max_len: None,
        precision: None,
        scale: None,
        array_dims: 0,
    }
}

fn scalar_type(dt: &DataType) -> ColumnType {
    use TypeKind as K;
    match dt {
        DataType::Text => scalar("text", K::Text),
        DataType::CharacterVarying(len) | DataType::CharVarying(len) | DataType::Varchar(len) => {
            with_len("character varying", K::Varchar, len.as_ref())
        }
        DataType::Character(len) | DataType::Char(len) => {
            with_len("character", K::Char, len.as_ref())
        }
        DataType::SmallInt(_) | DataType::Int2(_) => scalar("smallint", K::SmallInt),
        DataType::Int(_) | DataType::Integer(_) | DataType::Int4(_) => {
            scalar("integer", K::Integer)
        }
        DataType::BigInt(_) | DataType::Int8(_) => scalar("bigint", K::BigInt),
        DataType::Numeric(info) | DataType::Decimal(info) | DataType::Dec(info) => numeric(info),
        DataType::Real | DataType::Float4 => scalar("real", K::Real),
        DataType::DoublePrecision | DataType::Float8 | DataType::Double(_) => {
            scalar("double precision", K::Double)
        }
        // SQL's float(p) is real up to 24 bits of mantissa, double precision above.
        DataType::Float(ExactNumberInfo::Precision(p)) if *p <= 24 => scalar("real", K::Real),
        DataType::Float(_) => scalar("double precision", K::Double),
        DataType::Bool | DataType::Boolean => scalar("boolean", K::Bool),
        DataType::Date => scalar("date", K::Date),
        DataType::Time(p, tz) => temporal("time", K::Time, K::TimeTz, *p, tz),
        DataType::Timestamp(p, tz) => temporal("timestamp", K::Timestamp, K::TimestampTz, *p, tz),
        DataType::Interval { fields, precision } => interval(fields.as_ref(), *precision),
        DataType::JSON => scalar("json", K::Json),
        DataType::JSONB => scalar("jsonb", K::Jsonb),
        DataType::Bytea => scalar("bytea", K::Bytea),
        DataType::Uuid => scalar("uuid", K::Uuid),
        DataType::Regclass => scalar("regclass", K::Other),
        DataType::TsVector => scalar("tsvector", K::Other),
        DataType::TsQuery => scalar("tsquery", K::Other),
        DataType::Bit(n) => with_u64("bit", *n),
        DataType::BitVarying(n) | DataType::VarBit(n) => with_u64("bit varying", *n),
        DataType::Custom(name, modifiers) => custom(name, modifiers),
        // Anything else is not PostgreSQL syntax that pg_dump writes; keep sqlparser's text so
        // the column is still visible to policies by name.
        other => scalar(&other.to_string(), K::Other),
    }
}

fn with_len(base: &str, kind: TypeKind, len: Option<&CharacterLength>) -> ColumnType {
    match len {
        Some(CharacterLength::IntegerLength { length, .. }) => ColumnType {
            max_len: u32::try_from(*length).ok(),
            ..scalar(&format!("{base}({length})"), kind)
        },
        _ => scalar(base, kind),
    }
}

fn with_u64(base: &str, n: Option<u64>) -> ColumnType {
    match n {
        Some(n) => scalar(&format!("{base}({n})"), TypeKind::Other),
        None => scalar(base, TypeKind::Other),
    }
}

fn numeric(info: &ExactNumberInfo) -> ColumnType {
    match info {
        ExactNumberInfo::None => scalar("numeric", TypeKind::Numeric),
        ExactNumberInfo::Precision(p) => ColumnType {
            precision: u32::try_from(*p).ok(),
            ..scalar(&format!("numeric({p})"), TypeKind::Numeric)
        },
        ExactNumberInfo::PrecisionAndScale(p, s) => ColumnType {
            precision: u32::try_from(*p).ok(),
            scale: u32::try_from(*s).ok(),
            ..scalar(&format!("numeric({p},{s})"), TypeKind::Numeric)
        },
    }
}

fn temporal(
    base: &str,
    plain: TypeKind,
    zoned: TypeKind,
    precision: Option<u64>,
    tz: &TimezoneInfo,
) -> ColumnType {
    let with_tz = matches!(tz, TimezoneInfo::WithTimeZone | TimezoneInfo::Tz);
    let typmod = precision.map(|p| format!("({p})")).unwrap_or_default();
    let zone = if with_tz { "with" } else { "without" };
    ColumnType {
        precision: precision.and_then(|p| u32::try_from(p).ok()),
        ..scalar(
            &format!("{base}{typmod} {zone} time zone"),
            if with_tz { zoned } else { plain },
        )
    }
}

fn interval(fields: Option<&IntervalFields>, precision: Option<u64>) -> ColumnType {
    let mut sql = String::from("interval");
    if let Some(fields) = fields {
        sql.push(' ');
        sql.push_str(&fields.to_string().to_ascii_lowercase());
    }
    if let Some(p) = precision {
        sql.push_str(&format!("({p})"));
    }
    ColumnType {
        precision: precision.and_then(|p| u32::try_from(p).ok()),
        ..scalar(&sql, TypeKind::Interval)
    }
}

/// Names sqlparser has no variant for. Built-in names are recognised unqualified or in
/// `pg_catalog`; anything in another schema is a user type even if it shares a name.
fn custom(name: &ObjectName, modifiers: &[TypeModifier]) -> ColumnType {
    let qualified = object_name(name);
    let builtin = match &qualified {
        Some(q) if q.schema == "pg_catalog" || name.0.len() == 1 => builtin(&q.name),
        _ => None,
    };
    if let Some((sql, kind)) = builtin {
        return scalar(sql, kind);
    }
    let base = match &qualified {
        // Unqualified user types only come from hand-written SQL; show them as written.
        Some(q) if name.0.len() == 1 => super::ident::quote_ident(&q.name).into_owned(),
        Some(q) => q.to_string(),
        None => name.to_string(),
    };
    let sql = if modifiers.is_empty() {
        base
    } else {
        let modifiers: Vec<String> = modifiers.iter().map(ToString::to_string).collect();
        format!("{base}({})", modifiers.join(","))
    };
    scalar(&sql, TypeKind::Other)
}

fn builtin(name: &str) -> Option<(&'static str, TypeKind)> {
    use TypeKind as K;
    Some(match name {
        "inet" => ("inet", K::Inet),
        "cidr" => ("cidr", K::Cidr),
        "macaddr" => ("macaddr", K::MacAddr),
        "macaddr8" => ("macaddr8", K::MacAddr),
        "money" => ("money", K::Money),
        "xml" => ("xml", K::Xml),
        "text" => ("text", K::Text),
        "bpchar" => ("character", K::Char),
        "varchar" => ("character varying", K::Varchar),
        "int2" => ("smallint", K::SmallInt),
        "int4" => ("integer", K::Integer),
        "int8" => ("bigint", K::BigInt),
        "float4" => ("real", K::Real),
        "float8" => ("double precision", K::Double),
        "bool" => ("boolean", K::Bool),
        "timetz" => ("time with time zone", K::TimeTz),
        "timestamptz" => ("timestamp with time zone", K::TimestampTz),
        "json" => ("json", K::Json),
        "jsonb" => ("jsonb", K::Jsonb),
        "bytea" => ("bytea", K::Bytea),
        "uuid" => ("uuid", K::Uuid),
        _ => return None,
    })
}
