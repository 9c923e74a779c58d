//! A look at a live source without streaming its rows, for the `policy` commands (`init`,
//! `lint`, `explain`, `approve` with `--source`).
//!
//! The schema comes exactly as `run --source` gets it: the server's `pg_dump --section=pre-data`
//! and `--section=post-data` on one exported snapshot, so a schema read here and one read from a
//! file dump of the same database go through the same DDL parser and give the same approval
//! fingerprint. Rows are read only when asked for, and then at most N per table
//! (`COPY (SELECT ... LIMIT N) TO STDOUT` on the same snapshot), written as the COPY block a
//! dump would hold so that the dump-sampling code reads them unchanged.
//!
//! What does not live here: the full data stream ([`super::open`], [`super::stream`]).

use futures_util::StreamExt;
use tokio::runtime::Runtime;
use tokio_postgres::Client;

use super::catalog::{self, TableData};
use super::pg_dump;
use crate::error::Error;
use crate::pg::{errors, ConnSpec};

/// A snapshot of a live source held open: its schema DDL and catalog, rows on demand.
pub struct Inspection {
    /// The transaction that exported the snapshot; kept open so samples read the same state.
    /// Declared before the runtime so that it is dropped (and the session ends) first.
    client: Client,
    runtime: Runtime,
    tables: Vec<TableData>,
    large_objects: bool,
    schema_ddl: Vec<u8>,
    name: String,
}

/// Opens a snapshot of `conn` and reads its schema (pg_dump pre-data and post-data) and catalog.
pub fn inspect(conn: &ConnSpec) -> Result<Inspection, Error> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name("understudy-inspect")
        .enable_all()
        .build()
        .map_err(|e| Error::io("starting the source's runtime", e))?;
    let fail = |what: &str, e: tokio_postgres::Error| {
        Error::input(
            format!("{what} on {conn}: {}", errors::describe(&e)),
            Default::default(),
        )
    };
    let (client, snapshot, tables, objects) = runtime.block_on(async {
        let client = conn.connect().await?;
        client
            .batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .await
            .map_err(|e| fail("starting the snapshot transaction", e))?;
        let snapshot: String = client
            .query_one("SELECT pg_catalog.pg_export_snapshot()", &[])
            .await
            .map_err(|e| fail("exporting the snapshot", e))?
            .get(0);
        let tables = catalog::tables(&client).await?;
        let objects = catalog::large_objects(&client).await?;
        Ok::<_, Error>((client, snapshot, tables, objects))
    })?;
    // pg_dump locks what it dumps itself; the samples read the snapshot, which no later DDL
    // changes, so no ACCESS SHARE locks of our own are needed for a read this short.
    let (pre, post) = std::thread::scope(|s| {
        let pre = s.spawn(|| pg_dump::section(conn, &snapshot, "pre-data"));
        let post = pg_dump::section(conn, &snapshot, "post-data");
        (pre.join().expect("pg_dump thread panicked"), post)
    });
    let mut schema_ddl = pre?;
    schema_ddl.extend_from_slice(&post?);
    tracing::info!(
        tables = tables.len(),
        "inspecting {conn} on snapshot {snapshot}"
    );
    Ok(Inspection {
        runtime,
        client,
        tables,
        large_objects: objects > 0,
        schema_ddl,
        name: conn.to_string(),
    })
}

impl Inspection {
    /// The source's name for messages (never its password).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Pre-data and post-data DDL, as `run --source` reads it.
    pub fn schema_ddl(&self) -> &[u8] {
        &self.schema_ddl
    }

    /// Whether the database holds large objects.
    pub fn has_large_objects(&self) -> bool {
        self.large_objects
    }

    /// How many tables have rows to read.
    pub fn table_count(&self) -> usize {
        self.tables.len()
    }

    /// At most `rows` rows of the `i`-th table, as the COPY block a dump would hold
    /// (`COPY t (cols) FROM stdin;`, the rows, `\.`); empty for a table without data columns.
    /// Never reads more than `rows` rows: the server stops at the `LIMIT`.
    pub fn sample_table(&self, i: usize, rows: usize) -> Result<Vec<u8>, Error> {
        let table = &self.tables[i];
        let Some(sql) = sample_statement(table, rows) else {
            return Ok(Vec::new());
        };
        let fail = |e: tokio_postgres::Error| {
            Error::input(
                format!(
                    "sampling table {} from {}: {}",
                    table.qualified,
                    self.name,
                    errors::describe(&e)
                ),
                Default::default(),
            )
        };
        let mut out = table.copy_from_stdin().into_bytes();
        self.runtime.block_on(async {
            let stream = self.client.copy_out(sql.as_str()).await.map_err(fail)?;
            futures_util::pin_mut!(stream);
            while let Some(chunk) = stream.next().await {
                out.extend_from_slice(&chunk.map_err(fail)?);
            }
            Ok::<_, Error>(())
        })?;
        out.extend_from_slice(b"\\.\n\n");
        Ok(out)
    }
}

/// `COPY (SELECT cols FROM ONLY t [condition] LIMIT n) TO STDOUT`, or `None` for a table without
/// data columns. `ONLY`, as in the full read: partitions and inheritance children are tables of
/// their own. An extension configuration table's filter applies before the limit.
fn sample_statement(table: &TableData, rows: usize) -> Option<String> {
    if table.columns.is_empty() {
        return None;
    }
    let condition = table.condition.as_deref().unwrap_or("").trim();
    Some(format!(
        "COPY (SELECT {} FROM ONLY {} {condition} LIMIT {rows}) TO STDOUT",
        table.columns, table.qualified
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(columns: &str, condition: Option<&str>) -> TableData {
        TableData {
            qualified: "public.people".into(),
            columns: columns.into(),
            condition: condition.map(str::to_owned),
            name: "people".into(),
            schema: "public".into(),
            owner: "postgres".into(),
            rows_estimate: None,
            bytes: 0,
        }
    }

    #[test]
    fn samples_are_limited_on_the_server() {
        assert_eq!(
            sample_statement(&table("id, email", None), 50).as_deref(),
            Some("COPY (SELECT id, email FROM ONLY public.people  LIMIT 50) TO STDOUT")
        );
        assert_eq!(
            sample_statement(&table("id", Some("WHERE id > 10")), 5).as_deref(),
            Some("COPY (SELECT id FROM ONLY public.people WHERE id > 10 LIMIT 5) TO STDOUT")
        );
        assert_eq!(sample_statement(&table("", None), 5), None);
    }
}
