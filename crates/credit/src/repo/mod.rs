//! sea-orm entities for the credit-line and risk tables.

pub mod credit_line;
pub mod provider;
pub mod rule_set;
pub mod screening;
