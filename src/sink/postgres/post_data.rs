//! Post-data in parallel: index builds and foreign-key checks spread over `--jobs` connections.
//!
//! pg_dump's post-data section (primary keys, unique constraints, indexes, foreign keys) runs
//! after every row is loaded, and on one connection it is one backend working while the
//! others idle: on the 1.7 GB benchmark database it was about half of a plain
//! `pg_dump | psql` copy. `pg_restore --jobs` builds them in parallel from its archive's
//! dependency graph; a plain-SQL stream has no graph, so this module only reorders what is safe
//! without one:
//!
//! - consecutive **index-building** statements (`CREATE [UNIQUE] INDEX`, `ADD CONSTRAINT ...
//!   PRIMARY KEY | UNIQUE | EXCLUDE`) depend on nothing but their table, which is loaded;
//! - consecutive **foreign keys** (`ALTER TABLE ONLY t ADD CONSTRAINT c FOREIGN KEY ...`) depend
//!   on the referenced keys, so they run after the indexes of the same run. Adding two foreign
//!   keys to one referenced table serializes on its lock (SHARE ROW EXCLUSIVE), so each is
//!   added `NOT VALID` (instant) and then checked by `VALIDATE CONSTRAINT`, whose locks let
//!   checks run side by side. The result is the same validated constraint pg_dump describes.
//!
//! Any other statement (a `SET`, `ALTER INDEX ... ATTACH PARTITION`, a trigger, a comment, a
//! COPY) first completes the run gathered so far, then runs alone on the main connection, so
//! the stream's order holds at every such boundary. Worker connections replay the session's
//! `SET`s before each run (pg_dump sets `default_tablespace` per object). A statement that fails
//! on a worker (a deadlock between two DDL statements, a unique violation) is run again alone
//! on the main connection; only a failure there is the run's error, so messages are those of
//! the serial load.
//!
//! Used in swap mode only: replace mode loads inside one transaction, which other connections
//! cannot see into.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use futures_util::future::join_all;
use tokio::runtime::Handle;
use tokio_postgres::Client;

use crate::dump::ident::parse_qualified_prefix;
use crate::error::Error;
use crate::pg::errors::{describe, statement_label};
use crate::pg::ConnSpec;

/// What a statement is, for scheduling.
#[derive(Debug, PartialEq, Eq)]
pub enum Kind {
    /// Builds an index; needs only its (loaded) table.
    Index,
    /// A validated foreign key, as the two statements that make it.
    ForeignKey {
        /// `ALTER TABLE ONLY t ADD CONSTRAINT c FOREIGN KEY ... NOT VALID;`
        add: String,
        /// `ALTER TABLE ONLY t VALIDATE CONSTRAINT c;`
        validate: String,
    },
    /// A session setting, replayed on worker connections.
    Setting,
    /// Anything else: runs alone, in order.
    Other,
}

/// Classifies one statement (as the dump reader gives it, comments before it allowed).
pub fn classify(sql: &str) -> Kind {
    let body = sql.trim_start_matches(|c: char| c.is_ascii_whitespace());
    let body = skip_comments(body);
    if let Some(rest) = word(body, "CREATE") {
        let rest = word(rest, "UNIQUE").unwrap_or(rest);
        return match word(rest, "INDEX") {
            // CONCURRENTLY cannot run inside the implicit transaction a batch would need and
            // pg_dump never writes it; leave it to run alone.
            Some(after) if word(after, "CONCURRENTLY").is_none() => Kind::Index,
            _ => Kind::Other,
        };
    }
    if word(body, "SET").is_some() || word(body, "SELECT pg_catalog.set_config(").is_some() {
        return Kind::Setting;
    }
    let Some(rest) = word(body, "ALTER").and_then(|r| word(r, "TABLE")) else {
        return Kind::Other;
    };
    let (only, rest) = match word(rest, "ONLY") {
        Some(r) => (true, r),
        None => (false, rest),
    };
    let Some((_, used)) = parse_qualified_prefix(rest.as_bytes()) else {
        return Kind::Other;
    };
    let table = rest[..used].trim();
    let Some(rest) = word(&rest[used..], "ADD").and_then(|r| word(r, "CONSTRAINT")) else {
        return Kind::Other;
    };
    let Some((_, used)) = parse_qualified_prefix(rest.as_bytes()) else {
        return Kind::Other;
    };
    let constraint = rest[..used].trim();
    let rest = &rest[used..];
    if ["PRIMARY", "UNIQUE", "EXCLUDE"]
        .iter()
        .any(|k| word(rest, k).is_some())
    {
        return Kind::Index;
    }
    // Only `ONLY` (plain tables): PostgreSQL 15 refuses NOT VALID foreign keys on partitioned
    // tables, which pg_dump writes without ONLY.
    if !only || word(rest, "FOREIGN").is_none() {
        return Kind::Other;
    }
    let head = sql.trim_end().strip_suffix(';').unwrap_or(sql).trim_end();
    if ends_with_words(head, &["NOT", "VALID"]) {
        // Already not validated in the source: keep it so.
        return Kind::Other;
    }
    Kind::ForeignKey {
        add: format!("{head} NOT VALID;"),
        validate: format!("ALTER TABLE ONLY {table} VALIDATE CONSTRAINT {constraint};"),
    }
}

/// `s` after leading `--` comment lines and whitespace.
fn skip_comments(mut s: &str) -> &str {
    while let Some(rest) = s.strip_prefix("--") {
        s = rest.split_once('\n').map_or("", |(_, r)| r).trim_start();
    }
    s
}

/// `s` after the keyword `kw` (ASCII case-insensitive, ending at a non-identifier character)
/// and the whitespace following it; `None` if `s` does not start with it.
fn word<'a>(s: &'a str, kw: &str) -> Option<&'a str> {
    let s = s.trim_start();
    let head = s.get(..kw.len())?;
    if !head.eq_ignore_ascii_case(kw) {
        return None;
    }
    let rest = &s[kw.len()..];
    let boundary = kw.ends_with('(')
        || rest
            .chars()
            .next()
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '$'));
    boundary.then(|| rest.trim_start())
}

/// Whether `s` ends with these words (case-insensitive, whitespace-separated).
fn ends_with_words(s: &str, words: &[&str]) -> bool {
    let mut tail = s.split_ascii_whitespace().rev();
    words
        .iter()
        .rev()
        .all(|w| tail.next().is_some_and(|t| t.eq_ignore_ascii_case(w)))
}

/// A statement waiting for its run to be executed.
struct Pending {
    sql: String,
    line: u64,
    kind: Kind,
}

/// A worker connection and how many of the session's settings it has applied.
struct Worker {
    client: Client,
    applied: usize,
}

/// Gathers runs of index and foreign-key statements and executes them over several connections.
pub struct PostData {
    /// The database being built, for worker connections.
    spec: ConnSpec,
    /// Connections in all, the main one included.
    jobs: usize,
    workers: Vec<Worker>,
    /// Session settings executed so far on the main connection, in order.
    settings: Vec<String>,
    pending: Vec<Pending>,
}

/// A statement of a run that failed beside others: its place in the run, and why.
type Failure = (usize, String);

impl PostData {
    /// Runs over `jobs` connections to `spec` (the main one and `jobs - 1` opened on first
    /// need), each first given `setup` (what the main connection was given).
    pub fn new(spec: ConnSpec, jobs: usize, setup: &str) -> PostData {
        PostData {
            spec,
            jobs: jobs.max(1),
            workers: Vec::new(),
            settings: vec![setup.to_string()],
            pending: Vec::new(),
        }
    }

    /// Offers a statement: `true` when it was taken into the current run. `false` means the
    /// caller must [`flush`](Self::flush) and then execute it itself.
    pub fn offer(&mut self, sql: &str, line: u64) -> bool {
        if self.jobs < 2 {
            return false;
        }
        match classify(sql) {
            Kind::Setting | Kind::Other => false,
            kind => {
                self.pending.push(Pending {
                    sql: sql.to_string(),
                    line,
                    kind,
                });
                true
            }
        }
    }

    /// Tells that `sql` was executed alone on the main connection: a session setting is
    /// recorded, for the workers to replay before their next run (not before: the run gathered
    /// before it was meant to run without it).
    pub fn ran_alone(&mut self, sql: &str) {
        if self.jobs >= 2 && classify(sql) == Kind::Setting {
            self.settings.push(sql.to_string());
        }
    }

    /// Executes the run gathered so far: its indexes, then its foreign keys.
    pub fn flush(
        &mut self,
        handle: &Handle,
        main: &Client,
        at: &dyn Fn(u64) -> crate::error::Where,
    ) -> Result<(), Error> {
        let pending = std::mem::take(&mut self.pending);
        if pending.len() < 2 {
            // Nothing to overlap: the statement as the dump wrote it.
            for p in &pending {
                execute_alone(handle, main, &p.sql, &p.sql, p.line, at)?;
            }
            return Ok(());
        }
        handle.block_on(self.connect_workers())?;
        let indexes: Vec<(&str, &Pending)> = pending
            .iter()
            .filter(|p| p.kind == Kind::Index)
            .map(|p| (p.sql.as_str(), p))
            .collect();
        self.run_parallel(handle, main, &indexes, at)?;
        let mut validates = Vec::new();
        for p in &pending {
            if let Kind::ForeignKey { add, validate } = &p.kind {
                execute_alone(handle, main, add, &p.sql, p.line, at)?;
                validates.push((validate.as_str(), p));
            }
        }
        self.run_parallel(handle, main, &validates, at)
    }

    /// Opens the worker connections not yet open and brings every worker's settings up to date.
    async fn connect_workers(&mut self) -> Result<(), Error> {
        while self.workers.len() + 1 < self.jobs {
            match self.spec.connect().await {
                Ok(client) => self.workers.push(Worker { client, applied: 0 }),
                Err(e) => {
                    // A staging server at its connection limit still gets its load, on the
                    // connections it has: fewer lanes, not a failed refresh.
                    tracing::warn!(
                        "post-data runs on {} connection(s) instead of {}: {e}",
                        self.workers.len() + 1,
                        self.jobs
                    );
                    self.jobs = self.workers.len() + 1;
                }
            }
        }
        for w in &mut self.workers {
            if w.applied < self.settings.len() {
                let sql: String = self.settings[w.applied..]
                    .iter()
                    .map(|s| format!("{};\n", s.trim_end().trim_end_matches(';')))
                    .collect();
                w.client.batch_execute(&sql).await.map_err(|e| {
                    Error::input(
                        format!(
                            "preparing a connection for the post-data statements: {}",
                            describe(&e)
                        ),
                        Default::default(),
                    )
                })?;
                w.applied = self.settings.len();
            }
        }
        Ok(())
    }

    /// Executes `work` over the main and worker connections; what fails there is run again
    /// alone on the main connection.
    fn run_parallel(
        &self,
        handle: &Handle,
        main: &Client,
        work: &[(&str, &Pending)],
        at: &dyn Fn(u64) -> crate::error::Where,
    ) -> Result<(), Error> {
        let next = AtomicUsize::new(0);
        let failed: Mutex<Vec<Failure>> = Mutex::new(Vec::new());
        let lanes = std::iter::once(main).chain(self.workers.iter().map(|w| &w.client));
        handle.block_on(join_all(lanes.take(work.len()).map(|client| {
            let (next, failed) = (&next, &failed);
            async move {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some((sql, _)) = work.get(i) else { break };
                    if let Err(e) = client.batch_execute(sql).await {
                        let e = describe(&e);
                        failed.lock().expect("not poisoned").push((i, e));
                    }
                }
            }
        })));
        let mut failed = failed.into_inner().expect("not poisoned");
        failed.sort_by_key(|(i, _)| *i);
        for (i, first) in failed {
            let (sql, p) = work[i];
            tracing::debug!(
                "`{}` failed beside other statements ({first}); running it alone",
                statement_label(&p.sql)
            );
            execute_alone(handle, main, sql, &p.sql, p.line, at)?;
        }
        Ok(())
    }
}

/// Executes `sql` on `client`; an error names `original` (the dump's statement) and its line.
fn execute_alone(
    handle: &Handle,
    client: &Client,
    sql: &str,
    original: &str,
    line: u64,
    at: &dyn Fn(u64) -> crate::error::Where,
) -> Result<(), Error> {
    handle.block_on(client.batch_execute(sql)).map_err(|e| {
        Error::input(
            format!("`{}` failed: {}", statement_label(original), describe(&e)),
            at(line),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indexes_and_keys() {
        for sql in [
            "CREATE INDEX orders_idx ON public.orders USING btree (customer_id);",
            "\n--\n-- Name: x; Type: INDEX\n--\n\ncreate unique index x on public.t (a);",
            "ALTER TABLE ONLY public.customers\n    ADD CONSTRAINT customers_pkey PRIMARY KEY (id);",
            "ALTER TABLE ONLY \"Odd\".\"T t\"\n    ADD CONSTRAINT \"k k\" UNIQUE (a, b);",
            "ALTER TABLE public.p ADD CONSTRAINT p_pkey PRIMARY KEY (id);",
            "ALTER TABLE ONLY public.r ADD CONSTRAINT r_x EXCLUDE USING gist (c WITH &&);",
        ] {
            assert_eq!(classify(sql), Kind::Index, "{sql}");
        }
    }

    #[test]
    fn foreign_keys_are_added_not_valid_then_validated() {
        let sql = "ALTER TABLE ONLY \"My Schema\".\"Orders\"\n    ADD CONSTRAINT \"o fk\" FOREIGN KEY (c) REFERENCES public.customers(id) DEFERRABLE INITIALLY DEFERRED;";
        let Kind::ForeignKey { add, validate } = classify(sql) else {
            panic!("not a foreign key");
        };
        assert_eq!(
            add,
            "ALTER TABLE ONLY \"My Schema\".\"Orders\"\n    ADD CONSTRAINT \"o fk\" FOREIGN KEY (c) REFERENCES public.customers(id) DEFERRABLE INITIALLY DEFERRED NOT VALID;"
        );
        assert_eq!(
            validate,
            "ALTER TABLE ONLY \"My Schema\".\"Orders\" VALIDATE CONSTRAINT \"o fk\";"
        );
    }

    #[test]
    fn the_rest_runs_alone() {
        for sql in [
            "CREATE INDEX CONCURRENTLY i ON public.t (a);",
            // Not validated in the source, partitioned (no ONLY), or not a key.
            "ALTER TABLE ONLY public.o ADD CONSTRAINT f FOREIGN KEY (c) REFERENCES public.c(id) NOT VALID;",
            "ALTER TABLE public.p ADD CONSTRAINT f FOREIGN KEY (c) REFERENCES public.c(id);",
            "ALTER TABLE ONLY public.t ADD CONSTRAINT c CHECK (a > 0) NOT VALID;",
            "ALTER INDEX public.p_pkey ATTACH PARTITION public.p1_pkey;",
            "ALTER TABLE ONLY public.t CLUSTER ON t_pkey;",
            "CREATE TRIGGER t AFTER INSERT ON public.t FOR EACH ROW EXECUTE FUNCTION public.f();",
            "CREATE TABLE public.indexes (a int);",
            "COMMENT ON INDEX public.i IS 'x';",
            "ALTER TABLE ONLY public.tablename ADD COLUMN a int;",
            "CREATE INDEXES;",
        ] {
            assert_eq!(classify(sql), Kind::Other, "{sql}");
        }
        for sql in [
            "SET default_tablespace = '';",
            "SELECT pg_catalog.set_config('search_path', '', false);",
        ] {
            assert_eq!(classify(sql), Kind::Setting, "{sql}");
        }
    }
}
