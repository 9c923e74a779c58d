//! PostgreSQL identifiers: schema-qualified names, quoting as `quote_ident` does, and the exact
//! byte-level parsers used on every COPY/INSERT header.
//!
//! What lives here: [`QualifiedName`], [`quote_ident`], and three parsers (a whole name as a user
//! writes it, a name at the start of a byte slice, a parenthesised column list). What does not:
//! anything about statements, types or tables (see `ddl` and `schema`).
//!
//! Identifiers are names chosen by the schema's author, not row data, so errors may point at them
//! by position; they still never echo the text, because a policy file is user input.

use std::borrow::Cow;
use std::fmt;

use thiserror::Error;

/// A schema-qualified relation name, stored as the exact unquoted parts PostgreSQL uses.
///
/// `Display` prints the SQL form, quoting a part only where PostgreSQL's `quote_ident` would.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct QualifiedName {
    /// The schema, exactly as stored in `pg_namespace` (no quotes, no case folding left to do).
    pub schema: String,
    /// The relation name, exactly as stored in `pg_class`.
    pub name: String,
}

/// Why a name written in SQL syntax could not be read. Offsets are byte offsets into the input.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum IdentError {
    /// The input holds no identifier at all.
    #[error("empty name")]
    Empty,
    /// A part is missing, as in `public.` or `.t`, or is the zero-length quoted `""`.
    #[error("empty identifier part at byte {offset}")]
    EmptyPart { offset: usize },
    /// A `"` opened a quoted identifier that never closes.
    #[error("unterminated quoted identifier starting at byte {offset}")]
    UnterminatedQuote { offset: usize },
    /// More than `schema.name`: PostgreSQL would read a third part as a database name.
    #[error("more than two name parts (third part at byte {offset})")]
    TooManyParts { offset: usize },
    /// A byte that can not appear here in an identifier (unquoted space, operator, ...).
    #[error("unexpected character at byte {offset}")]
    UnexpectedChar { offset: usize },
}

/// The schema an unqualified name resolves to. pg_dump sets `search_path` to empty and always
/// qualifies, so this only matters for names people write by hand in policy files.
pub const DEFAULT_SCHEMA: &str = "public";

impl QualifiedName {
    /// Builds a name from its exact (already unquoted) parts.
    pub fn new(schema: impl Into<String>, name: impl Into<String>) -> Self {
        QualifiedName {
            schema: schema.into(),
            name: name.into(),
        }
    }

    /// Reads a name as SQL text, as users write it in policy files: quoted parts are exact (with
    /// `""` escapes), unquoted parts are folded to lower case, an unqualified name gets schema
    /// `public`. Surrounding whitespace is allowed; anything else after the name is an error.
    pub fn parse(s: &str) -> Result<QualifiedName, IdentError> {
        let bytes = s.as_bytes();
        let start = skip_ws(bytes, 0);
        if start == bytes.len() {
            return Err(IdentError::Empty);
        }
        let (name, end) = qualified_at(bytes, start)?;
        let rest = skip_ws(bytes, end);
        if rest != bytes.len() {
            return Err(if bytes[rest] == b'.' {
                IdentError::TooManyParts { offset: rest + 1 }
            } else {
                IdentError::UnexpectedChar { offset: rest }
            });
        }
        Ok(name)
    }
}

impl fmt::Display for QualifiedName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}.{}",
            quote_ident(&self.schema),
            quote_ident(&self.name)
        )
    }
}

/// Quotes `s` exactly where PostgreSQL's `quote_ident` would: when it does not match
/// `^[a-z_][a-z0-9_$]*$` or is a keyword that is not unreserved.
pub fn quote_ident(s: &str) -> Cow<'_, str> {
    let bytes = s.as_bytes();
    let plain = match bytes.first() {
        Some(&c) if c.is_ascii_lowercase() || c == b'_' => bytes[1..]
            .iter()
            .all(|&c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_' || c == b'$'),
        _ => false,
    };
    if plain && !is_keyword(s) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for ch in s.chars() {
        if ch == '"' {
            out.push('"');
        }
        out.push(ch);
    }
    out.push('"');
    Cow::Owned(out)
}

/// Reads a possibly qualified name at the start of `s` (after optional whitespace), returning it
/// and the number of bytes consumed. `None` when `s` does not start with a valid name of at most
/// two parts. Used on COPY/INSERT headers, so it allocates only the two result strings.
pub fn parse_qualified_prefix(s: &[u8]) -> Option<(QualifiedName, usize)> {
    let start = skip_ws(s, 0);
    let (name, end) = qualified_at(s, start).ok()?;
    Some((name, end))
}

/// Reads a parenthesised, comma-separated identifier list at the start of `s` (after optional
/// whitespace), as in a COPY header's `("col\nnl", "a.b")`, returning the names and the bytes
/// consumed up to and including `)`. `()` gives an empty list.
pub fn parse_column_list(s: &[u8]) -> Option<(Vec<String>, usize)> {
    let mut pos = skip_ws(s, 0);
    if s.get(pos) != Some(&b'(') {
        return None;
    }
    pos = skip_ws(s, pos + 1);
    let mut columns = Vec::new();
    if s.get(pos) == Some(&b')') {
        return Some((columns, pos + 1));
    }
    loop {
        let (column, end) = ident_at(s, pos).ok()?;
        columns.push(column);
        pos = skip_ws(s, end);
        match s.get(pos) {
            Some(b',') => pos = skip_ws(s, pos + 1),
            Some(b')') => return Some((columns, pos + 1)),
            _ => return None,
        }
    }
}

/// Reads `ident [. ident]` at `pos` (no leading whitespace). A third part is an error rather
/// than a shorter match, so a caller never silently takes `a.b` from `a.b.c`.
fn qualified_at(s: &[u8], pos: usize) -> Result<(QualifiedName, usize), IdentError> {
    let (first, end) = ident_at(s, pos)?;
    let dot = skip_ws(s, end);
    if s.get(dot) != Some(&b'.') {
        return Ok((QualifiedName::new(DEFAULT_SCHEMA, first), end));
    }
    let second_at = skip_ws(s, dot + 1);
    let (second, end) = ident_at(s, second_at)?;
    let after = skip_ws(s, end);
    if s.get(after) == Some(&b'.') {
        return Err(IdentError::TooManyParts { offset: after + 1 });
    }
    Ok((QualifiedName::new(first, second), end))
}

/// Reads one identifier at `pos`: quoted (exact, `""` is a quote) or unquoted (ASCII letters
/// folded to lower case, as PostgreSQL's `downcase_identifier` does in UTF-8 databases).
pub(crate) fn ident_at(s: &[u8], pos: usize) -> Result<(String, usize), IdentError> {
    match s.get(pos) {
        None => Err(IdentError::EmptyPart { offset: pos }),
        Some(b'"') => quoted_at(s, pos),
        Some(&c) if is_ident_start(c) => {
            let len = s[pos..].iter().take_while(|&&c| is_ident_cont(c)).count();
            let raw = &s[pos..pos + len];
            let text =
                std::str::from_utf8(raw).map_err(|_| IdentError::UnexpectedChar { offset: pos })?;
            Ok((text.to_ascii_lowercase(), pos + len))
        }
        Some(b'.') => Err(IdentError::EmptyPart { offset: pos }),
        Some(_) => Err(IdentError::UnexpectedChar { offset: pos }),
    }
}

fn quoted_at(s: &[u8], open: usize) -> Result<(String, usize), IdentError> {
    let mut out: Vec<u8> = Vec::new();
    let mut pos = open + 1;
    loop {
        let Some(rel) = memchr::memchr(b'"', &s[pos..]) else {
            return Err(IdentError::UnterminatedQuote { offset: open });
        };
        out.extend_from_slice(&s[pos..pos + rel]);
        pos += rel + 1;
        if s.get(pos) == Some(&b'"') {
            out.push(b'"');
            pos += 1;
        } else {
            break;
        }
    }
    if out.is_empty() {
        return Err(IdentError::EmptyPart { offset: open });
    }
    let text = String::from_utf8(out).map_err(|_| IdentError::UnexpectedChar { offset: open })?;
    Ok((text, pos))
}

/// PostgreSQL's lexer lets any high-bit byte start or continue an identifier, which is how
/// non-ASCII names in UTF-8 work unquoted.
fn is_ident_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_' || c >= 0x80
}

fn is_ident_cont(c: u8) -> bool {
    is_ident_start(c) || c.is_ascii_digit() || c == b'$'
}

/// The whitespace PostgreSQL's scanner skips between tokens.
fn skip_ws(s: &[u8], mut pos: usize) -> usize {
    while let Some(&c) = s.get(pos) {
        if matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c') {
            pos += 1;
        } else {
            break;
        }
    }
    pos
}

/// Whether `quote_ident` must quote this otherwise plain word: every keyword not in the
/// unreserved category (reserved, column-name and type/function-name keywords), taken from
/// `pg_get_keywords()` of PostgreSQL 15 plus the additions of 16 and 17 (the json_* and
/// merge_action words, system_user). Quoting a word needlessly is harmless; missing one is not.
fn is_keyword(s: &str) -> bool {
    KEYWORDS.binary_search(&s).is_ok()
}

/// Sorted for binary search; the test `keywords_sorted` keeps it so.
const KEYWORDS: &[&str] = &[
    "all",
    "analyse",
    "analyze",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "asymmetric",
    "authorization",
    "between",
    "bigint",
    "binary",
    "bit",
    "boolean",
    "both",
    "case",
    "cast",
    "char",
    "character",
    "check",
    "coalesce",
    "collate",
    "collation",
    "column",
    "concurrently",
    "constraint",
    "create",
    "cross",
    "current_catalog",
    "current_date",
    "current_role",
    "current_schema",
    "current_time",
    "current_timestamp",
    "current_user",
    "dec",
    "decimal",
    "default",
    "deferrable",
    "desc",
    "distinct",
    "do",
    "else",
    "end",
    "except",
    "exists",
    "extract",
    "false",
    "fetch",
    "float",
    "for",
    "foreign",
    "freeze",
    "from",
    "full",
    "grant",
    "greatest",
    "group",
    "grouping",
    "having",
    "ilike",
    "in",
    "initially",
    "inner",
    "inout",
    "int",
    "integer",
    "intersect",
    "interval",
    "into",
    "is",
    "isnull",
    "join",
    "json",
    "json_array",
    "json_arrayagg",
    "json_exists",
    "json_object",
    "json_objectagg",
    "json_query",
    "json_scalar",
    "json_serialize",
    "json_table",
    "json_value",
    "lateral",
    "leading",
    "least",
    "left",
    "like",
    "limit",
    "localtime",
    "localtimestamp",
    "merge_action",
    "national",
    "natural",
    "nchar",
    "none",
    "normalize",
    "not",
    "notnull",
    "null",
    "nullif",
    "numeric",
    "offset",
    "on",
    "only",
    "or",
    "order",
    "out",
    "outer",
    "overlaps",
    "overlay",
    "placing",
    "position",
    "precision",
    "primary",
    "real",
    "references",
    "returning",
    "right",
    "row",
    "select",
    "session_user",
    "setof",
    "similar",
    "smallint",
    "some",
    "substring",
    "symmetric",
    "system_user",
    "table",
    "tablesample",
    "then",
    "time",
    "timestamp",
    "to",
    "trailing",
    "treat",
    "trim",
    "true",
    "union",
    "unique",
    "user",
    "using",
    "values",
    "varchar",
    "variadic",
    "verbose",
    "when",
    "where",
    "window",
    "with",
    "xmlattributes",
    "xmlconcat",
    "xmlelement",
    "xmlexists",
    "xmlforest",
    "xmlnamespaces",
    "xmlparse",
    "xmlpi",
    "xmlroot",
    "xmlserialize",
    "xmltable",
];

#[cfg(test)]
#[path = "ident_tests.rs"]
mod tests;
