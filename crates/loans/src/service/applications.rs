//! Loan applications (贷款申请): drafting, submission with risk screening, assignment to an
//! investigator (贷款分单), sending to the approval flow, resubmission and withdrawal. Every
//! status change goes through [`ApplicationStatus::on`] and is stored with who and when.

use calc::calculator::DecimalString;
use calc::calculator::inputs;
use calc::terms::Method;
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, FromQueryResult,
    IntoActiveModel, NotSet, QueryFilter, QueryOrder, QuerySelect, Set, Statement,
    TransactionTrait, Value,
};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::{IntoParams, ToSchema};

use credit::service::credit_lines::{self, Availability, UseReference};
use iam::Actor;
use iam::repo::status::Status;
use iam::service::{
    VersionBody, audit, check_version, scope,
    sql::{self, Where},
};
use kernel::error::FieldErrors;
use kernel::{AppError, AppResult, Money, Page, PageRequest, Rate};
use workflow::domain::BusinessType;
use workflow::service::engine::{self, StartFlow};
use workflow::service::queries;
use workflow::{Facts, FlowInstance};

use super::investigations::{self, Investigation, InvestigationFile};
use super::{LoansContext, db_error, products};
use crate::domain::ValidTerms;
use crate::domain::application::{ApplicationEvent, ApplicationStatus};
use crate::repo::application::{self, transition};

/// The permission that makes a user an investigator, for round-robin assignment.
pub const INVESTIGATE_PERMISSION: &str = "loan:investigate";

/// How an application names itself when it uses a credit line.
pub const CREDIT_LINE_REFERENCE: &str = "loan_application";

/// An application as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LoanApplication {
    pub id: i64,
    /// e.g. `LA20260302000017`.
    pub application_no: String,
    pub customer_id: i64,
    pub customer_name: String,
    pub product_id: i64,
    pub product_name: String,
    /// The product terms version the application was last saved under.
    pub product_version: i32,
    pub amount: Money,
    pub term_months: i32,
    pub method: Method,
    pub annual_rate: Rate,
    pub purpose: String,
    pub vehicle_ids: Vec<i64>,
    pub guarantor_ids: Vec<i64>,
    /// The customer's credit line (授信) the loan draws on, if any.
    pub credit_line_id: Option<i64>,
    pub status: ApplicationStatus,
    /// The risk screening run on submission.
    pub screening_id: Option<i64>,
    /// `pass`, `manual_review` or `reject`.
    pub risk_decision: Option<String>,
    pub risk_grade: Option<String>,
    pub risk_score: Option<i32>,
    pub investigator_id: Option<i64>,
    pub investigator_name: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub assigned_at: Option<OffsetDateTime>,
    pub department_id: Option<i64>,
    pub created_by: i64,
    pub created_by_name: String,
    #[serde(with = "time::serde::rfc3339::option")]
    pub decided_at: Option<OffsetDateTime>,
    pub version: i32,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

/// An application with everything a reviewer looks at.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationDetail {
    pub application: LoanApplication,
    pub investigation: Option<Investigation>,
    pub files: Vec<InvestigationFile>,
    pub collateral: CollateralCheck,
    pub flow: Option<FlowInstance>,
    pub transitions: Vec<Transition>,
}

/// One status change (状态变更记录).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Transition {
    pub from_status: Option<ApplicationStatus>,
    pub to_status: ApplicationStatus,
    pub action: String,
    pub actor_name: Option<String>,
    pub comment: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// The loan-to-value check (抵押率): amount ≤ min(product maximum, LTV × appraised value,
/// available credit line when the application draws on one).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CollateralCheck {
    pub vehicles: Vec<VehicleValue>,
    /// The sum of the vehicles' newest appraisals.
    pub appraised_total: Money,
    /// The product's maximum loan-to-value, e.g. `0.8`.
    #[schema(value_type = String, example = "0.8")]
    pub max_ltv: Decimal,
    pub product_max: Money,
    /// What the application's credit line has available today, when it draws on one.
    pub credit_line_available: Option<Money>,
    /// min(product maximum, LTV × appraised total, available credit line).
    pub limit: Money,
    /// Vehicles not appraised yet.
    pub missing_appraisals: Vec<i64>,
    pub within_limit: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VehicleValue {
    pub vehicle_id: i64,
    pub vin: String,
    pub description: String,
    pub appraised_value: Option<Money>,
}

/// An application to create, or the new state of a draft or returned one.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationInput {
    pub customer_id: i64,
    pub product_id: i64,
    #[schema(value_type = String, example = "200000.00")]
    pub amount: DecimalString,
    pub term_months: i64,
    pub method: Method,
    #[schema(value_type = String, example = "0.12")]
    pub annual_rate: DecimalString,
    /// 贷款用途, e.g. `经营周转`.
    pub purpose: String,
    /// The cars offered as collateral; at least one before submission.
    #[serde(default)]
    pub vehicle_ids: Vec<i64>,
    /// Guarantors (担保人), registered as customers.
    #[serde(default)]
    pub guarantor_ids: Vec<i64>,
    /// The customer's active credit line to draw on (授信); the amount must be within what it
    /// has available, and is used on the line when the application is approved.
    #[serde(default)]
    pub credit_line_id: Option<i64>,
    /// Required when editing: the `version` you edited.
    #[serde(default)]
    pub version: Option<i32>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct ApplicationFilter {
    /// Part of the application number or the customer's name.
    pub q: Option<String>,
    pub status: Option<ApplicationStatus>,
    pub customer_id: Option<i64>,
    /// Only those assigned to me for investigation.
    pub mine: Option<bool>,
}

/// Who investigates: a named user, or the next in the department's round robin.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AssignInput {
    /// Omit for round robin (轮询) among the department's investigators.
    #[serde(default)]
    pub user_id: Option<i64>,
    pub version: i32,
}

/// A reason for a withdrawal, with the version seen.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WithdrawInput {
    #[serde(default)]
    pub comment: Option<String>,
    pub version: i32,
}

#[derive(Debug, FromQueryResult)]
struct Row {
    id: i64,
    application_no: String,
    customer_id: i64,
    customer_name: String,
    product_id: i64,
    product_name: String,
    product_version: i32,
    amount: Decimal,
    term_months: i32,
    repayment_method: String,
    annual_rate: Decimal,
    purpose: String,
    vehicle_ids: Vec<i64>,
    guarantor_ids: Vec<i64>,
    credit_line_id: Option<i64>,
    status: ApplicationStatus,
    screening_id: Option<i64>,
    risk_decision: Option<String>,
    risk_grade: Option<String>,
    risk_score: Option<i32>,
    investigator_id: Option<i64>,
    investigator_name: Option<String>,
    assigned_at: Option<OffsetDateTime>,
    department_id: Option<i64>,
    created_by: i64,
    created_by_name: String,
    decided_at: Option<OffsetDateTime>,
    version: i32,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
}

fn parse_method(name: &str) -> AppResult<Method> {
    serde_json::from_value(serde_json::Value::String(name.into())).map_err(AppError::internal)
}

impl Row {
    fn into_view(self) -> AppResult<LoanApplication> {
        Ok(LoanApplication {
            id: self.id,
            application_no: self.application_no,
            customer_id: self.customer_id,
            customer_name: self.customer_name,
            product_id: self.product_id,
            product_name: self.product_name,
            product_version: self.product_version,
            amount: Money::round(self.amount),
            term_months: self.term_months,
            method: parse_method(&self.repayment_method)?,
            annual_rate: Rate::annual(self.annual_rate).map_err(AppError::internal)?,
            purpose: self.purpose,
            vehicle_ids: self.vehicle_ids,
            guarantor_ids: self.guarantor_ids,
            credit_line_id: self.credit_line_id,
            status: self.status,
            screening_id: self.screening_id,
            risk_decision: self.risk_decision,
            risk_grade: self.risk_grade,
            risk_score: self.risk_score,
            investigator_id: self.investigator_id,
            investigator_name: self.investigator_name,
            assigned_at: self.assigned_at,
            department_id: self.department_id,
            created_by: self.created_by,
            created_by_name: self.created_by_name,
            decided_at: self.decided_at,
            version: self.version,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

const COLUMNS: &str = "a.id, a.application_no, a.customer_id, c.name AS customer_name, \
    a.product_id, p.name AS product_name, a.product_version, a.amount, a.term_months, \
    a.repayment_method, a.annual_rate, a.purpose, a.vehicle_ids, a.guarantor_ids, \
    a.credit_line_id, a.status, \
    a.screening_id, a.risk_decision, a.risk_grade, a.risk_score, a.investigator_id, \
    iu.display_name AS investigator_name, a.assigned_at, a.department_id, a.created_by, \
    cu.display_name AS created_by_name, a.decided_at, a.version, a.created_at, a.updated_at";
const FROM: &str = "loan_applications a JOIN customers c ON c.id = a.customer_id \
    JOIN loan_products p ON p.id = a.product_id \
    JOIN users cu ON cu.id = a.created_by \
    LEFT JOIN users iu ON iu.id = a.investigator_id";
/// One's own: drafted by one, or assigned to one to investigate.
const OWN: &str = "a.created_by = $? OR a.investigator_id = $?";

pub async fn list(
    ctx: &LoansContext,
    actor: &Actor,
    filter: &ApplicationFilter,
    page: &PageRequest,
) -> AppResult<Page<LoanApplication>> {
    let mut w = Where::new();
    scope::restrict(&mut w, actor, "a.department_id", OWN);
    if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        w.and(
            "(a.application_no ILIKE $? OR c.name ILIKE $?)",
            [Value::from(sql::contains(q)), Value::from(sql::contains(q))],
        );
    }
    if let Some(s) = filter.status {
        w.and("a.status = $?", [Value::from(s.as_str())]);
    }
    if let Some(c) = filter.customer_id {
        w.and("a.customer_id = $?", [Value::from(c)]);
    }
    if filter.mine == Some(true) {
        w.and("a.investigator_id = $?", [Value::from(actor.user_id)]);
    }
    let rows = w
        .page_counting_over::<Row>(
            &ctx.db,
            COLUMNS,
            FROM,
            "loan_applications a JOIN customers c ON c.id = a.customer_id",
            "a.id DESC",
            page,
        )
        .await?;
    let total = rows.total;
    let items = rows
        .items
        .into_iter()
        .map(Row::into_view)
        .collect::<AppResult<Vec<_>>>()?;
    Ok(Page::new(items, total, page))
}

async fn load_unscoped(db: &impl ConnectionTrait, id: i64) -> AppResult<LoanApplication> {
    let sql = format!("SELECT {COLUMNS} FROM {FROM} WHERE a.id = $1");
    Row::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        &sql,
        [Value::from(id)],
    ))
    .one(db)
    .await
    .map_err(db_error)?
    .ok_or_else(|| AppError::not_found("loan application"))?
    .into_view()
}

/// The application as `actor` may see it: within their data scope, or because its flow
/// gives or gave them a task.
pub async fn load(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<LoanApplication> {
    // Whoever may read the contract or the loan an application became may read the
    // application behind it, within the same data scope.
    let reads = [
        iam::perm::LOAN_APPLICATION_READ,
        iam::perm::CONTRACT_READ,
        iam::perm::LOAN_READ,
    ];
    if !reads.iter().any(|p| actor.has(p)) {
        return if queries::involves(db, BusinessType::LoanApplication, id, actor.user_id).await? {
            load_unscoped(db, id).await
        } else {
            Err(AppError::forbidden(
                "forbidden",
                format!(
                    "this needs the permission {}",
                    iam::perm::LOAN_APPLICATION_READ
                ),
            ))
        };
    }
    let mut w = Where::new();
    w.and("a.id = $?", [Value::from(id)]);
    scope::restrict(&mut w, actor, "a.department_id", OWN);
    let sql = format!("SELECT {COLUMNS} FROM {FROM} WHERE {}", w.sql());
    let found = Row::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        &sql,
        w.values(),
    ))
    .one(db)
    .await
    .map_err(db_error)?;
    match found {
        Some(row) => row.into_view(),
        None if queries::involves(db, BusinessType::LoanApplication, id, actor.user_id).await? => {
            load_unscoped(db, id).await
        }
        None => Err(AppError::not_found("loan application")),
    }
}

pub async fn get(ctx: &LoansContext, actor: &Actor, id: i64) -> AppResult<ApplicationDetail> {
    let application = load(&ctx.db, actor, id).await?;
    let terms = terms_of(ctx, application.product_id, application.product_version).await?;
    let line = line_of(&ctx.db, &application, super::today(&ctx.clock)).await?;
    let collateral = collateral_check(&ctx.db, &application, &terms, line.as_ref()).await?;
    let transitions = transition::Entity::find()
        .filter(transition::Column::ApplicationId.eq(id))
        .order_by_asc(transition::Column::Id)
        .all(&ctx.db)
        .await
        .map_err(db_error)?
        .into_iter()
        .map(|t| Transition {
            from_status: t.from_status.as_deref().and_then(status_from_str),
            to_status: status_from_str(&t.to_status).unwrap_or(ApplicationStatus::Draft),
            action: t.action,
            actor_name: t.actor_name,
            comment: t.comment,
            at: t.at,
        })
        .collect();
    Ok(ApplicationDetail {
        investigation: investigations::find(&ctx.db, id).await?,
        files: investigations::files(&ctx.db, id).await?,
        flow: queries::for_business(&ctx.db, BusinessType::LoanApplication, id).await?,
        collateral,
        transitions,
        application,
    })
}

fn status_from_str(s: &str) -> Option<ApplicationStatus> {
    serde_json::from_value(serde_json::Value::String(s.into())).ok()
}

/// The terms of a product version, validated.
async fn terms_of(ctx: &LoansContext, product_id: i64, version_no: i32) -> AppResult<ValidTerms> {
    products::version(ctx, product_id, version_no)
        .await?
        .terms
        .validate()
}

#[derive(FromQueryResult)]
struct VehicleRow {
    id: i64,
    vin: String,
    brand: String,
    model: String,
    value: Option<Decimal>,
}

async fn vehicle_values(db: &impl ConnectionTrait, ids: &[i64]) -> AppResult<Vec<VehicleValue>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let rows = VehicleRow::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT v.id, v.vin, v.brand, v.model, la.value FROM vehicles v \
         LEFT JOIN LATERAL (SELECT a.value FROM appraisals a WHERE a.vehicle_id = v.id \
             ORDER BY a.appraised_on DESC, a.id DESC LIMIT 1) la ON TRUE \
         WHERE v.id = ANY($1)",
        [ids.to_vec().into()],
    ))
    .all(db)
    .await
    .map_err(db_error)?;
    Ok(ids
        .iter()
        .filter_map(|id| rows.iter().find(|r| r.id == *id))
        .map(|r| VehicleValue {
            vehicle_id: r.id,
            vin: r.vin.clone(),
            description: format!("{} {}", r.brand, r.model),
            appraised_value: r.value.map(Money::round),
        })
        .collect())
}

/// The credit line the application draws on, as it stands on `on`.
async fn line_of(
    db: &impl ConnectionTrait,
    application: &LoanApplication,
    on: Date,
) -> AppResult<Option<Availability>> {
    match application.credit_line_id {
        Some(id) => Ok(Some(credit_lines::available(db, id, on).await?)),
        None => Ok(None),
    }
}

async fn collateral_check(
    db: &impl ConnectionTrait,
    application: &LoanApplication,
    terms: &ValidTerms,
    line: Option<&Availability>,
) -> AppResult<CollateralCheck> {
    let vehicles = vehicle_values(db, &application.vehicle_ids).await?;
    let appraised_total = vehicles
        .iter()
        .filter_map(|v| v.appraised_value)
        .fold(Money::ZERO, |a, b| a + b);
    let missing_appraisals: Vec<i64> = vehicles
        .iter()
        .filter(|v| v.appraised_value.is_none())
        .map(|v| v.vehicle_id)
        .collect();
    // Truncated to the fen, never rounded up: the limit must not exceed LTV × value.
    let by_ltv = Money::round((appraised_total.amount() * terms.max_ltv).trunc_with_scale(2));
    let credit_line_available = line.map(|l| l.available);
    let limit = by_ltv
        .min(terms.amount_max)
        .min(credit_line_available.unwrap_or(terms.amount_max));
    Ok(CollateralCheck {
        within_limit: !vehicles.is_empty()
            && missing_appraisals.is_empty()
            && application.amount <= limit,
        vehicles,
        appraised_total,
        max_ltv: terms.max_ltv,
        product_max: terms.amount_max,
        credit_line_available,
        limit,
        missing_appraisals,
    })
}

/// 422 unless every vehicle is appraised and the amount is within the limit.
fn require_collateral(check: &CollateralCheck, amount: Money) -> AppResult<()> {
    if check.vehicles.is_empty() {
        return Err(AppError::invalid_field(
            "vehicleIds",
            "required",
            "a car loan needs at least one vehicle as collateral",
        ));
    }
    if !check.missing_appraisals.is_empty() {
        return Err(AppError::rule(
            "appraisal_missing",
            format!(
                "vehicle(s) {:?} have no appraisal yet; an appraiser must value them first",
                check.missing_appraisals
            ),
        ));
    }
    if let Some(available) = check.credit_line_available
        && amount > available
    {
        return Err(AppError::rule(
            "credit_line_exceeded",
            format!("the amount {amount} is above what the credit line has available, {available}"),
        ));
    }
    if amount > check.limit {
        return Err(AppError::rule(
            "ltv_exceeded",
            format!(
                "the amount {amount} is above the limit {}: the lower of the product maximum {} and {} × the appraised value {}",
                check.limit,
                check.product_max,
                check.max_ltv.normalize(),
                check.appraised_total
            ),
        ));
    }
    Ok(())
}

/// The collateral check against the application's own terms version, and the credit line
/// it draws on, as a refusal: 409 when the line cannot be drawn on today.
async fn collateral_holds(
    ctx: &LoansContext,
    db: &impl ConnectionTrait,
    application: &LoanApplication,
) -> AppResult<()> {
    let terms = terms_of(ctx, application.product_id, application.product_version).await?;
    let on = super::today(&ctx.clock);
    let line = line_of(db, application, on).await?;
    if let Some(line) = &line {
        line.check_usable(on)?;
    }
    require_collateral(
        &collateral_check(db, application, &terms, line.as_ref()).await?,
        application.amount,
    )
}

/// The checked input: terms of the product's current version, customer, vehicles, guarantors.
struct Checked {
    amount: Money,
    rate: Rate,
    term_months: i32,
    product_version: i32,
    purpose: String,
}

async fn check_input(
    ctx: &LoansContext,
    actor: &Actor,
    input: &ApplicationInput,
) -> AppResult<Checked> {
    let mut errors = FieldErrors::new();
    let amount = inputs::money("amount", input.amount, &mut errors);
    let rate = inputs::rate("annualRate", input.annual_rate, &mut errors);
    let purpose = input.purpose.trim().to_string();
    if purpose.is_empty() || purpose.chars().count() > 500 {
        errors.add(
            "purpose",
            "required",
            "say what the loan is for, in at most 500 characters",
        );
    }
    let product = match products::get(ctx, input.product_id).await {
        Ok(p) if p.status == Status::Active => Some(p),
        Ok(_) => {
            errors.add(
                "productId",
                "disabled",
                "the product is disabled: no new loans under it",
            );
            None
        }
        Err(e) if e.code == "not_found" => {
            errors.add("productId", "not_found", "no such product");
            None
        }
        Err(e) => return Err(e),
    };
    if let Some(product) = &product {
        let terms = product.terms.validate()?;
        if !terms.methods.contains(&input.method) {
            errors.add(
                "method",
                "not_offered",
                "the product does not offer this repayment method",
            );
        }
        if input.term_months < i64::from(terms.term_months_min)
            || input.term_months > i64::from(terms.term_months_max)
        {
            errors.add(
                "termMonths",
                "out_of_range",
                format!(
                    "the product lends for {}–{} months",
                    terms.term_months_min, terms.term_months_max
                ),
            );
        }
        if !amount.is_positive() || amount < terms.amount_min || amount > terms.amount_max {
            errors.add(
                "amount",
                "out_of_range",
                format!(
                    "the product lends {} to {}",
                    terms.amount_min, terms.amount_max
                ),
            );
        }
        if rate < terms.rate_min || rate > terms.rate_max {
            errors.add(
                "annualRate",
                "out_of_range",
                format!(
                    "the product's annual rate is between {} and {}",
                    terms.rate_min.value().normalize(),
                    terms.rate_max.value().normalize()
                ),
            );
        }
    }
    let customers = &ctx.credit.customers;
    match customers::service::customers::get(customers, actor, input.customer_id, false).await {
        Ok(c) if c.status != Status::Active => {
            errors.add("customerId", "disabled", "the customer is disabled")
        }
        Ok(_) => {}
        Err(e) if e.code == "not_found" => {
            errors.add("customerId", "not_found", "no such customer in your scope")
        }
        Err(e) => return Err(e),
    }
    let mut seen = Vec::new();
    for (i, g) in input.guarantor_ids.iter().enumerate() {
        let path = format!("guarantorIds[{i}]");
        if *g == input.customer_id {
            errors.add(
                path,
                "is_borrower",
                "the borrower cannot guarantee their own loan",
            );
        } else if seen.contains(g) {
            errors.add(path, "duplicate", "listed twice");
        } else {
            match customers::service::customers::get(customers, actor, *g, false).await {
                Ok(_) => {}
                Err(e) if e.code == "not_found" => {
                    errors.add(path, "not_found", "no such customer in your scope")
                }
                Err(e) => return Err(e),
            }
        }
        seen.push(*g);
    }
    if let Some(line_id) = input.credit_line_id {
        check_line(ctx, input, line_id, amount, &mut errors).await?;
    }
    if input.vehicle_ids.len() > 5 {
        errors.add(
            "vehicleIds",
            "too_many",
            "at most 5 vehicles per application",
        );
    }
    let found = vehicle_values(&ctx.db, &input.vehicle_ids).await?;
    let mut seen = Vec::new();
    for (i, v) in input.vehicle_ids.iter().enumerate() {
        if seen.contains(v) {
            errors.add(format!("vehicleIds[{i}]"), "duplicate", "listed twice");
        } else if !found.iter().any(|f| f.vehicle_id == *v) {
            errors.add(format!("vehicleIds[{i}]"), "not_found", "no such vehicle");
        }
        seen.push(*v);
    }
    errors.finish()?;
    let product = product.expect("checked");
    Ok(Checked {
        amount,
        rate,
        term_months: input.term_months as i32,
        product_version: product.terms_version,
        purpose,
    })
}

/// The credit line must be the customer's, usable today, with `amount` available.
async fn check_line(
    ctx: &LoansContext,
    input: &ApplicationInput,
    line_id: i64,
    amount: Money,
    errors: &mut FieldErrors,
) -> AppResult<()> {
    let on = super::today(&ctx.clock);
    let line = match credit_lines::available(&ctx.db, line_id, on).await {
        Ok(line) => line,
        Err(e) if e.code == "not_found" => {
            errors.add("creditLineId", "not_found", "no such credit line");
            return Ok(());
        }
        Err(e) => return Err(e),
    };
    if line.customer_id != input.customer_id {
        errors.add(
            "creditLineId",
            "other_customer",
            "the credit line belongs to another customer",
        );
    } else if let Err(e) = line.check_usable(on) {
        errors.add("creditLineId", e.code, e.message);
    } else if amount > line.available {
        errors.add(
            "amount",
            "credit_line_exceeded",
            format!(
                "the amount {amount} is above what the credit line {} has available, {}",
                line.line_no, line.available
            ),
        );
    }
    Ok(())
}

/// One edge of the state machine as taken.
struct Edge {
    from: Option<ApplicationStatus>,
    to: ApplicationStatus,
    event: ApplicationEvent,
}

async fn record_transition(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    now: OffsetDateTime,
    id: i64,
    Edge { from, to, event }: Edge,
    comment: Option<String>,
) -> AppResult<()> {
    transition::ActiveModel {
        id: NotSet,
        application_id: Set(id),
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
    Ok(())
}

pub async fn create(
    ctx: &LoansContext,
    actor: &Actor,
    input: &ApplicationInput,
) -> AppResult<LoanApplication> {
    let checked = check_input(ctx, actor, input).await?;
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    #[derive(FromQueryResult)]
    struct Next {
        id: i64,
    }
    let next = Next::find_by_statement(Statement::from_string(
        DbBackend::Postgres,
        "SELECT nextval('loan_applications_id_seq') AS id",
    ))
    .one(&txn)
    .await
    .map_err(db_error)?
    .ok_or_else(|| AppError::internal("no next application id"))?
    .id;
    let day = now.date();
    let application_no = format!(
        "LA{:04}{:02}{:02}{:06}",
        day.year(),
        u8::from(day.month()),
        day.day(),
        next
    );
    application::ActiveModel {
        id: Set(next),
        application_no: Set(application_no),
        customer_id: Set(input.customer_id),
        product_id: Set(input.product_id),
        product_version: Set(checked.product_version),
        amount: Set(checked.amount.amount()),
        term_months: Set(checked.term_months),
        repayment_method: Set(crate::domain::terms::method_name(input.method).into()),
        annual_rate: Set(checked.rate.value()),
        purpose: Set(checked.purpose),
        vehicle_ids: Set(input.vehicle_ids.clone()),
        guarantor_ids: Set(input.guarantor_ids.clone()),
        credit_line_id: Set(input.credit_line_id),
        status: Set(ApplicationStatus::Draft),
        screening_id: Set(None),
        risk_decision: Set(None),
        risk_grade: Set(None),
        risk_score: Set(None),
        investigator_id: Set(None),
        assigned_at: Set(None),
        department_id: Set(actor.department_id),
        created_by: Set(actor.user_id),
        decided_at: Set(None),
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
        next,
        Edge {
            from: None,
            to: ApplicationStatus::Draft,
            event: ApplicationEvent::Edit,
        },
        None,
    )
    .await?;
    let saved = load_unscoped(&txn, next).await?;
    audit::record(
        &txn,
        Some(actor),
        now,
        audit::Change::new("loan_application", next, "create").after(&saved),
    )
    .await?;
    txn.commit().await.map_err(db_error)?;
    Ok(saved)
}

/// Locks the application row, to serialise what hangs off it (its contract).
pub(crate) async fn lock_row(txn: &impl ConnectionTrait, id: i64) -> AppResult<()> {
    application::Entity::find_by_id(id)
        .lock_exclusive()
        .one(txn)
        .await
        .map_err(db_error)?
        .ok_or_else(|| AppError::not_found("loan application"))?;
    Ok(())
}

/// Locks the application row (scope-checked) and checks its version.
async fn lock(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
    version: i32,
) -> AppResult<(application::Model, LoanApplication)> {
    let before = load(txn, actor, id).await?;
    let row = application::Entity::find_by_id(id)
        .lock_exclusive()
        .one(txn)
        .await
        .map_err(db_error)?
        .ok_or_else(|| AppError::not_found("loan application"))?;
    check_version("loan application", row.version, version)?;
    Ok((row, before))
}

/// Moves the locked row along `event`, stores the edge and the audit record.
#[allow(clippy::too_many_arguments)]
async fn move_to(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    now: OffsetDateTime,
    row: application::Model,
    before: &LoanApplication,
    event: ApplicationEvent,
    comment: Option<String>,
    change: impl FnOnce(&mut application::ActiveModel),
) -> AppResult<LoanApplication> {
    let from = row.status;
    let to = from.on(event)?;
    let id = row.id;
    let version = row.version + 1;
    let mut active = row.into_active_model();
    active.status = Set(to);
    active.version = Set(version);
    active.updated_at = Set(now);
    if matches!(
        to,
        ApplicationStatus::Approved | ApplicationStatus::Rejected | ApplicationStatus::Withdrawn
    ) {
        active.decided_at = Set(Some(now));
    }
    change(&mut active);
    active.update(txn).await.map_err(db_error)?;
    if from != to || event != ApplicationEvent::Edit {
        let edge = Edge {
            from: Some(from),
            to,
            event,
        };
        record_transition(txn, actor, now, id, edge, comment).await?;
    }
    let after = load_unscoped(txn, id).await?;
    audit::record(
        txn,
        Some(actor),
        now,
        audit::Change::new("loan_application", id, event.as_str())
            .before(before)
            .after(&after),
    )
    .await?;
    Ok(after)
}

/// Edits a draft, or a returned application before it is resubmitted.
pub async fn update(
    ctx: &LoansContext,
    actor: &Actor,
    id: i64,
    input: &ApplicationInput,
) -> AppResult<LoanApplication> {
    let Some(version) = input.version else {
        return Err(AppError::invalid_field(
            "version",
            "required",
            "send the version you edited",
        ));
    };
    let checked = check_input(ctx, actor, input).await?;
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let (row, before) = lock(&txn, actor, id, version).await?;
    if row.created_by != actor.user_id {
        return Err(AppError::forbidden(
            "not_your_application",
            "only the customer manager who drafted it may edit an application",
        ));
    }
    let saved = move_to(
        &txn,
        actor,
        now,
        row,
        &before,
        ApplicationEvent::Edit,
        None,
        |a| {
            a.customer_id = Set(input.customer_id);
            a.product_id = Set(input.product_id);
            a.product_version = Set(checked.product_version);
            a.amount = Set(checked.amount.amount());
            a.term_months = Set(checked.term_months);
            a.repayment_method = Set(crate::domain::terms::method_name(input.method).into());
            a.annual_rate = Set(checked.rate.value());
            a.purpose = Set(checked.purpose.clone());
            a.vehicle_ids = Set(input.vehicle_ids.clone());
            a.guarantor_ids = Set(input.guarantor_ids.clone());
            a.credit_line_id = Set(input.credit_line_id);
        },
    )
    .await?;
    txn.commit().await.map_err(db_error)?;
    Ok(saved)
}

/// Submits a draft: the risk screening runs and its result is attached. A `reject` decision
/// declines the application at once; otherwise it waits for assignment.
pub async fn submit(
    ctx: &LoansContext,
    actor: &Actor,
    id: i64,
    body: &VersionBody,
) -> AppResult<LoanApplication> {
    let current = load(&ctx.db, actor, id).await?;
    check_version("loan application", current.version, body.version)?;
    current.status.on(ApplicationEvent::Submit)?;
    if current.vehicle_ids.is_empty() {
        return Err(AppError::invalid_field(
            "vehicleIds",
            "required",
            "a car loan needs at least one vehicle as collateral before it is submitted",
        ));
    }
    let first = vehicle_values(&ctx.db, &current.vehicle_ids[..1]).await?;
    let vehicle = first
        .first()
        .map(|v| credit::service::screenings::VehicleInput {
            vin: Some(v.vin.clone()),
            description: Some(v.description.clone()),
            declared_value: v.appraised_value,
        });
    // The screening calls outside providers, so it runs (and is stored) before our
    // transaction; a failure after it leaves a stored screening and an unchanged draft.
    let screening = credit::service::screenings::screen(
        &ctx.credit,
        actor,
        &credit::service::screenings::ScreeningInput {
            customer_id: current.customer_id,
            loan_amount: current.amount,
            term_months: current.term_months as u32,
            existing_monthly_debt: None,
            vehicle,
        },
    )
    .await?;
    let declined = screening.decision == credit::domain::evaluate::Decision::Reject;
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let (row, before) = lock(&txn, actor, id, body.version).await?;
    let event = if declined {
        ApplicationEvent::ScreeningDeclined
    } else {
        ApplicationEvent::Submit
    };
    let comment = declined.then(|| {
        format!(
            "risk screening {} declined: {}",
            screening.id,
            screening
                .reasons
                .iter()
                .map(|r| r.message.clone())
                .collect::<Vec<_>>()
                .join("; ")
        )
    });
    let saved = move_to(&txn, actor, now, row, &before, event, comment, |a| {
        a.screening_id = Set(Some(screening.id));
        a.risk_decision = Set(Some(screening.decision.as_str().into()));
        a.risk_grade = Set(Some(screening.grade.clone()));
        a.risk_score = Set(Some(screening.score));
    })
    .await?;
    txn.commit().await.map_err(db_error)?;
    Ok(saved)
}

#[derive(FromQueryResult)]
struct UserId {
    id: i64,
}

/// Active users of `department` whose roles grant the investigate permission, by id.
async fn investigators(
    db: &impl ConnectionTrait,
    department: Option<i64>,
    only: Option<i64>,
) -> AppResult<Vec<i64>> {
    let mut w = Where::new();
    w.and(
        "u.status = 'active' AND r.status = 'active' AND $? = ANY(r.permissions)",
        [Value::from(INVESTIGATE_PERMISSION)],
    );
    if let Some(user) = only {
        w.and("u.id = $?", [Value::from(user)]);
    } else {
        match department {
            Some(d) => w.and("u.department_id = $?", [Value::from(d)]),
            None => w.and("u.department_id IS NULL", []),
        };
    }
    let sql = format!(
        "SELECT DISTINCT u.id FROM users u JOIN user_roles ur ON ur.user_id = u.id \
         JOIN roles r ON r.id = ur.role_id WHERE {} ORDER BY u.id",
        w.sql()
    );
    Ok(UserId::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        &sql,
        w.values(),
    ))
    .all(db)
    .await
    .map_err(db_error)?
    .into_iter()
    .map(|r| r.id)
    .collect())
}

/// Round robin: the investigator after the department's last one, wrapping around. The
/// cursor row is locked, so two assignments at once take different people.
async fn next_in_turn(txn: &impl ConnectionTrait, department: i64) -> AppResult<i64> {
    let people = investigators(txn, Some(department), None).await?;
    if people.is_empty() {
        return Err(AppError::rule(
            "no_investigator",
            "nobody in the application's department holds the investigate permission; assign someone by name",
        ));
    }
    let last = UserId::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT last_user_id AS id FROM loan_assignment_cursors WHERE department_id = $1 FOR UPDATE",
        [Value::from(department)],
    ))
    .one(txn)
    .await
    .map_err(db_error)?
    .map(|r| r.id);
    let next = match last {
        Some(last) => people
            .iter()
            .copied()
            .find(|p| *p > last)
            .unwrap_or(people[0]),
        None => people[0],
    };
    txn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "INSERT INTO loan_assignment_cursors (department_id, last_user_id) VALUES ($1, $2) \
         ON CONFLICT (department_id) DO UPDATE SET last_user_id = EXCLUDED.last_user_id",
        [Value::from(department), Value::from(next)],
    ))
    .await
    .map_err(db_error)?;
    Ok(next)
}

/// Assigns a submitted application to an investigator (贷款分单), or re-assigns one under
/// investigation.
pub async fn assign(
    ctx: &LoansContext,
    actor: &Actor,
    id: i64,
    input: &AssignInput,
) -> AppResult<LoanApplication> {
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let (row, before) = lock(&txn, actor, id, input.version).await?;
    let event = if row.status == ApplicationStatus::Investigating {
        ApplicationEvent::Reassign
    } else {
        ApplicationEvent::Assign
    };
    row.status.on(event)?;
    let investigator = match input.user_id {
        Some(user) => {
            if investigators(&txn, None, Some(user)).await?.is_empty() {
                return Err(AppError::invalid_field(
                    "userId",
                    "not_an_investigator",
                    "that user is not an active user holding the investigate permission",
                ));
            }
            user
        }
        None => {
            let Some(department) = row.department_id else {
                return Err(AppError::rule(
                    "no_investigator",
                    "the application belongs to no department; assign someone by name",
                ));
            };
            next_in_turn(&txn, department).await?
        }
    };
    if Some(investigator) == row.investigator_id {
        return Err(AppError::invalid_field(
            "userId",
            "unchanged",
            "the application is already assigned to that user",
        ));
    }
    let saved = move_to(&txn, actor, now, row, &before, event, None, |a| {
        a.investigator_id = Set(Some(investigator));
        a.assigned_at = Set(Some(now));
    })
    .await?;
    txn.commit().await.map_err(db_error)?;
    Ok(saved)
}

fn facts_of(a: &LoanApplication) -> Facts {
    Facts {
        amount: Some(a.amount),
        term_months: Some(i64::from(a.term_months)),
        product_id: Some(a.product_id),
        risk_grade: a.risk_grade.clone(),
    }
}

fn title_of(a: &LoanApplication) -> String {
    format!("{} {} ¥{}", a.application_no, a.customer_name, a.amount)
}

/// The investigator sends the application into the approval flow: the investigation must be
/// recorded and the collateral appraised within the loan-to-value limit.
pub async fn send_to_review(
    ctx: &LoansContext,
    actor: &Actor,
    id: i64,
    body: &VersionBody,
) -> AppResult<LoanApplication> {
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let (row, before) = lock(&txn, actor, id, body.version).await?;
    row.status.on(ApplicationEvent::SendToReview)?;
    if row.investigator_id != Some(actor.user_id) {
        return Err(AppError::forbidden(
            "not_your_application",
            "only the assigned investigator sends an application to review",
        ));
    }
    if investigations::find(&txn, id).await?.is_none() {
        return Err(AppError::rule(
            "investigation_missing",
            "record the pre-loan investigation and its conclusion first",
        ));
    }
    collateral_holds(ctx, &txn, &before).await?;
    engine::start(
        &txn,
        actor,
        now,
        &StartFlow {
            business_type: BusinessType::LoanApplication,
            business_id: id,
            title: title_of(&before),
            facts: facts_of(&before),
            applicant_id: row.created_by,
            applicant_department_id: row.department_id,
        },
    )
    .await?;
    let saved = move_to(
        &txn,
        actor,
        now,
        row,
        &before,
        ApplicationEvent::SendToReview,
        None,
        |_| {},
    )
    .await?;
    txn.commit().await.map_err(db_error)?;
    Ok(saved)
}

/// Sends a returned application back into its flow, at the first step.
pub async fn resubmit(
    ctx: &LoansContext,
    actor: &Actor,
    id: i64,
    body: &VersionBody,
) -> AppResult<LoanApplication> {
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let (row, before) = lock(&txn, actor, id, body.version).await?;
    row.status.on(ApplicationEvent::Resubmit)?;
    if row.created_by != actor.user_id {
        return Err(AppError::forbidden(
            "not_your_application",
            "only the customer manager who drafted it may resubmit an application",
        ));
    }
    collateral_holds(ctx, &txn, &before).await?;
    engine::resubmit(
        &txn,
        actor,
        now,
        BusinessType::LoanApplication,
        id,
        title_of(&before),
        &facts_of(&before),
    )
    .await?;
    let saved = move_to(
        &txn,
        actor,
        now,
        row,
        &before,
        ApplicationEvent::Resubmit,
        None,
        |_| {},
    )
    .await?;
    txn.commit().await.map_err(db_error)?;
    Ok(saved)
}

/// Withdraws an application before a decision; a returned one leaves its flow.
pub async fn withdraw(
    ctx: &LoansContext,
    actor: &Actor,
    id: i64,
    input: &WithdrawInput,
) -> AppResult<LoanApplication> {
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let (row, before) = lock(&txn, actor, id, input.version).await?;
    row.status.on(ApplicationEvent::Withdraw)?;
    engine::cancel(&txn, actor, now, BusinessType::LoanApplication, id).await?;
    let comment = input
        .comment
        .as_ref()
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty());
    let saved = move_to(
        &txn,
        actor,
        now,
        row,
        &before,
        ApplicationEvent::Withdraw,
        comment,
        |_| {},
    )
    .await?;
    txn.commit().await.map_err(db_error)?;
    Ok(saved)
}

/// Applies a flow action's outcome to the application, in the action's transaction. A final
/// approval checks the collateral again (an appraisal may have changed since submission) and
/// uses the amount on the credit line, with the line's row locked: an overdraw refuses the
/// approval and nothing changes.
pub(crate) async fn apply_outcome(
    ctx: &LoansContext,
    txn: &impl ConnectionTrait,
    actor: &Actor,
    now: OffsetDateTime,
    outcome: &workflow::ActOutcome,
    comment: Option<String>,
) -> AppResult<()> {
    let id = outcome.business_id;
    let before = load_unscoped(txn, id).await?;
    let row = application::Entity::find_by_id(id)
        .lock_exclusive()
        .one(txn)
        .await
        .map_err(db_error)?
        .ok_or_else(|| AppError::not_found("loan application"))?;
    let event = match outcome.decision {
        workflow::Decision::Pending => ApplicationEvent::FlowStep,
        workflow::Decision::Approved => {
            collateral_holds(ctx, txn, &before).await?;
            if let Some(line_id) = before.credit_line_id {
                let reference = UseReference {
                    reference_type: CREDIT_LINE_REFERENCE,
                    id,
                };
                credit_lines::use_amount(txn, actor, now, line_id, before.amount, &reference)
                    .await?;
            }
            ApplicationEvent::Approve
        }
        workflow::Decision::Rejected => ApplicationEvent::Reject,
        workflow::Decision::Returned => ApplicationEvent::Return,
    };
    if event == ApplicationEvent::FlowStep {
        // A step within the flow is the flow's history, not a status change.
        row.status.on(event)?;
        return Ok(());
    }
    move_to(txn, actor, now, row, &before, event, comment, |_| {}).await?;
    Ok(())
}
