//! Screening (风控筛查): gathers the facts about a customer and a requested loan — from our own
//! records and the external providers — applies the rule set in force, and stores the result
//! with the inputs, every provider call and every reason, so it can be read later and re-run.

use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DbBackend, FromQueryResult, NotSet, Set, Statement,
    TransactionTrait, Value,
};
use serde::{Deserialize, Serialize};
use serde_json::{Value as Json, json};
use time::{Duration, OffsetDateTime};
use utoipa::{IntoParams, ToSchema};

use customers::domain::mask;
use customers::domain::resident_id::age_on;
use customers::service::customers::{
    CustomerKind, ScreeningSubject, restrict_to_visible, screening_subject,
};
use iam::Actor;
use iam::service::{audit, sql::Where};
use kernel::error::FieldErrors;
use kernel::{AppError, AppResult, Money, Page, PageRequest};

use super::{CreditContext, db_error, provider_settings, rule_sets};
use crate::domain::evaluate::{Decision, Facts, Outcome, Reason, ScoreLine, evaluate};
use crate::domain::rules::{RuleCode, RuleSet};
use crate::providers::{
    CallStatus, DataProvider, HttpProvider, ProviderCall, ProviderKind, skipped,
};
use crate::repo::screening;

/// The vehicle offered as collateral.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VehicleInput {
    pub vin: Option<String>,
    /// e.g. `2022 丰田凯美瑞 2.0G`.
    pub description: Option<String>,
    /// The value the customer or dealer states, used when the price provider has none.
    pub declared_value: Option<Money>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScreeningInput {
    pub customer_id: i64,
    pub loan_amount: Money,
    pub term_months: u32,
    /// Monthly payments on debts the customer already has.
    pub existing_monthly_debt: Option<Money>,
    pub vehicle: Option<VehicleInput>,
}

/// A stored screening.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Screening {
    pub id: i64,
    pub customer_id: i64,
    pub rule_set_version: i32,
    pub decision: Decision,
    pub score: i32,
    pub grade: String,
    /// Every reason, the score last.
    pub reasons: Vec<Reason>,
    pub score_lines: Vec<ScoreLine>,
    pub input: ScreeningInput,
    pub facts: Facts,
    pub provider_calls: Vec<ProviderCall>,
    /// The screening this one re-ran.
    pub rerun_of: Option<i64>,
    pub screened_by: Option<i64>,
    #[serde(with = "time::serde::rfc3339")]
    pub screened_at: OffsetDateTime,
}

/// A rule set tried on a customer without saving anything.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TrialResult {
    pub outcome: Outcome,
    pub facts: Facts,
    pub provider_calls: Vec<ProviderCall>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TrialInput {
    pub rule_set: RuleSet,
    pub screening: ScreeningInput,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct ScreeningFilter {
    pub customer_id: Option<i64>,
    pub decision: Option<Decision>,
}

fn check(input: &ScreeningInput) -> AppResult<()> {
    let mut errors = FieldErrors::new();
    if !input.loan_amount.is_positive() {
        errors.add(
            "loanAmount",
            "not_positive",
            "the loan amount must be above zero",
        );
    }
    if !(1..=360).contains(&input.term_months) {
        errors.add("termMonths", "out_of_range", "the term is 1 to 360 months");
    }
    if input.existing_monthly_debt.is_some_and(|m| m.is_negative()) {
        errors.add("existingMonthlyDebt", "negative", "debt cannot be negative");
    }
    errors.finish()
}

/// The provider's answer read as the facts it gives.
fn read_calls(calls: &[ProviderCall], facts: &mut Facts, declared_value: Option<Decimal>) {
    let answer = |kind: ProviderKind| {
        calls
            .iter()
            .find(|c| c.provider == kind && c.status == CallStatus::Ok)
            .and_then(|c| c.response.as_ref())
    };
    facts.court_enforcement = answer(ProviderKind::CourtEnforcement)
        .and_then(|r| r.get("listed"))
        .and_then(Json::as_bool);
    facts.bureau_score = answer(ProviderKind::CreditBureau)
        .and_then(|r| r.get("score"))
        .and_then(Json::as_i64)
        .map(|s| s as i32);
    let priced = answer(ProviderKind::VehiclePrice)
        .and_then(|r| r.get("price"))
        .and_then(|p| match p {
            Json::String(s) => s.parse::<Decimal>().ok(),
            _ => None,
        });
    facts.vehicle_value = priced.or(declared_value);
    facts.unavailable_providers = calls
        .iter()
        .filter(|c| c.status != CallStatus::Ok)
        .map(|c| c.provider.as_str().to_string())
        .collect();
}

/// Calls the providers at once; each records its own outcome.
async fn call_providers(
    providers: &[HttpProvider],
    subject: &ScreeningSubject,
    vehicle: Option<&VehicleInput>,
) -> Vec<ProviderCall> {
    let id = subject.id_number.clone();
    let masked_id = id.as_deref().map(mask::id_number);
    let request = |kind: ProviderKind| -> (Json, Json) {
        match kind {
            ProviderKind::CourtEnforcement => (
                json!({"name": subject.name, "idNumber": id, "creditCode": subject.credit_code}),
                json!({"name": subject.name, "idNumber": masked_id, "creditCode": subject.credit_code}),
            ),
            ProviderKind::CreditBureau => (
                json!({"name": subject.name, "idNumber": id, "mobile": subject.mobile}),
                json!({"name": subject.name, "idNumber": masked_id,
                       "mobile": subject.mobile.as_deref().map(mask::mobile)}),
            ),
            ProviderKind::VehiclePrice => {
                let v = json!({"vin": vehicle.and_then(|v| v.vin.clone()),
                               "description": vehicle.and_then(|v| v.description.clone())});
                (v.clone(), v)
            }
        }
    };
    let futures = ProviderKind::ALL.into_iter().map(|kind| {
        let (sent, recorded) = request(kind);
        let provider = providers.iter().find(|p| p.kind == kind);
        async move {
            match provider {
                Some(p) => p.query(&sent, recorded).await,
                None => skipped(kind, recorded),
            }
        }
    });
    futures_util::future::join_all(futures).await
}

/// Screenings of this customer in the window before `now`, not counting re-runs.
async fn recent_applications(
    db: &impl ConnectionTrait,
    customer_id: i64,
    since: OffsetDateTime,
) -> AppResult<u32> {
    #[derive(FromQueryResult)]
    struct Count {
        n: i64,
    }
    let row = Count::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT COUNT(*) AS n FROM risk_screenings \
         WHERE customer_id = $1 AND rerun_of IS NULL AND screened_at >= $2",
        [Value::from(customer_id), Value::from(since)],
    ))
    .one(db)
    .await
    .map_err(db_error)?;
    Ok(row.map(|r| r.n as u32).unwrap_or(0))
}

/// Whole months from `from` to `to` (a month counts once its day is reached).
fn whole_months(from: time::Date, to: time::Date) -> i32 {
    let months = (to.year() - from.year()) * 12 + (to.month() as i32 - from.month() as i32);
    months - i32::from(to.day() < from.day())
}

/// Gathers every fact and applies `rule_set`.
async fn run(
    ctx: &CreditContext,
    actor: &Actor,
    rule_set: &RuleSet,
    input: &ScreeningInput,
) -> AppResult<TrialResult> {
    check(input)?;
    let now = ctx.clock.now();
    let today = now.date();
    let subject = screening_subject(&ctx.customers, actor, input.customer_id)
        .await
        .map_err(|e| {
            if e.kind == kernel::ErrorKind::NotFound {
                AppError::invalid_field(
                    "customerId",
                    "unknown_reference",
                    "choose a customer you can see",
                )
            } else {
                e
            }
        })?;
    let window_days = rule_set
        .rules
        .iter()
        .find(|r| r.code == RuleCode::RecentApplications)
        .and_then(|r| r.window_days)
        .unwrap_or(30);
    let recent = recent_applications(
        &ctx.db,
        subject.id,
        now - Duration::days(i64::from(window_days)),
    )
    .await?;
    let loan = input.loan_amount.amount();
    let installment = loan / Decimal::from(input.term_months.max(1));
    let mut facts = Facts {
        is_enterprise: subject.kind == CustomerKind::Enterprise,
        age_years: subject.birth_date.map(|b| age_on(b, today)),
        blacklist_hits: subject
            .blacklist_hits
            .iter()
            .map(|h| format!("{} ({})", h.reason, h.source))
            .collect(),
        recent_applications: Some(recent),
        monthly_income: subject.monthly_income,
        monthly_debt_with_new: Some(
            input
                .existing_monthly_debt
                .map(Money::amount)
                .unwrap_or_default()
                + installment,
        ),
        loan_amount: loan,
        vehicle_value: None,
        existing_overdue: Some(ctx.loans.has_overdue(subject.id).await?),
        enterprise_age_months: subject.founded_on.map(|f| whole_months(f, today)),
        court_enforcement: None,
        bureau_score: None,
        unavailable_providers: Vec::new(),
    };
    let providers = provider_settings::active(&ctx.db, &ctx.http).await?;
    let calls = call_providers(&providers, &subject, input.vehicle.as_ref()).await;
    read_calls(
        &calls,
        &mut facts,
        input
            .vehicle
            .as_ref()
            .and_then(|v| v.declared_value)
            .map(Money::amount),
    );
    Ok(TrialResult {
        outcome: evaluate(rule_set, &facts),
        facts,
        provider_calls: calls,
    })
}

fn parse<T: serde::de::DeserializeOwned>(v: Json) -> AppResult<T> {
    serde_json::from_value(v).map_err(AppError::internal)
}

fn to_json(v: &impl Serialize) -> AppResult<Json> {
    serde_json::to_value(v).map_err(AppError::internal)
}

fn view(m: screening::Model) -> AppResult<Screening> {
    Ok(Screening {
        id: m.id,
        customer_id: m.customer_id,
        rule_set_version: m.rule_set_version,
        decision: parse(Json::from(m.decision))?,
        score: m.score,
        grade: m.grade,
        reasons: parse(m.reasons)?,
        score_lines: parse(m.score_lines)?,
        input: parse(m.input)?,
        facts: parse(m.facts)?,
        provider_calls: parse(m.provider_calls)?,
        rerun_of: m.rerun_of,
        screened_by: m.screened_by,
        screened_at: m.screened_at,
    })
}

async fn run_and_store(
    ctx: &CreditContext,
    actor: &Actor,
    input: &ScreeningInput,
    rerun_of: Option<i64>,
) -> AppResult<Screening> {
    let rules = rule_sets::current(&ctx.db).await?;
    // Provider calls happen before the transaction opens, so no lock waits on the network.
    let result = run(ctx, actor, &rules.rule_set, input).await?;
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let saved = view(
        screening::ActiveModel {
            id: NotSet,
            customer_id: Set(input.customer_id),
            rule_set_version: Set(rules.version),
            input: Set(to_json(input)?),
            facts: Set(to_json(&result.facts)?),
            provider_calls: Set(to_json(&result.provider_calls)?),
            score: Set(result.outcome.score),
            grade: Set(result.outcome.grade.clone()),
            decision: Set(result.outcome.decision.as_str().into()),
            reasons: Set(to_json(&result.outcome.reasons)?),
            score_lines: Set(to_json(&result.outcome.score_lines)?),
            rerun_of: Set(rerun_of),
            screened_by: Set(Some(actor.user_id)),
            screened_at: Set(now),
        }
        .insert(&txn)
        .await
        .map_err(db_error)?,
    )?;
    audit::record(
        &txn,
        Some(actor),
        now,
        audit::Change {
            entity: "risk_screening",
            entity_id: saved.id.to_string(),
            action: if rerun_of.is_some() {
                "rerun"
            } else {
                "create"
            },
            before: None,
            after: Some(json!({
                "customerId": saved.customer_id,
                "decision": saved.decision,
                "score": saved.score,
                "ruleSetVersion": saved.rule_set_version,
            })),
        },
    )
    .await?;
    txn.commit().await.map_err(db_error)?;
    Ok(saved)
}

/// Screens a customer under the rule set in force and stores the result.
pub async fn screen(
    ctx: &CreditContext,
    actor: &Actor,
    input: &ScreeningInput,
) -> AppResult<Screening> {
    run_and_store(ctx, actor, input, None).await
}

/// Runs a stored screening's input again under the rules in force now, as a new screening.
pub async fn rerun(ctx: &CreditContext, actor: &Actor, id: i64) -> AppResult<Screening> {
    let found = get(ctx, actor, id).await?;
    run_and_store(ctx, actor, &found.input, Some(found.id)).await
}

/// Tries a draft rule set on a customer; nothing is stored.
pub async fn trial(
    ctx: &CreditContext,
    actor: &Actor,
    input: &TrialInput,
) -> AppResult<TrialResult> {
    input.rule_set.check()?;
    run(ctx, actor, &input.rule_set, &input.screening).await
}

pub async fn get(ctx: &CreditContext, actor: &Actor, id: i64) -> AppResult<Screening> {
    let mut w = Where::new();
    w.and("s.id = $?", [Value::from(id)]);
    restrict_to_visible(&mut w, actor, "s.customer_id");
    let sql = format!("SELECT s.* FROM risk_screenings s WHERE {}", w.sql());
    let found = screening::Model::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        &sql,
        w.values(),
    ))
    .one(&ctx.db)
    .await
    .map_err(db_error)?
    .ok_or_else(|| AppError::not_found("screening"))?;
    view(found)
}

pub async fn list(
    ctx: &CreditContext,
    actor: &Actor,
    filter: &ScreeningFilter,
    page: &PageRequest,
) -> AppResult<Page<Screening>> {
    let mut w = Where::new();
    restrict_to_visible(&mut w, actor, "s.customer_id");
    if let Some(c) = filter.customer_id {
        w.and("s.customer_id = $?", [Value::from(c)]);
    }
    if let Some(d) = filter.decision {
        w.and("s.decision = $?", [Value::from(d.as_str())]);
    }
    let rows = w
        .page::<screening::Model>(
            &ctx.db,
            "s.*",
            "risk_screenings s",
            "s.screened_at DESC, s.id DESC",
            page,
        )
        .await?;
    let items = rows
        .items
        .into_iter()
        .map(view)
        .collect::<AppResult<Vec<_>>>()?;
    Ok(Page {
        items,
        total: rows.total,
        page: rows.page,
        page_size: rows.page_size,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn whole_months_count_once_the_day_is_reached() {
        assert_eq!(
            whole_months(date!(2024 - 03 - 02), date!(2026 - 03 - 02)),
            24
        );
        assert_eq!(
            whole_months(date!(2024 - 03 - 03), date!(2026 - 03 - 02)),
            23
        );
        assert_eq!(
            whole_months(date!(2025 - 12 - 31), date!(2026 - 01 - 30)),
            0
        );
    }
}
