//! Bad input: each case gets a clear error naming input, line, table and column — never the
//! value — exit code 1, and no output file. The dumps are made by the real `pg_dump` and then
//! damaged the way a truncated transfer or a hostile producer would.

mod support;

use std::fs;
use std::path::Path;

use support::{run_with_input, scratch_dir, understudy, TestDb};

/// A value that must never appear in any message.
const MARKER: &str = "zq-marker-4815162342";

fn people_db(label: &str) -> TestDb {
    let db = TestDb::create(label);
    db.exec(&format!(
        "CREATE TABLE public.people (id int PRIMARY KEY, email text NOT NULL, note text);
         INSERT INTO public.people VALUES
           (1, 'ann.{MARKER}@example.com', 'first {MARKER}'),
           (2, 'bob.{MARKER}@example.com', 'second {MARKER}'),
           (3, 'cy.{MARKER}@example.com', NULL);"
    ));
    db
}

const POLICY: &str = r#"version = 1
[tables."public.people".columns]
id    = { transform = "keep", reason = "surrogate key" }
email = { transform = "hash" }
note  = { transform = "keep", reason = "test notes" }
"#;

struct Outcome {
    code: i32,
    stderr: String,
    output_exists: bool,
}

/// Runs understudy on `dump` (through stdin) with `policy` text, writing to a file in a scratch
/// directory.
fn run(policy: &str, dump: &[u8]) -> Outcome {
    run_via(policy, dump, false)
}

/// Like [`run`], reading the dump from a file when `via_file`.
fn run_via(policy: &str, dump: &[u8], via_file: bool) -> Outcome {
    let dir = scratch_dir();
    let policy_path = dir.path().join("policy.toml");
    fs::write(&policy_path, policy).unwrap();
    let input = dir.path().join("input.sql");
    if via_file {
        fs::write(&input, dump).unwrap();
    }
    let output = dir.path().join("staging.sql");
    let mut cmd = understudy();
    cmd.args(["run", "--quiet", "--policy"])
        .arg(&policy_path)
        .arg("--input");
    if via_file {
        cmd.arg(&input);
    } else {
        cmd.arg("-");
    }
    cmd.arg("--output")
        .arg(&output)
        .env("UNDERSTUDY_KEY", "ab".repeat(32));
    let out = run_with_input(&mut cmd, if via_file { b"" } else { dump });
    let leftovers: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "policy.toml" && n != "input.sql")
        .collect();
    Outcome {
        code: out.status.code().unwrap_or(-1),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        output_exists: output.exists() || !leftovers.is_empty(),
    }
}

/// Asserts the run failed cleanly with a message containing every `expected` fragment.
fn assert_refused(outcome: &Outcome, expected: &[&str]) {
    assert_eq!(outcome.code, 1, "exit code; stderr: {}", outcome.stderr);
    assert!(!outcome.output_exists, "an output file was left behind");
    for e in expected {
        assert!(
            outcome.stderr.contains(e),
            "missing {e:?} in: {}",
            outcome.stderr
        );
    }
    assert!(
        !outcome.stderr.contains(MARKER),
        "the message leaks a value: {}",
        outcome.stderr
    );
}

fn dump_text(db: &TestDb, args: &[&str]) -> String {
    String::from_utf8(db.pg_dump(args)).unwrap()
}

fn line_of(text: &str, needle: &str) -> usize {
    text[..text.find(needle).expect("needle in dump")]
        .matches('\n')
        .count()
        + 1
}

#[test]
fn truncated_dump_without_copy_terminator() {
    let db = people_db("err_truncated");
    let dump = dump_text(&db, &[]);
    let cut = &dump[..dump.find("\\.\n").unwrap()];
    let o = run(POLICY, cut.as_bytes());
    assert_refused(&o, &["<stdin>", "inside a COPY data block"]);
}

#[test]
fn truncated_mid_row() {
    let db = people_db("err_midrow");
    let dump = dump_text(&db, &[]);
    let cut = &dump[..dump.find("2\tbob").unwrap() + 5];
    let o = run(POLICY, cut.as_bytes());
    assert_refused(&o, &["inside a COPY data block"]);
}

#[test]
fn row_with_a_missing_field() {
    let db = people_db("err_fields");
    let dump = dump_text(&db, &[]);
    let line = line_of(&dump, "2\tbob");
    let start = dump.find("2\tbob").unwrap();
    let end = start + dump[start..].find('\n').unwrap();
    let row = &dump[start..end];
    let short = &row[..row.rfind('\t').unwrap()];
    let broken = dump.replacen(row, short, 1);
    let o = run(POLICY, broken.as_bytes());
    assert_refused(
        &o,
        &[
            &format!(":{line}:"),
            "table public.people",
            "2 fields",
            "3 columns",
        ],
    );
}

#[test]
fn copy_for_a_table_the_policy_does_not_cover() {
    let db = people_db("err_uncovered");
    db.exec(
        "CREATE TABLE public.audit (id int, who text); INSERT INTO public.audit VALUES (1, 'x');",
    );
    let o = run(POLICY, &db.pg_dump(&[]));
    assert_refused(
        &o,
        &[
            "public.audit.id has no rule",
            "public.audit.who has no rule",
            "policy.toml",
        ],
    );
}

#[test]
fn escape_decoding_to_nul_in_a_changed_column() {
    let db = people_db("err_nul");
    let dump = dump_text(&db, &[]);
    let line = line_of(&dump, "2\tbob");
    let broken = dump.replacen("2\tbob", "2\tb\\000ob", 1);
    let o = run(POLICY, broken.as_bytes());
    assert_refused(
        &o,
        &[&format!(":{line}:"), "column public.people.email", "NUL"],
    );
}

#[test]
fn escape_decoding_to_nul_in_a_kept_column() {
    let db = people_db("err_nul_kept");
    let dump = dump_text(&db, &[]);
    let broken = dump.replacen("\tfirst ", "\tfir\\x00st ", 1);
    let o = run(POLICY, broken.as_bytes());
    assert_refused(&o, &["column public.people.note", "NUL"]);
}

#[test]
fn escape_decoding_to_invalid_utf8() {
    let db = people_db("err_badesc");
    let dump = dump_text(&db, &[]);
    let broken = dump.replacen("\tsecond ", "\tsec\\377ond ", 1);
    let o = run(POLICY, broken.as_bytes());
    assert_refused(&o, &["column public.people.note", "not valid UTF-8"]);
}

#[test]
fn raw_invalid_utf8_in_a_kept_cell() {
    let db = people_db("err_utf8");
    let mut dump = db.pg_dump(&[]);
    let at = dump.windows(7).position(|w| w == b"\tsecond").unwrap() + 2;
    dump[at] = 0xff;
    let o = run(POLICY, &dump);
    assert_refused(&o, &["column public.people.note", "not valid UTF-8"]);
}

#[test]
fn insert_with_an_expression_where_the_rule_must_read_the_value() {
    let db = people_db("err_expr");
    let dump = dump_text(&db, &["--inserts"]);
    let line = line_of(&dump, "(2, 'bob");
    let broken = dump.replacen(
        &format!("(2, 'bob.{MARKER}@example.com'"),
        "(2, lower('X')",
        1,
    );
    let o = run(POLICY, broken.as_bytes());
    assert_refused(
        &o,
        &[
            &format!(":{line}:"),
            "column public.people.email",
            "expression",
        ],
    );
}

#[test]
fn insert_row_with_too_few_values() {
    let db = people_db("err_insert_fields");
    let dump = dump_text(&db, &["--inserts"]);
    let broken = dump.replacen(&format!(", 'second {MARKER}')"), ")", 1);
    let o = run(POLICY, broken.as_bytes());
    assert_refused(&o, &["table public.people", "2 values", "3 columns"]);
}

#[test]
fn custom_and_directory_archives_are_refused_with_the_pipeline() {
    let db = people_db("err_archive");
    let o = run(POLICY, &db.pg_dump(&["-Fc"]));
    assert_refused(&o, &["custom-format archive", "pg_restore -f -"]);
    let dir = scratch_dir();
    let archive = dir.path().join("dumpdir");
    db.pg_dump(&["-Fd", "-f", archive.to_str().unwrap()]);
    let out = understudy()
        .args(["run", "--policy"])
        .arg(fixture_policy(&dir))
        .arg("--input")
        .arg(&archive)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("directory-format archive") && err.contains("pg_restore -f -"),
        "{err}"
    );
}

#[test]
fn policy_problems_are_all_reported_with_lines() {
    let db = people_db("err_policy");
    let policy = r#"version = 1
[tables."public.people".columns]
id    = { transform = "null" }
email = { transform = "keep", reason = "TODO: review" }
note  = { transform = "hash", salt = "x" }
ghost = { transform = "redact" }
"#;
    let o = run(policy, &db.pg_dump(&[]));
    assert_refused(
        &o,
        &["policy.toml:5: public.people.note: unknown field `salt`"],
    );
    // Once the syntax is right, resolution reports every remaining problem in one run. A file
    // input is read for its schema first, so keys declared after the data are known.
    let policy = policy.replace(", salt = \"x\"", "");
    let o = run_via(&policy, &db.pg_dump(&[]), true);
    assert_refused(
        &o,
        &[
            "policy.toml:3: public.people.id: `null` on a NOT NULL column",
            "PRIMARY KEY constraint people_pkey",
            "policy.toml:4: public.people.email: `keep` has a reason starting with TODO",
            "policy.toml:6: rule for column public.people.ghost, which the table does not have",
        ],
    );
}

#[test]
fn a_key_constraint_met_after_the_data_on_stdin_is_still_enforced() {
    // On stdin the UNIQUE constraint arrives after the rows; the run fails then, and the
    // atomic output means nothing was committed.
    let db = people_db("err_late_key");
    db.exec("ALTER TABLE public.people ADD COLUMN code varchar(8); UPDATE public.people SET code = 'c' || id; ALTER TABLE public.people ADD CONSTRAINT people_code_key UNIQUE (code);");
    let policy = format!("{POLICY}code  = {{ transform = \"hash\" }}\n");
    let o = run(&policy, &db.pg_dump(&[]));
    assert_refused(
        &o,
        &[
            "policy.toml:6: public.people.code",
            "UNIQUE constraint people_code_key",
        ],
    );
    let o = run_via(&policy, &db.pg_dump(&[]), true);
    assert_refused(
        &o,
        &[
            "policy.toml:6: public.people.code",
            "UNIQUE constraint people_code_key",
        ],
    );
}

#[test]
fn large_objects_without_a_policy_entry_are_refused() {
    let db = people_db("err_lo");
    db.exec("SELECT lo_from_bytea(0, 'secret bytes');");
    let o = run(POLICY, &db.pg_dump(&[]));
    assert_refused(&o, &["large objects", "[large_objects]"]);
}

#[test]
fn a_second_database_in_one_dump_is_refused() {
    let db = people_db("err_connect");
    let mut dump = dump_text(&db, &[]);
    dump.push_str("\\connect other\n");
    let o = run(POLICY, dump.as_bytes());
    assert_refused(&o, &["\\connect", "one policy describes one database"]);
}

#[test]
fn usage_errors_exit_2_and_help_documents_exit_codes() {
    let out = understudy()
        .args(["run", "--no-such-flag"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let help = understudy().args(["run", "--help"]).output().unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    for code in [
        "0  success",
        "1  an error",
        "2  command-line usage",
        "3  the risk gate",
        "4  the policy is not approved",
    ] {
        assert!(help.contains(code), "--help lacks {code:?}");
    }
    let _ = Path::new("");
}

fn fixture_policy(dir: &support::ScratchDir) -> std::path::PathBuf {
    let path = dir.path().join("policy.toml");
    fs::write(&path, POLICY).unwrap();
    path
}
