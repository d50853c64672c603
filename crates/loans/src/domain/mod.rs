//! Pure rules of loan products: no database, no clock.

pub mod application;
pub mod contract;
pub mod terms;
pub mod worst_case;

pub use terms::{ProductTerms, ValidTerms};
pub use worst_case::{AprCase, WorstCase, worst_case};
