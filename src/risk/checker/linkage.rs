//! Collecting what the linkage check of perturbed columns needs: every original value (as a
//! number, to be sorted once at the end) and a bottom-k reservoir of `(original, released)`
//! pairs to test; for jointly known columns the same in two dimensions.
//!
//! The measures themselves are `metrics::linkage`. Candidates are capped at
//! [`MAX_CANDIDATES`] per column; past it the tested rows' own originals are still added, so
//! the attacker has fewer wrong candidates and the rate can only be overestimated.

use super::fingerprint::Fingerprinter;
use super::sample::BottomK;
use super::values::{self, Kind};
use crate::risk::metrics::linkage::{self as metric, JointIndex, Point};

/// Originals kept per column (8 bytes each; 16 for a joint pair).
pub const MAX_CANDIDATES: usize = 4_000_000;

/// The result of one linkage test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Outcome {
    /// Spearman rank correlation of the tested pairs.
    pub spearman: Option<f64>,
    /// Nearest-original re-identification rate.
    pub rate: f64,
    /// Pairs tested.
    pub tested: u64,
    /// Candidate originals.
    pub candidates: u64,
    /// Non-NULL values that could not be read as a number or date.
    pub unparsed: u64,
    /// Whether candidates were capped.
    pub capped: bool,
}

/// One perturbed column.
#[derive(Debug, Clone)]
pub struct Single {
    kind: Option<Kind>,
    originals: Vec<f64>,
    capped: bool,
    reservoir: BottomK<(f64, f64)>,
    unparsed: u64,
}

impl Single {
    /// An empty collector testing up to `sample` pairs.
    pub fn new(sample: usize) -> Self {
        Single {
            kind: None,
            originals: Vec::new(),
            capped: false,
            reservoir: BottomK::new(sample),
            unparsed: 0,
        }
    }

    /// One row's original and released value (the latter `None` when suppressed to NULL).
    pub fn row(&mut self, fp: &Fingerprinter, original: &[u8], released: Option<&[u8]>) {
        let Some((kind, o)) = values::parse(original, self.kind) else {
            self.unparsed += 1;
            return;
        };
        self.kind = Some(kind);
        self.originals.push(o);
        let Some(released) = released else { return };
        match values::parse(released, Some(kind)) {
            Some((_, r)) => self
                .reservoir
                .offer_with(fp.raw(&[original, released]), || (o, r)),
            None => self.unparsed += 1,
        }
    }

    /// Adds the next slice's collection.
    pub fn merge(&mut self, other: Single) {
        if self.kind.is_none() {
            self.kind = other.kind;
        }
        let room = MAX_CANDIDATES.saturating_sub(self.originals.len());
        self.capped |= other.capped || other.originals.len() > room;
        self.originals
            .extend_from_slice(&other.originals[..other.originals.len().min(room)]);
        self.reservoir.merge(other.reservoir);
        self.unparsed += other.unparsed;
    }

    /// Bytes held.
    pub fn bytes(&self) -> usize {
        self.originals.capacity() * 8 + self.reservoir.len() * 24
    }

    /// Runs the attack.
    pub fn outcome(self) -> Outcome {
        let pairs = self.reservoir.into_sorted();
        let mut candidates = self.originals;
        if self.capped {
            candidates.extend(pairs.iter().map(|p| p.0));
        }
        candidates.retain(|v| v.is_finite());
        candidates.sort_by(f64::total_cmp);
        let (x, y): (Vec<f64>, Vec<f64>) = pairs.iter().copied().unzip();
        let rate = metric::nearest_original_rate(&candidates, &pairs).unwrap_or_default();
        Outcome {
            spearman: metric::spearman(&x, &y),
            rate: rate.rate(),
            tested: rate.tested,
            candidates: candidates.len() as u64,
            unparsed: self.unparsed,
            capped: self.capped,
        }
    }
}

/// Two jointly known columns.
#[derive(Debug, Clone)]
pub struct Joint {
    kinds: [Option<Kind>; 2],
    originals: Vec<Point>,
    capped: bool,
    reservoir: BottomK<(Point, Point)>,
    unparsed: u64,
}

impl Joint {
    /// An empty collector testing up to `sample` rows.
    pub fn new(sample: usize) -> Self {
        Joint {
            kinds: [None, None],
            originals: Vec::new(),
            capped: false,
            reservoir: BottomK::new(sample),
            unparsed: 0,
        }
    }

    /// One row: both columns' originals and released values.
    pub fn row(
        &mut self,
        fp: &Fingerprinter,
        original: [Option<&[u8]>; 2],
        released: [Option<&[u8]>; 2],
    ) {
        let mut o = [0.0; 2];
        let mut r = [0.0; 2];
        for i in 0..2 {
            let (Some(ov), Some(rv)) = (original[i], released[i]) else {
                return; // a NULL on either side is not a point
            };
            let Some((kind, a)) = values::parse(ov, self.kinds[i]) else {
                self.unparsed += 1;
                return;
            };
            self.kinds[i] = Some(kind);
            let Some((_, b)) = values::parse(rv, Some(kind)) else {
                self.unparsed += 1;
                return;
            };
            o[i] = a;
            r[i] = b;
        }
        let o = (o[0], o[1]);
        self.originals.push(o);
        let priority = fp.raw(&[
            original[0].unwrap_or_default(),
            original[1].unwrap_or_default(),
            released[0].unwrap_or_default(),
            released[1].unwrap_or_default(),
        ]);
        self.reservoir.offer_with(priority, || (o, (r[0], r[1])));
    }

    /// Adds the next slice's collection.
    pub fn merge(&mut self, other: Joint) {
        for i in 0..2 {
            if self.kinds[i].is_none() {
                self.kinds[i] = other.kinds[i];
            }
        }
        let room = MAX_CANDIDATES.saturating_sub(self.originals.len());
        self.capped |= other.capped || other.originals.len() > room;
        self.originals
            .extend_from_slice(&other.originals[..other.originals.len().min(room)]);
        self.reservoir.merge(other.reservoir);
        self.unparsed += other.unparsed;
    }

    /// Bytes held.
    pub fn bytes(&self) -> usize {
        self.originals.capacity() * 16 + self.reservoir.len() * 40
    }

    /// Runs the two-dimensional attack.
    pub fn outcome(self) -> Outcome {
        let pairs = self.reservoir.into_sorted();
        let mut candidates = self.originals;
        if self.capped {
            candidates.extend(pairs.iter().map(|p| p.0));
        }
        let index = JointIndex::new(&candidates);
        let rate = index.rate(&pairs);
        Outcome {
            spearman: None,
            rate: rate.rate(),
            tested: rate.tested,
            candidates: candidates.len() as u64,
            unparsed: self.unparsed,
            capped: self.capped,
        }
    }
}
