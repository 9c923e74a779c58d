//! No value from the dump may leak through a side channel: not on stderr (messages, warnings,
//! `UNDERSTUDY_LOG=trace` logs), not in the `--summary` JSON, not in the `Debug` or `Display`
//! of a library error. The tricky fixture's personal columns get a unique marker; then runs
//! fail in every way we can provoke, and one succeeds with the redacting policy, whose output
//! must not contain the marker either.
//!
//! The risk gate's refusal (personal data in kept columns, shown only as masked examples) is one
//! of the failing cases.

mod support;

use std::fs;
use std::path::{Path, PathBuf};

use support::{fixture, run_with_input, scratch_dir, understudy, TestDb};
use understudy::key::MasterKey;
use understudy::pipeline::{self, RunOptions};

/// The marker put into every personal value. Chosen so no transform, name or message could
/// produce it by chance.
const MARKER: &str = "Qx7MarkerZz0";

const KEY: &str = "5f1c6f0c2b7a4e9d8c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a392817";

/// The tricky database with the marker in every column the redacting policy changes.
fn marked_db(label: &str) -> TestDb {
    let db = TestDb::create(label);
    db.exec_file(&fixture("tricky.sql"));
    db.exec(&format!(
        "UPDATE public.customers SET email = '{MARKER}.' || email, \"FullName\" = \"FullName\" || '{MARKER}',
             phone = phone || '{MARKER}', notes = coalesce(notes, '') || E'\\t{MARKER}';
         UPDATE public.orders SET \"Shipping Address\" = '{MARKER} ' || coalesce(\"Shipping Address\", '');
         UPDATE \"Sales Dept\".\"Quarterly Targets\" SET \"Owner Email\" = '{MARKER}' || \"Owner Email\";
         UPDATE public.contacts_base SET email = '{MARKER}' || email;"
    ));
    db
}

struct Outcome {
    code: i32,
    stderr: String,
    summary: Option<String>,
    output: Option<Vec<u8>>,
}

/// Runs understudy with trace logging and a summary path; the dump comes on stdin.
fn run(policy: &Path, dump: &[u8]) -> Outcome {
    let dir = scratch_dir();
    let summary = dir.join("summary.json");
    let output = dir.join("staging.sql");
    let mut cmd = understudy();
    cmd.args(["run", "--policy"])
        .arg(policy)
        .args(["--input", "-", "--output"])
        .arg(&output)
        .arg("--summary")
        .arg(&summary)
        .env("UNDERSTUDY_KEY", KEY)
        .env("UNDERSTUDY_LOG", "trace");
    let out = run_with_input(&mut cmd, dump);
    Outcome {
        code: out.status.code().unwrap_or(-1),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        summary: fs::read_to_string(&summary).ok(),
        output: fs::read(&output).ok(),
    }
}

fn assert_no_marker(what: &str, o: &Outcome) {
    assert!(
        !o.stderr.contains(MARKER),
        "{what}: stderr leaks a value:\n{}",
        o.stderr
    );
    if let Some(summary) = &o.summary {
        assert!(
            !summary.contains(MARKER),
            "{what}: the summary leaks a value"
        );
    }
}

/// Replaces the first occurrence of `from` after the first `after` in `dump`.
fn damage(dump: &[u8], after: &str, from: &str, to: &str) -> Vec<u8> {
    let text = String::from_utf8(dump.to_vec()).unwrap();
    let start = text.find(after).expect("anchor in dump");
    let at = start + text[start..].find(from).expect("text to damage");
    format!("{}{to}{}", &text[..at], &text[at + from.len()..]).into_bytes()
}

fn policy_file(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, text).unwrap();
    path
}

/// Every way a run can fail on the marked dump, as (what, policy, dump).
fn failing_cases(db: &TestDb, dir: &Path) -> Vec<(&'static str, PathBuf, Vec<u8>)> {
    let copy = db.pg_dump(&[]);
    let inserts = db.pg_dump(&["--inserts"]);
    let redact = fixture("tricky_redact.toml");
    let keep = fixture("tricky_keep.toml");
    let redact_text = fs::read_to_string(&redact).unwrap();
    let uncovered = policy_file(
        dir,
        "uncovered.toml",
        &redact_text.replace("phone = { transform = \"redact\" }\n", ""),
    );
    let bad_version = policy_file(
        dir,
        "bad.toml",
        &redact_text.replace("version = 1", "version = 2"),
    );
    let marker_email = format!("{MARKER}.ada.lovelace@example.com");
    // The keep-all fixture allows personal data in kept columns only to prove the identity
    // guarantee; without that allowance the risk gate refuses it.
    let gated = policy_file(
        dir,
        "gated.toml",
        &fs::read_to_string(&keep).unwrap().replace(
            "allow_pii_in_kept_columns = true",
            "allow_pii_in_kept_columns = false",
        ),
    );
    vec![
        ("risk gate refusal", gated, copy.clone()),
        ("uncovered column", uncovered, copy.clone()),
        ("unsupported policy version", bad_version, copy.clone()),
        (
            "escape decoding to NUL in a hashed cell",
            redact.clone(),
            damage(
                &copy,
                "COPY public.customers",
                &marker_email,
                &format!("{marker_email}\\000"),
            ),
        ),
        (
            "escape decoding to NUL in a kept cell",
            keep.clone(),
            damage(
                &copy,
                "COPY public.customers",
                &marker_email,
                &format!("{marker_email}\\0"),
            ),
        ),
        (
            "escape decoding to invalid UTF-8",
            redact.clone(),
            damage(
                &copy,
                "COPY public.customers",
                &marker_email,
                &format!("{marker_email}\\377"),
            ),
        ),
        ("raw invalid UTF-8 in a kept cell", keep.clone(), {
            let mut d = damage(
                &copy,
                "COPY public.customers",
                &marker_email,
                &format!("{marker_email}\u{1}"),
            );
            let i = d.iter().position(|&b| b == 1).unwrap();
            d[i] = 0xff;
            d
        }),
        (
            "a row with a missing field",
            redact.clone(),
            damage(
                &copy,
                "COPY public.customers",
                &format!("\t{marker_email}\t"),
                &format!("\t{marker_email} "),
            ),
        ),
        (
            "an expression in an INSERT where the rule must read the value",
            redact.clone(),
            damage(
                &inserts,
                "INSERT INTO public.customers",
                &format!("'{marker_email}'"),
                &format!("upper('{marker_email}')"),
            ),
        ),
        (
            "a lone quote in an INSERT literal",
            redact.clone(),
            damage(
                &inserts,
                "INSERT INTO public.customers",
                &format!("'{marker_email}'"),
                &format!("'{marker_email}'x'"),
            ),
        ),
        ("a dump truncated inside a row", redact.clone(), {
            let text = String::from_utf8(copy.clone()).unwrap();
            let at = text.find(&marker_email).unwrap() + marker_email.len();
            text.as_bytes()[..at].to_vec()
        }),
        ("a dump truncated inside an INSERT string", redact, {
            let text = String::from_utf8(inserts.clone()).unwrap();
            let at = text.find(&marker_email).unwrap() + 3;
            text.as_bytes()[..at].to_vec()
        }),
    ]
}

#[test]
fn failing_runs_leak_no_value() {
    let db = marked_db("secrets_fail");
    let dir = scratch_dir();
    for (what, policy, dump) in failing_cases(&db, &dir) {
        assert!(
            String::from_utf8_lossy(&dump).contains(MARKER),
            "{what}: the dump carries the marker"
        );
        let o = run(&policy, &dump);
        assert_ne!(o.code, 0, "{what}: the run should fail:\n{}", o.stderr);
        assert!(o.output.is_none(), "{what}: output left behind");
        assert!(!o.stderr.trim().is_empty(), "{what}: no message");
        assert_no_marker(what, &o);

        // The same failure seen from the library: neither Display nor Debug shows the value.
        let input = dir.join("input.sql");
        fs::write(&input, &dump).unwrap();
        let opts = RunOptions {
            policy: policy.clone(),
            input,
            output: dir.join("lib-out.sql"),
            schema_from: None,
            max_expanded_size: 1 << 30,
            dangerously_skip_risk_gate: false,
            report: Some(dir.join("lib-report.json")),
            sample: None,
            discard_output: false,
            source: None,
            target: None,
            require_approved: false,
        };
        let key = MasterKey::from_bytes([9; 32]);
        let err = pipeline::run(&opts, &key, &|_| {}).expect_err(what);
        // A report written on the way (the risk gate writes it whatever the verdict) holds no
        // value either.
        if let Ok(report) = fs::read_to_string(dir.join("lib-report.json")) {
            assert!(!report.contains(MARKER), "{what}: the report leaks a value");
        }
        for shown in [format!("{err}"), format!("{err:?}"), format!("{err:#?}")] {
            assert!(
                !shown.contains(MARKER),
                "{what}: library error leaks: {shown}"
            );
        }
    }
}

#[test]
fn a_successful_redacting_run_leaks_no_value_anywhere() {
    let db = marked_db("secrets_ok");
    for form in [&[][..], &["--inserts"][..], &["--column-inserts"][..]] {
        let dump = db.pg_dump(form);
        let o = run(&fixture("tricky_redact.toml"), &dump);
        assert_eq!(o.code, 0, "{form:?}: {}", o.stderr);
        assert_no_marker("successful run", &o);
        let summary = o.summary.as_deref().expect("a summary was written");
        assert!(summary.contains("customers"), "the summary names tables");
        let output = o.output.expect("output");
        assert!(
            !String::from_utf8_lossy(&output).contains(MARKER),
            "{form:?}: a changed column's value reached the output"
        );
        // Trace logging was really on, so the check above covered log output.
        assert!(
            o.stderr.contains("TRACE") || o.stderr.contains("DEBUG") || o.stderr.contains("INFO"),
            "no log output at trace level:\n{}",
            o.stderr
        );
    }
}

#[test]
fn parser_errors_carry_positions_not_values() {
    use understudy::dump::{copy_text, ddl, insert_values, schema::Schema};
    let m = MARKER.as_bytes();
    let mut out = Vec::new();
    let mut shown = Vec::new();
    for field in [
        [m, b"\\000"].concat(),
        [m, b"\\"].concat(),
        [m, b"\\377"].concat(),
        [m, b"\r"].concat(),
        [m, b"\\."].concat(),
        [m, &[0xff]].concat(),
    ] {
        let e = copy_text::decode_into(&field, true, &mut out).unwrap_err();
        shown.push(format!("{e} {e:?}"));
        let e = copy_text::validate_line(&field, 2, true).unwrap_err();
        shown.push(format!("{e} {e:?}"));
    }
    for lit in [
        [b"'", m, b"'x'"].concat(),
        [b"E'", m, b"\\0'"].concat(),
        [b"E'", m, b"\\uD800'"].concat(),
    ] {
        let e = insert_values::decode_string(&lit, &mut out).unwrap_err();
        shown.push(format!("{e} {e:?}"));
    }
    for stmt in [
        [b"('", m, b"', ".as_slice()].concat(),
        [b"('", m, b"'".as_slice()].concat(),
        [b"(1, '", m, b"') x".as_slice()].concat(),
    ] {
        let e = insert_values::parse_rows(&stmt, 0, |_| Ok::<(), ()>(())).unwrap_err();
        shown.push(format!("{e} {e:?}"));
    }
    let mut schema = Schema::new();
    for sql in [
        format!("CREATE TABLE public.a (x text DEFAULT '{MARKER}');"),
        format!("CREATE TABLE public.a (x text CHECK (x <> '{MARKER}'));"),
    ] {
        if let Err(e) = ddl::apply_statement(&mut schema, &sql, 1) {
            shown.push(format!("{e} {e:?}"));
        }
    }
    assert!(shown.len() >= 18);
    for s in shown {
        assert!(!s.contains(MARKER), "an error shows a value: {s}");
    }
}
