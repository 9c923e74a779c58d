//! Resolution: binding a policy file to a dump's schema.
//!
//! Every column that carries data must end up with exactly one bound rule: its own, or — for a
//! partition or inheritance child — the rule its parent table gives the same column. Anything
//! else is a problem, and all problems are reported together with their lines. The result,
//! [`ResolvedPolicy`], is the only way the pipeline learns what to do with a column.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use crate::dump::ident::{quote_ident, QualifiedName};
use crate::dump::schema::{Column, Schema, Table};
use crate::error::PolicyProblem;
use crate::key::MasterKey;
use crate::transform::{Bound, ColumnContext, Rule, Transform};

use super::file::{ColumnRule, Flags, LargeObjects, PolicyFile};

/// Where a column's rule came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The table's own section.
    Own,
    /// A parent table's rule for the same column (partition root or inheritance parent).
    Parent(QualifiedName),
}

/// What happens to one column.
#[derive(Debug, Clone)]
pub struct ColumnPlan {
    /// The column's exact name.
    pub name: String,
    /// The rule as written.
    pub rule: Rule,
    /// The bound transform; `None` for `keep` (cells are copied as bytes).
    pub transform: Option<Arc<dyn Transform>>,
    /// Risk flags.
    pub flags: Flags,
    /// Where the rule came from.
    pub origin: Origin,
    /// Line of the rule in the policy file.
    pub line: usize,
    /// Whether this column is (part of) the partition key of an ancestor partitioned table.
    pub partition_key: bool,
}

/// What happens to one table's rows.
#[derive(Debug, Clone)]
pub struct TablePlan {
    /// The table.
    pub name: QualifiedName,
    /// One plan per data-carrying column, in the table's column order.
    pub columns: Vec<ColumnPlan>,
    /// Whether this table is a partition (its rows would be routed by the partition key).
    pub is_partition: bool,
}

impl TablePlan {
    /// The plan of a column.
    pub fn column(&self, name: &str) -> Option<&ColumnPlan> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// Whether any column's values change.
    pub fn changes_anything(&self) -> bool {
        self.columns.iter().any(|c| c.transform.is_some())
    }
}

/// A policy bound to a schema: every data-carrying column has a plan.
#[derive(Debug)]
pub struct ResolvedPolicy {
    tables: HashMap<QualifiedName, TablePlan>,
    /// Problems for partitioned roots whose own rules are incomplete; reported only if data is
    /// loaded through the root (`--load-via-partition-root`).
    deferred: HashMap<QualifiedName, Vec<PolicyProblem>>,
    large_objects: Option<LargeObjects>,
    policy_path: PathBuf,
}

/// Resolves a policy against a schema, reporting every problem at once.
pub fn resolve(policy: &PolicyFile, schema: &Schema, key: &MasterKey) -> Result<ResolvedPolicy, Vec<PolicyProblem>> {
    let mut problems = Vec::new();
    let rules = RuleIndex::new(policy);
    let mut resolved = ResolvedPolicy {
        tables: HashMap::new(),
        deferred: HashMap::new(),
        large_objects: policy.large_objects.clone(),
        policy_path: policy.path.clone(),
    };
    for table in schema.tables() {
        let mut table_problems = Vec::new();
        let plan = plan_table(policy, &rules, schema, table, key, &mut table_problems);
        if table.partition_key.is_some() {
            // A partitioned root holds no rows of its own; its rules only matter when data is
            // loaded through it, so its gaps are held back until then.
            if table_problems.is_empty() {
                resolved.tables.insert(table.name.clone(), plan);
            } else {
                resolved.deferred.insert(table.name.clone(), table_problems);
            }
        } else {
            problems.extend(table_problems);
            resolved.tables.insert(table.name.clone(), plan);
        }
    }
    if !schema.is_empty() {
        problems.extend(unknown_targets(policy, schema));
    }
    if problems.is_empty() {
        Ok(resolved)
    } else {
        problems.sort_by_key(|p| p.line);
        Err(problems)
    }
}

impl ResolvedPolicy {
    /// The plan for a table, if it has one.
    pub fn table(&self, name: &QualifiedName) -> Option<&TablePlan> {
        self.tables.get(name)
    }

    /// Problems held back for a partitioned root, to report when data is loaded through it.
    pub fn deferred_problems(&self, name: &QualifiedName) -> Option<&[PolicyProblem]> {
        self.deferred.get(name).map(Vec::as_slice)
    }

    /// What becomes of large objects, if the policy says.
    pub fn large_objects(&self) -> Option<&LargeObjects> {
        self.large_objects.as_ref()
    }

    /// The policy file's path, for messages.
    pub fn policy_path(&self) -> &std::path::Path {
        &self.policy_path
    }

    /// All table plans.
    pub fn tables(&self) -> impl Iterator<Item = &TablePlan> {
        self.tables.values()
    }

    /// Adds a table met only after resolution: one the DDL declared late, or — in a data-only
    /// dump — one known only from a data statement's column list.
    pub fn add_table(
        &mut self,
        policy: &PolicyFile,
        schema: &mut Schema,
        name: &QualifiedName,
        columns: &[String],
        key: &MasterKey,
    ) -> Result<&TablePlan, Vec<PolicyProblem>> {
        if schema.table(name).is_none() {
            let _ = schema.insert(Table::from_column_list(name.clone(), columns.to_vec(), 0));
        }
        let table = schema.table(name).expect("inserted above");
        let rules = RuleIndex::new(policy);
        let mut problems = Vec::new();
        let plan = plan_table(policy, &rules, schema, table, key, &mut problems);
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(self.tables.entry(name.clone()).or_insert(plan))
    }
}

/// Rules for tables or columns that a data-only dump never showed, for the end of a run.
pub fn unseen_targets(policy: &PolicyFile, seen: &HashSet<QualifiedName>, schema: &Schema) -> Vec<PolicyProblem> {
    let mut problems = Vec::new();
    for t in &policy.tables {
        if !seen.contains(&t.name) && schema.table(&t.name).is_none() {
            problems.push(problem(
                policy,
                t.line,
                format!("rules for table {}, which the dump does not contain", t.name),
            ));
        }
    }
    problems
}

fn problem(policy: &PolicyFile, line: usize, message: String) -> PolicyProblem {
    PolicyProblem {
        file: policy.path.clone(),
        line,
        message,
    }
}

/// The policy's rules by table and column.
struct RuleIndex<'p> {
    tables: HashMap<&'p QualifiedName, (usize, HashMap<&'p str, &'p ColumnRule>)>,
}

impl<'p> RuleIndex<'p> {
    fn new(policy: &'p PolicyFile) -> Self {
        let mut tables: HashMap<&QualifiedName, (usize, HashMap<&str, &ColumnRule>)> = HashMap::new();
        for t in &policy.tables {
            let entry = tables.entry(&t.name).or_insert_with(|| (t.line, HashMap::new()));
            for c in &t.columns {
                entry.1.insert(c.column.as_str(), c);
            }
        }
        RuleIndex { tables }
    }

    fn rule(&self, table: &QualifiedName, column: &str) -> Option<&'p ColumnRule> {
        self.tables.get(table).and_then(|(_, cols)| cols.get(column).copied())
    }

    fn line(&self, table: &QualifiedName) -> usize {
        self.tables.get(table).map_or(0, |(line, _)| *line)
    }
}

/// Finds a column's rule: the table's own, else the nearest ancestor's (partition parent first,
/// then inheritance parents in declaration order).
fn find_rule<'p>(
    rules: &RuleIndex<'p>,
    schema: &Schema,
    table: &Table,
    column: &str,
) -> Option<(&'p ColumnRule, Origin)> {
    if let Some(r) = rules.rule(&table.name, column) {
        return Some((r, Origin::Own));
    }
    let mut queue: Vec<QualifiedName> = table.partition_parent.iter().chain(table.inherits.iter()).cloned().collect();
    let mut seen = HashSet::new();
    while !queue.is_empty() {
        let parent = queue.remove(0);
        if !seen.insert(parent.clone()) {
            continue;
        }
        if let Some(r) = rules.rule(&parent, column) {
            return Some((r, Origin::Parent(parent)));
        }
        if let Some(p) = schema.table(&parent) {
            queue.extend(p.partition_parent.iter().chain(p.inherits.iter()).cloned());
        }
    }
    None
}

/// Whether `column` is in the partition key of any partitioned ancestor of `table`.
fn is_partition_key(schema: &Schema, table: &Table, column: &str) -> bool {
    let mut current = table.partition_parent.clone();
    let mut hops = 0;
    while let Some(parent) = current {
        let Some(p) = schema.table(&parent) else { return false };
        // An expression key (`None`) may depend on any column, so it counts for all of them.
        if p
            .partition_key
            .as_ref()
            .is_some_and(|k| k.columns.iter().any(|c| c.as_deref().is_none_or(|c| c == column)))
        {
            return true;
        }
        current = p.partition_parent.clone();
        hops += 1;
        if hops > 64 {
            return false;
        }
    }
    false
}

fn plan_table(
    policy: &PolicyFile,
    rules: &RuleIndex<'_>,
    schema: &Schema,
    table: &Table,
    key: &MasterKey,
    problems: &mut Vec<PolicyProblem>,
) -> TablePlan {
    let mut columns = Vec::new();
    for column in &table.columns {
        let found = find_rule(rules, schema, table, &column.name);
        if column.generated {
            if let Some((r, Origin::Own)) = &found {
                if r.rule.changes_values() {
                    problems.push(problem(
                        policy,
                        r.line,
                        format!(
                            "{}.{} is a generated column: it carries no data, so only `keep` makes sense",
                            table.name,
                            quote_ident(&column.name)
                        ),
                    ));
                }
            }
            continue;
        }
        let Some((rule, origin)) = found else {
            problems.push(problem(
                policy,
                rules.line(&table.name),
                format!(
                    "{}.{} has no rule; every column that carries data needs one (fail closed)",
                    table.name,
                    quote_ident(&column.name)
                ),
            ));
            continue;
        };
        if let Some(plan) = bind_column(policy, table, column, rule, origin, key, problems) {
            let mut plan = plan;
            plan.partition_key = is_partition_key(schema, table, &column.name);
            columns.push(plan);
        }
    }
    TablePlan {
        name: table.name.clone(),
        columns,
        is_partition: table.partition_parent.is_some(),
    }
}

fn bind_column(
    policy: &PolicyFile,
    table: &Table,
    column: &Column,
    rule: &ColumnRule,
    origin: Origin,
    key: &MasterKey,
    problems: &mut Vec<PolicyProblem>,
) -> Option<ColumnPlan> {
    let qualified = format!("{}.{}", table.name, quote_ident(&column.name));
    let ctx = ColumnContext {
        qualified: &qualified,
        ty: column.ty.as_ref(),
        not_null: column.not_null,
        key,
    };
    let before = problems.len();
    let bound = match rule.rule.bind(&ctx) {
        Ok(b) => Some(b),
        Err(message) => {
            problems.push(problem(policy, rule.line, format!("{qualified}: {message}")));
            None
        }
    };
    for constraint in key_constraints_on(table, &column.name) {
        if !rule.rule.is_injective(&ctx) {
            problems.push(problem(
                policy,
                rule.line,
                format!(
                    "{qualified}: `{}` can map different values to the same output, but the column is under {}; use an injective transform",
                    rule.rule.name(),
                    constraint
                ),
            ));
        }
    }
    if problems.len() > before {
        return None;
    }
    let transform = match bound? {
        Bound::Keep => None,
        Bound::Apply(t) => Some(Arc::from(t)),
    };
    Some(ColumnPlan {
        name: column.name.clone(),
        rule: rule.rule.clone(),
        transform,
        flags: rule.flags,
        origin,
        line: rule.line,
        partition_key: false,
    })
}

/// The PRIMARY KEY and UNIQUE constraints covering a column, described for messages.
fn key_constraints_on(table: &Table, column: &str) -> Vec<String> {
    let describe = |kind: &str, name: &Option<String>| match name {
        Some(n) => format!("{kind} constraint {}", quote_ident(n)),
        None => format!("a {kind} constraint"),
    };
    let mut out = Vec::new();
    if let Some(pk) = &table.primary_key {
        if pk.columns.iter().any(|c| c == column) {
            out.push(describe("PRIMARY KEY", &pk.name));
        }
    }
    for u in &table.unique {
        if u.columns.iter().any(|c| c == column) {
            out.push(describe("UNIQUE", &u.name));
        }
    }
    out
}

/// Rules naming tables or columns the schema does not have.
fn unknown_targets(policy: &PolicyFile, schema: &Schema) -> Vec<PolicyProblem> {
    let mut problems = Vec::new();
    for t in &policy.tables {
        match schema.table(&t.name) {
            None => problems.push(problem(
                policy,
                t.line,
                format!("rules for table {}, which the dump does not contain", t.name),
            )),
            Some(table) => {
                for c in &t.columns {
                    if table.column(&c.column).is_none() {
                        problems.push(problem(
                            policy,
                            c.line,
                            format!(
                                "rule for column {}.{}, which the table does not have",
                                t.name,
                                quote_ident(&c.column)
                            ),
                        ));
                    }
                }
            }
        }
    }
    problems
}
