//! Special uniques (SUDA, as sdcMicro's `suda2`): minimal sample uniques of each record and the
//! score `Σ (M − |S|)!` over them.
//!
//! A set S of key columns is a minimal sample unique (MSU) of record r when r is the only record
//! with its values on S and on no proper subset of S. Uniqueness is monotone (unique on T implies
//! unique on every superset), so enumerating sets by increasing size and recording MSUs per record
//! decides minimality: S is minimal iff no recorded MSU of r is a subset of S.
//!
//! Rows are given as already-encoded values (e.g. keyed hashes or dictionary codes), so nothing
//! here ever holds a raw value.

use std::collections::HashMap;
use std::hash::Hash;

/// The default largest MSU size searched, as in common SUDA practice.
pub const DEFAULT_MAX_SIZE: usize = 3;

/// Why SUDA cannot run on the given rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SudaError {
    /// Column sets are bit masks, so at most 64 key columns are supported.
    #[error("SUDA supports at most 64 key columns, got {0}")]
    TooManyColumns(usize),
    /// Every row must have the same number of key columns.
    #[error("row {row} has {found} key columns, expected {expected}")]
    RaggedRow {
        /// Index of the offending row.
        row: usize,
        /// Its number of columns.
        found: usize,
        /// The number of columns of the first row.
        expected: usize,
    },
}

/// A column set that is a minimal sample unique for some records.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Combination {
    /// Key column indices, ascending.
    pub columns: Vec<usize>,
    /// How many records this set singles out as an MSU.
    pub records: u64,
}

/// SUDA result: one score per input row and the column sets that single out the most records.
#[derive(Clone, Debug, PartialEq)]
pub struct Suda {
    /// `Σ (M − |S|)!` over the MSUs of each row, in input order.
    pub scores: Vec<f64>,
    /// Every MSU column set, most records first (then smaller sets, then lower indices).
    pub combinations: Vec<Combination>,
}

impl Suda {
    /// The `limit` column sets that single out the most records.
    pub fn worst(&self, limit: usize) -> &[Combination] {
        &self.combinations[..limit.min(self.combinations.len())]
    }
}

/// Runs SUDA over `rows` (each a slice of M encoded key values), with MSUs up to `max_size`
/// columns.
pub fn suda<T, R>(rows: &[R], max_size: usize) -> Result<Suda, SudaError>
where
    T: Hash + Eq,
    R: AsRef<[T]>,
{
    let m = rows.first().map_or(0, |r| r.as_ref().len());
    if m > 64 {
        return Err(SudaError::TooManyColumns(m));
    }
    if let Some((row, r)) = rows.iter().enumerate().find(|(_, r)| r.as_ref().len() != m) {
        return Err(SudaError::RaggedRow {
            row,
            found: r.as_ref().len(),
            expected: m,
        });
    }
    let codes = encode(rows, m);
    let mut msus: Vec<Vec<u64>> = vec![Vec::new(); rows.len()];
    let mut combinations = Vec::new();
    for size in 1..=max_size.min(m) {
        for set in subsets(m, size) {
            let mut counts: HashMap<Vec<u32>, u32> = HashMap::new();
            let project = |row: &[u32]| -> Vec<u32> { set.iter().map(|&c| row[c]).collect() };
            for row in &codes {
                *counts.entry(project(row)).or_insert(0) += 1;
            }
            let mask = set.iter().fold(0u64, |acc, &c| acc | (1u64 << c));
            let mut singled_out = 0u64;
            for (r, row) in codes.iter().enumerate() {
                let unique = counts.get(&project(row)) == Some(&1);
                if unique && !msus[r].iter().any(|&found| is_subset(found, mask)) {
                    msus[r].push(mask);
                    singled_out += 1;
                }
            }
            if singled_out > 0 {
                combinations.push(Combination {
                    columns: set,
                    records: singled_out,
                });
            }
        }
    }
    combinations.sort_by(|a, b| {
        b.records
            .cmp(&a.records)
            .then(a.columns.len().cmp(&b.columns.len()))
            .then(a.columns.cmp(&b.columns))
    });
    let scores = msus
        .iter()
        .map(|found| {
            found
                .iter()
                .map(|s| factorial(m - s.count_ones() as usize))
                .sum()
        })
        .collect();
    Ok(Suda {
        scores,
        combinations,
    })
}

/// Dictionary-encodes each column so that projections hash small integers, not values.
fn encode<T: Hash + Eq, R: AsRef<[T]>>(rows: &[R], m: usize) -> Vec<Vec<u32>> {
    let mut dictionaries: Vec<HashMap<&T, u32>> = (0..m).map(|_| HashMap::new()).collect();
    rows.iter()
        .map(|row| {
            row.as_ref()
                .iter()
                .zip(dictionaries.iter_mut())
                .map(|(value, dict)| {
                    let next = dict.len() as u32;
                    *dict.entry(value).or_insert(next)
                })
                .collect()
        })
        .collect()
}

/// Whether column set `a` is contained in column set `b` (both bit masks).
fn is_subset(a: u64, b: u64) -> bool {
    a & !b == 0
}

/// All `size`-subsets of `0..m` in lexicographic order.
fn subsets(m: usize, size: usize) -> Vec<Vec<usize>> {
    let mut out = Vec::new();
    let mut current: Vec<usize> = (0..size).collect();
    if size == 0 || size > m {
        return out;
    }
    loop {
        out.push(current.clone());
        // Advance the rightmost index that still has room.
        let Some(i) = (0..size).rev().find(|&i| current[i] < m - size + i) else {
            return out;
        };
        current[i] += 1;
        for j in i + 1..size {
            current[j] = current[j - 1] + 1;
        }
    }
}

/// `k!` as f64; exact up to 22! and finite up to 170!, beyond which it saturates to infinity.
fn factorial(k: usize) -> f64 {
    (1..=k).map(|i| i as f64).product()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sdcmicro_fixture() {
        let rows = [
            ["20s", "male", "50k+", "highschool"],
            ["20s", "male", "50k+", "highschool"],
            ["20s", "male", "50k-", "highschool"],
            ["20s", "male", "50k-", "highschool"],
            ["20s", "female", "50k-", "university"],
            ["20s", "female", "50k-", "highschool"],
            ["20s", "female", "50k-", "middleschool"],
            ["60s", "male", "50k-", "university"],
        ];
        let got = suda(&rows, DEFAULT_MAX_SIZE).expect("well-formed rows");
        assert_eq!(got.scores, vec![0.0, 0.0, 0.0, 0.0, 4.0, 2.0, 6.0, 8.0]);
        let worst: Vec<(Vec<usize>, u64)> = got
            .worst(3)
            .iter()
            .map(|c| (c.columns.clone(), c.records))
            .collect();
        // {gender, education} singles out rows 5, 6 and 8; {education} row 7; {age} row 8.
        assert_eq!(worst, vec![(vec![1, 3], 3), (vec![0], 1), (vec![3], 1)]);
    }

    #[test]
    fn max_size_limits_the_search() {
        // Every pair occurs twice except (3, 3), which is unique on each column alone, so the
        // pair of columns is never minimal and raising the limit changes nothing.
        let rows = [
            [1, 1],
            [1, 2],
            [2, 1],
            [2, 2],
            [1, 1],
            [2, 2],
            [1, 2],
            [2, 1],
            [3, 3],
        ];
        let cases: &[(usize, &[f64])] = &[
            (0, &[0.0; 9]),
            (1, &[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 2.0]),
            (2, &[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 2.0]),
        ];
        for &(max, want) in cases {
            assert_eq!(
                suda(&rows, max).expect("well-formed").scores,
                want,
                "max {max}"
            );
        }
        // Here (2, 1) occurs once but each of its values occurs elsewhere: an MSU of size 2.
        let pairs = [[1, 1], [1, 2], [2, 1], [2, 2], [1, 1], [2, 2], [1, 2]];
        assert_eq!(
            suda(&pairs, 2).expect("well-formed").scores[5..],
            [0.0, 0.0]
        );
        assert_eq!(suda(&pairs, 2).expect("well-formed").scores[2], 1.0);
    }

    #[test]
    fn malformed_input_is_a_typed_error() {
        let ragged: Vec<Vec<u8>> = vec![vec![1, 2], vec![1]];
        assert_eq!(
            suda(&ragged, 3),
            Err(SudaError::RaggedRow {
                row: 1,
                found: 1,
                expected: 2
            })
        );
        let wide = vec![vec![0u8; 65]];
        assert_eq!(suda(&wide, 3), Err(SudaError::TooManyColumns(65)));
        let empty: Vec<Vec<u8>> = Vec::new();
        assert_eq!(
            suda(&empty, 3).expect("empty is fine").scores,
            Vec::<f64>::new()
        );
    }

    #[test]
    fn subsets_enumerates_combinations() {
        assert_eq!(subsets(4, 2).len(), 6);
        assert_eq!(subsets(3, 3), vec![vec![0, 1, 2]]);
        assert!(subsets(2, 3).is_empty());
    }
}
