//! sea-orm entities of the loan tables.

pub mod application;
pub mod contract;
pub mod investigation;
pub mod product;
pub mod product_version;
