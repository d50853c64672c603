//! Credit lines (授信) and credit risk (风控): how much a customer may borrow, and screening a
//! customer before credit is extended.
//!
//! - Credit lines: [`domain::credit_line`] is the line's state machine (draft → in review →
//!   active ⇄ frozen, with returns, rejections and withdrawals) and the arithmetic of drawing
//!   on it; [`service::credit_lines`] runs the application through the `credit_line`
//!   approval flow and lets loans use and release the line with its row locked.
//! - [`domain`] is pure: the editable [`domain::rules::RuleSet`] (age bounds, blacklist hit,
//!   recent applications, debt-to-income, loan-to-value, existing overdue, enterprise age, court
//!   enforcement), the scorecard (points per attribute band, giving a score and a grade), and
//!   [`domain::evaluate::evaluate`], which turns gathered facts into a decision — pass, manual
//!   review or reject — with every reason listed.
//! - [`providers`] is the external data interface (court enforcement list, credit bureau,
//!   vehicle price): a trait, and an HTTP implementation with a timeout per call whose every
//!   answer or failure is recorded. A provider that fails or times out never fails a
//!   screening: the missing data becomes a reason for manual review.
//! - [`service`] stores rule-set versions (insert-only history), provider settings and screening
//!   results, which can be re-run under the current rules.

pub mod domain;
pub mod providers;
pub mod repo;
pub mod service;

pub use service::CreditContext;
