//! Use cases of approval flows. Definitions are edited in their own transactions; the engine's
//! functions (`start`, `act`, `resubmit`, `cancel`) take the caller's transaction, so a flow
//! step and the business record it decides change together or not at all.

pub mod candidates;
pub mod committees;
pub mod definitions;
pub mod engine;
pub mod meetings;
pub mod minutes;
pub mod queries;

pub use engine::{ActOutcome, ActionInput, Decision, StartFlow};
pub use queries::{FlowEvent, FlowInstance, Task};

use kernel::{AppError, SharedClock};
use sea_orm::{DatabaseConnection, DbErr};

#[derive(Clone)]
pub struct WorkflowContext {
    pub db: DatabaseConnection,
    pub clock: SharedClock,
}

pub(crate) fn db_error(e: DbErr) -> AppError {
    iam::service::db_error(e)
}
