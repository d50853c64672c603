//! 溢缴款冲抵 (RULES.md §4): money a borrower paid beyond what was due waits in the loan's
//! credit balance (224101) for the next installment. When an installment falls due and no
//! payment comes, the daily close applies the credit to it — exactly as a repayment of no cash
//! on that day would be applied, through the same allocation and the same booking — and keeps
//! the application among the repayments (kind `credit_application`), so the repayments
//! ledger (还款台账) and the loan's own list of repayments show where the credit went.

use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};
use time::{Date, OffsetDateTime};

use kernel::{AppError, AppResult, Money, Rate};
use ledgers::domain::account::codes;

use super::db_error;
use super::loan_accounts::{self, LoanSnapshot};
use super::repayments::{Booking, book};
use crate::domain::money_events::{LoanStatus, RepaymentChannel, RepaymentKind};
use crate::domain::servicing::apply_payment;

/// Applies the credit balance of loan `loan_id` to what is due on or before `date`, in the
/// caller's transaction (the close's partition, with its done mark, so it happens once). The
/// loan's row is locked first, as a repayment's confirmation locks it. False when there was
/// nothing to apply: the loan is settled, holds no credit, or nothing is due.
pub async fn apply_credit(
    txn: &impl ConnectionTrait,
    loan_id: i64,
    date: Date,
    now: OffsetDateTime,
) -> AppResult<bool> {
    let loan = loan_accounts::lock_row(txn, loan_id).await?;
    if loan.status != LoanStatus::Active.as_str() {
        return Ok(false);
    }
    let balances = loan_accounts::balances(txn, loan.id).await?;
    if !balances.credit_balance.is_positive() {
        return Ok(false);
    }
    let terms = loan.servicing_terms()?;
    let rate = Rate::annual(loan.annual_rate).map_err(AppError::internal)?;
    let params = terms.overdue_params(rate)?;
    let rule = terms.allocation_rule()?;
    let mut installments = loan_accounts::installments(txn, loan.id).await?;
    let snapshot = LoanSnapshot {
        installments: installments.clone(),
        balances,
        status: loan.status.clone(),
        settled_on: loan.settled_on,
    };
    let outcome = apply_payment(
        &mut installments,
        date,
        Money::ZERO,
        balances.credit_balance,
        &params,
        &rule,
    )?;
    if outcome.totals.total().is_zero() {
        return Ok(false);
    }
    // Recorded as registered first: a confirmed repayment names its voucher, whose source is
    // this row.
    let id: i64 = txn
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "INSERT INTO repayments (loan_id, kind, status, amount, channel, fund_account_code, reference, \
             value_date, department_id, registered_at) \
             VALUES ($1, $2, 'registered', 0, $3, $4, $5, $6, $7, $8) RETURNING id",
            [
                Value::from(loan.id),
                Value::from(RepaymentKind::CreditApplication.as_str()),
                Value::from(RepaymentChannel::CreditBalance.as_str()),
                Value::from(codes::CUSTOMER_CREDIT),
                Value::from(format!("日终 {date} 溢缴款冲抵")),
                Value::from(date),
                Value::from(loan.department_id),
                Value::from(now),
            ],
        ))
        .await
        .map_err(db_error)?
        .ok_or_else(|| AppError::internal("insert returned nothing"))?
        .try_get("", "id")
        .map_err(db_error)?;
    let booking = Booking {
        value_date: date,
        repayment_id: id,
        amount: Money::ZERO,
        fund_account: codes::CUSTOMER_CREDIT,
        made_by: None,
        checked_by: None,
    };
    let (outcome, voucher_id) = book(
        txn,
        &loan,
        terms.vat_rate,
        &snapshot,
        &mut installments,
        outcome,
        &booking,
        now,
    )
    .await?;
    txn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "UPDATE repayments SET status = 'confirmed', allocation = $2, voucher_id = $3, confirmed_at = $4 \
         WHERE id = $1",
        [
            Value::from(id),
            Value::from(serde_json::to_value(&outcome).map_err(AppError::internal)?),
            Value::from(voucher_id),
            Value::from(now),
        ],
    ))
    .await
    .map_err(db_error)?;
    Ok(true)
}
