//! Contracts and signing (合同管理 / 签约办理): an approved application's contract is generated
//! with its terms, fees, annualised-rate disclosure and the schedule drafted from the planned
//! disbursement date, all fixed as a snapshot; the PDF is rendered from that snapshot, so it
//! reads the same every time. Signing records date, place, witnesses and the signed scan.

use calc::calculator::{DecimalString, ScheduleRequest, ScheduleResponse, schedule};
use calc::terms::Method;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, NotSet,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::ToSchema;

use customers::files::{MAX_FILE_BYTES, sniff};
use iam::Actor;
use iam::service::{audit, check_version};
use kernel::error::{ErrorKind, FieldErrors};
use kernel::{AppError, AppResult, Money, Rate};

use super::applications::{self, VehicleValue};
use super::{LoansContext, db_error, products};
use crate::domain::application::ApplicationStatus;
use crate::domain::contract::{ContractEvent, ContractStatus, contract_no};
use crate::repo::contract::{self, transition};

/// Who lends, as the contract names them. A deployment sets `CHEDAI_LENDER_NAME`.
pub(crate) fn lender_name() -> String {
    std::env::var("CHEDAI_LENDER_NAME").unwrap_or_else(|_| "车贷示范小额贷款有限公司".into())
}

/// What the contract fixes at generation (合同要素).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ContractTerms {
    pub lender_name: String,
    pub application_no: String,
    pub customer_id: i64,
    pub borrower_name: String,
    /// Masked as shown to the generating user.
    pub borrower_id_number: Option<String>,
    pub guarantor_names: Vec<String>,
    pub product_name: String,
    pub product_version: i32,
    pub amount: Money,
    pub annual_rate: Rate,
    pub method: Method,
    pub term_months: i32,
    pub day_basis: i64,
    pub repayment_day: Option<i64>,
    /// 罚息 = contract rate × this multiplier.
    pub penalty_multiplier: String,
    pub grace_days: i64,
    pub upfront_fees: Money,
    pub period_fees: Money,
    pub purpose: String,
    pub vehicles: Vec<VehicleValue>,
    /// The schedule drafted from the planned disbursement date, with the APR disclosure.
    pub schedule: ScheduleResponse,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Contract {
    pub id: i64,
    pub contract_no: String,
    pub application_id: i64,
    pub status: ContractStatus,
    pub planned_disbursement_date: Date,
    pub terms: ContractTerms,
    pub has_scan: bool,
    /// The scan's type as read from its content, e.g. `image/jpeg` or `application/pdf`.
    pub scan_content_type: Option<String>,
    pub signed_on: Option<Date>,
    pub signed_place: Option<String>,
    pub witnesses: Vec<String>,
    pub void_reason: Option<String>,
    pub version: i32,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GenerateInput {
    /// The planned disbursement date (计划放款日): the drafted schedule starts here; the
    /// disbursement's value date will make it binding.
    pub planned_disbursement_date: Date,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SignInput {
    pub signed_on: Date,
    /// 签约地点
    pub place: String,
    /// 见证人, one to five.
    pub witnesses: Vec<String>,
    pub version: i32,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VoidInput {
    pub reason: String,
    pub version: i32,
}

pub(crate) fn view(m: contract::Model) -> AppResult<Contract> {
    Ok(Contract {
        id: m.id,
        contract_no: m.contract_no,
        application_id: m.application_id,
        status: m.status,
        planned_disbursement_date: m.planned_disbursement_date,
        terms: serde_json::from_value(m.terms).map_err(AppError::internal)?,
        has_scan: m.scan_file_key.is_some(),
        scan_content_type: m.scan_content_type,
        signed_on: m.signed_on,
        signed_place: m.signed_place,
        witnesses: m.witnesses,
        void_reason: m.void_reason,
        version: m.version,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

/// The contract as `actor` may see it: whoever may see its application.
pub async fn get(ctx: &LoansContext, actor: &Actor, id: i64) -> AppResult<Contract> {
    let found = contract::Entity::find_by_id(id)
        .one(&ctx.db)
        .await
        .map_err(db_error)?
        .ok_or_else(|| AppError::not_found("contract"))?;
    applications::load(&ctx.db, actor, found.application_id).await?;
    view(found)
}

/// Every contract of an application, newest first (voided ones included).
pub async fn for_application(
    ctx: &LoansContext,
    actor: &Actor,
    application_id: i64,
) -> AppResult<Vec<Contract>> {
    applications::load(&ctx.db, actor, application_id).await?;
    contract::Entity::find()
        .filter(contract::Column::ApplicationId.eq(application_id))
        .order_by_desc(contract::Column::Id)
        .all(&ctx.db)
        .await
        .map_err(db_error)?
        .into_iter()
        .map(view)
        .collect()
}

async fn record_transition(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    now: OffsetDateTime,
    id: i64,
    from: Option<ContractStatus>,
    event: ContractEvent,
    comment: Option<String>,
) -> AppResult<ContractStatus> {
    let to = match from {
        Some(s) => s.on(event)?,
        None => ContractStatus::Draft,
    };
    transition::ActiveModel {
        id: NotSet,
        contract_id: Set(id),
        from_status: Set(from.map(|s| s.as_str().to_string())),
        to_status: Set(to.as_str().into()),
        action: Set(event.as_str().into()),
        actor_id: Set(Some(actor.user_id)),
        actor_name: Set(Some(actor.display_name.clone())),
        comment: Set(comment),
        at: Set(now),
    }
    .insert(txn)
    .await
    .map_err(db_error)?;
    Ok(to)
}

/// Generates the contract of an approved application (one live contract at a time).
pub async fn generate(
    ctx: &LoansContext,
    actor: &Actor,
    application_id: i64,
    input: &GenerateInput,
) -> AppResult<Contract> {
    let detail = applications::get(ctx, actor, application_id).await?;
    let a = &detail.application;
    if a.status != ApplicationStatus::Approved {
        return Err(AppError::conflict(
            "invalid_transition",
            format!(
                "a contract is generated for an approved application; this one is {}",
                a.status.as_str()
            ),
        ));
    }
    let today = ctx.clock.now().date();
    if input.planned_disbursement_date < today {
        return Err(AppError::invalid_field(
            "plannedDisbursementDate",
            "in_past",
            "the planned disbursement date cannot be before today",
        ));
    }
    let version = products::version(ctx, a.product_id, a.product_version).await?;
    let raw = &version.terms;
    let terms = raw.validate()?;
    let drafted = schedule(&schedule_request(
        a,
        raw,
        &terms,
        input.planned_disbursement_date,
    ))?;
    let customers_ctx = &ctx.credit.customers;
    let customer =
        customers::service::customers::get(customers_ctx, actor, a.customer_id, false).await?;
    let mut guarantor_names = Vec::new();
    for g in &a.guarantor_ids {
        guarantor_names.push(
            customers::service::customers::get(customers_ctx, actor, *g, false)
                .await?
                .name,
        );
    }
    let snapshot = ContractTerms {
        lender_name: lender_name(),
        application_no: a.application_no.clone(),
        customer_id: a.customer_id,
        borrower_name: customer.name,
        borrower_id_number: customer.id_number.or(customer.credit_code),
        guarantor_names,
        product_name: version.name.clone(),
        product_version: a.product_version,
        amount: a.amount,
        annual_rate: a.annual_rate,
        method: a.method,
        term_months: a.term_months,
        day_basis: raw.day_basis,
        repayment_day: raw.repayment_day,
        penalty_multiplier: raw.penalty_multiplier.to_string(),
        grace_days: raw.grace_days,
        upfront_fees: terms.upfront_fees(a.amount),
        period_fees: terms.period_fees(a.amount),
        purpose: a.purpose.clone(),
        vehicles: detail.collateral.vehicles.clone(),
        schedule: drafted,
    };
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    // Serialise generation per application on its row; the partial unique index backs it up.
    applications::lock_row(&txn, application_id).await?;
    let earlier = contract::Entity::find()
        .filter(contract::Column::ApplicationId.eq(application_id))
        .count(&txn)
        .await
        .map_err(db_error)?;
    let live = contract::Entity::find()
        .filter(contract::Column::ApplicationId.eq(application_id))
        .filter(contract::Column::Status.ne(ContractStatus::Voided))
        .one(&txn)
        .await
        .map_err(db_error)?;
    if let Some(live) = live {
        return Err(AppError::conflict(
            "contract_exists",
            format!(
                "contract {} is {}; void it before generating another",
                live.contract_no,
                live.status.as_str()
            ),
        ));
    }
    let saved = contract::ActiveModel {
        id: NotSet,
        contract_no: Set(contract_no(now.date(), application_id, earlier as u32 + 1)),
        application_id: Set(application_id),
        status: Set(ContractStatus::Draft),
        planned_disbursement_date: Set(input.planned_disbursement_date),
        terms: Set(serde_json::to_value(&snapshot).map_err(AppError::internal)?),
        scan_file_key: Set(None),
        scan_content_type: Set(None),
        signed_on: Set(None),
        signed_place: Set(None),
        witnesses: Set(vec![]),
        signed_by: Set(None),
        void_reason: Set(None),
        created_by: Set(actor.user_id),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await
    .map_err(db_error)?;
    record_transition(
        &txn,
        actor,
        now,
        saved.id,
        None,
        ContractEvent::Generate,
        None,
    )
    .await?;
    let after = view(saved)?;
    audit::record(
        &txn,
        Some(actor),
        now,
        audit::Change::new("loan_contract", after.id, "generate").after(&after),
    )
    .await?;
    txn.commit().await.map_err(db_error)?;
    Ok(after)
}

/// The schedule of an application's terms starting on `start`: the planned disbursement date
/// for the contract's draft, the approved disbursement's value date for the binding one.
pub(crate) fn schedule_request(
    a: &applications::LoanApplication,
    raw: &crate::domain::ProductTerms,
    terms: &crate::domain::ValidTerms,
    start: Date,
) -> ScheduleRequest {
    ScheduleRequest {
        method: a.method,
        principal: DecimalString(a.amount.amount()),
        annual_rate: DecimalString(a.annual_rate.value()),
        term_months: i64::from(a.term_months),
        start_date: start,
        repayment_day: raw.repayment_day,
        day_basis: Some(raw.day_basis),
        balloon_ratio: raw.balloon_ratio,
        bullet_interest: None,
        upfront_fees: Some(DecimalString(terms.upfront_fees(a.amount).amount())),
        period_fees: Some(DecimalString(terms.period_fees(a.amount).amount())),
        contract_date: Some(start),
        min_first_period_days: Some(raw.min_first_period_days),
    }
}

/// Locks the contract (scope-checked through its application) and checks its version.
pub(crate) async fn lock(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
    version: Option<i32>,
) -> AppResult<contract::Model> {
    let found = contract::Entity::find_by_id(id)
        .lock_exclusive()
        .one(txn)
        .await
        .map_err(db_error)?
        .ok_or_else(|| AppError::not_found("contract"))?;
    applications::load(txn, actor, found.application_id).await?;
    if let Some(version) = version {
        check_version("contract", found.version, version)?;
    }
    Ok(found)
}

/// Attaches the signed scan (a photo or a PDF) to a draft contract.
pub async fn upload_scan(
    ctx: &LoansContext,
    actor: &Actor,
    id: i64,
    bytes: &[u8],
) -> AppResult<Contract> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(AppError::new(
            ErrorKind::PayloadTooLarge,
            "file_too_large",
            format!("a file may be at most {MAX_FILE_BYTES} bytes"),
        ));
    }
    let Some(content_type) = sniff(bytes) else {
        return Err(AppError::invalid_field(
            "file",
            "unsupported_type",
            "upload the signed contract as a JPEG, PNG or WebP photo or a PDF",
        ));
    };
    let key = ctx.collateral.files.put(bytes).await?;
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let found = lock(&txn, actor, id, None).await?;
    found.status.on(ContractEvent::UploadScan)?;
    let version = found.version + 1;
    let mut active = found.into_active_model();
    active.scan_file_key = Set(Some(key));
    active.scan_content_type = Set(Some(content_type.into()));
    active.version = Set(version);
    active.updated_at = Set(now);
    let after = view(active.update(&txn).await.map_err(db_error)?)?;
    audit::record(
        &txn,
        Some(actor),
        now,
        audit::Change::new("loan_contract", id, "upload_scan").after(&after),
    )
    .await?;
    txn.commit().await.map_err(db_error)?;
    Ok(after)
}

/// The signed scan's content type and bytes.
pub async fn scan(ctx: &LoansContext, actor: &Actor, id: i64) -> AppResult<(String, Vec<u8>)> {
    let found = contract::Entity::find_by_id(id)
        .one(&ctx.db)
        .await
        .map_err(db_error)?
        .ok_or_else(|| AppError::not_found("contract"))?;
    applications::load(&ctx.db, actor, found.application_id).await?;
    let (Some(key), Some(kind)) = (found.scan_file_key, found.scan_content_type) else {
        return Err(AppError::not_found("signed scan"));
    };
    Ok((kind, ctx.collateral.files.get(&key).await?))
}

/// Signs a draft: date, place and witnesses, with the scan already attached. The terms are
/// fixed from here on.
pub async fn sign(
    ctx: &LoansContext,
    actor: &Actor,
    id: i64,
    input: &SignInput,
) -> AppResult<Contract> {
    let now = ctx.clock.now();
    let mut errors = FieldErrors::new();
    let place = input.place.trim();
    if place.is_empty() || place.chars().count() > 200 {
        errors.add(
            "place",
            "required",
            "where it was signed, at most 200 characters",
        );
    }
    let witnesses: Vec<String> = input
        .witnesses
        .iter()
        .map(|w| w.trim().to_string())
        .filter(|w| !w.is_empty())
        .collect();
    if witnesses.is_empty() || witnesses.len() > 5 {
        errors.add(
            "witnesses",
            "required",
            "name one to five witnesses (见证人)",
        );
    }
    if input.signed_on > now.date() {
        errors.add(
            "signedOn",
            "in_future",
            "a contract cannot be signed after today",
        );
    }
    errors.finish()?;
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let found = lock(&txn, actor, id, Some(input.version)).await?;
    let to = found.status.on(ContractEvent::Sign)?;
    if found.scan_file_key.is_none() {
        return Err(AppError::rule(
            "scan_missing",
            "upload the signed scan before recording the signing",
        ));
    }
    if input.signed_on < found.created_at.date() {
        return Err(AppError::invalid_field(
            "signedOn",
            "before_generation",
            "a contract cannot be signed before it was generated",
        ));
    }
    let before = view(found.clone())?;
    record_transition(
        &txn,
        actor,
        now,
        id,
        Some(found.status),
        ContractEvent::Sign,
        None,
    )
    .await?;
    let version = found.version + 1;
    let mut active = found.into_active_model();
    active.status = Set(to);
    active.signed_on = Set(Some(input.signed_on));
    active.signed_place = Set(Some(place.into()));
    active.witnesses = Set(witnesses);
    active.signed_by = Set(Some(actor.user_id));
    active.version = Set(version);
    active.updated_at = Set(now);
    let after = view(active.update(&txn).await.map_err(db_error)?)?;
    audit::record(
        &txn,
        Some(actor),
        now,
        audit::Change::new("loan_contract", id, "sign")
            .before(&before)
            .after(&after),
    )
    .await?;
    txn.commit().await.map_err(db_error)?;
    Ok(after)
}

/// Voids a draft (e.g. to generate it again with another planned date).
pub async fn void(
    ctx: &LoansContext,
    actor: &Actor,
    id: i64,
    input: &VoidInput,
) -> AppResult<Contract> {
    let reason = input.reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(AppError::invalid_field(
            "reason",
            "required",
            "say why, in at most 500 characters",
        ));
    }
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let found = lock(&txn, actor, id, Some(input.version)).await?;
    let to = found.status.on(ContractEvent::Void)?;
    let before = view(found.clone())?;
    record_transition(
        &txn,
        actor,
        now,
        id,
        Some(found.status),
        ContractEvent::Void,
        Some(reason.into()),
    )
    .await?;
    let version = found.version + 1;
    let mut active = found.into_active_model();
    active.status = Set(to);
    active.void_reason = Set(Some(reason.into()));
    active.version = Set(version);
    active.updated_at = Set(now);
    let after = view(active.update(&txn).await.map_err(db_error)?)?;
    audit::record(
        &txn,
        Some(actor),
        now,
        audit::Change::new("loan_contract", id, "void")
            .before(&before)
            .after(&after),
    )
    .await?;
    txn.commit().await.map_err(db_error)?;
    Ok(after)
}

/// The contract number and the contract as a PDF, rendered from its snapshot.
pub async fn pdf(ctx: &LoansContext, actor: &Actor, id: i64) -> AppResult<(String, Vec<u8>)> {
    let found = get(ctx, actor, id).await?;
    let markup = super::contract_document::markup(&found);
    // Layout is CPU work: it runs off the async workers.
    let rendered = tokio::task::spawn_blocking(move || documents::render_pdf(&markup))
        .await
        .map_err(AppError::internal)?;
    let bytes = rendered.map_err(|e| match e {
        documents::DocumentError::NoFont(_) => {
            AppError::new(ErrorKind::Internal, "font_missing", e.to_string())
        }
        other => AppError::internal(other),
    })?;
    Ok((found.contract_no, bytes))
}
