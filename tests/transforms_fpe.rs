//! The format-preserving and reversible transforms (tokenize, email, phone, card_number, iban,
//! uuid, ip, integer_id, encrypt) and `reveal`: contract tests on the library (determinism, key
//! sensitivity, format kept, NULL kept, injectivity on a million inputs, round trips), then an
//! end-to-end run against a real database restored with psql.
//!
//! The million-input injectivity checks run 1,000,000 inputs in release builds and 100,000 in
//! debug builds (`cfg!(debug_assertions)`), where FF1 is about 20 times slower.

mod support;

use std::collections::{HashMap, HashSet};

use proptest::prelude::*;
use understudy::dump::schema::ColumnType;
use understudy::key::MasterKey;
use understudy::reveal::{parse_column_type, reveal, rule_from_params};
use understudy::transform::{Applied, Bound, ColumnContext, RowContext, Rule, Transform};

use support::{run_with_input, scratch_dir, understudy, TestDb};

const KEY_HEX: &str = "5f1c6f0c2b7a4e9d8c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a392817";
const DOMAIN: &str = "public.t.c";

fn key(byte: u8) -> MasterKey {
    MasterKey::from_bytes([byte; 32])
}

fn rule(toml_line: &str) -> Rule {
    toml::from_str::<toml::Table>(&format!("r = {toml_line}"))
        .unwrap()
        .remove("r")
        .unwrap()
        .try_into()
        .unwrap_or_else(|e| panic!("{toml_line}: {e}"))
}

fn column_type(sql: &str) -> ColumnType {
    parse_column_type(sql).unwrap()
}

/// Binds `rule` to a column of type `ty` under `key` in [`DOMAIN`].
fn bind(rule: &Rule, ty: &ColumnType, key: &MasterKey) -> Box<dyn Transform> {
    let ctx = ColumnContext {
        qualified: DOMAIN,
        default_domain: DOMAIN,
        ty: Some(ty),
        not_null: false,
        key,
    };
    match rule.bind(&ctx) {
        Ok(Bound::Apply(t)) => t,
        Ok(Bound::Keep) => panic!("{} kept values", rule.name()),
        Err(e) => panic!("{} did not bind: {e}", rule.name()),
    }
}

fn bind_err(rule: &Rule, ty: &str) -> String {
    let key = key(1);
    let ty = column_type(ty);
    let ctx = ColumnContext {
        qualified: DOMAIN,
        default_domain: DOMAIN,
        ty: Some(&ty),
        not_null: false,
        key: &key,
    };
    rule.bind(&ctx).map(|_| ()).unwrap_err()
}

fn apply(t: &dyn Transform, input: &str) -> Result<String, String> {
    let mut out = Vec::new();
    match t.apply(input.as_bytes(), &RowContext::default(), &mut out) {
        Ok(Applied::Value) => Ok(String::from_utf8(out).expect("output is UTF-8")),
        Ok(Applied::Null) => Err("NULL".into()),
        Err(e) => Err(e.0),
    }
}

/// One transform under test: its rule, column type and a generator of valid inputs.
struct Case {
    rule: &'static str,
    ty: &'static str,
    input: fn(u64) -> String,
}

fn luhn_complete(prefix: &str) -> String {
    let digits: Vec<u32> = prefix.bytes().map(|b| u32::from(b - b'0')).collect();
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            if i % 2 == 0 {
                let x = d * 2;
                if x > 9 {
                    x - 9
                } else {
                    x
                }
            } else {
                d
            }
        })
        .sum();
    format!("{prefix}{}", (10 - sum % 10) % 10)
}

fn luhn_ok(s: &str) -> bool {
    let digits: Vec<u32> = s
        .bytes()
        .filter(u8::is_ascii_digit)
        .map(|b| u32::from(b - b'0'))
        .collect();
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            if i % 2 == 1 {
                if d * 2 > 9 {
                    d * 2 - 9
                } else {
                    d * 2
                }
            } else {
                d
            }
        })
        .sum();
    sum % 10 == 0
}

fn iban_for(country: &str, bban: &str) -> String {
    let check = 98 - iban_remainder(&format!("{country}00{bban}"));
    format!("{country}{check:02}{bban}")
}

fn iban_remainder(iban: &str) -> u32 {
    let s: String = iban.chars().filter(|c| *c != ' ').collect();
    let rearranged = format!("{}{}", &s[4..], &s[..4]);
    rearranged.chars().fold(0, |r, c| {
        if let Some(d) = c.to_digit(10) {
            (r * 10 + d) % 97
        } else {
            (r * 100 + c.to_ascii_uppercase() as u32 - 'A' as u32 + 10) % 97
        }
    })
}

fn uuid_of(i: u64) -> String {
    // The low 48 bits are `i` itself (so distinct `i` give distinct UUIDs), the rest is mixed.
    let high = u128::from(i.wrapping_mul(0x9e37_79b9_7f4a_7c15));
    let x = (high << 64 | u128::from(i & 0xffff_ffff_ffff)) & !(0xf << 76) & !(0x3 << 62);
    let x = x | (0x4 << 76) | (0x2 << 62);
    let h = format!("{x:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            rule: r#"{ transform = "tokenize" }"#,
            ty: "text",
            input: |i| format!("Cust-{i:06}/ab{}", i % 97),
        },
        Case {
            rule: r#"{ transform = "email" }"#,
            ty: "varchar(255)",
            input: |i| format!("user.{i}@mail{}.com", i % 5),
        },
        Case {
            rule: r#"{ transform = "email", domain_mode = "reserved" }"#,
            ty: "text",
            input: |i| format!("u{i}x@corp{}.org", i % 3),
        },
        Case {
            rule: r#"{ transform = "email", domain_mode = "tokenize" }"#,
            ty: "text",
            input: |i| format!("ann{i}@mailhost{}.de", i % 3),
        },
        Case {
            rule: r#"{ transform = "phone" }"#,
            ty: "text",
            input: |i| format!("+44 20 {:04} {:04}", i / 10_000 % 10_000, i % 10_000),
        },
        Case {
            rule: r#"{ transform = "card_number" }"#,
            ty: "varchar(19)",
            input: |i| luhn_complete(&format!("411111{i:09}")),
        },
        Case {
            rule: r#"{ transform = "card_number", keep_last4 = true }"#,
            ty: "text",
            input: |i| luhn_complete(&format!("541234{i:09}")),
        },
        Case {
            rule: r#"{ transform = "iban" }"#,
            ty: "varchar(34)",
            input: |i| iban_for("DE", &format!("37040044{i:010}")),
        },
        Case {
            rule: r#"{ transform = "uuid" }"#,
            ty: "uuid",
            input: uuid_of,
        },
        Case {
            rule: r#"{ transform = "ip" }"#,
            ty: "inet",
            input: |i| format!("10.{}.{}.{}", i >> 16 & 255, i >> 8 & 255, i & 255),
        },
        Case {
            rule: r#"{ transform = "ip", keep_prefix_v6 = 32 }"#,
            ty: "inet",
            // In canonical form, as PostgreSQL prints `inet` (and as reveal gives it back):
            // `format!("2001:db8::{:x}:{:x}")` wrote `2001:db8::0:5` for i < 65,536, which no
            // dump holds, and failed the round trip about one run in twenty.
            input: |i| {
                std::net::Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, (i >> 16) as u16, i as u16)
                    .to_string()
            },
        },
        Case {
            rule: r#"{ transform = "integer_id" }"#,
            ty: "integer",
            input: |i| (i + 1).to_string(),
        },
        Case {
            rule: r#"{ transform = "encrypt" }"#,
            ty: "text",
            input: |i| format!("national id {i}"),
        },
    ]
}

/// What every output of a case must look like, given its input.
fn check_format(case: &Case, input: &str, output: &str) {
    let name = case.rule;
    let classes = |s: &str| -> String {
        s.chars()
            .map(|c| match c {
                '0'..='9' => '9',
                'a'..='z' => 'a',
                'A'..='Z' => 'A',
                other => other,
            })
            .collect()
    };
    if name.contains("tokenize\" }") || name.contains("\"phone\"") {
        assert_eq!(
            classes(input),
            classes(output),
            "{name}: classes per position"
        );
    }
    if name.contains("\"phone\"") {
        assert_eq!(&output[..4], "+44 ", "{name}: country code kept");
    }
    if name.contains("\"email\"") {
        let (l_in, d_in) = input.rsplit_once('@').unwrap();
        let (l_out, d_out) = output.rsplit_once('@').unwrap();
        assert_eq!(classes(l_in), classes(l_out), "{name}: local part classes");
        if name.contains("reserved") {
            assert!(d_out.ends_with(".example"), "{name}: reserved domain");
        } else if name.contains("\"tokenize\"") {
            assert_eq!(
                d_in.rsplit('.').next(),
                d_out.rsplit('.').next(),
                "{name}: TLD kept"
            );
            assert_eq!(classes(d_in), classes(d_out));
        } else {
            assert_eq!(d_in, d_out, "{name}: domain kept");
        }
    }
    if name.contains("card_number") {
        assert_eq!(input.len(), output.len());
        assert!(luhn_ok(output), "{name}: Luhn-valid");
        assert_eq!(&input[..6], &output[..6], "{name}: issuer prefix kept");
        if name.contains("keep_last4") {
            assert_eq!(&input[input.len() - 4..], &output[output.len() - 4..]);
        }
    }
    if name.contains("iban") {
        assert_eq!(input.len(), output.len());
        assert_eq!(&input[..2], &output[..2], "country kept");
        assert_eq!(iban_remainder(output), 1, "{name}: mod-97 valid");
        assert_eq!(classes(&input[4..]), classes(&output[4..]));
    }
    if name.contains("uuid") {
        assert_eq!(output.len(), 36);
        assert_eq!(
            classes(input).replace('a', "9"),
            classes(output).replace('a', "9")
        );
        assert_eq!(&input[14..15], &output[14..15], "version kept");
        assert_eq!(&input[19..20], &output[19..20], "variant kept");
    }
    if name.contains("\"ip\"") {
        let a: std::net::IpAddr = input.parse().unwrap();
        let b: std::net::IpAddr = output.parse().expect("a valid address");
        assert_eq!(a.is_ipv4(), b.is_ipv4());
        if let (std::net::IpAddr::V6(a), std::net::IpAddr::V6(b)) = (a, b) {
            assert_eq!(a.segments()[..2], b.segments()[..2], "32-bit prefix kept");
        }
    }
    if name.contains("integer_id") {
        let v: u64 = output.parse().unwrap();
        assert!((1..=536_870_911).contains(&v));
    }
    if name.contains("encrypt") {
        assert!(output
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
    }
}

#[test]
fn ipv6_with_zero_groups_round_trips_in_canonical_form() {
    // i = 0 and i = 5 were the inputs the old generator wrote non-canonically.
    for i in [0u64, 5, 65_535, 65_536] {
        let case = &cases()[10];
        assert!(case.rule.contains("keep_prefix_v6"));
        let r = rule(case.rule);
        let t = bind(&r, &column_type(case.ty), &key(1));
        let input = (case.input)(i);
        let out = apply(&*t, &input).unwrap();
        assert_eq!(reveal_case(case, &out), input, "{input}");
    }
}

/// Reveals `token` made by `case`'s rule under the test key and domain.
fn reveal_case(case: &Case, token: &str) -> String {
    let r = rule(case.rule);
    String::from_utf8(reveal(&r, &key(1), DOMAIN, &column_type(case.ty), token.as_bytes()).unwrap())
        .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn deterministic_format_kept_and_revealed(i in 0u64..5_000_000, which in 0usize..13) {
        let case = &cases()[which];
        let r = rule(case.rule);
        let ty = column_type(case.ty);
        let t1 = bind(&r, &ty, &key(1));
        let t2 = bind(&r, &ty, &key(1));
        let input = (case.input)(i);
        let out = apply(&*t1, &input).unwrap_or_else(|e| panic!("{}: {e}", case.rule));
        prop_assert_eq!(&out, &apply(&*t2, &input).unwrap());
        prop_assert_ne!(&out, &input);
        check_format(case, &input, &out);
        prop_assert_eq!(reveal_case(case, &out), input);
        // NULL stays NULL.
        let mut buf = Vec::new();
        prop_assert_eq!(t1.apply_null(&mut buf).unwrap(), Applied::Null);
    }

    #[test]
    fn tokenize_keeps_classes_of_any_ascii_text(s in "[ -~]{3,40}") {
        let r = rule(r#"{ transform = "tokenize" }"#);
        let t = bind(&r, &column_type("text"), &key(1));
        let case = &cases()[0];
        match apply(&*t, &s) {
            Ok(out) => {
                check_format(case, &s, &out);
                prop_assert_eq!(reveal_case(case, &out), s);
            }
            Err(e) => prop_assert!(e.contains("too short"), "{}", e),
        }
    }
}

#[test]
fn a_different_key_changes_nearly_every_output() {
    for case in cases() {
        let r = rule(case.rule);
        let ty = column_type(case.ty);
        let (a, b) = (bind(&r, &ty, &key(1)), bind(&r, &ty, &key(2)));
        let n = 2_000;
        let same = (0..n)
            .filter(|&i| {
                let input = (case.input)(i);
                apply(&*a, &input).unwrap() == apply(&*b, &input).unwrap()
            })
            .count();
        // Measured: 0 of 2,000 for every case (the smallest space, an IPv4 address, has 2^32).
        assert!(
            same <= 2,
            "{}: {same} of {n} outputs equal under another key",
            case.rule
        );
    }
}

#[test]
fn a_domain_shared_by_two_columns_gives_equal_outputs() {
    let key = key(1);
    let ty = column_type("integer");
    let shared = rule(r#"{ transform = "integer_id", domain = "customers.id" }"#);
    let own = rule(r#"{ transform = "integer_id" }"#);
    let ctx = |q| ColumnContext {
        qualified: q,
        default_domain: q,
        ty: Some(&ty),
        not_null: false,
        key: &key,
    };
    let bound = |r: &Rule, q| match r.bind(&ctx(q)).unwrap() {
        Bound::Apply(t) => t,
        Bound::Keep => unreachable!(),
    };
    let pk = bound(&shared, "public.customers.id");
    let fk = bound(&shared, "public.orders.customer_id");
    let unrelated = bound(&own, "public.orders.customer_id");
    assert_eq!(apply(&*pk, "42").unwrap(), apply(&*fk, "42").unwrap());
    assert_ne!(
        apply(&*pk, "42").unwrap(),
        apply(&*unrelated, "42").unwrap()
    );
}

#[test]
fn invalid_and_too_short_values_are_errors_not_weaker_outputs() {
    let errors = [
        (r#"{ transform = "tokenize" }"#, "text", "A1"),
        (r#"{ transform = "tokenize" }"#, "text", "--"),
        (r#"{ transform = "email" }"#, "text", "no-at-sign"),
        (r#"{ transform = "email" }"#, "text", "jo@x.com"),
        (
            r#"{ transform = "card_number" }"#,
            "text",
            "4111111111111112",
        ),
        (r#"{ transform = "card_number" }"#, "text", "41111111"),
        (
            r#"{ transform = "iban" }"#,
            "text",
            "DE00370400440532013000",
        ),
        (r#"{ transform = "uuid" }"#, "uuid", "not-a-uuid"),
        (r#"{ transform = "ip" }"#, "inet", "300.1.1.1"),
        (r#"{ transform = "ip" }"#, "cidr", "10.0.0.0/8"),
        (r#"{ transform = "integer_id" }"#, "smallint", "9000"),
        (r#"{ transform = "integer_id" }"#, "integer", "0"),
        (r#"{ transform = "integer_id" }"#, "integer", "-5"),
        (
            r#"{ transform = "encrypt" }"#,
            "varchar(64)",
            "a value of thirty-five characters..",
        ),
    ];
    for (r, ty, input) in errors {
        let t = bind(&rule(r), &column_type(ty), &key(1));
        let err = apply(&*t, input).expect_err(r);
        // (One- and two-character inputs occur in any message by chance.)
        assert!(
            input.len() < 3 || !err.contains(input),
            "{r}: error message echoes the value: {err}"
        );
    }
}

#[test]
fn bind_refuses_columns_that_cannot_hold_the_output() {
    let cases = [
        (
            r#"{ transform = "encrypt" }"#,
            "varchar(40)",
            "fewer than the 64",
        ),
        (
            r#"{ transform = "encrypt" }"#,
            "character(10)",
            "fewer than the 64",
        ),
        (r#"{ transform = "tokenize" }"#, "integer", "does not fit"),
        (
            r#"{ transform = "integer_id" }"#,
            "text",
            "smallint, integer and bigint",
        ),
        (
            r#"{ transform = "integer_id", range = 100 }"#,
            "integer",
            "between 1000",
        ),
        (
            r#"{ transform = "integer_id", range = 40000 }"#,
            "smallint",
            "between 1000",
        ),
        (
            r#"{ transform = "ip", keep_prefix = 24 }"#,
            "inet",
            "fewer than 10",
        ),
        (r#"{ transform = "uuid" }"#, "varchar(20)", "do not fit"),
    ];
    for (r, ty, expected) in cases {
        let err = bind_err(&rule(r), ty);
        assert!(err.contains(expected), "{r} on {ty}: {err}");
    }
}

#[test]
fn unknown_parameters_are_refused() {
    let err = toml::from_str::<toml::Table>(r#"r = { transform = "email", domain_mod = "keep" }"#)
        .unwrap()
        .remove("r")
        .unwrap()
        .try_into::<Rule>()
        .unwrap_err();
    assert!(err.to_string().contains("domain_mod"), "{err}");
}

#[test]
fn examples_from_the_docs() {
    let k = key(1);
    let t = bind(&rule(r#"{ transform = "ip" }"#), &column_type("cidr"), &k);
    let out = apply(&*t, "10.20.0.0/16").unwrap();
    assert!(out.ends_with("/16"), "{out}");
    let net: Vec<u8> = out
        .trim_end_matches("/16")
        .split('.')
        .map(|p| p.parse().unwrap())
        .collect();
    assert_eq!(&net[2..], &[0, 0], "host bits of a cidr stay zero: {out}");
    let t = bind(
        &rule(r#"{ transform = "phone", keep_digits = 3 }"#),
        &column_type("text"),
        &k,
    );
    let out = apply(&*t, "+1 (415) 555-0100").unwrap();
    assert!(out.starts_with("+1 (415) ") && out.len() == 17, "{out}");
    let t = bind(
        &rule(r#"{ transform = "phone" }"#),
        &column_type("text"),
        &k,
    );
    let out = apply(&*t, "030 1234567").unwrap();
    assert!(
        out.starts_with('0') && out.len() == 11,
        "trunk 0 kept: {out}"
    );
    let t = bind(
        &rule(r#"{ transform = "tokenize" }"#),
        &column_type("text"),
        &k,
    );
    let out = apply(&*t, "Zoë Smith-Jones").unwrap();
    assert!(out.contains('ë'), "non-ASCII letters are kept: {out}");
}

/// Million-input injectivity (100,000 in debug builds).
fn injective_on(case: &Case, n: u64) {
    let r = rule(case.rule);
    let t = bind(&r, &column_type(case.ty), &key(1));
    let mut seen = HashSet::with_capacity(n as usize);
    let mut out = Vec::with_capacity(64);
    for i in 0..n {
        out.clear();
        let input = (case.input)(i);
        t.apply(input.as_bytes(), &RowContext::default(), &mut out)
            .unwrap_or_else(|e| panic!("{}: {e}", case.rule));
        assert!(
            seen.insert(out.clone()),
            "{}: collision at input {i}",
            case.rule
        );
    }
}

const MILLION: u64 = if cfg!(debug_assertions) {
    100_000
} else {
    1_000_000
};

#[test]
fn million_distinct_inputs_stay_distinct() {
    let wanted = [
        r#"{ transform = "tokenize" }"#,
        r#"{ transform = "email", domain_mode = "reserved" }"#,
        r#"{ transform = "card_number" }"#,
        r#"{ transform = "uuid" }"#,
        r#"{ transform = "integer_id" }"#,
        r#"{ transform = "encrypt" }"#,
    ];
    let all = cases();
    std::thread::scope(|s| {
        for w in wanted {
            let case = all.iter().find(|c| c.rule == w).unwrap();
            s.spawn(move || injective_on(case, MILLION));
        }
    });
}

// ---------------------------------------------------------------------------------------------
// End to end: a real database, pg_dump, understudy run, psql restore, SQL checks.

const N_CUSTOMERS: u64 = 400;

fn source_db() -> TestDb {
    let db = TestDb::create("fpe_src");
    let mut sql = String::from(
        "CREATE TABLE customers (
            id integer PRIMARY KEY,
            email varchar(120) NOT NULL UNIQUE,
            phone text,
            card varchar(19),
            iban varchar(34),
            ext_id uuid NOT NULL UNIQUE,
            last_ip inet,
            net cidr,
            account_ref varchar(20),
            national_id text
        );
        CREATE TABLE orders (
            id bigint PRIMARY KEY,
            customer_id integer NOT NULL REFERENCES customers(id),
            amount numeric(10,2) NOT NULL
        );
        INSERT INTO customers VALUES\n",
    );
    for i in 1..=N_CUSTOMERS {
        let sep = if i == N_CUSTOMERS { ";\n" } else { ",\n" };
        let ip = if i % 2 == 0 {
            format!("192.168.{}.{}", i / 256, i % 256)
        } else {
            format!("2001:db8::{i:x}")
        };
        let phone = if i % 5 == 0 {
            "NULL".to_string()
        } else {
            format!("'+49 30 {:07}'", i * 7919 % 10_000_000)
        };
        sql.push_str(&format!(
            "({i}, 'person.{i}@mail{}.example.com', {phone}, '{}', '{}', '{}', '{ip}', '10.{}.{}.0/24', 'AC-{:05}-{}', 'ID{:08}'){sep}",
            i % 4,
            luhn_complete(&format!("411111{:09}", i * 104_729)),
            iban_for("GB", &format!("WEST1234{:010}", i * 31)),
            uuid_of(i),
            i / 256,
            i % 256,
            i * 13,
            ["xq", "Ab", "zz"][i as usize % 3],
            i * 977,
        ));
    }
    sql.push_str("INSERT INTO orders SELECT g, 1 + (g * 7) % 400, g * 1.25 FROM generate_series(1, 1500) g;\n");
    db.exec(&sql);
    db
}

const POLICY: &str = r#"
version = 1

[tables."public.customers".columns]
id = { transform = "integer_id", domain = "customers.id" }
email = { transform = "email", domain_mode = "reserved" }
phone = { transform = "phone" }
card = { transform = "card_number" }
iban = { transform = "iban" }
ext_id = { transform = "uuid" }
last_ip = { transform = "ip" }
net = { transform = "ip" }
account_ref = { transform = "tokenize" }
national_id = { transform = "encrypt" }

[tables."public.orders".columns]
id = { transform = "integer_id" }
customer_id = { transform = "integer_id", domain = "customers.id" }
amount = { transform = "keep", reason = "synthetic amounts" }
"#;

const TRANSFORMED: &[&str] = &[
    "id::text",
    "email",
    "phone",
    "card",
    "iban",
    "ext_id::text",
    "host(last_ip)",
    "net::text",
    "account_ref",
    "national_id",
];

#[test]
fn end_to_end_keys_hold_formats_hold_and_nothing_original_remains() {
    let src = source_db();
    let dump = src.pg_dump(&[]);
    let dir = scratch_dir();
    let policy = dir.join("policy.toml");
    std::fs::write(&policy, POLICY).unwrap();
    let out = run_with_input(
        understudy()
            .args(["run", "--quiet", "--policy"])
            .arg(&policy)
            .args(["--input", "-", "--output", "-"])
            .env("UNDERSTUDY_KEY", KEY_HEX),
        &dump,
    );
    assert!(
        out.status.success(),
        "understudy failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dst = TestDb::create("fpe_dst");
    dst.restore(&out.stdout)
        .expect("the output restores with ON_ERROR_STOP");

    // Row counts, foreign keys and uniqueness (the restore validated the constraints too).
    assert_eq!(dst.row_counts(), src.row_counts());
    assert_eq!(
        dst.query("SELECT count(*) FROM orders o LEFT JOIN customers c ON c.id = o.customer_id WHERE c.id IS NULL"),
        "0"
    );
    let per_customer = "SELECT count(*) FROM orders GROUP BY customer_id ORDER BY 1";
    assert_eq!(
        dst.query_rows(per_customer),
        src.query_rows(per_customer),
        "order counts per customer move with the id"
    );
    assert_eq!(dst.query("SELECT count(DISTINCT email) = count(*) AND count(DISTINCT ext_id) = count(*) FROM customers"), "t");
    assert_eq!(
        dst.query("SELECT count(*) FROM customers WHERE phone IS NULL"),
        src.query("SELECT count(*) FROM customers WHERE phone IS NULL")
    );

    // No original value of a transformed column remains in it.
    for col in TRANSFORMED {
        let q = format!("SELECT {col} FROM customers WHERE {col} IS NOT NULL");
        let before: HashSet<Vec<String>> = src.query_rows(&q).into_iter().collect();
        let after = dst.query_rows(&q);
        assert_eq!(after.len(), before.len());
        let kept = after.iter().filter(|v| before.contains(*v)).count();
        assert_eq!(kept, 0, "{col}: {kept} original values survived");
    }
    let before: HashSet<_> = src
        .query_rows("SELECT id FROM orders")
        .into_iter()
        .collect();
    assert!(dst
        .query_rows("SELECT id FROM orders")
        .iter()
        .all(|v| !before.contains(v)));

    // Formats and lengths per row, matched to the source through `reveal` of the id.
    let cols = "id, email, coalesce(phone, ''), card, iban, ext_id::text, host(last_ip), net::text, account_ref, national_id";
    let src_rows: HashMap<String, Vec<String>> = src
        .query_rows(&format!("SELECT {cols} FROM customers"))
        .into_iter()
        .map(|r| (r[0].clone(), r))
        .collect();
    let dst_rows = dst.query_rows(&format!("SELECT {cols} FROM customers"));
    let key = MasterKey::parse(KEY_HEX, understudy::key::KeySource::Environment).unwrap();
    let reveal_str = |transform: &str, params: &[(&str, &str)], domain: &str, ty: &str, v: &str| {
        let params: Vec<(String, String)> = params
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let r = rule_from_params(transform, &params).unwrap();
        String::from_utf8(reveal(&r, &key, domain, &column_type(ty), v.as_bytes()).unwrap())
            .unwrap()
    };
    for row in &dst_rows {
        let id = reveal_str("integer_id", &[], "customers.id", "integer", &row[0]);
        let orig = &src_rows[&id];
        assert!(row[1].ends_with(".example"));
        assert_eq!(row[2].len(), orig[2].len());
        assert!(row[2].is_empty() || row[2].starts_with("+49 "));
        assert!(luhn_ok(&row[3]) && row[3].len() == orig[3].len() && row[3][..6] == orig[3][..6]);
        assert_eq!(iban_remainder(&row[4]), 1);
        assert_eq!(row[4].len(), orig[4].len());
        assert_eq!(
            row[6].contains(':'),
            orig[6].contains(':'),
            "IP family kept"
        );
        assert!(
            row[7].ends_with(".0/24"),
            "cidr host bits stay zero: {}",
            row[7]
        );
        assert_eq!(row[8].len(), orig[8].len());
        // Every reversible column reveals back to the source row's value.
        let domain = |c: &str| format!("public.customers.{c}");
        assert_eq!(
            reveal_str(
                "email",
                &[("domain_mode", "reserved")],
                &domain("email"),
                "varchar(120)",
                &row[1]
            ),
            orig[1]
        );
        assert_eq!(
            reveal_str("card_number", &[], &domain("card"), "varchar(19)", &row[3]),
            orig[3]
        );
        assert_eq!(
            reveal_str("iban", &[], &domain("iban"), "varchar(34)", &row[4]),
            orig[4]
        );
        assert_eq!(
            reveal_str("uuid", &[], &domain("ext_id"), "uuid", &row[5]),
            orig[5]
        );
        assert_eq!(
            reveal_str(
                "tokenize",
                &[],
                &domain("account_ref"),
                "varchar(20)",
                &row[8]
            ),
            orig[8]
        );
        assert_eq!(
            reveal_str("encrypt", &[], &domain("national_id"), "text", &row[9]),
            orig[9]
        );
        if !row[2].is_empty() {
            assert_eq!(
                reveal_str("phone", &[], &domain("phone"), "text", &row[2]),
                orig[2]
            );
        }
    }

    // The CLI reveals too, with the key from the environment.
    let row = &dst_rows[0];
    let id = reveal_str("integer_id", &[], "customers.id", "integer", &row[0]);
    let cli = understudy()
        .args([
            "reveal",
            "--domain",
            "public.customers.email",
            "--transform",
            "email",
            "--param",
            "domain_mode=reserved",
            &row[1],
        ])
        .env("UNDERSTUDY_KEY", KEY_HEX)
        .output()
        .unwrap();
    assert!(
        cli.status.success(),
        "{}",
        String::from_utf8_lossy(&cli.stderr)
    );
    assert_eq!(
        String::from_utf8(cli.stdout).unwrap().trim_end(),
        src_rows[&id][1]
    );
    let cli = understudy()
        .args([
            "reveal",
            "--domain",
            "customers.id",
            "--transform",
            "integer_id",
            "--type",
            "integer",
            &row[0],
        ])
        .env("UNDERSTUDY_KEY", KEY_HEX)
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(cli.stdout).unwrap().trim_end(), id);
    let cli = understudy()
        .args(["reveal", "--domain", "x", "--transform", "hash", "abc"])
        .env("UNDERSTUDY_KEY", KEY_HEX)
        .output()
        .unwrap();
    assert!(!cli.status.success());
    assert!(String::from_utf8_lossy(&cli.stderr).contains("not reversible"));
}

#[test]
fn a_sequence_owned_by_a_permuted_id_column_restarts_past_the_range() {
    // Regression guard for the `setval` rewrite: without it, the first insert on staging takes
    // id 4, which the permutation may already have produced.
    let src = TestDb::create("seq_src");
    src.exec(
        "CREATE TABLE items (id serial PRIMARY KEY, name text NOT NULL);
         CREATE TABLE tagged (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY, item_id integer REFERENCES items(id));
         INSERT INTO items (name) SELECT 'item ' || g FROM generate_series(1, 3) g;
         INSERT INTO tagged (item_id) VALUES (1), (2);",
    );
    let policy = r#"version = 1
[tables."public.items".columns]
id   = { transform = "integer_id", range = 100000 }
name = { transform = "keep", reason = "synthetic item names" }
[tables."public.tagged".columns]
id = { transform = "integer_id" }
"#;
    let dir = support::scratch_dir();
    let policy_path = dir.path().join("p.toml");
    std::fs::write(&policy_path, policy).unwrap();
    // A file input: its keys (declared after the data) are read first, so `tagged.item_id`
    // takes the rule of `items.id` through the foreign key.
    let input = dir.path().join("dump.sql");
    std::fs::write(&input, src.pg_dump(&[])).unwrap();
    let out = understudy()
        .args(["run", "--quiet", "--policy"])
        .arg(&policy_path)
        .arg("--input")
        .arg(&input)
        .env("UNDERSTUDY_KEY", "42".repeat(32))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dst = TestDb::create("seq_dst");
    dst.restore(&out.stdout).unwrap();
    assert_eq!(dst.query("SELECT last_value FROM items_id_seq"), "100000");
    let inserted = dst.query("INSERT INTO items (name) VALUES ('new') RETURNING id");
    assert_eq!(inserted.lines().next(), Some("100001"));
    // The identity column's sequence moves past integer's default range (2^31 / 4 - 1).
    assert_eq!(
        dst.query("SELECT last_value FROM tagged_id_seq"),
        "536870911"
    );
    // tagged.item_id follows items.id through the foreign key: every reference still resolves.
    assert_eq!(
        dst.query("SELECT count(*) FROM tagged t JOIN items i ON i.id = t.item_id"),
        "2"
    );
}

/// `apply_batch` on the first `n` values, for each `n` in `counts` and all of them, gives
/// every value's `apply` output, in order.
fn assert_batches_match_apply(
    t: &dyn Transform,
    values: &[&String],
    counts: &[usize],
    label: &str,
) {
    for &n in counts.iter().chain([values.len()].iter()) {
        let inputs: Vec<&[u8]> = values[..n].iter().map(|v| v.as_bytes()).collect();
        let (mut out, mut ends) = (Vec::new(), Vec::new());
        assert!(
            t.apply_batch(&inputs, &mut out, &mut ends).is_some(),
            "{label}"
        );
        assert_eq!(ends.len(), n, "{label}");
        let mut start = 0;
        for (v, &end) in values[..n].iter().zip(&ends) {
            let one = apply(t, v).unwrap();
            assert_eq!(
                std::str::from_utf8(&out[start..end]).unwrap(),
                one,
                "{label}: {v}"
            );
            start = end;
        }
    }
}

#[test]
fn integer_id_batches_give_what_apply_gives_and_refuse_as_a_whole() {
    let key = key(3);
    for (ty, top) in [
        ("smallint", 8_191u64),
        ("integer", 536_870_911),
        ("bigint", 2_305_843_009_213_693_951),
    ] {
        let ty = column_type(ty);
        let t = bind(&rule(r#"{ transform = "integer_id" }"#), &ty, &key);
        assert!(t.batches());
        // Lengths around the eight lanes, the ends of the range and "+7" (which `apply`
        // reads as 7), so the batch must parse exactly as `apply` does.
        let mut values: Vec<String> = (1..=20u64)
            .map(|i| (i * 977 % top + 1).to_string())
            .collect();
        values.extend([top.to_string(), "1".into(), "+7".into()]);
        let values: Vec<&String> = values.iter().collect();
        assert_batches_match_apply(&*t, &values, &[0, 1, 7, 8, 9, 16, 17], ty.sql.as_str());
        // One value outside the range: no output at all, `apply` reports it.
        let bad = (top + 1).to_string();
        let inputs: Vec<&[u8]> = vec![b"5", bad.as_bytes(), b"6"];
        let (mut out, mut ends) = (Vec::new(), Vec::new());
        assert!(t.apply_batch(&inputs, &mut out, &mut ends).is_none());
        assert!(apply(&*t, &bad).is_err());
    }
}

#[test]
fn ip_batches_give_what_apply_gives() {
    let key = key(4);
    let mut values: Vec<String> = (0..40u32)
        .map(|i| {
            let a = i.wrapping_mul(0x9e37_79b9);
            format!(
                "{}.{}.{}.{}",
                a >> 24,
                (a >> 16) & 255,
                (a >> 8) & 255,
                a & 255
            )
        })
        .collect();
    // Masks, the ends of the range, IPv6, and forms only `apply`'s parser takes or refuses
    // alike (leading zeros, a leading `+` in the mask).
    values.extend(
        [
            "0.0.0.0",
            "255.255.255.255",
            "10.1.2.3/8",
            "192.0.2.1/32",
            "2001:db8::1",
            "::ffff:192.0.2.1",
            "198.51.100.7/+24",
            "203.0.113.9/024",
        ]
        .map(String::from),
    );
    for (ty, params, extra) in [
        ("inet", "", vec![]),
        ("inet", ", keep_prefix = 8", vec![]),
        ("inet", ", keep_prefix = 12, keep_prefix_v6 = 64", vec![]),
        ("text", "", vec![]),
        (
            "cidr",
            "",
            vec!["10.0.0.0/8", "192.168.0.0/16", "198.51.100.0/24"],
        ),
    ] {
        let t = bind(
            &rule(&format!(r#"{{ transform = "ip"{params} }}"#)),
            &column_type(ty),
            &key,
        );
        assert!(t.batches());
        let mut values = values.clone();
        if ty == "cidr" {
            // Host bits must be zero in a cidr value: keep the network addresses only.
            values = extra.iter().map(|v| v.to_string()).collect();
            values.extend((0..20u32).map(|i| format!("10.{}.{}.0/24", i, i * 7 % 256)));
        }
        let ok: Vec<&String> = values.iter().filter(|v| apply(&*t, v).is_ok()).collect();
        assert_batches_match_apply(&*t, &ok, &[0, 1, 8, 9], &format!("{ty}{params}"));
        // One value `apply` refuses: the batch gives nothing, `apply` reports it.
        let inputs: Vec<&[u8]> = vec![ok[0].as_bytes(), b"300.1.1.1", ok[1].as_bytes()];
        let (mut out, mut ends) = (Vec::new(), Vec::new());
        assert!(t.apply_batch(&inputs, &mut out, &mut ends).is_none());
    }
}

#[test]
fn phone_batches_give_what_apply_gives() {
    let key = key(5);
    let mut values: Vec<String> = (0..30u32)
        .map(|i| format!("+1-{}-555-{:04}", 200 + i * 37 % 800, i * 7919 % 10_000))
        .collect();
    values.extend((0..12u32).map(|i| format!("+44 20 7946 {:04}", i * 31 % 10_000)));
    values.extend(
        [
            "(415) 555-0100",
            "0049 30 901820",
            "+7 495 555 01 23 ext. 12",
            "555-0199",
            "  +33 1 09 75 83 51",
            "+1 (415) 555-0100",
        ]
        .map(String::from),
    );
    for params in ["", ", keep_digits = 3"] {
        let t = bind(
            &rule(&format!(r#"{{ transform = "phone"{params} }}"#)),
            &column_type("text"),
            &key,
        );
        assert!(t.batches());
        let ok: Vec<&String> = values.iter().filter(|v| apply(&*t, v).is_ok()).collect();
        assert!(ok.len() > 40, "{params}");
        assert_batches_match_apply(&*t, &ok, &[0, 1, 8, 9, 17], params);
        // Numbers with too few digits to tokenize: the batch gives nothing, `apply` reports.
        for short in ["+1-55", "n/a"] {
            assert!(apply(&*t, short).is_err(), "{short}");
            let inputs: Vec<&[u8]> = vec![ok[0].as_bytes(), short.as_bytes()];
            let (mut out, mut ends) = (Vec::new(), Vec::new());
            assert!(
                t.apply_batch(&inputs, &mut out, &mut ends).is_none(),
                "{short}"
            );
        }
    }
}

#[test]
fn ff1_domain_walks_eight_at_a_time_match_one_at_a_time() {
    use understudy::transform::ff1::{Direction, Ff1};
    let ff1 = Ff1::new(&[9u8; 32]).unwrap();
    // 1,000 walks about a thousand FF1 calls per value (lanes leave the batch to walk on);
    // the others land in one call almost always.
    for size in [1_000u64, 1_000_003, 536_870_911, (1 << 40) + 3] {
        let domain = ff1.prepare_domain(b"integer_id", size).unwrap();
        let mut xs: Vec<u64> = (0..45u64).map(|i| i * 7_919_993 % size).collect();
        xs.push(size - 1);
        let want: Vec<u64> = xs
            .iter()
            .map(|&x| ff1.walk_prepared(&domain, Direction::Encrypt, x).unwrap())
            .collect();
        ff1.encrypt_many_prepared(&domain, &mut xs).unwrap();
        assert_eq!(xs, want, "domain {size}");
    }
    let domain = ff1.prepare_domain(b"t", 5_000).unwrap();
    assert!(ff1.encrypt_many_prepared(&domain, &mut [1, 5_000]).is_err());
}
