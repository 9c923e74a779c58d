//! The second read of a file input, for the leak checks one pass cannot do.
//!
//! A table dumped before the column whose originals it leaks was read before those originals
//! were fingerprinted. When the input is a regular file, the pipeline reads it again after the
//! first pass — only the data of the tables the checker names, and only until their rows are
//! all seen — and hands the checker their output cells once more
//! (`risk::checker::second_read` says what it does with them). Nothing is written: the sink has
//! the first pass's output and is still uncommitted, so the verdict that gates it includes these
//! leaks. Stdin and a live source are read once; their report lists the pairs as unchecked.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use crate::dump::ident::QualifiedName;
use crate::dump::input;
use crate::dump::reader::{statement_body, DumpReader, Event};
use crate::error::{Error, Where};

use super::copy::{self, RowPlan};
use super::{client_encoding, insert, parse_copy_header, read_error, starts_with_ci, Job};

/// A file input that can be read again, and how it looked when the run began.
#[derive(Debug)]
pub(super) struct Rereadable {
    path: PathBuf,
    stamp: (u64, Option<SystemTime>),
}

impl Rereadable {
    /// The input, if it is a regular file (not `-`, a pipe or a device, which read once).
    pub(super) fn of(path: &Path) -> Option<Rereadable> {
        if path.as_os_str() == "-" {
            return None;
        }
        let meta = std::fs::metadata(path).ok().filter(|m| m.is_file())?;
        Some(Rereadable {
            path: path.to_owned(),
            stamp: (meta.len(), meta.modified().ok()),
        })
    }

    /// Whether the file still has the size and modification time it had at the start.
    fn unchanged(&self) -> bool {
        Rereadable::of(&self.path).is_some_and(|now| now.stamp == self.stamp)
    }
}

impl Job<'_> {
    /// Reads the input again for the leak pairs the first pass could not check; does nothing
    /// when there are none (or no checker).
    pub(super) fn second_read(
        &mut self,
        file: &Rereadable,
        max_expanded: u64,
    ) -> Result<(), Error> {
        let Some(checker) = self.checker.as_mut() else {
            return Ok(());
        };
        let wanted = checker.begin_second_read();
        if wanted.is_empty() {
            return Ok(());
        }
        tracing::info!(
            tables = wanted.len(),
            "reading the input a second time: tables dumped before a column whose originals they may hold"
        );
        let input = input::open(&file.path, max_expanded)?;
        let changed = || {
            Error::input(
                "the input file changed while understudy ran: the second read for the leak checks would not see what was written",
                Where {
                    input: Some(input.name.clone()),
                    ..Where::default()
                },
            )
        };
        if !file.unchanged() {
            return Err(changed());
        }
        // Rows still to come per table: the read stops once every wanted table is complete,
        // since these tables come early in the dump (before some source column).
        let mut left: BTreeMap<QualifiedName, u64> = wanted.into_iter().collect();
        let name = input.name.clone();
        let mut reader = DumpReader::new(input.reader);
        let mut utf8 = false;
        let mut copy: Option<(QualifiedName, Arc<RowPlan>)> = None;
        let mut insert_cache: Option<(QualifiedName, bool, Arc<RowPlan>)> = None;
        let mut scratch = Vec::new();
        while let Some(event) = reader.next_event().map_err(|e| read_error(e, &name))? {
            match event {
                Event::Statement {
                    text,
                    line,
                    copy_from_stdin: true,
                } => {
                    copy = None;
                    let header = parse_copy_header(statement_body(text)).ok_or_else(|| {
                        Error::input("a COPY statement understudy cannot parse", self.at(line))
                    })?;
                    if left.contains_key(&header.name) {
                        let plan = self.row_plan(&header.name, header.columns, false, line)?;
                        copy = leak_plan(&plan).map(|p| (header.name, p));
                    }
                }
                Event::Statement { text, line, .. } => {
                    let body = statement_body(text);
                    if starts_with_ci(body, b"set ") {
                        if let Some(encoding) = client_encoding(body) {
                            utf8 = encoding.eq_ignore_ascii_case("utf8")
                                || encoding.eq_ignore_ascii_case("utf-8");
                        }
                        continue;
                    }
                    if !starts_with_ci(body, b"insert") {
                        continue;
                    }
                    let Some(header) = insert::parse_header(text) else {
                        continue;
                    };
                    let Some(rows_left) = left.get_mut(&header.table) else {
                        continue;
                    };
                    let has_columns = header.columns.is_some();
                    let plan = match &insert_cache {
                        Some((t, c, plan)) if *t == header.table && *c == has_columns => {
                            plan.clone()
                        }
                        _ => {
                            let full =
                                self.row_plan(&header.table, header.columns.clone(), true, line)?;
                            let Some(plan) = leak_plan(&full) else {
                                continue;
                            };
                            insert_cache = Some((header.table.clone(), has_columns, plan.clone()));
                            plan
                        }
                    };
                    scratch.clear();
                    let rows = insert::rewrite(&plan, text, header.values_at, utf8, &mut scratch)
                        .map_err(|e| {
                        Error::input(e.message, self.at(line).table(&header.table))
                    })?;
                    *rows_left = rows_left.saturating_sub(rows);
                    let (Some(checker), Some(needs)) = (self.checker.as_mut(), &plan.needs) else {
                        continue;
                    };
                    let mut acc = checker.accumulator(&header.table, &plan.columns);
                    insert::observe(text, &scratch, header.values_at, needs, &mut acc);
                    checker.merge(acc);
                }
                Event::CopyData {
                    data,
                    first_line,
                    crlf,
                } => {
                    let (Some((table, plan)), Some(checker)) = (&copy, self.checker.as_mut())
                    else {
                        continue;
                    };
                    let template = checker.accumulator(table, &plan.columns);
                    let processed = copy::process_block(plan, data, crlf, utf8, Some(&template))
                        .map_err(|e| {
                            let mut at = Where::at(&self.input, first_line + e.line).table(table);
                            if let Some(column) = e.field.and_then(|f| plan.columns.get(f)) {
                                at = at.column(column.clone());
                            }
                            Error::input(e.message, at)
                        })?;
                    for acc in processed.accumulators {
                        checker.merge(acc);
                    }
                    if let Some(n) = left.get_mut(table) {
                        *n = n.saturating_sub(processed.rows);
                    }
                }
                Event::CopyEnd { .. } => {
                    copy = None;
                    if left.values().all(|&n| n == 0) {
                        break;
                    }
                }
                Event::Verbatim(_) | Event::Meta { .. } => {}
            }
        }
        let checker = self.checker.as_mut().expect("checked above");
        // The size/time stamp and the row counts guard against a file replaced between the
        // reads, so that the verdict is never about data other than what was written.
        if !checker.end_second_read().is_empty() || !file.unchanged() {
            return Err(changed());
        }
        Ok(())
    }
}

/// The row plan of a second read: only the cells the checker wants are transformed.
///
/// Why re-run the transforms rather than read the output back or keep candidates from the first
/// pass: the output may be a pipe, stdout, `/dev/null` or a database, none of which can be read
/// back; keeping every word of every early table's text (the candidates) would make memory grow
/// with the dump; and transforms are pure keyed functions, so the same input row gives the same
/// output cells. Only the wanted cells are transformed again (other cells are copied as bytes,
/// never decoded), so the cost is one read of the early part of the file plus the transforms of
/// the text columns of the tables concerned.
fn leak_plan(plan: &RowPlan) -> Option<Arc<RowPlan>> {
    let needs = plan.needs.clone()?;
    let cells = plan
        .cells
        .iter()
        .zip(&needs.output)
        .map(|(cell, &wanted)| if wanted { cell.clone() } else { None })
        .collect();
    Some(Arc::new(RowPlan {
        table: plan.table.clone(),
        columns: plan.columns.clone(),
        cells,
        needs: Some(needs),
    }))
}
