//! The library's error type: a kind plus *where* it happened.
//!
//! Every error names its position — input file, line, table, column — and never the offending
//! value: messages are built from names and counts only, because dumps hold personal data and
//! error text ends up in CI logs. `anyhow` is used only by the binary.

use std::fmt;
use std::path::PathBuf;

/// Where an error happened. Every part is optional; `Display` prints the parts that are known.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Where {
    /// The input (a path, or `-` for stdin).
    pub input: Option<String>,
    /// 1-based line in the input.
    pub line: Option<u64>,
    /// Qualified table name, as SQL writes it.
    pub table: Option<String>,
    /// Column name.
    pub column: Option<String>,
}

impl Where {
    /// A position in an input.
    pub fn at(input: &str, line: u64) -> Self {
        Where {
            input: Some(input.to_owned()),
            line: Some(line),
            ..Where::default()
        }
    }

    /// Adds the table.
    pub fn table(mut self, table: impl fmt::Display) -> Self {
        self.table = Some(table.to_string());
        self
    }

    /// Adds the column.
    pub fn column(mut self, column: impl Into<String>) -> Self {
        self.column = Some(column.into());
        self
    }

    fn is_empty(&self) -> bool {
        self.input.is_none() && self.line.is_none() && self.table.is_none() && self.column.is_none()
    }
}

impl fmt::Display for Where {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut sep = "";
        if let Some(input) = &self.input {
            write!(f, "{input}")?;
            if let Some(line) = self.line {
                write!(f, ":{line}")?;
            }
            sep = ": ";
        } else if let Some(line) = self.line {
            write!(f, "line {line}")?;
            sep = ": ";
        }
        match (&self.table, &self.column) {
            (Some(t), Some(c)) => write!(f, "{sep}column {t}.{}", c)?,
            (Some(t), None) => write!(f, "{sep}table {t}")?,
            (None, Some(c)) => write!(f, "{sep}column {c}")?,
            (None, None) => {}
        }
        Ok(())
    }
}

/// One problem found in a policy file, with its file and line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyProblem {
    /// The policy file.
    pub file: PathBuf,
    /// 1-based line in the policy file (0 when the problem is about the file as a whole).
    pub line: usize,
    /// What is wrong, naming keys, tables and columns but never data values.
    pub message: String,
}

impl fmt::Display for PolicyProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(f, "{}:{}: {}", self.file.display(), self.line, self.message)
        } else {
            write!(f, "{}: {}", self.file.display(), self.message)
        }
    }
}

/// What went wrong.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Reading or writing failed.
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: String,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// The dump is malformed or cannot be handled; the message names the problem, not the value.
    #[error("{0}")]
    Input(String),
    /// The input is a pg_dump archive format rather than plain SQL.
    #[error("{0}")]
    Archive(String),
    /// The policy has problems; all of them are listed.
    #[error("{}", render_problems(.0))]
    Policy(Vec<PolicyProblem>),
    /// A transform could not handle a value.
    #[error("{0}")]
    Transform(String),
    /// The key could not be read.
    #[error("{0}")]
    Key(String),
    /// The risk gate refused the output.
    #[error("the risk gate refused this output: {0}")]
    RiskRefused(String),
    /// The policy is not approved for the dump's schema.
    #[error("{0}")]
    NotApproved(String),
}

fn render_problems(problems: &[PolicyProblem]) -> String {
    let mut out = format!(
        "the policy has {} problem{}:",
        problems.len(),
        if problems.len() == 1 { "" } else { "s" }
    );
    for p in problems {
        out.push_str("\n  ");
        out.push_str(&p.to_string());
    }
    out
}

/// An error with its position.
#[derive(Debug)]
pub struct Error {
    kind: ErrorKind,
    at: Where,
}

impl Error {
    /// An error of `kind` at `at`.
    pub fn new(kind: ErrorKind, at: Where) -> Self {
        Error { kind, at }
    }

    /// A malformed-input error at `at`.
    pub fn input(message: impl Into<String>, at: Where) -> Self {
        Error::new(ErrorKind::Input(message.into()), at)
    }

    /// An I/O error with what was being done.
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::new(
            ErrorKind::Io {
                context: context.into(),
                source,
            },
            Where::default(),
        )
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// Where it went wrong.
    pub fn location(&self) -> &Where {
        &self.at
    }

    /// Fills in position parts that are not yet known.
    pub fn within(mut self, outer: &Where) -> Self {
        let at = &mut self.at;
        if at.input.is_none() {
            at.input.clone_from(&outer.input);
        }
        if at.line.is_none() {
            at.line = outer.line;
        }
        if at.table.is_none() {
            at.table.clone_from(&outer.table);
        }
        if at.column.is_none() {
            at.column.clone_from(&outer.column);
        }
        self
    }

    /// The process exit code documented in the README: 1 input/policy/IO, 3 risk gate refused,
    /// 4 policy not approved for this schema (2 is command-line usage, decided by the binary).
    pub fn exit_code(&self) -> i32 {
        match self.kind {
            ErrorKind::RiskRefused(_) => 3,
            ErrorKind::NotApproved(_) => 4,
            _ => 1,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.at.is_empty() {
            write!(f, "{}", self.kind)
        } else {
            write!(f, "{}: {}", self.at, self.kind)
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.kind.source()
    }
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
