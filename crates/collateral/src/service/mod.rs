//! Use cases of collateral. Each public function is one use case in one transaction, and every
//! change writes its audit record in that same transaction.

pub mod appraisals;
pub mod holdings;
pub mod photos;
pub mod releases;
pub mod securing;
pub mod vehicles;

use std::sync::Arc;

use customers::FileStore;
use kernel::{AppError, SharedClock};
use sea_orm::{DatabaseConnection, DbErr, SqlErr};

/// What the collateral services need from the outside world.
#[derive(Clone)]
pub struct CollateralContext {
    pub db: DatabaseConnection,
    pub clock: SharedClock,
    /// The customers crate's document store, shared for vehicle photos.
    pub files: Arc<dyn FileStore>,
}

/// A database failure as the caller should see it: a unique violation is a 409 `duplicate`
/// naming the field, anything else is our fault.
pub fn db_error(e: DbErr) -> AppError {
    if let Some(SqlErr::UniqueConstraintViolation(detail)) = e.sql_err()
        && detail.contains("vehicles_vin_key")
    {
        let mut err =
            AppError::conflict("duplicate", "a vehicle with this VIN is already registered");
        err.field_errors
            .push(kernel::FieldError::new("vin", "duplicate", "already taken"));
        return err;
    }
    iam::service::db_error(e)
}

pub(crate) fn blank_to_none(value: &Option<String>) -> Option<String> {
    value
        .as_ref()
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// The business date of "now". Until the daily close keeps a business date of its own, it is
/// the clock's UTC date.
pub(crate) fn today(clock: &SharedClock) -> time::Date {
    clock.now().date()
}

/// The snake_case name serde gives a unit enum variant.
pub(crate) fn snake(value: &impl serde::Serialize) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// The enum variant stored as its snake_case name.
pub(crate) fn parse_snake<T: serde::de::DeserializeOwned>(s: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::from(s)).ok()
}

pub(crate) use iam::service::sql::like_escape;
