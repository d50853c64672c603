//! Pure risk rules: no database, no clock, no network.

pub mod evaluate;
pub mod rules;
