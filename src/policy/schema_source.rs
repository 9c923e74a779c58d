//! What a policy is reviewed against: a dump file (`--input DUMP`) or a live database
//! (`--source URL`). Both give their schema through the same DDL parser
//! ([`crate::pipeline::schema_from_reader`]), so an approval made against one matches a run
//! that reads the other when they hold the same schema.

use std::path::PathBuf;

use crate::dump::schema::Schema;
use crate::error::Error;
use crate::pg::ConnSpec;
use crate::source::inspect;

/// Where the schema (and, for `init`, the sample) comes from.
#[derive(Debug, Clone)]
pub enum SchemaSource {
    /// A plain-format dump file (read twice by `init`: DDL, then the sample).
    Dump(PathBuf),
    /// A live database, read on one snapshot with the server's pg_dump (boxed: a connection
    /// spec is large beside a path).
    Live(Box<ConnSpec>),
}

impl SchemaSource {
    /// The schema: the dump's DDL, or pg_dump's pre-data and post-data of the live source.
    pub fn schema(&self, max_expanded: u64) -> Result<Schema, Error> {
        match self {
            SchemaSource::Dump(path) => crate::pipeline::schema_from(path, max_expanded),
            SchemaSource::Live(conn) => {
                let live = inspect::inspect(conn)?;
                crate::pipeline::schema_from_reader(live.name().to_owned(), live.schema_ddl())
            }
        }
    }

    /// How messages name it: the dump's path, or the database (never its password).
    pub fn describe(&self) -> String {
        match self {
            SchemaSource::Dump(path) => path.display().to_string(),
            SchemaSource::Live(conn) => conn.to_string(),
        }
    }
}
