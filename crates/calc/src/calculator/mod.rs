//! The loan calculator (还款试算): the request and response bodies of
//! `POST /api/v1/calculator/{schedule,payoff,overdue}` and of `chedai calc
//! schedule|payoff|overdue`, and the pure functions both call.
//!
//! Error contract: what cannot be parsed fails in serde deserialisation (the API answers 400):
//! a rate of "abc", a date "2026-13-01", a wrong JSON type, an unknown method. Amounts and
//! rates are decimal strings; a JSON number is refused, so no float ever carries them. What
//! parses but breaks a rule (a term of 0, an amount with 3 decimals, a multiplier of 3) is an
//! [`kernel::AppError`] of kind `Validation` (422, code `validation_failed`) whose field errors
//! name every bad field by its camelCase path.

mod decimal_string;
pub mod inputs;
mod overdue;
mod payoff;
mod schedule;

pub use decimal_string::DecimalString;
pub use overdue::{OverdueInstallmentRow, OverdueRequest, OverdueResponse, overdue};
pub use payoff::{FeeKindName, PayoffRequest, PayoffResponse, PrepaymentFeeRequest, payoff};
pub use schedule::{InstallmentRow, ScheduleRequest, ScheduleResponse, schedule};
