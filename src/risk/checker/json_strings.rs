//! The string values of a JSON document, visited as the parser meets them.
//!
//! The leak check fingerprints every string inside a `json` column's originals. Building a
//! `serde_json::Value` per row for that (an ordered map per object, a heap string per value)
//! cost more than the fingerprints themselves; this visitor hands each string to a callback
//! straight from the input, borrowing it when it has no escapes. Object keys and numbers are
//! skipped, as before: only values that were strings are originals worth looking for.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// Calls `f` on every string value (not key) of the JSON document `doc`, depth first in
/// document order. `Err(())` when `doc` is not JSON; `f` may have seen some strings by then.
pub fn for_each_string(doc: &[u8], f: &mut dyn FnMut(&[u8])) -> Result<(), ()> {
    let mut de = serde_json::Deserializer::from_slice(doc);
    Strings { f }.deserialize(&mut de).map_err(|_| ())?;
    de.end().map_err(|_| ())
}

/// The visitor (and seed) that walks one value.
struct Strings<'f> {
    f: &'f mut dyn FnMut(&[u8]),
}

impl<'de> DeserializeSeed<'de> for Strings<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

/// serde_json's `arbitrary_precision` feature hands numbers to `deserialize_any` as a map with
/// this one key; such a number is not a string and is skipped.
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

impl<'de> Visitor<'de> for Strings<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        (self.f)(v.as_bytes());
        Ok(())
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq
            .next_element_seed(Strings { f: &mut *self.f })?
            .is_some()
        {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(number) = map.next_key_seed(IsNumberToken)? {
            if number {
                map.next_value::<IgnoredAny>()?;
            } else {
                map.next_value_seed(Strings { f: &mut *self.f })?;
            }
        }
        Ok(())
    }
}

/// Reads a map key, answering only whether it is [`NUMBER_TOKEN`] (no allocation).
struct IsNumberToken;

impl<'de> DeserializeSeed<'de> for IsNumberToken {
    type Value = bool;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for IsNumberToken {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<bool, E> {
        Ok(v == NUMBER_TOKEN)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert!(strings(r#"{"a": "b""#).is_err());
        assert!(strings(r#"{"a": "b"} trailing"#).is_err());
    }
}
