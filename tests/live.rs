//! End-to-end tests of the live source (`--source`) and the database target (`--target`):
//! real servers, real `pg_dump`, understudy, and SQL checks of what arrived. Every test makes
//! its own databases.

mod support;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use support::{fixture, scratch_dir, understudy, TestDb};

const KEY: &str = "5f1c6f0c2b7a4e9d8c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a392817";

fn tricky_db(label: &str) -> TestDb {
    let db = TestDb::create(label);
    db.exec_file(&fixture("tricky.sql"));
    db
}

fn command(policy: &Path, args: &[&str]) -> Command {
    let mut cmd = understudy();
    cmd.args(["run", "--quiet", "--policy"])
        .arg(policy)
        .args(args)
        .env("UNDERSTUDY_KEY", KEY)
        .stdin(Stdio::null());
    cmd
}

/// Runs understudy; returns (exit code, stderr).
fn run(policy: &Path, args: &[&str]) -> (i32, String) {
    let out = command(policy, args)
        .output()
        .expect("cannot run understudy");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn run_ok(policy: &Path, args: &[&str]) -> String {
    let (code, err) = run(policy, args);
    assert_eq!(code, 0, "understudy failed: {err}");
    err
}

/// How many databases with this exact name exist (asked through `any`).
fn databases_named(any: &TestDb, name: &str) -> i64 {
    any.query(&format!(
        "SELECT count(*) FROM pg_database WHERE datname = '{name}'"
    ))
    .parse()
    .unwrap()
}

fn new_name(db: &TestDb) -> String {
    format!("{}__understudy_new", db.name)
}

/// The lines of a dump that carry content: no comments, no `\restrict` keys, and no session
/// settings (a live source repeats pg_dump's header before the post-data section).
fn content_lines(dump: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(dump)
        .lines()
        .filter(|l| {
            !(l.is_empty()
                || l.starts_with("--")
                || l.starts_with("\\restrict")
                || l.starts_with("\\unrestrict")
                || l.starts_with("SET ")
                || l.starts_with("SELECT pg_catalog.set_config('search_path'"))
        })
        .map(str::to_string)
        .collect()
}

/// Runs understudy with `input` (a file) on stdin, so errors at its end come late.
fn run_stdin(policy: &Path, args: &[&str], input: &Path) -> (i32, String) {
    let out = command(policy, args)
        .stdin(std::fs::File::open(input).unwrap())
        .output()
        .expect("cannot run understudy");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Waits until no session uses database `name`.
fn wait_no_sessions(any: &TestDb, name: &str) {
    wait_for(|| {
        any.query(&format!(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = '{name}'"
        )) == "0"
    });
}

/// Checks a database restored or loaded from `src` with tricky_redact.toml.
fn check_redacted(src: &TestDb, dst: &TestDb) {
    assert_eq!(dst.row_counts(), src.row_counts(), "row counts differ");
    let kept = "SELECT id, zip, tags::text, prefs::text, balance::text, encode(avatar, 'hex') FROM public.customers ORDER BY id";
    assert_eq!(
        dst.query_rows(kept),
        src.query_rows(kept),
        "kept columns changed"
    );
    assert_eq!(
        dst.query("SELECT count(*) FROM public.customers WHERE email !~ '^[0-9a-f]{64}$'"),
        "0",
        "emails not hashed"
    );
    assert_eq!(
        dst.query("SELECT count(*) FROM public.customers c WHERE c.\"FullName\" IS NOT NULL"),
        "0"
    );
    assert_eq!(
        dst.query("SELECT count(*) FROM public.orders o LEFT JOIN public.customers c ON c.id = o.customer_id WHERE c.id IS NULL"),
        "0",
        "foreign keys broken"
    );
    // Sequences are past the largest id, so new rows get fresh keys.
    assert_eq!(
        dst.query("SELECT (SELECT last_value FROM public.customers_id_seq) >= (SELECT max(id) FROM public.customers)"),
        "t"
    );
    let fks = dst.query("SELECT count(*) FROM pg_constraint WHERE contype = 'f'");
    assert_eq!(
        fks,
        src.query("SELECT count(*) FROM pg_constraint WHERE contype = 'f'")
    );
}

#[test]
fn source_with_keep_all_gives_the_same_dump_as_pg_dump() {
    let src = tricky_db("live_keep");
    let dir = scratch_dir();
    let out = dir.join("out.sql");
    let summary = dir.join("summary.json");
    // An 8 kB threshold splits every table of more than one block into one-block ranges.
    for (jobs, split) in [("1", "0"), ("3", "64M"), ("3", "8K")] {
        run_ok(
            &fixture("tricky_keep.toml"),
            &[
                "--source",
                &src.url(),
                "--jobs",
                jobs,
                "--split-threshold",
                split,
                "--output",
                out.to_str().unwrap(),
                "--summary",
                summary.to_str().unwrap(),
            ],
        );
        let ours = std::fs::read(&out).unwrap();
        let theirs = src.pg_dump(&[]);
        assert_eq!(
            content_lines(&ours),
            content_lines(&theirs),
            "--source --jobs {jobs} --split-threshold {split} differs from pg_dump beyond comments"
        );
        // Kept whole, every table's rows come out as they went in.
        let json: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&summary).unwrap()).unwrap();
        for t in json["per_table"].as_array().unwrap() {
            assert_eq!(t["bytes_in"], t["bytes_out"], "{t}");
        }
    }
    assert!(
        src.query("SELECT pg_relation_size('public.customers') > 3 * 8192") == "t",
        "the fixture no longer has a table of several blocks to split"
    );
}

#[test]
fn source_to_file_restores_sanitized() {
    let src = tricky_db("live_file_src");
    let dir = scratch_dir();
    let out = dir.join("out.sql");
    run_ok(
        &fixture("tricky_redact.toml"),
        &["--source", &src.url(), "--output", out.to_str().unwrap()],
    );
    let dst = TestDb::create("live_file_dst");
    dst.restore(&std::fs::read(&out).unwrap()).expect("restore");
    check_redacted(&src, &dst);
}

#[test]
fn file_and_source_to_target_swap_and_replace() {
    let src = tricky_db("live_tgt_src");
    let dir = scratch_dir();
    let dump = dir.join("in.sql");
    std::fs::write(&dump, src.pg_dump(&[])).unwrap();
    let tgt = TestDb::create("live_tgt");
    // An empty database may be filled; then it carries understudy's marker.
    run_ok(
        &fixture("tricky_redact.toml"),
        &["--input", dump.to_str().unwrap(), "--target", &tgt.url()],
    );
    check_redacted(&src, &tgt);
    assert_eq!(
        tgt.query("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = current_database()"),
        "understudy staging copy"
    );
    // A staging session is open during the next swap: --terminate-connections ends it.
    let mut session = tgt
        .psql()
        .args(["-c", "SELECT pg_sleep(60)"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_for(|| {
        tgt.query(&format!(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = '{}' AND query LIKE '%pg_sleep(60)%' AND pid <> pg_backend_pid()",
            tgt.name
        )) == "1"
    });
    run_ok(
        &fixture("tricky_redact.toml"),
        &[
            "--source",
            &src.url(),
            "--target",
            &tgt.url(),
            "--terminate-connections",
        ],
    );
    let _ = session.wait();
    check_redacted(&src, &tgt);
    for mode_args in [&["--target-mode", "replace"][..], &[]] {
        run_ok(
            &fixture("tricky_redact.toml"),
            &[&["--source", &src.url(), "--target", &tgt.url()], mode_args].concat(),
        );
        check_redacted(&src, &tgt);
    }
    assert_eq!(databases_named(&tgt, &new_name(&tgt)), 0);
    assert_eq!(
        databases_named(&tgt, &format!("{}__understudy_old", tgt.name)),
        0
    );
}

/// A database's `datcollate datctype`, asked through `any`.
fn locale_of(any: &TestDb, name: &str) -> String {
    any.query(&format!(
        "SELECT datcollate || ' ' || datctype FROM pg_database WHERE datname = '{name}'"
    ))
}

#[test]
fn a_first_staging_copy_takes_the_live_sources_locale_and_keeps_it() {
    let tgt = TestDb::create("live_locale_tgt");
    let defaults = locale_of(&tgt, "template0");
    // A source locale that is not the server's default (both exist on Debian's servers), so
    // taking the source's settings and taking the defaults tell apart.
    let locale = if defaults == "C C" { "C.UTF-8" } else { "C" };
    let src = TestDb::create_with_locale("live_locale_src", locale);
    src.exec_file(&fixture("tricky.sql"));
    let want = format!("{locale} {locale}");
    let drop_target = || src.exec(&format!("DROP DATABASE \"{}\"", tgt.name));
    drop_target();
    let policy = fixture("tricky_redact.toml");
    run_ok(&policy, &["--source", &src.url(), "--target", &tgt.url()]);
    assert_eq!(locale_of(&src, &tgt.name), want);
    check_redacted(&src, &tgt);
    // A refresh keeps the staging database's own settings.
    run_ok(&policy, &["--source", &src.url(), "--target", &tgt.url()]);
    assert_eq!(locale_of(&src, &tgt.name), want);
    // A dump file carries no database settings: a first copy from one gets the defaults.
    let dir = scratch_dir();
    let dump = dir.join("in.sql");
    std::fs::write(&dump, src.pg_dump(&[])).unwrap();
    drop_target();
    run_ok(
        &policy,
        &["--input", dump.to_str().unwrap(), "--target", &tgt.url()],
    );
    assert_eq!(locale_of(&src, &tgt.name), defaults);
}

#[test]
fn refuses_the_source_and_foreign_databases_as_targets() {
    let src = tricky_db("live_refuse_src");
    let before = src.fingerprint();
    let (code, err) = run(
        &fixture("tricky_redact.toml"),
        &[
            "--source",
            &src.url(),
            "--target",
            &src.url(),
            "--dangerously-overwrite-target",
        ],
    );
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("the target is the source"), "{err}");
    // Another non-empty database that understudy did not make.
    let other = tricky_db("live_refuse_other");
    let other_before = other.fingerprint();
    let (code, err) = run(
        &fixture("tricky_redact.toml"),
        &["--source", &src.url(), "--target", &other.url()],
    );
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("--dangerously-overwrite-target"), "{err}");
    assert!(
        !err.contains("@example.com"),
        "a value leaked into the error: {err}"
    );
    assert_eq!(other.fingerprint(), other_before);
    assert_eq!(src.fingerprint(), before);
    run_ok(
        &fixture("tricky_redact.toml"),
        &[
            "--source",
            &src.url(),
            "--target",
            &other.url(),
            "--dangerously-overwrite-target",
        ],
    );
    check_redacted(&src, &other);
}

/// A source with one large table (so a load takes a while) and its policy.
fn big_source(label: &str, rows: u32) -> TestDb {
    let db = TestDb::create(label);
    db.exec(&format!(
        "CREATE TABLE accounts (id bigint PRIMARY KEY, owner text NOT NULL, balance bigint NOT NULL);
         INSERT INTO accounts SELECT i, 'person' || i || '@example.com', 1000 FROM generate_series(1, {rows}) i;"
    ));
    db
}

const BIG_POLICY: &str = r#"version = 1
[tables."public.accounts".columns]
id = { transform = "keep", reason = "surrogate key" }
owner = { transform = "hash" }
balance = { transform = "keep", reason = "synthetic" }
"#;

fn wait_for(mut cond: impl FnMut() -> bool) {
    let start = Instant::now();
    while !cond() {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "timed out waiting"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Starts a run into `tgt`, waits until it is loading into the new database, and returns it.
fn start_load(policy: &Path, src: &TestDb, tgt: &TestDb) -> Child {
    let child = command(
        policy,
        &[
            "--source",
            &src.url(),
            "--target",
            &tgt.url(),
            "--jobs",
            "1",
        ],
    )
    .stdout(Stdio::null())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    let new = new_name(tgt);
    wait_for(|| {
        tgt.query(&format!(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = '{new}' AND query ILIKE 'COPY%'"
        )) == "1"
    });
    child
}

#[test]
fn killed_or_failing_loads_leave_the_staging_copy_as_it_was() {
    let src = big_source("live_atomic_src", 150_000);
    let dir = scratch_dir();
    let policy = dir.join("policy.toml");
    std::fs::write(&policy, BIG_POLICY).unwrap();
    let tgt = TestDb::create("live_atomic");
    run_ok(&policy, &["--source", &src.url(), "--target", &tgt.url()]);
    let good = tgt.fingerprint();
    // The source moves on; the staging copy must not, until a run succeeds.
    src.exec("UPDATE accounts SET balance = balance + 1 WHERE id % 2 = 0");

    // (a) SIGKILL mid-load.
    let mut child = start_load(&policy, &src, &tgt);
    child.kill().unwrap();
    let _ = child.wait();
    wait_no_sessions(&tgt, &new_name(&tgt));
    assert_eq!(
        tgt.fingerprint(),
        good,
        "a killed run changed the staging copy"
    );
    assert_eq!(
        databases_named(&tgt, &new_name(&tgt)),
        1,
        "the half-built copy is expected to remain after SIGKILL"
    );

    // (b) The target connection dies mid-load.
    let child = start_load(&policy, &src, &tgt);
    tgt.query(&format!(
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '{}' AND query ILIKE 'COPY%'",
        new_name(&tgt)
    ));
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("removed a half-built copy"),
        "the leftover of (a) was not announced: {err}"
    );
    assert!(!err.contains("@example.com"), "a value leaked: {err}");
    assert_eq!(tgt.fingerprint(), good);
    assert_eq!(
        databases_named(&tgt, &new_name(&tgt)),
        0,
        "an aborted run must remove its half-built copy"
    );

    // (c) An error at the very end of the input (a truncated last COPY block).
    let mut dump = src.pg_dump(&[]);
    let cut = dump.windows(3).rposition(|w| w == b"\\.\n").unwrap();
    dump.truncate(cut);
    let path = dir.join("truncated.sql");
    std::fs::write(&path, &dump).unwrap();
    let (code, err) = run_stdin(&policy, &["--input", "-", "--target", &tgt.url()], &path);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("truncated"), "{err}");
    assert_eq!(tgt.fingerprint(), good);
    assert_eq!(databases_named(&tgt, &new_name(&tgt)), 0);
    // The same in replace mode: the transaction rolls back.
    let (code, err) = run_stdin(
        &policy,
        &[
            "--input",
            "-",
            "--target",
            &tgt.url(),
            "--target-mode",
            "replace",
        ],
        &path,
    );
    assert_eq!(code, 1, "{err}");
    assert_eq!(tgt.fingerprint(), good);

    // A SIGKILL again, then a good run that says it removed the leftover.
    let mut child = start_load(&policy, &src, &tgt);
    child.kill().unwrap();
    let _ = child.wait();
    wait_no_sessions(&tgt, &new_name(&tgt));
    let err = run_ok(&policy, &["--source", &src.url(), "--target", &tgt.url()]);
    assert!(err.contains("removed a half-built copy"), "{err}");
    assert_eq!(tgt.row_counts(), src.row_counts());
    assert_eq!(
        tgt.query("SELECT sum(balance) FROM accounts"),
        src.query("SELECT sum(balance) FROM accounts")
    );
    assert_eq!(databases_named(&tgt, &new_name(&tgt)), 0);
}

#[test]
fn the_output_is_one_snapshot_while_writers_commit() {
    // Tables are read in name order with --jobs 1: the big one first, so writers commit many
    // transfers while it is read, before the ledgers are.
    let src = TestDb::create("live_snapshot");
    src.exec(
        "CREATE TABLE a_filler (id bigint PRIMARY KEY, pad text);
         INSERT INTO a_filler SELECT i, repeat('x', 200) FROM generate_series(1, 300000) i;
         CREATE TABLE b_ledger (id int PRIMARY KEY, balance bigint NOT NULL);
         CREATE TABLE c_ledger (id int PRIMARY KEY, balance bigint NOT NULL);
         CREATE TABLE d_log (id bigserial PRIMARY KEY, amount int NOT NULL);
         INSERT INTO b_ledger SELECT i, 100000 FROM generate_series(1, 100) i;
         INSERT INTO c_ledger SELECT i, 100000 FROM generate_series(1, 100) i;",
    );
    let dir = scratch_dir();
    let policy = dir.join("policy.toml");
    std::fs::write(
        &policy,
        r#"version = 1
[tables."public.a_filler".columns]
id = { transform = "keep", reason = "key" }
pad = { transform = "redact" }
[tables."public.b_ledger".columns]
id = { transform = "keep", reason = "key" }
balance = { transform = "keep", reason = "synthetic" }
[tables."public.c_ledger".columns]
id = { transform = "keep", reason = "key" }
balance = { transform = "keep", reason = "synthetic" }
[tables."public.d_log".columns]
id = { transform = "keep", reason = "key" }
amount = { transform = "keep", reason = "synthetic" }
"#,
    )
    .unwrap();
    // Each transfer moves 1 from b to c and logs it, in one transaction.
    let mut writer = src
        .psql()
        .args([
            "-c",
            "DO $$ BEGIN FOR i IN 1..200000 LOOP
               UPDATE b_ledger SET balance = balance - 1 WHERE id = 1 + i % 100;
               UPDATE c_ledger SET balance = balance + 1 WHERE id = 1 + (i * 7) % 100;
               INSERT INTO d_log (amount) VALUES (1);
               COMMIT;
             END LOOP; END $$",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_for(|| src.query("SELECT count(*) > 100 FROM d_log") == "t");
    let out = dir.join("out.sql");
    run_ok(
        &policy,
        &[
            "--source",
            &src.url(),
            "--jobs",
            "1",
            "--output",
            out.to_str().unwrap(),
        ],
    );
    let after_run: i64 = src.query("SELECT count(*) FROM d_log").parse().unwrap();
    let _ = writer.kill();
    let _ = writer.wait();
    let dst = TestDb::create("live_snapshot_dst");
    dst.restore(&std::fs::read(&out).unwrap()).expect("restore");
    let logged: i64 = dst.query("SELECT count(*) FROM d_log").parse().unwrap();
    assert!(
        logged > 100 && logged < after_run,
        "the snapshot should fall between the writer's commits ({logged} of {after_run})"
    );
    assert_eq!(
        dst.query("SELECT sum(balance) FROM b_ledger"),
        (10_000_000 - logged).to_string()
    );
    assert_eq!(
        dst.query("SELECT sum(balance) FROM c_ledger"),
        (10_000_000 + logged).to_string()
    );
    assert_eq!(dst.query("SELECT count(*) FROM a_filler"), "300000");
    // The log's sequence is at least where the snapshot's rows end.
    assert_eq!(
        dst.query("SELECT (SELECT last_value FROM d_log_id_seq) >= (SELECT max(id) FROM d_log)"),
        "t"
    );
}

#[test]
fn a_refusing_risk_gate_leaves_the_staging_copy_as_it_was() {
    let src = big_source("live_gate_src", 2_000);
    let dir = scratch_dir();
    let good = dir.join("good.toml");
    std::fs::write(&good, BIG_POLICY).unwrap();
    // Emails in a kept column, without `allow_pii_in_kept_columns`: the verdict fails.
    let leaky = dir.join("leaky.toml");
    std::fs::write(
        &leaky,
        BIG_POLICY.replace(
            r#"owner = { transform = "hash" }"#,
            r#"owner = { transform = "keep", reason = "mistake under test" }"#,
        ),
    )
    .unwrap();
    let tgt = TestDb::create("live_gate");
    run_ok(&good, &["--source", &src.url(), "--target", &tgt.url()]);
    let before = tgt.fingerprint();
    src.exec("UPDATE accounts SET balance = balance + 1 WHERE id % 3 = 0");
    for mode in ["swap", "replace"] {
        let (code, err) = run(
            &leaky,
            &[
                "--source",
                &src.url(),
                "--target",
                &tgt.url(),
                "--target-mode",
                mode,
            ],
        );
        assert_eq!(code, 3, "{mode}: the gate should refuse: {err}");
        assert!(!err.contains("@example.com"), "a value leaked: {err}");
        wait_no_sessions(&tgt, &new_name(&tgt));
        assert_eq!(
            tgt.fingerprint(),
            before,
            "{mode}: a refused run changed the staging copy"
        );
        assert_eq!(
            databases_named(&tgt, &new_name(&tgt)),
            0,
            "{mode}: a refused run must remove its half-built copy"
        );
    }
    let err = run_ok(&good, &["--source", &src.url(), "--target", &tgt.url()]);
    assert!(!err.contains("removed a half-built copy"), "{err}");
    assert_eq!(
        tgt.query("SELECT sum(balance) FROM accounts"),
        src.query("SELECT sum(balance) FROM accounts")
    );
    assert_eq!(
        tgt.query("SELECT count(*) FROM accounts WHERE owner LIKE '%@example.com'"),
        "0"
    );
}

#[test]
fn a_table_split_across_workers_is_one_snapshot_while_writers_commit() {
    // Each transfer moves one unit between two rows of the split table and logs it, in one
    // transaction; updates move rows to other blocks, so range workers on different snapshots
    // would see rows twice or not at all, and the sums would disagree with the log.
    const ROWS: i64 = 60_000;
    let src = TestDb::create("live_split");
    src.exec(&format!(
        "CREATE TABLE accounts (id int PRIMARY KEY, spent bigint NOT NULL, got bigint NOT NULL, pad text);
         INSERT INTO accounts SELECT i, 0, 0, repeat('x', 200) FROM generate_series(1, {ROWS}) i;
         CREATE TABLE transfers (id bigserial PRIMARY KEY, amount int NOT NULL);"
    ));
    let dir = scratch_dir();
    let policy = dir.join("policy.toml");
    std::fs::write(
        &policy,
        r#"version = 1
[tables."public.accounts".columns]
id = { transform = "keep", reason = "key" }
spent = { transform = "keep", reason = "synthetic" }
got = { transform = "keep", reason = "synthetic" }
pad = { transform = "keep", reason = "synthetic" }
[tables."public.transfers".columns]
id = { transform = "keep", reason = "key" }
amount = { transform = "keep", reason = "synthetic" }
"#,
    )
    .unwrap();
    let mut writer = src
        .psql()
        .args([
            "-c",
            &format!(
                "DO $$ BEGIN FOR i IN 1..2000000 LOOP
                   UPDATE accounts SET spent = spent + 1 WHERE id = 1 + (i * 7919) % {ROWS};
                   UPDATE accounts SET got = got + 1 WHERE id = 1 + (i * 104729) % {ROWS};
                   INSERT INTO transfers (amount) VALUES (1);
                   COMMIT;
                 END LOOP; END $$"
            ),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_for(|| src.query("SELECT count(*) > 100 FROM transfers") == "t");
    let out = dir.join("out.sql");
    let err = run_ok(
        &policy,
        &[
            "--source",
            &src.url(),
            "--jobs",
            "3",
            "--split-threshold",
            "1M",
            "--output",
            out.to_str().unwrap(),
        ],
    );
    let after_run: i64 = src.query("SELECT count(*) FROM transfers").parse().unwrap();
    let _ = writer.kill();
    let _ = writer.wait();
    assert!(
        src.query("SELECT pg_relation_size('accounts') > 8 * 1024 * 1024") == "t",
        "the table should be split into several 1 MB ranges"
    );
    let dst = TestDb::create("live_split_dst");
    dst.restore(&std::fs::read(&out).unwrap())
        .unwrap_or_else(|e| panic!("restore failed (a row seen twice?): {e}\n{err}"));
    let logged: i64 = dst.query("SELECT count(*) FROM transfers").parse().unwrap();
    assert!(
        logged > 100 && logged < after_run,
        "the snapshot should fall between the writer's commits ({logged} of {after_run})"
    );
    assert_eq!(dst.query("SELECT count(*) FROM accounts"), ROWS.to_string());
    assert_eq!(
        dst.query("SELECT sum(spent) || ' ' || sum(got) FROM accounts"),
        format!("{logged} {logged}")
    );
}
