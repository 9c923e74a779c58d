//! Suggesting a rule for one column from its keys, type, name and sampled content.
//!
//! The order of evidence, strongest first: keys (a primary or foreign key gets a consistent
//! `integer_id`/`uuid`/`tokenize` domain, the foreign key's being its referenced key's), the type
//! (`inet`/`cidr` → `ip`), validated content (at least half the sampled values recognised whole
//! by a detector), the column's name, then the type's family. Nothing is ever suggested as a
//! plain `keep`: a column no evidence speaks for gets `keep` with `reason = "TODO: review"`,
//! which `policy lint` and `run` refuse until someone writes the real reason.

use crate::dump::ident::QualifiedName;
use crate::dump::schema::{Column, Table, TypeKind};
use crate::risk::detect::{name_suggests_pii, name_suggests_quasi_identifier, Detector};

use super::sample::{ColumnStats, DATE_UNITS};

/// A suggested rule: its keys in the order they are written, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    /// `transform = "..."` first, then parameters.
    pub keys: Vec<(&'static str, toml::Value)>,
    /// Why, in words (no values).
    pub why: String,
}

fn s(v: &str) -> toml::Value {
    toml::Value::String(v.to_owned())
}

fn rule(transform: &str, params: Vec<(&'static str, toml::Value)>, why: String) -> Suggestion {
    let mut keys = vec![("transform", s(transform))];
    keys.extend(params);
    Suggestion { keys, why }
}

fn todo(why: String) -> Suggestion {
    rule("keep", vec![("reason", s("TODO: review"))], why)
}

/// The consistent domain of a key column: `schema.table.column` of the key it belongs to.
pub fn key_domain(table: &QualifiedName, column: &str) -> String {
    format!("{}.{}.{}", table.schema, table.name, column)
}

/// The column whose value identifies the entity a row belongs to: the first single-column
/// foreign key to another table, else the single-column primary key.
pub fn entity_column(table: &Table) -> Option<String> {
    table
        .foreign_keys
        .iter()
        .find(|fk| fk.columns.len() == 1 && fk.references != table.name)
        .map(|fk| fk.columns[0].clone())
        .or_else(|| {
            table
                .primary_key
                .as_ref()
                .filter(|pk| pk.columns.len() == 1)
                .map(|pk| pk.columns[0].clone())
        })
}

/// The key domain a column belongs to, if it is part of the primary key or a foreign key.
fn key_of(
    table: &Table,
    column: &str,
    schema: &crate::dump::schema::Schema,
) -> Option<(String, String)> {
    for fk in &table.foreign_keys {
        if let Some(i) = fk.columns.iter().position(|c| c == column) {
            let referenced = fk.referenced_columns.get(i).cloned().or_else(|| {
                schema
                    .table(&fk.references)
                    .and_then(|t| t.primary_key.as_ref())
                    .and_then(|pk| pk.columns.get(i).cloned())
            })?;
            return Some((
                key_domain(&fk.references, &referenced),
                format!("foreign key to {}.{referenced}", fk.references),
            ));
        }
    }
    let pk = table.primary_key.as_ref()?;
    pk.columns
        .iter()
        .any(|c| c == column)
        .then(|| (key_domain(&table.name, column), "primary key".to_string()))
}

/// What kind of fake value a name column gets.
fn name_kind(column: &str) -> &'static str {
    let c = column.to_ascii_lowercase();
    if c.contains("first") || c.contains("given") || c.contains("fore") {
        "first_name"
    } else if c.contains("last") || c.contains("sur") || c.contains("family") {
        "last_name"
    } else {
        "full_name"
    }
}

fn is_amount(column: &str) -> bool {
    let c = column.to_ascii_lowercase();
    [
        "amount", "price", "total", "balance", "salary", "income", "cost", "fee", "revenue",
        "value", "payment",
    ]
    .iter()
    .any(|w| c.contains(w))
}

/// Suggests a rule for `column` of `table`.
pub fn suggest(
    schema: &crate::dump::schema::Schema,
    table: &Table,
    column: &Column,
    stats: Option<&ColumnStats>,
) -> Suggestion {
    let kind = column.ty.as_ref().map(|t| t.kind);
    let textual = kind.is_none_or(|k| k.is_textual());
    let name_pii = name_suggests_pii(&column.name);
    let unique = table
        .unique
        .iter()
        .any(|u| u.columns.contains(&column.name));

    if let Some((domain, what)) = key_of(table, &column.name, schema) {
        let transform = match kind {
            Some(TypeKind::SmallInt | TypeKind::Integer | TypeKind::BigInt) => "integer_id",
            Some(TypeKind::Uuid) => "uuid",
            _ => "tokenize",
        };
        return rule(
            transform,
            vec![("domain", s(&domain))],
            format!("{what}: consistent pseudonyms in domain {domain:?}"),
        );
    }
    if matches!(kind, Some(TypeKind::Inet | TypeKind::Cidr)) {
        return rule("ip", vec![], "an inet/cidr column".into());
    }
    if textual {
        if let Some((d, n)) = stats.and_then(ColumnStats::majority) {
            let why = format!("{n} of the sampled values are {}", d.name());
            let suggestion = match d {
                Detector::Email => Some(rule("email", vec![], why.clone())),
                Detector::Phone => Some(rule("phone", vec![], why.clone())),
                Detector::CardNumber => Some(rule("card_number", vec![], why.clone())),
                Detector::Iban => Some(rule("iban", vec![], why.clone())),
                Detector::Ipv4 | Detector::Ipv6 => Some(rule("ip", vec![], why.clone())),
                Detector::UsSsn => Some(rule("tokenize", vec![], why.clone())),
                Detector::PersonName => Some(rule(
                    "fake",
                    vec![("kind", s(name_kind(&column.name)))],
                    why.clone(),
                )),
                Detector::Jwt | Detector::SecretKey | Detector::Mac => Some(rule(
                    if unique { "tokenize" } else { "redact" },
                    vec![],
                    why.clone(),
                )),
                Detector::DateOfBirth => None,
            };
            if let Some(suggestion) = suggestion {
                return suggestion;
            }
        }
    }
    if let Some(category) = name_pii {
        let why = format!("the name suggests {category}");
        let temporal = kind.is_some_and(|k| k.is_temporal());
        let by_name = match category {
            "email" if textual => Some(rule("email", vec![], why)),
            "phone" if textual => Some(rule("phone", vec![], why)),
            "card_number" if textual => Some(rule("card_number", vec![], why)),
            "bank_account" if textual => Some(rule("iban", vec![], why)),
            "ip_address" if textual => Some(rule("ip", vec![], why)),
            "national_id" if textual => Some(rule("tokenize", vec![], why)),
            "name" if textual => Some(rule(
                "fake",
                vec![("kind", s(name_kind(&column.name)))],
                why,
            )),
            "address" if textual => Some(rule("fake", vec![("kind", s("street_address"))], why)),
            "date_of_birth" if temporal => Some(rule(
                "generalize_date",
                vec![("unit", s("year"))],
                format!("{why}; a year keeps age statistics"),
            )),
            "password" | "secret" => Some(rule(
                if unique { "tokenize" } else { "redact" },
                vec![],
                why,
            )),
            _ => None,
        };
        if let Some(suggestion) = by_name {
            return suggestion;
        }
    }
    let sql = column
        .ty
        .as_ref()
        .map_or("an untyped column", |t| t.sql.as_str());
    match kind {
        Some(TypeKind::Date | TypeKind::Timestamp | TypeKind::TimestampTz) => {
            let mut params = vec![("max", s("30d"))];
            let mut why = format!("{sql}: shifted by up to 30 days");
            if let Some(entity) = entity_column(table) {
                why.push_str(&format!(", the same shift for every row of one {entity}"));
                params.push(("per", s(&entity)));
            }
            rule("shift_date", params, why)
        }
        // `log_base` is the one bucketing that is valid for every scale and range without
        // knowing the data (a width or boundaries must fit the column's typmod); the comment
        // invites a reviewer to choose a finer width.
        Some(TypeKind::Numeric | TypeKind::Money | TypeKind::Real | TypeKind::Double) => rule(
            "bucket",
            vec![("log_base", toml::Value::Integer(10))],
            format!("{sql}: amounts are generalized to buckets by magnitude (or choose a width)"),
        ),
        Some(TypeKind::SmallInt | TypeKind::Integer | TypeKind::BigInt)
            if is_amount(&column.name) =>
        {
            rule(
                "bucket",
                vec![("log_base", toml::Value::Integer(10))],
                "an integer amount: generalized to buckets by magnitude (or choose a width)".into(),
            )
        }
        Some(TypeKind::Json | TypeKind::Jsonb) => rule(
            "json",
            vec![("scrub", toml::Value::Boolean(true))],
            format!("{sql}: keys kept, personal data in strings scrubbed"),
        ),
        Some(TypeKind::Uuid) => rule("uuid", vec![], "a uuid: keyed pseudonym".into()),
        Some(TypeKind::Bytea | TypeKind::Xml | TypeKind::MacAddr) => rule(
            "redact",
            vec![],
            format!("{sql}: content cannot be reviewed"),
        ),
        _ if textual => text_rule(column, stats, unique),
        _ => todo(format!(
            "{sql}: no evidence of personal data; review and write why it is safe"
        )),
    }
}

/// Free text versus a closed set of values.
fn text_rule(column: &Column, stats: Option<&ColumnStats>, unique: bool) -> Suggestion {
    let inside: usize = stats.map_or(0, |s| s.inside.values().sum());
    if let Some(st) = stats.filter(|st| {
        inside == 0
            && st.non_null >= 20
            && !st.distinct_capped()
            && st.distinct() <= 12
            && st.max_chars <= 32
    }) {
        return todo(format!(
            "text with {} distinct values in {} sampled: looks like a closed set; review",
            st.distinct(),
            st.non_null
        ));
    }
    let why = if inside > 0 {
        "free text with personal data inside (see the hits)".to_string()
    } else {
        "free text".to_string()
    };
    if unique || column.name.ends_with("_key") {
        rule(
            "tokenize",
            vec![],
            format!("{why}; UNIQUE, so an injective token"),
        )
    } else {
        rule("redact", vec![], why)
    }
}

/// Whether the column should be marked as a quasi-identifier.
pub fn is_quasi_identifier(column: &Column) -> bool {
    name_suggests_quasi_identifier(&column.name)
}

/// Adjusts the suggestion for a quasi-identifier so that the sample's classes of equal output
/// values hold at least `min_k` rows, as the risk gate demands of the whole table: a
/// generalized date gets the finest unit whose classes are large enough, a kept value is kept
/// only when its classes are, and otherwise the column is suppressed (`null`, or `redact` on a
/// NOT NULL column). Marks the rule `quasi_identifier = true`.
///
/// The check here is per column; [`super::classes::meet_min_k`] then coarsens the table's
/// quasi-identifiers together. The sample's classes are never larger than the table's, but
/// values the sample missed may form small classes: the gate judges the whole table.
pub fn quasi_identifier(
    column: &Column,
    mut suggestion: Suggestion,
    stats: Option<&ColumnStats>,
    min_k: usize,
) -> Suggestion {
    let transform = suggestion.keys[0].1.as_str().unwrap_or_default().to_owned();
    let sampled = stats.filter(|st| st.seen > 0);
    match (transform.as_str(), sampled) {
        ("generalize_date", Some(st)) => match st.date_unit(min_k) {
            Some(unit) => {
                suggestion.keys.retain(|(k, _)| *k != "unit");
                suggestion.keys.insert(1, ("unit", s(unit)));
                suggestion.why = format!(
                    "{}; by {unit}, every sampled class has at least {min_k} rows",
                    suggestion.why.split(';').next().unwrap_or_default()
                );
            }
            None => suggestion = suppress(column, "even a year singles out rows", min_k),
        },
        ("keep", Some(st)) if st.smallest_class().is_none_or(|k| k < min_k) => {
            suggestion = suppress(column, "kept values single out rows", min_k);
        }
        _ => {}
    }
    suggestion
        .keys
        .push(("quasi_identifier", toml::Value::Boolean(true)));
    suggestion.why.push_str("; quasi-identifier (by name)");
    suggestion
}

/// The next coarser rule for a quasi-identifier whose combination with the table's others
/// leaves small classes: a generalized date's next unit, else suppression. `None` when the rule
/// already suppresses the column.
pub fn coarsen(column: &Column, current: &Suggestion, min_k: usize) -> Option<Suggestion> {
    let param = |k: &str| {
        current
            .keys
            .iter()
            .find(|(key, _)| *key == k)
            .and_then(|(_, v)| v.as_str())
    };
    let together = "together with the table's other quasi-identifiers";
    let mut next = match param("transform")? {
        "null" | "redact" => return None,
        "generalize_date" => {
            let unit = param("unit").unwrap_or("year");
            let coarser = DATE_UNITS
                .iter()
                .skip_while(|(u, _)| *u != unit)
                .nth(1)
                .map(|(u, _)| *u);
            match coarser {
                Some(coarser) => {
                    let mut next = current.clone();
                    next.keys.retain(|(k, _)| *k != "unit");
                    next.keys.insert(1, ("unit", s(coarser)));
                    next.why = format!(
                        "a date of birth by {coarser}: {together}, finer units leave a sampled class smaller than min_k = {min_k}; quasi-identifier (by name)"
                    );
                    return Some(next);
                }
                None => suppress(
                    column,
                    &format!("{together}, even a year singles out rows"),
                    min_k,
                ),
            }
        }
        _ => suppress(
            column,
            &format!("{together}, its values single out rows"),
            min_k,
        ),
    };
    next.keys
        .push(("quasi_identifier", toml::Value::Boolean(true)));
    next.why.push_str("; quasi-identifier (by name)");
    Some(next)
}

fn suppress(column: &Column, what: &str, min_k: usize) -> Suggestion {
    let why = format!(
        "{what} (a sampled class smaller than min_k = {min_k}): suppressed; generalize instead if the data allows"
    );
    if column.not_null {
        rule("redact", vec![], why)
    } else {
        rule("null", vec![], why)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::dump::schema::ColumnType;

    pub(crate) fn column(name: &str, kind: TypeKind, sql: &str, not_null: bool) -> Column {
        let mut c = Column::untyped(name.into());
        c.ty = Some(ColumnType {
            sql: sql.into(),
            kind,
            max_len: None,
            precision: None,
            scale: None,
            array_dims: 0,
        });
        c.not_null = not_null;
        c
    }

    fn sampled(values: &[&str]) -> ColumnStats {
        let mut block = b"COPY public.t (c) FROM stdin;\n".to_vec();
        for v in values {
            block.extend_from_slice(v.as_bytes());
            block.push(b'\n');
        }
        block.extend_from_slice(b"\\.\n");
        let mut sampler = super::super::sample::Sampler::new(1000);
        let schema = crate::dump::schema::Schema::new();
        sampler.read("test", &block[..], &schema).unwrap();
        sampler
            .finish()
            .columns
            .remove(&crate::dump::ident::QualifiedName::new("public", "t"))
            .and_then(|mut t| t.remove("c"))
            .unwrap()
    }

    pub(crate) fn transform_and_unit(s: &Suggestion) -> (String, Option<String>) {
        let get = |k: &str| {
            s.keys
                .iter()
                .find(|(key, _)| *key == k)
                .and_then(|(_, v)| v.as_str().map(str::to_owned))
        };
        (get("transform").unwrap(), get("unit"))
    }

    #[test]
    fn quasi_identifying_dates_are_generalized_only_as_far_as_the_sample_allows() {
        let draft = || {
            rule(
                "generalize_date",
                vec![("unit", s("year"))],
                "the name suggests date_of_birth; a year keeps age statistics".into(),
            )
        };
        let birth = column("birth_date", TypeKind::Date, "date", false);
        let months: Vec<&str> = ["1984-01-02", "1984-02-03"]
            .iter()
            .flat_map(|d| [*d; 6])
            .collect();
        let got = quasi_identifier(&birth, draft(), Some(&sampled(&months)), 5);
        assert_eq!(
            transform_and_unit(&got),
            ("generalize_date".into(), Some("month".into()))
        );
        assert!(got
            .keys
            .contains(&("quasi_identifier", toml::Value::Boolean(true))));
        let spread = [
            "1950-01-01",
            "1960-01-01",
            "1970-01-01",
            "1980-01-01",
            "1990-01-01",
        ];
        let got = quasi_identifier(&birth, draft(), Some(&sampled(&spread)), 5);
        assert_eq!(transform_and_unit(&got), ("null".into(), None));
        let required = column("birth_date", TypeKind::Date, "date", true);
        let got = quasi_identifier(&required, draft(), Some(&sampled(&spread)), 5);
        assert_eq!(transform_and_unit(&got), ("redact".into(), None));
        // Nothing sampled: the suggestion stands.
        let got = quasi_identifier(&birth, draft(), None, 5);
        assert_eq!(
            transform_and_unit(&got),
            ("generalize_date".into(), Some("year".into()))
        );
    }

    #[test]
    fn a_kept_quasi_identifier_is_kept_only_with_large_classes() {
        let keep = || todo("closed set".into());
        let gender = column("gender", TypeKind::Text, "text", false);
        let many = ["f", "m", "f", "m", "f", "m", "f", "m", "f", "m"];
        let got = quasi_identifier(&gender, keep(), Some(&sampled(&many)), 5);
        assert_eq!(transform_and_unit(&got).0, "keep");
        let few = ["f", "m", "f", "m", "f", "m", "f", "m", "f", "x"];
        let got = quasi_identifier(&gender, keep(), Some(&sampled(&few)), 5);
        assert_eq!(transform_and_unit(&got).0, "null");
    }
}
