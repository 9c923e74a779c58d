//! A resumable scanner that finds where one SQL statement ends.
//!
//! pg_dump statements can hold `;`, newlines and even a line that is exactly `\.` inside string
//! literals, escape strings, quoted identifiers, dollar-quoted bodies and comments, so the end of
//! a statement is the first `;` outside all of those. The scanner keeps its state between calls,
//! so a statement that spans many buffer refills is scanned once, never from the start again.
//! It works on bytes and allocates only to remember a dollar-quote tag.

use memchr::{memchr, memchr2, memmem};

#[derive(Debug, Clone, PartialEq, Eq)]
enum State {
    Normal,
    /// Inside `'...'`; `escapes` when backslash escapes apply (`E'...'`, or all strings when
    /// `standard_conforming_strings` is off).
    Single {
        escapes: bool,
    },
    /// Inside `"..."`.
    Double,
    /// Inside `$tag$...$tag$`; holds the whole delimiter including both `$`.
    Dollar(Vec<u8>),
    /// Inside `-- ...` up to the end of the line.
    LineComment,
    /// Inside `/* ... */`, which nests in PostgreSQL.
    Block(u32),
}

/// Finds the end of a statement across several calls.
#[derive(Debug, Clone)]
pub struct StatementScanner {
    state: State,
    /// How far into the statement scanning has got.
    offset: usize,
    /// Whether plain `'...'` strings treat backslash as an escape.
    backslash_strings: bool,
}

/// What [`StatementScanner::scan`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scan {
    /// The statement ends after this many bytes (its `;` included).
    Complete(usize),
    /// More input is needed.
    NeedMore,
    /// Input ended inside a construct; names it for the error message.
    Unterminated(&'static str),
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

impl StatementScanner {
    /// A scanner at the start of a statement.
    pub fn new(backslash_strings: bool) -> Self {
        StatementScanner {
            state: State::Normal,
            offset: 0,
            backslash_strings,
        }
    }

    /// Starts over for the next statement.
    pub fn reset(&mut self, backslash_strings: bool) {
        *self = StatementScanner::new(backslash_strings);
    }

    /// Continues scanning `data`, which always starts at the statement's first byte and grows
    /// between calls. `eof` says no more bytes will come.
    pub fn scan(&mut self, data: &[u8], eof: bool) -> Scan {
        let mut i = self.offset;
        let n = data.len();
        loop {
            if i >= n {
                self.offset = n;
                return self.at_end(eof);
            }
            match &self.state {
                State::Normal => {
                    let b = data[i];
                    match b {
                        b';' => {
                            self.offset = i + 1;
                            return Scan::Complete(i + 1);
                        }
                        b'\'' => {
                            let escaped_prefix = i > 0
                                && (data[i - 1] | 0x20) == b'e'
                                && (i < 2 || !is_ident(data[i - 2]));
                            self.state = State::Single {
                                escapes: self.backslash_strings || escaped_prefix,
                            };
                            i += 1;
                        }
                        b'"' => {
                            self.state = State::Double;
                            i += 1;
                        }
                        b'-' | b'/' => {
                            if i + 1 >= n {
                                if eof {
                                    i += 1;
                                    continue;
                                }
                                self.offset = i;
                                return Scan::NeedMore;
                            }
                            match (b, data[i + 1]) {
                                (b'-', b'-') => {
                                    self.state = State::LineComment;
                                    i += 2;
                                }
                                (b'/', b'*') => {
                                    self.state = State::Block(1);
                                    i += 2;
                                }
                                _ => i += 1,
                            }
                        }
                        b'$' => {
                            // `$1` parameters and `a$b` identifiers are not dollar quotes.
                            if i > 0 && (is_ident(data[i - 1]) || data[i - 1] == b'$') {
                                i += 1;
                                continue;
                            }
                            let mut j = i + 1;
                            while j < n && is_ident(data[j]) {
                                j += 1;
                            }
                            if j >= n {
                                if eof {
                                    i = n;
                                    continue;
                                }
                                self.offset = i;
                                return Scan::NeedMore;
                            }
                            let tag_ok =
                                data[j] == b'$' && !(j > i + 1 && data[i + 1].is_ascii_digit());
                            if tag_ok {
                                self.state = State::Dollar(data[i..=j].to_vec());
                                i = j + 1;
                            } else {
                                i += 1;
                            }
                        }
                        _ => i += 1,
                    }
                }
                State::Single { escapes } => {
                    let escapes = *escapes;
                    let found = if escapes {
                        memchr2(b'\'', b'\\', &data[i..])
                    } else {
                        memchr(b'\'', &data[i..])
                    };
                    let Some(k) = found else {
                        i = n;
                        continue;
                    };
                    let at = i + k;
                    if data[at] == b'\\' {
                        // Skip the escaped byte; if it is not here yet, wait for it.
                        if at + 1 >= n {
                            if eof {
                                i = n;
                                continue;
                            }
                            self.offset = at;
                            return Scan::NeedMore;
                        }
                        i = at + 2;
                        continue;
                    }
                    // A quote: doubled means a literal quote, otherwise the string ends.
                    if at + 1 >= n && !eof {
                        self.offset = at;
                        return Scan::NeedMore;
                    }
                    if at + 1 < n && data[at + 1] == b'\'' {
                        i = at + 2;
                    } else {
                        self.state = State::Normal;
                        i = at + 1;
                    }
                }
                State::Double => {
                    let Some(k) = memchr(b'"', &data[i..]) else {
                        i = n;
                        continue;
                    };
                    let at = i + k;
                    if at + 1 >= n && !eof {
                        self.offset = at;
                        return Scan::NeedMore;
                    }
                    if at + 1 < n && data[at + 1] == b'"' {
                        i = at + 2;
                    } else {
                        self.state = State::Normal;
                        i = at + 1;
                    }
                }
                State::Dollar(tag) => match memmem::find(&data[i..], tag) {
                    Some(k) => {
                        i += k + tag.len();
                        self.state = State::Normal;
                    }
                    None => {
                        // Keep enough overlap to find a tag split across refills.
                        let keep = tag.len().saturating_sub(1);
                        self.offset = n.saturating_sub(keep).max(i);
                        if eof {
                            return Scan::Unterminated("dollar-quoted string");
                        }
                        return Scan::NeedMore;
                    }
                },
                State::LineComment => match memchr(b'\n', &data[i..]) {
                    Some(k) => {
                        i += k + 1;
                        self.state = State::Normal;
                    }
                    None => i = n,
                },
                State::Block(depth) => {
                    let depth = *depth;
                    if i + 1 >= n {
                        if eof {
                            i = n;
                            continue;
                        }
                        self.offset = i;
                        return Scan::NeedMore;
                    }
                    match (data[i], data[i + 1]) {
                        (b'*', b'/') => {
                            self.state = if depth == 1 {
                                State::Normal
                            } else {
                                State::Block(depth - 1)
                            };
                            i += 2;
                        }
                        (b'/', b'*') => {
                            self.state = State::Block(depth + 1);
                            i += 2;
                        }
                        _ => i += 1,
                    }
                }
            }
        }
    }

    fn at_end(&self, eof: bool) -> Scan {
        if !eof {
            return Scan::NeedMore;
        }
        Scan::Unterminated(match self.state {
            State::Normal | State::LineComment => "statement (no terminating semicolon)",
            State::Single { .. } => "string literal",
            State::Double => "quoted identifier",
            State::Dollar(_) => "dollar-quoted string",
            State::Block(_) => "block comment",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(sql: &str, expected: Scan) {
        // Whole input at once.
        let mut s = StatementScanner::new(false);
        assert_eq!(s.scan(sql.as_bytes(), true), expected, "whole: {sql:?}");
        // Byte by byte, as the worst possible refill pattern.
        let mut s = StatementScanner::new(false);
        let bytes = sql.as_bytes();
        let mut got = Scan::NeedMore;
        for end in 1..=bytes.len() {
            got = s.scan(&bytes[..end], end == bytes.len());
            if got != Scan::NeedMore {
                break;
            }
        }
        assert_eq!(got, expected, "bytewise: {sql:?}");
    }

    #[test]
    fn statement_ends_at_the_first_semicolon_outside_quotes() {
        check("SELECT 1; SELECT 2;", Scan::Complete(9));
        check("SELECT ';' ;x", Scan::Complete(12));
        check("SELECT 'it''s;';", Scan::Complete(16));
        check("SELECT E'a\\';b';", Scan::Complete(16));
        check("SELECT 'a\\';b';", Scan::Complete(12));
        check("SELECT \"a;\"\"b\";", Scan::Complete(15));
        check("SELECT 1 -- ;\n;", Scan::Complete(15));
        check("SELECT /* ; /* ; */ ; */ 1;", Scan::Complete(27));
        check(
            "CREATE FUNCTION f() AS $$ x;\n\\.\n $$;",
            Scan::Complete(36),
        );
        check("CREATE FUNCTION f() AS $fn$ $$; $fn$;", Scan::Complete(37));
        check("SELECT $1; ", Scan::Complete(10));
        check("SELECT a$b;", Scan::Complete(11));
        check(
            "SELECT 1",
            Scan::Unterminated("statement (no terminating semicolon)"),
        );
        check("SELECT 'abc", Scan::Unterminated("string literal"));
        check("SELECT $q$ abc", Scan::Unterminated("dollar-quoted string"));
        check("SELECT \"abc", Scan::Unterminated("quoted identifier"));
    }

    #[test]
    fn standard_conforming_strings_off_makes_backslash_escape_quotes() {
        let mut s = StatementScanner::new(true);
        assert_eq!(s.scan(b"SELECT 'a\\';b';", true), Scan::Complete(15));
    }
}
