//! Approval flows (审批流程图配置): the engine every decision that needs sign-off runs through
//! (credit lines, loan applications, and later extensions, debt transfers, write-offs, …).
//!
//! - [`domain`] is pure: a flow is a graph of steps, each with an assignee and ordered exits
//!   guarded by conditions on the facts of the thing being decided (amount, term, product,
//!   risk grade). Validation proves a graph always ends; routing picks the next step.
//! - [`repo`] holds the sea-orm entities; [`service`] the use cases.
//!
//! Definitions are versioned: a running instance keeps the version it started under. The
//! engine knows nothing of loans: a business crate starts an instance inside its own
//! transaction and applies the outcome an action returns in that same transaction.

pub mod domain;
pub mod repo;
pub mod service;

pub use domain::{ActionKind, Assignee, BusinessType, Facts, FlowGraph};
pub use service::{ActOutcome, Decision, FlowInstance, StartFlow, WorkflowContext};
