//! The checker fed by hand: each verdict reason produced, and not produced, by a small feed.

use super::*;
use crate::risk::report::Report;

fn key() -> MasterKey {
    MasterKey::from_bytes([3; 32])
}

fn col(name: &str, rule: &str) -> ColumnSpec {
    ColumnSpec {
        name: name.into(),
        rule: rule.into(),
        changes_values: rule != "keep",
        keep_reason: (rule == "keep").then(|| "reviewed".into()),
        flags: Flags::default(),
    }
}

fn qi(mut c: ColumnSpec) -> ColumnSpec {
    c.flags.quasi_identifier = true;
    c
}

fn sensitive(mut c: ColumnSpec) -> ColumnSpec {
    c.flags.sensitive = true;
    c
}

fn table(name: &str, columns: Vec<ColumnSpec>) -> TableSpec {
    TableSpec {
        name: QualifiedName::new("public", name),
        columns,
        jointly_known: Vec::new(),
    }
}

type Row = Vec<Option<String>>;

fn s(v: &str) -> Option<String> {
    Some(v.to_owned())
}

/// Feeds rows the way the pipeline does: `needs` decides what is decoded, rows are cut into
/// slices of `slice` rows, each slice gets its own accumulator, closed, and the block is
/// queued to be merged later. (`tests/risk_e2e.rs` merges unclosed accumulators one by one,
/// which `merge` closes itself.)
fn feed(ch: &mut Checker, name: &str, columns: &[&str], rows: &[(Row, Row)], slice: usize) {
    let t = QualifiedName::new("public", name);
    let columns: Vec<String> = columns.iter().map(|c| c.to_string()).collect();
    let needs = ch.needs(&t, &columns);
    let mut accs = Vec::new();
    for chunk in rows.chunks(slice.max(1)) {
        let mut acc = ch.accumulator(&t, &columns);
        for (orig, out) in chunk {
            let pick = |v: &Row, want: &[bool]| -> Vec<Option<Vec<u8>>> {
                v.iter()
                    .zip(want)
                    .map(|(c, &w)| {
                        if w {
                            c.clone().map(String::into_bytes)
                        } else {
                            None
                        }
                    })
                    .collect()
            };
            let (o, u) = (pick(orig, &needs.original), pick(out, &needs.output));
            let o: Vec<Option<&[u8]>> = o.iter().map(|c| c.as_deref()).collect();
            let u: Vec<Option<&[u8]>> = u.iter().map(|c| c.as_deref()).collect();
            acc.row(&o, &u);
        }
        // As the pipeline does: every slice of a block closed on its own thread, the block
        // queued and merged while the next one is processed.
        acc.close();
        accs.push(acc);
    }
    ch.queue(accs);
}

/// Rows of a table whose kept columns have output = original.
fn kept(rows: Vec<Row>) -> Vec<(Row, Row)> {
    rows.into_iter().map(|r| (r.clone(), r)).collect()
}

fn has(list: &[String], needle: &str) -> bool {
    list.iter().any(|x| x.contains(needle))
}

fn checker(tables: Vec<TableSpec>, config: RiskConfig) -> Checker {
    Checker::from_specs(config, tables, &key(), None)
}

#[test]
fn validated_pii_in_a_kept_column_fails_unless_allowed() {
    let run = |notes: &[&str], config: RiskConfig| -> Report {
        let mut ch = checker(
            vec![table("t", vec![col("id", "keep"), col("notes", "keep")])],
            config,
        );
        let rows: Vec<Row> = notes
            .iter()
            .enumerate()
            .map(|(i, n)| vec![s(&i.to_string()), s(n)])
            .collect();
        feed(&mut ch, "t", &["id", "notes"], &kept(rows), 2);
        ch.finish()
    };
    let planted = [
        "mail jane.roe@example.com",
        "call +1 202 555 0143",
        "fine",
        "ok",
    ];
    let r = run(&planted, RiskConfig::default());
    assert!(
        has(
            &r.reasons,
            "public.t.notes is kept but holds email (1 of 4 sampled values"
        ),
        "{:#?}",
        r.reasons
    );
    assert!(has(&r.reasons, "holds phone"), "{:#?}", r.reasons);
    let notes = &r.tables[0].columns[1];
    assert_eq!(notes.pii_detections.len(), 2);
    assert_eq!(notes.pii_detections[0].share, 0.25);
    let allowed = RiskConfig {
        allow_pii_in_kept_columns: true,
        ..RiskConfig::default()
    };
    let r = run(&planted, allowed);
    assert!(
        r.reasons.is_empty() && has(&r.warnings, "is kept and holds email"),
        "{r:#?}"
    );
    let r = run(&["fine", "nothing to see"], RiskConfig::default());
    assert!(r.reasons.is_empty(), "{:#?}", r.reasons);
    assert_eq!(r.verdict, "pass");
}

#[test]
fn leaks_across_tables_within_a_table_and_unchecked_pairs() {
    let customers = table(
        "customers",
        vec![col("email", "hash"), col("notes", "keep")],
    );
    let orders = table("orders", vec![col("id", "keep"), col("note", "keep")]);
    let cust_rows = vec![
        (
            vec![s("ann.lee@example.com"), s("vip")],
            vec![s("9f86d0"), s("vip")],
        ),
        (
            vec![s("bo.chan@example.com"), s("see ann.lee@example.com too")],
            vec![s("a1b2c3"), s("see ann.lee@example.com too")],
        ),
        (
            vec![s("cy.diaz@example.com"), s("-")],
            vec![s("c3d4e5"), s("-")],
        ),
        // The leak in row 0's slice comes from a source in a later slice of the same table.
        (
            vec![s("di.egan@example.com"), s("nothing")],
            vec![s("d4e5f6"), s("nothing")],
        ),
    ];
    let mut cust_rows = cust_rows;
    cust_rows[0].1[1] = s("forwarded from di.egan@example.com");
    cust_rows[0].0[1] = s("forwarded from di.egan@example.com");
    let order_rows = kept(vec![
        vec![s("1"), s("Customer ANN.LEE@example.com asked")],
        vec![s("2"), s("contact bo.chan@example.com")],
        vec![s("3"), s("no contact")],
    ]);
    // Customers first: both leaks are found.
    let mut ch = checker(
        vec![customers.clone(), orders.clone()],
        RiskConfig::default(),
    );
    feed(&mut ch, "customers", &["email", "notes"], &cust_rows, 1);
    feed(&mut ch, "orders", &["id", "note"], &order_rows, 2);
    let r = ch.finish();
    assert!(
        has(
            &r.reasons,
            "original values of `public.customers.email` found in `public.orders.note` (2 rows)"
        ),
        "{:#?}",
        r.reasons
    );
    assert!(
        has(&r.reasons, "found in `public.customers.notes` (2 rows)"),
        "{:#?}",
        r.reasons
    );
    assert!(r.unchecked_leaks.is_empty());
    let email = &r.tables[0].columns[0];
    assert_eq!(email.leaks.len(), 2);
    // Orders first: the cross-table pair cannot be checked in one pass, and says so.
    let mut ch = checker(
        vec![customers.clone(), orders.clone()],
        RiskConfig::default(),
    );
    feed(&mut ch, "orders", &["id", "note"], &order_rows, 2);
    feed(&mut ch, "customers", &["email", "notes"], &cust_rows, 1);
    let r = ch.finish();
    assert!(
        !has(&r.reasons, "found in `public.orders.note`"),
        "{:#?}",
        r.reasons
    );
    assert_eq!(r.unchecked_leaks.len(), 1);
    assert_eq!(r.unchecked_leaks[0].source, "public.customers.email");
    assert_eq!(r.unchecked_leaks[0].table, "public.orders");
    assert!(has(&r.warnings, "could not be looked for in public.orders"));
    // Within max_leaks: warnings only.
    let lenient = RiskConfig {
        max_leaks: 10,
        allow_pii_in_kept_columns: true,
        ..RiskConfig::default()
    };
    let mut ch = checker(vec![customers, orders], lenient);
    feed(&mut ch, "customers", &["email", "notes"], &cust_rows, 4);
    feed(&mut ch, "orders", &["id", "note"], &order_rows, 4);
    let r = ch.finish();
    assert!(
        r.reasons.is_empty() && has(&r.warnings, "original values of"),
        "{r:#?}"
    );
}

#[test]
fn a_second_read_checks_the_pairs_one_pass_could_not_and_counts_nothing_twice() {
    let customers = table(
        "customers",
        vec![col("email", "hash"), col("notes", "keep")],
    );
    let orders = table("orders", vec![col("id", "keep"), col("note", "keep")]);
    let cust_rows = vec![
        (
            vec![s("ann.lee@example.com"), s("vip")],
            vec![s("9f86d0"), s("vip")],
        ),
        (
            vec![s("bo.chan@example.com"), s("-")],
            vec![s("a1b2c3"), s("-")],
        ),
    ];
    let order_rows = kept(vec![
        vec![s("1"), s("Customer ANN.LEE@example.com asked")],
        vec![
            s("2"),
            s("contact bo.chan@example.com or ann.lee@example.com"),
        ],
        vec![s("3"), s("no contact")],
    ]);
    let first_pass = || {
        let mut ch = checker(
            vec![customers.clone(), orders.clone()],
            RiskConfig::default(),
        );
        feed(&mut ch, "orders", &["id", "note"], &order_rows, 2);
        feed(&mut ch, "customers", &["email", "notes"], &cust_rows, 1);
        ch
    };
    let mut ch = first_pass();
    let wanted = ch.begin_second_read();
    assert_eq!(wanted, vec![(QualifiedName::new("public", "orders"), 3)]);
    // Only the text the candidates come from is asked for again.
    let needs = ch.needs(
        &QualifiedName::new("public", "orders"),
        &["id".into(), "note".into()],
    );
    assert_eq!(needs.output, vec![true, true]);
    assert_eq!(needs.original, vec![false, false]);
    assert!(ch
        .needs(
            &QualifiedName::new("public", "customers"),
            &["email".into(), "notes".into()]
        )
        .is_empty());
    feed(&mut ch, "orders", &["id", "note"], &order_rows, 2);
    assert!(ch.end_second_read().is_empty());
    let r = ch.finish();
    assert!(
        has(
            &r.reasons,
            "original values of `public.customers.email` found in `public.orders.note` (3 rows)"
        ),
        "{:#?}",
        r.reasons
    );
    assert!(r.unchecked_leaks.is_empty(), "{:#?}", r.unchecked_leaks);
    assert_eq!(r.second_read, vec!["public.orders".to_string()]);
    let orders_report = r.tables.iter().find(|t| t.name == "public.orders").unwrap();
    assert_eq!(orders_report.rows, 3, "rows are not counted again");
    let note = &orders_report.columns[1];
    assert_eq!(
        note.pii_detections[0].sampled, 3,
        "nothing is scanned again"
    );

    // A second read that sees other rows than the first is refused, and checks nothing.
    let mut ch = first_pass();
    assert_eq!(ch.begin_second_read().len(), 1);
    feed(&mut ch, "orders", &["id", "note"], &order_rows[..2], 2);
    assert_eq!(
        ch.end_second_read(),
        vec![QualifiedName::new("public", "orders")]
    );
    assert_eq!(ch.finish().unchecked_leaks.len(), 1);

    // In dump order, there is nothing to read again.
    let mut ch = checker(vec![customers, orders], RiskConfig::default());
    feed(&mut ch, "customers", &["email", "notes"], &cust_rows, 1);
    feed(&mut ch, "orders", &["id", "note"], &order_rows, 2);
    assert!(ch.begin_second_read().is_empty());
    let r = ch.finish();
    assert!(has(&r.reasons, "found in `public.orders.note` (3 rows)"));
    assert!(r.second_read.is_empty());
}

#[test]
fn originals_released_unchanged_are_not_leak_sources() {
    // A scrubbed JSON column: row 0's document was changed (its e-mail replaced), row 1's was
    // released as it was. Both documents' strings appear in a kept column of another table.
    let events = table("events", vec![col("payload", "json")]);
    let notes = table("notes", vec![col("body", "keep")]);
    let event_rows = vec![
        (
            vec![s(
                r#"{"to": "ann.lee@example.com", "ua": "Mozilla/5.0 Example/101"}"#,
            )],
            vec![s(
                r#"{"to": "x7q.k2p@example.com", "ua": "Mozilla/5.0 Example/101"}"#,
            )],
        ),
        (
            vec![s(r#"{"ref": "campaign-17-spring"}"#)],
            vec![s(r#"{"ref": "campaign-17-spring"}"#)],
        ),
    ];
    let note_rows = kept(vec![
        vec![s("mail ann.lee@example.com")],
        vec![s("came from campaign-17-spring")],
    ]);
    let mut ch = checker(vec![events, notes], RiskConfig::default());
    feed(&mut ch, "events", &["payload"], &event_rows, 1);
    feed(&mut ch, "notes", &["body"], &note_rows, 1);
    let r = ch.finish();
    let payload = &r.tables[0].columns[0];
    // The replaced e-mail is found; the string of the unchanged document is not a leak: it
    // is released in `payload` itself.
    assert_eq!(payload.leaks.len(), 1, "{:#?}", payload.leaks);
    assert_eq!(payload.leaks[0].found_in, "public.notes.body");
    assert_eq!(payload.leaks[0].rows, 1);
    assert_eq!(payload.unchanged_fraction, Some(0.5));
}

#[test]
fn unchanged_values_of_a_changing_rule_fail_above_the_threshold() {
    let run = |unchanged: usize| -> Report {
        let mut ch = checker(
            vec![table("t", vec![col("code", "tokenize")])],
            RiskConfig::default(),
        );
        let rows: Vec<(Row, Row)> = (0..20)
            .map(|i| {
                let o = format!("CODE-{i:04}");
                let u = if i < unchanged {
                    o.clone()
                } else {
                    format!("TOK-{i}")
                };
                (vec![s(&o)], vec![s(&u)])
            })
            .chain([(vec![None], vec![None])])
            .collect();
        feed(&mut ch, "t", &["code"], &rows, 7);
        ch.finish()
    };
    let r = run(2);
    assert!(
        has(
            &r.reasons,
            "public.t.code: `tokenize` left 10.0% of non-NULL values unchanged (max 1.0%)"
        ),
        "{:#?}",
        r.reasons
    );
    assert_eq!(r.tables[0].columns[0].unchanged_fraction, Some(0.1));
    let r = run(0);
    assert!(r.reasons.is_empty(), "{:#?}", r.reasons);
    assert_eq!(r.tables[0].columns[0].unchanged_fraction, Some(0.0));
}

/// A deterministic generator for synthetic values (SplitMix64).
struct Gen(u64);
impl Gen {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % (hi - lo + 1) as u64) as i64
    }
}

fn timestamp(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // civil_from_days (Hinnant), for test data only.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// 12,000 payments over two years: `created_at` shifted by up to `shift` seconds, `amount`
/// bucketed to `bucket` (1 = exact, a kept column).
fn payments(shift: i64, bucket: i64) -> Report {
    let amount = if bucket == 1 {
        col("amount", "keep")
    } else {
        col("amount", "bucket")
    };
    let mut spec = table("payments", vec![col("created_at", "shift_date"), amount]);
    spec.jointly_known = vec![vec!["created_at".into(), "amount".into()]];
    let mut ch = checker(vec![spec], RiskConfig::default());
    let mut g = Gen(42);
    let start = 1_640_995_200; // 2022-01-01
    let rows: Vec<(Row, Row)> = (0..12_000)
        .map(|_| {
            let t = g.range(start, start + 2 * 365 * 86_400);
            let a = g.range(1, 500);
            let shifted = t + g.range(-shift, shift);
            let released = if bucket == 1 { a } else { a / bucket * bucket };
            (
                vec![s(&timestamp(t)), s(&a.to_string())],
                vec![s(&timestamp(shifted)), s(&released.to_string())],
            )
        })
        .collect();
    feed(&mut ch, "payments", &["created_at", "amount"], &rows, 1000);
    ch.finish()
}

#[test]
fn a_timestamp_shifted_by_a_minute_next_to_exact_amounts_fails() {
    let r = payments(60, 1);
    let created = &r.tables[0].columns[0];
    let link = created.linkage.as_ref().unwrap();
    assert!(link.reidentification_rate > 0.5, "{link:?}");
    assert!(link.spearman.unwrap() > 0.99);
    assert_eq!(link.tested, 10_000);
    assert_eq!(link.candidates, 12_000);
    assert!(r.tables[0].jointly_known[0].reidentification_rate > 0.9);
    assert!(
        has(
            &r.reasons,
            "public.payments.created_at: `shift_date` values can be matched back"
        ),
        "{:#?}",
        r.reasons
    );
    assert!(
        has(
            &r.reasons,
            "public.payments (created_at, amount) known together"
        ),
        "{:#?}",
        r.reasons
    );
}

#[test]
fn a_thirty_day_shift_next_to_amounts_bucketed_by_ten_passes() {
    let r = payments(30 * 86_400, 10);
    let t = &r.tables[0];
    let rates: Vec<f64> = t
        .columns
        .iter()
        .map(|c| c.linkage.as_ref().unwrap().reidentification_rate)
        .chain(t.jointly_known.iter().map(|j| j.reidentification_rate))
        .collect();
    assert!(rates.iter().all(|&x| x <= 0.2), "{rates:?}");
    assert!(r.reasons.is_empty(), "{:#?}", r.reasons);
}

fn people(copies: usize) -> Vec<(Row, Row)> {
    let zips = ["02138", "02139", "94110", "10001", "60614", "73301"];
    let mut rows = Vec::new();
    for i in 0..60 {
        let row = vec![
            s(&i.to_string()),
            s(zips[i % zips.len()]),
            s(&format!("19{:02}-0{}-1{}", 50 + i % 40, 1 + i % 9, i % 10)),
            s(if i % 2 == 0 { "F" } else { "M" }),
            s(["flu", "asthma", "none"][i % 3]),
            s(["basic", "pro"][i % 2]),
        ];
        for _ in 0..copies {
            rows.push((row.clone(), row.clone()));
        }
    }
    rows
}

fn people_checker(config: RiskConfig) -> Checker {
    checker(
        vec![table(
            "people",
            vec![
                col("id", "keep"),
                qi(col("zip", "keep")),
                qi(col("birth_date", "keep")),
                qi(col("gender", "keep")),
                sensitive(col("diagnosis", "keep")),
                col("plan", "keep"),
            ],
        )],
        config,
    )
}

const PEOPLE: &[&str] = &["id", "zip", "birth_date", "gender", "diagnosis", "plan"];

#[test]
fn unique_quasi_identifiers_fail_k_average_risk_and_records_at_risk() {
    let config = RiskConfig {
        sampling_fraction: Some(0.01),
        ..RiskConfig::default()
    };
    let mut ch = people_checker(config);
    feed(&mut ch, "people", PEOPLE, &people(1), 16);
    let r = ch.finish();
    let q = r.tables[0].quasi_identifiers.as_ref().unwrap();
    assert_eq!((q.k, q.sample_uniques, q.records), (1, 60, 60));
    assert_eq!(q.average_risk, 1.0);
    assert_eq!(q.records_at_risk, 1.0);
    assert!(q
        .population_uniqueness
        .is_some_and(|p| (0.0..=1.0).contains(&p)));
    assert_eq!(q.class_sizes, vec![[1, 60]]);
    assert!(
        has(
            &r.reasons,
            "public.people: quasi-identifiers (zip, birth_date, gender) give k = 1 (min_k 5)"
        ),
        "{:#?}",
        r.reasons
    );
    assert!(has(&r.reasons, "average re-identification risk of 1.000"));
    assert!(has(&r.reasons, "100.0% of records have a risk above 0.20"));
    assert_eq!(q.diversity[0].distinct_l, 1);
    assert!(has(
        &r.warnings,
        "public.people.diagnosis: some quasi-identifier class has a single value"
    ));
    assert!(!q.risky_combinations.is_empty());
    assert!(
        q.risky_combinations[0].columns.iter().all(|c| c != "id"),
        "ids are not low-cardinality"
    );
}

#[test]
fn large_classes_pass_the_quasi_identifier_checks() {
    let mut ch = people_checker(RiskConfig::default());
    feed(&mut ch, "people", PEOPLE, &people(6), 50);
    let r = ch.finish();
    let q = r.tables[0].quasi_identifiers.as_ref().unwrap();
    assert_eq!((q.k, q.sample_uniques), (6, 0));
    assert!(q.average_risk <= 0.2 && q.records_at_risk == 0.0);
    assert!(r.reasons.is_empty(), "{:#?}", r.reasons);
    assert!(q.population_uniqueness.is_none());
}

#[test]
fn undeclared_quasi_identifiers_and_one_to_one_rules_are_warnings() {
    let mut ch = checker(
        vec![table(
            "t",
            vec![qi(col("zip", "hash")), col("gender", "keep")],
        )],
        RiskConfig {
            min_k: 1,
            max_average_risk: 1.0,
            max_records_at_risk: 1.0,
            ..RiskConfig::default()
        },
    );
    let rows: Vec<(Row, Row)> = (0..10)
        .map(|i| {
            (
                vec![s(&format!("0213{i}")), s("F")],
                vec![s(&format!("h{i}")), s("F")],
            )
        })
        .collect();
    feed(&mut ch, "t", &["zip", "gender"], &rows, 3);
    let r = ch.finish();
    assert!(r.reasons.is_empty(), "{:#?}", r.reasons);
    assert!(has(
        &r.warnings,
        "public.t.gender looks like a quasi-identifier"
    ));
    assert!(has(&r.warnings, "public.t.zip: `hash` is one-to-one"));
}

#[test]
fn passthrough_findings_are_reported_masked_and_do_not_fail() {
    let mut ch = checker(vec![], RiskConfig::default());
    ch.passthrough(b"COMMENT ON TABLE t IS 'test card 4111 1111 1111 1111';");
    ch.passthrough(b"CREATE VIEW v AS SELECT 1;");
    let r = ch.finish();
    assert_eq!(r.passthrough.len(), 1);
    let d = &r.passthrough[0];
    assert_eq!(
        (d.detector.as_str(), d.matches, d.sampled),
        ("card_number", 1, 2)
    );
    assert!(!r.to_json().contains("4111 1111 1111 1111"));
    assert!(r.reasons.is_empty());
}

#[test]
fn needs_ask_only_for_what_is_read() {
    // No text-replacing rule and no QIs: kept columns are read only for the detector sample.
    let mut ch = Checker::from_specs(
        RiskConfig::default(),
        vec![table("t", vec![col("a", "keep"), col("b", "shift_date")])],
        &key(),
        Some(2),
    );
    let t = QualifiedName::new("public", "t");
    let cols = vec!["a".to_string(), "b".to_string(), "unplanned".to_string()];
    let n = ch.needs(&t, &cols);
    assert_eq!(n.original, [false, true, false]);
    assert_eq!(n.output, [true, true, false]);
    feed(
        &mut ch,
        "t",
        &["a", "b"],
        &kept(vec![vec![s("x"), s("2024-01-01")]; 3]),
        1,
    );
    // Queued blocks are not seen until merged (the pipeline merges one block behind).
    assert_eq!(ch.needs(&t, &cols).output, [true, true, false]);
    ch.merge_queued();
    let n = ch.needs(&t, &cols);
    assert_eq!(n.output, [false, true, false], "sample exhausted");
    assert!(ch
        .needs(&QualifiedName::new("public", "other"), &cols)
        .is_empty());
}

#[test]
fn reports_hold_no_raw_values() {
    let mut ch = people_checker(RiskConfig::default());
    feed(&mut ch, "people", PEOPLE, &people(1), 10);
    let mut rows = people(1);
    rows[0].0[5] = s("reach me at secret.person@example.com or 202-555-0143");
    rows[0].1[5] = rows[0].0[5].clone();
    let r = ch.finish();
    let mut ch = people_checker(RiskConfig::default());
    feed(&mut ch, "people", PEOPLE, &rows, 10);
    let r2 = ch.finish();
    for report in [r, r2] {
        let all = [
            report.to_json(),
            crate::risk::report::render_markdown(&report),
            crate::risk::report::render_html(&report),
        ];
        for text in all {
            for raw in ["02138", "secret.person", "555-0143", "1950-01-10", "asthma"] {
                assert!(!text.contains(raw), "report shows {raw}");
            }
        }
    }
}

#[test]
fn new_reads_the_policy_and_refuses_unknown_jointly_known_columns() {
    use crate::dump::schema::{Schema, Table};
    let text = "version = 1\n[risk]\nmin_k = 3\n[tables.\"public.t\"]\njointly_known = [[\"a\", \"nope\"]]\n[tables.\"public.t\".columns]\na = { transform = \"keep\", reason = \"r\", quasi_identifier = true }\n";
    let policy = crate::policy::file::parse(std::path::Path::new("p.toml"), text).unwrap();
    let mut schema = Schema::new();
    let _ = schema.insert(Table::from_column_list(
        QualifiedName::new("public", "t"),
        vec!["a".into()],
        0,
    ));
    let resolved = crate::policy::resolve::resolve(&policy, &schema, &key()).unwrap();
    let problems = Checker::new(&policy, &resolved, &key(), None).unwrap_err();
    assert!(
        problems[0]
            .message
            .contains("`jointly_known` names column `nope`"),
        "{problems:?}"
    );
    let text = text.replace("\"nope\"", "\"a\"");
    let policy = crate::policy::file::parse(std::path::Path::new("p.toml"), &text).unwrap();
    let ch = Checker::new(&policy, &resolved, &key(), None).unwrap();
    assert_eq!(ch.config().min_k, 3);
}

/// The analysis must cost at most 30% of throughput: measures the per-row cost of the checker on
/// a realistic row (printed with `--nocapture`; meaningful in `--release`).
#[test]
fn checker_cost_per_row() {
    let spec = table(
        "customers",
        vec![
            col("id", "keep"),
            col("email", "hash"),
            col("name", "redact"),
            col("notes", "keep"),
            col("created_at", "keep"),
            col("balance", "keep"),
        ],
    );
    let mut ch = Checker::from_specs(RiskConfig::default(), vec![spec], &key(), Some(1_000));
    let rows: Vec<(Row, Row)> = (0..20_000)
        .map(|i| {
            let o = vec![
                s(&i.to_string()),
                s(&format!("user{i}@example.com")),
                s(&format!("Person Number{i}")),
                s("Customer asked about the delivery window, prefers mornings; follow up next week"),
                s("2024-03-01 10:11:12+00"),
                s("1234.56"),
            ];
            let mut u = o.clone();
            u[1] = s("3f79bb7b435b05321651daefd374cdc681dc06faa65e374e38337b88ca046dea");
            u[2] = s("REDACTED");
            (o, u)
        })
        .collect();
    let cols = ["id", "email", "name", "notes", "created_at", "balance"];
    // The first feed pays for the detector sample (1,000 values of each of 4 kept columns);
    // the second is the steady state every further row pays.
    let started = std::time::Instant::now();
    feed(&mut ch, "customers", &cols, &rows, 2_000);
    let first = started.elapsed();
    let started = std::time::Instant::now();
    feed(&mut ch, "customers", &cols, &rows, 2_000);
    let per_row = started.elapsed().as_nanos() as f64 / rows.len() as f64;
    // The test driver's own cost (building the row vectors), to subtract.
    let started = std::time::Instant::now();
    let mut n = 0usize;
    for (o, u) in &rows {
        let a: Vec<Option<&[u8]>> = o.iter().map(|c| c.as_deref().map(str::as_bytes)).collect();
        let b: Vec<Option<&[u8]>> = u.iter().map(|c| c.as_deref().map(str::as_bytes)).collect();
        n += std::hint::black_box(a.len() + b.len());
    }
    let driver = started.elapsed().as_nanos() as f64 / rows.len() as f64;
    let r = ch.finish();
    eprintln!(
        "checker cost: first 20,000 rows {:.1} ms (detector sample), then {per_row:.0} ns/row \
         (driver ~{driver:.0} ns/row of it), memory {} bytes",
        first.as_secs_f64() * 1e3,
        r.memory.total
    );
    assert!(n > 0);
    assert_eq!(r.tables[0].rows, 40_000);
}

#[test]
fn the_checker_is_sync_and_accumulators_are_send() {
    fn sync<T: Sync>() {}
    fn send<T: Send>() {}
    sync::<Checker>();
    send::<Accumulator>();
}
