//! Use cases of identity and access. Each public function is one use case in one transaction,
//! and every change writes its audit record in that same transaction.

pub mod audit;
pub mod auth;
pub mod bootstrap;
pub mod departments;
pub mod employees;
pub mod idempotency;
pub mod people;
pub mod positions;
pub mod roles;
pub mod scope;
pub mod sql;
pub mod tokens;
pub mod users;

use std::sync::Arc;

use kernel::{AppError, SharedClock};
use sea_orm::{DatabaseConnection, DbErr, SqlErr};

pub use tokens::TokenKeys;

/// What the services need from the outside world.
#[derive(Clone)]
pub struct IamContext {
    pub db: DatabaseConnection,
    pub clock: SharedClock,
    pub tokens: Arc<TokenKeys>,
}

/// A database failure as the caller should see it: a unique violation is a 409 `duplicate`
/// naming the field, anything else is our fault.
pub fn db_error(e: DbErr) -> AppError {
    if let Some(SqlErr::UniqueConstraintViolation(detail)) = e.sql_err() {
        let field = unique_field(&detail);
        let mut err = AppError::conflict("duplicate", format!("{field} is already taken"));
        err.field_errors
            .push(kernel::FieldError::new(field, "duplicate", "already taken"));
        return err;
    }
    AppError::internal(e)
}

/// Our unique indexes are named `<table>_<column>_key`; the column becomes the field.
fn unique_field(detail: &str) -> &'static str {
    const FIELDS: &[(&str, &str)] = &[
        ("departments_code_key", "code"),
        ("positions_code_key", "code"),
        ("roles_code_key", "code"),
        ("users_username_key", "username"),
        ("employees_no_key", "employeeNo"),
        ("employees_user_key", "userId"),
    ];
    FIELDS
        .iter()
        .find(|(index, _)| detail.contains(index))
        .map(|(_, field)| *field)
        .unwrap_or("value")
}

/// 409 unless the caller edited the version that is stored.
pub fn check_version(what: &str, stored: i32, given: i32) -> kernel::AppResult<()> {
    if stored == given {
        Ok(())
    } else {
        Err(AppError::stale_version(what))
    }
}

/// The body of disable/enable requests: the version the caller saw.
#[derive(Debug, Clone, Copy, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VersionBody {
    pub version: i32,
}
