//! Consulting and other fees (咨询费登记 → 咨询费复核): money received against a contract outside
//! its installments, registered by one person and approved by another; approval posts Dr the
//! fund account, Cr 6021 net of VAT, Cr 222101 the VAT (RULES.md §9, §10).

use rust_decimal::Decimal;
use sea_orm::{ConnectionTrait, DbBackend, FromQueryResult, Statement, Value};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::{IntoParams, ToSchema};

use iam::Actor;
use iam::service::idempotency::IdempotencyKey;
use iam::service::sql::Where;
use iam::service::{audit, check_version, scope};
use kernel::error::FieldErrors;
use kernel::{AppError, AppResult, Money, Page, PageRequest};
use ledgers::service::{accounts, business_date, vouchers};

use super::keyed::{self, CheckInput, Keyed};
use super::{LoansContext, applications, contracts, db_error};
use crate::domain::contract::ContractStatus;
use crate::domain::money_events::{CheckDecision, DisbursementStatus, check_registration};
use crate::domain::servicing::{DEFAULT_VAT_RATE, fee_voucher};

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FeeReceipt {
    pub id: i64,
    pub contract_id: i64,
    pub contract_no: String,
    pub customer_name: String,
    /// `consulting` (咨询费), `service` (服务费), `gps` (GPS费) …
    pub fee_type: String,
    /// `registered`, `approved` or `rejected`.
    pub status: DisbursementStatus,
    pub amount: Money,
    /// The VAT inside the amount: amount − round(amount / (1 + rate)).
    #[schema(value_type = String)]
    pub vat_rate: Decimal,
    pub fund_account_code: String,
    pub reference: String,
    pub value_date: Date,
    pub registered_by: i64,
    pub registered_by_name: String,
    #[serde(with = "time::serde::rfc3339")]
    pub registered_at: OffsetDateTime,
    pub reviewed_by_name: Option<String>,
    pub review_comment: Option<String>,
    pub voucher_id: Option<i64>,
    pub version: i32,
}

#[derive(FromQueryResult)]
struct Row {
    id: i64,
    contract_id: i64,
    contract_no: String,
    customer_name: String,
    fee_type: String,
    status: String,
    amount: Decimal,
    vat_rate: Decimal,
    fund_account_code: String,
    reference: String,
    value_date: Date,
    registered_by: i64,
    registered_by_name: String,
    registered_at: OffsetDateTime,
    reviewed_by_name: Option<String>,
    review_comment: Option<String>,
    voucher_id: Option<i64>,
    version: i32,
}

impl Row {
    fn into_view(self) -> AppResult<FeeReceipt> {
        Ok(FeeReceipt {
            status: DisbursementStatus::parse(&self.status)?,
            amount: Money::from_decimal(self.amount).map_err(AppError::internal)?,
            id: self.id,
            contract_id: self.contract_id,
            contract_no: self.contract_no,
            customer_name: self.customer_name,
            fee_type: self.fee_type,
            vat_rate: self.vat_rate,
            fund_account_code: self.fund_account_code,
            reference: self.reference,
            value_date: self.value_date,
            registered_by: self.registered_by,
            registered_by_name: self.registered_by_name,
            registered_at: self.registered_at,
            reviewed_by_name: self.reviewed_by_name,
            review_comment: self.review_comment,
            voucher_id: self.voucher_id,
            version: self.version,
        })
    }
}

const COLUMNS: &str = "f.id, f.contract_id, k.contract_no, c.name AS customer_name, f.fee_type, f.status, f.amount, \
    f.vat_rate, f.fund_account_code, f.reference, f.value_date, f.registered_by, \
    ru.display_name AS registered_by_name, f.registered_at, vu.display_name AS reviewed_by_name, \
    f.review_comment, f.voucher_id, f.version";
const FROM: &str = "fee_receipts f JOIN loan_contracts k ON k.id = f.contract_id \
    JOIN loan_applications a ON a.id = k.application_id JOIN customers c ON c.id = a.customer_id \
    JOIN users ru ON ru.id = f.registered_by LEFT JOIN users vu ON vu.id = f.reviewed_by";
const OWN: &str = "f.registered_by = $?";

async fn load(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<FeeReceipt> {
    let mut w = Where::new();
    w.and("f.id = $?", [Value::from(id)]);
    scope::restrict(&mut w, actor, "f.department_id", OWN);
    Row::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        format!("SELECT {COLUMNS} FROM {FROM} WHERE {}", w.sql()),
        w.values(),
    ))
    .one(db)
    .await
    .map_err(db_error)?
    .ok_or_else(|| AppError::not_found("fee receipt"))?
    .into_view()
}

pub async fn get(ctx: &LoansContext, actor: &Actor, id: i64) -> AppResult<FeeReceipt> {
    load(&ctx.db, actor, id).await
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct FeeFilter {
    pub status: Option<DisbursementStatus>,
    pub contract_id: Option<i64>,
}

/// Fee receipts in the actor's scope, newest first.
pub async fn list(
    ctx: &LoansContext,
    actor: &Actor,
    filter: &FeeFilter,
    page: &PageRequest,
) -> AppResult<Page<FeeReceipt>> {
    let mut w = Where::new();
    scope::restrict(&mut w, actor, "f.department_id", OWN);
    if let Some(s) = filter.status {
        w.and("f.status = $?", [Value::from(s.as_str())]);
    }
    if let Some(k) = filter.contract_id {
        w.and("f.contract_id = $?", [Value::from(k)]);
    }
    let rows: Page<Row> = w
        .page_counting_over(&ctx.db, COLUMNS, FROM, FROM, "f.id DESC", page)
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
pub struct RegisterFee {
    pub contract_id: i64,
    /// `consulting`, `service`, `gps` …
    pub fee_type: String,
    /// Gross, VAT included.
    pub amount: Money,
    pub fund_account_code: String,
    pub reference: String,
    /// Not after the business date.
    pub value_date: Date,
}

/// Registers a fee received against a signed contract (咨询费登记).
pub async fn register(
    ctx: &LoansContext,
    actor: &Actor,
    input: &RegisterFee,
    key: &IdempotencyKey,
) -> AppResult<FeeReceipt> {
    // The key first: a retry gets the first answer even when the state its checks read
    // (the loan, the contract, the business date) has moved on since.
    let now = ctx.clock.now();
    let txn = match keyed::begin(ctx, actor, key, now).await? {
        Keyed::Fresh(txn) => txn,
        Keyed::Done(done) => return Ok(done),
    };
    let contract = contracts::get(ctx, actor, input.contract_id).await?;
    if contract.status != ContractStatus::Signed {
        return Err(AppError::conflict(
            "contract_not_signed",
            "fees are received on a signed contract",
        ));
    }
    let mut errors = FieldErrors::new();
    if !input
        .fee_type
        .chars()
        .all(|c| c.is_ascii_lowercase() || c == '_')
        || input.fee_type.is_empty()
    {
        errors.add(
            "feeType",
            "invalid",
            "a fee type is a lower-case code such as consulting",
        );
    }
    if !input.amount.is_positive() {
        errors.add("amount", "not_positive", "a fee is more than zero");
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
            format!("the business date is {today}"),
        );
    }
    if let Err(e) =
        accounts::require_fund(&ctx.db, "fundAccountCode", &input.fund_account_code).await
    {
        errors.extend(e.field_errors);
    }
    errors.finish()?;
    let application = applications::load(&txn, actor, contract.application_id).await?;
    let id: i64 = txn
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "INSERT INTO fee_receipts (contract_id, fee_type, status, amount, vat_rate, fund_account_code, reference, \
             value_date, department_id, registered_by, registered_at) \
             VALUES ($1, $2, 'registered', $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
            [
                Value::from(input.contract_id),
                Value::from(input.fee_type.clone()),
                Value::from(input.amount.amount()),
                Value::from(DEFAULT_VAT_RATE),
                Value::from(input.fund_account_code.clone()),
                Value::from(input.reference.trim()),
                Value::from(input.value_date),
                Value::from(application.department_id),
                Value::from(actor.user_id),
                Value::from(now),
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
        audit::Change::new("fee_receipt", id, "register").after(&after),
        after,
    )
    .await
}

/// Approves (posting the voucher) or rejects a registered fee (咨询费复核).
pub async fn review(
    ctx: &LoansContext,
    actor: &Actor,
    id: i64,
    input: &CheckInput,
    key: &IdempotencyKey,
) -> AppResult<FeeReceipt> {
    let comment = input.comment("fee")?;
    let now = ctx.clock.now();
    let txn = match keyed::begin(ctx, actor, key, now).await? {
        Keyed::Fresh(txn) => txn,
        Keyed::Done(done) => return Ok(done),
    };
    txn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT 1 FROM fee_receipts WHERE id = $1 FOR UPDATE",
        [Value::from(id)],
    ))
    .await
    .map_err(db_error)?;
    let before = load(&txn, actor, id).await?;
    check_version("fee receipt", before.version, input.version)?;
    check_registration(
        "fee",
        before.status == DisbursementStatus::Registered,
        before.registered_by,
        actor.user_id,
    )?;
    let (status, voucher_id) = match input.decision {
        CheckDecision::Reject => (DisbursementStatus::Rejected, None),
        CheckDecision::Approve => {
            let draft = fee_voucher(
                before.value_date,
                before.id,
                &before.contract_no,
                before.amount,
                &before.fund_account_code,
                before.vat_rate,
            );
            let posting = vouchers::Posting {
                made_by: Some(before.registered_by),
                checked_by: Some(actor.user_id),
                at: now,
            };
            (
                DisbursementStatus::Approved,
                Some(vouchers::post(&txn, posting, &draft).await?),
            )
        }
    };
    txn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "UPDATE fee_receipts SET status = $2, voucher_id = $3, reviewed_by = $4, reviewed_at = $5, \
         review_comment = $6, version = version + 1 WHERE id = $1",
        [
            Value::from(id),
            Value::from(status.as_str()),
            Value::from(voucher_id),
            Value::from(actor.user_id),
            Value::from(now),
            Value::from(comment),
        ],
    ))
    .await
    .map_err(db_error)?;
    let after = load(&txn, actor, id).await?;
    keyed::finish(
        txn,
        actor,
        key,
        now,
        audit::Change::new("fee_receipt", id, input.action())
            .before(&before)
            .after(&after),
        after,
    )
    .await
}
