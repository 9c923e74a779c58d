//! The report as Markdown, for pull requests and terminals: verdict, reasons, warnings, then one
//! section per table with a column table and the quasi-identifier statistics.

use std::fmt::Write;

use super::{percent, Report};

/// Escapes text for a Markdown table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn opt(x: Option<f64>, f: impl Fn(f64) -> String) -> String {
    x.map_or_else(|| "—".into(), f)
}

/// Renders the report as Markdown.
pub fn render_markdown(r: &Report) -> String {
    let mut out = String::new();
    let w = &mut out;
    let _ = writeln!(w, "# understudy risk report\n");
    let _ = writeln!(w, "**Verdict: {}**\n", r.verdict.to_uppercase());
    if !r.reasons.is_empty() {
        let _ = writeln!(w, "## Reasons\n");
        for x in &r.reasons {
            let _ = writeln!(w, "- {}", cell(x));
        }
        let _ = writeln!(w);
    }
    if !r.warnings.is_empty() {
        let _ = writeln!(w, "## Warnings\n");
        for x in &r.warnings {
            let _ = writeln!(w, "- {}", cell(x));
        }
        let _ = writeln!(w);
    }
    if !r.passthrough.is_empty() {
        let _ = writeln!(w, "## Verbatim statements and large objects\n");
        for d in &r.passthrough {
            let _ = writeln!(
                w,
                "- {}: {} of {} pieces (e.g. {})",
                d.detector,
                d.matches,
                d.sampled,
                cell(&d.examples.join(", "))
            );
        }
        let _ = writeln!(w);
    }
    for t in &r.tables {
        let _ = writeln!(w, "## {} ({} rows)\n", cell(&t.name), t.rows);
        let _ = writeln!(
            w,
            "| column | rule | changed | unchanged | PII | leaks | linkage |\n|---|---|---|---|---|---|---|"
        );
        for c in &t.columns {
            let pii: Vec<String> = c
                .pii_detections
                .iter()
                .map(|d| format!("{} {}", d.detector, percent(d.share)))
                .collect();
            let leaks: Vec<String> = c
                .leaks
                .iter()
                .map(|l| format!("{} ({} rows)", l.found_in, l.rows))
                .collect();
            let linkage = c.linkage.as_ref().map_or("—".into(), |l| {
                format!(
                    "rate {:.2}, ρ {}",
                    l.reidentification_rate,
                    opt(l.spearman, |s| format!("{s:.2}"))
                )
            });
            let mut rule = c.rule.clone();
            if c.quasi_identifier {
                rule.push_str(" (QI)");
            }
            if c.sensitive {
                rule.push_str(" (sensitive)");
            }
            let _ = writeln!(
                w,
                "| {} | {} | {} | {} | {} | {} | {} |",
                cell(&c.name),
                cell(&rule),
                if c.changed { "yes" } else { "no" },
                opt(c.unchanged_fraction, percent),
                cell(&pii.join(", ")),
                cell(&leaks.join(", ")),
                linkage
            );
        }
        let _ = writeln!(w);
        for j in &t.jointly_known {
            let _ = writeln!(
                w,
                "Jointly known ({}): re-identification rate {:.2} over {} rows.\n",
                cell(&j.columns.join(", ")),
                j.reidentification_rate,
                j.tested
            );
        }
        if let Some(q) = &t.quasi_identifiers {
            let _ = writeln!(
                w,
                "Quasi-identifiers ({}): k = {}, highest risk {:.3}, average risk {:.3}, records at risk {}, sample uniques {} ({}), population uniqueness {}.\n",
                cell(&q.columns.join(", ")),
                q.k,
                q.highest_risk,
                q.average_risk,
                percent(q.records_at_risk),
                q.sample_uniques,
                percent(q.sample_uniqueness),
                opt(q.population_uniqueness, percent)
            );
            for d in &q.diversity {
                let _ = writeln!(
                    w,
                    "- l-diversity of {}: distinct {}, entropy {:.2}",
                    cell(&d.column),
                    d.distinct_l,
                    d.entropy_l
                );
            }
            for c in &q.risky_combinations {
                let _ = writeln!(
                    w,
                    "- ({}) singles out {} sampled records ({})",
                    cell(&c.columns.join(", ")),
                    c.records,
                    percent(c.share)
                );
            }
            let _ = writeln!(w);
        }
    }
    let _ = writeln!(
        w,
        "Memory held by the checker: {} bytes (fingerprints {}, linkage {}, classes {}).",
        r.memory.total, r.memory.fingerprints, r.memory.linkage, r.memory.classes
    );
    out
}
