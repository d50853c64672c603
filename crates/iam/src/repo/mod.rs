//! sea-orm entities for the organisation tables. Services map them to the API's views.

pub mod audit_log;
pub mod department;
pub mod employee;
pub mod position;
pub mod refresh_token;
pub mod role;
pub mod status;
pub mod user;
pub mod user_role;
