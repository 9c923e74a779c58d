//! INSERT statements (`pg_dump --inserts`, `--column-inserts`, `--rows-per-insert`): literals
//! that a rule changes are replaced in place; every other byte of the statement is kept.

use std::ops::Range;

use crate::dump::ident::{parse_column_list, parse_qualified_prefix, QualifiedName};
use crate::dump::insert_values::{self, LiteralKind, ValueSpan};
use crate::transform::{Applied, RowContext};

use super::copy::RowPlan;

/// The parts of an INSERT before its rows.
#[derive(Debug)]
pub struct InsertHeader {
    /// The target table.
    pub table: QualifiedName,
    /// The column list, when the statement has one (`--column-inserts`).
    pub columns: Option<Vec<String>>,
    /// Byte offset just after `VALUES`.
    pub values_at: usize,
}

fn skip_ws(text: &[u8], mut i: usize) -> usize {
    while i < text.len() && text[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

fn keyword(text: &[u8], i: usize, word: &[u8]) -> Option<usize> {
    let end = i + word.len();
    let candidate = text.get(i..end)?;
    let boundary = text
        .get(end)
        .is_none_or(|b| !(b.is_ascii_alphanumeric() || *b == b'_'));
    (candidate.eq_ignore_ascii_case(word) && boundary).then_some(end)
}

/// Parses `INSERT INTO name [(cols)] [OVERRIDING {SYSTEM|USER} VALUE] VALUES`; `None` when the
/// statement is not an INSERT of that shape.
pub fn parse_header(text: &[u8]) -> Option<InsertHeader> {
    let mut i = skip_ws(text, 0);
    i = keyword(text, i, b"insert")?;
    i = keyword(text, skip_ws(text, i), b"into")?;
    i = skip_ws(text, i);
    let (table, n) = parse_qualified_prefix(&text[i..])?;
    i += n;
    let mut columns = None;
    let j = skip_ws(text, i);
    if text.get(j) == Some(&b'(') {
        let (cols, n) = parse_column_list(&text[j..])?;
        columns = Some(cols);
        i = j + n;
    }
    i = skip_ws(text, i);
    if let Some(k) = keyword(text, i, b"overriding") {
        let k = skip_ws(text, k);
        let k = keyword(text, k, b"system").or_else(|| keyword(text, k, b"user"))?;
        i = skip_ws(text, keyword(text, skip_ws(text, k), b"value")?);
    }
    let values_at = keyword(text, i, b"values")?;
    Some(InsertHeader {
        table,
        columns,
        values_at,
    })
}

/// Why a row of an INSERT was refused.
#[derive(Debug)]
pub struct InsertRowError {
    /// Byte offset in the statement.
    pub offset: usize,
    /// 0-based column, when known.
    pub field: Option<usize>,
    /// What went wrong, without the value.
    pub message: String,
}

/// Rewrites the rows of an INSERT according to `plan`, appending the whole new statement to
/// `out`. Returns the number of rows.
pub fn rewrite(
    plan: &RowPlan,
    text: &[u8],
    values_at: usize,
    utf8: bool,
    out: &mut Vec<u8>,
) -> Result<u64, InsertRowError> {
    let mut last = 0usize;
    let mut rows = 0u64;
    let mut decoded = Vec::new();
    let mut produced = Vec::new();
    let mut other = Vec::new();
    let expected = plan.cells.len();
    let mut on_row = |values: &[ValueSpan]| -> Result<(), InsertRowError> {
        rows += 1;
        if values.len() != expected {
            return Err(InsertRowError {
                offset: values.first().map_or(0, |v| v.range.start),
                field: None,
                message: format!(
                    "the row has {} values where the table has {expected} columns",
                    values.len()
                ),
            });
        }
        for (i, (value, cell)) in values.iter().zip(&plan.cells).enumerate() {
            let Some(cell) = cell else { continue };
            let err = |field: usize, message: String| InsertRowError {
                offset: values[field].range.start,
                field: Some(field),
                message,
            };
            if let Some((c, condition)) = &cell.when {
                other.clear();
                let present =
                    literal(text, &values[*c], utf8, &mut other).map_err(|m| err(*c, m))?;
                if !condition.holds(present.then_some(&other[..])) {
                    continue;
                }
            }
            let mut entity = None;
            if let Some(c) = cell.entity {
                other.clear();
                let present = literal(text, &values[c], utf8, &mut other).map_err(|m| err(c, m))?;
                entity = present.then_some(&other[..]);
            }
            decoded.clear();
            let present = literal(text, value, utf8, &mut decoded).map_err(|m| err(i, m))?;
            produced.clear();
            let applied = cell
                .produce(
                    present.then_some(&decoded[..]),
                    &RowContext { entity },
                    &mut produced,
                )
                .map_err(|e| err(i, e.0))?;
            replace(text, &mut last, value.range.clone(), out);
            match applied {
                Applied::Value => insert_values::encode_string(&produced, out),
                Applied::Null => out.extend_from_slice(b"NULL"),
            }
        }
        Ok(())
    };
    insert_values::parse_rows(text, values_at, &mut on_row).map_err(|e| match e {
        insert_values::InsertError::Row { source, .. } => source,
        insert_values::InsertError::Expected { offset, .. }
        | insert_values::InsertError::Unterminated { offset, .. }
        | insert_values::InsertError::Unbalanced { offset } => InsertRowError {
            offset,
            field: None,
            message: format!("the VALUES list cannot be read: {e}"),
        },
    })?;
    out.extend_from_slice(&text[last..]);
    Ok(rows)
}

/// Decodes a literal's value into `out`; `false` for NULL. Expressions cannot be read.
fn literal(text: &[u8], value: &ValueSpan, utf8: bool, out: &mut Vec<u8>) -> Result<bool, String> {
    let raw = &text[value.range.clone()];
    match value.kind {
        LiteralKind::Null => Ok(false),
        LiteralKind::String => {
            insert_values::decode_string(raw, out).map_err(|e| format!("the string literal cannot be read: {e}"))?;
            if utf8 && std::str::from_utf8(out).is_err() {
                return Err("the string literal is not valid UTF-8".into());
            }
            Ok(true)
        }
        LiteralKind::Number | LiteralKind::Bool => {
            out.extend_from_slice(raw);
            Ok(true)
        }
        LiteralKind::Expression => Err(
            "the value is an expression, not a literal, and this column's rule must read it; dump with plain --inserts".into(),
        ),
    }
}

fn replace(text: &[u8], last: &mut usize, range: Range<usize>, out: &mut Vec<u8>) {
    out.extend_from_slice(&text[*last..range.start]);
    *last = range.end;
}

/// Feeds the risk checker the needed cells of every row of an INSERT: originals from `text`,
/// outputs from the rewritten statement `out` (whose header is the same, so `values_at` holds).
/// Expressions are not values the checker could judge; they count as NULL here.
pub fn observe(
    text: &[u8],
    out: &[u8],
    values_at: usize,
    needs: &crate::risk::checker::Needs,
    acc: &mut crate::risk::checker::Accumulator,
) {
    let original = wanted_cells(text, values_at, &needs.original);
    let output = wanted_cells(out, values_at, &needs.output);
    for (o, r) in original.iter().zip(&output) {
        let o: Vec<Option<&[u8]>> = o.iter().map(Option::as_deref).collect();
        let r: Vec<Option<&[u8]>> = r.iter().map(Option::as_deref).collect();
        acc.row(&o, &r);
    }
}

type Cells = Vec<Option<Vec<u8>>>;

fn wanted_cells(text: &[u8], values_at: usize, want: &[bool]) -> Vec<Cells> {
    let mut rows = Vec::new();
    let _ = insert_values::parse_rows(text, values_at, |values: &[ValueSpan]| -> Result<(), ()> {
        let mut row = vec![None; want.len()];
        for (i, value) in values.iter().enumerate().take(want.len()) {
            if want[i] {
                let mut buf = Vec::new();
                if let Ok(true) = literal(text, value, false, &mut buf) {
                    row[i] = Some(buf);
                }
            }
        }
        rows.push(row);
        Ok(())
    });
    rows
}
