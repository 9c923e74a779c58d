//! The database target's post-data phase over several connections (`--jobs`): indexes, keys
//! and foreign keys come out exactly as the source has them — validated or not, deferrable,
//! partitioned, quoted — and a key the sanitized data breaks fails the run, names the
//! constraint, and leaves staging as it was.

mod support;

use std::path::Path;
use std::process::Stdio;

use support::{scratch_dir, understudy, TestDb};

const KEY: &str = "5f1c6f0c2b7a4e9d8c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a392817";

/// Every kind of post-data object pg_dump writes for plain and partitioned tables.
const SCHEMA: &str = r#"
CREATE SCHEMA "Odd Schema";
CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL UNIQUE, score int NOT NULL);
CREATE INDEX customers_score_idx ON customers (score) WHERE score > 10;
CREATE INDEX customers_lower_email ON customers (lower(email));
CREATE TABLE "Odd Schema"."Orders" (
    id bigint PRIMARY KEY,
    "customer id" bigint NOT NULL,
    placed tsrange NOT NULL,
    CONSTRAINT "no overlap" EXCLUDE USING gist (placed WITH &&)
);
CREATE TABLE employees (id int PRIMARY KEY, manager_id int);
CREATE TABLE lines (order_id bigint, n int, qty int NOT NULL, PRIMARY KEY (order_id, n));
CREATE TABLE legacy (id int PRIMARY KEY, customer_id bigint);
CREATE TABLE measurements (id bigint, at date NOT NULL, customer_id bigint, PRIMARY KEY (id, at))
    PARTITION BY RANGE (at);
CREATE TABLE measurements_2026 PARTITION OF measurements
    FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE TABLE measurements_2027 PARTITION OF measurements
    FOR VALUES FROM ('2027-01-01') TO ('2028-01-01');
CREATE INDEX measurements_customer ON measurements (customer_id);
INSERT INTO customers SELECT i, 'customer' || i || '@example.com', 1 + i % 50 FROM generate_series(1, 3000) i;
INSERT INTO "Odd Schema"."Orders"
    SELECT i, 1 + i % 3000, tsrange('2026-01-01'::timestamp + i * interval '1 hour',
                                    '2026-01-01'::timestamp + (i + 1) * interval '1 hour')
    FROM generate_series(1, 6000) i;
INSERT INTO employees SELECT i, CASE WHEN i > 1 THEN i / 2 END FROM generate_series(1, 500) i;
INSERT INTO lines SELECT 1 + i % 6000, i, 1 FROM generate_series(1, 9000) i;
INSERT INTO legacy SELECT i, i + 100000 FROM generate_series(1, 20) i;
INSERT INTO measurements SELECT i, '2026-03-01'::date + (i % 600), 1 + i % 3000
    FROM generate_series(1, 4000) i;
ALTER TABLE "Odd Schema"."Orders" ADD CONSTRAINT "Orders customer" FOREIGN KEY ("customer id")
    REFERENCES customers (id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE employees ADD CONSTRAINT employees_manager FOREIGN KEY (manager_id)
    REFERENCES employees (id) ON DELETE SET NULL;
ALTER TABLE lines ADD CONSTRAINT lines_order FOREIGN KEY (order_id)
    REFERENCES "Odd Schema"."Orders" (id) ON DELETE CASCADE;
-- Rows that break it: it stays NOT VALID, as in the source.
ALTER TABLE legacy ADD CONSTRAINT legacy_customer FOREIGN KEY (customer_id)
    REFERENCES customers (id) NOT VALID;
ALTER TABLE measurements ADD CONSTRAINT measurements_customer_fk FOREIGN KEY (customer_id)
    REFERENCES customers (id);
CLUSTER customers USING customers_pkey;
"#;

fn policy(score: &str) -> String {
    format!(
        r#"version = 1
[tables."public.customers".columns]
id = {{ transform = "keep", reason = "surrogate key" }}
email = {{ transform = "email" }}
score = {score}
[tables."\"Odd Schema\".\"Orders\"".columns]
id = {{ transform = "keep", reason = "surrogate key" }}
"customer id" = {{ transform = "keep", reason = "surrogate key" }}
placed = {{ transform = "keep", reason = "synthetic test ranges" }}
[tables."public.employees".columns]
id = {{ transform = "keep", reason = "surrogate key" }}
manager_id = {{ transform = "keep", reason = "surrogate key" }}
[tables."public.lines".columns]
order_id = {{ transform = "keep", reason = "surrogate key" }}
n = {{ transform = "keep", reason = "line number" }}
qty = {{ transform = "keep", reason = "synthetic" }}
[tables."public.legacy".columns]
id = {{ transform = "keep", reason = "surrogate key" }}
customer_id = {{ transform = "keep", reason = "surrogate key" }}
[tables."public.measurements".columns]
id = {{ transform = "keep", reason = "surrogate key" }}
at = {{ transform = "keep", reason = "synthetic dates" }}
customer_id = {{ transform = "keep", reason = "surrogate key" }}
"#
    )
}

const KEEP_SCORE: &str = r#"{ transform = "keep", reason = "synthetic" }"#;

fn run(policy: &Path, args: &[&str]) -> (i32, String) {
    let out = understudy()
        .args(["run", "--quiet", "--policy"])
        .arg(policy)
        .args(args)
        .env("UNDERSTUDY_KEY", KEY)
        .stdin(Stdio::null())
        .output()
        .expect("cannot run understudy");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The schema as pg_dump prints it, without the lines that differ between any two dumps.
fn schema(db: &TestDb) -> String {
    String::from_utf8(db.pg_dump(&["--schema-only"]))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with("\\restrict") && !l.starts_with("\\unrestrict"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every constraint: table, name, type, validated, deferrable, definition.
fn constraints(db: &TestDb) -> Vec<Vec<String>> {
    db.query_rows(
        "SELECT conrelid::regclass::text, conname, contype::text, convalidated::text, \
         condeferrable::text || condeferred::text, pg_get_constraintdef(oid) \
         FROM pg_constraint WHERE connamespace::regnamespace::text IN ('public', '\"Odd Schema\"') \
         ORDER BY 1, 2",
    )
}

#[test]
fn indexes_and_keys_built_side_by_side_match_the_source() {
    let src = TestDb::create("postdata_src");
    src.exec(SCHEMA);
    let dir = scratch_dir();
    let policy_path = dir.join("policy.toml");
    std::fs::write(&policy_path, policy(KEEP_SCORE)).unwrap();
    let expected_schema = schema(&src);
    let expected_constraints = constraints(&src);
    assert!(
        expected_constraints
            .iter()
            .any(|c| c[1] == "legacy_customer" && c[3] == "false"),
        "the fixture lost its NOT VALID key: {expected_constraints:?}"
    );
    let dump = dir.join("source.sql");
    std::fs::write(&dump, src.pg_dump(&[])).unwrap();

    let dump = dump.to_str().unwrap().to_string();
    let src_url = src.url();
    for (jobs, input) in [("1", "file"), ("4", "file"), ("3", "source")] {
        let tgt = TestDb::create(&format!("postdata_tgt_{jobs}"));
        let from = match input {
            "file" => ["--input", dump.as_str()],
            _ => ["--source", src_url.as_str()],
        };
        let (code, err) = run(
            &policy_path,
            &[from[0], from[1], "--target", &tgt.url(), "--jobs", jobs],
        );
        assert_eq!(code, 0, "--jobs {jobs} from {input}: {err}");
        assert_eq!(
            constraints(&tgt),
            expected_constraints,
            "--jobs {jobs} from {input}"
        );
        assert_eq!(schema(&tgt), expected_schema, "--jobs {jobs} from {input}");
        assert_eq!(tgt.row_counts(), src.row_counts());
        // The clustered index, the partial and expression indexes, the partitions' indexes.
        assert_eq!(
            tgt.query(
                "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid \
                 WHERE i.indisvalid AND c.relnamespace::regnamespace::text IN ('public', '\"Odd Schema\"')"
            ),
            src.query(
                "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid \
                 WHERE i.indisvalid AND c.relnamespace::regnamespace::text IN ('public', '\"Odd Schema\"')"
            )
        );
    }
}

#[test]
fn a_key_the_sanitized_rows_break_fails_the_run_and_keeps_staging() {
    let src = TestDb::create("postdata_break_src");
    src.exec(SCHEMA);
    // Unique in the source; bucketing makes every score 0, so this index cannot be built.
    src.exec(
        "CREATE UNIQUE INDEX customers_score_only ON customers (score, (id % 2)) WHERE id <= 50",
    );
    let dir = scratch_dir();
    let good_policy = dir.join("good.toml");
    std::fs::write(&good_policy, policy(KEEP_SCORE)).unwrap();
    let tgt = TestDb::create("postdata_break_tgt");
    let (code, err) = run(
        &good_policy,
        &[
            "--source",
            &src.url(),
            "--target",
            &tgt.url(),
            "--jobs",
            "3",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let good = tgt.fingerprint();

    let bad_policy = dir.join("bad.toml");
    std::fs::write(
        &bad_policy,
        policy(r#"{ transform = "bucket", width = "1000", min = "0", max = "1000" }"#),
    )
    .unwrap();
    src.exec("UPDATE customers SET score = score + 1 WHERE id = 1");
    let (code, err) = run(
        &bad_policy,
        &[
            "--source",
            &src.url(),
            "--target",
            &tgt.url(),
            "--jobs",
            "3",
        ],
    );
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("customers_score_only") && err.contains("SQLSTATE 23505"),
        "the error does not name the broken index: {err}"
    );
    assert!(!err.contains("@example.com"), "a value leaked: {err}");
    assert!(!err.contains("Key ("), "a DETAIL line leaked: {err}");
    assert_eq!(tgt.fingerprint(), good, "a failed run changed staging");
    assert_eq!(
        tgt.query(&format!(
            "SELECT count(*) FROM pg_database WHERE datname = '{}__understudy_new'",
            tgt.name
        )),
        "0",
        "the half-built copy was left behind"
    );
}

/// Plain tables (relkind r) with rows whose visibility map is not all set.
fn tables_not_all_visible(db: &TestDb) -> Vec<Vec<String>> {
    db.exec("ANALYZE");
    db.query_rows(
        "SELECT c.oid::regclass::text, c.relpages::text, c.relallvisible::text FROM pg_class c \
         WHERE c.relkind = 'r' AND c.relnamespace::regnamespace::text IN ('public', '\"Odd Schema\"') \
         AND c.relpages > 0 AND c.relallvisible < c.relpages ORDER BY 1",
    )
}

#[test]
fn swap_loads_rows_frozen_and_loads_partition_roots_as_psql_would() {
    let src = TestDb::create("postdata_freeze_src");
    src.exec(SCHEMA);
    let dir = scratch_dir();
    let policy_path = dir.join("policy.toml");
    std::fs::write(&policy_path, policy(KEEP_SCORE)).unwrap();
    src.exec("ANALYZE");
    let loaded = src.query(
        "SELECT count(*) FROM pg_class c WHERE c.relkind = 'r' AND c.relpages > 0 \
         AND c.relnamespace::regnamespace::text IN ('public', '\"Odd Schema\"')",
    );
    assert_eq!(loaded, "7", "the fixture's tables with rows changed");

    // A pg_dump of the leaves: every table is loaded frozen, so its pages are all-visible
    // straight after the run (rows loaded the ordinary way have none until a vacuum).
    let tgt = TestDb::create("postdata_freeze_tgt");
    let (code, err) = run(
        &policy_path,
        &[
            "--source",
            &src.url(),
            "--target",
            &tgt.url(),
            "--jobs",
            "2",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(tgt.row_counts(), src.row_counts());
    assert_eq!(tables_not_all_visible(&tgt), Vec::<Vec<String>>::new());

    // Through the partition root (pg_dump --load-via-partition-root), twice into the same
    // partitioned table: FREEZE is refused there, so those rows load as psql loads them, and
    // the run is as correct as before.
    let dump = dir.join("via_root.sql");
    std::fs::write(&dump, src.pg_dump(&["--load-via-partition-root"])).unwrap();
    let text = std::fs::read_to_string(&dump).unwrap();
    assert_eq!(
        text.matches("COPY public.measurements ").count(),
        2,
        "the fixture no longer loads both partitions through the root"
    );
    let tgt = TestDb::create("postdata_freeze_root");
    let (code, err) = run(
        &policy_path,
        &["--input", dump.to_str().unwrap(), "--target", &tgt.url()],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(tgt.row_counts(), src.row_counts());
    assert_eq!(constraints(&tgt), constraints(&src));
    let not_frozen: Vec<String> = tables_not_all_visible(&tgt)
        .into_iter()
        .map(|r| r[0].clone())
        .collect();
    assert!(
        not_frozen.iter().all(|t| t.starts_with("measurements_")),
        "only the partitions loaded through their root may be unfrozen: {not_frozen:?}"
    );
}

/// Drops a role and a database made outside `TestDb` when the test ends, however it ends.
struct Cleanup<'a> {
    admin: &'a TestDb,
    database: String,
    role: String,
}

impl Drop for Cleanup<'_> {
    fn drop(&mut self) {
        self.admin.exec(&format!(
            "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
            self.database
        ));
        self.admin
            .exec(&format!("DROP ROLE IF EXISTS \"{}\"", self.role));
    }
}

#[test]
fn a_server_at_its_connection_limit_gets_the_load_on_fewer_connections() {
    let src = TestDb::create("postdata_limit_src");
    src.exec(SCHEMA);
    let pid = std::process::id();
    let cleanup = Cleanup {
        admin: &src,
        database: format!("ut_postdata_limit_tgt_{pid}"),
        role: format!("ut_postdata_limit_{pid}"),
    };
    // Superusers ignore connection limits: a plain role that may create databases.
    src.exec(&format!(
        "DROP ROLE IF EXISTS \"{0}\"; CREATE ROLE \"{0}\" LOGIN CREATEDB CONNECTION LIMIT 2",
        cleanup.role
    ));
    let dir = scratch_dir();
    let policy_path = dir.join("policy.toml");
    std::fs::write(&policy_path, policy(KEEP_SCORE)).unwrap();
    let dump = dir.join("source.sql");
    std::fs::write(&dump, src.pg_dump(&["--no-owner", "--no-privileges"])).unwrap();
    let url = support::server::server().url_for(&cleanup.database);
    let sep = if url.contains('?') { '&' } else { '?' };
    let url = format!("{url}{sep}user={}", cleanup.role);

    let (code, err) = run(
        &policy_path,
        &[
            "--input",
            dump.to_str().unwrap(),
            "--target",
            &url,
            "--jobs",
            "4",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("instead of 4") && err.contains("too many connections"),
        "the fallback was not announced: {err}"
    );
    let loaded = src.query(&format!(
        "SELECT count(*) FROM pg_database WHERE datname = '{}' AND pg_get_userbyid(datdba) = '{}'",
        cleanup.database, cleanup.role
    ));
    assert_eq!(loaded, "1", "the target was not made by the limited role");
    let tgt_constraints = {
        // Read through psql on the loaded copy (it is not a `TestDb`).
        let out = std::process::Command::new(support::pg_bin::client("psql"))
            .args(["-X", "-At", "-d"])
            .arg(support::server::server().url_for(&cleanup.database))
            .args([
                "-c",
                "SELECT count(*) FILTER (WHERE convalidated) || '|' || count(*) FROM pg_constraint \
                 WHERE connamespace::regnamespace::text IN ('public', '\"Odd Schema\"')",
            ])
            .output()
            .expect("cannot run psql");
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    let src_constraints = src.query(
        "SELECT count(*) FILTER (WHERE convalidated) || '|' || count(*) FROM pg_constraint \
         WHERE connamespace::regnamespace::text IN ('public', '\"Odd Schema\"')",
    );
    assert_eq!(tgt_constraints, src_constraints);
    drop(cleanup);
}
