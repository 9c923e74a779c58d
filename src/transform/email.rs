//! `email`: e-mail addresses whose local part is tokenized (format-preserving, see
//! [`super::format`]) and whose domain is kept, moved to a reserved domain, or tokenized.
//!
//! The local part's tweak includes the original domain, so `ann@a.com` and `ann@b.com` do not
//! share a token. Every mode is injective: the output domain determines the original domain
//! (kept, or decryptable), and the local part is a permutation given the domain.
//!
//! - `domain_mode = "keep"` (default): `ann.lee@corp.com` → `qrx.tvm@corp.com`.
//! - `"reserved"`: the domain is tokenized and put under the reserved `.example` TLD (RFC 2606),
//!   so no output can reach a real mailbox: `ann.lee@corp.com` → `qrx.tvm@wkfh.pqa.example`.
//!   The output is 8 characters longer: a value whose output does not fit `varchar(n)` is an
//!   error for that value.
//! - `"tokenize"`: the domain's labels are tokenized, the TLD kept: → `qrx.tvm@wkfh.com`.
//!
//! ```toml
//! email = { transform = "email", domain_mode = "reserved" }
//! ```
//!
//! A local part (or tokenized domain) with fewer than 1,000 possible values (`jo@...`) is an
//! error for that value: the rule's `on_error` applies. Reversible with `understudy reveal`.

use serde::Deserialize;

use super::format::{Classes, Dir, Fpe};
use super::{Applied, Bound, ColumnContext, RowContext, Transform, TransformError};

/// What happens to the part after the `@`.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum DomainMode {
    /// Keep the domain as it is.
    #[default]
    Keep,
    /// Tokenize the domain and append the reserved `.example` TLD.
    Reserved,
    /// Tokenize the domain's labels, keeping the top-level domain.
    Tokenize,
}

/// Parameters of `email`.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq, Default)]
#[serde(deny_unknown_fields)]
pub struct Email {
    /// Key domain (a key domain, not a mail domain). Defaults to the column's qualified name.
    #[serde(default)]
    pub domain: Option<String>,
    /// `"keep"` (default), `"reserved"` or `"tokenize"`: what happens to the mail domain.
    #[serde(default)]
    pub domain_mode: DomainMode,
}

/// The reserved TLD that `"reserved"` appends.
const RESERVED: &[u8] = b".example";

impl Email {
    /// Checks the column holds text and builds the transform.
    pub fn build(&self, ctx: &ColumnContext<'_>) -> Result<EmailTransform, String> {
        let ty = ctx.require_type("email")?;
        if ty.array_dims > 0 || !ty.kind.is_textual() {
            return Err(format!(
                "`email` keeps addresses as text, which does not fit type `{}`",
                ty.sql
            ));
        }
        Ok(EmailTransform {
            fpe: Fpe::new(&ctx.subkey("email", self.domain.as_deref())),
            mode: self.domain_mode,
            max_len: ty.max_len.map(|n| n as usize),
        })
    }

    /// Binds the rule to a column.
    pub fn bind(&self, ctx: &ColumnContext<'_>) -> Result<Bound, String> {
        Ok(Bound::Apply(Box::new(self.build(ctx)?)))
    }
}

/// `email` bound to a domain key.
#[derive(Debug)]
pub struct EmailTransform {
    fpe: Fpe,
    mode: DomainMode,
    max_len: Option<usize>,
}

fn not_an_email() -> TransformError {
    TransformError("value is not an e-mail address (local@domain)".into())
}

impl EmailTransform {
    fn run(&self, dir: Dir, input: &[u8], out: &mut Vec<u8>) -> Result<(), TransformError> {
        let at = input
            .iter()
            .rposition(|&b| b == b'@')
            .ok_or_else(not_an_email)?;
        let (local, mail_domain) = (&input[..at], &input[at + 1..]);
        if local.is_empty() || mail_domain.is_empty() {
            return Err(not_an_email());
        }
        let start = out.len();
        let result = self.write(dir, local, mail_domain, out);
        match result {
            Ok(()) if self.max_len.is_some_and(|max| out.len() - start > max) => {
                out.truncate(start);
                Err(TransformError(
                    "the e-mail address with its reserved domain does not fit the column".into(),
                ))
            }
            Ok(()) => Ok(()),
            Err(e) => {
                out.truncate(start);
                Err(e)
            }
        }
    }

    fn write(
        &self,
        dir: Dir,
        local: &[u8],
        mail_domain: &[u8],
        out: &mut Vec<u8>,
    ) -> Result<(), TransformError> {
        // (the original mail domain, the mail domain to write): when revealing, the original
        // is the decrypted one and is also what gets written.
        let (original, written) = match (self.mode, dir) {
            (DomainMode::Keep, _) => (mail_domain.to_vec(), mail_domain.to_vec()),
            (DomainMode::Reserved, Dir::Encrypt) => {
                let mut token = mail_domain.to_vec();
                self.fpe.run(dir, &mut token, Classes::ALNUM, b"reserved")?;
                token.extend_from_slice(RESERVED);
                (mail_domain.to_vec(), token)
            }
            (DomainMode::Reserved, Dir::Decrypt) => {
                let mut plain = mail_domain
                    .strip_suffix(RESERVED)
                    .ok_or_else(not_an_email)?
                    .to_vec();
                self.fpe.run(dir, &mut plain, Classes::ALNUM, b"reserved")?;
                (plain.clone(), plain)
            }
            (DomainMode::Tokenize, _) => {
                let dot = mail_domain
                    .iter()
                    .rposition(|&b| b == b'.')
                    .filter(|&d| d > 0)
                    .ok_or_else(not_an_email)?;
                let mut other = mail_domain.to_vec();
                let (labels, tld) = other.split_at_mut(dot);
                self.fpe.run(dir, labels, Classes::ALNUM, tld)?;
                match dir {
                    Dir::Encrypt => (mail_domain.to_vec(), other),
                    Dir::Decrypt => (other.clone(), other),
                }
            }
        };
        let start = out.len();
        out.extend_from_slice(local);
        let mut context = Vec::with_capacity(original.len() + 6);
        context.extend_from_slice(b"local\0");
        context.extend_from_slice(&original);
        self.fpe
            .run(dir, &mut out[start..], Classes::ALNUM, &context)?;
        out.push(b'@');
        out.extend_from_slice(&written);
        Ok(())
    }

    /// Turns a pseudonymous address back into the original.
    pub fn reveal(&self, token: &[u8], out: &mut Vec<u8>) -> Result<(), TransformError> {
        self.run(Dir::Decrypt, token, out)
    }
}

impl Transform for EmailTransform {
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
