//! The report as one self-contained HTML page: inline CSS and inline SVG charts (the
//! equivalence-class size distribution of each table with quasi-identifiers, and per-column
//! risk bars), no scripts and no external assets, so it can be attached to a ticket and opened
//! offline. Every string is escaped.

use std::fmt::Write;

use super::svg::{class_sizes, escape, risk_bars};
use super::{percent, ColumnReport, Report};

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:2em;max-width:70em;color:#222}\
table{border-collapse:collapse;margin:.5em 0 1em}td,th{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}\
th{background:#f3f3f3}.verdict{font-size:1.6em;font-weight:bold;padding:.3em .6em;display:inline-block;border-radius:.3em}\
.pass{background:#d5f5e3;color:#196f3d}.fail{background:#fadbd8;color:#922b21}li.reason{color:#922b21}code{background:#f6f6f6}";

/// The single number a column's risk bar shows, and whether it is a failure. Which measure it
/// is depends on the rule: linkage rate for perturbed columns, unchanged share for other
/// changing rules, share of values with validated PII for kept columns; a leak shows as 1.
fn column_risk(c: &ColumnReport, r: &Report) -> (f64, &'static str, bool) {
    let cfg = &r.config;
    if !c.leaks.is_empty() {
        return (1.0, "leaked", true);
    }
    if let Some(l) = &c.linkage {
        let rate = l.reidentification_rate;
        return (rate, "linkage", rate > cfg.max_reidentification_rate);
    }
    if let Some(u) = c.unchanged_fraction {
        return (u, "unchanged", u > cfg.max_unchanged_fraction);
    }
    let pii = c
        .pii_detections
        .iter()
        .filter(|d| d.validated)
        .map(|d| d.share)
        .fold(0.0, f64::max);
    (pii, "PII", pii > 0.0 && !cfg.allow_pii_in_kept_columns)
}

/// Renders the report as a self-contained HTML page.
pub fn render_html(r: &Report) -> String {
    let mut out = String::new();
    let w = &mut out;
    let _ = write!(
        w,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>understudy risk report: {}</title><style>{STYLE}</style></head><body>",
        escape(&r.verdict)
    );
    let _ = write!(
        w,
        "<h1>understudy risk report</h1><p><span id=\"verdict\" class=\"verdict {}\">Verdict: {}</span></p>",
        if r.verdict == "pass" { "pass" } else { "fail" },
        escape(&r.verdict.to_uppercase())
    );
    if !r.reasons.is_empty() {
        let _ = write!(w, "<h2>Reasons</h2><ul id=\"reasons\">");
        for x in &r.reasons {
            let _ = write!(w, "<li class=\"reason\">{}</li>", escape(x));
        }
        w.push_str("</ul>");
    }
    if !r.warnings.is_empty() {
        let _ = write!(w, "<h2>Warnings</h2><ul id=\"warnings\">");
        for x in &r.warnings {
            let _ = write!(w, "<li>{}</li>", escape(x));
        }
        w.push_str("</ul>");
    }
    if !r.passthrough.is_empty() {
        w.push_str("<h2>Verbatim statements and large objects</h2><ul>");
        for d in &r.passthrough {
            let _ = write!(
                w,
                "<li>{}: {} of {} pieces (e.g. {})</li>",
                escape(&d.detector),
                d.matches,
                d.sampled,
                escape(&d.examples.join(", "))
            );
        }
        w.push_str("</ul>");
    }
    for t in &r.tables {
        let _ = write!(
            w,
            "<section class=\"table\"><h2>{}</h2><p>{} rows</p>",
            escape(&t.name),
            t.rows
        );
        w.push_str("<table><tr><th>column</th><th>rule</th><th>changed</th><th>unchanged</th><th>PII (masked examples)</th><th>leaks</th><th>linkage</th></tr>");
        for c in &t.columns {
            let pii: Vec<String> = c
                .pii_detections
                .iter()
                .map(|d| {
                    format!(
                        "{} {} ({})",
                        escape(&d.detector),
                        percent(d.share),
                        escape(&d.examples.join(", "))
                    )
                })
                .collect();
            let leaks: Vec<String> = c
                .leaks
                .iter()
                .map(|l| format!("{} ({} rows)", escape(&l.found_in), l.rows))
                .collect();
            let linkage = c.linkage.as_ref().map_or("—".into(), |l| {
                format!(
                    "rate {:.2}, ρ {}",
                    l.reidentification_rate,
                    l.spearman.map_or("—".into(), |s| format!("{s:.2}"))
                )
            });
            let flags = match (c.quasi_identifier, c.sensitive) {
                (true, true) => " <small>QI, sensitive</small>",
                (true, false) => " <small>QI</small>",
                (false, true) => " <small>sensitive</small>",
                _ => "",
            };
            let _ = write!(
                w,
                "<tr><td><code>{}</code></td><td>{}{flags}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&c.name),
                escape(&c.rule),
                if c.changed { "yes" } else { "no" },
                c.unchanged_fraction.map_or("—".into(), percent),
                pii.join("<br>"),
                leaks.join("<br>"),
                linkage
            );
        }
        w.push_str("</table>");
        let bars: Vec<(String, f64, bool)> = t
            .columns
            .iter()
            .map(|c| {
                let (v, what, failing) = column_risk(c, r);
                (format!("{} ({what})", c.name), v, failing)
            })
            .collect();
        if !bars.is_empty() {
            let _ = write!(
                w,
                "<h3>Per-column risk</h3>{}",
                risk_bars(&format!("per-column risk of {}", t.name), &bars)
            );
        }
        for j in &t.jointly_known {
            let _ = write!(
                w,
                "<p>Jointly known ({}): re-identification rate {:.2} over {} rows.</p>",
                escape(&j.columns.join(", ")),
                j.reidentification_rate,
                j.tested
            );
        }
        if let Some(q) = &t.quasi_identifiers {
            let _ = write!(
                w,
                "<h3>Quasi-identifiers: {}</h3><table><tr><th>k</th><th>highest risk</th><th>average risk</th><th>records at risk</th><th>sample uniques</th><th>population uniqueness</th></tr><tr><td>{}</td><td>{:.3}</td><td>{:.3}</td><td>{}</td><td>{} ({})</td><td>{}</td></tr></table>",
                escape(&q.columns.join(", ")),
                q.k,
                q.highest_risk,
                q.average_risk,
                percent(q.records_at_risk),
                q.sample_uniques,
                percent(q.sample_uniqueness),
                q.population_uniqueness.map_or("—".into(), percent)
            );
            let _ = write!(
                w,
                "<h4>Equivalence-class sizes</h4>{}",
                class_sizes(
                    &format!("equivalence-class sizes of {}", t.name),
                    &q.class_sizes,
                    r.config.min_k
                )
            );
            if !q.diversity.is_empty() {
                w.push_str("<ul>");
                for d in &q.diversity {
                    let _ = write!(
                        w,
                        "<li>l-diversity of <code>{}</code>: distinct {}, entropy {:.2}</li>",
                        escape(&d.column),
                        d.distinct_l,
                        d.entropy_l
                    );
                }
                w.push_str("</ul>");
            }
            if !q.risky_combinations.is_empty() {
                w.push_str("<h4>Risky combinations (SUDA)</h4><ul>");
                for c in &q.risky_combinations {
                    let _ = write!(
                        w,
                        "<li>({}) singles out {} sampled records ({})</li>",
                        escape(&c.columns.join(", ")),
                        c.records,
                        percent(c.share)
                    );
                }
                w.push_str("</ul>");
            }
        }
        w.push_str("</section>");
    }
    let _ = write!(
        w,
        "<footer><p>Report schema version {}. Memory held by the checker: {} bytes.</p></footer></body></html>",
        r.schema_version, r.memory.total
    );
    out
}
