//! Linkage of perturbed values back to their originals: Spearman rank correlation and the
//! nearest-original re-identification rate, in one dimension and jointly for two columns.
//!
//! The attacker model (`RISK-MODELS.md`): the attacker knows every original value and maps a
//! released value to the closest original. A row counts as re-identified only when its own
//! original is *strictly* closer than every other candidate. Two things make the match
//! ambiguous and count as a failure of the attacker:
//! - another candidate at the same distance (a tie), and
//! - another candidate with the *same value* as the row's original: the attacker learns the value,
//!   but cannot tell which of the records holding it is the right one.
//!
//! Both reduce to one rule: count the candidates whose distance to the released value is at most
//! the distance of the row's own original; the row is re-identified iff that count is exactly one
//! and the row's original is among the candidates. Non-finite pairs are skipped, not counted.

use std::cmp::Ordering;

/// A point of two jointly known columns.
pub type Point = (f64, f64);

/// A tested row: `(original, released)` points.
pub type PointPair = (Point, Point);

/// Why a linkage measure cannot be computed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LinkageError {
    /// The candidate originals must be sorted ascending and free of NaN.
    #[error("candidate originals are not sorted ascending (or contain NaN)")]
    UnsortedOriginals,
}

/// Outcome of a nearest-original attack.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LinkageRate {
    /// Pairs tested (non-finite pairs excluded).
    pub tested: u64,
    /// Pairs whose released value is strictly closest to their own original.
    pub reidentified: u64,
}

impl LinkageRate {
    /// `reidentified / tested`, 0 when nothing was tested.
    pub fn rate(&self) -> f64 {
        super::classes::ratio(self.reidentified, self.tested)
    }
}

/// Spearman rank correlation of two equally long samples, with average ranks for ties. `None`
/// when the lengths differ, there are fewer than two values, a value is NaN, or one side is
/// constant (the correlation is undefined).
pub fn spearman(x: &[f64], y: &[f64]) -> Option<f64> {
    if x.len() != y.len() || x.len() < 2 || x.iter().chain(y).any(|v| v.is_nan()) {
        return None;
    }
    let (rx, ry) = (average_ranks(x), average_ranks(y));
    let n = x.len() as f64;
    let mean = (n + 1.0) / 2.0;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in rx.iter().zip(&ry) {
        let (da, db) = (a - mean, b - mean);
        sxy += da * db;
        sxx += da * da;
        syy += db * db;
    }
    (sxx > 0.0 && syy > 0.0).then(|| (sxy / (sxx * syy).sqrt()).clamp(-1.0, 1.0))
}

/// 1-based ranks, ties sharing the mean of the ranks they span.
fn average_ranks(values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut ranks = vec![0.0; values.len()];
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && values[order[end]] == values[order[start]] {
            end += 1;
        }
        // Positions start..end hold ranks start+1..=end; their mean is (start+1+end)/2.
        let rank = (start + 1 + end) as f64 / 2.0;
        for &i in &order[start..end] {
            ranks[i] = rank;
        }
        start = end;
    }
    ranks
}

/// Nearest-original re-identification in one dimension. `originals` holds every candidate
/// original value, sorted ascending; `pairs` are the tested `(original, released)` rows.
pub fn nearest_original_rate(
    originals: &[f64],
    pairs: &[(f64, f64)],
) -> Result<LinkageRate, LinkageError> {
    let ordered =
        |a: f64, b: f64| matches!(a.partial_cmp(&b), Some(Ordering::Less | Ordering::Equal));
    if originals.windows(2).any(|w| !ordered(w[0], w[1])) || originals.iter().any(|v| v.is_nan()) {
        return Err(LinkageError::UnsortedOriginals);
    }
    let mut rate = LinkageRate::default();
    for &(original, released) in pairs {
        if !original.is_finite() || !released.is_finite() {
            continue;
        }
        rate.tested += 1;
        // The same expression computes the row's own distance and every candidate's, so the
        // row's original is always inside the window when it is a candidate.
        let d = (original - released).abs();
        let lo = originals.partition_point(|&c| c < released && (c - released).abs() > d);
        let hi = originals.partition_point(|&c| c <= released || (c - released).abs() <= d);
        if hi - lo == 1 && originals[lo] == original {
            rate.reidentified += 1;
        }
    }
    Ok(rate)
}

/// Candidate originals of two jointly known columns, indexed for nearest-original attacks.
///
/// Each dimension is divided by its interquartile range (falling back to the full range, then
/// to 1, when the IQR is zero) so that the Euclidean distance weighs both columns by their
/// spread. The index keeps the scaled points sorted by each dimension; a query scans the
/// narrower of the two bands `|Δx| ≤ d` and `|Δy| ≤ d` and stops at the second candidate found
/// within distance `d`, because a second one already makes the match ambiguous. For 10,000 rows
/// against 1,000,000 candidates this is two binary searches per row plus a short scan, unless
/// many candidates share a band without being close (for example heavily bucketed values in
/// both columns at once), where the scan degrades towards linear.
#[derive(Clone, Debug)]
pub struct JointIndex {
    scale: (f64, f64),
    by_x: Vec<(f64, f64)>,
    by_y: Vec<(f64, f64)>,
}

impl JointIndex {
    /// Builds the index; non-finite candidates are dropped.
    pub fn new(originals: &[(f64, f64)]) -> Self {
        let finite: Vec<(f64, f64)> = originals
            .iter()
            .copied()
            .filter(|(x, y)| x.is_finite() && y.is_finite())
            .collect();
        let scale = (
            spread(finite.iter().map(|p| p.0).collect()),
            spread(finite.iter().map(|p| p.1).collect()),
        );
        let mut by_x: Vec<(f64, f64)> = finite
            .iter()
            .map(|&(x, y)| (x / scale.0, y / scale.1))
            .collect();
        by_x.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
        let mut by_y = by_x.clone();
        by_y.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.total_cmp(&b.0)));
        Self { scale, by_x, by_y }
    }

    /// The divisors applied to each dimension.
    pub fn scale(&self) -> (f64, f64) {
        self.scale
    }

    /// Nearest-original re-identification for `(original, released)` pairs of points.
    pub fn rate(&self, pairs: &[PointPair]) -> LinkageRate {
        let mut rate = LinkageRate::default();
        for &(original, released) in pairs {
            let finite = [original.0, original.1, released.0, released.1];
            if finite.iter().any(|v| !v.is_finite()) {
                continue;
            }
            rate.tested += 1;
            let o = (original.0 / self.scale.0, original.1 / self.scale.1);
            let r = (released.0 / self.scale.0, released.1 / self.scale.1);
            if self.uniquely_nearest(o, r) {
                rate.reidentified += 1;
            }
        }
        rate
    }

    fn uniquely_nearest(&self, o: (f64, f64), r: (f64, f64)) -> bool {
        let dist2 = |p: (f64, f64)| (p.0 - r.0).powi(2) + (p.1 - r.1).powi(2);
        let d2 = dist2(o);
        // The band is widened a little so rounding in sqrt cannot drop the original itself; the
        // exact test below is on squared distances computed the same way for every point.
        let d = d2.sqrt() * (1.0 + 1e-9) + f64::MIN_POSITIVE;
        let band = |points: &[(f64, f64)], key: fn(&(f64, f64)) -> f64, centre: f64| {
            let lo = points.partition_point(|p| key(p) < centre - d);
            let hi = points.partition_point(|p| key(p) <= centre + d);
            (lo, hi.max(lo))
        };
        let (xl, xh) = band(&self.by_x, |p| p.0, r.0);
        let (yl, yh) = band(&self.by_y, |p| p.1, r.1);
        let scan = if xh - xl <= yh - yl {
            &self.by_x[xl..xh]
        } else {
            &self.by_y[yl..yh]
        };
        let mut within = 0;
        let mut own = false;
        for &p in scan {
            if dist2(p) <= d2 {
                within += 1;
                own |= p == o;
                if within > 1 {
                    return false;
                }
            }
        }
        within == 1 && own
    }
}

/// Interquartile range (linear interpolation between order statistics), or the range, or 1.
fn spread(mut values: Vec<f64>) -> f64 {
    if values.is_empty() {
        return 1.0;
    }
    values.sort_by(f64::total_cmp);
    let quantile = |q: f64| {
        let pos = q * (values.len() - 1) as f64;
        let (i, frac) = (pos.floor() as usize, pos.fract());
        let next = values[(i + 1).min(values.len() - 1)];
        values[i] + frac * (next - values[i])
    };
    let iqr = quantile(0.75) - quantile(0.25);
    let range = values[values.len() - 1] - values[0];
    [iqr, range]
        .into_iter()
        .find(|s| s.is_finite() && *s > 0.0)
        .unwrap_or(1.0)
}

#[cfg(test)]
#[path = "linkage_tests.rs"]
mod tests;
