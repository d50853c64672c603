//! Use cases of credit risk and credit lines, each in one transaction with its audit record
//! (or, for the engine-driven ones, in the caller's transaction).

pub mod credit_lines;
pub mod provider_settings;
pub mod rule_sets;
pub mod screenings;

use std::sync::Arc;

use customers::CustomersContext;
use kernel::{AppResult, SharedClock};
use sea_orm::DatabaseConnection;

/// What screening asks about a customer's loans with us (本机构逾期). The loans crate answers:
/// it depends on this crate, so the question is a trait here and the answer is wired in.
#[async_trait::async_trait]
pub trait LoanRecords: Send + Sync + 'static {
    /// Whether the customer has a loan with an installment past due and unpaid on the
    /// business date.
    async fn has_overdue(&self, customer_id: i64) -> AppResult<bool>;
}

/// What the risk services need from the outside world.
#[derive(Clone)]
pub struct CreditContext {
    pub db: DatabaseConnection,
    pub clock: SharedClock,
    /// Customer facts come through the customer services, never their tables.
    pub customers: CustomersContext,
    /// Shared by every provider call; each call sets its own timeout.
    pub http: reqwest::Client,
    /// The customer's loans with us, as the loans crate keeps them.
    pub loans: Arc<dyn LoanRecords>,
}

pub(crate) use iam::service::db_error;
