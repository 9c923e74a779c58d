//! Tests of the renderers and of `write_report`.

use super::*;

/// A small report with one of each finding, shared with the checker's tests.
pub(crate) fn sample_report() -> Report {
    Report {
        schema_version: SCHEMA_VERSION,
        verdict: "fail".into(),
        reasons: vec!["public.customers.notes is kept but holds email <script>".into()],
        warnings: vec!["a warning".into()],
        config: RiskConfig::default(),
        passthrough: vec![],
        tables: vec![TableReport {
            name: "public.customers".into(),
            rows: 3,
            columns: vec![ColumnReport {
                name: "notes".into(),
                rule: "keep".into(),
                changed: false,
                keep_reason: Some("free text".into()),
                quasi_identifier: false,
                sensitive: false,
                unchanged_fraction: None,
                pii_detections: vec![Detection {
                    detector: "email".into(),
                    validated: true,
                    matches: 2,
                    sampled: 3,
                    share: 2.0 / 3.0,
                    examples: vec!["j***@e******.com".into()],
                }],
                leaks: vec![],
                linkage: None,
            }],
            quasi_identifiers: Some(QiReport {
                columns: vec!["zip".into()],
                records: 3,
                classes: 2,
                k: 1,
                highest_risk: 1.0,
                average_risk: 2.0 / 3.0,
                records_at_risk: 1.0,
                sample_uniques: 1,
                sample_uniqueness: 1.0 / 3.0,
                population_uniqueness: None,
                class_sizes: vec![[1, 1], [2, 1]],
                diversity: vec![],
                risky_combinations: vec![],
            }),
            jointly_known: vec![],
        }],
        unchecked_leaks: vec![],
        second_read: vec![],
        memory: Memory::default(),
    }
}

#[test]
fn json_has_the_contract_fields_and_round_trips() {
    let r = sample_report();
    let v: serde_json::Value = serde_json::from_str(&r.to_json()).unwrap();
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["verdict"], "fail");
    let t = &v["tables"][0];
    for key in ["name", "rows", "columns", "quasi_identifiers"] {
        assert!(t.get(key).is_some(), "{key}");
    }
    let c = &t["columns"][0];
    for key in [
        "name",
        "rule",
        "changed",
        "unchanged_fraction",
        "pii_detections",
        "leaks",
        "linkage",
    ] {
        assert!(c.get(key).is_some(), "{key}");
    }
    let q = &t["quasi_identifiers"];
    for key in [
        "columns",
        "k",
        "highest_risk",
        "average_risk",
        "records_at_risk",
        "sample_uniques",
        "sample_uniqueness",
        "population_uniqueness",
        "risky_combinations",
    ] {
        assert!(q.get(key).is_some(), "{key}");
    }
    let back: Report = serde_json::from_value(v).unwrap();
    assert_eq!(back, r);
    assert!(!r.verdict().passes());
}

#[test]
fn html_is_self_contained_and_escaped() {
    let html = render_html(&sample_report());
    assert!(html.contains("<svg"));
    assert!(html.contains("public.customers"));
    assert!(html.contains("&lt;script&gt;"));
    assert!(!html.contains("<script"));
    for external in ["http://", "https://", "src=", "<link"] {
        let hits: Vec<_> = html.match_indices(external).collect();
        // The only URL allowed is the SVG namespace, which browsers never fetch.
        let allowed = html.matches("http://www.w3.org/2000/svg").count();
        if external == "http://" {
            assert_eq!(hits.len(), allowed, "{external}");
        } else {
            assert!(hits.is_empty(), "{external}");
        }
    }
}

#[test]
fn markdown_lists_the_verdict_and_tables() {
    let md = render_markdown(&sample_report());
    assert!(md.contains("**Verdict: FAIL**"));
    assert!(md.contains("## public.customers (3 rows)"));
    assert!(md.contains("| notes | keep | no |"));
}

#[test]
fn write_report_picks_the_format_by_extension_and_refuses_others() {
    let dir = std::env::temp_dir().join(format!("understudy-report-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let r = sample_report();
    for (name, start) in [
        ("r.json", "{"),
        ("r.md", "# understudy"),
        ("r.html", "<!DOCTYPE html>"),
    ] {
        let path = dir.join(name);
        write_report(&r, &path).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with(start), "{name}");
    }
    let err = write_report(&r, &dir.join("r.txt"))
        .unwrap_err()
        .to_string();
    assert!(err.contains(".json, .md or .html"), "{err}");
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
    std::fs::remove_dir_all(&dir).unwrap();
}
