//! Reveal: turn a token made by a reversible transform back into the original value, for
//! incident tracing (`understudy reveal --domain D --transform T VALUE`).
//!
//! The rule is rebuilt exactly as `run` binds it — same master key, same domain, same
//! parameters, same column type — and its inverse is applied. Only the keyed permutations and
//! `encrypt` can be revealed; `hash`, `redact` and `null` throw information away. What is not
//! here: reading the key or flags (the binary does that).

use crate::dump::ddl::apply_statement;
use crate::dump::ident::QualifiedName;
use crate::dump::schema::{ColumnType, Schema};
use crate::key::MasterKey;
use crate::transform::{ColumnContext, Rule};

/// Why a token could not be revealed. Messages never contain the token or the value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct RevealError(pub String);

/// The transforms whose tokens can be revealed, alphabetically.
pub const REVERSIBLE: &[&str] = &[
    "card_number",
    "email",
    "encrypt",
    "iban",
    "integer_id",
    "ip",
    "phone",
    "tokenize",
    "uuid",
];

/// Parses a column type as the dump would declare it (`integer`, `varchar(255)`, `inet`).
pub fn parse_column_type(sql: &str) -> Result<ColumnType, RevealError> {
    let mut schema = Schema::new();
    let bad = || RevealError(format!("not a column type understudy knows: `{sql}`"));
    if sql.contains(';') {
        return Err(bad());
    }
    apply_statement(&mut schema, &format!("CREATE TABLE reveal.t (c {sql});"), 1)
        .map_err(|_| bad())?;
    let name = QualifiedName::new("reveal", "t");
    schema
        .table(&name)
        .and_then(|t| t.column("c"))
        .and_then(|c| c.ty.clone())
        .ok_or_else(bad)
}

/// Builds `rule` for `domain` (the value its `domain` parameter defaults to: the column's
/// qualified name, `schema.table.column`) and column type `ty`, then inverts `token`.
pub fn reveal(
    rule: &Rule,
    key: &MasterKey,
    domain: &str,
    ty: &ColumnType,
    token: &[u8],
) -> Result<Vec<u8>, RevealError> {
    let ctx = ColumnContext {
        qualified: domain,
        default_domain: domain,
        ty: Some(ty),
        not_null: false,
        key,
    };
    let mut out = Vec::new();
    let built = |e: String| RevealError(format!("`{}`: {e}", rule.name()));
    let done = match rule {
        Rule::CardNumber(p) => p.build(&ctx).map_err(built)?.reveal(token, &mut out),
        Rule::Email(p) => p.build(&ctx).map_err(built)?.reveal(token, &mut out),
        Rule::Encrypt(p) => p.build(&ctx).map_err(built)?.reveal(token, &mut out),
        Rule::Iban(p) => p.build(&ctx).map_err(built)?.reveal(token, &mut out),
        Rule::IntegerId(p) => p.build(&ctx).map_err(built)?.reveal(token, &mut out),
        Rule::Ip(p) => p.build(&ctx).map_err(built)?.reveal(token, &mut out),
        Rule::Phone(p) => p.build(&ctx).map_err(built)?.reveal(token, &mut out),
        Rule::Tokenize(p) => p.build(&ctx).map_err(built)?.reveal(token, &mut out),
        Rule::Uuid(p) => p.build(&ctx).map_err(built)?.reveal(token, &mut out),
        other => {
            return Err(RevealError(format!(
                "`{}` is not reversible; only {} tokens can be revealed",
                other.name(),
                REVERSIBLE.join(", ")
            )))
        }
    };
    done.map_err(|e| RevealError(format!("`{}`: {e}", rule.name())))?;
    Ok(out)
}

/// Builds a rule from a transform name and `key=value` parameters, as a policy line would
/// (`{ transform = "email", domain_mode = "reserved" }`). Values that parse as TOML (numbers,
/// booleans, quoted strings) are taken as such; anything else is a string.
pub fn rule_from_params(transform: &str, params: &[(String, String)]) -> Result<Rule, RevealError> {
    let mut table = toml::Table::new();
    table.insert("transform".into(), toml::Value::String(transform.into()));
    for (k, v) in params {
        let value = toml::from_str::<toml::Table>(&format!("v = {v}"))
            .ok()
            .and_then(|mut t| t.remove("v"))
            .unwrap_or_else(|| toml::Value::String(v.clone()));
        table.insert(k.clone(), value);
    }
    toml::Value::Table(table).try_into::<Rule>().map_err(|e| {
        RevealError(format!(
            "bad transform or parameter: {}",
            e.message().trim()
        ))
    })
}
