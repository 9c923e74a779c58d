//! FF1 format-preserving encryption (NIST SP 800-38G Rev. 1) over the `aes` crate.
//!
//! [`Ff1`] holds an expanded AES key; [`Ff1::encrypt`] maps a string of numerals in `[0, radix)`
//! to another of the same length, [`Ff1::encrypt_in_domain`] maps an integer below a domain size
//! to another. It is exact FF1: outputs match NIST's samples and the `fpe` crate. What is not
//! here: choosing a key, a tweak or an alphabet, which belong to the transforms that use FF1.
//!
//! Speed comes from keeping both halves as `u64` integers through the ten rounds when
//! radix^ceil(n/2) fits (`fast`), and from MAC-ing P || tweak once per call, or once per
//! [`Ff1Prepared`]; longer inputs take a big-integer path (`big`).

mod big;
mod bignum;
mod binary;
mod domain;
mod error;
mod fast;
mod params;
mod prf;
#[cfg(test)]
mod tests;

use std::fmt;

use aes08::cipher::KeyInit;
use aes08::{Aes128Enc, Aes192Enc, Aes256Enc};

pub use domain::PreparedDomain;
pub use error::Ff1Error;

use big::BigCtx;
use fast::FastCtx;
use params::{check_numerals, Shape};

/// An FF1 key: the expanded AES key schedule, wiped on drop by the `aes` crate's `zeroize`
/// feature. `Debug` names the key size only.
pub struct Ff1 {
    cipher: Cipher,
}

enum Cipher {
    Aes128(Aes128Enc),
    Aes192(Aes192Enc),
    Aes256(Aes256Enc),
}

/// Runs `$body` with `$c` bound to the concrete cipher, so that the FF1 code is compiled once
/// per key size and the AES calls in its rounds are direct.
macro_rules! with_cipher {
    ($ff1:expr, $c:ident => $body:expr) => {
        match &$ff1.cipher {
            $crate::transform::ff1::Cipher::Aes128($c) => $body,
            $crate::transform::ff1::Cipher::Aes192($c) => $body,
            $crate::transform::ff1::Cipher::Aes256($c) => $body,
        }
    };
}
pub(crate) use with_cipher;

/// Which way a permutation runs.
#[derive(Clone, Copy, Debug)]
pub enum Direction {
    /// Encryption.
    Encrypt,
    /// Its inverse.
    Decrypt,
}

impl Ff1 {
    /// Expands a 16-, 24- or 32-byte AES key. Production keys are 32 bytes (AES-256); the
    /// shorter sizes exist so that all of NIST's samples can be checked.
    pub fn new(key: &[u8]) -> Result<Self, Ff1Error> {
        let bad = |_| Ff1Error::BadKeyLength { len: key.len() };
        let cipher = match key.len() {
            16 => Cipher::Aes128(Aes128Enc::new_from_slice(key).map_err(bad)?),
            24 => Cipher::Aes192(Aes192Enc::new_from_slice(key).map_err(bad)?),
            32 => Cipher::Aes256(Aes256Enc::new_from_slice(key).map_err(bad)?),
            len => return Err(Ff1Error::BadKeyLength { len }),
        };
        Ok(Ff1 { cipher })
    }

    /// FF1.Encrypt(K, T, X) for numerals `x` in `[0, radix)`.
    pub fn encrypt(&self, tweak: &[u8], radix: u32, x: &[u16]) -> Result<Vec<u16>, Ff1Error> {
        let mut out = vec![0; x.len()];
        self.encrypt_into(tweak, radix, x, &mut out)?;
        Ok(out)
    }

    /// FF1.Decrypt(K, T, X) for numerals `x` in `[0, radix)`.
    pub fn decrypt(&self, tweak: &[u8], radix: u32, x: &[u16]) -> Result<Vec<u16>, Ff1Error> {
        let mut out = vec![0; x.len()];
        self.decrypt_into(tweak, radix, x, &mut out)?;
        Ok(out)
    }

    /// Like [`Ff1::encrypt`], writing into `out` (same length as `x`). It does not allocate when
    /// radix^ceil(len/2) < 2^64.
    pub fn encrypt_into(
        &self,
        tweak: &[u8],
        radix: u32,
        x: &[u16],
        out: &mut [u16],
    ) -> Result<(), Ff1Error> {
        self.prepare(tweak, radix, x.len())?.encrypt_into(x, out)
    }

    /// Like [`Ff1::decrypt`], writing into `out` (same length as `x`).
    pub fn decrypt_into(
        &self,
        tweak: &[u8],
        radix: u32,
        x: &[u16],
        out: &mut [u16],
    ) -> Result<(), Ff1Error> {
        self.prepare(tweak, radix, x.len())?.decrypt_into(x, out)
    }

    /// Precomputes everything that depends on the tweak, radix and length but not on the value,
    /// for callers that encrypt many values of one shape (a column, say).
    pub fn prepare(
        &self,
        tweak: &[u8],
        radix: u32,
        len: usize,
    ) -> Result<Ff1Prepared<'_>, Ff1Error> {
        let shape = Shape::new(radix, len, tweak.len())?;
        let ctx = with_cipher!(self, c => match FastCtx::new(c, &shape, tweak) {
            Some(fast) => Ctx::Fast(fast),
            None => Ctx::Big(Box::new(BigCtx::new(c, &shape, tweak))),
        });
        Ok(Ff1Prepared {
            ff1: self,
            radix,
            len,
            ctx,
        })
    }
}

impl fmt::Debug for Ff1 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bits = match self.cipher {
            Cipher::Aes128(_) => 128,
            Cipher::Aes192(_) => 192,
            Cipher::Aes256(_) => 256,
        };
        f.debug_struct("Ff1")
            .field("aes_bits", &bits)
            .finish_non_exhaustive()
    }
}

/// Values whose rounds [`Ff1Prepared::encrypt_many`] interleaves.
const LANES: usize = 8;

/// FF1 bound to one key, tweak, radix and length: the MAC of P || tweak is already computed, so
/// each call costs ten AES blocks (for halves below 2^64) and no allocation.
pub struct Ff1Prepared<'k> {
    ff1: &'k Ff1,
    radix: u32,
    len: usize,
    ctx: Ctx,
}

enum Ctx {
    Fast(FastCtx),
    Big(Box<BigCtx>),
}

impl Ff1Prepared<'_> {
    /// Encrypts `x` (of the prepared length) into `out` (of the same length).
    pub fn encrypt_into(&self, x: &[u16], out: &mut [u16]) -> Result<(), Ff1Error> {
        self.run(Direction::Encrypt, x, out)
    }

    /// Decrypts `x` (of the prepared length) into `out` (of the same length).
    pub fn decrypt_into(&self, x: &[u16], out: &mut [u16]) -> Result<(), Ff1Error> {
        self.run(Direction::Decrypt, x, out)
    }

    /// Encrypts, in place, the values of the prepared length laid end to end in `xs`: the same
    /// results as [`Ff1Prepared::encrypt_into`] on each, with eight values' rounds interleaved
    /// when the halves fit a `u64` (see `FastCtx::encrypt_lanes`).
    pub fn encrypt_many(&self, xs: &mut [u16]) -> Result<(), Ff1Error> {
        if self.len == 0 || xs.len() % self.len != 0 {
            return Err(Ff1Error::PreparedLength {
                prepared: self.len,
                got: xs.len(),
            });
        }
        check_numerals(self.radix, xs)?;
        let Ctx::Fast(ctx) = &self.ctx else {
            let mut out = vec![0u16; self.len];
            for x in xs.chunks_exact_mut(self.len) {
                self.run(Direction::Encrypt, x, &mut out)?;
                x.copy_from_slice(&out);
            }
            return Ok(());
        };
        with_cipher!(self.ff1, c => {
            let mut groups = xs.chunks_exact_mut(self.len * LANES);
            for group in &mut groups {
                let (mut a, mut b) = ([0u64; LANES], [0u64; LANES]);
                for (k, x) in group.chunks_exact(self.len).enumerate() {
                    (a[k], b[k]) = ctx.split(x);
                }
                ctx.encrypt_lanes(c, &mut a, &mut b);
                for (k, x) in group.chunks_exact_mut(self.len).enumerate() {
                    ctx.join(a[k], b[k], x);
                }
            }
            for x in groups.into_remainder().chunks_exact_mut(self.len) {
                let (a, b) = ctx.split(x);
                let (a, b) = ctx.encrypt(c, a, b);
                ctx.join(a, b, x);
            }
        });
        Ok(())
    }

    fn run(&self, dir: Direction, x: &[u16], out: &mut [u16]) -> Result<(), Ff1Error> {
        if x.len() != self.len {
            // The prepared length is part of the PRF input; another length is another shape.
            return Err(Ff1Error::PreparedLength {
                prepared: self.len,
                got: x.len(),
            });
        }
        if out.len() != x.len() {
            return Err(Ff1Error::OutputLength {
                expected: x.len(),
                got: out.len(),
            });
        }
        check_numerals(self.radix, x)?;
        with_cipher!(self.ff1, c => match (&self.ctx, dir) {
            (Ctx::Fast(ctx), Direction::Encrypt) => {
                let (a, b) = ctx.split(x);
                let (a, b) = ctx.encrypt(c, a, b);
                ctx.join(a, b, out);
            }
            (Ctx::Fast(ctx), Direction::Decrypt) => {
                let (a, b) = ctx.split(x);
                let (a, b) = ctx.decrypt(c, a, b);
                ctx.join(a, b, out);
            }
            (Ctx::Big(ctx), Direction::Encrypt) => ctx.encrypt(c, x, out),
            (Ctx::Big(ctx), Direction::Decrypt) => ctx.decrypt(c, x, out),
        });
        Ok(())
    }
}

impl fmt::Debug for Ff1Prepared<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Ff1Prepared")
            .field("radix", &self.radix)
            .field("len", &self.len)
            .finish_non_exhaustive()
    }
}
