//! Coverage: every column's rule, whether it changes values, and kept columns whose *names*
//! suggest personal data (a warning for the reviewer; content detectors look at the values).

use serde::Serialize;

use crate::policy::resolve::ResolvedPolicy;
use crate::risk::detect::name_suggests_pii;

/// One column's line in the coverage report.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ColumnCoverage {
    /// Table, as SQL writes it.
    pub table: String,
    /// Column name.
    pub column: String,
    /// The transform's name.
    pub rule: &'static str,
    /// Whether the rule changes values.
    pub changed: bool,
    /// The keep reason, for kept columns.
    pub reason: Option<String>,
}

/// Coverage of every planned column, sorted by table and column, plus name-based warnings.
pub fn coverage(policy: &ResolvedPolicy) -> (Vec<ColumnCoverage>, Vec<String>) {
    let mut rows = Vec::new();
    let mut warnings = Vec::new();
    for table in policy.tables() {
        for c in &table.columns {
            let reason = c.rule.keep_reason().map(str::to_owned);
            if reason.is_some() {
                if let Some(what) = name_suggests_pii(&c.name) {
                    warnings.push(format!(
                        "{}.{} is kept, but its name suggests {what}",
                        table.name,
                        crate::dump::ident::quote_ident(&c.name)
                    ));
                }
            }
            rows.push(ColumnCoverage {
                table: table.name.to_string(),
                column: c.name.clone(),
                rule: c.rule.name(),
                changed: c.rule.changes_values(),
                reason,
            });
        }
    }
    rows.sort_by(|a, b| (&a.table, &a.column).cmp(&(&b.table, &b.column)));
    warnings.sort();
    (rows, warnings)
}
