//! End-to-end tests of the spine: real databases, real `pg_dump`, understudy, `psql` restore,
//! and SQL checks of what was restored.

mod support;

use std::fs;
use std::io::Write;
use std::path::Path;

use support::{fixture, run_with_input, scratch_dir, understudy, TestDb};

const KEY: &str = "5f1c6f0c2b7a4e9d8c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a392817";

/// A database built from the tricky fixture.
fn tricky_db(label: &str) -> TestDb {
    let db = TestDb::create(label);
    db.exec_file(&fixture("tricky.sql"));
    db
}

/// Runs `understudy run` on `dump` with `policy`, returning (exit code, stdout, stderr).
fn run(policy: &Path, dump: &[u8], extra: &[&str]) -> (i32, Vec<u8>, String) {
    let mut cmd = understudy();
    cmd.args(["run", "--quiet", "--policy"])
        .arg(policy)
        .args(["--input", "-", "--output", "-"])
        .args(extra)
        .env("UNDERSTUDY_KEY", KEY);
    let out = run_with_input(&mut cmd, dump);
    (
        out.status.code().unwrap_or(-1),
        out.stdout,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn run_ok(policy: &Path, dump: &[u8]) -> Vec<u8> {
    let (code, out, err) = run(policy, dump, &[]);
    assert_eq!(code, 0, "understudy failed: {err}");
    out
}

const DUMP_FORMS: &[&[&str]] = &[
    &[],
    &["--inserts"],
    &["--column-inserts"],
    &["--column-inserts", "--rows-per-insert=7"],
];

#[test]
fn keep_all_policy_reproduces_every_dump_form_byte_for_byte() {
    let db = tricky_db("keep_identity");
    for form in DUMP_FORMS {
        let dump = db.pg_dump(form);
        let out = run_ok(&fixture("tricky_keep.toml"), &dump);
        assert!(
            out == dump,
            "keep-all output differs from the {form:?} dump"
        );
    }
}

#[test]
fn keep_all_output_restores_to_identical_contents() {
    let db = tricky_db("keep_restore_src");
    let dump = db.pg_dump(&[]);
    let out = run_ok(&fixture("tricky_keep.toml"), &dump);
    let restored = TestDb::create("keep_restore_dst");
    restored
        .restore(&out)
        .expect("keep-all output must restore");
    assert_eq!(restored.fingerprint(), db.fingerprint());
}

/// Columns the redacting policy keeps must come back equal; changed ones must differ.
fn check_redacted(src: &TestDb, dst: &TestDb) {
    assert_eq!(dst.row_counts(), src.row_counts(), "row counts differ");
    let kept = "SELECT id, zip, tags::text, prefs::text, profile::text, balance::text, score::text, last_seen::text, encode(avatar, 'hex') FROM public.customers ORDER BY id";
    assert_eq!(
        dst.query_rows(kept),
        src.query_rows(kept),
        "kept customer columns changed"
    );
    // Every email was replaced by a 64-digit keyed digest, and none survived.
    assert_eq!(
        dst.query("SELECT count(*) FROM public.customers WHERE email !~ '^[0-9a-f]{64}$'"),
        "0"
    );
    let leaked = src.query_rows("SELECT email FROM public.customers");
    let out_emails = dst.query("SELECT string_agg(email, ',') FROM public.customers");
    for row in leaked {
        assert!(!out_emails.contains(&row[0]), "an original email survived");
    }
    assert_eq!(
        dst.query("SELECT count(*) FROM public.customers WHERE \"FullName\" IS NOT NULL"),
        "0"
    );
    assert_eq!(
        dst.query(
            "SELECT count(*) FROM public.customers WHERE notes IS NOT NULL AND notes <> 'REDACTED'"
        ),
        "0"
    );
    // Foreign keys hold (the restore also validated the constraint).
    assert_eq!(
        dst.query("SELECT count(*) FROM public.orders o LEFT JOIN public.customers c ON c.id = o.customer_id WHERE c.id IS NULL"),
        "0"
    );
    let orders = "SELECT id, customer_id, status, amount::text, ordered_at::text FROM public.orders ORDER BY id";
    assert_eq!(dst.query_rows(orders), src.query_rows(orders));
}

#[test]
fn redacting_policy_output_restores_in_every_dump_form() {
    let src = tricky_db("redact_src");
    for (i, form) in DUMP_FORMS.iter().enumerate() {
        let dump = src.pg_dump(form);
        let out = run_ok(&fixture("tricky_redact.toml"), &dump);
        let dst = TestDb::create(&format!("redact_dst{i}"));
        dst.restore(&out)
            .unwrap_or_else(|e| panic!("restore of {form:?} output failed: {e}"));
        check_redacted(&src, &dst);
    }
}

#[test]
fn hashing_is_deterministic_per_key_and_differs_across_keys() {
    let src = tricky_db("hash_keys");
    let dump = src.pg_dump(&[]);
    let a = run_ok(&fixture("tricky_redact.toml"), &dump);
    let b = run_ok(&fixture("tricky_redact.toml"), &dump);
    assert_eq!(a, b, "same key, same output");
    let mut cmd = understudy();
    cmd.args(["run", "--quiet", "--policy"])
        .arg(fixture("tricky_redact.toml"))
        .env("UNDERSTUDY_KEY", "11".repeat(32));
    let other = run_with_input(&mut cmd, &dump);
    assert!(other.status.success());
    assert_ne!(other.stdout, a, "another key must give other digests");
}

#[test]
fn gzip_and_zstd_inputs_give_the_same_output_as_plain() {
    let src = tricky_db("compressed");
    let dump = src.pg_dump(&[]);
    let plain = run_ok(&fixture("tricky_redact.toml"), &dump);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&dump).unwrap();
    assert_eq!(
        run_ok(&fixture("tricky_redact.toml"), &gz.finish().unwrap()),
        plain
    );
    let zs = zstd::encode_all(&dump[..], 3).unwrap();
    assert_eq!(run_ok(&fixture("tricky_redact.toml"), &zs), plain);
}

#[test]
fn regular_file_output_appears_only_on_success() {
    let src = tricky_db("file_out");
    let dir = scratch_dir();
    let input = dir.path().join("in.sql");
    fs::write(&input, src.pg_dump(&[])).unwrap();
    let output = dir.path().join("staging.sql");
    let summary = dir.path().join("summary.json");
    let status = understudy()
        .args(["run", "--quiet", "--policy"])
        .arg(fixture("tricky_redact.toml"))
        .arg("--input")
        .arg(&input)
        .arg("--output")
        .arg(&output)
        .arg("--summary")
        .arg(&summary)
        .env("UNDERSTUDY_KEY", KEY)
        .status()
        .unwrap();
    assert!(status.success());
    assert!(output.is_file());
    let json: serde_json::Value = serde_json::from_slice(&fs::read(&summary).unwrap()).unwrap();
    assert_eq!(json["verdict"], "pass");
    assert!(json["rows"].as_u64().unwrap() > 100, "{json}");
    assert_eq!(json["key_fingerprint"].as_str().unwrap().len(), 16);
    check_summary_tables_and_durations(&json);
    // Only the output, the input and the summary: no temporary file left beside them.
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 3);
}

/// The per-table and run-level figures of `--summary` (docs/summary-schema.md) add up.
fn check_summary_tables_and_durations(json: &serde_json::Value) {
    let tables = json["per_table"].as_array().unwrap();
    assert_eq!(tables.len() as u64, json["tables"].as_u64().unwrap());
    let sum = |field: &str| -> u64 { tables.iter().map(|t| t[field].as_u64().unwrap()).sum() };
    assert_eq!(sum("rows"), json["rows"].as_u64().unwrap(), "{json}");
    assert!(sum("bytes_in") > 0 && sum("bytes_in") < json["bytes_in"].as_u64().unwrap());
    assert!(sum("bytes_out") > 0 && sum("bytes_out") < json["bytes_out"].as_u64().unwrap());
    let customers = tables
        .iter()
        .find(|t| t["name"] == "public.customers")
        .expect("customers in the summary");
    assert!(customers["rows"].as_u64().unwrap() > 0);
    // Its emails are hashed, so its rows change size; their time is counted.
    assert_ne!(customers["bytes_in"], customers["bytes_out"], "{customers}");
    assert!(customers["duration_seconds"].as_f64().unwrap() > 0.0);
    let d = &json["durations"];
    let phases: f64 = [
        "prepare_seconds",
        "data_seconds",
        "risk_seconds",
        "commit_seconds",
    ]
    .iter()
    .map(|p| {
        d[*p]
            .as_f64()
            .unwrap_or_else(|| panic!("no durations.{p}: {json}"))
    })
    .sum();
    let seconds = json["seconds"].as_f64().unwrap();
    assert!((phases - seconds).abs() < 1e-6, "{phases} vs {seconds}");
    let table_time: f64 = tables
        .iter()
        .map(|t| t["duration_seconds"].as_f64().unwrap())
        .sum();
    assert!(table_time <= d["data_seconds"].as_f64().unwrap() + 1e-6);
}

#[test]
fn data_only_dump_takes_types_from_schema_from() {
    let src = tricky_db("data_only");
    let dir = scratch_dir();
    let schema = dir.path().join("schema.sql");
    fs::write(&schema, src.pg_dump(&["--schema-only"])).unwrap();
    let data = src.pg_dump(&["--data-only"]);
    // Without a schema, `hash` cannot know the column's type and says so.
    let (code, _, err) = run(&fixture("tricky_redact.toml"), &data, &[]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("--schema-from"), "{err}");
    // With it, the data-only output loads into a database made from the schema dump.
    let (code, out, err) = run(
        &fixture("tricky_redact.toml"),
        &data,
        &["--schema-from", schema.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{err}");
    let dst = TestDb::create("data_only_dst");
    dst.restore(&fs::read(&schema).unwrap()).unwrap();
    dst.restore(&out).unwrap();
    check_redacted(&src, &dst);
}

#[test]
fn large_objects_follow_the_policy() {
    let src = tricky_db("lo_src");
    let dump = src.pg_dump(&[]);
    let keep = run_ok(&fixture("tricky_keep.toml"), &dump);
    let dst = TestDb::create("lo_keep");
    dst.restore(&keep).unwrap();
    let bytes =
        "SELECT string_agg(md5(lo_get(oid)), ',' ORDER BY oid) FROM pg_largeobject_metadata";
    assert_eq!(dst.query(bytes), src.query(bytes));
    // The redacting policy empties them: the objects exist, their bytes are gone.
    let nulled = run_ok(&fixture("tricky_redact.toml"), &dump);
    let dst = TestDb::create("lo_null");
    dst.restore(&nulled).unwrap();
    assert_eq!(
        dst.query("SELECT count(*) FROM pg_largeobject_metadata"),
        src.query("SELECT count(*) FROM pg_largeobject_metadata")
    );
    assert_eq!(
        dst.query("SELECT coalesce(sum(length(lo_get(oid))), 0) FROM pg_largeobject_metadata"),
        "0"
    );
}

#[test]
fn a_rule_changing_a_partition_key_needs_load_via_partition_root() {
    let src = tricky_db("partkey");
    let dir = scratch_dir();
    let policy = dir.path().join("p.toml");
    // The leaves take their rules from the root's section.
    let mut text = String::new();
    let mut skipping = false;
    for line in fs::read_to_string(fixture("tricky_redact.toml"))
        .unwrap()
        .lines()
    {
        if line.starts_with('[') {
            skipping = line.contains("measurements_");
        }
        if !skipping {
            text.push_str(line);
            text.push('\n');
        }
    }
    text.push_str(
        "[tables.\"public.measurements\".columns]\n\
         id = { transform = \"keep\", reason = \"measurement number\" }\n\
         customer_id = { transform = \"keep\", reason = \"surrogate key\" }\n\
         taken_on = { transform = \"redact\" }\n\
         reading = { transform = \"keep\", reason = \"synthetic readings\" }\n",
    );
    fs::write(&policy, text).unwrap();
    let (code, _, err) = run(&policy, &src.pg_dump(&[]), &[]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("partition-key column"), "{err}");
    assert!(err.contains("taken_on"), "{err}");
    // Loaded through the root, rows are routed again on restore, so the rule is allowed.
    let (code, out, err) = run(&policy, &src.pg_dump(&["--load-via-partition-root"]), &[]);
    assert_eq!(code, 0, "{err}");
    let out = String::from_utf8(out).unwrap();
    assert!(
        out.contains("COPY public.measurements (id, customer_id, taken_on, reading) FROM stdin;")
    );
}
