//! 余额快照 in the daily close (DESIGN.md §6, "snapshot balances"), for the loans whose ids
//! fall in [lo, hi), in the partition's transaction:
//!
//! - the loan's balance history (`loan_balance_history`) gains a row only when its end-of-day
//!   figures (principal outstanding, principal overdue, class) differ from its current row:
//!   the current row is closed at the closing date and a new one opens on it. A loan no longer
//!   active has its current row closed, so its later days count as nothing. Most loans change
//!   on a few days a month, so a million loans do not write a million rows a day;
//! - the day's aggregate per product and class (`portfolio_quality_daily`), one set of rows
//!   per partition, kept by its primary key.
//!
//! A rerun finds the current rows equal to the figures and the aggregate there, and writes
//! nothing.

use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};
use time::Date;

use kernel::AppResult;

use super::super::db_error;

/// The active loans' end-of-day figures in the partition.
const CURRENT: &str = "\
  SELECT l.id AS loan_id, \
    b.principal_normal + b.principal_overdue + b.principal_extended + b.principal_impaired AS outstanding, \
    b.principal_overdue AS overdue, l.classification \
  FROM loans l JOIN loan_balances b ON b.loan_id = l.id \
  WHERE l.status = 'active' AND l.id >= $2 AND l.id < $3";

/// Writes the partition's snapshot of the day; returns the history rows closed and opened.
pub async fn balance_snapshots(
    txn: &impl ConnectionTrait,
    date: Date,
    (lo, hi): (i64, i64),
) -> AppResult<u64> {
    let values = || [Value::from(date), Value::from(lo), Value::from(hi)];
    // Closing first: the new current row would otherwise meet the old one in the unique
    // index of current rows (it is checked row by row, not at the statement's end).
    let close = format!(
        "WITH cur AS ({CURRENT}) \
         UPDATE loan_balance_history h SET valid_to = $1::date \
         FROM loan_balance_history o LEFT JOIN cur c ON c.loan_id = o.loan_id \
         WHERE o.valid_to IS NULL AND o.loan_id >= $2 AND o.loan_id < $3 AND o.valid_from < $1::date \
           AND (c.loan_id IS NULL OR (c.outstanding, c.overdue, c.classification) \
                IS DISTINCT FROM (o.principal_outstanding, o.principal_overdue, o.classification)) \
           AND h.loan_id = o.loan_id AND h.valid_from = o.valid_from"
    );
    let open = format!(
        "WITH cur AS ({CURRENT}) \
         INSERT INTO loan_balance_history (loan_id, valid_from, principal_outstanding, principal_overdue, classification) \
         SELECT c.loan_id, $1::date, c.outstanding, c.overdue, c.classification FROM cur c \
         WHERE NOT EXISTS (SELECT 1 FROM loan_balance_history h WHERE h.loan_id = c.loan_id AND h.valid_to IS NULL) \
         ON CONFLICT DO NOTHING"
    );
    let aggregate = "\
        INSERT INTO portfolio_quality_daily (business_date, partition_lo, product_code, classification, \
          loan_count, principal_outstanding, principal_overdue, interest_receivable) \
        SELECT $1::date, $2, pr.code, l.classification, count(*), \
          sum(b.principal_normal + b.principal_overdue + b.principal_extended + b.principal_impaired), \
          sum(b.principal_overdue), sum(b.interest_receivable) \
        FROM loans l JOIN loan_balances b ON b.loan_id = l.id \
          JOIN loan_applications a ON a.id = l.application_id JOIN loan_products pr ON pr.id = a.product_id \
        WHERE l.status = 'active' AND l.id >= $2 AND l.id < $3 \
        GROUP BY pr.code, l.classification \
        ON CONFLICT DO NOTHING"
        .to_string();
    let mut history_rows = 0;
    for (sql, counts) in [(close, true), (open, true), (aggregate, false)] {
        let done = txn
            .execute_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                sql,
                values(),
            ))
            .await
            .map_err(db_error)?
            .rows_affected();
        if counts {
            history_rows += done;
        }
    }
    Ok(history_rows)
}
