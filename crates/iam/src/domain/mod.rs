//! Pure rules of identity and access: no database, no clock.

pub mod actor;
pub mod data_scope;
pub mod password;
pub mod permission;
pub mod validate;
