//! understudy turns a production PostgreSQL logical dump into a safe staging copy.
//!
//! The data path is the module tree: [`dump`] reads a pg_dump stream without knowing any policy,
//! [`policy`] binds a TOML policy to the dump's schema (every column must be classified),
//! [`transform`] holds the pure, keyed value transforms, [`risk`] measures what could still
//! identify someone and issues the token a sink needs to commit, and [`sink`] writes the result
//! atomically. [`pipeline`] is the only place that wires them together.
#![forbid(unsafe_code)]

pub mod dump;
pub mod error;
#[doc(hidden)]
pub mod fuzzing;
pub mod key;
pub mod pg;
pub mod pipeline;
pub mod policy;
pub mod reveal;
pub mod risk;
pub mod sensitive;
pub mod sink;
pub mod source;
pub mod transform;

pub use error::{Error, ErrorKind, Where};
pub use sensitive::Sensitive;
