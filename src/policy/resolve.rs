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

use super::file::{ColumnRule, Condition, Flags, LargeObjects, OnError, PolicyFile, TableRules};

/// Where a column's rule came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The table's own section.
    Own,
    /// A parent table's rule for the same column (partition root or inheritance parent).
    Parent(QualifiedName),
    /// The rule of the primary/unique key column this foreign key references.
    ForeignKey(QualifiedName, String),
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
    /// Apply only to rows where this holds (tested on the original row).
    pub when: Option<Condition>,
    /// The column whose value the transform receives as its entity (`per`).
    pub entity: Option<String>,
    /// What a value the transform cannot handle becomes.
    pub on_error: ErrorPlan,
    /// Where a sequence owned by this column is set after the data (`integer_id`'s range).
    pub sequence_floor: Option<u64>,
}

/// What a value the transform cannot handle becomes.
#[derive(Debug, Clone)]
pub enum ErrorPlan {
    /// The run stops with an error naming row and column.
    Fail,
    /// NULL.
    Null,
    /// The type's `redact` constant, bound as a transform.
    Replace(Arc<dyn Transform>),
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
pub fn resolve(
    policy: &PolicyFile,
    schema: &Schema,
    key: &MasterKey,
) -> Result<ResolvedPolicy, Vec<PolicyProblem>> {
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

impl ResolvedPolicy {
    /// Re-checks a table whose keys changed after resolution (constraints that a single pass
    /// over stdin meets only after the data). Returns the problems, if any.
    pub fn recheck_table(
        &self,
        policy: &PolicyFile,
        schema: &Schema,
        name: &QualifiedName,
        key: &MasterKey,
    ) -> Vec<PolicyProblem> {
        let Some(table) = schema.table(name) else {
            return Vec::new();
        };
        if !self.tables.contains_key(name) {
            return Vec::new();
        }
        let mut problems = Vec::new();
        plan_table(
            policy,
            &RuleIndex::new(policy),
            schema,
            table,
            key,
            &mut problems,
        );
        problems
    }
}

/// Rules for tables or columns that a data-only dump never showed, for the end of a run.
pub fn unseen_targets(
    policy: &PolicyFile,
    seen: &HashSet<QualifiedName>,
    schema: &Schema,
) -> Vec<PolicyProblem> {
    let mut problems = Vec::new();
    for t in &policy.tables {
        if !seen.contains(&t.name) && schema.table(&t.name).is_none() {
            problems.push(table_problem(
                policy,
                t,
                format!(
                    "rules for table {}, which the dump does not contain",
                    t.name
                ),
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

/// A problem with a table section, in the file it was written in.
fn table_problem(policy: &PolicyFile, t: &TableRules, message: String) -> PolicyProblem {
    PolicyProblem {
        file: t.source.clone().unwrap_or_else(|| policy.path.clone()),
        line: t.line,
        message,
    }
}

/// A problem with a rule, in the file the rule was written in (it may be an included one).
fn rule_problem(policy: &PolicyFile, rule: &ColumnRule, message: String) -> PolicyProblem {
    PolicyProblem {
        file: rule.file(policy).to_owned(),
        line: rule.line,
        message,
    }
}

/// The policy's rules by table and column, plus its table patterns.
struct RuleIndex<'p> {
    tables: HashMap<&'p QualifiedName, (usize, HashMap<&'p str, &'p ColumnRule>)>,
    /// Pattern sections, most specific first (ties: file order).
    patterns: Vec<&'p TableRules>,
}

impl<'p> RuleIndex<'p> {
    fn new(policy: &'p PolicyFile) -> Self {
        let mut tables: HashMap<&QualifiedName, (usize, HashMap<&str, &ColumnRule>)> =
            HashMap::new();
        for t in &policy.tables {
            let entry = tables
                .entry(&t.name)
                .or_insert_with(|| (t.line, HashMap::new()));
            for c in &t.columns {
                entry.1.insert(c.column.as_str(), c);
            }
        }
        let mut patterns: Vec<&TableRules> = policy.patterns.iter().collect();
        // Stable sort: equal specificity keeps file order.
        patterns.sort_by_key(|p| std::cmp::Reverse(p.specificity()));
        RuleIndex { tables, patterns }
    }

    /// The table's exact rule for the column, else the most specific matching pattern's.
    fn rule(&self, table: &QualifiedName, column: &str) -> Option<&'p ColumnRule> {
        self.tables
            .get(table)
            .and_then(|(_, cols)| cols.get(column).copied())
            .or_else(|| {
                self.patterns
                    .iter()
                    .filter(|p| p.matches(table))
                    .find_map(|p| p.columns.iter().find(|c| c.column == column))
            })
    }

    fn line(&self, table: &QualifiedName) -> usize {
        self.tables.get(table).map_or_else(
            || {
                self.patterns
                    .iter()
                    .find(|p| p.matches(table))
                    .map_or(0, |p| p.line)
            },
            |(line, _)| *line,
        )
    }
}

/// The rule that applies to a column and where it came from (own section, pattern or parent),
/// as resolution would pick it; for reviews (`policy explain`).
pub fn rule_for<'p>(
    policy: &'p PolicyFile,
    schema: &Schema,
    table: &Table,
    column: &str,
) -> Option<(&'p ColumnRule, Origin)> {
    find_rule(&RuleIndex::new(policy), schema, table, column)
}

/// Finds a column's rule: the table's own, else the nearest ancestor's (partition parent first,
/// then inheritance parents in declaration order).
fn find_rule<'p>(
    rules: &RuleIndex<'p>,
    schema: &Schema,
    table: &Table,
    column: &str,
) -> Option<(&'p ColumnRule, Origin)> {
    find_rule_depth(rules, schema, table, column, 0)
}

fn find_rule_depth<'p>(
    rules: &RuleIndex<'p>,
    schema: &Schema,
    table: &Table,
    column: &str,
    depth: usize,
) -> Option<(&'p ColumnRule, Origin)> {
    if depth > 16 {
        return None;
    }
    if let Some(r) = rules.rule(&table.name, column) {
        return Some((r, Origin::Own));
    }
    let mut queue: Vec<QualifiedName> = table
        .partition_parent
        .iter()
        .chain(table.inherits.iter())
        .cloned()
        .collect();
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
    // A foreign key takes the rule of the column it references, so ids stay consistent.
    let (target, target_column) = references(schema, table, column)?;
    let target_table = schema.table(&target)?;
    let (rule, _) = find_rule_depth(rules, schema, target_table, &target_column, depth + 1)?;
    Some((rule, Origin::ForeignKey(target, target_column)))
}

/// The table and column a single-column foreign key on `column` references.
fn references(schema: &Schema, table: &Table, column: &str) -> Option<(QualifiedName, String)> {
    let fk = table
        .foreign_keys
        .iter()
        .find(|fk| fk.columns.len() == 1 && fk.columns[0] == column)?;
    let target = schema.table(&fk.references)?;
    let referenced = match fk.referenced_columns.first() {
        Some(c) => c.clone(),
        // `REFERENCES t` without columns means t's primary key.
        None => target.primary_key.as_ref()?.columns.first()?.clone(),
    };
    Some((fk.references.clone(), referenced))
}

/// The default key domain of a column: that of the root column its values come from.
fn default_domain(schema: &Schema, table: &Table, column: &str, depth: usize) -> String {
    if depth < 16 {
        for parent in table.partition_parent.iter().chain(table.inherits.iter()) {
            if let Some(p) = schema.table(parent) {
                if p.column(column).is_some() {
                    return default_domain(schema, p, column, depth + 1);
                }
            }
        }
        if let Some((target, target_column)) = references(schema, table, column) {
            if let Some(t) = schema.table(&target) {
                return default_domain(schema, t, &target_column, depth + 1);
            }
        }
    }
    format!("{}.{}", table.name, quote_ident(column))
}

/// Whether the schema knows any key constraint yet (it does not while a single pass over stdin
/// is still before pg_dump's post-data section).
fn schema_has_keys(schema: &Schema) -> bool {
    schema
        .tables()
        .any(|t| t.primary_key.is_some() || !t.unique.is_empty() || !t.foreign_keys.is_empty())
}

/// Whether `column` is in the partition key of any partitioned ancestor of `table`.
fn is_partition_key(schema: &Schema, table: &Table, column: &str) -> bool {
    let mut current = table.partition_parent.clone();
    let mut hops = 0;
    while let Some(parent) = current {
        let Some(p) = schema.table(&parent) else {
            return false;
        };
        // An expression key (`None`) may depend on any column, so it counts for all of them.
        if p.partition_key.as_ref().is_some_and(|k| {
            k.columns
                .iter()
                .any(|c| c.as_deref().is_none_or(|c| c == column))
        }) {
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
                    problems.push(rule_problem(policy, r,
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
                    "{}.{} has no rule; every column that carries data needs one (fail closed){}",
                    table.name,
                    quote_ident(&column.name),
                    if table.foreign_keys.is_empty() && !schema_has_keys(schema) {
                        " — if it is a foreign key, note that pg_dump declares keys after the data: read a file (not stdin) or pass --schema-from so the key's rule can apply"
                    } else {
                        ""
                    }
                ),
            ));
            continue;
        };
        let domain = default_domain(schema, table, &column.name, 0);
        if let Some(plan) = bind_column(policy, table, column, rule, origin, &domain, key, problems)
        {
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

#[allow(clippy::too_many_arguments)]
fn bind_column(
    policy: &PolicyFile,
    table: &Table,
    column: &Column,
    rule: &ColumnRule,
    origin: Origin,
    default_domain: &str,
    key: &MasterKey,
    problems: &mut Vec<PolicyProblem>,
) -> Option<ColumnPlan> {
    let qualified = format!("{}.{}", table.name, quote_ident(&column.name));
    let ctx = ColumnContext {
        qualified: &qualified,
        default_domain,
        ty: column.ty.as_ref(),
        not_null: column.not_null,
        key,
    };
    let before = problems.len();
    let bound = match rule.rule.bind(&ctx) {
        Ok(b) => Some(b),
        Err(message) => {
            problems.push(rule_problem(
                policy,
                rule,
                format!("{qualified}: {message}"),
            ));
            None
        }
    };
    for constraint in key_constraints_on(table, &column.name) {
        if !rule.rule.is_injective(&ctx) {
            problems.push(rule_problem(policy, rule,
                format!(
                    "{qualified}: `{}` can map different values to the same output, but the column is under {}; use an injective transform",
                    rule.rule.name(),
                    constraint
                ),
            ));
        }
    }
    for (what, other) in [
        (
            "`when` tests",
            rule.when.as_ref().map(|w| w.column.as_str()),
        ),
        ("`per` names", rule.rule.entity_column()),
    ] {
        if let Some(other) = other {
            if table.column(other).is_none() {
                problems.push(rule_problem(
                    policy,
                    rule,
                    format!(
                        "{qualified}: {what} column {}, which the table does not have",
                        quote_ident(other)
                    ),
                ));
            }
        }
    }
    let on_error = match rule
        .on_error
        .or(policy.defaults.on_error)
        .unwrap_or_default()
    {
        OnError::Fail => ErrorPlan::Fail,
        OnError::Null if column.not_null => {
            problems.push(rule_problem(policy, rule,
                format!("{qualified}: `on_error = \"null\"` on a NOT NULL column: the restore would fail"),
            ));
            ErrorPlan::Fail
        }
        OnError::Null => ErrorPlan::Null,
        OnError::Redact => match crate::transform::redact::Redact::default().bind(&ctx) {
            Ok(Bound::Apply(t)) => ErrorPlan::Replace(Arc::from(t)),
            Ok(Bound::Keep) => ErrorPlan::Fail,
            Err(message) => {
                problems.push(rule_problem(
                    policy,
                    rule,
                    format!("{qualified}: `on_error = \"redact\"`: {message}"),
                ));
                ErrorPlan::Fail
            }
        },
    };
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
        when: rule.when.clone(),
        entity: rule.rule.entity_column().map(str::to_owned),
        on_error,
        sequence_floor: rule.rule.sequence_floor(&ctx),
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
            None => problems.push(table_problem(
                policy,
                t,
                format!(
                    "rules for table {}, which the dump does not contain",
                    t.name
                ),
            )),
            Some(table) => {
                for c in &t.columns {
                    if table.column(&c.column).is_none() {
                        problems.push(rule_problem(
                            policy,
                            c,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dump::ddl::apply_statement;
    use std::path::Path;

    const KEY: [u8; 32] = [7; 32];

    fn schema(ddl: &[&str]) -> Schema {
        let mut s = Schema::new();
        for (i, stmt) in ddl.iter().enumerate() {
            apply_statement(&mut s, stmt, i as u64 + 1).unwrap();
        }
        s
    }

    /// Resolves `policy` against `ddl` and returns the problems' messages (empty when it resolves).
    fn check(ddl: &[&str], policy: &str) -> Vec<String> {
        let p = crate::policy::file::parse(Path::new("p.toml"), policy).unwrap();
        match resolve(&p, &schema(ddl), &MasterKey::from_bytes(KEY)) {
            Ok(_) => vec![],
            Err(ps) => ps.iter().map(|p| p.to_string()).collect(),
        }
    }

    const PEOPLE: &str = "CREATE TABLE public.people (id integer NOT NULL, email text NOT NULL, note character varying(10));";
    const PEOPLE_PK: &str =
        "ALTER TABLE ONLY public.people ADD CONSTRAINT people_pkey PRIMARY KEY (id);";
    const PEOPLE_UQ: &str =
        "ALTER TABLE ONLY public.people ADD CONSTRAINT people_note_key UNIQUE (note);";

    #[test]
    fn every_problem_is_reported_with_its_line() {
        let policy = r#"version = 1
[tables."public.people".columns]
id    = { transform = "null" }
email = { transform = "keep", reason = "TODO: review" }
note  = { transform = "hash" }
ghost = { transform = "redact" }

[tables."public.nowhere".columns]
x = { transform = "null" }
"#;
        assert_eq!(
            check(&[PEOPLE, PEOPLE_PK, PEOPLE_UQ], policy),
            vec![
                "p.toml:3: public.people.id: `null` on a NOT NULL column: the restore would fail; use `redact` or another transform",
                "p.toml:3: public.people.id: `null` can map different values to the same output, but the column is under PRIMARY KEY constraint people_pkey; use an injective transform",
                "p.toml:4: public.people.email: `keep` has a reason starting with TODO: review the column and write the real reason",
                "p.toml:5: public.people.note: `hash` can map different values to the same output, but the column is under UNIQUE constraint people_note_key; use an injective transform",
                "p.toml:6: rule for column public.people.ghost, which the table does not have",
                "p.toml:8: rules for table public.nowhere, which the dump does not contain",
            ]
        );
    }

    #[test]
    fn a_missing_rule_is_refused_and_children_inherit_their_parents_rules() {
        let policy = r#"version = 1
[tables."public.people".columns]
id    = { transform = "keep", reason = "surrogate key" }
email = { transform = "hash" }
"#;
        assert_eq!(
            check(&[PEOPLE], policy),
            vec![
                "p.toml:2: public.people.note has no rule; every column that carries data needs one (fail closed) — if it is a foreign key, note that pg_dump declares keys after the data: read a file (not stdin) or pass --schema-from so the key's rule can apply"
            ]
        );
        let child = "CREATE TABLE public.vip (level integer) INHERITS (public.people);";
        let policy = format!(
            "{policy}note = {{ transform = \"null\" }}\n[tables.\"public.vip\".columns]\nlevel = {{ transform = \"keep\", reason = \"tier\" }}\n"
        );
        assert_eq!(check(&[PEOPLE, child], &policy), Vec::<String>::new());
    }

    #[test]
    fn redact_needs_a_type_it_knows() {
        let ddl = "CREATE TABLE public.t (m public.mood);";
        let policy = "version = 1\n[tables.\"public.t\".columns]\nm = { transform = \"redact\" }\n";
        let got = check(&[ddl], policy);
        assert!(got[0].contains("give one with `value"), "{got:?}");
        let policy = "version = 1\n[tables.\"public.t\".columns]\nm = { transform = \"redact\", value = \"happy\" }\n";
        assert_eq!(check(&[ddl], policy), Vec::<String>::new());
    }

    #[test]
    fn foreign_keys_take_the_referenced_rule_and_its_domain() {
        let ddl = [
            "CREATE TABLE public.accounts (email text NOT NULL, name text);",
            "CREATE TABLE public.logins (account_email text, at text);",
            "CREATE TABLE public.audits (owner text);",
            "ALTER TABLE ONLY public.accounts ADD CONSTRAINT accounts_pkey PRIMARY KEY (email);",
            "ALTER TABLE ONLY public.logins ADD CONSTRAINT logins_fk FOREIGN KEY (account_email) REFERENCES public.accounts(email);",
            "ALTER TABLE ONLY public.audits ADD CONSTRAINT audits_fk FOREIGN KEY (owner) REFERENCES public.accounts(email);",
        ];
        let policy = r#"version = 1
[tables."public.accounts".columns]
email = { transform = "hash" }
name  = { transform = "redact" }
[tables."public.logins".columns]
at = { transform = "keep", reason = "event time" }
[tables."public.audits".columns]
owner = { transform = "hash" }
"#;
        let p = crate::policy::file::parse(Path::new("p.toml"), policy).unwrap();
        let key = MasterKey::from_bytes(KEY);
        let r = resolve(&p, &schema(&ddl), &key).unwrap();
        let plan = |t: &str, c: &str| {
            r.table(&QualifiedName::parse(t).unwrap())
                .unwrap()
                .column(c)
                .unwrap()
                .clone()
        };
        let fk = plan("public.logins", "account_email");
        assert_eq!(
            fk.origin,
            Origin::ForeignKey(
                QualifiedName::parse("public.accounts").unwrap(),
                "email".into()
            )
        );
        let digest = |cp: &ColumnPlan| {
            let mut out = Vec::new();
            cp.transform
                .as_ref()
                .unwrap()
                .apply(b"a@example.com", &Default::default(), &mut out)
                .unwrap();
            out
        };
        let pk = digest(&plan("public.accounts", "email"));
        // Propagated, and an FK column's own keyed rule without a domain: both join with the key.
        assert_eq!(digest(&fk), pk);
        assert_eq!(digest(&plan("public.audits", "owner")), pk);
    }
}
