//! Diversity of a sensitive column inside each equivalence class: distinct l-diversity, entropy
//! l-diversity and t-closeness with the equal-distance ground metric.
//!
//! The caller supplies `(class, sensitive value)` pairs with any hashable types (typically the
//! class key from its own grouping and a keyed hash of the sensitive value), so no raw value has
//! to be kept here. Prosecutor risk of the classes themselves is in [`super::classes`].

use std::collections::HashMap;
use std::hash::Hash;

/// Diversity measures of one class.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ClassDiversity {
    /// Records in the class.
    pub records: u64,
    /// Distinct sensitive values: the class is distinct l-diverse for every `l ≤ distinct`.
    pub distinct: u64,
    /// Shannon entropy `−Σ p ln p` in nats: entropy l-diverse iff `entropy ≥ ln l`.
    pub entropy: f64,
    /// Equal-distance Earth mover's distance to the table-wide distribution, in [0, 1]:
    /// t-close iff `distance ≤ t`.
    pub distance: f64,
}

impl ClassDiversity {
    /// The largest l for which the class is entropy l-diverse, `exp(entropy)`.
    pub fn entropy_l(&self) -> f64 {
        self.entropy.exp()
    }

    /// Whether the class has at least `l` distinct sensitive values.
    pub fn is_distinct_l_diverse(&self, l: u64) -> bool {
        self.distinct >= l
    }

    /// Whether `−Σ p ln p ≥ ln l`. A tiny tolerance absorbs rounding, so a class with exactly `l`
    /// equally frequent values passes.
    pub fn is_entropy_l_diverse(&self, l: f64) -> bool {
        l <= 1.0 || self.entropy + 1e-12 >= l.ln()
    }

    /// Whether the class distribution is within `t` of the table-wide one.
    pub fn is_t_close(&self, t: f64) -> bool {
        self.distance <= t + 1e-12
    }
}

/// Shannon entropy in nats of a frequency vector; zero frequencies are skipped.
pub fn entropy(frequencies: &[u64]) -> f64 {
    let total: u64 = frequencies.iter().sum();
    if total == 0 {
        return 0.0;
    }
    let total = total as f64;
    frequencies
        .iter()
        .filter(|&&f| f > 0)
        .map(|&f| {
            let p = f as f64 / total;
            -p * p.ln()
        })
        .sum()
}

/// Equal-distance t-closeness: `½ Σ_s |p_s − q_s|` where both vectors are frequencies indexed by
/// the same sensitive values (missing entries count as zero).
pub fn equal_distance(class: &[u64], table: &[u64]) -> f64 {
    let class_total: u64 = class.iter().sum();
    let table_total: u64 = table.iter().sum();
    let share = |v: &[u64], i: usize, total: u64| {
        if total == 0 {
            0.0
        } else {
            v.get(i).copied().unwrap_or(0) as f64 / total as f64
        }
    };
    let len = class.len().max(table.len());
    (0..len)
        .map(|i| (share(class, i, class_total) - share(table, i, table_total)).abs())
        .sum::<f64>()
        / 2.0
}

/// Diversity of every class from `(class, sensitive value)` pairs, one pair per record. Classes
/// come back in first-seen order with their key.
pub fn per_class<C, V>(records: impl IntoIterator<Item = (C, V)>) -> Vec<(C, ClassDiversity)>
where
    C: Hash + Eq + Clone,
    V: Hash + Eq,
{
    let mut value_index: HashMap<V, usize> = HashMap::new();
    let mut class_index: HashMap<C, usize> = HashMap::new();
    let mut classes: Vec<(C, HashMap<usize, u64>)> = Vec::new();
    let mut table: Vec<u64> = Vec::new();
    for (class, value) in records {
        let next = value_index.len();
        let v = *value_index.entry(value).or_insert(next);
        if v == table.len() {
            table.push(0);
        }
        table[v] += 1;
        let next = classes.len();
        let c = *class_index.entry(class.clone()).or_insert(next);
        if c == classes.len() {
            classes.push((class, HashMap::new()));
        }
        *classes[c].1.entry(v).or_insert(0) += 1;
    }
    classes
        .into_iter()
        .map(|(key, counts)| {
            let mut dense = vec![0u64; table.len()];
            for (&v, &f) in &counts {
                dense[v] = f;
            }
            let diversity = ClassDiversity {
                records: counts.values().sum(),
                distinct: counts.len() as u64,
                entropy: entropy(&dense),
                distance: equal_distance(&dense, &table),
            };
            (key, diversity)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entropy_and_distance_match_hand_computation() {
        // (class, table, entropy, distance)
        let ln2 = 2f64.ln();
        let cases: &[(&[u64], &[u64], f64, f64)] = &[
            (&[1, 1], &[1, 1], ln2, 0.0),
            (&[4, 0], &[4, 4], 0.0, 0.5),
            (&[2, 1, 1], &[2, 1, 1], 1.5 * ln2, 0.0),
            // p = (0.5, 0.5, 0), q = (0.25, 0.25, 0.5): ½(0.25 + 0.25 + 0.5) = 0.5.
            (&[1, 1, 0], &[1, 1, 2], ln2, 0.5),
            (&[], &[], 0.0, 0.0),
        ];
        for &(class, table, h, d) in cases {
            assert!((entropy(class) - h).abs() < 1e-12, "{class:?}");
            assert!(
                (equal_distance(class, table) - d).abs() < 1e-12,
                "{class:?}"
            );
        }
    }

    #[test]
    fn per_class_counts_values_inside_each_class() {
        // Class A: flu, flu, cold, cancer; class B: flu, flu. Table: flu 4, cold 1, cancer 1.
        let records = [
            ("A", "flu"),
            ("A", "flu"),
            ("A", "cold"),
            ("B", "flu"),
            ("A", "cancer"),
            ("B", "flu"),
        ];
        let got = per_class(records);
        assert_eq!(got.len(), 2);
        let (a, b) = (got[0].1, got[1].1);
        assert_eq!((got[0].0, a.records, a.distinct), ("A", 4, 3));
        assert_eq!((got[1].0, b.records, b.distinct), ("B", 2, 1));
        assert!((a.entropy - 1.5 * 2f64.ln()).abs() < 1e-12);
        // B: p = (1, 0, 0), q = (4/6, 1/6, 1/6): ½(1/3 + 1/6 + 1/6) = 1/3.
        assert!((b.distance - 1.0 / 3.0).abs() < 1e-12);
        let checks = [
            (a.is_distinct_l_diverse(3), true),
            (a.is_distinct_l_diverse(4), false),
            (a.is_entropy_l_diverse(2.0), true),
            (a.is_entropy_l_diverse(3.0), false),
            (b.is_entropy_l_diverse(2.0), false),
            (b.is_entropy_l_diverse(1.0), true),
            (b.is_t_close(0.3), false),
            (b.is_t_close(0.34), true),
        ];
        for (i, (got, want)) in checks.into_iter().enumerate() {
            assert_eq!(got, want, "check {i}");
        }
    }

    #[test]
    fn equally_frequent_values_meet_entropy_l_exactly() {
        let d = per_class((0..3).map(|v| (0u8, v)));
        assert!(d[0].1.is_entropy_l_diverse(3.0));
        assert!((d[0].1.entropy_l() - 3.0).abs() < 1e-9);
    }
}
