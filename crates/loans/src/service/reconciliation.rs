//! The reconciliation (总分核对, RULES.md §10): the loans' sub-ledgers summed equal the general
//! ledger's control accounts, loan by loan as well as in total, and total debits equal total
//! credits. Run on demand, by the `chedai reconcile` command, and after every API test.

use rust_decimal::Decimal;
use sea_orm::{ConnectionTrait, DbBackend, FromQueryResult, Statement};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use kernel::{AppError, AppResult, Money};
use ledgers::domain::account::codes;

use super::db_error;

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReconciliationCheck {
    /// e.g. `principal_normal = 130301`
    pub name: String,
    pub sub_ledger: Money,
    pub general_ledger: Money,
    pub ok: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Reconciliation {
    pub checks: Vec<ReconciliationCheck>,
    /// Posted debits and credits over the whole ledger.
    pub total_debit: Money,
    pub total_credit: Money,
    /// Loans whose own balances differ from their lines in the ledger (at most 50).
    pub loans_out_of_line: Vec<i64>,
    pub ok: bool,
}

/// Sub-ledger column ↔ control account, with the side the account's balance stands on.
const PAIRS: &[(&str, &str)] = &[
    ("principal_normal", codes::PRINCIPAL_NORMAL),
    ("principal_overdue", codes::PRINCIPAL_OVERDUE),
    ("principal_extended", codes::PRINCIPAL_EXTENDED),
    ("principal_impaired", codes::PRINCIPAL_IMPAIRED),
    ("interest_receivable", codes::INTEREST_RECEIVABLE),
    ("credit_balance", codes::CUSTOMER_CREDIT),
    ("allowance", codes::ALLOWANCE_SPECIFIC),
];

/// Credit-side accounts among the pairs: their balance is credits − debits.
fn credit_side(code: &str) -> bool {
    code == codes::CUSTOMER_CREDIT || code == codes::ALLOWANCE_SPECIFIC
}

fn money(d: Decimal) -> AppResult<Money> {
    Money::from_decimal(
        d.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero),
    )
    .map_err(AppError::internal)
}

pub async fn run(db: &impl ConnectionTrait) -> AppResult<Reconciliation> {
    #[derive(FromQueryResult)]
    struct Totals {
        debit: Decimal,
        credit: Decimal,
    }
    let totals = Totals::find_by_statement(Statement::from_string(
        DbBackend::Postgres,
        "SELECT coalesce(sum(l.debit), 0) AS debit, coalesce(sum(l.credit), 0) AS credit \
         FROM voucher_lines l JOIN vouchers v ON v.id = l.voucher_id WHERE v.status = 'posted'",
    ))
    .one(db)
    .await
    .map_err(db_error)?
    .ok_or_else(|| AppError::internal("no totals"))?;

    let mut checks = Vec::new();
    let mut out_of_line: Vec<i64> = Vec::new();
    // The daily close's per-loan detail behind its per-product vouchers.
    let detail = super::close::DETAIL_POSTINGS
        .iter()
        .map(|(step, code, factor)| format!("('{step}', '{code}', {factor})"))
        .collect::<Vec<_>>()
        .join(", ");
    for (column, code) in PAIRS {
        let side = if credit_side(code) { -1 } else { 1 };
        let sign = if credit_side(code) {
            "l.credit - l.debit"
        } else {
            "l.debit - l.credit"
        };
        #[derive(FromQueryResult)]
        struct Pair {
            sub_ledger: Decimal,
            general_ledger: Decimal,
        }
        let pair = Pair::find_by_statement(Statement::from_string(
            DbBackend::Postgres,
            format!(
                "SELECT (SELECT coalesce(sum({column}), 0) FROM loan_balances) AS sub_ledger, \
                 (SELECT coalesce(sum({sign}), 0) FROM voucher_lines l JOIN vouchers v ON v.id = l.voucher_id \
                  WHERE v.status = 'posted' AND l.account_code = '{code}') AS general_ledger"
            ),
        ))
        .one(db)
        .await
        .map_err(db_error)?
        .ok_or_else(|| AppError::internal("no pair"))?;
        let (s, g) = (money(pair.sub_ledger)?, money(pair.general_ledger)?);
        checks.push(ReconciliationCheck {
            name: format!("{column} = {code}"),
            sub_ledger: s,
            general_ledger: g,
            ok: s == g,
        });
        #[derive(FromQueryResult)]
        struct Off {
            loan_id: i64,
        }
        let off = Off::find_by_statement(Statement::from_string(
            DbBackend::Postgres,
            format!(
                "SELECT b.loan_id FROM loan_balances b LEFT JOIN ( \
                   SELECT loan_id, sum(amount) AS amount FROM ( \
                     SELECT l.loan_id, {sign} AS amount FROM voucher_lines l \
                     JOIN vouchers v ON v.id = l.voucher_id \
                     WHERE v.status = 'posted' AND l.account_code = '{code}' AND l.loan_id IS NOT NULL \
                     UNION ALL \
                     SELECT p.loan_id, p.amount * f.factor * {side} FROM close_postings p \
                     JOIN close_steps s ON s.run_id = p.run_id AND s.step = p.step AND s.status = 'done' \
                     JOIN (VALUES {detail}) AS f(step, code, factor) ON f.step = p.step \
                     WHERE f.code = '{code}') x \
                   GROUP BY loan_id) g ON g.loan_id = b.loan_id \
                 WHERE b.{column} <> coalesce(g.amount, 0) ORDER BY b.loan_id LIMIT 50"
            ),
        ))
        .all(db)
        .await
        .map_err(db_error)?;
        out_of_line.extend(off.into_iter().map(|o| o.loan_id));
    }
    out_of_line.sort_unstable();
    out_of_line.dedup();
    out_of_line.truncate(50);
    let (total_debit, total_credit) = (money(totals.debit)?, money(totals.credit)?);
    Ok(Reconciliation {
        ok: total_debit == total_credit && checks.iter().all(|c| c.ok) && out_of_line.is_empty(),
        checks,
        total_debit,
        total_credit,
        loans_out_of_line: out_of_line,
    })
}
