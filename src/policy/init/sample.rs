//! Sampling a dump for `policy init` (a file, or a live source's COPY blocks already cut to N
//! rows by the server): the first N rows of every table, reduced on the fly to
//! per-column statistics (detector hit counts, one masked example per detector, distinct counts).
//!
//! Raw values live only inside [`ColumnStats::observe`]; what is kept is counts and
//! [`mask`](crate::risk::detect::mask)ed examples, so nothing printed from here can leak a value.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::Path;

use crate::dump::copy_text;
use crate::dump::ident::{parse_column_list, parse_qualified_prefix, QualifiedName};
use crate::dump::insert_values::{self, LiteralKind};
use crate::dump::reader::{statement_body, DumpReader, Event};
use crate::dump::schema::Schema;
use crate::error::{Error, Where};
use crate::pipeline::insert::parse_header;
use crate::risk::detect::{mask, name_suggests_quasi_identifier, scan, Detector};

use super::classes::{Cell, QiRows};

/// Distinct values are counted up to this many (enough to tell a closed set from free text).
const DISTINCT_CAP: usize = 64;

/// Values are counted per class (by hash) up to this many classes; a column with more is not
/// one whose values can be kept as a quasi-identifier anyway.
const CLASS_CAP: usize = 4096;

/// What the sample says about one column.
#[derive(Debug, Clone, Default)]
pub struct ColumnStats {
    /// Values seen (NULLs included).
    pub seen: usize,
    /// Non-NULL values seen.
    pub non_null: usize,
    /// Whole values each detector recognised.
    pub whole: BTreeMap<Detector, usize>,
    /// Findings inside longer text (values not recognised whole).
    pub inside: BTreeMap<Detector, usize>,
    /// One masked example per detector.
    pub examples: BTreeMap<Detector, String>,
    /// Distinct non-NULL values, counted up to [`DISTINCT_CAP`] (by hash; never stored).
    distinct: HashSet<u64>,
    /// Longest value in characters.
    pub max_chars: usize,
    /// Values per class (by hash; never stored), for the smallest class of a quasi-identifier.
    classes: HashMap<u64, usize>,
    /// Whether more than [`CLASS_CAP`] classes were seen.
    classes_overflowed: bool,
    /// Values per calendar month (`yyyy * 12 + mm - 1`) of ISO dates and timestamps, so that
    /// `init` can choose how coarse a quasi-identifying date must be. Counts only.
    months: HashMap<u32, usize>,
}

/// `YYYY-MM-DD...` (how pg_dump writes dates and timestamps) → its month index.
pub fn iso_month(v: &str) -> Option<u32> {
    let b = v.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = b.get(r)?;
        part.iter()
            .all(u8::is_ascii_digit)
            .then(|| part.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
    };
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let (year, month) = (digits(0..4)?, digits(5..7)?);
    (1..=12).contains(&month).then(|| year * 12 + month - 1)
}

/// Calendar units `generalize_date` offers, finest first, with how many months each spans.
pub const DATE_UNITS: [(&str, u32); 3] = [("month", 1), ("quarter", 3), ("year", 12)];

impl ColumnStats {
    fn observe(&mut self, value: Option<&str>) {
        self.seen += 1;
        let Some(v) = value else { return };
        self.non_null += 1;
        self.max_chars = self.max_chars.max(v.chars().count());
        let mut h = std::collections::hash_map::DefaultHasher::new();
        v.hash(&mut h);
        let h = h.finish();
        if self.distinct.len() < DISTINCT_CAP {
            self.distinct.insert(h);
        }
        let room = self.classes.len() < CLASS_CAP;
        match self.classes.get_mut(&h) {
            Some(n) => *n += 1,
            None if room => {
                self.classes.insert(h, 1);
            }
            None => self.classes_overflowed = true,
        }
        if let Some(m) = iso_month(v) {
            *self.months.entry(m).or_default() += 1;
        }
        if let Some(d) = Detector::classify(v) {
            *self.whole.entry(d).or_default() += 1;
            self.examples.entry(d).or_insert_with(|| mask(d, v.trim()));
            return;
        }
        if v.len() > 3 {
            for (d, range) in scan(v) {
                *self.inside.entry(d).or_default() += 1;
                self.examples
                    .entry(d)
                    .or_insert_with(|| mask(d, &v[range.clone()]));
            }
        }
    }

    /// Distinct non-NULL values (capped).
    pub fn distinct(&self) -> usize {
        self.distinct.len()
    }

    /// Whether the distinct count hit the cap.
    pub fn distinct_capped(&self) -> bool {
        self.distinct.len() >= DISTINCT_CAP
    }

    /// NULLs seen: they form a class of their own in the risk checker's equivalence classes.
    pub fn nulls(&self) -> usize {
        self.seen - self.non_null
    }

    /// The smallest class of equal values in the sample (NULLs included), or `None` when there
    /// were too many classes to count or no values at all.
    pub fn smallest_class(&self) -> Option<usize> {
        if self.classes_overflowed {
            return None;
        }
        let nulls = Some(self.nulls()).filter(|n| *n > 0);
        self.classes.values().copied().chain(nulls).min()
    }

    /// The finest of [`DATE_UNITS`] at which every sampled class (dates truncated to the unit;
    /// NULLs one class) holds at least `min_k` values; `None` when even a year is too fine or
    /// not every value is an ISO date.
    pub fn date_unit(&self, min_k: usize) -> Option<&'static str> {
        let dates: usize = self.months.values().sum();
        if dates == 0 || dates != self.non_null || (1..min_k).contains(&self.nulls()) {
            return None;
        }
        DATE_UNITS.iter().find_map(|(unit, span)| {
            let mut classes: HashMap<u32, usize> = HashMap::new();
            for (m, n) in &self.months {
                *classes.entry(m / span).or_default() += n;
            }
            classes.values().all(|n| *n >= min_k).then_some(*unit)
        })
    }

    /// The detector that recognises most non-NULL values whole, if it recognises at least half.
    pub fn majority(&self) -> Option<(Detector, usize)> {
        self.whole
            .iter()
            .max_by_key(|(_, n)| **n)
            .filter(|(_, n)| **n * 2 >= self.non_null && **n > 0)
            .map(|(d, n)| (*d, *n))
    }
}

/// Per table: columns by name.
pub type Sample = HashMap<QualifiedName, HashMap<String, ColumnStats>>;

/// What sampling found.
#[derive(Debug, Default)]
pub struct Sampled {
    /// Per-column statistics.
    pub columns: Sample,
    /// Per table, the sampled rows of its quasi-identifier columns (by name), for joint classes.
    pub quasi_identifiers: HashMap<QualifiedName, QiRows>,
    /// Whether the input held large objects.
    pub large_objects: bool,
}

/// Reads up to `max_rows` rows of every table of the dump at `path`; also reports whether the
/// dump has large objects.
pub fn sample(
    path: &Path,
    schema: &Schema,
    max_rows: usize,
    max_expanded: u64,
) -> Result<Sampled, Error> {
    let input = crate::dump::input::open(path, max_expanded)?;
    let mut sampler = Sampler::new(max_rows);
    sampler.read(&input.name, input.reader, schema)?;
    Ok(sampler.finish())
}

/// Statistics gathered over one or more dump streams: a whole dump file, or (for a live source)
/// one COPY block per table, each already cut to the sample size by the server.
#[derive(Debug)]
pub struct Sampler {
    max_rows: usize,
    out: Sample,
    rows: HashMap<QualifiedName, usize>,
    qi: HashMap<QualifiedName, QiRows>,
    large_objects: bool,
    buf: Vec<u8>,
}

impl Sampler {
    /// A sampler that looks at no more than `max_rows` rows of any table.
    pub fn new(max_rows: usize) -> Sampler {
        Sampler {
            max_rows,
            out: HashMap::new(),
            rows: HashMap::new(),
            qi: HashMap::new(),
            large_objects: false,
            buf: Vec::new(),
        }
    }

    /// What the streams held.
    pub fn finish(self) -> Sampled {
        Sampled {
            columns: self.out,
            quasi_identifiers: self.qi,
            large_objects: self.large_objects,
        }
    }

    /// Reads one plain-format dump stream named `name` (for errors).
    pub fn read(
        &mut self,
        name: &str,
        input: impl std::io::Read,
        schema: &Schema,
    ) -> Result<(), Error> {
        let max_rows = self.max_rows;
        let buf = &mut self.buf;
        let mut reader = DumpReader::new(input);
        let mut current: Option<(QualifiedName, Vec<String>, Vec<Option<usize>>)> = None;
        loop {
            let event = reader.next_event().map_err(|e| {
                Error::input(
                    e.to_string(),
                    Where {
                        input: Some(name.to_owned()),
                        ..Where::default()
                    },
                )
            })?;
            let Some(event) = event else { break };
            match event {
                Event::Statement {
                    text,
                    copy_from_stdin: true,
                    ..
                } => {
                    current = copy_header(text).map(|(t, cols)| {
                        let cols = cols.unwrap_or_else(|| data_columns(schema, &t));
                        let layout = qi_layout(&mut self.qi, schema, &t, &cols);
                        (t, cols, layout)
                    });
                }
                Event::Statement { text, .. } => {
                    if crate::pipeline::large_objects::classify(text).is_some() {
                        self.large_objects = true;
                    }
                    let Some(h) = parse_header(text) else {
                        continue;
                    };
                    let n = self.rows.entry(h.table.clone()).or_default();
                    if *n >= max_rows {
                        continue;
                    }
                    let cols = h.columns.clone().unwrap_or_else(|| {
                        schema
                            .table(&h.table)
                            .map(|t| t.columns.iter().map(|c| c.name.clone()).collect())
                            .unwrap_or_default()
                    });
                    let layout = qi_layout(&mut self.qi, schema, &h.table, &cols);
                    let mut qi = self.qi.get_mut(&h.table);
                    let width = qi.as_ref().map_or(0, |q| q.columns.len());
                    let stats = self.out.entry(h.table.clone()).or_default();
                    let _ = insert_values::parse_rows(text, h.values_at, |values| {
                        if *n >= max_rows {
                            return Ok::<(), ()>(());
                        }
                        *n += 1;
                        let mut cells = vec![Cell::Null; width];
                        for ((col, v), at) in cols.iter().zip(values).zip(&layout) {
                            let lit = &text[v.range.clone()];
                            buf.clear();
                            let value = match v.kind {
                                LiteralKind::Null => None,
                                LiteralKind::String => {
                                    if insert_values::decode_string(lit, buf).is_err() {
                                        continue;
                                    }
                                    Some(String::from_utf8_lossy(buf).into_owned())
                                }
                                LiteralKind::Number | LiteralKind::Bool => {
                                    Some(String::from_utf8_lossy(lit).into_owned())
                                }
                                LiteralKind::Expression => continue,
                            };
                            if let Some(i) = at {
                                cells[*i] = Cell::of(value.as_deref());
                            }
                            stats
                                .entry(col.clone())
                                .or_default()
                                .observe(value.as_deref());
                        }
                        if let Some(qi) = qi.as_deref_mut().filter(|_| width > 0) {
                            qi.rows.push(cells);
                        }
                        Ok(())
                    });
                }
                Event::CopyData { data, .. } => {
                    let Some((table, cols, layout)) = &current else {
                        continue;
                    };
                    let n = self.rows.entry(table.clone()).or_default();
                    let stats = self.out.entry(table.clone()).or_default();
                    let mut qi = self.qi.get_mut(table);
                    let width = qi.as_ref().map_or(0, |q| q.columns.len());
                    for line in data.split(|&b| b == b'\n') {
                        if *n >= max_rows {
                            break;
                        }
                        let line = line.strip_suffix(b"\r").unwrap_or(line);
                        if line.is_empty() {
                            continue;
                        }
                        *n += 1;
                        let mut cells = vec![Cell::Null; width];
                        for ((col, field), at) in
                            cols.iter().zip(copy_text::fields(line)).zip(layout)
                        {
                            let value = if copy_text::is_null(field) {
                                None
                            } else {
                                buf.clear();
                                if copy_text::decode_into(field, false, buf).is_err() {
                                    continue;
                                }
                                Some(String::from_utf8_lossy(buf).into_owned())
                            };
                            if let Some(i) = at {
                                cells[*i] = Cell::of(value.as_deref());
                            }
                            stats
                                .entry(col.clone())
                                .or_default()
                                .observe(value.as_deref());
                        }
                        if let Some(qi) = qi.as_deref_mut().filter(|_| width > 0) {
                            qi.rows.push(cells);
                        }
                    }
                }
                Event::CopyEnd { .. } => current = None,
                Event::Verbatim(_) | Event::Meta { .. } => {}
            }
        }
        Ok(())
    }
}

/// Where each of `cols` (a COPY or INSERT column list) goes among the table's
/// quasi-identifier columns, registering the table on first sight. The quasi-identifiers are the
/// schema's data columns whose names mark them (or the list's, for a table the schema lacks).
fn qi_layout(
    qi: &mut HashMap<QualifiedName, QiRows>,
    schema: &Schema,
    table: &QualifiedName,
    cols: &[String],
) -> Vec<Option<usize>> {
    let rows = qi.entry(table.clone()).or_insert_with(|| {
        let names: Vec<String> = match schema.table(table) {
            Some(t) => t.data_columns().map(|c| c.name.clone()).collect(),
            None => cols.to_vec(),
        };
        QiRows {
            columns: names
                .into_iter()
                .filter(|n| name_suggests_quasi_identifier(n))
                .collect(),
            rows: Vec::new(),
        }
    });
    cols.iter()
        .map(|c| rows.columns.iter().position(|q| q == c))
        .collect()
}

fn data_columns(schema: &Schema, table: &QualifiedName) -> Vec<String> {
    schema
        .table(table)
        .map(|t| t.data_columns().map(|c| c.name.clone()).collect())
        .unwrap_or_default()
}

/// `COPY name [(cols)] FROM stdin;` → the table and its column list, if it has one.
fn copy_header(text: &[u8]) -> Option<(QualifiedName, Option<Vec<String>>)> {
    let body = statement_body(text);
    let rest = body
        .get(4..)
        .filter(|_| body[..4].eq_ignore_ascii_case(b"copy"))?;
    let (table, n) = parse_qualified_prefix(rest)?;
    let rest = &rest[n..];
    let trimmed = rest.trim_ascii_start();
    let cols = if trimmed.starts_with(b"(") {
        parse_column_list(trimmed).map(|(c, _)| c)
    } else {
        None
    };
    Some((table, cols))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stats(values: &[Option<&str>]) -> ColumnStats {
        let mut st = ColumnStats::default();
        for v in values {
            st.observe(*v);
        }
        st
    }

    #[test]
    fn date_units_are_the_finest_whose_sampled_classes_reach_min_k() {
        // Five dates in each of two months of one quarter.
        let mut v = vec![Some("1984-01-03"); 5];
        v.extend([Some("1984-02-28 10:00:00+00"); 5]);
        assert_eq!(stats(&v).date_unit(5), Some("month"));
        v[0] = Some("1984-03-01");
        assert_eq!(stats(&v).date_unit(5), Some("quarter"));
        v[1] = Some("1984-12-31");
        assert_eq!(stats(&v).date_unit(5), Some("year"));
        v[2] = Some("1985-01-01");
        assert_eq!(stats(&v).date_unit(5), None, "1985 holds one date");
        // A handful of NULLs is a small class of its own; many are not.
        let mut w = vec![Some("1984-01-03"); 10];
        w.push(None);
        assert_eq!(stats(&w).date_unit(5), None);
        w.extend([None; 4]);
        assert_eq!(stats(&w).date_unit(5), Some("month"));
        // Values that are not ISO dates cannot be judged.
        assert_eq!(stats(&[Some("03/01/1984"); 10]).date_unit(5), None);
    }

    #[test]
    fn smallest_class_counts_equal_values_and_nulls() {
        let st = stats(&[Some("a"), Some("a"), Some("b"), None, None, None]);
        assert_eq!(st.smallest_class(), Some(1));
        let st = stats(&[Some("a"), Some("a"), None, None]);
        assert_eq!(st.smallest_class(), Some(2));
        assert_eq!(stats(&[]).smallest_class(), None);
    }
}
