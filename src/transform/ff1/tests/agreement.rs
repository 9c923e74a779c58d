//! Cross-checks against the `fpe` crate (a dev-dependency), an independent FF1 implementation
//! with big-integer arithmetic, on random AES-256 keys, tweaks, radixes and lengths, covering
//! both the u64 path and the big-integer path.

use fpe::ff1::{FlexibleNumeralString, FF1};
use proptest::prelude::*;

use super::super::Ff1;

/// The shortest length FF1 accepts for a radix: radix^len ≥ 1,000,000.
pub(super) fn min_len(radix: u32) -> usize {
    let mut len = 1;
    let mut size = u64::from(radix);
    while size < 1_000_000 {
        size *= u64::from(radix);
        len += 1;
    }
    len.max(2)
}

fn with_fpe(key: &[u8; 32], radix: u32, tweak: &[u8], x: &[u16]) -> (Vec<u16>, Vec<u16>) {
    let theirs = FF1::<aes::Aes256>::new(key, radix).unwrap();
    let ns = FlexibleNumeralString::from(x.to_vec());
    let enc = Vec::from(theirs.encrypt(tweak, &ns).unwrap());
    let dec = Vec::from(theirs.decrypt(tweak, &ns).unwrap());
    (enc, dec)
}

pub(super) fn case(max_extra: usize) -> impl Strategy<Value = (u32, Vec<u16>)> {
    prop_oneof![2u32..=62, 63u32..=65_536].prop_flat_map(move |radix| {
        let len = min_len(radix)..=min_len(radix) + max_extra;
        // Numerals are below the radix, at most 2^16, so they fit in a u16.
        let numeral = (0..radix).prop_map(|d| d as u16);
        (Just(radix), prop::collection::vec(numeral, len))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn agrees_with_fpe_on_short_inputs(
        key in any::<[u8; 32]>(),
        tweak in prop::collection::vec(any::<u8>(), 0..40),
        (radix, x) in case(24),
    ) {
        let ours = Ff1::new(&key).unwrap();
        let (enc, dec) = with_fpe(&key, radix, &tweak, &x);
        prop_assert_eq!(ours.encrypt(&tweak, radix, &x).unwrap(), enc);
        prop_assert_eq!(ours.decrypt(&tweak, radix, &x).unwrap(), dec);
    }

    #[test]
    fn agrees_with_fpe_on_long_inputs(
        key in any::<[u8; 32]>(),
        tweak in prop::collection::vec(any::<u8>(), 0..20),
        (radix, x) in case(200),
    ) {
        let ours = Ff1::new(&key).unwrap();
        let (enc, dec) = with_fpe(&key, radix, &tweak, &x);
        prop_assert_eq!(ours.encrypt(&tweak, radix, &x).unwrap(), enc);
        prop_assert_eq!(ours.decrypt(&tweak, radix, &x).unwrap(), dec);
    }
}

#[test]
fn agrees_with_fpe_where_halves_outgrow_u64() {
    // Lengths around the switch from the u64 path to the big-integer path, where b reaches 8
    // bytes and d grows past 12, are where an off-by-one would hide.
    let key = [0xa5; 32];
    let ours = Ff1::new(&key).unwrap();
    for radix in [2u32, 3, 10, 36, 62, 255, 256, 65_535, 65_536] {
        let bits = f64::from(radix).log2();
        let v_max = (64.0 / bits) as usize;
        for v in v_max.saturating_sub(1)..=v_max + 2 {
            for n in [2 * v - 1, 2 * v] {
                if n < min_len(radix) {
                    continue;
                }
                let x: Vec<u16> = (0..n)
                    .map(|i| ((i * 7 + 3) as u32 % radix) as u16)
                    .collect();
                let (enc, dec) = with_fpe(&key, radix, b"edge", &x);
                assert_eq!(
                    ours.encrypt(b"edge", radix, &x).unwrap(),
                    enc,
                    "radix {radix} n {n}"
                );
                assert_eq!(
                    ours.decrypt(b"edge", radix, &x).unwrap(),
                    dec,
                    "radix {radix} n {n}"
                );
            }
        }
    }
}
