//! Tests for `bucket`: table-driven cases, bind refusals, then properties.

use proptest::prelude::*;

use super::super::testutil::{bind, run, try_bind, value};

#[test]
fn table() {
    for (params, sql, input, want) in [
        (r#"width = "10""#, "integer", "57", "50"),
        (r#"width = "10""#, "integer", "-1", "-10"),
        (r#"width = "10", output = "mid""#, "integer", "57", "55"),
        (
            r#"width = "50", min = "0""#,
            "numeric(12,2)",
            "73.99",
            "50.00",
        ),
        (
            r#"width = "0.25", min = "-1000""#,
            "numeric(12,2)",
            "1.99",
            "1.75",
        ),
        (
            r#"width = "5", output = "mid", min = "0", max = "1000""#,
            "numeric(12,2)",
            "7.00",
            "7.50",
        ),
        (
            r#"width = "5", output = "mid", min = "0", max = "1000""#,
            "numeric(12,2)",
            "-7.00",
            "2.50",
        ),
        (r#"width = 100"#, "money", "$1,234.56", "1200.00"),
        (r#"boundaries = ["0", "18", "65"]"#, "smallint", "30", "18"),
        (r#"boundaries = ["0", "18", "65"]"#, "smallint", "-4", "0"),
        (r#"boundaries = ["0", "18", "65"]"#, "smallint", "90", "65"),
        (
            r#"boundaries = ["0", "18", "65"], output = "mid""#,
            "smallint",
            "30",
            "41",
        ),
        (
            r#"boundaries = ["0", "18", "65"], output = "label""#,
            "text",
            "30",
            "[18,65)",
        ),
        (
            r#"boundaries = ["0", "18", "65"], output = "label""#,
            "text",
            "70",
            "[65,)",
        ),
        (r#"log_base = 10"#, "bigint", "4321", "1000"),
        (r#"log_base = 10"#, "bigint", "-4321", "-1000"),
        (r#"log_base = 10"#, "bigint", "0", "0"),
        (r#"log_base = 2"#, "numeric(10,2)", "0.50", "0.00"),
        (
            r#"log_base = 10, output = "label""#,
            "text",
            "-42",
            "(-100,-10]",
        ),
        (
            r#"width = "10", output = "label""#,
            "varchar(20)",
            "57.5",
            "[50,60)",
        ),
        (r#"width = "10", max = "100""#, "integer", "12345", "100"),
        (r#"width = "10", min = "0""#, "integer", "-12345", "0"),
        (r#"width = "10""#, "numeric", "57.123", "50"),
        (r#"width = "10", min = "0""#, "numeric(12,2)", "NaN", "NaN"),
        (r#"width = "10""#, "integer", "-2147483648", "-2147483648"),
        (
            r#"width = "1000", output = "mid""#,
            "smallint",
            "32767",
            "32500",
        ),
    ] {
        let t = bind(&format!("transform = \"bucket\", {params}"), sql);
        assert_eq!(value(&*t, input), want, "{params} on {sql}: {input}");
    }
    let t = bind(r#"transform = "bucket", width = "10""#, "integer");
    assert!(run(&*t, "12a", None).is_err());
    let t = bind(
        r#"transform = "bucket", width = "1000", output = "label""#,
        "varchar(5)",
    );
    assert!(
        run(&*t, "123456", None).is_err(),
        "a label longer than varchar(5)"
    );
}

#[test]
fn refusals() {
    for (params, sql) in [
        (r#"width = "10", log_base = 10"#, "integer"),
        (r#"output = "lower""#, "integer"),
        (r#"width = "10", output = "label""#, "integer"),
        (r#"width = "0""#, "integer"),
        (r#"width = "0.5""#, "integer"),
        (r#"width = "0.001""#, "numeric(12,2)"),
        (r#"boundaries = ["5", "1"]"#, "integer"),
        (r#"boundaries = []"#, "integer"),
        (r#"log_base = 1"#, "integer"),
        (r#"width = "10""#, "date"),
        (r#"width = "10", min = "5", max = "1""#, "integer"),
        // numeric(3,0) holds ±999; -999 would land in [-1200, -900): does not fit.
        (r#"width = "300""#, "numeric(3,0)"),
        (
            r#"width = "300", output = "mid", min = "-900""#,
            "numeric(3,0)",
        ),
    ] {
        let rule = format!("transform = \"bucket\", {params}");
        assert!(
            try_bind(&rule, sql, 1).is_err(),
            "{params} on {sql} should be refused"
        );
    }
    // Clamping makes the same policy fit.
    assert!(try_bind(
        r#"transform = "bucket", width = "300", min = "-900""#,
        "numeric(3,0)",
        1
    )
    .is_ok());
}

fn num(s: &str) -> i128 {
    let (v, scale) = super::super::numeric::parse_decimal(s.as_bytes()).unwrap();
    super::super::numeric::rescale_floor(v, scale, 2).unwrap()
}

proptest! {
    #[test]
    fn monotone_scaled_and_within_typmod(
        a in -9_999_999_999i64..=9_999_999_999,
        b in -9_999_999_999i64..=9_999_999_999,
        mode in 0usize..4,
    ) {
        let params = [
            r#"width = "25.50", min = "-9999000000""#,
            r#"width = "1000", output = "mid", min = "-9999000000""#,
            r#"boundaries = ["-100", "0", "0.5", "100", "10000"]"#,
            r#"log_base = 10, max = "99999999.99", min = "-99999999.99""#,
        ][mode];
        let t = bind(&format!("transform = \"bucket\", {params}"), "numeric(12,2)");
        let fmt = |v: i64| {
            let mut o = Vec::new();
            super::super::numeric::write_scaled(v.into(), 2, &mut o);
            String::from_utf8(o).unwrap()
        };
        let (lo, hi) = (a.min(b), a.max(b));
        let (x, y) = (value(&*t, &fmt(lo)), value(&*t, &fmt(hi)));
        prop_assert!(num(&x) <= num(&y), "{} -> {}, {} -> {}", fmt(lo), x, fmt(hi), y);
        for out in [&x, &y] {
            prop_assert_eq!(out.split('.').nth(1).map(str::len), Some(2));
            prop_assert!(num(out).abs() <= 999_999_999_999);
        }
        prop_assert_eq!(&x, &value(&*t, &fmt(lo)));
    }

    #[test]
    fn integer_lower_is_a_multiple_at_or_below(v in any::<i32>()) {
        let t = bind(r#"transform = "bucket", width = "7", min = "-2147483646""#, "integer");
        let out: i64 = value(&*t, &v.to_string()).parse().unwrap();
        let v = i64::from(v.max(-2_147_483_646));
        prop_assert!(out <= v && v - out < 7 && out % 7 == 0);
    }
}
