//! The string values of a JSON document, visited as a scanner meets them.
//!
//! The leak check fingerprints every string inside a `json` column's originals. Building a
//! `serde_json::Value` per row for that (an ordered map per object, a heap string per value)
//! cost more than the fingerprints themselves, and even serde's visitor machinery was most of
//! what remained; this scanner walks the bytes once, hands each string value to a callback
//! straight from the input when it has no escapes (decoded into a buffer when it has), and
//! checks the grammar as it goes, so a document that is not JSON is still told apart. Object
//! keys and numbers are skipped: only values that were strings are originals worth looking for.
//! It is tested against serde_json on generated documents (`agrees_with_serde_json`).

/// Calls `f` on every string value (not key) of the JSON document `doc`, depth first in
/// document order. `Err(())` when `doc` is not JSON; `f` may have seen some strings by then.
pub fn for_each_string(doc: &[u8], f: &mut dyn FnMut(&[u8])) -> Result<(), ()> {
    if !doc.is_ascii() && std::str::from_utf8(doc).is_err() {
        return Err(());
    }
    let mut s = Scanner {
        doc,
        at: 0,
        buf: Vec::new(),
    };
    // What each open container expects next.
    let mut stack: Vec<Open> = Vec::new();
    s.value(&mut stack, f)?;
    loop {
        let Some(top) = stack.last_mut() else {
            s.skip_ws();
            return if s.at == doc.len() { Ok(()) } else { Err(()) };
        };
        s.skip_ws();
        match (*top, s.next()?) {
            (Open::Array, b',') => s.value(&mut stack, f)?,
            (Open::Object, b',') => {
                s.skip_ws();
                s.key()?;
                s.value(&mut stack, f)?;
            }
            (Open::Array, b']') | (Open::Object, b'}') => {
                stack.pop();
            }
            _ => return Err(()),
        }
    }
}

#[derive(Clone, Copy)]
enum Open {
    Array,
    Object,
}

struct Scanner<'a> {
    doc: &'a [u8],
    at: usize,
    /// Decoded strings that held escapes.
    buf: Vec<u8>,
}

impl Scanner<'_> {
    fn next(&mut self) -> Result<u8, ()> {
        let b = *self.doc.get(self.at).ok_or(())?;
        self.at += 1;
        Ok(b)
    }

    fn skip_ws(&mut self) {
        while matches!(self.doc.get(self.at), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    /// An object key and its colon.
    fn key(&mut self) -> Result<(), ()> {
        if self.next()? != b'"' {
            return Err(());
        }
        self.string()?;
        self.skip_ws();
        if self.next()? != b':' {
            return Err(());
        }
        Ok(())
    }

    /// One value; a container is opened on `stack` (its first element read here, the rest by
    /// the caller's loop).
    fn value(&mut self, stack: &mut Vec<Open>, f: &mut dyn FnMut(&[u8])) -> Result<(), ()> {
        self.skip_ws();
        match self.next()? {
            b'"' => {
                let (start, end, escaped) = self.string()?;
                if escaped {
                    f(&self.buf);
                } else {
                    f(&self.doc[start..end]);
                }
                Ok(())
            }
            b'[' => self.open(stack, f, Open::Array, b']'),
            b'{' => self.open(stack, f, Open::Object, b'}'),
            b't' => self.literal(b"rue"),
            b'f' => self.literal(b"alse"),
            b'n' => self.literal(b"ull"),
            b'-' | b'0'..=b'9' => {
                self.at -= 1;
                self.number()
            }
            _ => Err(()),
        }
    }

    /// After `[` or `{`: an empty container, or the first element (and key) of one pushed
    /// on `stack`.
    fn open(
        &mut self,
        stack: &mut Vec<Open>,
        f: &mut dyn FnMut(&[u8]),
        kind: Open,
        close: u8,
    ) -> Result<(), ()> {
        self.skip_ws();
        if self.doc.get(self.at) == Some(&close) {
            self.at += 1;
            return Ok(());
        }
        stack.push(kind);
        if matches!(kind, Open::Object) {
            self.key()?;
        }
        self.value(stack, f)
    }

    fn literal(&mut self, rest: &[u8]) -> Result<(), ()> {
        if self.doc[self.at..].starts_with(rest) {
            self.at += rest.len();
            Ok(())
        } else {
            Err(())
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.at;
        while self.doc.get(self.at).is_some_and(u8::is_ascii_digit) {
            self.at += 1;
        }
        self.at - start
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    fn number(&mut self) -> Result<(), ()> {
        if self.doc.get(self.at) == Some(&b'-') {
            self.at += 1;
        }
        let leading_zero = self.doc.get(self.at) == Some(&b'0');
        let n = self.digits();
        if n == 0 || (leading_zero && n > 1) {
            return Err(());
        }
        if self.doc.get(self.at) == Some(&b'.') {
            self.at += 1;
            if self.digits() == 0 {
                return Err(());
            }
        }
        if matches!(self.doc.get(self.at), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.doc.get(self.at), Some(b'+' | b'-')) {
                self.at += 1;
            }
            if self.digits() == 0 {
                return Err(());
            }
        }
        Ok(())
    }

    /// The rest of a string after its opening quote: (start, end) of its raw content and
    /// whether it had escapes, in which case the decoded content is in `buf`.
    fn string(&mut self) -> Result<(usize, usize, bool), ()> {
        let start = self.at;
        let rest = &self.doc[start..];
        // One pass to the first quote, backslash or control byte (JSON strings are short:
        // a plain loop beat memchr plus a second pass for control bytes).
        let Some(k) = rest
            .iter()
            .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
        else {
            return Err(());
        };
        if rest[k] < 0x20 {
            return Err(());
        }
        if rest[k] == b'"' {
            self.at = start + k + 1;
            return Ok((start, start + k, false));
        }
        self.buf.clear();
        self.buf.extend_from_slice(&rest[..k]);
        self.at = start + k;
        loop {
            match self.next()? {
                b'"' => return Ok((start, self.at - 1, true)),
                b'\\' => {
                    let c = match self.next()? {
                        b'"' => b'"',
                        b'\\' => b'\\',
                        b'/' => b'/',
                        b'b' => 0x08,
                        b'f' => 0x0c,
                        b'n' => b'\n',
                        b'r' => b'\r',
                        b't' => b'\t',
                        b'u' => {
                            let ch = self.unicode_escape()?;
                            let mut utf8 = [0u8; 4];
                            self.buf
                                .extend_from_slice(ch.encode_utf8(&mut utf8).as_bytes());
                            continue;
                        }
                        _ => return Err(()),
                    };
                    self.buf.push(c);
                }
                b if b < 0x20 => return Err(()),
                b => self.buf.push(b),
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, ()> {
        let part = self.doc.get(self.at..self.at + 4).ok_or(())?;
        let s = std::str::from_utf8(part).map_err(|_| ())?;
        if !s.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(());
        }
        self.at += 4;
        u32::from_str_radix(s, 16).map_err(|_| ())
    }

    /// `\uXXXX` after the `u`, with a surrogate pair's second half; a lone surrogate is not
    /// JSON that serde_json (or PostgreSQL) accepts.
    fn unicode_escape(&mut self) -> Result<char, ()> {
        let first = self.hex4()?;
        if (0xDC00..0xE000).contains(&first) {
            return Err(());
        }
        if !(0xD800..0xDC00).contains(&first) {
            return char::from_u32(first).ok_or(());
        }
        if self.next()? != b'\\' || self.next()? != b'u' {
            return Err(());
        }
        let second = self.hex4()?;
        if !(0xDC00..0xE000).contains(&second) {
            return Err(());
        }
        char::from_u32(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)).ok_or(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn strings(doc: &str) -> Result<Vec<String>, ()> {
        let mut out = Vec::new();
        for_each_string(doc.as_bytes(), &mut |s| {
            out.push(String::from_utf8(s.to_vec()).unwrap())
        })?;
        Ok(out)
    }

    #[test]
    fn visits_string_values_only_in_document_order() {
        assert_eq!(
            strings(
                r#"{"email": "ann@example.com", "n": 12345678901234567890.5, "tags": ["a\"b", {"k": "v"}], "ok": true, "none": null}"#
            ),
            Ok(vec!["ann@example.com".into(), "a\"b".into(), "v".into()])
        );
        assert_eq!(
            strings(r#""just a string""#),
            Ok(vec!["just a string".into()])
        );
        assert_eq!(strings("42"), Ok(vec![]));
        assert_eq!(
            strings(r#"["\u00e9\ud83d\ude00\n", [], {}, [[["deep"]]]]"#),
            Ok(vec!["é😀\n".into(), "deep".into()])
        );
        for bad in [
            r#"{"a": "b""#,
            r#"{"a": "b"} trailing"#,
            r#"{"a" "b"}"#,
            r#"{"a": 01}"#,
            r#"[1,]"#,
            r#"["\ud800"]"#,
            r#"["\x"]"#,
            "[\"tab\there\"]",
            "",
            "nul",
            "-",
            "1.",
            "[1 2]",
        ] {
            assert_eq!(strings(bad), Err(()), "{bad}");
        }
    }

    /// What serde_json finds: string values in document order, or an error.
    fn serde_strings(doc: &str) -> Result<Vec<String>, ()> {
        fn walk(v: &serde_json::Value, out: &mut Vec<String>) {
            match v {
                serde_json::Value::String(s) => out.push(s.clone()),
                serde_json::Value::Array(a) => a.iter().for_each(|v| walk(v, out)),
                serde_json::Value::Object(m) => m.values().for_each(|v| walk(v, out)),
                _ => {}
            }
        }
        let v: serde_json::Value = serde_json::from_str(doc).map_err(|_| ())?;
        let mut out = Vec::new();
        walk(&v, &mut out);
        Ok(out)
    }

    fn json_value() -> impl Strategy<Value = String> {
        let leaf = prop_oneof![
            Just("null".to_owned()),
            Just("true".to_owned()),
            any::<i64>().prop_map(|n| n.to_string()),
            any::<f64>()
                .prop_filter("finite", |f| f.is_finite())
                .prop_map(|f| f.to_string()),
            ".{0,12}".prop_map(|s| serde_json::to_string(&s).unwrap()),
        ];
        leaf.prop_recursive(4, 32, 5, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5)
                    .prop_map(|v| format!("[{}]", v.join(","))),
                prop::collection::vec(("[a-z]{1,4}", inner), 0..5).prop_map(|v| {
                    // Distinct keys: serde_json's map keeps the last of duplicates.
                    let mut seen = std::collections::HashSet::new();
                    let fields: Vec<String> = v
                        .into_iter()
                        .filter(|(k, _)| seen.insert(k.clone()))
                        .map(|(k, v)| format!("{:?} : {v}", k))
                        .collect();
                    format!("{{ {} }}", fields.join(", "))
                }),
            ]
        })
    }

    proptest! {
        #[test]
        fn agrees_with_serde_json(doc in json_value()) {
            // serde_json (with `preserve_order`) keeps object order, as the scanner does.
            prop_assert_eq!(strings(&doc), serde_strings(&doc));
        }

        #[test]
        fn agrees_with_serde_json_on_damaged_documents(doc in json_value(), cut in any::<prop::sample::Index>(), byte in prop::sample::select(vec![b'"', b',', b'}', b']', b'\\', b'x', b' '])) {
            let mut bytes = doc.into_bytes();
            let at = cut.index(bytes.len() + 1);
            bytes.insert(at, byte);
            if let Ok(doc) = String::from_utf8(bytes) {
                prop_assert_eq!(strings(&doc).is_ok(), serde_strings(&doc).is_ok(), "{}", doc);
            }
        }
    }
}
