//! Throughput of the per-value transforms on one core: `cargo bench --bench values`.
//!
//! Values are pre-built in memory (as the COPY decoder hands them over) and the output buffer is
//! reused, as in the pipeline, so the numbers are the transforms' own cost.

use std::hint::black_box;
use std::time::Instant;

use understudy::dump::schema::{ColumnType, TypeKind};
use understudy::key::MasterKey;
use understudy::transform::{Bound, ColumnContext, RowContext, Rule, Transform};

fn ty(sql: &str, kind: TypeKind, precision: Option<u32>, scale: Option<u32>) -> ColumnType {
    ColumnType {
        sql: sql.into(),
        kind,
        max_len: None,
        precision,
        scale,
        array_dims: 0,
    }
}

fn bind(rule: &str, ty: &ColumnType, key: &MasterKey) -> Box<dyn Transform> {
    #[derive(serde::Deserialize)]
    struct W {
        r: Rule,
    }
    let rule = toml::from_str::<W>(&format!("r = {{ {rule} }}")).unwrap().r;
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

fn measure(name: &str, t: &dyn Transform, values: &[Vec<u8>], entities: Option<&[Vec<u8>]>) {
    let mut out = Vec::with_capacity(64);
    // Warm up, then the best of three rounds.
    let mut best = f64::MAX;
    for _ in 0..4 {
        let start = Instant::now();
        for (i, v) in values.iter().enumerate() {
            out.clear();
            let ctx = RowContext {
                entity: entities.map(|e| &e[i][..]),
            };
            black_box(t.apply(black_box(v), &ctx, &mut out).unwrap());
        }
        best = best.min(start.elapsed().as_secs_f64());
    }
    println!(
        "{name:<44} {:>6.2} M values/s ({:.0} ns/value)",
        values.len() as f64 / best / 1e6,
        best * 1e9 / values.len() as f64
    );
}

fn main() {
    let key = MasterKey::from_bytes([7; 32]);
    let n = 1_000_000;
    let ts: Vec<Vec<u8>> = (0..n)
        .map(|i| {
            format!(
                "20{:02}-{:02}-{:02} {:02}:{:02}:{:02}.{:06}+00",
                10 + i % 15,
                1 + i % 12,
                1 + i % 28,
                i % 24,
                i % 60,
                (i * 7) % 60,
                i % 1_000_000
            )
            .into_bytes()
        })
        .collect();
    let dates: Vec<Vec<u8>> = ts.iter().map(|t| t[..10].to_vec()).collect();
    let entities: Vec<Vec<u8>> = (0..n)
        .map(|i| (i % 50_000).to_string().into_bytes())
        .collect();
    let amounts: Vec<Vec<u8>> = (0..n)
        .map(|i| format!("{}.{:02}", (i * 7919) % 1_000_000, i % 100).into_bytes())
        .collect();
    let ints: Vec<Vec<u8>> = (0..n)
        .map(|i| ((i * 7919) % 10_000_000).to_string().into_bytes())
        .collect();

    let tstz = ty(
        "timestamp with time zone",
        TypeKind::TimestampTz,
        None,
        None,
    );
    let date = ty("date", TypeKind::Date, None, None);
    let num = ty("numeric(12,2)", TypeKind::Numeric, Some(12), Some(2));
    let int = ty("integer", TypeKind::Integer, None, None);

    // The floor of every keyed per-value transform: one HMAC-SHA256 (plus hex output).
    let text = ty("text", TypeKind::Text, None, None);
    measure(
        "hash (one HMAC-SHA256, for reference)",
        &*bind(r#"transform = "hash""#, &text, &key),
        &ts,
        None,
    );
    let shift = r#"transform = "shift_date", max = "30d""#;
    let shift_per =
        r#"transform = "shift_date", max = "30d", per = "customer_id", domain = "customer""#;
    measure(
        "shift_date timestamptz (per row)",
        &*bind(shift, &tstz, &key),
        &ts,
        None,
    );
    measure(
        "shift_date timestamptz (per entity)",
        &*bind(shift_per, &tstz, &key),
        &ts,
        Some(&entities),
    );
    measure(
        "shift_date date (per row)",
        &*bind(shift, &date, &key),
        &dates,
        None,
    );
    let bucket = r#"transform = "bucket", width = "50", min = "0""#;
    measure(
        "bucket numeric(12,2) width",
        &*bind(bucket, &num, &key),
        &amounts,
        None,
    );
    let bounds = r#"transform = "bucket", boundaries = ["0", "100", "1000", "10000", "100000"], output = "mid""#;
    measure(
        "bucket numeric(12,2) boundaries mid",
        &*bind(bounds, &num, &key),
        &amounts,
        None,
    );
    measure(
        "bucket integer width",
        &*bind(r#"transform = "bucket", width = "1000""#, &int, &key),
        &ints,
        None,
    );
    measure(
        "noise numeric(12,2) relative",
        &*bind(r#"transform = "noise", relative = 0.05"#, &num, &key),
        &amounts,
        None,
    );
}
