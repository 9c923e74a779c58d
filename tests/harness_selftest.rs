//! Tests of the test harness itself (`tests/support/`) and of the tricky fixture: that databases
//! are isolated and dropped, that errors surface, and that `tests/fixtures/tricky.sql` dumped by
//! the real pg_dump in each plain form restores to the same data. Nothing here runs understudy's
//! pipeline; those tests build on this one.

mod support;

use support::TestDb;

/// Loads the tricky fixture into a fresh database.
fn tricky(label: &str) -> TestDb {
    let db = TestDb::create(label);
    db.exec_file(&support::fixture("tricky.sql"));
    db
}

/// Dumps the tricky database with `args`, restores into a fresh database, and checks that
/// every table, sequence and large object came back identical.
fn check_round_trip(label: &str, args: &[&str]) {
    let source = tricky(&format!("{label}_src"));
    let dump = source.pg_dump(args);
    let target = TestDb::create(&format!("{label}_dst"));
    if let Err(e) = target.restore(&dump) {
        panic!("pg_dump {args:?} of tricky.sql does not restore: {e}");
    }
    let expected = source.fingerprint();
    assert_eq!(
        target.fingerprint(),
        expected,
        "pg_dump {args:?} round trip changed data"
    );
    // Guard against a fingerprint that compares nothing.
    assert_eq!(source.row_counts()["public.customers"], 1000);
    assert_eq!(target.row_counts()["public.orders"], 2000);
    assert!(
        expected["large objects"].starts_with("1 objects"),
        "{expected:?}"
    );
}

#[test]
fn tricky_fixture_round_trips_through_plain_copy_dump() {
    check_round_trip("rt_copy", &[]);
}

#[test]
fn tricky_fixture_round_trips_through_inserts_dump() {
    check_round_trip("rt_inserts", &["--inserts"]);
}

#[test]
fn tricky_fixture_round_trips_through_column_inserts_dump() {
    check_round_trip("rt_colins", &["--column-inserts", "--rows-per-insert=7"]);
}

#[test]
fn two_databases_in_parallel_are_isolated_and_dropped() {
    let names: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..2)
            .map(|i| {
                s.spawn(move || {
                    let db = TestDb::create("parallel");
                    db.exec(&format!(
                        "CREATE TABLE t (v int); INSERT INTO t VALUES ({i});"
                    ));
                    assert_eq!(db.query("SELECT v FROM t"), i.to_string());
                    db.name.clone()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("thread panicked"))
            .collect()
    });
    assert_ne!(names[0], names[1]);
    let observer = TestDb::create("observer");
    for name in &names {
        let left = observer.query(&format!(
            "SELECT count(*) FROM pg_database WHERE datname = '{name}'"
        ));
        assert_eq!(left, "0", "database {name} was not dropped");
    }
}

#[test]
fn failures_surface_psql_stderr() {
    let db = TestDb::create("failures");
    let err = db
        .restore(b"SELECT 1;\nSELECT 1/0;\nSELECT 2;\n")
        .unwrap_err();
    assert!(err.contains("division by zero"), "{err}");

    let panic = std::panic::catch_unwind(|| db.exec("SELECT * FROM no_such_table"))
        .expect_err("exec of a failing statement must panic");
    let message = panic
        .downcast_ref::<String>()
        .expect("panic message is a String");
    assert!(message.contains("no_such_table"), "{message}");
}

#[test]
fn query_rows_keeps_tabs_newlines_and_nulls() {
    let db = TestDb::create("query_rows");
    let rows = db.query_rows("SELECT E'a\\tb\\nc', NULL::text UNION ALL SELECT 'x', 'y'");
    assert_eq!(
        rows,
        vec![
            vec!["a\tb\nc".to_string(), String::new()],
            vec!["x".into(), "y".into()]
        ]
    );
}

#[test]
fn tricky_fixture_has_the_promised_cases() {
    let db = tricky("promised");
    let dump = String::from_utf8(db.pg_dump(&[])).expect("dump is UTF-8");
    // A line that is exactly `\.` and one that is exactly `;`, inside the function body.
    let body = dump
        .find("CREATE FUNCTION public.tricky_body()")
        .expect("function dumped");
    let body = &dump[body..body + dump[body..].find("$$;").expect("body ends")];
    assert!(body.lines().any(|l| l == "\\."), "{body}");
    assert!(body.lines().any(|l| l == ";"), "{body}");
    // The COPY header of the weird table spans two lines.
    assert!(dump.contains("COPY public.\"we\"\"ird.na me\" (id, \"col\nnl\", \"a.b\") FROM stdin;"));
    assert!(dump.contains("CREATE SCHEMA \"Sales Dept\";"));
    assert!(dump.contains("COPY public.audit_empty (id, what, at) FROM stdin;\n\\.\n"));
    assert!(dump.contains("lo_create("));
    assert!(
        dump.contains("jane.steward@example.com"),
        "comment with an e-mail"
    );

    let facts = [
        ("enum", "SELECT count(*) FROM pg_type WHERE typname = 'order_status' AND typtype = 'e'"),
        ("domain", "SELECT count(*) FROM pg_type WHERE typname = 'us_zip' AND typtype = 'd'"),
        ("generated column", "SELECT count(*) FROM pg_attribute WHERE attgenerated = 's' AND attrelid = 'public.customers'::regclass"),
        ("identity columns", "SELECT count(*) FROM pg_attribute WHERE attidentity IN ('a', 'd') AND attnum > 0 AND attrelid IN ('public.customers'::regclass, 'public.orders'::regclass)"),
        ("partitions", "SELECT count(*) FROM pg_inherits WHERE inhparent = 'public.measurements'::regclass"),
        ("inheritance child", "SELECT count(*) FROM pg_inherits WHERE inhparent = 'public.contacts_base'::regclass"),
        ("large objects", "SELECT count(*) FROM pg_largeobject_metadata"),
        ("foreign keys", "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND conrelid = 'public.orders'::regclass"),
        ("unique email", "SELECT count(*) FROM pg_constraint WHERE contype = 'u' AND conrelid = 'public.customers'::regclass"),
        ("'' and NULL notes", "SELECT (count(*) FILTER (WHERE notes = '') > 0 AND count(*) FILTER (WHERE notes IS NULL) > 0)::int FROM public.customers"),
        ("infinities", "SELECT count(*) FROM public.customers WHERE last_seen IN ('infinity', '-infinity')"),
    ];
    let expected = [1, 1, 1, 2, 2, 1, 1, 1, 1, 1, 2];
    for ((what, sql), want) in facts.iter().zip(expected) {
        assert_eq!(db.query(sql), want.to_string(), "fixture lacks: {what}");
    }
}

#[test]
fn scratch_dirs_are_unique_and_removed_on_drop() {
    let a = support::scratch_dir();
    let b = support::scratch_dir();
    assert_ne!(a.path(), b.path());
    std::fs::write(a.join("file"), b"x").expect("write into scratch dir");
    let kept = a.path().to_path_buf();
    drop(a);
    assert!(!kept.exists(), "{} survived its guard", kept.display());
    assert!(b.is_dir());
}

#[test]
fn understudy_binary_is_built() {
    let path = support::understudy().get_program().to_owned();
    assert!(std::path::Path::new(&path).is_file(), "{path:?}");
}

#[test]
fn url_with_database_keeps_user_host_and_parameters() {
    use support::server::url_with_database as with;
    let cases = [
        (
            "postgres://postgres@127.0.0.1:5432/postgres",
            "postgres://postgres@127.0.0.1:5432/x",
        ),
        (
            "postgres://u:p@h/db?sslmode=disable",
            "postgres://u:p@h/x?sslmode=disable",
        ),
        ("postgresql://h:1", "postgresql://h:1/x"),
        (
            "postgres://postgres@localhost:5432/postgres?host=/tmp/d",
            "postgres://postgres@localhost:5432/x?host=/tmp/d",
        ),
        ("postgres://h?host=/tmp/d", "postgres://h/x?host=/tmp/d"),
    ];
    for (url, want) in cases {
        assert_eq!(with(url, "x"), want, "{url}");
    }
}

#[test]
fn fingerprint_sees_a_changed_value_row_sequence_and_large_object() {
    let setup = "CREATE TABLE t (id serial, v text); INSERT INTO t (v) VALUES ('a'), (NULL); \
                 SELECT lo_from_bytea(4242, '\\x00');";
    let a = TestDb::create("fp_a");
    let b = TestDb::create("fp_b");
    a.exec(setup);
    b.exec(setup);
    assert_eq!(a.fingerprint(), b.fingerprint());
    let changes = [
        "UPDATE t SET v = 'b' WHERE v = 'a'",
        "UPDATE t SET v = '' WHERE v IS NULL",
        "SELECT nextval('t_id_seq')",
        "SELECT lo_put(4242, 0, '\\x01')",
        "INSERT INTO t (id, v) VALUES (1, 'a')",
    ];
    for change in changes {
        let c = TestDb::create("fp_c");
        c.exec(setup);
        c.exec(change);
        assert_ne!(
            a.fingerprint(),
            c.fingerprint(),
            "fingerprint misses: {change}"
        );
    }
}
