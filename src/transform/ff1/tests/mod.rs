//! Tests of FF1: NIST's samples, the domain rules and their errors. Property tests, the
//! cross-check against the `fpe` crate and the domain tests live in the sibling files.

mod agreement;
mod domain;
mod props;

use super::params::Shape;
use super::{Ff1, Ff1Error};

const K128: &str = "2B7E151628AED2A6ABF7158809CF4F3C";
const K192: &str = "2B7E151628AED2A6ABF7158809CF4F3CEF4359D8D580AA4F";
const K256: &str = "2B7E151628AED2A6ABF7158809CF4F3CEF4359D8D580AA4F7F036D6F04FC6A94";
const T1: &str = "39383736353433323130";
const T2: &str = "3737373770717273373737";
const ALPHABET: &str = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

pub(super) fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

pub(super) fn numerals(s: &str) -> Vec<u16> {
    s.chars()
        .map(|c| ALPHABET.find(c).unwrap() as u16)
        .collect()
}

fn text(x: &[u16]) -> String {
    x.iter()
        .map(|&d| ALPHABET.as_bytes()[d as usize] as char)
        .collect()
}

/// NIST SP 800-38G FF1 samples 1–9 (csrc.nist.gov FF1samples.pdf), as also listed by the `fpe`
/// crate's and Bouncy Castle's test suites: (key, radix, tweak, plaintext, ciphertext).
const NIST_SAMPLES: [(&str, u32, &str, &str, &str); 9] = [
    (K128, 10, "", "0123456789", "2433477484"),
    (K128, 10, T1, "0123456789", "6124200773"),
    (K128, 36, T2, "0123456789abcdefghi", "a9tv40mll9kdu509eum"),
    (K192, 10, "", "0123456789", "2830668132"),
    (K192, 10, T1, "0123456789", "2496655549"),
    (K192, 36, T2, "0123456789abcdefghi", "xbj3kv35jrawxv32ysr"),
    (K256, 10, "", "0123456789", "6657667009"),
    (K256, 10, T1, "0123456789", "1001623463"),
    (K256, 36, T2, "0123456789abcdefghi", "xs8a0azh2avyalyzuwd"),
];

#[test]
fn nist_samples_encrypt_and_decrypt() {
    for (i, &(key, radix, tweak, pt, ct)) in NIST_SAMPLES.iter().enumerate() {
        let ff1 = Ff1::new(&hex(key)).unwrap();
        let tweak = hex(tweak);
        let got = ff1.encrypt(&tweak, radix, &numerals(pt)).unwrap();
        assert_eq!(text(&got), ct, "sample {} encrypt", i + 1);
        let back = ff1.decrypt(&tweak, radix, &got).unwrap();
        assert_eq!(text(&back), pt, "sample {} decrypt", i + 1);
    }
}

#[test]
fn nist_samples_through_the_big_path() {
    // The big-integer path must give the same answers as the u64 path it backs up.
    for (i, &(key, radix, tweak, pt, ct)) in NIST_SAMPLES.iter().enumerate() {
        let ff1 = Ff1::new(&hex(key)).unwrap();
        let x = numerals(pt);
        let mut out = vec![0; x.len()];
        super::with_cipher!(ff1, c => {
            let shape = Shape::new(radix, x.len(), tweak.len() / 2).unwrap();
            super::big::BigCtx::new(c, &shape, &hex(tweak)).encrypt(c, &x, &mut out);
        });
        assert_eq!(text(&out), ct, "sample {} via big path", i + 1);
    }
}

#[test]
fn prepared_context_matches_one_shot_calls() {
    let ff1 = Ff1::new(&hex(K256)).unwrap();
    let prepared = ff1.prepare(&hex(T2), 36, 19).unwrap();
    let mut out = [0u16; 19];
    prepared
        .encrypt_into(&numerals("0123456789abcdefghi"), &mut out)
        .unwrap();
    assert_eq!(text(&out), "xs8a0azh2avyalyzuwd");
    let mut back = [0u16; 19];
    prepared.decrypt_into(&out, &mut back).unwrap();
    assert_eq!(text(&back), "0123456789abcdefghi");
}

#[test]
fn refuses_bad_keys_radixes_and_lengths() {
    assert_eq!(
        Ff1::new(&[0; 20]).unwrap_err(),
        Ff1Error::BadKeyLength { len: 20 }
    );
    let ff1 = Ff1::new(&[7; 32]).unwrap();
    let digits = |n: usize| vec![1u16; n];
    let cases: [(u32, usize, Ff1Error); 6] = [
        (1, 30, Ff1Error::BadRadix { radix: 1 }),
        (65_537, 4, Ff1Error::BadRadix { radix: 65_537 }),
        (10, 5, Ff1Error::TooShort { radix: 10, len: 5 }),
        (2, 19, Ff1Error::TooShort { radix: 2, len: 19 }),
        (
            65_536,
            1,
            Ff1Error::TooShort {
                radix: 65_536,
                len: 1,
            },
        ),
        (10, 0, Ff1Error::TooShort { radix: 10, len: 0 }),
    ];
    for (radix, len, want) in cases {
        assert_eq!(ff1.encrypt(b"", radix, &digits(len)).unwrap_err(), want);
        assert_eq!(ff1.decrypt(b"", radix, &digits(len)).unwrap_err(), want);
    }
    // The smallest legal shapes work.
    for (radix, len) in [(10, 6), (2, 20), (65_536, 2), (1000, 2)] {
        let x = digits(len);
        let y = ff1.encrypt(b"t", radix, &x).unwrap();
        assert_eq!(ff1.decrypt(b"t", radix, &y).unwrap(), x);
    }
}

#[test]
fn length_limits_follow_the_four_byte_encodings() {
    let max = u32::MAX as usize;
    assert!(Shape::new(10, max, max).is_ok());
    assert_eq!(
        Shape::new(10, max + 1, 0).unwrap_err(),
        Ff1Error::TooLong { len: max + 1 }
    );
    assert_eq!(
        Shape::new(10, 10, max + 1).unwrap_err(),
        Ff1Error::TweakTooLong { len: max + 1 }
    );
}

#[test]
fn refuses_bad_numerals_and_buffers_by_position_only() {
    let ff1 = Ff1::new(&[7; 32]).unwrap();
    let x = [1, 2, 3, 4, 5, 10, 7, 8];
    assert_eq!(
        ff1.encrypt(b"", 10, &x).unwrap_err(),
        Ff1Error::BadNumeral { index: 5 }
    );
    let mut short = [0u16; 7];
    assert_eq!(
        ff1.encrypt_into(b"", 10, &[1; 8], &mut short).unwrap_err(),
        Ff1Error::OutputLength {
            expected: 8,
            got: 7
        }
    );
    let prepared = ff1.prepare(b"", 10, 8).unwrap();
    let mut out = [0u16; 9];
    assert_eq!(
        prepared.encrypt_into(&[1; 9], &mut out).unwrap_err(),
        Ff1Error::PreparedLength {
            prepared: 8,
            got: 9
        }
    );
    // Messages carry positions and sizes, never the numerals.
    let msg = Ff1Error::BadNumeral { index: 5 }.to_string();
    assert!(!msg.contains("10"), "{msg}");
}

#[test]
fn debug_shows_no_key_material() {
    let ff1 = Ff1::new(&hex(K256)).unwrap();
    assert_eq!(format!("{ff1:?}"), "Ff1 { aes_bits: 256, .. }");
    let prepared = ff1.prepare(&hex(T1), 10, 16).unwrap();
    assert_eq!(
        format!("{prepared:?}"),
        "Ff1Prepared { radix: 10, len: 16, .. }"
    );
}

#[test]
fn different_tweaks_give_different_outputs() {
    let ff1 = Ff1::new(&[9; 32]).unwrap();
    let x = numerals("4111111111111111");
    let a = ff1.encrypt(b"orders.card", 10, &x).unwrap();
    let b = ff1.encrypt(b"users.card", 10, &x).unwrap();
    assert_ne!(a, b);
    // Tweaks longer than a block exercise the precomputed whole tweak blocks.
    let long = [0x5a; 40];
    let y = ff1.encrypt(&long, 10, &x).unwrap();
    assert_eq!(ff1.decrypt(&long, 10, &y).unwrap(), x);
}
