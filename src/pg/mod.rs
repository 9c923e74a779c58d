//! Talking to PostgreSQL servers, shared by the live source (`source`) and the database sink
//! (`sink::postgres`): connection strings as libpq users write them ([`conninfo`]), `~/.pgpass`
//! ([`pgpass`]), TLS with libpq's `sslmode` meanings (rustls; [`tls`]), and error messages that
//! never carry row values ([`errors`]).
//!
//! What does not live here: what is read or written.

pub mod conninfo;
pub mod errors;
pub mod pgpass;
pub mod tls;

pub use conninfo::ConnSpec;
pub use errors::describe;
