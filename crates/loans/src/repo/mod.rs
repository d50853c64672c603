//! sea-orm entities of the loan tables.

pub mod application;
pub mod investigation;
pub mod product;
pub mod product_version;
