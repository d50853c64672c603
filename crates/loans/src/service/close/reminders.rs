//! 还款提醒 in the daily close (DESIGN.md §6, "queue reminders"): messages to borrowers written
//! to the outbox (`notify`) for the loans whose ids fall in [lo, hi), in the partition's
//! transaction. Delivery is the notifications work's; here every message starts `pending`.
//!
//! - `repayment_due`: an unsettled installment of an active loan falling due 3 days after the
//!   closing date, and again one falling due the next day. Subject: the installment and how
//!   many days before its due date.
//! - `overdue`: a loan whose days past due (as the classification step has just set them, as
//!   of the next day) reach 1, 7, 15 or 30. Subject: the overdue episode (its oldest unpaid
//!   due date) and the day count.
//!
//! The amount is what the borrower owes in principal and interest and has not paid: of the
//! installment for `repayment_due`, of every installment due by the closing date for
//! `overdue`. Each message's dedupe key is its subject, so a rerun writes nothing twice.

use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};
use time::{Date, OffsetDateTime};

use kernel::AppResult;
use notify::outbox::{TEMPLATE_OVERDUE, TEMPLATE_REPAYMENT_DUE, insert_select};

use super::super::db_error;

/// Days before a due date when the borrower is reminded.
pub const DAYS_BEFORE_DUE: [i32; 2] = [3, 1];
/// Days past due when the borrower is reminded again.
pub const DAYS_PAST_DUE: [i32; 4] = [1, 7, 15, 30];

/// Writes the partition's reminders of the day; returns how many were new.
pub async fn reminders(
    txn: &impl ConnectionTrait,
    date: Date,
    (lo, hi): (i64, i64),
    now: OffsetDateTime,
) -> AppResult<u64> {
    let values = || {
        [
            Value::from(date),
            Value::from(lo),
            Value::from(hi),
            Value::from(now),
        ]
    };
    // Through loan_installments_unsettled_due_loan_idx: a few due dates, then the id range.
    let due = insert_select(&format!(
        "SELECT 'sms', l.customer_id, l.id, l.department_id, l.manager_id, '{TEMPLATE_REPAYMENT_DUE}', \
           jsonb_build_object('loanNo', l.loan_no, 'period', i.period, \
             'dueDate', to_char(i.due_date, 'YYYY-MM-DD'), 'daysBefore', i.due_date - $1::date, \
             'amountDue', (i.principal - i.paid_principal + i.interest - i.paid_interest)::text), \
           '{TEMPLATE_REPAYMENT_DUE}:' || l.id || ':' || i.period || ':' || to_char(i.due_date, 'YYYY-MM-DD') \
             || ':' || (i.due_date - $1::date), \
           $1::date, $4 \
         FROM loan_installments i JOIN loans l ON l.id = i.loan_id \
         WHERE i.settled_on IS NULL AND i.due_date IN ({}) \
           AND i.loan_id >= $2 AND i.loan_id < $3 AND l.status = 'active'",
        DAYS_BEFORE_DUE
            .map(|d| format!("$1::date + {d}"))
            .join(", ")
    ));
    // Through loan_installments_unsettled_due_loan_idx, like the due reminders: a loan D days
    // past due has its oldest unpaid installment due on the closing date + 1 − D, so the
    // installments falling on those few dates lead to the loans (the days past due as the
    // classification step has just set them say which is the oldest).
    let overdue = insert_select(&format!(
        "SELECT 'sms', l.customer_id, l.id, l.department_id, l.manager_id, '{TEMPLATE_OVERDUE}', \
           jsonb_build_object('loanNo', l.loan_no, 'dueDate', to_char(i.due_date, 'YYYY-MM-DD'), \
             'daysPastDue', l.days_past_due, 'amountDue', o.amount::text), \
           '{TEMPLATE_OVERDUE}:' || l.id || ':' || to_char(i.due_date, 'YYYY-MM-DD') || ':' || l.days_past_due, \
           $1::date, $4 \
         FROM loan_installments i JOIN loans l ON l.id = i.loan_id \
         CROSS JOIN LATERAL ( \
           SELECT sum(u.principal - u.paid_principal + u.interest - u.paid_interest) AS amount \
           FROM loan_installments u \
           WHERE u.loan_id = l.id AND u.settled_on IS NULL AND u.due_date <= $1::date \
         ) o \
         WHERE i.settled_on IS NULL AND i.due_date IN ({}) \
           AND i.loan_id >= $2 AND i.loan_id < $3 \
           AND l.status = 'active' AND l.days_past_due = $1::date + 1 - i.due_date",
        DAYS_PAST_DUE
            .map(|d| format!("$1::date - {}", d - 1))
            .join(", ")
    ));
    let mut written = 0;
    for sql in [due, overdue] {
        written += txn
            .execute_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                sql,
                values(),
            ))
            .await
            .map_err(db_error)?
            .rows_affected();
    }
    Ok(written)
}
