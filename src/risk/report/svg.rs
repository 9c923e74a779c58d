//! Inline SVG charts for the HTML report: no scripts, no external assets, text escaped.

use std::fmt::Write;

/// Escapes text for HTML and SVG content and attributes.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A vertical bar chart of the equivalence-class size distribution: one bar per class size
/// (the first 30 sizes), its height the records in classes of that size; sizes below `min_k`
/// drawn in the failure colour.
pub fn class_sizes(title: &str, sizes: &[[u64; 2]], min_k: u64) -> String {
    let bars: Vec<(u64, u64)> = sizes.iter().take(30).map(|&[s, n]| (s, s * n)).collect();
    let max = bars.iter().map(|b| b.1).max().unwrap_or(1).max(1);
    let (width, height, bar) = (40 + bars.len() as u32 * 22, 160u32, 18u32);
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{}" aria-label="{}"><title>{}</title>"#,
        height + 30,
        escape(title),
        escape(title)
    );
    for (i, (size, records)) in bars.iter().enumerate() {
        let h = ((*records as f64 / max as f64) * f64::from(height - 20)).round() as u32;
        let x = 30 + i as u32 * 22;
        let colour = if *size < min_k { "#c0392b" } else { "#2e86c1" };
        let _ = write!(
            svg,
            r#"<rect x="{x}" y="{}" width="{bar}" height="{h}" fill="{colour}"><title>class size {size}: {records} records</title></rect><text x="{}" y="{}" font-size="10" text-anchor="middle">{size}</text>"#,
            height - h,
            x + bar / 2,
            height + 14
        );
    }
    let _ = write!(
        svg,
        r#"<text x="{}" y="{}" font-size="10" text-anchor="middle">class size (records per bar)</text></svg>"#,
        width / 2,
        height + 28
    );
    svg
}

/// Horizontal bars, one per labelled value in [0, 1]; failing rows in the failure colour.
pub fn risk_bars(title: &str, rows: &[(String, f64, bool)]) -> String {
    let (label_w, bar_w, row_h) = (220u32, 300u32, 20u32);
    let height = rows.len() as u32 * row_h + 10;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{}" height="{height}" aria-label="{}"><title>{}</title>"#,
        label_w + bar_w + 60,
        escape(title),
        escape(title)
    );
    for (i, (label, value, failing)) in rows.iter().enumerate() {
        let y = i as u32 * row_h + 5;
        let v = value.clamp(0.0, 1.0);
        let w = (v * f64::from(bar_w)).round() as u32;
        let colour = if *failing { "#c0392b" } else { "#27ae60" };
        let _ = write!(
            svg,
            r#"<text x="{}" y="{}" font-size="11" text-anchor="end">{}</text><rect x="{label_w}" y="{y}" width="{}" height="{}" fill="{colour}"/><text x="{}" y="{}" font-size="11">{:.2}</text>"#,
            label_w - 6,
            y + 13,
            escape(label),
            w.max(1),
            row_h - 4,
            label_w + w + 4,
            y + 13,
            value
        );
    }
    svg.push_str("</svg>");
    svg
}
