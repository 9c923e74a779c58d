mod support;
#[test]
fn smoke() {
    let db = support::TestDb::create("smoke");
    assert_eq!(db.query("select 1"), "1");
}
