//! A wrapper for values that may be personal data.
//!
//! Anything read out of a dump's rows is potentially a real person's data. Wrapping it in
//! [`Sensitive`] makes `Debug` and `Display` print a redaction, so a stray `{:?}` in a log line or
//! an error message cannot leak it. Reading the value back needs an explicit [`Sensitive::expose`],
//! and each call site says why it may (the pattern of vector's `SensitiveString`).

use std::fmt;

/// A value that must never be printed. `Debug`/`Display` show `<redacted N bytes>`.
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct Sensitive<T>(T);

impl<T> Sensitive<T> {
    /// Wraps a value read from a dump.
    pub fn new(value: T) -> Self {
        Sensitive(value)
    }

    /// Gives the raw value. Callers must not log or display what they get.
    pub fn expose(&self) -> &T {
        &self.0
    }

    /// Unwraps the raw value. Callers must not log or display what they get.
    pub fn into_exposed(self) -> T {
        self.0
    }
}

impl<T: AsRef<[u8]>> fmt::Debug for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<redacted {} bytes>", self.0.as_ref().len())
    }
}

impl<T: AsRef<[u8]>> fmt::Display for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_never_show_the_value() {
        let s = Sensitive::new(String::from("jane.doe@example.com"));
        assert_eq!(format!("{s:?}"), "<redacted 20 bytes>");
        assert_eq!(format!("{s}"), "<redacted 20 bytes>");
        assert_eq!(s.expose(), "jane.doe@example.com");
    }
}
