//! Invariants: decryption inverts encryption for every radix and length, the u64 path and the
//! big-integer path agree wherever both apply, and distinct inputs give distinct outputs.

use std::collections::HashSet;

use proptest::prelude::*;

use super::super::big::BigCtx;
use super::super::params::Shape;
use super::super::{with_cipher, Ff1};
use super::agreement::case;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn decrypt_inverts_encrypt(
        key in prop_oneof![Just(16usize), Just(24), Just(32)]
            .prop_flat_map(|n| prop::collection::vec(any::<u8>(), n)),
        tweak in prop::collection::vec(any::<u8>(), 0..40),
        (radix, x) in case(40),
    ) {
        let ff1 = Ff1::new(&key).unwrap();
        let y = ff1.encrypt(&tweak, radix, &x).unwrap();
        prop_assert_eq!(y.len(), x.len());
        prop_assert!(y.iter().all(|&d| u32::from(d) < radix));
        prop_assert_eq!(ff1.decrypt(&tweak, radix, &y).unwrap(), x);
    }

    #[test]
    fn fast_and_big_paths_agree(
        key in any::<[u8; 32]>(),
        tweak in prop::collection::vec(any::<u8>(), 0..40),
        (radix, x) in case(40),
    ) {
        let ff1 = Ff1::new(&key).unwrap();
        let shape = Shape::new(radix, x.len(), tweak.len()).unwrap();
        let mut big_enc = vec![0; x.len()];
        let mut big_dec = vec![0; x.len()];
        with_cipher!(ff1, c => {
            let big = BigCtx::new(c, &shape, &tweak);
            big.encrypt(c, &x, &mut big_enc);
            big.decrypt(c, &x, &mut big_dec);
        });
        prop_assert_eq!(ff1.encrypt(&tweak, radix, &x).unwrap(), big_enc);
        prop_assert_eq!(ff1.decrypt(&tweak, radix, &x).unwrap(), big_dec);
    }

    /// Many values at once (eight lanes, a remainder, the big path for long values) give
    /// what one call per value gives.
    #[test]
    fn encrypt_many_matches_one_at_a_time(
        key in any::<[u8; 32]>(),
        tweak in prop::collection::vec(any::<u8>(), 0..40),
        (radix, first) in case(40),
        count in 0usize..20,
        seed in any::<u64>(),
    ) {
        let ff1 = Ff1::new(&key).unwrap();
        let len = first.len();
        // Further values of the same length, numerals derived from the first and the seed.
        let mut xs = Vec::with_capacity(len * count);
        for k in 0..count as u64 {
            xs.extend(first.iter().enumerate().map(|(i, &d)| {
                let mix = seed.wrapping_mul(k + 1).rotate_left(i as u32) as u32;
                ((u32::from(d) + mix) % radix) as u16
            }));
        }
        let want: Vec<u16> = xs
            .chunks(len)
            .flat_map(|x| ff1.encrypt(&tweak, radix, x).unwrap())
            .collect();
        let prepared = ff1.prepare(&tweak, radix, len).unwrap();
        prepared.encrypt_many(&mut xs).unwrap();
        prop_assert_eq!(xs, want);
    }
}

/// Turns 16 decimal numerals into their value, for compact storage in a set.
fn value(x: &[u16]) -> u64 {
    x.iter().fold(0, |acc, &d| acc * 10 + u64::from(d))
}

#[test]
fn million_distinct_card_numbers_stay_distinct() {
    const COUNT: u64 = 1_000_000;
    let ff1 = Ff1::new(&[0x42; 32]).unwrap();
    let prepared = ff1.prepare(b"cards", 10, 16).unwrap();
    let mut seen = HashSet::with_capacity(COUNT as usize);
    let mut x = [0u16; 16];
    let mut y = [0u16; 16];
    for i in 0..COUNT {
        // An odd multiplier coprime to 10 spreads the inputs over all 16 digits, distinctly.
        let mut v = (i * 7_919_000_000_003) % 10_000_000_000_000_000;
        for slot in x.iter_mut().rev() {
            *slot = (v % 10) as u16;
            v /= 10;
        }
        prepared.encrypt_into(&x, &mut y).unwrap();
        assert!(seen.insert(value(&y)), "collision at input {i}");
    }
    assert_eq!(seen.len() as u64, COUNT);
}
