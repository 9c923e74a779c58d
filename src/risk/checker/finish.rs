//! The end of the run: every metric computed from what the checker collected, the verdict's
//! reasons and warnings, and the [`Report`].
//!
//! Only these findings fail the verdict (everything else is a warning): a validated detection
//! in a kept column (unless `allow_pii_in_kept_columns`); leaked rows above `max_leaks`; a
//! changing rule leaving more than `max_unchanged_fraction` of values unchanged; a linkage rate
//! above `max_reidentification_rate`; and, on declared quasi-identifiers, k below `min_k`,
//! average risk above `max_average_risk`, or records at risk above `max_records_at_risk`.

use std::collections::{BTreeMap, HashMap};

use super::role::{self, Role};
use super::{column_path, linkage, qi, Checker, TableState};
use crate::risk::detect::{name_suggests_pii, name_suggests_quasi_identifier};
use crate::risk::metrics::classes::ClassHistogram;
use crate::risk::metrics::{diversity, population, suda};
use crate::risk::report::{
    percent, ColumnReport, Detection, Diversity, JointLinkage, Leak, Linkage, Memory, QiReport,
    Report, RiskyCombination, TableReport, UncheckedLeak, SCHEMA_VERSION,
};

/// Kept columns with at most this many distinct values in the SUDA sample join the search.
const LOW_CARDINALITY: usize = 50;
/// Columns searched by SUDA (QIs first).
const SUDA_COLUMNS: usize = 10;
/// Combinations listed per table.
const WORST: usize = 5;

struct Findings {
    reasons: Vec<String>,
    warnings: Vec<String>,
    memory: Memory,
}

pub(super) fn report(ch: Checker) -> Report {
    let mut f = Findings {
        reasons: Vec::new(),
        warnings: Vec::new(),
        memory: Memory::default(),
    };
    f.memory.fingerprints =
        (ch.leaks.map.bytes() + ch.leaks.sources.len() * 64 + ch.leaks.early_bytes()) as u64;
    if ch.leaks.deferred_overflow {
        f.warnings.push(format!(
            "more than {} distinct words of one table waited for that table's own originals; \
             leaks within that table may be undercounted",
            super::MAX_DEFERRED
        ));
    }
    let unchecked = unchecked_pairs(&ch);
    let reread: Vec<String> = ch.reread.iter().map(ToString::to_string).collect();
    for (source, tables) in group(&unchecked) {
        f.warnings.push(format!(
            "original values of `{source}` could not be looked for in {} (dumped before it; \
             one pass over stdin or a live source cannot go back: give the dump as a file to have them checked)",
            tables.join(", ")
        ));
    }
    let mut leaks: Vec<(String, String, u64)> = Vec::new();
    let mut tables = Vec::new();
    let config = ch.config.clone();
    for (_, state) in ch.tables {
        tables.push(table_report(state, &config, &mut f, &mut leaks));
    }
    let total: u64 = leaks.iter().map(|l| l.2).sum();
    for (source, at, rows) in &leaks {
        let line = format!("original values of `{source}` found in `{at}` ({rows} rows)");
        if total > config.max_leaks {
            f.reasons.push(line);
        } else {
            f.warnings.push(line);
        }
    }
    let passthrough = detections(&ch.passthrough, true);
    for d in &passthrough {
        f.warnings.push(format!(
            "verbatim statements or large objects hold {} ({} of {} scanned pieces, e.g. {})",
            d.detector,
            d.matches,
            d.sampled,
            d.examples.join(", ")
        ));
    }
    for t in &ch.unplanned {
        f.warnings.push(format!(
            "{t} has data but the checker has no plan for it; it was not checked"
        ));
    }
    f.memory.total = f.memory.fingerprints + f.memory.linkage + f.memory.classes;
    Report {
        schema_version: SCHEMA_VERSION,
        verdict: if f.reasons.is_empty() { "pass" } else { "fail" }.into(),
        reasons: f.reasons,
        warnings: f.warnings,
        config,
        passthrough,
        tables,
        unchecked_leaks: unchecked,
        second_read: reread,
        memory: f.memory,
    }
}

fn group(pairs: &[UncheckedLeak]) -> BTreeMap<&str, Vec<&str>> {
    let mut out: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for p in pairs {
        out.entry(&p.source).or_default().push(&p.table);
    }
    out
}

/// The pairs neither pass could check, as the report names them.
fn unchecked_pairs(ch: &Checker) -> Vec<UncheckedLeak> {
    ch.unchecked()
        .into_iter()
        .map(|(source, j, table)| UncheckedLeak {
            source: column_path(&source, &ch.tables[&source].spec.columns[j].name),
            table: table.to_string(),
        })
        .collect()
}

fn detections(t: &super::Tally, validated_only: bool) -> Vec<Detection> {
    t.found
        .iter()
        .filter(|(d, _)| !(validated_only && d.is_heuristic()))
        .map(|(d, (n, examples))| Detection {
            detector: d.name().to_owned(),
            validated: !d.is_heuristic(),
            matches: *n,
            sampled: t.scanned,
            share: if t.scanned == 0 {
                0.0
            } else {
                *n as f64 / t.scanned as f64
            },
            examples: examples.clone(),
        })
        .collect()
}

fn table_report(
    state: TableState,
    config: &crate::risk::config::RiskConfig,
    f: &mut Findings,
    leaks: &mut Vec<(String, String, u64)>,
) -> TableReport {
    let table = state.spec.name.clone();
    let path = |c: &str| column_path(&table, c);
    let mut columns = Vec::new();
    for (spec, col) in state.spec.columns.iter().zip(state.columns) {
        let at = path(&spec.name);
        let found = detections(&col.pii, false);
        for d in &found {
            let what = format!(
                "{} ({} of {} sampled values, e.g. {})",
                d.detector,
                d.matches,
                d.sampled,
                d.examples.join(", ")
            );
            if col.role == Role::Kept && d.validated && !config.allow_pii_in_kept_columns {
                f.reasons.push(format!("{at} is kept but holds {what}"));
            } else if col.role == Role::Kept {
                let kind = if d.validated { "holds" } else { "may hold" };
                f.warnings.push(format!("{at} is kept and {kind} {what}"));
            } else {
                f.warnings.push(format!(
                    "the output of `{}` on {at} still holds {what}",
                    spec.rule
                ));
            }
        }
        if col.role == Role::Kept {
            if let Some(what) = name_suggests_pii(&spec.name) {
                f.warnings
                    .push(format!("{at} is kept, but its name suggests {what}"));
            }
        }
        let unchanged_fraction = (spec.changes_values && col.non_null > 0)
            .then(|| col.unchanged as f64 / col.non_null as f64);
        // A perturbing rule may leave a value where it was (a bucket boundary, a zero shift);
        // how close its output stays is the linkage check's business, not this one's.
        // Perturbing rules may legitimately leave a value (a bucket boundary), and `json`
        // changes only the parts of a document that hold personal data: a clean document stays
        // as it is. Both are judged by linkage and detectors instead.
        let judged = col.role != Role::Perturbing && spec.rule != "json";
        if let Some(u) = unchanged_fraction.filter(|_| judged) {
            if u > config.max_unchanged_fraction {
                f.reasons.push(format!(
                    "{at}: `{}` left {} of non-NULL values unchanged (max {})",
                    spec.rule,
                    percent(u),
                    percent(config.max_unchanged_fraction)
                ));
            }
        }
        for (found_in, rows) in &col.leaks {
            leaks.push((at.clone(), found_in.clone(), *rows));
        }
        let linkage = col.linkage.map(|l| {
            f.memory.linkage += l.bytes() as u64;
            let o = l.outcome();
            linkage_findings(&at, &spec.rule, &o, config, f);
            Linkage {
                spearman: o.spearman,
                reidentification_rate: o.rate,
                tested: o.tested,
                candidates: o.candidates,
                unparsed: o.unparsed,
            }
        });
        if name_suggests_quasi_identifier(&spec.name)
            && !spec.flags.quasi_identifier
            && !matches!(spec.rule.as_str(), "null" | "redact")
            && state.rows > 0
        {
            f.warnings.push(format!(
                "{at} looks like a quasi-identifier (by its name) but is not marked `quasi_identifier = true`"
            ));
        }
        columns.push(ColumnReport {
            name: spec.name.clone(),
            rule: spec.rule.clone(),
            changed: spec.changes_values,
            keep_reason: spec.keep_reason.clone(),
            quasi_identifier: spec.flags.quasi_identifier,
            sensitive: spec.flags.sensitive,
            unchanged_fraction,
            pii_detections: found,
            leaks: col
                .leaks
                .into_iter()
                .map(|(found_in, rows)| Leak { found_in, rows })
                .collect(),
            linkage,
        });
    }
    let mut jointly_known = Vec::new();
    for ((a, b), joint) in state.joints {
        f.memory.linkage += joint.bytes() as u64;
        let names = vec![
            state.spec.columns[a].name.clone(),
            state.spec.columns[b].name.clone(),
        ];
        let o = joint.outcome();
        let at = format!("{table} ({}) known together", names.join(", "));
        linkage_findings(&at, "jointly_known", &o, config, f);
        jointly_known.push(JointLinkage {
            columns: names,
            reidentification_rate: o.rate,
            tested: o.tested,
        });
    }
    let quasi_identifiers = state.qi.map(|q| {
        f.memory.classes += q.bytes() as u64;
        qi_report(&state.spec, q, config, f)
    });
    if quasi_identifiers.is_none() && state.spec.columns.iter().any(|c| c.flags.sensitive) {
        f.warnings.push(format!(
            "{table} has `sensitive` columns but no quasi-identifiers: l-diversity was not computed"
        ));
    }
    TableReport {
        name: table.to_string(),
        rows: state.rows,
        columns,
        quasi_identifiers,
        jointly_known,
    }
}

fn linkage_findings(
    at: &str,
    rule: &str,
    o: &linkage::Outcome,
    config: &crate::risk::config::RiskConfig,
    f: &mut Findings,
) {
    if o.rate > config.max_reidentification_rate {
        f.reasons.push(format!(
            "{at}: `{rule}` values can be matched back to their originals: re-identification rate {:.2} over {} tested rows (max {:.2})",
            o.rate, o.tested, config.max_reidentification_rate
        ));
    }
    if o.unparsed > 0 {
        f.warnings.push(format!(
            "{at}: {} values could not be read as numbers or dates and were left out of the linkage check",
            o.unparsed
        ));
    }
    if o.capped {
        f.warnings.push(format!(
            "{at}: more than {} originals; the linkage check used the first ones and may overestimate the rate",
            linkage::MAX_CANDIDATES
        ));
    }
}

fn qi_report(
    spec: &super::TableSpec,
    q: qi::Qi,
    config: &crate::risk::config::RiskConfig,
    f: &mut Findings,
) -> QiReport {
    let table = &spec.name;
    let qi_names: Vec<String> = spec
        .columns
        .iter()
        .filter(|c| c.flags.quasi_identifier)
        .map(|c| c.name.clone())
        .collect();
    let mut by_size: HashMap<u64, u64> = HashMap::new();
    for &n in q.classes.values() {
        *by_size.entry(n).or_insert(0) += 1;
    }
    let h = ClassHistogram::from_pairs(by_size);
    let s = h.summary();
    let at_risk = h.records_at_risk(config.risk_threshold);
    let population_uniqueness = config
        .sampling_fraction
        .and_then(|pi| population::population_uniqueness(&h, pi).ok());
    let list = qi_names.join(", ");
    if s.records > 0 {
        if s.k < config.min_k {
            f.reasons.push(format!(
                "{table}: quasi-identifiers ({list}) give k = {} (min_k {}); {} records are unique",
                s.k, config.min_k, s.sample_uniques
            ));
        }
        if s.average_risk > config.max_average_risk {
            f.reasons.push(format!(
                "{table}: quasi-identifiers ({list}) give an average re-identification risk of {:.3} (max {:.3})",
                s.average_risk, config.max_average_risk
            ));
        }
        if at_risk > config.max_records_at_risk {
            f.reasons.push(format!(
                "{table}: {} of records have a risk above {:.2} on ({list}) (max {})",
                percent(at_risk),
                config.risk_threshold,
                percent(config.max_records_at_risk)
            ));
        }
    }
    for c in spec.columns.iter().filter(|c| c.flags.quasi_identifier) {
        if role::is_one_to_one(&c.rule) {
            f.warnings.push(format!(
                "{}: `{}` is one-to-one (per value or per entity), so it does not lower the risk of this quasi-identifier",
                column_path(table, &c.name),
                c.rule
            ));
        }
    }
    let diversity = diversity_report(spec, &q, f);
    let risky_combinations = suda_report(spec, &q, f);
    QiReport {
        columns: qi_names,
        records: s.records,
        classes: s.classes,
        k: s.k,
        highest_risk: s.highest_risk,
        average_risk: s.average_risk,
        records_at_risk: at_risk,
        sample_uniques: s.sample_uniques,
        sample_uniqueness: s.sample_uniqueness,
        population_uniqueness,
        class_sizes: h.iter().map(|(size, n)| [size, n]).collect(),
        diversity,
        risky_combinations,
    }
}

fn diversity_report(spec: &super::TableSpec, q: &qi::Qi, f: &mut Findings) -> Vec<Diversity> {
    let sensitive: Vec<&str> = spec
        .columns
        .iter()
        .filter(|c| c.flags.sensitive)
        .map(|c| c.name.as_str())
        .collect();
    let mut per_class: HashMap<(u128, u16), Vec<u64>> = HashMap::new();
    for (&(class, col, _), &n) in &q.diversity {
        per_class
            .entry((class, col))
            .or_default()
            .push(u64::from(n));
    }
    let mut out = Vec::new();
    for (i, name) in sensitive.iter().enumerate() {
        let (mut distinct, mut entropy_l) = (u64::MAX, f64::INFINITY);
        for ((_, col), counts) in &per_class {
            if usize::from(*col) == i {
                distinct = distinct.min(counts.len() as u64);
                entropy_l = entropy_l.min(diversity::entropy(counts).exp());
            }
        }
        if distinct == u64::MAX {
            continue;
        }
        if distinct < 2 {
            f.warnings.push(format!(
                "{}: some quasi-identifier class has a single value of this sensitive column (distinct l = 1): its value is disclosed",
                column_path(&spec.name, name)
            ));
        }
        out.push(Diversity {
            column: (*name).to_owned(),
            distinct_l: distinct,
            entropy_l,
        });
    }
    out
}

fn suda_report(spec: &super::TableSpec, q: &qi::Qi, f: &mut Findings) -> Vec<RiskyCombination> {
    let cols = &q.suda_columns;
    if q.suda.is_empty() || cols.is_empty() {
        return Vec::new();
    }
    let tuples: Vec<(&[u64], u8)> = q.suda.values().map(|(v, n)| (&v[..], *n)).collect();
    let mut chosen: Vec<usize> = Vec::new();
    let mut low: Vec<(usize, usize)> = Vec::new();
    for (p, &j) in cols.iter().enumerate() {
        if spec.columns[j].flags.quasi_identifier {
            chosen.push(p);
            continue;
        }
        let mut distinct: Vec<u64> = tuples.iter().map(|t| t.0[p]).collect();
        distinct.sort_unstable();
        distinct.dedup();
        if (2..=LOW_CARDINALITY).contains(&distinct.len()) {
            low.push((distinct.len(), p));
        }
    }
    low.sort();
    chosen.truncate(SUDA_COLUMNS);
    for (_, p) in low {
        if chosen.len() < SUDA_COLUMNS {
            chosen.push(p);
        }
    }
    let mut projected: HashMap<Vec<u64>, u8> = HashMap::new();
    for (t, n) in &tuples {
        let key: Vec<u64> = chosen.iter().map(|&p| t[p]).collect();
        let slot = projected.entry(key).or_insert(0);
        *slot = slot.saturating_add(*n).min(2);
    }
    let mut rows: Vec<Vec<u64>> = Vec::new();
    for (key, n) in projected {
        for _ in 0..n {
            rows.push(key.clone());
        }
    }
    // Deterministic order, so reports do not change between runs.
    rows.sort_unstable();
    let Ok(result) = suda::suda(&rows, suda::DEFAULT_MAX_SIZE) else {
        return Vec::new();
    };
    let name = |p: usize| spec.columns[cols[chosen[p]]].name.clone();
    let total = rows.len() as f64;
    let worst: Vec<RiskyCombination> = result
        .worst(WORST)
        .iter()
        .map(|c| RiskyCombination {
            columns: c.columns.iter().map(|&p| name(p)).collect(),
            records: c.records,
            share: c.records as f64 / total,
        })
        .collect();
    if let Some(w) = worst.first() {
        let undeclared: Vec<&String> = w
            .columns
            .iter()
            .filter(|c| {
                spec.columns
                    .iter()
                    .any(|s| &s.name == *c && !s.flags.quasi_identifier)
            })
            .collect();
        let hint = if undeclared.is_empty() {
            String::new()
        } else {
            format!(
                "; {} not declared a quasi-identifier",
                undeclared
                    .iter()
                    .map(|c| c.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        f.warnings.push(format!(
            "{}: ({}) singles out {} of {} sampled records (SUDA){hint}",
            spec.name,
            w.columns.join(", "),
            w.records,
            rows.len()
        ));
    }
    worst
}
