//! `bucket`: numbers to the bucket they fall in — fixed `width`, explicit `boundaries`, or
//! logarithmic `log_base` — written as the bucket's `lower` bound, its `mid`dle, or a `label`.
//!
//! Exact decimal arithmetic at the column's scale ([`super::numeric`]), so `numeric(12,2)` gets
//! `50.00`. Binding refuses a policy whose largest or smallest bucket value would not fit the
//! column's typmod (`numeric(p,s)`; on integer and money columns the outermost buckets are cut
//! at the type's range instead); optional `min`/`max` clamp values first (top and bottom coding), which is
//! also how to make such a policy fit. `label` writes text (`[50,60)`), so it is only valid on
//! text columns; numeric columns always get a number back.

use serde::Deserialize;

use super::numeric::{is_special, Dec, NumSpec};
use super::{Applied, Bound, ColumnContext, RowContext, Transform, TransformError};
use crate::dump::schema::TypeKind;

/// Parameters of `bucket`.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Bucket {
    /// Fixed bucket width: `[0,10)`, `[10,20)`, ... (and below zero alike).
    #[serde(default)]
    pub width: Option<Dec>,
    /// Increasing bucket starts. Values below the first join the first bucket; the last one
    /// starts an open top bucket.
    #[serde(default)]
    pub boundaries: Option<Vec<Dec>>,
    /// Buckets `[b^k, b^(k+1))` by magnitude (sign kept; `[0,1)` for magnitudes below one).
    #[serde(default)]
    pub log_base: Option<u32>,
    /// `lower` (default), `mid` (rounded down to the column's scale) or `label` (text columns).
    #[serde(default)]
    pub output: Option<Output>,
    /// Values below are treated as this (bottom coding).
    #[serde(default)]
    pub min: Option<Dec>,
    /// Values above are treated as this (top coding).
    #[serde(default)]
    pub max: Option<Dec>,
}

/// What a bucket is written as.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Output {
    #[default]
    Lower,
    Mid,
    Label,
}

/// How values are split into buckets, in units at the column's scale.
#[derive(Debug, Clone)]
pub(crate) enum Buckets {
    Width(i128),
    Bounds(Vec<i128>),
    /// Base, and the unit `1` at the column's scale.
    Log(i128, i128),
}

impl Buckets {
    /// The bucket of `v` as `(lower, upper)` (no upper for an open top bucket); for negative
    /// values of log buckets, the magnitudes' bucket and `true`.
    fn range(&self, v: i128) -> (i128, Option<i128>, bool) {
        match self {
            Buckets::Width(w) => {
                // i64 division where it fits: i128 division is a library call.
                let lo = match (i64::try_from(v), i64::try_from(*w)) {
                    (Ok(v), Ok(w)) => i128::from(v.div_euclid(w)) * i128::from(w),
                    _ => v.div_euclid(*w) * w,
                };
                (lo, Some(lo + w), false)
            }
            Buckets::Bounds(b) => {
                let i = b.partition_point(|&x| x <= v).max(1) - 1;
                (b[i], b.get(i + 1).copied(), false)
            }
            Buckets::Log(base, one) => {
                let m = v.unsigned_abs() as i128;
                if m < *one {
                    return (0, Some(*one), v < 0);
                }
                let mut p = *one;
                while let Some(next) = p.checked_mul(*base).filter(|&n| n <= m) {
                    p = next;
                }
                (p, p.checked_mul(*base), v < 0)
            }
        }
    }
}

/// A bound bucketing: shared by `bucket` and `generalize` (numbers).
#[derive(Debug)]
pub(crate) struct Engine {
    pub spec: NumSpec,
    pub buckets: Buckets,
    pub output: Output,
    pub min: Option<i128>,
    pub max: Option<i128>,
    /// Largest output length for text columns (`varchar(n)`).
    pub max_len: Option<usize>,
}

impl Engine {
    /// The number written for `v` (lower or mid). On integer and money columns a bucket that
    /// reaches past the type's storage range is cut at it (those ranges are not a typmod a
    /// policy chose, and refusing every `width` on `integer` would help nobody).
    fn number(&self, v: i128) -> i128 {
        let (lo, hi, neg) = self.buckets.range(v);
        let n = match (self.output, hi) {
            (Output::Mid, Some(hi)) => lo + (hi - lo) / 2,
            _ => lo,
        };
        let n = if neg { -n } else { n };
        if self.spec.kind == TypeKind::Numeric {
            n
        } else {
            n.clamp(self.spec.lo, self.spec.hi)
        }
    }

    fn clamp(&self, v: i128) -> i128 {
        let v = self.min.map_or(v, |m| v.max(m));
        self.max.map_or(v, |m| v.min(m))
    }

    fn write(&self, v: i128, out: &mut Vec<u8>) {
        let v = self.clamp(v);
        if self.output != Output::Label {
            return self.spec.write(self.number(v), out);
        }
        let (lo, hi, neg) = self.buckets.range(v);
        if neg {
            // (-upper, -lower]: the same magnitudes, mirrored.
            out.push(b'(');
            match hi {
                Some(hi) => self.spec.write(-hi, out),
                None => out.push(b'-'),
            }
            out.push(b',');
            self.spec.write(-lo, out);
            out.push(b']');
        } else {
            out.push(b'[');
            self.spec.write(lo, out);
            out.push(b',');
            if let Some(hi) = hi {
                self.spec.write(hi, out);
            }
            out.push(b')');
        }
    }

    /// Checks that every output fits the column: outputs are monotone in the input, so the
    /// two ends of the (clamped) input range give the extremes.
    pub fn check_fits(&self, transform: &str) -> Result<(), String> {
        let lo = self.clamp(self.spec.lo);
        let hi = self.clamp(self.spec.hi);
        if self.spec.bounded && self.output != Output::Label {
            for v in [lo, hi] {
                let n = self.number(v);
                if !self.spec.fits(n) {
                    return Err(format!(
                        "`{transform}`: a bucket value ({}) would not fit the column's type; set `min`/`max` to the range the values really have (top/bottom coding)",
                        { let mut o = Vec::new(); self.spec.write(n, &mut o); String::from_utf8_lossy(&o).into_owned() }
                    ));
                }
            }
        }
        Ok(())
    }

    /// Builds the engine for a column from the mode and clamps.
    pub fn new(
        ctx: &ColumnContext<'_>,
        transform: &str,
        mode: Mode<'_>,
        output: Output,
        min: Option<&Dec>,
        max: Option<&Dec>,
    ) -> Result<Engine, String> {
        let ty = ctx.require_type(transform)?;
        let params_scale = match &mode {
            Mode::Width(w) => w.scale(),
            Mode::Bounds(b) => b.iter().map(Dec::scale).max().unwrap_or(0),
            Mode::Log(_) => 0,
        }
        .max(min.map_or(0, Dec::scale))
        .max(max.map_or(0, Dec::scale));
        let spec = NumSpec::of(ty, transform, params_scale)?;
        if output == Output::Label && !ty.kind.is_textual() {
            return Err(format!(
                "`output = \"label\"` writes text, which a `{}` column cannot hold; use \"lower\" or \"mid\"",
                ty.sql
            ));
        }
        let buckets = match mode {
            Mode::Width(w) => {
                let w = spec.param("width", &w.0)?;
                if w <= 0 {
                    return Err("`width` must be positive".into());
                }
                Buckets::Width(w)
            }
            Mode::Bounds(b) => {
                let b = b
                    .iter()
                    .map(|d| spec.param("boundaries", &d.0))
                    .collect::<Result<Vec<_>, _>>()?;
                if b.is_empty() || b.windows(2).any(|w| w[0] >= w[1]) {
                    return Err("`boundaries` must be a non-empty, strictly increasing list".into());
                }
                Buckets::Bounds(b)
            }
            Mode::Log(base) => {
                if base < 2 {
                    return Err("`log_base` must be a whole number of at least 2".into());
                }
                Buckets::Log(i128::from(base), super::numeric::pow10(spec.scale))
            }
        };
        let min = min.map(|d| spec.param("min", &d.0)).transpose()?;
        let max = max.map(|d| spec.param("max", &d.0)).transpose()?;
        if let (Some(a), Some(b)) = (min, max) {
            if a > b {
                return Err("`min` is above `max`".into());
            }
        }
        let engine = Engine {
            spec,
            buckets,
            output,
            min,
            max,
            max_len: ty.max_len.map(|n| n as usize),
        };
        engine.check_fits(transform)?;
        Ok(engine)
    }
}

/// The bucketing mode a rule chose.
pub(crate) enum Mode<'a> {
    Width(&'a Dec),
    Bounds(&'a [Dec]),
    Log(u32),
}

impl Bucket {
    pub fn bind(&self, ctx: &ColumnContext<'_>) -> Result<Bound, String> {
        let mode = match (&self.width, &self.boundaries, self.log_base) {
            (Some(w), None, None) => Mode::Width(w),
            (None, Some(b), None) => Mode::Bounds(b),
            (None, None, Some(l)) => Mode::Log(l),
            _ => {
                return Err(
                    "`bucket` needs exactly one of `width`, `boundaries` or `log_base`".into(),
                )
            }
        };
        let engine = Engine::new(
            ctx,
            "bucket",
            mode,
            self.output.unwrap_or_default(),
            self.min.as_ref(),
            self.max.as_ref(),
        )?;
        Ok(Bound::Apply(Box::new(engine)))
    }
}

impl Transform for Engine {
    fn apply(
        &self,
        input: &[u8],
        _ctx: &RowContext<'_>,
        out: &mut Vec<u8>,
    ) -> Result<Applied, TransformError> {
        if is_special(input) {
            out.extend_from_slice(input);
            return Ok(Applied::Value);
        }
        let v = self.spec.parse(input).ok_or_else(|| {
            TransformError("a value is not a number this transform can read".into())
        })?;
        let start = out.len();
        self.write(v, out);
        if self.max_len.is_some_and(|n| out.len() - start > n) {
            return Err(TransformError(
                "a bucket label is longer than the column allows".into(),
            ));
        }
        Ok(Applied::Value)
    }
}

#[cfg(test)]
#[path = "bucket_tests.rs"]
mod tests;
