//! transform

pub mod ff1;
