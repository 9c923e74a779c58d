//! Quasi-identifier collection for one table: equivalence classes on the *output* values of the
//! declared quasi-identifiers (all rows), sensitive-value counts per class (l-diversity), and a
//! bounded sample of distinct tuples for the SUDA search.
//!
//! `metrics::classes::ClassCounter` hashes with a per-instance random state, so two counters
//! cannot be merged; here every slice hashes with the same keyed [`Fingerprinter`], and the
//! class maps of slices add up. Classes are 128-bit keyed hashes (two 64-bit halves): a
//! collision would merge two classes and needs about 2^64 classes to become likely.
//!
//! The SUDA sample keeps the [`SUDA_SAMPLE`] distinct tuples (over the QIs and the kept columns)
//! of smallest keyed hash, each with its count capped at 2 — two copies already make every
//! projection of a tuple non-unique, so the cap changes no uniqueness decision.

use std::collections::{BTreeMap, HashMap};

use super::fingerprint::Fingerprinter;
use crate::risk::metrics::Cell;

/// Distinct tuples kept for SUDA.
pub const SUDA_SAMPLE: usize = 5_000;

/// The QI state of one table (per slice, then merged).
#[derive(Debug, Clone, Default)]
pub struct Qi {
    /// Class key → records.
    pub classes: HashMap<u128, u64>,
    /// (class, sensitive column, value) → records.
    pub diversity: HashMap<(u128, u16, u64), u32>,
    /// Tuple priority → (column value hashes, count ≤ 2).
    pub suda: BTreeMap<u64, (Box<[u64]>, u8)>,
    /// Table-spec indexes of the columns of a SUDA tuple, in tuple order.
    pub suda_columns: Vec<usize>,
}

/// Hash of a tuple of cells under one domain.
pub fn tuple_hash(fp: &Fingerprinter, domain: u8, cells: &[Cell<'_>]) -> u64 {
    let mut parts: Vec<&[u8]> = Vec::with_capacity(cells.len() * 2 + 1);
    let tag = [domain];
    parts.push(&tag);
    for c in cells {
        match c {
            None => parts.push(b"\x00N"),
            Some(v) => {
                parts.push(b"\x01");
                parts.push(v);
            }
        }
    }
    fp.raw(&parts)
}

impl Qi {
    /// One row: the QI cells, the sensitive cells, and the SUDA candidate cells (QIs first).
    pub fn row(
        &mut self,
        fp: &Fingerprinter,
        qi: &[Cell<'_>],
        sensitive: &[Cell<'_>],
        suda: &[Cell<'_>],
    ) {
        let key = (u128::from(tuple_hash(fp, 1, qi)) << 64) | u128::from(tuple_hash(fp, 2, qi));
        *self.classes.entry(key).or_insert(0) += 1;
        for (i, s) in sensitive.iter().enumerate() {
            let v = tuple_hash(fp, 3, std::slice::from_ref(s));
            let slot = self.diversity.entry((key, i as u16, v)).or_insert(0);
            *slot = slot.saturating_add(1);
        }
        if !suda.is_empty() {
            let priority = tuple_hash(fp, 4, suda);
            self.offer(priority, 1, || {
                suda.iter()
                    .map(|c| tuple_hash(fp, 5, std::slice::from_ref(c)))
                    .collect()
            });
        }
    }

    fn offer(&mut self, priority: u64, count: u8, make: impl FnOnce() -> Box<[u64]>) {
        if let Some(slot) = self.suda.get_mut(&priority) {
            slot.1 = slot.1.saturating_add(count).min(2);
            return;
        }
        if self.suda.len() >= SUDA_SAMPLE {
            match self.suda.last_key_value() {
                Some((&top, _)) if priority < top => {
                    self.suda.pop_last();
                }
                _ => return,
            }
        }
        self.suda.insert(priority, (make(), count.min(2)));
    }

    /// Adds the next slice's state.
    pub fn merge(&mut self, other: Qi) {
        if self.suda_columns.is_empty() {
            self.suda_columns.clone_from(&other.suda_columns);
        }
        for (k, n) in other.classes {
            *self.classes.entry(k).or_insert(0) += n;
        }
        for (k, n) in other.diversity {
            let slot = self.diversity.entry(k).or_insert(0);
            *slot = slot.saturating_add(n);
        }
        // Statements listing other columns give tuples of another shape; they are not mixed.
        if self.suda_columns == other.suda_columns {
            for (p, (values, count)) in other.suda {
                self.offer(p, count, || values);
            }
        }
    }

    /// Bytes held (entries plus one control byte each, as hashbrown lays them out).
    pub fn bytes(&self) -> usize {
        self.classes.capacity() * (std::mem::size_of::<(u128, u64)>() + 1)
            + self.diversity.capacity() * (std::mem::size_of::<((u128, u16, u64), u32)>() + 1)
            + self
                .suda
                .values()
                .map(|(v, _)| v.len() * 8 + 48)
                .sum::<usize>()
    }
}
