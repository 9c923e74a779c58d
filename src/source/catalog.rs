//! What the source database holds, read under the exported snapshot: the tables whose rows are
//! copied, the sequences whose positions are set, and whether there are large objects.
//!
//! Names come back quoted by the server's own `quote_ident`, so they are spelled exactly as
//! `pg_dump` spells them (the same keyword list, the same case rules).

use tokio_postgres::Client;

use crate::error::Error;
use crate::pg::errors;

/// One table with rows to copy.
#[derive(Debug, Clone)]
pub struct TableData {
    /// `schema.table`, quoted as SQL needs.
    pub qualified: String,
    /// The columns that carry data (no generated or dropped ones), quoted, comma-separated.
    pub columns: String,
    /// For an extension's configuration table, the filter `pg_extension_config_dump` gave.
    pub condition: Option<String>,
    /// Name and schema for the comment pg_dump writes above the data.
    pub name: String,
    pub schema: String,
    /// The owner, for the same comment.
    pub owner: String,
    /// The planner's row estimate scaled to the table's current size, if it was ever analyzed.
    pub rows_estimate: Option<u64>,
    /// The table's main fork in bytes (`pg_relation_size`), for splitting large tables.
    pub bytes: u64,
}

impl TableData {
    /// The `COPY ... FROM stdin;` line of the dump, as pg_dump writes it.
    pub fn copy_from_stdin(&self) -> String {
        if self.columns.is_empty() {
            // A table without data columns still has rows; pg_dump writes no column list.
            return format!("COPY {} FROM stdin;\n", self.qualified);
        }
        format!("COPY {} ({}) FROM stdin;\n", self.qualified, self.columns)
    }

    /// The statement that reads the rows. `COPY table TO` copies only the table's own rows,
    /// never an inheritance child's or a partition's (each of those is a table of its own).
    pub fn copy_to_stdout(&self) -> String {
        match &self.condition {
            Some(cond) if !cond.trim().is_empty() => format!(
                "COPY (SELECT {} FROM ONLY {} {cond}) TO STDOUT",
                self.columns, self.qualified
            ),
            _ if self.columns.is_empty() => format!("COPY {} TO STDOUT", self.qualified),
            _ => format!("COPY {} ({}) TO STDOUT", self.qualified, self.columns),
        }
    }
}

/// Schemas pg_dump never dumps.
const USER_SCHEMAS: &str = "n.nspname NOT IN ('pg_catalog', 'information_schema') \
     AND n.nspname !~ '^pg_toast' AND n.nspname !~ '^pg_temp_'";

/// Extension members are the extension's business (pg_dump skips them), except the
/// configuration tables an extension registered with `pg_extension_config_dump`.
const NOT_EXTENSION_MEMBER: &str =
    "(ext.relid IS NOT NULL OR NOT EXISTS (SELECT 1 FROM pg_depend d \
     WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'))";

const EXT_CONFIG: &str = "WITH ext AS (SELECT unnest(extconfig) AS relid, \
     unnest(extcondition) AS cond FROM pg_extension WHERE extconfig IS NOT NULL)";

/// Ordinary tables (partitions and inheritance children included; partitioned roots, views,
/// materialized views and foreign tables carry no rows of their own), in schema, name order.
pub async fn tables(client: &Client) -> Result<Vec<TableData>, Error> {
    let sql = format!(
        "{EXT_CONFIG} SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname), \
         coalesce((SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) \
                   FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 \
                   AND NOT a.attisdropped AND a.attgenerated = ''), ''), \
         ext.cond, c.relname::text, n.nspname::text, pg_get_userbyid(c.relowner)::text, \
         CASE WHEN c.reltuples < 0 OR c.relpages = 0 THEN NULL ELSE \
              (c.reltuples / c.relpages * (pg_relation_size(c.oid) / \
               current_setting('block_size')::int))::bigint END, \
         pg_relation_size(c.oid) \
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         LEFT JOIN ext ON ext.relid = c.oid \
         WHERE c.relkind = 'r' AND {USER_SCHEMAS} AND {NOT_EXTENSION_MEMBER} \
         ORDER BY n.nspname, c.relname"
    );
    let rows = client.query(&sql, &[]).await.map_err(|e| query_error(&e))?;
    Ok(rows
        .iter()
        .map(|r| TableData {
            qualified: r.get(0),
            columns: r.get(1),
            condition: r.get(2),
            name: r.get(3),
            schema: r.get(4),
            owner: r.get(5),
            rows_estimate: r.get::<_, Option<i64>>(6).map(|n| n.max(0) as u64),
            bytes: r.get::<_, i64>(7).max(0) as u64,
        })
        .collect())
}

/// `SELECT pg_catalog.setval(...)` for every sequence, as pg_dump writes them in the data
/// section. Sequences are not transactional: like pg_dump we read their current state, which is
/// at or past the state at the snapshot, so restored keys never collide with new ones.
pub async fn sequence_setvals(client: &Client) -> Result<String, Error> {
    let sql = format!(
        "{EXT_CONFIG} SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname), \
         quote_literal(quote_ident(n.nspname) || '.' || quote_ident(c.relname)), \
         c.relname::text, n.nspname::text, pg_get_userbyid(c.relowner)::text \
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         LEFT JOIN ext ON ext.relid = c.oid \
         WHERE c.relkind = 'S' AND {USER_SCHEMAS} AND {NOT_EXTENSION_MEMBER} \
         ORDER BY n.nspname, c.relname"
    );
    let rows = client.query(&sql, &[]).await.map_err(|e| query_error(&e))?;
    let mut out = String::new();
    for r in rows {
        let qualified: String = r.get(0);
        let literal: String = r.get(1);
        let name: String = r.get(2);
        let schema: String = r.get(3);
        let owner: String = r.get(4);
        let state = client
            .query_one(
                &format!("SELECT last_value::text, is_called FROM {qualified}"),
                &[],
            )
            .await
            .map_err(|e| query_error(&e))?;
        let last: String = state.get(0);
        let called: bool = state.get(1);
        out.push_str(&format!(
            "--\n-- Name: {name}; Type: SEQUENCE SET; Schema: {schema}; Owner: {owner}\n--\n\n\
             SELECT pg_catalog.setval({literal}, {last}, {called});\n\n\n"
        ));
    }
    Ok(out)
}

/// How many large objects the database holds.
pub async fn large_objects(client: &Client) -> Result<i64, Error> {
    let row = client
        .query_one(
            "SELECT count(*) FROM pg_catalog.pg_largeobject_metadata",
            &[],
        )
        .await
        .map_err(|e| query_error(&e))?;
    Ok(row.get(0))
}

/// The server's version (`server_version_num`) and block size in bytes.
pub async fn server_facts(client: &Client) -> Result<(u32, u64), Error> {
    let row = client
        .query_one(
            "SELECT current_setting('server_version_num')::int, current_setting('block_size')::int",
            &[],
        )
        .await
        .map_err(|e| query_error(&e))?;
    Ok((row.get::<_, i32>(0) as u32, row.get::<_, i32>(1) as u64))
}

/// Every table name, for `LOCK TABLE` (as pg_dump locks them, so none is dropped or altered
/// while we read).
pub fn lock_statement(tables: &[TableData]) -> Option<String> {
    if tables.is_empty() {
        return None;
    }
    let names: Vec<&str> = tables.iter().map(|t| t.qualified.as_str()).collect();
    Some(format!(
        "LOCK TABLE {} IN ACCESS SHARE MODE",
        names.join(", ")
    ))
}

fn query_error(e: &tokio_postgres::Error) -> Error {
    Error::input(
        format!("reading the source's catalog: {}", errors::describe(e)),
        Default::default(),
    )
}
