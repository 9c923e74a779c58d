//! Talking to PostgreSQL servers, shared by the live source (`source`) and the database sink
//! (`sink::postgres`): connection strings as libpq users write them ([`conninfo`]), `~/.pgpass`
//! ([`pgpass`]), and error messages that never carry row values ([`errors`]).
//!
//! What does not live here: what is read or written. Connections use plain TCP or unix sockets;
//! TLS is not built in (`sslmode=require` and stricter are refused with a clear message).

pub mod conninfo;
pub mod errors;
pub mod pgpass;

pub use conninfo::ConnSpec;
pub use errors::describe;
