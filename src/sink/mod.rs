//! Where the sanitized dump goes. A sink commits only with a [`RiskAccepted`] token from the risk
//! gate, and a sink dropped without committing leaves nothing behind (like rust-postgres'
//! `CopyInWriter`, which aborts when dropped).
//!
//! [`Sink`] is what the pipeline writes to: a file (or stdout) or a PostgreSQL database; both
//! receive the same bytes.

pub mod file;
pub mod postgres;

use std::path::Path;

pub use file::FileSink;
pub use postgres::{PostgresSink, TargetMode, TargetOptions};

use crate::error::Error;
use crate::risk::RiskAccepted;

/// The pipeline's output.
pub enum Sink {
    /// A dump file, stdout or a pipe.
    File(FileSink),
    /// A database.
    Postgres(Box<PostgresSink>),
}

impl Sink {
    /// The database `target` when given, else the file `output`.
    pub fn open(output: &Path, target: Option<&TargetOptions>) -> Result<Sink, Error> {
        match target {
            Some(t) => Ok(Sink::Postgres(Box::new(PostgresSink::create(t)?))),
            None => Ok(Sink::File(FileSink::create(output)?)),
        }
    }

    /// A name for the summary.
    pub fn name(&self, output: &Path) -> String {
        match self {
            Sink::File(_) => output.display().to_string(),
            Sink::Postgres(p) => p.name().to_string(),
        }
    }

    /// Appends bytes.
    pub fn write(&mut self, bytes: &[u8]) -> Result<(), Error> {
        match self {
            Sink::File(f) => f.write(bytes),
            Sink::Postgres(p) => p.write(bytes),
        }
    }

    /// Commits. Needs the risk gate's token.
    pub fn finish(self, accepted: RiskAccepted) -> Result<u64, Error> {
        match self {
            Sink::File(f) => f.finish(accepted),
            Sink::Postgres(p) => p.finish(accepted),
        }
    }
}
