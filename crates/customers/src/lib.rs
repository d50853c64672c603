//! Customers (客户管理): the people and companies Chedai lends to.
//!
//! - [`domain`] holds the pure rules: validated newtypes for the resident ID number (居民身份证
//!   号码, GB 11643), the unified social credit code (统一社会信用代码, GB 32100), mobile numbers and
//!   bank card numbers (Luhn), masking, and the shape of a customer's contacts.
//! - [`pii`] encrypts personal data at rest (AES-256-GCM with a key id per value, so keys can
//!   rotate) and computes the keyed hash (HMAC-SHA256) that exact search uses.
//! - [`files`] is the document store behind one interface, a local folder by default.
//! - [`repo`] holds the sea-orm entities; [`service`] one use case per function, each in one
//!   transaction that also writes its audit record.
//!
//! Personal data leaves this crate masked unless the caller holds `customer:pii:view` and asks to
//! see it, and every such unmasked read is audited.

pub mod domain;
pub mod files;
pub mod pii;
pub mod repo;
pub mod service;

pub use files::{FileStore, LocalFileStore};
pub use pii::PiiKeys;
pub use service::CustomersContext;
