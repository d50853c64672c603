//! Use cases of credit risk and credit lines, each in one transaction with its audit record
//! (or, for the engine-driven ones, in the caller's transaction).

pub mod credit_lines;
pub mod provider_settings;
pub mod rule_sets;
pub mod screenings;

use customers::CustomersContext;
use kernel::SharedClock;
use sea_orm::DatabaseConnection;

/// What the risk services need from the outside world.
#[derive(Clone)]
pub struct CreditContext {
    pub db: DatabaseConnection,
    pub clock: SharedClock,
    /// Customer facts come through the customer services, never their tables.
    pub customers: CustomersContext,
    /// Shared by every provider call; each call sets its own timeout.
    pub http: reqwest::Client,
}

pub(crate) use iam::service::db_error;
