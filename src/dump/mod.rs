//! Reading pg_dump plain-format output. Nothing here knows about policies or transforms.

mod create_table;
pub mod ddl;
pub mod ident;
mod rewrite;
pub mod schema;
mod types;
