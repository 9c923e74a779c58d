//! What the checker does with a column, decided from its rule's *name*.
//!
//! The transforms that perturb numbers and dates (and several text ones) are being written in
//! parallel with the checker, and new ones will follow; so the checker classifies rules by the
//! names they are written with in policies rather than by matching the `Rule` enum, and any name
//! it does not know is treated conservatively: a rule that changes values and is not a known
//! numeric/date perturbation replaces text, so its originals are fingerprinted for leak checks.

/// Rules that move a number or date a little (or coarsen it): their output can be linked back
/// to the original by nearness, which is what the linkage check measures.
pub const PERTURBING: &[&str] = &[
    "bucket",
    "generalize",
    "generalize_date",
    "noise",
    "shift_date",
];

/// Rules whose output is made up wholesale (a keyed hash, a token, a constant, a fake value):
/// scanning their output for PII or leaked words would only find the synthetic values they are
/// meant to produce. Everything else that changes values (`json`, future free-text scrubbers)
/// may pass text through, so its output is scanned.
const SYNTHETIC: &[&str] = &[
    "card_number",
    "email",
    "encrypt",
    "fake",
    "hash",
    "iban",
    "integer_id",
    "ip",
    "null",
    "phone",
    "redact",
    "tokenize",
    "uuid",
];

/// Rules that map each value (or each entity) one-to-one: class sizes, and so every
/// quasi-identifier risk, are the same before and after them.
const ONE_TO_ONE: &[&str] = &[
    "card_number",
    "email",
    "encrypt",
    "hash",
    "iban",
    "integer_id",
    "ip",
    "phone",
    "shift_date",
    "tokenize",
    "uuid",
];

/// Rules that replace numbers: their originals are not fingerprinted for the leak check, which
/// (issue #4) looks for replaced *text*; a permuted id has no nearness to link by either.
/// Without this, every id of every table was fingerprinted, most of the leak index's memory
/// for no finding the check is meant to make.
const NUMERIC_REPLACING: &[&str] = &["integer_id"];

/// The checker's view of one column's rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Copied unchanged: its content is scanned by the PII detectors.
    Kept,
    /// Values replaced by something else: originals are fingerprinted to find leaks.
    Replacing {
        /// Whether strings inside JSON originals are fingerprinted one by one (`json`).
        json: bool,
    },
    /// Numbers or dates moved or coarsened: linkage is measured.
    Perturbing,
}

impl Role {
    /// The role of a rule, from its name and whether it changes values.
    pub fn of(rule: &str, changes_values: bool) -> Role {
        if !changes_values {
            Role::Kept
        } else if PERTURBING.contains(&rule) {
            Role::Perturbing
        } else {
            Role::Replacing {
                json: rule == "json",
            }
        }
    }
}

/// Whether a changing rule's output may still hold text from its input (so it is scanned).
pub fn output_may_hold_text(rule: &str, role: Role) -> bool {
    match role {
        Role::Kept => true,
        Role::Perturbing => false,
        Role::Replacing { .. } => !SYNTHETIC.contains(&rule),
    }
}

/// Whether a replacing rule's originals are fingerprinted for the leak check.
pub fn fingerprints_originals(rule: &str, role: Role) -> bool {
    matches!(role, Role::Replacing { .. }) && !NUMERIC_REPLACING.contains(&rule)
}

/// Whether the rule is one-to-one per value or per entity (see [`ONE_TO_ONE`]).
pub fn is_one_to_one(rule: &str) -> bool {
    ONE_TO_ONE.contains(&rule)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_by_name_with_a_conservative_default() {
        assert_eq!(Role::of("keep", false), Role::Kept);
        assert_eq!(Role::of("hash", true), Role::Replacing { json: false });
        assert_eq!(Role::of("json", true), Role::Replacing { json: true });
        assert_eq!(Role::of("shift_date", true), Role::Perturbing);
        assert_eq!(Role::of("bucket", true), Role::Perturbing);
        assert_eq!(
            Role::of("scrub_free_text", true),
            Role::Replacing { json: false }
        );
        assert!(output_may_hold_text(
            "scrub_free_text",
            Role::of("scrub_free_text", true)
        ));
        assert!(!output_may_hold_text("hash", Role::of("hash", true)));
        let id = Role::of("integer_id", true);
        assert!(
            !output_may_hold_text("integer_id", id) && !fingerprints_originals("integer_id", id)
        );
        assert!(fingerprints_originals(
            "tokenize",
            Role::of("tokenize", true)
        ));
        assert!(is_one_to_one("tokenize") && !is_one_to_one("bucket"));
    }
}
