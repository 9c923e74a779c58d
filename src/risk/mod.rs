//! risk

pub mod detect;
pub mod metrics;
