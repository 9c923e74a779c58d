//! The run summary: one line for people, JSON for the nightly job's logs (`--summary`).
//! Names and counts only; no value from the dump.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use crate::key::MasterKey;
use crate::risk::Verdict;

/// What one table's data took. The field names are a contract (`docs/summary-schema.md`).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TableSummary {
    /// The table, as SQL writes it.
    pub name: String,
    /// Rows read (and written).
    pub rows: u64,
    /// Bytes of the table's rows in the input (COPY lines or INSERT statements).
    pub bytes_in: u64,
    /// Bytes of the table's rows as written.
    pub bytes_out: u64,
    /// Seconds from the table's first data statement to its end, summed over its blocks
    /// (with a live source this includes waiting for the source's rows).
    pub duration_seconds: f64,
}

impl TableSummary {
    /// A table with no rows yet.
    pub fn new(name: String) -> Self {
        TableSummary {
            name,
            rows: 0,
            bytes_in: 0,
            bytes_out: 0,
            duration_seconds: 0.0,
        }
    }
}

/// Where a run's wall-clock time went; the phases follow each other and add up to `seconds`.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq)]
pub struct Durations {
    /// Loading the policy, opening the input or the source (snapshot, `pg_dump` of the
    /// schema), the schema pass, and the DDL before the first row.
    pub prepare_seconds: f64,
    /// From the first data statement to the end of the input: rows read, transformed,
    /// checked and written, then the post-data DDL.
    pub data_seconds: f64,
    /// Computing the risk verdict and writing the report.
    pub risk_seconds: f64,
    /// Committing the output (file rename; database swap or transaction commit).
    pub commit_seconds: f64,
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
    /// Per-table row counts, sizes and durations.
    pub per_table: Vec<TableSummary>,
    /// Where the time went.
    pub durations: Durations,
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
        durations: Durations,
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
            seconds: durations.prepare_seconds
                + durations.data_seconds
                + durations.risk_seconds
                + durations.commit_seconds,
            key_fingerprint: key.fingerprint(),
            key_source: format!("{:?}", key.source()).to_lowercase(),
            verdict: verdict.label(),
            risk_gate_skipped: skipped,
            reasons: verdict.reasons.clone(),
            warnings: verdict.warnings.clone(),
            per_table,
            durations,
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
