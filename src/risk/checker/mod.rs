//! The re-identification risk checker: fed every row by the pipeline, it decides whether the
//! output may be committed and explains why in a [`Report`].
//!
//! The pipeline drives it in one pass:
//! 1. [`Checker::needs`] for each data statement says which columns to decode (originals and/or
//!    outputs), so the pipeline decodes nothing the checker does not read;
//! 2. [`Checker::accumulator`] makes a `Send` [`Accumulator`] per rayon slice of rows, fed with
//!    [`Accumulator::row`];
//! 3. [`Checker::merge`] folds accumulators back in input order;
//! 4. [`Checker::passthrough`] scans verbatim statements and large objects;
//! 5. [`Checker::finish`] computes every metric and the verdict ([`Report::verdict`]).
//!
//! What is checked (the formulas are `RISK-MODELS.md`): coverage of every column; PII detectors
//! on kept content and on outputs that may still hold text (a sample of `--sample` values per
//! column); leaks of replaced originals into any text output (keyed fingerprints,
//! [`fingerprint`]); the share of values a changing rule left unchanged; nearest-original
//! linkage of perturbed numbers and dates ([`linkage`]); and equivalence classes, diversity and
//! SUDA on the declared quasi-identifiers ([`qi`]). Rules are classified by name ([`role`]),
//! because several transforms are being written alongside the checker.
//!
//! Architecture Invariant: no raw value leaves an accumulator. Values become fingerprints,
//! numbers, counts and masked examples as soon as they are seen.

pub mod fingerprint;
mod finish;
mod json_strings;
mod keyed_hash;
mod leak_table;
pub mod linkage;
mod pii;
pub mod qi;
pub mod role;
pub mod sample;
mod second_read;
pub mod values;
mod word_scan;

#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use crate::dump::ident::{quote_ident, QualifiedName};
use crate::error::PolicyProblem;
use crate::key::MasterKey;
use crate::policy::file::{Flags, PolicyFile};
use crate::policy::resolve::{ResolvedPolicy, TablePlan};
use crate::risk::config::RiskConfig;
use crate::risk::detect::name_suggests_pii;
use crate::risk::report::Report;

use fingerprint::Fingerprinter;
use pii::Tally;
use role::Role;

/// Values scanned by the detectors per column, and rows tested per linkage check, when the
/// caller gives no `--sample`.
pub const DEFAULT_SAMPLE: usize = 10_000;

/// Candidate fingerprints held back until their table's own originals are all known.
const MAX_DEFERRED: usize = 4_000_000;

/// Distinct candidate fingerprints kept from tables dumped before a source (8 bytes each, so
/// at most 128 MB); past it, such pairs fall back to a second read (or stay unchecked).
const MAX_EARLY: usize = 16_000_000;

/// Passthrough text is scanned in pieces of this size, so a huge large object costs linear time
/// and bounded memory.
const PASSTHROUGH_PIECE: usize = 1 << 20;

/// One column as the checker sees it: its rule's name and flags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnSpec {
    /// The column's exact name.
    pub name: String,
    /// The rule's transform name (`keep`, `hash`, `shift_date`, ...).
    pub rule: String,
    /// Whether the rule changes values.
    pub changes_values: bool,
    /// The keep reason, for kept columns.
    pub keep_reason: Option<String>,
    /// Risk flags.
    pub flags: Flags,
}

/// One table as the checker sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableSpec {
    /// The table.
    pub name: QualifiedName,
    /// Its planned columns, in table order.
    pub columns: Vec<ColumnSpec>,
    /// Column sets an attacker may know together (pairs are tested; larger sets pairwise).
    pub jointly_known: Vec<Vec<String>>,
}

impl TableSpec {
    /// The spec of a resolved table plan.
    pub fn from_plan(plan: &TablePlan, jointly_known: Vec<Vec<String>>) -> Self {
        TableSpec {
            name: plan.name.clone(),
            columns: plan
                .columns
                .iter()
                .map(|c| ColumnSpec {
                    name: c.name.clone(),
                    rule: c.rule.name().to_owned(),
                    changes_values: c.rule.changes_values(),
                    keep_reason: c.rule.keep_reason().map(str::to_owned),
                    flags: c.flags,
                })
                .collect(),
            jointly_known,
        }
    }

    fn index(&self, column: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == column)
    }

    /// The jointly known pairs, as column indexes, of which at least one column changes.
    fn joint_pairs(&self) -> Vec<(usize, usize)> {
        let mut pairs = Vec::new();
        for set in &self.jointly_known {
            let idx: Vec<usize> = set.iter().filter_map(|c| self.index(c)).collect();
            for (i, &a) in idx.iter().enumerate() {
                for &b in &idx[i + 1..] {
                    let changes = |c: usize| self.columns[c].changes_values;
                    if a != b && (changes(a) || changes(b)) && !pairs.contains(&(a, b)) {
                        pairs.push((a, b));
                    }
                }
            }
        }
        pairs
    }
}

/// `schema.table.column`, as reports name a column.
pub fn column_path(table: &QualifiedName, column: &str) -> String {
    format!("{table}.{}", quote_ident(column))
}

/// Which columns of a data statement the checker reads, per column index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Needs {
    /// The decoded original value is wanted.
    pub original: Vec<bool>,
    /// The decoded output value is wanted (for kept columns: the original bytes).
    pub output: Vec<bool>,
}

impl Needs {
    /// Whether nothing at all is wanted (the pipeline may skip the accumulator).
    pub fn is_empty(&self) -> bool {
        !self.original.iter().chain(&self.output).any(|&b| b)
    }
}

/// What the checker keeps about one column across the whole dump.
#[derive(Debug)]
struct ColumnState {
    role: Role,
    /// Scan outputs with the detectors and look for leaked originals in them.
    scans_text: bool,
    /// Fingerprint originals as leak sources ([`role::fingerprints_originals`]).
    fingerprints: bool,
    /// The name suggests a birth date (the DOB heuristic applies).
    dob: bool,
    pii: Tally,
    unchanged: u64,
    non_null: u64,
    linkage: Option<linkage::Single>,
    /// Where this column's originals were found: `schema.table.column` → rows.
    leaks: BTreeMap<String, u64>,
    /// Fingerprints contributed to the leak index.
    fingerprinted: u64,
}

#[derive(Debug)]
struct TableState {
    spec: TableSpec,
    rows: u64,
    columns: Vec<ColumnState>,
    qi: Option<qi::Qi>,
    joints: Vec<((usize, usize), linkage::Joint)>,
    /// Segment (run of consecutive merges) in which its data started, and in which it last
    /// ended; a table's leak candidates are complete when its segment ends.
    first_segment: Option<usize>,
    last_segment: Option<usize>,
    /// Some column produced leak candidates.
    checked_for_leaks: bool,
}

impl TableState {
    fn new(spec: TableSpec, sample: usize) -> Self {
        let columns = spec
            .columns
            .iter()
            .map(|c| {
                let role = Role::of(&c.rule, c.changes_values);
                ColumnState {
                    role,
                    scans_text: role::output_may_hold_text(&c.rule, role),
                    fingerprints: role::fingerprints_originals(&c.rule, role),
                    dob: name_suggests_pii(&c.name) == Some("date_of_birth"),
                    pii: Tally::default(),
                    unchanged: 0,
                    non_null: 0,
                    linkage: (role == Role::Perturbing).then(|| linkage::Single::new(sample)),
                    leaks: BTreeMap::new(),
                    fingerprinted: 0,
                }
            })
            .collect();
        let joints = spec
            .joint_pairs()
            .into_iter()
            .map(|p| (p, linkage::Joint::new(sample)))
            .collect();
        let has_qi = spec.columns.iter().any(|c| c.flags.quasi_identifier);
        TableState {
            spec,
            rows: 0,
            columns,
            qi: has_qi.then(qi::Qi::default),
            joints,
            first_segment: None,
            last_segment: None,
            checked_for_leaks: false,
        }
    }

    fn has_sources(&self) -> bool {
        self.columns.iter().any(|c| c.fingerprints)
    }
}

/// Fingerprints of replaced originals, and where they came from.
#[derive(Debug, Default)]
struct LeakIndex {
    /// Fingerprint → source id (the first source column that held the value).
    map: leak_table::LeakTable,
    /// Source id → (table, column index).
    sources: Vec<(QualifiedName, usize)>,
    /// Candidates of the current segment not yet matched, appended as they come (a hash map
    /// here cost a cache miss per candidate on the merging thread): compacted by
    /// [`Deferred::compact`] when full.
    deferred: Vec<Deferred>,
    /// The current segment's list is full (reset when the segment ends).
    deferred_full: bool,
    /// Some segment's list was full (for the report's warning).
    deferred_overflow: bool,
    /// Unmatched candidates of tables streamed while some source had not begun, per table.
    /// At the end they are looked up in the complete index: a (source, table) pair none of
    /// them matches is checked without reading the table again, which on the benchmark dump
    /// saved a second read that cost a third of the analysis. See `second_read.rs`.
    early: HashMap<QualifiedName, Early>,
    early_len: usize,
    early_overflow: bool,
}

impl LeakIndex {
    /// Bytes held by the early candidates.
    fn early_bytes(&self) -> usize {
        self.early
            .values()
            .map(|e| e.fingerprints.capacity() * 8 + 64)
            .sum()
    }

    /// Whose original a candidate of `table`'s column `column` is.
    fn lookup(&self, fingerprint: u64, table: &QualifiedName, column: usize) -> Lookup {
        match self.map.get(fingerprint) {
            Some(id) => {
                let (t, j) = &self.sources[id as usize];
                if t == table && *j == column {
                    Lookup::Own
                } else {
                    Lookup::Leak(id)
                }
            }
            None => Lookup::Unknown,
        }
    }

    /// Holds back a candidate of a table with originals of its own (see `deferred`); `false`
    /// when the list is full, and the candidate must be looked up now.
    fn defer(&mut self, fingerprint: u64, column: usize, rows: u32) -> bool {
        if self.deferred_full {
            return false;
        }
        self.deferred.push(Deferred {
            fingerprint,
            column: column as u32,
            rows,
        });
        if self.deferred.len() >= MAX_DEFERRED {
            Deferred::compact(&mut self.deferred);
            // Compaction must free a quarter, or the list would be sorted again and again.
            if self.deferred.len() > MAX_DEFERRED / 4 * 3 {
                self.deferred_full = true;
                self.deferred_overflow = true;
            }
        }
        true
    }
}

/// What [`LeakIndex::lookup`] found.
enum Lookup {
    /// An original of another column (source id): a leak.
    Leak(u32),
    /// An original of the candidate's own column: not a leak into another column (values a
    /// rule leaves as they were are what `unchanged_fraction` counts).
    Own,
    /// No original fingerprinted so far.
    Unknown,
}

/// A candidate held back until its table's own originals are all known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Deferred {
    fingerprint: u64,
    /// Column index in the table spec.
    column: u32,
    rows: u32,
}

impl Deferred {
    /// Sorts `list` and folds entries of the same column and fingerprint into one.
    fn compact(list: &mut Vec<Deferred>) {
        list.sort_unstable();
        let mut kept: usize = 0;
        for i in 0..list.len() {
            let d = list[i];
            match kept.checked_sub(1).map(|k| &mut list[k]) {
                Some(last) if last.fingerprint == d.fingerprint && last.column == d.column => {
                    last.rows = last.rows.saturating_add(d.rows);
                }
                _ => {
                    list[kept] = d;
                    kept += 1;
                }
            }
        }
        list.truncate(kept);
    }
}

/// One table's early candidates: sorted and deduplicated whenever they have doubled.
#[derive(Debug, Default)]
struct Early {
    fingerprints: Vec<u64>,
    compacted: usize,
}

impl Early {
    /// Adds a fingerprint; returns how many entries the set grew by (after compaction).
    fn push(&mut self, f: u64) -> isize {
        self.fingerprints.push(f);
        if self.fingerprints.len() < 2 * self.compacted.max(4096) {
            return 1;
        }
        let before = self.fingerprints.len() as isize;
        self.fingerprints.sort_unstable();
        self.fingerprints.dedup();
        self.compacted = self.fingerprints.len();
        1 - (before - self.compacted as isize)
    }
}

/// The risk checker. See the module docs for how the pipeline drives it.
#[derive(Debug)]
pub struct Checker {
    config: RiskConfig,
    sample: usize,
    fp: Fingerprinter,
    tables: BTreeMap<QualifiedName, TableState>,
    /// Detector budgets per table and column, shared by the slices of a table so the sample
    /// is bounded however many slices run at once.
    budgets: Mutex<HashMap<QualifiedName, Arc<[AtomicU64]>>>,
    /// Some rule in the policy replaces text, so outputs are searched for leaks.
    any_sources: bool,
    /// Tables with sources whose data has not begun (what `early_active` asks; a count, so
    /// the question costs nothing per slice however many tables the dump has).
    unseen_sources: usize,
    leaks: LeakIndex,
    passthrough: Tally,
    current: Option<QualifiedName>,
    segments: usize,
    /// Data met for tables the checker has no plan for.
    unplanned: BTreeSet<String>,
    /// The second read of a file input, while it runs.
    second: Option<second_read::SecondRead>,
    /// Accumulators waiting to be merged ([`Checker::queue`]).
    queued: Vec<Accumulator>,
    /// Tables whose unchecked pairs a second read has checked.
    reread: BTreeSet<QualifiedName>,
}

impl Checker {
    /// A checker for a resolved policy. `sample` (`--sample N`) bounds the detector scans and
    /// the linkage reservoirs per column ([`DEFAULT_SAMPLE`] when `None`); the
    /// quasi-identifier metrics always use every row.
    pub fn new(
        policy: &PolicyFile,
        resolved: &ResolvedPolicy,
        key: &MasterKey,
        sample: Option<usize>,
    ) -> Result<Checker, Vec<PolicyProblem>> {
        let config = RiskConfig::from_policy(policy)?;
        let mut problems = Vec::new();
        let mut specs = Vec::new();
        // Indexed once: a linear search per table was quadratic for dumps of many tables.
        let by_name: std::collections::HashMap<_, _> =
            policy.tables.iter().map(|t| (&t.name, t)).collect();
        for plan in resolved.tables() {
            let rules = by_name.get(&plan.name).copied();
            let jointly = rules.map(|t| t.jointly_known.clone()).unwrap_or_default();
            for set in &jointly {
                for c in set.iter().filter(|c| plan.column(c).is_none()) {
                    problems.push(PolicyProblem {
                        file: policy.path.clone(),
                        line: rules.map_or(0, |t| t.line),
                        message: format!(
                            "{}: `jointly_known` names column `{c}`, which the table does not have",
                            plan.name
                        ),
                    });
                }
            }
            specs.push(TableSpec::from_plan(plan, jointly));
        }
        if !problems.is_empty() {
            problems.sort_by_key(|p| p.line);
            return Err(problems);
        }
        Ok(Checker::from_specs(config, specs, key, sample))
    }

    /// A checker for explicit table specs (embedding, and tests of rules the `Rule` enum does
    /// not have yet).
    pub fn from_specs(
        config: RiskConfig,
        tables: Vec<TableSpec>,
        key: &MasterKey,
        sample: Option<usize>,
    ) -> Checker {
        let sample = sample.unwrap_or(DEFAULT_SAMPLE).max(1);
        let tables: BTreeMap<QualifiedName, TableState> = tables
            .into_iter()
            .map(|t| (t.name.clone(), TableState::new(t, sample)))
            .collect();
        let unseen_sources = tables.values().filter(|t| t.has_sources()).count();
        let any_sources = unseen_sources > 0;
        Checker {
            config,
            sample,
            fp: Fingerprinter::new(key),
            tables,
            budgets: Mutex::new(HashMap::new()),
            any_sources,
            unseen_sources,
            leaks: LeakIndex::default(),
            passthrough: Tally::default(),
            current: None,
            segments: 0,
            unplanned: BTreeSet::new(),
            second: None,
            queued: Vec::new(),
            reread: BTreeSet::new(),
        }
    }

    /// Adds a table planned after the checker was made (`ResolvedPolicy::add_table`, for
    /// data-only dumps). A table already known is left as it is.
    pub fn add_table(&mut self, plan: &TablePlan, jointly_known: Vec<Vec<String>>) {
        if !self.tables.contains_key(&plan.name) {
            let state = TableState::new(TableSpec::from_plan(plan, jointly_known), self.sample);
            self.any_sources |= state.has_sources();
            self.unseen_sources += usize::from(state.has_sources());
            self.tables.insert(plan.name.clone(), state);
        }
    }

    /// The thresholds in force.
    pub fn config(&self) -> &RiskConfig {
        &self.config
    }

    /// Which columns of a data statement the checker reads. Kept columns are read for the
    /// detectors, for leak candidates (when any rule replaces text), and as QIs, sensitive
    /// values, SUDA candidates or jointly known values; changed columns always with their
    /// originals (fingerprints, unchanged fraction, linkage).
    pub fn needs(&self, table: &QualifiedName, columns: &[String]) -> Needs {
        let mut needs = Needs {
            original: vec![false; columns.len()],
            output: vec![false; columns.len()],
        };
        let Some(state) = self.tables.get(table) else {
            return needs;
        };
        if let Some(second) = &self.second {
            // A second read wants only what leak candidates come from, and of that only the
            // text a rule may pass through: the first pass also looks into JSON-looking outputs
            // of synthetic rules (tokens, hashes, constants), but what such a rule writes is made
            // up by the rule and cannot hold another column's originals, while transforming it
            // again (FF1 on every id and address) was most of the second read's cost.
            if second.covers(table) {
                for (i, name) in columns.iter().enumerate() {
                    if let Some(j) = state.spec.index(name) {
                        needs.output[i] = state.columns[j].scans_text;
                    }
                }
            }
            return needs;
        }
        let joint: BTreeSet<usize> = state.joints.iter().flat_map(|(p, _)| [p.0, p.1]).collect();
        for (i, name) in columns.iter().enumerate() {
            let Some(j) = state.spec.index(name) else {
                continue;
            };
            let c = &state.columns[j];
            let flags = state.spec.columns[j].flags;
            match c.role {
                Role::Kept => {
                    needs.output[i] = self.any_sources
                        || state.qi.is_some()
                        || flags.sensitive
                        || joint.contains(&j)
                        || c.pii.scanned < self.sample as u64;
                }
                Role::Replacing { .. } | Role::Perturbing => {
                    needs.original[i] = true;
                    needs.output[i] = true;
                }
            }
        }
        needs
    }

    /// A fresh accumulator for a slice of rows of a data statement with these columns.
    pub fn accumulator(&self, table: &QualifiedName, columns: &[String]) -> Accumulator {
        let Some(state) = self.tables.get(table) else {
            return Accumulator::unplanned(table.clone());
        };
        let budget = {
            let mut budgets = self.budgets.lock().unwrap_or_else(|e| e.into_inner());
            budgets
                .entry(table.clone())
                .or_insert_with(|| {
                    state
                        .columns
                        .iter()
                        .map(|c| AtomicU64::new(c.pii.scanned))
                        .collect()
                })
                .clone()
        };
        let map: Vec<Option<usize>> = columns.iter().map(|c| state.spec.index(c)).collect();
        let position = |j: usize| map.iter().position(|&m| m == Some(j));
        let flagged = |f: fn(&Flags) -> bool| -> Vec<usize> {
            (0..state.spec.columns.len())
                .filter(|&j| f(&state.spec.columns[j].flags))
                .filter_map(position)
                .collect()
        };
        let qi_cols = flagged(|f| f.quasi_identifier);
        let sensitive = flagged(|f| f.sensitive);
        // SUDA looks at the QIs and at every kept column (their cardinality is judged at the end).
        let mut suda_cols = qi_cols.clone();
        for (j, c) in state.columns.iter().enumerate() {
            if c.role == Role::Kept && !state.spec.columns[j].flags.quasi_identifier {
                suda_cols.extend(position(j));
            }
        }
        let suda_cols = if state.qi.is_some() {
            suda_cols
        } else {
            Vec::new()
        };
        let suda_specs: Vec<usize> = suda_cols.iter().filter_map(|&i| map[i]).collect();
        let joints = state
            .joints
            .iter()
            .filter_map(|((a, b), _)| Some(((position(*a)?, position(*b)?), (*a, *b))))
            .map(|(at, spec)| (at, spec, linkage::Joint::new(self.sample)))
            .collect();
        let cols = map
            .iter()
            .map(|m| {
                m.map(|j| {
                    let c = &state.columns[j];
                    SliceColumn {
                        spec: j,
                        role: c.role,
                        json_source: c.role == (Role::Replacing { json: true }),
                        scans_text: c.scans_text,
                        fingerprints: c.fingerprints,
                        dob: c.dob,
                        pii: Tally::default(),
                        unchanged: 0,
                        non_null: 0,
                        linkage: c.linkage.as_ref().map(linkage::Single::for_slice),
                        sources: Vec::new(),
                        fingerprinted: 0,
                        candidates: Vec::new(),
                        counted: Vec::new(),
                    }
                })
            })
            .collect();
        Accumulator {
            table: table.clone(),
            planned: true,
            leaks_only: self.second.is_some(),
            closed: false,
            sample: self.sample as u64,
            leak_check: self.any_sources,
            fp: self.fp.clone(),
            budget,
            rows: 0,
            cols,
            qi: state.qi.as_ref().map(|_| qi::Qi {
                suda_columns: suda_specs,
                ..qi::Qi::default()
            }),
            qi_cols,
            sensitive,
            suda_cols,
            joints,
        }
    }

    /// Folds a slice's accumulator in; slices must come in input order (after any queued
    /// with [`Checker::queue`], which are merged first).
    pub fn merge(&mut self, acc: Accumulator) {
        self.merge_queued();
        self.merge_one(acc);
    }

    /// Queues a block's accumulators to be merged later, by [`Checker::merge_queued`] or any
    /// call that needs them merged. Why: merging is one thread's work (the leak index is one
    /// map, its lookups cache misses), so the pipeline merges a block while the worker
    /// threads process the next one instead of leaving them idle. [`Checker::needs`] and
    /// [`Checker::accumulator`] meanwhile see the state before the queued blocks: that only
    /// lets the detectors' sample run a block past its budget.
    pub fn queue(&mut self, accs: Vec<Accumulator>) {
        self.queued.extend(accs);
    }

    /// Merges the queued accumulators, in order.
    pub fn merge_queued(&mut self) {
        for acc in std::mem::take(&mut self.queued) {
            self.merge_one(acc);
        }
    }

    fn merge_one(&mut self, acc: Accumulator) {
        let mut acc = acc;
        acc.close();
        if acc.leaks_only {
            return self.merge_second(acc);
        }
        if !acc.planned {
            if acc.rows > 0 {
                self.unplanned.insert(acc.table.to_string());
            }
            return;
        }
        if self.current.as_ref() != Some(&acc.table) {
            self.end_segment();
            self.segments += 1;
            self.current = Some(acc.table.clone());
        }
        let segment = self.segments;
        let Some(state) = self.tables.get_mut(&acc.table) else {
            return;
        };
        let table_has_sources = state.has_sources();
        if state.first_segment.is_none() && table_has_sources {
            self.unseen_sources -= 1;
        }
        state.first_segment.get_or_insert(segment);
        state.last_segment = Some(segment);
        state.rows += acc.rows;
        // Sources first: a candidate in this slice may match an original of the same slice.
        for c in acc.cols.iter().flatten() {
            if c.sources.is_empty() {
                continue;
            }
            let id = match self
                .leaks
                .sources
                .iter()
                .position(|s| s.0 == acc.table && s.1 == c.spec)
            {
                Some(id) => id as u32,
                None => {
                    self.leaks.sources.push((acc.table.clone(), c.spec));
                    (self.leaks.sources.len() - 1) as u32
                }
            };
            state.columns[c.spec].fingerprinted += c.fingerprinted;
            self.leaks.map.insert_all(&c.sources, id);
        }
        let early = self.early_active();
        let mut kept_early = Vec::new();
        let Some(state) = self.tables.get_mut(&acc.table) else {
            return;
        };
        let mut found = Found::default();
        for c in acc.cols.into_iter().flatten() {
            if !c.counted.is_empty() {
                state.checked_for_leaks = true;
            }
            for (i, &(f, rows)) in c.counted.iter().enumerate() {
                // A table with originals of its own holds its candidates back and looks each
                // up once, when its data ends (`end_segment`): looking them up now as well
                // was a cache miss per candidate on the merging thread, for the same answer.
                if table_has_sources && self.leaks.defer(f, c.spec, rows) {
                    continue;
                }
                self.leaks.map.prefetch_ahead(&c.counted, i, |c| c.0);
                match self.leaks.lookup(f, &acc.table, c.spec) {
                    Lookup::Leak(id) => found.add(id, c.spec, rows),
                    Lookup::Unknown if early => kept_early.push(f),
                    Lookup::Unknown | Lookup::Own => {}
                }
            }
            let col = &mut state.columns[c.spec];
            col.pii.merge(c.pii);
            col.unchanged += c.unchanged;
            col.non_null += c.non_null;
            if let (Some(mine), Some(theirs)) = (col.linkage.as_mut(), c.linkage) {
                mine.merge(theirs);
            }
        }
        if let (Some(mine), Some(theirs)) = (state.qi.as_mut(), acc.qi) {
            mine.merge(theirs);
        }
        for (_, spec, joint) in acc.joints {
            if let Some((_, mine)) = state.joints.iter_mut().find(|(p, _)| *p == spec) {
                mine.merge(joint);
            }
        }
        for f in kept_early {
            self.keep_early(&acc.table, f);
        }
        self.record_leaks(&acc.table, found);
    }

    /// Whether some table with sources has not begun: candidates seen now may match originals
    /// that come later, so they are kept (see `LeakIndex::early`).
    fn early_active(&self) -> bool {
        !self.leaks.early_overflow && self.unseen_sources > 0
    }

    fn keep_early(&mut self, table: &QualifiedName, f: u64) {
        if self.leaks.early_overflow {
            return;
        }
        let grew = self.leaks.early.entry(table.clone()).or_default().push(f);
        self.leaks.early_len = self.leaks.early_len.saturating_add_signed(grew);
        if self.leaks.early_len > MAX_EARLY {
            self.leaks.early_overflow = true;
            self.leaks.early = HashMap::new();
            self.leaks.early_len = 0;
        }
    }

    /// Adds leaks found in `table` to their sources' columns.
    fn record_leaks(&mut self, table: &QualifiedName, found: Found) {
        let Some(columns) = self.tables.get(table).map(|s| &s.spec.columns) else {
            return;
        };
        let found: Vec<_> = found
            .0
            .into_iter()
            .map(|((id, spec), rows)| (id, column_path(table, &columns[spec].name), rows))
            .collect();
        for (id, at, rows) in found {
            let (t, j) = self.leaks.sources[id as usize].clone();
            if let Some(state) = self.tables.get_mut(&t) {
                *state.columns[j].leaks.entry(at).or_insert(0) += rows;
            }
        }
    }

    /// The current table's data has ended: its held-back candidates are checked against its
    /// own originals, now complete.
    fn end_segment(&mut self) {
        let Some(table) = self.current.take() else {
            return;
        };
        let mut deferred = std::mem::take(&mut self.leaks.deferred);
        self.leaks.deferred_full = false;
        Deferred::compact(&mut deferred);
        // Tables with sources that have not begun may still hold what these candidates are.
        let early = self.early_active();
        let mut found = Found::default();
        let mut kept_early = Vec::new();
        for (i, d) in deferred.iter().enumerate() {
            self.leaks
                .map
                .prefetch_ahead(&deferred, i, |d| d.fingerprint);
            let column = d.column as usize;
            match self.leaks.lookup(d.fingerprint, &table, column) {
                Lookup::Leak(id) => found.add(id, column, d.rows),
                Lookup::Unknown if early => kept_early.push(d.fingerprint),
                Lookup::Unknown | Lookup::Own => {}
            }
        }
        for f in kept_early {
            self.keep_early(&table, f);
        }
        self.record_leaks(&table, found);
    }

    /// Scans verbatim text (comments, defaults, CHECKs, function bodies, views) or the bytes of
    /// a large object with the validating detectors.
    pub fn passthrough(&mut self, text: &[u8]) {
        for piece in text.chunks(PASSTHROUGH_PIECE) {
            self.passthrough.scan(piece, false);
        }
    }

    /// Computes every metric and the verdict.
    pub fn finish(mut self) -> Report {
        self.merge_queued();
        self.end_segment();
        finish::report(self)
    }
}

/// One column of a slice.
#[derive(Debug, Clone)]
struct SliceColumn {
    /// Index in the table spec.
    spec: usize,
    role: Role,
    json_source: bool,
    scans_text: bool,
    fingerprints: bool,
    dob: bool,
    pii: Tally,
    unchanged: u64,
    non_null: u64,
    linkage: Option<linkage::Single>,
    /// Fingerprints of this slice's originals (replacing rules); sorted and deduplicated by
    /// [`Accumulator::close`].
    sources: Vec<u64>,
    /// Originals fingerprinted (before deduplication).
    fingerprinted: u64,
    /// Candidate fingerprints of this slice's output cells, each once per cell holding it;
    /// [`Accumulator::close`] turns them into `counted`.
    candidates: Vec<u64>,
    /// Distinct candidates, sorted, with the rows holding each.
    counted: Vec<(u64, u32)>,
}

/// Leaks found in one table: (source id, column index) → rows.
#[derive(Debug, Default)]
struct Found(BTreeMap<(u32, usize), u64>);

impl Found {
    fn add(&mut self, id: u32, column: usize, rows: u32) {
        *self.0.entry((id, column)).or_insert(0) += u64::from(rows);
    }
}

/// A jointly known pair in a slice: (statement positions, spec indexes, collector).
type SliceJoint = ((usize, usize), (usize, usize), linkage::Joint);

/// The checker's state for one slice of rows; `Send`, merged back with [`Checker::merge`].
/// An empty one is cloned for each slice of a data statement (see `pipeline::copy::process_block`).
#[derive(Debug, Clone)]
pub struct Accumulator {
    table: QualifiedName,
    planned: bool,
    /// Made during a second read: collects leak candidates and rows, nothing else.
    leaks_only: bool,
    /// [`Accumulator::close`] has sorted its fingerprints.
    closed: bool,
    sample: u64,
    leak_check: bool,
    fp: Fingerprinter,
    budget: Arc<[AtomicU64]>,
    rows: u64,
    /// Per data-statement column: its state, `None` when the plan does not know it.
    cols: Vec<Option<SliceColumn>>,
    qi: Option<qi::Qi>,
    qi_cols: Vec<usize>,
    sensitive: Vec<usize>,
    suda_cols: Vec<usize>,
    joints: Vec<SliceJoint>,
}

impl Accumulator {
    fn unplanned(table: QualifiedName) -> Self {
        Accumulator {
            table,
            planned: false,
            leaks_only: false,
            closed: false,
            sample: 0,
            leak_check: false,
            fp: Fingerprinter::new(&MasterKey::from_bytes([0; 32])),
            budget: Arc::from(Vec::new()),
            rows: 0,
            cols: Vec::new(),
            qi: None,
            qi_cols: Vec::new(),
            sensitive: Vec::new(),
            suda_cols: Vec::new(),
            joints: Vec::new(),
        }
    }

    /// The table this accumulator is for.
    pub fn table(&self) -> &QualifiedName {
        &self.table
    }

    /// Rows seen.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// One row: decoded values (text form, `None` = SQL NULL) at the indexes
    /// [`Checker::needs`] asked for; other indexes hold `None` and are ignored.
    pub fn row(&mut self, original: &[Option<&[u8]>], output: &[Option<&[u8]>]) {
        fn cell<'a>(v: &[Option<&'a [u8]>], i: usize) -> Option<&'a [u8]> {
            v.get(i).copied().flatten()
        }
        self.rows += 1;
        if !self.planned {
            return;
        }
        for (i, slot) in self.cols.iter_mut().enumerate() {
            let Some(c) = slot else { continue };
            let (orig, out) = (cell(original, i), cell(output, i));
            // Detectors and leak candidates read what is released: kept content, the output
            // of rules that may pass text through, and JSON whatever the rule.
            if let Some(v) = out {
                let json = matches!(v.first(), Some(b'{' | b'['));
                let text = c.scans_text || (json && matches!(c.role, Role::Replacing { .. }));
                if text {
                    // Load before add: once the sample is full, slices stop writing the
                    // shared counter's cache line. A second read scans nothing again.
                    let budget = &self.budget[c.spec];
                    if !self.leaks_only
                        && budget.load(Ordering::Relaxed) < self.sample
                        && budget.fetch_add(1, Ordering::Relaxed) < self.sample
                    {
                        c.pii.scan(v, c.dob);
                    }
                    if self.leak_check {
                        self.fp.candidates(v, &mut c.candidates);
                    }
                }
            }
            if matches!(c.role, Role::Kept) || self.leaks_only {
                continue;
            }
            let Some(o) = orig else { continue };
            c.non_null += 1;
            let unchanged = out == Some(o);
            c.unchanged += u64::from(unchanged);
            match c.role {
                // An original released as it is (a JSON document the scrub found nothing in,
                // a value a rule passed through) is in the output already, where the detectors
                // and `unchanged_fraction` see it; finding it in another column too would say
                // nothing the release does not. Fingerprinting only what was replaced spares
                // parsing every unchanged JSON document and most of the leak index.
                Role::Replacing { .. } if !c.fingerprints || unchanged => {}
                Role::Replacing { .. } => {
                    let before = c.sources.len();
                    if c.json_source {
                        self.fp.json_source(o, &mut c.sources);
                    } else {
                        self.fp.source(o, &mut c.sources);
                    }
                    c.fingerprinted += (c.sources.len() - before) as u64;
                }
                Role::Perturbing => {
                    if let Some(l) = c.linkage.as_mut() {
                        l.row(&self.fp, o, out);
                    }
                }
                Role::Kept => {}
            }
        }
        if self.leaks_only {
            return;
        }
        if let Some(q) = self.qi.as_mut() {
            let pick = |idx: &[usize]| -> Vec<Option<&[u8]>> {
                idx.iter().map(|&i| cell(output, i)).collect()
            };
            q.row(
                &self.fp,
                &pick(&self.qi_cols),
                &pick(&self.sensitive),
                &pick(&self.suda_cols),
            );
        }
        for ((a, b), _, joint) in &mut self.joints {
            let value = |i: usize, c: &Option<SliceColumn>| match c {
                Some(c) if matches!(c.role, Role::Kept) => cell(output, i),
                _ => cell(original, i),
            };
            let orig = [value(*a, &self.cols[*a]), value(*b, &self.cols[*b])];
            joint.row(&self.fp, orig, [cell(output, *a), cell(output, *b)]);
        }
    }

    /// Sorts this slice's fingerprints on the slice's own thread (call it where the slice was
    /// filled; [`Checker::merge`] does it otherwise): originals deduplicated, candidates
    /// counted. Why: merging runs on one thread, so whatever can be done per slice is done
    /// here, in parallel, and the merge is left with one map operation per distinct value.
    pub fn close(&mut self) {
        if self.closed {
            return;
        }
        self.closed = true;
        for c in self.cols.iter_mut().flatten() {
            c.sources.sort_unstable();
            c.sources.dedup();
            let mut all = std::mem::take(&mut c.candidates);
            all.sort_unstable();
            let mut counted: Vec<(u64, u32)> = Vec::new();
            for f in all {
                match counted.last_mut() {
                    Some((last, rows)) if *last == f => *rows += 1,
                    _ => counted.push((f, 1)),
                }
            }
            c.counted = counted;
        }
    }

    /// Bytes held by this slice's collections (for the pipeline's memory accounting).
    pub fn bytes(&self) -> usize {
        self.cols
            .iter()
            .flatten()
            .map(|c| {
                (c.sources.capacity() + c.candidates.capacity()) * 8
                    + c.counted.capacity() * 16
                    + c.linkage.as_ref().map_or(0, linkage::Single::bytes)
            })
            .sum::<usize>()
            + self.qi.as_ref().map_or(0, qi::Qi::bytes)
    }
}
