//! Use cases of the ledger. Posting runs inside the caller's transaction; the rest each own one.

pub mod accounts;
pub mod business_date;
pub mod exports;
pub mod journal;
pub mod periods;
pub mod statements;
pub mod trial_balance;
pub mod vouchers;

use kernel::{AppError, SharedClock};
use sea_orm::{DatabaseConnection, DbErr};

#[derive(Clone)]
pub struct LedgersContext {
    pub db: DatabaseConnection,
    pub clock: SharedClock,
}

/// A database failure as the caller should see it. The ledger's triggers name their rule in
/// the constraint, which becomes the problem's code.
pub fn db_error(e: DbErr) -> AppError {
    let text = e.to_string();
    const RULES: &[(&str, &str, &str)] = &[
        (
            "period_closed",
            "period_closed",
            "the accounting period is closed; reopen it or post in an open period",
        ),
        (
            "vouchers_immutable",
            "voucher_immutable",
            "a posted voucher never changes; post a reversal instead",
        ),
        (
            "accounts_in_use",
            "account_in_use",
            "the account has postings; its type cannot change",
        ),
        (
            "accounts_like_parent",
            "account_unlike_parent",
            "a sub-account takes its parent's category and direction",
        ),
    ];
    for (constraint, code, message) in RULES {
        if text.contains(constraint) {
            return AppError::conflict(*code, *message);
        }
    }
    iam::service::db_error(e)
}
