//! Tests for `json`: paths, scrubbing, shape and validity.

use proptest::prelude::*;
use serde_json::Value;

use super::super::testutil::{bind, run, try_bind, value};
use super::parse_path;

#[test]
fn paths_parse() {
    assert!(parse_path("$.a.b").is_ok());
    assert!(parse_path("$.a[*].b").is_ok());
    assert!(parse_path("$.a[0]").is_ok());
    for bad in ["a.b", "$", "$..a", "$.a[x]", "$.a[", "$a"] {
        assert!(parse_path(bad).is_err(), "{bad}");
    }
}

#[test]
fn table() {
    let t = bind(
        r#"transform = "json", paths = { "$.contact.email" = { transform = "hash" }, "$.orders[*].total" = { transform = "bucket", width = "100" }, "$.tags[0]" = { transform = "mask" }, "$.missing.x" = { transform = "null" } }"#,
        "jsonb",
    );
    let out = value(
        &*t,
        r#"{"contact": {"email": "a@b.com", "phone": null}, "orders": [{"total": 123.45}, {"total": 77}], "tags": ["vip", "x"], "big": 123456789012345678901234567890}"#,
    );
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["contact"]["email"].as_str().unwrap().len(), 64);
    assert!(v["contact"]["phone"].is_null());
    assert_eq!(v["orders"][0]["total"].to_string(), "100");
    assert_eq!(v["orders"][1]["total"].to_string(), "0");
    assert_eq!(v["tags"], serde_json::json!(["***", "x"]));
    assert!(out.contains("123456789012345678901234567890"), "{out}");
    assert!(out.starts_with(r#"{"contact""#), "key order kept: {out}");
    assert!(run(&*t, "{not json", None).is_err());
    let obj = bind(
        r#"transform = "json", paths = { "$.a" = { transform = "hash" } }"#,
        "json",
    );
    assert!(run(&*obj, r#"{"a": {"b": 1}}"#, None).is_err());
    for (rule, sql) in [
        (r#"transform = "json""#, "jsonb"),
        (r#"transform = "json", scrub = true"#, "integer"),
        (
            r#"transform = "json", paths = { "a" = { transform = "hash" } }"#,
            "jsonb",
        ),
        (
            r#"transform = "json", paths = { "$.a" = { transform = "bucket" } }"#,
            "jsonb",
        ),
        (
            r#"transform = "json", paths = { "$.a" = { transform = "noise", additive = "1", per = "x" }, "$.b" = { transform = "noise", additive = "1", per = "y" } }"#,
            "jsonb",
        ),
    ] {
        assert!(try_bind(rule, sql, 1).is_err(), "{rule}");
    }
}

#[test]
fn nested_per_reaches_the_pipeline() {
    let rule = super::super::testutil::try_rule(
        r#"transform = "json", paths = { "$.d" = { transform = "shift_date", max = "30d", per = "customer_id" } }"#,
    )
    .unwrap();
    assert_eq!(rule.entity_column(), Some("customer_id"));
    let t = bind(
        r#"transform = "json", paths = { "$.d" = { transform = "shift_date", max = "30d", per = "customer_id", formats = ["%Y-%m-%d"] } }"#,
        "jsonb",
    );
    let a = run(&*t, r#"{"d": "2020-01-01"}"#, Some("7"))
        .unwrap()
        .unwrap();
    let b = run(&*t, r#"{"d": "2020-01-11"}"#, Some("7"))
        .unwrap()
        .unwrap();
    let day = |s: &str| chrono::NaiveDate::parse_from_str(&s[6..16], "%Y-%m-%d").unwrap();
    assert_eq!((day(&b) - day(&a)).num_days(), 10, "{a} {b}");
}

#[test]
fn scrub_keeps_shapes() {
    let t = bind(r#"transform = "json", scrub = true"#, "jsonb");
    let input = r#"{"note": "mail alice@example.org or call +1 415 555 0100, card 4111 1111 1111 1111, from 192.168.10.20", "n": 5, "list": ["bob@corp.io"]}"#;
    let out = value(&*t, input);
    let v: Value = serde_json::from_str(&out).unwrap();
    let note = v["note"].as_str().unwrap();
    for original in [
        "alice@example.org",
        "415 555 0100",
        "4111 1111 1111 1111",
        "192.168.10.20",
        "bob@corp.io",
    ] {
        assert!(!out.contains(original), "{original} survived: {out}");
    }
    assert!(
        note.starts_with("mail h_") && note.contains("@example.com or call +"),
        "{note}"
    );
    assert_eq!(v["n"], 5);
    assert!(v["list"][0].as_str().unwrap().ends_with("@example.com"));
    assert_eq!(out, value(&*t, input), "deterministic");
    let other = super::super::testutil::try_bind(r#"transform = "json", scrub = true"#, "jsonb", 9)
        .unwrap();
    assert_ne!(out, value(&*other, input), "keyed");
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i32>().prop_map(Value::from),
        "[a-z@. 0-9]{0,20}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::btree_map("[a-z]{1,4}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn shape(v: &Value) -> String {
    match v {
        Value::Array(a) => format!("[{}]", a.iter().map(shape).collect::<Vec<_>>().join(",")),
        Value::Object(m) => format!(
            "{{{}}}",
            m.iter()
                .map(|(k, v)| format!("{k}:{}", shape(v)))
                .collect::<Vec<_>>()
                .join(",")
        ),
        Value::String(_) => "s".into(),
        Value::Number(_) => "n".into(),
        Value::Bool(_) => "b".into(),
        Value::Null => "0".into(),
    }
}

proptest! {
    #[test]
    fn scrub_keeps_valid_json_of_same_shape(v in json_value()) {
        let t = bind(r#"transform = "json", scrub = true"#, "jsonb");
        let input = v.to_string();
        let out = value(&*t, &input);
        let back: Value = serde_json::from_str(&out).unwrap();
        prop_assert_eq!(shape(&back), shape(&v));
    }
}
