//! A live PostgreSQL database as the input: `understudy run --source URL`.
//!
//! The source produces the same plain-format dump stream a file would give, so the pipeline
//! reads it unchanged:
//!
//! 1. one connection opens `REPEATABLE READ, READ ONLY`, exports its snapshot, reads the catalog
//!    (tables, sequences, large objects) and locks the tables `ACCESS SHARE`, as pg_dump does;
//! 2. the server's own `pg_dump --section=pre-data` and `--section=post-data` run on that
//!    snapshot, so the DDL is pg_dump's, byte for byte;
//! 3. `--jobs` connections on the snapshot stream each table's `COPY ... TO STDOUT` in parallel,
//!    tables larger than `--split-threshold` in block ranges ([`split`]), and the reader
//!    concatenates them in order ([`stream`]);
//! 4. sequence positions follow as `setval` calls, then large objects, then the post-data DDL.
//!
//! Large objects come from a third pg_dump on the snapshot (`--section=data` with every
//! table's data excluded), streamed.

pub mod catalog;
pub mod inspect;
pub mod pg_dump;
pub mod split;
pub mod stream;

use std::collections::{HashMap, VecDeque};

use bytes::Bytes;

use crate::dump::ident::QualifiedName;
use crate::dump::input::{Compression, Input};
use crate::error::Error;
use crate::pg::{errors, ConnSpec};

/// Where and how to read.
#[derive(Debug, Clone)]
pub struct SourceOptions {
    /// The source database.
    pub conn: ConnSpec,
    /// Connections reading tables in parallel (at least 1).
    pub jobs: usize,
    /// Tables whose main fork is larger than this many bytes are read in ranges of about this
    /// size by several workers (0: never split).
    pub split_threshold: u64,
}

/// Settings of every reading session. Without synchronized scans a `COPY table TO` starts at
/// block 0, so a split table's ranges, read in block order, give the same row order; without
/// parallel workers a range's `COPY (SELECT ...)` returns its rows in block order too.
const SESSION_SETTINGS: &str =
    "SET synchronize_seqscans = off; SET max_parallel_workers_per_gather = 0";

/// An opened live source.
pub struct LiveDump {
    /// Pre-data and post-data DDL, for the pipeline's schema pass.
    pub schema_ddl: Vec<u8>,
    /// The dump stream.
    pub input: Input,
    /// Each table's expected row count (planner estimates), for progress.
    pub expected_rows: HashMap<QualifiedName, u64>,
}

/// Opens the source: snapshot, catalog, schema, workers.
pub fn open(opts: &SourceOptions) -> Result<LiveDump, Error> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("understudy-source")
        .enable_all()
        .build()
        .map_err(|e| Error::io("starting the source's runtime", e))?;
    let conn = &opts.conn;
    let fail = |what: &str, e: tokio_postgres::Error| {
        Error::input(
            format!("{what} on {conn}: {}", errors::describe(&e)),
            Default::default(),
        )
    };
    let (main, snapshot, tables, units, setvals, objects) = runtime.block_on(async {
        let main = conn.connect().await?;
        main.batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .await
            .map_err(|e| fail("starting the snapshot transaction", e))?;
        let snapshot: String = main
            .query_one("SELECT pg_catalog.pg_export_snapshot()", &[])
            .await
            .map_err(|e| fail("exporting the snapshot", e))?
            .get(0);
        main.batch_execute(SESSION_SETTINGS)
            .await
            .map_err(|e| fail("setting up the session", e))?;
        let tables = catalog::tables(&main).await?;
        if let Some(lock) = catalog::lock_statement(&tables) {
            main.batch_execute(&lock)
                .await
                .map_err(|e| fail("locking the tables (ACCESS SHARE)", e))?;
        }
        let objects = catalog::large_objects(&main).await?;
        let setvals = catalog::sequence_setvals(&main).await?;
        let (version, block_size) = catalog::server_facts(&main).await?;
        // With one connection the ranges would be read one after the other: no gain, and
        // bench/live.sh measured a small cost (48.5 s split against 46.6 s whole at --jobs 1).
        let threshold = if opts.jobs > 1 {
            opts.split_threshold
        } else {
            0
        };
        let units = split::plan(&tables, threshold, version, block_size);
        Ok::<_, Error>((main, snapshot, tables, units, setvals, objects))
    })?;
    let jobs = opts.jobs.max(1).min(units.len().max(1));
    let mut clients = vec![main];
    let imported = runtime.block_on(async {
        let mut out = Vec::new();
        for _ in 1..jobs {
            let c = conn.connect().await?;
            c.batch_execute(&format!(
                "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY; SET TRANSACTION SNAPSHOT '{snapshot}'; {SESSION_SETTINGS}"
            ))
            .await
            .map_err(|e| fail("joining the snapshot", e))?;
            out.push(c);
        }
        Ok::<_, Error>(out)
    })?;
    clients.extend(imported);
    // pg_dump runs while the exporting transaction is open (it must be, for --snapshot).
    let (pre, post) = std::thread::scope(|s| {
        let pre = s.spawn(|| pg_dump::section(conn, &snapshot, "pre-data"));
        let post = pg_dump::section(conn, &snapshot, "post-data");
        (pre.join().expect("pg_dump thread panicked"), post)
    });
    let (pre, post) = (pre?, post?);
    let mut schema_ddl = pre.clone();
    schema_ddl.extend_from_slice(&post);
    let mut pieces = VecDeque::new();
    pieces.push_back(stream::Piece::Text(Bytes::from(pre)));
    pieces.extend((0..tables.len()).map(stream::Piece::Table));
    pieces.push_back(stream::Piece::Text(Bytes::from(setvals)));
    if objects > 0 {
        // Large objects' data, as pg_dump writes it (the pipeline applies [large_objects]).
        let child = pg_dump::large_objects(conn, &snapshot)?;
        pieces.push_back(stream::Piece::Child(Box::new(stream::ChildPiece::new(
            child,
            conn.clone(),
        ))));
    }
    pieces.push_back(stream::Piece::Text(Bytes::from(post)));
    tracing::info!(
        tables = tables.len(),
        ranges = units.len() - tables.len(),
        jobs,
        "reading {conn} on snapshot {snapshot}"
    );
    let expected_rows = tables
        .iter()
        .filter_map(|t| {
            let name = QualifiedName {
                schema: t.schema.clone(),
                name: t.name.clone(),
            };
            Some((name, t.rows_estimate?))
        })
        .collect();
    let reader = stream::start(
        runtime,
        clients,
        tables,
        units,
        opts.split_threshold,
        pieces,
    );
    Ok(LiveDump {
        schema_ddl,
        input: Input {
            reader: Box::new(reader),
            compression: Compression::None,
            name: conn.to_string(),
            size: None,
        },
        expected_rows,
    })
}
