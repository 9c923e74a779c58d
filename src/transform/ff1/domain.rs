//! A keyed permutation of `[0, domain_size)` for any domain size from 1,000 to 2^64 - 1: FF1 on
//! the L-bit binary string of the value, L = max(20, bits(domain_size - 1)), with cycle-walking.
//!
//! Why this is a bijection: FF1 with a fixed key and tweak is a permutation π of [0, 2^L), and
//! [0, domain_size) is a subset of it. Every x in the subset lies on a cycle of π, and that cycle
//! returns to x itself, so walking x → π(x) → π(π(x)) → ... reaches an element of the subset
//! after finitely many steps. The map sends each subset element to the next subset element along
//! its cycle; following the cycle backwards with π⁻¹ undoes it, which is exactly what
//! `decrypt_in_domain` does. (Black and Rogaway, "Ciphers with Arbitrary Finite Domains", 2002.)
//!
//! Cost: a walk takes 2^L / domain_size FF1 calls on average, under 2 once domain_size > 2^19,
//! but about 1,049 at the 1,000 floor, because FF1 itself refuses domains below 1,000,000.

use super::fast::FastCtx;
use super::params::Shape;
use super::prf::BlockEnc;
use super::{with_cipher, Direction, Ff1, Ff1Error};

/// Below this the walk gets too long, and the domain can be enumerated by hand anyway.
const MIN_DOMAIN_SIZE: u64 = 1_000;

/// FF1's smallest binary length: 2^20 is the first power of two above 1,000,000.
const MIN_BITS: usize = 20;

impl Ff1 {
    /// A keyed bijection on `[0, domain_size)` (see the module documentation for why).
    pub fn encrypt_in_domain(
        &self,
        tweak: &[u8],
        domain_size: u64,
        x: u64,
    ) -> Result<u64, Ff1Error> {
        self.walk(Direction::Encrypt, tweak, domain_size, x)
    }

    /// The inverse of [`Ff1::encrypt_in_domain`] for the same tweak and domain size.
    pub fn decrypt_in_domain(
        &self,
        tweak: &[u8],
        domain_size: u64,
        x: u64,
    ) -> Result<u64, Ff1Error> {
        self.walk(Direction::Decrypt, tweak, domain_size, x)
    }

    fn walk(
        &self,
        dir: Direction,
        tweak: &[u8],
        domain_size: u64,
        x: u64,
    ) -> Result<u64, Ff1Error> {
        let prepared = self.prepare_domain(tweak, domain_size)?;
        self.walk_prepared(&prepared, dir, x)
    }

    /// The value-independent part of a walk over `[0, domain_size)` with `tweak`, for callers
    /// that permute many values of one domain (`integer_id`): building it costs an AES call
    /// and setup that a walk of one or two FF1 calls would otherwise pay every time.
    pub fn prepare_domain(
        &self,
        tweak: &[u8],
        domain_size: u64,
    ) -> Result<PreparedDomain, Ff1Error> {
        if domain_size < MIN_DOMAIN_SIZE {
            return Err(Ff1Error::DomainTooSmall { domain_size });
        }
        let bits = MIN_BITS.max(64 - (domain_size - 1).leading_zeros() as usize);
        let shape = Shape::new(2, bits, tweak.len())?;
        let ctx = with_cipher!(self, c => FastCtx::new(c, &shape, tweak))
            // 2^v ≤ 2^32 always fits, so the fast path never declines a binary domain; the
            // error keeps this total without a panic.
            .ok_or(Ff1Error::TooLong { len: bits })?;
        Ok(PreparedDomain { ctx, domain_size })
    }

    /// [`Ff1::encrypt_in_domain`] or its inverse on a prepared domain (same key required).
    pub fn walk_prepared(
        &self,
        prepared: &PreparedDomain,
        dir: Direction,
        x: u64,
    ) -> Result<u64, Ff1Error> {
        let domain_size = prepared.domain_size;
        if x >= domain_size {
            return Err(Ff1Error::OutOfDomain { domain_size });
        }
        Ok(with_cipher!(self, c => walk_with(c, &prepared.ctx, dir, domain_size, x)))
    }
}

impl Ff1 {
    /// [`Ff1::walk_prepared`] encrypting every value of `xs` in place, several at a time (see
    /// `FastCtx::encrypt_lanes`); the same results as one call per value. Values outside the
    /// domain are an error, reported before any is changed.
    pub fn encrypt_many_prepared(
        &self,
        prepared: &PreparedDomain,
        xs: &mut [u64],
    ) -> Result<(), Ff1Error> {
        let domain_size = prepared.domain_size;
        if xs.iter().any(|&x| x >= domain_size) {
            return Err(Ff1Error::OutOfDomain { domain_size });
        }
        with_cipher!(self, c => walk_many(c, &prepared.ctx, domain_size, xs));
        Ok(())
    }
}

/// Values encrypted side by side.
const LANES: usize = 8;

fn walk_many<C: BlockEnc>(c: &C, ctx: &FastCtx, domain_size: u64, xs: &mut [u64]) {
    let (_, v) = ctx.half_lengths();
    let low_mask = (1u64 << v) - 1;
    let mut chunks = xs.chunks_exact_mut(LANES);
    for chunk in &mut chunks {
        let (mut a, mut b) = ([0u64; LANES], [0u64; LANES]);
        for k in 0..LANES {
            (a[k], b[k]) = (chunk[k] >> v, chunk[k] & low_mask);
        }
        ctx.encrypt_lanes(c, &mut a, &mut b);
        for k in 0..LANES {
            let y = (a[k] << v) | b[k];
            // One FF1 call lands inside the domain almost always (it is more than half of
            // the 2^L strings); the rest walk on alone.
            chunk[k] = if y < domain_size {
                y
            } else {
                walk_with(c, ctx, Direction::Encrypt, domain_size, y)
            };
        }
    }
    for x in chunks.into_remainder() {
        *x = walk_with(c, ctx, Direction::Encrypt, domain_size, *x);
    }
}

/// A domain prepared by [`Ff1::prepare_domain`].
#[derive(Clone)]
pub struct PreparedDomain {
    ctx: FastCtx,
    domain_size: u64,
}

impl std::fmt::Debug for PreparedDomain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PreparedDomain {{ domain_size: {} }}", self.domain_size)
    }
}

/// Applies FF1 (or its inverse) until the value falls back inside the domain. It terminates
/// because the value's cycle under the permutation contains the starting value.
fn walk_with<C: BlockEnc>(c: &C, ctx: &FastCtx, dir: Direction, domain_size: u64, x: u64) -> u64 {
    let (_, v) = ctx.half_lengths();
    let low_mask = (1u64 << v) - 1;
    let mut y = x;
    loop {
        // The L-bit string splits into A = its top u bits and B = its low v bits.
        let (a, b) = (y >> v, y & low_mask);
        let (a, b) = match dir {
            Direction::Encrypt => ctx.encrypt(c, a, b),
            Direction::Decrypt => ctx.decrypt(c, a, b),
        };
        y = (a << v) | b;
        if y < domain_size {
            return y;
        }
    }
}
