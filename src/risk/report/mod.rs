//! The pre-flight report: what the risk checker found, as data ([`Report`], serde) and rendered
//! as JSON, Markdown or a self-contained HTML page.
//!
//! The JSON shape is a contract documented in `docs/report-schema.md` and versioned by
//! [`SCHEMA_VERSION`]. Nothing in a report is a raw value: examples are masked by
//! `detect::mask`, columns are named, and everything else is a count or a fraction.
//! Building the report is the checker's job ([`crate::risk::checker`]); this module only holds
//! its shape and writes it.

mod html;
mod markdown;
mod svg;

use std::io::Write;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::risk::config::RiskConfig;
use crate::risk::Verdict;

pub use html::render_html;
pub use markdown::render_markdown;

/// Version of the JSON shape; bumped when a field changes meaning or disappears.
pub const SCHEMA_VERSION: u32 = 1;

/// Everything the checker found.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Report {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// `"pass"` or `"fail"`.
    pub verdict: String,
    /// Why the output must not be committed (empty on pass).
    pub reasons: Vec<String>,
    /// Findings that do not block.
    pub warnings: Vec<String>,
    /// The thresholds the verdict was judged against.
    pub config: RiskConfig,
    /// Detector findings in verbatim statements and large objects.
    pub passthrough: Vec<Detection>,
    /// Every table of the policy, by name.
    pub tables: Vec<TableReport>,
    /// Source columns whose leaks could not be looked for in tables dumped before them.
    pub unchecked_leaks: Vec<UncheckedLeak>,
    /// Tables of a file input read a second time, to look in them for originals of columns
    /// dumped after them (those pairs are then checked, not listed in `unchecked_leaks`).
    #[serde(default)]
    pub second_read: Vec<String>,
    /// Memory the checker held at the end, by structure.
    pub memory: Memory,
}

/// One table.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TableReport {
    /// `schema.table`, as SQL writes it.
    pub name: String,
    /// Rows seen.
    pub rows: u64,
    /// Every planned column, in the table's order.
    pub columns: Vec<ColumnReport>,
    /// The declared quasi-identifiers' statistics; `null` when none are declared.
    pub quasi_identifiers: Option<QiReport>,
    /// Linkage of jointly known column sets (`jointly_known` in the policy).
    pub jointly_known: Vec<JointLinkage>,
}

/// One column.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ColumnReport {
    /// The column's name.
    pub name: String,
    /// The rule's transform name.
    pub rule: String,
    /// Whether the rule changes values.
    pub changed: bool,
    /// The keep reason, for kept columns.
    pub keep_reason: Option<String>,
    /// Flagged `quasi_identifier`.
    pub quasi_identifier: bool,
    /// Flagged `sensitive`.
    pub sensitive: bool,
    /// Share of non-NULL rows left unchanged by a changing rule; `null` for kept columns.
    pub unchanged_fraction: Option<f64>,
    /// What the detectors found (kept content, or the output of text-passing rules).
    pub pii_detections: Vec<Detection>,
    /// Where this column's original values were found.
    pub leaks: Vec<Leak>,
    /// Linkage of a perturbed column; `null` for other rules.
    pub linkage: Option<Linkage>,
}

/// What one detector found.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Detection {
    /// The detector's name (`email`, `card_number`, ...).
    pub detector: String,
    /// `false` for the heuristic detectors (person names, dates of birth).
    pub validated: bool,
    /// Values holding at least one finding.
    pub matches: u64,
    /// Values scanned (a sample, bounded by `--sample`).
    pub sampled: u64,
    /// `matches / sampled`.
    pub share: f64,
    /// Masked examples only.
    pub examples: Vec<String>,
}

/// Original values of a column found elsewhere.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Leak {
    /// `schema.table.column` holding them.
    pub found_in: String,
    /// Rows of that column holding one (a row holding two different ones counts twice).
    pub rows: u64,
}

/// How well a perturbed column links back to its originals.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Linkage {
    /// Spearman rank correlation between original and released values.
    pub spearman: Option<f64>,
    /// Share of tested rows whose released value is uniquely nearest their own original.
    pub reidentification_rate: f64,
    /// Rows tested (a reservoir sample).
    pub tested: u64,
    /// Original values the attacker chooses from.
    pub candidates: u64,
    /// Values that could not be read as a number or date.
    pub unparsed: u64,
}

/// Linkage of columns an attacker knows together.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct JointLinkage {
    /// The two columns.
    pub columns: Vec<String>,
    /// Nearest-original rate in the space of both columns, each scaled by its IQR.
    pub reidentification_rate: f64,
    /// Rows tested.
    pub tested: u64,
}

/// Quasi-identifier statistics of one table (on output values, all rows).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct QiReport {
    /// The declared quasi-identifiers.
    pub columns: Vec<String>,
    /// Records grouped.
    pub records: u64,
    /// Equivalence classes.
    pub classes: u64,
    /// Smallest class size.
    pub k: u64,
    /// `1/k`.
    pub highest_risk: f64,
    /// `classes / records`.
    pub average_risk: f64,
    /// Share of records whose risk `1/f` exceeds `risk_threshold`.
    pub records_at_risk: f64,
    /// Classes of size one.
    pub sample_uniques: u64,
    /// `sample_uniques / records`.
    pub sample_uniqueness: f64,
    /// Estimated population uniqueness (Dankar rule) when `sampling_fraction` is set.
    pub population_uniqueness: Option<f64>,
    /// `[size, number of classes of that size]`, ascending.
    pub class_sizes: Vec<[u64; 2]>,
    /// l-diversity of each sensitive column.
    pub diversity: Vec<Diversity>,
    /// SUDA: column sets that single out records, worst first.
    pub risky_combinations: Vec<RiskyCombination>,
}

/// l-diversity of one sensitive column over the QI classes.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Diversity {
    /// The sensitive column.
    pub column: String,
    /// Smallest number of distinct values in a class (distinct l).
    pub distinct_l: u64,
    /// Smallest `exp(entropy)` of a class (entropy l).
    pub entropy_l: f64,
}

/// A column set that makes records unique (a minimal sample unique, SUDA).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RiskyCombination {
    /// The columns.
    pub columns: Vec<String>,
    /// Sampled records singled out by exactly this set.
    pub records: u64,
    /// `records` over the sampled records.
    pub share: f64,
}

/// A (source column, table) pair the one-pass leak check could not cover.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct UncheckedLeak {
    /// `schema.table.column` whose originals were fingerprinted.
    pub source: String,
    /// A table dumped before it.
    pub table: String,
}

/// Bytes held by the checker's structures.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Memory {
    /// Leak fingerprints (and candidates waiting for their table's sources).
    pub fingerprints: u64,
    /// Linkage candidates and reservoirs.
    pub linkage: u64,
    /// Equivalence classes, diversity counts and SUDA samples.
    pub classes: u64,
    /// The sum.
    pub total: u64,
}

impl Report {
    /// The verdict, for the gate (`Verdict::accept`).
    pub fn verdict(&self) -> Verdict {
        Verdict {
            reasons: self.reasons.clone(),
            warnings: self.warnings.clone(),
        }
    }

    /// Pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a report always serializes")
    }
}

/// Writes the report to `path`, as JSON, Markdown or HTML by its extension (`.json`, `.md`,
/// `.html`/`.htm`), through a temporary file renamed into place.
pub fn write_report(report: &Report, path: &Path) -> Result<(), Error> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let text = match ext.as_deref() {
        Some("json") => report.to_json(),
        Some("md") | Some("markdown") => render_markdown(report),
        Some("html") | Some("htm") => render_html(report),
        _ => {
            return Err(Error::input(
                format!(
                    "cannot tell the report format of {}: use a .json, .md or .html file name",
                    path.display()
                ),
                crate::error::Where::default(),
            ))
        }
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "report".into());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let context = |what: &str| format!("{what} the report {}", path.display());
    let result = (|| {
        let mut f = std::fs::File::create(&tmp).map_err(|e| Error::io(context("writing"), e))?;
        f.write_all(text.as_bytes())
            .and_then(|()| f.sync_all())
            .map_err(|e| Error::io(context("writing"), e))?;
        std::fs::rename(&tmp, path).map_err(|e| Error::io(context("renaming into place"), e))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// A fraction as a percentage with one decimal.
pub(crate) fn percent(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

#[cfg(test)]
pub(crate) mod tests;
