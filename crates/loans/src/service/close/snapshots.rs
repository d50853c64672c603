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

use kernel::{AppError, AppResult};

use super::super::db_error;

/// The partition's snapshot in one statement, so the loans' figures are read once for the
/// history and the aggregate alike:
///
/// - `cur`: each active loan's end-of-day figures and product;
/// - `closed`: the current history rows whose figures differ (or whose loan is no longer
///   active) closed at the date;
/// - `opened`: a new current row for each loan closed just now or without one. It reads every
///   row of `closed` before it inserts (a hashed sub-plan), so an old current row has left the
///   unique index of current rows before its successor arrives — that index is checked row by
///   row, not at the statement's end;
/// - the day's aggregate per product and class.
const SNAPSHOT: &str = "\
  WITH cur AS MATERIALIZED ( \
    SELECT l.id AS loan_id, \
      b.principal_normal + b.principal_overdue + b.principal_extended + b.principal_impaired AS outstanding, \
      b.principal_overdue AS overdue, b.interest_receivable AS receivable, l.classification, pr.code AS product \
    FROM loans l JOIN loan_balances b ON b.loan_id = l.id \
      JOIN loan_applications a ON a.id = l.application_id JOIN loan_products pr ON pr.id = a.product_id \
    WHERE l.status = 'active' AND l.id >= $2 AND l.id < $3 \
  ), open AS MATERIALIZED ( \
    SELECT h.loan_id, h.valid_from, h.principal_outstanding, h.principal_overdue, h.classification \
    FROM loan_balance_history h WHERE h.valid_to IS NULL AND h.loan_id >= $2 AND h.loan_id < $3 \
  ), closed AS ( \
    UPDATE loan_balance_history h SET valid_to = $1::date \
    FROM open o LEFT JOIN cur c ON c.loan_id = o.loan_id \
    WHERE o.valid_from < $1::date \
      AND (c.loan_id IS NULL OR (c.outstanding, c.overdue, c.classification) \
           IS DISTINCT FROM (o.principal_outstanding, o.principal_overdue, o.classification)) \
      AND h.loan_id = o.loan_id AND h.valid_from = o.valid_from AND h.valid_to IS NULL \
    RETURNING h.loan_id \
  ), opened AS ( \
    INSERT INTO loan_balance_history (loan_id, valid_from, principal_outstanding, principal_overdue, classification) \
    SELECT c.loan_id, $1::date, c.outstanding, c.overdue, c.classification FROM cur c \
    WHERE c.loan_id IN (SELECT loan_id FROM closed) \
       OR NOT EXISTS (SELECT 1 FROM open o WHERE o.loan_id = c.loan_id) \
    ON CONFLICT DO NOTHING \
    RETURNING loan_id \
  ), aggregate AS ( \
    INSERT INTO portfolio_quality_daily (business_date, partition_lo, product_code, classification, \
      loan_count, principal_outstanding, principal_overdue, interest_receivable) \
    SELECT $1::date, $2, product, classification, count(*), sum(outstanding), sum(overdue), sum(receivable) \
    FROM cur GROUP BY product, classification \
    ON CONFLICT DO NOTHING \
    RETURNING 1 \
  ) \
  SELECT (SELECT count(*) FROM closed) + (SELECT count(*) FROM opened) AS history_rows, \
    (SELECT count(*) FROM aggregate) AS aggregate_rows";

/// Writes the partition's snapshot of the day; returns the history rows closed and opened.
pub async fn balance_snapshots(
    txn: &impl ConnectionTrait,
    date: Date,
    (lo, hi): (i64, i64),
) -> AppResult<u64> {
    let rows: i64 = txn
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            SNAPSHOT,
            [Value::from(date), Value::from(lo), Value::from(hi)],
        ))
        .await
        .map_err(db_error)?
        .ok_or_else(|| AppError::internal("the snapshot returned nothing"))?
        .try_get("", "history_rows")
        .map_err(db_error)?;
    Ok(rows as u64)
}
