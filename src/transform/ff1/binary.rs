//! FF1 in radix 2 on a bit string held as an integer: the string of `len` bits is the
//! big-endian binary form of a `u128`, so A is its top u bits and B its low v bits, and the
//! halves go into the rounds without passing through one `u16` numeral per bit. Callers that
//! permute addresses (`ip`) or walk domains above 2^64 (`format`) spent most of their FF1 time
//! converting 30–70 numerals with a division each, more than on AES.
//!
//! The result is exactly FF1's on the numeral string (checked against [`Ff1Prepared::run`] in
//! the tests below, and through it against NIST's samples).

use super::fast::FastCtx;
use super::{with_cipher, Ctx, Direction, Ff1, Ff1Error, Ff1Prepared};

impl Ff1Prepared<'_> {
    /// Encrypts or decrypts the `len`-bit string whose big-endian value is `x`; the context
    /// must be prepared for radix 2. Values of `len` bits or more are refused.
    pub fn binary(&self, dir: Direction, x: u128) -> Result<u128, Ff1Error> {
        if self.radix != 2 {
            return Err(Ff1Error::BadRadix { radix: self.radix });
        }
        if self.len < 128 && x >> self.len != 0 {
            return Err(Ff1Error::ValueTooWide { len: self.len });
        }
        match &self.ctx {
            Ctx::Fast(ctx) => Ok(with_cipher!(self.ff1, c => binary_fast(c, ctx, dir, x))),
            Ctx::Big(_) => {
                // Halves wider than 63 bits (strings over 126 bits): the numeral path.
                let mut bits = [0u16; 128];
                let mut out = [0u16; 128];
                let len = self.len;
                for (i, bit) in bits[..len].iter_mut().enumerate() {
                    *bit = ((x >> (len - 1 - i)) & 1) as u16;
                }
                self.run(dir, &bits[..len], &mut out[..len])?;
                Ok(out[..len]
                    .iter()
                    .fold(0u128, |acc, &b| (acc << 1) | u128::from(b)))
            }
        }
    }
}

impl Ff1 {
    /// [`Ff1Prepared::binary`] for one value: FF1 in radix 2 on the `len`-bit string of `x`.
    pub fn binary(
        &self,
        dir: Direction,
        tweak: &[u8],
        len: usize,
        x: u128,
    ) -> Result<u128, Ff1Error> {
        if len > 128 {
            return Err(Ff1Error::TooLong { len });
        }
        self.prepare(tweak, 2, len)?.binary(dir, x)
    }
}

fn binary_fast<C: super::prf::BlockEnc>(c: &C, ctx: &FastCtx, dir: Direction, x: u128) -> u128 {
    let (_, v) = ctx.half_lengths();
    let (a, b) = ((x >> v) as u64, (x & ((1u128 << v) - 1)) as u64);
    let (a, b) = match dir {
        Direction::Encrypt => ctx.encrypt(c, a, b),
        Direction::Decrypt => ctx.decrypt(c, a, b),
    };
    (u128::from(a) << v) | u128::from(b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn bits_of(x: u128, len: usize) -> Vec<u16> {
        (0..len)
            .map(|i| ((x >> (len - 1 - i)) & 1) as u16)
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        /// The integer path gives what FF1 gives on the numeral string, both ways, for every
        /// length from FF1's minimum to 128 bits (the last two through the big-integer path).
        #[test]
        fn binary_is_ff1_on_the_bit_string(
            len in 20usize..=128,
            raw in any::<u128>(),
            tweak in proptest::collection::vec(any::<u8>(), 0..40),
        ) {
            let ff1 = Ff1::new(&[7u8; 32]).unwrap();
            let x = if len == 128 { raw } else { raw & ((1u128 << len) - 1) };
            let want = ff1.encrypt(&tweak, 2, &bits_of(x, len)).unwrap();
            let got = ff1.binary(Direction::Encrypt, &tweak, len, x).unwrap();
            prop_assert_eq!(bits_of(got, len), want);
            prop_assert_eq!(ff1.binary(Direction::Decrypt, &tweak, len, got).unwrap(), x);
        }
    }

    #[test]
    fn refuses_what_the_numeral_path_refuses() {
        let ff1 = Ff1::new(&[7u8; 32]).unwrap();
        assert!(ff1.binary(Direction::Encrypt, b"", 19, 0).is_err());
        assert!(ff1.binary(Direction::Encrypt, b"", 24, 1 << 24).is_err());
        assert!(ff1.binary(Direction::Encrypt, b"", 129, 0).is_err());
        let p = ff1.prepare(b"", 10, 8).unwrap();
        assert!(p.binary(Direction::Encrypt, 5).is_err());
    }
}
