//! The hot path: FF1 when radix^v fits in a `u64` (up to 19 decimal digits or 10 radix-62
//! characters per half). Both halves stay integers through all ten rounds, so numerals are
//! converted once on the way in and once on the way out, and nothing is allocated.
//!
//! With radix^v < 2^64, b ≤ 8, so d ≤ 12: each round's PRF input ends in exactly one block and
//! its output S is a prefix of that single block R. That is what makes one AES call per round
//! enough here; longer halves go through `big`.

use zeroize::Zeroize;

use super::params::{d_of, Shape, ROUNDS};
use super::prf::{BlockEnc, Prefix};

/// Everything about one (key, tweak, radix, length) that does not depend on the value.
#[derive(Clone)]
pub(crate) struct FastCtx {
    /// MAC state after P || whole tweak blocks, XORed with the tweak bytes of the last block.
    base: u128,
    /// Bit position of the round number [i] in the last block, read as a big-endian u128.
    i_shift: u32,
    /// Right shift that keeps the first d bytes of R.
    y_shift: u32,
    radix: u64,
    u: usize,
    v: usize,
    /// radix^u and radix^v.
    mod_u: u64,
    mod_v: u64,
}

impl FastCtx {
    /// Returns `None` when radix^v does not fit in a `u64`.
    pub(crate) fn new<C: BlockEnc>(c: &C, shape: &Shape, tweak: &[u8]) -> Option<Self> {
        let radix = u64::from(shape.radix);
        let mod_v = radix.checked_pow(u32::try_from(shape.v).ok()?)?;
        // u ≤ v, so this cannot overflow once radix^v did not.
        let mod_u = radix.pow(shape.u as u32);
        // b = ceil(ceil(v * log2(radix)) / 8) is the byte length of radix^v - 1: computing it
        // from the integer avoids floating point and its rounding at exact powers of two.
        let b = (64 - (mod_v - 1).leading_zeros() as usize).div_ceil(8);
        let d = d_of(b);
        let prefix = Prefix::new(c, shape.p_block(), tweak, shape.pad(b));
        // tail_len + 1 + b = 16 because b ≤ 8: the tail, [i] and NUM(B) fill one block.
        debug_assert_eq!(prefix.tail_len + 1 + b, 16);
        Some(FastCtx {
            base: u128::from_be_bytes(prefix.state) ^ u128::from_be_bytes(prefix.tail),
            i_shift: 8 * b as u32,
            y_shift: 8 * (16 - d as u32),
            radix,
            u: shape.u,
            v: shape.v,
            mod_u,
            mod_v,
        })
    }

    /// y mod radix^m for round `i`, whose PRF input ends in NUM(half).
    #[inline(always)]
    fn y_mod<C: BlockEnc>(&self, c: &C, i: u8, half: u64, modulus: u64) -> u64 {
        let r = u128::from_be_bytes(c.enc(self.round_block(i, half).to_be_bytes()));
        self.reduce(r, modulus)
    }

    /// The last block of round `i`'s PRF input, which ends in NUM(half).
    #[inline(always)]
    fn round_block(&self, i: u8, half: u64) -> u128 {
        self.base ^ (u128::from(i) << self.i_shift) ^ u128::from(half)
    }

    /// y mod radix^m from the round's AES output R.
    #[inline(always)]
    fn reduce(&self, r: u128, modulus: u64) -> u64 {
        let y = r >> self.y_shift;
        if modulus.is_power_of_two() {
            // Radix 2 (`integer_id`, `ip`): the remainder is a mask; the 128-bit division it
            // replaces was a tenth of those transforms' cost.
            return (y as u64) & (modulus - 1);
        }
        // y < 2^96; one 128-by-64-bit remainder reduces it.
        (y % u128::from(modulus)) as u64
    }

    pub(crate) fn encrypt<C: BlockEnc>(&self, c: &C, mut a: u64, mut b: u64) -> (u64, u64) {
        for i in 0..ROUNDS {
            let m = if i % 2 == 0 { self.mod_u } else { self.mod_v };
            let y = self.y_mod(c, i, b, m);
            let sum = add_mod(a, y, m);
            a = b;
            b = sum;
        }
        (a, b)
    }

    /// [`FastCtx::encrypt`] on `N` values at once, round by round. Why: each value's rounds
    /// depend on each other, so one value keeps the AES unit waiting on its latency; the
    /// rounds of independent values interleaved give the processor `N` blocks in flight.
    pub(crate) fn encrypt_lanes<C: BlockEnc, const N: usize>(
        &self,
        c: &C,
        a: &mut [u64; N],
        b: &mut [u64; N],
    ) {
        for i in 0..ROUNDS {
            let m = if i % 2 == 0 { self.mod_u } else { self.mod_v };
            let mut blocks = [[0u8; 16]; N];
            for k in 0..N {
                blocks[k] = self.round_block(i, b[k]).to_be_bytes();
            }
            c.enc_many(&mut blocks);
            for k in 0..N {
                let y = self.reduce(u128::from_be_bytes(blocks[k]), m);
                let sum = add_mod(a[k], y, m);
                a[k] = b[k];
                b[k] = sum;
            }
        }
    }

    pub(crate) fn decrypt<C: BlockEnc>(&self, c: &C, mut a: u64, mut b: u64) -> (u64, u64) {
        for i in (0..ROUNDS).rev() {
            let m = if i % 2 == 0 { self.mod_u } else { self.mod_v };
            let y = self.y_mod(c, i, a, m);
            let diff = if b >= y { b - y } else { b + (m - y) };
            b = a;
            a = diff;
        }
        (a, b)
    }

    /// Splits a validated numeral string into NUM(A) and NUM(B).
    pub(crate) fn split(&self, x: &[u16]) -> (u64, u64) {
        (num(self.radix, &x[..self.u]), num(self.radix, &x[self.u..]))
    }

    /// Writes STR^u(a) || STR^v(b) into `out`, which has length u + v.
    pub(crate) fn join(&self, a: u64, b: u64, out: &mut [u16]) {
        let (left, right) = out.split_at_mut(self.u);
        write_str(self.radix, a, left);
        write_str(self.radix, b, right);
    }

    pub(crate) fn half_lengths(&self) -> (usize, usize) {
        (self.u, self.v)
    }
}

impl Drop for FastCtx {
    // `base` is a MAC state under the key; it does not reveal the key, but it is keyed material
    // that has no reason to outlive the context.
    fn drop(&mut self) {
        self.base.zeroize();
    }
}

/// (a + y) mod m for a, y < m ≤ 2^64 - 1, without a division.
#[inline(always)]
fn add_mod(a: u64, y: u64, m: u64) -> u64 {
    let room = m - a;
    if y >= room {
        y - room
    } else {
        a + y
    }
}

/// NUM_radix(x): the numerals are checked to be below the radix and radix^len < 2^64.
fn num(radix: u64, x: &[u16]) -> u64 {
    x.iter().fold(0, |acc, &d| acc * radix + u64::from(d))
}

/// STR^m_radix(value), most significant numeral first.
fn write_str(radix: u64, mut value: u64, out: &mut [u16]) {
    for slot in out.iter_mut().rev() {
        *slot = (value % radix) as u16;
        value /= radix;
    }
}
