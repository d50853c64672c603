//! `calc` owns Chedai's lending arithmetic (贷款计算), exactly as `shared/RULES.md` states it:
//! repayment schedules for the six methods, accrual for the books, penalty and compound
//! interest on overdue installments, allocation of payments, payoff quotes and partial
//! prepayments, extensions, APR disclosure with the rate caps, five-tier classification and
//! provisions — and the calculator request/response layer that the HTTP API and the CLI share.
//!
//! It is pure: dates and amounts in, amounts out; no database, no clock, no I/O. It is the
//! reference that the daily close's set-based SQL must agree with. Money is [`kernel::Money`]
//! (half-up to the fen), rates are [`kernel::Rate`] (never rounded); no float touches either.
//!
//! Map of the crate:
//! - [`terms`] and [`schedule`] — the loan's terms and its installments (RULES.md §1–2);
//! - [`interest`] — the one exact rounding of interest for a span;
//! - [`accrual`] — spreading each period's interest over its days for the books (§1);
//! - [`overdue`] — penalty and compound interest, grace, days past due (§3);
//! - [`allocation`] — splitting a payment in the product's order (§4);
//! - [`apr`] and [`caps`] — annualised rate disclosure and the rate caps (§5);
//! - [`payoff`], [`prepayment`], [`prepayment_fee`] — early repayment (§6);
//! - [`extension`] — 展期 limits and the new schedule (§7);
//! - [`classification`] and [`provision`] — five tiers and provisions (§8);
//! - [`bulk`] — the integer fast path of one day over a million loans;
//! - [`calculator`] — the JSON bodies and functions behind the calculator endpoints and CLI.

pub mod accrual;
pub mod allocation;
pub mod apr;
pub mod bulk;
pub mod calculator;
pub mod caps;
pub mod classification;
pub mod extension;
pub mod interest;
pub mod overdue;
pub mod payoff;
pub mod prepayment;
pub mod prepayment_fee;
pub mod provision;
pub mod schedule;
pub mod terms;

pub use schedule::{Installment, Schedule, generate};
pub use terms::{BulletInterest, DayBasis, LoanTerms, Method};
