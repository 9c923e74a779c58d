//! Applying one pg_dump DDL statement to the [`Schema`]: the entry point [`apply_statement`], its
//! outcome and error types, the cheap prefilter, and `ALTER TABLE`.
//!
//! Building a table from `CREATE TABLE` lives in `create_table`, type names in `types`, and the
//! retry for syntax sqlparser 0.64 lacks in `rewrite`. Splitting a dump into statements is not
//! done here: callers hand over exactly one statement, because sqlparser tokenizes all it gets.

use sqlparser::ast::{AlterTableOperation, Ident, ObjectName, ObjectNamePart, Statement};
use thiserror::Error;

use super::create_table::{apply_constraint, build_table, column_from_def};
use super::ident::{ident_at, parse_qualified_prefix, QualifiedName, DEFAULT_SCHEMA};
use super::rewrite::parse_one;
use super::schema::{Schema, SchemaError};

/// What one statement did to the schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DdlOutcome {
    /// A `CREATE TABLE` added this table.
    TableCreated(QualifiedName),
    /// An `ALTER TABLE` recorded a key, an identity, a partition attachment or an added column
    /// on this existing table.
    ConstraintAdded(QualifiedName),
    /// Not a statement that shapes table data (or an `ALTER TABLE` action that does not).
    Ignored,
    /// An `ALTER TABLE` that sqlparser can not read even after simplification. Pass it through
    /// verbatim; the caller may warn, since a key may be missing from the model.
    Unparsed,
    /// An `ALTER TABLE` on a table the dump never created (a partial dump, `--section`).
    UnknownTable(QualifiedName),
}

/// A statement that makes the schema model unreliable; the caller must fail closed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DdlError {
    /// A `CREATE TABLE` whose columns can not be known (syntax sqlparser rejects even after
    /// simplification, a typed table `OF type`, `AS SELECT`). Guessing columns could let one
    /// through without a policy.
    #[error("line {line}: CREATE TABLE could not be parsed; its columns are unknown")]
    CreateTableUnparsed { line: u64 },
    #[error("table {name} declared twice (line {first_line} and line {second_line})")]
    DuplicateTable {
        name: QualifiedName,
        first_line: u64,
        second_line: u64,
    },
    /// `INHERITS` or `PARTITION OF` names a table not declared earlier, so the inherited
    /// columns are unknown. pg_dump always orders parents first.
    #[error("line {line}: table {table} inherits from {parent}, which is not declared before it")]
    UnknownParent {
        line: u64,
        table: QualifiedName,
        parent: QualifiedName,
    },
}

impl From<SchemaError> for DdlError {
    fn from(e: SchemaError) -> Self {
        match e {
            SchemaError::DuplicateTable {
                name,
                first_line,
                second_line,
            } => DdlError::DuplicateTable {
                name,
                first_line,
                second_line,
            },
        }
    }
}

/// Applies one complete statement (text up to and including `;`, possibly preceded by
/// whitespace and comments) whose text starts at `line` of the dump. Lines reported in tables
/// and errors are those of the statement's first keyword, past any leading comments.
///
/// Only `CREATE [UNLOGGED] TABLE` and `ALTER TABLE` are looked at; everything else is
/// [`DdlOutcome::Ignored`] without being parsed.
pub fn apply_statement(schema: &mut Schema, sql: &str, line: u64) -> Result<DdlOutcome, DdlError> {
    let s = sql.as_bytes();
    let start = skip_trivia(s, 0);
    let line = line.saturating_add(memchr::memchr_iter(b'\n', &s[..start]).count() as u64);
    if let Some(after_create) = keyword(s, start, "CREATE") {
        let mut pos = skip_trivia(s, after_create);
        if let Some(next) = keyword(s, pos, "UNLOGGED") {
            pos = skip_trivia(s, next);
        }
        if keyword(s, pos, "TABLE").is_some() {
            return create_table(schema, sql, line);
        }
    } else if let Some(after_alter) = keyword(s, start, "ALTER") {
        let pos = skip_trivia(s, after_alter);
        if let Some(after_table) = keyword(s, pos, "TABLE") {
            return alter_table(schema, sql, after_table);
        }
    }
    Ok(DdlOutcome::Ignored)
}

fn create_table(schema: &mut Schema, sql: &str, line: u64) -> Result<DdlOutcome, DdlError> {
    let Some(Statement::CreateTable(ct)) = parse_one(sql) else {
        return Err(DdlError::CreateTableUnparsed { line });
    };
    let table = build_table(schema, &ct, line)?;
    let name = table.name.clone();
    schema.insert(table)?;
    Ok(DdlOutcome::TableCreated(name))
}

/// Reads the header `ALTER TABLE [IF EXISTS] [ONLY] name [*]` by hand to pick the action, so
/// that the many actions the model does not care about are never parsed.
fn alter_table(schema: &mut Schema, sql: &str, after_table: usize) -> Result<DdlOutcome, DdlError> {
    let s = sql.as_bytes();
    let mut pos = skip_trivia(s, after_table);
    if let Some(after_if) = keyword(s, pos, "IF") {
        let after_exists = skip_trivia(s, after_if);
        match keyword(s, after_exists, "EXISTS") {
            Some(p) => pos = skip_trivia(s, p),
            None => return Ok(DdlOutcome::Unparsed),
        }
    }
    if let Some(after_only) = keyword(s, pos, "ONLY") {
        pos = skip_trivia(s, after_only);
    }
    let Some((name, len)) = parse_qualified_prefix(&s[pos..]) else {
        return Ok(DdlOutcome::Unparsed);
    };
    pos = skip_trivia(s, pos + len);
    if s.get(pos) == Some(&b'*') {
        pos = skip_trivia(s, pos + 1);
    }
    if let Some(after_alter) = keyword(s, pos, "ALTER") {
        return Ok(alter_column_identity(schema, s, after_alter, name));
    }
    if keyword(s, pos, "ADD").is_none() && keyword(s, pos, "ATTACH").is_none() {
        return Ok(DdlOutcome::Ignored);
    }
    let Some(Statement::AlterTable(alter)) = parse_one(sql) else {
        return Ok(DdlOutcome::Unparsed);
    };
    if schema.table(&name).is_none() {
        return Ok(DdlOutcome::UnknownTable(name));
    }
    for op in &alter.operations {
        match op {
            AlterTableOperation::AddConstraint { constraint, .. } => {
                apply_constraint(schema, &name, constraint);
            }
            AlterTableOperation::AddColumn { column_def, .. } => {
                let (column, constraints) = column_from_def(column_def);
                if let Some(table) = schema.table_mut(&name) {
                    table.columns.push(column);
                }
                for constraint in &constraints {
                    apply_constraint(schema, &name, constraint);
                }
            }
            AlterTableOperation::AttachPartitionOf { partition, .. } => {
                let Some(child) = object_name(partition) else {
                    return Ok(DdlOutcome::Unparsed);
                };
                match schema.table_mut(&child) {
                    Some(child) => child.partition_parent = Some(name.clone()),
                    None => return Ok(DdlOutcome::UnknownTable(child)),
                }
            }
            _ => {}
        }
    }
    Ok(DdlOutcome::ConstraintAdded(name))
}

/// `ALTER [COLUMN] c ADD GENERATED {ALWAYS | BY DEFAULT} AS IDENTITY (...)`, which pg_dump
/// writes for every identity column and sqlparser 0.64 rejects (it does not know the
/// `SEQUENCE NAME` option). Other `ALTER COLUMN` actions (defaults, statistics, storage) do
/// not shape the model.
fn alter_column_identity(
    schema: &mut Schema,
    s: &[u8],
    pos: usize,
    name: QualifiedName,
) -> DdlOutcome {
    let mut pos = skip_trivia(s, pos);
    if let Some(after) = keyword(s, pos, "COLUMN") {
        pos = skip_trivia(s, after);
    }
    let Ok((column, after)) = ident_at(s, pos) else {
        return DdlOutcome::Unparsed;
    };
    let mut pos = skip_trivia(s, after);
    for word in ["ADD", "GENERATED"] {
        match keyword(s, pos, word) {
            Some(after) => pos = skip_trivia(s, after),
            None => return DdlOutcome::Ignored,
        }
    }
    let words: &[&str] = if keyword(s, pos, "ALWAYS").is_some() {
        &["ALWAYS", "AS", "IDENTITY"]
    } else {
        &["BY", "DEFAULT", "AS", "IDENTITY"]
    };
    for word in words {
        match keyword(s, pos, word) {
            Some(after) => pos = skip_trivia(s, after),
            None => return DdlOutcome::Unparsed,
        }
    }
    let Some(table) = schema.table_mut(&name) else {
        return DdlOutcome::UnknownTable(name);
    };
    match table.column_mut(&column) {
        Some(c) => {
            c.identity = true;
            c.not_null = true;
            DdlOutcome::ConstraintAdded(name)
        }
        None => DdlOutcome::Unparsed,
    }
}

/// An identifier as PostgreSQL stores it: quoted exactly, unquoted folded to lower case.
pub(crate) fn ident_name(ident: &Ident) -> String {
    if ident.quote_style.is_some() {
        ident.value.clone()
    } else {
        ident.value.to_ascii_lowercase()
    }
}

/// A relation name from sqlparser; a leading database part (`db.schema.t`) is dropped, as
/// PostgreSQL only accepts the current database there anyway.
pub(crate) fn object_name(name: &ObjectName) -> Option<QualifiedName> {
    let parts: Vec<String> = name
        .0
        .iter()
        .map(|part| match part {
            ObjectNamePart::Identifier(ident) => Some(ident_name(ident)),
            ObjectNamePart::Function(_) => None,
        })
        .collect::<Option<_>>()?;
    match parts.as_slice() {
        [name] => Some(QualifiedName::new(DEFAULT_SCHEMA, name.clone())),
        [.., schema, name] if parts.len() <= 3 => {
            Some(QualifiedName::new(schema.clone(), name.clone()))
        }
        _ => None,
    }
}

/// Skips whitespace, `--` line comments and (nested) `/* */` block comments.
fn skip_trivia(s: &[u8], mut pos: usize) -> usize {
    loop {
        match (s.get(pos), s.get(pos + 1)) {
            (Some(b' ' | b'\t' | b'\n' | b'\r' | b'\x0c'), _) => pos += 1,
            (Some(b'-'), Some(b'-')) => {
                pos = match memchr::memchr(b'\n', &s[pos..]) {
                    Some(nl) => pos + nl + 1,
                    None => s.len(),
                };
            }
            (Some(b'/'), Some(b'*')) => {
                let mut depth = 0usize;
                while pos < s.len() {
                    if s[pos..].starts_with(b"/*") {
                        depth += 1;
                        pos += 2;
                    } else if s[pos..].starts_with(b"*/") {
                        depth -= 1;
                        pos += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        pos += 1;
                    }
                }
            }
            _ => return pos,
        }
    }
}

/// If the keyword `kw` (upper case) starts at `pos` as a whole word, the position after it.
fn keyword(s: &[u8], pos: usize, kw: &str) -> Option<usize> {
    let end = pos.checked_add(kw.len())?;
    let word = s.get(pos..end)?;
    let boundary = !matches!(s.get(end), Some(c) if c.is_ascii_alphanumeric() || *c == b'_' || *c == b'$' || *c >= 0x80);
    (word.eq_ignore_ascii_case(kw.as_bytes()) && boundary).then_some(end)
}

#[cfg(test)]
#[path = "ddl_tests.rs"]
mod tests;
