//! Pure rules of loans: products, applications, contracts, servicing. No database, no clock.

pub mod application;
pub mod average_balance;
pub mod classification;
pub mod close_schedule;
pub mod contract;
pub mod money_events;
pub mod prepayment;
pub mod servicing;
pub mod terms;
pub mod warning;
pub mod worst_case;

pub use terms::{ProductTerms, ValidTerms};
pub use worst_case::{AprCase, WorstCase, worst_case};
