//! `json`: rules inside `json`/`jsonb` values. `paths` applies any registry rule at JSON paths
//! (`$.a.b`, `$.a[*].b`, `$.a[0]`); `scrub = true` finds e-mails, phone numbers, IP addresses,
//! card numbers and the other validated shapes of [`crate::risk::detect::scan`] inside every
//! string and replaces them in place.
//!
//! Nested rules are bound as if to a `text` column named `<column>$.<path>` (their default
//! domain), and see a string leaf's text or a number's or boolean's JSON text; a result that is
//! valid JSON of the leaf's kind keeps that kind, anything else becomes a string. Absent paths
//! are skipped; a path that reaches an object or array (rather than a leaf) is an error.
//!
//! Scrubbing keeps each finding's shape and is keyed (HMAC of the finding within the domain):
//! an e-mail becomes `h_<16 hex>@example.com`, an IPv4 address four keyed octets, and anything
//! else keeps its punctuation while digits become keyed digits and letters keyed letters of the
//! same case. Equal findings get equal replacements, so joins inside JSON survive.
//!
//! Output is valid JSON of the same shape: key order is kept (`serde_json`'s `preserve_order`)
//! and numbers keep their digits (`arbitrary_precision`); insignificant whitespace of `json`
//! values is not kept.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use super::keyed::Keyed;
use super::{Applied, Bound, ColumnContext, RowContext, Rule, Transform, TransformError};
use crate::dump::schema::{ColumnType, TypeKind};
use crate::risk::detect::{scan_validated, Detector};

/// Parameters of `json`.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq, Default)]
#[serde(deny_unknown_fields)]
pub struct Json {
    /// Rules by JSON path: `{ "$.contact.email" = { transform = "hash" } }`.
    #[serde(default)]
    pub paths: BTreeMap<String, Rule>,
    /// Replace validated personal data found inside any string.
    #[serde(default)]
    pub scrub: bool,
    /// Key domain of the scrub replacements; default: the column's qualified name.
    #[serde(default)]
    pub domain: Option<String>,
}

/// One step of a JSON path.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Key(String),
    Index(usize),
    All,
}

/// Parses `$.a.b`, `$.a[*].b`, `$.a[0]`.
fn parse_path(path: &str) -> Result<Vec<Step>, String> {
    let bad = || format!("JSON path {path:?}: write it like `$.a.b`, `$.a[*].b` or `$.a[0]`");
    let rest = path.strip_prefix('$').ok_or_else(bad)?;
    let mut steps = Vec::new();
    let b = rest.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'.' => {
                let end = rest[i + 1..]
                    .find(['.', '['])
                    .map_or(rest.len(), |e| i + 1 + e);
                let key = &rest[i + 1..end];
                if key.is_empty() {
                    return Err(bad());
                }
                steps.push(Step::Key(key.to_owned()));
                i = end;
            }
            b'[' => {
                let end = rest[i..].find(']').map(|e| i + e).ok_or_else(bad)?;
                let inner = &rest[i + 1..end];
                steps.push(if inner == "*" {
                    Step::All
                } else {
                    Step::Index(inner.parse().map_err(|_| bad())?)
                });
                i = end + 1;
            }
            _ => return Err(bad()),
        }
    }
    if steps.is_empty() {
        return Err(bad());
    }
    Ok(steps)
}

impl Json {
    /// The `per` column of the nested rules (binding refuses nested rules naming different ones),
    /// so the pipeline hands that entity to them.
    pub fn entity_column(&self) -> Option<&str> {
        self.paths.values().find_map(Rule::entity_column)
    }

    pub fn bind(&self, ctx: &ColumnContext<'_>) -> Result<Bound, String> {
        if let Some(per) = self.entity_column() {
            if self
                .paths
                .values()
                .any(|r| r.entity_column().is_some_and(|p| p != per))
            {
                return Err(
                    "nested rules of one `json` rule must name the same `per` column".into(),
                );
            }
        }
        let ty = ctx.require_type("json")?;
        if !matches!(ty.kind, TypeKind::Json | TypeKind::Jsonb) && !ty.kind.is_textual() {
            return Err(format!(
                "`json` works on json and jsonb columns, not `{}`",
                ty.sql
            ));
        }
        if self.paths.is_empty() && !self.scrub {
            return Err("`json` needs `paths`, `scrub = true`, or both".into());
        }
        let text = ColumnType {
            sql: "text".into(),
            kind: TypeKind::Text,
            max_len: None,
            precision: None,
            scale: None,
            array_dims: 0,
        };
        let mut paths = Vec::new();
        for (path, rule) in &self.paths {
            let steps = parse_path(path)?;
            let qualified = format!("{}{path}", ctx.qualified);
            let domain = format!("{}{path}", ctx.default_domain);
            let nested = ColumnContext {
                qualified: &qualified,
                default_domain: &domain,
                ty: Some(&text),
                not_null: false,
                key: ctx.key,
            };
            match rule
                .bind(&nested)
                .map_err(|e| format!("at {path:?}: {e}"))?
            {
                Bound::Keep => {}
                Bound::Apply(t) => paths.push((steps, t)),
            }
        }
        Ok(Bound::Apply(Box::new(JsonTransform {
            paths,
            scrub: self
                .scrub
                .then(|| Keyed::new(ctx, "json_scrub", self.domain.as_deref())),
        })))
    }
}

#[derive(Debug)]
struct JsonTransform {
    paths: Vec<(Vec<Step>, Box<dyn Transform>)>,
    scrub: Option<Keyed>,
}

fn err(what: &str) -> TransformError {
    TransformError(format!("`json`: {what}"))
}

/// Calls `f` on every value `steps` reaches.
fn visit(
    v: &mut Value,
    steps: &[Step],
    f: &mut dyn FnMut(&mut Value) -> Result<(), TransformError>,
) -> Result<(), TransformError> {
    let Some((step, rest)) = steps.split_first() else {
        return f(v);
    };
    match (step, v) {
        (Step::Key(k), Value::Object(m)) => match m.get_mut(k) {
            Some(child) => visit(child, rest, f),
            None => Ok(()),
        },
        (Step::Index(i), Value::Array(a)) => match a.get_mut(*i) {
            Some(child) => visit(child, rest, f),
            None => Ok(()),
        },
        (Step::All, Value::Array(a)) => a.iter_mut().try_for_each(|c| visit(c, rest, f)),
        _ => Ok(()),
    }
}

/// Applies a nested rule to one leaf.
fn apply_leaf(
    t: &dyn Transform,
    leaf: &mut Value,
    ctx: &RowContext<'_>,
    buf: &mut Vec<u8>,
) -> Result<(), TransformError> {
    buf.clear();
    let applied = match leaf {
        Value::Null => t.apply_null(buf)?,
        Value::String(s) => t.apply(s.as_bytes(), ctx, buf)?,
        Value::Number(_) | Value::Bool(_) => t.apply(leaf.to_string().as_bytes(), ctx, buf)?,
        Value::Object(_) | Value::Array(_) => {
            return Err(err("a path reaches an object or array, not a single value"))
        }
    };
    *leaf = match applied {
        Applied::Null => Value::Null,
        Applied::Value => {
            let text =
                std::str::from_utf8(buf).map_err(|_| err("a nested rule wrote non-UTF-8"))?;
            let same_kind = match leaf {
                Value::Number(_) => serde_json::from_str::<Value>(text)
                    .ok()
                    .filter(Value::is_number),
                Value::Bool(_) => serde_json::from_str::<Value>(text)
                    .ok()
                    .filter(Value::is_boolean),
                _ => None,
            };
            same_kind.unwrap_or_else(|| Value::String(text.to_owned()))
        }
    };
    Ok(())
}

/// Replaces validated findings inside every string of `v`.
fn scrub(keyed: &Keyed, v: &mut Value) {
    match v {
        Value::String(s) => {
            if let Some(new) = scrub_str(keyed, s) {
                *s = new;
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|c| scrub(keyed, c)),
        Value::Object(m) => m.values_mut().for_each(|c| scrub(keyed, c)),
        _ => {}
    }
}

/// The string with its findings replaced, or `None` when it has none.
pub(crate) fn scrub_str(keyed: &Keyed, s: &str) -> Option<String> {
    let findings: Vec<_> = scan_validated(s).collect();
    if findings.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(s.len() + 16);
    let mut at = 0;
    for (detector, range) in findings {
        out.push_str(&s[at..range.start]);
        replace_finding(keyed, detector, &s[range.clone()], &mut out);
        at = range.end;
    }
    out.push_str(&s[at..]);
    Some(out)
}

fn replace_finding(keyed: &Keyed, detector: Detector, finding: &str, out: &mut String) {
    let mut stream = keyed
        .digest(finding.as_bytes())
        .into_iter()
        .cycle()
        .enumerate()
        .map(
            // Past 32 bytes, mix the position in so long findings do not repeat with period 32.
            |(i, b)| {
                b.wrapping_add((i / 32) as u8)
                    .wrapping_mul(if i >= 32 { 31 } else { 1 })
            },
        );
    let mut next = move || stream.next().unwrap_or(0);
    match detector {
        Detector::Email => {
            out.push_str("h_");
            for _ in 0..8 {
                let b = next();
                out.push_str(&format!("{b:02x}"));
            }
            out.push_str("@example.com");
        }
        Detector::Ipv4 => {
            for i in 0..4 {
                if i > 0 {
                    out.push('.');
                }
                out.push_str(&next().to_string());
            }
        }
        _ => {
            for c in finding.chars() {
                let b = u32::from(next());
                out.push(match c {
                    '0'..='9' => char::from(b'0' + (b % 10) as u8),
                    'a'..='z' => char::from(b'a' + (b % 26) as u8),
                    'A'..='Z' => char::from(b'A' + (b % 26) as u8),
                    other => other,
                });
            }
        }
    }
}

impl Transform for JsonTransform {
    fn apply(
        &self,
        input: &[u8],
        ctx: &RowContext<'_>,
        out: &mut Vec<u8>,
    ) -> Result<Applied, TransformError> {
        // Scrub-only rules meet mostly clean documents: when the raw text holds no finding and
        // no escape (so every string's text appears in it verbatim), nothing would change, and
        // parsing and re-printing is skipped. The value came from a json/jsonb column, so it is
        // valid JSON already.
        if self.paths.is_empty() && self.scrub.is_some() && memchr::memchr(b'\\', input).is_none() {
            if let Ok(text) = std::str::from_utf8(input) {
                if scan_validated(text).next().is_none() {
                    out.extend_from_slice(input);
                    return Ok(Applied::Value);
                }
            }
        }
        let mut v: Value =
            serde_json::from_slice(input).map_err(|_| err("a value is not valid JSON"))?;
        let mut buf = Vec::new();
        for (steps, t) in &self.paths {
            visit(&mut v, steps, &mut |leaf| {
                apply_leaf(&**t, leaf, ctx, &mut buf)
            })?;
        }
        if let Some(keyed) = &self.scrub {
            scrub(keyed, &mut v);
        }
        serde_json::to_writer(&mut *out, &v).map_err(|_| err("cannot write JSON"))?;
        Ok(Applied::Value)
    }
}

#[cfg(test)]
#[path = "json_tests.rs"]
mod tests;
