//! Disbursement (放款登记 → 放款复核): a cashier registers the payment of a signed, secured
//! contract's amount; a second person reviews it. On approval, in one transaction, the loan
//! is born: its binding schedule drawn from the value date (RULES.md §1), its sub-ledger
//! opened, and the voucher Dr 1303 本金-正常 / Cr the paying account posted.

use sea_orm::{ConnectionTrait, DbBackend, FromQueryResult, Statement, Value};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::{IntoParams, ToSchema};

use calc::calculator::schedule;
use iam::Actor;
use iam::service::idempotency::IdempotencyKey;
use iam::service::sql::{self, Where};
use iam::service::{audit, check_version, scope};
use kernel::error::FieldErrors;
use kernel::{AppError, AppResult, Money, Page, PageRequest};
use ledgers::service::{accounts, business_date, vouchers};

use super::keyed::{self, Keyed};
use super::{LoansContext, applications, contracts, db_error, products, securing};
use crate::domain::contract::ContractStatus;
use crate::domain::money_events::{
    CheckDecision, DisbursementStatus, LoanStatus, check_registration,
};
use crate::domain::servicing::{
    DEFAULT_VAT_RATE, MoneyEvent, ServicingTerms, disbursement_voucher,
};

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Disbursement {
    pub id: i64,
    pub contract_id: i64,
    pub contract_no: String,
    pub loan_id: Option<i64>,
    pub loan_no: Option<String>,
    pub customer_id: i64,
    pub customer_name: String,
    pub status: DisbursementStatus,
    pub amount: Money,
    /// 起息日: the binding schedule starts here.
    pub value_date: Date,
    pub customer_account_id: i64,
    /// The borrower's receiving account as the cashier knows it: bank and holder.
    pub customer_account: String,
    pub fund_account_code: String,
    pub fund_account_name: String,
    /// The bank's transaction reference.
    pub reference: String,
    pub registered_by: i64,
    pub registered_by_name: String,
    #[serde(with = "time::serde::rfc3339")]
    pub registered_at: OffsetDateTime,
    pub reviewed_by_name: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub reviewed_at: Option<OffsetDateTime>,
    pub review_comment: Option<String>,
    pub voucher_id: Option<i64>,
    pub version: i32,
}

#[derive(FromQueryResult)]
struct Row {
    id: i64,
    contract_id: i64,
    contract_no: String,
    loan_id: Option<i64>,
    loan_no: Option<String>,
    customer_id: i64,
    customer_name: String,
    status: String,
    amount: rust_decimal::Decimal,
    value_date: Date,
    customer_account_id: i64,
    customer_account: String,
    fund_account_code: String,
    fund_account_name: String,
    reference: String,
    registered_by: i64,
    registered_by_name: String,
    registered_at: OffsetDateTime,
    reviewed_by_name: Option<String>,
    reviewed_at: Option<OffsetDateTime>,
    review_comment: Option<String>,
    voucher_id: Option<i64>,
    version: i32,
}

impl Row {
    fn into_view(self) -> AppResult<Disbursement> {
        Ok(Disbursement {
            status: DisbursementStatus::parse(&self.status)?,
            amount: Money::from_decimal(self.amount).map_err(AppError::internal)?,
            id: self.id,
            contract_id: self.contract_id,
            contract_no: self.contract_no,
            loan_id: self.loan_id,
            loan_no: self.loan_no,
            customer_id: self.customer_id,
            customer_name: self.customer_name,
            value_date: self.value_date,
            customer_account_id: self.customer_account_id,
            customer_account: self.customer_account,
            fund_account_code: self.fund_account_code,
            fund_account_name: self.fund_account_name,
            reference: self.reference,
            registered_by: self.registered_by,
            registered_by_name: self.registered_by_name,
            registered_at: self.registered_at,
            reviewed_by_name: self.reviewed_by_name,
            reviewed_at: self.reviewed_at,
            review_comment: self.review_comment,
            voucher_id: self.voucher_id,
            version: self.version,
        })
    }
}

const COLUMNS: &str = "d.id, d.contract_id, k.contract_no, d.loan_id, l.loan_no, a.customer_id, \
    c.name AS customer_name, d.status, d.amount, d.value_date, d.customer_account_id, \
    (ba.bank_name || ' ' || ba.holder_name) AS customer_account, d.fund_account_code, \
    fa.name AS fund_account_name, d.reference, d.registered_by, ru.display_name AS registered_by_name, \
    d.registered_at, vu.display_name AS reviewed_by_name, d.reviewed_at, d.review_comment, \
    d.voucher_id, d.version";
const FROM: &str = "disbursements d JOIN loan_contracts k ON k.id = d.contract_id \
    JOIN loan_applications a ON a.id = k.application_id JOIN customers c ON c.id = a.customer_id \
    JOIN customer_bank_accounts ba ON ba.id = d.customer_account_id \
    JOIN accounts fa ON fa.code = d.fund_account_code JOIN users ru ON ru.id = d.registered_by \
    LEFT JOIN users vu ON vu.id = d.reviewed_by LEFT JOIN loans l ON l.id = d.loan_id";
/// One's own: registered by one.
const OWN: &str = "d.registered_by = $?";

async fn load(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<Disbursement> {
    let mut w = Where::new();
    w.and("d.id = $?", [Value::from(id)]);
    scope::restrict(&mut w, actor, "d.department_id", OWN);
    Row::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        format!("SELECT {COLUMNS} FROM {FROM} WHERE {}", w.sql()),
        w.values(),
    ))
    .one(db)
    .await
    .map_err(db_error)?
    .ok_or_else(|| AppError::not_found("disbursement"))?
    .into_view()
}

pub async fn get(ctx: &LoansContext, actor: &Actor, id: i64) -> AppResult<Disbursement> {
    load(&ctx.db, actor, id).await
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct DisbursementFilter {
    pub status: Option<DisbursementStatus>,
    /// Contract number or customer name, in part.
    pub q: Option<String>,
    pub from: Option<Date>,
    pub to: Option<Date>,
}

/// Disbursements in the actor's scope, newest first (放款台账).
pub async fn list(
    ctx: &LoansContext,
    actor: &Actor,
    filter: &DisbursementFilter,
    page: &PageRequest,
) -> AppResult<Page<Disbursement>> {
    let mut w = Where::new();
    scope::restrict(&mut w, actor, "d.department_id", OWN);
    if let Some(s) = filter.status {
        w.and("d.status = $?", [Value::from(s.as_str())]);
    }
    if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        w.and(
            "(k.contract_no ILIKE $? OR c.name ILIKE $?)",
            [Value::from(sql::contains(q)), Value::from(sql::contains(q))],
        );
    }
    if let Some(d) = filter.from {
        w.and("d.value_date >= $?", [Value::from(d)]);
    }
    if let Some(d) = filter.to {
        w.and("d.value_date <= $?", [Value::from(d)]);
    }
    let rows: Page<Row> = w
        .page_counting_over(&ctx.db, COLUMNS, FROM, FROM, "d.id DESC", page)
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
pub struct RegisterDisbursement {
    pub contract_id: i64,
    /// The contract's whole amount: a contract is disbursed once.
    pub amount: Money,
    /// 起息日: the day the money left; not after the business date.
    pub value_date: Date,
    /// The borrower's receiving account (one of the customer's bank accounts).
    pub customer_account_id: i64,
    /// The paying cash or bank account (a fund account of the chart).
    pub fund_account_code: String,
    /// The bank's transaction reference (流水号).
    pub reference: String,
}

/// Registers the payment of a signed, secured contract (放款登记).
pub async fn register(
    ctx: &LoansContext,
    actor: &Actor,
    input: &RegisterDisbursement,
    key: &IdempotencyKey,
) -> AppResult<Disbursement> {
    // The key first: a retry gets the first answer even when the state its checks read
    // (the loan, the contract, the business date) has moved on since.
    let now = ctx.clock.now();
    let txn = match keyed::begin(ctx, actor, key, now).await? {
        Keyed::Fresh(txn) => txn,
        Keyed::Done(done) => return Ok(done),
    };
    let contract = contracts::get(ctx, actor, input.contract_id).await?;
    let mut errors = FieldErrors::new();
    if contract.status != ContractStatus::Signed {
        return Err(AppError::conflict(
            "contract_not_signed",
            format!(
                "contract {} is {}; only a signed contract is disbursed",
                contract.contract_no,
                contract.status.as_str()
            ),
        ));
    }
    if input.amount != contract.terms.amount {
        errors.add(
            "amount",
            "not_contract_amount",
            format!(
                "the contract lends {}; a contract is disbursed in one payment of its amount",
                contract.terms.amount
            ),
        );
    }
    if input.reference.trim().is_empty() {
        errors.add(
            "reference",
            "required",
            "give the bank's transaction reference",
        );
    }
    let today = business_date::today(&ctx.db, &ctx.clock).await?;
    if input.value_date > today {
        errors.add(
            "valueDate",
            "after_business_date",
            format!("the business date is {today}; money cannot leave in the future"),
        );
    }
    if let Some(signed) = contract.signed_on
        && input.value_date < signed
    {
        errors.add(
            "valueDate",
            "before_signing",
            format!("the contract was signed on {signed}"),
        );
    }
    let account_ok = ctx
        .db
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT 1 AS ok FROM customer_bank_accounts WHERE id = $1 AND customer_id = $2 AND status = 'active'",
            [Value::from(input.customer_account_id), Value::from(contract.terms.customer_id)],
        ))
        .await
        .map_err(db_error)?
        .is_some();
    if !account_ok {
        errors.add(
            "customerAccountId",
            "not_borrowers_account",
            "choose an active bank account of the borrower",
        );
    }
    if let Err(e) =
        accounts::require_fund(&ctx.db, "fundAccountCode", &input.fund_account_code).await
    {
        errors.extend(e.field_errors);
    }
    errors.finish()?;
    securing::require_ready(ctx, actor, input.contract_id).await?;

    let application = applications::load(&txn, actor, contract.application_id).await?;
    let id: i64 = txn
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "INSERT INTO disbursements (contract_id, status, amount, value_date, customer_account_id, \
             fund_account_code, reference, department_id, registered_by, registered_at) \
             VALUES ($1, 'registered', $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            [
                Value::from(input.contract_id),
                Value::from(input.amount.amount()),
                Value::from(input.value_date),
                Value::from(input.customer_account_id),
                Value::from(input.fund_account_code.clone()),
                Value::from(input.reference.trim()),
                Value::from(application.department_id),
                Value::from(actor.user_id),
                Value::from(now),
            ],
        ))
        .await
        .map_err(|e| {
            if e.to_string().contains("disbursements_live_key") {
                AppError::conflict("disbursement_exists", "this contract already has a disbursement registered or approved")
            } else {
                db_error(e)
            }
        })?
        .ok_or_else(|| AppError::internal("insert returned nothing"))?
        .try_get("", "id")
        .map_err(db_error)?;
    let after = load(&txn, actor, id).await?;
    keyed::finish(
        txn,
        actor,
        key,
        now,
        audit::Change::new("disbursement", id, "register").after(&after),
        after,
    )
    .await
}

pub use super::keyed::CheckInput;

/// Reviews a registered disbursement (放款复核). Approval creates the loan and posts the voucher.
pub async fn review(
    ctx: &LoansContext,
    actor: &Actor,
    id: i64,
    input: &CheckInput,
    key: &IdempotencyKey,
) -> AppResult<Disbursement> {
    let comment = input.comment("disbursement")?;
    let now = ctx.clock.now();
    let txn = match keyed::begin(ctx, actor, key, now).await? {
        Keyed::Fresh(txn) => txn,
        Keyed::Done(done) => return Ok(done),
    };
    txn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT 1 FROM disbursements WHERE id = $1 FOR UPDATE",
        [Value::from(id)],
    ))
    .await
    .map_err(db_error)?;
    let before = load(&txn, actor, id).await?;
    check_version("disbursement", before.version, input.version)?;
    check_registration(
        "disbursement",
        before.status == DisbursementStatus::Registered,
        before.registered_by,
        actor.user_id,
    )?;
    let (status, loan_id, voucher_id) = match input.decision {
        CheckDecision::Reject => (DisbursementStatus::Rejected, None, None),
        CheckDecision::Approve => {
            let (loan_id, voucher_id) = open_loan(ctx, &txn, actor, &before, now).await?;
            (
                DisbursementStatus::Approved,
                Some(loan_id),
                Some(voucher_id),
            )
        }
    };
    txn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "UPDATE disbursements SET status = $2, loan_id = $3, voucher_id = $4, reviewed_by = $5, \
         reviewed_at = $6, review_comment = $7, version = version + 1 WHERE id = $1",
        [
            Value::from(id),
            Value::from(status.as_str()),
            Value::from(loan_id),
            Value::from(voucher_id),
            Value::from(actor.user_id),
            Value::from(now),
            Value::from(comment),
        ],
    ))
    .await
    .map_err(db_error)?;
    let after = load(&txn, actor, id).await?;
    let action = input.action();
    keyed::finish(
        txn,
        actor,
        key,
        now,
        audit::Change::new("disbursement", id, action)
            .before(&before)
            .after(&after),
        after,
    )
    .await
}

/// The loan born of an approved disbursement: the binding schedule from the value date, the
/// installments, the sub-ledger, and the voucher. Returns (loan id, voucher id).
async fn open_loan(
    ctx: &LoansContext,
    txn: &impl ConnectionTrait,
    actor: &Actor,
    d: &Disbursement,
    now: OffsetDateTime,
) -> AppResult<(i64, i64)> {
    let contract = contracts::view(contracts::lock(txn, actor, d.contract_id, None).await?)?;
    if contract.status != ContractStatus::Signed {
        return Err(AppError::conflict(
            "contract_not_signed",
            "the contract is no longer signed",
        ));
    }
    // The collateral may have changed since registration: the reviewer's approval is what counts.
    securing::require_ready(ctx, actor, d.contract_id).await?;
    let a = applications::load(txn, actor, contract.application_id).await?;
    let version = products::version(ctx, a.product_id, a.product_version).await?;
    let raw = &version.terms;
    let valid = raw.validate()?;
    let drawn = schedule(&contracts::schedule_request(&a, raw, &valid, d.value_date))?;
    let maturity = drawn
        .installments
        .last()
        .map(|i| i.due_date)
        .ok_or_else(|| AppError::internal("a schedule without installments"))?;
    let period_fee = valid.period_fees(a.amount);
    let terms = ServicingTerms {
        day_basis: raw.day_basis,
        penalty_multiplier: valid.penalty_multiplier,
        grace_days: valid.grace_days,
        allocation: raw.allocation.clone(),
        vat_rate: DEFAULT_VAT_RATE,
        period_fee,
    };
    let loan_no = format!("{}-01", contract.contract_no);
    let loan_id: i64 = txn
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "INSERT INTO loans (loan_no, contract_id, application_id, product_id, customer_id, department_id, \
             manager_id, status, principal, annual_rate, method, term_months, value_date, maturity_date, terms, \
             created_at, updated_at) \
             VALUES ($1, $2, $3, $16, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15) RETURNING id",
            [
                Value::from(loan_no.clone()),
                Value::from(contract.id),
                Value::from(a.id),
                Value::from(a.customer_id),
                Value::from(a.department_id),
                Value::from(a.created_by),
                Value::from(LoanStatus::Active.as_str()),
                Value::from(d.amount.amount()),
                Value::from(a.annual_rate.value()),
                Value::from(serde_json::to_value(a.method).map_err(AppError::internal)?.as_str().unwrap_or_default().to_string()),
                Value::from(a.term_months),
                Value::from(d.value_date),
                Value::from(maturity),
                Value::from(serde_json::to_value(&terms).map_err(AppError::internal)?),
                Value::from(now),
                Value::from(a.product_id),
            ],
        ))
        .await
        .map_err(db_error)?
        .ok_or_else(|| AppError::internal("insert returned nothing"))?
        .try_get("", "id")
        .map_err(db_error)?;
    let mut start = d.value_date;
    let (mut periods, mut starts, mut dues, mut principals, mut interests, mut fees) =
        (vec![], vec![], vec![], vec![], vec![], vec![]);
    for i in &drawn.installments {
        periods.push(i.period as i32);
        starts.push(start);
        dues.push(i.due_date);
        principals.push(i.principal.amount());
        interests.push(i.interest.amount());
        fees.push(period_fee.amount());
        start = i.due_date;
    }
    txn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "INSERT INTO loan_installments (loan_id, period, start_date, due_date, principal, interest, fees) \
         SELECT $1, * FROM unnest($2::int[], $3::date[], $4::date[], $5::numeric[], $6::numeric[], $7::numeric[])",
        [
            Value::from(loan_id),
            Value::from(periods),
            Value::from(starts),
            Value::from(dues),
            Value::from(principals),
            Value::from(interests),
            Value::from(fees),
        ],
    ))
    .await
    .map_err(db_error)?;
    txn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "INSERT INTO loan_balances (loan_id, principal_normal, updated_at) VALUES ($1, $2, $3)",
        [
            Value::from(loan_id),
            Value::from(d.amount.amount()),
            Value::from(now),
        ],
    ))
    .await
    .map_err(db_error)?;
    let voucher = disbursement_voucher(&MoneyEvent {
        date: d.value_date,
        source_id: d.id,
        loan_id,
        loan_no: &loan_no,
        amount: d.amount,
        fund_account: &d.fund_account_code,
    });
    let voucher_id = vouchers::post(
        txn,
        vouchers::Posting {
            made_by: Some(d.registered_by),
            checked_by: Some(actor.user_id),
            at: now,
        },
        &voucher,
    )
    .await?;
    Ok((loan_id, voucher_id))
}
