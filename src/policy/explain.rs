//! `understudy policy explain`: a review table of what the policy does to every column.
//!
//! The words for each transform are presentation text keyed by its contract name. When the
//! registry grows `is_reversible`/`is_deterministic` methods, the two yes/no columns should come
//! from them; until then this table is the one place that states them.

use std::fmt::Write as _;

use crate::dump::ident::quote_ident;
use crate::dump::schema::Schema;

use super::file::{ColumnRule, PolicyFile};
use super::resolve::{rule_for, Origin};

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Aligned columns for a terminal.
    Text,
    /// A Markdown table for a review.
    Markdown,
}

/// One row of the review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub table: String,
    pub column: String,
    pub ty: String,
    pub rule: String,
    pub words: String,
    pub reversible: &'static str,
    pub deterministic: &'static str,
    pub domain: String,
    pub flags: String,
    pub reason: String,
    pub origin: String,
}

/// (words, reversible, deterministic) for a rule.
fn describe(rule: &ColumnRule) -> (String, &'static str, &'static str) {
    let p = |k: &str| rule.param(k).map(str::to_owned);
    let domain = p("domain")
        .map(|d| format!(", domain {d:?}"))
        .unwrap_or_default();
    match rule.rule.name() {
        "keep" => ("copied unchanged".into(), "n/a", "yes"),
        "null" => ("replaced by NULL".into(), "no", "yes"),
        "redact" => (
            match p("value") {
                Some(v) => format!("replaced by the constant {v:?}"),
                None => "replaced by a constant valid for the type".into(),
            },
            "no",
            "yes",
        ),
        "hash" => (format!("keyed HMAC-SHA256, hex{domain}"), "no", "yes"),
        "tokenize" => (
            format!("format-preserving token (FF1){domain}"),
            "with the key",
            "yes",
        ),
        "email" => (
            "emails: local part encrypted (FF1), domain kept".into(),
            "with the key",
            "yes",
        ),
        "phone" => (
            "phone numbers: digits encrypted (FF1), country code and layout kept".into(),
            "with the key",
            "yes",
        ),
        "card_number" => (
            "card numbers: digits encrypted (FF1), Luhn-valid output".into(),
            "with the key",
            "yes",
        ),
        "iban" => (
            "IBANs: account part encrypted (FF1), country kept, check digits recomputed".into(),
            "with the key",
            "yes",
        ),
        "uuid" => (
            format!("UUIDs: keyed pseudonym{domain}"),
            "with the key",
            "yes",
        ),
        "ip" => (
            "IP addresses: keyed pseudonym address of the same family".into(),
            "with the key",
            "yes",
        ),
        "integer_id" => (
            format!("integer ids: keyed permutation{domain}"),
            "with the key",
            "yes",
        ),
        "encrypt" => ("encrypted (AES-GCM-SIV)".into(), "with the key", "yes"),
        "shift_date" => (
            format!(
                "dates shifted by up to ±{}{}",
                p("max").unwrap_or_else(|| "?".into()),
                p("per")
                    .map(|e| format!(", one shift per {e}"))
                    .unwrap_or_default()
            ),
            "with the key",
            "yes",
        ),
        "generalize_date" => (
            format!(
                "dates truncated to the {}",
                p("unit").unwrap_or_else(|| "?".into())
            ),
            "no",
            "yes",
        ),
        "bucket" => ("numbers rounded into buckets".into(), "no", "yes"),
        "noise" => ("numbers with keyed noise".into(), "no", "yes"),
        "generalize" => ("values generalized to a coarser level".into(), "no", "yes"),
        "mask" => ("characters masked".into(), "no", "yes"),
        "fake" => (
            format!(
                "replaced by a fake {} chosen by the keyed original",
                p("kind").unwrap_or_else(|| "value".into())
            ),
            "no",
            "yes",
        ),
        "json" => (
            "JSON: structure kept, personal data in strings scrubbed".into(),
            "no",
            "yes",
        ),
        other => (format!("transform `{other}`"), "?", "?"),
    }
}

fn row(table: String, column: String, ty: String, rule: &ColumnRule, origin: String) -> Row {
    let (words, reversible, deterministic) = describe(rule);
    let mut flags = Vec::new();
    if rule.flags.quasi_identifier {
        flags.push("QI");
    }
    if rule.flags.sensitive {
        flags.push("sensitive");
    }
    let mut words = words;
    if let Some(w) = &rule.when {
        words.push_str(&format!(
            " (only where {} {})",
            w.column,
            if w.equals.is_some() {
                "equals a value"
            } else {
                "is NULL or not"
            }
        ));
    }
    Row {
        table,
        column,
        ty,
        rule: rule.rule.name().to_owned(),
        words,
        reversible,
        deterministic,
        domain: rule.param("domain").unwrap_or("").to_owned(),
        flags: flags.join(","),
        reason: rule.rule.keep_reason().unwrap_or("").to_owned(),
        origin,
    }
}

/// The review rows: every column of the schema when given, else every rule as written.
pub fn rows(policy: &PolicyFile, schema: Option<&Schema>) -> Vec<Row> {
    let mut out = Vec::new();
    match schema {
        Some(schema) => {
            for table in schema.tables() {
                for column in table.data_columns() {
                    let ty = column.ty.as_ref().map_or("?".into(), |t| t.sql.clone());
                    let Some((rule, origin)) = rule_for(policy, schema, table, &column.name) else {
                        out.push(Row {
                            table: table.name.to_string(),
                            column: quote_ident(&column.name).into_owned(),
                            ty,
                            rule: "(none)".into(),
                            words: "NO RULE: run refuses the dump (fail closed)".into(),
                            reversible: "",
                            deterministic: "",
                            domain: String::new(),
                            flags: String::new(),
                            reason: String::new(),
                            origin: String::new(),
                        });
                        continue;
                    };
                    let mut from = match origin {
                        Origin::Own => String::new(),
                        Origin::Parent(p) => format!("from parent {p}"),
                        Origin::ForeignKey(t, c) => {
                            format!(
                                "propagated from {t}.{}",
                                crate::dump::ident::quote_ident(&c)
                            )
                        }
                    };
                    if let Some(p) = policy
                        .patterns
                        .iter()
                        .find(|p| p.columns.iter().any(|c| std::ptr::eq(c, rule)))
                    {
                        from = format!("pattern {}.{}", p.name.schema, p.name.name);
                    }
                    if let Some(fk) = table
                        .foreign_keys
                        .iter()
                        .find(|fk| fk.columns.contains(&column.name))
                    {
                        if !from.is_empty() {
                            from.push_str("; ");
                        }
                        from.push_str(&format!("FK → {}", fk.references));
                    }
                    out.push(row(
                        table.name.to_string(),
                        quote_ident(&column.name).into_owned(),
                        ty,
                        rule,
                        from,
                    ));
                }
            }
        }
        None => {
            for t in policy.tables.iter().chain(&policy.patterns) {
                let name = if t.is_pattern() {
                    format!("{}.{}", t.name.schema, t.name.name)
                } else {
                    t.name.to_string()
                };
                for c in &t.columns {
                    let origin = t
                        .source
                        .as_ref()
                        .map(|s| format!("included from {}", s.display()))
                        .unwrap_or_default();
                    out.push(row(
                        name.clone(),
                        quote_ident(&c.column).into_owned(),
                        String::new(),
                        c,
                        origin,
                    ));
                }
            }
        }
    }
    out
}

const HEADERS: [&str; 11] = [
    "table",
    "column",
    "type",
    "rule",
    "what happens",
    "reversible",
    "deterministic",
    "domain",
    "flags",
    "reason",
    "origin",
];

fn cells(r: &Row) -> [&str; 11] {
    [
        &r.table,
        &r.column,
        &r.ty,
        &r.rule,
        &r.words,
        r.reversible,
        r.deterministic,
        &r.domain,
        &r.flags,
        &r.reason,
        &r.origin,
    ]
}

/// Renders the rows.
pub fn render(rows: &[Row], format: Format) -> String {
    let mut out = String::new();
    match format {
        Format::Markdown => {
            let _ = writeln!(out, "| {} |", HEADERS.join(" | "));
            let _ = writeln!(out, "|{}", "---|".repeat(HEADERS.len()));
            for r in rows {
                let c: Vec<String> = cells(r).iter().map(|s| s.replace('|', "\\|")).collect();
                let _ = writeln!(out, "| {} |", c.join(" | "));
            }
        }
        Format::Text => {
            let mut widths = HEADERS.map(|h| h.chars().count());
            for r in rows {
                for (w, c) in widths.iter_mut().zip(cells(r)) {
                    *w = (*w).max(c.chars().count());
                }
            }
            let line = |cs: [&str; 11]| {
                let parts: Vec<String> = cs
                    .iter()
                    .zip(widths)
                    .map(|(c, w)| format!("{c:<w$}"))
                    .collect();
                parts.join("  ").trim_end().to_owned()
            };
            let _ = writeln!(out, "{}", line(HEADERS));
            for r in rows {
                let _ = writeln!(out, "{}", line(cells(r)));
            }
        }
    }
    out
}
