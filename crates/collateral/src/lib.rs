//! Collateral (车辆管理): the cars that secure Chedai's loans.
//!
//! This crate owns vehicles, their appraisal (车辆评估), and later mortgage registration (抵押),
//! pledge (质押), GPS devices and release (解押). For now it holds vehicles and appraisals:
//!
//! - [`domain`] holds the pure rules: the VIN (ISO 3779, check digit at position 9) and the
//!   Chinese plate number, each parsed once into a type that cannot be invalid.
//! - [`repo`] holds the sea-orm entities; [`service`] one use case per function, each in one
//!   transaction that also writes its audit record.
//!
//! Vehicle photos are kept in the customers crate's [`customers::FileStore`], by content hash.

pub mod domain;
pub mod repo;
pub mod service;

pub use service::CollateralContext;
