//! Reading pg_dump plain-format output. Nothing here knows about policies or transforms.
//!
//! [`input`] opens and decompresses, [`reader`] splits the stream into statements and COPY data
//! (with [`lexer`] finding statement ends), [`copy_text`] decodes and validates COPY rows,
//! [`insert_values`] lexes INSERT value lists, [`ddl`] learns the [`schema`] from CREATE/ALTER
//! TABLE statements, and [`ident`] handles PostgreSQL's quoted names.

pub mod copy_text;
mod create_table;
pub mod ddl;
pub mod ident;
pub mod input;
pub mod insert_values;
pub mod lexer;
pub mod reader;
mod rewrite;
pub mod schema;
mod types;
