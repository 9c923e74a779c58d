//! `encrypt_in_domain` is a permutation of `[0, domain_size)` inverted by `decrypt_in_domain`:
//! checked exhaustively on small domains and by sampling on large ones.

use proptest::prelude::*;

use super::super::{Ff1, Ff1Error};

fn check_permutation(domain_size: u64) {
    let ff1 = Ff1::new(&[0x17; 32]).unwrap();
    let mut hit = vec![false; domain_size as usize];
    for x in 0..domain_size {
        let y = ff1.encrypt_in_domain(b"dom", domain_size, x).unwrap();
        assert!(y < domain_size);
        assert!(
            !hit[y as usize],
            "two inputs map to one output in {domain_size}"
        );
        hit[y as usize] = true;
        // An injection of the domain into itself is already a bijection; decrypting a sample
        // checks the inverse while keeping the debug-mode test (about 1,000 FF1 calls per walk
        // at this size) to a few seconds.
        if x % 10 == 0 {
            assert_eq!(ff1.decrypt_in_domain(b"dom", domain_size, y).unwrap(), x);
        }
    }
}

#[test]
fn permutes_a_domain_of_1000() {
    check_permutation(1000);
}

#[test]
fn permutes_a_domain_of_4096() {
    check_permutation(4096);
}

#[test]
fn refuses_small_domains_and_outside_values() {
    let ff1 = Ff1::new(&[1; 32]).unwrap();
    assert_eq!(
        ff1.encrypt_in_domain(b"", 999, 0).unwrap_err(),
        Ff1Error::DomainTooSmall { domain_size: 999 }
    );
    assert_eq!(
        ff1.decrypt_in_domain(b"", 0, 0).unwrap_err(),
        Ff1Error::DomainTooSmall { domain_size: 0 }
    );
    assert_eq!(
        ff1.encrypt_in_domain(b"", 5000, 5000).unwrap_err(),
        Ff1Error::OutOfDomain { domain_size: 5000 }
    );
}

#[test]
fn power_of_two_domain_is_plain_binary_ff1() {
    // For domain 2^20 no walking happens: the result is FF1 on the 20-bit string.
    let ff1 = Ff1::new(&[3; 32]).unwrap();
    let x = 0xA_BCDEu64;
    let bits: Vec<u16> = (0..20).rev().map(|i| ((x >> i) & 1) as u16).collect();
    let y = ff1.encrypt(b"t", 2, &bits).unwrap();
    let want = y.iter().fold(0u64, |acc, &b| acc << 1 | u64::from(b));
    assert_eq!(ff1.encrypt_in_domain(b"t", 1 << 20, x).unwrap(), want);
}

proptest! {
    #[test]
    fn round_trips_on_large_domains(
        key in any::<[u8; 32]>(),
        domain_size in 1_000u64..=u64::MAX,
        seed in any::<u64>(),
    ) {
        let ff1 = Ff1::new(&key).unwrap();
        let x = seed % domain_size;
        let y = ff1.encrypt_in_domain(b"ids", domain_size, x).unwrap();
        prop_assert!(y < domain_size);
        prop_assert_eq!(ff1.decrypt_in_domain(b"ids", domain_size, y).unwrap(), x);
    }
}
