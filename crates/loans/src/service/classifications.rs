//! Five-tier classification by people (五级分类调整 / 五级分类审核) and the provision report.
//! The daily close sets each loan's floor from days past due; a person may classify a loan
//! worse at once, or ask for a better class, which another person approves or rejects
//! (RULES.md §8). Every change is kept in the loan's history.

use rust_decimal::Decimal;
use sea_orm::{ConnectionTrait, DbBackend, FromQueryResult, Statement, TransactionTrait, Value};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::{IntoParams, ToSchema};

use iam::Actor;
use iam::service::sql::Where;
use iam::service::{audit, check_version, scope};
use kernel::{AppError, AppResult, Money};

use super::loan_accounts::{self, LoanRow};
use super::{LoansContext, db_error, keyed::CheckInput};
use crate::domain::classification::{RiskClass, class_code, effective_class, parse_class};
use crate::domain::money_events::{CheckDecision, check_registration};

/// Where a loan's class stands.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LoanClassification {
    pub loan_id: i64,
    pub loan_no: String,
    pub days_past_due: i32,
    /// The class the loan carries.
    pub classification: RiskClass,
    /// The class days past due call for (the floor).
    pub floor: RiskClass,
    /// A person's class, if any; `approvedFloor` is set when it was approved below the floor.
    pub assigned: Option<RiskClass>,
    pub approved_floor: Option<RiskClass>,
    pub history: Vec<ClassificationChange>,
}

/// One change of class (分类历史).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ClassificationChange {
    pub business_date: Date,
    pub from_class: RiskClass,
    pub to_class: RiskClass,
    pub floor: RiskClass,
    pub days_past_due: i32,
    /// `close` (the floor), `manual` (a person, worse) or `review` (an approved request).
    pub source: String,
    pub reason: Option<String>,
    pub made_by_name: Option<String>,
    pub checked_by_name: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub made_at: OffsetDateTime,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ClassifyInput {
    /// A worse class than the loan carries now.
    pub classification: RiskClass,
    pub reason: String,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ClassificationRequestInput {
    pub loan_id: i64,
    /// A better class than the loan carries now.
    pub classification: RiskClass,
    pub reason: String,
}

/// A request for a better class (五级分类审核).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ClassificationRequest {
    pub id: i64,
    pub loan_id: i64,
    pub loan_no: String,
    pub customer_name: String,
    /// `requested`, `approved` or `rejected`.
    pub status: String,
    pub from_class: RiskClass,
    pub to_class: RiskClass,
    pub floor: RiskClass,
    pub reason: String,
    pub requested_by: i64,
    pub requested_by_name: String,
    #[serde(with = "time::serde::rfc3339")]
    pub requested_at: OffsetDateTime,
    pub reviewed_by_name: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub reviewed_at: Option<OffsetDateTime>,
    pub review_comment: Option<String>,
    pub version: i32,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct ClassificationRequestFilter {
    /// `requested` is the reviewers' queue.
    pub status: Option<String>,
    pub loan_id: Option<i64>,
}

#[derive(FromQueryResult)]
struct ClassRow {
    classification: String,
    classification_floor: String,
    classification_assigned: Option<String>,
    classification_approved_floor: Option<String>,
    days_past_due: i32,
}

async fn class_row(db: &impl ConnectionTrait, loan_id: i64, lock: bool) -> AppResult<ClassRow> {
    ClassRow::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        format!(
            "SELECT classification, classification_floor, classification_assigned, \
             classification_approved_floor, days_past_due FROM loans WHERE id = $1{}",
            if lock { " FOR UPDATE" } else { "" }
        ),
        [Value::from(loan_id)],
    ))
    .one(db)
    .await
    .map_err(db_error)?
    .ok_or_else(|| AppError::not_found("loan"))
}

fn reason(text: &str) -> AppResult<String> {
    let t = text.trim();
    if t.is_empty() {
        return Err(AppError::invalid_field(
            "reason",
            "required",
            "say why the class changes",
        ));
    }
    Ok(t.to_string())
}

/// A loan's class, floor and history.
pub async fn get(ctx: &LoansContext, actor: &Actor, loan_id: i64) -> AppResult<LoanClassification> {
    let loan = loan_accounts::load_row(&ctx.db, actor, loan_id).await?;
    view(&ctx.db, &loan).await
}

async fn view(db: &impl ConnectionTrait, loan: &LoanRow) -> AppResult<LoanClassification> {
    let c = class_row(db, loan.id, false).await?;
    #[derive(FromQueryResult)]
    struct H {
        business_date: Date,
        from_class: String,
        to_class: String,
        floor: String,
        days_past_due: i32,
        source: String,
        reason: Option<String>,
        made_by_name: Option<String>,
        checked_by_name: Option<String>,
        made_at: OffsetDateTime,
    }
    let history = H::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT h.business_date, h.from_class, h.to_class, h.floor, h.days_past_due, h.source, h.reason, \
           m.display_name AS made_by_name, k.display_name AS checked_by_name, h.made_at \
         FROM loan_classifications h LEFT JOIN users m ON m.id = h.made_by LEFT JOIN users k ON k.id = h.checked_by \
         WHERE h.loan_id = $1 ORDER BY h.id DESC",
        [Value::from(loan.id)],
    ))
    .all(db)
    .await
    .map_err(db_error)?
    .into_iter()
    .map(|h| {
        Ok(ClassificationChange {
            business_date: h.business_date,
            from_class: parse_class(&h.from_class)?,
            to_class: parse_class(&h.to_class)?,
            floor: parse_class(&h.floor)?,
            days_past_due: h.days_past_due,
            source: h.source,
            reason: h.reason,
            made_by_name: h.made_by_name,
            checked_by_name: h.checked_by_name,
            made_at: h.made_at,
        })
    })
    .collect::<AppResult<Vec<_>>>()?;
    Ok(LoanClassification {
        loan_id: loan.id,
        loan_no: loan.loan_no.clone(),
        days_past_due: c.days_past_due,
        classification: parse_class(&c.classification)?,
        floor: parse_class(&c.classification_floor)?,
        assigned: c
            .classification_assigned
            .as_deref()
            .map(parse_class)
            .transpose()?,
        approved_floor: c
            .classification_approved_floor
            .as_deref()
            .map(parse_class)
            .transpose()?,
        history,
    })
}

#[allow(clippy::too_many_arguments)]
async fn record(
    txn: &impl ConnectionTrait,
    loan_id: i64,
    from: &str,
    to: RiskClass,
    c: &ClassRow,
    source: &str,
    reason: &str,
    made_by: i64,
    checked_by: Option<i64>,
    now: OffsetDateTime,
    today: Date,
) -> AppResult<()> {
    txn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "INSERT INTO loan_classifications (loan_id, business_date, from_class, to_class, floor, days_past_due, \
           source, reason, made_by, checked_by, made_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        [
            Value::from(loan_id),
            Value::from(today),
            Value::from(from),
            Value::from(class_code(to)),
            Value::from(c.classification_floor.clone()),
            Value::from(c.days_past_due),
            Value::from(source),
            Value::from(reason),
            Value::from(made_by),
            Value::from(checked_by),
            Value::from(now),
        ],
    ))
    .await
    .map_err(db_error)?;
    Ok(())
}

/// Classifies a loan worse at once (五级分类调整); a better class is asked for instead.
pub async fn classify_worse(
    ctx: &LoansContext,
    actor: &Actor,
    loan_id: i64,
    input: &ClassifyInput,
) -> AppResult<LoanClassification> {
    let why = reason(&input.reason)?;
    let now = ctx.clock.now();
    let today = ledgers::service::business_date::today(&ctx.db, &ctx.clock).await?;
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let loan = loan_accounts::load_row(&txn, actor, loan_id).await?;
    let c = class_row(&txn, loan.id, true).await?;
    let current = parse_class(&c.classification)?;
    if input.classification <= current {
        return Err(AppError::invalid_field(
            "classification",
            "needs_review",
            format!(
                "the loan is {} now; a better class is asked for and approved by someone else",
                current.chinese_name()
            ),
        ));
    }
    let floor = parse_class(&c.classification_floor)?;
    let after = effective_class(floor, Some(input.classification), None);
    txn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "UPDATE loans SET classification_assigned = $2, classification_approved_floor = NULL, \
         classification = $3, version = version + 1, updated_at = $4 WHERE id = $1",
        [
            Value::from(loan.id),
            Value::from(class_code(input.classification)),
            Value::from(class_code(after)),
            Value::from(now),
        ],
    ))
    .await
    .map_err(db_error)?;
    record(
        &txn,
        loan.id,
        &c.classification,
        after,
        &c,
        "manual",
        &why,
        actor.user_id,
        None,
        now,
        today,
    )
    .await?;
    let view = view(&txn, &loan).await?;
    audit::record(
        &txn,
        Some(actor),
        now,
        audit::Change::new("loan_classification", loan.id, "classify").after(&view),
    )
    .await?;
    txn.commit().await.map_err(db_error)?;
    Ok(view)
}

#[derive(FromQueryResult)]
struct RequestRow {
    id: i64,
    loan_id: i64,
    loan_no: String,
    customer_name: String,
    status: String,
    from_class: String,
    to_class: String,
    floor: String,
    reason: String,
    requested_by: i64,
    requested_by_name: String,
    requested_at: OffsetDateTime,
    reviewed_by_name: Option<String>,
    reviewed_at: Option<OffsetDateTime>,
    review_comment: Option<String>,
    version: i32,
}

impl RequestRow {
    fn into_view(self) -> AppResult<ClassificationRequest> {
        Ok(ClassificationRequest {
            from_class: parse_class(&self.from_class)?,
            to_class: parse_class(&self.to_class)?,
            floor: parse_class(&self.floor)?,
            id: self.id,
            loan_id: self.loan_id,
            loan_no: self.loan_no,
            customer_name: self.customer_name,
            status: self.status,
            reason: self.reason,
            requested_by: self.requested_by,
            requested_by_name: self.requested_by_name,
            requested_at: self.requested_at,
            reviewed_by_name: self.reviewed_by_name,
            reviewed_at: self.reviewed_at,
            review_comment: self.review_comment,
            version: self.version,
        })
    }
}

const REQUEST_SELECT: &str = "SELECT q.id, q.loan_id, l.loan_no, c.name AS customer_name, q.status, q.from_class, \
    q.to_class, q.floor, q.reason, q.requested_by, ru.display_name AS requested_by_name, q.requested_at, \
    vu.display_name AS reviewed_by_name, q.reviewed_at, q.review_comment, q.version \
    FROM classification_requests q JOIN loans l ON l.id = q.loan_id JOIN customers c ON c.id = l.customer_id \
    JOIN users ru ON ru.id = q.requested_by LEFT JOIN users vu ON vu.id = q.reviewed_by";

async fn load_request(db: &impl ConnectionTrait, id: i64) -> AppResult<ClassificationRequest> {
    RequestRow::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        format!("{REQUEST_SELECT} WHERE q.id = $1"),
        [Value::from(id)],
    ))
    .one(db)
    .await
    .map_err(db_error)?
    .ok_or_else(|| AppError::not_found("classification request"))?
    .into_view()
}

/// Asks for a better class than the loan carries (五级分类审核 starts here).
pub async fn request_better(
    ctx: &LoansContext,
    actor: &Actor,
    input: &ClassificationRequestInput,
) -> AppResult<ClassificationRequest> {
    let why = reason(&input.reason)?;
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let loan = loan_accounts::load_row(&txn, actor, input.loan_id).await?;
    let c = class_row(&txn, loan.id, true).await?;
    let current = parse_class(&c.classification)?;
    if input.classification >= current {
        return Err(AppError::invalid_field(
            "classification",
            "not_better",
            format!(
                "the loan is {} now; a worse class is set at once, without review",
                current.chinese_name()
            ),
        ));
    }
    let id: i64 = txn
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "INSERT INTO classification_requests (loan_id, status, from_class, to_class, floor, reason, \
               department_id, requested_by, requested_at) \
             VALUES ($1, 'requested', $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            [
                Value::from(loan.id),
                Value::from(c.classification.clone()),
                Value::from(class_code(input.classification)),
                Value::from(c.classification_floor.clone()),
                Value::from(why),
                Value::from(loan.department_id),
                Value::from(actor.user_id),
                Value::from(now),
            ],
        ))
        .await
        .map_err(|e| {
            if e.to_string().contains("classification_requests_open_key") {
                AppError::conflict(
                    "request_exists",
                    "a request for this loan is already waiting for review",
                )
            } else {
                db_error(e)
            }
        })?
        .ok_or_else(|| AppError::internal("insert returned nothing"))?
        .try_get("", "id")
        .map_err(db_error)?;
    let after = load_request(&txn, id).await?;
    audit::record(
        &txn,
        Some(actor),
        now,
        audit::Change::new("classification_request", id, "request").after(&after),
    )
    .await?;
    txn.commit().await.map_err(db_error)?;
    Ok(after)
}

/// Approves or rejects a request for a better class; never one's own. An approved class
/// holds while the floor is no worse than it is now.
pub async fn review(
    ctx: &LoansContext,
    actor: &Actor,
    id: i64,
    input: &CheckInput,
) -> AppResult<ClassificationRequest> {
    let comment = input.comment("classification request")?;
    let now = ctx.clock.now();
    let today = ledgers::service::business_date::today(&ctx.db, &ctx.clock).await?;
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let before = load_request(&txn, id).await?;
    let loan = loan_accounts::load_row(&txn, actor, before.loan_id).await?;
    let c = class_row(&txn, loan.id, true).await?;
    txn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT 1 FROM classification_requests WHERE id = $1 FOR UPDATE",
        [Value::from(id)],
    ))
    .await
    .map_err(db_error)?;
    let before = load_request(&txn, id).await?;
    check_version("classification request", before.version, input.version)?;
    check_registration(
        "classification request",
        before.status == "requested",
        before.requested_by,
        actor.user_id,
    )?;
    let status = match input.decision {
        CheckDecision::Approve => "approved",
        CheckDecision::Reject => "rejected",
    };
    txn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "UPDATE classification_requests SET status = $2, reviewed_by = $3, reviewed_at = $4, \
         review_comment = $5, version = version + 1 WHERE id = $1",
        [
            Value::from(id),
            Value::from(status),
            Value::from(actor.user_id),
            Value::from(now),
            Value::from(comment),
        ],
    ))
    .await
    .map_err(db_error)?;
    if input.decision == CheckDecision::Approve {
        let floor = parse_class(&c.classification_floor)?;
        let after = effective_class(floor, Some(before.to_class), Some(floor));
        txn.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "UPDATE loans SET classification_assigned = $2, classification_approved_floor = $3, \
             classification = $4, version = version + 1, updated_at = $5 WHERE id = $1",
            [
                Value::from(loan.id),
                Value::from(class_code(before.to_class)),
                Value::from(c.classification_floor.clone()),
                Value::from(class_code(after)),
                Value::from(now),
            ],
        ))
        .await
        .map_err(db_error)?;
        record(
            &txn,
            loan.id,
            &c.classification,
            after,
            &c,
            "review",
            &before.reason,
            before.requested_by,
            Some(actor.user_id),
            now,
            today,
        )
        .await?;
    }
    let after = load_request(&txn, id).await?;
    audit::record(
        &txn,
        Some(actor),
        now,
        audit::Change::new("classification_request", id, status)
            .before(&before)
            .after(&after),
    )
    .await?;
    txn.commit().await.map_err(db_error)?;
    Ok(after)
}

/// Requests in the actor's scope (a loan one manages, or one's own request), newest first.
pub async fn requests(
    ctx: &LoansContext,
    actor: &Actor,
    filter: &ClassificationRequestFilter,
) -> AppResult<Vec<ClassificationRequest>> {
    let mut w = Where::new();
    scope::restrict(
        &mut w,
        actor,
        "q.department_id",
        "q.requested_by = $? OR l.manager_id = $?",
    );
    if let Some(status) = filter.status.as_deref().filter(|s| !s.is_empty()) {
        w.and("q.status = $?", [Value::from(status)]);
    }
    if let Some(loan) = filter.loan_id {
        w.and("q.loan_id = $?", [Value::from(loan)]);
    }
    RequestRow::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        format!(
            "{REQUEST_SELECT} WHERE {} ORDER BY q.id DESC LIMIT 500",
            w.sql()
        ),
        w.values(),
    ))
    .all(&ctx.db)
    .await
    .map_err(db_error)?
    .into_iter()
    .map(RequestRow::into_view)
    .collect()
}

/// One class's line in the provision report.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProvisionLine {
    pub classification: RiskClass,
    pub loans: i64,
    pub balance: Money,
    #[schema(value_type = String)]
    pub rate: Decimal,
    pub allowance: Money,
}

/// 贷款损失准备报表: the month-end provision of a date by class, the general allowance, and
/// the coverage of non-performing loans.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProvisionReport {
    /// The date of the provision run shown (the latest when none was asked for).
    pub as_of: Option<Date>,
    pub lines: Vec<ProvisionLine>,
    pub gross_loans: Money,
    pub specific_allowance: Money,
    /// 一般准备 as booked in 130402.
    pub general_allowance: Money,
    /// 次级 + 可疑 + 损失.
    pub non_performing: Money,
    /// (specific + general) ÷ non-performing, as a percent with 2 places; none without NPLs.
    #[schema(value_type = Option<String>)]
    pub coverage_pct: Option<Decimal>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct ProvisionQuery {
    pub as_of: Option<Date>,
}

pub async fn provision_report(
    ctx: &LoansContext,
    as_of: Option<Date>,
) -> AppResult<ProvisionReport> {
    let as_of: Option<Date> = match as_of {
        Some(d) => Some(d),
        None => ctx
            .db
            .query_one_raw(Statement::from_string(
                DbBackend::Postgres,
                "SELECT max(as_of) AS d FROM provision_summaries",
            ))
            .await
            .map_err(db_error)?
            .and_then(|r| r.try_get::<Option<Date>>("", "d").ok().flatten()),
    };
    #[derive(FromQueryResult)]
    struct L {
        classification: String,
        loans: i64,
        balance: Decimal,
        rate: Decimal,
        allowance: Decimal,
    }
    let lines = L::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT classification, sum(loan_count)::bigint AS loans, sum(balance) AS balance, max(rate) AS rate, \
           sum(allowance) AS allowance FROM provision_summaries WHERE as_of = $1 \
         GROUP BY classification \
         ORDER BY array_position(ARRAY['normal','special_mention','substandard','doubtful','loss']::text[], classification)",
        [Value::from(as_of)],
    ))
    .all(&ctx.db)
    .await
    .map_err(db_error)?;
    let money = |d: Decimal| Money::from_decimal(d).map_err(AppError::internal);
    let mut out = vec![];
    let (mut gross, mut specific, mut npl) = (Money::ZERO, Money::ZERO, Money::ZERO);
    for l in lines {
        let class = parse_class(&l.classification)?;
        let balance = money(l.balance)?;
        let allowance = money(l.allowance)?;
        gross += balance;
        specific += allowance;
        if class.is_non_performing() {
            npl += balance;
        }
        out.push(ProvisionLine {
            classification: class,
            loans: l.loans,
            balance,
            rate: l.rate,
            allowance,
        });
    }
    let general: Decimal = ctx
        .db
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT coalesce(sum(l.credit - l.debit), 0) AS g FROM voucher_lines l \
             JOIN vouchers v ON v.id = l.voucher_id WHERE v.status = 'posted' AND l.account_code = '130402'",
        ))
        .await
        .map_err(db_error)?
        .ok_or_else(|| AppError::internal("no row"))?
        .try_get("", "g")
        .map_err(db_error)?;
    let general = money(general)?;
    let coverage_pct = npl.is_positive().then(|| {
        let mut pct = ((specific + general).amount() * Decimal::ONE_HUNDRED / npl.amount())
            .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
        pct.rescale(2);
        pct
    });
    Ok(ProvisionReport {
        as_of,
        lines: out,
        gross_loans: gross,
        specific_allowance: specific,
        general_allowance: general,
        non_performing: npl,
        coverage_pct,
    })
}
