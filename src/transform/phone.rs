//! `phone`: telephone numbers with their country code and formatting kept and the subscriber
//! digits tokenized (FF1 in radix 10; the kept part and the layout are the tweak).
//!
//! The country code is read after a leading `+` or `00` using the ITU-T E.164 code lengths
//! (1 for `1` and `7`, 2 for the 2-digit codes, 3 otherwise); a national number's leading trunk
//! `0` is kept too. `keep_digits` keeps that many more digits (an area code). Everything that is
//! not a digit — spaces, brackets, hyphens, `ext.` — stays where it is.
//!
//! ```toml
//! phone = { transform = "phone" }                    # "+44 20 7946 0958" → "+44 61 3088 2741"
//! phone = { transform = "phone", keep_digits = 3 }   # "+1 (415) 555-0100" → "+1 (415) 803-2956"
//! ```
//!
//! Fewer than three tokenized digits (under 1,000 possible values) is an error for that value.

use serde::Deserialize;

use super::format::{tweak_bytes, Classes, Dir, Fpe};
use super::{Applied, Bound, ColumnContext, RowContext, Transform, TransformError};

/// Parameters of `phone`.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq, Default)]
#[serde(deny_unknown_fields)]
pub struct Phone {
    /// Key domain. Defaults to the column's qualified name.
    #[serde(default)]
    pub domain: Option<String>,
    /// How many digits after the country code (or trunk `0`) to keep as well, e.g. an area
    /// code. Default 0.
    #[serde(default)]
    pub keep_digits: usize,
}

impl Phone {
    /// Checks the column holds text and builds the transform.
    pub fn build(&self, ctx: &ColumnContext<'_>) -> Result<PhoneTransform, String> {
        let ty = ctx.require_type("phone")?;
        if ty.array_dims > 0 || !ty.kind.is_textual() {
            return Err(format!(
                "`phone` keeps the number's formatting as text, which does not fit type `{}`",
                ty.sql
            ));
        }
        Ok(PhoneTransform {
            fpe: Fpe::new(&ctx.subkey("phone", self.domain.as_deref())),
            keep_digits: self.keep_digits,
        })
    }

    /// Binds the rule to a column.
    pub fn bind(&self, ctx: &ColumnContext<'_>) -> Result<Bound, String> {
        Ok(Bound::Apply(Box::new(self.build(ctx)?)))
    }
}

/// `phone` bound to a domain key.
#[derive(Debug)]
pub struct PhoneTransform {
    fpe: Fpe,
    keep_digits: usize,
}

/// Two-digit E.164 country codes; `1` and `7` are the one-digit ones, all others have three.
const TWO_DIGIT: &[u8] = &[
    20, 27, 30, 31, 32, 33, 34, 36, 39, 40, 41, 43, 44, 45, 46, 47, 48, 49, 51, 52, 53, 54, 55, 56,
    57, 58, 60, 61, 62, 63, 64, 65, 66, 81, 82, 84, 86, 90, 91, 92, 93, 94, 95, 98,
];

/// The length of the country code starting with digits `a`, `b`.
fn country_code_len(a: u8, b: Option<u8>) -> usize {
    if a == 1 || a == 7 {
        1
    } else if b.is_some_and(|b| TWO_DIGIT.contains(&(a * 10 + b))) {
        2
    } else {
        3
    }
}

impl PhoneTransform {
    /// How many leading digits are kept: international prefix, country code or trunk 0, then
    /// `keep_digits`.
    fn kept_digits(&self, input: &[u8]) -> usize {
        let trimmed = input.trim_ascii_start();
        let mut first = [0u8; 4];
        let mut n = 0;
        for b in trimmed.iter().filter(|b| b.is_ascii_digit()).take(4) {
            first[n] = b - b'0';
            n += 1;
        }
        let digits = &first[..n];
        let fixed = if trimmed.first() == Some(&b'+') {
            digits
                .first()
                .map_or(0, |&a| country_code_len(a, digits.get(1).copied()))
        } else if trimmed.starts_with(b"00") {
            digits
                .get(2)
                .map_or(2, |&a| 2 + country_code_len(a, digits.get(3).copied()))
        } else {
            usize::from(digits.first() == Some(&0))
        };
        fixed + self.keep_digits
    }

    /// The byte index just after the last kept digit.
    fn split(&self, input: &[u8]) -> usize {
        let keep = self.kept_digits(input);
        let mut split = 0;
        let mut seen = 0;
        for (i, b) in input.iter().enumerate() {
            if seen == keep {
                break;
            }
            if b.is_ascii_digit() {
                seen += 1;
            }
            split = i + 1;
        }
        split
    }

    fn run(&self, dir: Dir, input: &[u8], out: &mut Vec<u8>) -> Result<(), TransformError> {
        let split = self.split(input);
        let start = out.len();
        out.extend_from_slice(input);
        let (kept, rest) = out[start..].split_at_mut(split);
        let result = self.fpe.run(dir, rest, Classes::DIGITS, kept);
        if result.is_err() {
            out.truncate(start);
        }
        result
    }

    /// Turns a pseudonymous number back into the original.
    pub fn reveal(&self, token: &[u8], out: &mut Vec<u8>) -> Result<(), TransformError> {
        self.run(Dir::Decrypt, token, out)
    }
}

impl Transform for PhoneTransform {
    fn apply(
        &self,
        input: &[u8],
        _ctx: &RowContext<'_>,
        out: &mut Vec<u8>,
    ) -> Result<Applied, TransformError> {
        self.run(Dir::Encrypt, input, out)?;
        Ok(Applied::Value)
    }

    fn batches(&self) -> bool {
        true
    }

    /// A number's tweak is its kept part and the layout of the rest (`format::tweak_bytes`),
    /// so numbers written alike (`+1-NNN-555-NNNN`) share one: they are grouped by tweak and
    /// each group's digits are encrypted eight numbers at a time under one prepared FF1
    /// context — exactly what [`PhoneTransform::run`] computes one number at a time.
    fn apply_batch(
        &self,
        inputs: &[&[u8]],
        out: &mut Vec<u8>,
        ends: &mut Vec<usize>,
    ) -> Option<()> {
        // Every number's tweak, end to end; per number its range there and its split.
        let mut tweaks: Vec<u8> = Vec::new();
        let mut items: Vec<(std::ops::Range<usize>, usize, usize)> = Vec::new();
        for (i, input) in inputs.iter().enumerate() {
            let split = self.split(input);
            let start = tweaks.len();
            tweaks.extend(tweak_bytes(
                &input[..split],
                &input[split..],
                Classes::DIGITS,
            ));
            items.push((start..tweaks.len(), split, i));
        }
        items.sort_unstable_by(|a, b| {
            tweaks[a.0.clone()]
                .cmp(&tweaks[b.0.clone()])
                .then(a.2.cmp(&b.2))
        });
        // The outputs, written over copies of the inputs, in input order.
        let mut written: Vec<u8> = inputs.concat();
        let mut at = Vec::with_capacity(inputs.len() + 1);
        at.push(0);
        for input in inputs {
            at.push(at[at.len() - 1] + input.len());
        }
        let mut nums: Vec<u16> = Vec::new();
        for group in items.chunk_by(|a, b| tweaks[a.0.clone()] == tweaks[b.0.clone()]) {
            let tweak = &tweaks[group[0].0.clone()];
            nums.clear();
            for &(_, split, i) in group {
                let rest = &inputs[i][split..];
                nums.extend(
                    rest.iter()
                        .filter(|b| b.is_ascii_digit())
                        .map(|&b| u16::from(b - b'0')),
                );
            }
            let len = nums.len() / group.len();
            self.fpe.single_radix_many(tweak, 10, len, &mut nums).ok()?;
            let mut next = nums.iter();
            for &(_, split, i) in group {
                for b in &mut written[at[i] + split..at[i + 1]] {
                    if b.is_ascii_digit() {
                        *b = b'0' + *next.next()? as u8;
                    }
                }
            }
        }
        for i in 0..inputs.len() {
            out.extend_from_slice(&written[at[i]..at[i + 1]]);
            ends.push(out.len());
        }
        Some(())
    }
}
