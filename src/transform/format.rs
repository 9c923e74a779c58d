//! The format-preserving engine shared by `tokenize`, `email`, `phone`, `iban` and friends:
//! encrypt the ASCII digits and letters of a byte string in place, keeping every position's
//! class, the case of every letter and every other byte where it is.
//!
//! What it does, for one value:
//!
//! - Each selected position becomes a numeral: a digit in radix 10, a letter in radix 26 (case is
//!   folded away and put back afterwards, so `J` and `j` are the same numeral but the case
//!   pattern is kept). Every other byte — punctuation, spaces, non-ASCII bytes (so `ë` stays
//!   `ë`: non-ASCII letters are *kept*, never encrypted) — stays in place.
//! - The tweak is the caller's context, then the *layout*: the value with selected digits written
//!   `9`, selected letters `a`/`A` and every other byte as itself. Values with another layout are
//!   encrypted under an unrelated permutation, and the layout is public anyway (it is kept).
//! - The numerals are encrypted as one unit, so the output depends on every position:
//!   one class only (all digits, all letters) → FF1 in that radix; mixed classes → the value as
//!   a mixed-radix integer below D = 10^digits × 26^letters, permuted by FF1 with cycle-walking
//!   (`Ff1::encrypt_in_domain` below 2^64, a 128-bit walk up to 2^126); longer mixed values are
//!   cut into chunks below 2^113, each encrypted with the others as tweak (one pass of a
//!   generalized Feistel: every output chunk depends on every input chunk, and the pass is undone
//!   in reverse order).
//! - Fewer than 1,000 possible values (D < 1000) is an error for that value: the rule's
//!   `on_error` applies. Nothing weaker is ever substituted.
//!
//! Nothing here allocates for values up to 64 selected characters and 128 tweak bytes.

use super::ff1::{Ff1, Ff1Error};
use super::TransformError;
use crate::key::SubKey;

/// Values with fewer possibilities than this are refused: they could be enumerated.
pub(crate) const MIN_POSSIBLE: u128 = 1_000;

/// FF1 itself needs radix^len ≥ 1,000,000; below, the integer is cycle-walked.
const FF1_MIN: u128 = 1_000_000;

/// The largest chunk of a long mixed value: 26^24 < 2^113, well inside the 126-bit walk.
const MAX_CHUNK: usize = 24;

/// Stack capacity for numerals and tweaks; longer values fall back to the heap.
const STACK: usize = 64;

/// Encrypt or decrypt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dir {
    Encrypt,
    Decrypt,
}

/// Which ASCII classes are encrypted; the others are kept and become part of the tweak.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Classes {
    pub digits: bool,
    pub letters: bool,
}

impl Classes {
    pub const ALNUM: Classes = Classes {
        digits: true,
        letters: true,
    };
    pub const DIGITS: Classes = Classes {
        digits: true,
        letters: false,
    };
}

/// The error for a value whose encrypted part has too few possible values.
pub(crate) fn too_short() -> TransformError {
    TransformError(
        "value too short to tokenize safely: fewer than 1,000 possible values (on_error applies)"
            .into(),
    )
}

fn ff1_error(e: Ff1Error) -> TransformError {
    // Ff1Error messages carry sizes and positions only, never numerals.
    TransformError(format!("format-preserving encryption failed: {e}"))
}

/// An FF1 key for one purpose and domain.
pub(crate) struct Fpe {
    ff1: Ff1,
}

impl std::fmt::Debug for Fpe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Fpe(<keyed>)")
    }
}

/// A small vector on the stack, on the heap past [`STACK`] elements.
enum Buf<T: Copy + Default> {
    Stack([T; STACK], usize),
    Heap(Vec<T>),
}

impl<T: Copy + Default> Buf<T> {
    fn with_len(len: usize) -> Self {
        if len <= STACK {
            Buf::Stack([T::default(); STACK], len)
        } else {
            Buf::Heap(vec![T::default(); len])
        }
    }
    fn as_mut(&mut self) -> &mut [T] {
        match self {
            Buf::Stack(a, n) => &mut a[..*n],
            Buf::Heap(v) => v,
        }
    }
}

/// A growable byte buffer on the stack up to 128 bytes.
struct TweakBuf {
    stack: [u8; 2 * STACK],
    len: usize,
    heap: Option<Vec<u8>>,
}

impl TweakBuf {
    fn new() -> Self {
        TweakBuf {
            stack: [0; 2 * STACK],
            len: 0,
            heap: None,
        }
    }
    fn push(&mut self, b: u8) {
        if let Some(h) = &mut self.heap {
            h.push(b);
        } else if self.len < self.stack.len() {
            self.stack[self.len] = b;
            self.len += 1;
        } else {
            let mut h = self.stack[..self.len].to_vec();
            h.push(b);
            self.heap = Some(h);
        }
    }
    fn as_slice(&self) -> &[u8] {
        self.heap.as_deref().unwrap_or(&self.stack[..self.len])
    }
}

/// The numeral and radix of a selected byte, or `None` for a kept one.
#[inline]
fn numeral(b: u8, classes: Classes) -> Option<(u16, u8)> {
    match b {
        b'0'..=b'9' if classes.digits => Some((u16::from(b - b'0'), 10)),
        b'a'..=b'z' if classes.letters => Some((u16::from(b - b'a'), 26)),
        b'A'..=b'Z' if classes.letters => Some((u16::from(b - b'A'), 26)),
        _ => None,
    }
}

/// The layout byte of a position (see the module documentation).
#[inline]
fn layout(b: u8, classes: Classes) -> u8 {
    match b {
        b'0'..=b'9' if classes.digits => b'9',
        b'a'..=b'z' if classes.letters => b'a',
        b'A'..=b'Z' if classes.letters => b'A',
        other => other,
    }
}

/// The tweak of `text` under `context` (see the module documentation): the context, a 0xff
/// separator, then the layout byte of every position. `Fpe::run` encrypts under it, and
/// batching callers (`phone`) group values by it.
pub(crate) fn tweak_bytes<'a>(
    context: &'a [u8],
    text: &'a [u8],
    classes: Classes,
) -> impl Iterator<Item = u8> + 'a {
    context
        .iter()
        .copied()
        .chain(std::iter::once(0xff))
        .chain(text.iter().map(move |&b| layout(b, classes)))
}

/// Writes numeral `n` back into a position that held `old` (same class, same case).
#[inline]
fn write_back(old: u8, n: u16) -> u8 {
    let n = n as u8;
    match old {
        b'0'..=b'9' => b'0' + n,
        b'a'..=b'z' => b'a' + n,
        _ => b'A' + n,
    }
}

impl Fpe {
    /// Builds the FF1 key from a domain subkey (AES-256).
    pub(crate) fn new(subkey: &SubKey) -> Self {
        let ff1 = Ff1::new(subkey.expose()).expect("a subkey is 32 bytes, a valid AES-256 key");
        Fpe { ff1 }
    }

    /// Encrypts or decrypts, in place, the positions of `text` in `classes`; `context` is
    /// prepended to the tweak (a transform's fixed label, or kept parts of the value).
    pub(crate) fn run(
        &self,
        dir: Dir,
        text: &mut [u8],
        classes: Classes,
        context: &[u8],
    ) -> Result<(), TransformError> {
        let mut tweak = TweakBuf::new();
        tweak_bytes(context, text, classes).for_each(|b| tweak.push(b));
        let mut k = 0;
        let (mut digits, mut letters) = (0u32, 0u32);
        for &b in text.iter() {
            if let Some((_, r)) = numeral(b, classes) {
                k += 1;
                if r == 10 {
                    digits += 1;
                } else {
                    letters += 1;
                }
            }
        }
        let mut nums = Buf::<u16>::with_len(k);
        let mut radices = Buf::<u8>::with_len(k);
        {
            let (nums, radices) = (nums.as_mut(), radices.as_mut());
            let mut i = 0;
            for &b in text.iter() {
                if let Some((n, r)) = numeral(b, classes) {
                    nums[i] = n;
                    radices[i] = r;
                    i += 1;
                }
            }
        }
        let (nums_s, radices_s) = (nums.as_mut(), radices.as_mut());
        if digits == 0 || letters == 0 {
            let radix = if digits > 0 { 10 } else { 26 };
            self.single_radix(dir, tweak.as_slice(), radix, nums_s)?;
        } else {
            self.mixed(dir, tweak.as_slice(), nums_s, radices_s)?;
        }
        let mut i = 0;
        for b in text.iter_mut() {
            if numeral(*b, classes).is_some() {
                *b = write_back(*b, nums_s[i]);
                i += 1;
            }
        }
        Ok(())
    }

    /// One radix for every numeral: plain FF1, or a cycle-walk below FF1's minimum.
    pub(crate) fn single_radix(
        &self,
        dir: Dir,
        tweak: &[u8],
        radix: u32,
        nums: &mut [u16],
    ) -> Result<(), TransformError> {
        let size = domain_size(nums.len(), |_| radix);
        if size < MIN_POSSIBLE {
            return Err(too_short());
        }
        if size >= FF1_MIN && nums.len() >= 2 {
            let mut out = Buf::<u16>::with_len(nums.len());
            let out_s = out.as_mut();
            match dir {
                Dir::Encrypt => self.ff1.encrypt_into(tweak, radix, nums, out_s),
                Dir::Decrypt => self.ff1.decrypt_into(tweak, radix, nums, out_s),
            }
            .map_err(ff1_error)?;
            nums.copy_from_slice(out_s);
            return Ok(());
        }
        // Below a million values the domain fits a u64 easily.
        let x = to_int(nums, |_| radix) as u64;
        let y = self.walk64(dir, tweak, size as u64, x)?;
        from_int(u128::from(y), nums, |_| radix);
        Ok(())
    }

    /// [`Fpe::single_radix`] encrypting many values of one tweak and length, laid end to end
    /// in `nums` (`len` numerals each): plain FF1 goes eight values at a time under one
    /// prepared context; a domain below FF1's minimum walks each value as `single_radix` does.
    pub(crate) fn single_radix_many(
        &self,
        tweak: &[u8],
        radix: u32,
        len: usize,
        nums: &mut [u16],
    ) -> Result<(), TransformError> {
        let size = domain_size(len, |_| radix);
        if size < MIN_POSSIBLE {
            return Err(too_short());
        }
        if size >= FF1_MIN && len >= 2 {
            let prepared = self.ff1.prepare(tweak, radix, len).map_err(ff1_error)?;
            return prepared.encrypt_many(nums).map_err(ff1_error);
        }
        // size ≥ 1,000, so len > 0.
        for x in nums.chunks_exact_mut(len) {
            self.single_radix(Dir::Encrypt, tweak, radix, x)?;
        }
        Ok(())
    }

    /// Mixed radices: permute the mixed-radix integer, chunked when it is too large.
    fn mixed(
        &self,
        dir: Dir,
        tweak: &[u8],
        nums: &mut [u16],
        radices: &[u8],
    ) -> Result<(), TransformError> {
        let k = nums.len();
        if k <= MAX_CHUNK {
            return self.permute_chunk(dir, tweak, nums, radices);
        }
        let chunks = k.div_ceil(MAX_CHUNK);
        let bounds = |c: usize| (c * k / chunks, (c + 1) * k / chunks);
        let order: Vec<usize> = match dir {
            Dir::Encrypt => (0..chunks).collect(),
            Dir::Decrypt => (0..chunks).rev().collect(),
        };
        for c in order {
            let (lo, hi) = bounds(c);
            // The chunk's tweak: the value's tweak, the chunk number and every other numeral
            // as it stands at this step (earlier chunks already encrypted, later ones not).
            let mut t = Vec::with_capacity(tweak.len() + k + 3);
            t.extend_from_slice(tweak);
            t.push(0xfe);
            t.push(c as u8);
            t.extend(nums[..lo].iter().map(|&n| n as u8));
            t.push(0xfd);
            t.extend(nums[hi..].iter().map(|&n| n as u8));
            self.permute_chunk(dir, &t, &mut nums[lo..hi], &radices[lo..hi])?;
        }
        Ok(())
    }

    /// Permutes one mixed-radix integer of at most [`MAX_CHUNK`] numerals.
    fn permute_chunk(
        &self,
        dir: Dir,
        tweak: &[u8],
        nums: &mut [u16],
        radices: &[u8],
    ) -> Result<(), TransformError> {
        let size = domain_size(nums.len(), |i| u32::from(radices[i]));
        if size < MIN_POSSIBLE {
            return Err(too_short());
        }
        let x = to_int(nums, |i| u32::from(radices[i]));
        let y = if let Ok(size64) = u64::try_from(size) {
            u128::from(self.walk64(dir, tweak, size64, x as u64)?)
        } else {
            self.walk128(dir, tweak, size, x)?
        };
        from_int(y, nums, |i| u32::from(radices[i]));
        Ok(())
    }

    /// A domain of `size` values prepared once, for [`Fpe::walk_prepared`].
    pub(crate) fn prepare_walk(
        &self,
        tweak: &[u8],
        size: u64,
    ) -> Result<crate::transform::ff1::PreparedDomain, TransformError> {
        self.ff1.prepare_domain(tweak, size).map_err(ff1_error)
    }

    /// [`Fpe::walk64`] on a prepared domain.
    pub(crate) fn walk_prepared(
        &self,
        dir: Dir,
        prepared: &crate::transform::ff1::PreparedDomain,
        x: u64,
    ) -> Result<u64, TransformError> {
        self.ff1
            .walk_prepared(prepared, ff1_direction(dir), x)
            .map_err(ff1_error)
    }

    /// [`Fpe::walk_prepared`] encrypting many values in place, several at a time.
    pub(crate) fn encrypt_many_prepared(
        &self,
        prepared: &crate::transform::ff1::PreparedDomain,
        xs: &mut [u64],
    ) -> Result<(), TransformError> {
        self.ff1
            .encrypt_many_prepared(prepared, xs)
            .map_err(ff1_error)
    }

    /// `Ff1::encrypt_in_domain` or its inverse.
    pub(crate) fn walk64(
        &self,
        dir: Dir,
        tweak: &[u8],
        size: u64,
        x: u64,
    ) -> Result<u64, TransformError> {
        match dir {
            Dir::Encrypt => self.ff1.encrypt_in_domain(tweak, size, x),
            Dir::Decrypt => self.ff1.decrypt_in_domain(tweak, size, x),
        }
        .map_err(ff1_error)
    }

    /// A keyed permutation of `[0, size)` for 2^64 ≤ size < 2^126: FF1 in radix 2 on the
    /// L-bit string (L = bits(size - 1)) with cycle-walking, as `encrypt_in_domain` does for
    /// smaller domains (fewer than two FF1 calls on average).
    pub(crate) fn walk128(
        &self,
        dir: Dir,
        tweak: &[u8],
        size: u128,
        x: u128,
    ) -> Result<u128, TransformError> {
        let bits = 128 - (size - 1).leading_zeros() as usize;
        let prepared = self.ff1.prepare(tweak, 2, bits).map_err(ff1_error)?;
        let dir = ff1_direction(dir);
        let mut y = x;
        loop {
            y = prepared.binary(dir, y).map_err(ff1_error)?;
            if y < size {
                return Ok(y);
            }
        }
    }

    /// FF1 in radix 2 on the `bits`-bit string of `x` (20 ≤ bits ≤ 128), without a numeral per
    /// bit (`ip`).
    pub(crate) fn binary(
        &self,
        dir: Dir,
        tweak: &[u8],
        bits: usize,
        x: u128,
    ) -> Result<u128, TransformError> {
        self.ff1
            .binary(ff1_direction(dir), tweak, bits, x)
            .map_err(ff1_error)
    }
}

fn ff1_direction(dir: Dir) -> crate::transform::ff1::Direction {
    match dir {
        Dir::Encrypt => crate::transform::ff1::Direction::Encrypt,
        Dir::Decrypt => crate::transform::ff1::Direction::Decrypt,
    }
}

/// The product of the radices, saturating at `u128::MAX`.
fn domain_size(len: usize, radix: impl Fn(usize) -> u32) -> u128 {
    (0..len).fold(1u128, |acc, i| acc.saturating_mul(u128::from(radix(i))))
}

/// The numerals as a big-endian mixed-radix integer (the caller checked that it fits).
fn to_int(nums: &[u16], radix: impl Fn(usize) -> u32) -> u128 {
    nums.iter().enumerate().fold(0u128, |acc, (i, &n)| {
        acc * u128::from(radix(i)) + u128::from(n)
    })
}

/// The inverse of [`to_int`].
fn from_int(mut y: u128, nums: &mut [u16], radix: impl Fn(usize) -> u32) {
    for i in (0..nums.len()).rev() {
        let r = u128::from(radix(i));
        nums[i] = (y % r) as u16;
        y /= r;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::key::MasterKey;

    fn fpe() -> Fpe {
        Fpe::new(&MasterKey::from_bytes([7; 32]).subkey("tokenize", "t"))
    }

    fn round_trip(input: &str) -> String {
        let f = fpe();
        let mut buf = input.as_bytes().to_vec();
        f.run(Dir::Encrypt, &mut buf, Classes::ALNUM, b"").unwrap();
        let out = String::from_utf8(buf.clone()).unwrap();
        f.run(Dir::Decrypt, &mut buf, Classes::ALNUM, b"").unwrap();
        assert_eq!(String::from_utf8(buf).unwrap(), input);
        out
    }

    #[test]
    fn every_size_class_round_trips_and_keeps_classes() {
        let long_mixed = "Ab1".repeat(30);
        for input in [
            "123",
            "1234",
            "12345678",
            "abc",
            "Abcdef",
            "a1b2",
            "AB-12345",
            "Zoë Smith-Jones",
            "4111 1111 1111 1111",
            "abcdefghij1234567890KLMNOPQRST",
            long_mixed.as_str(),
        ] {
            let out = round_trip(input);
            assert_eq!(out.len(), input.len());
            for (a, b) in input.bytes().zip(out.bytes()) {
                assert_eq!(layout(a, Classes::ALNUM), layout(b, Classes::ALNUM));
            }
        }
    }

    #[test]
    fn too_few_possibilities_is_an_error() {
        for input in ["12", "ab", "", "--", "a1"] {
            let mut buf = input.as_bytes().to_vec();
            let err = fpe()
                .run(Dir::Encrypt, &mut buf, Classes::ALNUM, b"")
                .unwrap_err();
            assert!(err.0.contains("too short"), "{err}");
        }
    }

    #[test]
    fn walk128_is_a_permutation_of_a_large_domain() {
        let f = fpe();
        let size = (1u128 << 100) + 12345;
        for x in [0u128, 1, size - 1, 1 << 99] {
            let y = f.walk128(Dir::Encrypt, b"t", size, x).unwrap();
            assert!(y < size);
            assert_eq!(f.walk128(Dir::Decrypt, b"t", size, y).unwrap(), x);
        }
    }
}
