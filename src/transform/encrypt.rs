//! `encrypt`: deterministic authenticated encryption (AES-256-GCM-SIV), base64url without
//! padding.
//!
//! The key is the domain subkey and the nonce is fixed per domain (derived from the key and the
//! domain). GCM-SIV is built for exactly this: reusing a nonce reveals only whether two
//! plaintexts are equal, so equal inputs still join and nothing else leaks. The output is
//! ciphertext then tag, 16 bytes longer than the input, about 4/3 of that as base64url text. The
//! tag makes the token tamper-evident: `understudy reveal` refuses a modified token.
//!
//! ```toml
//! national_id = { transform = "encrypt" }     # "AB123456" → "cmT0o3...": a 32-character token
//! ```
//!
//! A `varchar(n)`/`char(n)` column with n < 64 is refused at bind time (an encrypted value of 31
//! bytes already needs 63 characters); a value whose token does not fit the column is an error
//! for that value (the rule's `on_error` applies).

use aes_gcm_siv::aead::{Aead, KeyInit};
use aes_gcm_siv::{Aes256GcmSiv, Nonce};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde::Deserialize;

use super::{Applied, Bound, ColumnContext, RowContext, Transform, TransformError};
use crate::dump::schema::TypeKind;

/// The narrowest `varchar(n)`/`char(n)` that `encrypt` accepts.
pub const MIN_COLUMN_LEN: u32 = 64;

/// Parameters of `encrypt`.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq, Default)]
#[serde(deny_unknown_fields)]
pub struct Encrypt {
    /// Key domain: equal inputs in the same domain give equal tokens. Defaults to the column's
    /// qualified name.
    #[serde(default)]
    pub domain: Option<String>,
}

impl Encrypt {
    /// Checks the column can hold tokens and builds the cipher.
    pub fn build(&self, ctx: &ColumnContext<'_>) -> Result<EncryptTransform, String> {
        let ty = ctx.require_type("encrypt")?;
        if ty.array_dims > 0 || !ty.kind.is_textual() {
            return Err(format!(
                "`encrypt` writes base64url text, which does not fit type `{}`",
                ty.sql
            ));
        }
        if let Some(n) = ty.max_len {
            if n < MIN_COLUMN_LEN {
                return Err(format!(
                    "`encrypt` tokens are 16 bytes longer than the value, as base64url; `{}` holds {n} characters, fewer than the {MIN_COLUMN_LEN} required; use `tokenize` to keep the length",
                    ty.sql
                ));
            }
        }
        let subkey = ctx.subkey("encrypt", self.domain.as_deref());
        let nonce_key = ctx.subkey("encrypt-nonce", self.domain.as_deref());
        let mut nonce = [0u8; 12];
        nonce.copy_from_slice(&nonce_key.expose()[..12]);
        let cipher = Aes256GcmSiv::new_from_slice(subkey.expose())
            .map_err(|_| "a subkey is 32 bytes, a valid AES-256 key".to_string())?;
        Ok(EncryptTransform {
            cipher,
            nonce: Nonce::from(nonce),
            max_len: ty.max_len.map(|n| n as usize),
            pad_char: ty.kind == TypeKind::Char,
        })
    }

    /// Binds the rule to a column.
    pub fn bind(&self, ctx: &ColumnContext<'_>) -> Result<Bound, String> {
        Ok(Bound::Apply(Box::new(self.build(ctx)?)))
    }
}

/// `encrypt` bound to a domain key.
pub struct EncryptTransform {
    cipher: Aes256GcmSiv,
    nonce: Nonce,
    max_len: Option<usize>,
    /// `char(n)` pads with spaces, which reveal strips (base64url has none).
    pad_char: bool,
}

impl std::fmt::Debug for EncryptTransform {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "EncryptTransform {{ max_len: {:?} }}", self.max_len)
    }
}

impl EncryptTransform {
    /// Decrypts a token; fails when it was not made with this key and domain or was modified.
    pub fn reveal(&self, token: &[u8], out: &mut Vec<u8>) -> Result<(), TransformError> {
        let token = if self.pad_char {
            token.trim_ascii_end()
        } else {
            token
        };
        let sealed = URL_SAFE_NO_PAD
            .decode(token.trim_ascii())
            .map_err(|_| TransformError("token is not base64url".into()))?;
        let plain = self
            .cipher
            .decrypt(&self.nonce, sealed.as_slice())
            .map_err(|_| {
                TransformError(
                    "token does not decrypt with this key and domain (wrong key, wrong domain, or modified)"
                        .into(),
                )
            })?;
        out.extend_from_slice(&plain);
        Ok(())
    }
}

impl Transform for EncryptTransform {
    fn apply(
        &self,
        input: &[u8],
        _ctx: &RowContext<'_>,
        out: &mut Vec<u8>,
    ) -> Result<Applied, TransformError> {
        // Unpadded base64 of the ciphertext and its 16-byte tag.
        let token_len = (4 * (input.len() + 16)).div_ceil(3);
        if let Some(max) = self.max_len {
            if token_len > max {
                return Err(TransformError(format!(
                    "the encrypted token ({token_len} characters) does not fit the column ({max})"
                )));
            }
        }
        let sealed = self
            .cipher
            .encrypt(&self.nonce, input)
            .map_err(|_| TransformError("value too long to encrypt".into()))?;
        let start = out.len();
        out.resize(start + token_len, 0);
        let written = URL_SAFE_NO_PAD
            .encode_slice(&sealed, &mut out[start..])
            .map_err(|_| TransformError("internal: token length mismatch".into()))?;
        out.truncate(start + written);
        Ok(Applied::Value)
    }
}
