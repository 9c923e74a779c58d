//! Large objects in a dump: `lo_create` in the pre-data section and `lo_open`/`lowrite`/
//! `lo_close` blocks in the data section. They are data, so the policy must say what becomes of
//! them; `null` drops the `lowrite` calls, leaving each object created but empty.

use crate::dump::reader::statement_body;

/// A statement about large objects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoStatement {
    /// `SELECT pg_catalog.lo_create(...)` or `lo_open`, `lo_close`, `lo_unlink`: no contents.
    Structure,
    /// `SELECT pg_catalog.lowrite(...)`: the object's bytes.
    Write,
}

/// Recognises pg_dump's large-object statements.
pub fn classify(text: &[u8]) -> Option<LoStatement> {
    let body = statement_body(text);
    let rest = strip_prefix_ci(body, b"select")?.trim_ascii_start();
    let rest = strip_prefix_ci(rest, b"pg_catalog.").unwrap_or(rest);
    for (name, kind) in [
        (&b"lowrite("[..], LoStatement::Write),
        (b"lo_create(", LoStatement::Structure),
        (b"lo_open(", LoStatement::Structure),
        (b"lo_close(", LoStatement::Structure),
        (b"lo_unlink(", LoStatement::Structure),
        (b"lo_from_bytea(", LoStatement::Write),
    ] {
        if strip_prefix_ci(rest, name).is_some() {
            return Some(kind);
        }
    }
    None
}

/// The bytes a `lowrite(fd, '\\x...')` statement writes (empty when it has another shape).
pub fn written_bytes(text: &[u8]) -> Vec<u8> {
    let Some(start) = memchr::memmem::find(text, b"'\\x") else {
        return Vec::new();
    };
    let hex = &text[start + 3..];
    let end = memchr::memchr(b'\'', hex).unwrap_or(0);
    hex[..end]
        .chunks_exact(2)
        .filter_map(|pair| {
            let hi = (pair[0] as char).to_digit(16)?;
            let lo = (pair[1] as char).to_digit(16)?;
            Some((hi * 16 + lo) as u8)
        })
        .collect()
}

fn strip_prefix_ci<'a>(s: &'a [u8], prefix: &[u8]) -> Option<&'a [u8]> {
    (s.len() >= prefix.len() && s[..prefix.len()].eq_ignore_ascii_case(prefix))
        .then(|| &s[prefix.len()..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_pg_dump_large_object_statements() {
        assert_eq!(
            classify(b"SELECT pg_catalog.lo_create('16447');"),
            Some(LoStatement::Structure)
        );
        assert_eq!(
            classify(b"SELECT pg_catalog.lo_open('16447', 131072);"),
            Some(LoStatement::Structure)
        );
        assert_eq!(
            classify(b"SELECT pg_catalog.lowrite(0, '\\x6869');"),
            Some(LoStatement::Write)
        );
        assert_eq!(
            classify(b"SELECT pg_catalog.lo_close(0);"),
            Some(LoStatement::Structure)
        );
        assert_eq!(classify(b"SELECT pg_catalog.setval('s', 1, true);"), None);
        assert_eq!(classify(b"SELECT lowrite_stats();"), None);
        assert_eq!(
            written_bytes(b"SELECT pg_catalog.lowrite(0, '\\x6869');"),
            b"hi"
        );
    }
}
