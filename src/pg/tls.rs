//! TLS for understudy's own connections, with libpq's `sslmode` meanings (rustls, ring).
//!
//! | sslmode       | encrypts                       | checks the certificate                      |
//! |---------------|--------------------------------|---------------------------------------------|
//! | `disable`     | never                          | —                                           |
//! | `allow`, `prefer` (default) | when the server offers TLS | chain only if a root file is found |
//! | `require`     | always                         | chain only if a root file is found          |
//! | `verify-ca`   | always                         | chain to `sslrootcert`                      |
//! | `verify-full` | always                         | chain to `sslrootcert` and the host name    |
//!
//! The root file is `sslrootcert` (connection string), else `$PGSSLROOTCERT`, else
//! `~/.postgresql/root.crt` when it exists, as in libpq. Two deliberate differences from libpq:
//! `allow` is treated as `prefer` (tokio-postgres has no "plain first" mode), and a failed TLS
//! handshake under `prefer` is an error rather than a silent retry in plain text. Unix-socket
//! connections never use TLS (the server refuses it there; libpq does the same).
//!
//! What does not live here: parsing the rest of the connection string ([`super::conninfo`]).
//! `pg_dump` gets the user's string unchanged and applies the same settings through libpq.

use std::path::PathBuf;
use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use tokio_postgres_rustls::MakeRustlsConnect;

use crate::error::Error;

/// libpq's `sslmode` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SslMode {
    Disable,
    Allow,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

impl SslMode {
    /// Parses an `sslmode` value (the values are keywords, never secrets, so they may be printed).
    pub fn parse(text: &str) -> Result<SslMode, Error> {
        Ok(match text {
            "disable" => SslMode::Disable,
            "allow" => SslMode::Allow,
            "prefer" => SslMode::Prefer,
            "require" => SslMode::Require,
            "verify-ca" => SslMode::VerifyCa,
            "verify-full" => SslMode::VerifyFull,
            other => {
                return Err(conn_error(format!(
                    "invalid sslmode {other:?} (disable, allow, prefer, require, verify-ca or verify-full)"
                )))
            }
        })
    }

    /// The mode tokio-postgres negotiates with: it knows disable, prefer and require.
    pub fn negotiation(self) -> tokio_postgres::config::SslMode {
        use tokio_postgres::config::SslMode as T;
        match self {
            SslMode::Disable => T::Disable,
            SslMode::Allow | SslMode::Prefer => T::Prefer,
            SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull => T::Require,
        }
    }

    fn verifies(self) -> bool {
        matches!(self, SslMode::VerifyCa | SslMode::VerifyFull)
    }
}

/// How our connections talk TLS: not at all, or with a ready rustls configuration.
#[derive(Clone)]
pub enum Tls {
    Plain,
    Rustls(MakeRustlsConnect),
}

/// Builds the TLS setup for `mode`. `root` is the explicitly named root file (`sslrootcert`
/// or `$PGSSLROOTCERT`); `unix_socket` says the host is a socket directory.
pub fn setup(mode: SslMode, root: Option<PathBuf>, unix_socket: bool) -> Result<Tls, Error> {
    if mode == SslMode::Disable || unix_socket {
        return Ok(Tls::Plain);
    }
    if root.as_deref().is_some_and(|p| p.as_os_str() == "system") {
        return Err(conn_error(
            "sslrootcert=system (the operating system's roots) is not supported; name a PEM file",
        ));
    }
    let root = match root {
        Some(p) => Some(p),
        None => default_root().filter(|p| p.is_file() || mode.verifies()),
    };
    let roots = match root {
        Some(path) if path.is_file() => Some(load_roots(&path)?),
        Some(path) if mode.verifies() => {
            return Err(conn_error(format!(
                "sslmode={} needs a root certificate, but the root certificate file {} does not exist; name one with sslrootcert or PGSSLROOTCERT, or use sslmode=require to encrypt without checking the server",
                if mode == SslMode::VerifyCa { "verify-ca" } else { "verify-full" },
                path.display()
            )))
        }
        // libpq: under `require` a named root file that does not exist means no check.
        Some(_) => None,
        None if mode.verifies() => {
            return Err(conn_error(
                "sslmode=verify-ca/verify-full needs a root certificate: set sslrootcert or PGSSLROOTCERT (no HOME to look for ~/.postgresql/root.crt)",
            ))
        }
        None => None,
    };
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let algs = provider.signature_verification_algorithms;
    let verifier: Arc<dyn ServerCertVerifier> = match (mode, roots) {
        (SslMode::VerifyFull, Some(roots)) => {
            WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
                .build()
                .map_err(|e| conn_error(format!("cannot use the root certificates: {e}")))?
        }
        (_, Some(roots)) => Arc::new(ChainOnly { roots, algs }),
        (_, None) => Arc::new(dangerous::Unchecked { algs }),
    };
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| conn_error(format!("cannot set up TLS: {e}")))?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    Ok(Tls::Rustls(MakeRustlsConnect::new(config)))
}

/// `~/.postgresql/root.crt`, libpq's default root file.
fn default_root() -> Option<PathBuf> {
    let home = std::env::var_os("HOME")?;
    Some(PathBuf::from(home).join(".postgresql/root.crt"))
}

fn load_roots(path: &std::path::Path) -> Result<RootCertStore, Error> {
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(path)
        .and_then(|it| it.collect::<Result<_, _>>())
        .map_err(|e| {
            conn_error(format!(
                "cannot read the root certificate file {}: {e}",
                path.display()
            ))
        })?;
    let mut roots = RootCertStore::empty();
    let (added, _ignored) = roots.add_parsable_certificates(certs);
    if added == 0 {
        return Err(conn_error(format!(
            "the root certificate file {} holds no usable certificate",
            path.display()
        )));
    }
    Ok(roots)
}

/// A hint for a failed connection's message, when the cause is a certificate check.
pub fn hint(message: &str) -> &'static str {
    if message.contains("not valid for name") {
        " (sslmode=verify-full checks that the server's certificate names the host you connect to: connect by the name the certificate holds, or use sslmode=verify-ca)"
    } else if ["UnknownIssuer", "BadSignature"]
        .iter()
        .any(|m| message.contains(m))
    {
        " (the server's certificate does not chain to the root certificate given by sslrootcert/PGSSLROOTCERT)"
    } else {
        ""
    }
}

fn conn_error(message: impl Into<String>) -> Error {
    Error::input(message.into(), Default::default())
}

/// `verify-ca` (and `require` with a root file): the chain must lead to a trusted root; the
/// name in the certificate is not compared with the host, as in libpq.
#[derive(Debug)]
struct ChainOnly {
    roots: RootCertStore,
    algs: WebPkiSupportedAlgorithms,
}

impl ServerCertVerifier for ChainOnly {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let cert = rustls::server::ParsedCertificate::try_from(end_entity)?;
        rustls::client::verify_server_cert_signed_by_trust_anchor(
            &cert,
            &self.roots,
            intermediates,
            now,
            self.algs.all,
        )?;
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algs)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algs)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algs.supported_schemes()
    }
}

mod dangerous {
    //! libpq's `require` without a root file: encrypted, but the server is not authenticated
    //! (a man in the middle could present any certificate). This is what libpq does and what
    //! SECURITY.md tells users to replace with `verify-full`.

    use super::*;

    #[derive(Debug)]
    pub(super) struct Unchecked {
        pub(super) algs: WebPkiSupportedAlgorithms,
    }

    impl ServerCertVerifier for Unchecked {
        fn verify_server_cert(
            &self,
            _end_entity: &CertificateDer<'_>,
            _intermediates: &[CertificateDer<'_>],
            _server_name: &ServerName<'_>,
            _ocsp: &[u8],
            _now: UnixTime,
        ) -> Result<ServerCertVerified, rustls::Error> {
            Ok(ServerCertVerified::assertion())
        }

        // The handshake signatures are still checked against the presented certificate, so
        // the session keys belong to whoever holds that certificate's private key.
        fn verify_tls12_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, rustls::Error> {
            rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algs)
        }

        fn verify_tls13_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, rustls::Error> {
            rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algs)
        }

        fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
            self.algs.supported_schemes()
        }
    }
}

/// Removes `sslmode` and `sslrootcert` from a connection string (URL or `key=value`), which
/// tokio-postgres does not accept in all their values, and returns them.
pub fn split_ssl_params(text: &str) -> (String, Option<String>, Option<String>) {
    let (mut mode, mut root) = (None, None);
    let mut take = |key: &str, value: String| match key {
        "sslmode" => {
            mode = Some(value);
            true
        }
        "sslrootcert" => {
            root = Some(value);
            true
        }
        _ => false,
    };
    let rest = if text.starts_with("postgres://") || text.starts_with("postgresql://") {
        match text.split_once('?') {
            None => text.to_string(),
            Some((base, query)) => {
                let kept: Vec<&str> = query
                    .split('&')
                    .filter(|pair| {
                        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                        !take(&percent_decode(k), percent_decode(v))
                    })
                    .collect();
                if kept.is_empty() {
                    base.to_string()
                } else {
                    format!("{base}?{}", kept.join("&"))
                }
            }
        }
    } else {
        let mut out = String::new();
        for (key, value, raw) in key_values(text) {
            if !take(&key, value) {
                out.push_str(raw);
                out.push(' ');
            }
        }
        out
    };
    (rest, mode, root)
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `key = value` pairs of a libpq keyword string: (key, unquoted value, the pair as written).
fn key_values(text: &str) -> Vec<(String, String, &str)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    loop {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= b.len() {
            return out;
        }
        let start = i;
        while i < b.len() && b[i] != b'=' && !b[i].is_ascii_whitespace() {
            i += 1;
        }
        let key = text[start..i].to_string();
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i < b.len() && b[i] == b'=' {
            i += 1;
        }
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = Vec::new();
        if i < b.len() && b[i] == b'\'' {
            i += 1;
            while i < b.len() && b[i] != b'\'' {
                if b[i] == b'\\' && i + 1 < b.len() {
                    i += 1;
                }
                value.push(b[i]);
                i += 1;
            }
            i += 1;
        } else {
            while i < b.len() && !b[i].is_ascii_whitespace() {
                if b[i] == b'\\' && i + 1 < b.len() {
                    i += 1;
                }
                value.push(b[i]);
                i += 1;
            }
        }
        let end = i.min(b.len());
        out.push((
            key,
            String::from_utf8_lossy(&value).into_owned(),
            &text[start..end],
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ssl_params_are_split_from_urls_and_keywords() {
        let (rest, mode, root) = split_ssl_params(
            "postgres://u:p@h:5433/db?sslmode=verify-full&application_name=x&sslrootcert=%2Fetc%2Fca.pem",
        );
        assert_eq!(rest, "postgres://u:p@h:5433/db?application_name=x");
        assert_eq!(mode.as_deref(), Some("verify-full"));
        assert_eq!(root.as_deref(), Some("/etc/ca.pem"));
        let (rest, mode, root) = split_ssl_params("postgresql://h/db?sslmode=require");
        assert_eq!(
            (rest.as_str(), mode.as_deref(), root),
            ("postgresql://h/db", Some("require"), None)
        );
        let (rest, mode, root) = split_ssl_params(
            "host=h sslmode = verify-ca password='a b\\'c' sslrootcert='/my certs/ca.pem' dbname=d",
        );
        assert_eq!(rest.trim(), "host=h password='a b\\'c' dbname=d");
        assert_eq!(mode.as_deref(), Some("verify-ca"));
        assert_eq!(root.as_deref(), Some("/my certs/ca.pem"));
    }

    #[test]
    fn verify_modes_need_a_root_file() {
        let e = setup(
            SslMode::VerifyFull,
            Some("/nonexistent/root.pem".into()),
            false,
        )
        .err()
        .unwrap();
        assert!(e.to_string().contains("/nonexistent/root.pem"), "{e}");
        assert!(e.to_string().contains("does not exist"), "{e}");
        // `require` with a missing named file encrypts without checking, as libpq does.
        assert!(matches!(
            setup(
                SslMode::Require,
                Some("/nonexistent/root.pem".into()),
                false
            ),
            Ok(Tls::Rustls(_))
        ));
        assert!(matches!(
            setup(SslMode::VerifyFull, None, true),
            Ok(Tls::Plain)
        ));
        assert!(SslMode::parse("verify_full").is_err());
    }
}
