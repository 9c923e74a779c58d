//! `card_number`: payment card numbers (PANs) that stay Luhn-valid, keep their length, their
//! issuer prefix (the first 6 digits, the BIN) and optionally their last 4 digits.
//!
//! The digits between the kept ones are encrypted with FF1 (radix 10, the kept digits and the
//! layout as tweak); one digit — the check digit, or with `keep_last4` the digit just before the
//! last four — is then recomputed so the result passes the Luhn check. Over Luhn-valid inputs
//! this is injective: the recomputed digit was determined by the others in the input too.
//! Spaces and hyphens stay where they were. Inputs that are not 12–19 digit Luhn-valid numbers
//! are an error for that value (the rule's `on_error` applies), as are numbers too short to leave
//! 1,000 possible values (a 13-digit PAN with `keep_last4`).
//!
//! ```toml
//! pan = { transform = "card_number" }                      # 4111 1111 1111 1111 → 4111 1148 2396 0713
//! pan_display = { transform = "card_number", keep_last4 = true }
//! ```

use serde::Deserialize;

use super::format::{Dir, Fpe};
use super::{Applied, Bound, ColumnContext, RowContext, Transform, TransformError};

/// Parameters of `card_number`.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq, Default)]
#[serde(deny_unknown_fields)]
pub struct CardNumber {
    /// Key domain. Defaults to the column's qualified name.
    #[serde(default)]
    pub domain: Option<String>,
    /// Also keep the last four digits (as printed on receipts); fewer digits are encrypted.
    #[serde(default)]
    pub keep_last4: bool,
}

/// The issuer identification number: always kept.
const PREFIX: usize = 6;

impl CardNumber {
    /// Checks the column is text wide enough and builds the transform.
    pub fn build(&self, ctx: &ColumnContext<'_>) -> Result<CardNumberTransform, String> {
        let ty = ctx.require_type("card_number")?;
        if ty.array_dims > 0 || !ty.kind.is_textual() {
            return Err(format!(
                "`card_number` keeps card numbers as text, which does not fit type `{}`",
                ty.sql
            ));
        }
        Ok(CardNumberTransform {
            fpe: Fpe::new(&ctx.subkey("card_number", self.domain.as_deref())),
            keep_last4: self.keep_last4,
        })
    }

    /// Binds the rule to a column.
    pub fn bind(&self, ctx: &ColumnContext<'_>) -> Result<Bound, String> {
        Ok(Bound::Apply(Box::new(self.build(ctx)?)))
    }
}

/// `card_number` bound to a domain key.
#[derive(Debug)]
pub struct CardNumberTransform {
    fpe: Fpe,
    keep_last4: bool,
}

/// Whether the digits pass the Luhn check.
pub fn luhn_valid(digits: &[u8]) -> bool {
    luhn_sum(digits) % 10 == 0
}

fn luhn_sum(digits: &[u8]) -> u32 {
    digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            let d = u32::from(d);
            if i % 2 == 1 {
                if d * 2 > 9 {
                    d * 2 - 9
                } else {
                    d * 2
                }
            } else {
                d
            }
        })
        .sum()
}

fn not_a_card() -> TransformError {
    TransformError("value is not a Luhn-valid card number of 12 to 19 digits".into())
}

impl CardNumberTransform {
    fn run(&self, dir: Dir, input: &[u8], out: &mut Vec<u8>) -> Result<(), TransformError> {
        if input.len() > 32 {
            return Err(not_a_card());
        }
        let mut digits = [0u8; 19];
        let mut n = 0;
        for &b in input {
            match b {
                b'0'..=b'9' if n < 19 => {
                    digits[n] = b - b'0';
                    n += 1;
                }
                b' ' | b'-' => {}
                _ => return Err(not_a_card()),
            }
        }
        let digits = &mut digits[..n];
        if n < 12 || !luhn_valid(digits) {
            return Err(not_a_card());
        }
        // The digit recomputed for Luhn, and the encrypted run before it.
        let fixer = if self.keep_last4 { n - 5 } else { n - 1 };
        if fixer <= PREFIX {
            return Err(super::format::too_short());
        }
        let mut tweak = [0u8; 64];
        let mut t = 0;
        for &b in input {
            // The layout with digits masked, the prefix and the kept tail.
            tweak[t] = if b.is_ascii_digit() { b'9' } else { b };
            t += 1;
        }
        tweak[t] = 0xff;
        t += 1;
        for &d in digits[..PREFIX].iter().chain(&digits[fixer + 1..]) {
            tweak[t] = d;
            t += 1;
        }
        tweak[t] = u8::from(self.keep_last4);
        t += 1;
        let mut middle = [0u16; 19];
        let m = fixer - PREFIX;
        for (slot, &d) in middle.iter_mut().zip(&digits[PREFIX..fixer]) {
            *slot = u16::from(d);
        }
        self.fpe
            .single_radix(dir, &tweak[..t], 10, &mut middle[..m])?;
        for (d, &v) in digits[PREFIX..fixer].iter_mut().zip(&middle[..m]) {
            *d = v as u8;
        }
        // The weight of the fixer position is a bijection on 0..=9, so exactly one digit works.
        for x in 0..10 {
            digits[fixer] = x;
            if luhn_valid(digits) {
                break;
            }
        }
        let mut i = 0;
        for &b in input {
            if b.is_ascii_digit() {
                out.push(b'0' + digits[i]);
                i += 1;
            } else {
                out.push(b);
            }
        }
        Ok(())
    }

    /// Turns a token back into the original card number.
    pub fn reveal(&self, token: &[u8], out: &mut Vec<u8>) -> Result<(), TransformError> {
        self.run(Dir::Decrypt, token, out)
    }
}

impl Transform for CardNumberTransform {
    fn apply(
        &self,
        input: &[u8],
        _ctx: &RowContext<'_>,
        out: &mut Vec<u8>,
    ) -> Result<Applied, TransformError> {
        self.run(Dir::Encrypt, input, out)?;
        Ok(Applied::Value)
    }
}
