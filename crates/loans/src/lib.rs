//! Loans (贷款): the crate that owns the loan (DESIGN.md §5). It will hold products,
//! applications, contracts, the loan with its installments, state machine and sub-ledger; for
//! now it holds the loan products (贷款产品) and their loan-method settings (贷款方式设置), and
//! loan applications (贷款申请) up to their approval: screening, assignment, the pre-loan
//! investigation and the review through a `workflow` flow.
//!
//! - [`domain`] is pure: a product's terms, their validation with camelCase field paths, and
//!   the worst-case APR check against the caps (RULES.md §5), all through `calc`'s arithmetic.
//! - [`repo`] holds the sea-orm entities; [`service`] one use case per function, each in one
//!   transaction that also writes its audit record.
//!
//! A product's terms are versioned: every edit writes a new version row and never changes an
//! old one, so a loan can keep the version it was signed under.

pub mod domain;
pub mod repo;
pub mod service;

pub use service::LoansContext;
