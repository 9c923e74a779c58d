//! Reading pg_dump plain-format output. Nothing here knows about policies or transforms.
//!
//! [`input`] opens and decompresses, [`reader`] splits the stream into statements and COPY data
//! (with [`lexer`] finding statement ends), and the schema model is learnt from DDL.

pub mod input;
pub mod lexer;
pub mod reader;
