//! Lexer for the `VALUES (...), (...)` lists of INSERT statements as pg_dump writes them.
//! (Provisional version; to be replaced by the fuller one under review.)

use std::ops::Range;

/// What kind of value a span holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiteralKind {
    /// `NULL`.
    Null,
    /// A number, possibly negative.
    Number,
    /// A quoted string literal (the span covers the quotes).
    String,
    /// `true` / `false`.
    Bool,
    /// Anything else: kept verbatim or refused by the caller.
    Expression,
}

/// One value of a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueSpan {
    /// Byte range in the statement.
    pub range: Range<usize>,
    /// What it is.
    pub kind: LiteralKind,
}

/// Why a VALUES list could not be read.
#[derive(Debug, thiserror::Error)]
pub enum InsertError<E> {
    /// The callback refused a row.
    #[error("row refused")]
    Row(E),
    /// The list is malformed at this byte offset.
    #[error("malformed VALUES list: {what}")]
    Syntax {
        /// What was expected.
        what: &'static str,
        /// Byte offset.
        offset: usize,
    },
}

impl<E> InsertError<E> {
    /// Byte offset of a syntax error (0 for callback errors).
    pub fn offset(&self) -> usize {
        match self {
            InsertError::Syntax { offset, .. } => *offset,
            InsertError::Row(_) => 0,
        }
    }
}

fn skip_ws(s: &[u8], mut i: usize) -> usize {
    while i < s.len() && s[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

/// Parses the rows starting at `start` (just after `VALUES`), calling `row` for each.
pub fn parse_rows<E>(
    stmt: &[u8],
    start: usize,
    mut row: impl FnMut(&[ValueSpan]) -> Result<(), E>,
) -> Result<usize, InsertError<E>> {
    let syntax = |what, offset| InsertError::Syntax { what, offset };
    let mut values: Vec<ValueSpan> = Vec::new();
    let mut i = skip_ws(stmt, start);
    loop {
        if stmt.get(i) != Some(&b'(') {
            return Err(syntax("`(` starting a row", i));
        }
        i += 1;
        values.clear();
        loop {
            i = skip_ws(stmt, i);
            let (span, next) = value(stmt, i).ok_or(syntax("a value", i))?;
            values.push(span);
            i = skip_ws(stmt, next);
            match stmt.get(i) {
                Some(b',') => i += 1,
                Some(b')') => {
                    i += 1;
                    break;
                }
                _ => return Err(syntax("`,` or `)` after a value", i)),
            }
        }
        row(&values).map_err(InsertError::Row)?;
        i = skip_ws(stmt, i);
        match stmt.get(i) {
            Some(b',') => i = skip_ws(stmt, i + 1),
            Some(b';') => return Ok(i + 1),
            None => return Ok(i),
            _ => return Err(syntax("`,` or `;` after a row", i)),
        }
    }
}

/// Reads one value starting at `i`; returns its span and the offset after it.
fn value(s: &[u8], i: usize) -> Option<(ValueSpan, usize)> {
    let start = i;
    // A lone literal followed by `,` or `)` is a literal; anything else is an expression.
    let (kind, end) = match s.get(i)? {
        b'\'' => (LiteralKind::String, end_of_string(s, i)?),
        b'-' | b'0'..=b'9' | b'.' => {
            let mut j = i + 1;
            while j < s.len()
                && (s[j].is_ascii_digit() || matches!(s[j], b'.' | b'e' | b'E' | b'+' | b'-'))
            {
                j += 1;
            }
            (LiteralKind::Number, j)
        }
        _ => {
            let mut j = i;
            while j < s.len() && (s[j].is_ascii_alphanumeric() || s[j] == b'_') {
                j += 1;
            }
            let word = &s[i..j];
            if word.eq_ignore_ascii_case(b"null") {
                (LiteralKind::Null, j)
            } else if word.eq_ignore_ascii_case(b"true") || word.eq_ignore_ascii_case(b"false") {
                (LiteralKind::Bool, j)
            } else {
                (LiteralKind::Expression, i)
            }
        }
    };
    let after = skip_ws(s, end);
    if kind != LiteralKind::Expression && matches!(s.get(after), Some(b',') | Some(b')')) {
        return Some((
            ValueSpan {
                range: start..end,
                kind,
            },
            end,
        ));
    }
    // An expression runs to the next `,` or `)` at depth zero, skipping quoted parts.
    let mut depth = 0usize;
    let mut j = start;
    while j < s.len() {
        match s[j] {
            b'\'' => j = end_of_string(s, j)?,
            b'"' => {
                j += 1;
                while j < s.len() && s[j] != b'"' {
                    j += 1;
                }
                j += 1;
            }
            b'(' | b'[' => {
                depth += 1;
                j += 1;
            }
            b')' | b']' if depth > 0 => {
                depth -= 1;
                j += 1;
            }
            b',' | b')' if depth == 0 => {
                let mut end = j;
                while end > start && s[end - 1].is_ascii_whitespace() {
                    end -= 1;
                }
                return Some((
                    ValueSpan {
                        range: start..end,
                        kind: LiteralKind::Expression,
                    },
                    end,
                ));
            }
            _ => j += 1,
        }
    }
    None
}

/// Offset after the string literal starting at `i` (`'...'` with `''` doubling, or `E'...'`).
fn end_of_string(s: &[u8], i: usize) -> Option<usize> {
    let mut j = i + 1;
    loop {
        let k = memchr::memchr(b'\'', s.get(j..)?)?;
        j += k + 1;
        if s.get(j) == Some(&b'\'') {
            j += 1;
        } else {
            return Some(j);
        }
    }
}

/// The contents of a string literal: quotes stripped, `''` → `'`.
pub fn decode_string(lit: &[u8], out: &mut Vec<u8>) {
    let inner = &lit[1..lit.len().saturating_sub(1).max(1)];
    let mut i = 0;
    while i < inner.len() {
        out.push(inner[i]);
        if inner[i] == b'\'' && inner.get(i + 1) == Some(&b'\'') {
            i += 1;
        }
        i += 1;
    }
}

/// Appends `value` as a standard-conforming string literal.
pub fn encode_string(value: &[u8], out: &mut Vec<u8>) {
    out.push(b'\'');
    for &b in value {
        if b == b'\'' {
            out.push(b'\'');
        }
        out.push(b);
    }
    out.push(b'\'');
}
