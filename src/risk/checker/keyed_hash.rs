//! The keyed 64-bit hash behind leak fingerprints and sampling priorities: a multiply-fold
//! over 8-byte words in the style of wyhash/rapidhash, seeded from a secret 128-bit key, with
//! ASCII lower-casing folded into the word reads.
//!
//! Why not SipHash (used before): every word of every scanned output cell and every replaced
//! original is hashed, which made SipHash-1-3 the largest single cost of the risk analysis.
//! What the fingerprints need is few accidental collisions between distinct values (64 bits
//! of a hash that passes SMHasher: about one false match in 10^5 for ten million originals and
//! ten million lookups) and no way to test a guess against them without the key. They are
//! compared only inside this process and never written anywhere, and whoever can read this
//! process's memory can read the key too, so a PRF's resistance to chosen-input attacks
//! buys nothing here; the key still keeps fingerprints apart between runs with different keys.

/// wyhash's default secret constants (odd, with balanced bits).
const P0: u64 = 0xa076_1d64_78bd_642f;
const P1: u64 = 0xe703_7ed1_a0b4_28db;
const P2: u64 = 0x8ebc_6af0_9c88_c6e3;

/// Multiplies to 128 bits and folds the halves together.
#[inline(always)]
fn mum(a: u64, b: u64) -> u64 {
    let r = u128::from(a) * u128::from(b);
    (r as u64) ^ ((r >> 64) as u64)
}

/// ASCII upper-case letters of a little-endian word made lower-case (bytes of 0x80 and above,
/// which belong to multi-byte UTF-8 characters, are left alone).
#[inline(always)]
fn lower(x: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let low7 = x & !HIGH;
    // High bit of each byte: set where the byte is at least `A`, and where it is beyond `Z`.
    let at_least_a = low7 + ONES * (0x80 - u64::from(b'A'));
    let beyond_z = low7 + ONES * (0x80 - u64::from(b'Z') - 1);
    let upper = at_least_a & !beyond_z & !x & HIGH;
    x | (upper >> 2)
}

#[inline(always)]
fn read8(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(b[at..at + 8].try_into().expect("8 bytes"))
}

#[inline(always)]
fn read4(b: &[u8], at: usize) -> u64 {
    u64::from(u32::from_le_bytes(
        b[at..at + 4].try_into().expect("4 bytes"),
    ))
}

/// A hash of `bytes` under the key `(k0, k1)` and a domain `tag`; with `fold_case`, ASCII
/// letters are read lower-cased, so values differing only in case hash alike.
#[inline]
pub fn hash(k0: u64, k1: u64, tag: u64, bytes: &[u8], fold_case: bool) -> u64 {
    let word = |w: u64| if fold_case { lower(w) } else { w };
    let len = bytes.len();
    let mut seed = k0 ^ mum(k1 ^ P0, tag ^ P1);
    let (a, b) = if len <= 16 {
        if len >= 8 {
            (word(read8(bytes, 0)), word(read8(bytes, len - 8)))
        } else if len >= 4 {
            let first = read4(bytes, 0) | (read4(bytes, len - 4) << 32);
            (word(first), 0)
        } else if len > 0 {
            let first = u64::from(bytes[0]) << 16
                | u64::from(bytes[len / 2]) << 8
                | u64::from(bytes[len - 1]);
            (word(first), 0)
        } else {
            (0, 0)
        }
    } else {
        let mut i = 0;
        while len - i > 16 {
            seed = mum(word(read8(bytes, i)) ^ P1, word(read8(bytes, i + 8)) ^ seed);
            i += 16;
        }
        // The last 16 bytes, overlapping what was read when the length is not a multiple.
        (word(read8(bytes, len - 16)), word(read8(bytes, len - 8)))
    };
    mum(P2 ^ len as u64, mum(a ^ P1, b ^ seed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn lower_matches_the_standard_library_on_every_byte() {
        for b in 0..=255u8 {
            for at in 0..8 {
                let mut bytes = *b"Q\xC3z@[`A~";
                bytes[at] = b;
                let mut want = bytes;
                want.make_ascii_lowercase();
                let got = lower(u64::from_le_bytes(bytes)).to_le_bytes();
                assert_eq!(got, want, "byte {b:#x} at {at}");
            }
        }
    }

    #[test]
    fn case_folding_length_tag_and_key_all_matter() {
        let h = |k: u64, tag: u64, s: &str| hash(k, 7, tag, s.as_bytes(), true);
        for s in [
            "Jane.Doe@Example.COM",
            "ABCDEFG",
            "Margaret Hamilton was here",
        ] {
            assert_eq!(h(1, 0, s), h(1, 0, &s.to_ascii_lowercase()), "{s}");
            assert_ne!(h(1, 0, s), h(2, 0, s));
            assert_ne!(h(1, 0, s), h(1, 1, s));
        }
        assert_ne!(
            hash(1, 7, 0, b"ABC", false),
            hash(1, 7, 0, b"abc", false),
            "without folding, case counts"
        );
        // Overlapping tail reads must not make a value equal to a shorter one.
        assert_ne!(h(1, 0, "abcdefghijklmnopq"), h(1, 0, "abcdefghijklmnop"));
        assert_ne!(h(1, 0, "abcdefgh"), h(1, 0, "abcdefghh"));
    }

    #[test]
    fn no_collisions_among_a_million_similar_values() {
        let mut seen = HashSet::new();
        for i in 0..1_000_000u64 {
            for form in [
                format!("user{i}@example.com"),
                format!("{i:011}"),
                i.to_string(),
            ] {
                assert!(seen.insert(hash(3, 5, 0, form.as_bytes(), true)), "{form}");
            }
        }
    }

    #[test]
    fn bits_are_balanced() {
        // Every output bit is set for about half of sequential inputs.
        let mut ones = [0u32; 64];
        let n = 100_000u32;
        for i in 0..n {
            let h = hash(11, 13, 0, format!("value-{i}").as_bytes(), true);
            for (bit, count) in ones.iter_mut().enumerate() {
                *count += ((h >> bit) & 1) as u32;
            }
        }
        for (bit, &count) in ones.iter().enumerate() {
            let share = f64::from(count) / f64::from(n);
            assert!((0.48..0.52).contains(&share), "bit {bit}: {share}");
        }
    }
}
