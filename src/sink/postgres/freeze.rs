//! Loading rows frozen: `COPY ... FROM STDIN WITH (FREEZE)` into a table truncated in the same
//! transaction (swap mode).
//!
//! Rows loaded the ordinary way carry their inserting transaction's id, no hint bits and an
//! empty visibility map: the first reads after the load look each row up in the commit log and
//! dirty its page again, index-only scans fetch every heap page until a vacuum has run, and the
//! insert-triggered autovacuum — later an anti-wraparound one — reads and rewrites the whole copy
//! once more. Frozen rows are written once, visible to everyone, with the visibility map set.
//! Measured on the 1.7 GB benchmark database: the load itself costs the target server the same
//! within noise (31.8 vs 31.3 and 33.0 vs 32.9 CPU-seconds), and a VACUUM of the fresh copy
//! afterwards 0.10 instead of 1.16 CPU-seconds. psql cannot do this with a pg_dump script
//! (pg_dump writes plain `COPY ... FROM stdin;`); a loader that owns the connection can.
//!
//! PostgreSQL allows FREEZE only on a table created or truncated in the current
//! (sub)transaction, and warns that frozen rows are visible to snapshots older than the load. So
//! it is used only where both hold trivially and nothing can be lost:
//!
//! - swap mode: the database is new and private to this run until the swap, so no other
//!   snapshot can look (replace mode loads into the live staging database, and keeps MVCC's
//!   rules for the sessions reading it);
//! - a plain table (`relkind = 'r'`; partitioned tables refuse FREEZE) that is still empty
//!   (TRUNCATE must not remove rows an earlier statement of the stream put there), that no
//!   foreign key references and that has no user trigger (TRUNCATE would refuse or fire them);
//! - a `COPY ... FROM stdin;` without options of its own, outside any transaction the stream
//!   opened itself.
//!
//! Anything else loads exactly as psql would.

use tokio_postgres::Client;

use crate::dump::reader::statement_body;

/// Decides, per table, whether its rows can load frozen.
const ELIGIBLE: &str = "SELECT c.relkind = 'r' \
     AND NOT EXISTS (SELECT FROM pg_catalog.pg_constraint k WHERE k.confrelid = c.oid) \
     AND NOT EXISTS (SELECT FROM pg_catalog.pg_trigger t WHERE t.tgrelid = c.oid AND NOT t.tgisinternal) \
     FROM pg_catalog.pg_class c WHERE c.oid = $1::text::regclass";

/// Follows the transaction blocks the stream opens itself, so a load never commits one early.
#[derive(Debug, Default)]
pub struct StreamTransactions {
    open: bool,
}

impl StreamTransactions {
    /// Notes a statement the loader ran as the stream gave it.
    pub fn ran(&mut self, sql: &str) {
        let body = statement_body(sql.as_bytes());
        let word: Vec<u8> = body
            .iter()
            .take_while(|b| b.is_ascii_alphabetic())
            .map(u8::to_ascii_lowercase)
            .collect();
        match word.as_slice() {
            b"begin" | b"start" => self.open = true,
            b"commit" | b"end" | b"rollback" | b"abort" => self.open = false,
            _ => {}
        }
    }

    /// Whether a transaction block of the stream's is open.
    pub fn open(&self) -> bool {
        self.open
    }
}

/// The `COPY` statement with `WITH (FREEZE)` added, when it has no options of its own.
fn frozen_statement(sql: &str) -> Option<String> {
    let body = std::str::from_utf8(statement_body(sql.as_bytes())).ok()?;
    let body = body.trim_end().strip_suffix(';')?.trim_end();
    let tail = body.len().checked_sub("from stdin".len())?;
    let (head, end) = body.split_at_checked(tail)?;
    if !end.eq_ignore_ascii_case("from stdin") || !head.ends_with(|c: char| c.is_whitespace()) {
        return None;
    }
    Some(format!("{body} WITH (FREEZE);"))
}

/// Opens the transaction a frozen load needs when the COPY statement `sql` and its table
/// (`table`, the name as the statement writes it, so that it resolves to the same table) allow
/// it, and returns the statement to run instead. On `None` nothing was changed.
pub async fn begin(
    client: &Client,
    sql: &str,
    table: &str,
) -> Result<Option<String>, tokio_postgres::Error> {
    let Some(frozen) = frozen_statement(sql) else {
        return Ok(None);
    };
    let row = client.query_opt(ELIGIBLE, &[&table]).await?;
    let eligible = row.and_then(|r| r.get::<_, Option<bool>>(0)) == Some(true);
    if !eligible {
        return Ok(None);
    }
    // The emptiness check runs inside the transaction that truncates, so nothing can slip in
    // between (nothing else writes to a database being built, but the stream's own order
    // matters: an INSERT before this COPY must survive).
    client.batch_execute("BEGIN").await?;
    let empty: bool = client
        .query_one(
            &format!("SELECT NOT EXISTS (SELECT FROM ONLY {table})"),
            &[],
        )
        .await?
        .get(0);
    if !empty {
        client.batch_execute("ROLLBACK").await?;
        return Ok(None);
    }
    client
        .batch_execute(&format!("TRUNCATE ONLY {table}"))
        .await?;
    Ok(Some(frozen))
}

/// Commits a frozen load.
pub async fn commit(client: &Client) -> Result<(), tokio_postgres::Error> {
    client.batch_execute("COMMIT").await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_freeze_only_to_plain_copy_from_stdin() {
        assert_eq!(
            frozen_statement("COPY public.t (a, b) FROM stdin;").as_deref(),
            Some("COPY public.t (a, b) FROM stdin WITH (FREEZE);")
        );
        assert_eq!(
            frozen_statement("-- c\nCOPY public.t FROM STDIN ;\n").as_deref(),
            Some("COPY public.t FROM STDIN WITH (FREEZE);")
        );
        assert_eq!(
            frozen_statement("COPY t FROM stdin WITH (FORMAT text);"),
            None
        );
        assert_eq!(frozen_statement("COPY t FROM stdin CSV;"), None);
        assert_eq!(frozen_statement("COPY t FROM stdin"), None);
        assert_eq!(frozen_statement("COPY \"xfrom stdin\";"), None);
    }

    #[test]
    fn follows_the_streams_own_transactions() {
        let mut t = StreamTransactions::default();
        assert!(!t.open());
        t.ran("-- x\nBEGIN;");
        assert!(t.open());
        t.ran("SET search_path = x;");
        assert!(t.open());
        t.ran("COMMIT;");
        assert!(!t.open());
        t.ran("START TRANSACTION;");
        assert!(t.open());
        t.ran("rollback;");
        assert!(!t.open());
    }
}
