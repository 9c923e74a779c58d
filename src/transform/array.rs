//! Element-wise rules on array columns: `{a,"b c",NULL}` parsed, each element sent through the
//! rule bound to the element type, the array written back with PostgreSQL's quoting.
//!
//! Design: not a transform of its own. [`super::Rule::bind`] wraps any rule that works on single
//! values (see `Rule::elementwise`) in [`Elementwise`] when the column's type is an array, after
//! binding the rule to the element type — so `bucket` on `integer[]` checks `integer`'s typmod
//! and `fake` on `varchar(20)[]` fits 20 characters. `keep`, `null` and `redact` act on the
//! whole array. NULL elements stay NULL; a dimension prefix (`[0:1]={...}`) and nesting
//! (`{{1,2},{3,4}}`) are kept.

use crate::dump::schema::ColumnType;

use super::{Applied, Bound, ColumnContext, RowContext, Transform, TransformError};

/// The element type of an array column (`None` for scalars).
pub(crate) fn element_type(ty: &ColumnType) -> Option<ColumnType> {
    (ty.array_dims > 0).then(|| ColumnType {
        sql: ty.sql.trim_end_matches("[]").to_owned(),
        array_dims: 0,
        ..ty.clone()
    })
}

/// Binds `bind_element` to the element type and wraps the result.
pub(crate) fn bind_elementwise(
    ctx: &ColumnContext<'_>,
    element: &ColumnType,
    bind_element: impl FnOnce(&ColumnContext<'_>) -> Result<Bound, String>,
) -> Result<Bound, String> {
    let element_ctx = ColumnContext {
        qualified: ctx.qualified,
        default_domain: ctx.default_domain,
        ty: Some(element),
        not_null: false,
        key: ctx.key,
    };
    Ok(match bind_element(&element_ctx)? {
        Bound::Keep => Bound::Keep,
        Bound::Apply(inner) => Bound::Apply(Box::new(Elementwise { inner })),
    })
}

/// A rule applied to every element of an array value.
#[derive(Debug)]
pub(crate) struct Elementwise {
    inner: Box<dyn Transform>,
}

fn malformed() -> TransformError {
    TransformError("a value is not a well-formed array literal".into())
}

/// Whether an element must be quoted on output.
fn needs_quotes(e: &[u8]) -> bool {
    e.is_empty()
        || e.eq_ignore_ascii_case(b"NULL")
        || e.iter()
            .any(|&b| matches!(b, b'{' | b'}' | b',' | b'"' | b'\\') || b.is_ascii_whitespace())
}

fn write_element(e: &[u8], out: &mut Vec<u8>) {
    if !needs_quotes(e) {
        out.extend_from_slice(e);
        return;
    }
    out.push(b'"');
    for &b in e {
        if b == b'"' || b == b'\\' {
            out.push(b'\\');
        }
        out.push(b);
    }
    out.push(b'"');
}

impl Transform for Elementwise {
    fn apply(
        &self,
        input: &[u8],
        ctx: &RowContext<'_>,
        out: &mut Vec<u8>,
    ) -> Result<Applied, TransformError> {
        // Optional dimension decoration, copied: `[1:2]={...}`.
        let mut i = 0;
        if input.first() == Some(&b'[') {
            let eq = input
                .iter()
                .position(|&b| b == b'=')
                .ok_or_else(malformed)?;
            out.extend_from_slice(&input[..=eq]);
            i = eq + 1;
        }
        let mut element = Vec::new();
        let mut produced = Vec::new();
        let mut depth = 0usize;
        while i < input.len() {
            match input[i] {
                b'{' => {
                    depth += 1;
                    out.push(b'{');
                    i += 1;
                }
                b'}' if depth > 0 => {
                    depth -= 1;
                    out.push(b'}');
                    i += 1;
                }
                b',' if depth > 0 => {
                    out.push(b',');
                    i += 1;
                }
                b if b.is_ascii_whitespace() => i += 1,
                _ if depth == 0 => return Err(malformed()),
                b'"' => {
                    element.clear();
                    i += 1;
                    loop {
                        match input.get(i) {
                            None => return Err(malformed()),
                            Some(b'"') => break,
                            Some(b'\\') => {
                                element.push(*input.get(i + 1).ok_or_else(malformed)?);
                                i += 2;
                            }
                            Some(&b) => {
                                element.push(b);
                                i += 1;
                            }
                        }
                    }
                    i += 1;
                    self.element(&element, ctx, &mut produced, out)?;
                }
                _ => {
                    let start = i;
                    while i < input.len() && !matches!(input[i], b',' | b'}') {
                        if input[i] == b'\\' {
                            i += 1;
                        }
                        i += 1;
                    }
                    let raw = input[start..i.min(input.len())].trim_ascii_end();
                    if raw.eq_ignore_ascii_case(b"NULL") {
                        out.extend_from_slice(b"NULL");
                        continue;
                    }
                    element.clear();
                    let mut j = 0;
                    while j < raw.len() {
                        if raw[j] == b'\\' && j + 1 < raw.len() {
                            j += 1;
                        }
                        element.push(raw[j]);
                        j += 1;
                    }
                    self.element(&element, ctx, &mut produced, out)?;
                }
            }
        }
        if depth != 0 {
            return Err(malformed());
        }
        Ok(Applied::Value)
    }
}

impl Elementwise {
    fn element(
        &self,
        element: &[u8],
        ctx: &RowContext<'_>,
        produced: &mut Vec<u8>,
        out: &mut Vec<u8>,
    ) -> Result<(), TransformError> {
        produced.clear();
        match self.inner.apply(element, ctx, produced)? {
            Applied::Value => write_element(produced, out),
            Applied::Null => out.extend_from_slice(b"NULL"),
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{bind, run, value};
    use proptest::prelude::*;

    #[test]
    fn table() {
        let mask = bind(r#"transform = "mask", keep_first = 1"#, "text[]");
        for (input, want) in [
            (r#"{alice,"b c",NULL,"q\"x"}"#, r#"{a****,b**,NULL,q**}"#),
            ("{}", "{}"),
            (r#"{"",x}"#, r#"{"",*}"#),
            ("{{ab,cd},{ef,gh}}", "{{a*,c*},{e*,g*}}"),
            ("[0:1]={ab,cd}", "[0:1]={a*,c*}"),
            (r#"{"NULL"}"#, r#"{N***}"#),
        ] {
            assert_eq!(value(&*mask, input), want, "{input}");
        }
        let bucket = bind(r#"transform = "bucket", width = "10""#, "integer[]");
        assert_eq!(value(&*bucket, "{1,15,NULL,-3}"), "{0,10,NULL,-10}");
        for bad in ["{a", "a}", "{\"a}", "x"] {
            assert!(run(&*mask, bad, None).is_err(), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn round_trips_through_keep_shape(elems in proptest::collection::vec(proptest::option::of("[a-z \",\\\\{}]{0,6}"), 0..6)) {
            let mut lit = String::from("{");
            for (i, e) in elems.iter().enumerate() {
                if i > 0 { lit.push(','); }
                match e {
                    None => lit.push_str("NULL"),
                    Some(s) => {
                        lit.push('"');
                        for c in s.chars() { if c == '"' || c == '\\' { lit.push('\\'); } lit.push(c); }
                        lit.push('"');
                    }
                }
            }
            lit.push('}');
            let t = bind(r#"transform = "mask", keep_first = 100"#, "text[]");
            // keep_first larger than any element: every element is masked whole, so the
            // element count and NULLs survive.
            let out = value(&*t, &lit);
            let nulls = out.matches("NULL").count();
            prop_assert_eq!(nulls, elems.iter().filter(|e| e.is_none()).count());
        }
    }
}
