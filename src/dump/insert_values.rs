//! Lexer for the `VALUES` part of the INSERT statements pg_dump writes with `--inserts`,
//! `--column-inserts` and `--rows-per-insert`, plus decoding and encoding of string literals.
//!
//! It finds each row's values as byte ranges into the statement and classifies them (NULL,
//! number, string, boolean, anything else); it never builds an AST. The statement splitter and
//! the `INSERT INTO table (columns) ... VALUES` header belong elsewhere: callers hand over one
//! statement and the offset just after `VALUES`.
//!
//! pg_dump sets `standard_conforming_strings = on`, so in `'...'` a backslash is an ordinary
//! byte and only `''` is special. `E'...'` strings are understood too, in case a hand-edited dump
//! has them.

use std::ops::Range;

use memchr::{memchr, memmem};

/// What a value is, as far as a lexer can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiteralKind {
    /// The keyword `NULL`.
    Null,
    /// An unquoted numeric literal such as `12.50`, `-1.5` or `1e+30`.
    Number,
    /// A string literal, `'...'` or `E'...'`.
    String,
    /// `true` or `false`.
    Bool,
    /// Anything else (casts, function calls, `ARRAY[...]`, `DEFAULT`, arithmetic), kept whole.
    Expression,
}

/// One value of a row: where it is in the statement and what it is. For a string the range
/// covers the quotes (and an `E` prefix).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueSpan {
    pub range: Range<usize>,
    pub kind: LiteralKind,
}

/// Where the rows ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowsEnd {
    /// How many rows were passed to the callback.
    pub rows: usize,
    /// Offset just after the `)` of the last row; `ON CONFLICT DO NOTHING` and `;` come after.
    pub values_end: usize,
    /// Offset after the final `;`, or the statement's length when it has none.
    pub end: usize,
}

/// Why the VALUES list could not be read. Byte offsets are into the statement; no message
/// contains statement text.
#[derive(Debug, thiserror::Error)]
pub enum InsertError<E> {
    /// Something other than what the grammar allows here.
    #[error("expected {expected} at byte {offset}")]
    Expected {
        expected: &'static str,
        offset: usize,
    },
    /// A quoted construct runs to the end of the statement.
    #[error("unterminated {what} starting at byte {offset}")]
    Unterminated { what: &'static str, offset: usize },
    /// A `]` without its `[`, inside an expression.
    #[error("unbalanced bracket at byte {offset}")]
    Unbalanced { offset: usize },
    /// The row callback refused row `row` (0-based), which starts at `offset`.
    #[error("row {row} at byte {offset} was refused")]
    Row {
        row: usize,
        offset: usize,
        #[source]
        source: E,
    },
}

/// Why [`decode_string`] refused a literal. Offsets are into the literal.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum LiteralError {
    /// The bytes are not a quoted string literal.
    #[error("not a string literal")]
    NotAString,
    /// A single quote inside the literal that is not doubled.
    #[error("lone quote inside a string literal at byte {offset}")]
    LoneQuote { offset: usize },
    /// An escape in an `E'...'` string that decodes to NUL, which PostgreSQL text cannot hold.
    #[error("escape decodes to a NUL byte at byte {offset}")]
    NulByte { offset: usize },
    /// A `\u`/`\U` escape that is not a valid Unicode scalar value (or surrogate pair).
    #[error("invalid Unicode escape at byte {offset}")]
    InvalidUnicode { offset: usize },
    /// A backslash at the very end of an `E'...'` body.
    #[error("backslash at end of string literal at byte {offset}")]
    TrailingBackslash { offset: usize },
}

/// Parses `(v, v, ...), (v, ...) [ON CONFLICT DO NOTHING] [;]` starting at `start` and calls
/// `row` once per row with its values. The slice passed to `row` is reused between rows.
pub fn parse_rows<E>(
    stmt: &[u8],
    start: usize,
    mut row: impl FnMut(&[ValueSpan]) -> Result<(), E>,
) -> Result<RowsEnd, InsertError<E>> {
    let mut lx = Lexer {
        s: stmt,
        pos: start,
    };
    let mut values = Vec::new();
    let mut rows = 0;
    loop {
        lx.skip_ws()?;
        let row_start = lx.pos;
        lx.expect(b'(', "'('")?;
        values.clear();
        loop {
            lx.skip_ws()?;
            values.push(lx.value()?);
            lx.skip_ws()?;
            match lx.peek() {
                Some(b',') => lx.pos += 1,
                Some(b')') => {
                    lx.pos += 1;
                    break;
                }
                _ => return Err(lx.expected("',' or ')'")),
            }
        }
        row(&values).map_err(|source| InsertError::Row {
            row: rows,
            offset: row_start,
            source,
        })?;
        rows += 1;
        let values_end = lx.pos;
        lx.skip_ws()?;
        if lx.peek() == Some(b',') {
            lx.pos += 1;
            continue;
        }
        let end = lx.tail()?;
        return Ok(RowsEnd {
            rows,
            values_end,
            end,
        });
    }
}

/// Decodes a string literal (`'...'` with `''` doubling, or `E'...'` with PostgreSQL's backslash
/// escapes) and appends its bytes to `out`. On error `out` is left as it was.
pub fn decode_string(lit: &[u8], out: &mut Vec<u8>) -> Result<(), LiteralError> {
    let (escapes, open) = match lit {
        [b'E' | b'e', b'\'', ..] => (true, 1),
        [b'\'', ..] => (false, 0),
        _ => return Err(LiteralError::NotAString),
    };
    if lit.len() < open + 2 || lit.last() != Some(&b'\'') {
        return Err(LiteralError::NotAString);
    }
    let body_start = open + 1;
    let body = lit.get(body_start..lit.len() - 1).unwrap_or_default();
    let before = out.len();
    let result = if escapes {
        decode_escapes(body, out)
    } else {
        decode_standard(body, out)
    };
    result.map_err(|e| {
        out.truncate(before);
        e.shifted(body_start)
    })
}

fn decode_standard(body: &[u8], out: &mut Vec<u8>) -> Result<(), LiteralError> {
    let mut pos = 0;
    while let Some(i) = body.get(pos..).and_then(|rest| memchr(b'\'', rest)) {
        let at = pos + i;
        if body.get(at + 1) != Some(&b'\'') {
            return Err(LiteralError::LoneQuote { offset: at });
        }
        out.extend_from_slice(body.get(pos..=at).unwrap_or_default());
        pos = at + 2;
    }
    out.extend_from_slice(body.get(pos..).unwrap_or_default());
    Ok(())
}

impl LiteralError {
    fn shifted(self, by: usize) -> Self {
        use LiteralError::*;
        match self {
            NotAString => NotAString,
            LoneQuote { offset } => LoneQuote {
                offset: offset + by,
            },
            NulByte { offset } => NulByte {
                offset: offset + by,
            },
            InvalidUnicode { offset } => InvalidUnicode {
                offset: offset + by,
            },
            TrailingBackslash { offset } => TrailingBackslash {
                offset: offset + by,
            },
        }
    }
}

/// Appends `value` as a standard string literal: quoted, with `'` doubled. Backslashes stay as
/// they are because pg_dump output runs with `standard_conforming_strings = on`.
pub fn encode_string(value: &[u8], out: &mut Vec<u8>) {
    out.reserve(value.len() + 2);
    out.push(b'\'');
    let mut rest = value;
    while let Some(i) = memchr(b'\'', rest) {
        let (run, tail) = rest.split_at(i + 1);
        out.extend_from_slice(run);
        out.push(b'\'');
        rest = tail;
    }
    out.extend_from_slice(rest);
    out.push(b'\'');
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80
}

struct Lexer<'a> {
    s: &'a [u8],
    pos: usize,
}

impl Lexer<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn at(&self, i: usize) -> Option<u8> {
        self.s.get(i).copied()
    }

    fn expected<E>(&self, expected: &'static str) -> InsertError<E> {
        InsertError::Expected {
            expected,
            offset: self.pos,
        }
    }

    fn expect<E>(&mut self, b: u8, what: &'static str) -> Result<(), InsertError<E>> {
        if self.peek() != Some(b) {
            return Err(self.expected(what));
        }
        self.pos += 1;
        Ok(())
    }

    /// Skips whitespace and comments (`-- ...` to end of line, nested `/* ... */`).
    fn skip_ws<E>(&mut self) -> Result<(), InsertError<E>> {
        loop {
            match (self.peek(), self.at(self.pos + 1)) {
                (Some(b' ' | b'\t' | b'\n' | b'\r' | 0x0C), _) => self.pos += 1,
                (Some(b'-'), Some(b'-')) => {
                    self.pos = match self.s.get(self.pos..).and_then(|r| memchr(b'\n', r)) {
                        Some(i) => self.pos + i + 1,
                        None => self.s.len(),
                    }
                }
                (Some(b'/'), Some(b'*')) => self.pos = self.block_comment_end(self.pos)?,
                _ => return Ok(()),
            }
        }
    }

    /// PostgreSQL block comments nest.
    fn block_comment_end<E>(&self, open: usize) -> Result<usize, InsertError<E>> {
        let mut depth = 0usize;
        let mut i = open;
        while let Some(b) = self.at(i) {
            match (b, self.at(i + 1)) {
                (b'/', Some(b'*')) => {
                    depth += 1;
                    i += 2;
                }
                (b'*', Some(b'/')) => {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        return Ok(i);
                    }
                }
                _ => i += 1,
            }
        }
        Err(InsertError::Unterminated {
            what: "comment",
            offset: open,
        })
    }

    /// Reads one value and leaves `pos` just after it.
    fn value<E>(&mut self) -> Result<ValueSpan, InsertError<E>> {
        let start = self.pos;
        let literal = match (self.peek(), self.at(start + 1)) {
            (Some(b'\''), _) => Some((self.string_end(start, false)?, LiteralKind::String)),
            (Some(b'E' | b'e'), Some(b'\'')) => {
                Some((self.string_end(start + 1, true)?, LiteralKind::String))
            }
            (Some(b'-' | b'.' | b'0'..=b'9'), _) => {
                self.number_end(start).map(|end| (end, LiteralKind::Number))
            }
            (Some(b), _) if b.is_ascii_alphabetic() => self.keyword(start),
            _ => None,
        };
        if let Some((end, kind)) = literal {
            if self.ends_value(end) {
                self.pos = end;
                return Ok(ValueSpan {
                    range: start..end,
                    kind,
                });
            }
        }
        let end = self.expression_end(start)?;
        self.pos = end;
        Ok(ValueSpan {
            range: start..end,
            kind: LiteralKind::Expression,
        })
    }

    /// Whether only whitespace separates `end` from a `,` or `)`.
    fn ends_value(&self, end: usize) -> bool {
        let rest = self.s.get(end..).unwrap_or_default();
        let next = rest
            .iter()
            .find(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0C));
        matches!(next, Some(b',' | b')'))
    }

    fn keyword(&self, start: usize) -> Option<(usize, LiteralKind)> {
        let rest = self.s.get(start..)?;
        let len = rest.iter().take_while(|&&b| is_ident_byte(b)).count();
        let word = rest.get(..len)?;
        let kind = if word.eq_ignore_ascii_case(b"null") {
            LiteralKind::Null
        } else if word.eq_ignore_ascii_case(b"true") || word.eq_ignore_ascii_case(b"false") {
            LiteralKind::Bool
        } else {
            return None;
        };
        Some((start + len, kind))
    }

    /// `-?digits[.digits][e[+-]digits]` or `-?.digits...`; None if it is not a plain number.
    fn number_end(&self, start: usize) -> Option<usize> {
        let digits = |i: usize| {
            let n = self
                .s
                .get(i..)
                .unwrap_or_default()
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
            (i + n, n)
        };
        let mut i = start + usize::from(self.at(start) == Some(b'-'));
        let (after_int, int_digits) = digits(i);
        i = after_int;
        let mut frac_digits = 0;
        if self.at(i) == Some(b'.') {
            (i, frac_digits) = digits(i + 1);
        }
        if int_digits + frac_digits == 0 {
            return None;
        }
        if matches!(self.at(i), Some(b'e' | b'E')) {
            let sign = usize::from(matches!(self.at(i + 1), Some(b'+' | b'-')));
            let (after_exp, exp_digits) = digits(i + 1 + sign);
            if exp_digits == 0 {
                return None;
            }
            i = after_exp;
        }
        Some(i)
    }

    /// Offset after the string literal whose opening quote is at `open`.
    fn string_end<E>(&self, open: usize, escapes: bool) -> Result<usize, InsertError<E>> {
        let mut i = open + 1;
        loop {
            let rest = self.s.get(i..).unwrap_or_default();
            let found = if escapes {
                memchr::memchr2(b'\'', b'\\', rest)
            } else {
                memchr(b'\'', rest)
            };
            let Some(at) = found.map(|k| i + k) else {
                return Err(InsertError::Unterminated {
                    what: "string literal",
                    offset: open,
                });
            };
            match (self.at(at), self.at(at + 1)) {
                (Some(b'\\'), _) => i = at + 2,
                (_, Some(b'\'')) => i = at + 2,
                _ => return Ok(at + 1),
            }
        }
    }

    /// Offset after the quoted identifier whose `"` is at `open`.
    fn quoted_ident_end<E>(&self, open: usize) -> Result<usize, InsertError<E>> {
        let mut i = open + 1;
        loop {
            let Some(at) = self.s.get(i..).and_then(|r| memchr(b'"', r)).map(|k| i + k) else {
                return Err(InsertError::Unterminated {
                    what: "quoted identifier",
                    offset: open,
                });
            };
            if self.at(at + 1) == Some(b'"') {
                i = at + 2;
            } else {
                return Ok(at + 1);
            }
        }
    }

    /// If a dollar quote opens at `open` (`$$` or `$tag$`), the offset after its closing tag.
    fn dollar_quote_end<E>(&self, open: usize) -> Result<Option<usize>, InsertError<E>> {
        let rest = self.s.get(open + 1..).unwrap_or_default();
        let tag_len = match rest.first() {
            Some(b'$') => 0,
            Some(&b) if b.is_ascii_alphabetic() || b == b'_' || b >= 0x80 => {
                let n = rest
                    .iter()
                    .take_while(|&&b| is_ident_byte(b) && b != b'$')
                    .count();
                if rest.get(n) != Some(&b'$') {
                    return Ok(None);
                }
                n
            }
            _ => return Ok(None),
        };
        let tag = self.s.get(open..open + tag_len + 2).unwrap_or_default();
        let body_start = open + tag.len();
        let body = self.s.get(body_start..).unwrap_or_default();
        match memmem::find(body, tag) {
            Some(k) => Ok(Some(body_start + k + tag.len())),
            None => Err(InsertError::Unterminated {
                what: "dollar-quoted string",
                offset: open,
            }),
        }
    }

    /// End of an expression value starting at `start`: the last non-blank byte before the next
    /// `,` or `)` outside quotes, comments, parentheses and brackets.
    fn expression_end<E>(&self, start: usize) -> Result<usize, InsertError<E>> {
        let mut depth = 0usize;
        let mut i = start;
        let mut end = start;
        while let Some(b) = self.at(i) {
            let prev_ident = i > start && self.at(i - 1).is_some_and(is_ident_byte);
            let next = match (b, self.at(i + 1)) {
                (b'\'', _) => {
                    let escapes = i > start
                        && matches!(self.at(i - 1), Some(b'E' | b'e'))
                        && !(i > start + 1 && self.at(i - 2).is_some_and(is_ident_byte));
                    self.string_end(i, escapes)?
                }
                (b'"', _) => self.quoted_ident_end(i)?,
                (b'$', _) if !prev_ident => self.dollar_quote_end(i)?.unwrap_or(i + 1),
                (b'-', Some(b'-')) | (b'/', Some(b'*')) => {
                    let mut lx = Lexer { s: self.s, pos: i };
                    lx.skip_ws()?;
                    // Comments are not part of the value's text at its end.
                    i = lx.pos;
                    continue;
                }
                (b'(' | b'[', _) => {
                    depth += 1;
                    i + 1
                }
                (b')' | b']', _) if depth > 0 => {
                    depth -= 1;
                    i + 1
                }
                (b')' | b',', _) if depth == 0 => break,
                (b']', _) => return Err(InsertError::Unbalanced { offset: i }),
                (b' ' | b'\t' | b'\n' | b'\r' | 0x0C, _) => {
                    i += 1;
                    continue;
                }
                _ => i + 1,
            };
            i = next;
            end = next;
        }
        if self.at(i).is_none() {
            return Err(InsertError::Expected {
                expected: "',' or ')'",
                offset: i,
            });
        }
        if end == start {
            return Err(InsertError::Expected {
                expected: "a value",
                offset: start,
            });
        }
        Ok(end)
    }

    /// After the last row: optional `ON CONFLICT DO NOTHING`, optional `;`, then nothing but
    /// whitespace. Returns the offset after the `;` (or the statement's end).
    fn tail<E>(&mut self) -> Result<usize, InsertError<E>> {
        if self.word_is(b"on") {
            for word in [&b"on"[..], b"conflict", b"do", b"nothing"] {
                self.skip_ws()?;
                if !self.word_is(word) {
                    return Err(self.expected("ON CONFLICT DO NOTHING"));
                }
                self.pos += word.len();
            }
            self.skip_ws()?;
        }
        let mut end = self.s.len();
        if self.peek() == Some(b';') {
            self.pos += 1;
            end = self.pos;
            self.skip_ws()?;
        }
        if self.pos < self.s.len() {
            return Err(self.expected("',' or ';' or end of statement"));
        }
        Ok(end)
    }

    fn word_is(&self, word: &[u8]) -> bool {
        let rest = self.s.get(self.pos..).unwrap_or_default();
        rest.get(..word.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(word))
            && !rest.get(word.len()).copied().is_some_and(is_ident_byte)
    }
}

/// Decodes the body of an `E'...'` string as PostgreSQL's scanner does (scan.l `xe` rules).
fn decode_escapes(body: &[u8], out: &mut Vec<u8>) -> Result<(), LiteralError> {
    let hex = |i: usize, max: usize| {
        let digits = body.get(i..).unwrap_or_default();
        let n = digits
            .iter()
            .take(max)
            .take_while(|b| b.is_ascii_hexdigit())
            .count();
        let value = digits
            .get(..n)
            .unwrap_or_default()
            .iter()
            .fold(0u32, |v, &b| v * 16 + (b as char).to_digit(16).unwrap_or(0));
        (value, n)
    };
    let mut pos = 0;
    while let Some(i) = body
        .get(pos..)
        .and_then(|r| memchr::memchr2(b'\\', b'\'', r))
    {
        let at = pos + i;
        out.extend_from_slice(body.get(pos..at).unwrap_or_default());
        let Some(&c) = body.get(at + 1) else {
            return Err(if body.get(at) == Some(&b'\\') {
                LiteralError::TrailingBackslash { offset: at }
            } else {
                LiteralError::LoneQuote { offset: at }
            });
        };
        if body.get(at) == Some(&b'\'') {
            if c != b'\'' {
                return Err(LiteralError::LoneQuote { offset: at });
            }
            out.push(b'\'');
            pos = at + 2;
            continue;
        }
        let (byte, len) = match c {
            b'b' => (0x08, 2),
            b'f' => (0x0C, 2),
            b'n' => (b'\n', 2),
            b'r' => (b'\r', 2),
            b't' => (b'\t', 2),
            b'0'..=b'7' => {
                let digits = body.get(at + 1..).unwrap_or_default();
                let n = digits
                    .iter()
                    .take(3)
                    .take_while(|b| (b'0'..=b'7').contains(b))
                    .count();
                let value = digits
                    .get(..n)
                    .unwrap_or_default()
                    .iter()
                    .fold(0u32, |v, &b| v * 8 + u32::from(b - b'0'));
                ((value & 0xFF) as u8, n + 1)
            }
            b'x' => match hex(at + 2, 2) {
                (_, 0) => (b'x', 2),
                (value, n) => (value as u8, n + 2),
            },
            b'u' | b'U' => {
                let want = if c == b'u' { 4 } else { 8 };
                let (first, n) = hex(at + 2, want);
                if n != want {
                    return Err(LiteralError::InvalidUnicode { offset: at });
                }
                let mut len = want + 2;
                let mut code = first;
                if (0xD800..0xDC00).contains(&first) {
                    // A high surrogate must be followed by a `\u` low surrogate.
                    let second = match body.get(at + len..at + len + 2) {
                        Some(b"\\u") => 4,
                        Some(b"\\U") => 8,
                        _ => return Err(LiteralError::InvalidUnicode { offset: at }),
                    };
                    let (low, m) = hex(at + len + 2, second);
                    if m != second || !(0xDC00..0xE000).contains(&low) {
                        return Err(LiteralError::InvalidUnicode { offset: at });
                    }
                    code = 0x10000 + ((first - 0xD800) << 10) + (low - 0xDC00);
                    len += m + 2;
                }
                match char::from_u32(code) {
                    Some(ch) if code != 0 => {
                        let mut buf = [0u8; 4];
                        out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                        pos = at + len;
                        continue;
                    }
                    _ => return Err(LiteralError::InvalidUnicode { offset: at }),
                }
            }
            other => (other, 2),
        };
        if byte == 0 {
            return Err(LiteralError::NulByte { offset: at });
        }
        out.push(byte);
        pos = at + len;
    }
    out.extend_from_slice(body.get(pos..).unwrap_or_default());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use LiteralKind::*;

    type Rows = Vec<Vec<(LiteralKind, std::string::String)>>;

    fn parse(stmt: &str) -> Result<(Rows, RowsEnd), InsertError<std::convert::Infallible>> {
        let start = stmt.find("VALUES").map_or(0, |i| i + 6);
        let mut rows = Vec::new();
        let end = parse_rows(stmt.as_bytes(), start, |values| {
            let row = values
                .iter()
                .map(|v| (v.kind, stmt[v.range.clone()].to_string()))
                .collect();
            rows.push(row);
            Ok(())
        })?;
        Ok((rows, end))
    }

    fn check(stmt: &str, expected: &[&[(LiteralKind, &str)]]) {
        let (rows, end) = parse(stmt).unwrap_or_else(|e| panic!("{stmt:?}: {e}"));
        let expected: Rows = expected
            .iter()
            .map(|r| r.iter().map(|(k, t)| (*k, t.to_string())).collect())
            .collect();
        assert_eq!(rows, expected, "{stmt:?}");
        assert_eq!(end.rows, rows.len());
        assert_eq!(end.end, stmt.trim_end().len(), "{stmt:?}");
    }

    #[test]
    fn pg_dump_inserts() {
        check(
            "INSERT INTO public.customers VALUES (1, 'a@example.com', 'tab\there\nnewline\\back', \
             12.50, 'happy', '1980-01-02', 'infinity', '{\"a\\\"q\",NULL,\"x,y\"}', \
             '{\"k\": \"v é 😀\"}', '\\x00ff', 3);",
            &[&[
                (Number, "1"),
                (String, "'a@example.com'"),
                (String, "'tab\there\nnewline\\back'"),
                (Number, "12.50"),
                (String, "'happy'"),
                (String, "'1980-01-02'"),
                (String, "'infinity'"),
                (String, "'{\"a\\\"q\",NULL,\"x,y\"}'"),
                (String, "'{\"k\": \"v é 😀\"}'"),
                (String, "'\\x00ff'"),
                (Number, "3"),
            ]],
        );
        check(
            "INSERT INTO \"Sales Dept\".\"Order Lines\" (\"Id\", \"customerId\", note, total) \
             OVERRIDING SYSTEM VALUE VALUES\n\t(1, 1, 'x', 1.5),\n\t(2, 2, NULL, 2);\n",
            &[
                &[
                    (Number, "1"),
                    (Number, "1"),
                    (String, "'x'"),
                    (Number, "1.5"),
                ],
                &[(Number, "2"), (Number, "2"), (Null, "NULL"), (Number, "2")],
            ],
        );
    }

    #[test]
    fn literal_kinds() {
        check(
            "VALUES (-1.5, 'NaN', true, FALSE, null, 1e+30, .5, -0, 'it''s', '', 'a;b),(c')",
            &[&[
                (Number, "-1.5"),
                (String, "'NaN'"),
                (Bool, "true"),
                (Bool, "FALSE"),
                (Null, "null"),
                (Number, "1e+30"),
                (Number, ".5"),
                (Number, "-0"),
                (String, "'it''s'"),
                (String, "''"),
                (String, "'a;b),(c'"),
            ]],
        );
        check(
            "VALUES (E'a\\'b', e'')",
            &[&[(String, "E'a\\'b'"), (String, "e''")]],
        );
    }

    #[test]
    fn expressions() {
        check(
            "VALUES ('x'::text, now(), ARRAY[1, 2], 1 + 2, f(g(1, 2), ')'), DEFAULT, nullif, \
             $$a,)$$, $t$ $$ ) $t$::text, \"a,b\"(1), B'0101', - 1, 1e, 'a' 'b', x /* , */ , \
             -- ) \n y, E'\\'' || ')', a$b)",
            &[&[
                (Expression, "'x'::text"),
                (Expression, "now()"),
                (Expression, "ARRAY[1, 2]"),
                (Expression, "1 + 2"),
                (Expression, "f(g(1, 2), ')')"),
                (Expression, "DEFAULT"),
                (Expression, "nullif"),
                (Expression, "$$a,)$$"),
                (Expression, "$t$ $$ ) $t$::text"),
                (Expression, "\"a,b\"(1)"),
                (Expression, "B'0101'"),
                (Expression, "- 1"),
                (Expression, "1e"),
                (Expression, "'a' 'b'"),
                (Expression, "x"),
                (Expression, "y"),
                (Expression, "E'\\'' || ')'"),
                (Expression, "a$b"),
            ]],
        );
    }

    #[test]
    fn tails() {
        check("VALUES (1)", &[&[(Number, "1")]]);
        check("VALUES (1) ;  \n", &[&[(Number, "1")]]);
        check(
            "VALUES (1), ( 2 ) ON CONFLICT DO NOTHING;",
            &[&[(Number, "1")], &[(Number, "2")]],
        );
        let (_, end) =
            parse("VALUES (1)  on  conflict do nothing ;").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((end.values_end, end.end), (10, 37));
    }

    #[test]
    fn errors() {
        let cases: &[(&str, &str)] = &[
            (
                "VALUES (1, 'abc",
                "unterminated string literal starting at byte 11",
            ),
            (
                "VALUES (1, \"abc",
                "unterminated quoted identifier starting at byte 11",
            ),
            (
                "VALUES (1, $x$abc",
                "unterminated dollar-quoted string starting at byte 11",
            ),
            ("VALUES (1 /* x", "unterminated comment starting at byte 10"),
            ("VALUES (1, 2", "expected ',' or ')' at byte 12"),
            ("VALUES (1, f(2)", "expected ',' or ')' at byte 15"),
            ("VALUES (1, ]", "unbalanced bracket at byte 11"),
            ("VALUES (1,)", "expected a value at byte 10"),
            ("VALUES ()", "expected a value at byte 8"),
            ("VALUES 1", "expected '(' at byte 7"),
            (
                "VALUES (1) (2)",
                "expected ',' or ';' or end of statement at byte 11",
            ),
            (
                "VALUES (1); x",
                "expected ',' or ';' or end of statement at byte 12",
            ),
            (
                "VALUES (1) ON CONFLICT DO UPDATE",
                "expected ON CONFLICT DO NOTHING at byte 26",
            ),
            ("VALUES (1),", "expected '(' at byte 11"),
        ];
        for (stmt, expected) in cases {
            match parse(stmt) {
                Ok(_) => panic!("{stmt:?} parsed"),
                Err(e) => assert_eq!(e.to_string(), *expected, "{stmt:?}"),
            }
        }
    }

    #[test]
    fn callback_error_carries_row() {
        let stmt = b"VALUES (1), (2), (3);";
        let got = parse_rows(stmt, 6, |v| {
            if v[0].range.start == 13 {
                Err("no")
            } else {
                Ok(())
            }
        });
        match got {
            Err(InsertError::Row {
                row,
                offset,
                source,
            }) => assert_eq!((row, offset, source), (1, 12, "no")),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn decode_cases() {
        use LiteralError::*;
        let cases: &[(&str, Result<&[u8], LiteralError>)] = &[
            ("''", Ok(b"")),
            ("'it''s'", Ok(b"it's")),
            ("'a\\b\\n'", Ok(b"a\\b\\n")),
            ("'tab\there\n'", Ok(b"tab\there\n")),
            ("'é😀'", Ok("é😀".as_bytes())),
            ("E'a\\nb\\tc\\\\d\\'e''f'", Ok(b"a\nb\tc\\d'e'f")),
            (
                "E'\\101\\x41\\x4g\\xg\\q\\b\\f\\r'",
                Ok(b"AA\x04gxgq\x08\x0c\r"),
            ),
            (
                "e'\\u00e9\\U0001F600\\ud83d\\ude00'",
                Ok("é😀😀".as_bytes()),
            ),
            ("'abc", Err(NotAString)),
            ("abc'", Err(NotAString)),
            ("'", Err(NotAString)),
            ("E'", Err(NotAString)),
            ("'a'b'", Err(LoneQuote { offset: 2 })),
            ("E'a'b'", Err(LoneQuote { offset: 3 })),
            ("E'\\0'", Err(NulByte { offset: 2 })),
            ("E'x\\x00'", Err(NulByte { offset: 3 })),
            ("E'\\u0000'", Err(InvalidUnicode { offset: 2 })),
            ("E'\\u12'", Err(InvalidUnicode { offset: 2 })),
            ("E'\\ud83d'", Err(InvalidUnicode { offset: 2 })),
            ("E'\\udc00'", Err(InvalidUnicode { offset: 2 })),
            ("E'\\U00110000'", Err(InvalidUnicode { offset: 2 })),
            ("E'a\\'", Err(TrailingBackslash { offset: 3 })),
        ];
        for (lit, expected) in cases {
            let mut out = b"keep".to_vec();
            let got = decode_string(lit.as_bytes(), &mut out).map(|()| out.split_off(4));
            assert_eq!(
                got.as_deref().map_err(Clone::clone),
                expected.clone(),
                "{lit:?}"
            );
        }
    }

    #[test]
    fn encode_cases() {
        let cases: &[(&[u8], &str)] = &[
            (b"", "''"),
            (b"it's", "'it''s'"),
            (b"''", "''''''"),
            (b"a\\b\n", "'a\\b\n'"),
        ];
        for (value, expected) in cases {
            let mut out = Vec::new();
            encode_string(value, &mut out);
            assert_eq!(out, expected.as_bytes(), "{value:?}");
        }
    }

    /// A value as pg_dump might print it, with the kind the lexer must report.
    fn literal() -> impl Strategy<Value = (LiteralKind, Vec<u8>)> {
        prop_oneof![
            Just((Null, b"NULL".to_vec())),
            any::<bool>().prop_map(|b| (Bool, b.to_string().into_bytes())),
            any::<i64>().prop_map(|n| (Number, n.to_string().into_bytes())),
            any::<f64>()
                .prop_filter("finite", |f| f.is_finite())
                .prop_map(|f| (Number, format!("{f:e}").into_bytes())),
            prop::collection::vec(any::<u8>(), 0..24).prop_map(|v| (String, v)),
            "[\\\\',;()$\"\n\ta-z]{0,12}".prop_map(|s| (String, s.into_bytes())),
        ]
    }

    proptest! {
        #[test]
        fn string_round_trip(value in prop::collection::vec(any::<u8>(), 0..64)) {
            let mut lit = Vec::new();
            encode_string(&value, &mut lit);
            let mut back = Vec::new();
            prop_assert_eq!(decode_string(&lit, &mut back), Ok(()));
            prop_assert_eq!(back, value);
        }

        #[test]
        fn statements_round_trip(rows in prop::collection::vec(prop::collection::vec(literal(), 1..6), 1..5)) {
            let mut stmt = b"INSERT INTO t VALUES".to_vec();
            for (i, row) in rows.iter().enumerate() {
                stmt.extend_from_slice(if i == 0 { b" (" } else { b",\n\t(" });
                for (j, (kind, value)) in row.iter().enumerate() {
                    if j > 0 {
                        stmt.extend_from_slice(b", ");
                    }
                    if *kind == String {
                        encode_string(value, &mut stmt);
                    } else {
                        stmt.extend_from_slice(value);
                    }
                }
                stmt.push(b')');
            }
            stmt.push(b';');
            let mut seen = Vec::new();
            let end = parse_rows(&stmt, 20, |values| {
                let row: Vec<(LiteralKind, Vec<u8>)> = values.iter().map(|v| {
                    let text = &stmt[v.range.clone()];
                    let mut decoded = Vec::new();
                    if v.kind == String {
                        decode_string(text, &mut decoded).map_err(|e| e.to_string())?;
                    } else {
                        decoded.extend_from_slice(text);
                    }
                    Ok((v.kind, decoded))
                }).collect::<Result<_, std::string::String>>()?;
                seen.push(row);
                Ok::<(), std::string::String>(())
            });
            prop_assert!(end.is_ok(), "{:?}", end);
            prop_assert_eq!(seen, rows);
        }
    }
}
