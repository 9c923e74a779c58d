//! sensitive
