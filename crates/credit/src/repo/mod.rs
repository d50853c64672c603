//! sea-orm entities for the risk tables.

pub mod provider;
pub mod rule_set;
pub mod screening;
