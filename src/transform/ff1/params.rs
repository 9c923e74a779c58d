//! FF1's domain rules (NIST SP 800-38G §5.2, with Revision 1's radix^minlen ≥ 1,000,000) and the
//! sizes derived from them: the split u/v, the byte lengths b and d, and the fixed PRF block P.
//! Nothing here touches the key.

use super::Ff1Error;

/// Revision 1 of SP 800-38G raised the minimum domain to a million values.
const MIN_DOMAIN: u64 = 1_000_000;

/// The length and the tweak length are each encoded in four bytes of P.
const MAX_LEN: usize = u32::MAX as usize;

/// FF1 always uses ten Feistel rounds.
pub(crate) const ROUNDS: u8 = 10;

/// A validated (radix, length, tweak length) triple with FF1's split of the input.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Shape {
    pub(crate) radix: u32,
    pub(crate) n: usize,
    /// Length of the left half A: floor(n / 2).
    pub(crate) u: usize,
    /// Length of the right half B: n - u.
    pub(crate) v: usize,
    pub(crate) t: usize,
}

impl Shape {
    /// Checks every constraint that does not depend on the numerals themselves.
    pub(crate) fn new(radix: u32, n: usize, t: usize) -> Result<Self, Ff1Error> {
        if !(2..=1 << 16).contains(&radix) {
            return Err(Ff1Error::BadRadix { radix });
        }
        if n > MAX_LEN {
            return Err(Ff1Error::TooLong { len: n });
        }
        if t > MAX_LEN {
            return Err(Ff1Error::TweakTooLong { len: t });
        }
        // Twenty factors of at least 2 already exceed a million, so the loop stays short even
        // for a length near 2^32.
        let domain = (0..n.min(20)).fold(1u64, |acc, _| acc.saturating_mul(u64::from(radix)));
        if n < 2 || domain < MIN_DOMAIN {
            return Err(Ff1Error::TooShort { radix, len: n });
        }
        let u = n / 2;
        Ok(Shape {
            radix,
            n,
            u,
            v: n - u,
            t,
        })
    }

    /// P = [1,2,1] || [radix]^3 || [10] || [u mod 256] || [n]^4 || [t]^4 (step 5).
    pub(crate) fn p_block(&self) -> [u8; 16] {
        let mut p = [
            1,
            2,
            1,
            0,
            0,
            0,
            ROUNDS,
            self.u as u8,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
        ];
        p[3..6].copy_from_slice(&self.radix.to_be_bytes()[1..]);
        // Both fit in u32: `new` refused anything longer.
        p[8..12].copy_from_slice(&(self.n as u32).to_be_bytes());
        p[12..16].copy_from_slice(&(self.t as u32).to_be_bytes());
        p
    }

    /// The zero padding of Q: (-t - b - 1) mod 16, computed without overflow.
    pub(crate) fn pad(&self, b: usize) -> usize {
        (32 - (self.t % 16 + b % 16 + 1)) % 16
    }
}

/// d = 4 * ceil(b / 4) + 4 (step 4): the number of PRF output bytes used per round.
pub(crate) fn d_of(b: usize) -> usize {
    4 * b.div_ceil(4) + 4
}

/// Returns the index of the first numeral that is not below the radix.
pub(crate) fn check_numerals(radix: u32, x: &[u16]) -> Result<(), Ff1Error> {
    match x.iter().position(|&d| u32::from(d) >= radix) {
        Some(index) => Err(Ff1Error::BadNumeral { index }),
        None => Ok(()),
    }
}
