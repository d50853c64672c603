//! Identity and access (组织架构与权限): who people are, where they sit in the organisation, what
//! they may do and over which data, how they sign in, and the audit log of every change.
//!
//! - [`domain`] holds the pure rules: the permission catalogue, data scopes, the password
//!   policy, department paths.
//! - [`repo`] holds the sea-orm entities.
//! - [`service`] holds one use case per function, each in one transaction that also writes its
//!   audit record.

pub mod domain;
pub mod repo;
pub mod service;

pub use domain::actor::Actor;
pub use domain::data_scope::DataScope;
pub use domain::permission::{self as perm, Permission};
