//! Where the sanitized dump goes. A sink commits only with a [`RiskAccepted`] token from the risk
//! gate, and a sink dropped without committing leaves nothing behind (like rust-postgres'
//! `CopyInWriter`, which aborts when dropped).

pub mod file;

pub use file::FileSink;

use crate::risk::RiskAccepted;
