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
///
/// Originals are kept compactly: sorted, each value at most twice. The attack only asks
/// whether exactly one original is nearest a released value, and a second copy of a value
/// already makes it ambiguous, so further copies change nothing. Dates, buckets and amounts
/// repeat a lot (two million birth dates hold about 30,000 days), so this holds a fraction of
/// the values, and a sorted run has no spare capacity to double into.
///
/// They are held as [`order_key`]s, `u64`s whose unsigned order is `f64::total_cmp`'s: the
/// sort of every original is this check's largest cost, and integers sort faster than floats
/// compared with `total_cmp` (no closure, branchless merges).
#[derive(Debug, Clone)]
pub struct Single {
    kind: Option<Kind>,
    /// Originals folded in so far (order keys): sorted, at most two of each value.
    sorted: Vec<u64>,
    /// Originals not yet folded in.
    pending: Vec<u64>,
    /// Originals accepted (what the cap and the `candidates` figure count).
    count: u64,
    capped: bool,
    reservoir: BottomK<(f64, f64)>,
    unparsed: u64,
}

/// Pending originals are folded in once there are this many, and at least as many as are
/// already sorted (so each value is moved a logarithmic number of times).
const FOLD_AT: usize = 1 << 16;

impl Single {
    /// An empty collector testing up to `sample` pairs.
    pub fn new(sample: usize) -> Self {
        Single {
            kind: None,
            sorted: Vec::new(),
            pending: Vec::new(),
            count: 0,
            capped: false,
            reservoir: BottomK::new(sample),
            unparsed: 0,
        }
    }

    /// An empty collector for a slice whose rows will be merged into this one: it knows the
    /// values' kind and skips rows this one's sample could no longer take.
    pub fn for_slice(&self) -> Self {
        Single {
            kind: self.kind,
            reservoir: BottomK::below(&self.reservoir),
            ..Single::new(0)
        }
    }

    /// One row's original and released value (the latter `None` when suppressed to NULL).
    pub fn row(&mut self, fp: &Fingerprinter, original: &[u8], released: Option<&[u8]>) {
        let Some((kind, o)) = values::parse(original, self.kind) else {
            self.unparsed += 1;
            return;
        };
        self.kind = Some(kind);
        self.pending.push(order_key(o));
        self.count += 1;
        let Some(released) = released else { return };
        // Only the tested rows' released values are read: a row outside the sample needs
        // none, and reading them was a third of this check's cost. (So `unparsed` counts
        // unreadable originals and unreadable released values of sampled rows.)
        let priority = fp.raw(&[original, released]);
        if !self.reservoir.admits(priority) {
            self.reservoir.skip();
            return;
        }
        match values::parse(released, Some(kind)) {
            Some((_, r)) => self.reservoir.offer_with(priority, || (o, r)),
            None => self.unparsed += 1,
        }
    }

    /// Adds the next slice's collection.
    pub fn merge(&mut self, mut other: Single) {
        if self.kind.is_none() {
            self.kind = other.kind;
        }
        let room = (MAX_CANDIDATES as u64).saturating_sub(self.count);
        self.capped |= other.capped || other.count > room;
        let mut take = room.min(other.count) as usize;
        self.count += take as u64;
        // The slice's own values, pending first: they are its first ones when it never folded.
        for part in [&mut other.pending, &mut other.sorted] {
            let n = take.min(part.len());
            self.pending.extend_from_slice(&part[..n]);
            take -= n;
        }
        if self.pending.len() >= FOLD_AT.max(self.sorted.len()) {
            self.fold();
        }
        self.reservoir.merge(other.reservoir);
        self.unparsed += other.unparsed;
    }

    /// Sorts the pending originals into `sorted`, keeping at most two of each value.
    fn fold(&mut self) {
        let mut pending = std::mem::take(&mut self.pending);
        pending.sort_unstable();
        let old = std::mem::take(&mut self.sorted);
        let mut out: Vec<u64> = Vec::with_capacity(old.len() + pending.len());
        let (mut i, mut j) = (0, 0);
        while i < old.len() || j < pending.len() {
            let v = if j == pending.len() || (i < old.len() && old[i] <= pending[j]) {
                i += 1;
                old[i - 1]
            } else {
                j += 1;
                pending[j - 1]
            };
            let n = out.len();
            if n < 2 || out[n - 1] != v || out[n - 2] != v {
                out.push(v);
            }
        }
        out.shrink_to_fit();
        self.sorted = out;
        // The pending buffer is reused: its capacity is one slice's worth, not the column's.
        pending.clear();
        self.pending = pending;
    }

    /// Bytes held.
    pub fn bytes(&self) -> usize {
        (self.sorted.capacity() + self.pending.capacity()) * 8 + self.reservoir.len() * 24
    }

    /// Runs the attack.
    pub fn outcome(mut self) -> Outcome {
        self.fold();
        let pairs = self.reservoir.into_sorted();
        let mut candidates: Vec<f64> = self.sorted.into_iter().map(from_order_key).collect();
        let mut count = self.count;
        // `count` is every original accepted, as before folding (the attack sees the same).
        if self.capped {
            candidates.extend(pairs.iter().map(|p| p.0));
            candidates.sort_by(f64::total_cmp);
            count += pairs.len() as u64;
        }
        candidates.retain(|v| v.is_finite());
        let (x, y): (Vec<f64>, Vec<f64>) = pairs.iter().copied().unzip();
        let rate = metric::nearest_original_rate(&candidates, &pairs).unwrap_or_default();
        Outcome {
            spearman: metric::spearman(&x, &y),
            rate: rate.rate(),
            tested: rate.tested,
            candidates: count,
            unparsed: self.unparsed,
            capped: self.capped,
        }
    }
}

/// `v`'s bits as a `u64` whose unsigned order is `f64::total_cmp`'s: negative values (sign
/// set) have every bit flipped, the others only the sign bit.
fn order_key(v: f64) -> u64 {
    let b = v.to_bits();
    if b >> 63 == 1 {
        !b
    } else {
        b | 1 << 63
    }
}

/// The inverse of [`order_key`].
fn from_order_key(k: u64) -> f64 {
    f64::from_bits(if k >> 63 == 1 { k & !(1 << 63) } else { !k })
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::key::MasterKey;

    #[test]
    fn order_keys_round_trip_and_sort_as_total_cmp() {
        let mut values = vec![
            f64::NAN,
            f64::INFINITY,
            1e18,
            1.0,
            f64::MIN_POSITIVE,
            0.0,
            -0.0,
            -2.5,
            -1e300,
            f64::NEG_INFINITY,
        ];
        for &v in &values {
            assert_eq!(from_order_key(order_key(v)).to_bits(), v.to_bits());
        }
        let mut want = values.clone();
        want.sort_by(f64::total_cmp);
        values.sort_by_key(|&v| order_key(v));
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&values), bits(&want));
    }

    /// Folding (sorted, at most two copies) gives the rate of the plain attack on every
    /// original, over enough slices to fold several times.
    #[test]
    fn folded_originals_give_the_same_rate_as_all_of_them() {
        let fp = Fingerprinter::new(&MasterKey::from_bytes([5; 32]));
        let rows: Vec<(i64, i64)> = (0..200_000i64)
            .map(|i| {
                // Many repeated originals (i % 5_000), some unique ones, released values near.
                let o = if i % 3 == 0 { i } else { i % 5_000 };
                (o, o + (i % 7) - 3)
            })
            .collect();
        let mut all = Single::new(rows.len());
        for chunk in rows.chunks(1_000) {
            let mut slice = Single::new(rows.len());
            for (o, r) in chunk {
                slice.row(
                    &fp,
                    o.to_string().as_bytes(),
                    Some(r.to_string().as_bytes()),
                );
            }
            all.merge(slice);
        }
        assert!(all.sorted.len() < rows.len() / 2, "repeats are folded");
        let mut originals: Vec<f64> = rows.iter().map(|r| r.0 as f64).collect();
        originals.sort_by(f64::total_cmp);
        let pairs: Vec<(f64, f64)> = rows.iter().map(|r| (r.0 as f64, r.1 as f64)).collect();
        let want = metric::nearest_original_rate(&originals, &pairs).unwrap();
        let got = all.outcome();
        assert_eq!(got.tested, rows.len() as u64);
        assert_eq!(got.rate, want.rate());
        assert_eq!(got.candidates, rows.len() as u64);
        assert!(got.rate > 0.0 && got.rate < 1.0, "{}", got.rate);
    }
}
