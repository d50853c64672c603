//! Appraisals (车辆评估): an appraiser values a vehicle on a business date; appraisals are never
//! edited, a new one is made instead, and the newest is the vehicle's current value. The
//! queries (评估查询) search them within the actor's data scope.

use std::str::FromStr;

use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DbBackend, FromQueryResult, NotSet, Set, Statement,
    TransactionTrait, Value,
};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::{IntoParams, ToSchema};

use iam::Actor;
use iam::service::{audit, scope, sql::Where};
use kernel::error::FieldErrors;
use kernel::{AppError, AppResult, Money, Page, PageRequest};

use super::vehicles::{self, normalise};
use super::{CollateralContext, blank_to_none, db_error, like_escape, parse_snake, snake, today};
use crate::repo::appraisal;

/// How the value was reached (评估方法).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AppraisalMethod {
    /// 现行市价法
    MarketComparison,
    /// 重置成本法
    ReplacementCost,
    /// 收益现值法
    IncomeApproach,
    /// 清算价格法
    Liquidation,
}

/// The car's condition (车况等级).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConditionGrade {
    /// 优
    Excellent,
    /// 良
    Good,
    /// 中
    Fair,
    /// 差
    Poor,
}

/// An appraisal to record.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AppraisalInput {
    /// The appraised value in CNY, a decimal string with at most two places, > 0.
    #[schema(value_type = String, example = "86000.00")]
    pub value: String,
    /// The business date of the appraisal; today when not given, never after today.
    pub appraised_on: Option<Date>,
    pub method: AppraisalMethod,
    pub condition_grade: ConditionGrade,
    pub notes: Option<String>,
}

/// An appraisal as the API shows it, with the vehicle it values.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Appraisal {
    pub id: i64,
    pub vehicle_id: i64,
    pub vin: String,
    pub plate: Option<String>,
    pub brand: String,
    pub model: String,
    pub value: Money,
    pub appraised_on: Date,
    pub method: AppraisalMethod,
    pub condition_grade: ConditionGrade,
    pub notes: Option<String>,
    pub appraiser_id: i64,
    pub appraiser_name: String,
    pub department_id: Option<i64>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

#[derive(Debug, Clone, FromQueryResult)]
struct AppraisalRow {
    id: i64,
    vehicle_id: i64,
    vin: String,
    plate: Option<String>,
    brand: String,
    model: String,
    value: Decimal,
    appraised_on: Date,
    method: String,
    condition_grade: String,
    notes: Option<String>,
    appraiser_id: i64,
    appraiser_name: String,
    department_id: Option<i64>,
    created_at: OffsetDateTime,
}

impl From<AppraisalRow> for Appraisal {
    fn from(r: AppraisalRow) -> Appraisal {
        Appraisal {
            id: r.id,
            vehicle_id: r.vehicle_id,
            vin: r.vin,
            plate: r.plate,
            brand: r.brand,
            model: r.model,
            value: Money::round(r.value),
            appraised_on: r.appraised_on,
            method: parse_snake(&r.method).unwrap_or(AppraisalMethod::MarketComparison),
            condition_grade: parse_snake(&r.condition_grade).unwrap_or(ConditionGrade::Fair),
            notes: r.notes,
            appraiser_id: r.appraiser_id,
            appraiser_name: r.appraiser_name,
            department_id: r.department_id,
            created_at: r.created_at,
        }
    }
}

const COLUMNS: &str = "a.id, a.vehicle_id, v.vin, v.plate, v.brand, v.model, a.value, \
    a.appraised_on, a.method, a.condition_grade, a.notes, a.appraiser_id, \
    u.display_name AS appraiser_name, a.department_id, a.created_at";
const FROM: &str = "appraisals a JOIN vehicles v ON v.id = a.vehicle_id \
    JOIN users u ON u.id = a.appraiser_id";
const ORDER: &str = "a.appraised_on DESC, a.id DESC";
/// An appraisal is one's own when one made it.
const OWN: &str = "a.appraiser_id = $?";

async fn rows(
    db: &impl ConnectionTrait,
    w: &Where,
    limit: Option<u64>,
) -> AppResult<Vec<Appraisal>> {
    let mut sql = format!(
        "SELECT {COLUMNS} FROM {FROM} WHERE {} ORDER BY {ORDER}",
        w.sql()
    );
    if let Some(n) = limit {
        sql.push_str(&format!(" LIMIT {n}"));
    }
    let found = AppraisalRow::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        &sql,
        w.values(),
    ))
    .all(db)
    .await
    .map_err(db_error)?;
    Ok(found.into_iter().map(Appraisal::from).collect())
}

/// The appraised value: a positive amount with at most two places.
fn parse_value(raw: &str, errors: &mut FieldErrors) -> Option<Money> {
    let Ok(decimal) = Decimal::from_str(raw.trim()) else {
        errors.add(
            "value",
            "invalid_amount",
            "the value is not a decimal number",
        );
        return None;
    };
    match Money::from_decimal(decimal) {
        Ok(m) if m.is_positive() => Some(m),
        Ok(_) => {
            errors.add("value", "not_positive", "the value must be more than zero");
            None
        }
        Err(e) => {
            errors.add("value", e.code(), e.to_string());
            None
        }
    }
}

/// Records an appraisal of a vehicle the actor may see.
pub async fn create(
    ctx: &CollateralContext,
    actor: &Actor,
    vehicle_id: i64,
    input: &AppraisalInput,
) -> AppResult<Appraisal> {
    let vehicle = vehicles::get(&ctx.db, actor, vehicle_id).await?;
    let on = today(&ctx.clock);
    let appraised_on = input.appraised_on.unwrap_or(on);
    let mut errors = FieldErrors::new();
    let value = parse_value(&input.value, &mut errors);
    if appraised_on > on {
        errors.add(
            "appraisedOn",
            "in_future",
            "an appraisal cannot be dated after today",
        );
    } else if appraised_on < vehicle.first_registered_on {
        errors.add(
            "appraisedOn",
            "before_registration",
            "an appraisal cannot be dated before the car's first registration",
        );
    }
    let notes = blank_to_none(&input.notes);
    if notes.as_ref().is_some_and(|n| n.chars().count() > 2000) {
        errors.add("notes", "too_long", "at most 2000 characters");
    }
    errors.finish()?;
    let value = value.expect("checked");
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let row = appraisal::ActiveModel {
        id: NotSet,
        vehicle_id: Set(vehicle_id),
        value: Set(value.amount()),
        appraised_on: Set(appraised_on),
        method: Set(snake(&input.method)),
        condition_grade: Set(snake(&input.condition_grade)),
        notes: Set(notes),
        appraiser_id: Set(actor.user_id),
        department_id: Set(actor.department_id),
        created_at: Set(now),
    }
    .insert(&txn)
    .await
    .map_err(db_error)?;
    let mut w = Where::new();
    w.and("a.id = $?", [Value::from(row.id)]);
    let saved = rows(&txn, &w, Some(1))
        .await?
        .pop()
        .ok_or_else(|| AppError::internal("the appraisal just saved is missing"))?;
    audit::record(
        &txn,
        Some(actor),
        now,
        audit::Change::new("appraisal", saved.id, "create").after(&saved),
    )
    .await?;
    txn.commit().await.map_err(db_error)?;
    Ok(saved)
}

/// The appraisal history of a vehicle the actor may see, newest first: the first is the
/// vehicle's current value.
pub async fn history(
    ctx: &CollateralContext,
    actor: &Actor,
    vehicle_id: i64,
) -> AppResult<Vec<Appraisal>> {
    vehicles::get(&ctx.db, actor, vehicle_id).await?;
    let mut w = Where::new();
    w.and("a.vehicle_id = $?", [Value::from(vehicle_id)]);
    rows(&ctx.db, &w, None).await
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct AppraisalFilter {
    /// Exact VIN.
    pub vin: Option<String>,
    /// Part of the plate.
    pub plate: Option<String>,
    /// The start of the brand.
    pub brand: Option<String>,
    pub appraiser_id: Option<i64>,
    pub vehicle_id: Option<i64>,
    /// Appraised on or after this date.
    pub from: Option<Date>,
    /// Appraised on or before this date.
    pub to: Option<Date>,
    /// At least this value (decimal string).
    #[param(value_type = Option<String>)]
    pub min_value: Option<Decimal>,
    /// At most this value (decimal string).
    #[param(value_type = Option<String>)]
    pub max_value: Option<Decimal>,
}

/// Searches appraisals within the actor's data scope (an appraiser's own, a department's …),
/// newest first.
pub async fn search(
    ctx: &CollateralContext,
    actor: &Actor,
    filter: &AppraisalFilter,
    page: &PageRequest,
) -> AppResult<Page<Appraisal>> {
    let mut w = Where::new();
    scope::restrict(&mut w, actor, "a.department_id", OWN);
    if let Some(vin) = blank_to_none(&filter.vin) {
        w.and("v.vin = $?", [Value::from(normalise(&vin))]);
    }
    if let Some(plate) = blank_to_none(&filter.plate) {
        let plate = like_escape(&plate.to_uppercase());
        w.and("v.plate LIKE $?", [Value::from(format!("%{plate}%"))]);
    }
    if let Some(brand) = blank_to_none(&filter.brand) {
        w.and(
            "v.brand ILIKE $?",
            [Value::from(format!("{}%", like_escape(&brand)))],
        );
    }
    if let Some(id) = filter.appraiser_id {
        w.and("a.appraiser_id = $?", [Value::from(id)]);
    }
    if let Some(id) = filter.vehicle_id {
        w.and("a.vehicle_id = $?", [Value::from(id)]);
    }
    if let Some(from) = filter.from {
        w.and("a.appraised_on >= $?", [Value::from(from)]);
    }
    if let Some(to) = filter.to {
        w.and("a.appraised_on <= $?", [Value::from(to)]);
    }
    if let Some(min) = filter.min_value {
        w.and("a.value >= $?", [Value::from(min)]);
    }
    if let Some(max) = filter.max_value {
        w.and("a.value <= $?", [Value::from(max)]);
    }
    let found: Page<AppraisalRow> = w.page(&ctx.db, COLUMNS, FROM, ORDER, page).await?;
    Ok(found.map(Appraisal::from))
}
