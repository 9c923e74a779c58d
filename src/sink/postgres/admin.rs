//! Database-level steps of the database sink, run on a connection to the server's maintenance
//! database: finding what an earlier run left, the ownership marker, creating the copy being
//! built, the swap, and removing a half-built copy.

use std::time::{Duration, Instant};

use tokio_postgres::Client;

use crate::error::Error;
use crate::pg::errors::{describe, is_object_in_use};
use crate::pg::ConnSpec;

/// The comment that marks a database as understudy's staging copy.
pub const MARKER: &str = "understudy staging copy";

/// How long the swap waits for other sessions to leave the target.
pub const SWAP_WAIT: Duration = Duration::from_secs(60);

/// An identifier quoted for SQL.
pub fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn fail(what: String, e: tokio_postgres::Error) -> Error {
    Error::input(format!("{what}: {}", describe(&e)), Default::default())
}

/// `Some(marked)` when database `name` exists.
pub async fn database(admin: &Client, name: &str) -> Result<Option<bool>, Error> {
    let row = admin
        .query_opt(
            "SELECT coalesce(shobj_description(oid, 'pg_database'), '') = $2 FROM pg_database WHERE datname = $1",
            &[&name, &MARKER],
        )
        .await
        .map_err(|e| fail(format!("looking up database {name}"), e))?;
    Ok(row.map(|r| r.get(0)))
}

/// Whether database `db` holds no user relations and no user functions.
pub async fn is_empty(spec: &ConnSpec) -> Result<bool, Error> {
    let client = spec.connect().await?;
    let row = client
        .query_one(
            "SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
               WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') \
               AND n.nspname !~ '^pg_toast' AND n.nspname !~ '^pg_temp') \
             + (SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace \
               WHERE n.nspname NOT IN ('pg_catalog', 'information_schema'))",
            &[],
        )
        .await
        .map_err(|e| fail(format!("checking whether {spec} is empty"), e))?;
    Ok(row.get::<_, i64>(0) == 0)
}

/// Drops database `name`, ending its sessions.
pub async fn drop_database(admin: &Client, name: &str) -> Result<(), Error> {
    admin
        .batch_execute(&format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            ident(name)
        ))
        .await
        .map_err(|e| fail(format!("dropping database {name}"), e))
}

/// Renames, retrying while the database is still in use (a session that just closed takes a
/// moment to leave the server).
pub async fn rename(admin: &Client, from: &str, to: &str, deadline: Instant) -> Result<(), Error> {
    let sql = format!("ALTER DATABASE {} RENAME TO {}", ident(from), ident(to));
    loop {
        match admin.batch_execute(&sql).await {
            Ok(()) => return Ok(()),
            Err(e) if is_object_in_use(&e) && Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(e) => return Err(fail(format!("renaming database {from} to {to}"), e)),
        }
    }
}

/// A database's encoding and locale, as `CREATE DATABASE` takes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    encoding: String,
    collate: String,
    ctype: String,
}

impl Settings {
    /// The settings of the database `client` is connected to.
    pub async fn current(client: &Client) -> Result<Settings, Error> {
        Self::query(client, "datname = current_database()", &[]).await
    }

    /// The settings of database `name` on `admin`'s server.
    pub async fn of(admin: &Client, name: &str) -> Result<Settings, Error> {
        Self::query(admin, "datname = $1", &[&name]).await
    }

    async fn query(
        client: &Client,
        filter: &str,
        params: &[&(dyn tokio_postgres::types::ToSql + Sync)],
    ) -> Result<Settings, Error> {
        let sql = format!(
            "SELECT pg_encoding_to_char(encoding), datcollate, datctype FROM pg_database WHERE {filter}"
        );
        let row = client
            .query_one(&sql, params)
            .await
            .map_err(|e| fail("reading a database's encoding and locale".to_string(), e))?;
        Ok(Settings {
            encoding: row.get(0),
            collate: row.get(1),
            ctype: row.get(2),
        })
    }

    fn clause(&self) -> String {
        let lit = |s: &str| format!("'{}'", s.replace('\'', "''"));
        format!(
            " ENCODING {} LC_COLLATE {} LC_CTYPE {}",
            lit(&self.encoding),
            lit(&self.collate),
            lit(&self.ctype)
        )
    }
}

/// Creates the database being built, with `settings` when given (else the server's defaults),
/// and marks it. `fallback`: when the server refuses the settings (a locale the target's server
/// does not have, SQLSTATE 42809; an encoding its locale cannot hold, 22023), create it with
/// the defaults instead and say so.
pub async fn create(
    admin: &Client,
    name: &str,
    settings: Option<&Settings>,
    fallback: bool,
) -> Result<(), Error> {
    let plain = format!("CREATE DATABASE {} TEMPLATE template0", ident(name));
    let sql = match settings {
        Some(s) => format!("{plain}{}", s.clause()),
        None => plain.clone(),
    };
    match admin.batch_execute(&sql).await {
        Ok(()) => {}
        Err(e) if fallback && settings.is_some() && is_invalid_parameter(&e) => {
            tracing::warn!(
                "the target's server cannot create {name} with the source's encoding and locale ({}); using its defaults",
                describe(&e)
            );
            admin
                .batch_execute(&plain)
                .await
                .map_err(|e| fail(format!("creating database {name}"), e))?;
        }
        Err(e) => return Err(fail(format!("creating database {name}"), e)),
    }
    admin
        .batch_execute(&format!(
            "COMMENT ON DATABASE {} IS '{MARKER}'",
            ident(name)
        ))
        .await
        .map_err(|e| fail(format!("marking database {name}"), e))
}

/// The codes of `CREATE DATABASE` refusing a locale or an encoding (checked against
/// PostgreSQL 15: `invalid locale name` is 42809, `encoding ... does not match locale` 22023).
fn is_invalid_parameter(e: &tokio_postgres::Error) -> bool {
    use tokio_postgres::error::SqlState;
    matches!(
        e.code(),
        Some(c) if *c == SqlState::WRONG_OBJECT_TYPE || *c == SqlState::INVALID_PARAMETER_VALUE
    )
}

/// Waits until no other session uses `name` (or ends them when `terminate`).
pub async fn clear_sessions(
    admin: &Client,
    name: &str,
    terminate: bool,
    deadline: Instant,
) -> Result<(), Error> {
    loop {
        let sql = if terminate {
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()"
        } else {
            "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()"
        };
        let n: i64 = admin
            .query_one(sql, &[&name])
            .await
            .map_err(|e| fail(format!("listing the sessions on {name}"), e))?
            .get(0);
        if n == 0 || terminate {
            return Ok(());
        }
        if Instant::now() >= deadline {
            return Err(Error::input(
                format!("{n} other session(s) still use database {name} after {} s; the new copy was built but not swapped in. Close them, or pass --terminate-connections", SWAP_WAIT.as_secs()),
                Default::default(),
            ));
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}
