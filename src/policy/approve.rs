//! Approvals: a record that a reviewed policy was approved for a given schema, and the check
//! `run --require-approved` makes before it reads any data.
//!
//! `understudy policy approve POLICY --input DUMP|--source URL` writes `POLICY.approved` (JSON) beside the
//! policy:
//!
//! ```json
//! { "understudy_approval": 1,
//!   "policy": "shop.toml",
//!   "policy_sha256": "…",   // of the policy's canonical form: comments and layout do not count
//!   "schema_sha256": "…",   // of the schema listing below
//!   "schema": { "public.customers": [ { "column": "id", "type": "integer", "not_null": true } ] } }
//! ```
//!
//! The canonical form of a policy is its *effective* content after parsing — includes merged,
//! `use` expanded — as JSON with sorted keys, so reformatting or commenting a policy does not
//! invalidate an approval while any change of meaning (also in an included file) does. The
//! schema listing is kept whole so that drift can be described, not just detected.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::dump::schema::Schema;
use crate::error::{Error, ErrorKind, Where};

use super::file::{PolicyFile, TableRules};

/// Format version of approval files.
pub const APPROVAL_FORMAT: u32 = 1;

/// One column in an approval's schema listing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListedColumn {
    /// The exact column name.
    pub column: String,
    /// The type as `format_type` prints it, typmods included; `?` when the dump does not say.
    #[serde(rename = "type")]
    pub ty: String,
    /// Whether the column is NOT NULL.
    pub not_null: bool,
}

/// Tables (as SQL writes their names) and their data-carrying columns, in column order.
pub type SchemaListing = BTreeMap<String, Vec<ListedColumn>>;

/// The contents of a `POLICY.approved` file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Approval {
    /// Always [`APPROVAL_FORMAT`].
    pub understudy_approval: u32,
    /// The policy's file name, for people reading the file.
    pub policy: String,
    /// SHA-256 of [`canonical_policy`].
    pub policy_sha256: String,
    /// SHA-256 of the canonical JSON of `schema`.
    pub schema_sha256: String,
    /// The schema the policy was reviewed against.
    pub schema: SchemaListing,
}

/// Where a policy's approval lives: `POLICY.approved` beside it.
pub fn approval_path(policy: &Path) -> PathBuf {
    let mut name = policy.as_os_str().to_owned();
    name.push(".approved");
    PathBuf::from(name)
}

/// The schema listing of every table that carries data.
pub fn schema_listing(schema: &Schema) -> SchemaListing {
    schema
        .tables()
        .map(|t| {
            let columns = t
                .data_columns()
                .map(|c| ListedColumn {
                    column: c.name.clone(),
                    ty: c.ty.as_ref().map_or_else(|| "?".into(), |t| t.sql.clone()),
                    not_null: c.not_null,
                })
                .collect();
            (t.name.to_string(), columns)
        })
        .collect()
}

/// The policy's effective content as canonical JSON (sorted keys, no whitespace).
pub fn canonical_policy(policy: &PolicyFile) -> String {
    let sections = |tables: &[TableRules]| {
        let mut out = serde_json::Map::new();
        for t in tables {
            let key = if t.is_pattern() {
                format!("{}.{}", t.name.schema, t.name.name)
            } else {
                t.name.to_string()
            };
            let entry = out
                .entry(key)
                .or_insert_with(|| serde_json::json!({ "columns": {}, "jointly_known": [] }));
            for c in &t.columns {
                entry["columns"][&c.column] = to_json(&c.spec);
            }
            if !t.jointly_known.is_empty() {
                entry["jointly_known"] = serde_json::json!(t.jointly_known);
            }
        }
        serde_json::Value::Object(out)
    };
    let doc = serde_json::json!({
        "version": super::file::VERSION,
        "defaults": serde_json::to_value(&policy.defaults).unwrap_or_default(),
        "large_objects": serde_json::to_value(&policy.large_objects).unwrap_or_default(),
        "risk": policy.risk.as_ref().map(to_json),
        "tables": sections(&policy.tables),
        "patterns": sections(&policy.patterns),
    });
    let mut out = String::new();
    write_canonical(&doc, &mut out);
    out
}

fn to_json(t: &toml::Table) -> serde_json::Value {
    serde_json::to_value(t).unwrap_or_default()
}

/// JSON with object keys sorted at every level, whatever map type serde_json was built with.
fn write_canonical(v: &serde_json::Value, out: &mut String) {
    match v {
        serde_json::Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&serde_json::Value::String(k.clone()).to_string());
                out.push(':');
                write_canonical(&map[k], out);
            }
            out.push('}');
        }
        serde_json::Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// SHA-256 of the policy's canonical form.
pub fn policy_digest(policy: &PolicyFile) -> String {
    sha256_hex(canonical_policy(policy).as_bytes())
}

/// SHA-256 of a schema listing.
pub fn schema_digest(listing: &SchemaListing) -> String {
    let mut out = String::new();
    write_canonical(&serde_json::to_value(listing).unwrap_or_default(), &mut out);
    sha256_hex(out.as_bytes())
}

/// The approval of `policy` for `schema`.
pub fn approval(policy: &PolicyFile, schema: &Schema) -> Approval {
    let listing = schema_listing(schema);
    Approval {
        understudy_approval: APPROVAL_FORMAT,
        policy: policy
            .path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
        policy_sha256: policy_digest(policy),
        schema_sha256: schema_digest(&listing),
        schema: listing,
    }
}

/// Writes the approval file beside the policy; returns its path.
pub fn write_approval(policy: &PolicyFile, schema: &Schema) -> Result<PathBuf, Error> {
    let path = approval_path(&policy.path);
    let json = serde_json::to_string_pretty(&approval(policy, schema)).map_err(|e| {
        Error::input(
            format!("cannot serialize the approval: {e}"),
            Where::default(),
        )
    })?;
    std::fs::write(&path, json + "\n").map_err(|source| {
        Error::new(
            ErrorKind::Io {
                context: format!("writing {}", path.display()),
                source,
            },
            Where::default(),
        )
    })?;
    Ok(path)
}

/// Checks that `policy` is approved, unchanged, for `schema`. The error (exit code 4) says what
/// changed: the policy, and every table and column that drifted.
pub fn check(policy: &PolicyFile, schema: &Schema) -> Result<(), Error> {
    let path = approval_path(&policy.path);
    let not_approved =
        |message: String| Error::new(ErrorKind::NotApproved(message), Where::default());
    let text = std::fs::read_to_string(&path).map_err(|e| {
        not_approved(format!(
            "the policy is not approved: cannot read {} ({e}); review it and run `understudy policy approve {} --input DUMP` (or `--source URL`)",
            path.display(),
            policy.path.display()
        ))
    })?;
    let approved: Approval = serde_json::from_str(&text)
        .map_err(|e| not_approved(format!("{} is not a valid approval: {e}", path.display())))?;
    let mut reasons = Vec::new();
    if approved.policy_sha256 != policy_digest(policy) {
        reasons.push(
            "the policy changed since it was approved (its canonical form has a different SHA-256; `understudy policy diff` shows how, against the approved version)"
                .to_string(),
        );
    }
    let listing = schema_listing(schema);
    if approved.schema_sha256 != schema_digest(&listing) || approved.schema != listing {
        let drift = drift(&approved.schema, &listing);
        if drift.is_empty() {
            reasons.push("the schema differs from the approved one".into());
        } else {
            reasons.push(format!(
                "the schema drifted since approval:\n    {}",
                drift.join("\n    ")
            ));
        }
    }
    if reasons.is_empty() {
        Ok(())
    } else {
        Err(not_approved(format!(
            "the policy {} is not approved for this schema ({}); nothing was written:\n  {}\nReview the policy against the new schema, then run `understudy policy approve`.",
            policy.path.display(),
            path.display(),
            reasons.join("\n  ")
        )))
    }
}

/// Describes how `new` differs from `old`, one line per change.
pub fn drift(old: &SchemaListing, new: &SchemaListing) -> Vec<String> {
    let mut out = Vec::new();
    let describe =
        |c: &ListedColumn| format!("{}{}", c.ty, if c.not_null { " NOT NULL" } else { "" });
    for (table, cols) in new {
        let Some(old_cols) = old.get(table) else {
            out.push(format!("new table {table} ({} columns)", cols.len()));
            continue;
        };
        for c in cols {
            match old_cols.iter().find(|o| o.column == c.column) {
                None => out.push(format!("new column {table}.{} {}", c.column, describe(c))),
                Some(o) if o.ty != c.ty => out.push(format!(
                    "type change {table}.{}: {} → {}",
                    c.column, o.ty, c.ty
                )),
                Some(o) if o.not_null != c.not_null => out.push(format!(
                    "{table}.{}: NOT NULL {}",
                    c.column,
                    if c.not_null { "added" } else { "dropped" }
                )),
                Some(_) => {}
            }
        }
        for o in old_cols {
            if !cols.iter().any(|c| c.column == o.column) {
                out.push(format!(
                    "dropped column {table}.{} {}",
                    o.column,
                    describe(o)
                ));
            }
        }
        let order =
            |cs: &[ListedColumn]| -> Vec<String> { cs.iter().map(|c| c.column.clone()).collect() };
        let common_old: Vec<String> = order(old_cols)
            .into_iter()
            .filter(|n| cols.iter().any(|c| &c.column == n))
            .collect();
        let common_new: Vec<String> = order(cols)
            .into_iter()
            .filter(|n| old_cols.iter().any(|c| &c.column == n))
            .collect();
        if common_old != common_new {
            out.push(format!("column order changed in {table}"));
        }
    }
    for table in old.keys() {
        if !new.contains_key(table) {
            out.push(format!("dropped table {table}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(name: &str, ty: &str) -> ListedColumn {
        ListedColumn {
            column: name.into(),
            ty: ty.into(),
            not_null: false,
        }
    }

    #[test]
    fn drift_names_every_change() {
        let old: SchemaListing = [
            (
                "public.customers".to_string(),
                vec![col("id", "integer"), col("email", "text")],
            ),
            ("public.orders".to_string(), vec![col("status", "text")]),
            ("public.gone".to_string(), vec![col("x", "text")]),
        ]
        .into();
        let new: SchemaListing = [
            (
                "public.customers".to_string(),
                vec![
                    col("id", "integer"),
                    col("email", "text"),
                    col("ssn", "text"),
                ],
            ),
            (
                "public.orders".to_string(),
                vec![col("status", "character varying(20)")],
            ),
        ]
        .into();
        assert_eq!(
            drift(&old, &new),
            vec![
                "new column public.customers.ssn text",
                "type change public.orders.status: text → character varying(20)",
                "dropped table public.gone",
            ]
        );
    }

    #[test]
    fn comments_and_layout_do_not_change_the_digest() {
        let a = "version = 1\n[tables.\"public.t\".columns]\na = { transform = \"null\" }\nb = { transform = \"hash\", domain = \"x\" }\n";
        let b = "# reviewed\nversion = 1\n\n[tables.\"public.t\".columns]\nb = {domain=\"x\", transform=\"hash\"}   # pseudonym\na = { transform = \"null\" }\n";
        let c = "version = 1\n[tables.\"public.t\".columns]\na = { transform = \"null\" }\nb = { transform = \"hash\", domain = \"y\" }\n";
        let digest =
            |t: &str| policy_digest(&super::super::file::parse(Path::new("p.toml"), t).unwrap());
        assert_eq!(digest(a), digest(b));
        assert_ne!(digest(a), digest(c));
    }
}
