//! The checks behind the fuzz targets in `fuzz/` and the corpus replay in `tests/fuzz_corpus.rs`.
//!
//! Each `check_*` function takes arbitrary bytes, drives one parser (or the whole pipeline)
//! through the crate's public API, and panics when an invariant breaks: a panic here is a
//! finding. Keeping the checks in the library, rather than in the fuzz crate, lets the ordinary
//! `cargo test` replay every corpus file and every regression on machines without cargo-fuzz.
//! Nothing here is part of understudy's API; it is hidden from the docs and may change freely.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use crate::dump::copy_text::{self, CopyError};
use crate::dump::ddl;
use crate::dump::ident::QualifiedName;
use crate::dump::insert_values::{self, LiteralKind};
use crate::dump::reader::{DumpReader, Event};
use crate::dump::schema::Schema;
use crate::key::MasterKey;
use crate::pipeline::{self, RunOptions};
use crate::policy::{file, resolve};
use crate::transform::ff1::Ff1;
use crate::transform::{Applied, Bound, ColumnContext, Rule};

/// A target's check: panics on a finding.
pub type Check = fn(&[u8]);

/// Every fuzz target, as named in `fuzz/fuzz_targets/` and `fuzz/corpus/`.
pub const TARGETS: &[(&str, Check)] = &[
    ("copy_text", check_copy_text),
    ("ddl", check_ddl),
    ("insert_values", check_insert_values),
    ("pipeline", check_pipeline),
    ("policy", check_policy),
    ("statement_splitter", check_statement_splitter),
    ("transforms", check_transforms),
];

/// The fixed key every check uses, so that runs are reproducible.
pub fn fuzz_key() -> MasterKey {
    MasterKey::from_bytes([0x42; 32])
}

/// `DumpReader` over `data` with a chunk size taken from the first byte (1 to 64, so that
/// refills happen everywhere). When reading succeeds, the events' bytes concatenate to the
/// input; when it fails, what was handed out so far is a prefix of the input.
pub fn check_statement_splitter(data: &[u8]) {
    let Some((&first, input)) = data.split_first() else {
        return;
    };
    let chunk = usize::from(first % 64) + 1;
    let mut reader = DumpReader::with_chunk(Cursor::new(input), chunk);
    let mut seen = Vec::with_capacity(input.len());
    let result = loop {
        match reader.next_event() {
            Ok(Some(event)) => {
                let bytes: &[u8] = match event {
                    Event::Verbatim(text) => text,
                    Event::Statement { text, .. } => text,
                    Event::Meta { text, .. } => text,
                    Event::CopyData { data, crlf, .. } => {
                        assert!(!data.is_empty(), "empty CopyData event");
                        assert!(data.ends_with(b"\n"), "CopyData without a final newline");
                        if crlf {
                            assert!(data.ends_with(b"\r\n"), "crlf block without CRLF");
                        }
                        data
                    }
                    Event::CopyEnd { text, .. } => text,
                };
                seen.extend_from_slice(bytes);
                assert!(
                    input.starts_with(&seen),
                    "events diverge from the input at byte {}",
                    first_difference(&seen, input)
                );
            }
            Ok(None) => break Ok(()),
            Err(e) => break Err(e),
        }
    };
    if result.is_ok() {
        assert_eq!(
            seen.len(),
            input.len(),
            "events do not cover the whole input"
        );
    }
}

fn first_difference(a: &[u8], b: &[u8]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

/// The COPY text codec. First byte: bit 0 = UTF-8 mode, bits 1–3 = expected fields for the
/// block check. Per field: `validate_field` and `decode_into` agree; a decoded value encodes and
/// decodes back to itself; any NUL-free value round-trips through `encode_into`. For the block:
/// `validate_block` agrees line by line with `validate_line`.
pub fn check_copy_text(data: &[u8]) {
    let Some((&flags, input)) = data.split_first() else {
        return;
    };
    let utf8 = flags & 1 == 1;
    let expected = usize::from((flags >> 1) & 7);
    let mut decoded = Vec::new();
    let mut again = Vec::new();
    let mut encoded = Vec::new();
    for line in input.split(|&b| b == b'\n') {
        for field in copy_text::fields(line) {
            assert!(field.len() <= line.len());
            decoded.clear();
            let valid = copy_text::validate_field(field, utf8);
            let decode = copy_text::decode_into(field, utf8, &mut decoded);
            assert_eq!(
                valid.is_ok(),
                decode.is_ok(),
                "validate_field and decode_into disagree: {valid:?} vs {decode:?}"
            );
            if decode.is_err() {
                assert!(decoded.is_empty(), "decode_into left bytes behind on error");
                continue;
            }
            assert!(!decoded.contains(&0), "decode_into produced a NUL");
            if utf8 {
                assert!(
                    std::str::from_utf8(&decoded).is_ok(),
                    "decoded invalid UTF-8"
                );
            }
            encoded.clear();
            copy_text::encode_into(&decoded, &mut encoded);
            assert_eq!(
                copy_text::fields(&encoded).count(),
                1,
                "encoding split a field"
            );
            assert!(!encoded.contains(&b'\n') && !encoded.contains(&b'\r'));
            again.clear();
            copy_text::decode_into(&encoded, utf8, &mut again)
                .expect("an encoded decoded value must decode");
            assert_eq!(again, decoded, "decode(encode(v)) != v");
        }
    }
    // Any NUL-free value, encoded, decodes back exactly (UTF-8 mode needs UTF-8 text).
    let value: Vec<u8> = input.iter().copied().filter(|&b| b != 0).collect();
    if !utf8 || std::str::from_utf8(&value).is_ok() {
        encoded.clear();
        copy_text::encode_into(&value, &mut encoded);
        again.clear();
        copy_text::decode_into(&encoded, utf8, &mut again).expect("encoded value must decode");
        assert_eq!(again, value, "decode(encode(raw)) != raw");
        assert!(!copy_text::is_null(&encoded) || value == b"\\N".as_slice());
    }
    check_block_agrees(input, expected, utf8);
}

/// `validate_block` (the fast path) must give exactly what `validate_line` gives line by line.
fn check_block_agrees(block: &[u8], expected: usize, utf8: bool) {
    let fast = copy_text::validate_block(block, expected, utf8);
    let mut slow: Result<usize, (usize, CopyError)> = Ok(0);
    let mut index = 0;
    let mut rest = block;
    while !rest.is_empty() {
        let Some(end) = memchr::memchr(b'\n', rest) else {
            slow = Err((index, CopyError::UnterminatedLine { offset: rest.len() }));
            break;
        };
        if let Err(e) = copy_text::validate_line(&rest[..end], expected, utf8) {
            slow = Err((index, e));
            break;
        }
        index += 1;
        rest = &rest[end + 1..];
        slow = Ok(index);
    }
    assert_eq!(fast, slow, "validate_block disagrees with validate_line");
}

/// The INSERT `VALUES` lexer. Every span lies inside the statement, after the previous one;
/// string literals that decode encode back to a literal that decodes the same; any value
/// encodes to a literal that decodes back to it.
pub fn check_insert_values(data: &[u8]) {
    let mut last_end = 0;
    let mut decoded = Vec::new();
    let mut encoded = Vec::new();
    let mut again = Vec::new();
    let result = insert_values::parse_rows(data, 0, |row| -> Result<(), ()> {
        assert!(!row.is_empty(), "a row with no values");
        for span in row {
            assert!(span.range.start < span.range.end, "empty value span");
            assert!(span.range.end <= data.len(), "span past the statement");
            assert!(span.range.start >= last_end, "spans out of order");
            last_end = span.range.end;
            let text = &data[span.range.clone()];
            if span.kind != LiteralKind::String {
                continue;
            }
            decoded.clear();
            if insert_values::decode_string(text, &mut decoded).is_ok() {
                encoded.clear();
                insert_values::encode_string(&decoded, &mut encoded);
                again.clear();
                insert_values::decode_string(&encoded, &mut again)
                    .expect("an encoded literal must decode");
                assert_eq!(again, decoded, "decode(encode(v)) != v");
            } else {
                assert!(
                    decoded.is_empty(),
                    "decode_string left bytes behind on error"
                );
            }
        }
        Ok(())
    });
    if let Ok(end) = result {
        assert!(end.values_end <= end.end && end.end <= data.len());
        assert!(end.rows > 0);
    }
    decoded.clear();
    let _ = insert_values::decode_string(data, &mut decoded);
    encoded.clear();
    insert_values::encode_string(data, &mut encoded);
    again.clear();
    insert_values::decode_string(&encoded, &mut again).expect("encode_string output must decode");
    assert_eq!(again, data, "decode(encode(raw)) != raw");
}

/// DDL extraction: the input (lossily UTF-8) split at NUL bytes into statements applied to one
/// schema in order. Must not panic; every table the schema holds has uniquely named columns.
pub fn check_ddl(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut schema = Schema::new();
    for (i, sql) in text.split('\0').enumerate() {
        let _ = ddl::apply_statement(&mut schema, sql, i as u64 + 1);
    }
    for table in schema.tables() {
        let mut names: Vec<&str> = table.columns.iter().map(|c| c.name.as_str()).collect();
        names.sort_unstable();
        let before = names.len();
        names.dedup();
        assert_eq!(before, names.len(), "a table with duplicate column names");
    }
}

/// The fixed schema policies are resolved against.
pub fn fuzz_schema() -> Schema {
    let mut schema = Schema::new();
    for sql in [
        "CREATE TABLE public.t (id integer NOT NULL, label text, memo character varying(12), n numeric(5,2), at timestamp with time zone, tags text[]);",
        "CREATE TABLE \"Odd Schema\".\"We\"\"ird\" (\"Col A\" text, b bytea);",
        "ALTER TABLE ONLY public.t ADD CONSTRAINT t_pkey PRIMARY KEY (id);",
    ] {
        ddl::apply_statement(&mut schema, sql, 1).expect("fixed fuzz schema");
    }
    schema
}

/// Policy files: `file::parse` on the (lossy UTF-8) text; when it parses, `resolve` against
/// [`fuzz_schema`]. Every problem names the file and a line inside it; a resolved policy
/// plans every column of every table.
pub fn check_policy(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let path = Path::new("fuzz.toml");
    let lines = text.lines().count().max(1);
    let check_problems = |problems: &[crate::error::PolicyProblem]| {
        assert!(!problems.is_empty(), "an error with no problems");
        for p in problems {
            assert_eq!(p.file, path);
            assert!(p.line <= lines + 1, "problem line {} past the end", p.line);
        }
    };
    let policy = match file::parse(path, &text) {
        Ok(policy) => policy,
        Err(problems) => return check_problems(&problems),
    };
    let schema = fuzz_schema();
    match resolve::resolve(&policy, &schema, &fuzz_key()) {
        Ok(resolved) => {
            for table in schema.tables() {
                let plan = resolved.table(&table.name).expect("a table without a plan");
                for column in table.data_columns() {
                    assert!(
                        plan.column(&column.name).is_some(),
                        "a column without a plan"
                    );
                }
            }
        }
        Err(problems) => check_problems(&problems),
    }
}

/// The table every pipeline check uses: kept `id` and `memo`, `label` changed by the
/// redacting policy.
const PIPELINE_DDL: &str =
    "CREATE TABLE public.t (\n    id integer NOT NULL,\n    label text,\n    memo text\n);\n";

/// Keeps every column of `public.t`: output must equal input.
pub const KEEP_POLICY: &str = r#"version = 1
[tables."public.t".columns]
id = { transform = "keep", reason = "fuzz" }
label = { transform = "keep", reason = "fuzz" }
memo = { transform = "keep", reason = "fuzz" }
"#;

/// Redacts `label`: no original `label` value may reach the output.
pub const REDACT_POLICY: &str = r#"version = 1
[tables."public.t".columns]
id = { transform = "keep", reason = "fuzz" }
label = { transform = "redact" }
memo = { transform = "hash" }
"#;

/// The header pg_dump 15 writes, as the structured pipeline dumps use it.
const DUMP_HEADER: &str = "--\n-- PostgreSQL database dump\n--\n\nSET statement_timeout = 0;\nSET client_encoding = 'UTF8';\nSET standard_conforming_strings = on;\nSELECT pg_catalog.set_config('search_path', '', false);\n\n";

/// The byte that marks the redacted column's values in structured pipeline inputs. It is
/// removed from the fuzzer's bytes, and neither COPY nor literal encoding writes it, so it can
/// only reach the output if an original `label` value does.
const SECRET: u8 = 0x01;

/// The whole pipeline on a small dump. First byte even: the rest is a raw dump, run under the
/// keep-all policy (output == input when the run succeeds) and the redacting policy (must not
/// panic). First byte odd: the rest becomes the rows of a generated dump (COPY or INSERT form by
/// bit 1) whose `label` values all start with a marker byte; under the redacting policy the
/// marker must not appear in the output, and under keep-all the output equals the input.
pub fn check_pipeline(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    if mode & 1 == 0 {
        let out = run_pipeline(rest, KEEP_POLICY);
        if let Some(out) = out {
            assert!(out == rest, "keep-all output differs from the input");
        }
        let _ = run_pipeline(rest, REDACT_POLICY);
    } else {
        let dump = structured_dump(rest, mode & 2 == 2);
        if let Some(out) = run_pipeline(&dump, KEEP_POLICY) {
            assert!(out == dump, "keep-all output differs from the input");
        }
        if let Some(out) = run_pipeline(&dump, REDACT_POLICY) {
            assert!(
                !out.contains(&SECRET),
                "an original value of a redacted column reached the output"
            );
        }
    }
}

/// A pg_dump-shaped dump of `public.t` whose rows come from `data`: lines are rows, TABs split
/// `label` from `memo`.
pub fn structured_dump(data: &[u8], inserts: bool) -> Vec<u8> {
    let data: Vec<u8> = data.iter().copied().filter(|&b| b != SECRET).collect();
    let mut dump = Vec::from(DUMP_HEADER);
    dump.extend_from_slice(PIPELINE_DDL.as_bytes());
    dump.extend_from_slice(b"\n");
    if !inserts {
        dump.extend_from_slice(b"COPY public.t (id, label, memo) FROM stdin;\n");
    }
    for (i, line) in data.split(|&b| b == b'\n').enumerate() {
        let mut parts = line.splitn(2, |&b| b == b'\t');
        let label = parts.next().unwrap_or_default();
        let memo = parts.next();
        let mut label_value = vec![SECRET];
        label_value.extend_from_slice(label);
        if inserts {
            dump.extend_from_slice(format!("INSERT INTO public.t VALUES ({i}, ").as_bytes());
            insert_values::encode_string(&label_value, &mut dump);
            dump.extend_from_slice(b", ");
            match memo {
                Some(m) => insert_values::encode_string(m, &mut dump),
                None => dump.extend_from_slice(b"NULL"),
            }
            dump.extend_from_slice(b");\n");
        } else {
            // Raw fuzzer bytes go into the COPY fields unencoded, so escapes get exercised.
            dump.extend_from_slice(format!("{i}\t").as_bytes());
            dump.extend_from_slice(&label_value);
            dump.push(b'\t');
            dump.extend_from_slice(memo.unwrap_or(b"\\N"));
            dump.push(b'\n');
        }
    }
    if !inserts {
        dump.extend_from_slice(b"\\.\n");
    }
    dump.extend_from_slice(b"\n--\n-- PostgreSQL database dump complete\n--\n\n");
    dump
}

/// Runs the pipeline on `dump` with `policy`; `Some(output)` when it succeeded.
pub fn run_pipeline(dump: &[u8], policy: &str) -> Option<Vec<u8>> {
    let dir = scratch();
    let (input, policy_path, output) = (
        dir.join("input.sql"),
        dir.join("policy.toml"),
        dir.join("output.sql"),
    );
    std::fs::write(&input, dump).expect("write fuzz input");
    std::fs::write(&policy_path, policy).expect("write fuzz policy");
    let _ = std::fs::remove_file(&output);
    let opts = RunOptions {
        policy: policy_path,
        input,
        output: output.clone(),
        schema_from: None,
        max_expanded_size: 1 << 30,
        // The risk checker still runs (a report is asked for), so it is fuzzed too; the gate
        // is skipped so that identity and no-leak checks see every successful run.
        dangerously_skip_risk_gate: true,
        report: Some(output.with_extension("report.json")),
        sample: Some(100),
        discard_output: false,
        source: None,
        target: None,
        require_approved: false,
    };
    match pipeline::run(&opts, &fuzz_key(), &|_| {}) {
        Ok(_) => Some(std::fs::read(&output).expect("a successful run leaves its output")),
        Err(_) => {
            assert!(!output.exists(), "a failed run left an output file");
            None
        }
    }
}

/// A per-process, per-thread scratch directory (tests run checks on several threads).
fn scratch() -> PathBuf {
    let thread = format!("{:?}", std::thread::current().id());
    let name: String = thread.chars().filter(char::is_ascii_digit).collect();
    let dir = std::env::temp_dir().join(format!("understudy-fuzz-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("create fuzz scratch dir");
    dir
}

/// Transforms on arbitrary values: `hash` (deterministic, fixed-length hex), `redact` (the
/// type's constant), FF1 encrypt/decrypt (a permutation: decrypt inverts encrypt, numerals stay
/// below the radix) and `encrypt_in_domain` (stays in the domain, inverted by decrypt).
pub fn check_transforms(data: &[u8]) {
    let schema = fuzz_schema();
    let table = schema
        .table(&QualifiedName::new("public", "t"))
        .expect("fuzz table");
    let key = fuzz_key();
    for (column, rule) in [
        ("label", Rule::Hash(Default::default())),
        ("memo", Rule::Hash(Default::default())),
        ("label", Rule::Redact(Default::default())),
        ("memo", Rule::Redact(Default::default())),
    ] {
        let col = table.column(column).expect("fuzz column");
        let ctx = ColumnContext {
            qualified: column,
            default_domain: column,
            ty: col.ty.as_ref(),
            not_null: col.not_null,
            key: &key,
        };
        let Bound::Apply(t) = rule.bind(&ctx).expect("bind") else {
            panic!("hash and redact change values");
        };
        let (mut a, mut b) = (Vec::new(), Vec::new());
        assert_eq!(
            t.apply(data, &Default::default(), &mut a),
            Ok(Applied::Value)
        );
        assert_eq!(
            t.apply(data, &Default::default(), &mut b),
            Ok(Applied::Value)
        );
        assert_eq!(a, b, "a transform is not deterministic");
        assert!(a.len() <= 64 && std::str::from_utf8(&a).is_ok());
    }
    check_ff1(data);
    check_value_transforms(data);
}

/// The rules that parse their input (dates in formats, exact decimals, JSON, arrays, the FF1
/// family's formats), bound to typed columns: any input either transforms deterministically or
/// is refused with an error — never a panic.
fn check_value_transforms(data: &[u8]) {
    let key = fuzz_key();
    let rules: &[(&str, &str)] = &[
        (
            r#"{ transform = "shift_date", max = "30d" }"#,
            "timestamp with time zone",
        ),
        (
            r#"{ transform = "shift_date", max = "72h", keep_time_of_day = true }"#,
            "date",
        ),
        (
            r#"{ transform = "shift_date", max = "30d", formats = ["%Y-%m-%d", "%m/%d/%Y"] }"#,
            "text",
        ),
        (
            r#"{ transform = "generalize_date", unit = "quarter" }"#,
            "timestamp without time zone",
        ),
        (
            r#"{ transform = "bucket", width = "10", min = "0", max = "1000000" }"#,
            "numeric(12,2)",
        ),
        (
            r#"{ transform = "bucket", log_base = 10, output = "label" }"#,
            "text",
        ),
        (r#"{ transform = "noise", relative = "0.05" }"#, "integer"),
        (
            r#"{ transform = "generalize", prefix = 3 }"#,
            "character varying(10)",
        ),
        (r#"{ transform = "mask", keep_last = 4 }"#, "text"),
        (r#"{ transform = "json", scrub = true }"#, "jsonb"),
        (
            r#"{ transform = "json", paths = { "$.a[*].b" = { transform = "hash" } } }"#,
            "json",
        ),
        (r#"{ transform = "hash" }"#, "text[]"),
        (r#"{ transform = "tokenize" }"#, "text"),
        (
            r#"{ transform = "email", domain_mode = "reserved" }"#,
            "text",
        ),
        (r#"{ transform = "phone" }"#, "text"),
        (r#"{ transform = "card_number" }"#, "text"),
        (r#"{ transform = "iban" }"#, "text"),
        (r#"{ transform = "uuid" }"#, "uuid"),
        (r#"{ transform = "ip", keep_prefix = 8 }"#, "inet"),
        (r#"{ transform = "integer_id" }"#, "bigint"),
        (
            r#"{ transform = "fake", kind = "full_name" }"#,
            "character varying(12)",
        ),
    ];
    #[derive(serde::Deserialize)]
    struct W {
        r: Rule,
    }
    // Bound once: binding parses types with sqlparser, far slower than one fuzz input.
    static BOUND: std::sync::OnceLock<Vec<(&'static str, Box<dyn crate::transform::Transform>)>> =
        std::sync::OnceLock::new();
    let bound = BOUND.get_or_init(|| {
        rules
            .iter()
            .map(|(rule, ty)| {
                let rule = toml::from_str::<W>(&format!("r = {rule}"))
                    .expect("fuzz rule parses")
                    .r;
                let ty = crate::reveal::parse_column_type(ty).expect("fuzz type parses");
                let ctx = ColumnContext {
                    qualified: "public.t.c",
                    default_domain: "public.t.c",
                    ty: Some(&ty),
                    not_null: false,
                    key: &key,
                };
                let Ok(Bound::Apply(t)) = rule.bind(&ctx) else {
                    panic!("fuzz rule {} does not bind", rule.name());
                };
                (rule.name(), t)
            })
            .collect()
    });
    for (name, t) in bound {
        let (mut a, mut b) = (Vec::new(), Vec::new());
        let first = t.apply(data, &Default::default(), &mut a);
        let second = t.apply(data, &Default::default(), &mut b);
        assert_eq!(first.is_ok(), second.is_ok(), "{name} is not deterministic");
        if first.is_ok() {
            assert_eq!(a, b, "{name} is not deterministic");
        }
    }
}

fn check_ff1(data: &[u8]) {
    if data.len() < 12 {
        return;
    }
    let ff1 = Ff1::new(&[7u8; 32]).expect("32-byte key");
    let (head, rest) = data.split_at(12);
    let radix = 2 + u32::from(u16::from_le_bytes([head[0], head[1]])) % 65535;
    let tweak_len = usize::from(head[2] % 16).min(rest.len());
    let (tweak, body) = rest.split_at(tweak_len);
    let x: Vec<u16> = body
        .chunks(2)
        .take(64)
        .map(|c| {
            let v = u32::from(c[0]) | u32::from(*c.get(1).unwrap_or(&0)) << 8;
            (v % radix) as u16
        })
        .collect();
    if let Ok(y) = ff1.encrypt(tweak, radix, &x) {
        assert_eq!(y.len(), x.len());
        assert!(
            y.iter().all(|&d| u32::from(d) < radix),
            "numeral past the radix"
        );
        assert_eq!(ff1.decrypt(tweak, radix, &y).expect("decrypt"), x);
    }
    let domain = u64::from_le_bytes(head[3..11].try_into().expect("8 bytes"));
    // Short domains cost about 1,000 FF1 calls a walk; keep the fuzzer fast by bounding the
    // value's bits, not the domain.
    let domain = domain >> (head[11] % 64);
    if domain == 0 {
        return;
    }
    let value = u64::from_le_bytes({
        let mut b = [0u8; 8];
        for (d, s) in b.iter_mut().zip(body.iter().rev()) {
            *d = *s;
        }
        b
    }) % domain;
    match ff1.encrypt_in_domain(tweak, domain, value) {
        Ok(y) => {
            assert!(y < domain, "encrypt_in_domain left the domain");
            assert_eq!(
                ff1.decrypt_in_domain(tweak, domain, y).expect("decrypt"),
                value
            );
        }
        Err(_) => assert!(domain < 1000, "refused a domain of {domain}"),
    }
}
