//! Keeps docs/policy.md in sync with the registry: every transform the registry knows has a
//! `### \`name\`` section, every section names a real transform, and every TOML example in the
//! document parses as a policy file.

use std::path::Path;

use understudy::policy::file::parse;
use understudy::transform::registry::NAMES;

fn doc() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/policy.md"))
        .expect("docs/policy.md")
}

/// The ```toml blocks of the document, with the line each starts on.
fn toml_blocks(doc: &str) -> Vec<(usize, String)> {
    let mut blocks = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (i, line) in doc.lines().enumerate() {
        match (&mut current, line.trim()) {
            (None, "```toml") => current = Some((i + 2, String::new())),
            (Some(_), "```") => blocks.extend(current.take()),
            (Some((_, text)), _) => {
                text.push_str(line);
                text.push('\n');
            }
            (None, _) => {}
        }
    }
    blocks
}

#[test]
fn every_registry_transform_has_a_section() {
    let doc = doc();
    let missing: Vec<_> = NAMES
        .iter()
        .filter(|n| !doc.contains(&format!("\n### `{n}`\n")))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/policy.md lacks sections for {missing:?}"
    );
}

#[test]
fn every_section_is_a_registry_transform() {
    let doc = doc();
    for line in doc.lines() {
        if let Some(name) = line.strip_prefix("### `").and_then(|l| l.strip_suffix('`')) {
            assert!(
                NAMES.contains(&name),
                "docs/policy.md documents unknown transform {name}"
            );
        }
    }
}

#[test]
fn every_example_parses() {
    let doc = doc();
    let blocks = toml_blocks(&doc);
    assert!(blocks.len() >= NAMES.len(), "an example per transform");
    for (line, text) in blocks {
        if let Err(problems) = parse(Path::new("docs/policy.md"), &text) {
            panic!("example at docs/policy.md:{line} does not parse: {problems:?}");
        }
    }
}

#[test]
fn every_transform_has_an_example() {
    let doc = doc();
    let examples: String = toml_blocks(&doc).into_iter().map(|(_, t)| t).collect();
    for name in NAMES {
        assert!(
            examples.contains(&format!("transform = \"{name}\"")),
            "no example uses `{name}`"
        );
    }
}
