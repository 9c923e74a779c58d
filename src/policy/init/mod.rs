//! `understudy policy init`: a draft policy for every table and column of a dump or a live
//! database.
//!
//! The schema comes from the dump's DDL ([`crate::pipeline::schema_from`]); a second pass reads
//! the first N rows of every table ([`sample`]) and the detectors look at them. From a live
//! source the schema is pg_dump's DDL on one snapshot and the server sends at most N rows per
//! table (`LIMIT`), which go through the same sampler as a COPY block of a dump. Each column gets
//! a suggested rule ([`suggest`]) and a comment saying why — detector hits as counts and masked
//! examples, never a raw value. The draft is TOML on its own (the caller prints it to stdout).
//!
//! The draft names transforms by their contract names (`email`, `shift_date`, `integer_id`,
//! ...) whether or not this build's registry has them yet.

pub mod classes;
pub mod sample;
pub mod suggest;

use std::fmt::Write as _;

use crate::dump::schema::Schema;
use crate::error::Error;
use crate::source::inspect;

use super::schema_source::SchemaSource;
use sample::{ColumnStats, Sampled, Sampler};

/// Default number of rows sampled per table.
pub const DEFAULT_SAMPLE: usize = 1000;

/// The `min_k` the draft writes into `[risk]` (the checker's default), which the suggestions for
/// quasi-identifiers are chosen to meet on the sample.
const DRAFT_MIN_K: usize = 5;

/// The draft policy for a dump file or a live database, sampling at most `rows` rows per table.
pub fn draft(from: &SchemaSource, rows: usize, max_expanded: u64) -> Result<String, Error> {
    match from {
        SchemaSource::Dump(path) => {
            let schema = crate::pipeline::schema_from(path, max_expanded)?;
            let sampled = sample::sample(path, &schema, rows, max_expanded)?;
            let name = path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            let how = format!(
                "schema from its DDL; content sampled from the first {rows} rows of each table"
            );
            Ok(render(&schema, &sampled, &name, &how))
        }
        SchemaSource::Live(conn) => {
            let live = inspect::inspect(conn)?;
            let schema =
                crate::pipeline::schema_from_reader(live.name().to_owned(), live.schema_ddl())?;
            let mut sampler = Sampler::new(rows);
            for i in 0..live.table_count() {
                let block = live.sample_table(i, rows)?;
                sampler.read(live.name(), &block[..], &schema)?;
            }
            let sampled = Sampled {
                large_objects: live.has_large_objects(),
                ..sampler.finish()
            };
            let how = format!(
                "schema from pg_dump on one snapshot; content sampled from at most {rows} rows of each table"
            );
            Ok(render(&schema, &sampled, live.name(), &how))
        }
    }
}

/// A TOML string literal.
fn quoted(s: &str) -> String {
    toml::Value::String(s.to_owned()).to_string()
}

/// A TOML key: bare when it can be, quoted otherwise.
fn key(s: &str) -> String {
    if !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        s.to_owned()
    } else {
        quoted(s)
    }
}

/// Renders the draft.
pub fn render(schema: &Schema, sampled: &Sampled, input_name: &str, how: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Draft policy written by `understudy policy init` from {input_name}\n\
         # ({how}).\n\
         #\n\
         # Every rule is a suggestion: review each one, then `understudy policy lint`.\n\
         # `keep` rules say reason = \"TODO: review\", which lint and run refuse until a\n\
         # reviewer writes why the column is safe. Examples in comments are masked.\n\
         version = 1\n\
         \n\
         [risk]\n\
         # The checker's defaults, written out so that changing them shows in `policy diff`.\n\
         min_k = {DRAFT_MIN_K}\n\
         max_average_risk = 0.2\n\
         max_records_at_risk = 0.05"
    );
    let sample = &sampled.columns;
    if sampled.large_objects {
        let _ = writeln!(
            out,
            "\n[large_objects]\n# The dump holds large objects: created empty unless you keep them with a reason.\ntransform = \"null\""
        );
    }
    for table in schema.tables() {
        let columns: Vec<_> = table.data_columns().collect();
        if columns.is_empty() {
            continue;
        }
        let stats = sample.get(&table.name);
        let rows_sampled = stats
            .and_then(|s| s.values().map(|c| c.seen).max())
            .unwrap_or(0);
        let _ = writeln!(
            out,
            "\n# {} rows sampled{}",
            rows_sampled,
            table
                .partition_parent
                .as_ref()
                .map(|p| format!("; a partition of {p}"))
                .unwrap_or_default()
        );
        let _ = writeln!(out, "[tables.{}.columns]", quoted(&table.name.to_string()));
        let mut plan: Vec<_> = columns
            .iter()
            .map(|column| {
                let st = stats.and_then(|s| s.get(&column.name));
                let suggestion = suggest::suggest(schema, table, column, st);
                if suggest::is_quasi_identifier(column) {
                    suggest::quasi_identifier(column, suggestion, st, DRAFT_MIN_K)
                } else {
                    suggestion
                }
            })
            .collect();
        if let Some(qi) = sampled.quasi_identifiers.get(&table.name) {
            // Each quasi-identifier met min_k alone; now their combination must.
            let at: Vec<usize> = qi
                .columns
                .iter()
                .filter_map(|q| columns.iter().position(|c| &c.name == q))
                .collect();
            if at.len() == qi.columns.len() && at.len() > 1 {
                let mut joint: Vec<_> = at.iter().map(|&i| (columns[i], plan[i].clone())).collect();
                classes::meet_min_k(qi, &mut joint, DRAFT_MIN_K);
                for (&i, (_, s)) in at.iter().zip(joint) {
                    plan[i] = s;
                }
            }
        }
        for (column, suggestion) in columns.iter().zip(plan) {
            let st = stats.and_then(|s| s.get(&column.name));
            let ty = column.ty.as_ref().map_or("?", |t| t.sql.as_str());
            let _ = writeln!(
                out,
                "# {ty}{}: {}{}",
                if column.not_null { " NOT NULL" } else { "" },
                suggestion.why,
                hits(st)
            );
            let body: Vec<String> = suggestion
                .keys
                .iter()
                .map(|(k, v)| format!("{k} = {v}"))
                .collect();
            let _ = writeln!(out, "{} = {{ {} }}", key(&column.name), body.join(", "));
        }
    }
    out
}

/// ` [hits: 812/1000 email (e.g. j***@e****.com), ...]` for the comment.
fn hits(stats: Option<&ColumnStats>) -> String {
    let Some(st) = stats else {
        return " [no rows sampled]".into();
    };
    let mut parts = Vec::new();
    for (d, n) in &st.whole {
        parts.push(format!(
            "{n}/{} {}{}",
            st.non_null,
            d.name(),
            example(st, *d)
        ));
    }
    for (d, n) in &st.inside {
        parts.push(format!("{n} {} inside text{}", d.name(), example(st, *d)));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!(" [detector hits: {}]", parts.join(", "))
    }
}

fn example(st: &ColumnStats, d: crate::risk::detect::Detector) -> String {
    st.examples
        .get(&d)
        .map(|e| format!(" (e.g. {e})"))
        .unwrap_or_default()
}
