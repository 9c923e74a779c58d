//! The policy file: TOML parsed into rules that remember their line.
//!
//! The shape is the contract reviewers and scripts build on:
//!
//! ```toml
//! version = 1
//! [tables."public.customers".columns]
//! id    = { transform = "keep", reason = "surrogate key, no meaning outside the database" }
//! email = { transform = "hash" }
//! ```
//!
//! Parsing reports every problem in the file at once, each with its line: the document's
//! structure is read first, then each rule on its own, so one bad rule does not hide the next.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::dump::ident::QualifiedName;
use crate::error::PolicyProblem;
use crate::transform::Rule;

/// The only policy format version so far.
pub const VERSION: i64 = 1;

/// A parsed policy file.
#[derive(Debug, Clone)]
pub struct PolicyFile {
    /// Where it was read from.
    pub path: PathBuf,
    /// `[defaults]`.
    pub defaults: Defaults,
    /// `[large_objects]`: what becomes of large objects. `None` when the policy does not say,
    /// which is an error as soon as the dump holds any.
    pub large_objects: Option<LargeObjects>,
    /// `[tables."..."]` sections, in file order.
    pub tables: Vec<TableRules>,
    /// `[risk]`, kept raw for the risk checker to read.
    pub risk: Option<toml::Table>,
}

/// `[defaults]`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Defaults {
    /// What a transform does with a value it cannot handle: `fail` (the default), `null` or
    /// `redact`.
    #[serde(default)]
    pub on_error: Option<OnError>,
}

/// What happens to a value a transform cannot handle. Never "pass it through".
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum OnError {
    /// Stop the run with an error naming the row and column (the default).
    #[default]
    Fail,
    /// Write NULL instead.
    Null,
    /// Write the column type's `redact` constant instead.
    Redact,
}

/// `when = { column = "...", equals = "..." }` or `when = { column = "...", is_null = true }`:
/// the rule applies only to rows whose *original* value of `column` matches; other rows keep
/// this column's value.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// The column of the same row to test.
    pub column: String,
    /// Applies where the column's text equals this.
    #[serde(default)]
    pub equals: Option<String>,
    /// Applies where the column is (`true`) or is not (`false`) NULL.
    #[serde(default)]
    pub is_null: Option<bool>,
}

impl Condition {
    /// Whether a row's value (`None` = NULL) satisfies the condition.
    pub fn holds(&self, value: Option<&[u8]>) -> bool {
        match (&self.equals, self.is_null) {
            (Some(expected), _) => value == Some(expected.as_bytes()),
            (None, Some(null)) => value.is_none() == null,
            (None, None) => false,
        }
    }
}

/// `[large_objects]`: large objects are data too.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(tag = "transform", rename_all = "snake_case", deny_unknown_fields)]
pub enum LargeObjects {
    /// Copy their contents; needs a reason like a column `keep`.
    Keep {
        /// Why their contents are safe to copy.
        reason: String,
    },
    /// Create them empty: the objects (and references to their OIDs) survive, their bytes do not.
    Null,
}

/// The rules of one table.
#[derive(Debug, Clone)]
pub struct TableRules {
    /// The table, parsed from the section key.
    pub name: QualifiedName,
    /// Line of the section header (or of its first rule).
    pub line: usize,
    /// Column rules, in file order.
    pub columns: Vec<ColumnRule>,
    /// Pairs (or sets) of columns an attacker may know together, for the risk checker.
    pub jointly_known: Vec<Vec<String>>,
}

/// One column's rule.
#[derive(Debug, Clone)]
pub struct ColumnRule {
    /// The column's exact name.
    pub column: String,
    /// What to do with it.
    pub rule: Rule,
    /// Risk-checker flags.
    pub flags: Flags,
    /// Apply only where this holds.
    pub when: Option<Condition>,
    /// What to do with a value the transform cannot handle (the `[defaults]` one if unset).
    pub on_error: Option<OnError>,
    /// Line of the rule.
    pub line: usize,
}

/// Flags any rule may carry for the risk checker.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Flags {
    /// Part of the quasi-identifier set of its table.
    pub quasi_identifier: bool,
    /// A sensitive attribute (checked for l-diversity).
    pub sensitive: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    version: Option<Spanned<toml::Value>>,
    #[serde(default)]
    defaults: Option<Spanned<toml::Value>>,
    #[serde(default)]
    large_objects: Option<Spanned<toml::Value>>,
    #[serde(default)]
    tables: BTreeMap<Spanned<String>, Spanned<RawTable>>,
    #[serde(default)]
    risk: Option<toml::Table>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTable {
    #[serde(default)]
    columns: BTreeMap<Spanned<String>, Spanned<toml::Value>>,
    #[serde(default)]
    jointly_known: Vec<Vec<String>>,
}

/// Reads and parses a policy file.
pub fn load(path: &Path) -> Result<PolicyFile, Vec<PolicyProblem>> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        vec![PolicyProblem {
            file: path.to_owned(),
            line: 0,
            message: format!("cannot read the policy: {e}"),
        }]
    })?;
    parse(path, &text)
}

/// Parses policy text; `path` is used in messages.
pub fn parse(path: &Path, text: &str) -> Result<PolicyFile, Vec<PolicyProblem>> {
    let line_of = |offset: usize| text[..offset.min(text.len())].matches('\n').count() + 1;
    let problem = |line: usize, message: String| PolicyProblem {
        file: path.to_owned(),
        line,
        message,
    };
    let raw: RawPolicy = toml::from_str(text).map_err(|e| {
        let line = e.span().map_or(0, |s| line_of(s.start));
        vec![problem(line, e.message().trim().to_string())]
    })?;
    let mut problems = Vec::new();

    match &raw.version {
        None => problems.push(problem(
            1,
            format!("missing `version = {VERSION}` at the top"),
        )),
        Some(v) if v.get_ref().as_integer() != Some(VERSION) => problems.push(problem(
            line_of(v.span().start),
            format!("unsupported policy version (this understudy reads version {VERSION})"),
        )),
        Some(_) => {}
    }

    let defaults = match raw.defaults {
        None => Defaults::default(),
        Some(d) => {
            let line = line_of(d.span().start);
            Defaults::deserialize(d.into_inner()).unwrap_or_else(|e| {
                problems.push(problem(line, format!("[defaults]: {}", e.message())));
                Defaults::default()
            })
        }
    };

    let large_objects = raw.large_objects.and_then(|lo| {
        let line = line_of(lo.span().start);
        match LargeObjects::deserialize(lo.into_inner()) {
            Ok(LargeObjects::Keep { reason }) if is_placeholder_reason(&reason) => {
                problems.push(problem(
                    line,
                    "[large_objects]: `keep` needs a real reason (not empty, not TODO)".into(),
                ));
                None
            }
            Ok(lo) => Some(lo),
            Err(e) => {
                problems.push(problem(line, format!("[large_objects]: {}", e.message())));
                None
            }
        }
    });

    let mut tables = Vec::new();
    for (key, table) in raw.tables {
        let header_line = line_of(key.span().start);
        let name = match QualifiedName::parse(key.get_ref()) {
            Ok(n) => n,
            Err(e) => {
                problems.push(problem(
                    header_line,
                    format!("table name {:?}: {e}", key.get_ref()),
                ));
                continue;
            }
        };
        let table = table.into_inner();
        let mut columns = Vec::new();
        for (column, value) in table.columns {
            let line = line_of(value.span().start);
            let column = column.into_inner();
            match parse_rule(value.into_inner()) {
                Ok(parsed) => columns.push(ColumnRule {
                    column,
                    rule: parsed.rule,
                    flags: parsed.flags,
                    when: parsed.when,
                    on_error: parsed.on_error,
                    line,
                }),
                Err(message) => problems.push(problem(line, format!("{name}.{column}: {message}"))),
            }
        }
        columns.sort_by_key(|c| c.line);
        tables.push(TableRules {
            name,
            line: header_line,
            columns,
            jointly_known: table.jointly_known,
        });
    }
    tables.sort_by_key(|t| t.line);

    if problems.is_empty() {
        Ok(PolicyFile {
            path: path.to_owned(),
            defaults,
            large_objects,
            tables,
            risk: raw.risk,
        })
    } else {
        problems.sort_by_key(|p| p.line);
        Err(problems)
    }
}

/// Whether a `keep` reason is empty or a `TODO` placeholder.
pub fn is_placeholder_reason(reason: &str) -> bool {
    let r = reason.trim();
    r.is_empty() || (r.len() >= 4 && r[..4].eq_ignore_ascii_case("todo"))
}

/// A rule and the keys any rule may carry.
struct ParsedRule {
    rule: Rule,
    flags: Flags,
    when: Option<Condition>,
    on_error: Option<OnError>,
}

/// Splits the keys any rule may carry from the transform's own parameters, then parses those.
fn parse_rule(value: toml::Value) -> Result<ParsedRule, String> {
    let toml::Value::Table(mut table) = value else {
        return Err(
            "a rule must be a table such as { transform = \"keep\", reason = \"...\" }".into(),
        );
    };
    let mut flag = |name: &str| -> Result<bool, String> {
        match table.remove(name) {
            None => Ok(false),
            Some(toml::Value::Boolean(b)) => Ok(b),
            Some(_) => Err(format!("`{name}` must be true or false")),
        }
    };
    let flags = Flags {
        quasi_identifier: flag("quasi_identifier")?,
        sensitive: flag("sensitive")?,
    };
    let when = match table.remove("when") {
        None => None,
        Some(v) => {
            let c =
                Condition::deserialize(v).map_err(|e| format!("`when`: {}", e.message().trim()))?;
            if c.equals.is_some() == c.is_null.is_some() {
                return Err(
                    "`when` needs exactly one of `equals = \"...\"` or `is_null = true|false`"
                        .into(),
                );
            }
            Some(c)
        }
    };
    let on_error = match table.remove("on_error") {
        None => None,
        Some(v) => Some(
            OnError::deserialize(v).map_err(|e| format!("`on_error`: {}", e.message().trim()))?,
        ),
    };
    if !table.contains_key("transform") {
        return Err(format!(
            "missing `transform` (one of: {})",
            crate::transform::registry::NAMES.join(", ")
        ));
    }
    let rule =
        Rule::deserialize(toml::Value::Table(table)).map_err(|e| e.message().trim().to_string())?;
    Ok(ParsedRule {
        rule,
        flags,
        when,
        on_error,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> Vec<String> {
        match parse(Path::new("p.toml"), text) {
            Ok(_) => vec![],
            Err(ps) => ps.iter().map(|p| p.to_string()).collect(),
        }
    }

    #[test]
    fn parses_the_contract_shape() {
        let text = r#"version = 1
[tables."public.customers".columns]
id    = { transform = "keep", reason = "surrogate key" }
email = { transform = "hash", quasi_identifier = true }
notes = { transform = "redact" }

[tables."public.\"Audit Log\"".columns]
x = { transform = "null" }

[large_objects]
transform = "null"
"#;
        let p = parse(Path::new("p.toml"), text).unwrap();
        assert_eq!(p.tables.len(), 2);
        assert_eq!(p.tables[0].name.to_string(), "public.customers");
        assert_eq!(p.tables[1].name.name, "Audit Log");
        let email = &p.tables[0].columns[1];
        assert_eq!(
            (email.column.as_str(), email.line, email.rule.name()),
            ("email", 4, "hash")
        );
        assert!(email.flags.quasi_identifier);
        assert_eq!(p.large_objects, Some(LargeObjects::Null));
    }

    #[test]
    fn reports_every_problem_with_its_line() {
        let text = r#"version = 1
[tables."public.t".columns]
a = { transform = "keep" }
b = { transform = "hash", salt = "x" }
c = { transform = "shred" }
d = { reason = "x" }
e = "keep"
"#;
        let got = problems(text);
        assert_eq!(got.len(), 5, "{got:#?}");
        assert!(
            got[0].starts_with("p.toml:3: public.t.a: missing field `reason`"),
            "{}",
            got[0]
        );
        assert!(
            got[1].starts_with("p.toml:4: public.t.b: unknown field `salt`"),
            "{}",
            got[1]
        );
        assert!(
            got[2].starts_with("p.toml:5: public.t.c: unknown variant `shred`"),
            "{}",
            got[2]
        );
        assert!(
            got[3].starts_with("p.toml:6: public.t.d: missing `transform`"),
            "{}",
            got[3]
        );
        assert!(
            got[4].starts_with("p.toml:7: public.t.e: a rule must be a table"),
            "{}",
            got[4]
        );
    }

    #[test]
    fn structural_errors_name_their_line() {
        let got = problems("version = 1\n[tablez.x]\n");
        assert_eq!(got.len(), 1);
        assert!(
            got[0].starts_with("p.toml:2: unknown field `tablez`"),
            "{got:?}"
        );
        let got = problems("[tables.\"public.t\".columns]\n");
        assert_eq!(got, vec!["p.toml:1: missing `version = 1` at the top"]);
        let got = problems(
            "version = 1\n[large_objects]\ntransform = \"keep\"\nreason = \"TODO: review\"\n",
        );
        assert!(
            got[0].contains("[large_objects]: `keep` needs a real reason"),
            "{got:?}"
        );
    }
}
