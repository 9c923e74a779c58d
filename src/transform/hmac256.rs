//! HMAC-SHA256 (RFC 2104) on SHA-256's raw compression function.
//!
//! Every keyed draw and `hash` value is one HMAC. With the `hmac` crate each one cloned a
//! keyed state of a few hundred bytes and went through its buffering and finalization layers;
//! here the key's inner and outer pad blocks are compressed once, and a value costs exactly
//! its own blocks (one, for values under 56 bytes) plus one outer block. The output is
//! HMAC-SHA256 bit for bit; a test compares it with the `hmac` crate at every length that
//! crosses a block boundary.

use sha2::block_api::compress256;
use zeroize::Zeroize;

/// SHA-256's initial state (FIPS 180-4, 5.3.3).
const IV: [u32; 8] = [
    0x6a09_e667,
    0xbb67_ae85,
    0x3c6e_f372,
    0xa54f_f53a,
    0x510e_527f,
    0x9b05_688c,
    0x1f83_d9ab,
    0x5be0_cd19,
];

/// A 32-byte HMAC key with its pad blocks already compressed. The two states are as secret as
/// the key (either one lets an attacker compute MACs), so they are wiped on drop.
#[derive(Clone)]
pub(crate) struct HmacKey {
    inner: [u32; 8],
    outer: [u32; 8],
}

impl Drop for HmacKey {
    fn drop(&mut self) {
        self.inner.zeroize();
        self.outer.zeroize();
    }
}

impl std::fmt::Debug for HmacKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HmacKey(<redacted>)")
    }
}

impl HmacKey {
    /// Keys the MAC (a 32-byte key is shorter than the block, so it is used as it is).
    pub fn new(key: &[u8; 32]) -> Self {
        let mut ipad = [0x36u8; 64];
        let mut opad = [0x5cu8; 64];
        for ((i, o), k) in ipad.iter_mut().zip(opad.iter_mut()).zip(key) {
            *i ^= k;
            *o ^= k;
        }
        let (mut inner, mut outer) = (IV, IV);
        compress256(&mut inner, &[ipad]);
        compress256(&mut outer, &[opad]);
        ipad.zeroize();
        opad.zeroize();
        HmacKey { inner, outer }
    }

    /// The MAC of the concatenation of `parts`.
    pub fn mac(&self, parts: &[&[u8]]) -> [u8; 32] {
        let len: usize = parts.iter().map(|p| p.len()).sum();
        let digest = if len < 56 {
            // The common case, a short value: one padded block, built in place.
            let mut block = [0u8; 64];
            let mut at = 0;
            for part in parts {
                if let Some(dst) = block.get_mut(at..at + part.len()) {
                    dst.copy_from_slice(part);
                }
                at += part.len();
            }
            one_block(self.inner, block, len)
        } else {
            let mut inner = Stream::new(self.inner);
            for part in parts {
                inner.update(part);
            }
            inner.finish()
        };
        let mut block = [0u8; 64];
        if let Some(dst) = block.get_mut(..32) {
            dst.copy_from_slice(&digest);
        }
        one_block(self.outer, block, 32)
    }
}

/// Finishes a hash whose remaining message (`len < 56` bytes, after the pad block) sits at the
/// start of `block`, zeros after it: padding and length fit in the same block.
///
/// Message blocks are not wiped: they hold the value being hashed (which sits in plenty of
/// other buffers) or an inner digest, never key material; wiping cost a tenth of a `hash` run.
fn one_block(mut state: [u32; 8], mut block: [u8; 64], len: usize) -> [u8; 32] {
    if let Some(b) = block.get_mut(len) {
        *b = 0x80;
    }
    let bits = (64 + len as u64) * 8;
    if let Some(tail) = block.get_mut(56..) {
        tail.copy_from_slice(&bits.to_be_bytes());
    }
    compress256(&mut state, &[block]);
    to_bytes(&state)
}

fn to_bytes(state: &[u32; 8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    for (chunk, word) in out.chunks_exact_mut(4).zip(state) {
        chunk.copy_from_slice(&word.to_be_bytes());
    }
    out
}

/// A SHA-256 computation that has already absorbed one 64-byte pad block.
struct Stream {
    state: [u32; 8],
    block: [u8; 64],
    fill: usize,
    /// Message bytes after the pad block.
    len: u64,
}

impl Stream {
    fn new(state: [u32; 8]) -> Self {
        Stream {
            state,
            block: [0; 64],
            fill: 0,
            len: 0,
        }
    }

    fn update(&mut self, mut data: &[u8]) {
        self.len += data.len() as u64;
        if self.fill > 0 {
            let take = (64 - self.fill).min(data.len());
            let (head, rest) = data.split_at(take);
            if let Some(dst) = self.block.get_mut(self.fill..self.fill + take) {
                dst.copy_from_slice(head);
            }
            self.fill += take;
            data = rest;
            if self.fill < 64 {
                return;
            }
            compress256(&mut self.state, &[self.block]);
            self.fill = 0;
        }
        let mut blocks = data.chunks_exact(64);
        for block in &mut blocks {
            if let Ok(block) = <[u8; 64]>::try_from(block) {
                compress256(&mut self.state, &[block]);
            }
        }
        let rest = blocks.remainder();
        if let Some(dst) = self.block.get_mut(..rest.len()) {
            dst.copy_from_slice(rest);
        }
        self.fill = rest.len();
    }

    /// Merkle–Damgård padding: 0x80, zeros, and the bit length of everything hashed, pad
    /// block included.
    fn finish(mut self) -> [u8; 32] {
        let bits = (64 + self.len) * 8;
        if let Some(b) = self.block.get_mut(self.fill) {
            *b = 0x80;
        }
        if self.fill >= 56 {
            if let Some(rest) = self.block.get_mut(self.fill + 1..) {
                rest.fill(0);
            }
            compress256(&mut self.state, &[self.block]);
            self.block = [0; 64];
        } else if let Some(rest) = self.block.get_mut(self.fill + 1..56) {
            rest.fill(0);
        }
        if let Some(tail) = self.block.get_mut(56..) {
            tail.copy_from_slice(&bits.to_be_bytes());
        }
        compress256(&mut self.state, &[self.block]);
        to_bytes(&self.state)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hmac::{Hmac, KeyInit, Mac};
    use sha2::Sha256;

    fn reference(key: &[u8; 32], msg: &[u8]) -> [u8; 32] {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key).unwrap();
        mac.update(msg);
        mac.finalize().into_bytes().into()
    }

    #[test]
    fn equals_the_hmac_crate_across_block_boundaries() {
        let key: [u8; 32] = std::array::from_fn(|i| (i * 7 + 3) as u8);
        let msg: Vec<u8> = (0..300u32).map(|i| (i * 31 % 251) as u8).collect();
        let k = HmacKey::new(&key);
        for len in 0..msg.len() {
            let m = &msg[..len];
            assert_eq!(k.mac(&[m]), reference(&key, m), "length {len}");
            // Split into parts at an awkward place: the same MAC.
            let cut = len / 3;
            assert_eq!(k.mac(&[&m[..cut], &m[cut..]]), reference(&key, m));
        }
    }

    #[test]
    fn rfc4231_case_2_shape_with_a_32_byte_key() {
        // RFC 4231 test case 2 uses a 4-byte key; a key zero-padded to 32 bytes is the same
        // HMAC key (HMAC pads short keys with zeros to the block size).
        let mut key = [0u8; 32];
        key[..4].copy_from_slice(b"Jefe");
        let mac = HmacKey::new(&key).mac(&[b"what do ya want ", b"for nothing?"]);
        let hex: String = mac.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(
            hex,
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
