//! Tests of the linkage measures: hand-computed ranks and attacks with ties and duplicated
//! originals, and the joint index checked against a brute-force scan.

use super::*;

#[test]
fn spearman_hand_computed() {
    // y ranks with a tie: 5→1, 6→2, 7→3.5, 8→5, 7→3.5; Σdxdy = 8, Σdx² = 10, Σdy² = 9.5.
    let tied = 8.0 / 95f64.sqrt();
    let cases: &[(&[f64], &[f64], Option<f64>)] = &[
        (
            &[1.0, 2.0, 3.0, 4.0, 5.0],
            &[5.0, 6.0, 7.0, 8.0, 7.0],
            Some(tied),
        ),
        (&[1.0, 2.0, 3.0], &[1.0, 4.0, 9.0], Some(1.0)),
        (&[1.0, 2.0, 3.0], &[9.0, 4.0, 1.0], Some(-1.0)),
        (&[1.0, 2.0, 3.0], &[2.0, 2.0, 2.0], None),
        (&[1.0, 2.0], &[1.0], None),
        (&[1.0], &[1.0], None),
        (&[1.0, f64::NAN], &[1.0, 2.0], None),
    ];
    for &(x, y, want) in cases {
        let got = spearman(x, y);
        match (got, want) {
            (Some(g), Some(w)) => assert!((g - w).abs() < 1e-12, "{x:?} {y:?}: {g}"),
            _ => assert_eq!(got, want, "{x:?} {y:?}"),
        }
    }
}

#[test]
fn average_ranks_share_ties() {
    assert_eq!(
        average_ranks(&[3.0, 1.0, 3.0, 2.0]),
        vec![3.5, 1.0, 3.5, 2.0]
    );
}

#[test]
fn nearest_original_one_dimension() {
    let originals = [1.0, 2.0, 2.0, 5.0, 10.0];
    // (original, released, re-identified?)
    let cases = [
        (1.0, 1.4, true),    // 1 is strictly closest
        (1.0, 1.5, false),   // tie with 2
        (2.0, 2.0, false),   // two records hold 2: ambiguous
        (5.0, 6.0, true),    // 5 at distance 1, 10 at 4
        (5.0, 8.0, false),   // 10 is closer
        (10.0, 100.0, true), // far off, but 10 is still the closest candidate
        (3.0, 3.0, false),   // the original is not a candidate
    ];
    for &(o, r, want) in &cases {
        let got = nearest_original_rate(&originals, &[(o, r)]).expect("sorted");
        assert_eq!(got.reidentified == 1, want, "({o}, {r})");
        assert_eq!(got.tested, 1);
    }
    let pairs: Vec<(f64, f64)> = cases.iter().map(|&(o, r, _)| (o, r)).collect();
    let all = nearest_original_rate(&originals, &pairs).expect("sorted");
    assert_eq!((all.tested, all.reidentified), (7, 3));
    let skipped = nearest_original_rate(&originals, &[(f64::NAN, 1.0)]).expect("sorted");
    assert_eq!((skipped.tested, skipped.rate()), (0, 0.0));
}

#[test]
fn unsorted_originals_are_rejected() {
    for bad in [&[2.0, 1.0][..], &[1.0, f64::NAN]] {
        assert_eq!(
            nearest_original_rate(bad, &[]),
            Err(LinkageError::UnsortedOriginals)
        );
    }
}

#[test]
fn joint_hand_computed() {
    // Both columns have IQR 2, so the scaled candidates are the unit square plus its centre.
    let index = JointIndex::new(&[(0.0, 0.0), (2.0, 0.0), (0.0, 2.0), (2.0, 2.0), (1.0, 1.0)]);
    assert_eq!(index.scale(), (2.0, 2.0));
    let cases = [
        ((0.0, 0.0), (0.2, 0.2), true),
        ((1.0, 1.0), (0.9, 1.0), true),
        ((2.0, 2.0), (1.0, 1.0), false),  // lands on the centre
        ((0.0, 0.0), (1.0, 0.0), false),  // equidistant from three candidates
        ((0.0, 0.0), (-1.0, -1.0), true), // far away but still nearest its own
        ((7.0, 7.0), (7.0, 7.0), false),  // not a candidate
    ];
    for &(o, r, want) in &cases {
        assert_eq!(
            index.rate(&[(o, r)]).reidentified == 1,
            want,
            "{o:?} → {r:?}"
        );
    }
    let dup = JointIndex::new(&[(3.0, 3.0), (3.0, 3.0), (0.0, 0.0), (9.0, 1.0)]);
    assert_eq!(dup.rate(&[((3.0, 3.0), (3.0, 3.0))]).reidentified, 0);
    assert_eq!(dup.rate(&[((9.0, 1.0), (8.0, 1.0))]).reidentified, 1);
}

/// A small deterministic generator so the comparison below is reproducible.
fn lcg(state: &mut u64) -> f64 {
    *state = state
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    (*state >> 11) as f64 / (1u64 << 53) as f64
}

#[test]
fn joint_index_agrees_with_brute_force() {
    let mut s = 7u64;
    // Rounded coordinates create duplicates and exact ties on purpose.
    let originals: Vec<(f64, f64)> = (0..3000)
        .map(|_| {
            (
                (lcg(&mut s) * 100.0).round(),
                (lcg(&mut s) * 1000.0).round(),
            )
        })
        .collect();
    let pairs: Vec<((f64, f64), (f64, f64))> = originals
        .iter()
        .step_by(7)
        .map(|&(x, y)| {
            (
                (x, y),
                (
                    x + (lcg(&mut s) - 0.5) * 4.0,
                    y + (lcg(&mut s) - 0.5) * 40.0,
                ),
            )
        })
        .collect();
    let index = JointIndex::new(&originals);
    let (sx, sy) = index.scale();
    let brute = pairs
        .iter()
        .filter(|&&(o, r)| {
            let d = |p: (f64, f64)| ((p.0 - r.0) / sx).powi(2) + ((p.1 - r.1) / sy).powi(2);
            let own = d(o);
            originals.iter().filter(|&&p| d(p) <= own).count() == 1
        })
        .count() as u64;
    let got = index.rate(&pairs);
    assert_eq!(got.tested, pairs.len() as u64);
    assert_eq!(got.reidentified, brute);
    assert!(
        brute > 0 && brute < got.tested,
        "the fixture should mix hits and misses"
    );
}
