//! sea-orm entities for the collateral tables. Services map them to the API's views.

pub mod appraisal;
pub mod gps_device;
pub mod photo;
pub mod registration;
pub mod release_request;
pub mod vehicle;
