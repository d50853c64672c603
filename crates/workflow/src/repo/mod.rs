//! The sea-orm entities of approval flows.

pub mod committees;
pub mod definition;
pub mod definition_version;
pub mod event;
pub mod instance;
pub mod task;
