//! Exact decimal arithmetic for the number transforms (`bucket`, `noise`, `generalize`).
//!
//! A number is an `i128` count of `10^-scale` units: `numeric(12,2)`'s `1234.5` is `123450` at
//! scale 2. Never `f64`: a `numeric` must come back with exactly the digits PostgreSQL accepts,
//! and a bound computed here must be the bound the typmod enforces. What does not fit 38 digits
//! is refused, never rounded silently.

use crate::dump::schema::{ColumnType, TypeKind};

/// Appends `v` in decimal (`integer_id`'s ids, `ip`'s octets and netmasks).
pub(crate) fn write_u64(mut v: u64, out: &mut Vec<u8>) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[i..]);
}

/// `10^n` (n ≤ 38).
pub(crate) fn pow10(n: u32) -> i128 {
    10i128.pow(n)
}

/// Parses a plain decimal (`-12.340`, `+5`, `.5`) into (units, its own scale). `None` for
/// anything else, including exponents and more than 38 digits.
pub(crate) fn parse_decimal(s: &[u8]) -> Option<(i128, u32)> {
    let (neg, digits) = match s.first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let mut v: i128 = 0;
    let mut scale = 0u32;
    let mut seen_point = false;
    let mut n = 0usize;
    for &b in digits {
        match b {
            b'0'..=b'9' => {
                v = v.checked_mul(10)?.checked_add(i128::from(b - b'0'))?;
                n += 1;
                if seen_point {
                    scale += 1;
                }
            }
            b'.' if !seen_point => seen_point = true,
            _ => return None,
        }
    }
    if n == 0 || n > 38 {
        return None;
    }
    Some((if neg { -v } else { v }, scale))
}

/// Re-expresses `v` (at scale `from`) at scale `to`, flooring dropped digits toward -∞.
pub(crate) fn rescale_floor(v: i128, from: u32, to: u32) -> Option<i128> {
    if to >= from {
        v.checked_mul(pow10(to - from))
    } else {
        Some(v.div_euclid(pow10(from - to)))
    }
}

/// Appends `v` at `scale` as PostgreSQL prints it: `-0.05`, `50.00`, `7`.
pub(crate) fn write_scaled(v: i128, scale: u32, out: &mut Vec<u8>) {
    let mut buf = [0u8; 48];
    let mut i = buf.len();
    let neg = v < 0;
    // Digits come from u64 arithmetic when they can: a u128 division is a library call, and
    // this runs once per output digit on the hot path of `bucket` and `noise`.
    let mut m = v.unsigned_abs();
    let mut small = u64::try_from(m).ok();
    let mut written = 0u32;
    loop {
        i -= 1;
        let digit = match &mut small {
            Some(s) => {
                let d = *s % 10;
                *s /= 10;
                m = u128::from(*s);
                d as u8
            }
            None => {
                let d = (m % 10) as u8;
                m /= 10;
                small = u64::try_from(m).ok();
                d
            }
        };
        buf[i] = b'0' + digit;
        written += 1;
        if written == scale {
            i -= 1;
            buf[i] = b'.';
        }
        if m == 0 && written > scale {
            break;
        }
    }
    if neg {
        i -= 1;
        buf[i] = b'-';
    }
    out.extend_from_slice(&buf[i..]);
}

/// Strips what `money` output adds (`$`, thousands separators, `(...)` for negatives) so the
/// rest parses as a decimal. Money is written back as a plain number, which every lc_monetary
/// accepts.
fn strip_money<'a>(s: &[u8], buf: &'a mut [u8; 64]) -> Option<&'a [u8]> {
    let mut n = 0;
    let neg = s.first() == Some(&b'(') || s.contains(&b'-');
    if neg {
        buf[0] = b'-';
        n = 1;
    }
    for &b in s {
        if b.is_ascii_digit() || b == b'.' {
            *buf.get_mut(n)? = b;
            n += 1;
        }
    }
    Some(&buf[..n])
}

/// What a number column admits: its scale and the typmod's bounds, in units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NumSpec {
    pub kind: TypeKind,
    /// Digits after the point in this column's values (and in outputs).
    pub scale: u32,
    /// Smallest and largest value the column accepts, in units.
    pub lo: i128,
    pub hi: i128,
    /// Whether `lo..=hi` is a real typmod bound (not a text column or unconstrained numeric).
    pub bounded: bool,
}

/// Bound for columns without a typmod: 37 digits leave room for arithmetic.
const UNBOUNDED: i128 = 10i128.pow(37) - 1;

impl NumSpec {
    /// The spec of a number column; `params_scale` is used where the type does not fix one
    /// (unconstrained `numeric`, text columns holding numbers).
    pub fn of(ty: &ColumnType, transform: &str, params_scale: u32) -> Result<NumSpec, String> {
        let int = |lo: i128, hi: i128| NumSpec {
            kind: ty.kind,
            scale: 0,
            lo,
            hi,
            bounded: true,
        };
        Ok(match ty.kind {
            TypeKind::SmallInt => int(i16::MIN.into(), i16::MAX.into()),
            TypeKind::Integer => int(i32::MIN.into(), i32::MAX.into()),
            TypeKind::BigInt => int(i64::MIN.into(), i64::MAX.into()),
            TypeKind::Money => NumSpec {
                kind: ty.kind,
                scale: 2,
                lo: i64::MIN.into(),
                hi: i64::MAX.into(),
                bounded: true,
            },
            TypeKind::Numeric => match (ty.precision, ty.scale.or_else(|| (!ty.sql.contains(",-")).then_some(0))) {
                (Some(p), Some(s)) if p <= 37 && s <= p => NumSpec {
                    kind: ty.kind,
                    scale: s,
                    lo: -(pow10(p) - 1),
                    hi: pow10(p) - 1,
                    bounded: true,
                },
                (Some(p), Some(_)) if p > 37 => {
                    return Err(format!(
                        "`{transform}` handles numeric precision up to 37 digits, not `{}`",
                        ty.sql
                    ))
                }
                (None, _) => NumSpec {
                    kind: ty.kind,
                    scale: params_scale,
                    lo: -UNBOUNDED,
                    hi: UNBOUNDED,
                    bounded: false,
                },
                _ => {
                    return Err(format!(
                        "`{transform}` does not handle `{}` (negative scale)",
                        ty.sql
                    ))
                }
            },
            k if k.is_textual() => NumSpec {
                kind: ty.kind,
                scale: params_scale,
                lo: -UNBOUNDED,
                hi: UNBOUNDED,
                bounded: false,
            },
            _ => {
                return Err(format!(
                    "`{transform}` works on integer, numeric and money columns (or text holding numbers), not `{}`",
                    ty.sql
                ))
            }
        })
    }

    /// Parses one value into units at this spec's scale (extra digits floored). `None` when it
    /// is not a number this column can hold.
    pub fn parse(&self, s: &[u8]) -> Option<i128> {
        let mut buf = [0u8; 64];
        let s = if self.kind == TypeKind::Money {
            strip_money(s, &mut buf)?
        } else {
            s
        };
        let (v, scale) = parse_decimal(s)?;
        rescale_floor(v, scale, self.scale)
    }

    /// Parses a policy parameter, refusing more decimals than the column keeps.
    pub fn param(&self, name: &str, text: &str) -> Result<i128, String> {
        let (v, scale) = parse_decimal(text.trim().as_bytes())
            .ok_or_else(|| format!("`{name}` must be a decimal number, like \"10\" or \"0.5\""))?;
        if scale > self.scale {
            return Err(format!(
                "`{name}` has {scale} decimals but the column keeps {}",
                self.scale
            ));
        }
        rescale_floor(v, scale, self.scale).ok_or_else(|| format!("`{name}` is too large"))
    }

    /// Whether `v` fits the typmod.
    pub fn fits(&self, v: i128) -> bool {
        (self.lo..=self.hi).contains(&v)
    }

    pub fn write(&self, v: i128, out: &mut Vec<u8>) {
        write_scaled(v, self.scale, out);
    }
}

/// Whether a numeric value is one of PostgreSQL's special values, which carry no magnitude and
/// pass unchanged.
pub(crate) fn is_special(s: &[u8]) -> bool {
    matches!(s, b"NaN" | b"Infinity" | b"-Infinity")
}

/// The scale a decimal parameter is written with (`"0.25"` → 2).
pub(crate) fn text_scale(text: &str) -> u32 {
    parse_decimal(text.trim().as_bytes()).map_or(0, |(_, s)| s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_write_round_trip() {
        for (text, scale, units, back) in [
            ("12.34", 2, 1234, "12.34"),
            ("-0.05", 2, -5, "-0.05"),
            ("7", 2, 700, "7.00"),
            ("-1.239", 2, -124, "-1.24"),
            ("0", 0, 0, "0"),
            (".5", 1, 5, "0.5"),
        ] {
            let (v, s) = parse_decimal(text.as_bytes()).unwrap();
            let v = rescale_floor(v, s, scale).unwrap();
            assert_eq!(v, units, "{text}");
            let mut out = Vec::new();
            write_scaled(v, scale, &mut out);
            assert_eq!(String::from_utf8(out).unwrap(), back, "{text}");
        }
        for bad in ["", "-", "1e5", "1.2.3", "abc", "1 2"] {
            assert!(parse_decimal(bad.as_bytes()).is_none(), "{bad}");
        }
    }

    #[test]
    fn money_output_parses() {
        let spec = NumSpec {
            kind: TypeKind::Money,
            scale: 2,
            lo: i64::MIN.into(),
            hi: i64::MAX.into(),
            bounded: true,
        };
        assert_eq!(spec.parse(b"$1,234.56"), Some(123456));
        assert_eq!(spec.parse(b"-$1.50"), Some(-150));
        assert_eq!(spec.parse(b"($1.50)"), Some(-150));
    }
}

/// A decimal policy parameter, written as a string (`"10.5"`, exact) or a TOML number.
/// Floats are read through their shortest decimal form (`0.05` → `"0.05"`), never used as `f64`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dec(pub String);

impl<'de> serde::Deserialize<'de> for Dec {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Dec;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a decimal number, as a string (\"10.5\") or a number")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Dec, E> {
                Ok(Dec(v.to_owned()))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Dec, E> {
                Ok(Dec(v.to_string()))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Dec, E> {
                Ok(Dec(v.to_string()))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Dec, E> {
                if !v.is_finite() {
                    return Err(E::custom("a finite number"));
                }
                let s = format!("{v}");
                if s.contains('e') {
                    return Err(E::custom("write the number as a string, like \"0.000001\""));
                }
                Ok(Dec(s))
            }
        }
        d.deserialize_any(V)
    }
}

impl Dec {
    pub fn scale(&self) -> u32 {
        text_scale(&self.0)
    }
}
