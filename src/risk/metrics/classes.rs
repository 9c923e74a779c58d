//! Equivalence-class statistics (k-anonymity and prosecutor risk) and the [`ClassCounter`] that
//! builds them from rows.
//!
//! A [`ClassHistogram`] is the frequency-of-frequencies `c_i` (how many classes have exactly `i`
//! records); every prosecutor metric of `RISK-MODELS.md` is a function of it alone, and so are the
//! population models in [`super::population`]. Sensitive-value diversity lives in
//! [`super::diversity`], not here.

use std::collections::hash_map::RandomState;
use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasher, Hasher};

use super::Cell;

/// Frequency of class sizes: `c_i` for every size `i` that occurs. Classes of size zero are
/// ignored because they hold no record and cannot be re-identified.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClassHistogram {
    /// Class size → number of classes of that size, ascending by size.
    counts: BTreeMap<u64, u64>,
}

impl ClassHistogram {
    /// Builds the histogram from the size of every class.
    pub fn from_class_sizes(sizes: &[u64]) -> Self {
        Self::from_pairs(sizes.iter().map(|&s| (s, 1)))
    }

    /// Builds the histogram from `(class size, number of classes)` pairs; repeated sizes add up.
    pub fn from_pairs(pairs: impl IntoIterator<Item = (u64, u64)>) -> Self {
        let mut counts = BTreeMap::new();
        for (size, classes) in pairs {
            if size > 0 && classes > 0 {
                let slot = counts.entry(size).or_insert(0u64);
                *slot = slot.saturating_add(classes);
            }
        }
        Self { counts }
    }

    /// `c_i`: the number of classes holding exactly `size` records.
    pub fn classes_of_size(&self, size: u64) -> u64 {
        self.counts.get(&size).copied().unwrap_or(0)
    }

    /// `(i, c_i)` pairs in ascending order of class size.
    pub fn iter(&self) -> impl Iterator<Item = (u64, u64)> + '_ {
        self.counts.iter().map(|(&s, &c)| (s, c))
    }

    /// `n = Σ i·c_i`, the number of records.
    pub fn records(&self) -> u64 {
        self.iter()
            .fold(0u64, |acc, (s, c)| acc.saturating_add(s.saturating_mul(c)))
    }

    /// `u = Σ c_i`, the number of classes.
    pub fn classes(&self) -> u64 {
        self.iter().fold(0u64, |acc, (_, c)| acc.saturating_add(c))
    }

    /// k of k-anonymity: the smallest class size, 0 for an empty table.
    pub fn k(&self) -> u64 {
        self.counts.keys().next().copied().unwrap_or(0)
    }

    /// The largest class size, 0 for an empty table.
    pub fn largest_class(&self) -> u64 {
        self.counts.keys().next_back().copied().unwrap_or(0)
    }

    /// Highest prosecutor risk `1/k`; 0 for an empty table, which identifies nobody.
    pub fn highest_risk(&self) -> f64 {
        inverse(self.k())
    }

    /// Lowest prosecutor risk `1/max f_j`; 0 for an empty table.
    pub fn lowest_risk(&self) -> f64 {
        inverse(self.largest_class())
    }

    /// Average prosecutor risk (the attacker's success rate) `u/n`.
    pub fn average_risk(&self) -> f64 {
        ratio(self.classes(), self.records())
    }

    /// Share of records whose individual risk `1/f_j` is strictly greater than `threshold`.
    pub fn records_at_risk(&self, threshold: f64) -> f64 {
        let at_risk = self
            .iter()
            .filter(|&(s, _)| inverse(s) > threshold)
            .fold(0u64, |acc, (s, c)| acc.saturating_add(s.saturating_mul(c)));
        ratio(at_risk, self.records())
    }

    /// Sample uniques `c_1`.
    pub fn sample_uniques(&self) -> u64 {
        self.classes_of_size(1)
    }

    /// Sample uniqueness `c_1/n`.
    pub fn sample_uniqueness(&self) -> f64 {
        ratio(self.sample_uniques(), self.records())
    }

    /// All prosecutor statistics at once, for reports.
    pub fn summary(&self) -> ClassSummary {
        ClassSummary {
            records: self.records(),
            classes: self.classes(),
            k: self.k(),
            highest_risk: self.highest_risk(),
            lowest_risk: self.lowest_risk(),
            average_risk: self.average_risk(),
            sample_uniques: self.sample_uniques(),
            sample_uniqueness: self.sample_uniqueness(),
        }
    }
}

/// The prosecutor statistics of one table, as numbers only (safe to log and report).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ClassSummary {
    /// n, the number of records.
    pub records: u64,
    /// u, the number of equivalence classes.
    pub classes: u64,
    /// k of k-anonymity.
    pub k: u64,
    /// `1/k`.
    pub highest_risk: f64,
    /// `1/max f_j`.
    pub lowest_risk: f64,
    /// `u/n`.
    pub average_risk: f64,
    /// `c_1`.
    pub sample_uniques: u64,
    /// `c_1/n`.
    pub sample_uniqueness: f64,
}

fn inverse(x: u64) -> f64 {
    if x == 0 {
        0.0
    } else {
        1.0 / x as f64
    }
}

/// `a/b` with an empty denominator read as "no risk" rather than NaN.
pub(crate) fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Groups rows into equivalence classes by their quasi-identifier tuple without storing the
/// tuple: each class is held as a 128-bit keyed hash and a count (24 bytes plus map overhead).
///
/// The hash is two outputs of SipHash keyed with a fresh random key per counter
/// ([`RandomState`]), computed over an unambiguous encoding of the tuple with two different
/// domain-separation prefixes. Because the key is secret and random, an adversary who controls
/// the data cannot aim for collisions, and for `m` distinct tuples the probability that any two
/// of them merge is at most `m²/2^129` (below `10^-20` for a billion classes). A merge could only
/// make two classes look like one bigger class, so the bound is the probability that risk is
/// under-reported at all.
#[derive(Clone, Debug)]
pub struct ClassCounter {
    hasher: RandomState,
    counts: HashMap<u128, u64>,
    records: u64,
}

impl Default for ClassCounter {
    fn default() -> Self {
        Self::new()
    }
}

impl ClassCounter {
    /// An empty counter with a fresh random hash key.
    pub fn new() -> Self {
        Self {
            hasher: RandomState::new(),
            counts: HashMap::new(),
            records: 0,
        }
    }

    /// Counts one row whose quasi-identifier tuple is `tuple`.
    pub fn add(&mut self, tuple: &[Cell<'_>]) {
        self.add_many(tuple, 1);
    }

    /// Counts `count` identical rows at once (for pre-aggregated input).
    pub fn add_many(&mut self, tuple: &[Cell<'_>], count: u64) {
        if count == 0 {
            return;
        }
        let key = self.key(tuple);
        let slot = self.counts.entry(key).or_insert(0);
        *slot = slot.saturating_add(count);
        self.records = self.records.saturating_add(count);
    }

    /// Number of rows counted so far.
    pub fn records(&self) -> u64 {
        self.records
    }

    /// Number of distinct tuples (classes) seen so far.
    pub fn classes(&self) -> u64 {
        self.counts.len() as u64
    }

    /// The size of every class, in no particular order.
    pub fn class_sizes(&self) -> impl Iterator<Item = u64> + '_ {
        self.counts.values().copied()
    }

    /// The frequency-of-frequencies `c_i` of the classes counted so far.
    pub fn histogram(&self) -> ClassHistogram {
        let mut by_size: HashMap<u64, u64> = HashMap::new();
        for size in self.class_sizes() {
            *by_size.entry(size).or_insert(0) += 1;
        }
        ClassHistogram::from_pairs(by_size)
    }

    fn key(&self, tuple: &[Cell<'_>]) -> u128 {
        let high = self.hash_with_domain(0xA5, tuple);
        let low = self.hash_with_domain(0x5A, tuple);
        (u128::from(high) << 64) | u128::from(low)
    }

    /// The encoding is prefix-free (a tag per cell, a length before every value and the arity up
    /// front), so two different tuples never feed the hasher the same bytes.
    fn hash_with_domain(&self, domain: u8, tuple: &[Cell<'_>]) -> u64 {
        let mut h = self.hasher.build_hasher();
        h.write_u8(domain);
        h.write_u64(tuple.len() as u64);
        for cell in tuple {
            match cell {
                None => h.write_u8(0),
                Some(bytes) => {
                    h.write_u8(1);
                    h.write_u64(bytes.len() as u64);
                    h.write(bytes);
                }
            }
        }
        h.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn prosecutor_statistics_match_hand_computation() {
        // (sizes, n, u, k, highest, lowest, average, c1, uniqueness)
        type Case = (&'static [u64], u64, u64, u64, f64, f64, f64, u64, f64);
        let cases: &[Case] = &[
            (&[], 0, 0, 0, 0.0, 0.0, 0.0, 0, 0.0),
            (&[1], 1, 1, 1, 1.0, 1.0, 1.0, 1, 1.0),
            (&[1, 2, 5], 8, 3, 1, 1.0, 0.2, 3.0 / 8.0, 1, 1.0 / 8.0),
            (&[3, 3, 4], 10, 3, 3, 1.0 / 3.0, 0.25, 0.3, 0, 0.0),
            (&[2, 0, 2], 4, 2, 2, 0.5, 0.5, 0.5, 0, 0.0),
        ];
        for &(sizes, n, u, k, hi, lo, avg, c1, su) in cases {
            let h = ClassHistogram::from_class_sizes(sizes);
            let s = h.summary();
            assert_eq!((s.records, s.classes, s.k), (n, u, k), "{sizes:?}");
            assert!(close(s.highest_risk, hi), "{sizes:?}");
            assert!(close(s.lowest_risk, lo), "{sizes:?}");
            assert!(close(s.average_risk, avg), "{sizes:?}");
            assert_eq!(s.sample_uniques, c1, "{sizes:?}");
            assert!(close(s.sample_uniqueness, su), "{sizes:?}");
        }
    }

    #[test]
    fn records_at_risk_uses_a_strict_threshold() {
        // Sizes 1, 2, 5 over 8 records: risks 1, 0.5, 0.2.
        let h = ClassHistogram::from_class_sizes(&[1, 2, 5]);
        let cases = [
            (0.0, 1.0),
            (0.2, 3.0 / 8.0),
            (0.3, 3.0 / 8.0),
            (0.5, 1.0 / 8.0),
            (1.0, 0.0),
        ];
        for (t, expected) in cases {
            assert!(close(h.records_at_risk(t), expected), "t={t}");
        }
    }

    #[test]
    fn counter_groups_tuples_and_treats_null_as_a_value() {
        let rows: &[&[Cell<'_>]] = &[
            &[Some(b"20"), Some(b"F")],
            &[Some(b"20"), Some(b"F")],
            &[Some(b"20"), None],
            &[Some(b"20"), None],
            &[Some(b"20"), Some(b"")],
            // The length prefix keeps ("2", "0F") apart from ("20", "F").
            &[Some(b"2"), Some(b"0F")],
            &[None, None],
        ];
        let mut counter = ClassCounter::new();
        for row in rows {
            counter.add(row);
        }
        assert_eq!(counter.records(), 7);
        assert_eq!(counter.classes(), 5);
        let h = counter.histogram();
        assert_eq!(h.classes_of_size(1), 3);
        assert_eq!(h.classes_of_size(2), 2);
        assert_eq!(h.records(), 7);
    }

    #[test]
    fn add_many_matches_repeated_add() {
        let mut a = ClassCounter::new();
        let mut b = ClassCounter::new();
        a.add_many(&[Some(b"x")], 3);
        a.add_many(&[Some(b"y")], 0);
        for _ in 0..3 {
            b.add(&[Some(b"x")]);
        }
        assert_eq!(a.histogram(), b.histogram());
        assert_eq!(a.classes(), 1);
    }
}
