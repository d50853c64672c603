//! Repayments (还款登记 → 还款财务确认): a cashier registers money received; finance confirms
//! it. Confirmation, in one transaction on the loan's locked row, applies the payment in the
//! product's order (RULES.md §4), updates the installments and the sub-ledger, and posts the
//! cash-basis voucher (RULES.md §10). Concurrent confirmations on one loan queue on its row.

use rust_decimal::Decimal;
use sea_orm::{ConnectionTrait, DbBackend, FromQueryResult, Statement, Value};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::{IntoParams, ToSchema};

use iam::Actor;
use iam::service::idempotency::IdempotencyKey;
use iam::service::sql::{self, Where};
use iam::service::{audit, check_version, scope};
use kernel::error::FieldErrors;
use kernel::{AppError, AppResult, Money, Page, PageRequest, Rate};
use ledgers::domain::account::{codes, is_within};
use ledgers::service::{accounts, business_date, vouchers};

use super::loan_accounts::{self, LoanRow, LoanSnapshot};
use super::{LoansContext, applications, db_error, products};
use crate::domain::money_events::{
    CheckDecision, LoanStatus, Reamortisation, RepaymentChannel, RepaymentKind, RepaymentStatus,
    check_registration,
};
use crate::domain::prepayment::{self, PrepaymentPlan, apply_prepayment};
use crate::domain::servicing::{
    InstallmentState, MoneyEvent, PaymentOutcome, PayoffFigures, apply_payment, apply_payoff,
    payoff_figures, repayment_voucher, settle_accrued_interest, split_overdue_principal,
};
use crate::domain::{ProductTerms, ValidTerms};
use calc::calculator::DecimalString;
use calc::terms::LoanTerms;

pub use super::keyed::CheckInput;
use super::keyed::{self, Keyed};

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Repayment {
    pub id: i64,
    pub loan_id: i64,
    pub loan_no: String,
    pub customer_id: i64,
    pub customer_name: String,
    pub kind: RepaymentKind,
    pub status: RepaymentStatus,
    pub amount: Money,
    /// A prepayment's principal and what the borrower keeps.
    pub prepaid_principal: Option<Money>,
    pub reamortisation: Option<Reamortisation>,
    pub channel: RepaymentChannel,
    pub fund_account_code: String,
    pub fund_account_name: String,
    /// The bank's or channel's transaction reference (流水号), or the cash receipt number.
    pub reference: String,
    /// The day the money arrived.
    pub value_date: Date,
    /// The cashier who registered it; none for an application from credit, which the daily
    /// close makes by itself.
    pub registered_by: Option<i64>,
    pub registered_by_name: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub registered_at: OffsetDateTime,
    pub confirmed_by_name: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub confirmed_at: Option<OffsetDateTime>,
    pub review_comment: Option<String>,
    /// How the money was applied, once confirmed.
    pub allocation: Option<PaymentOutcome>,
    pub voucher_id: Option<i64>,
    pub version: i32,
}

#[derive(FromQueryResult)]
struct Row {
    id: i64,
    loan_id: i64,
    loan_no: String,
    customer_id: i64,
    customer_name: String,
    kind: String,
    status: String,
    amount: Decimal,
    prepaid_principal: Option<Decimal>,
    reamortisation: Option<String>,
    channel: String,
    fund_account_code: String,
    fund_account_name: String,
    reference: String,
    value_date: Date,
    registered_by: Option<i64>,
    registered_by_name: Option<String>,
    registered_at: OffsetDateTime,
    confirmed_by_name: Option<String>,
    confirmed_at: Option<OffsetDateTime>,
    review_comment: Option<String>,
    allocation: Option<serde_json::Value>,
    voucher_id: Option<i64>,
    version: i32,
}

impl Row {
    fn into_view(self) -> AppResult<Repayment> {
        Ok(Repayment {
            kind: RepaymentKind::parse(&self.kind)?,
            status: RepaymentStatus::parse(&self.status)?,
            channel: RepaymentChannel::parse(&self.channel)?,
            amount: Money::from_decimal(self.amount).map_err(AppError::internal)?,
            prepaid_principal: self
                .prepaid_principal
                .map(Money::from_decimal)
                .transpose()
                .map_err(AppError::internal)?,
            reamortisation: self
                .reamortisation
                .as_deref()
                .map(Reamortisation::parse)
                .transpose()?,
            allocation: self
                .allocation
                .map(serde_json::from_value)
                .transpose()
                .map_err(AppError::internal)?,
            id: self.id,
            loan_id: self.loan_id,
            loan_no: self.loan_no,
            customer_id: self.customer_id,
            customer_name: self.customer_name,
            fund_account_code: self.fund_account_code,
            fund_account_name: self.fund_account_name,
            reference: self.reference,
            value_date: self.value_date,
            registered_by: self.registered_by,
            registered_by_name: self.registered_by_name,
            registered_at: self.registered_at,
            confirmed_by_name: self.confirmed_by_name,
            confirmed_at: self.confirmed_at,
            review_comment: self.review_comment,
            voucher_id: self.voucher_id,
            version: self.version,
        })
    }
}

const COLUMNS: &str = "r.id, r.loan_id, l.loan_no, l.customer_id, c.name AS customer_name, r.kind, r.status, \
    r.amount, r.prepaid_principal, r.reamortisation, r.channel, r.fund_account_code, fa.name AS fund_account_name, r.reference, r.value_date, \
    r.registered_by, ru.display_name AS registered_by_name, r.registered_at, \
    cu.display_name AS confirmed_by_name, r.confirmed_at, r.review_comment, r.allocation, r.voucher_id, r.version";
const FROM: &str = "repayments r JOIN loans l ON l.id = r.loan_id JOIN customers c ON c.id = l.customer_id \
    JOIN accounts fa ON fa.code = r.fund_account_code LEFT JOIN users ru ON ru.id = r.registered_by \
    LEFT JOIN users cu ON cu.id = r.confirmed_by";
/// One's own: registered by one, or on a loan one manages.
const OWN: &str = "r.registered_by = $? OR l.manager_id = $?";

async fn load(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<Repayment> {
    let mut w = Where::new();
    w.and("r.id = $?", [Value::from(id)]);
    scope::restrict(&mut w, actor, "r.department_id", OWN);
    Row::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        format!("SELECT {COLUMNS} FROM {FROM} WHERE {}", w.sql()),
        w.values(),
    ))
    .one(db)
    .await
    .map_err(db_error)?
    .ok_or_else(|| AppError::not_found("repayment"))?
    .into_view()
}

pub async fn get(ctx: &LoansContext, actor: &Actor, id: i64) -> AppResult<Repayment> {
    load(&ctx.db, actor, id).await
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct RepaymentFilter {
    pub status: Option<RepaymentStatus>,
    pub loan_id: Option<i64>,
    /// Loan number or customer name, in part.
    pub q: Option<String>,
    pub from: Option<Date>,
    pub to: Option<Date>,
}

/// Repayments in the actor's scope, newest first (还款台账).
pub async fn list(
    ctx: &LoansContext,
    actor: &Actor,
    filter: &RepaymentFilter,
    page: &PageRequest,
) -> AppResult<Page<Repayment>> {
    let mut w = Where::new();
    scope::restrict(&mut w, actor, "r.department_id", OWN);
    if let Some(s) = filter.status {
        w.and("r.status = $?", [Value::from(s.as_str())]);
    }
    if let Some(l) = filter.loan_id {
        w.and("r.loan_id = $?", [Value::from(l)]);
    }
    if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        w.and(
            "(l.loan_no ILIKE $? OR c.name ILIKE $?)",
            [Value::from(sql::contains(q)), Value::from(sql::contains(q))],
        );
    }
    if let Some(d) = filter.from {
        w.and("r.value_date >= $?", [Value::from(d)]);
    }
    if let Some(d) = filter.to {
        w.and("r.value_date <= $?", [Value::from(d)]);
    }
    let rows: Page<Row> = w
        .page_counting_over(&ctx.db, COLUMNS, FROM, FROM, "r.id DESC", page)
        .await?;
    let total = rows.total;
    let items = rows
        .items
        .into_iter()
        .map(Row::into_view)
        .collect::<AppResult<Vec<_>>>()?;
    Ok(Page::new(items, total, page))
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RegisterRepayment {
    pub loan_id: i64,
    /// `regular` (the default), `payoff` (提前结清: the amount covers the payoff quote of
    /// the value date) or `prepayment` (部分提前还款 on a due date: the amount covers what is
    /// due, `prepaidPrincipal` and its fee; see the prepayment quote).
    #[serde(default = "regular")]
    pub kind: RepaymentKind,
    pub amount: Money,
    /// For a prepayment: the principal repaid ahead of the schedule.
    #[serde(default)]
    pub prepaid_principal: Option<Money>,
    /// For a prepayment: keep the term (lower installments) or the installment (shorter).
    #[serde(default)]
    pub reamortisation: Option<Reamortisation>,
    pub channel: RepaymentChannel,
    /// Cash → an account under 1001, bank transfer → under 1002, channel → under 1012.
    pub fund_account_code: String,
    pub reference: String,
    /// The day the money arrived; not after the business date.
    pub value_date: Date,
}

fn regular() -> RepaymentKind {
    RepaymentKind::Regular
}

fn channel_root(channel: RepaymentChannel) -> &'static str {
    match channel {
        RepaymentChannel::Cash => codes::CASH,
        RepaymentChannel::BankTransfer => codes::BANK,
        RepaymentChannel::Channel => codes::OTHER_FUNDS,
        RepaymentChannel::CreditBalance => codes::CUSTOMER_CREDIT,
    }
}

/// Registers money received on an active loan (还款登记).
pub async fn register(
    ctx: &LoansContext,
    actor: &Actor,
    input: &RegisterRepayment,
    key: &IdempotencyKey,
) -> AppResult<Repayment> {
    // The key first: a retry gets the first answer even when the state its checks read
    // (the loan, the contract, the business date) has moved on since.
    let now = ctx.clock.now();
    let txn = match keyed::begin(ctx, actor, key, now).await? {
        Keyed::Fresh(txn) => txn,
        Keyed::Done(done) => return Ok(done),
    };
    let loan = loan_accounts::load_row(&ctx.db, actor, input.loan_id).await?;
    if loan.status != LoanStatus::Active.as_str() {
        return Err(AppError::conflict(
            "loan_not_active",
            format!("loan {} is {}", loan.loan_no, loan.status),
        ));
    }
    let mut errors = FieldErrors::new();
    let prepaying = input.kind == RepaymentKind::Prepayment;
    for (field, given) in [
        ("prepaidPrincipal", input.prepaid_principal.is_some()),
        ("reamortisation", input.reamortisation.is_some()),
    ] {
        if prepaying && !given {
            errors.add(field, "required", "a prepayment names it");
        } else if !prepaying && given {
            errors.add(field, "not_applicable", "only a prepayment names it");
        }
    }
    if input.kind == RepaymentKind::CreditApplication {
        errors.add(
            "kind",
            "made_by_the_close",
            "the daily close applies the credit balance by itself",
        );
    }
    if input.channel == RepaymentChannel::CreditBalance {
        errors.add(
            "channel",
            "made_by_the_close",
            "money comes by cash, bank transfer or a channel; the close spends the credit balance",
        );
    }
    if !input.amount.is_positive() {
        errors.add("amount", "not_positive", "a repayment is more than zero");
    }
    if input.reference.trim().is_empty() {
        errors.add(
            "reference",
            "required",
            "give the transaction reference or the receipt number",
        );
    }
    let today = business_date::today(&ctx.db, &ctx.clock).await?;
    if input.value_date > today {
        errors.add(
            "valueDate",
            "after_business_date",
            format!("the business date is {today}; money cannot arrive in the future"),
        );
    }
    if input.value_date < loan.value_date {
        errors.add(
            "valueDate",
            "before_disbursement",
            format!("the loan was disbursed on {}", loan.value_date),
        );
    }
    match accounts::require_fund(&ctx.db, "fundAccountCode", &input.fund_account_code).await {
        Err(e) => errors.extend(e.field_errors),
        Ok(()) if !is_within(&input.fund_account_code, channel_root(input.channel)) => errors.add(
            "fundAccountCode",
            "wrong_channel_account",
            format!(
                "money by {} goes to an account under {}",
                input.channel.as_str(),
                channel_root(input.channel)
            ),
        ),
        Ok(()) => {}
    }
    errors.finish()?;
    if let (true, Some(principal), Some(mode)) =
        (prepaying, input.prepaid_principal, input.reamortisation)
    {
        // The plan refuses a day that is no due date, too much principal, or a method that
        // cannot re-amortise; the money itself is counted again at confirmation.
        let mut installments = loan_accounts::installments(&ctx.db, loan.id).await?;
        let plan = prepayment_plan(
            ctx,
            actor,
            &loan,
            &mut installments,
            input.value_date,
            principal,
            mode,
        )
        .await?;
        let credit = loan_accounts::balances(&ctx.db, loan.id)
            .await?
            .credit_balance;
        if input.amount + credit < plan.amount {
            return Err(AppError::invalid_field(
                "amount",
                "short_of_prepayment",
                format!(
                    "prepaying {principal} on {} takes {} (due {}, fee {}); with the credit balance there is {}",
                    plan.date,
                    plan.amount,
                    plan.due_amount,
                    plan.fee,
                    input.amount + credit
                ),
            ));
        }
    }
    let id: i64 = txn
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "INSERT INTO repayments (loan_id, kind, status, amount, channel, fund_account_code, reference, \
             value_date, department_id, registered_by, registered_at, prepaid_principal, reamortisation) \
             VALUES ($1, $10, 'registered', $2, $3, $4, $5, $6, $7, $8, $9, $11, $12) RETURNING id",
            [
                Value::from(input.loan_id),
                Value::from(input.amount.amount()),
                Value::from(input.channel.as_str()),
                Value::from(input.fund_account_code.clone()),
                Value::from(input.reference.trim()),
                Value::from(input.value_date),
                Value::from(loan.department_id),
                Value::from(actor.user_id),
                Value::from(now),
                Value::from(input.kind.as_str()),
                Value::from(
                    input
                        .prepaid_principal
                        .filter(|_| prepaying)
                        .map(|p| p.amount()),
                ),
                Value::from(
                    input
                        .reamortisation
                        .filter(|_| prepaying)
                        .map(|m| m.as_str().to_string()),
                ),
            ],
        ))
        .await
        .map_err(db_error)?
        .ok_or_else(|| AppError::internal("insert returned nothing"))?
        .try_get("", "id")
        .map_err(db_error)?;
    let after = load(&txn, actor, id).await?;
    keyed::finish(
        txn,
        actor,
        key,
        now,
        audit::Change::new("repayment", id, "register").after(&after),
        after,
    )
    .await
}

/// Confirms or rejects a registered repayment (还款财务确认).
pub async fn confirm(
    ctx: &LoansContext,
    actor: &Actor,
    id: i64,
    input: &CheckInput,
    key: &IdempotencyKey,
) -> AppResult<Repayment> {
    let comment = input.comment("repayment")?;
    let now = ctx.clock.now();
    let txn = match keyed::begin(ctx, actor, key, now).await? {
        Keyed::Fresh(txn) => txn,
        Keyed::Done(done) => return Ok(done),
    };
    // The loan's row first, then the repayment's: every money change on a loan takes them
    // in this order, so two confirmations queue instead of deadlocking.
    let loan_id: i64 = txn
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT loan_id FROM repayments WHERE id = $1",
            [Value::from(id)],
        ))
        .await
        .map_err(db_error)?
        .ok_or_else(|| AppError::not_found("repayment"))?
        .try_get("", "loan_id")
        .map_err(db_error)?;
    let loan = loan_accounts::lock_row(&txn, loan_id).await?;
    txn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT 1 FROM repayments WHERE id = $1 FOR UPDATE",
        [Value::from(id)],
    ))
    .await
    .map_err(db_error)?;
    let before = load(&txn, actor, id).await?;
    check_version("repayment", before.version, input.version)?;
    // Only the close makes a repayment with no maker, and confirmed already: 0 is nobody.
    check_registration(
        "repayment",
        before.status == RepaymentStatus::Registered,
        before.registered_by.unwrap_or_default(),
        actor.user_id,
    )?;
    let (status, allocation, voucher_id) = match input.decision {
        CheckDecision::Reject => (RepaymentStatus::Rejected, None, None),
        CheckDecision::Approve => {
            let (outcome, voucher_id) = apply(ctx, &txn, actor, &loan, &before, now).await?;
            (RepaymentStatus::Confirmed, Some(outcome), Some(voucher_id))
        }
    };
    txn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "UPDATE repayments SET status = $2, allocation = $3, voucher_id = $4, confirmed_by = $5, \
         confirmed_at = $6, review_comment = $7, version = version + 1 WHERE id = $1",
        [
            Value::from(id),
            Value::from(status.as_str()),
            Value::from(
                allocation
                    .as_ref()
                    .map(serde_json::to_value)
                    .transpose()
                    .map_err(AppError::internal)?,
            ),
            Value::from(voucher_id),
            Value::from(actor.user_id),
            Value::from(now),
            Value::from(comment),
        ],
    ))
    .await
    .map_err(db_error)?;
    let after = load(&txn, actor, id).await?;
    let action = match input.decision {
        CheckDecision::Approve => "confirm",
        CheckDecision::Reject => "reject",
    };
    keyed::finish(
        txn,
        actor,
        key,
        now,
        audit::Change::new("repayment", id, action)
            .before(&before)
            .after(&after),
        after,
    )
    .await
}

/// Applies a confirmed repayment to the locked loan: installments, sub-ledger, voucher, and
/// settlement when nothing is owed any more.
async fn apply(
    ctx: &LoansContext,
    txn: &impl ConnectionTrait,
    actor: &Actor,
    loan: &LoanRow,
    r: &Repayment,
    now: OffsetDateTime,
) -> AppResult<(PaymentOutcome, i64)> {
    if loan.status != LoanStatus::Active.as_str() {
        return Err(AppError::conflict(
            "loan_not_active",
            format!(
                "loan {} is {}; refund the money instead",
                loan.loan_no, loan.status
            ),
        ));
    }
    let terms = loan.servicing_terms()?;
    let rate = Rate::annual(loan.annual_rate).map_err(AppError::internal)?;
    let params = terms.overdue_params(rate)?;
    let rule = terms.allocation_rule()?;
    let mut installments = loan_accounts::installments(txn, loan.id).await?;
    let balances = loan_accounts::balances(txn, loan.id).await?;
    let snapshot = LoanSnapshot {
        installments: installments.clone(),
        balances,
        status: loan.status.clone(),
        settled_on: loan.settled_on,
    };
    let outcome = match r.kind {
        RepaymentKind::Payoff => {
            let figures = payoff(ctx, actor, loan, &mut installments, r.value_date).await?;
            apply_payoff(
                &mut installments,
                &figures,
                r.amount,
                balances.credit_balance,
                &params,
                &rule,
            )?
        }
        RepaymentKind::Prepayment => {
            let (Some(principal), Some(mode)) = (r.prepaid_principal, r.reamortisation) else {
                return Err(AppError::internal("a prepayment without its principal"));
            };
            let plan = prepayment_plan(
                ctx,
                actor,
                loan,
                &mut installments,
                r.value_date,
                principal,
                mode,
            )
            .await?;
            apply_prepayment(
                &mut installments,
                &plan,
                r.amount,
                balances.credit_balance,
                &params,
                &rule,
            )?
        }
        // An application from credit is a regular repayment of no cash.
        RepaymentKind::Regular | RepaymentKind::CreditApplication => apply_payment(
            &mut installments,
            r.value_date,
            r.amount,
            balances.credit_balance,
            &params,
            &rule,
        )?,
    };
    let booking = Booking {
        value_date: r.value_date,
        repayment_id: r.id,
        amount: r.amount,
        fund_account: &r.fund_account_code,
        made_by: r.registered_by,
        checked_by: Some(actor.user_id),
    };
    book(
        txn,
        loan,
        terms.vat_rate,
        &snapshot,
        &mut installments,
        outcome,
        &booking,
        now,
    )
    .await
}

/// The facts of a repayment that booking its allocation needs.
pub(super) struct Booking<'a> {
    pub value_date: Date,
    pub repayment_id: i64,
    /// The money received (none for an application from credit).
    pub amount: Money,
    pub fund_account: &'a str,
    pub made_by: Option<i64>,
    pub checked_by: Option<i64>,
}

/// Books an allocation worked out on `installments` (the locked loan's, as `snapshot` holds
/// them before): the installments, the sub-ledger, the loan's settlement when nothing is owed
/// any more, the voucher, and the snapshot a reversal restores. One path for every repayment,
/// registered or applied from credit by the close, so they cannot book differently.
#[allow(clippy::too_many_arguments)]
pub(super) async fn book(
    txn: &impl ConnectionTrait,
    loan: &LoanRow,
    vat_rate: Decimal,
    snapshot: &LoanSnapshot,
    installments: &mut [InstallmentState],
    mut outcome: PaymentOutcome,
    b: &Booking<'_>,
    now: OffsetDateTime,
) -> AppResult<(PaymentOutcome, i64)> {
    split_overdue_principal(&mut outcome, &snapshot.installments, installments);
    settle_accrued_interest(&mut outcome, &snapshot.installments, installments);
    if outcome.prepayment.is_some() {
        loan_accounts::replace_installments(txn, loan.id, installments, now).await?;
    } else {
        loan_accounts::save_installments(txn, loan.id, installments).await?;
    }
    txn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "UPDATE loan_balances SET principal_normal = principal_normal - $2, credit_balance = $3, \
         updated_at = $4, principal_overdue = principal_overdue - $5, \
         interest_receivable = interest_receivable - $6 WHERE loan_id = $1",
        [
            Value::from(loan.id),
            Value::from((outcome.totals.principal - outcome.principal_overdue).amount()),
            Value::from(outcome.credit_after.amount()),
            Value::from(now),
            Value::from(outcome.principal_overdue.amount()),
            Value::from((outcome.interest_from_receivable + outcome.interest_reversed).amount()),
        ],
    ))
    .await
    .map_err(db_error)?;
    if installments.iter().all(|i| i.settled_on.is_some()) {
        txn.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "UPDATE loans SET status = 'settled', settled_on = $2, version = version + 1, updated_at = $3 WHERE id = $1",
            [Value::from(loan.id), Value::from(b.value_date), Value::from(now)],
        ))
        .await
        .map_err(db_error)?;
    }
    let event = MoneyEvent {
        date: b.value_date,
        source_id: b.repayment_id,
        loan_id: loan.id,
        loan_no: &loan.loan_no,
        amount: b.amount,
        fund_account: b.fund_account,
    };
    let voucher = repayment_voucher(&event, &outcome, vat_rate);
    let voucher_id = vouchers::post(
        txn,
        vouchers::Posting {
            made_by: b.made_by,
            checked_by: b.checked_by,
            at: now,
        },
        &voucher,
    )
    .await?;
    txn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "UPDATE repayments SET restore = $2 WHERE id = $1",
        [
            Value::from(b.repayment_id),
            Value::from(serde_json::to_value(snapshot).map_err(AppError::internal)?),
        ],
    ))
    .await
    .map_err(db_error)?;
    Ok((outcome, voucher_id))
}

/// The payoff figures of `loan` on `date`, with its installments accrued to that date.
async fn payoff(
    ctx: &LoansContext,
    actor: &Actor,
    loan: &LoanRow,
    installments: &mut [InstallmentState],
    date: Date,
) -> AppResult<PayoffFigures> {
    let terms = loan.servicing_terms()?;
    let rate = Rate::annual(loan.annual_rate).map_err(AppError::internal)?;
    let params = terms.overdue_params(rate)?;
    for i in installments.iter_mut() {
        i.accrue_to(date, &params);
    }
    let fee_rule = product_terms(ctx, actor, loan).await?.1.prepayment_fee;
    Ok(payoff_figures(
        installments,
        date,
        loan.value_date,
        rate,
        params.day_basis,
        |principal| fee_rule.fee(principal, rate, loan.value_date, date),
    ))
}

/// The payoff quote (提前结清试算) of an active loan on a date (today's or one ahead, to tell
/// the borrower what to bring).
pub async fn payoff_quote(
    ctx: &LoansContext,
    actor: &Actor,
    loan_id: i64,
    date: Date,
) -> AppResult<PayoffFigures> {
    let loan = loan_accounts::load_row(&ctx.db, actor, loan_id).await?;
    if loan.status != LoanStatus::Active.as_str() {
        return Err(AppError::conflict(
            "loan_not_active",
            format!("loan {} is {}", loan.loan_no, loan.status),
        ));
    }
    if date < loan.value_date {
        return Err(AppError::invalid_field(
            "date",
            "before_disbursement",
            format!("the loan was disbursed on {}", loan.value_date),
        ));
    }
    let mut installments = loan_accounts::installments(&ctx.db, loan.id).await?;
    payoff(ctx, actor, &loan, &mut installments, date).await
}

/// The terms of the product version `loan` was signed under, as entered and as validated.
async fn product_terms(
    ctx: &LoansContext,
    actor: &Actor,
    loan: &LoanRow,
) -> AppResult<(ProductTerms, ValidTerms)> {
    let a = applications::load(&ctx.db, actor, loan.application_id).await?;
    let raw = products::version(ctx, a.product_id, a.product_version)
        .await?
        .terms;
    let valid = raw.validate()?;
    Ok((raw, valid))
}

/// The plan of prepaying `principal` on `date`, with the installments accrued to that date.
async fn prepayment_plan(
    ctx: &LoansContext,
    actor: &Actor,
    loan: &LoanRow,
    installments: &mut [InstallmentState],
    date: Date,
    principal: Money,
    mode: Reamortisation,
) -> AppResult<PrepaymentPlan> {
    let rate = Rate::annual(loan.annual_rate).map_err(AppError::internal)?;
    let params = loan.servicing_terms()?.overdue_params(rate)?;
    for i in installments.iter_mut() {
        i.accrue_to(date, &params);
    }
    let (raw, valid) = product_terms(ctx, actor, loan).await?;
    let mut terms = LoanTerms::new(
        loan.method()?,
        Money::from_decimal(loan.principal).map_err(AppError::internal)?,
        rate,
        u32::try_from(loan.term_months).map_err(AppError::internal)?,
        loan.value_date,
    );
    terms.day_basis = valid.day_basis;
    terms.balloon_ratio = raw.balloon_ratio.map(DecimalString::value);
    prepayment::plan(
        installments,
        &terms,
        date,
        principal,
        mode,
        &valid.prepayment_fee,
    )
}

/// The prepayment quote (提前还款试算) of an active loan: prepaying `principal` on a due date,
/// what is due with it, the fee, and the schedule that follows.
pub async fn prepayment_quote(
    ctx: &LoansContext,
    actor: &Actor,
    loan_id: i64,
    date: Date,
    principal: Money,
    mode: Reamortisation,
) -> AppResult<PrepaymentPlan> {
    let loan = loan_accounts::load_row(&ctx.db, actor, loan_id).await?;
    if loan.status != LoanStatus::Active.as_str() {
        return Err(AppError::conflict(
            "loan_not_active",
            format!("loan {} is {}", loan.loan_no, loan.status),
        ));
    }
    let mut installments = loan_accounts::installments(&ctx.db, loan.id).await?;
    prepayment_plan(ctx, actor, &loan, &mut installments, date, principal, mode).await
}
