//! JSON Web Tokens: three base64url segments separated by dots whose first segment decodes to a
//! JSON object (`{"…`), as every JOSE header does. The payload must decode too; the signature
//! may be empty (unsecured tokens).

use std::ops::Range;
use std::sync::OnceLock;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use regex::Regex;

fn pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    // `{"` encodes to `eyI` or `eyJ` whatever follows, so every JWT starts with `ey`.
    RE.get_or_init(|| {
        Regex::new(r"\bey[A-Za-z0-9_\-]{6,}={0,2}\.[A-Za-z0-9_\-]{2,}={0,2}\.[A-Za-z0-9_\-]*")
            .expect("static pattern")
    })
}

/// Whether `s` is exactly a JWT.
pub fn is_jwt(s: &str) -> bool {
    pattern().find(s).is_some_and(|m| m.range() == (0..s.len())) && valid(s)
}

fn decode(segment: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(segment.trim_end_matches('=')).ok()
}

fn valid(candidate: &str) -> bool {
    let mut parts = candidate.split('.');
    let (Some(header), Some(payload)) = (parts.next(), parts.next()) else {
        return false;
    };
    let header_ok = decode(header).is_some_and(|h| {
        h.starts_with(b"{\"")
            && serde_json::from_slice::<serde_json::Value>(&h).is_ok_and(|v| v.is_object())
    });
    header_ok && decode(payload).is_some()
}

pub(crate) fn find(text: &str, out: &mut Vec<Range<usize>>) {
    out.extend(
        pattern()
            .find_iter(text)
            .filter(|m| valid(m.as_str()))
            .map(|m| m.range()),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example token from RFC 7519 §3.1 (header `{"typ":"JWT",\r\n "alg":"HS256"}`).
    const RFC_SAMPLE: &str = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

    #[test]
    fn jwts() {
        let unsecured = "eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.";
        let cases = [
            (RFC_SAMPLE, true),
            (unsecured, true),
            // Header decodes to `{"alg":"none"` without the closing brace: not JSON.
            ("eyJhbGciOiJub25lIg.eyJzdWIiOiIxIn0.", false),
            ("eyJhbGciOiJub25lIn0", false),
            ("abc.def.ghi", false),
        ];
        for (s, want) in cases {
            assert_eq!(is_jwt(s), want, "{s}");
        }
    }

    #[test]
    fn finds_jwts_in_text() {
        let text = format!("Authorization: Bearer {RFC_SAMPLE} end");
        let mut out = Vec::new();
        find(&text, &mut out);
        assert_eq!(out, vec![22..22 + RFC_SAMPLE.len()]);
    }
}
