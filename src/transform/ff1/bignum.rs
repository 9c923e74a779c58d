//! Just enough unsigned big-integer arithmetic for FF1 halves that do not fit in a `u64`:
//! little-endian 64-bit limbs of a fixed width chosen from the modulus. Correctness first; the
//! common sizes never come here.

/// An unsigned integer in `width` little-endian limbs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Big {
    limbs: Vec<u64>,
}

impl Big {
    pub(crate) fn zero(width: usize) -> Self {
        Big {
            limbs: vec![0; width],
        }
    }

    /// Limbs enough for radix^m plus a spare one, so that doubling or adding two values below
    /// radix^m never overflows.
    pub(crate) fn width_for(radix: u32, m: usize) -> usize {
        let bits = (m as u64) * u64::from(32 - radix.leading_zeros());
        bits.div_ceil(64) as usize + 1
    }

    /// radix^m in `width` limbs (see `width_for`).
    pub(crate) fn pow(radix: u32, m: usize, width: usize) -> Self {
        let mut x = Big::zero(width);
        x.limbs[0] = 1;
        for _ in 0..m {
            x.mul_add_small(u64::from(radix), 0);
        }
        x
    }

    /// NUM_radix(digits) in `width` limbs. The caller guarantees it fits.
    pub(crate) fn from_numerals(radix: u32, digits: &[u16], width: usize) -> Self {
        let mut x = Big::zero(width);
        for &d in digits {
            x.mul_add_small(u64::from(radix), u64::from(d));
        }
        x
    }

    /// Writes STR^len_radix(self) into `out` (most significant numeral first); consumes self.
    pub(crate) fn write_numerals(mut self, radix: u32, out: &mut [u16]) {
        for slot in out.iter_mut().rev() {
            *slot = self.div_small(u64::from(radix)) as u16;
        }
    }

    pub(crate) fn width(&self) -> usize {
        self.limbs.len()
    }

    /// Number of significant bits.
    pub(crate) fn bit_len(&self) -> usize {
        match self.limbs.iter().rposition(|&l| l != 0) {
            Some(i) => 64 * i + 64 - self.limbs[i].leading_zeros() as usize,
            None => 0,
        }
    }

    /// self - 1 for self ≥ 1.
    pub(crate) fn minus_one(&self) -> Self {
        let mut x = self.clone();
        for limb in x.limbs.iter_mut() {
            let (v, borrow) = limb.overflowing_sub(1);
            *limb = v;
            if !borrow {
                break;
            }
        }
        x
    }

    /// The low `out.len()` bytes of self, big-endian (STR^b_256 of a value below 256^b).
    pub(crate) fn write_be_bytes(&self, out: &mut [u8]) {
        let len = out.len();
        for (k, byte) in out.iter_mut().enumerate() {
            let pos = len - 1 - k;
            *byte = self
                .limbs
                .get(pos / 8)
                .map_or(0, |l| (l >> (8 * (pos % 8))) as u8);
        }
    }

    /// NUM_256(bytes) mod modulus, by shift-and-subtract one bit at a time. The modulus has a
    /// spare top limb (see `pow`), so doubling a value below it cannot overflow.
    pub(crate) fn bytes_mod(bytes: &[u8], modulus: &Big) -> Self {
        let mut r = Big::zero(modulus.width());
        for &byte in bytes {
            for bit in (0..8).rev() {
                r.shl1_or(u64::from(byte >> bit) & 1);
                if !r.lt(modulus) {
                    r.sub_assign(modulus);
                }
            }
        }
        r
    }

    /// (self + y) mod modulus for self, y < modulus.
    pub(crate) fn add_mod(&mut self, y: &Big, modulus: &Big) {
        self.add_assign(y);
        if !self.lt(modulus) {
            self.sub_assign(modulus);
        }
    }

    /// (self - y) mod modulus for self, y < modulus.
    pub(crate) fn sub_mod(&mut self, y: &Big, modulus: &Big) {
        if self.lt(y) {
            self.add_assign(modulus);
        }
        self.sub_assign(y);
    }

    fn mul_add_small(&mut self, factor: u64, addend: u64) {
        let mut carry = u128::from(addend);
        for limb in self.limbs.iter_mut() {
            let wide = u128::from(*limb) * u128::from(factor) + carry;
            *limb = wide as u64;
            carry = wide >> 64;
        }
    }

    fn div_small(&mut self, divisor: u64) -> u64 {
        let mut rem = 0u128;
        for limb in self.limbs.iter_mut().rev() {
            let wide = (rem << 64) | u128::from(*limb);
            *limb = (wide / u128::from(divisor)) as u64;
            rem = wide % u128::from(divisor);
        }
        rem as u64
    }

    fn shl1_or(&mut self, bit: u64) {
        let mut carry = bit;
        for limb in self.limbs.iter_mut() {
            let next = *limb >> 63;
            *limb = (*limb << 1) | carry;
            carry = next;
        }
    }

    fn lt(&self, other: &Big) -> bool {
        for (a, b) in self.limbs.iter().rev().zip(other.limbs.iter().rev()) {
            if a != b {
                return a < b;
            }
        }
        false
    }

    fn add_assign(&mut self, other: &Big) {
        let mut carry = false;
        for (a, &b) in self.limbs.iter_mut().zip(&other.limbs) {
            let (s1, c1) = a.overflowing_add(b);
            let (s2, c2) = s1.overflowing_add(u64::from(carry));
            *a = s2;
            carry = c1 || c2;
        }
    }

    fn sub_assign(&mut self, other: &Big) {
        let mut borrow = false;
        for (a, &b) in self.limbs.iter_mut().zip(&other.limbs) {
            let (d1, b1) = a.overflowing_sub(b);
            let (d2, b2) = d1.overflowing_sub(u64::from(borrow));
            *a = d2;
            borrow = b1 || b2;
        }
    }
}
