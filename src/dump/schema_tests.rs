//! Tests for the `schema` model's own behaviour: ordering, lookup, duplicates, key helpers.

use super::*;

fn qn(name: &str) -> QualifiedName {
    QualifiedName::new("public", name)
}

#[test]
fn keeps_dump_order_and_rejects_duplicates() {
    let mut schema = Schema::new();
    assert!(schema.is_empty());
    for (name, line) in [("zeta", 10), ("alpha", 20)] {
        assert_eq!(schema.insert(Table::new(qn(name), line)), Ok(()));
    }
    let names: Vec<_> = schema.tables().map(|t| t.name.name.as_str()).collect();
    assert_eq!(names, ["zeta", "alpha"]);
    assert_eq!(
        schema.insert(Table::new(qn("zeta"), 30)),
        Err(SchemaError::DuplicateTable {
            name: qn("zeta"),
            first_line: 10,
            second_line: 30
        })
    );
    assert_eq!(schema.len(), 2);
    assert_eq!(schema.table(&qn("alpha")).map(|t| t.line), Some(20));
    assert!(schema.table(&qn("missing")).is_none());
}

#[test]
fn key_and_data_columns() {
    let mut schema = Schema::from_column_list(
        qn("t"),
        vec!["id".into(), "email".into(), "ref".into(), "calc".into()],
        7,
    );
    let table = schema.table_mut(&qn("t")).expect("declared above");
    table.primary_key = Some(KeyConstraint {
        name: None,
        columns: vec!["id".into()],
    });
    table.foreign_keys.push(ForeignKey {
        name: Some("fk".into()),
        columns: vec!["ref".into()],
        references: qn("other"),
        referenced_columns: vec!["id".into()],
    });
    if let Some(calc) = table.column_mut("calc") {
        calc.generated = true;
    }
    let table = schema.table(&qn("t")).expect("declared above");
    let check = |column: &str, key: bool| assert_eq!(table.is_key_column(column), key, "{column}");
    check("id", true);
    check("ref", true);
    check("email", false);
    check("nope", false);
    let data: Vec<_> = table.data_columns().map(|c| c.name.as_str()).collect();
    assert_eq!(data, ["id", "email", "ref"]);
    assert!(table.column("email").is_some_and(|c| c.ty.is_none()));
}

#[test]
fn type_kind_families() {
    let check = |kind: TypeKind, textual: bool, numeric: bool, temporal: bool| {
        assert_eq!(
            (kind.is_textual(), kind.is_numeric(), kind.is_temporal()),
            (textual, numeric, temporal),
            "{kind:?}"
        );
    };
    check(TypeKind::Varchar, true, false, false);
    check(TypeKind::Numeric, false, true, false);
    check(TypeKind::Money, false, true, false);
    check(TypeKind::TimestampTz, false, false, true);
    check(TypeKind::Interval, false, false, true);
    check(TypeKind::Jsonb, false, false, false);
    check(TypeKind::Other, false, false, false);
}
