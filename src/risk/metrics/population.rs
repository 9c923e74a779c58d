//! Population uniqueness: how many of the sample's unique records are also unique in the whole
//! population, when the policy states the sampling fraction `π = n/N`.
//!
//! The estimators follow ARX's `RiskModelPopulationUniqueness`: Zayatz (hypergeometric, always
//! defined), Pitman (maximum likelihood with a 2-D Newton–Raphson, as ARX `ModelPitman`, may fail
//! to converge and is then reported invalid) and the Dankar decision rule that picks between
//! them. Every estimator returns the estimated *number* of population uniques; the uniqueness is
//! that number divided by `N = n/π`.

use super::classes::ClassHistogram;
use super::special::{digamma, ln_gamma, trigamma};

/// Why a population estimate cannot be computed at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PopulationError {
    /// The sampling fraction must be in (0, 1].
    #[error("sampling fraction must be greater than 0 and at most 1")]
    InvalidSamplingFraction,
    /// There are no records to extrapolate from.
    #[error("the sample has no records")]
    EmptySample,
}

/// Which estimator the Dankar rule chose.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PopulationModel {
    /// No sample uniques, so no population uniques can be inferred.
    NoSampleUniques,
    /// Zayatz (1991).
    Zayatz,
    /// Pitman (Hoshino 2001).
    Pitman,
}

/// A population estimate with the model that produced it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PopulationEstimate {
    /// The estimator used.
    pub model: PopulationModel,
    /// Estimated number of population uniques.
    pub uniques: f64,
    /// `uniques / N`, in [0, 1].
    pub uniqueness: f64,
}

/// Newton–Raphson settings: ARX accepts a root when both objective functions are within 1e-6.
const ACCURACY: f64 = 1e-6;
const MAX_ITERATIONS: usize = 500;
/// How often a step that leaves the domain (see [`in_domain`]) is halved before giving up.
const MAX_HALVINGS: usize = 60;

fn checked(h: &ClassHistogram, pi: f64) -> Result<(f64, f64), PopulationError> {
    if !(pi > 0.0 && pi <= 1.0) {
        return Err(PopulationError::InvalidSamplingFraction);
    }
    let n = h.records() as f64;
    if h.records() == 0 {
        return Err(PopulationError::EmptySample);
    }
    Ok((n, n / pi))
}

/// `ln C(a, b)` for real `a ≥ b ≥ 0`; `-∞` when `a < b` (no way to choose).
fn ln_choose(a: f64, b: f64) -> f64 {
    if a < b {
        return f64::NEG_INFINITY;
    }
    ln_gamma(a + 1.0) - ln_gamma(b + 1.0) - ln_gamma(a - b + 1.0)
}

/// `ln H(N, K, m)`: the log probability of exactly one success when drawing `m` of `N` items
/// of which `K` are successes.
fn ln_exactly_one(population: f64, successes: f64, draws: f64) -> f64 {
    successes.ln() + ln_choose(population - successes, draws - 1.0) - ln_choose(population, draws)
}

/// Zayatz's estimate of the number of population uniques, computed in log space.
pub fn zayatz(h: &ClassHistogram, pi: f64) -> Result<f64, PopulationError> {
    let (n, population) = checked(h, pi)?;
    let c1 = h.sample_uniques() as f64;
    if c1 == 0.0 {
        return Ok(0.0);
    }
    // The `1/u` factors of numerator and denominator cancel.
    let terms: Vec<f64> = h
        .iter()
        .map(|(size, count)| (count as f64).ln() + ln_exactly_one(population, size as f64, n))
        .collect();
    let max = terms.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let numerator = c1.ln() + ln_exactly_one(population, 1.0, n);
    if !max.is_finite() || !numerator.is_finite() {
        return Ok(0.0);
    }
    let ln_denominator = max + terms.iter().map(|t| (t - max).exp()).sum::<f64>().ln();
    let p = (numerator - ln_denominator).exp();
    Ok((c1 * p / pi).clamp(0.0, population))
}

/// Pitman's estimate of the number of population uniques, or `None` when the maximum-likelihood
/// fit does not converge or yields a value outside [0, N] (ARX's validity check).
pub fn pitman(h: &ClassHistogram, pi: f64) -> Result<Option<f64>, PopulationError> {
    let (n, population) = checked(h, pi)?;
    let u = h.classes() as f64;
    let c1 = h.sample_uniques() as f64;
    if c1 == 0.0 {
        return Ok(Some(0.0));
    }
    // ARX's moment-based starting point; a zero c_2 is replaced by 1, which overestimates.
    let c2 = match h.classes_of_size(2) {
        0 => 1.0,
        c => c as f64,
    };
    let c = c1 * (c1 - 1.0) / c2;
    let t0 = (n * u * c - c1 * (n - 1.0) * (2.0 * u + c)) / (2.0 * c1 * u + c1 * c - n * c);
    let a0 = (t0 * (c1 - n) + (n - 1.0) * c1) / (n * u);
    let start = if in_domain(t0, a0, u) {
        (t0, a0)
    } else {
        (1.0, 0.5)
    };
    let Some((theta, alpha)) = solve(h, n, u, start) else {
        return Ok(None);
    };
    let estimate =
        (ln_gamma(theta + 1.0) - ln_gamma(theta + alpha) + alpha * population.ln()).exp();
    Ok((estimate.is_finite() && (0.0..=population).contains(&estimate)).then_some(estimate))
}

/// The parameter space of the fit: θ ≥ 0, α < 1 and every `θ + iα` (i < u) positive. α may be
/// negative (a lighter tail than any positive α allows); α = 0 is excluded because the closed
/// forms divide by it, and the estimate is undefined there in ARX too.
fn in_domain(theta: f64, alpha: f64, u: f64) -> bool {
    let last = theta + (u - 1.0).max(1.0) * alpha;
    theta.is_finite()
        && alpha.is_finite()
        && theta >= 0.0
        && alpha < 1.0
        && alpha.abs() > 1e-12
        && theta + alpha > 0.0
        && last > 0.0
}

/// The likelihood equations and their Jacobian in closed form (digamma/trigamma sums), which
/// costs O(number of distinct class sizes) per iteration instead of O(n).
fn objective(h: &ClassHistogram, n: f64, u: f64, theta: f64, alpha: f64) -> ([f64; 2], [f64; 4]) {
    let r = theta / alpha;
    // Σ_{i=1}^{u−1} 1/(θ+iα) and Σ 1/(θ+iα)².
    let o1 = (digamma(r + u) - digamma(r + 1.0)) / alpha;
    let d1 = (trigamma(r + 1.0) - trigamma(r + u)) / (alpha * alpha);
    // Σ i/(θ+iα) and Σ i/(θ+iα)², Σ i²/(θ+iα)², by writing i = ((θ+iα) − θ)/α.
    let o3 = ((u - 1.0) - theta * o1) / alpha;
    let d5 = (o1 - theta * d1) / alpha;
    let d3 = ((u - 1.0) - 2.0 * theta * o1 + theta * theta * d1) / (alpha * alpha);
    // Σ_{i=1}^{n−1} 1/(θ+i) and its derivative.
    let o2 = digamma(n + theta) - digamma(theta + 1.0);
    let d2 = trigamma(theta + 1.0) - trigamma(n + theta);
    // Σ_{j≥2} c_j Σ_{k=1}^{j−1} 1/(k−α) and its derivative.
    let (psi0, psi1) = (digamma(1.0 - alpha), trigamma(1.0 - alpha));
    let (mut o4, mut d4) = (0.0, 0.0);
    for (size, count) in h.iter().filter(|&(s, _)| s >= 2) {
        let j = size as f64;
        o4 += count as f64 * (digamma(j - alpha) - psi0);
        d4 += count as f64 * (psi1 - trigamma(j - alpha));
    }
    ([o1 - o2, o3 - o4], [d2 - d1, -d5, -d5, -d3 - d4])
}

/// Newton–Raphson from `start`; `None` unless both the objective and the last step are tiny,
/// because an iterate running off to infinity can also make the objective small.
fn solve(h: &ClassHistogram, n: f64, u: f64, start: (f64, f64)) -> Option<(f64, f64)> {
    let (mut theta, mut alpha) = start;
    let mut settled = false;
    for _ in 0..MAX_ITERATIONS {
        let (f, [j11, j12, j21, j22]) = objective(h, n, u, theta, alpha);
        if !f[0].is_finite() || !f[1].is_finite() {
            return None;
        }
        let det = j11 * j22 - j12 * j21;
        if !det.is_finite() || det == 0.0 {
            return None;
        }
        let step_t = (f[0] * j22 - f[1] * j12) / det;
        let step_a = (j11 * f[1] - j21 * f[0]) / det;
        // Damping keeps the iterate where the digamma terms are defined.
        let mut scale = 1.0;
        let mut halvings = 0;
        while !in_domain(theta - scale * step_t, alpha - scale * step_a, u) {
            scale /= 2.0;
            halvings += 1;
            if halvings > MAX_HALVINGS {
                return None;
            }
        }
        theta -= scale * step_t;
        alpha -= scale * step_a;
        settled = (scale * step_t).abs() <= 1e-9 * (1.0 + theta.abs())
            && (scale * step_a).abs() <= 1e-9 * (1.0 + alpha.abs());
        if settled {
            break;
        }
    }
    let (f, _) = objective(h, n, u, theta, alpha);
    (settled && f[0].abs() <= ACCURACY && f[1].abs() <= ACCURACY).then_some((theta, alpha))
}

/// The Dankar et al. decision rule: no sample uniques → 0; `π ≤ 0.1` → Pitman when valid, else
/// Zayatz; otherwise Zayatz (SNB is not implemented).
pub fn dankar(h: &ClassHistogram, pi: f64) -> Result<PopulationEstimate, PopulationError> {
    let (_, population) = checked(h, pi)?;
    let estimate = |model, uniques: f64| PopulationEstimate {
        model,
        uniques,
        uniqueness: (uniques / population).clamp(0.0, 1.0),
    };
    if h.sample_uniques() == 0 {
        return Ok(estimate(PopulationModel::NoSampleUniques, 0.0));
    }
    if pi <= 0.1 {
        if let Some(uniques) = pitman(h, pi)? {
            return Ok(estimate(PopulationModel::Pitman, uniques));
        }
    }
    Ok(estimate(PopulationModel::Zayatz, zayatz(h, pi)?))
}

/// Population uniqueness by the Dankar rule: estimated population uniques divided by `N`.
pub fn population_uniqueness(h: &ClassHistogram, pi: f64) -> Result<f64, PopulationError> {
    Ok(dankar(h, pi)?.uniqueness)
}

#[cfg(test)]
#[path = "population_tests.rs"]
mod tests;
