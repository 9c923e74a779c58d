//! `ip`: IPv4 and IPv6 addresses (`inet`, `cidr` or text) permuted by FF1 in radix 2 over the
//! bits below a kept prefix. The output is a valid address of the same family with the same
//! netmask; distinct inputs stay distinct (nothing is dropped, so the rule may sit on a UNIQUE
//! column).
//!
//! `keep_prefix` bits of an IPv4 address and `keep_prefix_v6` bits of an IPv6 address are kept
//! (so a /16 stays in its /16). In a `cidr` column only the network bits are encrypted, since the
//! host bits must stay zero. Fewer than 10 encrypted bits (1,024 values) is refused: at bind time
//! when the prefix leaves too few, and for a `cidr` value whose mask leaves too few, as an error
//! for that value (the rule's `on_error` applies).
//!
//! ```toml
//! client_ip = { transform = "ip" }                                   # 203.0.113.7 → 61.94.201.18
//! client_ip = { transform = "ip", keep_prefix = 16, keep_prefix_v6 = 48 }
//! ```

use std::net::{Ipv4Addr, Ipv6Addr};

use serde::Deserialize;

use super::format::{Dir, Fpe};
use super::numeric::write_u64;
use super::{Applied, Bound, ColumnContext, RowContext, Transform, TransformError};
use crate::dump::schema::TypeKind;

/// Parameters of `ip`.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq, Default)]
#[serde(deny_unknown_fields)]
pub struct Ip {
    /// Key domain. Defaults to the column's qualified name.
    #[serde(default)]
    pub domain: Option<String>,
    /// Leading bits of an IPv4 address kept unchanged (0–22). Default 0.
    #[serde(default)]
    pub keep_prefix: u32,
    /// Leading bits of an IPv6 address kept unchanged (0–118). Default 0.
    #[serde(default)]
    pub keep_prefix_v6: u32,
}

/// The fewest bits worth encrypting: 2^10 = 1,024 values.
const MIN_BITS: u32 = 10;
/// Spans of at least this many bits are plain FF1 (2^20 ≥ FF1's minimum domain of a
/// million); shorter ones are cycle-walked by `single_radix`.
const FF1_BITS: usize = 20;

impl Ip {
    /// Checks the column type and the prefixes and builds the transform.
    pub fn build(&self, ctx: &ColumnContext<'_>) -> Result<IpTransform, String> {
        let ty = ctx.require_type("ip")?;
        let ok = matches!(ty.kind, TypeKind::Inet | TypeKind::Cidr)
            || (ty.kind.is_textual() && ty.max_len.is_none_or(|n| n >= 43));
        if ty.array_dims > 0 || !ok {
            return Err(format!(
                "`ip` writes IP addresses, which do not fit type `{}` (use inet, cidr, text or varchar(43+))",
                ty.sql
            ));
        }
        for (name, keep, width) in [
            ("keep_prefix", self.keep_prefix, 32),
            ("keep_prefix_v6", self.keep_prefix_v6, 128),
        ] {
            if keep + MIN_BITS > width {
                return Err(format!(
                    "`ip`: `{name} = {keep}` leaves fewer than {MIN_BITS} of {width} bits to encrypt (at most {} allowed)",
                    width - MIN_BITS
                ));
            }
        }
        Ok(IpTransform {
            fpe: Fpe::new(&ctx.subkey("ip", self.domain.as_deref())),
            keep_v4: self.keep_prefix,
            keep_v6: self.keep_prefix_v6,
            cidr: ty.kind == TypeKind::Cidr,
        })
    }

    /// Binds the rule to a column.
    pub fn bind(&self, ctx: &ColumnContext<'_>) -> Result<Bound, String> {
        Ok(Bound::Apply(Box::new(self.build(ctx)?)))
    }
}

/// `ip` bound to a domain key.
#[derive(Debug)]
pub struct IpTransform {
    fpe: Fpe,
    keep_v4: u32,
    keep_v6: u32,
    cidr: bool,
}

fn not_an_ip() -> TransformError {
    TransformError("value is not an IPv4 or IPv6 address (with an optional /mask)".into())
}

impl IpTransform {
    fn run(&self, dir: Dir, input: &[u8], out: &mut Vec<u8>) -> Result<(), TransformError> {
        let text = std::str::from_utf8(input).map_err(|_| not_an_ip())?;
        let (addr, mask) = match text.split_once('/') {
            Some((a, m)) => (a, Some(m.parse::<u32>().map_err(|_| not_an_ip())?)),
            None => (text, None),
        };
        let (value, width, keep, v6) = if let Ok(a) = addr.parse::<Ipv4Addr>() {
            (u128::from(u32::from(a)), 32, self.keep_v4, false)
        } else if let Ok(a) = addr.parse::<Ipv6Addr>() {
            (u128::from(a), 128, self.keep_v6, true)
        } else {
            return Err(not_an_ip());
        };
        if mask.is_some_and(|m| m > width) {
            return Err(not_an_ip());
        }
        // Bits [keep, end) counted from the most significant bit are encrypted.
        let end = if self.cidr {
            mask.unwrap_or(width)
        } else {
            width
        };
        if end < keep + MIN_BITS {
            return Err(super::format::too_short());
        }
        let h = (end - keep) as usize;
        let shift = width - end;
        let span_mask = if h == 128 {
            u128::MAX
        } else {
            ((1u128 << h) - 1) << shift
        };
        let prefix = if keep == 0 {
            0
        } else {
            value >> (width - keep)
        };
        let tweak = tweak(v6, keep, end, prefix);
        let span = (value & span_mask) >> shift;
        let encrypted = if h >= FF1_BITS {
            // The same FF1 as on the span's bits as numerals, without converting each bit.
            self.fpe.binary(dir, &tweak, h, span)?
        } else {
            let mut bits = [0u16; FF1_BITS];
            for (i, bit) in bits[..h].iter_mut().enumerate() {
                *bit = ((span >> (h - 1 - i)) & 1) as u16;
            }
            self.fpe.single_radix(dir, &tweak, 2, &mut bits[..h])?;
            bits[..h]
                .iter()
                .fold(0u128, |acc, &b| (acc << 1) | u128::from(b))
        } << shift;
        let result = (value & !span_mask) | encrypted;
        if v6 {
            out.extend_from_slice(Ipv6Addr::from(result).to_string().as_bytes());
        } else {
            write_v4(result as u32, out);
        }
        if let Some(m) = mask {
            out.push(b'/');
            write_u64(u64::from(m), out);
        }
        Ok(())
    }

    /// Turns a pseudonymous address back into the original.
    pub fn reveal(&self, token: &[u8], out: &mut Vec<u8>) -> Result<(), TransformError> {
        self.run(Dir::Decrypt, token, out)
    }
}

/// The FF1 tweak of an address: family, kept prefix length, end of the encrypted span, and the
/// kept prefix itself (public anyway: it is written out as it was).
fn tweak(v6: bool, keep: u32, end: u32, prefix: u128) -> [u8; 19] {
    let mut tweak = [0u8; 19];
    tweak[0] = u8::from(v6);
    tweak[1] = keep as u8;
    tweak[2] = end as u8;
    tweak[3..].copy_from_slice(&prefix.to_be_bytes());
    tweak
}

/// An IPv4 address as PostgreSQL writes one (`inet`/`cidr` output: four octets in decimal
/// without leading zeros, then `/mask` when the mask is not the whole address), read by hand;
/// `None` for anything else, which [`IpTransform::run`] reads instead.
fn parse_v4(input: &[u8]) -> Option<(u32, Option<u32>)> {
    // At most 3 digits, no leading zero (std refuses them in an address; in the mask they
    // would be read alike, but the canonical form is all this needs to take).
    fn number(b: &[u8]) -> Option<u32> {
        if b.is_empty() || b.len() > 3 || (b.len() > 1 && b[0] == b'0') {
            return None;
        }
        b.iter().try_fold(0u32, |acc, &d| {
            d.is_ascii_digit().then(|| acc * 10 + u32::from(d - b'0'))
        })
    }
    let (addr, mask) = match input.iter().position(|&b| b == b'/') {
        Some(k) => (&input[..k], Some(number(&input[k + 1..])?)),
        None => (input, None),
    };
    let mut value = 0u32;
    let mut octets = 0;
    for part in addr.split(|&b| b == b'.') {
        let o = number(part).filter(|&o| o <= 255)?;
        value = (value << 8) | o;
        octets += 1;
    }
    (octets == 4).then_some((value, mask))
}

/// Dotted decimal, as `Ipv4Addr`'s `Display` writes it.
fn write_v4(addr: u32, out: &mut Vec<u8>) {
    for (i, o) in addr.to_be_bytes().into_iter().enumerate() {
        if i > 0 {
            out.push(b'.');
        }
        write_u64(u64::from(o), out);
    }
}

impl Transform for IpTransform {
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

    /// IPv4 addresses whose encrypted span is plain FF1 (20 to 32 bits) are grouped by tweak
    /// (kept prefix and netmask), and each group is permuted eight at a time under one
    /// prepared FF1 context, with the same results as [`IpTransform::run`]; any other value
    /// goes through `run` where it stands.
    fn apply_batch(
        &self,
        inputs: &[&[u8]],
        out: &mut Vec<u8>,
        ends: &mut Vec<usize>,
    ) -> Option<()> {
        // (tweak group, index, address, netmask as written) of the values taken in batches.
        let mut batched: Vec<(u64, usize, u32, Option<u32>)> = Vec::new();
        let mut spans: Vec<u64> = Vec::new();
        // Per input: the permuted address and the netmask to write after it.
        let mut results: Vec<Option<(u32, Option<u32>)>> = vec![None; inputs.len()];
        for (i, input) in inputs.iter().enumerate() {
            let Some((addr, mask)) = parse_v4(input) else {
                continue;
            };
            let end = if self.cidr { mask.unwrap_or(32) } else { 32 };
            if mask.is_some_and(|m| m > 32) || end < self.keep_v4 + FF1_BITS as u32 {
                continue;
            }
            // The group: the netmask and the kept prefix, which make the tweak.
            let prefix = if self.keep_v4 == 0 {
                0
            } else {
                addr >> (32 - self.keep_v4)
            };
            batched.push(((u64::from(end) << 32) | u64::from(prefix), i, addr, mask));
        }
        batched.sort_unstable_by_key(|&(group, i, _, _)| (group, i));
        for run in batched.chunk_by(|a, b| a.0 == b.0) {
            let (end, prefix) = ((run[0].0 >> 32) as u32, run[0].0 as u32);
            let h = end - self.keep_v4;
            let shift = 32 - end;
            let span_mask = (((1u64 << h) - 1) << shift) as u32;
            let tweak = tweak(false, self.keep_v4, end, u128::from(prefix));
            let domain = self.fpe.prepare_walk(&tweak, 1u64 << h).ok()?;
            spans.clear();
            spans.extend(
                run.iter()
                    .map(|&(_, _, a, _)| u64::from((a & span_mask) >> shift)),
            );
            // A domain of exactly 2^h values: one FF1 call per value, no cycle-walking, so
            // this is the FF1 that `run` computes bit string by bit string.
            self.fpe.encrypt_many_prepared(&domain, &mut spans).ok()?;
            for (&(_, i, a, m), &y) in run.iter().zip(&spans) {
                results[i] = Some(((a & !span_mask) | ((y as u32) << shift), m));
            }
        }
        for (input, result) in inputs.iter().zip(results) {
            match result {
                Some((addr, mask)) => {
                    write_v4(addr, out);
                    if let Some(m) = mask {
                        out.push(b'/');
                        write_u64(u64::from(m), out);
                    }
                }
                None => self.run(Dir::Encrypt, input, out).ok()?,
            }
            ends.push(out.len());
        }
        Some(())
    }
}
