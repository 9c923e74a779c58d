//! `understudy policy lint`: every problem of a policy in one run, each with file and line.
//!
//! Without a dump, lint checks what the file alone can tell: parse errors (unknown transforms
//! and parameters), `keep` without a real reason, one tokenization `domain` shared by different
//! transforms, unused named rules, a missing `[risk]` section (a warning). With `--input`, the
//! policy is also resolved against the dump's schema ([`super::resolve::resolve`]), which adds
//! uncovered columns, rules for missing tables and columns, parameters invalid for a column's
//! type, `null` on NOT NULL columns and non-injective rules on keys — and domains shared by
//! columns of different types or typmods.

use std::collections::BTreeMap;
use std::path::Path;

use crate::dump::ident::quote_ident;
use crate::dump::schema::Schema;
use crate::error::PolicyProblem;
use crate::key::MasterKey;

use super::file::{self, is_placeholder_reason, ColumnRule, PolicyFile};

/// One use of a domain: the column's name, its rule and its type (when a schema is given).
type DomainUse<'a> = (&'a String, &'a ColumnRule, Option<String>);

/// How bad a finding is: errors make lint (and run) fail, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The policy cannot be used as it is.
    Error,
    /// Worth a reviewer's look.
    Warning,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Error or warning.
    pub severity: Severity,
    /// Where and what.
    pub problem: PolicyProblem,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{what}: {}", self.problem)
    }
}

/// Lints the policy at `path`, against `schema` when given. Findings are sorted by file and line.
pub fn lint(path: &Path, schema: Option<&Schema>) -> Vec<Finding> {
    let error = |problem| Finding {
        severity: Severity::Error,
        problem,
    };
    let policy = match file::load(path) {
        Ok(p) => p,
        Err(problems) => return problems.into_iter().map(error).collect(),
    };
    let mut findings = Vec::new();
    let rules: Vec<(String, &ColumnRule)> = policy
        .tables
        .iter()
        .chain(&policy.patterns)
        .flat_map(|t| {
            let table = if t.is_pattern() {
                format!("{}.{}", t.name.schema, t.name.name)
            } else {
                t.name.to_string()
            };
            t.columns
                .iter()
                .map(move |c| (format!("{table}.{}", quote_ident(&c.column)), c))
        })
        .collect();
    let at = |c: &ColumnRule, message: String| PolicyProblem {
        file: c.file(&policy).to_owned(),
        line: c.line,
        message,
    };

    // With a schema, resolution reports keep reasons itself (with the same line).
    if schema.is_none() {
        for (name, c) in &rules {
            if c.rule.keep_reason().is_some_and(is_placeholder_reason) {
                findings.push(error(at(
                    c,
                    format!("{name}: `keep` needs a real reason (not empty, not TODO): review the column and write why it is safe"),
                )));
            }
        }
    }

    // One domain, one format: tokens are only comparable when made the same way.
    let mut domains: BTreeMap<&str, Vec<DomainUse<'_>>> = BTreeMap::new();
    for (name, c) in &rules {
        if let Some(domain) = c.param("domain") {
            let ty = schema.and_then(|s| column_type(s, &policy, name, c));
            domains.entry(domain).or_default().push((name, c, ty));
        }
    }
    for (domain, uses) in &domains {
        let (first_name, first, first_ty) = &uses[0];
        for (name, c, ty) in &uses[1..] {
            if c.rule.name() != first.rule.name() {
                findings.push(error(at(
                    c,
                    format!(
                        "{name}: domain {domain:?} is also used by {first_name} with `{}`, here with `{}`: one domain needs one transform, or equal values will not get equal tokens",
                        first.rule.name(),
                        c.rule.name()
                    ),
                )));
            } else if let (Some(a), Some(b)) = (first_ty, ty) {
                if a != b {
                    findings.push(error(at(
                        c,
                        format!(
                            "{name}: domain {domain:?} joins columns of different types ({first_name} is {a}, this is {b}): tokens would not be comparable; align the types or use separate domains"
                        ),
                    )));
                }
            }
        }
    }

    for (name, rule) in &policy.named_rules {
        let used = rules
            .iter()
            .any(|(_, c)| rule.spec.iter().all(|(k, v)| c.spec.get(k) == Some(v)));
        if !used {
            findings.push(Finding {
                severity: Severity::Warning,
                problem: PolicyProblem {
                    file: rule.file.clone(),
                    line: rule.line,
                    message: format!("[rules.{name}] is never used"),
                },
            });
        }
    }

    if policy.risk.is_none() {
        findings.push(Finding {
            severity: Severity::Warning,
            problem: PolicyProblem {
                file: policy.path.clone(),
                line: 0,
                message: "no [risk] section: the risk checker's default thresholds apply; write them out (min_k, max_average_risk, max_records_at_risk, ...) so that reviews and diffs see them".into(),
            },
        });
    }

    if let Some(schema) = schema {
        for p in &policy.patterns {
            if !schema.tables().any(|t| p.matches(&t.name)) {
                findings.push(Finding {
                    severity: Severity::Warning,
                    problem: PolicyProblem {
                        file: p.source.clone().unwrap_or_else(|| policy.path.clone()),
                        line: p.line,
                        message: format!(
                            "table pattern {}.{} matches no table of the dump",
                            p.name.schema, p.name.name
                        ),
                    },
                });
            }
        }
        // Lint never transforms a value, so any key will do for binding.
        let key = MasterKey::from_bytes([0; 32]);
        if let Err(problems) = super::resolve::resolve(&policy, schema, &key) {
            findings.extend(problems.into_iter().map(error));
        }
    }
    findings.sort_by(|a, b| {
        (&a.problem.file, a.problem.line, a.severity).cmp(&(
            &b.problem.file,
            b.problem.line,
            b.severity,
        ))
    });
    findings.dedup();
    findings
}

/// The type (with typmods) of the column a rule names, for exact sections only.
fn column_type(
    schema: &Schema,
    policy: &PolicyFile,
    _name: &str,
    rule: &ColumnRule,
) -> Option<String> {
    let table = policy
        .tables
        .iter()
        .find(|t| t.columns.iter().any(|c| std::ptr::eq(c, rule)))?;
    schema
        .table(&table.name)?
        .column(&rule.column)?
        .ty
        .as_ref()
        .map(|t| t.sql.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// Writes `files` into a temp dir and lints the first.
    fn check(files: &[(&str, &str)], expected: &[&str]) {
        let dir = std::env::temp_dir().join(format!(
            "understudy-lint-{}-{}",
            std::process::id(),
            expected.len() * 1000 + files[0].1.len()
        ));
        std::fs::create_dir_all(dir.join("common")).unwrap();
        for (name, text) in files {
            std::fs::File::create(dir.join(name))
                .unwrap()
                .write_all(text.as_bytes())
                .unwrap();
        }
        let got: Vec<String> = lint(&dir.join(files[0].0), None)
            .iter()
            .map(|f| f.to_string().replace(&format!("{}/", dir.display()), ""))
            .collect();
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(got, expected);
    }

    const RISK: &str = "[risk]\nmin_k = 5\n";

    #[test]
    fn table_of_cases() {
        check(
            &[("a.toml", &format!("version = 1\n{RISK}[tables.\"public.t\".columns]\na = {{ transform = \"keep\", reason = \"TODO: review\" }}\nb = {{ transform = \"hash\", domain = \"d\" }}\nc = {{ transform = \"redact\", domain = \"d\" }}\n"))],
            // A parse error stops lint before the checks that need a parsed policy.
            &["error: a.toml:7: public.t.c: unknown field `domain`, expected `value`"],
        );
        check(
            &[("a2.toml", &format!("version = 1\n{RISK}[tables.\"public.t\".columns]\na = {{ transform = \"keep\", reason = \"TODO: review\" }}\nb = {{ transform = \"hash\", domain = \"d\" }}\n"))],
            &["error: a2.toml:5: public.t.a: `keep` needs a real reason (not empty, not TODO): review the column and write why it is safe"],
        );
    }

    #[test]
    fn missing_risk_is_a_warning_and_unused_rules_are_named() {
        check(
            &[("b.toml", "version = 1\n[rules.tok]\ntransform = \"hash\"\ndomain = \"x\"\n[tables.\"public.t\".columns]\na = { transform = \"null\" }\n")],
            &[
                "warning: b.toml: no [risk] section: the risk checker's default thresholds apply; write them out (min_k, max_average_risk, max_records_at_risk, ...) so that reviews and diffs see them",
                "warning: b.toml:2: [rules.tok] is never used",
            ],
        );
    }

    #[test]
    fn includes_named_rules_patterns_and_cycles() {
        check(
            &[
                ("c.toml", &format!("version = 1\ninclude = [\"common/people.toml\"]\n{RISK}[tables.\"public.t\".columns]\nmail = {{ use = \"email_token\", quasi_identifier = true }}\nx = {{ transform = \"hash\", domain = \"emails\" }}\n[tables.\"audit.*\".columns]\nactor = {{ use = \"email_token\" }}\n")),
                ("common/people.toml", "version = 1\n[rules.email_token]\ntransform = \"hash\"\ndomain = \"emails\"\n[tables.\"public.people\".columns]\nnote = { transform = \"keep\", reason = \"TODO\" }\n"),
            ],
            &["error: common/people.toml:6: public.people.note: `keep` needs a real reason (not empty, not TODO): review the column and write why it is safe"],
        );
        check(
            &[
                ("d.toml", "version = 1\ninclude = [\"common/e.toml\"]\n"),
                ("common/e.toml", "version = 1\ninclude = [\"../d.toml\"]\n"),
            ],
            &["error: common/e.toml:2: include cycle: d.toml → e.toml → d.toml (a policy cannot include itself, directly or not)"],
        );
        check(
            &[(
                "f.toml",
                "version = 1\n[tables.\"public.t\".columns]\na = { use = \"nope\" }\n",
            )],
            &["error: f.toml:3: public.t.a: `use = \"nope\"`: no [rules.nope] (defined: none)"],
        );
    }
}
