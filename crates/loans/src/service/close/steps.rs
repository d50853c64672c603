//! The set-based SQL of each partitioned step, over the loans whose ids fall in [lo, hi). Each
//! runs in the caller's transaction with the partition's "done" mark, so it happens once.
//!
//! A step is one statement of data-modifying CTEs. PostgreSQL runs each of them once and to
//! completion whether or not the final SELECT reads it, so the statements select only the count
//! the step reports and return rows only where a later CTE reads them (here and in `quality`).

use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};
use time::{Date, OffsetDateTime};

use kernel::AppResult;

use super::super::credit_application::apply_credit;
use super::super::db_error;

/// 利息计提 (loans not in non-accrual): the current installment's interest accrued through the
/// closing day (RULES.md §1: the period's interest spread over its days, as
/// `InstallmentState::interest_accrued_to`), the increase booked to the sub-ledger's interest
/// receivable now and to 1132 through the step's voucher (the per-loan amounts wait in
/// `close_postings`). Returns the installments.
///
/// Periods follow one another, so the one accruing on the date is the loan's first unsettled
/// installment due after it (if it has begun): one probe of `loan_installments_unsettled_idx`
/// per loan, where a range condition read every future installment of every loan. The loan's
/// product and VAT rate come along from that first read, so the postings find their product
/// without reading the loan again, and so does the row's address: the update goes straight to
/// the row it read (a TID scan) instead of probing the key a second time. Within the one
/// statement the address holds; if a repayment committed a newer version of the row meanwhile,
/// the recheck finds the address moved and leaves the row, and the next close accrues it
/// through its date. One installment per loan means one moved row per loan: the balances and
/// postings take the moved rows as they are, with no grouping per loan between.
pub async fn interest_accrual(
    txn: &impl ConnectionTrait,
    run_id: i64,
    date: Date,
    (lo, hi): (i64, i64),
    now: OffsetDateTime,
) -> AppResult<u64> {
    let moved: i64 = txn
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "WITH target AS ( \
               SELECT i.row_id, i.interest_accrued AS before, l.product_id, \
                 (l.terms->>'vatRate')::numeric AS vat_rate, \
                 least(i.interest, round(i.interest * least($2::date + 1 - i.start_date, i.due_date - i.start_date) \
                   / nullif(i.due_date - i.start_date, 0), 2)) AS after \
               FROM loans l CROSS JOIN LATERAL ( \
                 SELECT i.ctid AS row_id, i.* FROM loan_installments i \
                 WHERE i.loan_id = l.id AND i.settled_on IS NULL AND i.due_date > $2::date \
                 ORDER BY i.due_date LIMIT 1 \
               ) i \
               WHERE l.status = 'active' AND l.non_accrual_since IS NULL \
                 AND l.id >= $3 AND l.id < $4 AND i.start_date <= $2::date \
             ), moved AS ( \
               UPDATE loan_installments i SET interest_accrued = t.after FROM target t \
               WHERE i.ctid = t.row_id AND t.after > t.before \
               RETURNING i.loan_id, t.product_id, t.vat_rate, t.after - t.before AS amount \
             ), balances AS ( \
               UPDATE loan_balances b SET interest_receivable = b.interest_receivable + p.amount, updated_at = $5 \
               FROM moved p WHERE b.loan_id = p.loan_id \
             ), posted AS ( \
               INSERT INTO close_postings (run_id, step, loan_id, product, vat_rate, amount) \
               SELECT $1, 'interest_accrual', p.loan_id, pr.code, p.vat_rate, p.amount FROM moved p \
               JOIN loan_products pr ON pr.id = p.product_id \
             ) \
             SELECT count(*) AS moved FROM moved",
            [
                Value::from(run_id),
                Value::from(date),
                Value::from(lo),
                Value::from(hi),
                Value::from(now),
            ],
        ))
        .await
        .map_err(db_error)?
        .ok_or_else(|| kernel::AppError::internal("the accrual returned nothing"))?
        .try_get("", "moved")
        .map_err(db_error)?;
    Ok(moved as u64)
}

/// 溢缴款冲抵: the active loans of the range that hold a credit balance and have an
/// installment due and unpaid, each applied one by one through the repayments' own allocation
/// (so both agree by construction). Found through the partial index on the loans with credit,
/// which are few: the step reads nothing of the others. Their rows are locked at once, before
/// any voucher: each voucher takes the period's row for its number, and a confirmation holding
/// one of these loans while it waits for that row would otherwise deadlock with the close.
/// Returns the loans applied.
pub async fn credit_application(
    txn: &impl ConnectionTrait,
    date: Date,
    (lo, hi): (i64, i64),
    now: OffsetDateTime,
) -> AppResult<u64> {
    let loans = txn
        .query_all_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT b.loan_id FROM loan_balances b JOIN loans l ON l.id = b.loan_id \
             WHERE b.credit_balance > 0 AND b.loan_id >= $2 AND b.loan_id < $3 AND l.status = 'active' \
               AND EXISTS (SELECT 1 FROM loan_installments i WHERE i.loan_id = b.loan_id \
                 AND i.settled_on IS NULL AND i.due_date <= $1::date) \
             ORDER BY b.loan_id FOR UPDATE OF l",
            [Value::from(date), Value::from(lo), Value::from(hi)],
        ))
        .await
        .map_err(db_error)?;
    let mut applied = 0;
    for row in loans {
        let loan_id: i64 = row.try_get("", "loan_id").map_err(db_error)?;
        if apply_credit(txn, loan_id, date, now).await? {
            applied += 1;
        }
    }
    Ok(applied)
}

/// 逾期转列: principal due on or before the closing date and still unpaid moves from 本金-正常
/// to 本金-逾期, in the sub-ledger now and in the general ledger through the step's voucher
/// (the per-loan amounts wait in `close_postings`). Returns the installments moved.
///
/// The range's unsettled installments due by the date are read from
/// `loan_installments_unsettled_idx` in one pass, and only the few not yet moved look up their
/// loan: starting from the loans probed the index once per loan, ten thousand probes a
/// partition for the few hundred installments falling due (a third less time in the benchmark).
pub async fn overdue_transfer(
    txn: &impl ConnectionTrait,
    run_id: i64,
    date: Date,
    (lo, hi): (i64, i64),
    now: OffsetDateTime,
) -> AppResult<u64> {
    let moved: i64 = txn
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "WITH moved AS ( \
               UPDATE loan_installments i SET overdue_since = $2::date + 1 \
               WHERE i.loan_id >= $3 AND i.loan_id < $4 \
                 AND i.settled_on IS NULL AND i.overdue_since IS NULL AND i.due_date <= $2::date \
                 AND EXISTS (SELECT 1 FROM loans l WHERE l.id = i.loan_id AND l.status = 'active') \
               RETURNING i.loan_id, i.principal - i.paid_principal AS amount \
             ), per_loan AS ( \
               SELECT loan_id, sum(amount) AS amount FROM moved GROUP BY loan_id HAVING sum(amount) > 0 \
             ), balances AS ( \
               UPDATE loan_balances b SET principal_normal = b.principal_normal - p.amount, \
                 principal_overdue = b.principal_overdue + p.amount, updated_at = $5 \
               FROM per_loan p WHERE b.loan_id = p.loan_id \
             ), posted AS ( \
               INSERT INTO close_postings (run_id, step, loan_id, product, vat_rate, amount) \
               SELECT $1, 'overdue_transfer', p.loan_id, pr.code, (l.terms->>'vatRate')::numeric, p.amount FROM per_loan p \
               JOIN loans l ON l.id = p.loan_id JOIN loan_products pr ON pr.id = l.product_id \
             ) \
             SELECT count(*) AS moved FROM moved",
            [
                Value::from(run_id),
                Value::from(date),
                Value::from(lo),
                Value::from(hi),
                Value::from(now),
            ],
        ))
        .await
        .map_err(db_error)?
        .ok_or_else(|| kernel::AppError::internal("the transfer returned nothing"))?
        .try_get("", "moved")
        .map_err(db_error)?;
    Ok(moved as u64)
}

/// Memo penalty (罚息) and compound interest (复利) for the closing day, per installment past
/// its due date and grace (RULES.md §3): the day's amount on the unpaid principal and interest
/// at the contract rate × multiplier, divided by the basis last, to 8 places, as
/// `InstallmentState::accrue_to` computes it, from where accrual stopped through the day.
pub async fn penalty_accrual(
    txn: &impl ConnectionTrait,
    date: Date,
    (lo, hi): (i64, i64),
) -> AppResult<u64> {
    let done = txn
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "WITH rates AS ( \
               SELECT l.id, l.annual_rate * (l.terms->>'penaltyMultiplier')::numeric AS rate, \
                      (l.terms->>'dayBasis')::numeric AS basis, (l.terms->>'graceDays')::int AS grace \
               FROM loans l WHERE l.status = 'active' AND l.id >= $2 AND l.id < $3 \
             ) \
             UPDATE loan_installments i SET \
               penalty_accrued = i.penalty_accrued + round((i.principal - i.paid_principal) * r.rate / r.basis, 8) \
                 * (($1::date + 1) - greatest(coalesce(i.accrued_through, i.due_date), i.due_date)), \
               compound_accrued = i.compound_accrued + round((i.interest - i.paid_interest) * r.rate / r.basis, 8) \
                 * (($1::date + 1) - greatest(coalesce(i.accrued_through, i.due_date), i.due_date)), \
               accrued_through = $1::date + 1 \
             FROM rates r \
             WHERE i.loan_id = r.id AND i.loan_id >= $2 AND i.loan_id < $3 \
               AND i.settled_on IS NULL AND i.due_date <= $1::date \
               AND ($1::date + 1) - i.due_date > r.grace \
               AND greatest(coalesce(i.accrued_through, i.due_date), i.due_date) < $1::date + 1",
            [Value::from(date), Value::from(lo), Value::from(hi)],
        ))
        .await
        .map_err(db_error)?;
    Ok(done.rows_affected())
}
