//! `understudy policy diff OLD NEW`: the semantic change between two versions of a policy.
//!
//! Both files are compared as parsed (includes merged, `use` expanded), so moving a rule into a
//! shared file or reformatting is not a change. Changes that let more information through —
//! a column newly kept, a destructive rule replaced by a reversible one, a quasi-identifier or
//! sensitive flag dropped, a risk threshold loosened, large objects kept — are listed first.

use std::collections::BTreeMap;

use super::file::PolicyFile;

/// How a change affects what the output reveals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Impact {
    /// More information may reach staging.
    Loosened,
    /// Less information reaches staging.
    Tightened,
    /// Neither, or not decidable from the policy alone.
    Changed,
}

/// One change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub impact: Impact,
    pub what: String,
}

type Rules = BTreeMap<(String, String), toml::Table>;

fn rules(p: &PolicyFile) -> (Rules, BTreeMap<String, ()>) {
    let mut rules = Rules::new();
    let mut tables = BTreeMap::new();
    for t in p.tables.iter().chain(&p.patterns) {
        let name = if t.is_pattern() {
            format!("{}.{}", t.name.schema, t.name.name)
        } else {
            t.name.to_string()
        };
        tables.insert(name.clone(), ());
        for c in &t.columns {
            rules.insert((name.clone(), c.column.clone()), c.spec.clone());
        }
    }
    (rules, tables)
}

fn show(spec: &toml::Table) -> String {
    let parts: Vec<String> = spec.iter().map(|(k, v)| format!("{k} = {v}")).collect();
    format!("{{ {} }}", parts.join(", "))
}

fn transform(spec: &toml::Table) -> &str {
    spec.get("transform")
        .and_then(toml::Value::as_str)
        .unwrap_or("?")
}

/// Transforms that destroy the value (nothing to recover, even with the key).
fn destroys(t: &str) -> bool {
    matches!(t, "null" | "redact")
}

fn flag(spec: &toml::Table, name: &str) -> bool {
    spec.get(name)
        .and_then(toml::Value::as_bool)
        .unwrap_or(false)
}

/// Keys of `[risk]` where a larger value is looser (everything else named `min_*` is the reverse).
fn looser_when_larger(key: &str) -> Option<bool> {
    if key.starts_with("min_") {
        Some(false)
    } else if key.starts_with("max_") || key == "risk_threshold" {
        Some(true)
    } else {
        None
    }
}

/// The changes from `old` to `new`, loosening ones first.
pub fn diff(old: &PolicyFile, new: &PolicyFile) -> Vec<Change> {
    let mut out = Vec::new();
    let mut push = |impact, what: String| out.push(Change { impact, what });
    let (old_rules, old_tables) = rules(old);
    let (new_rules, new_tables) = rules(new);
    for t in new_tables.keys().filter(|t| !old_tables.contains_key(*t)) {
        push(Impact::Changed, format!("table {t} added"));
    }
    for t in old_tables.keys().filter(|t| !new_tables.contains_key(*t)) {
        push(
            Impact::Changed,
            format!(
                "table {t} removed (its columns now need rules elsewhere, or run fails closed)"
            ),
        );
    }
    for ((t, c), spec) in &new_rules {
        let name = format!("{t}.{c}");
        let Some(before) = old_rules.get(&(t.clone(), c.clone())) else {
            let impact = if transform(spec) == "keep" {
                Impact::Loosened
            } else {
                Impact::Changed
            };
            push(impact, format!("{name}: new rule {}", show(spec)));
            continue;
        };
        if before == spec {
            continue;
        }
        let (a, b) = (transform(before), transform(spec));
        let impact = if b == "keep" && a != "keep" {
            Impact::Loosened
        } else if a == "keep" && b != "keep" {
            Impact::Tightened
        } else if destroys(a) && !destroys(b) {
            Impact::Loosened
        } else if !destroys(a) && destroys(b) {
            Impact::Tightened
        } else {
            Impact::Changed
        };
        let what = if b == "keep" && a != "keep" {
            format!("{name}: newly kept (was `{a}`): {}", show(spec))
        } else {
            format!("{name}: rule changed: {} → {}", show(before), show(spec))
        };
        push(impact, what);
        for f in ["quasi_identifier", "sensitive"] {
            match (flag(before, f), flag(spec, f)) {
                (true, false) => push(Impact::Loosened, format!("{name}: no longer marked {f}")),
                (false, true) => push(Impact::Tightened, format!("{name}: now marked {f}")),
                _ => {}
            }
        }
    }
    for ((t, c), spec) in &old_rules {
        if !new_rules.contains_key(&(t.clone(), c.clone())) && new_tables.contains_key(t) {
            push(
                Impact::Changed,
                format!("{t}.{c}: rule {} removed", show(spec)),
            );
        }
    }
    let empty = toml::Table::new();
    let (or, nr) = (
        old.risk.as_ref().unwrap_or(&empty),
        new.risk.as_ref().unwrap_or(&empty),
    );
    let keys: std::collections::BTreeSet<&String> = or.keys().chain(nr.keys()).collect();
    for k in keys {
        let (a, b) = (or.get(k), nr.get(k));
        if a == b {
            continue;
        }
        let num = |v: Option<&toml::Value>| {
            v.and_then(|v| v.as_float().or_else(|| v.as_integer().map(|i| i as f64)))
        };
        let impact = match (num(a), num(b), looser_when_larger(k)) {
            (Some(x), Some(y), Some(larger)) if (y > x) == larger => Impact::Loosened,
            (Some(_), Some(_), Some(_)) => Impact::Tightened,
            _ if k == "allow_pii_in_kept_columns"
                && b.and_then(toml::Value::as_bool) == Some(true) =>
            {
                Impact::Loosened
            }
            _ => Impact::Changed,
        };
        let show_v =
            |v: Option<&toml::Value>| v.map_or("(default)".to_string(), ToString::to_string);
        let verb = match impact {
            Impact::Loosened => "loosened",
            Impact::Tightened => "tightened",
            Impact::Changed => "changed",
        };
        push(
            impact,
            format!("[risk] {k} {verb}: {} → {}", show_v(a), show_v(b)),
        );
    }
    if old.large_objects != new.large_objects {
        let kept = matches!(
            new.large_objects,
            Some(super::file::LargeObjects::Keep { .. })
        );
        push(
            if kept {
                Impact::Loosened
            } else {
                Impact::Changed
            },
            format!(
                "[large_objects]: {:?} → {:?}",
                old.large_objects, new.large_objects
            ),
        );
    }
    if old.defaults != new.defaults {
        push(
            Impact::Changed,
            format!("[defaults]: {:?} → {:?}", old.defaults, new.defaults),
        );
    }
    out.sort_by_key(|c| c.impact);
    out
}

/// Renders changes grouped by impact, loosening first.
pub fn render(changes: &[Change]) -> String {
    if changes.is_empty() {
        return "no semantic change\n".into();
    }
    let mut out = String::new();
    for (impact, title) in [
        (Impact::Loosened, "LOOSENED (more may reach staging)"),
        (Impact::Tightened, "TIGHTENED"),
        (Impact::Changed, "CHANGED"),
    ] {
        let group: Vec<&Change> = changes.iter().filter(|c| c.impact == impact).collect();
        if group.is_empty() {
            continue;
        }
        out.push_str(title);
        out.push_str(":\n");
        for c in group {
            out.push_str("  ");
            out.push_str(&c.what);
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn check(old: &str, new: &str, expected: &str) {
        let p = |t: &str| super::super::file::parse(Path::new("p.toml"), t).unwrap();
        assert_eq!(render(&diff(&p(old), &p(new))), expected);
    }

    #[test]
    fn table_of_cases() {
        let base = "version = 1\n[risk]\nmin_k = 5\nmax_average_risk = 0.2\n[tables.\"public.t\".columns]\na = { transform = \"hash\" }\nb = { transform = \"redact\", quasi_identifier = true }\n";
        check(base, "# only a comment\nversion = 1\n[risk]\nmax_average_risk = 0.2\nmin_k = 5\n[tables.\"public.t\".columns]\nb = { quasi_identifier = true, transform = \"redact\" }\na = { transform = \"hash\" }\n", "no semantic change\n");
        check(
            base,
            "version = 1\n[risk]\nmin_k = 3\nmax_average_risk = 0.1\n[tables.\"public.t\".columns]\na = { transform = \"keep\", reason = \"ok\" }\nb = { transform = \"hash\" }\n[tables.\"public.u\".columns]\nx = { transform = \"null\" }\n",
            "LOOSENED (more may reach staging):\n  public.t.a: newly kept (was `hash`): { reason = \"ok\", transform = \"keep\" }\n  public.t.b: rule changed: { quasi_identifier = true, transform = \"redact\" } → { transform = \"hash\" }\n  public.t.b: no longer marked quasi_identifier\n  [risk] min_k loosened: 5 → 3\nTIGHTENED:\n  [risk] max_average_risk tightened: 0.2 → 0.1\nCHANGED:\n  table public.u added\n  public.u.x: new rule { transform = \"null\" }\n",
        );
    }
}
