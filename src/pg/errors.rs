//! Server errors as understudy prints them: the primary message without anything a server may
//! quote from a row.
//!
//! PostgreSQL puts row values in DETAIL (`Key (email)=(...) already exists`), in CONTEXT (`COPY
//! customers, line 3, column email: "..."`) and, for input syntax errors, after a colon in the
//! primary message (`invalid input syntax for type integer: "..."`). We print the primary
//! message up to its first `": "`, the SQLSTATE, and the table, column and constraint *names*
//! the server reports, never DETAIL, HINT or CONTEXT.

/// A printable description of a tokio-postgres error that contains no row values.
pub fn describe(e: &tokio_postgres::Error) -> String {
    let Some(db) = e.as_db_error() else {
        // Client-side errors (connection refused, closed connection, TLS, protocol) carry no
        // data; their causes say what went wrong ("certificate not valid for name ...").
        let mut out = e.to_string();
        let mut cause = std::error::Error::source(e);
        while let Some(c) = cause {
            out.push_str(&format!(": {c}"));
            cause = c.source();
        }
        return out;
    };
    let primary = db.message();
    let primary = primary.split(": ").next().unwrap_or(primary);
    let mut out = format!("{primary} (SQLSTATE {}", db.code().code());
    if let Some(t) = db.table() {
        out.push_str(&format!(", table {t}"));
    }
    if let Some(c) = db.column() {
        out.push_str(&format!(", column {c}"));
    }
    if let Some(c) = db.constraint() {
        out.push_str(&format!(", constraint {c}"));
    }
    out.push(')');
    out
}

/// Whether the error is SQLSTATE 55006 (`object_in_use`: a database has other sessions).
pub fn is_object_in_use(e: &tokio_postgres::Error) -> bool {
    e.code() == Some(&tokio_postgres::error::SqlState::OBJECT_IN_USE)
}

/// A statement's first line, cut before any quote or at 80 characters: enough to say which
/// statement failed without quoting a literal that may hold data.
pub fn statement_label(text: &str) -> String {
    let first = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with("--"))
        .unwrap_or("");
    let cut = first.find('\'').unwrap_or(first.len());
    let label: String = first[..cut].chars().take(80).collect();
    label.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_stop_before_literals() {
        assert_eq!(
            statement_label("\n-- x\nINSERT INTO public.t VALUES ('secret', 1);"),
            "INSERT INTO public.t VALUES ("
        );
        assert_eq!(
            statement_label("CREATE TABLE public.t (\n a int\n);"),
            "CREATE TABLE public.t ("
        );
    }
}
