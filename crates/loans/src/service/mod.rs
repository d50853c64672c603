//! Use cases of loans. Each public function is one use case in one transaction, and every
//! change writes its audit record in that same transaction.

pub mod applications;
pub mod approvals;
pub mod balance_reports;
pub mod books;
pub mod classifications;
pub mod close;
pub mod close_scheduler;
pub mod contract_document;
pub mod contracts;
pub mod credit_application;
pub mod disbursements;
pub mod due_notices;
pub mod extensions;
pub mod fees;
pub mod investigations;
pub mod keyed;
pub mod loan_accounts;
pub mod operational_ledgers;
pub mod products;
pub mod reconciliation;
pub mod repayments;
pub mod reversals;
pub mod securing;
pub mod warnings;

use calc::caps::CapPolicy;
use collateral::CollateralContext;
use credit::CreditContext;
use kernel::{AppError, SharedClock};
use sea_orm::{DatabaseConnection, DbErr, SqlErr};

/// What the loan services need from the outside world.
#[derive(Clone)]
pub struct LoansContext {
    pub db: DatabaseConnection,
    pub clock: SharedClock,
    /// The rate caps products and loans are checked against.
    pub caps: CapPolicy<'static>,
    /// Risk screening of applications, through the credit services.
    pub credit: CreditContext,
    /// Vehicles and their appraisals, and the file store investigation files share.
    pub collateral: CollateralContext,
}

impl LoansContext {
    /// A context with the default caps (24 %, 4 × the one-year LPR).
    pub fn new(
        db: DatabaseConnection,
        clock: SharedClock,
        credit: CreditContext,
        collateral: CollateralContext,
    ) -> LoansContext {
        LoansContext {
            db,
            clock,
            caps: CapPolicy::default(),
            credit,
            collateral,
        }
    }
}

/// A database failure as the caller should see it: a unique violation is a 409 `duplicate`
/// naming the field, anything else is our fault.
pub fn db_error(e: DbErr) -> AppError {
    if let Some(SqlErr::UniqueConstraintViolation(detail)) = e.sql_err() {
        const FIELDS: &[(&str, &str)] = &[
            ("loan_products_code_key", "code"),
            ("loan_product_versions_no_key", "version"),
            ("loan_applications_no_key", "applicationNo"),
            ("loan_contracts_no_key", "contractNo"),
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

/// The business date of "now", the contract date of a product's cap check. Until the daily
/// close keeps a business date of its own, it is the clock's UTC date.
pub(crate) fn today(clock: &SharedClock) -> time::Date {
    clock.now().date()
}
