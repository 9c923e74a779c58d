//! PostgreSQL COPY text-format codec: splitting a line into fields, decoding and encoding field
//! escapes, and validating whole blocks of lines fast enough that tables no rule changes can be
//! copied through as bytes.
//!
//! Everything here is a pure function over byte slices, like `csv-core`: no I/O, no knowledge of
//! statements, tables or policies. Finding where a COPY block starts and ends (the `COPY ... FROM
//! stdin;` header and the `\.` terminator line) belongs to the statement reader, not here.
//!
//! The semantics follow PostgreSQL's `CopyReadLineText`/`CopyReadAttributesText`
//! (copyfromparse.c) and `CopyAttributeOutText` (copyto.c) for the default text format: TAB
//! delimiter, `\N` as NULL. Two places are stricter than a server, both on purpose, because a line
//! we accept may later be emitted verbatim:
//! - a backslash at the end of a line is refused (the server would read it as a continuation onto
//!   the next line, which pg_dump never writes);
//! - `\.` anywhere in a line is refused (PostgreSQL 15 ends the data there or reports a corrupt
//!   end-of-copy marker; passing it through would truncate the table on restore).

use memchr::{memchr, memchr2, memchr3};

/// Why a COPY line or field was refused. Positions only: a message never contains data.
///
/// `field` is the 0-based field index in the line and `offset` the byte offset in the line. The
/// field-level functions ([`decode_into`], [`validate_field`]) do not know where their field sits,
/// so they report `field: 0` and an offset within the field; [`CopyError::in_line`] moves such an
/// error to its place in a line.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum CopyError {
    /// The line does not have the number of fields the table has columns.
    #[error("line has {found} fields, expected {expected}")]
    FieldCount { expected: usize, found: usize },
    /// A backslash is the last byte of the line.
    #[error("field {field}: backslash at end of line (byte {offset})")]
    TrailingBackslash { field: usize, offset: usize },
    /// A raw NUL byte, or an escape that decodes to one; PostgreSQL text cannot hold NUL.
    #[error("field {field}: NUL byte (byte {offset})")]
    NulByte { field: usize, offset: usize },
    /// The raw bytes, or the bytes after decoding escapes, are not valid UTF-8.
    #[error("field {field}: invalid UTF-8 (byte {offset})")]
    InvalidUtf8 { field: usize, offset: usize },
    /// A raw carriage return or line feed inside a line; in data they are always escaped.
    #[error("field {field}: raw line break inside a line (byte {offset})")]
    RawLineBreak { field: usize, offset: usize },
    /// `\.` inside a line, which PostgreSQL reads as an end-of-data marker.
    #[error("field {field}: end-of-data marker inside a line (byte {offset})")]
    EndOfDataMarker { field: usize, offset: usize },
    /// A block's last line has no terminating line feed.
    #[error("last line of the block is not terminated (byte {offset})")]
    UnterminatedLine { offset: usize },
}

impl CopyError {
    /// Moves an error reported by a field-level function to field `field` starting at byte
    /// `field_start` of its line.
    pub fn in_line(self, field: usize, field_start: usize) -> Self {
        use CopyError::*;
        let at = |offset: usize| offset.saturating_add(field_start);
        match self {
            TrailingBackslash { offset, .. } => TrailingBackslash {
                field,
                offset: at(offset),
            },
            NulByte { offset, .. } => NulByte {
                field,
                offset: at(offset),
            },
            InvalidUtf8 { offset, .. } => InvalidUtf8 {
                field,
                offset: at(offset),
            },
            RawLineBreak { offset, .. } => RawLineBreak {
                field,
                offset: at(offset),
            },
            EndOfDataMarker { offset, .. } => EndOfDataMarker {
                field,
                offset: at(offset),
            },
            other @ (FieldCount { .. } | UnterminatedLine { .. }) => other,
        }
    }
}

/// The raw field that means NULL.
pub const NULL_FIELD: &[u8] = b"\\N";

/// Splits a line (terminator already stripped) into its raw fields on TAB bytes.
///
/// An empty line yields one empty field, as in PostgreSQL; only a table with no columns has
/// empty lines, and [`validate_line`] knows that case.
pub fn fields(line: &[u8]) -> Fields<'_> {
    Fields { rest: Some(line) }
}

/// Iterator returned by [`fields`].
#[derive(Debug, Clone)]
pub struct Fields<'a> {
    rest: Option<&'a [u8]>,
}

impl<'a> Iterator for Fields<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        let rest = self.rest?;
        let mut pos = 0;
        // A TAB right after an escaping backslash is data, not a delimiter
        // (CopyReadAttributesText checks for the delimiter before escapes, but the backslash
        // consumes the next byte whatever it is).
        while let Some(i) = rest.get(pos..).and_then(|r| memchr2(b'\t', b'\\', r)) {
            let at = pos + i;
            if rest.get(at) == Some(&b'\t') {
                self.rest = rest.get(at + 1..);
                return rest.get(..at);
            }
            pos = at + 2;
        }
        self.rest = None;
        Some(rest)
    }
}

/// Whether a raw field is NULL. Only the exact raw bytes `\N` are; `\\N` is the text `\N`.
pub fn is_null(field: &[u8]) -> bool {
    field == NULL_FIELD
}

/// One decoded escape: the byte it stands for and how many raw bytes it used.
struct Escape {
    byte: u8,
    len: usize,
}

/// Decodes the escape whose backslash is at `at` in `field`, exactly as CopyReadAttributesText.
fn escape_at(field: &[u8], at: usize) -> Result<Escape, CopyError> {
    let Some(&c) = field.get(at + 1) else {
        return Err(CopyError::TrailingBackslash {
            field: 0,
            offset: at,
        });
    };
    let digit = |i: usize, radix: u32| field.get(at + i).and_then(|&b| (b as char).to_digit(radix));
    let (value, len) = match c {
        b'0'..=b'7' => {
            let mut value = u32::from(c - b'0');
            let mut len = 2;
            while len < 4 {
                match digit(len, 8) {
                    Some(d) => value = value * 8 + d,
                    None => break,
                }
                len += 1;
            }
            // Three octal digits reach 0o777; PostgreSQL keeps the low byte.
            (value & 0xFF, len)
        }
        b'x' => match digit(2, 16) {
            Some(high) => match digit(3, 16) {
                Some(low) => (high * 16 + low, 4),
                None => (high, 3),
            },
            // `\x` without a hex digit is a plain `x` in PostgreSQL.
            None => (u32::from(b'x'), 2),
        },
        b'b' => (0x08, 2),
        b'f' => (0x0C, 2),
        b'n' => (0x0A, 2),
        b'r' => (0x0D, 2),
        b't' => (0x09, 2),
        b'v' => (0x0B, 2),
        b'.' => {
            return Err(CopyError::EndOfDataMarker {
                field: 0,
                offset: at,
            })
        }
        other => (u32::from(other), 2),
    };
    let byte = (value & 0xFF) as u8;
    if byte == 0 {
        return Err(CopyError::NulByte {
            field: 0,
            offset: at,
        });
    }
    Ok(Escape { byte, len })
}

/// Checks what PostgreSQL checks on the raw bytes before splitting: no NUL, no line break, and
/// valid UTF-8 in UTF-8 mode.
fn check_raw(field: &[u8], utf8: bool) -> Result<(), CopyError> {
    if let Some(offset) = memchr3(0, b'\r', b'\n', field) {
        return Err(match field.get(offset) {
            Some(0) => CopyError::NulByte { field: 0, offset },
            _ => CopyError::RawLineBreak { field: 0, offset },
        });
    }
    // `is_ascii` first: most fields are short ASCII, where simdutf8's dispatch costs more.
    if utf8 && !field.is_ascii() && simdutf8::basic::from_utf8(field).is_err() {
        let offset = match simdutf8::compat::from_utf8(field) {
            Err(e) => e.valid_up_to(),
            Ok(_) => 0,
        };
        return Err(CopyError::InvalidUtf8 { field: 0, offset });
    }
    Ok(())
}

/// Decodes a raw field (not NULL: check [`is_null`] first) and appends the bytes to `out`.
///
/// On error `out` is left as it was. In UTF-8 mode both the raw bytes and the decoded bytes must
/// be valid UTF-8, as the server requires.
pub fn decode_into(field: &[u8], utf8: bool, out: &mut Vec<u8>) -> Result<(), CopyError> {
    let start_len = out.len();
    let result = decode_unchecked(field, utf8, out);
    if result.is_err() {
        out.truncate(start_len);
    }
    result
}

fn decode_unchecked(field: &[u8], utf8: bool, out: &mut Vec<u8>) -> Result<(), CopyError> {
    check_raw(field, utf8)?;
    let start_len = out.len();
    let mut high = false;
    let mut pos = 0;
    while let Some(i) = field.get(pos..).and_then(|rest| memchr(b'\\', rest)) {
        let at = pos + i;
        out.extend_from_slice(field.get(pos..at).unwrap_or_default());
        let esc = escape_at(field, at)?;
        high |= esc.byte >= 0x80;
        out.push(esc.byte);
        pos = at + esc.len;
    }
    out.extend_from_slice(field.get(pos..).unwrap_or_default());
    // Escapes that stand for ASCII bytes cannot break valid UTF-8, so only a high byte made by
    // an escape needs the decoded text checked again.
    if utf8 && high {
        let decoded = out.get(start_len..).unwrap_or_default();
        if simdutf8::basic::from_utf8(decoded).is_err() {
            // Rare: walk again to find the raw position to report.
            return validate_field(field, utf8);
        }
    }
    Ok(())
}

/// Encodes a value as a COPY text field (CopyAttributeOutText) and appends it to `out`.
///
/// The value must not contain NUL (PostgreSQL text cannot); it is not checked here. NULL is
/// written by appending [`NULL_FIELD`].
pub fn encode_into(value: &[u8], out: &mut Vec<u8>) {
    // Most values need no escape: one branch-free pass (which vectorizes) says so, and the
    // value is copied whole instead of searched byte by byte.
    if !any_needs_escape(value) {
        out.extend_from_slice(value);
        return;
    }
    out.reserve(value.len());
    let mut rest = value;
    while let Some(i) = rest.iter().position(|&b| needs_escape(b)) {
        let (run, tail) = rest.split_at(i);
        out.extend_from_slice(run);
        let Some((&b, tail)) = tail.split_first() else {
            break;
        };
        let letter = match b {
            0x08 => b'b',
            0x09 => b't',
            0x0A => b'n',
            0x0B => b'v',
            0x0C => b'f',
            0x0D => b'r',
            _ => b'\\',
        };
        out.extend_from_slice(&[b'\\', letter]);
        rest = tail;
    }
    out.extend_from_slice(rest);
}

/// Whether any byte needs an escape, in fixed 16-byte steps that LLVM vectorizes (a fold over
/// the whole slice stayed scalar).
fn any_needs_escape(value: &[u8]) -> bool {
    let mut chunks = value.chunks_exact(16);
    let mut any = 0u8;
    for chunk in &mut chunks {
        for &b in chunk {
            any |= u8::from(needs_escape(b));
        }
    }
    for &b in chunks.remainder() {
        any |= u8::from(needs_escape(b));
    }
    any != 0
}

fn needs_escape(b: u8) -> bool {
    (b.wrapping_sub(0x08) < 6) | (b == b'\\')
}

/// Streaming UTF-8 validator for bytes produced one at a time by escape decoding. It accepts
/// exactly what `std::str::from_utf8` accepts (no overlongs, surrogates or code points above
/// U+10FFFF).
#[derive(Default)]
struct Utf8Stream {
    need: u8,
    lo: u8,
    hi: u8,
}

impl Utf8Stream {
    fn push(&mut self, b: u8) -> bool {
        if self.need > 0 {
            if b < self.lo || b > self.hi {
                return false;
            }
            self.need -= 1;
            (self.lo, self.hi) = (0x80, 0xBF);
            return true;
        }
        (self.need, self.lo, self.hi) = match b {
            0x00..=0x7F => return true,
            0xC2..=0xDF => (1, 0x80, 0xBF),
            0xE0 => (2, 0xA0, 0xBF),
            0xE1..=0xEC | 0xEE..=0xEF => (2, 0x80, 0xBF),
            0xED => (2, 0x80, 0x9F),
            0xF0 => (3, 0x90, 0xBF),
            0xF1..=0xF3 => (3, 0x80, 0xBF),
            0xF4 => (3, 0x80, 0x8F),
            _ => return false,
        };
        true
    }
}

/// Checks a raw field without allocating: escapes legal, nothing decodes to NUL, and in UTF-8
/// mode the raw and decoded bytes are valid UTF-8. Errors carry `field: 0` and an offset within
/// the field.
pub fn validate_field(field: &[u8], utf8: bool) -> Result<(), CopyError> {
    check_raw(field, utf8)?;
    let mut high = false;
    let mut pos = 0;
    while let Some(i) = field.get(pos..).and_then(|rest| memchr(b'\\', rest)) {
        let esc = escape_at(field, pos + i)?;
        high |= esc.byte >= 0x80;
        pos += i + esc.len;
    }
    if utf8 && high {
        return check_decoded_utf8(field);
    }
    Ok(())
}

/// Walks the decoded bytes through a streaming validator, reporting the raw offset of the
/// escape or byte where the text stops being UTF-8.
fn check_decoded_utf8(field: &[u8]) -> Result<(), CopyError> {
    let mut stream = Utf8Stream::default();
    let mut pos = 0;
    while let Some(&b) = field.get(pos) {
        let (byte, len) = if b == b'\\' {
            let esc = escape_at(field, pos)?;
            (esc.byte, esc.len)
        } else {
            (b, 1)
        };
        if !stream.push(byte) {
            return Err(CopyError::InvalidUtf8 {
                field: 0,
                offset: pos,
            });
        }
        pos += len;
    }
    if stream.need > 0 {
        return Err(CopyError::InvalidUtf8 {
            field: 0,
            offset: field.len(),
        });
    }
    Ok(())
}

/// Validates one line (terminator stripped): exactly `expected_fields` fields, each passing
/// [`validate_field`]. A table with no columns has empty lines. Errors carry the field index and
/// the byte offset in the line.
pub fn validate_line(line: &[u8], expected_fields: usize, utf8: bool) -> Result<(), CopyError> {
    let found = if expected_fields == 0 && line.is_empty() {
        0
    } else {
        fields(line).count()
    };
    if found != expected_fields {
        return Err(CopyError::FieldCount {
            expected: expected_fields,
            found,
        });
    }
    let mut start = 0;
    for (index, field) in fields(line).enumerate().take(found) {
        validate_field(field, utf8).map_err(|e| e.in_line(index, start))?;
        start += field.len() + 1;
    }
    Ok(())
}

/// Fast path for tables the policy does not change.
///
/// `block` is a run of complete lines, each ending in `\n` (no CRLF), none of them the `\.`
/// terminator. Checks that every line has exactly `expected_fields` fields, that the block is
/// valid UTF-8 (when `utf8`), and that every escape is legal (nothing decodes to NUL, decoded
/// bytes valid UTF-8). Returns the number of lines, or the 0-based index of the first bad line
/// with the error [`validate_line`] gives for it.
pub fn validate_block(
    block: &[u8],
    expected_fields: usize,
    utf8: bool,
) -> Result<usize, (usize, CopyError)> {
    // Whole-block passes at SIMD speed find the first byte that fails a raw check; lines before
    // it then only need their tabs counted and their (rare) escapes looked at.
    let mut first_bad = block.len();
    if utf8 && simdutf8::basic::from_utf8(block).is_err() {
        if let Err(e) = simdutf8::compat::from_utf8(block) {
            first_bad = e.valid_up_to();
        }
    }
    let clean = block.get(..first_bad).unwrap_or_default();
    if let Some(i) = memchr::memchr2(0, b'\r', clean) {
        first_bad = i;
    }
    let mut scan = LineScan {
        block,
        expected_tabs: expected_fields.saturating_sub(1),
        expected_fields,
        utf8,
        first_bad,
        start: 0,
        index: 0,
        tabs: 0,
        backslash: false,
    };
    // One pass over 64-byte chunks turns each into bitmasks of its newlines, tabs and
    // backslashes; a line's tab count is then a popcount. Finding each newline with memchr and
    // counting its tabs separately touched every byte twice and paid a call per line.
    let mut tabs = 0u32;
    let mut backslash = 0u64;
    for (base, chunk) in (0..).step_by(64).zip(block.chunks(64)) {
        let Masks {
            mut newline,
            mut tab,
            mut backslashes,
        } = masks(chunk);
        while newline != 0 {
            let i = newline.trailing_zeros();
            let before = (1u64 << i) - 1;
            scan.tabs = (tabs + (tab & before).count_ones()) as usize;
            scan.backslash = backslash | (backslashes & before) != 0;
            scan.line_end(base + i as usize)?;
            // Bits after this newline belong to the next line.
            let after = (u64::MAX << i) << 1;
            tab &= after;
            backslashes &= after;
            newline &= newline - 1;
            tabs = 0;
            backslash = 0;
        }
        tabs += tab.count_ones();
        backslash |= backslashes;
    }
    if scan.start < block.len() {
        let offset = block.len() - scan.start;
        return Err((scan.index, CopyError::UnterminatedLine { offset }));
    }
    Ok(scan.index)
}

/// Where a 64-byte chunk holds newlines, tabs and backslashes: bit `i` is byte `i`.
struct Masks {
    newline: u64,
    tab: u64,
    backslashes: u64,
}

/// Builds the [`Masks`] of a chunk of at most 64 bytes (a short last chunk reads as if padded
/// with bytes that match nothing).
#[inline(always)]
fn masks(chunk: &[u8]) -> Masks {
    let mut padded = [0u8; 64];
    let bytes: &[u8; 64] = match <&[u8; 64]>::try_from(chunk) {
        Ok(full) => full,
        Err(_) => {
            let n = chunk.len().min(64);
            if let (Some(dst), Some(src)) = (padded.get_mut(..n), chunk.get(..n)) {
                dst.copy_from_slice(src);
            }
            &padded
        }
    };
    masks64(bytes)
}

/// SSE2 compares and movemasks, 16 bytes at a time (SSE2 is part of the x86_64 baseline;
/// `safe_arch` wraps the intrinsics safely, since the crate forbids `unsafe`).
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn masks64(bytes: &[u8; 64]) -> Masks {
    use safe_arch::{
        cmp_eq_mask_i8_m128i, load_unaligned_m128i, move_mask_i8_m128i, set_splat_i8_m128i,
    };
    let (nl, tab, bs) = (
        set_splat_i8_m128i(b'\n' as i8),
        set_splat_i8_m128i(b'\t' as i8),
        set_splat_i8_m128i(b'\\' as i8),
    );
    let mut m = Masks {
        newline: 0,
        tab: 0,
        backslashes: 0,
    };
    for (lane, part) in bytes.chunks_exact(16).enumerate() {
        let Ok(part) = <&[u8; 16]>::try_from(part) else {
            continue;
        };
        let v = load_unaligned_m128i(part);
        let shift = lane * 16;
        // movemask puts 16 bits in an i32's low half; the cast keeps exactly those.
        let bits = |c| u64::from(move_mask_i8_m128i(cmp_eq_mask_i8_m128i(v, c)) as u16) << shift;
        m.newline |= bits(nl);
        m.tab |= bits(tab);
        m.backslashes |= bits(bs);
    }
    m
}

/// Portable fallback for other architectures.
#[cfg(not(target_arch = "x86_64"))]
fn masks64(bytes: &[u8; 64]) -> Masks {
    let mut m = Masks {
        newline: 0,
        tab: 0,
        backslashes: 0,
    };
    for (i, &b) in bytes.iter().enumerate() {
        m.newline |= u64::from(b == b'\n') << i;
        m.tab |= u64::from(b == b'\t') << i;
        m.backslashes |= u64::from(b == b'\\') << i;
    }
    m
}

/// State of [`validate_block`] between chunks: where the current line started, and the tabs and
/// backslashes seen in it so far.
struct LineScan<'a> {
    block: &'a [u8],
    expected_fields: usize,
    expected_tabs: usize,
    utf8: bool,
    first_bad: usize,
    start: usize,
    index: usize,
    tabs: usize,
    backslash: bool,
}

impl LineScan<'_> {
    fn line_end(&mut self, end: usize) -> Result<(), (usize, CopyError)> {
        let line = self.block.get(self.start..end).unwrap_or_default();
        let fast_ok = end < self.first_bad
            && if self.expected_fields == 0 {
                line.is_empty()
            } else {
                self.tabs == self.expected_tabs
                    && (!self.backslash || escapes_plain(line, self.utf8))
            };
        if !fast_ok {
            validate_line(line, self.expected_fields, self.utf8).map_err(|e| (self.index, e))?;
        }
        self.start = end + 1;
        self.index += 1;
        self.tabs = 0;
        self.backslash = false;
        Ok(())
    }
}

/// Whether every escape in a raw line is legal and, in UTF-8 mode, stands for an ASCII byte, so
/// the line needs no closer look. False sends the line to [`validate_line`].
fn escapes_plain(line: &[u8], utf8: bool) -> bool {
    let mut pos = 0;
    while let Some(i) = line.get(pos..).and_then(|rest| memchr(b'\\', rest)) {
        let at = pos + i;
        // An escaped TAB is data, which the tab count above got wrong.
        if line.get(at + 1) == Some(&b'\t') {
            return false;
        }
        match escape_at(line, at) {
            Ok(esc) if !(utf8 && esc.byte >= 0x80) => pos = at + esc.len,
            _ => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    type DecodeCase = (&'static [u8], Result<&'static [u8], CopyError>);
    type BlockCase = (&'static [u8], usize, Result<usize, (usize, CopyError)>);

    fn decode(field: &[u8], utf8: bool) -> Result<Vec<u8>, CopyError> {
        let mut out = b"keep".to_vec();
        let result = decode_into(field, utf8, &mut out);
        match result {
            Ok(()) => Ok(out.split_off(4)),
            Err(e) => {
                assert_eq!(out, b"keep", "output must be untouched on error");
                Err(e)
            }
        }
    }

    fn check_decode(field: &[u8], utf8: bool, expected: Result<&[u8], CopyError>) {
        let got = decode(field, utf8);
        assert_eq!(
            got.as_deref().map_err(Clone::clone),
            expected.clone(),
            "decode {:?}",
            field.escape_ascii()
        );
        // validate_field must agree with decode_into on every input.
        assert_eq!(
            validate_field(field, utf8),
            expected.map(|_| ()),
            "validate"
        );
    }

    #[test]
    fn decode_cases() {
        let ok = |f: &'static [u8], v: &'static [u8]| (f, Ok::<&[u8], CopyError>(v));
        let cases: &[DecodeCase] = &[
            ok(b"", b""),
            ok(b"plain", b"plain"),
            ok(b"\\\\", b"\\"),
            ok(b"\\\\N", b"\\N"),
            ok(b"\\N", b"N"), // NULL is decided on raw bytes first; as text `\N` is `N`.
            ok(b"\\b\\f\\n\\r\\t\\v", b"\x08\x0c\n\r\t\x0b"),
            ok(b"\\1", b"\x01"),
            ok(b"\\12", b"\n"),
            ok(b"\\101", b"A"),
            ok(b"\\1011", b"A1"),
            ok(b"\\18", b"\x018"),
            ok(b"\\501", b"A"), // 0o501 & 0xFF == 0x41
            ok(b"\\x", b"x"),
            ok(b"\\xg", b"xg"),
            ok(b"\\x4", b"\x04"),
            ok(b"\\x41", b"A"),
            ok(b"\\x4a1", b"J1"),
            ok(b"\\xA", b"\n"),
            ok(b"\\q\\'", b"q'"),
            ok("é😀".as_bytes(), "é😀".as_bytes()),
            ok(b"\\xc3\\xa9", "é".as_bytes()),
            ok(b"\\303\\251", "é".as_bytes()),
            ok(b"\\xf0\\x9f\\x98\\x80", "😀".as_bytes()),
            ok("\\é".as_bytes(), "é".as_bytes()),
        ];
        for (field, expected) in cases {
            check_decode(field, true, expected.clone());
        }
    }

    #[test]
    fn decode_errors() {
        use CopyError::*;
        let cases: &[(&[u8], bool, CopyError)] = &[
            (
                b"ab\\",
                true,
                TrailingBackslash {
                    field: 0,
                    offset: 2,
                },
            ),
            (
                b"\\\\\\",
                true,
                TrailingBackslash {
                    field: 0,
                    offset: 2,
                },
            ),
            (
                b"a\\0",
                true,
                NulByte {
                    field: 0,
                    offset: 1,
                },
            ),
            (
                b"\\000",
                false,
                NulByte {
                    field: 0,
                    offset: 0,
                },
            ),
            (
                b"\\400",
                false,
                NulByte {
                    field: 0,
                    offset: 0,
                },
            ),
            (
                b"x\\x00",
                true,
                NulByte {
                    field: 0,
                    offset: 1,
                },
            ),
            (
                b"x\\x0",
                true,
                NulByte {
                    field: 0,
                    offset: 1,
                },
            ),
            (
                b"a\0",
                false,
                NulByte {
                    field: 0,
                    offset: 1,
                },
            ),
            (
                b"a\rb",
                false,
                RawLineBreak {
                    field: 0,
                    offset: 1,
                },
            ),
            (
                b"a\nb",
                false,
                RawLineBreak {
                    field: 0,
                    offset: 1,
                },
            ),
            (
                b"ab\\xff",
                true,
                InvalidUtf8 {
                    field: 0,
                    offset: 2,
                },
            ),
            (
                b"\\xc3",
                true,
                InvalidUtf8 {
                    field: 0,
                    offset: 4,
                },
            ),
            (
                b"\\xc3A",
                true,
                InvalidUtf8 {
                    field: 0,
                    offset: 4,
                },
            ),
            (
                b"\\355\\240\\200",
                true,
                InvalidUtf8 {
                    field: 0,
                    offset: 4,
                },
            ),
            (
                b"a\xff",
                true,
                InvalidUtf8 {
                    field: 0,
                    offset: 1,
                },
            ),
            // A raw lead byte completed by an escape is refused: the raw line is checked first.
            (
                b"\xc3\\xa9",
                true,
                InvalidUtf8 {
                    field: 0,
                    offset: 0,
                },
            ),
            (
                b"a\\.",
                true,
                EndOfDataMarker {
                    field: 0,
                    offset: 1,
                },
            ),
        ];
        for (field, utf8, expected) in cases {
            check_decode(field, *utf8, Err(expected.clone()));
        }
        // Without UTF-8 checks, high bytes are just bytes.
        check_decode(b"\\xff\xfe", false, Ok(b"\xff\xfe"));
    }

    #[test]
    fn encode_cases() {
        let cases: &[(&[u8], &[u8])] = &[
            (b"", b""),
            (b"plain", b"plain"),
            (b"\\", b"\\\\"),
            (b"\\N", b"\\\\N"),
            (b"\x08\x0c\n\r\t\x0b", b"\\b\\f\\n\\r\\t\\v"),
            (b"tab\there", b"tab\\there"),
            (b"\x01\x7f\xff.", b"\x01\x7f\xff."),
            ("é😀".as_bytes(), "é😀".as_bytes()),
        ];
        for (value, expected) in cases {
            let mut out = b"x".to_vec();
            encode_into(value, &mut out);
            assert_eq!(&out[1..], *expected, "encode {:?}", value.escape_ascii());
        }
    }

    #[test]
    fn fields_and_nulls() {
        let cases: &[(&[u8], &[&[u8]])] = &[
            (b"", &[b""]),
            (b"\t", &[b"", b""]),
            (b"a\t\\N\t\\\\N\t", &[b"a", b"\\N", b"\\\\N", b""]),
            (b"a\\\tb\tc", &[b"a\\\tb", b"c"]),
            (b"a\\\\\tb", &[b"a\\\\", b"b"]),
            (b"a\\", &[b"a\\"]),
        ];
        for (line, expected) in cases {
            let got: Vec<&[u8]> = fields(line).collect();
            assert_eq!(&got, expected, "fields {:?}", line.escape_ascii());
        }
        assert!(is_null(b"\\N"));
        assert!(!is_null(b"\\\\N"));
        assert!(!is_null(b""));
        assert!(!is_null(b"\\N "));
    }

    #[test]
    fn validate_block_cases() {
        use CopyError::*;
        let cases: &[BlockCase] = &[
            (b"", 3, Ok(0)),
            (b"1\ta\t\\N\n2\tb\\tc\t\n", 3, Ok(2)),
            (b"\n\n", 0, Ok(2)),
            (
                b"x\n",
                0,
                Err((
                    0,
                    FieldCount {
                        expected: 0,
                        found: 1,
                    },
                )),
            ),
            (b"\n", 1, Ok(1)),
            (
                b"1\t2\n1\t2\t3\n",
                2,
                Err((
                    1,
                    FieldCount {
                        expected: 2,
                        found: 3,
                    },
                )),
            ),
            (
                b"1\t2\n1\n",
                2,
                Err((
                    1,
                    FieldCount {
                        expected: 2,
                        found: 1,
                    },
                )),
            ),
            (
                b"1\\\t2\n",
                2,
                Err((
                    0,
                    FieldCount {
                        expected: 2,
                        found: 1,
                    },
                )),
            ),
            (b"1\\\t2\t3\n", 2, Ok(1)),
            (b"1\t2\n1\t2", 2, Err((1, UnterminatedLine { offset: 3 }))),
            (
                b"ok\tok\nab\tc\\0d\n",
                2,
                Err((
                    1,
                    NulByte {
                        field: 1,
                        offset: 4,
                    },
                )),
            ),
            (
                b"ok\tok\nab\tc\\\n",
                2,
                Err((
                    1,
                    TrailingBackslash {
                        field: 1,
                        offset: 4,
                    },
                )),
            ),
            (
                b"ok\tok\nab\tc\\xffd\n",
                2,
                Err((
                    1,
                    InvalidUtf8 {
                        field: 1,
                        offset: 4,
                    },
                )),
            ),
            (b"ok\tok\nab\tc\\xc3\\xa9\n", 2, Ok(2)),
            (
                b"ok\tok\nab\tc\xff\n",
                2,
                Err((
                    1,
                    InvalidUtf8 {
                        field: 1,
                        offset: 4,
                    },
                )),
            ),
            (
                b"ok\tok\nab\tc\r\n",
                2,
                Err((
                    1,
                    RawLineBreak {
                        field: 1,
                        offset: 4,
                    },
                )),
            ),
            (
                b"ok\tok\nab\tc\0\n",
                2,
                Err((
                    1,
                    NulByte {
                        field: 1,
                        offset: 4,
                    },
                )),
            ),
            (
                b"a\t\\.\n",
                2,
                Err((
                    0,
                    EndOfDataMarker {
                        field: 1,
                        offset: 2,
                    },
                )),
            ),
            // The first bad line wins even when a later line fails a whole-block check.
            (
                b"a\nb\t\xff\n",
                2,
                Err((
                    0,
                    FieldCount {
                        expected: 2,
                        found: 1,
                    },
                )),
            ),
        ];
        for (block, expected_fields, expected) in cases {
            let got = validate_block(block, *expected_fields, true);
            assert_eq!(&got, expected, "block {:?}", block.escape_ascii());
        }
        assert_eq!(validate_block(b"a\t\xff\n", 2, false), Ok(1));
    }

    /// The slow reference: split, decode every field, count.
    fn reference_block(block: &[u8], n: usize, utf8: bool) -> Result<usize, (usize, CopyError)> {
        let mut lines = block.split(|&b| b == b'\n').collect::<Vec<_>>();
        let tail = lines.pop().unwrap_or_default();
        for (i, line) in lines.iter().enumerate() {
            let found = if n == 0 && line.is_empty() {
                0
            } else {
                fields(line).count()
            };
            if found != n {
                return Err((i, CopyError::FieldCount { expected: n, found }));
            }
            let mut start = 0;
            for (f, field) in fields(line).enumerate() {
                let mut out = Vec::new();
                decode_into(field, utf8, &mut out).map_err(|e| (i, e.in_line(f, start)))?;
                start += field.len() + 1;
            }
        }
        if !tail.is_empty() {
            let offset = tail.len();
            return Err((lines.len(), CopyError::UnterminatedLine { offset }));
        }
        Ok(lines.len())
    }

    fn block_bytes() -> impl Strategy<Value = Vec<u8>> {
        // A small alphabet makes tabs, escapes, and high bytes frequent.
        let byte = prop::sample::select(b"\t\t\\\\\\nNx0147af.\xc3\xa9\xff\x00\rzz\n\n".to_vec());
        prop::collection::vec(byte, 0..80)
    }

    proptest! {
        #[test]
        fn decode_inverts_encode(value in prop::collection::vec(1u8.., 0..64)) {
            let mut encoded = Vec::new();
            encode_into(&value, &mut encoded);
            prop_assert!(!encoded.iter().any(|&b| b == b'\t' || b == b'\n' || b == b'\r'));
            // A backslash is always doubled, so no value encodes to the NULL marker.
            prop_assert!(!is_null(&encoded));
            prop_assert_eq!(fields(&encoded).count(), 1);
            prop_assert_eq!(decode(&encoded, false), Ok(value));
        }

        #[test]
        fn decode_inverts_encode_utf8(value in "[^\u{0}]{0,40}") {
            let mut encoded = Vec::new();
            encode_into(value.as_bytes(), &mut encoded);
            prop_assert_eq!(decode(&encoded, true), Ok(value.into_bytes()));
        }

        #[test]
        fn validate_block_matches_reference(block in block_bytes(), n in 0usize..4, utf8: bool) {
            prop_assert_eq!(validate_block(&block, n, utf8), reference_block(&block, n, utf8));
        }

        #[test]
        fn validate_field_matches_decode(field in block_bytes(), utf8: bool) {
            let decoded = decode(&field, utf8);
            prop_assert_eq!(validate_field(&field, utf8), decoded.as_ref().map(|_| ()).map_err(Clone::clone));
            if let (true, Ok(bytes)) = (utf8, &decoded) {
                prop_assert!(std::str::from_utf8(bytes).is_ok());
            }
        }

        #[test]
        fn utf8_stream_matches_std(bytes in prop::collection::vec(any::<u8>(), 0..12)) {
            let mut s = Utf8Stream::default();
            let ok = bytes.iter().all(|&b| s.push(b)) && s.need == 0;
            prop_assert_eq!(ok, std::str::from_utf8(&bytes).is_ok());
        }
    }
}
