//! The security team's workflow end to end: `policy init` on a real pg_dump, `lint` with the
//! dump's schema, reference policies, and approvals that catch schema drift in
//! `run --require-approved` (exit 4, nothing written).

mod support;

use std::fs;
use std::path::Path;

use support::{scratch_dir, TestDb};

const KEY: &str = "5f1c6f0c2b7a4e9d8c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a392817";

const SCHEMA: &str = "
CREATE TABLE customers (id integer PRIMARY KEY, email text NOT NULL, full_name text,
  birth_date date, zip varchar(10), last_ip inet, notes text, created_at timestamptz NOT NULL,
  status text);
CREATE TABLE orders (id integer PRIMARY KEY, customer_id integer REFERENCES customers(id),
  amount numeric(12,2), payload jsonb, ordered_at timestamptz);
INSERT INTO customers SELECT g, 'user' || g || '@example.com', 'Mary Smith', DATE '1980-01-01' + g,
  '1000' || (g % 10), ('10.0.0.' || (g % 250))::inet, 'call me at +1-202-555-01' || lpad((g % 100)::text, 2, '0'),
  now(), (ARRAY['new','active','closed'])[1 + g % 3] FROM generate_series(1, 60) g;
INSERT INTO orders SELECT g, 1 + g % 60, g * 1.5, '{\"a\": 1}', now() FROM generate_series(1, 100) g;
";

/// Runs understudy with `args` under the test key; returns (exit code, stdout, stderr).
fn us(args: &[&str]) -> (i32, String, String) {
    support::run_keyed(args, KEY)
}

fn dump_to(db: &TestDb, path: &Path) {
    fs::write(path, db.pg_dump(&[])).unwrap();
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn init_drafts_a_rule_for_every_column_with_reasons_and_no_raw_values() {
    let db = TestDb::create("policy_init");
    db.exec(SCHEMA);
    let dir = scratch_dir();
    let dump = dir.join("prod.sql");
    dump_to(&db, &dump);
    let (code, draft, err) = us(&["policy", "init", "--input", p(&dump), "--sample", "50"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        !draft.contains("@example.com"),
        "a raw value leaked into the draft"
    );
    let doc: toml::Table = toml::from_str(&draft).expect("the draft is TOML");
    let tables = doc["tables"].as_table().unwrap();
    let rule = |t: &str, c: &str| tables[t]["columns"][c].as_table().unwrap().clone();
    let transform = |t: &str, c: &str| rule(t, c)["transform"].as_str().unwrap().to_owned();
    for (table, columns) in [
        (
            "public.customers",
            &[
                "id",
                "email",
                "full_name",
                "birth_date",
                "zip",
                "last_ip",
                "notes",
                "created_at",
                "status",
            ][..],
        ),
        (
            "public.orders",
            &["id", "customer_id", "amount", "payload", "ordered_at"][..],
        ),
    ] {
        let got: Vec<&String> = tables[table]["columns"]
            .as_table()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(got.len(), columns.len(), "{table}: {got:?}");
    }
    let expected = [
        ("public.customers", "id", "integer_id"),
        ("public.customers", "email", "email"),
        ("public.customers", "full_name", "fake"),
        ("public.customers", "birth_date", "generalize_date"),
        ("public.customers", "last_ip", "ip"),
        ("public.customers", "notes", "redact"),
        ("public.customers", "created_at", "shift_date"),
        ("public.customers", "status", "keep"),
        ("public.orders", "customer_id", "integer_id"),
        ("public.orders", "amount", "bucket"),
        ("public.orders", "payload", "json"),
        ("public.orders", "ordered_at", "shift_date"),
    ];
    for (t, c, want) in expected {
        assert_eq!(transform(t, c), want, "{t}.{c}");
    }
    // Foreign keys share their referenced key's domain; shifts move per owning entity.
    assert_eq!(
        rule("public.orders", "customer_id")["domain"].as_str(),
        Some("public.customers.id")
    );
    assert_eq!(
        rule("public.customers", "id")["domain"].as_str(),
        Some("public.customers.id")
    );
    assert_eq!(
        rule("public.orders", "ordered_at")["per"].as_str(),
        Some("customer_id")
    );
    assert_eq!(
        rule("public.customers", "created_at")["per"].as_str(),
        Some("id")
    );
    assert_eq!(
        rule("public.customers", "status")["reason"].as_str(),
        Some("TODO: review")
    );
    // Regression: init once suggested `kind = "name"`, which `fake` does not have.
    assert_eq!(
        rule("public.customers", "full_name")["kind"].as_str(),
        Some("full_name")
    );
    assert_eq!(
        rule("public.customers", "zip")["quasi_identifier"].as_bool(),
        Some(true)
    );
    assert!(
        draft.contains("[detector hits: 50/50 email (e.g. "),
        "{draft}"
    );
    // The draft's contract transforms may not be in this build's registry yet; lint must at
    // least report the TODO keep or unknown transforms, never accept the draft as it is.
    let policy = dir.join("draft.toml");
    fs::write(&policy, &draft).unwrap();
    let (code, out, _) = us(&["policy", "lint", p(&policy), "--input", p(&dump)]);
    assert_eq!(code, 1, "{out}");
}

#[test]
fn lint_with_the_dump_reports_every_problem_with_its_line() {
    let db = TestDb::create("policy_lint");
    db.exec(SCHEMA);
    let dir = scratch_dir();
    let dump = dir.join("prod.sql");
    dump_to(&db, &dump);
    let policy = dir.join("p.toml");
    fs::write(
        &policy,
        r#"version = 1
[tables."public.customers".columns]
id = { transform = "keep", reason = "surrogate key" }
email = { transform = "hash", domain = "people" }
full_name = { transform = "null" }
birth_date = { transform = "null" }
zip = { transform = "hash", domain = "people" }
last_ip = { transform = "null" }
notes = { transform = "keep", reason = "TODO: review" }
created_at = { transform = "null" }
ghost = { transform = "null" }
[tables."public.orders".columns]
id = { transform = "keep", reason = "surrogate key" }
"#,
    )
    .unwrap();
    let (code, out, _) = us(&["policy", "lint", p(&policy), "--input", p(&dump)]);
    assert_eq!(code, 1);
    let out = out.replace(&format!("{}/", dir.display()), "");
    // orders.customer_id has no rule of its own: it is a foreign key, so it takes the rule of
    // customers.id (propagation), and needs none.
    let expected = "\
warning: p.toml: no [risk] section: the risk checker's default thresholds apply; write them out (min_k, max_average_risk, max_records_at_risk, ...) so that reviews and diffs see them
error: p.toml:2: public.customers.status has no rule; every column that carries data needs one (fail closed)
error: p.toml:7: public.customers.zip: domain \"people\" joins columns of different types (public.customers.email is text, this is character varying(10)): tokens would not be comparable; align the types or use separate domains
error: p.toml:9: public.customers.notes: `keep` has a reason starting with TODO: review the column and write the real reason
error: p.toml:10: public.customers.created_at: `null` on a NOT NULL column: the restore would fail; use `redact` or another transform
error: p.toml:11: rule for column public.customers.ghost, which the table does not have
error: p.toml:12: public.orders.amount has no rule; every column that carries data needs one (fail closed)
error: p.toml:12: public.orders.payload has no rule; every column that carries data needs one (fail closed)
error: p.toml:12: public.orders.ordered_at has no rule; every column that carries data needs one (fail closed)
";
    assert_eq!(out, expected);
    let (code, table, _) = us(&[
        "policy",
        "explain",
        p(&policy),
        "--input",
        p(&dump),
        "--format",
        "markdown",
    ]);
    assert_eq!(code, 0);
    assert!(table.contains("| public.customers | email | text | hash | keyed HMAC-SHA256, hex, domain \"people\" | no | yes | people |"), "{table}");
    assert!(
        table.contains("| public.orders | customer_id | integer | keep | copied unchanged | n/a | yes |  |  | surrogate key | propagated from public.customers.id; FK → public.customers |"),
        "{table}"
    );
}

#[test]
fn every_reference_policy_lints_clean() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("policies");
    let mut stack = vec![root];
    let mut checked = 0;
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "toml") {
                let (code, out, _) = us(&["policy", "lint", p(&path)]);
                assert_eq!(code, 0, "{}: {out}", path.display());
                checked += 1;
            }
        }
    }
    assert!(checked >= 4, "only {checked} policies found");
    let shop = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (code, out, _) = us(&[
        "policy",
        "lint",
        p(&shop.join("policies/shop_reviewed.toml")),
        "--input",
        p(&shop.join("examples/shop.sql")),
    ]);
    assert_eq!(code, 0, "{out}");
}

const SMALL: &str = "CREATE TABLE customers (id integer PRIMARY KEY, email text, status text);
INSERT INTO customers VALUES (1, 'a@example.com', 'new'), (2, 'b@example.com', 'old');";

const SMALL_POLICY: &str = r#"version = 1
[risk]
min_k = 1
[tables."public.customers".columns]
id = { transform = "keep", reason = "surrogate key" }   # comments do not matter
email = { transform = "hash" }
status = { transform = "keep", reason = "closed set of states" }
"#;

fn run_approved(policy: &Path, dump: &Path, out: &Path) -> (i32, String) {
    let (code, _, err) = us(&[
        "run",
        "--quiet",
        "--require-approved",
        "--dangerously-skip-risk-gate",
        "--policy",
        p(policy),
        "--input",
        p(dump),
        "--output",
        p(out),
    ]);
    (code, err)
}

#[test]
fn schema_drift_after_approval_stops_the_run_with_exit_4() {
    for (label, change, named) in [
        (
            "drift_column",
            "ALTER TABLE customers ADD COLUMN ssn text",
            "new column public.customers.ssn text",
        ),
        (
            "drift_type",
            "ALTER TABLE customers ALTER COLUMN status TYPE varchar(20)",
            "type change public.customers.status: text → character varying(20)",
        ),
        (
            "drift_table",
            "DROP TABLE customers; CREATE TABLE others (x int)",
            "dropped table public.customers",
        ),
    ] {
        let db = TestDb::create(label);
        db.exec(SMALL);
        let dir = scratch_dir();
        let (policy, dump, out) = (dir.join("p.toml"), dir.join("d.sql"), dir.join("out.sql"));
        fs::write(&policy, SMALL_POLICY).unwrap();
        dump_to(&db, &dump);

        let (code, err) = run_approved(&policy, &dump, &out);
        assert_eq!(code, 4, "not yet approved: {err}");
        let (code, _, err) = us(&["policy", "approve", p(&policy), "--input", p(&dump)]);
        assert_eq!(code, 0, "{err}");
        assert!(dir.join("p.toml.approved").is_file());
        let (code, err) = run_approved(&policy, &dump, &out);
        assert_eq!(code, 0, "approved: {err}");
        fs::remove_file(&out).unwrap();

        // Comments and layout are not changes; meaning is.
        fs::write(&policy, format!("# reviewed again\n{SMALL_POLICY}\n")).unwrap();
        assert_eq!(run_approved(&policy, &dump, &out).0, 0);
        fs::remove_file(&out).unwrap();

        db.exec(change);
        dump_to(&db, &dump);
        let (code, err) = run_approved(&policy, &dump, &out);
        assert_eq!(code, 4, "{label}: {err}");
        assert!(err.contains(named), "{label}: {err}");
        assert!(!out.exists(), "{label}: output written despite drift");
        if label == "drift_column" {
            // Re-approve after reviewing the new column: runs again.
            fs::write(
                &policy,
                format!("{SMALL_POLICY}ssn = {{ transform = \"null\" }}\n"),
            )
            .unwrap();
            assert_eq!(
                run_approved(&policy, &dump, &out).0,
                4,
                "policy changed since approval"
            );
            let (code, _, err) = us(&["policy", "approve", p(&policy), "--input", p(&dump)]);
            assert_eq!(code, 0, "{err}");
            let (code, err) = run_approved(&policy, &dump, &out);
            assert_eq!(code, 0, "{err}");
            assert!(out.exists());
        }
    }
}

/// `run --require-approved --source URL`: (exit code, stderr).
fn run_approved_source(policy: &Path, url: &str, out: &Path) -> (i32, String) {
    let (code, _, err) = us(&[
        "run",
        "--quiet",
        "--require-approved",
        "--dangerously-skip-risk-gate",
        "--policy",
        p(policy),
        "--source",
        url,
        "--output",
        p(out),
    ]);
    (code, err)
}

#[test]
fn approvals_from_the_source_and_from_a_dump_of_it_are_interchangeable() {
    let db = TestDb::create("approve_source");
    db.exec(SCHEMA);
    let url = db.url();
    let dir = scratch_dir();
    let (dump, out) = (dir.join("d.sql"), dir.join("out.sql"));
    dump_to(&db, &dump);
    let policy = dir.join("p.toml");
    let (code, draft, err) = us(&["policy", "init", "--source", &url]);
    assert_eq!(code, 0, "{err}");
    fs::write(
        &policy,
        draft.replace("reason = \"TODO: review\"", "reason = \"reviewed\""),
    )
    .unwrap();
    let approval = dir.join("p.toml.approved");

    // Approved against the live database, run on a pg_dump file of it.
    let (code, _, err) = us(&["policy", "approve", p(&policy), "--source", &url]);
    assert_eq!(code, 0, "{err}");
    let from_source = fs::read_to_string(&approval).unwrap();
    let (code, err) = run_approved(&policy, &dump, &out);
    assert_eq!(code, 0, "{err}");
    fs::remove_file(&out).unwrap();

    // And the other way round: the approval file is the same byte for byte.
    fs::remove_file(&approval).unwrap();
    let (code, _, err) = us(&["policy", "approve", p(&policy), "--input", p(&dump)]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(fs::read_to_string(&approval).unwrap(), from_source);
    let (code, err) = run_approved_source(&policy, &url, &out);
    assert_eq!(code, 0, "{err}");
    assert!(out.exists());

    // explain and lint see the same schema either way.
    let explain = |against: [&str; 2]| {
        let (code, table, err) =
            us(&[&["policy", "explain", p(&policy)][..], &against[..]].concat());
        assert_eq!(code, 0, "{err}");
        table
    };
    assert_eq!(explain(["--input", p(&dump)]), explain(["--source", &url]));
    let (code, out, _) = us(&["policy", "lint", p(&policy), "--source", &url]);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn schema_drift_in_the_source_stops_run_with_exit_4_until_reapproved() {
    for (label, change, named) in [
        (
            "source_drift_column",
            "ALTER TABLE customers ADD COLUMN ssn text",
            "new column public.customers.ssn text",
        ),
        (
            "source_drift_type",
            "ALTER TABLE customers ALTER COLUMN status TYPE varchar(20)",
            "type change public.customers.status: text → character varying(20)",
        ),
    ] {
        let db = TestDb::create(label);
        db.exec(SMALL);
        let url = db.url();
        let dir = scratch_dir();
        let (policy, out) = (dir.join("p.toml"), dir.join("out.sql"));
        fs::write(&policy, SMALL_POLICY).unwrap();

        let (code, _, err) = us(&["policy", "approve", p(&policy), "--source", &url]);
        assert_eq!(code, 0, "{label}: {err}");
        let (code, err) = run_approved_source(&policy, &url, &out);
        assert_eq!(code, 0, "{label}: approved: {err}");
        fs::remove_file(&out).unwrap();

        db.exec(change);
        let (code, err) = run_approved_source(&policy, &url, &out);
        assert_eq!(code, 4, "{label}: {err}");
        assert!(err.contains(named), "{label}: {err}");
        assert!(!out.exists(), "{label}: output written despite drift");

        if label == "source_drift_column" {
            // The new column is reviewed: a changed policy needs a new approval.
            fs::write(
                &policy,
                format!("{SMALL_POLICY}ssn = {{ transform = \"null\" }}\n"),
            )
            .unwrap();
            let (code, err) = run_approved_source(&policy, &url, &out);
            assert_eq!(code, 4, "{label}: policy changed since approval: {err}");
            assert!(!out.exists());
        }
        let (code, _, err) = us(&["policy", "approve", p(&policy), "--source", &url]);
        assert_eq!(code, 0, "{label}: {err}");
        let (code, err) = run_approved_source(&policy, &url, &out);
        assert_eq!(code, 0, "{label}: re-approved: {err}");
        let restored = TestDb::create(&format!("{label}_restored"));
        restored.restore(&fs::read(&out).unwrap()).unwrap();
        assert_eq!(restored.row_counts(), db.row_counts(), "{label}");
    }
}
