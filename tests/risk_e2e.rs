//! The risk checker end to end: a real database with planted problems, dumped by the real
//! `pg_dump`, read with the dump reader and fed to the checker through a small test driver that
//! does what the pipeline will do (decode what `Checker::needs` asks for, transform with the
//! resolved plan, one accumulator per slice, merged in order). The lead engineer wires the
//! checker into the pipeline; until then this is its end-to-end test.

mod support;

use std::path::Path;
use std::sync::Arc;

use understudy::dump::copy_text;
use understudy::dump::ddl;
use understudy::dump::ident::{parse_column_list, parse_qualified_prefix, QualifiedName};
use understudy::dump::reader::{statement_body, DumpReader, Event};
use understudy::dump::schema::Schema;
use understudy::key::MasterKey;
use understudy::policy::file::parse;
use understudy::policy::resolve::resolve;
use understudy::risk::checker::{Checker, Needs};
use understudy::risk::report::Report;
use understudy::transform::{Applied, Transform};

use support::TestDb;

/// Rows per accumulator, small so that merging is exercised.
const SLICE: usize = 7;

struct Copy {
    table: QualifiedName,
    columns: Vec<String>,
    needs: Needs,
    transforms: Vec<Option<Arc<dyn Transform>>>,
}

fn starts_with_ci(s: &[u8], word: &[u8]) -> bool {
    s.len() >= word.len() && s[..word.len()].eq_ignore_ascii_case(word)
}

fn copy_header(body: &[u8]) -> (QualifiedName, Vec<String>) {
    let rest = body[4..].trim_ascii_start();
    let (name, n) = parse_qualified_prefix(rest).expect("COPY table name");
    let (columns, _) = parse_column_list(&rest[n..]).expect("pg_dump lists COPY columns");
    (name, columns)
}

/// Runs the checker over a plain dump with a policy, as the pipeline will.
fn check(dump: &[u8], policy_text: &str) -> Report {
    let policy = parse(Path::new("policy.toml"), policy_text).expect("policy parses");
    let key = MasterKey::from_bytes([9; 32]);
    let mut schema = Schema::new();
    let mut reader = DumpReader::new(dump);
    while let Some(event) = reader.next_event().expect("dump reads") {
        if let Event::Statement { text, line, .. } = event {
            let body = statement_body(text);
            if starts_with_ci(body, b"create") || starts_with_ci(body, b"alter") {
                let _ = ddl::apply_statement(&mut schema, std::str::from_utf8(text).unwrap(), line);
            }
        }
    }
    let resolved = resolve(&policy, &schema, &key).expect("policy resolves");
    let mut checker = Checker::new(&policy, &resolved, &key, None).expect("checker");
    let mut copy: Option<Copy> = None;
    let mut reader = DumpReader::new(dump);
    while let Some(event) = reader.next_event().expect("dump reads") {
        match event {
            Event::Statement {
                text,
                copy_from_stdin: true,
                ..
            } => {
                let (table, columns) = copy_header(statement_body(text));
                let plan = resolved.table(&table).expect("planned table");
                let transforms = columns
                    .iter()
                    .map(|c| plan.column(c).and_then(|p| p.transform.clone()))
                    .collect();
                let needs = checker.needs(&table, &columns);
                copy = Some(Copy {
                    table,
                    columns,
                    needs,
                    transforms,
                });
            }
            Event::Statement { text, .. } | Event::Verbatim(text) => checker.passthrough(text),
            Event::CopyData { data, .. } => {
                let c = copy.as_ref().expect("COPY data follows a COPY statement");
                let lines: Vec<&[u8]> = data
                    .split(|&b| b == b'\n')
                    .filter(|l| !l.is_empty())
                    .collect();
                for slice in lines.chunks(SLICE) {
                    let mut acc = checker.accumulator(&c.table, &c.columns);
                    for line in slice {
                        feed_line(&mut acc, c, line);
                    }
                    checker.merge(acc);
                }
            }
            Event::CopyEnd { .. } => copy = None,
            Event::Meta { .. } => {}
        }
    }
    checker.finish()
}

fn feed_line(acc: &mut understudy::risk::checker::Accumulator, c: &Copy, line: &[u8]) {
    let mut originals: Vec<Option<Vec<u8>>> = Vec::new();
    let mut outputs: Vec<Option<Vec<u8>>> = Vec::new();
    for (i, field) in copy_text::fields(line).enumerate() {
        let original = if copy_text::is_null(field) {
            None
        } else {
            let mut v = Vec::new();
            copy_text::decode_into(field, true, &mut v).expect("valid COPY field");
            Some(v)
        };
        let output = match &c.transforms[i] {
            None => original.clone(),
            Some(t) => {
                let mut out = Vec::new();
                let applied = match &original {
                    Some(v) => t.apply(v, &Default::default(), &mut out),
                    None => t.apply_null(&mut out),
                }
                .expect("transform applies");
                (applied == Applied::Value).then_some(out)
            }
        };
        originals.push(original.filter(|_| c.needs.original[i]));
        outputs.push(output.filter(|_| c.needs.output[i]));
    }
    let o: Vec<Option<&[u8]>> = originals.iter().map(|v| v.as_deref()).collect();
    let u: Vec<Option<&[u8]>> = outputs.iter().map(|v| v.as_deref()).collect();
    acc.row(&o, &u);
}

/// Fictitious customers: example.com addresses, 555 numbers, one unique (zip, birth date,
/// gender) per row; a support-ticket table into which three customers' e-mails were pasted.
const SETUP: &str = r#"
CREATE TABLE public.customers (
    id integer PRIMARY KEY,
    email text NOT NULL,
    phone text,
    notes text,
    profile jsonb,
    zip text,
    birth_date date,
    gender text
);
INSERT INTO public.customers
SELECT i,
       'customer' || i || '@example.com',
       '+1 202 555 01' || lpad(i::text, 2, '0'),
       CASE WHEN i % 4 = 0 THEN 'Reach me at customer' || i || '@example.com or +1 202 555 01' || lpad(i::text, 2, '0')
            ELSE 'prefers mornings' END,
       jsonb_build_object('contact', jsonb_build_object('email', 'customer' || i || '@example.com'), 'tier', 'gold'),
       lpad((2100 + i)::text, 5, '0'),
       date '1950-01-01' + i * 97,
       CASE WHEN i % 2 = 0 THEN 'F' ELSE 'M' END
FROM generate_series(1, 40) AS i;
CREATE TABLE public.tickets (id integer PRIMARY KEY, body text);
INSERT INTO public.tickets
SELECT i,
       CASE WHEN i IN (3, 5, 8) THEN 'Customer customer' || (i * 2) || '@example.com called about an invoice'
            ELSE 'Printer on floor ' || i || ' is jammed' END
FROM generate_series(1, 12) AS i;
COMMENT ON TABLE public.tickets IS 'test card 4111 1111 1111 1111 must never be here';
"#;

const LEAKY_POLICY: &str = r#"version = 1
[tables."public.customers".columns]
id         = { transform = "keep", reason = "surrogate key" }
email      = { transform = "hash" }
phone      = { transform = "redact" }
notes      = { transform = "keep", reason = "believed to be free of personal data" }
profile    = { transform = "keep", reason = "preferences only" }
zip        = { transform = "keep", reason = "needed for regional tests", quasi_identifier = true }
birth_date = { transform = "keep", reason = "needed for age tests", quasi_identifier = true }
gender     = { transform = "keep", reason = "needed for reports", quasi_identifier = true }

[tables."public.tickets".columns]
id   = { transform = "keep", reason = "surrogate key" }
body = { transform = "keep", reason = "believed to be technical" }
"#;

const SOUND_POLICY: &str = r#"version = 1
[tables."public.customers".columns]
id         = { transform = "keep", reason = "surrogate key" }
email      = { transform = "hash" }
phone      = { transform = "redact" }
notes      = { transform = "null" }
profile    = { transform = "null" }
zip        = { transform = "redact", quasi_identifier = true }
birth_date = { transform = "null", quasi_identifier = true }
gender     = { transform = "keep", reason = "needed for reports", quasi_identifier = true }

[tables."public.tickets".columns]
id   = { transform = "keep", reason = "surrogate key" }
body = { transform = "null" }
"#;

fn column<'a>(
    r: &'a Report,
    table: &str,
    column: &str,
) -> &'a understudy::risk::report::ColumnReport {
    r.tables
        .iter()
        .find(|t| t.name == table)
        .and_then(|t| t.columns.iter().find(|c| c.name == column))
        .unwrap_or_else(|| panic!("no {table}.{column} in the report"))
}

fn has(list: &[String], needle: &str) -> bool {
    list.iter().any(|x| x.contains(needle))
}

#[test]
fn planted_problems_fail_and_a_sound_policy_passes() {
    let db = TestDb::create("risk_e2e");
    db.exec(SETUP);
    let dump = db.pg_dump(&[]);

    let r = check(&dump, LEAKY_POLICY);
    assert_eq!(r.verdict, "fail");
    assert!(!r.verdict().passes());
    // PII in a kept column.
    assert!(
        has(
            &r.reasons,
            "public.customers.notes is kept but holds email (10 of 40 sampled values"
        ),
        "{:#?}",
        r.reasons
    );
    assert!(
        has(&r.reasons, "public.customers.notes is kept but holds phone"),
        "{:#?}",
        r.reasons
    );
    // E-mails inside JSON are detected.
    let profile = column(&r, "public.customers", "profile");
    assert!(
        profile
            .pii_detections
            .iter()
            .any(|d| d.detector == "email" && d.matches == 40),
        "{profile:#?}"
    );
    // The leak into another table, with its table, column and count.
    assert!(
        has(
            &r.reasons,
            "original values of `public.customers.email` found in `public.tickets.body` (3 rows)"
        ),
        "{:#?}",
        r.reasons
    );
    let email = column(&r, "public.customers", "email");
    assert!(
        email
            .leaks
            .iter()
            .any(|l| l.found_in == "public.tickets.body" && l.rows == 3),
        "{:#?}",
        email.leaks
    );
    assert_eq!(email.unchanged_fraction, Some(0.0));
    // Unique quasi-identifiers.
    let q = r
        .tables
        .iter()
        .find(|t| t.name == "public.customers")
        .unwrap()
        .quasi_identifiers
        .as_ref()
        .unwrap();
    assert_eq!((q.k, q.sample_uniques), (1, 40));
    assert!(
        has(
            &r.reasons,
            "public.customers: quasi-identifiers (zip, birth_date, gender) give k = 1"
        ),
        "{:#?}",
        r.reasons
    );
    // The comment with a test card number is a passthrough finding, masked.
    assert!(
        r.passthrough.iter().any(|d| d.detector == "card_number"),
        "{:#?}",
        r.passthrough
    );
    let json = r.to_json();
    for raw in [
        "customer4@example.com",
        "4111 1111 1111 1111",
        "+1 202 555 0104",
    ] {
        assert!(!json.contains(raw), "the report shows a raw value");
    }

    let r = check(&dump, SOUND_POLICY);
    assert!(r.reasons.is_empty(), "{:#?}", r.reasons);
    assert_eq!(r.verdict, "pass");
    assert!(r.verdict().accept().is_ok());
    let q = r
        .tables
        .iter()
        .find(|t| t.name == "public.customers")
        .unwrap()
        .quasi_identifiers
        .as_ref()
        .unwrap();
    assert_eq!(q.k, 20);
}
