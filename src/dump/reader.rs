//! The streaming dump reader: splits a plain pg_dump into events without loading it.
//!
//! A psql script is a sequence of SQL statements, psql meta-command lines (`\restrict`,
//! `\connect`), comments and blank lines, and — after each `COPY ... FROM stdin;` — a block of
//! data lines ended by a line `\.`. [`DumpReader::next_event`] hands these out as borrowed slices of
//! one reusable buffer, so concatenating every event's bytes gives back the input exactly, and
//! memory is bounded by the buffer (the largest single statement or row, at least 4 MiB).
//! COPY data comes out in large runs of complete lines so that callers can check and copy it in
//! bulk; the reader never decodes it.

use std::io::{self, Read};

use memchr::{memchr, memmem, memrchr};

use super::lexer::{Scan, StatementScanner};

/// Default read size. Large reads and large COPY runs keep per-event overhead negligible.
pub const DEFAULT_CHUNK: usize = 4 << 20;

/// One piece of the dump, borrowed from the reader's buffer.
#[derive(Debug, PartialEq, Eq)]
pub enum Event<'a> {
    /// Blank lines and `--` comment lines between statements.
    Verbatim(&'a [u8]),
    /// One complete SQL statement, from its first byte to its `;` inclusive.
    Statement {
        /// The statement text.
        text: &'a [u8],
        /// 1-based line of its first byte.
        line: u64,
        /// Whether a COPY data block follows it.
        copy_from_stdin: bool,
    },
    /// A psql meta-command line such as `\restrict KEY`, newline included.
    Meta {
        /// The line.
        text: &'a [u8],
        /// 1-based line number.
        line: u64,
    },
    /// Complete data lines of the current COPY block, each ending in `\n`.
    CopyData {
        /// The lines.
        data: &'a [u8],
        /// 1-based line number of the first of them.
        first_line: u64,
        /// Whether the block's lines end in `\r\n` (judged from its first line).
        crlf: bool,
    },
    /// The `\.` line ending a COPY block, newline included.
    CopyEnd {
        /// The line.
        text: &'a [u8],
        /// 1-based line number.
        line: u64,
    },
}

/// Why reading failed.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The underlying reader failed.
    #[error("reading the dump failed: {0}")]
    Io(#[from] io::Error),
    /// The input ended inside a statement.
    #[error(
        "the dump ends inside an unterminated {what} that starts at line {line}; is it truncated?"
    )]
    Unterminated {
        /// What construct was open.
        what: &'static str,
        /// Where the statement started.
        line: u64,
    },
    /// The input ended inside a COPY block.
    #[error("the dump ends inside a COPY data block (no `\\.` line); is it truncated?")]
    TruncatedCopy {
        /// The line where input ended.
        line: u64,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Sql,
    /// After `COPY ... FROM stdin;`: the rest of that line, before the data starts.
    CopyLineRest,
    Copy {
        crlf: Option<bool>,
    },
}

/// Splits a plain-format dump into [`Event`]s.
pub struct DumpReader<R> {
    inner: R,
    buf: Vec<u8>,
    pos: usize,
    end: usize,
    eof: bool,
    line: u64,
    mode: Mode,
    scanner: StatementScanner,
    backslash_strings: bool,
    chunk: usize,
    bytes_read: u64,
    terminator: memmem::Finder<'static>,
    /// The buffer range of the last `CopyData` whose lines are not yet in `line`: counted at the
    /// next event unless the consumer, which splits those lines anyway, says how many there were
    /// ([`DumpReader::copy_lines`]). Counting them here too was a tenth of a keep-all run.
    uncounted: Option<(usize, usize)>,
    /// Whether line numbers are kept past COPY data at all (see [`DumpReader::without_data_line_numbers`]).
    count_data_lines: bool,
}

impl<R: Read> DumpReader<R> {
    /// A reader with the default buffer size.
    pub fn new(inner: R) -> Self {
        Self::with_chunk(inner, DEFAULT_CHUNK)
    }

    /// A reader that reads `chunk` bytes at a time (tests use tiny chunks to exercise refills).
    pub fn with_chunk(inner: R, chunk: usize) -> Self {
        DumpReader {
            inner,
            buf: Vec::new(),
            pos: 0,
            end: 0,
            eof: false,
            line: 1,
            mode: Mode::Sql,
            scanner: StatementScanner::new(false),
            backslash_strings: false,
            chunk: chunk.max(1),
            bytes_read: 0,
            terminator: memmem::Finder::new(b"\n\\.").into_owned(),
            uncounted: None,
            count_data_lines: true,
        }
    }

    /// A reader whose line numbers stop counting COPY data lines, for passes that only look at
    /// statements and can afford wrong line numbers until they hit an error (then they read
    /// again with a counting reader to say where).
    pub fn without_data_line_numbers(mut self) -> Self {
        self.count_data_lines = false;
        self
    }

    /// Tells the reader how many lines the last `CopyData` event held, so it need not count them.
    pub fn copy_lines(&mut self, lines: u64) {
        if self.uncounted.take().is_some() {
            self.line += lines;
        }
    }

    /// Counts the lines of the last `CopyData` if its consumer did not say.
    fn settle_lines(&mut self) {
        if let Some((s, e)) = self.uncounted.take() {
            if self.count_data_lines {
                self.line += count_lines(&self.buf[s..e]);
            }
        }
    }

    /// Bytes read from the input so far.
    pub fn bytes_read(&self) -> u64 {
        self.bytes_read
    }

    /// The line number of the next unread byte.
    pub fn line(&self) -> u64 {
        match self.uncounted {
            Some((s, e)) if self.count_data_lines => self.line + count_lines(&self.buf[s..e]),
            _ => self.line,
        }
    }

    /// Reads more input after the unconsumed bytes, growing the buffer only when one statement or
    /// row is larger than it.
    fn fill(&mut self) -> io::Result<()> {
        if self.pos > 0 {
            self.buf.copy_within(self.pos..self.end, 0);
            self.end -= self.pos;
            self.pos = 0;
        }
        let want = self.end + self.chunk;
        if self.buf.len() < want {
            let grown = want.max(self.buf.len() * 2).max(self.chunk);
            self.buf.resize(grown, 0);
        }
        // Fill at least half a chunk so pipes (64 KiB per read) still give large events.
        let target = self.end + self.chunk / 2;
        while self.end < target.max(self.end + 1) {
            match self.inner.read(&mut self.buf[self.end..]) {
                Ok(0) => {
                    self.eof = true;
                    break;
                }
                Ok(n) => {
                    self.end += n;
                    self.bytes_read += n as u64;
                    if self.end >= target {
                        break;
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    fn take(&mut self, n: usize, lines: u64) -> (usize, usize) {
        let start = self.pos;
        self.pos += n;
        self.line += lines;
        (start, start + n)
    }

    /// The next event, or `None` at the end of the input.
    pub fn next_event(&mut self) -> Result<Option<Event<'_>>, ReadError> {
        self.settle_lines();
        loop {
            match self.mode {
                Mode::Sql => match self.sql_step() {
                    Step::Emit(kind, n) => {
                        let lines = count_lines(&self.buf[self.pos..self.pos + n]);
                        let line = self.line;
                        let (s, e) = self.take(n, lines);
                        let text = &self.buf[s..e];
                        return Ok(Some(match kind {
                            Kind::Verbatim => Event::Verbatim(text),
                            Kind::Meta => Event::Meta { text, line },
                            Kind::Statement => {
                                let copy = is_copy_from_stdin(text);
                                if copy {
                                    self.mode = Mode::CopyLineRest;
                                }
                                if let Some(on) = standard_conforming_strings(text) {
                                    self.backslash_strings = !on;
                                }
                                self.scanner.reset(self.backslash_strings);
                                Event::Statement {
                                    text,
                                    line,
                                    copy_from_stdin: copy,
                                }
                            }
                        }));
                    }
                    Step::More => {
                        if self.eof {
                            if self.pos == self.end {
                                return Ok(None);
                            }
                            // Only a statement can be left over at the end (verbatim and meta
                            // lines are emitted at EOF as they are).
                            return Err(ReadError::Unterminated {
                                what: "statement (no terminating semicolon)",
                                line: self.line,
                            });
                        }
                        self.fill()?;
                    }
                    Step::Unterminated(what) => {
                        return Err(ReadError::Unterminated {
                            what,
                            line: self.line,
                        });
                    }
                },
                Mode::CopyLineRest => {
                    let avail = &self.buf[self.pos..self.end];
                    match memchr(b'\n', avail) {
                        Some(k) => {
                            self.mode = Mode::Copy { crlf: None };
                            let (s, e) = self.take(k + 1, 1);
                            return Ok(Some(Event::Verbatim(&self.buf[s..e])));
                        }
                        None if self.eof => {
                            return Err(ReadError::TruncatedCopy { line: self.line })
                        }
                        None => self.fill()?,
                    }
                }
                Mode::Copy { crlf } => {
                    match copy_step(&self.buf[self.pos..self.end], self.eof, &self.terminator) {
                        CopyStep::Data(n) => {
                            let avail = &self.buf[self.pos..self.end];
                            let block_crlf = crlf.unwrap_or_else(|| {
                                let first = memchr(b'\n', avail).unwrap_or(0);
                                first > 0 && avail[first - 1] == b'\r'
                            });
                            self.mode = Mode::Copy {
                                crlf: Some(block_crlf),
                            };
                            let first_line = self.line;
                            let (s, e) = self.take(n, 0);
                            self.uncounted = Some((s, e));
                            return Ok(Some(Event::CopyData {
                                data: &self.buf[s..e],
                                first_line,
                                crlf: block_crlf,
                            }));
                        }
                        CopyStep::End(n) => {
                            self.mode = Mode::Sql;
                            let line = self.line;
                            let lines = count_lines(&self.buf[self.pos..self.pos + n]);
                            let (s, e) = self.take(n, lines);
                            return Ok(Some(Event::CopyEnd {
                                text: &self.buf[s..e],
                                line,
                            }));
                        }
                        CopyStep::More => {
                            if self.eof {
                                return Err(ReadError::TruncatedCopy { line: self.line });
                            }
                            self.fill()?;
                        }
                    }
                }
            }
        }
    }

    fn sql_step(&mut self) -> Step {
        let avail = &self.buf[self.pos..self.end];
        if avail.is_empty() {
            return Step::More;
        }
        // Whitespace and whole `--` comment lines between statements pass through as they are.
        let mut i = 0;
        while i < avail.len() {
            match avail[i] {
                b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' => i += 1,
                b'-' if avail.get(i + 1) == Some(&b'-') => match memchr(b'\n', &avail[i..]) {
                    Some(k) => i += k + 1,
                    None if self.eof => i = avail.len(),
                    None => break,
                },
                b'-' if i + 1 == avail.len() && !self.eof => break,
                _ => break,
            }
        }
        if i > 0 {
            // Stop at a line boundary when more may follow, so a comment is never split.
            return Step::Emit(Kind::Verbatim, i);
        }
        if avail[0] == b'\\' {
            return match memchr(b'\n', avail) {
                Some(k) => Step::Emit(Kind::Meta, k + 1),
                None if self.eof => Step::Emit(Kind::Meta, avail.len()),
                None => Step::More,
            };
        }
        if avail[0] == b'-' {
            // A lone `-` at the end of the buffer: wait to see whether a comment starts.
            return Step::More;
        }
        match self.scanner.scan(avail, self.eof) {
            Scan::Complete(n) => Step::Emit(Kind::Statement, n),
            Scan::NeedMore => Step::More,
            Scan::Unterminated(what) => Step::Unterminated(what),
        }
    }
}

enum Kind {
    Verbatim,
    Meta,
    Statement,
}

enum Step {
    Emit(Kind, usize),
    More,
    Unterminated(&'static str),
}

enum CopyStep {
    Data(usize),
    End(usize),
    More,
}

/// Finds the next run of complete data lines, or the `\.` terminator at the current position.
fn copy_step(avail: &[u8], eof: bool, terminator: &memmem::Finder<'_>) -> CopyStep {
    if let Some(end) = terminator_at(avail, 0, eof) {
        return match end {
            Some(n) => CopyStep::End(n),
            None => CopyStep::More,
        };
    }
    // Look for "\n\.": the line after that newline may be the terminator.
    let mut from = 0;
    while let Some(k) = terminator.find(&avail[from..]) {
        let nl = from + k;
        match terminator_at(avail, nl + 1, eof) {
            Some(Some(_)) | Some(None) => return CopyStep::Data(nl + 1),
            None => from = nl + 1,
        }
    }
    match memrchr(b'\n', avail) {
        Some(k) => CopyStep::Data(k + 1),
        None => CopyStep::More,
    }
}

/// Whether a `\.` terminator line starts at `at`: `None` if not, `Some(Some(len))` if it does,
/// `Some(None)` if it might but more input is needed to tell.
fn terminator_at(avail: &[u8], at: usize, eof: bool) -> Option<Option<usize>> {
    let rest = &avail[at..];
    if rest.is_empty() {
        return None;
    }
    if rest[0] != b'\\' {
        return None;
    }
    if rest.len() < 2 {
        return if eof { None } else { Some(None) };
    }
    if rest[1] != b'.' {
        return None;
    }
    match rest.get(2) {
        Some(b'\n') => Some(Some(3)),
        Some(b'\r') => match rest.get(3) {
            Some(b'\n') => Some(Some(4)),
            None if !eof => Some(None),
            _ => None,
        },
        None if eof => Some(Some(2)),
        None => Some(None),
        Some(_) => None,
    }
}

fn count_lines(bytes: &[u8]) -> u64 {
    memchr::memchr_iter(b'\n', bytes).count() as u64
}

/// Skips leading whitespace and `--` comments of a statement.
pub fn statement_body(text: &[u8]) -> &[u8] {
    let mut t = text;
    loop {
        let trimmed = t.trim_ascii_start();
        if trimmed.starts_with(b"--") {
            t = match memchr(b'\n', trimmed) {
                Some(k) => &trimmed[k + 1..],
                None => &[],
            };
        } else {
            return trimmed;
        }
    }
}

/// Whether a statement is a `COPY ... FROM stdin`, after which a data block follows.
pub fn is_copy_from_stdin(text: &[u8]) -> bool {
    let body = statement_body(text);
    if body.len() < 5 || !body[..4].eq_ignore_ascii_case(b"copy") || !body[4].is_ascii_whitespace()
    {
        return false;
    }
    // The FROM STDIN clause follows the table and column list; search for it case-insensitively
    // outside quoted identifiers.
    let mut in_quote = false;
    let lower: Vec<u8> = body.to_ascii_lowercase();
    let mut i = 0;
    while i < lower.len() {
        match lower[i] {
            b'"' => in_quote = !in_quote,
            b'f' if !in_quote
                && lower[i..].starts_with(b"from")
                && i > 0
                && lower[i - 1].is_ascii_whitespace() =>
            {
                let rest = lower[i + 4..].trim_ascii_start();
                if rest.starts_with(b"stdin") {
                    let after = rest.get(5).copied().unwrap_or(b';');
                    return !is_ident_byte(after);
                }
            }
            _ => {}
        }
        i += 1;
    }
    false
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

/// `Some(on)` when the statement is `SET standard_conforming_strings = on|off`.
pub fn standard_conforming_strings(text: &[u8]) -> Option<bool> {
    // Every statement passes through here, INSERTs of megabytes included: look at the prefix
    // before copying anything.
    let body = statement_body(text);
    if body.len() < 4 || !body[..4].eq_ignore_ascii_case(b"set ") {
        return None;
    }
    let body = body.to_ascii_lowercase();
    let rest = body.strip_prefix(b"set ")?.trim_ascii_start();
    let rest = rest
        .strip_prefix(b"standard_conforming_strings")?
        .trim_ascii_start();
    let rest = rest
        .strip_prefix(b"=")
        .or_else(|| rest.strip_prefix(b"to"))?
        .trim_ascii_start();
    let value: Vec<u8> = rest
        .iter()
        .copied()
        .filter(|b| b.is_ascii_alphabetic())
        .collect();
    match value.as_slice() {
        b"on" | b"true" => Some(true),
        b"off" | b"false" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads `input` with the given chunk size and renders each event compactly.
    fn events(input: &str, chunk: usize) -> Result<Vec<String>, String> {
        let mut r = DumpReader::with_chunk(input.as_bytes(), chunk);
        let mut out = Vec::new();
        let mut rebuilt = Vec::new();
        loop {
            let mut data_lines = None;
            match r.next_event() {
                Ok(None) => break,
                Ok(Some(ev)) => {
                    let (tag, bytes) = match &ev {
                        Event::Verbatim(t) => ("V".to_string(), *t),
                        Event::Statement {
                            text,
                            line,
                            copy_from_stdin,
                        } => (
                            format!("S{line}{}", if *copy_from_stdin { "c" } else { "" }),
                            *text,
                        ),
                        Event::Meta { text, line } => (format!("M{line}"), *text),
                        Event::CopyData {
                            data,
                            first_line,
                            crlf,
                        } => {
                            let lines = count_lines(data);
                            data_lines = Some(lines);
                            (
                                format!("D{first_line}+{lines}{}", if *crlf { "r" } else { "" }),
                                *data,
                            )
                        }
                        Event::CopyEnd { text, line } => (format!("E{line}"), *text),
                    };
                    rebuilt.extend_from_slice(bytes);
                    out.push(format!("{tag}:{}", String::from_utf8_lossy(bytes)));
                }
                Err(e) => return Err(e.to_string()),
            }
            // Half the chunk sizes say how many lines a data event held, half leave the
            // reader to count: line numbers must agree either way.
            if let (Some(n), true) = (data_lines, chunk % 2 == 0) {
                r.copy_lines(n);
            }
        }
        assert_eq!(
            rebuilt,
            input.as_bytes(),
            "events must concatenate to the input"
        );
        Ok(out)
    }

    /// Merges adjacent events of the same kind so results do not depend on the chunk size.
    fn merged(input: &str, chunk: usize) -> Result<Vec<String>, String> {
        let evs = events(input, chunk)?;
        let mut out: Vec<String> = Vec::new();
        for e in evs {
            let kind = &e[..1];
            if let Some(last) = out.last_mut() {
                if (kind == "V" || kind == "D") && last.starts_with(kind) {
                    let body = e.split_once(':').map(|x| x.1).unwrap_or("");
                    last.push_str(body);
                    continue;
                }
            }
            out.push(e);
        }
        // Line counts of merged data runs vary with chunking; drop them.
        Ok(out.into_iter().map(|e| drop_line_count(&e)).collect())
    }

    fn drop_line_count(event: &str) -> String {
        match (event.starts_with('D'), event.find('+')) {
            (true, Some(plus)) => {
                let digits = event[plus + 1..]
                    .bytes()
                    .take_while(u8::is_ascii_digit)
                    .count();
                format!("{}{}", &event[..plus], &event[plus + 1 + digits..])
            }
            _ => event.to_string(),
        }
    }

    const DUMP: &str = "--\n-- header\n--\n\n\\restrict abc\n\nSET client_encoding = 'UTF8';\nCREATE FUNCTION f() RETURNS text AS $$\nselect ';\n\\.\n';\n$$;\n\nCOPY public.t (a, b) FROM stdin;\n1\tx\n2\t\\N\n\\.x\n\\.\n\n\\unrestrict abc\n";

    #[test]
    fn splits_a_dump_into_events_at_any_chunk_size() {
        let expected = merged(DUMP, 1 << 20).unwrap();
        assert_eq!(
            expected,
            vec![
                "V:--\n-- header\n--\n\n",
                "M5:\\restrict abc\n",
                "V:\n",
                "S7:SET client_encoding = 'UTF8';",
                "V:\n",
                "S8:CREATE FUNCTION f() RETURNS text AS $$\nselect ';\n\\.\n';\n$$;",
                "V:\n\n",
                "S14c:COPY public.t (a, b) FROM stdin;",
                "V:\n",
                "D15:1\tx\n2\t\\N\n\\.x\n",
                "E18:\\.\n",
                "V:\n",
                "M20:\\unrestrict abc\n",
            ]
        );
        for chunk in [1, 2, 3, 5, 7, 16, 64] {
            assert_eq!(merged(DUMP, chunk).unwrap(), expected, "chunk {chunk}");
        }
    }

    #[test]
    fn crlf_blocks_are_flagged_and_their_terminator_found() {
        let dump = "COPY t (a) FROM stdin;\r\n1\r\n\\.\r\n";
        assert_eq!(
            merged(dump, 1 << 20).unwrap(),
            vec![
                "S1c:COPY t (a) FROM stdin;",
                "V:\r\n",
                "D2r:1\r\n",
                "E3:\\.\r\n"
            ]
        );
    }

    #[test]
    fn truncation_is_an_error_at_any_chunk_size() {
        for chunk in [1, 4, 1 << 20] {
            let e = events("COPY t (a) FROM stdin;\n1\n2\n", chunk).unwrap_err();
            assert!(e.contains("inside a COPY data block"), "{e}");
            let e = events("COPY t (a) FROM stdin;\n1\n2", chunk).unwrap_err();
            assert!(e.contains("inside a COPY data block"), "{e}");
            let e = events("INSERT INTO t VALUES ('abc", chunk).unwrap_err();
            assert!(e.contains("unterminated string literal"), "{e}");
            let e = events("INSERT INTO t VALUES (1)", chunk).unwrap_err();
            assert!(e.contains("no terminating semicolon"), "{e}");
        }
    }

    #[test]
    fn recognises_copy_from_stdin_and_string_settings() {
        assert!(is_copy_from_stdin(b"COPY public.t (a) FROM stdin;"));
        assert!(is_copy_from_stdin(
            b"\n-- c\ncopy \"from stdin\" FROM STDIN WITH (FORMAT csv);"
        ));
        assert!(!is_copy_from_stdin(
            b"COPY public.\"from stdin\" TO stdout;"
        ));
        assert!(!is_copy_from_stdin(b"COPY t FROM '/tmp/x';"));
        assert_eq!(
            standard_conforming_strings(b"SET standard_conforming_strings = off;"),
            Some(false)
        );
        assert_eq!(
            standard_conforming_strings(b"SET standard_conforming_strings TO 'on';"),
            Some(true)
        );
        assert_eq!(
            standard_conforming_strings(b"SET client_encoding = 'UTF8';"),
            None
        );
    }
}
