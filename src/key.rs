//! The master key and the per-domain subkeys derived from it.
//!
//! All randomness in understudy comes from here: transforms never touch a clock or a global RNG.
//! A *domain* (by default a column's qualified name) gets its own subkey, derived HKDF-style as
//! `HMAC-SHA256(master, "understudy/v1/" purpose 0x00 domain)`, so rules sharing a domain agree
//! (joins survive) and different domains are unrelated. Key bytes are zeroized on drop and never
//! printed; only a fingerprint (an HMAC of a fixed label) is ever shown.

use std::fmt;
use std::path::Path;

use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use zeroize::{Zeroize, Zeroizing};

use crate::error::{Error, ErrorKind, Where};

type HmacSha256 = Hmac<Sha256>;

/// Where the master key came from; the summary reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeySource {
    /// `UNDERSTUDY_KEY`.
    Environment,
    /// `--key-file`.
    File,
    /// Made up for this run: tokens will not match any other run's.
    Random,
}

/// The 32-byte master key. Never printed; zeroized on drop.
pub struct MasterKey {
    bytes: Zeroizing<[u8; 32]>,
    source: KeySource,
}

impl fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "MasterKey {{ fingerprint: {}, source: {:?} }}",
            self.fingerprint(),
            self.source
        )
    }
}

fn key_error(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::Key(message.into()), Where::default())
}

impl MasterKey {
    /// Uses the given bytes (for tests and embedding).
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        MasterKey {
            bytes: Zeroizing::new(bytes),
            source: KeySource::File,
        }
    }

    /// Parses key text: 64 hex digits, or base64 of at least 32 bytes. A string of only hex
    /// digits is always read as hex, so a hex key can never be mistaken for base64.
    pub fn parse(text: &str, source: KeySource) -> Result<Self, Error> {
        let text = text.trim();
        let mut raw: Zeroizing<Vec<u8>> = if !text.is_empty()
            && text.bytes().all(|b| b.is_ascii_hexdigit())
        {
            if text.len() != 64 {
                return Err(key_error(format!(
                    "a hex key must be 64 hex digits (32 bytes); this one has {} digits",
                    text.len()
                )));
            }
            Zeroizing::new(decode_hex(text).ok_or_else(|| key_error("the key is not valid hex"))?)
        } else {
            Zeroizing::new(
                base64::engine::general_purpose::STANDARD
                    .decode(text)
                    .or_else(|_| base64::engine::general_purpose::URL_SAFE.decode(text))
                    .map_err(|_| key_error("the key is neither 64 hex digits nor valid base64"))?,
            )
        };
        if raw.len() < 32 {
            return Err(key_error(format!(
                "the key must hold at least 32 bytes; this one holds {}",
                raw.len()
            )));
        }
        // Longer keys are compressed to 32 bytes by HMAC rather than truncated, so every byte counts.
        let mut bytes = [0u8; 32];
        if raw.len() == 32 {
            bytes.copy_from_slice(&raw);
        } else {
            bytes.copy_from_slice(&hmac(b"understudy/v1/long-key", &[&raw]));
        }
        raw.zeroize();
        Ok(MasterKey {
            bytes: Zeroizing::new(bytes),
            source,
        })
    }

    /// Reads the key from a file, refusing one that group or others can read.
    pub fn from_file(path: &Path) -> Result<Self, Error> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let meta = std::fs::metadata(path)
                .map_err(|e| Error::io(format!("reading key file {}", path.display()), e))?;
            let mode = meta.permissions().mode();
            if mode & 0o077 != 0 {
                return Err(key_error(format!(
                    "key file {} is readable or writable by group or others (mode {:o}); run `chmod 600 {}`",
                    path.display(),
                    mode & 0o777,
                    path.display()
                )));
            }
        }
        let text = Zeroizing::new(
            std::fs::read_to_string(path)
                .map_err(|e| Error::io(format!("reading key file {}", path.display()), e))?,
        );
        Self::parse(&text, KeySource::File)
    }

    /// A fresh random key for this run only.
    pub fn random() -> Result<Self, Error> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes)
            .map_err(|e| key_error(format!("the OS random source failed: {e}")))?;
        Ok(MasterKey {
            bytes: Zeroizing::new(bytes),
            source: KeySource::Random,
        })
    }

    /// Where the key came from.
    pub fn source(&self) -> KeySource {
        self.source
    }

    /// A short public fingerprint: the first 8 bytes of an HMAC of a fixed label, in hex.
    pub fn fingerprint(&self) -> String {
        let mac = hmac(&self.bytes[..], &[b"understudy/v1/fingerprint"]);
        mac[..8].iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Derives the subkey for `purpose` (e.g. `"hash"`, `"ff1"`) within `domain`.
    pub fn subkey(&self, purpose: &str, domain: &str) -> SubKey {
        let bytes = hmac(
            &self.bytes[..],
            &[
                b"understudy/v1/",
                purpose.as_bytes(),
                b"\0",
                domain.as_bytes(),
            ],
        );
        SubKey {
            bytes: Zeroizing::new(bytes),
        }
    }
}

/// A 32-byte key for one purpose within one domain. Never printed; zeroized on drop.
#[derive(Clone)]
pub struct SubKey {
    bytes: Zeroizing<[u8; 32]>,
}

impl fmt::Debug for SubKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SubKey(<redacted>)")
    }
}

impl SubKey {
    /// The key bytes, for building a cipher or MAC. Callers must not print them.
    pub fn expose(&self) -> &[u8; 32] {
        &self.bytes
    }
}

fn hmac(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    let mut mac =
        <HmacSha256 as KeyInit>::new_from_slice(key).expect("HMAC accepts any key length");
    for p in parts {
        mac.update(p);
    }
    mac.finalize().into_bytes().into()
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    let digits = text.as_bytes();
    digits
        .chunks(2)
        .map(|pair| {
            let hi = (pair[0] as char).to_digit(16)?;
            let lo = (pair.get(1).copied()? as char).to_digit(16)?;
            Some((hi * 16 + lo) as u8)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEX: &str = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

    #[test]
    fn parses_hex_and_base64_to_the_same_key() {
        let hex = MasterKey::parse(HEX, KeySource::Environment).unwrap();
        let b64 = base64::engine::general_purpose::STANDARD.encode(decode_hex(HEX).unwrap());
        let from_b64 = MasterKey::parse(&b64, KeySource::Environment).unwrap();
        assert_eq!(hex.fingerprint(), from_b64.fingerprint());
    }

    #[test]
    fn refuses_short_and_malformed_keys_without_echoing_them() {
        for bad in ["abcd", "zz", "", "c2hvcnQ="] {
            let err = MasterKey::parse(bad, KeySource::Environment)
                .unwrap_err()
                .to_string();
            assert!(err.contains("key"), "{err}");
            if !bad.is_empty() {
                assert!(!err.contains(bad), "error echoes the key: {err}");
            }
        }
    }

    #[test]
    fn subkeys_differ_by_domain_and_purpose_and_debug_hides_them() {
        let k = MasterKey::parse(HEX, KeySource::Environment).unwrap();
        let a = k.subkey("hash", "public.customers.email");
        let b = k.subkey("hash", "public.orders.email");
        let c = k.subkey("ff1", "public.customers.email");
        assert_ne!(a.expose(), b.expose());
        assert_ne!(a.expose(), c.expose());
        assert_eq!(
            a.expose(),
            k.subkey("hash", "public.customers.email").expose()
        );
        assert_eq!(format!("{a:?}"), "SubKey(<redacted>)");
        assert!(!format!("{k:?}").contains("0001020304"));
    }

    #[test]
    fn key_file_readable_by_others_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("understudy-key-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("key");
        std::fs::write(&path, HEX).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let err = MasterKey::from_file(&path).unwrap_err().to_string();
        assert!(err.contains("chmod 600"), "{err}");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert!(MasterKey::from_file(&path).is_ok());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
