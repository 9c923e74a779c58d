//! Keyed draws: every "random" choice a transform makes comes from HMAC-SHA256 of its subkey.
//!
//! A [`Keyed`] holds the HMAC state of one (purpose, domain) subkey; a draw hashes the parts
//! that select it (the value, or the entity) and reads uniform integers from the digest. No
//! clock and no global RNG: the same key, domain and parts always give the same draw, and a
//! different key gives an unrelated one.

use super::hmac256::HmacKey;
use super::ColumnContext;

/// The keyed state of one subkey (its HMAC pad blocks already compressed).
#[derive(Clone)]
pub(crate) struct Keyed {
    mac: HmacKey,
}

impl std::fmt::Debug for Keyed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Keyed(..)")
    }
}

impl Keyed {
    /// The subkey for `purpose` within `domain` (the column's qualified name when `None`).
    pub fn new(ctx: &ColumnContext<'_>, purpose: &str, domain: Option<&str>) -> Self {
        Keyed {
            mac: HmacKey::new(ctx.subkey(purpose, domain).expose()),
        }
    }

    /// HMAC of `input`.
    pub fn digest(&self, input: &[u8]) -> [u8; 32] {
        self.mac.mac(&[input])
    }

    /// HMAC of `input` with a one-byte counter, for callers that need more than 32 bytes.
    pub fn digest_n(&self, input: &[u8], counter: u8) -> [u8; 32] {
        self.mac.mac(&[&[counter], input])
    }
}

/// The first 8 bytes of a digest as an integer.
pub(crate) fn word(d: &[u8; 32], i: usize) -> u64 {
    let mut b = [0u8; 8];
    b.copy_from_slice(&d[i * 8..i * 8 + 8]);
    u64::from_le_bytes(b)
}

/// `floor(r * n)` for the uniform fraction `r = word / 2^64`: the same `r` scales to any unit,
/// so draws in different units stay proportional.
pub(crate) fn scaled(r: u64, n: u64) -> u64 {
    ((u128::from(r) * u128::from(n)) >> 64) as u64
}

/// `floor(r · n / 2^64)` for `n` up to 2^127: a uniform integer in `0..n` from the fraction `r`.
pub(crate) fn scaled128(n: u128, r: u64) -> u128 {
    let (hi, lo) = (n >> 64, n & u128::from(u64::MAX));
    hi * u128::from(r) + ((lo * u128::from(r)) >> 64)
}

/// Successive keyed words for transforms that make many choices per value (`fake`).
pub(crate) struct Picker<'a> {
    keyed: &'a Keyed,
    input: &'a [u8],
    digest: [u8; 32],
    counter: u8,
    next: usize,
}

impl<'a> Picker<'a> {
    /// Choices for `input`, starting at `round` (different rounds give unrelated choices).
    pub fn new(keyed: &'a Keyed, input: &'a [u8], round: u8) -> Self {
        let counter = round.wrapping_mul(16);
        Picker {
            keyed,
            input,
            digest: keyed.digest_n(input, counter),
            counter,
            next: 0,
        }
    }

    /// A uniform index into `0..n` (bias below 2^-40 for the list sizes used).
    pub fn index(&mut self, n: usize) -> usize {
        if self.next == 4 {
            self.counter = self.counter.wrapping_add(1);
            self.digest = self.keyed.digest_n(self.input, self.counter);
            self.next = 0;
        }
        let w = word(&self.digest, self.next);
        self.next += 1;
        scaled(w, n as u64) as usize
    }
}
