//! The general ledger (总账): what the books say.
//!
//! This crate owns the chart of accounts (会计科目, RULES.md §9), monthly accounting periods,
//! vouchers (记账凭证) and the business date (营业日期). Other crates post through
//! [`service::vouchers::post`] inside their own transaction, so a business change and its
//! voucher commit or fail together.
//!
//! - [`domain`]: the pure rules — a voucher draft balances, a period is the voucher date's month.
//! - [`service`]: one use case per function. The database backs the rules up: posted vouchers
//!   cannot change, a closed period takes no postings, every voucher balances at commit.

pub mod domain;
pub mod service;

pub use service::LedgersContext;
