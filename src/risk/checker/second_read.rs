//! The checker's side of the second read of a file input: leak checks for tables dumped
//! *before* the column whose originals they might hold.
//!
//! One pass cannot look for a value in a table written before the value was seen, so after the
//! first pass some (source column, table) pairs are unchecked. For a file input the pipeline
//! reads the file again, only for those tables, and feeds their output cells once more:
//! 1. [`Checker::begin_second_read`] works out the pairs and says which tables to read again;
//!    from then on [`Checker::needs`] asks only for the cells leak candidates come from, and
//!    [`Checker::accumulator`] makes accumulators that collect only candidates;
//! 2. [`Checker::merge`] counts a match only for a pair the first pass could not check, so no
//!    leak is counted twice and nothing else (detectors, rows, QIs) is counted again;
//! 3. [`Checker::end_second_read`] proves the second read saw the rows the first one did and
//!    drops the pairs from `unchecked_leaks`.
//!
//! Before any of that, the first pass keeps the candidates of tables streamed while some source
//! had not begun (`LeakIndex::early`, capped): a pair none of them matches is checked without
//! reading again, so a second read happens only where a leak is likely, to count its rows.
//!
//! For stdin and a live source there is no second read; the report lists the pairs that
//! the kept candidates could not clear instead.
//! What lives elsewhere: the reading itself (`pipeline::second_read`).

use std::collections::{BTreeMap, HashMap, HashSet};

use super::role::Role;
use super::{Accumulator, Checker, Found};
use crate::dump::ident::QualifiedName;

/// What the checker holds during a second read.
#[derive(Debug, Default)]
pub(super) struct SecondRead {
    /// Table read again → ids (in the leak index) of the sources it was not checked against.
    pairs: HashMap<QualifiedName, HashSet<u32>>,
    /// Rows met again per table.
    rows: BTreeMap<QualifiedName, u64>,
}

impl SecondRead {
    /// Whether `table` is read again.
    pub(super) fn covers(&self, table: &QualifiedName) -> bool {
        self.pairs.contains_key(table)
    }
}

/// A (source table, source column index, table) triple the first pass could not check.
pub(super) type Pair = (QualifiedName, usize, QualifiedName);

impl Checker {
    /// (source, table) pairs where the table's data ended before the source's began, leaving
    /// out tables a second read has since covered.
    pub(super) fn unchecked(&self) -> Vec<Pair> {
        let hits = self.early_hits();
        let mut out = Vec::new();
        for (name, source) in &self.tables {
            let Some(start) = source.first_segment else {
                continue;
            };
            for (j, c) in source.columns.iter().enumerate() {
                if !matches!(c.role, Role::Replacing { .. }) || c.fingerprinted == 0 {
                    continue;
                }
                let id = self
                    .leaks
                    .sources
                    .iter()
                    .position(|s| &s.0 == name && s.1 == j)
                    .map(|id| id as u32);
                for (other, t) in &self.tables {
                    if other != name
                        && t.checked_for_leaks
                        && t.last_segment.is_some_and(|e| e < start)
                        && !self.reread.contains(other)
                        && !self.early_clean(&hits, other, id)
                    {
                        out.push((name.clone(), j, other.clone()));
                    }
                }
            }
        }
        out
    }

    /// (table, source id) pairs that some early candidate of the table matches.
    fn early_hits(&self) -> HashSet<(&QualifiedName, u32)> {
        let mut hits = HashSet::new();
        if self.leaks.early_overflow {
            return hits;
        }
        for (table, early) in &self.leaks.early {
            let all = &early.fingerprints;
            for (i, &f) in all.iter().enumerate() {
                self.leaks.map.prefetch_ahead(all, i, |&k| k);
                if let Some(id) = self.leaks.map.get(f) {
                    hits.insert((table, id));
                }
            }
        }
        hits
    }

    /// Whether `table`'s early candidates prove it holds no original of source `id`: they were
    /// all kept (no overflow) and none matches. A table without kept candidates had none.
    fn early_clean(
        &self,
        hits: &HashSet<(&QualifiedName, u32)>,
        table: &QualifiedName,
        id: Option<u32>,
    ) -> bool {
        match id {
            // A source without fingerprints has nothing to find.
            None => true,
            Some(id) => !self.leaks.early_overflow && !hits.contains(&(table, id)),
        }
    }

    /// Starts a second read: the tables to read again, each with the rows the first pass saw
    /// (the second read must see as many). Empty when every pair was checked in one pass; the
    /// checker then stays as it was.
    pub fn begin_second_read(&mut self) -> Vec<(QualifiedName, u64)> {
        self.merge_queued();
        // The last table's held-back candidates belong to the first pass.
        self.end_segment();
        let mut second = SecondRead::default();
        for (source, j, table) in self.unchecked() {
            let id = self
                .leaks
                .sources
                .iter()
                .position(|s| s.0 == source && s.1 == j);
            // A source with fingerprints always has an id; without one there is nothing to find.
            if let Some(id) = id {
                second.pairs.entry(table).or_default().insert(id as u32);
            }
        }
        let tables = second
            .pairs
            .keys()
            .map(|t| (t.clone(), self.tables.get(t).map_or(0, |s| s.rows)))
            .collect::<BTreeMap<_, _>>()
            .into_iter()
            .collect::<Vec<_>>();
        if !tables.is_empty() {
            self.second = Some(second);
        }
        tables
    }

    /// Ends a second read. Returns the tables whose row count differs from the first read's
    /// (the input changed in between, so the check is not valid); on success the pairs are
    /// checked and no longer reported as unchecked.
    pub fn end_second_read(&mut self) -> Vec<QualifiedName> {
        self.merge_queued();
        let Some(second) = self.second.take() else {
            return Vec::new();
        };
        let mut changed = Vec::new();
        for table in second.pairs.keys() {
            let first = self.tables.get(table).map_or(0, |s| s.rows);
            let again = second.rows.get(table).copied().unwrap_or(0);
            if first != again {
                changed.push(table.clone());
            }
        }
        if changed.is_empty() {
            self.reread.extend(second.pairs.into_keys());
        }
        changed.sort();
        changed
    }

    /// Folds in a second-read accumulator: candidates matched only against the sources this
    /// table was not checked against in the first pass.
    pub(super) fn merge_second(&mut self, acc: Accumulator) {
        let Some(second) = self.second.as_mut() else {
            return;
        };
        *second.rows.entry(acc.table.clone()).or_insert(0) += acc.rows;
        let Some(ids) = second.pairs.get(&acc.table) else {
            return;
        };
        let mut found = Found::default();
        for c in acc.cols.into_iter().flatten() {
            for (i, &(f, rows)) in c.counted.iter().enumerate() {
                self.leaks.map.prefetch_ahead(&c.counted, i, |c| c.0);
                if let Some(id) = self.leaks.map.get(f) {
                    if ids.contains(&id) {
                        found.add(id, c.spec, rows);
                    }
                }
            }
        }
        self.record_leaks(&acc.table, found);
    }
}
