//! Tests for `ident`: quoting, whole-name parsing, header prefix parsers, and the round trip
//! `parse(display(q)) == q`. Nothing else is tested here.

use super::*;
use proptest::prelude::*;

fn qn(schema: &str, name: &str) -> QualifiedName {
    QualifiedName::new(schema, name)
}

#[test]
fn keywords_sorted() {
    assert!(KEYWORDS.windows(2).all(|w| w[0] < w[1]));
}

#[test]
fn display_quotes_like_quote_ident() {
    let check = |name: QualifiedName, expected: &str| {
        assert_eq!(name.to_string(), expected, "{name:?}");
    };
    check(qn("public", "customers"), "public.customers");
    check(qn("public", "Audit Log"), "public.\"Audit Log\"");
    check(
        qn("Sales Dept.EU", "Customer.Contacts"),
        "\"Sales Dept.EU\".\"Customer.Contacts\"",
    );
    check(qn("public", "we\"ird"), "public.\"we\"\"ird\"");
    check(qn("public", "user"), "public.\"user\"");
    check(qn("public", "order"), "public.\"order\"");
    check(qn("public", "_t$1"), "public._t$1");
    check(qn("public", "1abc"), "public.\"1abc\"");
    check(qn("public", "café"), "public.\"café\"");
    check(qn("public", "Upper"), "public.\"Upper\"");
    check(qn("public", "col\nnl"), "public.\"col\nnl\"");
    // Unreserved keywords stay bare, as pg_dump writes them.
    check(qn("public", "name"), "public.name");
    check(qn("public", "text"), "public.text");
}

#[test]
fn quote_ident_borrows_when_plain() {
    assert!(matches!(quote_ident("plain_1"), Cow::Borrowed(_)));
    assert_eq!(quote_ident(""), "\"\"");
    assert_eq!(quote_ident("select"), "\"select\"");
}

#[test]
fn parse_names() {
    let check = |input: &str, expected: Result<QualifiedName, IdentError>| {
        assert_eq!(QualifiedName::parse(input), expected, "{input:?}");
    };
    check("customers", Ok(qn("public", "customers")));
    check("Public.Customers", Ok(qn("public", "customers")));
    check("  crm.t  ", Ok(qn("crm", "t")));
    check("\"public\".\"t\"", Ok(qn("public", "t")));
    check("public.\"Audit Log\"", Ok(qn("public", "Audit Log")));
    check(
        "\"Sales Dept.EU\".\"Customer.Contacts\"",
        Ok(qn("Sales Dept.EU", "Customer.Contacts")),
    );
    check("public.\"we\"\"ird\"", Ok(qn("public", "we\"ird")));
    check("\"a\nb\".\"c d\"", Ok(qn("a\nb", "c d")));
    check("public . t", Ok(qn("public", "t")));
    // PostgreSQL folds only ASCII letters in a UTF-8 database.
    check("ÉTÉ.x", Ok(qn("ÉtÉ", "x")));
    check("", Err(IdentError::Empty));
    check("   ", Err(IdentError::Empty));
    check("public.", Err(IdentError::EmptyPart { offset: 7 }));
    check(".t", Err(IdentError::EmptyPart { offset: 0 }));
    check("public.\"\"", Err(IdentError::EmptyPart { offset: 7 }));
    check("\"abc", Err(IdentError::UnterminatedQuote { offset: 0 }));
    check(
        "a.\"b\"\"",
        Err(IdentError::UnterminatedQuote { offset: 2 }),
    );
    check("a.b.c", Err(IdentError::TooManyParts { offset: 4 }));
    check("a b", Err(IdentError::UnexpectedChar { offset: 2 }));
    check("a;b", Err(IdentError::UnexpectedChar { offset: 1 }));
    check("1a", Err(IdentError::UnexpectedChar { offset: 0 }));
}

#[test]
fn qualified_prefix() {
    let check = |input: &[u8], expected: Option<(QualifiedName, usize)>| {
        assert_eq!(parse_qualified_prefix(input), expected, "{input:?}");
    };
    check(
        b"public.customers (id, email) FROM stdin;",
        Some((qn("public", "customers"), 16)),
    );
    check(
        b"public.\"we\"\"ird.na me\" (\"col\nnl\") FROM stdin;",
        Some((qn("public", "we\"ird.na me"), 22)),
    );
    check(b" t VALUES", Some((qn("public", "t"), 2)));
    check(b"\"Sales Dept\".\"X\"(", Some((qn("Sales Dept", "X"), 16)));
    check(b"a.b.c (x)", None);
    check(b"\"open", None);
    check(b"(x)", None);
    check(b"", None);
    check(b"public.\xff", None);
}

#[test]
fn column_lists() {
    let check = |input: &[u8], expected: Option<(Vec<&str>, usize)>| {
        let expected = expected.map(|(v, n)| (v.into_iter().map(String::from).collect(), n));
        assert_eq!(parse_column_list(input), expected, "{input:?}");
    };
    check(b" (id, email) FROM stdin;", Some((vec!["id", "email"], 12)));
    check(
        b" (\"col\nnl\", \"a.b\") FROM stdin;",
        Some((vec!["col\nnl", "a.b"], 18)),
    );
    check(
        b"(\"we\"\"ird\",Upper)",
        Some((vec!["we\"ird", "upper"], 17)),
    );
    check(b"( a , b )", Some((vec!["a", "b"], 9)));
    check(b"()", Some((vec![], 2)));
    check(b"(a,)", None);
    check(b"(a b)", None);
    check(b"(a", None);
    check(b"(\"a)", None);
    check(b"a, b)", None);
}

proptest! {
    #[test]
    fn display_parse_round_trip(
        schema in "[a-zA-Z0-9_ .\"\n$é]{1,12}",
        name in "[a-zA-Z0-9_ .\"\n$é]{1,12}",
    ) {
        let q = QualifiedName::new(schema, name);
        let text = q.to_string();
        prop_assert_eq!(QualifiedName::parse(&text), Ok(q.clone()));
        let header = format!("{text} (x) FROM stdin;");
        prop_assert_eq!(parse_qualified_prefix(header.as_bytes()), Some((q, text.len())));
    }

    #[test]
    fn parsers_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..40)) {
        let _ = parse_qualified_prefix(&bytes);
        let _ = parse_column_list(&bytes);
        if let Ok(s) = std::str::from_utf8(&bytes) {
            let _ = QualifiedName::parse(s);
        }
    }
}
