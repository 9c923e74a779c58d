//! The database sink: `understudy run ... --target URL`.
//!
//! It receives the same sanitized plain-SQL byte stream the file sink would and executes it on
//! the target server through a loader thread ([`loader`]). Like the file sink it commits only
//! with a [`RiskAccepted`] and leaves nothing behind when dropped without one:
//!
//! - **swap** (default): everything is built in a fresh database `<name>__understudy_new`,
//!   marked as understudy's with a comment; [`PostgresSink::finish`] waits for (or, with
//!   `--terminate-connections`, ends) the sessions on `<name>`, renames `<name>` to
//!   `<name>__understudy_old` and the new one to `<name>`, then drops the old one. Dropped
//!   without finishing, the sink drops the half-built copy; after a crash, the next run removes
//!   it (and says so) or completes an interrupted swap ([`admin`]).
//! - **replace**: one transaction on one connection drops every user schema of `<name>`, loads,
//!   and commits in `finish`; dropping the sink (or the process dying) rolls it back. Staging
//!   sessions block on its locks while it runs.
//!
//! A target that is the source, or a non-empty database without understudy's marker, is refused
//! unless `--dangerously-overwrite-target` (never for the source itself).

pub mod admin;
pub mod freeze;
pub mod loader;
pub mod post_data;

use std::sync::mpsc::{sync_channel, SyncSender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use tokio::runtime::Runtime;
use tokio_postgres::Client;

use crate::error::Error;
use crate::pg::errors::{describe, is_object_in_use};
use crate::pg::ConnSpec;
use crate::risk::RiskAccepted;
use admin::ident;
use loader::Chunk;
use post_data::PostData;

/// Given to every connection that loads the new copy in swap mode.
const LOAD_SETUP: &str = "SET synchronous_commit = off";
/// Bytes gathered before a hand-off to the loader thread.
const BATCH: usize = 1 << 20;
/// Batches in flight between the pipeline and the loader.
const IN_FLIGHT: usize = 8;

/// How the target database is replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetMode {
    /// Build a new database and rename it into place.
    Swap,
    /// Drop and reload the objects in one transaction.
    Replace,
}

/// Where and how to write.
#[derive(Debug, Clone)]
pub struct TargetOptions {
    /// The staging database.
    pub conn: ConnSpec,
    /// Swap or replace.
    pub mode: TargetMode,
    /// End other sessions on the target at swap time instead of waiting for them.
    pub terminate_connections: bool,
    /// Replace a non-empty database that understudy did not make.
    pub dangerously_overwrite_target: bool,
    /// The live source, if any: a target naming the same database is always refused.
    pub source: Option<ConnSpec>,
    /// Connections building indexes and checking foreign keys side by side (swap mode).
    pub jobs: usize,
}

enum Plan {
    Swap {
        admin: Box<ConnSpec>,
        name: String,
        new: String,
        old: String,
        terminate: bool,
    },
    Replace,
}

/// Writes into a PostgreSQL database.
pub struct PostgresSink {
    runtime: Runtime,
    tx: Option<SyncSender<Chunk>>,
    buf: Vec<u8>,
    loader: Option<JoinHandle<Result<Client, Error>>>,
    plan: Plan,
    name: String,
    written: u64,
    finished: bool,
}

fn refuse(message: String) -> Error {
    Error::input(message, Default::default())
}

async fn admin_client(conn: &ConnSpec) -> Result<(ConnSpec, Client), Error> {
    let mut last = None;
    for db in ["postgres", "template1"] {
        let spec = conn.with_dbname(db);
        match spec.connect().await {
            Ok(c) => return Ok((spec, c)),
            Err(e) => last = Some(e),
        }
    }
    Err(last.expect("tried at least one"))
}

impl PostgresSink {
    /// Checks the target, prepares the database to load into, and starts the loader.
    pub fn create(opts: &TargetOptions) -> Result<PostgresSink, Error> {
        let conn = &opts.conn;
        if let Some(source) = &opts.source {
            if source.same_database(conn) {
                return Err(refuse(format!(
                    "the target is the source ({conn}); understudy never writes into the database it reads"
                )));
            }
        }
        let name = conn.dbname().to_string();
        let (new, old) = (
            format!("{name}__understudy_new"),
            format!("{name}__understudy_old"),
        );
        if new.len() > 63 {
            return Err(refuse(format!(
                "the target database name {name} is too long to add the suffix __understudy_new (PostgreSQL names have at most 63 bytes)"
            )));
        }
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("understudy-target")
            .enable_all()
            .build()
            .map_err(|e| Error::io("starting the target's runtime", e))?;
        let (client, plan) = runtime.block_on(async {
            let (admin_spec, admin) = admin_client(conn).await?;
            let overwrite_ok = |marked: bool, spec: ConnSpec| async move {
                if marked || opts.dangerously_overwrite_target || admin::is_empty(&spec).await? {
                    Ok(())
                } else {
                    Err(refuse(format!(
                        "{spec} holds data and is not understudy's staging copy (it has no `{}` comment); pass --dangerously-overwrite-target to replace it",
                        admin::MARKER
                    )))
                }
            };
            match opts.mode {
                TargetMode::Swap => {
                    let mut current = admin::database(&admin, &name).await?;
                    if admin::database(&admin, &old).await?.is_some() {
                        if current.is_some() {
                            admin::drop_database(&admin, &old).await?;
                            tracing::warn!("removed {old}, the previous copy left by an interrupted swap");
                        } else {
                            admin::rename(&admin, &old, &name, Instant::now() + admin::SWAP_WAIT).await?;
                            tracing::warn!("restored {name} from {old}, left by a swap that was interrupted");
                            current = admin::database(&admin, &name).await?;
                        }
                    }
                    if let Some(marked) = admin::database(&admin, &new).await? {
                        if marked || admin::is_empty(&conn.with_dbname(&new)).await? {
                            admin::drop_database(&admin, &new).await?;
                            tracing::warn!("removed a half-built copy left by an earlier run ({new})");
                        } else {
                            return Err(refuse(format!(
                                "database {new} exists, holds data and is not understudy's; rename or drop it"
                            )));
                        }
                    }
                    if let Some(marked) = current {
                        overwrite_ok(marked, conn.clone()).await?;
                    }
                    // The new copy keeps the encoding and locale of the staging database it
                    // replaces; a first copy of a live source takes the source's, so that
                    // staging sorts and compares text as production does (and builds its text
                    // indexes as fast: a `C` production copied into a `C.UTF-8` default pays
                    // for strcoll in every index build). A file carries neither: defaults.
                    let settings = match (current, &opts.source) {
                        (Some(_), _) => Some(admin::Settings::of(&admin, &name).await?),
                        (None, Some(source)) => {
                            let client = source.connect().await?;
                            Some(admin::Settings::current(&client).await?)
                        }
                        (None, None) => None,
                    };
                    let from_source = current.is_none();
                    admin::create(&admin, &new, settings.as_ref(), from_source).await?;
                    let client = conn.with_dbname(&new).connect().await?;
                    // The copy being built is thrown away if anything fails, so its commits
                    // need not wait for the disk; the swap itself runs with the defaults.
                    client
                        .batch_execute(LOAD_SETUP)
                        .await
                        .map_err(|e| refuse(format!("preparing {new}: {}", describe(&e))))?;
                    Ok::<_, Error>((
                        client,
                        Plan::Swap {
                            admin: Box::new(admin_spec),
                            name: name.clone(),
                            new: new.clone(),
                            old: old.clone(),
                            terminate: opts.terminate_connections,
                        },
                    ))
                }
                TargetMode::Replace => {
                    let Some(marked) = admin::database(&admin, &name).await? else {
                        return Err(refuse(format!(
                            "{conn} does not exist; --target-mode replace needs it (the default swap mode creates it)"
                        )));
                    };
                    overwrite_ok(marked, conn.clone()).await?;
                    let client = conn.connect().await?;
                    clear_schemas(&client, &name).await?;
                    Ok((client, Plan::Replace))
                }
            }
        })?;
        let (tx, rx) = sync_channel(IN_FLIGHT);
        let handle = runtime.handle().clone();
        let label = conn.to_string();
        // Only the swap's new database is private enough for frozen rows (see `freeze`).
        let freeze = matches!(plan, Plan::Swap { .. });
        let post = match &plan {
            Plan::Swap { new, .. } => {
                Some(PostData::new(conn.with_dbname(new), opts.jobs, LOAD_SETUP))
            }
            // One transaction on one connection: nothing else can see its tables.
            Plan::Replace => None,
        };
        let loader = std::thread::Builder::new()
            .name("understudy-loader".into())
            .spawn(move || loader::load(handle, client, rx, label, post, freeze))
            .map_err(|e| Error::io("starting the loader thread", e))?;
        Ok(PostgresSink {
            runtime,
            tx: Some(tx),
            buf: Vec::with_capacity(BATCH),
            loader: Some(loader),
            plan,
            name: conn.to_string(),
            written: 0,
            finished: false,
        })
    }

    /// A name for messages and the summary.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Appends bytes of the dump stream.
    pub fn write(&mut self, bytes: &[u8]) -> Result<(), Error> {
        self.written += bytes.len() as u64;
        self.buf.extend_from_slice(bytes);
        if self.buf.len() >= BATCH {
            let full = std::mem::replace(&mut self.buf, Vec::with_capacity(BATCH));
            self.send(Chunk::Data(full))?;
        }
        Ok(())
    }

    fn send(&mut self, chunk: Chunk) -> Result<(), Error> {
        let tx = self.tx.as_ref().expect("sender lives until finish or drop");
        if tx.send(chunk).is_err() {
            // The loader stopped: its error is the real story.
            self.tx = None;
            return Err(self
                .join_loader()
                .err()
                .unwrap_or_else(|| refuse("the loader stopped early".into())));
        }
        Ok(())
    }

    fn join_loader(&mut self) -> Result<Client, Error> {
        match self.loader.take() {
            Some(h) => h
                .join()
                .unwrap_or_else(|_| Err(refuse("the loader thread panicked".into()))),
            None => Err(refuse("the loader already stopped".into())),
        }
    }

    /// Completes the load and puts it in place. Needs the risk gate's token.
    pub fn finish(mut self, _accepted: RiskAccepted) -> Result<u64, Error> {
        let rest = std::mem::take(&mut self.buf);
        if !rest.is_empty() {
            self.send(Chunk::Data(rest))?;
        }
        self.send(Chunk::End)?;
        self.tx = None;
        let client = self.join_loader()?;
        match &self.plan {
            Plan::Replace => {
                self.runtime
                    .block_on(client.batch_execute("COMMIT"))
                    .map_err(|e| {
                        refuse(format!("committing into {}: {}", self.name, describe(&e)))
                    })?;
            }
            Plan::Swap {
                admin,
                name,
                new,
                old,
                terminate,
            } => {
                drop(client);
                self.runtime
                    .block_on(swap(admin, name, new, old, *terminate))?;
            }
        }
        self.finished = true;
        Ok(self.written)
    }
}

/// Renames the new copy into place and drops the previous one.
async fn swap(
    admin_spec: &ConnSpec,
    name: &str,
    new: &str,
    old: &str,
    terminate: bool,
) -> Result<(), Error> {
    let admin = admin_spec.connect().await?;
    let deadline = Instant::now() + admin::SWAP_WAIT;
    let had_previous = admin::database(&admin, name).await?.is_some();
    if had_previous {
        let sql = format!("ALTER DATABASE {} RENAME TO {}", ident(name), ident(old));
        loop {
            admin::clear_sessions(&admin, name, terminate, deadline).await?;
            match admin.batch_execute(&sql).await {
                Ok(()) => break,
                Err(e) if is_object_in_use(&e) && Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => {
                    return Err(refuse(format!(
                        "renaming {name} to {old} for the swap: {}; the new copy was built but not swapped in",
                        describe(&e)
                    )))
                }
            }
        }
    }
    if let Err(e) = admin::rename(&admin, new, name, deadline).await {
        if had_previous {
            // Put the previous copy back; the next run finishes the clean-up either way.
            let _ = admin::rename(&admin, old, name, deadline).await;
        }
        return Err(e);
    }
    if had_previous {
        admin::drop_database(&admin, old).await?;
    }
    Ok(())
}

/// Replace mode: drops every user schema (extension-owned ones stay) inside the load's
/// transaction and recreates `public` as a new database has it.
async fn clear_schemas(client: &Client, name: &str) -> Result<(), Error> {
    let fail = |e: tokio_postgres::Error| refuse(format!("clearing {name}: {}", describe(&e)));
    client.batch_execute("BEGIN").await.map_err(fail)?;
    let rows = client
        .query(
            "SELECT quote_ident(nspname), nspname = 'public' FROM pg_namespace n \
             WHERE nspname NOT IN ('pg_catalog', 'information_schema') \
             AND nspname !~ '^pg_toast' AND nspname !~ '^pg_temp' \
             AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_namespace'::regclass \
                             AND d.objid = n.oid AND d.deptype = 'e')",
            &[],
        )
        .await
        .map_err(fail)?;
    let schemas: Vec<String> = rows.iter().map(|r| r.get(0)).collect();
    if !schemas.is_empty() {
        client
            .batch_execute(&format!("DROP SCHEMA {} CASCADE", schemas.join(", ")))
            .await
            .map_err(fail)?;
    }
    // Large objects belong to no schema.
    client
        .batch_execute(
            "SELECT count(pg_catalog.lo_unlink(oid)) FROM pg_catalog.pg_largeobject_metadata",
        )
        .await
        .map_err(fail)?;
    if rows.iter().any(|r| r.get::<_, bool>(1)) {
        let v15: bool = client
            .query_one(
                "SELECT current_setting('server_version_num')::int >= 150000",
                &[],
            )
            .await
            .map_err(fail)?
            .get(0);
        let sql = if v15 {
            "CREATE SCHEMA public AUTHORIZATION pg_database_owner; GRANT USAGE ON SCHEMA public TO PUBLIC;"
        } else {
            "CREATE SCHEMA public; GRANT ALL ON SCHEMA public TO PUBLIC;"
        };
        client.batch_execute(sql).await.map_err(fail)?;
        client
            .batch_execute("COMMENT ON SCHEMA public IS 'standard public schema'")
            .await
            .map_err(fail)?;
    }
    client
        .batch_execute(&format!(
            "COMMENT ON DATABASE {} IS '{}'",
            ident(name),
            admin::MARKER
        ))
        .await
        .map_err(fail)
}

impl Drop for PostgresSink {
    fn drop(&mut self) {
        if self.finished {
            return;
        }
        // Abort: closing the channel without `End` makes the loader stop; dropping its client
        // closes the connection, which rolls back a replace-mode transaction.
        self.tx = None;
        let _ = self.join_loader();
        if let Plan::Swap { admin, new, .. } = &self.plan {
            let result = self.runtime.block_on(async {
                let client = admin.connect().await?;
                admin::drop_database(&client, new).await
            });
            match result {
                Ok(()) => tracing::info!("removed the half-built copy {new}"),
                // Errors here have nowhere to go; the next run removes the copy and says so.
                Err(e) => tracing::warn!("could not remove the half-built copy {new}: {e}"),
            }
        }
    }
}
