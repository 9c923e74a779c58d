//! Sampling a dump for `policy init`: the first N rows of every table, reduced on the fly to
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
use crate::risk::detect::{mask, scan, Detector};

/// Distinct values are counted up to this many (enough to tell a closed set from free text).
const DISTINCT_CAP: usize = 64;

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
}

impl ColumnStats {
    fn observe(&mut self, value: Option<&str>) {
        self.seen += 1;
        let Some(v) = value else { return };
        self.non_null += 1;
        self.max_chars = self.max_chars.max(v.chars().count());
        if self.distinct.len() < DISTINCT_CAP {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            v.hash(&mut h);
            self.distinct.insert(h.finish());
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

/// Reads up to `max_rows` rows of every table; also reports whether the dump has large objects.
pub fn sample(
    path: &Path,
    schema: &Schema,
    max_rows: usize,
    max_expanded: u64,
) -> Result<(Sample, bool), Error> {
    let input = crate::dump::input::open(path, max_expanded)?;
    let name = input.name.clone();
    let mut reader = DumpReader::new(input.reader);
    let mut out: Sample = HashMap::new();
    let mut rows: HashMap<QualifiedName, usize> = HashMap::new();
    let mut current: Option<(QualifiedName, Vec<String>)> = None;
    let mut large_objects = false;
    let mut buf = Vec::new();
    loop {
        let event = reader.next_event().map_err(|e| {
            Error::input(
                e.to_string(),
                Where {
                    input: Some(name.clone()),
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
                    (t, cols)
                });
            }
            Event::Statement { text, .. } => {
                if crate::pipeline::large_objects::classify(text).is_some() {
                    large_objects = true;
                }
                let Some(h) = parse_header(text) else {
                    continue;
                };
                let n = rows.entry(h.table.clone()).or_default();
                if *n >= max_rows {
                    continue;
                }
                let cols = h.columns.clone().unwrap_or_else(|| {
                    schema
                        .table(&h.table)
                        .map(|t| t.columns.iter().map(|c| c.name.clone()).collect())
                        .unwrap_or_default()
                });
                let stats = out.entry(h.table.clone()).or_default();
                let _ = insert_values::parse_rows(text, h.values_at, |values| {
                    if *n >= max_rows {
                        return Ok::<(), ()>(());
                    }
                    *n += 1;
                    for (col, v) in cols.iter().zip(values) {
                        let lit = &text[v.range.clone()];
                        buf.clear();
                        let value = match v.kind {
                            LiteralKind::Null => None,
                            LiteralKind::String => {
                                if insert_values::decode_string(lit, &mut buf).is_err() {
                                    continue;
                                }
                                Some(String::from_utf8_lossy(&buf).into_owned())
                            }
                            LiteralKind::Number | LiteralKind::Bool => {
                                Some(String::from_utf8_lossy(lit).into_owned())
                            }
                            LiteralKind::Expression => continue,
                        };
                        stats
                            .entry(col.clone())
                            .or_default()
                            .observe(value.as_deref());
                    }
                    Ok(())
                });
            }
            Event::CopyData { data, .. } => {
                let Some((table, cols)) = &current else {
                    continue;
                };
                let n = rows.entry(table.clone()).or_default();
                let stats = out.entry(table.clone()).or_default();
                for line in data.split(|&b| b == b'\n') {
                    if *n >= max_rows {
                        break;
                    }
                    let line = line.strip_suffix(b"\r").unwrap_or(line);
                    if line.is_empty() {
                        continue;
                    }
                    *n += 1;
                    for (col, field) in cols.iter().zip(copy_text::fields(line)) {
                        let value = if copy_text::is_null(field) {
                            None
                        } else {
                            buf.clear();
                            if copy_text::decode_into(field, false, &mut buf).is_err() {
                                continue;
                            }
                            Some(String::from_utf8_lossy(&buf).into_owned())
                        };
                        stats
                            .entry(col.clone())
                            .or_default()
                            .observe(value.as_deref());
                    }
                }
            }
            Event::CopyEnd { .. } => current = None,
            Event::Verbatim(_) | Event::Meta { .. } => {}
        }
    }
    Ok((out, large_objects))
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
