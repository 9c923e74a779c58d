//! The typed errors of FF1. None of them carries a numeral, a tweak byte or key material: only
//! sizes and positions, so an error message can be logged without leaking the value it was about.

use thiserror::Error;

/// Why an FF1 call was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Ff1Error {
    /// AES keys are 16, 24 or 32 bytes.
    #[error("FF1 key must be 16, 24 or 32 bytes long, got {len} bytes")]
    BadKeyLength {
        /// Length of the key that was given.
        len: usize,
    },
    /// SP 800-38G allows radixes 2 to 2^16 only.
    #[error("FF1 radix {radix} is outside 2..=65536")]
    BadRadix {
        /// The radix that was given.
        radix: u32,
    },
    /// SP 800-38G Rev. 1 requires radix^length ≥ 1,000,000 (and length ≥ 2).
    #[error("FF1 input of {len} numerals in radix {radix} is too short: radix^len must be at least 1,000,000")]
    TooShort {
        /// The radix of the input.
        radix: u32,
        /// The number of numerals.
        len: usize,
    },
    /// The length is encoded in four bytes of the PRF input, so it must be below 2^32.
    #[error("FF1 input of {len} numerals is too long: at most 2^32 - 1 are allowed")]
    TooLong {
        /// The number of numerals.
        len: usize,
    },
    /// The tweak length is encoded in four bytes of the PRF input, so it must be below 2^32.
    #[error("FF1 tweak of {len} bytes is too long: at most 2^32 - 1 are allowed")]
    TweakTooLong {
        /// The tweak length.
        len: usize,
    },
    /// A numeral is not below the radix. Only its position is reported, never its value.
    #[error("FF1 numeral at index {index} is not below the radix")]
    BadNumeral {
        /// Zero-based position of the first offending numeral.
        index: usize,
    },
    /// The output buffer of an `_into` call does not have the input's length.
    #[error("FF1 output buffer holds {got} numerals, {expected} are needed")]
    OutputLength {
        /// The input's length.
        expected: usize,
        /// The output buffer's length.
        got: usize,
    },
    /// An [`Ff1Prepared`](super::Ff1Prepared) was given an input of another length.
    #[error("FF1 context prepared for {prepared} numerals was given {got}")]
    PreparedLength {
        /// The length the context was prepared for.
        prepared: usize,
        /// The input's length.
        got: usize,
    },
    /// Cycle-walking from the smallest FF1 domain (2^20) to fewer than 1,000 values would take
    /// over a thousand encryptions per value and such a small domain is trivially enumerable.
    #[error("FF1 domain of {domain_size} values is too small: at least 1,000 are required")]
    DomainTooSmall {
        /// The domain size that was given.
        domain_size: u64,
    },
    /// The value given to a domain call is not below the domain size.
    #[error("value is outside the FF1 domain of {domain_size} values")]
    OutOfDomain {
        /// The domain size that was given.
        domain_size: u64,
    },
    /// A bit string given as an integer has bits above its length.
    #[error("value does not fit the {len}-bit FF1 string")]
    ValueTooWide {
        /// The string's length in bits.
        len: usize,
    },
}
