//! Throughput of the format-preserving transforms per core, in values per second of this
//! thread's CPU time, on 10–19 character values and on each transform's typical input. Run with
//! `cargo bench --bench transforms`; it takes about 10 seconds.

use std::hint::black_box;
use std::time::{Duration, Instant};

use understudy::dump::schema::ColumnType;
use understudy::key::MasterKey;
use understudy::reveal::parse_column_type;
use understudy::transform::{Bound, ColumnContext, RowContext, Rule, Transform};

const INPUTS: u64 = 4096;
const BUDGET: Duration = Duration::from_millis(400);

/// Nanoseconds this thread has spent on a CPU (Linux); wall-clock time elsewhere.
fn cpu_nanos(wall: Instant) -> u128 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or_else(|| wall.elapsed().as_nanos())
}

fn bind(rule: &str, ty: &ColumnType, key: &MasterKey) -> Box<dyn Transform> {
    let rule: Rule = toml::from_str::<toml::Table>(&format!("r = {rule}"))
        .unwrap()
        .remove("r")
        .unwrap()
        .try_into()
        .unwrap();
    let ctx = ColumnContext {
        qualified: "public.t.c",
        default_domain: "public.t.c",
        ty: Some(ty),
        not_null: false,
        key,
    };
    match rule.bind(&ctx).unwrap() {
        Bound::Apply(t) => t,
        Bound::Keep => unreachable!(),
    }
}

fn rate(t: &dyn Transform, inputs: &[String]) -> f64 {
    let mut out = Vec::with_capacity(128);
    let ctx = RowContext::default();
    let start = Instant::now();
    let cpu_start = cpu_nanos(start);
    let mut done = 0u64;
    while start.elapsed() < BUDGET {
        for x in inputs {
            out.clear();
            t.apply(black_box(x.as_bytes()), &ctx, &mut out).unwrap();
            black_box(&out);
        }
        done += inputs.len() as u64;
    }
    done as f64 * 1e9 / (cpu_nanos(start) - cpu_start) as f64
}

fn luhn_complete(prefix: &str) -> String {
    let sum: u32 = prefix
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            match (i % 2 == 0, d * 2) {
                (true, x) if x > 9 => x - 9,
                (true, x) => x,
                _ => d,
            }
        })
        .sum();
    format!("{prefix}{}", (10 - sum % 10) % 10)
}

fn main() {
    let key = MasterKey::from_bytes([0x2b; 32]);
    let text = parse_column_type("text").unwrap();
    let mut s = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        s
    };
    println!("{:<48} {:>14}", "transform / input", "values/s/core");
    let tokenize = bind(r#"{ transform = "tokenize" }"#, &text, &key);
    for len in [10usize, 13, 16, 19] {
        let digits: Vec<String> = (0..INPUTS)
            .map(|_| {
                (0..len)
                    .map(|_| char::from(b'0' + (next() % 10) as u8))
                    .collect()
            })
            .collect();
        println!(
            "{:<48} {:>14.0}",
            format!("tokenize, {len} digits"),
            rate(&*tokenize, &digits)
        );
    }
    for len in [10usize, 13, 16, 19] {
        let mixed: Vec<String> = (0..INPUTS)
            .map(|_| {
                (0..len)
                    .map(|i| match i % 5 {
                        0 | 1 => char::from(b'A' + (next() % 26) as u8),
                        4 => '-',
                        _ => char::from(b'0' + (next() % 10) as u8),
                    })
                    .collect()
            })
            .collect();
        println!(
            "{:<48} {:>14.0}",
            format!("tokenize, {len} chars AA99-AA99- (mixed classes)"),
            rate(&*tokenize, &mixed)
        );
    }
    let names: Vec<String> = (0..INPUTS)
        .map(|_| {
            let w = |n: u64, next: &mut dyn FnMut() -> u64| -> String {
                (0..n)
                    .map(|_| char::from(b'a' + (next() % 26) as u8))
                    .collect()
            };
            let (a, b) = (w(5, &mut next), w(8, &mut next));
            format!("{}{a} {}{b}", "J", "S")
        })
        .collect();
    println!(
        "{:<48} {:>14.0}",
        "tokenize, 15-char names \"Jxxxxx Sxxxxxxxx\"",
        rate(&*tokenize, &names)
    );

    let cases: Vec<(&str, &str, Vec<String>)> = vec![
        (
            r#"{ transform = "email" }"#,
            "text",
            (0..INPUTS)
                .map(|i| format!("first.last{i}@example.com"))
                .collect(),
        ),
        (
            r#"{ transform = "email", domain_mode = "reserved" }"#,
            "text",
            (0..INPUTS)
                .map(|i| format!("first.last{i}@example.com"))
                .collect(),
        ),
        (
            r#"{ transform = "phone" }"#,
            "text",
            (0..INPUTS)
                .map(|_| format!("+44 20 {:04} {:04}", next() % 10_000, next() % 10_000))
                .collect(),
        ),
        (
            r#"{ transform = "card_number" }"#,
            "text",
            (0..INPUTS)
                .map(|_| luhn_complete(&format!("411111{:09}", next() % 1_000_000_000)))
                .collect(),
        ),
        (
            r#"{ transform = "uuid" }"#,
            "uuid",
            (0..INPUTS)
                .map(|_| {
                    let h = format!("{:016x}{:016x}", next(), next());
                    format!(
                        "{}-{}-4{}-a{}-{}",
                        &h[..8],
                        &h[8..12],
                        &h[13..16],
                        &h[17..20],
                        &h[20..]
                    )
                })
                .collect(),
        ),
        (
            r#"{ transform = "ip" }"#,
            "inet",
            (0..INPUTS)
                .map(|_| std::net::Ipv4Addr::from(next() as u32).to_string())
                .collect(),
        ),
        (
            r#"{ transform = "ip" }"#,
            "inet",
            (0..INPUTS)
                .map(|_| {
                    std::net::Ipv6Addr::from(u128::from(next()) << 64 | u128::from(next()))
                        .to_string()
                })
                .collect(),
        ),
        (
            r#"{ transform = "integer_id" }"#,
            "integer",
            (0..INPUTS)
                .map(|_| (1 + next() % 536_870_911).to_string())
                .collect(),
        ),
        (
            r#"{ transform = "integer_id" }"#,
            "bigint",
            (0..INPUTS)
                .map(|_| (1 + next() % 2_305_843_009_213_693_951).to_string())
                .collect(),
        ),
        (
            r#"{ transform = "encrypt" }"#,
            "text",
            (0..INPUTS).map(|i| format!("AB{i:08}")).collect(),
        ),
    ];
    for (rule, ty, inputs) in &cases {
        let t = bind(rule, &parse_column_type(ty).unwrap(), &key);
        let label = format!(
            "{} on {ty} ({} chars)",
            rule.trim_matches(|c| c == '{' || c == '}' || c == ' '),
            inputs[0].len()
        );
        println!("{label:<48} {:>14.0}", rate(&*t, inputs));
    }
}
