//! Re-identification risk: what in the output could still identify someone, and the gate that
//! decides whether the output may be committed.
//!
//! The gate is a type: a sink commits only with a [`RiskAccepted`], and the only ways to get one
//! are [`Verdict::accept`] on a passing verdict or [`dangerously_skip_gate`], whose name says what
//! it is (the rustls `danger` pattern).

pub mod checker;
pub mod config;
pub mod coverage;
pub mod detect;
pub mod metrics;
pub mod report;

use serde::Serialize;

use crate::error::{Error, ErrorKind, Where};

/// Proof that the risk verdict allowed this output. Only this module can make one.
#[derive(Debug)]
pub struct RiskAccepted(());

impl RiskAccepted {
    /// A token for unit tests of sinks.
    #[cfg(test)]
    pub(crate) fn for_tests() -> Self {
        RiskAccepted(())
    }
}

/// The checker's conclusion: failures block the output, warnings are shown.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Verdict {
    /// Reasons the output must not be committed.
    pub reasons: Vec<String>,
    /// Findings a reviewer should see that do not block.
    pub warnings: Vec<String>,
}

impl Verdict {
    /// Whether the verdict allows the output.
    pub fn passes(&self) -> bool {
        self.reasons.is_empty()
    }

    /// `"pass"` or `"fail"`.
    pub fn label(&self) -> &'static str {
        if self.passes() {
            "pass"
        } else {
            "fail"
        }
    }

    /// The token a sink needs, or the refusal (exit code 3).
    pub fn accept(&self) -> Result<RiskAccepted, Error> {
        if self.passes() {
            Ok(RiskAccepted(()))
        } else {
            Err(Error::new(
                ErrorKind::RiskRefused(self.reasons.join("; ")),
                Where::default(),
            ))
        }
    }
}

/// Commits whatever the verdict. Only for `--dangerously-skip-risk-gate`, which says so loudly.
pub fn dangerously_skip_gate() -> RiskAccepted {
    RiskAccepted(())
}
