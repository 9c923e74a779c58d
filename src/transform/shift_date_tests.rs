//! Tests for `shift_date`: table-driven cases, then properties.

use proptest::prelude::*;

use super::super::datetime::{days_from_civil, parse_pg};
use super::super::testutil::{bind, run, try_bind, value};
use super::parse_span;

fn secs_of(ts: &str) -> i64 {
    let t = parse_pg(ts.as_bytes(), true).unwrap();
    t.days * 86_400 + t.secs.unwrap()
}

fn days_of(d: &str) -> i64 {
    parse_pg(d.as_bytes(), false).unwrap().days
}

#[test]
fn spans() {
    assert_eq!(parse_span("60s"), Ok(60));
    assert_eq!(parse_span("72h"), Ok(259_200));
    assert_eq!(parse_span("30d"), Ok(2_592_000));
    for bad in ["", "30", "d", "-1d", "0d", "1w", "1.5d"] {
        assert!(parse_span(bad).is_err(), "{bad}");
    }
}

#[test]
fn table() {
    let t = bind(r#"transform = "shift_date", max = "30d""#, "date");
    for passthrough in ["infinity", "-infinity"] {
        assert_eq!(value(&*t, passthrough), passthrough);
    }
    assert!(run(&*t, "2020-13-01", None).is_err());
    assert!(run(&*t, "01/02/2020", None).is_err());
    let tz = bind(
        r#"transform = "shift_date", max = "72h""#,
        "timestamp with time zone",
    );
    let out = value(&*tz, "2020-01-01 10:00:00.123456+05:30");
    assert!(out.ends_with(".123456+05:30"), "{out}");
    let out = value(&*tz, "2020-01-01 10:00:00+00");
    assert!(out.ends_with("+00") && out.len() == 22, "{out}");
    // Text columns keep each value's own format.
    let text = bind(
        r#"transform = "shift_date", max = "10d", formats = ["%Y-%m-%d", "%m/%d/%Y"]"#,
        "varchar(20)",
    );
    let a = value(&*text, "2020-03-04");
    assert!(a.len() == 10 && a.as_bytes()[4] == b'-', "{a}");
    let b = value(&*text, "03/04/2020");
    assert!(b.len() == 10 && b.as_bytes()[2] == b'/', "{b}");
    assert!(run(&*text, "4 March 2020", None).is_err());
    // keep_time_of_day / keep_weekday.
    let days = bind(
        r#"transform = "shift_date", max = "30d", keep_time_of_day = true"#,
        "timestamp without time zone",
    );
    assert!(value(&*days, "2020-01-01 10:11:12").ends_with("10:11:12"));
    let weeks = bind(
        r#"transform = "shift_date", max = "60d", keep_weekday = true"#,
        "date",
    );
    let moved = days_of(&value(&*weeks, "2024-08-15")) - days_of("2024-08-15");
    assert!(moved % 7 == 0 && moved != 0);
    for (rule, sql) in [
        (r#"transform = "shift_date", max = "12h""#, "date"),
        (r#"transform = "shift_date", max = "30d""#, "integer"),
        (r#"transform = "shift_date", max = "30d""#, "text"),
        (
            r#"transform = "shift_date", max = "30d", formats = ["%Y"]"#,
            "date",
        ),
        (
            r#"transform = "shift_date", max = "30d", formats = ["%Q"]"#,
            "text",
        ),
    ] {
        assert!(try_bind(rule, sql, 1).is_err(), "{rule} on {sql}");
    }
}

#[test]
fn another_key_moves_differently() {
    let rule = r#"transform = "shift_date", max = "3650d""#;
    let (a, b) = (
        try_bind(rule, "date", 1).unwrap(),
        try_bind(rule, "date", 2).unwrap(),
    );
    let inputs: Vec<String> = (1..=200)
        .map(|i| format!("2001-{:02}-{:02}", i % 12 + 1, i % 28 + 1))
        .collect();
    let same = inputs
        .iter()
        .filter(|i| value(&*a, i) == value(&*b, i))
        .count();
    assert!(same <= 2, "{same} of 200 equal under two keys");
}

#[test]
fn per_entity_offsets_agree_across_types() {
    let rule = r#"transform = "shift_date", max = "30d", per = "customer_id", domain = "customer""#;
    let ts = bind(rule, "timestamp without time zone");
    let d = bind(&rule.replace("per", "keep_time_of_day = true, per"), "date");
    for entity in ["1", "2", "42", "99999"] {
        let a = run(&*ts, "2020-01-01 00:00:00", Some(entity))
            .unwrap()
            .unwrap();
        let b = run(&*d, "2020-01-01", Some(entity)).unwrap().unwrap();
        let secs = secs_of(&a) - secs_of("2020-01-01 00:00:00");
        let days = days_of(&b) - days_of("2020-01-01");
        assert!(
            (secs - days * 86_400).abs() < 2 * 86_400,
            "{entity}: {secs} s vs {days} d"
        );
    }
}

proptest! {
    #[test]
    fn timestamp_offsets_bounded_nonzero_and_per_entity(
        day in -100_000i64..200_000,
        sec in 0i64..86_400,
        gap in 0i64..10_000_000,
        entity in 0u32..1000,
    ) {
        let t = bind(
            r#"transform = "shift_date", max = "30d", per = "customer_id""#,
            "timestamp without time zone",
        );
        let fmt = |secs: i64| {
            let mut out = Vec::new();
            super::super::datetime::write_pg(
                &super::super::datetime::PgTime { days: secs.div_euclid(86_400), secs: Some(secs.rem_euclid(86_400)), tail: b"" },
                &mut out,
            ).unwrap();
            String::from_utf8(out).unwrap()
        };
        let first = day * 86_400 + sec;
        let (a, b) = (fmt(first), fmt(first + gap));
        let e = entity.to_string();
        let sa = run(&*t, &a, Some(&e)).unwrap().unwrap();
        let sb = run(&*t, &b, Some(&e)).unwrap().unwrap();
        let off = secs_of(&sa) - secs_of(&a);
        prop_assert!(off != 0 && off.abs() <= 30 * 86_400);
        // One offset per entity: the interval survives.
        prop_assert_eq!(secs_of(&sb) - secs_of(&sa), gap);
        prop_assert_eq!(&sa, &run(&*t, &a, Some(&e)).unwrap().unwrap());
    }

    #[test]
    fn dates_stay_dates_and_keyed(day in -700_000i64..2_000_000) {
        let (y, m, d) = super::super::datetime::civil_from_days(day);
        prop_assume!(y >= 1);
        let input = format!("{y:04}-{m:02}-{d:02}");
        let rule = r#"transform = "shift_date", max = "3650d""#;
        let a = try_bind(rule, "date", 1).unwrap();
        let b = try_bind(rule, "date", 2).unwrap();
        let out = value(&*a, &input);
        let moved = days_of(&out) - days_of(&input);
        prop_assert!(moved != 0 && moved.abs() <= 3650);
        prop_assert_eq!(days_of(&out), days_from_civil(
            out[..out.len() - 6].parse().unwrap(), out[out.len() - 5..out.len() - 3].parse().unwrap(), out[out.len() - 2..].parse().unwrap()));
        let _ = b;
    }
}
