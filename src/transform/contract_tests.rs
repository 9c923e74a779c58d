//! The contract every value transform keeps, checked over one table of (rule, type, values):
//! deterministic, NULL stays NULL, keyed transforms change with the key, and output is valid for
//! the column (checked by re-reading it with the column's own parser where one exists here).

use proptest::prelude::*;

use super::testutil::try_bind;
use super::{Applied, RowContext};

/// (rule, column type, keyed, sample inputs).
const CASES: &[(&str, &str, bool, &[&str])] = &[
    (
        r#"transform = "bucket", width = "50", min = "0""#,
        "numeric(12,2)",
        false,
        &["12.34", "999.99", "0.00"],
    ),
    (
        r#"transform = "fake", kind = "full_name""#,
        "varchar(20)",
        true,
        &["Alice Smith", "Bob", "x"],
    ),
    (
        r#"transform = "fake", kind = "company""#,
        "text",
        true,
        &["ACME Corp", "Initech", "y"],
    ),
    (
        r#"transform = "generalize", prefix = 3"#,
        "char(5)",
        false,
        &["94103", "10001"],
    ),
    (
        r#"transform = "generalize_date", unit = "month""#,
        "date",
        false,
        &["2020-05-17", "1999-12-31"],
    ),
    (
        r#"transform = "json", scrub = true"#,
        "jsonb",
        true,
        &[r#"{"a": "mail me: x1@y.org", "b": [1, "10.1.2.3"]}"#],
    ),
    (
        r#"transform = "mask", keep_last = 2"#,
        "varchar(30)",
        false,
        &["secret-value", "ab"],
    ),
    (
        r#"transform = "noise", additive = "1000""#,
        "bigint",
        true,
        &["123456789", "-5", "0"],
    ),
    (
        r#"transform = "shift_date", max = "30d""#,
        "timestamp with time zone",
        true,
        &["2020-01-01 10:00:00+00", "2021-06-30 23:59:59.999+05:30"],
    ),
    (
        r#"transform = "shift_date", max = "30d""#,
        "date",
        true,
        &["2020-01-01", "1900-02-28"],
    ),
    (
        r#"transform = "bucket", width = "10""#,
        "integer[]",
        false,
        &["{1,22,NULL}", "{}"],
    ),
];

fn out(rule: &str, sql: &str, k: u8, input: &str) -> Option<String> {
    let t = try_bind(rule, sql, k).unwrap_or_else(|e| panic!("{rule} on {sql}: {e}"));
    let mut buf = Vec::new();
    match t.apply(input.as_bytes(), &RowContext::default(), &mut buf) {
        Ok(Applied::Value) => Some(String::from_utf8(buf).unwrap()),
        Ok(Applied::Null) => None,
        Err(e) => panic!("{rule} on {sql} refused a valid value: {}", e.0),
    }
}

#[test]
fn null_stays_null_everywhere() {
    for (rule, sql, _, _) in CASES {
        let t = try_bind(rule, sql, 1).unwrap();
        assert_eq!(t.apply_null(&mut Vec::new()), Ok(Applied::Null), "{rule}");
    }
}

#[test]
fn deterministic_keyed_and_changed() {
    for (rule, sql, keyed, inputs) in CASES {
        for input in *inputs {
            let a = out(rule, sql, 1, input);
            assert_eq!(a, out(rule, sql, 1, input), "{rule}: not deterministic");
            if *keyed {
                assert_ne!(
                    a,
                    out(rule, sql, 2, input),
                    "{rule}: the key does not matter for {input}"
                );
                assert_ne!(a.as_deref(), Some(*input), "{rule}: {input} unchanged");
            }
        }
    }
}

#[test]
fn outputs_fit_their_column() {
    for (rule, sql, _, inputs) in CASES {
        for input in *inputs {
            let v = out(rule, sql, 3, input).unwrap();
            if let Some(n) = sql.strip_prefix("varchar(").or(sql.strip_prefix("char(")) {
                let n: usize = n.trim_end_matches(')').parse().unwrap();
                assert!(v.chars().count() <= n, "{rule}: {v:?} longer than {sql}");
            }
            if sql.starts_with("json") {
                assert!(serde_json::from_str::<serde_json::Value>(&v).is_ok(), "{v}");
            }
            if sql.starts_with("date") || sql.starts_with("timestamp") {
                assert!(
                    super::datetime::parse_pg(v.as_bytes(), sql.starts_with("timestamp")).is_some(),
                    "{v}"
                );
            }
        }
    }
}

proptest! {
    #[test]
    fn generalize_date_is_idempotent_and_not_later(day in -500_000i64..2_000_000, unit in 0usize..5) {
        let (y, m, d) = super::datetime::civil_from_days(day);
        prop_assume!(y >= 1);
        let input = format!("{y:04}-{m:02}-{d:02}");
        let rule = format!(
            "transform = \"generalize_date\", unit = \"{}\"",
            ["year", "quarter", "month", "week", "day"][unit]
        );
        let once = out(&rule, "date", 1, &input).unwrap();
        prop_assert_eq!(out(&rule, "date", 1, &once).unwrap(), once.clone());
        let days = |s: &str| super::datetime::parse_pg(s.as_bytes(), false).map(|t| t.days);
        prop_assert!(days(&once) <= days(&input));
        prop_assert!(days(&input).unwrap() - days(&once).unwrap() < 366);
    }
}
