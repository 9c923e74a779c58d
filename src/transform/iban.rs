//! `iban`: International Bank Account Numbers with the country kept, the BBAN (the national
//! part) tokenized position by position (digits stay digits, letters stay letters) and the two
//! check digits recomputed (ISO 13616 mod-97), so the output is a valid IBAN of the same country
//! and length. Spaces stay where they were.
//!
//! ```toml
//! iban = { transform = "iban" }     # "DE89 3704 0044 0532 0130 00" → "DE31 8127 5563 0904 4817 27"
//! ```
//!
//! Injective over valid IBANs: the BBAN is a permutation given the country, and the check digits
//! are determined by the rest. Values that are not valid IBANs (15–34 characters, failing the
//! mod-97 check) are an error for that value; the rule's `on_error` applies.

use serde::Deserialize;

use super::format::{Classes, Dir, Fpe};
use super::{Applied, Bound, ColumnContext, RowContext, Transform, TransformError};

/// Parameters of `iban`.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq, Default)]
#[serde(deny_unknown_fields)]
pub struct Iban {
    /// Key domain. Defaults to the column's qualified name.
    #[serde(default)]
    pub domain: Option<String>,
}

impl Iban {
    /// Checks the column holds text and builds the transform.
    pub fn build(&self, ctx: &ColumnContext<'_>) -> Result<IbanTransform, String> {
        let ty = ctx.require_type("iban")?;
        if ty.array_dims > 0 || !ty.kind.is_textual() {
            return Err(format!(
                "`iban` keeps IBANs as text, which does not fit type `{}`",
                ty.sql
            ));
        }
        Ok(IbanTransform {
            fpe: Fpe::new(&ctx.subkey("iban", self.domain.as_deref())),
        })
    }

    /// Binds the rule to a column.
    pub fn bind(&self, ctx: &ColumnContext<'_>) -> Result<Bound, String> {
        Ok(Bound::Apply(Box::new(self.build(ctx)?)))
    }
}

/// `iban` bound to a domain key.
#[derive(Debug)]
pub struct IbanTransform {
    fpe: Fpe,
}

fn not_an_iban() -> TransformError {
    TransformError("value is not a valid IBAN".into())
}

/// Folds characters into a mod-97 remainder (letters count as 10..=35, as ISO 13616 says).
fn mod97(r: u32, chars: impl Iterator<Item = u8>) -> u32 {
    chars.fold(r, |r, b| match b {
        b'0'..=b'9' => (r * 10 + u32::from(b - b'0')) % 97,
        _ => (r * 100 + u32::from(b.to_ascii_uppercase() - b'A') + 10) % 97,
    })
}

/// The IBAN's remainder: BBAN, then country and check digits, mod 97 (1 when valid).
fn remainder(alnum: &[u8]) -> u32 {
    mod97(
        mod97(0, alnum[4..].iter().copied()),
        alnum[..4].iter().copied(),
    )
}

impl IbanTransform {
    fn run(&self, dir: Dir, input: &[u8], out: &mut Vec<u8>) -> Result<(), TransformError> {
        let mut alnum = [0u8; 34];
        let mut n = 0;
        // Byte indexes of the check digits and of the start of the BBAN.
        let mut check_at = [0usize; 2];
        let mut bban_at = input.len();
        for (i, &b) in input.iter().enumerate() {
            match b {
                b' ' => continue,
                b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z' if n < 34 => {
                    let ok = match n {
                        0 | 1 => b.is_ascii_uppercase(),
                        2 | 3 => b.is_ascii_digit(),
                        _ => true,
                    };
                    if !ok {
                        return Err(not_an_iban());
                    }
                    if n == 2 || n == 3 {
                        check_at[n - 2] = i;
                    }
                    if n == 4 {
                        bban_at = i;
                    }
                    alnum[n] = b;
                    n += 1;
                }
                _ => return Err(not_an_iban()),
            }
        }
        if n < 15 || remainder(&alnum[..n]) != 1 {
            return Err(not_an_iban());
        }
        let start = out.len();
        out.extend_from_slice(input);
        let value = &mut out[start..];
        let country = [value[0], value[1]];
        if let Err(e) = self
            .fpe
            .run(dir, &mut value[bban_at..], Classes::ALNUM, &country)
        {
            out.truncate(start);
            return Err(e);
        }
        let value = &mut out[start..];
        value[check_at[0]] = b'0';
        value[check_at[1]] = b'0';
        let chars: Vec<u8> = value.iter().copied().filter(|&b| b != b' ').collect();
        let check = 98 - remainder(&chars);
        value[check_at[0]] = b'0' + (check / 10) as u8;
        value[check_at[1]] = b'0' + (check % 10) as u8;
        Ok(())
    }

    /// Turns a pseudonymous IBAN back into the original.
    pub fn reveal(&self, token: &[u8], out: &mut Vec<u8>) -> Result<(), TransformError> {
        self.run(Dir::Decrypt, token, out)
    }
}

impl Transform for IbanTransform {
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
