//! Pure rules of credit lines and risk: no database, no clock, no network.

pub mod credit_line;
pub mod evaluate;
pub mod rules;
