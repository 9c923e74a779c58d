//! The general FF1 path for halves too long for `fast`: the same rounds over `Big` integers,
//! with multi-block PRF inputs and S extended past one block as SP 800-38G step 6iii requires.
//! It allocates and is quadratic in the length; it exists so that every valid length works.

use super::bignum::Big;
use super::params::{d_of, Shape, ROUNDS};
use super::prf::{xor_into, BlockEnc, Prefix};

pub(crate) struct BigCtx {
    prefix: Prefix,
    radix: u32,
    u: usize,
    v: usize,
    b: usize,
    d: usize,
    width: usize,
    mod_u: Big,
    mod_v: Big,
}

impl BigCtx {
    pub(crate) fn new<C: BlockEnc>(c: &C, shape: &Shape, tweak: &[u8]) -> Self {
        let width = Big::width_for(shape.radix, shape.v);
        let mod_v = Big::pow(shape.radix, shape.v, width);
        let mod_u = Big::pow(shape.radix, shape.u, width);
        // b is the byte length of radix^v - 1, exactly ceil(ceil(v * log2(radix)) / 8).
        let b = mod_v.minus_one().bit_len().div_ceil(8);
        BigCtx {
            prefix: Prefix::new(c, shape.p_block(), tweak, shape.pad(b)),
            radix: shape.radix,
            u: shape.u,
            v: shape.v,
            b,
            d: d_of(b),
            width,
            mod_u,
            mod_v,
        }
    }

    /// y mod radix^m for round `i`, whose PRF input ends in NUM(half).
    fn y_mod<C: BlockEnc>(&self, c: &C, i: u8, half: &Big, modulus: &Big) -> Big {
        // The last blocks of Q: the tweak tail, [i] and NUM_b(half), a multiple of 16 bytes.
        let tail_len = self.prefix.tail_len;
        let mut last = vec![0u8; tail_len + 1 + self.b];
        last[..tail_len].copy_from_slice(&self.prefix.tail[..tail_len]);
        last[tail_len] = i;
        half.write_be_bytes(&mut last[tail_len + 1..]);
        let mut r = self.prefix.state;
        for chunk in last.chunks_exact(16) {
            let mut block = [0u8; 16];
            block.copy_from_slice(chunk);
            xor_into(&mut r, &block);
            r = c.enc(r);
        }
        // S = R || CIPH(R ⊕ [1]^16) || CIPH(R ⊕ [2]^16) || ..., truncated to d bytes.
        let mut s = Vec::with_capacity(self.d.next_multiple_of(16));
        s.extend_from_slice(&r);
        let mut j = 1u128;
        while s.len() < self.d {
            let block = (u128::from_be_bytes(r) ^ j).to_be_bytes();
            s.extend_from_slice(&c.enc(block));
            j += 1;
        }
        Big::bytes_mod(&s[..self.d], modulus)
    }

    fn modulus(&self, i: u8) -> &Big {
        if i % 2 == 0 {
            &self.mod_u
        } else {
            &self.mod_v
        }
    }

    pub(crate) fn encrypt<C: BlockEnc>(&self, c: &C, x: &[u16], out: &mut [u16]) {
        let (mut a, mut b) = self.split(x);
        for i in 0..ROUNDS {
            let m = self.modulus(i);
            let y = self.y_mod(c, i, &b, m);
            a.add_mod(&y, m);
            std::mem::swap(&mut a, &mut b);
        }
        self.join(a, b, out);
    }

    pub(crate) fn decrypt<C: BlockEnc>(&self, c: &C, x: &[u16], out: &mut [u16]) {
        let (mut a, mut b) = self.split(x);
        for i in (0..ROUNDS).rev() {
            let m = self.modulus(i);
            let y = self.y_mod(c, i, &a, m);
            b.sub_mod(&y, m);
            std::mem::swap(&mut a, &mut b);
        }
        self.join(a, b, out);
    }

    fn split(&self, x: &[u16]) -> (Big, Big) {
        (
            Big::from_numerals(self.radix, &x[..self.u], self.width),
            Big::from_numerals(self.radix, &x[self.u..], self.width),
        )
    }

    fn join(&self, a: Big, b: Big, out: &mut [u16]) {
        let (left, right) = out.split_at_mut(self.u);
        a.write_numerals(self.radix, left);
        b.write_numerals(self.radix, right);
        debug_assert_eq!(right.len(), self.v);
    }
}
