//! `noise`: adds bounded keyed noise to numbers — `additive = "10"` (at most ±10) or
//! `relative = 0.05` (at most ±5 % of the value).
//!
//! The offset comes from HMAC(domain subkey, value) — or of the `per` entity's value, so one
//! entity's numbers move together — so repeated dumps give the same noise and cannot be averaged
//! out. Exact decimal arithmetic at the column's scale: integer columns stay integers, and the
//! result is clamped to the typmod so the restore never fails. Noise may be zero for a value.

use serde::Deserialize;

use super::keyed::{scaled128, word, Keyed};
use super::numeric::{is_special, parse_decimal, pow10, rescale_floor, write_scaled, Dec, NumSpec};
use super::{Applied, Bound, ColumnContext, RowContext, Transform, TransformError};

/// Parameters of `noise`.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Noise {
    /// Largest absolute change, in the column's units (`"10"`, `"0.50"`).
    #[serde(default)]
    pub additive: Option<Dec>,
    /// Largest change as a fraction of the value (`0.05` = 5 %).
    #[serde(default)]
    pub relative: Option<Dec>,
    /// The column whose value keys the noise (one entity's values move together); default: the
    /// value itself.
    #[serde(default)]
    pub per: Option<String>,
    /// Key domain; default: the column's qualified name.
    #[serde(default)]
    pub domain: Option<String>,
}

#[derive(Debug, Clone, Copy)]
enum Amount {
    /// Units at the column's scale.
    Additive(i128),
    /// Numerator over 10^scale.
    Relative(i128, u32),
}

impl Noise {
    pub fn entity_column(&self) -> Option<&str> {
        self.per.as_deref()
    }

    pub fn bind(&self, ctx: &ColumnContext<'_>) -> Result<Bound, String> {
        let ty = ctx.require_type("noise")?;
        let params_scale = self.additive.as_ref().map_or(0, Dec::scale);
        let spec = NumSpec::of(ty, "noise", params_scale)?;
        let amount = match (&self.additive, &self.relative) {
            (Some(a), None) => {
                let a = spec.param("additive", &a.0)?;
                if a <= 0 || a > i128::from(u64::MAX / 4) {
                    return Err("`additive` must be positive and below 2^62 units".into());
                }
                Amount::Additive(a)
            }
            (None, Some(r)) => {
                let (v, s) = parse_decimal(r.0.trim().as_bytes())
                    .filter(|(v, s)| *v > 0 && *v <= pow10(*s))
                    .ok_or("`relative` must be a fraction in (0, 1], like 0.05")?;
                Amount::Relative(v, s)
            }
            _ => return Err("`noise` needs exactly one of `additive` or `relative`".into()),
        };
        Ok(Bound::Apply(Box::new(NoiseTransform {
            keyed: Keyed::new(ctx, "noise", self.domain.as_deref()),
            spec,
            amount,
        })))
    }
}

#[derive(Debug)]
struct NoiseTransform {
    keyed: Keyed,
    spec: NumSpec,
    amount: Amount,
}

impl Transform for NoiseTransform {
    fn apply(
        &self,
        input: &[u8],
        ctx: &RowContext<'_>,
        out: &mut Vec<u8>,
    ) -> Result<Applied, TransformError> {
        if is_special(input) {
            out.extend_from_slice(input);
            return Ok(Applied::Value);
        }
        let unreadable = || TransformError("a value is not a number `noise` can read".into());
        // Unconstrained columns keep each value's own scale (at least the parameter's).
        let (v, scale) = if self.spec.bounded {
            (
                self.spec.parse(input).ok_or_else(unreadable)?,
                self.spec.scale,
            )
        } else {
            let (v, s) = parse_decimal(input).ok_or_else(unreadable)?;
            let scale = s.max(self.spec.scale);
            (rescale_floor(v, s, scale).ok_or_else(unreadable)?, scale)
        };
        let a = match self.amount {
            Amount::Additive(a) => {
                rescale_floor(a, self.spec.scale, scale).ok_or_else(unreadable)?
            }
            Amount::Relative(num, s) => (v.unsigned_abs() as i128)
                .checked_mul(num)
                .map(|x| x / pow10(s))
                .ok_or_else(unreadable)?,
        };
        let d = self.keyed.digest(ctx.entity.unwrap_or(input));
        let offset = scaled128(2 * a as u128 + 1, word(&d, 0)) as i128 - a;
        let noisy = (v + offset).clamp(self.spec.lo, self.spec.hi);
        write_scaled(noisy, scale, out);
        Ok(Applied::Value)
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{bind, try_bind, value};
    use proptest::prelude::*;

    #[test]
    fn table() {
        let t = bind(r#"transform = "noise", additive = "10""#, "integer");
        let v: i64 = value(&*t, "100").parse().unwrap();
        assert!((90..=110).contains(&v));
        let t = bind(r#"transform = "noise", relative = 0.05"#, "numeric(12,2)");
        let v = value(&*t, "200.00");
        assert!(
            v.ends_with(|c: char| c.is_ascii_digit()) && v.len() == 6,
            "{v}"
        );
        let t = bind(r#"transform = "noise", additive = "1000""#, "smallint");
        let v: i64 = value(&*t, "32767").parse().unwrap();
        assert!(v <= 32767);
        for bad in [
            r#"transform = "noise""#,
            r#"transform = "noise", additive = "0.5""#,
            r#"transform = "noise", relative = 2.0"#,
        ] {
            assert!(try_bind(bad, "integer", 1).is_err(), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn bounded_deterministic_and_keyed(v in -100_000_000_i64..100_000_000) {
            let input = format!("{}.{:02}", v / 100, (v % 100).abs());
            let input = if v < 0 && v > -100 { format!("-{input}") } else { input };
            let t = bind(r#"transform = "noise", additive = "5.00""#, "numeric(12,2)");
            let out = value(&*t, &input);
            prop_assert_eq!(&out, &value(&*t, &input));
            let (a, b): (f64, f64) = (input.parse().unwrap(), out.parse().unwrap());
            prop_assert!((a - b).abs() <= 5.0 + 1e-9);
            prop_assert_eq!(out.split('.').nth(1).map(str::len), Some(2));
        }
    }
}
