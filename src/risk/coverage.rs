//! Coverage: every column's rule, whether it changes values, and kept columns whose *names*
//! suggest personal data (a warning for the reviewer; content detectors look at the values).

use serde::Serialize;

use crate::policy::resolve::ResolvedPolicy;

/// One column's line in the coverage report.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ColumnCoverage {
    /// Table, as SQL writes it.
    pub table: String,
    /// Column name.
    pub column: String,
    /// The transform's name.
    pub rule: &'static str,
    /// Whether the rule changes values.
    pub changed: bool,
    /// The keep reason, for kept columns.
    pub reason: Option<String>,
}

/// Name fragments that suggest a column holds personal data, with what they suggest.
const SUSPICIOUS: &[(&str, &str)] = &[
    ("email", "an email address"),
    ("e_mail", "an email address"),
    ("phone", "a phone number"),
    ("mobile", "a phone number"),
    ("name", "a person's name"),
    ("address", "an address"),
    ("street", "an address"),
    ("birth", "a date of birth"),
    ("dob", "a date of birth"),
    ("ssn", "a social security number"),
    ("passport", "a passport number"),
    ("ip", "an IP address"),
    ("token", "a secret token"),
    ("password", "a password"),
    ("secret", "a secret"),
    ("iban", "a bank account"),
    ("card", "a payment card"),
    ("zip", "a postcode"),
    ("postcode", "a postcode"),
    ("postal", "a postcode"),
];

/// What a column's name suggests it holds, if anything. Matches whole words of the name
/// (`email`, `customer_email`, `emailAddress`), so `zipper` or `description` do not count.
pub fn name_suggests_pii(column: &str) -> Option<&'static str> {
    let lower = column.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let camel = split_camel(column);
    SUSPICIOUS.iter().find_map(|(frag, what)| {
        let hit = words
            .iter()
            .chain(camel.iter().map(String::as_str).collect::<Vec<_>>().iter())
            .any(|w| {
                *w == *frag || (frag.len() >= 4 && (w.starts_with(frag) || w.ends_with(frag)))
            });
        hit.then_some(*what)
    })
}

fn split_camel(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in s.chars() {
        if c.is_uppercase() && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        if c.is_alphanumeric() {
            cur.extend(c.to_lowercase());
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Coverage of every planned column, sorted by table and column, plus name-based warnings.
pub fn coverage(policy: &ResolvedPolicy) -> (Vec<ColumnCoverage>, Vec<String>) {
    let mut rows = Vec::new();
    let mut warnings = Vec::new();
    for table in policy.tables() {
        for c in &table.columns {
            let reason = c.rule.keep_reason().map(str::to_owned);
            if reason.is_some() {
                if let Some(what) = name_suggests_pii(&c.name) {
                    warnings.push(format!(
                        "{}.{} is kept, but its name suggests {what}",
                        table.name,
                        crate::dump::ident::quote_ident(&c.name)
                    ));
                }
            }
            rows.push(ColumnCoverage {
                table: table.name.to_string(),
                column: c.name.clone(),
                rule: c.rule.name(),
                changed: c.rule.changes_values(),
                reason,
            });
        }
    }
    rows.sort_by(|a, b| (&a.table, &a.column).cmp(&(&b.table, &b.column)));
    warnings.sort();
    (rows, warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_suggest_personal_data() {
        for (name, expected) in [
            ("email", Some("an email address")),
            ("customer_email", Some("an email address")),
            ("billingAddress", Some("an address")),
            ("birth_date", Some("a date of birth")),
            ("client_ip", Some("an IP address")),
            ("zip", Some("a postcode")),
            ("id", None),
            ("description", None),
            ("status", None),
            ("shipped", None),
        ] {
            assert_eq!(name_suggests_pii(name), expected, "{name}");
        }
    }
}
