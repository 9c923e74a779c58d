//! Per-column tallies of the PII detectors, and of passthrough text.
//!
//! A tally counts, per detector, how many scanned values held at least one finding, and keeps a
//! few *masked* examples (`detect::mask`). The raw matched text never leaves [`Tally::scan`].

use std::collections::BTreeMap;

use crate::risk::detect::{mask, scan, Detector};

/// Masked examples kept per detector.
pub const EXAMPLES: usize = 3;

/// What the detectors found in one column (or in passthrough text).
#[derive(Debug, Clone, Default)]
pub struct Tally {
    /// Values scanned.
    pub scanned: u64,
    /// Per detector: values with a finding, and masked examples.
    pub found: BTreeMap<Detector, (u64, Vec<String>)>,
}

impl Tally {
    /// Scans one value. `date_of_birth` findings count only when `dob_column` (the column's
    /// name suggests a birth date): any past date looks like one.
    pub fn scan(&mut self, value: &[u8], dob_column: bool) {
        self.scanned += 1;
        let text = String::from_utf8_lossy(value);
        let mut seen: Vec<Detector> = Vec::new();
        // In text a date needs a keyword ("born") to count; in a column named for it, the
        // whole value being a plausible birth date is enough.
        let whole_dob = dob_column && Detector::DateOfBirth.matches(&text);
        let found = scan(&text).chain(whole_dob.then(|| (Detector::DateOfBirth, 0..text.len())));
        for (d, range) in found {
            if d == Detector::DateOfBirth && !dob_column {
                continue;
            }
            let entry = self.found.entry(d).or_default();
            if !seen.contains(&d) {
                seen.push(d);
                entry.0 += 1;
            }
            if entry.1.len() < EXAMPLES {
                let masked = mask(d, &text[range]);
                if !entry.1.contains(&masked) {
                    entry.1.push(masked);
                }
            }
        }
    }

    /// Adds another tally (the next slice, in order).
    pub fn merge(&mut self, other: Tally) {
        self.scanned += other.scanned;
        for (d, (n, examples)) in other.found {
            let entry = self.found.entry(d).or_default();
            entry.0 += n;
            for e in examples {
                if entry.1.len() < EXAMPLES && !entry.1.contains(&e) {
                    entry.1.push(e);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_values_not_findings_and_masks_examples() {
        let mut t = Tally::default();
        t.scan(b"mail ann@example.com or bob@example.com", false);
        t.scan(b"nothing here", false);
        let mut u = Tally::default();
        u.scan(b"call +1 202 555 0143", false);
        t.merge(u);
        assert_eq!(t.scanned, 3);
        let (n, examples) = &t.found[&Detector::Email];
        assert_eq!(*n, 1);
        assert!(examples
            .iter()
            .all(|e| !e.contains("ann@") && !e.contains("bob@")));
        assert!(t.found.contains_key(&Detector::Phone));
    }

    #[test]
    fn birth_dates_only_in_columns_so_named() {
        let mut t = Tally::default();
        t.scan(b"1984-02-29", false);
        assert!(t.found.is_empty());
        t.scan(b"1984-02-29", true);
        assert_eq!(t.found.keys().collect::<Vec<_>>(), [&Detector::DateOfBirth]);
    }
}
