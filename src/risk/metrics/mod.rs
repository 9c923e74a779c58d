//! Pure re-identification metrics: every function here takes counts or values that the caller
//! has already collected and returns numbers, so the formulas can be checked against the
//! hand-computed fixtures of `RISK-MODELS.md` without any I/O.
//!
//! One metric family per file: [`classes`] (equivalence classes and prosecutor risk),
//! [`distinction`] (near-key search), [`population`] (population uniqueness estimators),
//! [`diversity`] (sensitive values inside a class), [`suda`] (special uniques) and [`linkage`]
//! (how well perturbed values can be matched back to their originals). [`special`] holds the
//! gamma-family functions the population models need.

pub mod classes;
pub mod distinction;
pub mod diversity;
pub mod linkage;
pub mod population;
pub mod special;
pub mod suda;

/// One cell of a quasi-identifier tuple: `None` is SQL NULL, which groups like any other value
/// (SQL `GROUP BY` semantics).
pub type Cell<'a> = Option<&'a [u8]>;
