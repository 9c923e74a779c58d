//! FF1's PRF: CBC-MAC under AES with a zero IV (SP 800-38G Algorithm 6). Every round's PRF input
//! starts with the same bytes P || T || 0^pad, so the MAC state after them is computed once per
//! call (or once per prepared context) and each round only encrypts its own final block(s).

use aes08::cipher::{consts::U16, generic_array::GenericArray, BlockEncrypt};
use zeroize::Zeroize;

/// One AES block encryption on plain arrays, so the FF1 code does not depend on `cipher` types.
pub(crate) trait BlockEnc {
    fn enc(&self, x: [u8; 16]) -> [u8; 16];
    /// Independent blocks in one call, which the AES-NI backend encrypts eight at a time with
    /// their rounds interleaved.
    fn enc_many<const N: usize>(&self, x: &mut [[u8; 16]; N]);
}

impl<C: BlockEncrypt<BlockSize = U16>> BlockEnc for C {
    #[inline(always)]
    fn enc(&self, x: [u8; 16]) -> [u8; 16] {
        let mut block = GenericArray::from(x);
        self.encrypt_block(&mut block);
        block.into()
    }

    #[inline(always)]
    fn enc_many<const N: usize>(&self, x: &mut [[u8; 16]; N]) {
        let mut blocks: [GenericArray<u8, U16>; N] = x.map(GenericArray::from);
        self.encrypt_blocks(&mut blocks);
        for (out, b) in x.iter_mut().zip(blocks) {
            *out = b.into();
        }
    }
}

/// The CBC-MAC state after the whole blocks of P || T || 0^pad, and the bytes of T || 0^pad that
/// share a block with the round number and NUM(B).
#[derive(Clone)]
pub(crate) struct Prefix {
    pub(crate) state: [u8; 16],
    pub(crate) tail: [u8; 16],
    pub(crate) tail_len: usize,
}

impl Prefix {
    pub(crate) fn new<C: BlockEnc>(c: &C, p: [u8; 16], tweak: &[u8], pad: usize) -> Self {
        let mut state = c.enc(p);
        let total = tweak.len() + pad;
        let whole = total / 16 * 16;
        for start in (0..whole).step_by(16) {
            xor_into(&mut state, &tweak_block(tweak, start));
            state = c.enc(state);
        }
        Prefix {
            state,
            tail: tweak_block(tweak, whole),
            tail_len: total - whole,
        }
    }
}

impl Drop for Prefix {
    // Keyed MAC state: wiped for the same reason as the key schedule, though it does not
    // reveal the key.
    fn drop(&mut self) {
        self.state.zeroize();
    }
}

/// The 16 bytes of T || 0^pad starting at `start`; bytes past the tweak are the zero padding.
fn tweak_block(tweak: &[u8], start: usize) -> [u8; 16] {
    let mut block = [0u8; 16];
    if start < tweak.len() {
        let end = tweak.len().min(start + 16);
        block[..end - start].copy_from_slice(&tweak[start..end]);
    }
    block
}

pub(crate) fn xor_into(acc: &mut [u8; 16], x: &[u8; 16]) {
    for (a, b) in acc.iter_mut().zip(x) {
        *a ^= b;
    }
}
