//! Test helpers for transforms: a column of a given SQL type, a rule bound to it, one call per
//! value. Types come from real DDL through `dump::ddl`, so the typmods are the ones a dump gives.

use crate::dump::ddl::apply_statement;
use crate::dump::ident::QualifiedName;
use crate::dump::schema::{ColumnType, Schema};
use crate::key::MasterKey;

use super::{Applied, Bound, ColumnContext, RowContext, Rule, Transform};

/// The type of a column declared as `sql` (`numeric(12,2)`, `text[]`, ...).
pub fn ty(sql: &str) -> ColumnType {
    let mut schema = Schema::new();
    apply_statement(&mut schema, &format!("CREATE TABLE public.t (c {sql});"), 1).unwrap();
    let table = schema.table(&QualifiedName::new("public", "t")).unwrap();
    table.columns[0].ty.clone().unwrap()
}

pub fn key(n: u8) -> MasterKey {
    MasterKey::from_bytes([n; 32])
}

/// Parses a rule from its inline TOML (`transform = "bucket", width = "10"`).
pub fn try_rule(toml_inline: &str) -> Result<Rule, String> {
    #[derive(serde::Deserialize)]
    struct W {
        r: Rule,
    }
    toml::from_str::<W>(&format!("r = {{ {toml_inline} }}"))
        .map(|w| w.r)
        .map_err(|e| e.to_string())
}

/// Binds `rule` to a column of type `sql` with key `k`.
pub fn try_bind(rule_toml: &str, sql: &str, k: u8) -> Result<Box<dyn Transform>, String> {
    let ty = ty(sql);
    let key = key(k);
    let ctx = ColumnContext {
        qualified: "public.t.c",
        default_domain: "public.t.c",
        ty: Some(&ty),
        not_null: false,
        key: &key,
    };
    match try_rule(rule_toml)?.bind(&ctx)? {
        Bound::Apply(t) => Ok(t),
        Bound::Keep => Err("bound to keep".into()),
    }
}

pub fn bind(rule_toml: &str, sql: &str) -> Box<dyn Transform> {
    try_bind(rule_toml, sql, 7).unwrap_or_else(|e| panic!("{rule_toml} on {sql}: {e}"))
}

/// Runs a transform on one value; `Err` carries the message, `Ok(None)` is NULL.
pub fn run(t: &dyn Transform, input: &str, entity: Option<&str>) -> Result<Option<String>, String> {
    let mut out = Vec::new();
    let ctx = RowContext {
        entity: entity.map(str::as_bytes),
    };
    match t.apply(input.as_bytes(), &ctx, &mut out) {
        Ok(Applied::Value) => Ok(Some(String::from_utf8(out).unwrap())),
        Ok(Applied::Null) => Ok(None),
        Err(e) => Err(e.0),
    }
}

/// Runs and expects a value.
pub fn value(t: &dyn Transform, input: &str) -> String {
    run(t, input, None)
        .unwrap_or_else(|e| panic!("{input:?}: {e}"))
        .unwrap_or_else(|| panic!("{input:?}: NULL"))
}
