//! COPY data blocks: checking kept rows in bulk and rewriting changed ones in parallel.
//!
//! A table that no rule changes is validated a block at a time (field counts, escapes, UTF-8)
//! and its bytes are copied unchanged — never decoded and re-encoded. A table with rules is cut
//! into line-aligned slices that rayon transforms on all cores; the slices are written back in
//! order, so the output order is the input order.

use std::sync::Arc;

use rayon::prelude::*;

use crate::dump::copy_text::{self, CopyError};
use crate::transform::{Applied, Transform};

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
    pub cells: Vec<Option<Arc<dyn Transform>>>,
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
        copy_text::validate_block(block, plan.cells.len(), utf8)
            .map_err(|(line, e)| copy_error(line as u64, e))?;
        return Ok(None);
    }
    let slices = split_lines(block, SLICE);
    let results: Vec<Result<Vec<u8>, RowError>> = slices
        .par_iter()
        .map(|slice| {
            let mut out = Vec::with_capacity(slice.len() + slice.len() / 8);
            process_lines(plan, slice, crlf, utf8, &mut out)?;
            Ok(out)
        })
        .collect();
    let mut outputs = Vec::with_capacity(results.len());
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
    Ok(Some(outputs))
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

/// Rewrites lines one at a time, copying kept cells as bytes.
fn process_lines(
    plan: &RowPlan,
    lines: &[u8],
    crlf: bool,
    utf8: bool,
    out: &mut Vec<u8>,
) -> Result<(), RowError> {
    let mut decoded = Vec::new();
    let mut produced = Vec::new();
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
        let mut count = 0;
        let mut offset = 0;
        for (i, field) in copy_text::fields(body).enumerate() {
            count += 1;
            let field_start = offset;
            offset += field.len() + 1;
            let Some(cell) = plan.cells.get(i) else {
                continue;
            };
            if i > 0 {
                out.push(b'\t');
            }
            match cell {
                None => {
                    copy_text::validate_field(field, utf8)
                        .map_err(|e| copy_error(index, e.in_line(i, field_start)))?;
                    out.extend_from_slice(field);
                }
                Some(transform) => {
                    produced.clear();
                    let applied = if copy_text::is_null(field) {
                        transform.apply_null(&mut produced)
                    } else {
                        decoded.clear();
                        copy_text::decode_into(field, utf8, &mut decoded)
                            .map_err(|e| copy_error(index, e.in_line(i, field_start)))?;
                        transform.apply(&decoded, &mut produced)
                    }
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
            }
        }
        if count != expected {
            return Err(copy_error(
                index,
                CopyError::FieldCount {
                    expected,
                    found: count,
                },
            ));
        }
        out.extend_from_slice(ending);
    }
    Ok(())
}
