//! `[risk]`: the thresholds the risk checker's verdict is judged against.
//!
//! The policy file keeps `[risk]` as a raw TOML table ([`PolicyFile::risk`]); this module turns
//! it into a [`RiskConfig`], refusing unknown keys and out-of-range values, and reporting every
//! problem at once as [`PolicyProblem`]s. What the thresholds *mean* is the checker's business
//! ([`crate::risk::checker`]); only their parsing and defaults live here.

use serde::{Deserialize, Serialize};

use crate::error::PolicyProblem;
use crate::policy::file::PolicyFile;

/// The contract keys of `[risk]`, with their defaults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RiskConfig {
    /// Smallest allowed equivalence class on the declared quasi-identifiers (k-anonymity).
    pub min_k: u64,
    /// Largest allowed average prosecutor risk `u/n` on the declared quasi-identifiers.
    pub max_average_risk: f64,
    /// A record is "at risk" when its individual risk `1/f_j` is strictly above this.
    pub risk_threshold: f64,
    /// Largest allowed share of records at risk.
    pub max_records_at_risk: f64,
    /// Largest allowed share of non-NULL rows that a changing rule left unchanged.
    pub max_unchanged_fraction: f64,
    /// Largest allowed nearest-original re-identification rate of a perturbed column (or of a
    /// jointly known set of columns).
    pub max_reidentification_rate: f64,
    /// Largest allowed number of rows in which original values of a replaced column were found.
    pub max_leaks: u64,
    /// Whether a validated PII detection in a kept column is only a warning.
    pub allow_pii_in_kept_columns: bool,
    /// `π = n/N`: the share of the population the dump holds, for population uniqueness.
    pub sampling_fraction: Option<f64>,
}

impl Default for RiskConfig {
    fn default() -> Self {
        RiskConfig {
            min_k: 5,
            max_average_risk: 0.2,
            risk_threshold: 0.2,
            max_records_at_risk: 0.05,
            max_unchanged_fraction: 0.01,
            max_reidentification_rate: 0.2,
            max_leaks: 0,
            allow_pii_in_kept_columns: false,
            sampling_fraction: None,
        }
    }
}

impl RiskConfig {
    /// Reads `[risk]` of a policy file; the defaults when the section is absent.
    pub fn from_policy(policy: &PolicyFile) -> Result<RiskConfig, Vec<PolicyProblem>> {
        match &policy.risk {
            None => Ok(RiskConfig::default()),
            Some(table) => Self::from_table(table, &policy.path),
        }
    }

    /// Reads a raw `[risk]` table; `path` names the file in problems. The raw table carries no
    /// spans, so problems are reported against the file as a whole (line 0) and name the key.
    pub fn from_table(
        table: &toml::Table,
        path: &std::path::Path,
    ) -> Result<RiskConfig, Vec<PolicyProblem>> {
        let problem = |message: String| PolicyProblem {
            file: path.to_owned(),
            line: 0,
            message,
        };
        let mut problems = Vec::new();
        // Unknown keys are collected by hand first so that all of them are reported, not only
        // the first one serde meets.
        for key in table.keys() {
            if !KEYS.contains(&key.as_str()) {
                problems.push(problem(format!(
                    "[risk]: unknown key `{key}` (known: {})",
                    KEYS.join(", ")
                )));
            }
        }
        // TOML integers are accepted where a fraction is expected (`risk_threshold = 1` is
        // meant as a number). Each key is then read on its own so every bad value is reported.
        let mut fixed = toml::Table::new();
        for (key, value) in table.iter().filter(|(k, _)| KEYS.contains(&k.as_str())) {
            let value = match value {
                toml::Value::Integer(i) if FRACTIONS.contains(&key.as_str()) => {
                    toml::Value::Float(*i as f64)
                }
                v => v.clone(),
            };
            let single: toml::Table = [(key.clone(), value.clone())].into_iter().collect();
            if let Err(e) = RiskConfig::deserialize(toml::Value::Table(single)) {
                problems.push(problem(format!("[risk]: `{key}`: {}", e.message().trim())));
            }
            fixed.insert(key.clone(), value);
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let config = RiskConfig::deserialize(toml::Value::Table(fixed))
            .map_err(|e| vec![problem(format!("[risk]: {}", e.message().trim()))])?;
        let problems = config.range_problems(&problem);
        if problems.is_empty() {
            Ok(config)
        } else {
            Err(problems)
        }
    }

    fn range_problems(&self, problem: &dyn Fn(String) -> PolicyProblem) -> Vec<PolicyProblem> {
        let mut problems = Vec::new();
        let fractions = [
            ("max_average_risk", self.max_average_risk),
            ("risk_threshold", self.risk_threshold),
            ("max_records_at_risk", self.max_records_at_risk),
            ("max_unchanged_fraction", self.max_unchanged_fraction),
            ("max_reidentification_rate", self.max_reidentification_rate),
        ];
        for (key, value) in fractions {
            if !(0.0..=1.0).contains(&value) {
                problems.push(problem(format!("[risk]: `{key}` must be between 0 and 1")));
            }
        }
        if self.min_k == 0 {
            problems.push(problem("[risk]: `min_k` must be at least 1".into()));
        }
        if let Some(pi) = self.sampling_fraction {
            if !(pi > 0.0 && pi <= 1.0) {
                problems.push(problem(
                    "[risk]: `sampling_fraction` must be greater than 0 and at most 1".into(),
                ));
            }
        }
        problems
    }
}

/// Every key `[risk]` may hold.
pub const KEYS: &[&str] = &[
    "allow_pii_in_kept_columns",
    "max_average_risk",
    "max_leaks",
    "max_records_at_risk",
    "max_reidentification_rate",
    "max_unchanged_fraction",
    "min_k",
    "risk_threshold",
    "sampling_fraction",
];

const FRACTIONS: &[&str] = &[
    "max_average_risk",
    "max_records_at_risk",
    "max_reidentification_rate",
    "max_unchanged_fraction",
    "risk_threshold",
    "sampling_fraction",
];

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn parse(text: &str) -> Result<RiskConfig, Vec<String>> {
        let table: toml::Table = toml::from_str(text).unwrap();
        RiskConfig::from_table(&table, Path::new("p.toml"))
            .map_err(|ps| ps.iter().map(|p| p.to_string()).collect())
    }

    #[test]
    fn defaults_are_the_contract() {
        let c = parse("").unwrap();
        assert_eq!(c, RiskConfig::default());
        assert_eq!((c.min_k, c.max_leaks), (5, 0));
        assert_eq!(
            (c.max_average_risk, c.risk_threshold, c.max_records_at_risk),
            (0.2, 0.2, 0.05)
        );
        assert_eq!(
            (c.max_unchanged_fraction, c.max_reidentification_rate),
            (0.01, 0.2)
        );
        assert!(!c.allow_pii_in_kept_columns);
        assert_eq!(c.sampling_fraction, None);
    }

    #[test]
    fn reads_every_key_and_accepts_integers_for_fractions() {
        let c = parse(
            "min_k = 3\nmax_average_risk = 0.5\nrisk_threshold = 1\nmax_records_at_risk = 0.1\n\
             max_unchanged_fraction = 0\nmax_reidentification_rate = 0.3\nmax_leaks = 2\n\
             allow_pii_in_kept_columns = true\nsampling_fraction = 0.01\n",
        )
        .unwrap();
        assert_eq!(c.min_k, 3);
        assert_eq!(c.risk_threshold, 1.0);
        assert_eq!(c.max_unchanged_fraction, 0.0);
        assert_eq!(c.max_leaks, 2);
        assert!(c.allow_pii_in_kept_columns);
        assert_eq!(c.sampling_fraction, Some(0.01));
    }

    #[test]
    fn refuses_unknown_keys_bad_types_and_ranges_all_at_once() {
        let got = parse("min_kk = 3\nmax_leaks = \"none\"\nfoo = 1\n").unwrap_err();
        assert_eq!(got.len(), 3, "{got:#?}");
        assert!(
            got.iter().any(|p| p.contains("unknown key `min_kk`")),
            "{got:?}"
        );
        assert!(
            got.iter().any(|p| p.contains("unknown key `foo`")),
            "{got:?}"
        );
        assert!(got.iter().any(|p| p.contains("`max_leaks`")), "{got:?}");
        assert!(got[0].starts_with("p.toml: [risk]"), "{got:?}");
        let got = parse("risk_threshold = 1.5\nmin_k = 0\nsampling_fraction = 0\n").unwrap_err();
        assert_eq!(got.len(), 3, "{got:#?}");
    }

    #[test]
    fn reads_risk_from_a_parsed_policy() {
        let text = "version = 1\n[risk]\nmin_k = 10\n";
        let p = crate::policy::file::parse(Path::new("p.toml"), text).unwrap();
        assert_eq!(RiskConfig::from_policy(&p).unwrap().min_k, 10);
        let p = crate::policy::file::parse(Path::new("p.toml"), "version = 1\n").unwrap();
        assert_eq!(RiskConfig::from_policy(&p).unwrap(), RiskConfig::default());
    }
}
