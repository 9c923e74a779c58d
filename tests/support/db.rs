//! `TestDb`: one uniquely named database per test, dropped when the value is dropped.
//!
//! Everything goes through the real client programs (`psql`, `pg_dump`) so the tests see
//! exactly what a user's shell would. Names are `ut_<label>_<pid>_<counter>`, so tests of one
//! process and of parallel processes never share a database. Set `UNDERSTUDY_TEST_KEEP_DB=1` to
//! keep the databases for inspection (their URLs are printed to stderr).

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use super::{pg_bin, run_with_input, server};

/// psql's field and record separators for [`TestDb::query_rows`]: ASCII unit and record
/// separators, which never occur in the fixtures' names or values.
const FIELD_SEP: &str = "\u{1f}";
const RECORD_SEP: &str = "\u{1e}";

/// A database created for one test on the harness's server; `DROP ... WITH (FORCE)` on drop.
#[derive(Debug)]
pub struct TestDb {
    /// The database name (`[a-z0-9_]`, at most 63 bytes).
    pub name: String,
    url: String,
}

impl TestDb {
    /// Creates an empty UTF-8 database with the C locale (so `ORDER BY` on text is the same
    /// everywhere), from `template0`, named after `label`.
    pub fn create(label: &str) -> TestDb {
        Self::create_with_locale(label, "C")
    }

    /// As [`TestDb::create`], with another locale (which the server must have).
    pub fn create_with_locale(label: &str, locale: &str) -> TestDb {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let label: String = label
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .take(40)
            .collect();
        let name = format!("ut_{label}_{}_{n}", std::process::id());
        let server = server::server();
        // A database of this name can only be left over from a dead process with our pid.
        admin(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"));
        admin(&format!(
            "CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' LOCALE '{locale}'"
        ));
        TestDb {
            url: server.url_for(&name),
            name,
        }
    }

    /// A `postgres://` URL for this database (also usable by `psql -d` and `pg_dump -d`).
    pub fn url(&self) -> String {
        self.url.clone()
    }

    /// A `psql` command connected to this database: no psqlrc, stop at the first error.
    pub fn psql(&self) -> Command {
        psql_to(&self.url)
    }

    /// Runs SQL (several statements and psql meta-commands allowed); panics with psql's stderr.
    pub fn exec(&self, sql: &str) {
        let out = run_with_input(self.psql().args(["-q", "-f", "-"]), sql.as_bytes());
        expect_ok("psql (exec)", &self.name, &out);
    }

    /// Runs a SQL file, e.g. a fixture; psql's errors name the file and line.
    pub fn exec_file(&self, path: &Path) {
        let out = self
            .psql()
            .arg("-q")
            .arg("-f")
            .arg(path)
            .stdin(Stdio::null())
            .output();
        let out = out.expect("cannot run psql");
        expect_ok(&format!("psql -f {}", path.display()), &self.name, &out);
    }

    /// Runs one query and returns its unaligned, tuples-only output, trimmed.
    pub fn query(&self, sql: &str) -> String {
        let out = self
            .psql()
            .args(["-A", "-t", "-c", sql])
            .stdin(Stdio::null())
            .output();
        let out = out.expect("cannot run psql");
        expect_ok("psql (query)", &self.name, &out);
        String::from_utf8(out.stdout)
            .expect("psql output is not UTF-8")
            .trim()
            .to_string()
    }

    /// Runs one query and returns its rows as fields; NULL comes back as the empty string.
    /// Values may contain tabs and newlines (the separators are ASCII US and RS).
    pub fn query_rows(&self, sql: &str) -> Vec<Vec<String>> {
        let out = self
            .psql()
            .args(["-A", "-t", "-F", FIELD_SEP, "-R", RECORD_SEP, "-c", sql])
            .stdin(Stdio::null())
            .output()
            .expect("cannot run psql");
        expect_ok("psql (query_rows)", &self.name, &out);
        let text = String::from_utf8(out.stdout).expect("psql output is not UTF-8");
        // psql ends the output with a newline after the last record separator.
        let text = text.strip_suffix('\n').unwrap_or(&text);
        text.split(RECORD_SEP)
            .filter(|r| !r.is_empty())
            .map(|r| r.split(FIELD_SEP).map(str::to_string).collect())
            .collect()
    }

    /// Runs the real `pg_dump` on this database with `args` added (plain format unless the
    /// arguments say otherwise) and returns its output; panics with pg_dump's stderr.
    pub fn pg_dump(&self, args: &[&str]) -> Vec<u8> {
        let out = Command::new(pg_bin::client("pg_dump"))
            .args(["-d", &self.url])
            .args(args)
            .stdin(Stdio::null())
            .output()
            .expect("cannot run pg_dump");
        expect_ok(&format!("pg_dump {args:?}"), &self.name, &out);
        out.stdout
    }

    /// Feeds a plain dump to `psql -v ON_ERROR_STOP=1 -f -` in this database.
    /// `Err` carries psql's stderr; notices alone are not an error.
    pub fn restore(&self, dump: &[u8]) -> Result<(), String> {
        let out = run_with_input(self.psql().args(["-q", "-f", "-"]), dump);
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "psql exited {}: {}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            ))
        }
    }

    /// Rows per user table (`FROM ONLY`, so inheritance parents count only their own rows and
    /// partitioned roots do not appear), keyed `schema.table` with names unquoted.
    pub fn row_counts(&self) -> BTreeMap<String, i64> {
        self.per_table("count(*)::text")
            .into_iter()
            .map(|(table, n)| (table, n.parse().expect("count is a number")))
            .collect()
    }

    /// A content fingerprint of the whole database, for "these two databases hold the same
    /// data" checks: per user table its row count and the md5 of its rows' text sorted; per
    /// sequence its state; and the large objects (oid and md5 of the bytes).
    pub fn fingerprint(&self) -> BTreeMap<String, String> {
        let rows = "count(*) || ' rows, md5 ' \
                    || coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '-')";
        let mut map = self.per_table(rows);
        for row in self.query_rows(
            "SELECT format('%s.%s', n.nspname, c.relname), format('%I.%I', n.nspname, c.relname) \
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE c.relkind = 'S' AND n.nspname NOT IN ('pg_catalog', 'information_schema')",
        ) {
            let state = self.query(&format!(
                "SELECT last_value || ' ' || is_called FROM {}",
                row[1]
            ));
            map.insert(format!("sequence {}", row[0]), state);
        }
        map.insert(
            "large objects".into(),
            self.query(
                "SELECT count(*) || ' objects, md5 ' || coalesce(md5(string_agg(\
                 oid::text || ':' || md5(lo_get(oid)), ',' ORDER BY oid)), '-') \
                 FROM pg_largeobject_metadata",
            ),
        );
        map
    }

    /// Evaluates `expr` (an aggregate over alias `t`) for every ordinary user table.
    fn per_table(&self, expr: &str) -> BTreeMap<String, String> {
        let tables = self.query_rows(
            "SELECT format('%s.%s', n.nspname, c.relname), format('%I.%I', n.nspname, c.relname) \
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') \
             AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%' ORDER BY 1",
        );
        if tables.is_empty() {
            return BTreeMap::new();
        }
        let sql = tables
            .iter()
            .map(|t| {
                let label = t[0].replace('\'', "''");
                format!("SELECT '{label}', {expr} FROM ONLY {} t", t[1])
            })
            .collect::<Vec<_>>()
            .join(" UNION ALL ");
        self.query_rows(&sql)
            .into_iter()
            .map(|r| (r[0].clone(), r[1].clone()))
            .collect()
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if std::env::var_os("UNDERSTUDY_TEST_KEEP_DB").is_some() {
            eprintln!("UNDERSTUDY_TEST_KEEP_DB: keeping {}", self.url);
            return;
        }
        // Never panic here: a second panic during a failing test's unwinding would abort and
        // hide the first message.
        let out = psql_to(server::server().admin_url())
            .args([
                "-q",
                "-c",
                &format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name),
            ])
            .stdin(Stdio::null())
            .output();
        match out {
            Ok(out) if out.status.success() => {}
            Ok(out) => eprintln!(
                "warning: could not drop test database {}: {}",
                self.name,
                String::from_utf8_lossy(&out.stderr)
            ),
            Err(e) => eprintln!("warning: could not run psql to drop {}: {e}", self.name),
        }
    }
}

fn psql_to(url: &str) -> Command {
    let mut cmd = Command::new(pg_bin::client("psql"));
    // Durability is worthless for throwaway databases, and without this every autocommitted
    // statement of an `--inserts` restore waits for a WAL flush on a server with fsync on.
    cmd.args(["-X", "-v", "ON_ERROR_STOP=1", "-d", url])
        .env("PGCONNECT_TIMEOUT", "10")
        .env("PGOPTIONS", "-c synchronous_commit=off");
    cmd
}

/// Runs one statement in the server's maintenance database; panics with psql's stderr.
fn admin(sql: &str) {
    let server = server::server();
    let out = psql_to(server.admin_url())
        .args(["-q", "-c", sql])
        .stdin(Stdio::null())
        .output();
    let out = out.expect("cannot run psql");
    expect_ok(
        &format!("{sql} (server: {:?})", server.origin),
        "maintenance db",
        &out,
    );
}

fn expect_ok(what: &str, db: &str, out: &Output) {
    assert!(
        out.status.success(),
        "{what} on database {db} failed ({}):\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
}
