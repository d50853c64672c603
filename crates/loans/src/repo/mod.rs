//! sea-orm entities of the loan tables.

pub mod product;
pub mod product_version;
