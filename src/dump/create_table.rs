//! Turning a parsed `CREATE TABLE` into a [`Table`]: columns in attribute order (inherited and
//! partition-parent columns first), column options, table constraints and the partition key.
//!
//! Statement recognition and `ALTER TABLE` live in `ddl`; type names in `types`.

use sqlparser::ast::{
    ColumnDef, ColumnOption, CreateTable, DataType, Expr, FunctionArg, FunctionArgExpr,
    FunctionArguments, IndexColumn, TableConstraint,
};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::tokenizer::{Token, Tokenizer};

use super::ddl::{ident_name, object_name, DdlError};
use super::ident::QualifiedName;
use super::schema::{
    Column, ForeignKey, KeyConstraint, PartitionKey, PartitionStrategy, Schema, Table,
};
use super::types::column_type;

/// Builds the table a `CREATE TABLE` declares, reading parents' columns from `schema`.
pub(crate) fn build_table(schema: &Schema, ct: &CreateTable, line: u64) -> Result<Table, DdlError> {
    let unparsed = DdlError::CreateTableUnparsed { line };
    let name = object_name(&ct.name).ok_or(unparsed.clone())?;
    // `CREATE TABLE ... AS SELECT` and `LIKE` take their columns from elsewhere; pg_dump never
    // writes them, and guessing would leave columns unclassified.
    if ct.query.is_some() || ct.like.is_some() || ct.clone.is_some() {
        return Err(unparsed);
    }
    let mut table = Table::new(name, line);
    let mut parents = Vec::new();
    if let Some(parent) = &ct.partition_of {
        let parent = object_name(parent).ok_or(unparsed.clone())?;
        table.partition_parent = Some(parent.clone());
        parents.push(parent);
    }
    for parent in ct.inherits.iter().flatten() {
        let parent = object_name(parent).ok_or(unparsed.clone())?;
        table.inherits.push(parent.clone());
        parents.push(parent);
    }
    for parent in &parents {
        let Some(parent_table) = schema.table(parent) else {
            return Err(DdlError::UnknownParent {
                line,
                table: table.name,
                parent: parent.clone(),
            });
        };
        for column in &parent_table.columns {
            merge_column(&mut table.columns, inherited(column));
        }
    }
    let mut constraints = Vec::new();
    for def in &ct.columns {
        let (column, column_constraints) = column_from_def(def);
        merge_column(&mut table.columns, column);
        constraints.extend(column_constraints);
    }
    constraints.extend(ct.constraints.iter().cloned());
    if let Some(key) = &ct.partition_by {
        table.partition_key = Some(partition_key(key).ok_or(unparsed)?);
    }
    for constraint in &constraints {
        add_constraint(schema, &mut table, constraint);
    }
    Ok(table)
}

/// What a child gets from a parent column: name, type and NOT NULL (inherited by children and
/// partitions), and generation, which children inherit too. Identity is per table.
fn inherited(column: &Column) -> Column {
    Column {
        identity: false,
        has_check: false,
        ..column.clone()
    }
}

/// Adds `column`, or merges it into an existing column of the same name: a redeclared
/// inherited column keeps the parent's position, as PostgreSQL does.
fn merge_column(columns: &mut Vec<Column>, column: Column) {
    match columns.iter_mut().find(|c| c.name == column.name) {
        Some(existing) => {
            existing.ty = existing.ty.take().or(column.ty);
            existing.not_null |= column.not_null;
            existing.generated |= column.generated;
            existing.identity |= column.identity;
            existing.has_check |= column.has_check;
        }
        None => columns.push(column),
    }
}

/// A column and the constraints its inline options declare, as table-level constraints on it.
pub(crate) fn column_from_def(def: &ColumnDef) -> (Column, Vec<TableConstraint>) {
    let name = ident_name(&def.name);
    let ty = match &def.data_type {
        // Partition and typed-table elements (`id NOT NULL`) restate options without a type.
        DataType::Unspecified => None,
        dt => Some(column_type(dt)),
    };
    let mut column = Column {
        ty,
        ..Column::untyped(name.clone())
    };
    let mut constraints = Vec::new();
    for option in &def.options {
        let constraint_name = option.name.clone();
        match &option.option {
            ColumnOption::NotNull => column.not_null = true,
            ColumnOption::Check(_) => column.has_check = true,
            ColumnOption::Generated {
                generation_expr: Some(_),
                ..
            } => column.generated = true,
            ColumnOption::Generated { .. } | ColumnOption::Identity(_) => {
                column.identity = true;
                column.not_null = true;
            }
            ColumnOption::PrimaryKey(pk) => {
                let mut pk = pk.clone();
                pk.name = pk.name.or(constraint_name);
                pk.columns = vec![IndexColumn::from(def.name.clone())];
                constraints.push(TableConstraint::PrimaryKey(pk));
            }
            ColumnOption::Unique(unique) => {
                let mut unique = unique.clone();
                unique.name = unique.name.or(constraint_name);
                unique.columns = vec![IndexColumn::from(def.name.clone())];
                constraints.push(TableConstraint::Unique(unique));
            }
            ColumnOption::ForeignKey(fk) => {
                let mut fk = fk.clone();
                fk.name = fk.name.or(constraint_name);
                fk.columns = vec![def.name.clone()];
                constraints.push(TableConstraint::ForeignKey(fk));
            }
            _ => {}
        }
    }
    (column, constraints)
}

/// Records a table constraint on the table `name` already in `schema` (from `ALTER TABLE`).
pub(crate) fn apply_constraint(
    schema: &mut Schema,
    name: &QualifiedName,
    constraint: &TableConstraint,
) {
    let Some(mut table) = schema.table(name).cloned() else {
        return;
    };
    add_constraint(schema, &mut table, constraint);
    if let Some(slot) = schema.table_mut(name) {
        *slot = table;
    }
}

/// Keys and checks the model tracks; exclusion constraints and `USING INDEX` forms (whose
/// columns the statement does not name) add nothing.
fn add_constraint(schema: &Schema, table: &mut Table, constraint: &TableConstraint) {
    match constraint {
        TableConstraint::PrimaryKey(pk) => {
            let columns = index_columns(&pk.columns);
            for column in &columns {
                if let Some(c) = table.column_mut(column) {
                    c.not_null = true;
                }
            }
            table.primary_key = Some(KeyConstraint {
                name: pk.name.as_ref().map(ident_name),
                columns,
            });
        }
        TableConstraint::Unique(unique) => table.unique.push(KeyConstraint {
            name: unique.name.as_ref().map(ident_name),
            columns: index_columns(&unique.columns),
        }),
        TableConstraint::ForeignKey(fk) => {
            let Some(references) = object_name(&fk.foreign_table) else {
                return;
            };
            let mut referenced_columns: Vec<String> =
                fk.referred_columns.iter().map(ident_name).collect();
            if referenced_columns.is_empty() {
                // `REFERENCES t` means t's primary key, if it is known by now.
                let target = if references == table.name {
                    Some(&*table)
                } else {
                    schema.table(&references)
                };
                if let Some(pk) = target.and_then(|t| t.primary_key.as_ref()) {
                    referenced_columns = pk.columns.clone();
                }
            }
            table.foreign_keys.push(ForeignKey {
                name: fk.name.as_ref().map(ident_name),
                columns: fk.columns.iter().map(ident_name).collect(),
                references,
                referenced_columns,
            });
        }
        TableConstraint::Check(check) => {
            for word in expression_words(&check.expr.to_string()) {
                if let Some(c) = table.column_mut(&word) {
                    c.has_check = true;
                }
            }
        }
        _ => {}
    }
}

/// Key columns are plain column names in PostgreSQL; anything else is skipped.
fn index_columns(columns: &[IndexColumn]) -> Vec<String> {
    columns
        .iter()
        .filter_map(|c| match &c.column.expr {
            Expr::Identifier(ident) => Some(ident_name(ident)),
            _ => None,
        })
        .collect()
}

/// Identifier-like words of an expression, folded as PostgreSQL would. Over-inclusive (keywords
/// and function names come too) which only matters if a column shares their name, and then
/// marking it as checked is the cautious answer.
fn expression_words(expr: &str) -> Vec<String> {
    let Ok(tokens) = Tokenizer::new(&PostgreSqlDialect {}, expr).tokenize() else {
        return Vec::new();
    };
    tokens
        .into_iter()
        .filter_map(|t| match t {
            Token::Word(w) if w.quote_style.is_some() => Some(w.value),
            Token::Word(w) => Some(w.value.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

/// sqlparser reads `PARTITION BY RANGE (a, lower(b))` as a call of a function named RANGE.
fn partition_key(expr: &Expr) -> Option<PartitionKey> {
    let Expr::Function(f) = expr else {
        return None;
    };
    let [part] = f.name.0.as_slice() else {
        return None;
    };
    let strategy = match part.as_ident()?.value.to_ascii_uppercase().as_str() {
        "RANGE" => PartitionStrategy::Range,
        "LIST" => PartitionStrategy::List,
        "HASH" => PartitionStrategy::Hash,
        _ => return None,
    };
    let FunctionArguments::List(list) = &f.args else {
        return None;
    };
    let columns = list
        .args
        .iter()
        .map(|arg| match arg {
            FunctionArg::Unnamed(FunctionArgExpr::Expr(Expr::Identifier(ident))) => {
                Some(ident_name(ident))
            }
            _ => None,
        })
        .collect();
    Some(PartitionKey { strategy, columns })
}
