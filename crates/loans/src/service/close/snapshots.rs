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
/// - `cur`: each loan of the range that is active or still has a current history row, with
///   its end-of-day figures, its product and that current row (one read; the later parts only
///   filter it, so no plan joins one CTE to another row by row);
/// - `closed`: the current rows whose figures differ, or whose loan is no longer active,
///   closed at the date;
/// - `opened`: a new current row for each active loan closed just now or without one. Its
///   gate (`SELECT count(*) FROM closed`) runs the whole update before the first insert, so an
///   old current row has left the unique index of current rows before its successor arrives —
///   that index is checked row by row, not at the statement's end;
/// - the day's aggregate of the active loans per product and class (a data-modifying CTE runs
///   to its end whether or not the statement reads it, so nothing reads it).
const SNAPSHOT: &str = "\
  WITH cur AS MATERIALIZED ( \
    SELECT l.id AS loan_id, l.status = 'active' AS active, \
      b.principal_normal + b.principal_overdue + b.principal_extended + b.principal_impaired AS outstanding, \
      b.principal_overdue AS overdue, b.interest_receivable AS receivable, l.classification, \
      pr.code AS product, h.valid_from AS open_from, \
      (h.principal_outstanding, h.principal_overdue, h.classification) IS DISTINCT FROM \
        (b.principal_normal + b.principal_overdue + b.principal_extended + b.principal_impaired, \
         b.principal_overdue, l.classification) AS differs \
    FROM loans l JOIN loan_balances b ON b.loan_id = l.id \
      JOIN loan_products pr ON pr.id = l.product_id \
      LEFT JOIN loan_balance_history h ON h.loan_id = l.id AND h.valid_to IS NULL \
    WHERE l.id >= $2 AND l.id < $3 AND (l.status = 'active' OR h.loan_id IS NOT NULL) \
  ), closed AS ( \
    UPDATE loan_balance_history h SET valid_to = $1::date FROM cur c \
    WHERE c.open_from < $1::date AND (NOT c.active OR c.differs) \
      AND h.loan_id = c.loan_id AND h.valid_from = c.open_from \
    RETURNING h.loan_id \
  ), opened AS ( \
    INSERT INTO loan_balance_history (loan_id, valid_from, principal_outstanding, principal_overdue, classification) \
    SELECT c.loan_id, $1::date, c.outstanding, c.overdue, c.classification FROM cur c \
    WHERE c.active AND (c.open_from IS NULL OR (c.open_from < $1::date AND c.differs)) \
      AND (SELECT count(*) FROM closed) >= 0 \
    ON CONFLICT DO NOTHING \
    RETURNING loan_id \
  ), aggregate AS ( \
    INSERT INTO portfolio_quality_daily (business_date, partition_lo, product_code, classification, \
      loan_count, principal_outstanding, principal_overdue, interest_receivable) \
    SELECT $1::date, $2, product, classification, count(*), sum(outstanding), sum(overdue), sum(receivable) \
    FROM cur WHERE active GROUP BY product, classification \
    ON CONFLICT DO NOTHING \
  ) \
  SELECT (SELECT count(*) FROM closed) + (SELECT count(*) FROM opened) AS history_rows";

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
