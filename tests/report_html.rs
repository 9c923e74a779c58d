//! The HTML report as a browser shows it: a report with real findings (made by the checker from
//! a hand-fed table) is written to disk, loaded in headless Chromium, and the rendered DOM is
//! checked for the verdict, the table names and the inline SVG charts.
//!
//! The test needs `/usr/bin/chromium` (or `$CHROMIUM`) and fails — never skips — without it.

#[allow(unused_imports)] // this test uses only the scratch directories
mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use understudy::dump::ident::QualifiedName;
use understudy::key::MasterKey;
use understudy::policy::file::Flags;
use understudy::risk::checker::{Checker, ColumnSpec, TableSpec};
use understudy::risk::config::RiskConfig;
use understudy::risk::report::{write_report, Report};

fn chromium() -> PathBuf {
    let path = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    assert!(
        path.is_file(),
        "headless Chromium is needed at {} (or set $CHROMIUM): install it with \
         `apt-get update && apt-get install -y chromium`",
        path.display()
    );
    path
}

fn column(name: &str, rule: &str, qi: bool) -> ColumnSpec {
    ColumnSpec {
        name: name.into(),
        rule: rule.into(),
        changes_values: rule != "keep",
        keep_reason: (rule == "keep").then(|| "reviewed".into()),
        flags: Flags {
            quasi_identifier: qi,
            sensitive: false,
        },
    }
}

/// A failing report: e-mails in a kept column and unique quasi-identifiers.
fn report_with_findings() -> Report {
    let spec = TableSpec {
        name: QualifiedName::new("public", "patients"),
        columns: vec![
            column("id", "keep", false),
            column("email", "hash", false),
            column("notes", "keep", false),
            column("zip", "keep", true),
            column("gender", "keep", true),
        ],
        jointly_known: vec![],
    };
    let mut checker = Checker::from_specs(
        RiskConfig::default(),
        vec![spec],
        &MasterKey::from_bytes([5; 32]),
        None,
    );
    let table = QualifiedName::new("public", "patients");
    let columns: Vec<String> = ["id", "email", "notes", "zip", "gender"]
        .iter()
        .map(|c| c.to_string())
        .collect();
    let mut acc = checker.accumulator(&table, &columns);
    for i in 0..30 {
        let id = i.to_string();
        let email = format!("patient{i}@example.com");
        let notes = if i % 3 == 0 {
            format!("write to patient{i}@example.com")
        } else {
            "stable".to_string()
        };
        let zip = format!("{:05}", 2100 + i % 12);
        let gender = if i % 2 == 0 { "F" } else { "M" };
        let hashed = format!("{:064x}", i);
        let original: Vec<Option<&[u8]>> = vec![
            Some(id.as_bytes()),
            Some(email.as_bytes()),
            Some(notes.as_bytes()),
            Some(zip.as_bytes()),
            Some(gender.as_bytes()),
        ];
        let mut output = original.clone();
        output[1] = Some(hashed.as_bytes());
        acc.row(&original, &output);
    }
    checker.merge(acc);
    checker.finish()
}

fn dump_dom(html: &Path, profile: &Path) -> String {
    let out = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--disable-dev-shm-usage",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", html.display()))
        .output()
        .expect("cannot run chromium");
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("the DOM is UTF-8")
}

#[test]
fn html_report_renders_in_a_browser_with_verdict_tables_and_charts() {
    let report = report_with_findings();
    assert_eq!(report.verdict, "fail");
    let dir = support::scratch_dir();
    let html = dir.join("report.html");
    write_report(&report, &html).expect("report written");
    let profile = dir.join("chromium-profile");
    std::fs::create_dir_all(&profile).unwrap();
    let dom = dump_dom(&html, &profile);
    assert!(dom.contains("Verdict: FAIL"), "no verdict in the DOM");
    assert!(dom.contains("public.patients"), "no table name in the DOM");
    assert!(dom.contains("<svg"), "no chart in the DOM");
    assert!(dom.contains("equivalence-class sizes of public.patients"));
    assert!(dom.contains("public.patients.notes is kept but holds email"));
    assert!(
        !dom.contains("patient3@example.com"),
        "a raw value reached the page"
    );
}
