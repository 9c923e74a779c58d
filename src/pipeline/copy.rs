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
use crate::risk::checker::{Accumulator, Needs};
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
    /// The columns the risk checker reads, when it reads any.
    pub needs: Option<Needs>,
}

/// Decoded cells handed to the checker for one row. A cell without escapes is its own
/// decoding, so it is handed over as a slice of the block (`'a`); only cells with escapes are
/// decoded into the per-column buffers. A kept cell's output is its original (`output_same`),
/// and a changed cell's output buffer is swapped in rather than copied: the copies were a
/// measurable share of the analysis.
#[derive(Default)]
struct Observed<'a> {
    original: Vec<Cell<'a>>,
    decoded: Vec<Vec<u8>>,
    output: Vec<Vec<u8>>,
    output_null: Vec<bool>,
    output_same: Vec<bool>,
}

/// Where one original cell's decoded bytes are.
#[derive(Clone, Copy)]
enum Cell<'a> {
    Null,
    /// In the block, as they were.
    Block(&'a [u8]),
    /// In `Observed::decoded` at the same index.
    Decoded,
}

impl<'a> Observed<'a> {
    fn new(n: usize) -> Self {
        Observed {
            original: vec![Cell::Null; n],
            decoded: vec![Vec::new(); n],
            output: vec![Vec::new(); n],
            output_null: vec![true; n],
            output_same: vec![false; n],
        }
    }

    /// Cell `i` is written as it was: decodes it once as both original and output.
    fn kept(&mut self, i: usize, field: &'a [u8], utf8: bool) -> Result<(), CopyError> {
        self.original[i] = if copy_text::is_null(field) {
            Cell::Null
        } else if memchr::memchr(b'\\', field).is_none() {
            Cell::Block(field)
        } else {
            self.decoded[i].clear();
            copy_text::decode_into(field, utf8, &mut self.decoded[i])?;
            Cell::Decoded
        };
        self.output_same[i] = true;
        Ok(())
    }

    /// Cell `i` was changed from `input` to what `produced` holds (taken, left empty).
    /// `in_block` is `input` when it is the block's own bytes (no escapes).
    fn changed(
        &mut self,
        i: usize,
        input: Option<&[u8]>,
        in_block: Option<&'a [u8]>,
        produced: &mut Vec<u8>,
        null: bool,
    ) {
        self.original[i] = match (input, in_block) {
            (None, _) => Cell::Null,
            (Some(_), Some(block)) => Cell::Block(block),
            (Some(v), None) => {
                self.decoded[i].clear();
                self.decoded[i].extend_from_slice(v);
                Cell::Decoded
            }
        };
        self.output_same[i] = false;
        self.output_null[i] = null;
        std::mem::swap(&mut self.output[i], produced);
        produced.clear();
    }

    fn original(&self, i: usize) -> Option<&[u8]> {
        match self.original[i] {
            Cell::Null => None,
            Cell::Block(v) => Some(v),
            Cell::Decoded => Some(&self.decoded[i]),
        }
    }

    fn feed(&self, needs: &Needs, acc: &mut Accumulator) {
        // Rows of up to `STACK` columns are handed over from the stack: two vectors per row
        // were a measurable share of the analysis on narrow tables.
        const STACK: usize = 32;
        let n = self.original.len();
        if n <= STACK {
            let (mut original, mut output) = ([None; STACK], [None; STACK]);
            self.pick(needs, &mut original[..n], &mut output[..n]);
            acc.row(&original[..n], &output[..n]);
        } else {
            let (mut original, mut output) = (vec![None; n], vec![None; n]);
            self.pick(needs, &mut original, &mut output);
            acc.row(&original, &output);
        }
    }

    /// The wanted, non-NULL originals and outputs; `None` elsewhere.
    fn pick<'s>(
        &'s self,
        needs: &Needs,
        original: &mut [Option<&'s [u8]>],
        output: &mut [Option<&'s [u8]>],
    ) {
        for i in 0..original.len() {
            let before = self.original(i);
            original[i] = before.filter(|_| needs.original[i]);
            output[i] = if !needs.output[i] {
                None
            } else if self.output_same[i] {
                before
            } else {
                (!self.output_null[i]).then(|| &self.output[i][..])
            };
        }
    }
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

/// Processes one block of complete lines: validated and, where rules apply, rewritten on all
/// cores, with the risk checker fed along the way when it watches this table. `observe` is an
/// empty accumulator ([`Checker::accumulator`](crate::risk::checker::Checker::accumulator))
/// that each slice clones and fills: slices never hold the checker itself, so the pipeline can
/// merge the previous block into it while they run.
pub fn process_block(
    plan: &RowPlan,
    block: &[u8],
    crlf: bool,
    utf8: bool,
    observe: Option<&Accumulator>,
) -> Result<Processed, RowError> {
    let needs = plan.needs.as_ref().filter(|_| observe.is_some());
    let accumulator = || observe.cloned();
    if plan.keeps_everything() && !crlf && !plan.cells.is_empty() {
        // Validation is the whole cost of a kept table; it splits across cores like the rest.
        let slices = split_lines(
            block,
            (block.len() / rayon::current_num_threads().max(1)).max(SLICE),
        );
        let results: Vec<Result<(u64, Option<Accumulator>), RowError>> = slices
            .par_iter()
            .map(|slice| {
                let rows = copy_text::validate_block(slice, plan.cells.len(), utf8)
                    .map_err(|(line, e)| copy_error(line as u64, e))?;
                let (Some(needs), Some(mut acc)) = (needs, accumulator()) else {
                    return Ok((rows as u64, None));
                };
                observe_kept(plan, slice, needs, &mut acc)?;
                acc.close();
                Ok((rows as u64, Some(acc)))
            })
            .collect();
        let done = first_error(&slices, results.into_iter())?;
        return Ok(Processed {
            outputs: None,
            rows: done.iter().map(|d| d.0).sum(),
            accumulators: done.into_iter().filter_map(|d| d.1).collect(),
        });
    }
    let slices = split_lines(block, SLICE);
    let results: Vec<Result<SliceOut, RowError>> = slices
        .par_iter()
        .map(|slice| {
            // Raw bytes, field counts and escapes of the whole slice are checked in bulk first,
            // so kept cells are then copied without a second look.
            let prevalidated = !crlf && !plan.cells.is_empty();
            let rows = if prevalidated {
                copy_text::validate_block(slice, plan.cells.len(), utf8)
                    .map_err(|(line, e)| copy_error(line as u64, e))? as u64
            } else {
                memchr::memchr_iter(b'\n', slice).count() as u64
            };
            let mut out = Vec::with_capacity(slice.len() + slice.len() / 2);
            let mut acc = needs.and_then(|_| accumulator());
            let watch = needs.zip(acc.as_mut());
            process_lines(plan, slice, crlf, utf8, prevalidated, watch, &mut out)?;
            if let Some(acc) = acc.as_mut() {
                acc.close();
            }
            Ok((out, rows, acc))
        })
        .collect();
    let done = first_error(&slices, results.into_iter())?;
    let mut outputs = Vec::with_capacity(done.len());
    let mut accs = Vec::new();
    let mut rows = 0;
    for (out, n, acc) in done {
        outputs.push(out);
        rows += n;
        accs.extend(acc);
    }
    Ok(Processed {
        outputs: Some(outputs),
        rows,
        accumulators: accs,
    })
}

/// One slice's rewritten lines and what the checker saw in them.
type SliceOut = (Vec<u8>, u64, Option<Accumulator>);

/// What [`process_block`] produced.
pub struct Processed {
    /// `None` when the block may be written as it is; else the rewritten slices in order.
    pub outputs: Option<Vec<Vec<u8>>>,
    /// How many rows (lines) the block held.
    pub rows: u64,
    /// The checker's per-slice state, in order, to merge.
    pub accumulators: Vec<Accumulator>,
}

/// Feeds the checker the decoded cells it wants from lines that are kept as they are.
fn observe_kept(
    plan: &RowPlan,
    lines: &[u8],
    needs: &Needs,
    acc: &mut Accumulator,
) -> Result<(), RowError> {
    let n = plan.cells.len();
    let mut seen = Observed::new(n);
    let mut start = 0;
    for (index, nl) in memchr::memchr_iter(b'\n', lines).enumerate() {
        let body = &lines[start..nl];
        start = nl + 1;
        for (i, field) in copy_text::fields(body).enumerate().take(n) {
            if !(needs.original[i] || needs.output[i]) {
                continue;
            }
            // Already validated: decoding cannot fail, but a failure must not go unnoticed.
            seen.kept(i, field, false)
                .map_err(|e| copy_error(index as u64, e.in_line(i, 0)))?;
        }
        seen.feed(needs, acc);
    }
    Ok(())
}

/// Collects per-slice results in order; the first error gets its line counted from the block's start.
fn first_error<T>(
    slices: &[&[u8]],
    results: impl Iterator<Item = Result<T, RowError>>,
) -> Result<Vec<T>, RowError> {
    let mut outputs = Vec::with_capacity(slices.len());
    for (index, result) in results.enumerate() {
        match result {
            Ok(out) => outputs.push(out),
            Err(mut e) => {
                // Only an error needs the lines before it: counting them for every slice
                // was a twentieth of a keep-all run.
                let before = slices.get(..index).unwrap_or_default();
                e.line += before
                    .iter()
                    .map(|s| memchr::memchr_iter(b'\n', s).count() as u64)
                    .sum::<u64>();
                return Err(e);
            }
        }
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
    mut watch: Option<(&Needs, &mut Accumulator)>,
    out: &mut Vec<u8>,
) -> Result<(), RowError> {
    let mut seen = Observed::new(if watch.is_some() { plan.cells.len() } else { 0 });
    let batched = if prevalidated {
        batch_columns(plan, lines)
    } else {
        Vec::new()
    };
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
            let wanted = watch
                .as_ref()
                .is_some_and(|(n, _)| n.original[i] || n.output[i]);
            let Some(cell) = cell else {
                if !prevalidated {
                    copy_text::validate_field(field, utf8).map_err(at)?;
                }
                out.extend_from_slice(field);
                if wanted {
                    seen.kept(i, field, utf8).map_err(at)?;
                }
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
                        if wanted {
                            seen.kept(i, field, utf8).map_err(at)?;
                        }
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
            let mut in_block = None;
            let input = if copy_text::is_null(field) {
                None
            } else if prevalidated && memchr::memchr(b'\\', field).is_none() {
                // A validated cell without escapes is its own decoding: no copy.
                in_block = Some(*field);
                in_block
            } else {
                decoded.clear();
                copy_text::decode_into(field, utf8, &mut decoded).map_err(at)?;
                Some(&decoded[..])
            };
            let precomputed = batched
                .get(i)
                .and_then(Option::as_ref)
                .and_then(|b| b.output(index as usize));
            let applied = match precomputed {
                Some(v) => {
                    produced.extend_from_slice(v);
                    Applied::Value
                }
                None => cell
                    .produce(input, &RowContext { entity }, &mut produced)
                    .map_err(|e| RowError {
                        line: index,
                        field: Some(i),
                        message: e.0,
                    })?,
            };
            match applied {
                Applied::Value => copy_text::encode_into(&produced, out),
                Applied::Null => out.extend_from_slice(copy_text::NULL_FIELD),
            }
            if wanted {
                seen.changed(i, input, in_block, &mut produced, applied == Applied::Null);
            }
        }
        out.extend_from_slice(ending);
        if let Some((needs, acc)) = watch.as_mut() {
            seen.feed(needs, acc);
        }
    }
    Ok(())
}

/// One column's outputs for a slice, made by [`Transform::apply_batch`] before its rows are
/// rewritten.
struct Batch {
    out: Vec<u8>,
    ends: Vec<usize>,
    /// Per line of the slice: the value's index in `ends`, `None` for a NULL.
    at: Vec<Option<u32>>,
}

impl Batch {
    /// The output of line `line`'s value; `None` for a NULL (which goes through `produce`).
    fn output(&self, line: usize) -> Option<&[u8]> {
        let k = self.at.get(line).copied().flatten()? as usize;
        let start = if k == 0 { 0 } else { self.ends[k - 1] };
        self.out.get(start..self.ends[k])
    }
}

/// Runs the batching rules of a validated slice (no CRs) over each of their columns at once;
/// per COPY column, `Some` where that worked. A column holding an escaped value, or a value its
/// rule refuses, gets `None` and goes through `produce` cell by cell, as every other column
/// does, so errors and `on_error` behave the same either way.
fn batch_columns(plan: &RowPlan, lines: &[u8]) -> Vec<Option<Batch>> {
    let cols: Vec<usize> = plan
        .cells
        .iter()
        .enumerate()
        .filter(|(_, c)| {
            c.as_ref()
                .is_some_and(|c| !c.needs_row() && c.transform.batches())
        })
        .map(|(i, _)| i)
        .collect();
    if cols.is_empty() {
        return Vec::new();
    }
    let mut inputs: Vec<Vec<&[u8]>> = vec![Vec::new(); cols.len()];
    let mut at: Vec<Vec<Option<u32>>> = vec![Vec::new(); cols.len()];
    let mut usable = vec![true; cols.len()];
    // The lines are cut into fields again by the rewrite loop: keeping every field's span of
    // the slice for it would cost more memory than the second split of a validated line costs
    // time, and only slices with a batching column pay it.
    let mut start = 0;
    for nl in memchr::memchr_iter(b'\n', lines) {
        let body = &lines[start..nl];
        start = nl + 1;
        let mut next = 0;
        for (i, field) in copy_text::fields(body).enumerate() {
            let Some(&want) = cols.get(next) else { break };
            if i != want {
                continue;
            }
            if copy_text::is_null(field) {
                at[next].push(None);
            } else if memchr::memchr(b'\\', field).is_some() {
                usable[next] = false;
                at[next].push(None);
            } else {
                at[next].push(Some(inputs[next].len() as u32));
                inputs[next].push(field);
            }
            next += 1;
        }
    }
    let mut batched: Vec<Option<Batch>> = (0..plan.cells.len()).map(|_| None).collect();
    for (k, &col) in cols.iter().enumerate() {
        let Some(cell) = plan.cells[col].as_ref().filter(|_| usable[k]) else {
            continue;
        };
        let mut batch = Batch {
            out: Vec::with_capacity(inputs[k].len() * 12),
            ends: Vec::with_capacity(inputs[k].len()),
            at: std::mem::take(&mut at[k]),
        };
        if cell
            .transform
            .apply_batch(&inputs[k], &mut batch.out, &mut batch.ends)
            .is_some()
            && batch.ends.len() == inputs[k].len()
        {
            batched[col] = Some(batch);
        }
    }
    batched
}

/// Decodes another cell of the row into `out`; `false` when it is NULL.
fn decode_other(field: &[u8], utf8: bool, out: &mut Vec<u8>) -> Result<bool, CopyError> {
    if copy_text::is_null(field) {
        return Ok(false);
    }
    copy_text::decode_into(field, utf8, out)?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transform::testutil::bind;

    /// A plan for `(id integer_id, name kept)`.
    fn plan(on_error: ErrorPlan) -> RowPlan {
        RowPlan {
            table: "public.t".into(),
            columns: vec!["id".into(), "name".into()],
            cells: vec![
                Some(CellPlan {
                    transform: Arc::from(bind(r#"transform = "integer_id""#, "integer")),
                    entity: None,
                    when: None,
                    on_error,
                }),
                None,
            ],
            needs: None,
        }
    }

    /// What the cell-by-cell path writes, for comparison.
    fn one_by_one(plan: &RowPlan, block: &[u8]) -> Result<Vec<u8>, String> {
        let mut out = Vec::new();
        process_lines(plan, block, false, true, false, None, &mut out).map_err(|e| e.message)?;
        Ok(out)
    }

    fn batched(plan: &RowPlan, block: &[u8]) -> Result<Vec<u8>, String> {
        let done = process_block(plan, block, false, true, None).map_err(|e| e.message)?;
        Ok(done.outputs.expect("rewritten").concat())
    }

    #[test]
    fn batched_columns_write_what_cells_one_by_one_write() {
        let mut block = Vec::new();
        for i in 1..=40u32 {
            let id = if i % 9 == 0 {
                "\\N".to_string()
            } else {
                (i * 7919).to_string()
            };
            block.extend_from_slice(format!("{id}\tname {i}\n").as_bytes());
        }
        let p = plan(ErrorPlan::Fail);
        assert!(
            batch_columns(&p, &block)[0].is_some(),
            "the id column was batched"
        );
        assert_eq!(batched(&p, &block), one_by_one(&p, &block));
        // An id the rule refuses: the column goes cell by cell, so the error (or `on_error`)
        // is exactly the one-by-one path's.
        block.extend_from_slice(b"0\tbad\n");
        assert!(batch_columns(&p, &block)[0].is_none());
        let err = batched(&p, &block).unwrap_err();
        assert_eq!(Err(err), one_by_one(&p, &block));
        let nulled = plan(ErrorPlan::Null);
        let out = batched(&nulled, &block).unwrap();
        assert_eq!(Ok(out.clone()), one_by_one(&nulled, &block));
        assert!(out.ends_with(b"\\N\tbad\n"));
        // An escaped value (an octal escape of a digit) also goes cell by cell.
        let escaped = b"\\061\tone\n2\ttwo\n";
        assert!(batch_columns(&p, escaped)[0].is_none());
        assert_eq!(batched(&p, escaped), one_by_one(&p, escaped));
    }
}
