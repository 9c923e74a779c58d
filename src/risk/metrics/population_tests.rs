//! Tests of the population models: a hand-computed Zayatz case, the sanity properties of
//! `RISK-MODELS.md`, and the Pitman fit checked against the plain (iterative) likelihood sums.

use super::*;

fn hist(pairs: &[(u64, u64)]) -> ClassHistogram {
    ClassHistogram::from_pairs(pairs.iter().copied())
}

/// Histograms with sample uniques, from tiny to moderately large.
const SHAPES: &[&[(u64, u64)]] = &[
    &[(1, 1), (2, 1)],
    &[(1, 10)],
    &[(1, 50), (2, 20), (3, 10), (5, 4)],
    &[(1, 300), (2, 150), (3, 80), (4, 40), (7, 12), (20, 3)],
    &[(1, 5), (100, 50)],
];

#[test]
fn zayatz_hand_computed() {
    // n = 3, one unique and one pair, π = 0.5 so N = 6:
    // H(6,1,3) = C(5,2)/C(6,3) = 1/2, H(6,2,3) = 2·C(4,2)/C(6,3) = 3/5,
    // p = (1/2)/(1/2 + 3/5) = 5/11, estimate = 1·p/π = 10/11, uniqueness = 10/66.
    let h = hist(&[(1, 1), (2, 1)]);
    let cases = [(zayatz(&h, 0.5), 10.0 / 11.0), (zayatz(&h, 1.0), 1.0)];
    for (got, want) in cases {
        let got = got.expect("valid input");
        assert!((got - want).abs() < 1e-12, "{got} vs {want}");
    }
    let d = dankar(&h, 0.5).expect("valid input");
    assert_eq!(d.model, PopulationModel::Zayatz);
    assert!((d.uniqueness - 10.0 / 66.0).abs() < 1e-12);
}

#[test]
fn no_sample_uniques_means_no_population_uniques() {
    let h = hist(&[(2, 3), (5, 1)]);
    for pi in [0.01, 0.1, 0.5, 1.0] {
        assert_eq!(zayatz(&h, pi), Ok(0.0));
        assert_eq!(pitman(&h, pi), Ok(Some(0.0)));
        let d = dankar(&h, pi).expect("valid input");
        assert_eq!(
            (d.model, d.uniqueness),
            (PopulationModel::NoSampleUniques, 0.0)
        );
    }
}

#[test]
fn full_sample_gives_sample_uniqueness() {
    for shape in SHAPES {
        let h = hist(shape);
        for (pi, tolerance) in [(1.0, 1e-9), (0.999, 2e-2)] {
            let got = population_uniqueness(&h, pi).expect("valid input");
            let want = h.sample_uniqueness();
            assert!(
                (got - want).abs() <= tolerance * want.max(1e-3),
                "{shape:?} π={pi}: {got} vs {want}"
            );
        }
    }
}

#[test]
fn uniqueness_stays_in_unit_interval() {
    for shape in SHAPES {
        let h = hist(shape);
        for pi in [0.001, 0.01, 0.05, 0.1, 0.2, 0.5, 0.9] {
            let d = dankar(&h, pi).expect("valid input");
            assert!(
                (0.0..=1.0).contains(&d.uniqueness),
                "{shape:?} π={pi}: {d:?}"
            );
            assert!(
                d.uniques <= h.records() as f64 / pi + 1e-9,
                "{shape:?} π={pi}"
            );
        }
    }
}

#[test]
fn invalid_inputs_are_typed_errors() {
    let h = hist(&[(1, 2)]);
    for pi in [0.0, -0.5, 1.5, f64::NAN] {
        assert_eq!(
            dankar(&h, pi),
            Err(PopulationError::InvalidSamplingFraction)
        );
    }
    assert_eq!(
        zayatz(&ClassHistogram::default(), 0.5),
        Err(PopulationError::EmptySample)
    );
}

/// The likelihood equations summed term by term, as ARX's iterative check does.
fn iterative_objective(h: &ClassHistogram, n: f64, u: f64, t: f64, a: f64) -> [f64; 2] {
    let (mut o1, mut o2, mut o3, mut o4) = (0.0, 0.0, 0.0, 0.0);
    for i in 1..(u as u64) {
        o1 += 1.0 / (t + i as f64 * a);
        o3 += i as f64 / (t + i as f64 * a);
    }
    for i in 1..(n as u64) {
        o2 += 1.0 / (t + i as f64);
    }
    for (size, count) in h.iter() {
        o4 += count as f64 * (1..size).map(|k| 1.0 / (k as f64 - a)).sum::<f64>();
    }
    [o1 - o2, o3 - o4]
}

#[test]
fn pitman_fit_solves_the_likelihood_equations() {
    let mut fitted = 0;
    for shape in SHAPES {
        let h = hist(shape);
        let (n, u) = (h.records() as f64, h.classes() as f64);
        let Some((t, a)) = solve(&h, n, u, (1.0, 0.5)) else {
            continue;
        };
        fitted += 1;
        let f = iterative_objective(&h, n, u, t, a);
        assert!(
            f[0].abs() < 1e-6 && f[1].abs() < 1e-6,
            "{shape:?}: {f:?} at θ={t}, α={a}"
        );
        let estimate = pitman(&h, 0.05).expect("valid input");
        if let Some(e) = estimate {
            assert!((0.0..=n / 0.05).contains(&e), "{shape:?}: {e}");
        }
    }
    // The realistic shapes (several class sizes) must converge, or the test proves nothing.
    assert!(fitted >= 2, "only {fitted} shapes converged");
}

#[test]
fn dankar_prefers_pitman_for_small_samples() {
    let h = hist(&[(1, 300), (2, 150), (3, 80), (4, 40), (7, 12), (20, 3)]);
    let d = dankar(&h, 0.01).expect("valid input");
    assert_eq!(d.model, PopulationModel::Pitman);
    // A 1% sample with 14% sample uniqueness: population uniques must be fewer than the sample
    // uniques scaled up, and more than none.
    assert!(d.uniques > 0.0 && d.uniques < 300.0 / 0.01, "{d:?}");
}
