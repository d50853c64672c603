//! sea-orm entities for the collateral tables. Services map them to the API's views.

pub mod appraisal;
pub mod photo;
pub mod vehicle;
