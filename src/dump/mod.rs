//! Reading pg_dump plain-format output. Nothing here knows about policies or transforms.
//!
//! [`input`] opens and decompresses, [`reader`] splits the stream into statements and COPY data
//! (with [`lexer`] finding statement ends), [`ddl`] learns the [`schema`] from CREATE/ALTER
//! TABLE statements, and [`ident`] handles PostgreSQL's quoted names.

pub mod ddl;
pub mod ident;
pub mod input;
pub mod lexer;
pub mod reader;
pub mod schema;
