//! Policies: the TOML file ([`file`]) and its resolution against a dump's schema ([`resolve`]).
//!
//! A [`resolve::ResolvedPolicy`] can only be made by resolving a policy file against a schema, and
//! resolution fails unless every column that carries data has a rule — so no code downstream can
//! meet an unclassified column.

pub mod approve;
pub mod diff;
pub mod explain;
pub mod file;
pub mod include;
pub mod init;
pub mod lint;
pub mod resolve;
pub mod schema_source;
