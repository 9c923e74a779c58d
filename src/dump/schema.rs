//! The schema model of a dump: tables in dump order, their columns, types and keys.
//!
//! Plain data only. Reading DDL into this model lives in `ddl`, and deciding what a column's
//! policy is lives in `policy`; nothing here parses or judges.

use std::collections::HashMap;

use thiserror::Error;

use super::ident::QualifiedName;

/// Every table the dump declares, in dump order, with lookup by name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Schema {
    tables: Vec<Table>,
    index: HashMap<QualifiedName, usize>,
}

/// A structural inconsistency in the model itself.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SchemaError {
    /// The same table was declared twice; both dump lines are given.
    #[error("table {name} declared twice (line {first_line} and line {second_line})")]
    DuplicateTable {
        name: QualifiedName,
        first_line: u64,
        second_line: u64,
    },
}

impl Schema {
    pub fn new() -> Self {
        Self::default()
    }

    /// A schema for a data-only dump, where a COPY header's column list is all there is to know:
    /// the columns get no type, and nothing is a key.
    pub fn from_column_list(name: QualifiedName, columns: Vec<String>, line: u64) -> Self {
        let mut schema = Schema::new();
        // A fresh schema holds no table, so inserting the first one can not collide.
        let _ = schema.insert(Table::from_column_list(name, columns, line));
        schema
    }

    pub fn table(&self, name: &QualifiedName) -> Option<&Table> {
        self.index.get(name).and_then(|&i| self.tables.get(i))
    }

    pub fn table_mut(&mut self, name: &QualifiedName) -> Option<&mut Table> {
        let i = *self.index.get(name)?;
        self.tables.get_mut(i)
    }

    /// Tables in the order the dump declares them.
    pub fn tables(&self) -> impl Iterator<Item = &Table> {
        self.tables.iter()
    }

    /// Adds a table; a second declaration of the same name is an error, never a replacement,
    /// because silently keeping either one could leave real columns without a policy.
    pub fn insert(&mut self, table: Table) -> Result<(), SchemaError> {
        if let Some(existing) = self.table(&table.name) {
            return Err(SchemaError::DuplicateTable {
                name: table.name,
                first_line: existing.line,
                second_line: table.line,
            });
        }
        self.index.insert(table.name.clone(), self.tables.len());
        self.tables.push(table);
        Ok(())
    }

    pub fn len(&self) -> usize {
        self.tables.len()
    }

    pub fn is_empty(&self) -> bool {
        self.tables.is_empty()
    }
}

/// One table (plain, partitioned, partition or inheritance child) as the dump declares it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub name: QualifiedName,
    /// All columns in attribute order, inherited ones first, exactly as COPY lists them.
    pub columns: Vec<Column>,
    pub primary_key: Option<KeyConstraint>,
    pub unique: Vec<KeyConstraint>,
    pub foreign_keys: Vec<ForeignKey>,
    /// Parents from `INHERITS (...)`, in declaration order.
    pub inherits: Vec<QualifiedName>,
    /// Set by `PARTITION OF parent` or `ALTER TABLE parent ATTACH PARTITION this`.
    pub partition_parent: Option<QualifiedName>,
    /// When this table is partitioned: its partition key, see [`PartitionKey`].
    pub partition_key: Option<PartitionKey>,
    /// Line of the `CREATE TABLE` in the dump (1-based), for messages.
    pub line: u64,
}

/// The key of `PARTITION BY RANGE/LIST/HASH (...)`. Each element is a plain column name, or
/// `None` where the key is an expression such as `lower(v)`: data placement then depends on
/// more than one column's value, and callers that care must treat every column as involved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartitionKey {
    pub strategy: PartitionStrategy,
    pub columns: Vec<Option<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartitionStrategy {
    Range,
    List,
    Hash,
}

impl Table {
    /// An empty table declared at `line`; columns and keys are filled in by the caller.
    pub fn new(name: QualifiedName, line: u64) -> Self {
        Table {
            name,
            columns: Vec::new(),
            primary_key: None,
            unique: Vec::new(),
            foreign_keys: Vec::new(),
            inherits: Vec::new(),
            partition_parent: None,
            partition_key: None,
            line,
        }
    }

    /// A table known only from a COPY or INSERT column list: untyped columns, no keys.
    pub fn from_column_list(name: QualifiedName, columns: Vec<String>, line: u64) -> Self {
        let mut table = Table::new(name, line);
        table.columns = columns.into_iter().map(Column::untyped).collect();
        table
    }

    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    pub fn column_mut(&mut self, name: &str) -> Option<&mut Column> {
        self.columns.iter_mut().find(|c| c.name == name)
    }

    /// Whether `name` is part of the primary key, a unique constraint or a foreign key: such
    /// columns join rows together, so a transform on them must stay consistent across tables.
    pub fn is_key_column(&self, name: &str) -> bool {
        let named = |cols: &[String]| cols.iter().any(|c| c == name);
        self.primary_key.as_ref().is_some_and(|k| named(&k.columns))
            || self.unique.iter().any(|k| named(&k.columns))
            || self.foreign_keys.iter().any(|k| named(&k.columns))
    }

    /// Columns that carry data in COPY/INSERT: generated (stored) columns are computed by the
    /// server and pg_dump leaves them out of every data statement.
    pub fn data_columns(&self) -> impl Iterator<Item = &Column> {
        self.columns.iter().filter(|c| !c.generated)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub name: String,
    /// `None` when the column is known only from a COPY column list.
    pub ty: Option<ColumnType>,
    pub not_null: bool,
    /// `GENERATED ALWAYS AS (...) STORED`: computed, so it carries no data in the dump.
    pub generated: bool,
    /// `GENERATED ... AS IDENTITY`, inline or added later by `ALTER TABLE`.
    pub identity: bool,
    /// A CHECK constraint mentions this column (column-level, or table-level naming it).
    pub has_check: bool,
}

impl Column {
    /// A column with a name only.
    pub fn untyped(name: String) -> Self {
        Column {
            name,
            ty: None,
            not_null: false,
            generated: false,
            identity: false,
            has_check: false,
        }
    }
}

/// A PRIMARY KEY or UNIQUE constraint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyConstraint {
    pub name: Option<String>,
    pub columns: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForeignKey {
    pub name: Option<String>,
    pub columns: Vec<String>,
    pub references: QualifiedName,
    /// Empty when the DDL wrote `REFERENCES t` without columns and `t`'s primary key was not
    /// known at that point.
    pub referenced_columns: Vec<String>,
}

/// A column's declared type, reduced to what transforms and risk checks need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnType {
    /// Canonical text as PostgreSQL's `format_type` prints it, e.g. `character varying(40)`,
    /// `numeric(12,2)`, `public.mood`, `text[]`.
    pub sql: String,
    pub kind: TypeKind,
    /// `n` of `varchar(n)` / `char(n)`.
    pub max_len: Option<u32>,
    /// Precision of `numeric(p,s)`, or fractional-second digits of time/timestamp/interval.
    pub precision: Option<u32>,
    /// Scale of `numeric(p,s)` (a negative scale, allowed since PostgreSQL 15, is left `None`).
    pub scale: Option<u32>,
    /// 0 for a scalar, 1 for `text[]`. PostgreSQL does not enforce dimensions, so pg_dump
    /// prints one `[]` whatever was declared.
    pub array_dims: u32,
}

/// The family of a column's type. Arrays have the kind of their element.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TypeKind {
    Text,
    Varchar,
    Char,
    SmallInt,
    Integer,
    BigInt,
    Numeric,
    Real,
    Double,
    Money,
    Bool,
    Date,
    Time,
    TimeTz,
    Timestamp,
    TimestampTz,
    Interval,
    Json,
    Jsonb,
    Bytea,
    Uuid,
    Inet,
    Cidr,
    MacAddr,
    Xml,
    /// Enums, domains, composites, ranges, geometric and anything else; `ColumnType::sql` says
    /// which. A domain is not resolved to its base type because its CHECK may constrain format.
    Other,
}

impl TypeKind {
    /// Character strings.
    pub fn is_textual(&self) -> bool {
        matches!(self, TypeKind::Text | TypeKind::Varchar | TypeKind::Char)
    }

    pub fn is_numeric(&self) -> bool {
        matches!(
            self,
            TypeKind::SmallInt
                | TypeKind::Integer
                | TypeKind::BigInt
                | TypeKind::Numeric
                | TypeKind::Real
                | TypeKind::Double
                | TypeKind::Money
        )
    }

    pub fn is_temporal(&self) -> bool {
        matches!(
            self,
            TypeKind::Date
                | TypeKind::Time
                | TypeKind::TimeTz
                | TypeKind::Timestamp
                | TypeKind::TimestampTz
                | TypeKind::Interval
        )
    }
}

#[cfg(test)]
#[path = "schema_tests.rs"]
mod tests;
