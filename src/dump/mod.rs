//! Reading pg_dump plain-format output. Nothing here knows about policies or transforms.

pub mod copy_text;
pub mod insert_values;
