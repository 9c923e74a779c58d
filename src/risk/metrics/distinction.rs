//! Alpha-distinction and alpha-separation of a column set, the measures ARX uses to find
//! near-keys among candidate quasi-identifiers (`TestRiskQuasiIdentifiers`).
//!
//! Both are functions of the class histogram of the column set; [`column_set`] groups rows for
//! the caller. Searching over column sets is the caller's job.

use super::classes::{ClassCounter, ClassHistogram};
use super::Cell;

/// Distinction and separation of one column set.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DistinctionSeparation {
    /// `u/n`: distinct tuples per record; 1 means the columns form a key.
    pub distinction: f64,
    /// Share of record pairs that the column set tells apart.
    pub separation: f64,
}

/// Distinction `u/n`; 0 for an empty table.
pub fn distinction(h: &ClassHistogram) -> f64 {
    h.average_risk()
}

/// Separation `1 − Σ f_j(f_j−1)/2 / (n(n−1)/2)`.
///
/// A table with fewer than two records has no pair to confuse, so its separation is 1 when it
/// has one record and 0 when it is empty (matching distinction, which is 0 for no records).
pub fn separation(h: &ClassHistogram) -> f64 {
    let n = h.records() as f64;
    if h.records() == 0 {
        return 0.0;
    }
    if h.records() == 1 {
        return 1.0;
    }
    // f64 keeps n(n−1) exact up to about 9·10^7 records and accurate to 1e-16 relative beyond.
    let same: f64 = h
        .iter()
        .map(|(s, c)| c as f64 * (s as f64) * (s as f64 - 1.0) / 2.0)
        .sum();
    1.0 - same / (n * (n - 1.0) / 2.0)
}

/// Both measures for a histogram.
pub fn of_histogram(h: &ClassHistogram) -> DistinctionSeparation {
    DistinctionSeparation {
        distinction: distinction(h),
        separation: separation(h),
    }
}

/// Distinction and separation of the columns `columns` of `rows`. A column index past the end
/// of a row reads as NULL, so ragged input cannot panic.
pub fn column_set<'a, R: AsRef<[Cell<'a>]>>(
    rows: &[R],
    columns: &[usize],
) -> DistinctionSeparation {
    let mut counter = ClassCounter::new();
    let mut tuple: Vec<Cell<'a>> = Vec::with_capacity(columns.len());
    for row in rows {
        let row = row.as_ref();
        tuple.clear();
        tuple.extend(columns.iter().map(|&c| row.get(c).copied().flatten()));
        counter.add(&tuple);
    }
    of_histogram(&counter.histogram())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arx_quasi_identifier_fixture() {
        // Rows (age, sex, state) from ARX TestRiskQuasiIdentifiers, via RISK-MODELS.md.
        let rows: Vec<[Cell<'_>; 3]> = [
            ("20", "F", "CA"),
            ("30", "F", "CA"),
            ("40", "F", "TX"),
            ("20", "M", "NY"),
            ("40", "M", "CA"),
        ]
        .iter()
        .map(|&(a, s, t)| [Some(a.as_bytes()), Some(s.as_bytes()), Some(t.as_bytes())])
        .collect();
        let cases: &[(&[usize], f64, f64)] = &[
            (&[1], 0.4, 0.6),
            (&[2], 0.6, 0.7),
            (&[0], 0.6, 0.8),
            (&[1, 2], 0.8, 0.9),
            (&[0, 1], 1.0, 1.0),
        ];
        for &(cols, d, s) in cases {
            let got = column_set(&rows, cols);
            assert!((got.distinction - d).abs() < 1e-12, "{cols:?}: {got:?}");
            assert!((got.separation - s).abs() < 1e-12, "{cols:?}: {got:?}");
        }
    }

    #[test]
    fn degenerate_tables() {
        let cases: &[(&[u64], f64, f64)] = &[(&[], 0.0, 0.0), (&[1], 1.0, 1.0), (&[4], 0.25, 0.0)];
        for &(sizes, d, s) in cases {
            let got = of_histogram(&ClassHistogram::from_class_sizes(sizes));
            assert_eq!((got.distinction, got.separation), (d, s), "{sizes:?}");
        }
    }
}
