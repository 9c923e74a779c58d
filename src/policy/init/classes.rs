//! Joint equivalence classes of one table's quasi-identifiers on the sample, for `policy init`.
//!
//! The risk gate judges the combination of a table's quasi-identifiers: a birth month and a zip
//! code that are each common can single someone out together. [`meet_min_k`] takes the rules
//! suggested column by column and coarsens them, one step at a time, until every class of equal
//! output tuples in the sample holds at least `min_k` rows (or nothing is left to coarsen).
//!
//! Only hashes and month numbers are kept per sampled row ([`Cell`]), never a value.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use crate::dump::schema::Column;

use super::suggest::{self, Suggestion};

/// One sampled value of a quasi-identifier, reduced to what class computations need.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cell {
    /// NULL.
    Null,
    /// A value: its hash, and its month if it is an ISO date or timestamp.
    Value { hash: u64, month: Option<u32> },
}

impl Cell {
    /// The cell for a sampled value.
    pub fn of(value: Option<&str>) -> Cell {
        match value {
            None => Cell::Null,
            Some(v) => {
                let mut h = std::collections::hash_map::DefaultHasher::new();
                v.hash(&mut h);
                Cell::Value {
                    hash: h.finish(),
                    month: super::sample::iso_month(v),
                }
            }
        }
    }
}

/// Sampled rows of one table's quasi-identifier columns (as named by the sampler).
#[derive(Debug, Clone, Default)]
pub struct QiRows {
    /// The quasi-identifier columns, in the table's order.
    pub columns: Vec<String>,
    /// One cell per column per sampled row.
    pub rows: Vec<Vec<Cell>>,
}

/// What a suggested rule makes of values, as far as classes go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Output {
    /// Every value becomes NULL (`null`).
    Null,
    /// Every non-NULL value becomes one constant (`redact`).
    Constant,
    /// Dates truncated to spans of this many months (`generalize_date`).
    Months(u32),
    /// Assumed as fine as the original (`keep`, and conservatively every other rule).
    Distinct,
}

fn output(s: &Suggestion) -> Output {
    let get = |k: &str| s.keys.iter().find(|(key, _)| *key == k).map(|(_, v)| v);
    match get("transform").and_then(|v| v.as_str()) {
        Some("null") => Output::Null,
        Some("redact") => Output::Constant,
        Some("generalize_date") => {
            let unit = get("unit").and_then(|v| v.as_str()).unwrap_or("year");
            super::sample::DATE_UNITS
                .iter()
                .find(|(u, _)| *u == unit)
                .map_or(Output::Distinct, |(_, span)| Output::Months(*span))
        }
        _ => Output::Distinct,
    }
}

/// The class key of one cell under one output.
fn key(cell: Cell, out: Output) -> u64 {
    match (cell, out) {
        (_, Output::Null) | (Cell::Null, _) => 0,
        (Cell::Value { .. }, Output::Constant) => 1,
        (Cell::Value { month: Some(m), .. }, Output::Months(span)) => 2 + u64::from(m / span),
        (Cell::Value { hash, .. }, _) => hash | (1 << 63),
    }
}

/// Class sizes of the rows' output tuples.
fn classes(rows: &QiRows, outputs: &[Output]) -> HashMap<Vec<u64>, usize> {
    let mut out: HashMap<Vec<u64>, usize> = HashMap::new();
    for row in &rows.rows {
        let k: Vec<u64> = row.iter().zip(outputs).map(|(c, o)| key(*c, *o)).collect();
        *out.entry(k).or_default() += 1;
    }
    out
}

/// Coarsens `plan` (the quasi-identifier columns of one table, in [`QiRows::columns`] order,
/// with their suggested rules) until every sampled class holds at least `min_k` rows. Each step
/// coarsens the column whose output alone has the most distinct values, since it splits the
/// classes most. Returns how many steps were taken.
pub fn meet_min_k(rows: &QiRows, plan: &mut [(&Column, Suggestion)], min_k: usize) -> usize {
    let mut steps = 0;
    loop {
        let outputs: Vec<Output> = plan.iter().map(|(_, s)| output(s)).collect();
        let smallest = classes(rows, &outputs).values().copied().min();
        if smallest.is_none_or(|k| k >= min_k) {
            return steps;
        }
        let alone = |i: usize| {
            let mut seen = std::collections::HashSet::new();
            for row in &rows.rows {
                seen.insert(key(row[i], outputs[i]));
            }
            seen.len()
        };
        let candidate = (0..plan.len())
            .filter_map(|i| {
                suggest::coarsen(plan[i].0, &plan[i].1, min_k).map(|next| (alone(i), i, next))
            })
            .max_by_key(|(n, i, _)| (*n, std::cmp::Reverse(*i)));
        let Some((_, i, next)) = candidate else {
            return steps;
        };
        plan[i].1 = next;
        steps += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dump::schema::TypeKind;
    use crate::policy::init::suggest::tests::{column, transform_and_unit};

    fn rows(data: &[(&str, &str)]) -> QiRows {
        QiRows {
            columns: vec!["birth_date".into(), "zip".into()],
            rows: data
                .iter()
                .map(|(b, z)| vec![Cell::of(Some(b)), Cell::of(Some(z))])
                .collect(),
        }
    }

    fn plan_after(data: &[(&str, &str)]) -> ((String, Option<String>), String, usize) {
        let birth = column("birth_date", TypeKind::Date, "date", false);
        let zip = column("zip", TypeKind::Text, "text", false);
        let mut plan = vec![
            (
                &birth,
                suggest::quasi_identifier(
                    &birth,
                    Suggestion {
                        keys: vec![
                            ("transform", toml::Value::String("generalize_date".into())),
                            ("unit", toml::Value::String("month".into())),
                        ],
                        why: "a date of birth".into(),
                    },
                    None,
                    5,
                ),
            ),
            (
                &zip,
                Suggestion {
                    keys: vec![("transform", toml::Value::String("keep".into()))],
                    why: "closed set".into(),
                },
            ),
        ];
        let steps = meet_min_k(&rows(data), &mut plan, 5);
        (
            transform_and_unit(&plan[0].1),
            transform_and_unit(&plan[1].1).0,
            steps,
        )
    }

    fn repeat<'a>(pattern: &[(&'a str, &'a str)], n: usize) -> Vec<(&'a str, &'a str)> {
        pattern
            .iter()
            .copied()
            .cycle()
            .take(pattern.len() * n)
            .collect()
    }

    #[test]
    fn large_joint_classes_need_no_change() {
        let data = repeat(&[("1984-01-03", "10001"), ("1984-02-03", "10002")], 5);
        let (birth, zip, steps) = plan_after(&data);
        assert_eq!(birth, ("generalize_date".into(), Some("month".into())));
        assert_eq!((zip.as_str(), steps), ("keep", 0));
    }

    #[test]
    fn the_column_that_splits_most_is_coarsened_first() {
        // Four zips against two months: the zips go.
        let data = repeat(
            &[
                ("1984-01-03", "10001"),
                ("1984-02-03", "10002"),
                ("1984-01-03", "10003"),
                ("1984-02-03", "10004"),
            ],
            3,
        );
        let (birth, zip, _) = plan_after(&data);
        assert_eq!(birth, ("generalize_date".into(), Some("month".into())));
        assert_eq!(zip, "null");
        // Four months (two quarters) against two zips: the dates go to quarters.
        let data = repeat(
            &[
                ("1984-01-03", "10001"),
                ("1984-01-03", "10002"),
                ("1984-02-03", "10001"),
                ("1984-02-03", "10002"),
                ("1984-04-03", "10001"),
                ("1984-04-03", "10002"),
                ("1984-05-03", "10001"),
                ("1984-05-03", "10002"),
            ],
            3,
        );
        let (birth, zip, steps) = plan_after(&data);
        assert_eq!(birth, ("generalize_date".into(), Some("quarter".into())));
        assert_eq!((zip.as_str(), steps), ("keep", 1));
    }
}
