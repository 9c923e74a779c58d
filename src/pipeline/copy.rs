//! COPY data blocks: checking kept rows in bulk and rewriting changed ones in parallel.
//!
//! A table that no rule changes is validated a block at a time (field counts, escapes, UTF-8)
//! and its bytes are copied unchanged — never decoded and re-encoded. A table with rules is cut
//! into line-aligned slices that rayon transforms on all cores; the slices are written back in
//! order, so the output order is the input order.

use std::sync::Arc;

use rayon::prelude::*;

use crate::dump::copy_text::{self, CopyError};
use crate::policy::file::Condition;
use crate::policy::resolve::ErrorPlan;
use crate::transform::{Applied, RowContext, Transform, TransformError};

/// Slices smaller than this are not worth a thread hop.
const SLICE: usize = 256 << 10;

/// What to do with each field of a COPY block's rows, in the COPY's column order.
#[derive(Debug)]
pub struct RowPlan {
    /// The table, as SQL writes it (for messages).
    pub table: String,
    /// Column names in COPY order (for messages).
    pub columns: Vec<String>,
    /// `None` copies the cell's bytes; `Some` transforms it.
    pub cells: Vec<Option<CellPlan>>,
}

/// How one changed cell is produced.
#[derive(Debug, Clone)]
pub struct CellPlan {
    /// The bound transform.
    pub transform: Arc<dyn Transform>,
    /// Index (in the data statement's column order) of the `per` entity column.
    pub entity: Option<usize>,
    /// Apply only where the column at this index satisfies the condition; else keep the cell.
    pub when: Option<(usize, Condition)>,
    /// What a value the transform refuses becomes.
    pub on_error: ErrorPlan,
}

impl CellPlan {
    /// Whether the cell needs other cells of its row.
    fn needs_row(&self) -> bool {
        self.entity.is_some() || self.when.is_some()
    }

    /// Runs the transform on one value (`None` = NULL), following `on_error` when it refuses.
    pub fn produce(
        &self,
        input: Option<&[u8]>,
        ctx: &RowContext<'_>,
        out: &mut Vec<u8>,
    ) -> Result<Applied, TransformError> {
        let result = match input {
            None => self.transform.apply_null(out),
            Some(v) => self.transform.apply(v, ctx, out),
        };
        match (result, &self.on_error) {
            (Ok(a), _) => Ok(a),
            (Err(e), ErrorPlan::Fail) => Err(e),
            (Err(_), ErrorPlan::Null) => {
                out.clear();
                Ok(Applied::Null)
            }
            (Err(_), ErrorPlan::Replace(t)) => {
                out.clear();
                t.apply(b"", ctx, out)
            }
        }
    }
}

impl RowPlan {
    /// Whether every cell is copied unchanged.
    pub fn keeps_everything(&self) -> bool {
        self.cells.iter().all(Option::is_none)
    }
}

/// A row that could not be processed: which line of the block, which field, and why.
#[derive(Debug)]
pub struct RowError {
    /// 0-based line within the block.
    pub line: u64,
    /// 0-based field, when known.
    pub field: Option<usize>,
    /// What went wrong, without the value.
    pub message: String,
}

fn copy_error(line: u64, e: CopyError) -> RowError {
    let field = match e {
        CopyError::TrailingBackslash { field, .. }
        | CopyError::NulByte { field, .. }
        | CopyError::InvalidUtf8 { field, .. }
        | CopyError::RawLineBreak { field, .. }
        | CopyError::EndOfDataMarker { field, .. } => Some(field),
        _ => None,
    };
    let message = match e {
        CopyError::FieldCount { expected, found } => {
            format!("the row has {found} fields where the COPY lists {expected} columns")
        }
        CopyError::TrailingBackslash { .. } => {
            "a backslash ends the line (backslash-newline continuations are not supported)".into()
        }
        CopyError::NulByte { .. } => {
            "an escape decodes to a NUL byte, which PostgreSQL text cannot hold".into()
        }
        CopyError::InvalidUtf8 { .. } => {
            "the value is not valid UTF-8 (the dump declares client_encoding UTF8)".into()
        }
        CopyError::RawLineBreak { .. } => "a raw carriage return inside a row".into(),
        CopyError::EndOfDataMarker { .. } => "an end-of-data marker `\\.` inside a row".into(),
        CopyError::UnterminatedLine { .. } => "the row has no line ending".into(),
    };
    RowError {
        line,
        field,
        message,
    }
}

/// Processes one block of complete lines. Returns `None` when the block may be written as it
/// is (nothing changes), or the rewritten slices in order.
pub fn process_block(
    plan: &RowPlan,
    block: &[u8],
    crlf: bool,
    utf8: bool,
) -> Result<Option<Vec<Vec<u8>>>, RowError> {
    if plan.keeps_everything() && !crlf && !plan.cells.is_empty() {
        // Validation is the whole cost of a kept table; it splits across cores like the rest.
        let slices = split_lines(
            block,
            (block.len() / rayon::current_num_threads().max(1)).max(SLICE),
        );
        let results: Vec<Result<usize, (usize, CopyError)>> = slices
            .par_iter()
            .map(|slice| copy_text::validate_block(slice, plan.cells.len(), utf8))
            .collect();
        first_error(
            &slices,
            results.into_iter().map(|r| {
                r.map(|_| ())
                    .map_err(|(line, e)| copy_error(line as u64, e))
            }),
        )?;
        return Ok(None);
    }
    let slices = split_lines(block, SLICE);
    let results: Vec<Result<Vec<u8>, RowError>> = slices
        .par_iter()
        .map(|slice| {
            // Raw bytes, field counts and escapes of the whole slice are checked in bulk first,
            // so kept cells are then copied without a second look.
            let prevalidated = !crlf && !plan.cells.is_empty();
            if prevalidated {
                copy_text::validate_block(slice, plan.cells.len(), utf8)
                    .map_err(|(line, e)| copy_error(line as u64, e))?;
            }
            let mut out = Vec::with_capacity(slice.len() + slice.len() / 2);
            process_lines(plan, slice, crlf, utf8, prevalidated, &mut out)?;
            Ok(out)
        })
        .collect();
    first_error(&slices, results.into_iter()).map(Some)
}

/// Collects per-slice results in order; the first error gets its line counted from the block's start.
fn first_error<T>(
    slices: &[&[u8]],
    results: impl Iterator<Item = Result<T, RowError>>,
) -> Result<Vec<T>, RowError> {
    let mut outputs = Vec::with_capacity(slices.len());
    let mut lines_before = 0u64;
    for (slice, result) in slices.iter().zip(results) {
        match result {
            Ok(out) => outputs.push(out),
            Err(mut e) => {
                e.line += lines_before;
                return Err(e);
            }
        }
        lines_before += memchr::memchr_iter(b'\n', slice).count() as u64;
    }
    Ok(outputs)
}

/// Cuts `block` into slices of about `size` bytes that end at line ends.
fn split_lines(block: &[u8], size: usize) -> Vec<&[u8]> {
    let mut slices = Vec::with_capacity(block.len() / size + 1);
    let mut start = 0;
    while start < block.len() {
        let target = (start + size).min(block.len());
        let end = if target == block.len() {
            block.len()
        } else {
            match memchr::memchr(b'\n', &block[target..]) {
                Some(k) => target + k + 1,
                None => block.len(),
            }
        };
        slices.push(&block[start..end]);
        start = end;
    }
    slices
}

/// Rewrites lines one at a time, copying kept cells as bytes. `prevalidated`: the slice passed
/// `validate_block`, so kept cells are copied unchecked.
fn process_lines(
    plan: &RowPlan,
    lines: &[u8],
    crlf: bool,
    utf8: bool,
    prevalidated: bool,
    out: &mut Vec<u8>,
) -> Result<(), RowError> {
    let mut decoded = Vec::new();
    let mut produced = Vec::new();
    let mut other = Vec::new();
    let mut fields: Vec<&[u8]> = Vec::with_capacity(plan.cells.len());
    let mut starts: Vec<usize> = Vec::with_capacity(plan.cells.len());
    let expected = plan.cells.len();
    let mut start = 0;
    for (index, nl) in memchr::memchr_iter(b'\n', lines).enumerate() {
        let index = index as u64;
        let mut body = &lines[start..nl];
        let ending: &[u8] = if crlf && body.last() == Some(&b'\r') {
            body = &body[..body.len() - 1];
            b"\r\n"
        } else {
            b"\n"
        };
        start = nl + 1;
        if expected == 0 {
            if !body.is_empty() {
                return Err(copy_error(
                    index,
                    CopyError::FieldCount {
                        expected: 0,
                        found: 1,
                    },
                ));
            }
            out.extend_from_slice(ending);
            continue;
        }
        fields.clear();
        starts.clear();
        let mut offset = 0;
        for field in copy_text::fields(body) {
            starts.push(offset);
            offset += field.len() + 1;
            fields.push(field);
        }
        if fields.len() != expected {
            return Err(copy_error(
                index,
                CopyError::FieldCount {
                    expected,
                    found: fields.len(),
                },
            ));
        }
        for (i, (field, cell)) in fields.iter().zip(&plan.cells).enumerate() {
            if i > 0 {
                out.push(b'\t');
            }
            let at = |e: CopyError| copy_error(index, e.in_line(i, starts[i]));
            let Some(cell) = cell else {
                if !prevalidated {
                    copy_text::validate_field(field, utf8).map_err(at)?;
                }
                out.extend_from_slice(field);
                continue;
            };
            // Context cells are decoded from the original row on demand.
            let mut entity: Option<&[u8]> = None;
            if cell.needs_row() {
                other.clear();
                if let Some((c, condition)) = &cell.when {
                    let value = decode_other(fields[*c], utf8, &mut other)
                        .map_err(|e| copy_error(index, e.in_line(*c, starts[*c])))?;
                    if !condition.holds(value.then_some(&other[..])) {
                        if !prevalidated {
                            copy_text::validate_field(field, utf8).map_err(at)?;
                        }
                        out.extend_from_slice(field);
                        continue;
                    }
                }
                if let Some(c) = cell.entity {
                    other.clear();
                    let present = decode_other(fields[c], utf8, &mut other)
                        .map_err(|e| copy_error(index, e.in_line(c, starts[c])))?;
                    entity = present.then_some(&other[..]);
                }
            }
            produced.clear();
            let input = if copy_text::is_null(field) {
                None
            } else {
                decoded.clear();
                copy_text::decode_into(field, utf8, &mut decoded).map_err(at)?;
                Some(&decoded[..])
            };
            let applied = cell
                .produce(input, &RowContext { entity }, &mut produced)
                .map_err(|e| RowError {
                    line: index,
                    field: Some(i),
                    message: e.0,
                })?;
            match applied {
                Applied::Value => copy_text::encode_into(&produced, out),
                Applied::Null => out.extend_from_slice(copy_text::NULL_FIELD),
            }
        }
        out.extend_from_slice(ending);
    }
    Ok(())
}

/// Decodes another cell of the row into `out`; `false` when it is NULL.
fn decode_other(field: &[u8], utf8: bool, out: &mut Vec<u8>) -> Result<bool, CopyError> {
    if copy_text::is_null(field) {
        return Ok(false);
    }
    copy_text::decode_into(field, utf8, out)?;
    Ok(true)
}
