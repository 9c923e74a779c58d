//! The words of an output cell, found 64 bytes at a time with bit masks.
//!
//! The leak check reads every byte of every scanned output cell (a JSON payload, a free-text
//! column) to cut it into words, and measures its digits and capitals to decide which further
//! scans can find anything. Done a byte at a time, with a branch per byte, that loop was the
//! largest part of the candidate scan. Here each 16 bytes are classified by SSE2 compares
//! (part of the x86_64 baseline; `safe_arch` wraps the intrinsics, since the crate forbids
//! `unsafe`) into three 64-bit masks per 64-byte chunk, and words are found as runs of set bits
//! with `trailing_zeros`, a few instructions per word instead of several per byte. Other
//! architectures build the same masks from a table.

/// Byte classes of one chunk of at most 64 bytes: bit `i` describes byte `i`; bits past the
/// chunk's end are clear.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Masks {
    /// Bytes that belong to words: ASCII letters and digits, `@._+%-`, and every byte of a
    /// multi-byte UTF-8 character (so an e-mail address or a non-ASCII name is one word).
    word: u64,
    digit: u64,
    upper: u64,
}

/// Whether a byte belongs to a word (see [`Masks::word`]): the definition the masks follow.
#[cfg(any(test, not(target_arch = "x86_64")))]
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b >= 0x80 || matches!(b, b'@' | b'.' | b'_' | b'+' | b'%' | b'-')
}

/// Digits and ASCII capitals in a cell, counted while its words were found.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub capitals: usize,
    /// The most digits in one cluster whose neighbours are at most [`CLUSTER_GAP`] bytes
    /// apart: an upper bound on the digits of any run that separators join.
    pub digit_cluster: usize,
}

/// Bytes allowed between two digits of one cluster.
pub const CLUSTER_GAP: usize = 2;

/// Calls `word(start, end)` for every maximal run of word bytes in `v`, in order, and counts
/// the cell's capitals and its largest cluster of digits.
pub fn words(v: &[u8], mut word: impl FnMut(usize, usize)) -> Counts {
    let mut counts = Counts::default();
    let mut open: Option<usize> = None;
    // Position of the last digit seen and the size of its cluster.
    let (mut last_digit, mut cluster): (Option<usize>, usize) = (None, 0);
    for (k, chunk) in v.chunks(64).enumerate() {
        let base = k * 64;
        let len = chunk.len();
        let m = masks(chunk);
        counts.capitals += m.upper.count_ones() as usize;
        let mut digits = m.digit;
        while digits != 0 {
            let at = base + digits.trailing_zeros() as usize;
            digits &= digits - 1;
            cluster = match last_digit {
                Some(l) if at - l <= CLUSTER_GAP + 1 => cluster + 1,
                _ => 1,
            };
            last_digit = Some(at);
            counts.digit_cluster = counts.digit_cluster.max(cluster);
        }
        let mut b = 0;
        while b < len {
            match open {
                Some(start) => {
                    // The first non-word byte at or after `b`; none in this chunk (64) means
                    // the word goes on into the next one.
                    let end = b + (!m.word >> b).trailing_zeros() as usize;
                    if end >= len {
                        break;
                    }
                    word(start, base + end);
                    open = None;
                    b = end;
                }
                None => {
                    let rest = m.word >> b;
                    if rest == 0 {
                        break;
                    }
                    b += rest.trailing_zeros() as usize;
                    open = Some(base + b);
                }
            }
        }
    }
    if let Some(start) = open {
        word(start, v.len());
    }
    counts
}

#[inline(always)]
fn masks(chunk: &[u8]) -> Masks {
    let mut padded = [0u8; 64];
    let bytes: &[u8; 64] = match <&[u8; 64]>::try_from(chunk) {
        Ok(full) => full,
        Err(_) => {
            let n = chunk.len().min(64);
            padded[..n].copy_from_slice(&chunk[..n]);
            &padded
        }
    };
    let mut m = masks64(bytes);
    // Padding is zero bytes, which match no class; this only guards the contract.
    if chunk.len() < 64 {
        let keep = (1u64 << chunk.len()) - 1;
        m.word &= keep;
        m.digit &= keep;
        m.upper &= keep;
    }
    m
}

#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn masks64(bytes: &[u8; 64]) -> Masks {
    use safe_arch::{
        bitand_m128i, bitor_m128i, cmp_eq_mask_i8_m128i, cmp_gt_mask_i8_m128i,
        cmp_lt_mask_i8_m128i, load_unaligned_m128i, m128i, move_mask_i8_m128i, set_splat_i8_m128i,
        zeroed_m128i,
    };
    let splat = |b: u8| set_splat_i8_m128i(b as i8);
    // Signed compares: bytes of 0x80 and above are negative, so they fall in no ASCII range.
    let between = |v: m128i, lo: u8, hi: u8| {
        bitand_m128i(
            cmp_gt_mask_i8_m128i(v, splat(lo - 1)),
            cmp_lt_mask_i8_m128i(v, splat(hi + 1)),
        )
    };
    let mut m = Masks {
        word: 0,
        digit: 0,
        upper: 0,
    };
    for (lane, part) in bytes.chunks_exact(16).enumerate() {
        let Ok(part) = <&[u8; 16]>::try_from(part) else {
            continue;
        };
        let v = load_unaligned_m128i(part);
        let digit = between(v, b'0', b'9');
        let upper = between(v, b'A', b'Z');
        let lower = between(v, b'a', b'z');
        let high = cmp_lt_mask_i8_m128i(v, zeroed_m128i());
        let mut word = bitor_m128i(bitor_m128i(digit, upper), bitor_m128i(lower, high));
        for p in [b'@', b'.', b'_', b'+', b'%', b'-'] {
            word = bitor_m128i(word, cmp_eq_mask_i8_m128i(v, splat(p)));
        }
        // movemask puts 16 bits in an i32's low half; the cast keeps exactly those.
        let shift = lane * 16;
        let bits = |x: m128i| u64::from(move_mask_i8_m128i(x) as u16) << shift;
        m.word |= bits(word);
        m.digit |= bits(digit);
        m.upper |= bits(upper);
    }
    m
}

/// Portable fallback for other architectures.
#[cfg(not(target_arch = "x86_64"))]
fn masks64(bytes: &[u8; 64]) -> Masks {
    let mut m = Masks {
        word: 0,
        digit: 0,
        upper: 0,
    };
    for (i, &b) in bytes.iter().enumerate() {
        m.word |= u64::from(is_word_byte(b)) << i;
        m.digit |= u64::from(b.is_ascii_digit()) << i;
        m.upper |= u64::from(b.is_ascii_uppercase()) << i;
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The byte-at-a-time loop this module replaced, kept as the reference.
    fn reference(v: &[u8]) -> (Vec<(usize, usize)>, Counts) {
        let mut spans = Vec::new();
        let mut i = 0;
        while i < v.len() {
            if !is_word_byte(v[i]) {
                i += 1;
                continue;
            }
            let s = i;
            while i < v.len() && is_word_byte(v[i]) {
                i += 1;
            }
            spans.push((s, i));
        }
        let mut digit_cluster = 0;
        let mut cluster = 0;
        let mut last: Option<usize> = None;
        for (i, b) in v.iter().enumerate() {
            if b.is_ascii_digit() {
                cluster = match last {
                    Some(l) if i - l - 1 <= CLUSTER_GAP => cluster + 1,
                    _ => 1,
                };
                last = Some(i);
                digit_cluster = digit_cluster.max(cluster);
            }
        }
        let counts = Counts {
            capitals: v.iter().filter(|b| b.is_ascii_uppercase()).count(),
            digit_cluster,
        };
        (spans, counts)
    }

    fn found(v: &[u8]) -> (Vec<(usize, usize)>, Counts) {
        let mut spans = Vec::new();
        let counts = words(v, |s, e| spans.push((s, e)));
        (spans, counts)
    }

    #[test]
    fn masks_classify_every_byte_like_the_scalar_tests() {
        let all: Vec<u8> = (0..=255u8).collect();
        for chunk in all.chunks(64) {
            let m = masks(chunk);
            for (i, &b) in chunk.iter().enumerate() {
                assert_eq!(m.word >> i & 1 == 1, is_word_byte(b), "word {b:#x}");
                assert_eq!(m.digit >> i & 1 == 1, b.is_ascii_digit(), "digit {b:#x}");
                assert_eq!(
                    m.upper >> i & 1 == 1,
                    b.is_ascii_uppercase(),
                    "upper {b:#x}"
                );
            }
        }
    }

    #[test]
    fn words_across_chunk_boundaries() {
        for len in [0, 1, 63, 64, 65, 127, 128, 129, 200] {
            let all_word = vec![b'a'; len];
            assert_eq!(found(&all_word), reference(&all_word), "{len}");
            let none = vec![b' '; len];
            assert_eq!(found(&none), reference(&none), "{len}");
        }
        let mut v = vec![b' '; 130];
        v[60..70].fill(b'x'); // spans the first boundary
        v[127] = b'Q'; // ends exactly at the second
        v[128] = b'7';
        assert_eq!(found(&v), reference(&v));
        // Digits zero, one and two bytes apart across the boundary at 64, then three.
        let mut v = vec![b' '; 80];
        for at in [58, 60, 63, 64, 66, 70, 71, 72] {
            v[at] = b'5';
        }
        assert_eq!(found(&v).1.digit_cluster, 5);
        assert_eq!(found(&v), reference(&v));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn agrees_with_the_byte_loop(v in proptest::collection::vec(
            prop_oneof![
                Just(b' '), Just(b'\t'), Just(b','), Just(b'"'), Just(b'@'), Just(b'.'),
                Just(b'-'), b'0'..=b'9', b'A'..=b'Z', b'a'..=b'z', 0x80u8..=0xff, any::<u8>(),
            ],
            0..300,
        )) {
            prop_assert_eq!(found(&v), reference(&v));
        }
    }
}
