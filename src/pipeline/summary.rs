//! The run summary: one line for people, JSON for the nightly job's logs (`--summary`).
//! Names and counts only; no value from the dump.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use crate::key::MasterKey;
use crate::risk::Verdict;

/// Rows seen per table.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TableSummary {
    /// The table, as SQL writes it.
    pub name: String,
    /// Rows read (and written).
    pub rows: u64,
}

impl TableSummary {
    /// A table with no rows yet.
    pub fn new(name: String) -> Self {
        TableSummary { name, rows: 0 }
    }
}

/// What a run did.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// The input's name (`-` for stdin).
    pub input: String,
    /// The output's name (`-` for stdout).
    pub output: String,
    /// Tables with data.
    pub tables: usize,
    /// Rows processed.
    pub rows: u64,
    /// Bytes read (after decompression).
    pub bytes_in: u64,
    /// Bytes written.
    pub bytes_out: u64,
    /// Wall-clock seconds.
    pub seconds: f64,
    /// Fingerprint of the master key (never the key).
    pub key_fingerprint: String,
    /// Where the key came from.
    pub key_source: String,
    /// `pass` or `fail`.
    pub verdict: &'static str,
    /// Whether the risk gate was skipped.
    pub risk_gate_skipped: bool,
    /// Reasons the verdict failed.
    pub reasons: Vec<String>,
    /// Warnings for a reviewer.
    pub warnings: Vec<String>,
    /// Per-table row counts.
    pub per_table: Vec<TableSummary>,
}

impl Summary {
    /// Assembles the summary.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        input: &str,
        output: &Path,
        stats: BTreeMap<String, TableSummary>,
        bytes_in: u64,
        bytes_out: u64,
        seconds: f64,
        key: &MasterKey,
        verdict: &Verdict,
        skipped: bool,
    ) -> Self {
        let per_table: Vec<TableSummary> = stats.into_values().collect();
        Summary {
            input: input.to_owned(),
            output: output.display().to_string(),
            tables: per_table.len(),
            rows: per_table.iter().map(|t| t.rows).sum(),
            bytes_in,
            bytes_out,
            seconds,
            key_fingerprint: key.fingerprint(),
            key_source: format!("{:?}", key.source()).to_lowercase(),
            verdict: verdict.label(),
            risk_gate_skipped: skipped,
            reasons: verdict.reasons.clone(),
            warnings: verdict.warnings.clone(),
            per_table,
        }
    }

    /// The one-line summary printed at the end of a run.
    pub fn line(&self) -> String {
        let mb = self.bytes_in as f64 / 1e6;
        format!(
            "understudy: {} tables, {} rows, {:.1} MB in, {:.1} MB out, {:.2} s ({:.0} MB/s), risk verdict {}{}, key {}",
            self.tables,
            self.rows,
            mb,
            self.bytes_out as f64 / 1e6,
            self.seconds,
            if self.seconds > 0.0 { mb / self.seconds } else { 0.0 },
            self.verdict,
            if self.risk_gate_skipped { " (gate SKIPPED)" } else { "" },
            self.key_fingerprint
        )
    }
}
