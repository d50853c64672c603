//! Pure rules of the ledger.

pub mod account;
pub mod voucher;
