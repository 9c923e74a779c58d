//! `include = ["common/people.toml"]`: reading the files a policy includes and merging them in.
//!
//! Paths are relative to the including file. An included file is a complete policy file of its
//! own (it needs `version = 1`) and may include others. A cycle is refused at the `include` that
//! closes it, naming the chain. Merging rules, so that a reviewer can predict the outcome:
//!
//! - the including file's own rule for a column wins over an included one;
//! - two included files may not rule the same column (the conflict is reported with both
//!   places — move the rule into the including file to settle it);
//! - `[defaults]`, `[large_objects]` and `[risk]` come from the including file when it has them,
//!   otherwise from the first included file that does;
//! - `[rules.NAME]` of included files are visible to the including file, which may redefine them.
//!
//! Every rule remembers the file it was written in ([`ColumnRule::source`]), so problems found
//! later (resolution, lint) point at the right file and line.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::dump::ident::QualifiedName;
use crate::error::PolicyProblem;

use super::file::{ColumnRule, Defaults, PolicyFile, TableRules};

/// The files being read, outermost first (canonical paths), for cycle detection.
#[derive(Debug, Default)]
pub(super) struct Stack(Vec<PathBuf>);

/// Reads the files `path` includes (`(relative path, line of the entry)`), each parsed with its
/// own includes. Problems (unreadable files, cycles, problems inside included files) are pushed
/// to `problems`; files that failed are left out.
pub(super) fn load_all(
    path: &Path,
    includes: &[(String, usize)],
    stack: &mut Stack,
    problems: &mut Vec<PolicyProblem>,
) -> Vec<PolicyFile> {
    if includes.is_empty() {
        return Vec::new();
    }
    let me = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
    stack.0.push(me);
    let base = path.parent().unwrap_or(Path::new("."));
    let mut out = Vec::new();
    for (relative, line) in includes {
        let problem = |message: String| PolicyProblem {
            file: path.to_owned(),
            line: *line,
            message,
        };
        let target = base.join(relative);
        let canonical = match std::fs::canonicalize(&target) {
            Ok(c) => c,
            Err(e) => {
                problems.push(problem(format!(
                    "include {relative:?}: cannot read {}: {e}",
                    target.display()
                )));
                continue;
            }
        };
        if let Some(at) = stack.0.iter().position(|p| *p == canonical) {
            let chain: Vec<String> = stack.0[at..]
                .iter()
                .chain(std::iter::once(&canonical))
                .map(|p| display_name(p))
                .collect();
            problems.push(problem(format!(
                "include cycle: {} (a policy cannot include itself, directly or not)",
                chain.join(" → ")
            )));
            continue;
        }
        let text = match std::fs::read_to_string(&target) {
            Ok(t) => t,
            Err(e) => {
                problems.push(problem(format!("include {relative:?}: {e}")));
                continue;
            }
        };
        match super::file::parse_in(&target, &text, stack) {
            Ok(p) => out.push(p),
            Err(ps) => problems.extend(ps),
        }
    }
    stack.0.pop();
    out
}

fn display_name(p: &Path) -> String {
    p.file_name().map_or_else(
        || p.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// Merges included files into `policy` (see the module docs for the rules).
pub(super) fn merge(
    policy: &mut PolicyFile,
    included: Vec<PolicyFile>,
    problems: &mut Vec<PolicyProblem>,
) {
    let own_rules = |tables: &[TableRules]| -> HashMap<(QualifiedName, String), ()> {
        tables
            .iter()
            .flat_map(|t| {
                t.columns
                    .iter()
                    .map(|c| ((t.name.clone(), c.column.clone()), ()))
            })
            .collect()
    };
    let own_tables = own_rules(&policy.tables);
    let own_patterns = own_rules(&policy.patterns);
    // Where an included file first ruled each column, to report conflicts between includes.
    let mut taken: HashMap<(bool, QualifiedName, String), (PathBuf, usize)> = HashMap::new();
    for inc in included {
        policy.includes.push(inc.path.clone());
        policy.includes.extend(inc.includes.iter().cloned());
        if policy.defaults == Defaults::default() {
            policy.defaults = inc.defaults.clone();
        }
        if policy.large_objects.is_none() {
            policy.large_objects = inc.large_objects.clone();
        }
        if policy.risk.is_none() {
            policy.risk = inc.risk.clone();
        }
        let inc_path = inc.path.clone();
        for (is_pattern, sections) in [(false, inc.tables), (true, inc.patterns)] {
            for mut t in sections {
                let file = t.source.clone().unwrap_or_else(|| inc_path.clone());
                let own = if is_pattern {
                    &own_patterns
                } else {
                    &own_tables
                };
                let mut kept: Vec<ColumnRule> = Vec::new();
                for mut c in std::mem::take(&mut t.columns) {
                    let key = (t.name.clone(), c.column.clone());
                    if own.contains_key(&key) {
                        continue;
                    }
                    let rule_file = c.source.clone().unwrap_or_else(|| file.clone());
                    match taken.get(&(is_pattern, key.0.clone(), key.1.clone())) {
                        Some((first_file, first_line)) => problems.push(PolicyProblem {
                            file: rule_file,
                            line: c.line,
                            message: format!(
                                "{}.{} is also ruled by {}:{}; two included files may not rule the same column (put the rule in the including file)",
                                t.name,
                                c.column,
                                first_file.display(),
                                first_line
                            ),
                        }),
                        None => {
                            taken.insert(
                                (is_pattern, key.0, key.1),
                                (rule_file.clone(), c.line),
                            );
                            c.source = Some(rule_file);
                            kept.push(c);
                        }
                    }
                }
                t.columns = kept;
                t.source = Some(file);
                if is_pattern {
                    policy.patterns.push(t);
                } else {
                    policy.tables.push(t);
                }
            }
        }
    }
}
