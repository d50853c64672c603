//! Use cases of customers. Each public function is one use case in one transaction, and every
//! change (and every unmasked read of personal data) writes its audit record in that same
//! transaction.

pub mod bank_accounts;
pub mod blacklist;
pub mod customers;
pub mod documents;
pub mod enterprises;
pub mod grades;
pub mod individuals;
pub mod prospects;
pub mod rotation;

use std::sync::Arc;

use iam::{Actor, DataScope};
use kernel::{AppError, SharedClock};
use sea_orm::{DatabaseConnection, DbErr, SqlErr};

use crate::files::FileStore;
use crate::pii::PiiKeys;

/// What the customer services need from the outside world.
#[derive(Clone)]
pub struct CustomersContext {
    pub db: DatabaseConnection,
    pub clock: SharedClock,
    pub pii: Arc<PiiKeys>,
    pub files: Arc<dyn FileStore>,
}

/// A database failure as the caller should see it: a unique violation is a 409 `duplicate`
/// naming the field, anything else is our fault.
pub fn db_error(e: DbErr) -> AppError {
    if let Some(SqlErr::UniqueConstraintViolation(detail)) = e.sql_err() {
        const FIELDS: &[(&str, &str)] = &[
            ("customers_id_number_key", "idNumber"),
            ("customers_credit_code_key", "creditCode"),
            ("customer_bank_accounts_number_key", "number"),
            ("customer_bank_accounts_primary_key", "primary"),
            ("blacklist_entries_value_key", "value"),
            ("customer_grades_code_key", "code"),
        ];
        if let Some((_, field)) = FIELDS.iter().find(|(index, _)| detail.contains(index)) {
            let mut err = AppError::conflict("duplicate", format!("{field} is already taken"));
            err.field_errors.push(kernel::FieldError::new(
                *field,
                "duplicate",
                "already taken",
            ));
            return err;
        }
    }
    iam::service::db_error(e)
}

/// The actor with every data scope, for re-reading a record the actor has just written.
pub(crate) fn unscoped(actor: &Actor) -> Actor {
    Actor {
        data_scope: DataScope::All,
        ..actor.clone()
    }
}

pub(crate) fn blank_to_none(value: &Option<String>) -> Option<String> {
    value
        .as_ref()
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// The business date of "now", for ages and effective dates. Until the daily close keeps a
/// business date of its own, it is the clock's UTC date.
pub(crate) fn today(clock: &SharedClock) -> time::Date {
    clock.now().date()
}
